"""Prove safety properties over every possible answer set with an SMT solver (z3).

The questionnaire, ``show_when`` and the three-valued conditions are encoded exactly as
the engine evaluates them: a truth value is a pair of booleans (certainly true,
certainly false), unknown being neither. Each condition node encodes itself
(``Node.encode``) over the :class:`Symbols` a :class:`_World` gives it, and the outcome
is ranked by the rule set's own :meth:`~RuleSet.contribution`, as the engine ranks it.
For each setting (e.g. each guideline basis):

1. **Unknown is not No**: for every answer set and every question that is asked, the
   outcome with that question unanswered is at least as restrictive as the most
   restrictive outcome of its candidate known answers, up to the "assess first" level.
   The candidates are each option, each number a rule or ``show_when`` tests (and the
   one beside it), and for multiple choice each option alone and all together.
2. **Absolute contraindications**: whenever a rule marked ``absolute`` certainly
   applies, the outcome is the most restrictive level.
3. **One outcome**: every answer set gets exactly one outcome (some rule, or the
   default, always contributes). It holds by construction of the default; proving it
   checks that the encoding keeps that construction.
4. **Declared properties** (``properties.yaml``): whenever a property's condition is
   certainly true, the outcome lies within its bounds. An ``ordered`` property is proved
   over pairs of answer sets that share every answer but one question's: two copies of
   the rule set's encoding over the same variables, that question pinned to an
   earlier-tier answer in one and a later-tier answer in the other.

A failed property comes with a counterexample: an answers file that
``decision-aid evaluate`` reproduces. z3 is an optional extra (``pip install z3-solver``).

A rule set from a careless or hostile author can make the solver work for hours, so
:func:`verify` takes a time limit: a property the solver has not settled when it runs
out is *undecided*, and an undecided property is never taken as proved (the solver's
"unknown" is neither "holds" nor "fails").
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

import z3

from decision_aid.authoring.settings import matches
from decision_aid.domain.conditions import Node, walk
from decision_aid.domain.engine import candidate_answers
from decision_aid.domain.layout import RULESET_FILE
from decision_aid.domain.properties import bounds
from decision_aid.domain.questionnaire import NOT_KNOWN, Answers, Question, QuestionType
from decision_aid.domain.rules import Property, Rule, RuleSet, applies
from decision_aid.domain.sources import Place, SourceMap
from decision_aid.domain.truth import Truth

__all__ = [
    "Comparison",
    "Finding",
    "LintFinding",
    "Undecided",
    "compare",
    "encoded_outcome",
    "encoded_truth",
    "findings",
    "levels_disagree",
    "lint_rules",
    "setting_combinations",
    "verify",
]

Pair = tuple[Any, Any]  # (certainly true, certainly false) as z3 booleans
UNKNOWN = "__unknown__"


@dataclass(frozen=True)
class Finding:
    """One property under one combination of settings. ``holds`` is True only when it was
    proved; an ``undecided`` one (the time limit ran out) does not hold."""

    property: str
    settings: Mapping[str, str]
    holds: bool
    message: str
    counterexample: dict[str, Any] | None = None
    undecided: bool = False
    about: tuple[str, str] | None = None
    """What it is about, as (kind, id): ("rule", id), ("property", id) or ("question", id);
    None for the rule set as a whole."""

    def place(self, sources: SourceMap) -> Place:
        """Where what it is about is written, for ``file:line:col``."""
        if self.about is None:
            return sources.file(RULESET_FILE, ("default_outcome",))
        kind, ident = self.about
        if kind == "rule":
            return sources.rule(ident, ("absolute",))
        if kind == "property":
            return sources.property(ident)
        return sources.question(ident)


class Undecided(Exception):
    """The solver could not settle a question in the time left."""


@dataclass(frozen=True)
class LintFinding:
    """A warning about a rule (or, for a gap, the rule set) found over every answer set."""

    code: str  # "never-fires", "never-decides" or "gap"
    rule_id: str | None
    message: str
    counterexample: dict[str, Any] | None = None


class _World:
    """The answers as z3 variables, as the :class:`Symbols` each condition node encodes
    itself with; ``fixed`` pins one question to a value (or unknown)."""

    def __init__(
        self,
        rule_set: RuleSet,
        variables: dict[str, Any],
        fixed: Mapping[str, Any],
        base: _World | None = None,
    ) -> None:
        """``base`` (the world with nothing fixed) lends its terms for the conditions that
        read no fixed question, directly or through a ``show_when``: building z3 terms
        costs far more than solving them."""
        self.rs = rule_set
        self.v = variables
        self.fixed = fixed
        self._visible: dict[str, Pair] = {}
        self._base = base
        self._conditions: dict[int, Pair] = {}
        self._reads: dict[int, frozenset[str]] = {} if base is None else base._reads

    # The Symbols a node encodes itself with.

    def every(self, terms: Sequence[Any]) -> Any:
        return z3.And(list(terms))

    def some(self, terms: Sequence[Any]) -> Any:
        return z3.Or(list(terms))

    def negation(self, term: Any) -> Any:
        return z3.Not(term)

    def at_least_count(self, terms: Sequence[Any], count: int) -> Any:
        return z3.Sum([z3.If(t, 1, 0) for t in terms]) >= count

    def visibility(self, q: str) -> Pair:
        if q not in self._visible:
            condition = self.rs.questionnaire.by_id[q].show_when
            self._visible[q] = (
                (z3.BoolVal(True), z3.BoolVal(False))
                if condition is None
                else self.truth(condition)
            )
        return self._visible[q]

    def known(self, q: str) -> Any:
        if q in self.fixed:
            return z3.BoolVal(self.fixed[q] is not UNKNOWN)
        return self.v[q]["known"]

    def is_option(self, q: str, option_id: str) -> Any:
        choices = [o.id for o in self.rs.questionnaire.by_id[q].choices]
        return self._value(q) == choices.index(option_id)

    def picked(self, q: str, option_id: str) -> Any:
        return self._value(q)[option_id]

    def at_least(self, q: str, number: float) -> Any:
        return self._value(q) >= number

    def at_most(self, q: str, number: float) -> Any:
        return self._value(q) <= number

    def _value(self, q: str) -> Any:
        """For single choice: the option picked (a z3 Int index); for multiple choice, a
        Bool per option; for numbers: the value."""
        question = self.rs.questionnaire.by_id[q]
        fixed = self.fixed.get(q, None)
        if q in self.fixed and fixed is not UNKNOWN:
            if question.type is QuestionType.NUMBER:
                return z3.RealVal(fixed)
            if question.type is QuestionType.MULTIPLE:
                return {o.id: z3.BoolVal(o.id in fixed) for o in question.choices}
            return z3.IntVal([o.id for o in question.choices].index(fixed))
        return self.v[q]["value"]

    # Conditions and the outcome.

    def truth(self, node: Node) -> Pair:
        return node.encode(self)

    def condition(self, node: Node) -> Pair:
        """A whole condition's pair, worked out once (or borrowed from the base world)."""
        found = self._conditions.get(id(node))
        if found is None:
            base = self._base
            if base is not None and not (self._read_by(node) & self.fixed.keys()):
                found = base.condition(node)
            else:
                found = self.truth(node)
            self._conditions[id(node)] = found
        return found

    def _read_by(self, condition: Node) -> frozenset[str]:
        """The questions a condition reads, directly or through a ``show_when``."""
        found = self._reads.get(id(condition))
        if found is None:
            found = self._reads[id(condition)] = self.rs.questionnaire.reached(
                condition.questions()
            )
        return found

    def _ranked(self, settings: Mapping[str, str], without: Rule | None = None) -> list[Any]:
        """(rule or None for the default, its pair) for each rule with an outcome in force,
        then the default: "no rule with an outcome applies", in the same logic."""
        ranked: list[Any] = []
        for rule in self.rs.rules:
            if rule.outcome is None or rule is without or not applies(rule, settings):
                continue
            ranked.append((rule, self.condition(rule.when)))
        default = (self.every([f for _, (_, f) in ranked]), self.some([t for _, (t, _) in ranked]))
        return [*ranked, (None, default)]

    def reaches(self, settings: Mapping[str, str], level: int) -> Any:
        """Whether the outcome is ``level`` or more restrictive, as a z3 Bool: the outcome
        of :meth:`outcome` compared with a level, without its arithmetic (a solver takes a
        disjunction of rules far faster than a maximum over them)."""
        terms = []
        for rule, (t, f) in self._ranked(settings):
            certain = _rank(self.rs.contribution(rule, Truth.TRUE)) >= level
            unknown = _rank(self.rs.contribution(rule, Truth.UNKNOWN)) >= level
            if certain and unknown:
                terms.append(z3.Not(f))
            elif certain:
                terms.append(t)
            elif unknown:
                terms.append(z3.And(z3.Not(t), z3.Not(f)))
        return z3.Or(terms) if terms else z3.BoolVal(False)

    def outcome(self, settings: Mapping[str, str], without: Rule | None = None) -> Any:
        """The outcome's rank as a z3 Int, exactly as the engine computes it (``without``
        one rule, to ask whether that rule ever changes it)."""
        contributions = [
            z3.If(
                t,
                _rank(self.rs.contribution(rule, Truth.TRUE)),
                z3.If(f, -1, _rank(self.rs.contribution(rule, Truth.UNKNOWN))),
            )
            for rule, (t, f) in self._ranked(settings, without)
        ]
        best = contributions[0]
        for c in contributions[1:]:
            best = z3.If(c > best, c, best)
        return best


