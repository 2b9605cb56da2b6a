"""``evaluate(rule_set, answers, settings) -> Assessment``: pure and deterministic.

How an outcome is reached (DMN's "priority" plus "collect"):

1. Rules whose ``only_for`` does not match the settings are skipped.
2. Each other rule's condition is true, false or unknown (Kleene logic).
3. A true rule fires at its level. An unknown rule fires at its level or at the
   rule set's "assess first" level, whichever is more favourable (``if_unknown:
   fire`` keeps its own level). Notes (rules without a level) fire only when true.
4. If no rule with a level is certainly true, the rule set's default fires, as if it
   were a rule "none of the others applies", judged in the same logic.
5. The most restrictive level among the fired rules is the outcome; citations of
   every fired rule are collected once each, and cautions and actions of every rule
   that certainly applies, within its ``advice_when`` (see :mod:`advice`: those of
   rules that only might apply are kept apart, under "if …").

Why this keeps "Unknown is not No": Kleene logic is sound, so a rule that fires for
some known answer to a question is true or unknown while that answer is missing,
and therefore still fires, at worst capped at "assess first". A missing answer can
only keep or raise the outcome, up to that cap.

Steps 3 to 5 are :meth:`RuleSet.contribution` and :meth:`RuleSet.default_value`, the one
ranking that ``decision-aid verify`` encodes too. Evaluating is one loop over the rules'
compiled values (:mod:`compiler`); each rule's verdict for a value is made once and
shared by every evaluation that reaches it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from decision_aid.domain.advice import (
    advice_limits,
    certain_advice,
    conditional_advice,
    outcome_words,
    still_to_check,
)
from decision_aid.domain.answer_context import AnswerContext
from decision_aid.domain.assessment import (
    DEFAULT_RULE_ID,
    Assessment,
    CitedReference,
    ConditionalAdvice,
    FiredRule,
    MissingItem,
    RuleSetIdentity,
    RuleTrace,
    SetAsideAnswer,
    StillToCheck,
)
from decision_aid.domain.compiler import Values, compile_conditions
from decision_aid.domain.conditions import AnswerValue, Bound, Node, TraceNode
from decision_aid.domain.errors import InputError
from decision_aid.domain.missing import (
    MissingWork,
    ReaderIndex,
    missing_information,
    number_candidates,
    tested_bounds,
)
from decision_aid.domain.questionnaire import (
    NOT_KNOWN,
    Answers,
    Question,
    Questionnaire,
    QuestionType,
)
from decision_aid.domain.rules import Rule, RuleSet, applies
from decision_aid.domain.truth import TRUTH_OF, Truth
from decision_aid.domain.validation import did_you_mean

__all__ = [
    "candidate_answers",
    "evaluate",
    "missing_work",
    "outcome_of",
    "resolve_settings",
]


def resolve_settings(rule_set: RuleSet, given: Mapping[str, str] | None = None) -> dict[str, str]:
    """The rule set's defaults overlaid with ``given``; unknown names raise :class:`InputError`."""
    settings = rule_set.default_settings()
    for name, value in (given or {}).items():
        setting = rule_set.setting(name)
        if setting is None:
            known = ", ".join(settings) or "none"
            raise InputError(
                f"'{name}' is not a setting of this rule set (settings: {known})"
                f"{did_you_mean(name, settings)}"
            )
        if setting.choice(value) is None:
            ids = [c.id for c in setting.choices]
            raise InputError(
                f"'{value}' is not a choice of '{name}' (choices: {', '.join(ids)})"
                f"{did_you_mean(value, ids)}"
            )
        settings[name] = value
    return settings


