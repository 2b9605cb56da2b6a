"""``evaluate(rule_set, answers, settings) -> Assessment``: pure and deterministic.

How an outcome is reached (DMN's "priority" plus "collect"):

1. Rules whose ``only_for`` does not match the settings are skipped.
2. Each other rule's condition is true, false or unknown (Kleene logic).
3. A true rule fires at its level. An unknown rule fires at its level or at the
   rule set's "assess first" level, whichever is more favourable (``if_unknown:
   fire`` keeps its own level). Notes (rules without a level) fire only when true.
4. If no rule with a level is certainly true, the rule set's default fires, as if it
   were a rule "none of the others applies", judged in the same logic.
5. The most restrictive level among the fired rules is the outcome; cautions,
   actions and citations of every fired rule are collected once each.

Why this keeps "Unknown is not No": Kleene logic is sound, so a rule that fires for
some known answer to a question is true or unknown while that answer is missing,
and therefore still fires, at worst capped at "assess first". A missing answer can
only keep or raise the outcome, up to that cap.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from decision_aid.domain.conditions import AnswerValue, AtLeast, AtMost, TraceNode, walk
from decision_aid.domain.errors import InputError
from decision_aid.domain.questionnaire import Answers, Question, Questionnaire, QuestionType
from decision_aid.domain.rules import IfUnknown, Level, Rule, RuleSet
from decision_aid.domain.truth import Truth

__all__ = [
    "DEFAULT_RULE_ID",
    "AnswerContext",
    "Assessment",
    "CitedReference",
    "FiredRule",
    "MissingItem",
    "RuleSetIdentity",
    "RuleTrace",
    "candidate_answers",
    "evaluate",
    "outcome_of",
    "resolve_settings",
]

DEFAULT_RULE_ID = "default"
"""The id under which the rule set's default outcome appears among fired rules."""


@dataclass(frozen=True)
class RuleSetIdentity:
    id: str
    title: str
    version: str
    status: str
    digest: str
    review_by: date

    def as_dict(self) -> dict[str, str]:
        return {
            "id": self.id,
            "title": self.title,
            "version": self.version,
            "status": self.status,
            "sha256": self.digest,
            "review_by": self.review_by.isoformat(),
        }


@dataclass(frozen=True)
class CitedReference:
    id: str
    short: str
    citation: str
    grade: str | None
    verification: str
    doi: str | None = None
    pmid: str | None = None
    url: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return dict(vars(self))


@dataclass(frozen=True)
class FiredRule:
    """A rule that fired; ``certain`` is false when it fired because its condition is unknown."""

    rule_id: str
    title: str
    level: str | None
    certain: bool
    patient_reason: str
    rationale: str
    unverified: str | None = None
    absolute: bool = False
    cautions: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()
    citations: tuple[CitedReference, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        data = dict(vars(self))
        data["citations"] = [c.as_dict() for c in self.citations]
        data["cautions"], data["actions"] = list(self.cautions), list(self.actions)
        return data


@dataclass(frozen=True)
class RuleTrace:
    """Every rule's verdict and why: ``applies`` is false when the settings exclude it."""

    rule_id: str
    applies: bool
    value: Truth
    contributes: str | None
    explain: Callable[[], TraceNode | None] = field(default=lambda: None, repr=False, compare=False)

    @cached_property
    def explanation(self) -> TraceNode | None:
        """The condition's evaluation in words, worked out on first use (a batch of test
        cases needs only the values; the window, the sheet and failures need the words)."""
        return self.explain()

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "applies": self.applies,
            "value": str(self.value),
            "contributes": self.contributes,
            "explanation": self.explanation.as_dict() if self.explanation else None,
        }


@dataclass(frozen=True)
class MissingItem:
    """An unknown or unanswered question that could change the outcome, and how."""

    question_id: str
    label: str
    section_id: str
    status: str
    changes: tuple[tuple[str, str], ...]
    """(answer in words, the level that answer would give), for answers that change it."""

    def changes_in_words(self, levels: Mapping[str, Level], arrow: str = "→") -> str:
        """ "Yes → Not suitable at the moment; No → …", with each level's plain words."""
        return "; ".join(
            f"{answer} {arrow} {levels[level].label}" for answer, level in self.changes
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "question_id": self.question_id,
            "label": self.label,
            "section": self.section_id,
            "status": self.status,
            "changes": [{"answer": a, "outcome": level} for a, level in self.changes],
        }


