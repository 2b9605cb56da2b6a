"""Work limits: how large a rule set may be, and the checks that refuse one beyond them.

Every file is untrusted, and a rule file under 1 MiB can still ask for unbounded work:
thousands of bounds on one number question, a hundred thousand rules, conditions nested
past what Python's parser takes. Each limit below sits far above what a real rule set
needs (the bundled one: 30 rules, 27 questions, 4 levels, 1 setting) and low enough that,
within all of them together, an answer change stays under 50 ms and check grows no faster
than the rule set (``python -m bench`` measures both at the limits, and verify there).

``check`` refuses a rule set beyond a limit with an ``over-limit`` problem at the first
node past it, and one with a number that is not finite (``1e999`` reads as infinity)
with a ``not-finite`` problem. docs/rule-language.md lists the limits and why each exists.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import BaseModel

from decision_aid.domain.checks import Located
from decision_aid.domain.conditions import Node, walk
from decision_aid.domain.errors import Problem
from decision_aid.domain.leaflet import SheetContent
from decision_aid.domain.questionnaire import Questionnaire
from decision_aid.domain.rules import Property, Reference, Rule, RuleSetInfo
from decision_aid.domain.yamlsource import YamlPath

__all__ = [
    "LIMITS",
    "MAX_BOUNDS",
    "MAX_CHOICES",
    "MAX_CONDITION_DEPTH",
    "MAX_CONDITION_NODES",
    "MAX_ID_LENGTH",
    "MAX_LABEL_LENGTH",
    "MAX_LEVELS",
    "MAX_LIST_ITEMS",
    "MAX_NODES",
    "MAX_NUMBER",
    "MAX_OPTIONS",
    "MAX_PROPERTIES",
    "MAX_QUESTIONS",
    "MAX_REFERENCES",
    "MAX_RULES",
    "MAX_RULE_FILES",
    "MAX_SECTIONS",
    "MAX_SETTINGS",
    "MAX_SETTING_COMBINATIONS",
    "MAX_TEXT_LENGTH",
    "MAX_TOTAL_BYTES",
    "Limits",
    "check_limits",
]

MAX_RULES = 120
"""Rules in a rule set: each answer change evaluates every rule."""
MAX_RULE_FILES = 20
"""Files in ``rules/``: each is read whole (up to 1 MiB) on every check."""
MAX_TOTAL_BYTES = 2 * 1024 * 1024
"""Bytes of all the rule set's files together (each file is refused past 1 MiB anyway):
reading YAML costs about a second a MiB."""
MAX_QUESTIONS = 60
"""Questions in the questionnaire, all sections together; an answers file names at most
these (it is refused at the first key that is not a question)."""
MAX_SECTIONS = 30
"""Sections in the questionnaire."""
MAX_OPTIONS = 40
"""Options of one question: each is tried for what is missing, and verify tries each."""
MAX_LEVELS = 8
"""Outcome levels."""
MAX_SETTINGS = 4
"""Settings (such as the guideline basis)."""
MAX_CHOICES = 4
"""Choices of one setting."""
MAX_SETTING_COMBINATIONS = 4
"""Combinations of all settings' choices: verify and lint prove everything once for each."""
MAX_REFERENCES = 200
"""References."""
MAX_PROPERTIES = 40
"""Declared properties: verify proves each under every combination of settings."""
MAX_CONDITION_NODES = 40
"""Nodes (predicates, all, any, not, count_of, not_known) in one condition."""
MAX_NODES = 1500
"""Condition nodes in the whole rule set: rules, show_when and properties together."""
MAX_CONDITION_DEPTH = 10
"""How deeply one condition may nest ``all``, ``any``, ``not`` and ``count_of``."""
MAX_BOUNDS = 60
"""Distinct bounds (``at_least``/``at_most`` numbers) on one number question: each bound
and the value beside it are tried for what is missing."""
MAX_LIST_ITEMS = 50
"""Items of any other list (cautions, actions, citations, authors, ``in``, sheet points)."""
MAX_ID_LENGTH = 64
"""Characters in an id, or in a name that must match one (a question, an option, a level)."""
MAX_LABEL_LENGTH = 200
"""Characters in a label, title, short name or unit: shown in one line of the window."""
MAX_TEXT_LENGTH = 4000
"""Characters in any other text (question text, help, reasons, rationale, citations)."""
MAX_NUMBER = 1e9
"""The largest magnitude of a number (a bound, ``minimum``, ``maximum``): the window's
number field holds whole numbers up to about 2.1e9, and a bound's neighbour (the bound
less 0.1) must stay another number."""

_ID_FIELDS = frozenset(
    {"id", "ref", "question", "is", "in", "includes", "not_known", "outcome", "assess_first",
     "default_outcome", "default", "at_least", "at_most"}
)  # fmt: skip
_LABEL_FIELDS = frozenset({"label", "title", "short", "unit"})
_COUNTED = frozenset({"sections", "questions", "all", "any", "count_of"})
"""Lists limited as a whole (questions) or as nodes (conditions), not as lists."""


