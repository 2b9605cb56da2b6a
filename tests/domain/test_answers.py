"""Answers that do not fit the questionnaire are refused with the key named."""

from __future__ import annotations

import pytest

from decision_aid.domain import AnswersError, load_rule_set, parse_answers
from tests.conftest import MINI

QUESTIONNAIRE = load_rule_set(MINI).questionnaire


@pytest.mark.parametrize(
    ("raw", "key", "message"),
    [
        (
            {"diagnosys": "a"},
            "diagnosys",
            "'diagnosys' is not a question of this rule set; did you mean 'diagnosis'?",
        ),
        (
            {"diagnosis": "c"},
            "diagnosis",
            "'diagnosis': 'c' is not an option of this question (options: a, b, other)",
        ),
        (
            {"diagnosis": "othr"},
            "diagnosis",
            "'diagnosis': 'othr' is not an option of this question "
            "(options: a, b, other); did you mean 'other'?",
        ),
        (
            {"tried": True},
            "tried",
            "'tried': True is not an option of this question (options: yes, no)",
        ),
        ({"age": 121}, "age", "'age': 121 is out of range (0 to 120 years)"),
        ({"age": -1}, "age", "'age': -1 is out of range (0 to 120 years)"),
        ({"age": 40.5}, "age", "'age': expected a whole number, got 40.5"),
        ({"age": "forty"}, "age", "'age': expected a number, got 'forty'"),
        (
            {"age": "9" * 5000},
            "age",
            "'age': expected a number, got '" + "9" * 58 + "… (5002 characters)",
        ),
        ({"sex": "unknown"}, "sex", "'sex': this question does not offer 'Not known'"),
        (
            {"goals": ["pain", "nothing"]},
            "goals",
            "'goals': 'nothing' cannot be picked together with other options",
        ),
        ({"goals": []}, "goals", "'goals': expected a list of option ids, got []"),
    ],
)
def test_bad_answers_name_the_key(raw: dict[str, object], key: str, message: str) -> None:
    with pytest.raises(AnswersError) as caught:
        parse_answers(QUESTIONNAIRE, raw)
    assert caught.value.key == key
    assert str(caught.value) == message


def test_good_answers_are_normalised() -> None:
    answers = parse_answers(
        QUESTIONNAIRE,
        {"diagnosis": "a", "age": 40, "goals": "sleep", "risk": "unknown", "tried": None},
    )
    assert dict(answers) == {"diagnosis": "a", "age": 40.0, "goals": ("sleep",)}
    assert answers.not_known == frozenset({"risk"})
    assert "tried" not in answers


def test_a_number_that_is_not_a_number_is_refused() -> None:
    with pytest.raises(AnswersError, match="'age': expected a number, got nan"):
        parse_answers(QUESTIONNAIRE, {"age": float("nan")})