def _rank(contribution: int | None) -> int:
    return -1 if contribution is None else contribution


def _variables(rule_set: RuleSet, solver: z3.Solver) -> dict[str, Any]:
    variables: dict[str, Any] = {}
    for question in rule_set.questionnaire.questions():
        known = z3.Bool(f"{question.id}?known")
        if question.type is QuestionType.NUMBER:
            value: Any = z3.Int(question.id) if question.integer else z3.Real(question.id)
            solver.add(value >= question.minimum, value <= question.maximum)
        elif question.type is QuestionType.MULTIPLE:
            value = {o.id: z3.Bool(f"{question.id}={o.id}") for o in question.choices}
            solver.add(z3.Implies(known, z3.Or(list(value.values()))))
            for o in question.choices:
                if o.exclusive:
                    others = [value[p.id] for p in question.choices if p.id != o.id]
                    solver.add(z3.Implies(value[o.id], z3.Not(z3.Or(others))))
        else:
            value = z3.Int(question.id)
            solver.add(value >= 0, value < len(question.choices))
        variables[question.id] = {"known": known, "value": value}
    return variables


def _answers(rule_set: RuleSet, model: z3.ModelRef, variables: dict[str, Any]) -> dict[str, Any]:
    """A solver model as an answers file (unanswered questions are left out)."""
    answers: dict[str, Any] = {}
    for question in rule_set.questionnaire.questions():
        var = variables[question.id]
        if not z3.is_true(model.eval(var["known"], model_completion=True)):
            continue
        if question.type is QuestionType.NUMBER:
            number = model.eval(var["value"], model_completion=True)
            answers[question.id] = (
                float(number.as_fraction()) if hasattr(number, "as_fraction") else number.as_long()
            )
        elif question.type is QuestionType.MULTIPLE:
            answers[question.id] = [
                o
                for o, b in var["value"].items()
                if z3.is_true(model.eval(b, model_completion=True))
            ]
        else:
            index = model.eval(var["value"], model_completion=True).as_long()
            answers[question.id] = question.choices[index].id
    return answers


