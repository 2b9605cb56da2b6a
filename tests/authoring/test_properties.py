"""Declared properties: the loader checks them, and every case is held to them."""

from __future__ import annotations

from pathlib import Path

import pytest

from decision_aid.cli import main
from decision_aid.domain import RuleSetError, load_rule_set

PROPERTY = """\
properties:
  - id: b-is-careful
    title: Condition B is never better than careful
    when: {question: diagnosis, is: b}
    at_least: careful
"""


def write_properties(rules_dir: Path, text: str) -> None:
    (rules_dir / "properties.yaml").write_text(text)


def test_properties_load_with_the_rule_set(mini_copy: Path) -> None:
    write_properties(mini_copy, PROPERTY)
    (prop,) = load_rule_set(mini_copy).properties
    assert (prop.id, prop.at_least, prop.at_most) == ("b-is-careful", "careful", None)


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (("at_least: careful", "at_least: carefull"), "5:15: error[unknown-level]"),
        (("question: diagnosis", "question: diagnosys"), "did you mean 'diagnosis'?"),
        (("at_least: careful", "at_least: stop\n    at_most: go"), "error[empty-property]"),
        (("    at_least: careful\n", ""), "needs 'at_least' or 'at_most'"),
        (("is: b}", "is: z}"), "error[unknown-option]"),
        (
            ("    at_least: careful\n", "    at_least: careful\n    citations: [scr]\n"),
            "'scr' is not in the references; did you mean 'src'?",
        ),
    ],
)
def test_a_wrong_property_is_reported_where_it_is_written(
    mini_copy: Path, edit: tuple[str, str], expected: str
) -> None:
    write_properties(mini_copy, PROPERTY.replace(*edit))
    with pytest.raises(RuleSetError) as caught:
        load_rule_set(mini_copy)
    messages = [p.format() for p in caught.value.problems]
    assert any(m.startswith(str(mini_copy / "properties.yaml")) for m in messages)
    assert any(expected in m for m in messages), messages


def test_a_case_that_breaks_a_property_fails_even_when_its_expectation_agrees(
    mini_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The promise is stricter than the rules: B gives "careful", but is promised "stop".
    write_properties(mini_copy, PROPERTY.replace("at_least: careful", "at_least: stop"))
    (mini_copy / "tests" / "cases.yaml").write_text(
        "cases:\n"
        "  - name: condition B\n"
        "    answers: {diagnosis: b, tried: 'yes', sex: male}\n"
        "    expect: {outcome: careful}\n"
    )
    assert main(["test", str(mini_copy)]) == 1
    out = capsys.readouterr().out
    assert "FAIL: condition B" in out
    assert "breaks property b-is-careful" in out
