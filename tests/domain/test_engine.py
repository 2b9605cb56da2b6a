"""The engine: priority and collect, unknowns, the default, missing information, the trace."""

from __future__ import annotations

import random

import pytest

from decision_aid.domain import Answers, InputError, evaluate, load_rule_set, parse_answers
from decision_aid.domain.assessment import DEFAULT_RULE_ID
from decision_aid.domain.engine import outcome_of
from decision_aid.domain.truth import Truth
from tests.conftest import MINI

RULES = load_rule_set(MINI)
SAFE = {"diagnosis": "a", "tried": "yes", "sex": "male", "risk": "none", "age": 40}


def assess(settings: dict[str, str] | None = None, **changes: object):  # type: ignore[no-untyped-def]
    raw = {**SAFE, **changes}
    answers = parse_answers(RULES.questionnaire, {k: v for k, v in raw.items() if v is not None})
    return evaluate(RULES, answers, settings)


def test_a_clean_case_gets_the_favourable_outcome_from_its_rule() -> None:
    result = assess()
    assert result.outcome.id == "go"
    assert result.fired_ids == ("r-go",)
    assert result.decided_by == ("r-go",)
    assert result.missing == ()


def test_the_most_restrictive_fired_level_wins_and_everything_is_collected() -> None:
    result = assess(risk="controlled", diagnosis="b")
    assert result.outcome.id == "careful"
    assert set(result.fired_ids) == {"r-careful", "r-risk-ok"}
    assert result.cautions == ("Weak evidence",)
    assert result.actions == ("Baseline ECG",)
    assert [c.id for c in result.citations] == ["src"]


def test_an_absolute_contraindication_overrides_a_favourable_rule() -> None:
    result = assess(sex="female", pregnant="yes")
    assert result.outcome.id == "stop"
    assert result.decided_by == ("r-preg",)
    assert result.fired[0].absolute


def test_a_restrictive_rule_that_is_unknown_gives_assess_first() -> None:
    result = assess(risk="unknown")
    assert result.outcome.id == "check"
    risk = next(f for f in result.fired if f.rule_id == "r-risk")
    assert (risk.level, risk.certain) == ("check", False)
    assert {"r-unknown", "r-risk"} <= set(result.fired_ids)


def test_an_unknown_favourable_rule_cannot_make_the_outcome_favourable() -> None:
    result = assess(diagnosis="unknown")
    assert result.outcome.id == "check"
    assert DEFAULT_RULE_ID in result.fired_ids
    default = next(f for f in result.fired if f.rule_id == DEFAULT_RULE_ID)
    assert not default.certain
    assert default.patient_reason == "No rule covers these answers."


def test_the_default_fires_when_no_rule_applies() -> None:
    result = assess(settings={"basis": "us"}, tried=None, diagnosis="a")
    assert result.outcome.id == "check"
    assert DEFAULT_RULE_ID in result.fired_ids


def test_settings_select_rules_and_are_recorded() -> None:
    result = assess(settings={"basis": "uk"})
    assert result.outcome.id == "stop"
    assert result.fired_ids == ("r-uk-a",)
    assert result.settings == (("basis", "uk"),)
    trace = {t.rule_id: t for t in result.trace}
    assert not trace["r-go"].applies
    assert trace["r-uk-a"].applies


def test_unknown_settings_are_refused() -> None:
    with pytest.raises(InputError, match="'mars' is not a choice of 'basis' \\(choices: us, uk\\)"):
        assess(settings={"basis": "mars"})
    with pytest.raises(InputError, match="'planet' is not a setting"):
        assess(settings={"planet": "mars"})


def test_a_hidden_questions_stale_answer_never_counts() -> None:
    result = assess(sex="male", pregnant="yes")
    assert result.outcome.id == "go"
    assert "r-preg" not in result.fired_ids


