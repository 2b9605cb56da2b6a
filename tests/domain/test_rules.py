"""The rule set: copies that stay true, and the one ranking of rules into an outcome."""

from __future__ import annotations

from decision_aid.domain import Answers, evaluate, load_rule_set
from decision_aid.domain.rules import IfUnknown
from decision_aid.domain.truth import Truth
from tests.conftest import MINI

RULES = load_rule_set(MINI)


def test_a_copy_with_other_rules_derives_everything_from_them() -> None:
    assert "r-young" in RULES.rules_by_id  # the original's derived state is worked out
    assert "age" in RULES.decisive_questions
    evaluate(RULES, Answers())
    kept = tuple(r for r in RULES.rules if r.id not in ("r-young", "r-unknown"))
    fewer = RULES.model_copy(update={"rules": kept})
    assert "r-young" not in fewer.rules_by_id
    assert "age" not in fewer.decisive_questions
    assert [t.rule_id for t in evaluate(fewer, Answers()).trace][:-1] == [r.id for r in kept]
    assert "r-young" in RULES.rules_by_id  # and the original keeps its own


def test_a_copy_of_a_questionnaire_derives_its_index_from_its_own_sections() -> None:
    questionnaire = RULES.questionnaire
    assert "age" in questionnaire.by_id
    first = questionnaire.model_copy(update={"sections": questionnaire.sections[:1]})
    assert "age" not in first.by_id
    assert set(first.by_id) == {"diagnosis", "tried"}


def test_a_rule_contributes_by_its_value_and_its_unknown_handling() -> None:
    risk = RULES.rules_by_id["r-risk"]  # "stop", the most restrictive level
    ranks = RULES.level_rank
    assert RULES.contribution(risk, Truth.TRUE) == ranks["stop"]
    assert RULES.contribution(risk, Truth.UNKNOWN) == ranks["check"]  # capped at assess first
    assert RULES.contribution(risk, Truth.FALSE) is None
    firing = risk.model_copy(update={"if_unknown": IfUnknown.FIRE})
    assert RULES.contribution(firing, Truth.UNKNOWN) == ranks["stop"]
    assert RULES.contribution(None, Truth.TRUE) == ranks["check"]  # the default
    assert RULES.contribution(RULES.rules_by_id["r-goals"], Truth.TRUE) is None  # a note


def test_the_default_applies_only_when_no_rule_with_an_outcome_can() -> None:
    assert RULES.default_value([]) is Truth.TRUE
    assert RULES.default_value([Truth.FALSE, Truth.UNKNOWN]) is Truth.UNKNOWN
    assert RULES.default_value([Truth.UNKNOWN, Truth.TRUE]) is Truth.FALSE
    go = RULES.rules_by_id["r-go"]
    assert RULES.outcome_rank([(go, Truth.TRUE)]) == RULES.level_rank["go"]
    assert RULES.outcome_rank([(go, Truth.UNKNOWN)]) == RULES.level_rank["check"]
