from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"
OTHER = FIXTURES / "other"  # a second, made-up rule set with schemas and no settings
BUNDLED = Path(__file__).parent.parent / "rules" / "ketamine-chronic-pain"


@pytest.fixture(autouse=True)
def installation_of_its_own(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """No test reads this machine's /etc/decision-aid or writes the user's audit trail."""
    folder = tmp_path_factory.mktemp("installation")
    names = {
        "DECISION_AID_CONFIG": folder / "decision-aid.toml",
        "DECISION_AID_SYSTEM_RULES_DIR": folder / "rules",
        "DECISION_AID_SYSTEM_KEYS_DIR": folder / "trusted-keys",
        "DECISION_AID_DATA_DIR": folder / "data",
    }
    with pytest.MonkeyPatch.context() as patch:
        for name, value in names.items():
            patch.setenv(name, str(value))
        yield


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
