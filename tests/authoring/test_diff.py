"""diff OLD NEW: the edits old → new, which cases they change, and the solver's comparison."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from decision_aid.authoring.diff import compare_by_solver
from decision_aid.authoring.mutate import mutants
from decision_aid.cli import main
from decision_aid.domain import load_rule_set
from decision_aid.domain.engine import evaluate
from decision_aid.domain.questionnaire import parse_answers
from tests.authoring.strategies import answer_sets
from tests.conftest import MINI, OTHER


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def diff_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    capsys.readouterr()
    assert main(["diff", *args, "--format", "json", "--exit-code"]) == 1
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


def test_diff_lists_each_field_old_to_new_and_the_cases_it_changes(
    mini_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(mini_copy / "ruleset.yaml", 'version: "1.0.0"', 'version: "1.1.0"')
    rules = mini_copy / "rules" / "main.yaml"
    edit(rules, "    outcome: go\n", "    outcome: careful\n")
    text = rules.read_text()
    rules.write_text(text[: text.index("  - id: r-young")] + text[text.index("  - id: r-uk-a") :])
    data = diff_json(capsys, str(MINI), str(mini_copy))
    assert data["changes"] == [
        {
            "kind": "info",
            "id": "rule set",
            "what": "changed: version",
            "fields": [{"field": "version", "old": "1.0.0", "new": "1.1.0"}],
        },
        {
            "kind": "rule",
            "id": "r-go",
            "what": "changed: outcome",
            "fields": [{"field": "outcome", "old": "go", "new": "careful"}],
        },
        {"kind": "rule", "id": "r-young", "what": "removed", "fields": []},
    ]
    assert data["impact"] == [
        {
            "case": "A tried, safe",
            "where": f"{MINI}/tests/cases.yaml:3",
            "old": "go [r-go]",
            "new": "careful [r-go]",
        }
    ]
    assert main(["diff", str(MINI), str(mini_copy), "--no-solver"]) == 0
    out = capsys.readouterr().out
    assert '      outcome: "go" → "careful"\n' in out
    assert "over every answer set" not in out


def test_the_solver_finds_each_change_of_outcome_under_each_setting(
    mini_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(mini_copy / "rules" / "main.yaml", "    outcome: go\n", "    outcome: careful\n")
    solver = diff_json(capsys, str(MINI), str(mini_copy))["solver"]
    by_basis = {c["settings"]["basis"]: c for c in solver}
    assert by_basis["uk"] == {"settings": {"basis": "uk"}, "equivalent": True, "examples": []}
    us = by_basis["us"]
    assert us["equivalent"] is False
    assert [(e["old"].split()[0], e["new"].split()[0]) for e in us["examples"]] == [
        ("go", "careful")
    ]
    (example,) = us["examples"]
    assert example["answers"]["diagnosis"] == "a"
    # Re-run as an author would: the example gives what the diff says, version by version.
    for rules_dir, expected in ((MINI, "go"), (mini_copy, "careful")):
        answers = tmp_path / "example.yaml"
        answers.write_text(yaml.safe_dump(example["answers"]))
        capsys.readouterr()
        main(["evaluate", str(answers), "--rules", str(rules_dir), "--format", "json"])
        assert json.loads(capsys.readouterr().out)["outcome"] == expected


def test_a_rewrite_that_keeps_every_outcome_is_equivalent(
    mini_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = mini_copy / "rules" / "main.yaml"
    edit(rules, "when: {question: diagnosis, in: [b]}", "when: {question: diagnosis, is: b}")
    edit(
        rules,
        "when: {question: risk, is: poor}",
        "when: {not: {question: risk, in: [none, controlled]}}",
    )
    assert main(["diff", str(MINI), str(mini_copy)]) == 0
    out = capsys.readouterr().out
    assert (
        '      when: {"question": "diagnosis", "in": ["b"]} → {"question": "diagnosis", "is": "b"}'
        in out
    )
    assert "over every answer set [basis = us]: equivalent" in out
    assert "over every answer set [basis = uk]: equivalent" in out


def test_a_new_option_is_compared_only_on_answers_both_versions_accept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new = tmp_path / "other"
    shutil.copytree(OTHER, new)
    edit(
        new / "questionnaire.yaml",
        "          - {id: failure, label: Kidney failure}\n",
        "          - {id: dialysis, label: On dialysis}\n"
        "          - {id: failure, label: Kidney failure}\n",
    )
    edit(
        new / "rules" / "main.yaml",
        "{question: kidney, is: failure}",
        "{question: kidney, in: [failure, dialysis]}",
    )
    assert main(["diff", str(OTHER), str(new)]) == 0
    assert "over every answer set [no settings]: equivalent" in capsys.readouterr().out
    edit(
        new / "rules" / "main.yaml",
        "{question: weight, at_most: 40}",
        "{question: weight, at_most: 45}",
    )
    solver = diff_json(capsys, str(OTHER), str(new))["solver"]
    ((comparison),) = solver
    (example,) = comparison["examples"]
    assert 41 <= example["answers"]["weight"] <= 45
    assert (example["old"].split()[0], example["new"].split()[0]) == ("suitable", "assess")


def test_a_comparison_the_solver_cannot_settle_in_time_is_undecided(
    mini_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diff", str(MINI), str(mini_copy), "--time-limit", "0.000001", "--exit-code"]) == 1
    out = capsys.readouterr().out
    assert "over every answer set [basis = us]: undecided" in out
    assert "give it --time-limit SECONDS" in out


def test_identical_rule_sets_have_no_diff(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(MINI), str(MINI), "--exit-code"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "mini 1.0.0 -> mini 1.0.0",
        "impact on the cases of both versions: 0 case(s) change",
        "over every answer set [basis = us]: equivalent",
        "over every answer set [basis = uk]: equivalent",
    ]


RULE_SET = load_rule_set(MINI)
ONE_RULE_CHANGED = [m.rule_set for m in mutants(RULE_SET)]  # every small edit to one rule


def level(shown: str) -> str:
    """The level of what diff shows ("go [r-go]"); the engine must have run."""
    assert not shown.startswith("cannot run"), shown
    return shown.split(maxsplit=1)[0]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_solver_and_the_engine_agree_on_what_an_edit_changes(data: st.DataObject) -> None:
    edited = data.draw(st.sampled_from(ONE_RULE_CHANGED))
    for comparison in compare_by_solver(RULE_SET, edited, examples=2):
        for example in comparison.examples:  # each example changes the outcome, by the engine
            assert level(example.old) != level(example.new)
        if comparison.equivalent:  # and where none exists, no answer set changes it
            for _ in range(5):
                answers = parse_answers(RULE_SET.questionnaire, data.draw(answer_sets(RULE_SET)))
                before = evaluate(RULE_SET, answers, comparison.settings).outcome.id
                assert evaluate(edited, answers, comparison.settings).outcome.id == before
        else:
            assert comparison.equivalent is False
            assert comparison.examples