@dataclass(frozen=True)
class Assessment:
    """The whole result: what the GUI, the sheet and the CLI all read."""

    rule_set: RuleSetIdentity
    settings: tuple[tuple[str, str], ...]
    outcome: Level
    decided_by: tuple[str, ...]
    fired: tuple[FiredRule, ...]
    cautions: tuple[str, ...]
    actions: tuple[str, ...]
    citations: tuple[CitedReference, ...]
    trace: tuple[RuleTrace, ...] = field(repr=False)
    compute_missing: Callable[[], tuple[MissingItem, ...]] = field(repr=False, compare=False)

    @cached_property
    def missing(self) -> tuple[MissingItem, ...]:
        """What is still missing, worked out on first use: it tries every missing answer,
        which the window and the sheet need but a batch of test cases does not."""
        return self.compute_missing()

    @property
    def fired_ids(self) -> tuple[str, ...]:
        return tuple(f.rule_id for f in self.fired)

    def as_dict(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome.id,
            "outcome_label": self.outcome.label,
            "decided_by": list(self.decided_by),
            "settings": dict(self.settings),
            "fired": [f.as_dict() for f in self.fired],
            "missing": [m.question_id for m in self.missing],
            "missing_detail": [m.as_dict() for m in self.missing],
            "cautions": list(self.cautions),
            "actions": list(self.actions),
            "citations": [c.as_dict() for c in self.citations],
            "rule_set": self.rule_set.as_dict(),
            "trace": [t.as_dict() for t in self.trace],
        }


class AnswerContext:
    """Answers seen through the questionnaire: visibility is computed once per question."""

    def __init__(self, questionnaire: Questionnaire, answers: Answers) -> None:
        self._questionnaire = questionnaire
        self._answers = answers
        self._visible: dict[str, Truth] = {}

    def visibility(self, question_id: str) -> Truth:
        value = self._visible.get(question_id)
        if value is None:
            question = self._questionnaire.by_id.get(question_id)
            condition = question.show_when if question is not None else None
            value = Truth.TRUE if condition is None else condition.truth(self)
            self._visible[question_id] = value
        return value

    def answer(self, question_id: str) -> AnswerValue | None:
        return self._answers.get(question_id)

    def answer_text(self, question_id: str) -> str:
        value = self._answers.get(question_id)
        if value is None:
            return "not known" if question_id in self._answers.not_known else "not answered"
        questionnaire = self._questionnaire
        if isinstance(value, tuple):
            return "answer: " + ", ".join(questionnaire.option_label(question_id, v) for v in value)
        if isinstance(value, str):
            return "answer: " + questionnaire.option_label(question_id, value)
        question = questionnaire.by_id[question_id]
        return f"answer: {value:g}" + (f" {question.unit}" if question.unit else "")


def resolve_settings(rule_set: RuleSet, given: Mapping[str, str] | None = None) -> dict[str, str]:
    """The rule set's defaults overlaid with ``given``; unknown names raise :class:`InputError`."""
    settings = rule_set.default_settings()
    for name, value in (given or {}).items():
        setting = rule_set.setting(name)
        if setting is None:
            known = ", ".join(settings) or "none"
            raise InputError(f"'{name}' is not a setting of this rule set (settings: {known})")
        if setting.choice(value) is None:
            choices = ", ".join(c.id for c in setting.choices)
            raise InputError(f"'{value}' is not a choice of '{name}' (choices: {choices})")
        settings[name] = value
    return settings


def _applies(rule: Rule, settings: Mapping[str, str]) -> bool:
    return all(settings.get(name) in choices for name, choices in rule.only_for.items())


def _contribution(rule_set: RuleSet, rank: int, value: Truth, if_unknown: IfUnknown) -> int | None:
    if value is Truth.TRUE:
        return rank
    if value is Truth.UNKNOWN:
        cap = rule_set.level_rank[rule_set.info.assess_first]
        return rank if if_unknown is IfUnknown.FIRE else min(rank, cap)
    return None