class _Plan:
    """Evaluation under one rule set and one choice of settings, all but the answers: the
    applicable rules, those with an outcome first, their conditions compiled into one
    function, and (for the missing-information analysis) the rank each rule adds for
    each of its values, from :meth:`RuleSet.contribution`."""

    def __init__(self, compiled: _Compiled, settings: Mapping[str, str]) -> None:
        rule_set = compiled.rule_set
        applicable = [rule for rule in rule_set.rules if applies(rule, settings)]
        ordered = [rule for rule in applicable if rule.outcome is not None]
        self.outcome_count = len(ordered)
        ordered += [rule for rule in applicable if rule.outcome is None]
        self.ordered = tuple(ordered)
        # Every rule in the rule set's order, with where its value is (None: not in force).
        position = {id(rule): index for index, rule in enumerate(ordered)}
        self.in_rule_order = tuple((rule, position.get(id(rule))) for rule in rule_set.rules)
        self.settings = tuple(sorted(settings.items()))
        self.level_ids = tuple(level.id for level in rule_set.info.levels)
        self.values = compiled.values_function([rule.when for rule in ordered])
        self.ranks = tuple(
            tuple(_rank(rule_set.contribution(rule, value)) for value in Truth) for rule in ordered
        )
        self.default_ranks = tuple(_rank(rule_set.contribution(None, value)) for value in Truth)
        self.rule_set = rule_set
        self._questionnaire = rule_set.questionnaire
        self._readers: ReaderIndex | None = None
        self._compiled = compiled
        self._one: dict[int, Values] = {}
        self._by_question: dict[str, Values] = {}

    @property
    def readers(self) -> ReaderIndex:
        """Which rules with an outcome read each question (for what is missing)."""
        if self._readers is None:
            outcomes = self.ordered[: self.outcome_count]
            self._readers = ReaderIndex(self._questionnaire, outcomes)
        return self._readers

    def rule_value(self, rule: int, answers: Answers) -> int:
        """One rule's value, compiled on first use (what is missing re-evaluates a few)."""
        function = self._one.get(rule)
        if function is None:
            function = self._one[rule] = self._compiled.values_function([self.ordered[rule].when])
        return function(answers)[0]

    def readers_values(
        self, question_id: str, rules: Sequence[int], answers: Answers
    ) -> tuple[int, ...]:
        """The values of a question's readers, compiled together on first use."""
        function = self._by_question.get(question_id)
        if function is None:
            conditions = [self.ordered[rule].when for rule in rules]
            function = self._by_question[question_id] = self._compiled.values_function(conditions)
        return function(answers)


def _rank(contribution: int | None) -> int:
    return -1 if contribution is None else contribution


@dataclass(frozen=True)
class _Verdict:
    trace: RuleTrace
    rank: int
    """The rank it adds to the outcome, or -1."""
    fired: FiredRule | None


