"""Properties over two answer sets that differ in one question (``ordered``): checked by
the loader, proved by verify with a counterexample that reproduces, held on every case."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from decision_aid.authoring.verify import findings, verify
from decision_aid.cli import main
from decision_aid.domain import RuleSetError, evaluate, load_rule_set, outcome_of, parse_answers
from tests.conftest import BUNDLED

ORDERED = """\
properties:
  - id: evidence-order
    title: A before B before anything else
    only_for: {basis: us}
    when: {question: tried, is: "yes"}
    ordered:
      question: diagnosis
      tiers:
        - [a]
        - [b]
        - [other]
"""
WRONG_WAY = ORDERED.replace("- [a]\n        - [b]\n        - [other]", "- [other]\n        - [b]")


SAFE = "tried: 'yes', sex: male, pregnant: 'no', risk: none, age: 40"


def write_properties(rules_dir: Path, text: str) -> None:
    (rules_dir / "properties.yaml").write_text(text, encoding="utf-8")


def test_an_order_the_rules_keep_is_proved(mini_copy: Path) -> None:
    write_properties(mini_copy, ORDERED)
    rule_set = load_rule_set(mini_copy)
    (finding,) = [f for f in verify(rule_set) if f.property.startswith("evidence-order")]
    assert finding.holds, finding.message


def test_an_order_the_rules_break_fails_with_a_pair_that_reproduces(
    mini_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_properties(mini_copy, WRONG_WAY)
    rule_set = load_rule_set(mini_copy)
    (finding,) = [f for f in verify(rule_set) if f.property.startswith("evidence-order")]
    assert not finding.holds
    assert finding.counterexample is not None
    assert finding.counterexample["diagnosis"] == "other"
    assert "'diagnosis' = 'b' gives a more favourable outcome than 'other'" in finding.message
    answers = parse_answers(rule_set.questionnaire, finding.counterexample)
    ranks = rule_set.level_rank
    better = evaluate(rule_set, answers, finding.settings).outcome.id
    worse = outcome_of(rule_set, answers.with_answer("diagnosis", "b"), finding.settings)
    assert ranks[worse] < ranks[better]
    assert main(["verify", str(mini_copy)]) == 1
    assert "FAILED: evidence-order" in capsys.readouterr().out


def test_a_case_on_either_side_of_a_broken_order_fails(
    mini_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_properties(mini_copy, WRONG_WAY)
    (mini_copy / "tests" / "cases.yaml").write_text(
        "cases:\n"
        "  - name: other diagnosis\n"
        f"    answers: {{diagnosis: other, {SAFE}}}\n"
        "    expect: {outcome: check}\n"
        "  - name: condition B\n"
        f"    answers: {{diagnosis: b, {SAFE}}}\n"
        "    expect: {outcome: careful}\n",
        encoding="utf-8",
    )
    assert main(["test", str(mini_copy)]) == 1
    out = capsys.readouterr().out
    assert "FAIL: other diagnosis" in out
    assert "FAIL: condition B" in out
    assert out.count("breaks property evidence-order") == 2


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (("- [b]", "- [bb]"), "error[unknown-option]"),
        (("- [other]", "- [other, b]"), "'b' is in more than one tier"),
        (("question: diagnosis\n      tiers", "question: diagnosys\n      tiers"), "diagnosis"),
        (("    ordered:", "    at_least: careful\n    ordered:"), "takes no 'at_least'"),
        (
            ("      tiers:\n        - [a]\n        - [b]\n        - [other]", "      tiers: [[a]]"),
            "",
        ),
    ],
)
def test_a_wrong_ordering_is_reported_where_it_is_written(
    mini_copy: Path, edit: tuple[str, str], expected: str
) -> None:
    assert edit[0] in ORDERED
    write_properties(mini_copy, ORDERED.replace(*edit))
    with pytest.raises(RuleSetError) as caught:
        load_rule_set(mini_copy)
    messages = [p.format() for p in caught.value.problems]
    assert any(m.startswith(str(mini_copy / "properties.yaml")) for m in messages), messages
    assert any(expected in m for m in messages), messages


def test_a_bound_property_still_needs_a_condition(mini_copy: Path) -> None:
    write_properties(
        mini_copy,
        "properties:\n  - id: p\n    title: t\n    at_least: careful\n",
    )
    with pytest.raises(RuleSetError) as caught:
        load_rule_set(mini_copy)
    assert any("needs 'when'" in p.format() for p in caught.value.problems)


def test_the_bundled_evidence_order_catches_the_uk_basis_without_specialist_referral(
    tmp_path: Path,
) -> None:
    copy = tmp_path / "rules"
    shutil.copytree(BUNDLED, copy)
    path = copy / "rules" / "indications.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  - id: ind-specialist-uk\n")
    end = text.index("  - id: ind-primary-uk\n")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    rule_set = load_rule_set(copy)
    declared = {p.id for p in rule_set.properties}
    failed = []
    for finding in findings(rule_set):  # up to the NICE basis's declared properties
        if finding.property.split(":")[0] in declared and not finding.holds:
            failed.append(finding)
        if finding.property.startswith("nice-evidence-order"):
            break
    assert [f.property.split(":")[0] for f in failed] == ["nice-evidence-order"]
    (finding,) = failed
    assert finding.counterexample is not None
    assert finding.counterexample["diagnosis"] == "crps"
    assert "'diagnosis' = 'sci' gives a more favourable outcome" in finding.message