def _answered(rule_set: RuleSet, answers: Answers) -> tuple[z3.Solver, _World]:
    """A solver whose only answer set is ``answers``, and the world over it."""
    solver = z3.Solver()
    variables = _variables(rule_set, solver)
    for question in rule_set.questionnaire.questions():
        var = variables[question.id]
        value = answers.get(question.id)
        solver.add(var["known"] == (value is not None))
        if value is None:
            continue
        if question.type is QuestionType.NUMBER:
            solver.add(var["value"] == value)
        elif isinstance(value, tuple):
            solver.add(*[b == (o in value) for o, b in var["value"].items()])
        else:
            solver.add(var["value"] == [o.id for o in question.choices].index(str(value)))
    return solver, _World(rule_set, variables, {})


def encoded_truth(rule_set: RuleSet, condition: Node, answers: Answers) -> Truth:
    """The condition's value for one answer set as the solver's encoding has it (to hold
    the encoding to the engine's evaluation)."""
    solver, world = _answered(rule_set, answers)
    t, f = world.truth(condition)
    certain, impossible = z3.Bool("certain"), z3.Bool("impossible")
    solver.add(certain == t, impossible == f)
    if solver.check() != z3.sat:
        raise Undecided
    model = solver.model()
    if z3.is_true(model.eval(certain)):
        return Truth.TRUE
    return Truth.FALSE if z3.is_true(model.eval(impossible)) else Truth.UNKNOWN


def encoded_outcome(rule_set: RuleSet, answers: Answers, settings: Mapping[str, str]) -> str:
    """The outcome level id for one answer set as the solver's encoding has it."""
    solver, world = _answered(rule_set, answers)
    rank = z3.Int("rank")
    solver.add(rank == world.outcome(settings))
    if solver.check() != z3.sat:
        raise Undecided
    level: str = rule_set.info.levels[solver.model().eval(rank).as_long()].id
    return level


def levels_disagree(rule_set: RuleSet, settings: Mapping[str, str]) -> dict[str, Any] | None:
    """An answers file on which the level-by-level encoding the properties are proved with
    ("the outcome is this level or more restrictive") says otherwise than the outcome's
    encoding, for some level; None when the solver proves the two agree on every answer set
    (to hold the one to the other)."""
    prover = _Prover(rule_set, settings)
    for level in range(len(rule_set.info.levels) + 1):
        found = prover.counterexample(prover.reaches(level) != (prover.outcome >= level))
        if found is not None:
            return found
    return None


def _check(solver: z3.Solver, deadline: float | None) -> Any:
    """The solver's verdict on what it holds now, within the time left."""
    if deadline is not None:
        left = deadline - time.monotonic()
        if left <= 0:
            return z3.unknown
        solver.set("timeout", max(1, int(left * 1000)))
    return solver.check()