@dataclass(frozen=True)
class Limits:
    """The limits ``check`` applies; :data:`LIMITS` holds the documented ones."""

    rules: int = MAX_RULES
    rule_files: int = MAX_RULE_FILES
    total_bytes: int = MAX_TOTAL_BYTES
    questions: int = MAX_QUESTIONS
    sections: int = MAX_SECTIONS
    options: int = MAX_OPTIONS
    levels: int = MAX_LEVELS
    settings: int = MAX_SETTINGS
    choices: int = MAX_CHOICES
    setting_combinations: int = MAX_SETTING_COMBINATIONS
    references: int = MAX_REFERENCES
    properties: int = MAX_PROPERTIES
    condition_nodes: int = MAX_CONDITION_NODES
    nodes: int = MAX_NODES
    condition_depth: int = MAX_CONDITION_DEPTH
    bounds: int = MAX_BOUNDS
    list_items: int = MAX_LIST_ITEMS
    id_length: int = MAX_ID_LENGTH
    label_length: int = MAX_LABEL_LENGTH
    text_length: int = MAX_TEXT_LENGTH
    number: float = MAX_NUMBER

    def text_limit(self, key: str) -> int:
        """Characters a text under ``key`` may hold: a label's, or any other text's."""
        return self.label_length if key in _LABEL_FIELDS else self.text_length


LIMITS = Limits()


@cache
def _keys(model: type[BaseModel]) -> tuple[tuple[str, str], ...]:
    return tuple((name, info.alias or name) for name, info in model.model_fields.items())


def _fields(value: Any) -> list[tuple[YamlPath, str, Any]]:
    """Every value under ``value`` (a validated item) with its YAML path and the key it
    is written under; a mapping's keys come as ids."""
    found: list[tuple[YamlPath, str, Any]] = []
    stack: list[tuple[YamlPath, str, Any]] = [((), "", value)]
    while stack:
        path, key, item = stack.pop()
        if isinstance(item, BaseModel):
            for name, alias in _keys(type(item)):
                stack.append(((*path, alias), alias, getattr(item, name)))
            continue
        found.append((path, key, item))
        if isinstance(item, tuple):
            stack += [((*path, i), key, part) for i, part in enumerate(item)]
        elif isinstance(item, Mapping):
            for name, part in item.items():
                found.append(((*path, name), "id", name))
                stack.append(((*path, name), "", part))
    return found


class _Checker:
    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.problems: list[Problem] = []
        self.not_finite: list[Problem] = []

    def over(self, where: Located[Any], path: YamlPath, message: str) -> None:
        self.problems.append(where.problem(path, "over-limit", message))

    def count(self, items: Sequence[tuple[Located[Any], YamlPath]], limit: int, what: str) -> None:
        """Refuse a collection longer than ``limit``, at its first item past it."""
        if len(items) > limit:
            where, path = items[limit]
            self.over(where, path, f"more than {limit} {what} ({len(items)}); the limit is {limit}")

    def values(self, where: Located[Any]) -> None:
        """Text lengths, list lengths and number sizes of one item; numbers not finite."""
        limits = self.limits
        # The sheet's keys are its own: its "question" is a patient's question, in words.
        ids = {"id"} if isinstance(where.item, SheetContent) else _ID_FIELDS
        for path, key, value in _fields(where.item):
            if isinstance(value, float) and not math.isfinite(value):
                message = f"'{key}' must be a finite number, got {_word(value)}"
                self.not_finite.append(where.problem(path, "not-finite", message))
            elif isinstance(value, str):
                limit = limits.id_length if key in ids else limits.text_limit(key)
                what = "an id" if key in ids else (f"a '{key}'" if key else "a text")
                if len(value) > limit:
                    self.over(
                        where,
                        path,
                        f"{what} of {len(value)} characters; the limit is {limit}",
                    )
            elif isinstance(value, tuple) and key not in _COUNTED:
                limit = {
                    "options": limits.options,
                    "levels": limits.levels,
                    "settings": limits.settings,
                    "choices": limits.choices,
                }.get(key, limits.list_items)
                if len(value) > limit:
                    self.over(
                        where,
                        (*path, limit),
                        f"more than {limit} items in '{key}' ({len(value)}); the limit is {limit}",
                    )
            elif (
                isinstance(value, float | int)
                and not isinstance(value, bool)
                and abs(value) > limits.number
            ):
                self.over(
                    where,
                    path,
                    f"{_figure(value)} is larger than the limit of {limits.number:g} for a number",
                )

    def condition(self, where: Located[Any], base: YamlPath, condition: Node) -> int:
        """Nodes and depth of one condition; returns its node count."""
        nodes: list[YamlPath] = []
        deepest: list[tuple[int, YamlPath]] = []

        def visit(node: Node, path: YamlPath, _negated: bool) -> None:
            nodes.append(path)
            depth = sum(isinstance(p, str) for p in path)  # all/any/count_of/not each add one
            if depth > self.limits.condition_depth and not deepest:
                deepest.append((depth, path))

        walk(condition, visit)
        if len(nodes) > self.limits.condition_nodes:
            limit = self.limits.condition_nodes
            self.over(
                where,
                (*base, *nodes[limit]),
                f"a condition of more than {limit} parts ({len(nodes)}); the limit is {limit}",
            )
        if deepest:
            limit = self.limits.condition_depth
            self.over(
                where,
                (*base, *deepest[0][1]),
                f"a condition nested more than {limit} levels deep; the limit is {limit}",
            )
        return len(nodes)


