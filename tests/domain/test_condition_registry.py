"""Every node type of the condition language implements every facet, in one place.

A node type is one module of ``decision_aid.domain.conditions`` and one line in its
union; these tests fail when a node type misses a facet, a generated-condition strategy,
its line in docs/rule-language.md or its place in the JSON schema. The differential
tests run each facet that has a second implementation against the interpreter.
"""

from __future__ import annotations

import inspect
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from decision_aid.authoring.schema import schemas
from decision_aid.domain import Answers
from decision_aid.domain.answer_context import AnswerContext
from decision_aid.domain.compiler import compile_conditions
from decision_aid.domain.conditions import NODE_TYPES, Mutation, Node, walk
from decision_aid.domain.questionnaire import QuestionType
from decision_aid.domain.truth import Truth
from tests.domain.condition_strategies import COMBINATIONS, CONDITION, LEAVES, RULES, rooted_at
from tests.domain.test_unknown_is_not_no import answers_for

DOCS = Path(__file__).parents[2] / "docs" / "rule-language.md"
IDS = [t.__name__ for t in NODE_TYPES]
CONSTANTS = {"key", "fits", "true_when_missing"}
FACETS = sorted(Node.__abstractmethods__ | CONSTANTS)


@pytest.mark.parametrize("node_type", NODE_TYPES, ids=IDS)
def test_every_node_type_implements_every_facet(node_type: type[Node]) -> None:
    assert not inspect.isabstract(node_type), sorted(node_type.__abstractmethods__)
    for facet in FACETS:
        assert hasattr(node_type, facet), facet
    assert node_type.fits
    assert node_type.fits <= set(QuestionType)


def test_the_facets_are_the_documented_ones() -> None:
    assert set(FACETS) >= {
        "truth",
        "explain",
        "words",
        "code",
        "encode",
        "fits",
        "true_when_missing",
        "references",
        "option_references",
        "bounds",
        "mutations",
        "enable_when",
        "children",
    }


def test_every_node_type_has_its_own_key_a_strategy_and_a_line_in_the_docs() -> None:
    keys = [t.key for t in NODE_TYPES]
    assert len(set(keys)) == len(keys)
    assert set(LEAVES) | set(COMBINATIONS) == set(NODE_TYPES)
    table = DOCS.read_text(encoding="utf-8").split("## Conditions", 1)[1].split("\n## ", 1)[0]
    for key in keys:
        assert f"{key}:" in table, key


def test_the_json_schema_offers_every_node_type() -> None:
    rules = json.dumps(schemas(RULES)["rules.schema.json"])
    for node_type in NODE_TYPES:
        assert f'"{node_type.key}"' in rules, node_type.key


ANSWERS = answers_for(RULES)


@pytest.mark.parametrize("node_type", NODE_TYPES, ids=IDS)
def test_compiled_code_agrees_with_the_interpreter(node_type: type[Node]) -> None:
    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(condition=rooted_at(node_type), answers=ANSWERS)
    def check(condition: Node, answers: Answers) -> None:
        context = AnswerContext(RULES.questionnaire, answers)
        compiled = compile_conditions(RULES.questionnaire, [condition])
        assert compiled(answers) == (condition.truth(context).value,)

    check()


@pytest.mark.parametrize("node_type", NODE_TYPES, ids=IDS)
def test_the_trace_agrees_with_the_value(node_type: type[Node]) -> None:
    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(condition=rooted_at(node_type), answers=ANSWERS)
    def check(condition: Node, answers: Answers) -> None:
        context = AnswerContext(RULES.questionnaire, answers)
        explained = condition.explain(context, RULES.questionnaire)
        assert explained.value is condition.truth(context)
        assert condition.words(RULES.questionnaire)

    check()


@pytest.mark.parametrize("node_type", NODE_TYPES, ids=IDS)
def test_mutations_are_conditions_that_differ(node_type: type[Node]) -> None:
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(condition=rooted_at(node_type))
    def check(condition: Node) -> None:
        for mutation in condition.mutations():
            assert isinstance(mutation, Mutation)
            data = mutation.replacement.model_dump(mode="json", by_alias=True, exclude_none=True)
            assert CONDITION.validate_python(data) == mutation.replacement
            assert mutation.replacement != condition
            assert mutation.description

    check()


def test_walk_reaches_every_part_with_its_yaml_path() -> None:
    condition = CONDITION.validate_python(
        {"all": [{"not": {"question": "tried", "is": "no"}}, {"not_known": ["age"]}]}
    )
    seen: list[tuple[str, tuple[str | int, ...], bool]] = []
    walk(condition, lambda node, path, negated: seen.append((node.key, path, negated)))
    assert seen == [
        ("all", (), False),
        ("not", ("all", 0), False),
        ("is", ("all", 0, "not"), True),
        ("not_known", ("all", 1), False),
    ]


def test_unknown_is_a_value_of_its_own_for_every_node_type() -> None:
    # Nothing answered: every predicate on an asked question is unknown, never false.
    context = AnswerContext(RULES.questionnaire, Answers())
    for raw in ({"question": "diagnosis", "not_in": ["a"]}, {"question": "age", "at_least": 1}):
        assert CONDITION.validate_python(raw).truth(context) is Truth.UNKNOWN
