"""Cross-reference checks on a validated rule set: what pydantic alone cannot see.

Each check reports a Problem at the YAML node at fault: unknown question, option,
level, setting or reference ids (with "did you mean …?"), duplicate ids, predicates
that do not fit the question's type, ``show_when`` cycles, safety questions that do
not offer "Not known", and ``not_known`` used where it could make an outcome more
favourable. And what the clinician sees must be what is recorded: no id the engine
reserves, no invisible character in any text, no line break in a one-line text, no two
labels that read alike, no safety question that might not be asked.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from decision_aid.domain.assessment import DEFAULT_RULE_ID
from decision_aid.domain.base import SettingsBound
from decision_aid.domain.conditions import Node, operators_for, walk
from decision_aid.domain.errors import Problem
from decision_aid.domain.leaflet import SheetContent
from decision_aid.domain.questionnaire import NOT_KNOWN, Question, Questionnaire, QuestionType
from decision_aid.domain.rules import (
    Citation,
    Property,
    Reference,
    Rule,
    RuleSetInfo,
    Verification,
)
from decision_aid.domain.validation import did_you_mean
from decision_aid.domain.yamlsource import Document, YamlPath

__all__ = ["Located", "check_rule_set"]

T = TypeVar("T")
Bound = TypeVar("Bound", bound=SettingsBound)


@dataclass(frozen=True)
class Located(Generic[T]):
    """A validated item and where it was written."""

    item: T
    document: Document
    path: YamlPath

    def problem(self, sub: YamlPath, code: str, message: str) -> Problem:
        return self.document.problem((*self.path, *sub), code, message)


def _duplicates(items: Iterable[tuple[str, Located[Any], YamlPath]], what: str) -> list[Problem]:
    first: dict[str, Located[Any]] = {}
    problems = []
    for ident, located, sub in items:
        if ident in first:
            earlier = first[ident]
            mark = earlier.document.mark((*earlier.path, *sub))
            problems.append(
                located.problem(
                    sub,
                    "duplicate-id",
                    f"duplicate {what} id '{ident}'; it is first used at "
                    f"{earlier.document.file}:{mark.line}:{mark.column}",
                )
            )
        else:
            first[ident] = located
    return problems


class _ConditionChecker:
    """Checks one condition tree against the questionnaire."""

    def __init__(self, questions: Mapping[str, Question], where: Located[Any], base: YamlPath):
        self.questions = questions
        self.where = where
        self.base = base
        self.problems: list[Problem] = []

    def __call__(self, node: Node, path: YamlPath, negated: bool) -> None:
        at = (*self.base, *path)
        for sub, question_id in node.references():
            question = self._question(question_id, (*at, *sub))
            if question is not None:
                self._fits(node, question, at)

    def _question(self, question_id: str, at: YamlPath) -> Question | None:
        question = self.questions.get(question_id)
        if question is None:
            self.problems.append(
                self.where.problem(
                    at,
                    "unknown-question",
                    f"'{question_id}' is not a question{did_you_mean(question_id, self.questions)}",
                )
            )
        return question

    def _fits(self, node: Node, question: Question, at: YamlPath) -> None:
        """The node fits the question's type, names its options, and tests its range."""
        if question.type not in node.fits:
            allowed = operators_for(question.type)
            choices = " or ".join(
                [", ".join(allowed[:-1]), allowed[-1]] if allowed[1:] else allowed
            )
            self.problems.append(
                self.where.problem(
                    (*at, node.key),
                    "operator-mismatch",
                    f"'{node.key}' does not fit {question.type} question '{question.id}'; "
                    f"use {choices}",
                )
            )
            return
        option_ids = [o.id for o in question.choices]
        for sub, option_id in node.option_references():
            if option_id not in option_ids:
                self.problems.append(
                    self.where.problem(
                        (*at, *sub),
                        "unknown-option",
                        f"'{option_id}' is not an option of '{question.id}' "
                        f"(options: {', '.join(option_ids)}){did_you_mean(option_id, option_ids)}",
                    )
                )
        low, high = question.minimum, question.maximum
        for question_id, (_, bound) in node.bounds():
            if question_id != question.id:
                continue
            if (low is not None and bound < low) or (high is not None and bound > high):
                self.problems.append(
                    self.where.problem(
                        (*at, node.key),
                        "out-of-range",
                        f"{bound:g} is outside the range of '{question.id}' ({low:g} to {high:g})"
                        if low is not None and high is not None
                        else f"{bound:g} is outside the range of '{question.id}'",
                    )
                )