def _verdicts(
    rule_set: RuleSet, context: AnswerContext, settings: Mapping[str, str]
) -> Iterator[tuple[Rule | None, Truth, int | None]]:
    """(rule, value, contributed rank) for each applicable rule, then ``None`` for the default."""
    ranks = rule_set.level_rank
    certain = possible = False
    for rule in rule_set.rules:
        if not _applies(rule, settings):
            continue
        value = rule.when.truth(context)
        if rule.outcome is None:
            yield rule, value, None
            continue
        certain = certain or value is Truth.TRUE
        possible = possible or value is Truth.UNKNOWN
        yield rule, value, _contribution(rule_set, ranks[rule.outcome], value, rule.if_unknown)
    default_value = Truth.FALSE if certain else (Truth.UNKNOWN if possible else Truth.TRUE)
    default_rank = ranks[rule_set.info.default_outcome]
    yield (
        None,
        default_value,
        _contribution(rule_set, default_rank, default_value, IfUnknown.ASSESS_FIRST),
    )


def outcome_of(rule_set: RuleSet, answers: Answers, settings: Mapping[str, str]) -> str:
    """Only the outcome level id: the fast path for "what would this answer change"."""
    context = AnswerContext(rule_set.questionnaire, answers)
    ranks = [rank for _, _, rank in _verdicts(rule_set, context, settings) if rank is not None]
    return rule_set.info.levels[max(ranks)].id


def _step(question: Question) -> float:
    return 1.0 if question.integer else 0.1


def candidate_answers(rule_set: RuleSet, question: Question) -> list[tuple[str, AnswerValue]]:
    """Known answers worth trying for ``question``: every option, or each number boundary."""
    if question.type is QuestionType.NUMBER:
        values = {question.minimum, question.maximum}

        def visit(node: object, _path: object, _negated: bool) -> None:
            if isinstance(node, AtLeast) and node.question == question.id:
                values.update({node.at_least, node.at_least - _step(question)})
            elif isinstance(node, AtMost) and node.question == question.id:
                values.update({node.at_most, node.at_most + _step(question)})

        for rule in rule_set.rules:
            walk(rule.when, visit)
        for other in rule_set.questionnaire.questions():
            if other.show_when is not None:
                walk(other.show_when, visit)
        low = question.minimum if question.minimum is not None else float("-inf")
        high = question.maximum if question.maximum is not None else float("inf")
        unit = f" {question.unit}" if question.unit else ""
        return [
            (f"{v:g}{unit}", float(v))
            for v in sorted(v for v in values if v is not None and low <= v <= high)
        ]
    options: list[tuple[str, AnswerValue]] = [
        (o.label, (o.id,) if question.type is QuestionType.MULTIPLE else o.id)
        for o in question.choices
    ]
    if question.type is QuestionType.MULTIPLE:
        together = tuple(o.id for o in question.choices if not o.exclusive)
        if len(together) > 1:
            options.append(
                (
                    "all of " + ", ".join(o.label for o in question.choices if not o.exclusive),
                    together,
                )
            )
    return options


def _missing(
    rule_set: RuleSet,
    context: AnswerContext,
    answers: Answers,
    settings: Mapping[str, str],
    current: str,
) -> tuple[MissingItem, ...]:
    ranks = rule_set.level_rank
    found: list[tuple[int, int, MissingItem]] = []
    questionnaire = rule_set.questionnaire
    decisive = rule_set.decisive_questions
    for order, question in enumerate(questionnaire.questions()):
        if question.id not in decisive or question.id in answers:
            continue
        if context.visibility(question.id) is Truth.FALSE:
            continue
        changes = []
        for label, value in candidate_answers(rule_set, question):
            level = outcome_of(rule_set, answers.with_answer(question.id, value), settings)
            if level != current:
                changes.append((label, level))
        if changes:
            status = "not known" if question.id in answers.not_known else "not answered"
            item = MissingItem(
                question.id,
                question.label,
                questionnaire.section_of[question.id].id,
                status,
                tuple(changes),
            )
            found.append((min(ranks[level] for _, level in changes), order, item))
    return tuple(item for _, _, item in sorted(found, key=lambda f: (f[0], f[1])))