def _model(
    solver: z3.Solver,
    deadline: float | None,
    knowns: list[Any],
    *constraints: Any,
    minimal: bool = True,
) -> z3.ModelRef | None:
    """A model of the constraints, or None when there is none. A minimal one leaves as many
    questions unanswered (``knowns`` false) as it greedily can, for people to read: a solver
    call per question. Raises :class:`Undecided` when the solver cannot tell in time."""
    solver.push()
    scopes = 1
    try:
        solver.add(*constraints)
        verdict = _check(solver, deadline)
        if verdict == z3.unknown:
            raise Undecided
        if verdict != z3.sat:
            return None
        model = solver.model()
        dropped = minimal
        while dropped:  # until a whole pass leaves no further answer out
            dropped = False
            for known in knowns:
                if not z3.is_true(model.eval(known, model_completion=True)):
                    continue
                solver.push()
                solver.add(z3.Not(known))
                if _check(solver, deadline) == z3.sat:  # unknown: keep the answer, still a model
                    model, scopes, dropped = solver.model(), scopes + 1, True
                else:
                    solver.pop()
        return model
    finally:
        solver.pop(scopes)


class _Prover:
    """One solver per combination of settings: the answers and the outcome are encoded once,
    and each property is asked under push/pop."""

    def __init__(
        self,
        rule_set: RuleSet,
        settings: Mapping[str, str],
        *,
        minimal: bool = False,
        deadline: float | None = None,
    ) -> None:
        self.rs = rule_set
        self.settings = settings
        self.minimal = minimal
        self.deadline = deadline
        self.solver = z3.Solver()
        self.variables = _variables(rule_set, self.solver)
        self.world = _World(rule_set, self.variables, {})
        self.outcome = self.world.outcome(settings)
        self._reached: dict[int, Any] = {}

    def reaches(self, level: int) -> Any:
        """The outcome is at least as restrictive as ``level`` (built once per level)."""
        if level not in self._reached:
            self._reached[level] = self.world.reaches(self.settings, level)
        return self._reached[level]

    def out_of_time(self) -> bool:
        return self.deadline is not None and time.monotonic() >= self.deadline

    def counterexample(
        self, *constraints: Any, minimal: bool | None = None
    ) -> dict[str, Any] | None:
        """An answers file satisfying the constraints, or None when there is none; a minimal
        one (the prover's choice unless given) leaves as many questions unanswered as it
        greedily can, for people to read: it costs a solver call per question. Raises
        :class:`Undecided` when the solver cannot tell in the time left."""
        knowns = [self.variables[q.id]["known"] for q in self.rs.questionnaire.questions()]
        model = _model(
            self.solver,
            self.deadline,
            knowns,
            *constraints,
            minimal=self.minimal if minimal is None else minimal,
        )
        return None if model is None else _answers(self.rs, model, self.variables)

    def undecided(self, name: str) -> Finding:
        return Finding(
            name,
            self.settings,
            False,
            "not proved: the time limit ran out before the solver settled it",
            undecided=True,
        )

    def finding(self, name: str, holds: str, fails: str, *constraints: Any) -> Finding:
        """The property fails exactly when the constraints (its negation) can be met."""
        try:
            answers = self.counterexample(*constraints)
        except Undecided:
            return self.undecided(name)
        if answers is None:
            return Finding(name, self.settings, True, holds)
        return Finding(name, self.settings, False, fails, answers)

    def unknown_is_not_no(self, question: Question) -> Finding:
        """Unanswered, the outcome is below min(the most restrictive known answer's, the
        "assess first" level) exactly when, for some level up to "assess first", a known
        answer reaches it and the unanswered question does not."""
        name = f"unknown is not no ({question.id})"
        if self.out_of_time():
            return self.undecided(name)
        cap = self.rs.level_rank[self.rs.info.assess_first]
        unknown = _World(self.rs, self.variables, {question.id: UNKNOWN}, self.world)
        known = [
            _World(
                self.rs,
                self.variables,
                {question.id: list(v) if isinstance(v, tuple) else v},
                self.world,
            )
            for _, v in candidate_answers(self.rs, question)
        ]
        below = []
        for level in range(1, cap + 1):
            reached = []
            for world in known:  # the encoding alone can outlast the time limit
                if self.out_of_time():
                    return self.undecided(name)
                reached.append(world.reaches(self.settings, level))
            below.append(z3.And(z3.Or(reached), z3.Not(unknown.reaches(self.settings, level))))
        vis_t, _ = unknown.visibility(question.id)
        finding = self.finding(
            name,
            "holds for every answer set",
            f"leaving '{question.id}' unanswered gives a more favourable outcome than its "
            "known answers do",
            vis_t,
            z3.Or(below) if below else z3.BoolVal(False),
        )
        if finding.counterexample is not None and question.not_known:
            finding.counterexample[question.id] = NOT_KNOWN
        return finding

    def absolute(self, rule: Rule) -> Finding:
        name = f"absolute contraindication ({rule.id})"
        if self.out_of_time():
            return self.undecided(name)
        certain, _ = self.world.truth(rule.when)
        return self.finding(
            name,
            "always gives the most restrictive outcome",
            "applies but the outcome is not the most restrictive",
            certain,
            z3.Not(self.reaches(len(self.rs.info.levels) - 1)),
        )

    def declared(self, prop: Property) -> Finding:
        if prop.ordered is not None:
            return self.ordered(prop)
        name = f"{prop.id}: {prop.title}"
        if self.out_of_time():
            return self.undecided(name)
        assert prop.when is not None  # a property with bounds has a condition
        certain, _ = self.world.truth(prop.when)
        low, high = bounds(self.rs, prop)
        return self.finding(
            name,
            "holds for every answer set",
            f"the outcome can be {self._bounds(prop)} when the condition holds",
            certain,
            z3.Or(
                z3.Not(self.reaches(low)),
                self.reaches(high + 1),
            ),
        )

    def ordered(self, prop: Property) -> Finding:
        """Two answer sets alike but for one question: pinned to an earlier-tier answer in
        one world and a later-tier one in the other, sharing every other variable."""
        ordering = prop.ordered
        assert ordering is not None
        name = f"{prop.id}: {prop.title}"
        if self.out_of_time():
            return self.undecided(name)
        question = ordering.question
        failing = []
        for t, tier in enumerate(ordering.tiers):
            for later in ordering.tiers[t + 1 :]:
                for better in tier:
                    high = _World(self.rs, self.variables, {question: better})
                    holds = z3.BoolVal(True) if prop.when is None else high.truth(prop.when)[0]
                    for worse in later:
                        low = _World(self.rs, self.variables, {question: worse})
                        failing.append(
                            (
                                better,
                                worse,
                                z3.And(
                                    holds, low.outcome(self.settings) < high.outcome(self.settings)
                                ),
                            )
                        )
        for better, worse, constraint in failing:
            try:
                answers = self.counterexample(constraint)
            except Undecided:
                return self.undecided(name)
            if answers is not None:
                answers[question] = better
                return Finding(
                    name,
                    self.settings,
                    False,
                    f"with every other answer the same, '{question}' = '{worse}' gives a more "
                    f"favourable outcome than '{better}' (the answers file has '{better}')",
                    answers,
                )
        return Finding(name, self.settings, True, "holds for every pair of answer sets")

    def _bounds(self, prop: Property) -> str:
        parts = []
        if prop.at_least is not None:
            parts.append(f"more favourable than '{prop.at_least}'")
        if prop.at_most is not None:
            parts.append(f"more restrictive than '{prop.at_most}'")
        return " or ".join(parts)

    def one_outcome(self) -> Finding:
        return self.finding(
            "one outcome",
            "every answer set gets exactly one outcome",
            "an answer set gets no outcome",
            z3.Not(self.reaches(0)),
        )