def _check_condition(
    condition: Node,
    questions: Mapping[str, Question],
    where: Located[Any],
    base: YamlPath,
) -> list[Problem]:
    checker = _ConditionChecker(questions, where, base)
    walk(condition, checker)
    return checker.problems


def _unknown_level(
    where: Located[Any], path: YamlPath, level: str | None, levels: Collection[str]
) -> list[Problem]:
    """A problem when ``level`` names no level of the rule set (None names nothing)."""
    if level is None or level in levels:
        return []
    message = f"'{level}' is not a level{did_you_mean(level, levels)}"
    return [where.problem(path, "unknown-level", message)]


def _check_info(info: Located[RuleSetInfo]) -> list[Problem]:
    data = info.item
    problems = _duplicates(
        ((level.id, info, ("levels", i, "id")) for i, level in enumerate(data.levels)), "level"
    )
    level_ids = [level.id for level in data.levels]
    for key in ("assess_first", "default_outcome"):
        problems += _unknown_level(info, (key,), getattr(data, key), level_ids)
    problems += _duplicates(
        ((s.id, info, ("settings", i, "id")) for i, s in enumerate(data.settings)), "setting"
    )
    for i, setting in enumerate(data.settings):
        choice_ids = [c.id for c in setting.choices]
        if setting.default not in choice_ids:
            problems.append(
                info.problem(
                    ("settings", i, "default"),
                    "unknown-choice",
                    f"'{setting.default}' is not a choice of setting '{setting.id}'"
                    f"{did_you_mean(setting.default, choice_ids)}",
                )
            )
    return problems


def _check_question(
    question: Question, where: Located[Questionnaire], at: YamlPath
) -> list[Problem]:
    problems: list[Problem] = []

    def report(sub: YamlPath, code: str, message: str) -> None:
        problems.append(where.problem((*at, *sub), code, message))

    if question.type is QuestionType.YES_NO and question.options:
        report(
            ("options",), "yes-no-options", "a yes_no question has fixed options; remove 'options'"
        )
    if question.type in (QuestionType.SINGLE, QuestionType.MULTIPLE) and len(question.options) < 2:
        report(("type",), "too-few-options", f"a {question.type} question needs at least 2 options")
    if question.type is QuestionType.NUMBER:
        if question.options:
            report(("options",), "number-options", "a number question has no options")
        if question.minimum is None or question.maximum is None:
            report(("type",), "number-range", "a number question needs 'minimum' and 'maximum'")
        elif question.minimum > question.maximum:
            report(("minimum",), "number-range", "'minimum' is greater than 'maximum'")
    else:
        for key in ("unit", "minimum", "maximum"):
            if getattr(question, key) is not None:
                report((key,), "not-a-number", f"'{key}' only applies to number questions")
    if question.safety and not question.not_known:
        report(
            ("not_known",) if "not_known" in question.model_fields_set else ("safety",),
            "safety-not-known",
            f"safety question '{question.id}' must offer Not known (not_known: true)",
        )
    problems += _duplicates(
        ((o.id, where, (*at, "options", i, "id")) for i, o in enumerate(question.options)), "option"
    )
    for i, option in enumerate(question.options):
        if option.exclusive and question.type is not QuestionType.MULTIPLE:
            report(
                ("options", i, "exclusive"),
                "not-multiple",
                "'exclusive' only applies to multiple choice",
            )
    return problems


def _show_when_cycles(
    questionnaire: Questionnaire, where: Located[Questionnaire], paths: Mapping[str, YamlPath]
) -> list[Problem]:
    graph = {
        q.id: [d for d in q.show_when.questions() if d in paths] if q.show_when else []
        for q in questionnaire.questions()
    }
    problems: list[Problem] = []
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in graph[node]:
            if state.get(nxt) == 1:
                cycle = [*trail[trail.index(nxt) :], nxt]
                problems.append(
                    where.problem(
                        (*paths[node], "show_when"),
                        "show-when-cycle",
                        "show_when conditions form a cycle: " + " -> ".join(cycle),
                    )
                )
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for question_id in graph:
        if question_id not in state:
            visit(question_id, [question_id])
    return problems


