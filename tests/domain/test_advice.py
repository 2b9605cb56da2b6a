"""What the Assessment advises and how sure it is (issue 13): certain and conditional
advice apart, advice kept to the outcome, every open safety question listed, and a
rule's own words for the outcome."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from decision_aid.domain import Answers, Assessment, evaluate, load_rule_set, parse_answers
from decision_aid.domain.advice import advice_allowed
from decision_aid.domain.answer_context import AnswerContext
from decision_aid.domain.errors import RuleSetError
from decision_aid.domain.truth import Truth
from tests.conftest import BUNDLED
from tests.domain.test_unknown_is_not_no import answers_for

RULES = load_rule_set(BUNDLED)
BASES = ["asra_2018", "nice_ng193"]


def assess(answers: Mapping[str, object], basis: str = "asra_2018") -> Assessment:
    return evaluate(RULES, parse_answers(RULES.questionnaire, answers), {"guideline_basis": basis})


def test_with_one_answer_the_advice_of_rules_that_only_might_apply_is_conditional() -> None:
    assessment = assess({"diagnosis": "crps"})
    uncertain = {f.rule_id for f in assessment.fired if not f.certain}
    assert "Record how the Budapest criteria were met" not in assessment.actions
    assert "Optimise cardiovascular control, then reassess" not in assessment.actions
    by_heading = {c.heading: c for c in assessment.conditional}
    budapest = by_heading["If Budapest criteria: Yes"]
    assert budapest.rule_ids == ("ind-crps",)
    assert budapest.questions == ("crps_budapest",)
    assert "Record how the Budapest criteria were met" in budapest.actions
    assert (
        "Optimise cardiovascular control, then reassess"
        in by_heading[
            "If Heart and blood pressure: Poorly controlled heart disease or high blood pressure"
        ].actions
    )
    assert "If Age: 17 years or less" in by_heading
    assert {r for c in assessment.conditional for r in c.rule_ids} <= uncertain


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers=answers_for(RULES))
def test_certain_advice_comes_only_from_rules_that_certainly_apply(answers: Answers) -> None:
    for basis in BASES:
        assessment = evaluate(RULES, answers, {"guideline_basis": basis})
        outcome = assessment.outcome.id
        certain = [
            f for f in assessment.fired if f.certain and advice_allowed(RULES, f.rule_id, outcome)
        ]
        assert set(assessment.actions) == {a for f in certain for a in f.actions}
        assert set(assessment.cautions) == {c for f in certain for c in f.cautions}
        uncertain = {f.rule_id for f in assessment.fired if not f.certain}
        for advice in assessment.conditional:
            assert advice.heading.startswith("If ")
            assert set(advice.rule_ids) <= uncertain
            assert not set(advice.actions) & set(assessment.actions)
            assert not set(advice.cautions) & set(assessment.cautions)
            assert all(advice_allowed(RULES, r, outcome) for r in advice.rule_ids)
            for question_id in advice.questions:
                assert answers.get(question_id) is None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers=answers_for(RULES))
def test_every_open_safety_question_is_still_to_check(answers: Answers) -> None:
    assessment = evaluate(RULES, answers)
    context = AnswerContext(RULES.questionnaire, answers)
    expected = [
        q.id
        for q in RULES.questionnaire.questions()
        if q.safety and answers.get(q.id) is None and context.visibility(q.id) is not Truth.FALSE
    ]
    assert [c.question_id for c in assessment.to_check] == expected
    changing = {m.question_id for m in assessment.missing}
    for item in assessment.to_check:
        assert item.changes_outcome == (item.question_id in changing)
        assert item.status == (
            "not known" if item.question_id in answers.not_known else "not answered"
        )
    safety = {q.id for q in RULES.questionnaire.questions() if q.safety}
    assert changing & safety <= {c.question_id for c in assessment.to_check}


def test_pregnancy_not_known_is_still_to_check_when_it_cannot_change_the_outcome() -> None:
    answers = {
        "diagnosis": "crps",
        "crps_budapest": "yes",
        "cardiovascular": "poorly_controlled",
        "pregnancy": "unknown",
    }
    assessment = assess(answers)
    assert assessment.outcome.id == "not_suitable_now"
    assert "pregnancy" not in {m.question_id for m in assessment.missing}
    item = next(c for c in assessment.to_check if c.question_id == "pregnancy")
    assert (item.status, item.changes_outcome) == ("not known", False)
    data = assessment.as_dict()
    assert {"question_id": "pregnancy", "changes_outcome": False}.items() <= next(
        c for c in data["still_to_check"] if c["question_id"] == "pregnancy"
    ).items()


def test_treatment_advice_is_withheld_when_the_outcome_rules_treatment_out() -> None:
    answers = {"diagnosis": "crps", "crps_budapest": "yes", "cardiovascular": "poorly_controlled"}
    goal = "Agree a measurable goal (pain and function) before starting, to judge any response"
    assert goal not in assess(answers).actions
    assert goal in assess({**answers, "cardiovascular": "none"}).actions


def test_a_guideline_refusal_is_described_as_such_but_not_over_a_safety_finding() -> None:
    fibromyalgia = {"diagnosis": "fibromyalgia", "age": 40}
    nice = assess(fibromyalgia, "nice_ng193")
    assert nice.outcome.id == "not_suitable_now"
    assert nice.outcome_description == RULES.rules_by_id["ind-primary-uk"].outcome_description
    assert "not about your safety" in nice.outcome_description
    assert nice.as_dict()["outcome_description"] == nice.outcome_description
    pregnant = assess({**fibromyalgia, "pregnancy": "pregnant"}, "nice_ng193")
    assert pregnant.outcome_description == pregnant.outcome.description
    asra = assess({"diagnosis": "crps", "crps_budapest": "yes"})
    assert asra.outcome_description == asra.outcome.description


def _with_limit(copy: Path, limit: str) -> None:
    path = copy / "rules" / "indications.yaml"
    text = path.read_text(encoding="utf-8")
    marker = "    citations:\n      - {ref: cohen2018, grade: B}\n      - sigtermans2009"
    assert marker in text
    path.write_text(text.replace(marker, f"    advice_when: {limit}\n{marker}", 1), "utf-8")


@pytest.mark.parametrize(
    ("limit", "code"),
    [
        ("{}", "schema"),
        ("{at_most: refer_frist}", "unknown-level"),
        ("{at_least: not_suitable_now, at_most: refer_first}", "empty-limit"),
    ],
)
def test_check_refuses_a_limit_that_names_no_level(
    bundled_copy: Path, limit: str, code: str
) -> None:
    text = (bundled_copy / "rules" / "indications.yaml").read_text(encoding="utf-8")
    (bundled_copy / "rules" / "indications.yaml").write_text(
        text.replace("    advice_when: {at_most: refer_first}\n", "", 1), "utf-8"
    )
    _with_limit(bundled_copy, limit)
    with pytest.raises(RuleSetError) as raised:
        load_rule_set(bundled_copy)
    problems = raised.value.problems
    assert any(p.code == code and p.file.endswith("indications.yaml") for p in problems), problems