def setting_combinations(rule_set: RuleSet) -> list[dict[str, str]]:
    """Every combination of the rule set's settings (one empty one when it has none)."""
    names = [s.id for s in rule_set.info.settings]
    choices = [[c.id for c in s.choices] for s in rule_set.info.settings]
    return [dict(zip(names, c, strict=True)) for c in itertools.product(*choices)]


def findings(
    rule_set: RuleSet,
    *,
    minimal: bool = False,
    time_limit: float | None = None,
    only: list[Mapping[str, str]] | None = None,
) -> Iterator[Finding]:
    """The built-in properties and every declared one, under every combination of settings
    (or ``only`` these), cheapest first, one at a time (so a caller can stop at the first
    that fails). ``minimal`` counterexamples answer as few questions as they can, for people
    to read. Once ``time_limit`` seconds have passed, every property left is undecided."""
    deadline = None if time_limit is None else time.monotonic() + time_limit
    for settings in setting_combinations(rule_set):
        if only is not None and settings not in only:
            continue
        prover = _Prover(rule_set, settings, minimal=minimal, deadline=deadline)
        yield prover.one_outcome()
        yield from (
            replace(prover.absolute(r), about=("rule", r.id))
            for r in rule_set.rules
            if r.absolute and applies(r, settings)
        )
        yield from (
            replace(prover.declared(p), about=("property", p.id))
            for p in rule_set.properties
            if applies(p, settings)
        )
        yield from (
            replace(prover.unknown_is_not_no(q), about=("question", q.id))
            for q in rule_set.questionnaire.questions()
        )


def verify(rule_set: RuleSet, *, time_limit: float | None = None) -> list[Finding]:
    """Every finding of :func:`findings`, with minimal counterexamples."""
    return list(findings(rule_set, minimal=True, time_limit=time_limit))


def _complete(prover: _Prover) -> Any:
    """Every question that is asked has a known answer."""
    return z3.And(
        [
            z3.Implies(prover.world.visibility(q.id)[0], prover.world.known(q.id))
            for q in prover.rs.questionnaire.questions()
        ]
    )