def test_notes_fire_only_when_true_and_never_set_the_outcome() -> None:
    result = assess(goals=["pain", "sleep"])
    assert result.outcome.id == "go"
    assert set(result.fired_ids) == {"r-go", "r-goals"}
    note = next(f for f in result.fired if f.rule_id == "r-goals")
    assert note.level is None
    assert "r-goals" not in assess(goals=["pain"]).fired_ids


def test_missing_lists_what_would_change_the_outcome_most_favourable_first() -> None:
    result = assess(sex="female", risk="unknown", age=None)
    assert result.outcome.id == "check"
    # Age is missing too, but no answer to it alone can change the outcome.
    assert [(m.question_id, m.status) for m in result.missing] == [
        ("pregnant", "not answered"),
        ("risk", "not known"),
    ]
    by_id = {m.question_id: m for m in result.missing}
    assert by_id["pregnant"].changes == (("Yes", "stop"),)
    assert by_id["risk"].changes == (("Poorly controlled", "stop"),)


def test_missing_gives_the_answer_that_settles_it() -> None:
    result = assess(sex="female", pregnant="unknown")
    assert result.outcome.id == "check"
    (item,) = result.missing
    assert item.question_id == "pregnant"
    assert item.changes == (("Yes", "stop"), ("No", "go"))


def test_number_boundaries_are_tried_for_missing_numbers() -> None:
    result = assess(age=None)
    (item,) = result.missing
    assert item.question_id == "age"
    assert item.changes == (("18 years", "go"), ("120 years", "go"))


def test_the_trace_records_every_rule_with_its_value_and_reasons() -> None:
    result = assess(risk="unknown")
    trace = {t.rule_id: t for t in result.trace}
    assert list(trace) == [*RULES.rules_by_id, DEFAULT_RULE_ID]
    assert trace["r-risk"].value is Truth.UNKNOWN
    assert trace["r-risk"].contributes == "check"
    assert trace["r-preg"].value is Truth.FALSE
    explanation = result.explanation("r-risk")
    assert explanation is not None
    assert list(explanation.lines()) == [
        "Risk is \u201cPoorly controlled\u201d (not known): unknown"
    ]


def test_evaluation_is_deterministic_and_independent_of_rule_order() -> None:
    answers = parse_answers(RULES.questionnaire, {**SAFE, "risk": "unknown", "diagnosis": "b"})
    first = evaluate(RULES, answers)
    assert evaluate(RULES, answers) == first
    rules = list(RULES.rules)
    random.Random(7).shuffle(rules)
    shuffled = RULES.model_copy(update={"rules": tuple(rules)})
    other = evaluate(shuffled, answers)
    assert other.outcome == first.outcome
    assert set(other.fired_ids) == set(first.fired_ids)
    assert set(other.cautions) == set(first.cautions)


def test_outcome_of_agrees_with_evaluate() -> None:
    for risk in ("none", "controlled", "poor"):
        answers = parse_answers(RULES.questionnaire, {**SAFE, "risk": risk})
        assert (
            outcome_of(RULES, answers, RULES.default_settings())
            == evaluate(RULES, answers).outcome.id
        )


def test_the_assessment_is_frozen() -> None:
    result = assess()
    with pytest.raises(AttributeError):
        result.outcome = result.outcome


def test_as_dict_has_the_documented_keys() -> None:
    data = assess().as_dict()
    assert {
        "outcome",
        "outcome_label",
        "fired",
        "missing",
        "cautions",
        "citations",
        "rule_set",
    } <= set(data)
    assert data["rule_set"] == {
        "id": "mini",
        "title": "A small rule set for tests",
        "version": "1.0.0",
        "status": "draft",
        "sha256": RULES.digest,
        "review_by": "2027-01-01",
    }


def test_answers_unknown_versus_unanswered_are_kept_apart() -> None:
    answers = Answers({"diagnosis": "a"}).with_answer("risk", None)
    assert "risk" in answers.not_known
    assert answers.without("risk").not_known == frozenset()
    assert answers.to_data() == {"diagnosis": "a", "risk": "unknown"}
