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
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from itertools import repeat
from operator import getitem, itemgetter

from decision_aid.domain.advice import (
    advice_limits,
    certain_advice,
    conditional_advice,
    outcome_words,
    still_to_check,
)
from decision_aid.domain.assessment import (
    DEFAULT_RULE_ID,
    Assessment,
    CitedReference,
    FiredRule,
    MissingItem,
    RuleSetIdentity,
    RuleTrace,
    SetAsideAnswer,
    Verdict,
)
from decision_aid.domain.compiler import Values, compile_conditions
from decision_aid.domain.conditions import AnswerValue, Condition, TraceNode
from decision_aid.domain.errors import InputError
from decision_aid.domain.missing import (
    Bound,
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
from decision_aid.domain.rules import IfUnknown, Rule, RuleSet, applies
from decision_aid.domain.truth import Truth
from decision_aid.domain.validation import did_you_mean

__all__ = [
    "AnswerContext",
    "candidate_answers",
    "evaluate",
    "missing_work",
    "outcome_of",
    "resolve_settings",
]


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


def _contribution(rule_set: RuleSet, rank: int, value: Truth, if_unknown: IfUnknown) -> int | None:
    if value is Truth.TRUE:
        return rank
    if value is Truth.UNKNOWN:
        cap = rule_set.level_rank[rule_set.info.assess_first]
        return rank if if_unknown is IfUnknown.FIRE else min(rank, cap)
    return None


_TRUTH = (Truth.FALSE, Truth.UNKNOWN, Truth.TRUE)  # indexed by the compiled values 0, 1, 2


class _Explainer:
    """The words behind each rule's value, worked out on first use from the answers."""

    __slots__ = ("_answers", "_context", "_found", "_questionnaire", "_rules")

    def __init__(
        self, questionnaire: Questionnaire, rules: Mapping[str, Rule], answers: Answers
    ) -> None:
        self._questionnaire, self._rules, self._answers = questionnaire, rules, answers
        self._context: AnswerContext | None = None
        self._found: dict[str, TraceNode] = {}

    def explain(self, rule_id: str) -> TraceNode:
        found = self._found.get(rule_id)
        if found is None:
            if self._context is None:
                self._context = AnswerContext(self._questionnaire, self._answers)
            rule = self._rules[rule_id]
            found = rule.when.explain(self._context, self._questionnaire)
            self._found[rule_id] = found
        return found


class _Plan:
    """Evaluation under one rule set and one choice of settings, all but the answers.

    The applicable rules' conditions become one compiled function, rules with an
    outcome first so that the default can read their values as one slice. Everything
    that follows from a rule's value is worked out here for each of its three values,
    so that evaluating is looking them up: its verdict, and the rank it fires at with
    what fires. The lookups run in C (``map``, ``filter``, ``itemgetter``): a loop in
    Python over the rules would cost as much as the conditions.
    """

    def __init__(self, compiled: _Compiled, settings: Mapping[str, str]) -> None:
        rule_set = compiled.rule_set
        ranks = rule_set.level_rank
        rules = rule_set.rules
        applicable = [rule for rule in rules if applies(rule, settings)]
        ordered = [rule for rule in applicable if rule.outcome is not None]
        self.outcome_count = len(ordered)
        ordered += [rule for rule in applicable if rule.outcome is None]
        self.ordered = tuple(ordered)
        self._questionnaire = rule_set.questionnaire
        self._readers: ReaderIndex | None = None
        self._compiled = compiled
        self._one: dict[int, Values] = {}
        self._by_question: dict[str, Values] = {}
        self.values = compiled.values_function([rule.when for rule in ordered])
        self.settings = tuple(sorted(settings.items()))
        self.level_ids = tuple(level.id for level in rule_set.info.levels)
        verdicts = []
        for rule in ordered:
            rank = None if rule.outcome is None else ranks[rule.outcome]
            verdicts.append(tuple(compiled.verdict(rule, rank, value) for value in _TRUTH))
        self.verdicts = tuple(tuple(v for v, _ in by_value) for by_value in verdicts)
        self.fires = tuple(tuple(f for _, f in by_value) for by_value in verdicts)
        self.ranks = tuple(tuple(-1 if f is None else f[0] for f in by) for by in self.fires)
        default_rank = ranks[rule_set.info.default_outcome]
        self.default = tuple(compiled.verdict(None, default_rank, value) for value in _TRUTH)
        self.default_ranks = tuple(-1 if f is None else f[0] for _, f in self.default)
        # The trace lists every rule in the rule set's order, then the default; evaluate
        # builds the applicable rules' entries, then these, then the default's.
        skipped = [rule for rule in rules if not applies(rule, settings)]
        self.skipped = [RuleTrace(rule.id, False, Truth.FALSE, None) for rule in skipped]
        after = {id(rule): i for i, rule in enumerate([*ordered, *skipped])}
        order = [after[id(rule)] for rule in rules] + [len(rules)]
        self.in_rule_order: Callable[[list[RuleTrace]], tuple[RuleTrace, ...]] = (
            itemgetter(*order) if len(order) > 1 else tuple
        )

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

    def default_value(self, values: tuple[int, ...]) -> int:
        """The default is true when no rule with an outcome is true or unknown."""
        with_outcome = values[: self.outcome_count]
        return 0 if 2 in with_outcome else (1 if 1 in with_outcome else 2)

    def outcome(self, values: tuple[int, ...]) -> str:
        top = max(map(getitem, self.ranks, values), default=-1)
        fired = self.default[self.default_value(values)][1]
        return self.level_ids[top if fired is None else max(top, fired[0])]


class _Compiled:
    """What evaluating needs of a rule set, worked out once and kept on the rule set.

    It is rebuilt when a copy of the rule set (``model_copy(update=...)``) no longer
    holds the parts it was built from.
    """

    def __init__(self, rule_set: RuleSet) -> None:
        self.rule_set = rule_set
        self.parts = (rule_set.info, rule_set.questionnaire, rule_set.rules, rule_set.references)
        info = rule_set.info
        self.identity = RuleSetIdentity(
            info.id, info.title, info.version, str(info.status), rule_set.digest, info.review_by
        )
        self.rules_by_id = {rule.id: rule for rule in rule_set.rules}
        self.advice_limits = advice_limits(rule_set)
        self.described = {
            rule.id: rule.outcome_description
            for rule in rule_set.rules
            if rule.outcome_description is not None
        }
        self.plans: dict[tuple[tuple[str, str], ...], _Plan] = {}
        self.resolved: dict[tuple[tuple[str, str], ...], _Plan] = {}
        self._citations: dict[tuple[object, ...], CitedReference] = {}
        self._bounds: dict[str, list[Bound]] | None = None

    def bounds(self, question_id: str) -> list[Bound]:
        """Every bound a rule or ``show_when`` tests on the question, found in one walk."""
        if self._bounds is None:
            self._bounds = tested_bounds(self.rule_set.questionnaire, self.rule_set.rules)
        return self._bounds.get(question_id, [])

    def fits(self, rule_set: RuleSet) -> bool:
        info, questionnaire, rules, references = self.parts
        return (
            rule_set.rules is rules
            and rule_set.questionnaire is questionnaire
            and rule_set.info is info
            and rule_set.references is references
        )

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

    def values_function(self, conditions: list[Condition]) -> Values:
        questionnaire = self.rule_set.questionnaire
        try:
            return compile_conditions(questionnaire, conditions)
        except (RecursionError, SyntaxError, MemoryError):
            pass  # nested past what Python's parser takes: interpret instead

        def interpreted(answers: Answers) -> tuple[int, ...]:
            context = AnswerContext(questionnaire, answers)
            return tuple(condition.truth(context).value for condition in conditions)

        return interpreted

    def verdict(
        self, rule: Rule | None, rank: int | None, value: Truth
    ) -> tuple[Verdict, tuple[int, FiredRule] | None]:
        """A rule's verdict for one value, and the rank and fired rule it gives, if it
        fires (a note fires at -1); ``rule`` None is the rule set's default."""
        rule_set = self.rule_set
        contributes = None
        if rank is not None:
            contributes = _contribution(
                rule_set, rank, value, IfUnknown.ASSESS_FIRST if rule is None else rule.if_unknown
            )
        level = None if contributes is None else rule_set.info.levels[contributes].id
        verdict = (DEFAULT_RULE_ID if rule is None else rule.id, True, value, level)
        fires: FiredRule | None = None
        if rule is None:
            if contributes is not None:
                fires = _default_fired(rule_set, level, value)
        elif contributes is not None or value is Truth.TRUE:
            fires = self._fired(rule, level, value)
        if fires is None:
            return verdict, None
        return verdict, (-1 if contributes is None else contributes, fires)

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
                cited.append(self._citations.setdefault(tuple(vars(made).values()), made))
        return tuple(cited)


def _compiled(rule_set: RuleSet) -> _Compiled:
    # Kept in the instance's __dict__, as functools.cached_property keeps its values.
    found: _Compiled | None = rule_set.__dict__.get("_compiled_engine")
    if found is None or not found.fits(rule_set):
        found = rule_set.__dict__["_compiled_engine"] = _Compiled(rule_set)
    return found


def outcome_of(rule_set: RuleSet, answers: Answers, settings: Mapping[str, str]) -> str:
    """Only the outcome level id: the fast path for "what would this answer change"."""
    plan = _compiled(rule_set).plan(settings)
    return plan.outcome(plan.values(answers))


def candidate_answers(rule_set: RuleSet, question: Question) -> list[tuple[str, AnswerValue]]:
    """Known answers worth trying for ``question``: every option, or each number boundary."""
    if question.type is QuestionType.NUMBER:
        values = number_candidates(question, _compiled(rule_set).bounds(question.id))
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
    _missing(rule_set, _compiled(rule_set).resolved_plan(settings), answers, work)
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


new, new_object = tuple.__new__, object.__new__


def evaluate(
    rule_set: RuleSet, answers: Answers, settings: Mapping[str, str] | None = None
) -> Assessment:
    """Assess the answers under the rule set; pure, deterministic, no I/O."""
    compiled = _compiled(rule_set)
    plan = compiled.resolved_plan(settings)
    values = plan.values(answers)
    explainer = _Explainer(rule_set.questionnaire, compiled.rules_by_id, answers)
    entries = list(
        map(new, repeat(RuleTrace), zip(map(getitem, plan.verdicts, values), repeat(explainer)))
    )
    default, default_fires = plan.default[plan.default_value(values)]
    entries += plan.skipped
    entries.append(RuleTrace(*default))
    fired = list(filter(None, map(getitem, plan.fires, values)))
    if default_fires is not None:
        fired.append(default_fires)
    top = max(map(itemgetter(0), fired))
    ordered = list(map(itemgetter(1), sorted(fired, key=itemgetter(0), reverse=True)))
    outcome = rule_set.info.levels[top]
    decided_by = tuple(f.rule_id for rank, f in fired if rank == top)
    cautions, actions = certain_advice(ordered, top, compiled.advice_limits)
    # The frozen dataclass's __init__ sets its fields one object.__setattr__ at a
    # time, which costs as much as the rest of this function after the conditions.
    assessment: Assessment = new_object(Assessment)
    assessment.__dict__.update(
        rule_set=compiled.identity,
        settings=plan.settings,
        outcome=outcome,
        decided_by=decided_by,
        fired=tuple(ordered),
        cautions=cautions,
        actions=actions,
        # Equal citations are one object (see _Compiled._cite): collect them by identity.
        citations=tuple({id(c): c for f in ordered for c in f.citations}.values()),
        trace=plan.in_rule_order(entries),
        compute_missing=lambda: _missing(rule_set, plan, answers),
        compute_set_aside=lambda: _set_aside(rule_set.questionnaire, answers),
        own_description=outcome_words(decided_by, compiled.described),
        compute_conditional=lambda: conditional_advice(rule_set, answers, ordered, outcome.id),
        compute_to_check=lambda: still_to_check(
            rule_set, answers, (m.question_id for m in assessment.missing)
        ),
    )
    return assessment