MAX_GAPS = 50
"""Gaps listed per combination of settings, at most: past them lint says how many more
it stopped at."""


def _thresholds(rule_set: RuleSet, question_id: str) -> list[tuple[str, float]]:
    """The (operator, bound) pairs the rules compare a number question's answer with."""
    found: set[tuple[str, float]] = set()

    def visit(node: Node, path: object, negated: bool) -> None:
        for question, (at_least, bound) in node.bounds():
            if question == question_id:
                found.add((">=" if at_least else "<=", bound))

    conditions = [rule.when for rule in rule_set.rules]
    conditions += [q.show_when for q in rule_set.questionnaire.questions() if q.show_when]
    for condition in conditions:
        walk(condition, visit)
    return sorted(found)


def _number_range(rule_set: RuleSet, question_id: str, value: Any) -> list[tuple[str, float]]:
    """The comparisons with the rules' bounds that ``value`` meets, the tightest each way:
    every answer meeting them is read alike by every rule."""
    low: tuple[str, float] | None = None
    high: tuple[str, float] | None = None
    for operator, bound in _thresholds(rule_set, question_id):
        met = value >= bound if operator == ">=" else value <= bound
        side = (operator if met else {">=": "<", "<=": ">"}[operator], bound)
        if side[0] in {">=", ">"} and (low is None or bound >= low[1]):
            low = side
        elif side[0] in {"<=", "<"} and (high is None or bound <= high[1]):
            high = side
    return [s for s in (low, high) if s is not None]


_COMPARE = {">=": lambda a, b: a >= b, ">": lambda a, b: a > b, "<=": lambda a, b: a <= b}
_COMPARE["<"] = lambda a, b: a < b


def _in_words(rule_set: RuleSet, question_id: str, value: Any) -> str:
    if rule_set.questionnaire.by_id[question_id].type is QuestionType.NUMBER:
        sides = _number_range(rule_set, question_id, value)
        return " and ".join(f"{question_id} {op} {bound:g}" for op, bound in sides) or (
            f"{question_id} answered"
        )
    return f"{question_id} = {json.dumps(value)}"


def _pinned(prover: _Prover, question_id: str, value: Any) -> Any:
    """The answer to ``question_id`` is ``value`` (as an answers file writes it); a number
    is pinned only as far as the rules' bounds tell answers apart."""
    question = prover.rs.questionnaire.by_id[question_id]
    var = prover.variables[question_id]
    if question.type is QuestionType.NUMBER:
        sides = _number_range(prover.rs, question_id, value)
        return z3.And(var["known"], *(_COMPARE[op](var["value"], b) for op, b in sides))
    if question.type is QuestionType.MULTIPLE:
        chosen = [b if o in value else z3.Not(b) for o, b in var["value"].items()]
        return z3.And(var["known"], *chosen)
    index = [o.id for o in question.choices].index(value)
    return z3.And(var["known"], var["value"] == index)


def _gaps(prover: _Prover) -> list[LintFinding]:
    """Every gap under one combination of settings, the most general first: each is the
    fewest answers that, however the rest is answered, no rule with an outcome covers."""
    rule_set = prover.rs
    covered = z3.Or(
        [
            prover.world.truth(r.when)[0]
            for r in rule_set.rules
            if r.outcome is not None and applies(r, prover.settings)
        ]
    )
    complete = _complete(prover)
    found: list[tuple[dict[str, Any], dict[str, Any]]] = []
    blocked: list[Any] = []
    while len(found) <= MAX_GAPS:
        try:
            example = prover.counterexample(complete, z3.Not(covered), *blocked)
        except Undecided:
            break
        if example is None:
            break
        region = dict(example)
        for question_id in list(region):
            fewer = {q: v for q, v in region.items() if q != question_id}
            pins = [_pinned(prover, q, v) for q, v in fewer.items()]
            try:
                if prover.counterexample(complete, covered, *pins) is None:
                    region = fewer  # still a gap however that question is answered
            except Undecided:
                continue
        found.append((region, example))
        blocked.append(z3.Not(z3.And([_pinned(prover, q, v) for q, v in region.items()])))
    where = ", ".join(f"{k} = {v}" for k, v in prover.settings.items()) or "any setting"
    default = rule_set.info.default_outcome
    findings = [
        LintFinding(
            "gap",
            None,
            f"a fully answered consultation that no rule covers ({where}): the default "
            f"'{default}' decides it whenever "
            + (" and ".join(_in_words(rule_set, q, v) for q, v in region.items()) or "always")
            + f"; e.g. {json.dumps(example)}",
            example,
        )
        for region, example in sorted(found[:MAX_GAPS], key=lambda g: len(g[0]))
    ]
    if len(found) > MAX_GAPS:
        findings.append(
            LintFinding(
                "gap",
                None,
                f"more gaps ({where}) past the first {MAX_GAPS}: close these and lint again",
            )
        )
    return findings


