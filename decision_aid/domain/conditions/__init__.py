"""The condition language: structured YAML conditions, validated by pydantic.

Rule authors write conditions as data, never as code::

    all:
      - {question: diagnosis, is: crps}
      - not: {question: tried_rehab, is: "no"}
      - count_of: [{question: a, is: "yes"}, {question: b, is: "yes"}]
        at_least: 1

Every condition evaluates to a :class:`Truth`. A predicate on a question that is
answered "not known", or not answered, is unknown; a predicate on a question that
is not asked (its ``show_when`` is false) is false, so a hidden question's stale
answer never counts. ``not_known`` is the one predicate that looks at unknowns
themselves; the loader only lets it raise an outcome, never lower one.

Each node type is one module here that owns every facet of it (see :mod:`.node`);
:data:`Condition` below is the registry: adding a node type is its module and one line
in that union.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Union, get_args

from pydantic import BaseModel, Discriminator, Tag

from decision_aid.domain.conditions.all_ import All
from decision_aid.domain.conditions.any_ import AnyOf
from decision_aid.domain.conditions.at_least import AtLeast
from decision_aid.domain.conditions.at_most import AtMost
from decision_aid.domain.conditions.count_of import CountOf
from decision_aid.domain.conditions.in_ import In
from decision_aid.domain.conditions.includes import Includes
from decision_aid.domain.conditions.is_ import Is
from decision_aid.domain.conditions.node import (
    Bound,
    EnableWhen,
    EvaluationContext,
    Mutation,
    Node,
    Predicate,
    Symbols,
    TraceNode,
    Vocabulary,
    YamlPath,
)
from decision_aid.domain.conditions.not_ import Not
from decision_aid.domain.conditions.not_in import NotIn
from decision_aid.domain.conditions.not_known import NotKnown
from decision_aid.domain.question_types import AnswerValue, QuestionType

__all__ = [
    "CONDITION_HELP",
    "CONDITION_KEYS",
    "NODE_TYPES",
    "All",
    "AnswerValue",
    "AnyOf",
    "AtLeast",
    "AtMost",
    "Bound",
    "Condition",
    "CountOf",
    "EnableWhen",
    "EvaluationContext",
    "In",
    "Includes",
    "Is",
    "Mutation",
    "Node",
    "Not",
    "NotIn",
    "NotKnown",
    "Predicate",
    "Symbols",
    "TraceNode",
    "Vocabulary",
    "operators_for",
    "walk",
]

_Nodes = Union[  # noqa: UP007 - a discriminated union needs the Union spelling
    Annotated[All, Tag("All")],
    Annotated[AnyOf, Tag("AnyOf")],
    Annotated[Not, Tag("Not")],
    Annotated[CountOf, Tag("CountOf")],
    Annotated[NotKnown, Tag("NotKnown")],
    Annotated[Is, Tag("Is")],
    Annotated[In, Tag("In")],
    Annotated[NotIn, Tag("NotIn")],
    Annotated[Includes, Tag("Includes")],
    Annotated[AtLeast, Tag("AtLeast")],
    Annotated[AtMost, Tag("AtMost")],
]
"""The registry of node types, one line each (a tag names each for the discriminator)."""

NODE_TYPES: tuple[type[Node], ...] = tuple(get_args(member)[0] for member in get_args(_Nodes))


def _predicate(node_type: type[Node]) -> bool:
    return issubclass(node_type, Predicate)


# A predicate is told apart by its operator key beside "question"; the rest by their own
# key, looked at first.
_BY_KEY = {t.key: t.__name__ for t in NODE_TYPES if not _predicate(t)}
_PREDICATE_BY_KEY = {t.key: t.__name__ for t in NODE_TYPES if _predicate(t)}


def _condition_tag(value: object) -> str | None:
    if isinstance(value, BaseModel):
        return type(value).__name__
    if not isinstance(value, dict):
        return None
    for key, tag in _BY_KEY.items():
        if key in value:
            return tag
    if "question" in value:
        for key, tag in _PREDICATE_BY_KEY.items():
            if key in value:
                return tag
    return None


CONDITION_KEYS = (*_BY_KEY, *_PREDICATE_BY_KEY)
"""Every key that names a node type: the words of the condition language."""

CONDITION_HELP = (
    f"a condition is one of: {', '.join(_BY_KEY)}, or a question with one of "
    f"{', '.join(_PREDICATE_BY_KEY)}"
)

Condition = Annotated[
    _Nodes,
    Discriminator(
        _condition_tag,
        custom_error_type="condition_shape",
        custom_error_message=CONDITION_HELP,
    ),
]
"""A condition as rule authors write it."""

for _type in NODE_TYPES:
    _type.model_rebuild(_types_namespace={"Condition": Condition})


def operators_for(question_type: QuestionType) -> list[str]:
    """The predicate operators that fit a question type, sorted."""
    return sorted(t.key for t in NODE_TYPES if _predicate(t) and question_type in t.fits)


def walk(
    condition: Node,
    visit: Callable[[Node, YamlPath, bool], None],
    path: YamlPath = (),
    negated: bool = False,
) -> None:
    """Call ``visit(node, path, negated)`` on every node; paths are YAML key paths."""
    visit(condition, path, negated)
    for child in condition.children():
        walk(child.node, visit, (*path, *child.path), negated ^ child.negates)