def _check_questionnaire(where: Located[Questionnaire]) -> list[Problem]:
    questionnaire = where.item
    paths: dict[str, YamlPath] = {}
    located = []
    for si, section in enumerate(questionnaire.sections):
        for qi, question in enumerate(section.questions):
            at: YamlPath = ("sections", si, "questions", qi)
            paths.setdefault(question.id, at)
            located.append((question.id, where, (*at, "id")))
    problems = _duplicates(
        ((s.id, where, ("sections", i, "id")) for i, s in enumerate(questionnaire.sections)),
        "section",
    )
    problems += _duplicates(located, "question")
    questions = questionnaire.by_id
    for si, section in enumerate(questionnaire.sections):
        for qi, question in enumerate(section.questions):
            at = ("sections", si, "questions", qi)
            problems += _check_question(question, where, at)
            if question.show_when is not None:
                problems += _refuse_not_known(question.show_when, where, (*at, "show_when"))
                problems += _check_condition(
                    question.show_when, questions, where, (*at, "show_when")
                )
    problems += _show_when_cycles(questionnaire, where, paths)
    return problems


def _check_rule(
    where: Located[Rule],
    info: RuleSetInfo | None,
    questions: Mapping[str, Question] | None,
    reference_ids: set[str] | None,
) -> list[Problem]:
    rule = where.item
    problems: list[Problem] = []
    if questions is not None:
        problems += _check_condition(rule.when, questions, where, ("when",))
    if info is not None:
        ranks = {level.id: i for i, level in enumerate(info.levels)}
        problems += _unknown_level(where, ("outcome",), rule.outcome, ranks)
        problems += _check_advice_limit(where, ranks)
        problems += _check_not_known(where, ranks, info.assess_first)
        problems += _check_only_for(where, info)
    problems += _check_citations(where, rule.citations, reference_ids)
    return problems


def _check_advice_limit(where: Located[Rule], ranks: Mapping[str, int]) -> list[Problem]:
    """``advice_when`` names real levels, in order, and limits advice the rule can give."""
    rule, limit = where.item, where.item.advice_when
    if limit is None:
        return []
    problems: list[Problem] = []
    for key, level in (("at_least", limit.at_least), ("at_most", limit.at_most)):
        problems += _unknown_level(where, ("advice_when", key), level, ranks)
    if problems:
        return problems
    if not any(limit.allows(ranks, rank) for rank in ranks.values()):
        problems.append(
            where.problem(
                ("advice_when",),
                "empty-limit",
                f"no outcome is at least '{limit.at_least}' and at most '{limit.at_most}'",
            )
        )
    elif not rule.cautions and not rule.actions:
        problems.append(
            where.problem(
                ("advice_when",), "empty-limit", "the rule has no cautions or actions to limit"
            )
        )
    return problems


def _check_citations(
    where: Located[Any], citations: Sequence[Citation], reference_ids: set[str] | None
) -> list[Problem]:
    if reference_ids is None:
        return []
    return [
        where.problem(
            # A shorthand citation (a bare id) has no "ref" key: the mark falls back to the
            # list item itself.
            ("citations", i, "ref"),
            "unknown-reference",
            f"'{citation.ref}' is not in the references{did_you_mean(citation.ref, reference_ids)}",
        )
        for i, citation in enumerate(citations)
        if citation.ref not in reference_ids
    ]


def _refuse_not_known(condition: Node, where: Located[Any], base: YamlPath) -> list[Problem]:
    """A missing answer must never hide a question, so show_when may not test for one."""
    found: list[Problem] = []

    def visit(node: Node, path: YamlPath, negated: bool) -> None:
        if node.true_when_missing:
            found.append(
                where.problem(
                    (*base, *path),
                    "unsafe-not-known",
                    f"'{node.key}' is not allowed in show_when: a missing answer could hide a "
                    "safety question",
                )
            )

    walk(condition, visit)
    return found


def _check_not_known(
    where: Located[Rule], ranks: Mapping[str, int], assess_first: str
) -> list[Problem]:
    rule = where.item
    problems: list[Problem] = []
    favourable = rule.outcome is None or ranks.get(rule.outcome, 0) < ranks.get(assess_first, 0)

    def visit(node: Node, path: YamlPath, negated: bool) -> None:
        if not node.true_when_missing:
            return
        if negated:
            problems.append(
                where.problem(
                    ("when", *path),
                    "unsafe-not-known",
                    f"'{node.key}' under 'not' (or count_of at_most) would let a missing "
                    "answer make the outcome more favourable",
                )
            )
        elif favourable:
            problems.append(
                where.problem(
                    ("when", *path),
                    "unsafe-not-known",
                    f"'{node.key}' is only allowed in rules whose outcome is '{assess_first}' "
                    "or more restrictive",
                )
            )

    walk(rule.when, visit)
    return problems


