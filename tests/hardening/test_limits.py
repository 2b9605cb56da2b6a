"""Work limits: rule sets just inside each limit load, just beyond are refused at the
place, and no infinite or oversized number gets in; the sweeps catch a planted bug."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from decision_aid.domain import RuleSet, RuleSetError, load_rule_set
from decision_aid.domain.errors import Problem
from decision_aid.domain.limits import LIMITS
from tests.hardening.harness import CASES, ContractViolation
from tests.hardening.limits_sweep import LIMIT_CASES, sweep_limits, sweep_numbers


def test_every_limit_holds_just_inside_and_refuses_just_beyond() -> None:
    report = sweep_limits(load_rule_set, LIMITS)
    CASES["limits/inside-beyond"] += report.tried
    assert report.clean == report.tried == 2 * len(LIMIT_CASES)


def test_no_infinite_or_oversized_number_gets_into_a_rule_set() -> None:
    report = sweep_numbers(load_rule_set)
    CASES["limits/numbers"] += report.tried
    assert report.clean == report.tried


def test_the_sweep_catches_a_loader_with_a_limit_removed() -> None:
    """The slip: a limit that is documented but not applied (here: the number of rules)."""

    def weakened(directory: Path) -> RuleSet:
        return load_rule_set(directory, limits=replace(LIMITS, rules=10**9))

    rules = tuple(case for case in LIMIT_CASES if case.name == "rules")
    with pytest.raises(ContractViolation, match=r"beyond the limit loaded .*rules: 121"):
        sweep_limits(weakened, LIMITS, rules)


def test_the_sweep_catches_a_limit_refused_at_the_wrong_place() -> None:
    """The slip: the problem names the file, not the node past the limit."""

    def at_the_top(directory: Path) -> RuleSet:
        try:
            return load_rule_set(directory)
        except RuleSetError as error:
            moved = [Problem(p.file, 1, 1, p.code, p.message) for p in error.problems]
            raise RuleSetError(moved) from None

    bounds = tuple(case for case in LIMIT_CASES if case.name == "bounds")
    with pytest.raises(ContractViolation, match=r"'over-limit' at .*, not at"):
        sweep_limits(at_the_top, LIMITS, bounds)


def test_the_number_sweep_catches_infinity_reported_under_another_code() -> None:
    """The slip: an infinite bound refused, but only by a range check that says nothing of
    infinity (as before: 'inf is outside the range')."""

    def relabelled(directory: Path) -> RuleSet:
        try:
            return load_rule_set(directory)
        except RuleSetError as error:
            raise RuleSetError(
                [
                    Problem(p.file, p.line, p.column, "out-of-range", p.message)
                    if p.code == "not-finite"
                    else p
                    for p in error.problems
                ]
            ) from None

    with pytest.raises(ContractViolation, match=r"refused without 'not-finite'"):
        sweep_numbers(relabelled)


def test_files_past_the_limit_on_bytes_in_all_are_not_read(mini_copy: Path) -> None:
    limits = replace(LIMITS, total_bytes=sum(p.stat().st_size for p in mini_copy.rglob("*.yaml")))
    load_rule_set(mini_copy, limits=limits)  # the case files are not the rule set's: room
    padding = mini_copy / "rules" / "zz-padding.yaml"
    padding.write_text("# " + "x" * limits.total_bytes + "\nrules: []\n")
    with pytest.raises(RuleSetError) as refused:
        load_rule_set(mini_copy, limits=limits)
    (problem,) = refused.value.problems
    assert (problem.file, problem.line, problem.code) == (str(padding), 1, "over-limit")