def _conditions(
    questionnaire: Located[Questionnaire] | None,
    rules: Sequence[Located[Rule]],
    properties: Sequence[Located[Property]],
) -> list[tuple[Located[Any], YamlPath, Node]]:
    found: list[tuple[Located[Any], YamlPath, Node]] = []
    if questionnaire is not None:
        for si, section in enumerate(questionnaire.item.sections):
            for qi, question in enumerate(section.questions):
                if question.show_when is not None:
                    at: YamlPath = ("sections", si, "questions", qi, "show_when")
                    found.append((questionnaire, at, question.show_when))
    found += [(rule, ("when",), rule.item.when) for rule in rules]
    found += [(p, ("when",), p.item.when) for p in properties if p.item.when is not None]
    return found


def _bounds(checker: _Checker, conditions: list[tuple[Located[Any], YamlPath, Node]]) -> None:
    """At most ``limits.bounds`` distinct numbers tested on each number question."""
    tested: list[tuple[Located[Any], YamlPath, str, float]] = []
    for where, base, condition in conditions:

        def visit(
            node: Node,
            path: YamlPath,
            _negated: bool,
            at: YamlPath = base,
            owner: Located[Any] = where,
        ) -> None:
            for question_id, (_, bound) in node.bounds():
                tested.append((owner, (*at, *path, node.key), question_id, bound))

        walk(condition, visit)
    seen: dict[str, set[float]] = {}
    limit = checker.limits.bounds
    for where, path, question_id, bound in tested:
        found = seen.setdefault(question_id, set())
        if len(found) > limit:
            continue  # refused already
        found.add(bound)
        if len(found) > limit:
            checker.over(
                where,
                path,
                f"more than {limit} different bounds on '{question_id}'; the limit is {limit}",
            )


def check_limits(
    info: Located[RuleSetInfo] | None,
    questionnaire: Located[Questionnaire] | None,
    references: Sequence[Located[Reference]] | None,
    rules: Sequence[Located[Rule]],
    *,
    sheet: Located[SheetContent] | None = None,
    properties: Sequence[Located[Property]] = (),
    limits: Limits = LIMITS,
) -> list[Problem]:
    """Every ``not-finite`` and ``over-limit`` problem among the parts that validated."""
    checker = _Checker(limits)
    items: list[Located[Any]] = [*rules, *properties, *(references or ())]
    items += [part for part in (info, questionnaire, sheet) if part is not None]
    for item in items:
        checker.values(item)
    checker.count([(r, ()) for r in rules], limits.rules, "rules")
    checker.count([(p, ()) for p in properties], limits.properties, "properties")
    checker.count([(r, ()) for r in references or ()], limits.references, "references")
    if questionnaire is not None:
        sections = questionnaire.item.sections
        checker.count(
            [(questionnaire, ("sections", i)) for i in range(len(sections))],
            limits.sections,
            "sections",
        )
        questions = [
            (questionnaire, ("sections", si, "questions", qi))
            for si, section in enumerate(sections)
            for qi in range(len(section.questions))
        ]
        checker.count(questions, limits.questions, "questions")
    if info is not None and info.item.settings:
        combinations = math.prod(len(s.choices) for s in info.item.settings)
        if combinations > limits.setting_combinations:
            checker.over(
                info,
                ("settings",),
                f"{combinations} combinations of settings; the limit is "
                f"{limits.setting_combinations}",
            )
    conditions = _conditions(questionnaire, rules, properties)
    total = 0
    for where, base, condition in conditions:
        before = total
        total += checker.condition(where, base, condition)
        if before <= limits.nodes < total:
            checker.over(
                where,
                base,
                f"more than {limits.nodes} condition parts in the rule set; the limit is "
                f"{limits.nodes}",
            )
    _bounds(checker, conditions)
    return checker.not_finite + checker.problems


def _figure(value: float) -> str:
    try:
        return f"{value:g}"
    except OverflowError:  # a whole number beyond any float
        return f"a number of {len(str(abs(int(value))))} digits"


def _word(value: float) -> str:
    if math.isnan(value):
        return "not a number"
    return "infinity" if value > 0 else "minus infinity"