def _check_property(
    where: Located[Property],
    info: RuleSetInfo | None,
    questions: Mapping[str, Question] | None,
    reference_ids: set[str] | None,
) -> list[Problem]:
    """A property names real questions, options, levels and settings; its levels are in order.

    ``not_known`` is allowed anywhere here: a property never changes an outcome.
    """
    prop = where.item
    problems = _check_citations(where, prop.citations, reference_ids)
    if questions is not None and prop.when is not None:
        problems += _check_condition(prop.when, questions, where, ("when",))
    if questions is not None:
        problems += _check_ordering(where, questions)
    if info is None:
        return problems
    ranks = {level.id: i for i, level in enumerate(info.levels)}
    for key, level in (("at_least", prop.at_least), ("at_most", prop.at_most)):
        problems += _unknown_level(where, (key,), level, ranks)
    if (
        prop.at_least in ranks
        and prop.at_most in ranks
        and ranks[prop.at_least] > ranks[prop.at_most]
    ):
        problems.append(
            where.problem(
                ("at_most",),
                "empty-property",
                f"no outcome is at least '{prop.at_least}' and at most '{prop.at_most}'",
            )
        )
    problems += _check_only_for(where, info)
    return problems


def _check_ordering(where: Located[Property], questions: Mapping[str, Question]) -> list[Problem]:
    """``ordered`` names a single-choice question and its options, each in one tier only."""
    ordering = where.item.ordered
    if ordering is None:
        return []
    question = questions.get(ordering.question)
    at: YamlPath = ("ordered", "question")
    if question is None:
        message = (
            f"'{ordering.question}' is not a question{did_you_mean(ordering.question, questions)}"
        )
        return [where.problem(at, "unknown-question", message)]
    if question.type not in (QuestionType.SINGLE, QuestionType.YES_NO):
        message = f"'ordered' needs a single-choice question; '{question.id}' is {question.type}"
        return [where.problem(at, "operator-mismatch", message)]
    options = [o.id for o in question.choices]
    problems, seen = [], set()
    for t, tier in enumerate(ordering.tiers):
        for i, option_id in enumerate(tier):
            path: YamlPath = ("ordered", "tiers", t, i)
            if option_id not in options:
                message = (
                    f"'{option_id}' is not an option of '{question.id}'"
                    f"{did_you_mean(option_id, options)}"
                )
                problems.append(where.problem(path, "unknown-option", message))
            elif option_id in seen:
                message = f"'{option_id}' is in more than one tier"
                problems.append(where.problem(path, "duplicate-id", message))
            seen.add(option_id)
    return problems


def _check_only_for(where: Located[Bound], info: RuleSetInfo) -> list[Problem]:
    problems = []
    settings = {s.id: s for s in info.settings}
    for setting_id, choice_ids in where.item.only_for.items():
        setting = settings.get(setting_id)
        if setting is None:
            problems.append(
                where.problem(
                    ("only_for", setting_id),
                    "unknown-setting",
                    f"'{setting_id}' is not a setting{did_you_mean(setting_id, settings)}",
                )
            )
            continue
        known = [c.id for c in setting.choices]
        for i, choice in enumerate(choice_ids):
            if choice not in known:
                problems.append(
                    where.problem(
                        ("only_for", setting_id, i),
                        "unknown-choice",
                        f"'{choice}' is not a choice of '{setting_id}'"
                        f"{did_you_mean(choice, known)}",
                    )
                )
    return problems


def _sheet_settings_bound(sheet: Located[SheetContent]) -> Iterator[Located[SettingsBound]]:
    """Every part of the sheet that may carry ``only_for``, located for its messages."""
    parts = dict(sheet.item.parts()) | dict(sheet.item.blocks())
    for path, part in parts.items():
        if isinstance(part, SettingsBound):
            yield Located(part, sheet.document, (*sheet.path, *path))


