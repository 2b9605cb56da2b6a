"""The hazard log names tests that exist, and its risks follow the DCB0129 matrix."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).parent.parent
HAZARDS = ROOT / "docs" / "safety" / "hazards.yaml"

SEVERITIES = ("minor", "significant", "considerable", "major", "catastrophic")
MATRIX = {  # likelihood → risk for each severity, as in docs/safety/README.md
    "very high": (3, 4, 4, 5, 5),
    "high": (2, 3, 3, 4, 5),
    "medium": (2, 2, 3, 3, 4),
    "low": (1, 2, 2, 3, 4),
    "very low": (1, 1, 2, 2, 3),
}


@cache
def defined_tests(path: Path) -> frozenset[str]:
    """The test functions a file defines, at module level or in test classes."""
    tree = ast.parse(path.read_text())
    names = {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.name.startswith("test_")
    }
    return frozenset(names)


def dangling(test_id: str) -> str | None:
    """Why a ``path::name`` test id names no test, or None when it does."""
    file, _, name = test_id.partition("::")
    path = ROOT / file
    if not name or not file.startswith("tests/") or not path.is_file():
        return f"{test_id}: no such test file"
    if name not in defined_tests(path):
        return f"{test_id}: no such test in {file}"
    return None


def hazards() -> list[dict[str, Any]]:
    data = yaml.safe_load(HAZARDS.read_text())
    listed: list[dict[str, Any]] = data["hazards"]
    return listed


def test_every_named_test_exists() -> None:
    problems = [
        problem
        for hazard in hazards()
        for control in hazard["controls"]
        for test_id in control["verified_by"]
        if (problem := dangling(test_id)) is not None
    ]
    assert problems == []


def test_a_renamed_test_would_be_caught() -> None:
    assert dangling("tests/test_safety_file.py::test_every_named_test_exists") is None
    assert dangling("tests/test_safety_file.py::test_that_was_renamed") is not None
    assert dangling("tests/no_such_file.py::test_anything") is not None


def test_every_hazard_has_controls_and_every_control_is_verified() -> None:
    seen = set()
    for hazard in hazards():
        assert hazard["id"] not in seen, f"{hazard['id']} is listed twice"
        seen.add(hazard["id"])
        for key in ("title", "hazard", "causes", "effect", "harm", "status"):
            assert hazard.get(key), f"{hazard['id']} has no {key}"
        assert hazard["controls"], f"{hazard['id']} has no control"
        for control in hazard["controls"]:
            assert control["control"]
            assert control["where"]
            assert control["verified_by"], f"{hazard['id']}: a control with no verification"


@pytest.mark.parametrize("stage", ["initial", "residual"])
def test_every_risk_follows_the_matrix(stage: str) -> None:
    for hazard in hazards():
        rating = hazard[stage]
        expected = MATRIX[rating["likelihood"]][SEVERITIES.index(rating["severity"])]
        assert rating["risk"] == expected, f"{hazard['id']} {stage}: risk should be {expected}"
        if stage == "residual":
            assert rating["risk"] <= hazard["initial"]["risk"], f"{hazard['id']}: risk rose"
