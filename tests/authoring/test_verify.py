"""verify: properties proved over every answer set, with counterexamples that reproduce."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from decision_aid.authoring.mutate import mutants
from decision_aid.authoring.verify import Finding, encoded_outcome, findings, verify
from decision_aid.cli import main
from decision_aid.domain import (
    Answers,
    Assessment,
    RuleSet,
    evaluate,
    load_rule_set,
    outcome_of,
    parse_answers,
)
from tests.conftest import BUNDLED
from tests.domain.test_unknown_is_not_no import answers_for

RULES = load_rule_set(BUNDLED)


def test_the_bundled_rule_set_is_proved_safe(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", str(BUNDLED)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "113/113 properties proved over every answer set"
    )


def test_a_false_absolute_mark_fails_with_a_counterexample_that_reproduces() -> None:
    # check refuses such a file (absolute-level); a mutant is built past the checks.
    rules = tuple(
        r.model_copy(update={"absolute": True}) if r.id == "ci-cvd-risk" else r for r in RULES.rules
    )
    rule_set = RULES.model_copy(update={"rules": rules})
    failed = [f for f in verify(rule_set) if not f.holds]
    assert {f.property for f in failed} == {"absolute contraindication (ci-cvd-risk)"}
    for finding in failed:
        assert finding.counterexample is not None
        answers = parse_answers(rule_set.questionnaire, finding.counterexample)
        assessment = evaluate(rule_set, answers, finding.settings)
        fired = {f.rule_id: f for f in assessment.fired}
        assert fired["ci-cvd-risk"].certain
        assert assessment.outcome.id != "not_suitable_now"


def copy_of_bundled(tmp_path: Path, file: str, old: str, new: str) -> Path:
    """A copy of the bundled rule set with one edit to one file."""
    copy = tmp_path / "rules"
    shutil.copytree(BUNDLED, copy)
    path = copy / file
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return copy


def reproduces(rule_set: RuleSet, finding: Finding) -> Assessment:
    """The counterexample, run through the engine exactly as `decision-aid evaluate` would."""
    assert finding.counterexample is not None
    answers = parse_answers(rule_set.questionnaire, finding.counterexample)
    return evaluate(rule_set, answers, finding.settings)


def test_deleting_a_contraindication_rule_fails_with_a_counterexample(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    safety = "rules/safety.yaml"
    text = (BUNDLED / safety).read_text()
    start = text.index("  - id: ci-preg\n")
    end = text.index("  - id: ci-preg-unknown\n")
    copy = copy_of_bundled(tmp_path, safety, text[start:end], "")
    rule_set = load_rule_set(copy)
    failed = [f for f in verify(rule_set) if not f.holds]
    assert {f.property.split(":")[0] for f in failed} == {"pregnancy-rules-out"}
    for finding in failed:
        assessment = reproduces(rule_set, finding)
        assert finding.counterexample is not None
        assert finding.counterexample["pregnancy"] == "pregnant"
        assert assessment.outcome.id != "not_suitable_now"
    assert main(["verify", str(copy)]) == 1
    out = capsys.readouterr().out
    assert f"{copy / 'properties.yaml'}:12:5: FAILED: pregnancy-rules-out" in out
    # The counterexample answers as few questions as it can: pregnancy alone.
    assert (
        "  counterexample (an answers file for decision-aid evaluate):\n"
        "    pregnancy: pregnant\n"
        "  the engine gives: refer_first"
    ) in out
    assert "the engine gives: " in out
    assert "the engine gives: not_suitable_now" not in out


def test_permissive_unknown_handling_in_the_rule_set_fails_with_a_counterexample(
    tmp_path: Path,
) -> None:
    # "Assess first" lowered to a favourable level (to the most favourable one, check
    # refuses it: level-order), and the rule that catches an unknown safety answer deleted:
    # an unknown contraindication now reads as "worth discussing, with cautions". The
    # built-in Unknown-is-not-No property is relative to "assess first", so it is the
    # declared properties that must catch this.
    copy = copy_of_bundled(
        tmp_path, "ruleset.yaml", "assess_first: refer_first", "assess_first: discuss_with_caution"
    )
    safety = copy / "rules" / "safety.yaml"
    text = safety.read_text()
    safety.write_text(text[: text.index("  - id: any-unknown-safety")])
    rule_set = load_rule_set(copy)
    failed = [f for f in verify(rule_set) if not f.holds]
    names = {f.property.split(":")[0] for f in failed}
    assert "safety-unknown-needs-checks" in names
    ordered = {p.id for p in rule_set.properties if p.ordered is not None}
    for finding in failed:
        if finding.property.split(":")[0] in ordered:
            continue  # its counterexample is one of a pair: test_ordered_properties.py
        assessment = reproduces(rule_set, finding)
        assert rule_set.level_rank[assessment.outcome.id] < rule_set.level_rank["refer_first"]


def test_verify_catches_permissive_unknown_handling() -> None:
    # The rule that needs an escort home, changed so that an unknown answer reads as "no
    # match" (mutate's unknown-read-as-no): leaving the question unanswered now gives a
    # more favourable outcome than answering "no".
    (permissive,) = [
        m.rule_set for m in mutants(RULES, {"prac-escort"}) if m.operator == "unknown-read-as-no"
    ]
    name = "unknown is not no (escort_home)"
    finding = next(f for f in findings(permissive) if f.property == name)
    assert not finding.holds
    assert finding.counterexample is not None
    assert finding.counterexample["escort_home"] == "unknown"
    assert next(f for f in findings(RULES) if f.property == name).holds


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers=answers_for(RULES), basis=st.sampled_from(["asra_2018", "nice_ng193"]))
def test_the_encoding_agrees_with_the_engine(answers: Answers, basis: str) -> None:
    chosen = {"guideline_basis": basis}
    assert encoded_outcome(RULES, answers, chosen) == outcome_of(RULES, answers, chosen)
