"""Answers to questions that are not asked now are set aside, and the assessment says so:
every answered question is either asked (and may count) or listed as set aside."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from decision_aid.cli import main
from decision_aid.domain import Answers, RuleSet, evaluate, load_rule_set, parse_answers
from decision_aid.domain.answer_context import AnswerContext
from decision_aid.domain.engine import candidate_answers
from decision_aid.domain.questionnaire import NOT_KNOWN
from decision_aid.domain.truth import Truth
from decision_aid.present.report import text_report
from decision_aid.present.wording import SET_ASIDE_HEADING
from tests.conftest import BUNDLED, MINI

MINI_RULES = load_rule_set(MINI)
BUNDLED_RULES = load_rule_set(BUNDLED)
SAFE = {"diagnosis": "a", "tried": "yes", "sex": "male", "risk": "none", "age": 40}


@st.composite
def answers_for(draw: st.DrawFn, rule_set: RuleSet) -> Answers:
    """Any answers: each question unanswered, Not known (where offered) or a real answer."""
    answers = Answers()
    for question in rule_set.questionnaire.questions():
        choices: list[object] = [None, *(v for _, v in candidate_answers(rule_set, question))]
        if question.not_known:
            choices.append(NOT_KNOWN)
        picked = draw(st.sampled_from(choices))
        if picked is NOT_KNOWN:
            answers = answers.with_answer(question.id, None)
        elif picked is not None:
            answers = answers.with_answer(question.id, picked)  # type: ignore[arg-type]
    return answers


def _answered(answers: Answers) -> set[str]:
    return set(answers) | set(answers.not_known)


def _check_partition(rule_set: RuleSet, answers: Answers) -> None:
    assessment = evaluate(rule_set, answers)
    set_aside = {a.question_id: a for a in assessment.set_aside}
    context = AnswerContext(rule_set.questionnaire, answers)
    for question_id in _answered(answers):
        asked = context.visibility(question_id) is not Truth.FALSE
        assert asked != (question_id in set_aside), question_id
    assert set(set_aside) <= _answered(answers)
    for question_id, item in set_aside.items():
        expected = NOT_KNOWN if question_id in answers.not_known else answers[question_id]
        assert item.value == expected
        # set aside means it does not count: without it, nothing changes
        without = evaluate(rule_set, answers.without(question_id))
        assert without.outcome == assessment.outcome
        assert [(t.rule_id, t.value) for t in without.trace] == [
            (t.rule_id, t.value) for t in assessment.trace
        ]
    order = [q.id for q in rule_set.questionnaire.questions()]
    assert list(set_aside) == [q for q in order if q in set_aside]


@settings(max_examples=150, deadline=None)
@given(answers=answers_for(MINI_RULES))
def test_every_answer_is_asked_or_set_aside_in_the_mini_rule_set(answers: Answers) -> None:
    _check_partition(MINI_RULES, answers)


@settings(max_examples=60, deadline=None)
@given(answers=answers_for(BUNDLED_RULES))
def test_every_answer_is_asked_or_set_aside_in_the_bundled_rule_set(answers: Answers) -> None:
    _check_partition(BUNDLED_RULES, answers)


def test_a_hidden_answer_is_listed_with_its_answer_in_words() -> None:
    answers = parse_answers(MINI_RULES.questionnaire, {**SAFE, "pregnant": "yes"})
    assessment = evaluate(MINI_RULES, answers)
    assert assessment.outcome.id == "go", "the hidden answer does not count"
    [item] = assessment.set_aside
    assert (item.question_id, item.label, item.answer, item.value) == (
        "pregnant",
        "Pregnancy",
        "Yes",
        "yes",
    )
    assert assessment.as_dict()["set_aside"] == [
        {
            "question_id": "pregnant",
            "label": "Pregnancy",
            "section": "safety",
            "answer": "Yes",
            "value": "yes",
        }
    ]
    report = text_report(assessment, MINI_RULES).splitlines()
    assert report[-2:] == [f"{SET_ASIDE_HEADING}:", "  - Pregnancy [pregnant]: Yes"]


def test_nothing_is_set_aside_when_every_answer_is_asked() -> None:
    answers = parse_answers(MINI_RULES.questionnaire, {**SAFE, "sex": "female", "pregnant": "no"})
    assessment = evaluate(MINI_RULES, answers)
    assert assessment.set_aside == ()
    assert SET_ASIDE_HEADING not in text_report(assessment, MINI_RULES)


def test_a_not_known_answer_to_a_hidden_question_is_set_aside_too() -> None:
    answers = parse_answers(MINI_RULES.questionnaire, {**SAFE, "pregnant": "unknown"})
    [item] = evaluate(MINI_RULES, answers).set_aside
    assert (item.answer, item.value) == ("Not known", "unknown")


def test_evaluate_prints_the_answers_it_set_aside(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({**SAFE, "pregnant": "yes"}))
    assert main(["evaluate", "--rules", str(MINI), str(path), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [a["question_id"] for a in data["set_aside"]] == ["pregnant"]
    assert main(["evaluate", "--rules", str(MINI), str(path)]) == 0
    out = capsys.readouterr().out
    assert f"{SET_ASIDE_HEADING}:\n  - Pregnancy [pregnant]: Yes" in out
