"""Three-valued conditions over answers: unknown, unanswered, hidden and visible questions."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter

from decision_aid.domain import Answers, load_rule_set
from decision_aid.domain.answer_context import AnswerContext
from decision_aid.domain.conditions import Condition
from decision_aid.domain.truth import Truth
from tests.conftest import MINI

RULES = load_rule_set(MINI)
CONDITION: TypeAdapter[Condition] = TypeAdapter(Condition)
T, F, U = Truth.TRUE, Truth.FALSE, Truth.UNKNOWN


def truth(raw: dict[str, object], answers: Answers) -> Truth:
    condition = CONDITION.validate_python(raw)
    return condition.truth(AnswerContext(RULES.questionnaire, answers))


@pytest.mark.parametrize(
    ("note", "condition", "answers", "expected"),
    [
        ("known match", {"question": "diagnosis", "is": "a"}, Answers({"diagnosis": "a"}), T),
        ("known miss", {"question": "diagnosis", "is": "a"}, Answers({"diagnosis": "b"}), F),
        ("unanswered", {"question": "diagnosis", "is": "a"}, Answers(), U),
        (
            "not known",
            {"question": "diagnosis", "is": "a"},
            Answers({}, frozenset({"diagnosis"})),
            U,
        ),
        ("in", {"question": "diagnosis", "in": ["a", "b"]}, Answers({"diagnosis": "b"}), T),
        (
            "includes any",
            {"question": "goals", "includes": ["sleep", "pain"]},
            Answers({"goals": ("pain",)}),
            T,
        ),
        (
            "includes one",
            {"question": "goals", "includes": "sleep"},
            Answers({"goals": ("pain",)}),
            F,
        ),
        ("at least edge", {"question": "age", "at_least": 18}, Answers({"age": 18.0}), T),
        ("at most edge", {"question": "age", "at_most": 17}, Answers({"age": 18.0}), F),
        (
            "hidden question is not asked",
            {"question": "pregnant", "is": "yes"},
            Answers({"sex": "male", "pregnant": "yes"}),
            F,
        ),
        (
            "hidden: not of it is true",
            {"not": {"question": "pregnant", "is": "yes"}},
            Answers({"sex": "male", "pregnant": "yes"}),
            T,
        ),
        (
            "shown question counts",
            {"question": "pregnant", "is": "yes"},
            Answers({"sex": "female", "pregnant": "yes"}),
            T,
        ),
        (
            "maybe shown, answer matches",
            {"question": "pregnant", "is": "yes"},
            Answers({"pregnant": "yes"}),
            U,
        ),
        (
            "maybe shown, answer misses",
            {"question": "pregnant", "is": "yes"},
            Answers({"pregnant": "no"}),
            F,
        ),
        ("not_known on hidden", {"not_known": ["pregnant"]}, Answers({"sex": "male"}), F),
        ("not_known on shown", {"not_known": ["pregnant"]}, Answers({"sex": "female"}), T),
        ("not_known maybe shown", {"not_known": ["pregnant"]}, Answers(), U),
        ("not_known answered", {"not_known": "risk"}, Answers({"risk": "none"}), F),
        (
            "all with false",
            {"all": [{"question": "diagnosis", "is": "a"}, {"question": "tried", "is": "yes"}]},
            Answers({"tried": "no"}),
            F,
        ),
        (
            "any with true",
            {"any": [{"question": "diagnosis", "is": "a"}, {"question": "tried", "is": "yes"}]},
            Answers({"tried": "yes"}),
            T,
        ),
        (
            "count at least, undecided",
            {
                "count_of": [
                    {"question": "diagnosis", "is": "a"},
                    {"question": "tried", "is": "yes"},
                ],
                "at_least": 2,
            },
            Answers({"tried": "yes"}),
            U,
        ),
        (
            "count at least, impossible",
            {
                "count_of": [
                    {"question": "diagnosis", "is": "a"},
                    {"question": "tried", "is": "yes"},
                ],
                "at_least": 2,
            },
            Answers({"tried": "no"}),
            F,
        ),
        (
            "count at most, certain",
            {
                "count_of": [
                    {"question": "diagnosis", "is": "a"},
                    {"question": "tried", "is": "yes"},
                ],
                "at_most": 1,
            },
            Answers({"tried": "no"}),
            T,
        ),
        (
            "count at most, exceeded",
            {
                "count_of": [
                    {"question": "diagnosis", "is": "a"},
                    {"question": "tried", "is": "yes"},
                ],
                "at_most": 1,
            },
            Answers({"diagnosis": "a", "tried": "yes"}),
            F,
        ),
    ],
)
def test_condition_truth(
    note: str, condition: dict[str, object], answers: Answers, expected: Truth
) -> None:
    assert truth(condition, answers) is expected, note


def test_explain_agrees_with_truth_and_says_why() -> None:
    condition = CONDITION.validate_python(
        {
            "all": [
                {"question": "diagnosis", "is": "a"},
                {"not": {"question": "pregnant", "is": "yes"}},
            ]
        }
    )
    context = AnswerContext(RULES.questionnaire, Answers({"diagnosis": "a", "sex": "male"}))
    node = condition.explain(context, RULES.questionnaire)
    assert node.value is condition.truth(context) is T
    assert list(node.lines()) == [
        "all of: true",
        "  Diagnosis is \u201cCondition A\u201d (answer: Condition A): true",
        "  not: true",
        "    Pregnancy is \u201cYes\u201d (not asked): false",
    ]


def test_a_condition_of_no_known_shape_names_the_choices() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="a condition is one of: all, any, not"):
        CONDITION.validate_python({"question": "diagnosis", "equals": "a"})
