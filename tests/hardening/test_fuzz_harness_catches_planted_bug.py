"""The fuzz harness can fail: plant a bug in the loader and watch the harness report it.

Each test hands the harness a loader with one realistic slip (the harness takes the
loader under test, as the autosave sweep takes its factory) and runs the very function
the fuzz tests run (:func:`fuzz_rule_files`), with a small budget. If the harness
stopped checking (a tautology), these tests would fail.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from decision_aid.domain import RuleSet, RuleSetError, load_rule_set
from decision_aid.domain.errors import Problem
from tests.conftest import MINI
from tests.hardening.harness import ContractViolation, check_loader, fuzz_rule_files


def test_fuzzing_reports_a_keyerror_planted_in_the_unknown_key_message() -> None:
    """The slip: a message lookup ``ctx['expected']`` that unknown keys do not carry."""

    def buggy(directory: Path) -> RuleSet:
        try:
            return load_rule_set(directory)
        except RuleSetError as refused:
            if any(p.code == "unknown-key" for p in refused.problems):
                raise KeyError("expected") from None  # unknown keys have no ctx
            raise

    with pytest.raises(ContractViolation, match=r"KeyError escaped the loader") as caught:
        fuzz_rule_files(MINI, kind="structural", max_examples=300, shrink=False, load=buggy)
    assert "structural fuzz of" in str(caught.value), "the report names the file and the edit"


def test_fuzzing_reports_problems_planted_at_line_zero() -> None:
    """The slip: a 0-based YAML mark passed on without the +1."""

    def zero_based(directory: Path) -> RuleSet:
        try:
            return load_rule_set(directory)
        except RuleSetError as refused:
            raise RuleSetError(
                [Problem(p.file, p.line - 1, p.column, p.code, p.message) for p in refused.problems]
            ) from None

    with pytest.raises(ContractViolation, match=r"line/column below 1"):
        fuzz_rule_files(MINI, kind="bytes", max_examples=300, shrink=False, load=zero_based)


def test_fuzzing_reports_a_planted_hang() -> None:
    """The slip: a loop that never ends on some input; the per-case timer must stop it."""

    def hanging(directory: Path) -> RuleSet:
        if any(b"\r" in path.read_bytes() for path in directory.rglob("*.yaml")):
            while True:
                time.sleep(0.01)
        return load_rule_set(directory)

    with pytest.raises(ContractViolation, match=r"the loader hung"):
        fuzz_rule_files(
            MINI, kind="bytes", max_examples=300, shrink=False, load=hanging, case_seconds=0.5
        )


def test_contract_check_reports_a_broken_rule_set_that_loads() -> None:
    """A file broken by construction that still loads is reported, not accepted."""
    with pytest.raises(ContractViolation, match=r"a broken rule set loaded"):
        check_loader(MINI, must_refuse=True)
