"""What the Assessment advises, and how sure it is: cautions and actions of rules that
certainly apply, those of rules that only might (under an "if …" naming the answer),
the safety questions still to check, and the words for the outcome.

A rule's ``advice_when`` limits its cautions and actions to some outcomes, so that no
advice presumes a treatment the outcome rules out. Pure Python, no Qt.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import chain
from typing import Any

from decision_aid.domain.answer_context import AnswerContext
from decision_aid.domain.assessment import (
    DEFAULT_RULE_ID,
    ConditionalAdvice,
    FiredRule,
    StillToCheck,
)
from decision_aid.domain.conditions import AnswerValue
from decision_aid.domain.questionnaire import Answers, Question, QuestionType
from decision_aid.domain.rules import Rule, RuleSet
from decision_aid.domain.truth import Truth

__all__ = [
    "advice_allowed",
    "advice_limits",
    "certain_advice",
    "conditional_advice",
    "outcome_words",
    "still_to_check",
]


def advice_allowed(rule_set: RuleSet, rule_id: str, outcome: str) -> bool:
    """Whether a rule's cautions and actions are given when the outcome is ``outcome``."""
    rule = rule_set.rules_by_id.get(rule_id)
    if rule is None or rule.advice_when is None:
        return True
    ranks = rule_set.level_rank
    return rule.advice_when.allows(ranks, ranks[outcome])


def advice_limits(rule_set: RuleSet) -> dict[str, tuple[int, int]]:
    """Rule id → the lowest and highest outcome rank its advice is given at, for the rules
    that limit it (worked out once per rule set by the engine)."""
    ranks = rule_set.level_rank
    return {
        rule.id: (
            min((r for r in ranks.values() if rule.advice_when.allows(ranks, r)), default=1),
            max((r for r in ranks.values() if rule.advice_when.allows(ranks, r)), default=0),
        )
        for rule in rule_set.rules
        if rule.advice_when is not None
    }


