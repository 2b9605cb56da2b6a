"""The rule-set reference: every question and rule, in words, in Markdown and HTML."""

from __future__ import annotations

from pathlib import Path

import pytest

from decision_aid.cli import main
from decision_aid.domain import load_rule_set
from tests.conftest import BUNDLED

RULES = load_rule_set(BUNDLED)


def test_docs_cover_every_question_rule_and_reference(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["docs", str(BUNDLED), "-o", str(tmp_path)]) == 0
    markdown = (tmp_path / "ketamine-chronic-pain.md").read_text()
    html = (tmp_path / "ketamine-chronic-pain.html").read_text()
    for question in RULES.questionnaire.questions():
        assert f"| {question.id} |" in markdown
    for rule in RULES.rules:
        assert f"### {rule.id}: " in markdown
        assert f"<h3>{rule.id}: " in html
    for reference in RULES.references:
        assert f"\\[{reference.id}\\]" in markdown  # brackets escaped: never a link
    assert "| not_suitable_now | Not suitable at the moment | ind-primary-uk, ci-cvd," in markdown
    assert (
        "When: Heart and blood pressure is \u201cPoorly controlled heart disease or high "
        "blood pressure\u201d" in markdown
    )
    assert html.startswith("<!DOCTYPE html>")
    assert "&lt;" not in markdown
