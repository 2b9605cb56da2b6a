"""Each package's public names: listed once, sorted, and all importable (as httpx checks)."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path
from types import ModuleType

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
    if not _has_stub(module):
        # isort style, as ruff's RUF022 keeps it: CONSTANTS, then Classes, then functions.
        key = lambda n: (not n.isupper(), not n[:1].isupper(), n)  # noqa: E731
        assert exported == sorted(exported, key=key)
    assert len(set(exported)) == len(exported)
    missing = [n for n in exported if not hasattr(module, n)]
    assert missing == []


def _has_stub(module: ModuleType) -> bool:
    """A package whose names are listed once in ``__init__.pyi`` (ruff keeps that sorted)."""
    return Path(str(module.__file__)).with_suffix(".pyi").is_file()


@pytest.mark.parametrize(
    ("package", "name", "module"),
    [
        ("decision_aid.domain", "RuleSet", "decision_aid.domain.rules"),
        ("decision_aid.governance", "AuditLog", "decision_aid.governance.audit"),
    ],
)
def test_a_package_loads_its_modules_only_when_a_name_is_used(
    package: str, name: str, module: str
) -> None:
    code = (
        f"import sys, {package} as p\n"
        f"before = {module!r} in sys.modules\n"
        f"p.{name}\n"
        f"print(before, {module!r} in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "True"]
