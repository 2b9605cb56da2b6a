"""The checks for rule sets that would pass yet mislead, one example each, with the exact
line an author sees; the hardening sweeps (tests/hardening/test_misleading_rule_sets.py)
try every character, id position, show_when and normalisation."""

from __future__ import annotations

from pathlib import Path

import pytest

from decision_aid.domain import load_rule_set
from tests.domain.test_loading import edit, problems_of

PREGNANT = "        # a follow-up, so not a safety question: one is always asked (safety-hidden)\n"

EXAMPLES = [
    pytest.param(
        "questionnaire.yaml",
        PREGNANT,
        "        safety: true\n",
        [
            "questionnaire.yaml:35:20: error[safety-hidden]: safety question 'pregnant' has "
            "show_when, so an answer to it could be set aside; a safety question is always "
            "asked: remove show_when (offer an option such as 'not applicable' instead)"
        ],
        id="safety question with show_when",
    ),
    pytest.param(
        "questionnaire.yaml",
        "        safety: true\n      - id: goals",
        "        safety: true\n        show_when: {question: pregnant, is: 'no'}\n"
        "      - id: goals",
        [
            "questionnaire.yaml:56:20: error[safety-hidden]: safety question 'age' has "
            "show_when, so an answer to it could be set aside (it follows up pregnant -> sex); "
            "a safety question is always asked: remove show_when (offer an option such as "
            "'not applicable' instead)"
        ],
        id="safety question as a follow-up of a follow-up",
    ),
    pytest.param(
        "rules/main.yaml",
        "  - id: r-other",
        "  - id: default",
        [
            "rules/main.yaml:21:9: error[reserved-id]: 'default' is reserved (the default "
            "outcome is reported under it); choose another id"
        ],
        id="a rule named like the default",
    ),
    pytest.param(
        "questionnaire.yaml",
        "  - id: safety\n",
        "  - id: unknown\n",
        [
            "questionnaire.yaml:19:9: error[reserved-id]: 'unknown' is reserved (it records a "
            "'Not known' answer); choose another id"
        ],
        id="a section named like Not known",
    ),
    pytest.param(
        "questionnaire.yaml",
        "{id: b, label: Condition B}",
        '{id: b, label: "Condition\\u200bB"}',
        [
            "questionnaire.yaml:12:28: error[invisible-character]: 'label' holds the invisible "
            "character U+200B (ZERO WIDTH SPACE) at character 10; what is shown would not be "
            "what is written: remove it"
        ],
        id="zero-width space in an option label",
    ),
    pytest.param(
        "ruleset.yaml",
        "{id: careful, label: Careful,",
        '{id: careful, label: "\\u202eluferaC",',
        [
            "ruleset.yaml:13:26: error[invisible-character]: 'label' holds the invisible "
            "character U+202E (RIGHT-TO-LEFT OVERRIDE) at character 1; what is shown would not "
            "be what is written: remove it"
        ],
        id="bidirectional override in a level label",
    ),
    pytest.param(
        "questionnaire.yaml",
        "    title: Safety\n",
        '    title: "Safety\\n\\n# Forged heading"\n',
        [
            "questionnaire.yaml:20:12: error[multi-line-title]: 'title' must be one line, but "
            "has a line break at character 7"
        ],
        id="a section title that forges a heading",
    ),
    pytest.param(
        "questionnaire.yaml",
        "{id: male, label: Male}",
        '{id: male, label: "FEMALE "}',
        [
            "questionnaire.yaml:28:31: error[duplicate-label]: the options of question 'sex' "
            "must read differently: 'FEMALE ' reads as 'Female' at "
            "{dir}/questionnaire.yaml:27:33"
        ],
        id="two options that read alike",
    ),
    pytest.param(
        "questionnaire.yaml",
        "{id: other, label: Something else}",
        "{id: other, label: Not known}",
        [
            "questionnaire.yaml:13:32: error[duplicate-label]: the options of question "
            "'diagnosis' must read differently: 'Not known' reads as the built-in answer "
            "'Not known'"
        ],
        id="an option that reads as Not known",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "expected"), EXAMPLES)
def test_a_misleading_rule_set_is_refused_at_the_place(
    mini_copy: Path, file: str, old: str, new: str, expected: list[str]
) -> None:
    edit(mini_copy / file, old, new)
    assert problems_of(mini_copy) == [e.replace("{dir}", str(mini_copy)) for e in expected]


def test_prose_may_run_over_lines(mini_copy: Path) -> None:
    edit(
        mini_copy / "rules" / "main.yaml",
        "    rationale: Evidence for A.",
        "    rationale: |\n      Evidence for A.\n\n      More\tevidence.",
    )
    assert load_rule_set(mini_copy).rules[0].rationale.count("\n") == 3