def certain_advice(
    fired: Sequence[FiredRule], rank: int, limits: Mapping[str, tuple[int, int]]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The cautions and actions of the rules that certainly apply, within their limits
    (``rank`` is the outcome's); each text once, in the order of the fired rules."""
    given = [
        f
        for f in fired
        if f.certain
        and (f.cautions or f.actions)
        and (f.rule_id not in limits or limits[f.rule_id][0] <= rank <= limits[f.rule_id][1])
    ]
    if not given:
        return (), ()
    return (
        tuple(dict.fromkeys(chain.from_iterable(f.cautions for f in given))),
        tuple(dict.fromkeys(chain.from_iterable(f.actions for f in given))),
    )


def _heading(rule_set: RuleSet, rule: Rule, answers: Answers, missing: list[str]) -> str:
    """ "If <question>: <answer> or <answer>" for the single answers that make the rule
    apply; otherwise the rule's title and the questions it waits on."""
    # engine imports this module: its helpers are imported when first needed
    from decision_aid.domain.engine import candidate_answers

    questionnaire = rule_set.questionnaire
    parts = []
    for question_id in missing:
        question = questionnaire.by_id[question_id]
        candidates: list[tuple[str, AnswerValue | None]] = list(
            candidate_answers(rule_set, question)
        )
        if question.not_known and question_id not in answers.not_known:
            candidates.append(("Not known", None))
        fitting = [
            label
            for label, value in candidates
            if rule.when.truth(
                AnswerContext(questionnaire, answers.with_answer(question_id, value))
            )
            is Truth.TRUE
        ]
        if fitting and question.type is QuestionType.NUMBER:
            parts.append(f"{question.label}: {_number_range(question, candidates, fitting)}")
        elif fitting:
            parts.append(f"{question.label}: {' or '.join(fitting)}")
    if parts:
        return "If " + "; or if ".join(parts)
    labels = ", ".join(questionnaire.by_id[q].label for q in missing)
    return f"If {rule.title[:1].lower()}{rule.title[1:]} (once known: {labels})"


def _number_range(
    question: Question, candidates: Sequence[tuple[str, object]], fitting: Sequence[str]
) -> str:
    """The fitting boundary values of a number as a range: "17 years or less"."""
    labels = [label for label, _ in candidates if label != "Not known"]
    shown = [label for label in labels if label in fitting]
    if len(shown) == 1:
        return shown[0]
    if shown[0] == labels[0] and question.minimum is not None:
        return f"{shown[-1]} or less"
    if shown[-1] == labels[-1] and question.maximum is not None:
        return f"{shown[0]} or more"
    return f"{shown[0]} to {shown[-1]}"


def conditional_advice(
    rule_set: RuleSet, answers: Answers, fired: Sequence[FiredRule], outcome: str
) -> tuple[ConditionalAdvice, ...]:
    """Advice of the rules that only might apply, each text once, under the "if …" of
    every rule it comes from; advice already certain is left out."""
    rank = rule_set.level_rank[outcome]
    certain_cautions, certain_actions = certain_advice(fired, rank, advice_limits(rule_set))
    context = AnswerContext(rule_set.questionnaire, answers)
    by_text: dict[tuple[str, str], list[tuple[str, tuple[str, ...], str]]] = {}
    for f in fired:
        rule = rule_set.rules_by_id.get(f.rule_id)
        if f.certain or rule is None or f.rule_id == DEFAULT_RULE_ID:
            continue
        if not (rule.cautions or rule.actions) or not advice_allowed(rule_set, rule.id, outcome):
            continue
        missing = [
            q
            for q in dict.fromkeys(rule.when.questions())
            if answers.get(q) is None
            and q in rule_set.questionnaire.by_id
            and context.visibility(q) is not Truth.FALSE
        ]
        heading = _heading(rule_set, rule, answers, missing)
        for kind, texts, known in (
            ("caution", rule.cautions, certain_cautions),
            ("action", rule.actions, certain_actions),
        ):
            for text in texts:
                if text not in known:
                    by_text.setdefault((kind, text), []).append((heading, tuple(missing), rule.id))
    groups: dict[tuple[str, ...], dict[str, Any]] = {}
    for (kind, text), sources in by_text.items():
        headings = tuple(dict.fromkeys(h for h, _, _ in sources))
        group = groups.setdefault(
            headings, {"questions": {}, "rules": {}, "caution": {}, "action": {}}
        )
        for _, questions, rule_id in sources:
            group["questions"].update(dict.fromkeys(questions))
            group["rules"][rule_id] = None
        group[kind][text] = None
    return tuple(
        ConditionalAdvice(
            "; or ".join(headings) if len(headings) == 1 else _joined(headings),
            tuple(group["questions"]),
            tuple(group["rules"]),
            tuple(group["caution"]),
            tuple(group["action"]),
        )
        for headings, group in groups.items()
    )


def _joined(headings: tuple[str, ...]) -> str:
    """Several "If …" as one: "If A; or if B"."""
    return "; or ".join([headings[0], *(h[:1].lower() + h[1:] for h in headings[1:])])


def still_to_check(
    rule_set: RuleSet, answers: Answers, changing: Iterable[str]
) -> tuple[StillToCheck, ...]:
    """Every safety question that is asked (or may be) and not answered or not known."""
    context = AnswerContext(rule_set.questionnaire, answers)
    changes = set(changing)
    questionnaire = rule_set.questionnaire
    found = []
    for question in questionnaire.questions():
        if not question.safety or answers.get(question.id) is not None:
            continue
        if context.visibility(question.id) is Truth.FALSE:
            continue
        status = "not known" if question.id in answers.not_known else "not answered"
        found.append(
            StillToCheck(
                question.id,
                question.label,
                questionnaire.section_of[question.id].id,
                status,
                question.id in changes,
            )
        )
    return tuple(found)


def outcome_words(decided_by: Sequence[str], described: Mapping[str, str]) -> str | None:
    """The deciding rules' own description of the outcome, when every one has one.

    ``described`` maps rule id to its ``outcome_description``. If any deciding rule has
    none (a safety finding, say), the level's own description is used: a rule's words
    must not explain away another reason.
    """
    words = [described.get(rule_id) for rule_id in decided_by]
    if not words or any(w is None for w in words):
        return None
    return " ".join(dict.fromkeys(w for w in words if w is not None))