def _check_sheet(
    sheet: Located[SheetContent], info: RuleSetInfo | None, reference_ids: set[str] | None
) -> list[Problem]:
    """Every citation names a reference, and next steps name the rule set's levels."""
    problems: list[Problem] = []
    content = sheet.item
    known = reference_ids
    if known is not None:
        for at, part in content.parts():
            for i, ref in enumerate(part.citations):
                if ref not in known:
                    problems.append(
                        sheet.problem(
                            (*at, "citations", i),
                            "unknown-reference",
                            f"'{ref}' is not in the references{did_you_mean(ref, known)}",
                        )
                    )
        if content.sure.reference not in known:
            ref = content.sure.reference
            problems.append(
                sheet.problem(
                    ("sure", "reference"),
                    "unknown-reference",
                    f"'{ref}' is not in the references{did_you_mean(ref, known)}",
                )
            )
    if info is not None:
        for where in _sheet_settings_bound(sheet):
            problems += _check_only_for(where, info)
        levels = [level.id for level in info.levels]
        for at, block in [
            (("what_it_is_like", i), b) for i, b in enumerate(content.what_it_is_like)
        ]:
            for j, level in enumerate(block.outcomes):
                problems += _unknown_level(sheet, (*at, "outcomes", j), level, levels)
    return problems


def _check_sheet_resolves(
    sheet: Located[SheetContent],
    info: RuleSetInfo | None,
    questions: Mapping[str, Question] | None,
    rule_ids: Collection[str],
) -> list[Problem]:
    """The sheet's questions, conditions and next steps name what the rule set has: a goal
    question is a multiple-choice question, a goal's evidence names one of its options,
    a condition reads real questions, and a next step is keyed by a rule or a level."""
    content = sheet.item
    problems: list[Problem] = []
    if questions is not None:
        for i, question_id in enumerate(content.goals):
            question = questions.get(question_id)
            if question is None:
                message = f"'{question_id}' is not a question{did_you_mean(question_id, questions)}"
                problems.append(sheet.problem(("goals", i), "unknown-question", message))
            elif question.type is not QuestionType.MULTIPLE:
                message = f"the goals question '{question_id}' must be multiple-choice"
                problems.append(sheet.problem(("goals", i), "operator-mismatch", message))
        for i, evidence in enumerate(content.goal_evidence):
            at: YamlPath = ("goal_evidence", i)
            if evidence.question not in content.goals:
                message = f"'{evidence.question}' is not one of the sheet's goals questions"
                problems.append(sheet.problem((*at, "question"), "unknown-question", message))
                continue
            options = [o.id for o in questions[evidence.question].choices]
            if evidence.option not in options:
                message = (
                    f"'{evidence.option}' is not an option of '{evidence.question}'"
                    f"{did_you_mean(evidence.option, options)}"
                )
                problems.append(sheet.problem((*at, "option"), "unknown-option", message))
        for path, condition in content.conditions():
            problems += _check_condition(condition, questions, sheet, path)
    if info is not None:
        keys = {level.id for level in info.levels} | set(rule_ids)
        for key in content.next_steps:
            if key not in keys:
                message = f"'{key}' is neither a rule nor a level{did_you_mean(key, keys)}"
                problems.append(sheet.problem(("next_steps", key), "unknown-level", message))
    return problems


def check_rule_set(
    info: Located[RuleSetInfo] | None,
    questionnaire: Located[Questionnaire] | None,
    references: list[Located[Reference]] | None,
    rules: list[Located[Rule]],
    *,
    sheet: Located[SheetContent] | None = None,
    properties: Sequence[Located[Property]] = (),
) -> list[Problem]:
    """Every cross-reference problem among the parts that validated."""
    problems: list[Problem] = []
    if info is not None:
        problems += _check_info(info)
    if questionnaire is not None:
        problems += _check_questionnaire(questionnaire)
    reference_ids = None
    if references is not None:
        problems += _duplicates(((r.item.id, r, ("id",)) for r in references), "reference")
        reference_ids = {r.item.id for r in references}
    problems += _duplicates(((r.item.id, r, ("id",)) for r in rules), "rule")
    questions = questionnaire.item.by_id if questionnaire is not None else None
    for rule in rules:
        problems += _check_rule(rule, info.item if info else None, questions, reference_ids)
    if sheet is not None:
        problems += _check_sheet(sheet, info.item if info else None, reference_ids)
        rule_ids = [r.item.id for r in rules]
        problems += _check_sheet_resolves(sheet, info.item if info else None, questions, rule_ids)
    problems += _duplicates(((p.item.id, p, ("id",)) for p in properties), "property")
    for prop in properties:
        problems += _check_property(prop, info.item if info else None, questions, reference_ids)
    problems += _check_what_is_shown(
        info, questionnaire, references, rules, sheet=sheet, properties=properties
    )
    problems += _check_before_the_solver(info, references, rules)
    return problems


# -- what verify would find, seen without a solver ------------------------------------------