class _Compiled:
    """What evaluating needs of a rule set, worked out once and kept with it
    (:meth:`RuleSet.derived`): a copy of the rule set gets its own."""

    def __init__(self, rule_set: RuleSet) -> None:
        self.rule_set = rule_set
        info = rule_set.info
        self.identity = RuleSetIdentity(
            info.id, info.title, info.version, str(info.status), rule_set.digest, info.review_by
        )
        self.advice_limits = advice_limits(rule_set)
        self.described = {
            rule.id: rule.outcome_description
            for rule in rule_set.rules
            if rule.outcome_description is not None
        }
        self.plans: dict[tuple[tuple[str, str], ...], _Plan] = {}
        self.resolved: dict[tuple[tuple[str, str], ...], _Plan] = {}
        self._verdicts: dict[tuple[int, bool, int], _Verdict] = {}
        self._citations: dict[CitedReference, CitedReference] = {}
        self._bounds: dict[str, list[Bound]] | None = None

    def bounds(self, question_id: str) -> list[Bound]:
        """Every bound a rule or ``show_when`` tests on the question, found in one walk."""
        if self._bounds is None:
            self._bounds = tested_bounds(self.rule_set.questionnaire, self.rule_set.rules)
        return self._bounds.get(question_id, [])

    def plan(self, settings: Mapping[str, str]) -> _Plan:
        """The plan for exactly these settings (``outcome_of`` does not resolve them)."""
        key = tuple(settings.items())
        found = self.plans.get(key)
        if found is None:
            found = self.plans[key] = _Plan(self, dict(key))
        return found

    def resolved_plan(self, settings: Mapping[str, str] | None) -> _Plan:
        """The plan for these settings over the rule set's defaults, checked once."""
        key = tuple(settings.items()) if settings else ()
        found = self.resolved.get(key)
        if found is None:
            found = self.resolved[key] = self.plan(resolve_settings(self.rule_set, settings))
        return found

    def values_function(self, conditions: Sequence[Node]) -> Values:
        questionnaire = self.rule_set.questionnaire
        try:
            return compile_conditions(questionnaire, conditions)
        except (RecursionError, SyntaxError, MemoryError):
            pass  # nested past what Python's parser takes: interpret instead

        def interpreted(answers: Answers) -> tuple[int, ...]:
            context = AnswerContext(questionnaire, answers)
            return tuple(condition.truth(context).value for condition in conditions)

        return interpreted

    def verdict(self, rule: Rule | None, compiled_value: int, applies: bool = True) -> _Verdict:
        """What a rule (``None``: the default) with this value (0 false, 1 unknown, 2 true)
        gives: its trace entry, the rank it adds and what fires. Made once per rule and
        value, then shared by every evaluation that reaches it."""
        key = (id(rule), applies, compiled_value)  # the rule set holds every rule
        found = self._verdicts.get(key)
        if found is None:
            rule_id = DEFAULT_RULE_ID if rule is None else rule.id
            value = TRUTH_OF[compiled_value]
            rank = self.rule_set.contribution(rule, value) if applies else None
            level = None if rank is None else self.rule_set.info.levels[rank].id
            fired = None
            if rule is None and rank is not None:
                fired = _default_fired(self.rule_set, level, value)
            elif rule is not None and applies and (rank is not None or value is Truth.TRUE):
                fired = self._fired(rule, level, value)  # a true note fires at no level
            trace = RuleTrace(rule_id, applies, value, level)
            found = self._verdicts[key] = _Verdict(trace, _rank(rank), fired)
        return found

    def _fired(self, rule: Rule, level: str | None, value: Truth) -> FiredRule:
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
            self._cite(rule),
        )

    def _cite(self, rule: Rule) -> tuple[CitedReference, ...]:
        """A rule's citations; equal ones are one object, so collecting compares identity."""
        cited = []
        for citation in rule.citations:
            reference = self.rule_set.references_by_id.get(citation.ref)
            if reference is not None:
                made = CitedReference(
                    reference.id,
                    reference.short,
                    reference.citation,
                    citation.grade,
                    str(reference.verification),
                    reference.doi,
                    reference.pmid,
                    reference.url,
                )
                cited.append(self._citations.setdefault(made, made))
        return tuple(cited)


def outcome_of(rule_set: RuleSet, answers: Answers, settings: Mapping[str, str]) -> str:
    """Only the outcome level id: the fast path for "what would this answer change"."""
    compiled = rule_set.derived(_Compiled)
    top = max(v.rank for v in _verdicts(compiled, compiled.plan(settings), answers))
    return rule_set.info.levels[top].id


def candidate_answers(rule_set: RuleSet, question: Question) -> list[tuple[str, AnswerValue]]:
    """Known answers worth trying for ``question``: every option, or each number boundary."""
    if question.type is QuestionType.NUMBER:
        values = number_candidates(question, rule_set.derived(_Compiled).bounds(question.id))
        unit = f" {question.unit}" if question.unit else ""
        return [(f"{v:g}{unit}", v) for v in values]
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
    rule_set: RuleSet, plan: _Plan, answers: Answers, work: MissingWork | None = None
) -> tuple[MissingItem, ...]:
    questionnaire = rule_set.questionnaire
    return missing_information(
        plan,
        plan.readers,
        answers,
        questionnaire=questionnaire,
        base=plan.values(answers),
        context=lambda given: AnswerContext(questionnaire, given),
        candidates=lambda question: candidate_answers(rule_set, question),
        work=work,
    )


def missing_work(
    rule_set: RuleSet, answers: Answers, settings: Mapping[str, str] | None = None
) -> MissingWork:
    """How much work the missing-information analysis does for these answers: candidate
    answers tried and rules re-evaluated (it must grow linearly with the rule set)."""
    work = MissingWork()
    _missing(rule_set, rule_set.derived(_Compiled).resolved_plan(settings), answers, work)
    return work


