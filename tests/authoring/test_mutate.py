"""mutate: every mutant of the rule set is killed by a case or by verify, or reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from decision_aid.authoring.mutate import Mutant, mutants, run_mutation
from decision_aid.cli import main
from decision_aid.domain import load_rule_set
from tests.conftest import BUNDLED


def test_the_bundled_cases_and_properties_kill_at_least_95_percent_of_mutants(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["mutate", str(BUNDLED), "--fail-under", "95", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["mutants"] > 150
    assert report["kill_rate"] >= 95
    # Proved equivalent: a part a show_when already implies, a note's unknown (a note
    # never fires on an unknown), and the second guard that never decides the outcome.
    assert {(m["rule"], m["operator"]) for m in report["equivalent"]} == {
        ("ind-crps", "drop-part"),
        ("ind-unknown", "drop-part"),
        ("prac-cost", "unknown-read-as-no"),
        ("any-unknown-safety", "lower-level"),
    }


def test_every_kind_of_mutant_is_made() -> None:
    operators = {m.operator for m in mutants(load_rule_set(BUNDLED))}
    assert operators == {
        "drop-part",
        "swap-all-any",
        "drop-option",
        "shift-bound",
        "drop-not",
        "delete-rule",
        "lower-level",
        "raise-level",
        "unknown-read-as-no",
    }


def test_a_mutant_never_shares_the_original_rule_sets_caches() -> None:
    rule_set = load_rule_set(BUNDLED)
    assert rule_set.rules_by_id  # fill the original's caches first
    for mutant in mutants(rule_set):
        if mutant.operator == "delete-rule":
            assert mutant.rule_id not in mutant.rule_set.rules_by_id
            return
    pytest.fail("no rule was deleted")


def weaken_cases(rules_dir: Path) -> None:
    """Keep one case only: most mutants now escape the cases."""
    (rules_dir / "tests" / "cases.yaml").write_text(
        'base_answers: {diagnosis: a, tried: "yes", sex: male, risk: none, age: 40}\n'
        "cases:\n"
        "  - name: A tried, safe\n"
        "    expect: {outcome: go, fired: [r-go]}\n"
    )


def test_weak_cases_leave_survivors_placed_in_the_rule_files(
    mini_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    weaken_cases(mini_copy)
    assert main(["mutate", str(mini_copy), "--no-verify", "--fail-under", "95"]) == 1
    assert main(["mutate", str(mini_copy), "--rule", "r-nope"]) == 2
    out = capsys.readouterr().out
    survivors = [line for line in out.splitlines() if ": survived: " in line]
    assert survivors
    assert all(line.startswith(str(mini_copy / "rules" / "main.yaml") + ":") for line in survivors)
    assert any("rule r-preg: outcome stop → check [lower-level]" in line for line in survivors)
    assert "the kill rate is below 95%" in out


def test_verify_kills_what_the_cases_miss(mini_copy: Path) -> None:
    weaken_cases(mini_copy)
    (mini_copy / "properties.yaml").write_text(
        "properties:\n"
        "  - id: pregnancy-stops\n"
        "    title: Pregnancy always stops\n"
        "    when: {question: pregnant, is: 'yes'}\n"
        "    at_least: stop\n"
    )
    rule_set = load_rule_set(mini_copy)
    only = {"r-preg", "r-risk"}
    with_cases_only = run_mutation(rule_set, mini_copy, use_verify=False, only=only)
    with_verify = run_mutation(rule_set, mini_copy, only=only)
    assert with_verify.killed_by_verify > 0
    assert with_verify.rate() > with_cases_only.rate()

    def pregnancy_lowered(survivors: list[Mutant]) -> list[Mutant]:
        return [m for m in survivors if (m.rule_id, m.operator) == ("r-preg", "lower-level")]

    assert pregnancy_lowered(with_cases_only.survivors)
    assert not pregnancy_lowered(with_verify.survivors)


def test_mutate_refuses_cases_that_fail_on_the_rule_set_itself(
    mini_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (mini_copy / "tests" / "cases.yaml").write_text(
        'base_answers: {diagnosis: a, tried: "yes", sex: male, risk: none, age: 40}\n'
        "cases:\n"
        "  - name: wrongly expected\n"
        "    expect: {outcome: stop}\n"
    )
    assert main(["mutate", str(mini_copy), "--no-verify", "--fail-under", "95"]) == 1
    out = capsys.readouterr().out
    assert "1 case(s) fail on the rule set itself" in out
    assert "cases.yaml:3: wrongly expected" in out
    assert "kill rate" not in out


def test_deleting_a_rule_that_only_ever_might_apply_is_not_called_equivalent(
    mini_copy: Path,
) -> None:
    # Never certainly true (A and B at once), but unknown whenever the diagnosis is: it
    # then shows as "might apply", which a case can expect, so deleting it is observable.
    rules = mini_copy / "rules" / "main.yaml"
    rules.write_text(
        rules.read_text().replace(
            "rules:\n",
            "rules:\n"
            "  - id: r-never\n"
            "    title: Both A and B\n"
            "    when:\n"
            "      all:\n"
            "        - {question: diagnosis, is: a}\n"
            "        - {question: diagnosis, is: b}\n"
            "    outcome: stop\n"
            "    patient_reason: Cannot happen.\n"
            "    rationale: A contradiction.\n"
            "    citations: [src]\n",
            1,
        )
    )
    report = run_mutation(load_rule_set(mini_copy), mini_copy, only={"r-never"})
    deleted = [m for m in (*report.equivalent, *report.survivors) if m.operator == "delete-rule"]
    assert [m in report.survivors for m in deleted] == [True]


def test_each_survivor_comes_with_a_case_that_catches_it(
    mini_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    weaken_cases(mini_copy)
    only = ["--rule", "r-go", "--rule", "r-young"]
    assert main(["mutate", str(mini_copy), *only, "--format", "json"]) == 0
    survivors = json.loads(capsys.readouterr().out)["survivors"]
    assert survivors
    assert all(s["killing_case"] is not None for s in survivors)
    # Added to a case file as printed, every one passes here and catches its mutant.
    cases = mini_copy / "tests" / "caught.yaml"
    cases.write_text(yaml.safe_dump({"cases": [s["killing_case"] for s in survivors]}))
    assert main(["test", str(mini_copy)]) == 0
    assert f"PASS: {len(survivors) + 1}/{len(survivors) + 1}" in capsys.readouterr().out
    assert main(["mutate", str(mini_copy), *only, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["survivors"] == []


def test_a_dropped_part_is_placed_at_that_part_and_counted_from_one(
    mini_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    weaken_cases(mini_copy)
    assert main(["mutate", str(mini_copy), "--rule", "r-go"]) == 0
    lines = capsys.readouterr().out.splitlines()
    rules = (mini_copy / "rules" / "main.yaml").read_text().splitlines()
    for number, wanted in (
        (1, "{question: diagnosis, is: a}"),
        (2, '{question: tried, is: "yes"}'),
    ):
        (line,) = [x for x in lines if f"part {number} of 'all' dropped" in x]
        row, column = (int(n) for n in line.split(":")[1:3])
        assert rules[row - 1][column - 1 :] == wanted
        at = lines.index(line)
        assert lines[at + 1] == (
            "  a case that catches it (check the expectation, then add it under tests/):"
        )
        assert lines[at + 2].startswith("    - name: ")
