"""Tests and benchmarks reach the code through public seams: none imports, reads or patches
a private name (``_name``) of another module or object, so a refactoring behind a public
function never breaks a test that still holds."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).parent.parent
FIRST_PARTY = ("decision_aid", "tests", "bench")
ALLOWED = {"os._exit"}
"""Private by name only: the standard library's documented exit without clean-up."""


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def private_uses(source: str) -> list[str]:
    """Each import, read or patch of a private name in ``source``, as ``line: what``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(FIRST_PARTY):
            found += [f"{node.lineno}: import {a.name}" for a in node.names if _private(a.name)]
        elif isinstance(node, ast.Attribute) and _private(node.attr):
            owner = ast.unparse(node.value)
            if owner not in ("self", "cls") and f"{owner}.{node.attr}" not in ALLOWED:
                found.append(f"{node.lineno}: {owner}.{node.attr}")
        elif isinstance(node, ast.Call) and ast.unparse(node.func).endswith("setattr"):
            found += [
                f"{node.lineno}: patches {arg.value}"
                for arg in node.args[:2]
                if isinstance(arg, ast.Constant)
                and isinstance(arg.value, str)
                and any(_private(part) for part in arg.value.split("."))
            ]
    return found


def test_the_check_finds_each_kind_of_private_use() -> None:
    planted = (
        "from decision_aid.authoring.verify import _World, verify\n"
        "window._write = None\n"
        "monkeypatch.setattr('decision_aid.domain.engine._contribution', None)\n"
        "monkeypatch.setattr(engine, '_plan', None)\n"
        "self._kept = os._exit\n"
        "from os import _exit\n"
    )
    assert private_uses(planted) == [
        "1: import _World",
        "2: window._write",
        "3: patches decision_aid.domain.engine._contribution",
        "4: patches _plan",
    ]


def test_no_test_or_benchmark_uses_a_private_name() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{use}"
        for folder in ("tests", "bench")
        for path in sorted((ROOT / folder).rglob("*.py"))
        for use in private_uses(path.read_text())
    ]
    assert found == []