def _check_before_the_solver(
    info: Located[RuleSetInfo] | None,
    references: Sequence[Located[Reference]] | None,
    rules: Sequence[Located[Rule]],
) -> list[Problem]:
    """Mistakes a solver would find only later, or not in the installed app: levels in the
    wrong order, ``absolute`` below the most restrictive level, and a rule resting on an
    unverified source that does not say what is unverified."""
    problems: list[Problem] = []
    if info is not None:
        problems += _check_level_order(info)
        for rule in rules:
            problems += _check_absolute(rule, info.item)
    if references is not None:
        unverified = {
            r.item.id for r in references if r.item.verification is Verification.UNVERIFIED
        }
        for rule in rules:
            problems += _check_unverified(rule, unverified)
    return problems


_ORDER_HINT = (
    "levels are listed most favourable first and most restrictive last; if they are the "
    "other way round, reverse the list"
)


def _check_level_order(info: Located[RuleSetInfo]) -> list[Problem]:
    """``assess_first`` on the most favourable level gives an unknown answer the best outcome:
    most often the levels are listed the wrong way round."""
    levels = info.item.levels
    if info.item.assess_first != levels[0].id:
        return []
    return [
        info.problem(
            ("assess_first",),
            "level-order",
            f"'assess_first' is '{levels[0].id}', the first and so the most favourable level: "
            f"an answer not known would never make an outcome more restrictive; {_ORDER_HINT}",
        )
    ]


def _check_absolute(where: Located[Rule], info: RuleSetInfo) -> list[Problem]:
    """An absolute contraindication gives the most restrictive level, the last one listed."""
    rule, last = where.item, info.levels[-1].id
    known = rule.outcome is None or any(level.id == rule.outcome for level in info.levels)
    if not rule.absolute or rule.outcome == last or not known:  # an unknown one is said
        return []
    if rule.outcome is None:
        message = f"'absolute: true' on a note: give it the outcome '{last}', or remove 'absolute'"
        return [where.problem(("absolute",), "absolute-level", message)]
    hint = f"; {_ORDER_HINT}" if rule.outcome == info.levels[0].id else ""
    message = (
        f"'absolute: true' needs the most restrictive level, '{last}' (listed last), but the "
        f"outcome is '{rule.outcome}'{hint}"
    )
    return [where.problem(("outcome",), "absolute-level", message)]


def _check_unverified(where: Located[Rule], unverified: Collection[str]) -> list[Problem]:
    """A rule citing a source marked ``verification: unverified`` says what is unverified."""
    rule = where.item
    if rule.unverified is not None:
        return []
    return [
        where.problem(
            ("citations", i),
            "unverified-source",
            f"'{citation.ref}' is marked 'verification: unverified' in the references: say "
            "in the rule's 'unverified' note what it rests on that could not be checked",
        )
        for i, citation in enumerate(rule.citations)
        if citation.ref in unverified
    ]


# -- what the clinician sees is what is recorded ------------------------------------------

RESERVED_IDS: Mapping[str, str] = {
    NOT_KNOWN: "it records a 'Not known' answer",
    DEFAULT_RULE_ID: "the default outcome is reported under it",
}
"""Ids the engine itself uses; no level, setting, section, question, option, reference,
rule, property or sheet item may declare one."""

PROSE_FIELDS = frozenset(
    {
        "description", "help", "intro", "rationale", "patient_reason", "unverified",
        "default_reason", "update_policy", "funding", "citation", "note", "caveat", "points",
        "cautions", "actions", "answers", "next_steps", "decision", "questions_to_ask",
        "lint_ignore", "text", "claim", "correction", "known", "evidence", "no_experiences",
    }
)  # fmt: skip
"""Text fields written as paragraphs: the only ones where a line break may stand. Every
other text field (a title, a label, a name) is shown on one line."""

_LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")
_PROSE_WHITESPACE = frozenset("\n\t")
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Co", "Cs"})
_INVISIBLE_EXTRA = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u3164\uffa0")
"""Characters that draw nothing though they are neither controls nor format characters."""


def invisible_character(text: str, *, prose: bool) -> tuple[int, str] | None:
    """The first character of ``text`` a reader cannot see, as (0-based index, character):
    a control, zero-width, bidirectional or other format character. Prose may hold line
    breaks and tabs; in one-line text a line break is left to :func:`line_break`."""
    allowed = _PROSE_WHITESPACE if prose else _LINE_BREAKS
    # The fast path: printable text (no control, format, separator or unassigned character
    # but the space) that holds none of the extras; most text is.
    plain = text.replace("\n", " ").replace("\t", " ") if prose else text
    if plain.isprintable() and _INVISIBLE_EXTRA.isdisjoint(text):
        return None
    for index, char in enumerate(text):
        if char in allowed:
            continue
        if unicodedata.category(char) in _INVISIBLE_CATEGORIES or char in _INVISIBLE_EXTRA:
            return index, char
    return None


