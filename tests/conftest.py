from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"
BUNDLED = Path(__file__).parent.parent / "rules" / "ketamine-chronic-pain"


@pytest.fixture
def mini_copy(tmp_path: Path) -> Path:
    """A writable copy of the small test rule set."""
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    return target


@pytest.fixture
def bundled_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled rule set."""
    target = tmp_path / "ketamine"
    shutil.copytree(BUNDLED, target)
    return target
