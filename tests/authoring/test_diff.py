"""diff OLD NEW: the edits between two versions, and which cases they change."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from decision_aid.cli import main
from tests.conftest import MINI


def test_diff_lists_edits_and_their_impact(
    mini_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    info = mini_copy / "ruleset.yaml"
    info.write_text(info.read_text().replace('version: "1.0.0"', 'version: "1.1.0"'))
    rules = mini_copy / "rules" / "main.yaml"
    text = rules.read_text()
    text = text.replace("    outcome: go\n", "    outcome: careful\n")
    start = text.index("  - id: r-young")
    end = text.index("  - id: r-uk-a")
    rules.write_text(text[:start] + text[end:])
    assert main(["diff", str(MINI), str(mini_copy), "--format", "json", "--exit-code"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["changes"] == [
        {"kind": "info", "id": "rule set", "what": "changed: version"},
        {"kind": "rule", "id": "r-go", "what": "changed: outcome"},
        {"kind": "rule", "id": "r-young", "what": "removed"},
    ]
    assert data["impact"] == [
        {
            "case": "A tried, safe",
            "where": f"{MINI}/tests/cases.yaml:3",
            "old": "go [r-go]",
            "new": "careful [r-go]",
        }
    ]


def test_identical_rule_sets_have_no_diff(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(MINI), str(MINI), "--exit-code"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "mini 1.0.0 -> mini 1.0.0",
        "impact on the cases of both versions: 0 case(s) change",
    ]