def lint_rules(rule_set: RuleSet, chosen: Mapping[str, str] | None = None) -> list[LintFinding]:
    """Rules that never fire, rules that never change the outcome, and gaps: answer sets
    that no rule with an outcome covers (the default decides them); under the ``chosen``
    settings only, when given."""
    chosen = chosen or {}
    provers = [_Prover(rule_set, s) for s in setting_combinations(rule_set) if matches(s, chosen)]
    findings: list[LintFinding] = []

    def possible(prover: _Prover, *constraints: Any) -> bool:
        try:
            return prover.counterexample(*constraints) is not None
        except Undecided:  # a warning needs a proof: the solver's doubt warns of nothing
            return True

    for rule in rule_set.rules:
        usable = [p for p in provers if applies(rule, p.settings)]
        if not usable:  # not in force under the chosen settings
            continue
        if not any(possible(p, p.world.truth(rule.when)[0]) for p in usable):
            findings.append(
                LintFinding("never-fires", rule.id, "no answer set makes this rule certainly true")
            )
            continue
        if rule.outcome is not None and not any(
            possible(p, p.outcome != p.world.outcome(p.settings, without=rule)) for p in usable
        ):
            findings.append(
                LintFinding(
                    "never-decides",
                    rule.id,
                    "this rule never changes the outcome: whenever it fires, other rules give "
                    "the same outcome without it",
                )
            )
    for prover in provers:
        findings += _gaps(prover)
    return findings


@dataclass(frozen=True)
class Comparison:
    """Two rule sets under one combination of settings. ``equivalent`` is True when they
    behave alike on every answer set both accept, False when the solver found answer sets
    that tell them apart (``examples``: answers files, one per change of outcome, with as few
    answers as it could), None when the time limit ran out first. ``outcome_changes`` says
    whether the examples change the outcome, or only which rules fire."""

    settings: Mapping[str, str]
    equivalent: bool | None
    examples: tuple[dict[str, Any], ...] = ()
    outcome_changes: bool = False


