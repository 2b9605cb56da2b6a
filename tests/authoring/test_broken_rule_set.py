"""Every rule author's command on a deliberately broken rule set: a placed error, exit 1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from decision_aid.cli import main
from tests.conftest import BUNDLED

COMMANDS = ["check", "test", "coverage", "lint", "verify", "mutate", "docs"]


@pytest.fixture
def broken(tmp_path: Path, bundled_copy: Path) -> Path:
    """The bundled set with a misspelt outcome level in one rule."""
    safety = bundled_copy / "rules" / "safety.yaml"
    safety.write_text(
        safety.read_text().replace(
            "    outcome: not_suitable_now\n", "    outcome: not_suitabel\n", 1
        )
    )
    return bundled_copy


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_reports_the_broken_rule_and_fails(
    command: str, broken: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    extra = ["-o", str(tmp_path / "out")] if command == "docs" else []
    assert main([command, str(broken), *extra]) == 1
    out = capsys.readouterr().out
    assert f"{broken / 'rules' / 'safety.yaml'}:12:14: error[unknown-level]" in out
    assert "did you mean 'not_suitable_now'?" in out
    assert not (tmp_path / "out").exists(), "nothing is written from a broken rule set"


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_reports_the_broken_rule_as_json(
    command: str, broken: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    extra = ["-o", str(tmp_path / "out")] if command == "docs" else []
    assert main([command, str(broken), "--format", "json", *extra]) == 1
    (problem,) = json.loads(capsys.readouterr().out)["problems"]
    assert (problem["line"], problem["column"], problem["code"]) == (12, 14, "unknown-level")


def test_diff_refuses_a_broken_new_version(
    broken: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diff", str(BUNDLED), str(broken)]) == 1
    assert "error[unknown-level]" in capsys.readouterr().out


def test_schema_reports_a_folder_it_cannot_write(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert main(["schema", "-o", str(blocker / "schemas")]) == 1
    assert "error:" in capsys.readouterr().err