_CITED: dict[tuple[str, str], tuple[CitedReference, ...]] = {}


def _cite(rule_set: RuleSet, rule: Rule) -> tuple[CitedReference, ...]:
    """A rule's citations, built once per rule set (they are the same on every evaluation)."""
    key = (rule_set.digest, rule.id)
    if key not in _CITED:
        _CITED[key] = _build_citations(rule_set, rule)
    return _CITED[key]


def _build_citations(rule_set: RuleSet, rule: Rule) -> tuple[CitedReference, ...]:
    cited = []
    for citation in rule.citations:
        reference = rule_set.references_by_id.get(citation.ref)
        if reference is not None:
            cited.append(
                CitedReference(
                    reference.id,
                    reference.short,
                    reference.citation,
                    citation.grade,
                    str(reference.verification),
                    reference.doi,
                    reference.pmid,
                    reference.url,
                )
            )
    return tuple(cited)


DEFAULT_RATIONALE = (
    "No rule with an outcome certainly applies to these answers, so the rule set's default "
    "outcome is given. Check the answers; a rule author may need to cover this case."
)


def _default_fired(rule_set: RuleSet, level: str | None, value: Truth) -> FiredRule:
    return FiredRule(
        DEFAULT_RULE_ID,
        "No other rule applies",
        level,
        value is Truth.TRUE,
        rule_set.info.default_reason,
        DEFAULT_RATIONALE,
    )


def _fired(rule_set: RuleSet, rule: Rule, level: str | None, value: Truth) -> FiredRule:
    return FiredRule(
        rule.id,
        rule.title,
        level,
        value is Truth.TRUE,
        rule.patient_reason,
        rule.rationale,
        rule.unverified,
        rule.absolute,
        rule.cautions,
        rule.actions,
        _cite(rule_set, rule),
    )


def evaluate(
    rule_set: RuleSet, answers: Answers, settings: Mapping[str, str] | None = None
) -> Assessment:
    """Assess the answers under the rule set; pure, deterministic, no I/O."""
    resolved = resolve_settings(rule_set, settings)
    context = AnswerContext(rule_set.questionnaire, answers)
    levels = rule_set.info.levels
    fired: list[tuple[int, FiredRule]] = []
    verdicts = {
        rule.id if rule else DEFAULT_RULE_ID: (rule, value, rank)
        for rule, value, rank in _verdicts(rule_set, context, resolved)
    }
    trace: list[RuleTrace] = []
    for rule_id in (*rule_set.rules_by_id, DEFAULT_RULE_ID):
        if rule_id not in verdicts:
            trace.append(RuleTrace(rule_id, False, Truth.FALSE, None))
            continue
        rule, value, rank = verdicts[rule_id]
        level = levels[rank].id if rank is not None else None
        explain = (
            (lambda when=rule.when: when.explain(context, rule_set.questionnaire))
            if rule
            else (lambda: None)
        )
        trace.append(RuleTrace(rule_id, True, value, level, explain))
        if rule is None:
            if rank is not None:
                fired.append((rank, _default_fired(rule_set, level, value)))
        elif rank is not None or value is Truth.TRUE:
            fired.append((-1 if rank is None else rank, _fired(rule_set, rule, level, value)))
    top = max(rank for rank, _ in fired)
    outcome = levels[top]
    ordered = [f for _, f in sorted(fired, key=lambda item: -item[0])]
    return Assessment(
        rule_set=RuleSetIdentity(
            rule_set.info.id,
            rule_set.info.title,
            rule_set.info.version,
            str(rule_set.info.status),
            rule_set.digest,
            rule_set.info.review_by,
        ),
        settings=tuple(sorted(resolved.items())),
        outcome=outcome,
        decided_by=tuple(f.rule_id for rank, f in fired if rank == top),
        fired=tuple(ordered),
        cautions=tuple(dict.fromkeys(c for f in ordered for c in f.cautions)),
        actions=tuple(dict.fromkeys(a for f in ordered for a in f.actions)),
        citations=tuple(dict.fromkeys(c for f in ordered for c in f.citations)),
        trace=tuple(trace),
        compute_missing=lambda: _missing(rule_set, context, answers, resolved, outcome.id),
    )