def line_break(text: str) -> int | None:
    """The 0-based index of the first line break in ``text``, if any."""
    return next((i for i, char in enumerate(text) if char in _LINE_BREAKS), None)


def label_key(text: str) -> str:
    """A label as a reader tells labels apart: NFKC, case folded, whitespace folded, and
    invisible characters dropped."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    visible = "".join(
        c
        for c in folded
        if unicodedata.category(c) not in _INVISIBLE_CATEGORIES and c not in _INVISIBLE_EXTRA
    )
    return " ".join(visible.split())


def _character_name(char: str) -> str:
    return f"U+{ord(char):04X} ({unicodedata.name(char, 'unnamed')})"


_Found = tuple[YamlPath, str, str]
"""(YAML path, field, value): a declared id has the field ``id``."""

_KEYS: dict[type[BaseModel], tuple[tuple[str, str], ...]] = {}


def _keys(model: type[BaseModel]) -> tuple[tuple[str, str], ...]:
    """A model's (attribute, YAML key) pairs, worked out once per model."""
    found = _KEYS.get(model)
    if found is None:
        found = _KEYS[model] = tuple(
            (name, field.alias or name) for name, field in model.model_fields.items()
        )
    return found


def _strings(model: BaseModel, path: YamlPath) -> Iterator[_Found]:
    """Every text value in ``model`` and the models it holds, as (YAML path, the field it
    belongs to, text); the ``id`` fields are the ids declared. Conditions are left out:
    they hold only ids, which other checks match to the questionnaire."""
    values = model.__dict__
    for name, key in _keys(type(model)):
        yield from _strings_in(values[name], (*path, key), key)


def _strings_in(value: object, path: YamlPath, key: str) -> Iterator[_Found]:
    if isinstance(value, str):
        yield path, key, value
    elif isinstance(value, Node):
        return
    elif isinstance(value, BaseModel):
        yield from _strings(value, path)
    elif isinstance(value, tuple | list):
        for index, item in enumerate(value):
            yield from _strings_in(item, (*path, index), key)
    elif isinstance(value, Mapping):
        for name, item in value.items():
            if isinstance(name, str):
                yield from _strings_in(item, (*path, name), key)


def _check_shown_text(where: Located[Any], strings: Iterable[_Found]) -> list[Problem]:
    """Text from a file is shown as it is: nothing in it may be invisible, and what is
    shown on one line (titles, labels, names) holds no line break."""
    problems: list[Problem] = []
    for path, key, text in strings:
        prose = key in PROSE_FIELDS
        found = invisible_character(text, prose=prose)
        if text and not text.strip() and found is None:
            problems.append(
                where.problem(
                    path, "invisible-character", f"'{key}' is blank: it would show nothing"
                )
            )
        if found is not None:
            index, char = found
            problems.append(
                where.problem(
                    path,
                    "invisible-character",
                    f"'{key}' holds the invisible character {_character_name(char)} at "
                    f"character {index + 1}; what is shown would not be what is written: "
                    "remove it",
                )
            )
        at = None if prose else line_break(text)
        if at is not None:
            hint = " (a block '>' or '|' ends with one: write '>-')" if at == len(text) - 1 else ""
            problems.append(
                where.problem(
                    path,
                    "multi-line-title",
                    f"'{key}' must be one line, but has a line break at character {at + 1}{hint}",
                )
            )
    return problems


def _check_reserved_ids(where: Located[Any], strings: Iterable[_Found]) -> list[Problem]:
    """No declared id may be one the engine uses itself."""
    return [
        where.problem(
            path,
            "reserved-id",
            f"'{ident}' is reserved ({RESERVED_IDS[ident]}); choose another id",
        )
        for path, key, ident in strings
        if key == "id" and ident in RESERVED_IDS
    ]


BUILT_IN_LABELS: tuple[str, ...] = ("Not known", "Unknown")
"""How the window and the sheet name the built-in "Not known" answer: no option of a question
that offers it may read the same."""

_Labels = list[tuple[YamlPath | None, str]]


