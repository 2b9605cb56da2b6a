"""Generated conditions of every node type, over the mini rule set's questionnaire.

One strategy per node type, keyed by it: ``test_condition_registry.py`` checks that every
member of the condition union has one, so a node type added without a strategy fails
there, and the differential tests (compiled against interpreted, the solver's encoding
against the engine) run over every node type.
"""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import strategies as st
from pydantic import TypeAdapter

from decision_aid.domain import load_rule_set
from decision_aid.domain.conditions import (
    All,
    AnyOf,
    AtLeast,
    AtMost,
    Condition,
    CountOf,
    In,
    Includes,
    Is,
    Node,
    Not,
    NotIn,
    NotKnown,
)
from decision_aid.domain.questionnaire import QuestionType
from tests.conftest import MINI

RULES = load_rule_set(MINI)
CONDITION: TypeAdapter[Condition] = TypeAdapter(Condition)
Raw = dict[str, object]

_QUESTIONS = list(RULES.questionnaire.questions())
_SINGLE = [q for q in _QUESTIONS if q.type in (QuestionType.SINGLE, QuestionType.YES_NO)]
_MULTIPLE = [q for q in _QUESTIONS if q.type is QuestionType.MULTIPLE]
_NUMBER = [q for q in _QUESTIONS if q.type is QuestionType.NUMBER]


def _options(key: str, single: bool = False) -> st.SearchStrategy[Raw]:
    questions = _MULTIPLE if key == "includes" else _SINGLE

    def of(question_id: str, options: list[str]) -> st.SearchStrategy[Raw]:
        if single:
            return st.sampled_from(options).map(lambda o: {"question": question_id, key: o})
        return st.lists(st.sampled_from(options), min_size=1, max_size=3, unique=True).map(
            lambda listed: {"question": question_id, key: listed}
        )

    return st.sampled_from(questions).flatmap(lambda q: of(q.id, [o.id for o in q.choices]))


def _bound(key: str) -> st.SearchStrategy[Raw]:
    return st.tuples(st.sampled_from(_NUMBER), st.integers(-1, 121)).map(
        lambda pair: {"question": pair[0].id, key: float(pair[1])}
    )


LEAVES: dict[type[Node], st.SearchStrategy[Raw]] = {
    Is: _options("is", single=True),
    In: _options("in"),
    NotIn: _options("not_in"),
    Includes: _options("includes"),
    AtLeast: _bound("at_least"),
    AtMost: _bound("at_most"),
    NotKnown: st.lists(st.sampled_from([q.id for q in _QUESTIONS]), min_size=1, max_size=3).map(
        lambda ids: {"not_known": ids}
    ),
}


def _parts(children: st.SearchStrategy[Raw]) -> st.SearchStrategy[list[Raw]]:
    return st.lists(children, min_size=1, max_size=3)


def _count_of(parts: list[Raw], bound: int, at_least: bool) -> Raw:
    return {"count_of": parts, ("at_least" if at_least else "at_most"): bound}


COMBINATIONS: dict[type[Node], Callable[[st.SearchStrategy[Raw]], st.SearchStrategy[Raw]]] = {
    All: lambda children: _parts(children).map(lambda parts: {"all": parts}),
    AnyOf: lambda children: _parts(children).map(lambda parts: {"any": parts}),
    Not: lambda children: children.map(lambda part: {"not": part}),
    CountOf: lambda children: st.builds(
        _count_of, _parts(children), st.integers(0, 4), st.booleans()
    ),
}

_ANY_LEAF = st.one_of(*LEAVES.values())
ANY_CONDITION: st.SearchStrategy[Raw] = st.recursive(
    _ANY_LEAF,
    lambda children: st.one_of(*(c(children) for c in COMBINATIONS.values())),
    max_leaves=12,
)


def rooted_at(node_type: type[Node]) -> st.SearchStrategy[Node]:
    """Conditions whose root is ``node_type``, with parts of any type."""
    raw = LEAVES[node_type] if node_type in LEAVES else COMBINATIONS[node_type](ANY_CONDITION)
    return raw.map(CONDITION.validate_python)
