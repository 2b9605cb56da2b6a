"""Coverage: which rules the cases saw true, false and unknown; which options no case uses."""

from __future__ import annotations

import json

import pytest

from decision_aid.cli import main
from tests.conftest import BUNDLED, MINI


def test_the_bundled_cases_see_every_rule_true_and_false(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["coverage", str(BUNDLED), "--fail-under", "100"]) == 0
    out = capsys.readouterr().out
    assert "rules seen true and false: 31/31 (100.0%)" in out.splitlines()[-1]


def test_uncovered_rules_and_unused_options_are_placed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["coverage", str(MINI), "--fail-under", "50"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"{MINI}/rules/main.yaml:2: rule r-go never seen false"
    assert f"{MINI}/rules/main.yaml:80: rule r-goals never seen true or false" in lines
    assert f"{MINI}/questionnaire.yaml:12:18: option diagnosis=b is used by no case" in lines
    assert lines[-2] == (
        "rules seen true and false: 0/11 (0.0%); seen unknown: 1; options used by no case: 8"
    )
    assert lines[-1] == "coverage is below 50%"


def test_coverage_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["coverage", str(MINI), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["covered"], data["total"]) == (0, 11)
    go = next(r for r in data["rules"] if r["rule_id"] == "r-go")
    assert go == {
        "rule_id": "r-go",
        "file": f"{MINI}/rules/main.yaml",
        "line": 2,
        "seen": ["true"],
        "covered": False,
    }


def test_the_gate_compares_exact_counts_not_rounded_percentages() -> None:
    from decision_aid.authoring.coverage import Coverage, RuleCoverage
    from decision_aid.domain.truth import Truth

    rules = [RuleCoverage(f"r{i}", "f", i, {Truth.TRUE, Truth.FALSE}) for i in range(1999)]
    rules.append(RuleCoverage("last", "f", 0, {Truth.TRUE}))
    coverage = Coverage(tuple(rules), ())
    assert f"{coverage.percent():.1f}" == "100.0"
    assert not coverage.meets(100)
    assert coverage.meets(99.9)