def _joint_variables(
    old: RuleSet, new: RuleSet, solver: z3.Solver
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The answers of two versions of a questionnaire as one set of variables: a question
    both ask alike shares its variables (z3 names them by question and option), so an answer
    means the same in both; an option or a type only one version has is left out, so only
    answers both versions accept are considered."""
    old_vars = _variables(old, solver)
    if new.questionnaire is old.questionnaire:  # e.g. a mutant: the very same questions
        return old_vars, old_vars
    new_vars = _variables(new, solver)
    for question in new.questionnaire.questions():
        before = old.questionnaire.by_id.get(question.id)
        if before is None:
            continue
        ours, theirs = new_vars[question.id], old_vars[question.id]
        old_ids, new_ids = [o.id for o in before.choices], [o.id for o in question.choices]
        if before.type is not question.type or before.integer != question.integer:
            solver.add(z3.Not(ours["known"]))  # an answer to one is no answer to the other
        elif question.type is QuestionType.MULTIPLE:
            solver.add(*(z3.Not(theirs["value"][o]) for o in old_ids if o not in new_ids))
            solver.add(*(z3.Not(ours["value"][o]) for o in new_ids if o not in old_ids))
        elif question.type is not QuestionType.NUMBER and old_ids != new_ids:
            value = z3.Int(f"{question.id}@new")
            same = [
                z3.And(theirs["value"] == i, value == new_ids.index(o))
                for i, o in enumerate(old_ids)
                if o in new_ids
            ]
            solver.add(z3.Implies(ours["known"], z3.Or(same)))
            new_vars[question.id] = {"known": ours["known"], "value": value}
    return old_vars, new_vars


def _joint_answers(
    old: RuleSet,
    new: RuleSet,
    old_vars: dict[str, Any],
    new_vars: dict[str, Any],
    model: z3.ModelRef,
) -> dict[str, Any]:
    """A model of two versions' joint variables as one answers file."""
    return {**_answers(new, model, new_vars), **_answers(old, model, old_vars)}


def _joint_settings(old: RuleSet, new: RuleSet) -> list[dict[str, str]]:
    """Every combination of the settings of either version (of a setting both have, the
    choices both have)."""
    choices: dict[str, list[str]] = {}
    for rule_set in (old, new):
        for setting in rule_set.info.settings:
            ids = [c.id for c in setting.choices]
            choices[setting.id] = [c for c in choices.get(setting.id, ids) if c in ids]
    return [dict(zip(choices, c, strict=True)) for c in itertools.product(*choices.values())]


def _fired_differently(before: _World, after: _World, settings: Mapping[str, str]) -> list[Any]:
    """Where some rule fires in one rule set and not in the other, certainly or only
    because of an unknown (what a case's ``fired`` and ``might_apply`` observe)."""
    differences = []
    rules_after = after.rs.rules_by_id
    for rule in before.rs.rules:
        if not applies(rule, settings):
            continue
        t, f = before.truth(rule.when)
        twin = rules_after.get(rule.id)
        if twin is None or not applies(twin, settings):
            # It fired before and cannot now: a rule with an outcome fires unless
            # certainly false; a note only when certainly true.
            differences.append(t if rule.outcome is None else z3.Not(f))
            continue
        t2, f2 = after.truth(twin.when)
        differences.append(t != t2)  # fires, or fires for certain
        if rule.outcome is not None or twin.outcome is not None:
            # A rule with an outcome also fires when unknown; a note does not.
            differences.append(f != f2)
    return differences


def compare(
    old: RuleSet,
    new: RuleSet,
    *,
    rules: bool = False,
    examples: int = 3,
    complete: bool = False,
    time_limit: float | None = None,
) -> list[Comparison]:
    """Whether ``new`` gives the outcome ``old`` gives on every answer set both accept, for
    each combination of settings; if not, up to ``examples`` answer sets whose outcome
    changes, each a different change (old level → new level). With ``rules``, a version
    that keeps every outcome but fires other rules is not equivalent either (then one
    example shows it); with no ``examples``, only the verdict. ``complete`` examples
    answer every question either version asks (for a case file) where they can; else as
    few as they can (for reading). Once ``time_limit`` seconds have passed, what is left
    is undecided."""
    deadline = None if time_limit is None else time.monotonic() + time_limit
    return [
        _Comparer(old, new, settings, complete, deadline).compare(rules, examples)
        for settings in _joint_settings(old, new)
    ]


class _Comparer:
    """Two versions over one set of answer variables, under one combination of settings."""

    def __init__(
        self,
        old: RuleSet,
        new: RuleSet,
        settings: Mapping[str, str],
        complete: bool,
        deadline: float | None,
    ) -> None:
        self.settings = settings
        self.deadline = deadline
        self.solver = z3.Solver()
        old_vars, new_vars = _joint_variables(old, new, self.solver)
        self.before, self.after = _World(old, old_vars, {}), _World(new, new_vars, {})
        self.old_rank, self.new_rank = self.before.outcome(settings), self.after.outcome(settings)
        old_levels, new_levels = [v.id for v in old.info.levels], [v.id for v in new.info.levels]
        self.changed = (
            self.old_rank != self.new_rank
            if old_levels == new_levels
            else z3.Or(
                [
                    z3.And(self.old_rank == i, self.new_rank == j)
                    for i, a in enumerate(old_levels)
                    for j, b in enumerate(new_levels)
                    if a != b
                ]
            )
        )
        self.knowns = [v["known"] for v in {**new_vars, **old_vars}.values()]
        self.answered = [
            z3.Implies(world.visibility(q.id)[0], world.known(q.id))
            for world in ((self.before, self.after) if complete else ())
            for q in world.rs.questionnaire.questions()
        ]
        self.answers = partial(_joint_answers, old, new, old_vars, new_vars)

    def example(self, *constraints: Any, minimal: bool) -> z3.ModelRef | None:
        """A model of the constraints or None; a minimal one is complete when asked for and
        there is one (else any), with as few answers as the solver can leave out."""
        if not minimal:
            return _model(self.solver, self.deadline, self.knowns, *constraints, minimal=False)
        found = _model(self.solver, self.deadline, self.knowns, *constraints, *self.answered)
        if found is None and self.answered:
            found = _model(self.solver, self.deadline, self.knowns, *constraints)
        return found

    def compare(self, rules: bool, examples: int) -> Comparison:
        """The verdict, with up to ``examples`` examples (none: one solver call per question
        asked, the verdict alone)."""
        shown: list[dict[str, Any]] = []
        seen: list[Any] = []  # the changes of outcome shown so far
        outcome_changes = differs = False
        fired = z3.Or(_fired_differently(self.before, self.after, self.settings))
        try:
            if examples == 0 and rules:  # one call settles most: any difference at all?
                if self.example(z3.Or(self.changed, fired), minimal=False) is None:
                    return Comparison(self.settings, True)
                outcome_changes = self.example(self.changed, minimal=False) is not None
                return Comparison(self.settings, False, (), outcome_changes)
            while len(shown) < examples or not outcome_changes:
                model = self.example(self.changed, *seen, minimal=examples > 0)
                if model is None:
                    break
                outcome_changes = differs = True
                if examples == 0:
                    break
                was, now = model.eval(self.old_rank), model.eval(self.new_rank)
                seen.append(z3.Not(z3.And(self.old_rank == was, self.new_rank == now)))
                shown.append(self.answers(model))
            if not differs and rules:
                model = self.example(fired, minimal=examples > 0)
                differs = model is not None
                if model is not None and examples > 0:
                    shown.append(self.answers(model))
        except Undecided:
            return Comparison(self.settings, None, tuple(shown), outcome_changes)
        return Comparison(self.settings, not differs, tuple(shown), outcome_changes)