def _set_aside(questionnaire: Questionnaire, answers: Answers) -> tuple[SetAsideAnswer, ...]:
    """The answered questions whose ``show_when`` is false: not asked, so not counted."""
    context = AnswerContext(questionnaire, answers)
    found = []
    for question in questionnaire.questions():
        if question.show_when is None:
            continue
        value = answers.get(question.id)
        if value is None and question.id not in answers.not_known:
            continue
        if context.visibility(question.id) is not Truth.FALSE:
            continue
        if value is None:
            words, value = "Not known", NOT_KNOWN
        else:
            words = context.answer_text(question.id).removeprefix("answer: ")
        found.append(
            SetAsideAnswer(
                question.id,
                question.label,
                questionnaire.section_of[question.id].id,
                words,
                value,
            )
        )
    return tuple(found)


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


class _Details:
    """What an assessment works out on first use: each rule's condition in words, what is
    missing, the answers set aside, conditional advice and the safety questions still to
    check."""

    def __init__(
        self, plan: _Plan, answers: Answers, fired: Sequence[FiredRule], outcome: str
    ) -> None:
        self._rule_set = plan.rule_set
        self._plan, self._answers, self._fired, self._outcome = plan, answers, fired, outcome
        self._context: AnswerContext | None = None
        self._explained: dict[str, TraceNode] = {}

    def explain(self, rule_id: str) -> TraceNode:
        found = self._explained.get(rule_id)
        if found is None:
            if self._context is None:
                self._context = AnswerContext(self._rule_set.questionnaire, self._answers)
            condition = self._rule_set.rules_by_id[rule_id].when
            found = self._explained[rule_id] = condition.explain(
                self._context, self._rule_set.questionnaire
            )
        return found

    def missing(self) -> tuple[MissingItem, ...]:
        return _missing(self._rule_set, self._plan, self._answers)

    def set_aside(self) -> tuple[SetAsideAnswer, ...]:
        return _set_aside(self._rule_set.questionnaire, self._answers)

    def conditional(self) -> tuple[ConditionalAdvice, ...]:
        return conditional_advice(self._rule_set, self._answers, self._fired, self._outcome)

    def to_check(self, missing: Iterable[str]) -> tuple[StillToCheck, ...]:
        return still_to_check(self._rule_set, self._answers, missing)


def _verdicts(compiled: _Compiled, plan: _Plan, answers: Answers) -> list[_Verdict]:
    """Every rule's verdict for the answers, in the rule set's order, then the default's."""
    values = plan.values(answers)
    verdicts: list[_Verdict] = []
    with_outcome: list[Truth] = []
    for rule, position in plan.in_rule_order:
        if position is None:  # its only_for excludes these settings
            verdicts.append(compiled.verdict(rule, Truth.FALSE.value, applies=False))
            continue
        value = values[position]
        verdicts.append(compiled.verdict(rule, value))
        if rule.outcome is not None:
            with_outcome.append(TRUTH_OF[value])
    default = compiled.rule_set.default_value(with_outcome)
    verdicts.append(compiled.verdict(None, default.value))
    return verdicts


def evaluate(
    rule_set: RuleSet, answers: Answers, settings: Mapping[str, str] | None = None
) -> Assessment:
    """Assess the answers under the rule set; pure, deterministic, no I/O."""
    compiled = rule_set.derived(_Compiled)
    plan = compiled.resolved_plan(settings)
    verdicts = _verdicts(compiled, plan, answers)
    fired = [v for v in verdicts if v.fired is not None]
    top = max(v.rank for v in fired)
    ordered = [v.fired for v in sorted(fired, key=lambda v: v.rank, reverse=True) if v.fired]
    outcome = rule_set.info.levels[top]
    decided_by = tuple(v.trace.rule_id for v in fired if v.rank == top)
    cautions, actions = certain_advice(ordered, top, compiled.advice_limits)
    return Assessment(
        rule_set=compiled.identity,
        settings=plan.settings,
        outcome=outcome,
        decided_by=decided_by,
        fired=tuple(ordered),
        cautions=cautions,
        actions=actions,
        # Equal citations are one object (see _Compiled._cite): collect them by identity.
        citations=tuple({id(c): c for f in ordered for c in f.citations}.values()),
        trace=tuple(v.trace for v in verdicts),
        own_description=outcome_words(decided_by, compiled.described),
        details=_Details(plan, answers, ordered, outcome.id),
    )
