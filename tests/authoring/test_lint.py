"""Lint: warnings a rule author should act on, each at its place."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from decision_aid.authoring.lint import lint
from decision_aid.cli import main
from decision_aid.domain import load_rule_set
from tests.conftest import BUNDLED


def test_the_bundled_rule_set_has_no_warnings(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", str(BUNDLED), "--strict"]) == 0
    assert capsys.readouterr().out == "0 warning(s)\n"


def test_each_kind_of_warning_is_placed(mini_copy: Path) -> None:
    references = mini_copy / "references.yaml"
    references.write_text(
        references.read_text()
        + "  - id: spare\n    short: Spare 2021\n    citation: A spare source.\n"
        "    verification: verified\n"
    )
    questionnaire = mini_copy / "questionnaire.yaml"
    questionnaire.write_text(
        questionnaire.read_text().replace(
            "      - id: goals\n",
            "      - id: mood\n        label: Mood\n        text: Mood?\n"
            "        type: yes_no\n      - id: goals\n",
        )
    )
    rules = mini_copy / "rules" / "main.yaml"
    rules.write_text(
        rules.read_text().replace(
            "B responds less.",
            "Unfortunately, the anticipated therapeutic effectiveness is considerably uncertain.",
        )
    )
    warnings = [
        p.format().removeprefix(f"{mini_copy}/")
        for p in lint(mini_copy, load_rule_set(mini_copy), today=date(2027, 2, 1))
    ]
    assert warnings == [
        "questionnaire.yaml:56:13: warning[unread-question]: question 'mood' is read by no rule, "
        "show_when or sheet",
        "references.yaml:6:9: warning[unused-reference]: reference 'spare' is cited by no rule "
        "and no sheet text",
        "rules/main.yaml:17:21: warning[hard-sentence]: hard to read (6 long words, 8 words): "
        "'Unfortunately, the anticipated therapeutic effectiveness is considerably uncertain.'",
        "ruleset.yaml:1:1: warning[smog-over-8]: patient-facing text reads at SMOG grade 8.3 (at "
        "most 8); hardest: 'Unfortunately, the anticipated therapeutic effectiveness is "
        "considerably uncertain.'; 'Condition A can respond.'; 'Unknown evidence.'",
        "ruleset.yaml:8:12: warning[review-overdue]: the review-by date 2027-01-01 has passed",
    ]


def test_strict_lint_fails_on_warnings(mini_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    info = mini_copy / "ruleset.yaml"
    info.write_text(info.read_text().replace("review_by: 2027-01-01", "review_by: 2020-01-01"))
    assert main(["lint", str(mini_copy)]) == 0
    assert main(["lint", str(mini_copy), "--strict"]) == 1
    assert "warning[review-overdue]" in capsys.readouterr().out