def _labelled_groups(where: Located[Any]) -> Iterator[tuple[str, _Labels]]:
    """Groups of labels a reader must tell apart, as (what they label, [(path, label)]);
    a path of None is a label the program itself shows."""
    item = where.item
    if isinstance(item, Questionnaire):
        for si, section in enumerate(item.sections):
            for qi, question in enumerate(section.questions):
                at: YamlPath = ("sections", si, "questions", qi, "options")
                labels: _Labels = [(None, b) for b in BUILT_IN_LABELS if question.not_known]
                labels += [((*at, i, "label"), o.label) for i, o in enumerate(question.options)]
                yield f"options of question '{question.id}'", labels
        yield (
            "questions",
            [
                (("sections", si, "questions", qi, "label"), question.label)
                for si, section in enumerate(item.sections)
                for qi, question in enumerate(section.questions)
            ],
        )
        yield "sections", [(("sections", i, "title"), s.title) for i, s in enumerate(item.sections)]
    elif isinstance(item, RuleSetInfo):
        yield "levels", [(("levels", i, "label"), lv.label) for i, lv in enumerate(item.levels)]
        for si, setting in enumerate(item.settings):
            yield (
                f"choices of setting '{setting.id}'",
                [
                    (("settings", si, "choices", i, "label"), c.label)
                    for i, c in enumerate(setting.choices)
                ],
            )


def _check_duplicate_labels(where: Located[Any]) -> list[Problem]:
    """Two options (levels, choices) a reader cannot tell apart record different answers."""
    problems: list[Problem] = []
    for what, labels in _labelled_groups(where):
        first: dict[str, tuple[YamlPath | None, str]] = {}
        for path, label in labels:
            key = label_key(label)
            if key not in first:
                first[key] = (path, label)
                continue
            if path is None:
                continue
            earlier_path, earlier = first[key]
            if earlier_path is None:
                place = f"the built-in answer {earlier!r}"
            else:
                mark = where.document.mark(earlier_path)
                place = f"{earlier!r} at {where.document.file}:{mark.line}:{mark.column}"
            problems.append(
                where.problem(
                    path,
                    "duplicate-label",
                    f"the {what} must read differently: {label!r} reads as {place}",
                )
            )
    return problems


def _check_safety_asked(where: Located[Questionnaire]) -> list[Problem]:
    """A safety question is always asked: no ``show_when`` may hide it, directly or through
    the question it follows up."""
    questionnaire = where.item
    problems: list[Problem] = []
    for si, section in enumerate(questionnaire.sections):
        for qi, question in enumerate(section.questions):
            if not question.safety or question.show_when is None:
                continue
            chain = _lead_chain(questionnaire, question)
            through = f" (it follows up {' -> '.join(chain)})" if len(chain) > 1 else ""
            problems.append(
                where.problem(
                    ("sections", si, "questions", qi, "show_when"),
                    "safety-hidden",
                    f"safety question '{question.id}' has show_when, so an answer to it "
                    f"could be set aside{through}; a safety question is always asked: "
                    "remove show_when (offer an option such as 'not applicable' instead)",
                )
            )
    return problems


def _lead_chain(questionnaire: Questionnaire, question: Question) -> list[str]:
    """The questions ``question`` follows up through ``show_when``, nearest first."""
    chain: list[str] = []
    pending = list(question.show_when.questions()) if question.show_when else []
    while pending:
        lead = pending.pop(0)
        if lead in chain or lead == question.id:
            continue
        chain.append(lead)
        found = questionnaire.by_id.get(lead)
        if found is not None and found.show_when is not None:
            pending.extend(found.show_when.questions())
    return chain


def _check_what_is_shown(
    info: Located[RuleSetInfo] | None,
    questionnaire: Located[Questionnaire] | None,
    references: Sequence[Located[Reference]] | None,
    rules: Sequence[Located[Rule]],
    *,
    sheet: Located[SheetContent] | None,
    properties: Sequence[Located[Property]],
) -> list[Problem]:
    """What the clinician sees is what is recorded, and nothing a file says is hidden: ids
    the engine reserves, invisible characters, line breaks in titles, labels that read
    alike, and safety questions that may not be asked."""
    parts: list[Located[Any]] = [*rules, *(references or ()), *properties]
    parts += [part for part in (info, questionnaire, sheet) if part is not None]
    problems: list[Problem] = []
    for part in parts:
        strings = list(_strings(part.item, ()))
        problems += _check_reserved_ids(part, strings)
        problems += _check_shown_text(part, strings)
        problems += _check_duplicate_labels(part)
    if questionnaire is not None:
        problems += _check_safety_asked(questionnaire)
    return problems
