"""Each package's public names: listed once, sorted, and all importable (as httpx checks)."""

from __future__ import annotations

import importlib

import pytest

PACKAGES = [
    "decision_aid",
    "decision_aid.domain",
    "decision_aid.authoring",
    "decision_aid.cli",
    "decision_aid.governance",
]


@pytest.mark.parametrize("name", PACKAGES)
def test_all_is_sorted_and_importable(name: str) -> None:
    module = importlib.import_module(name)
    exported = list(module.__all__)
    # isort style, as ruff's RUF022 keeps it: CONSTANTS, then Classes, then functions.
    assert exported == sorted(exported, key=lambda n: (not n.isupper(), not n[:1].isupper(), n))
    assert len(set(exported)) == len(exported)
    missing = [n for n in exported if not hasattr(module, n)]
    assert missing == []
