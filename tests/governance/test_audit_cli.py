"""``decision-aid sheet`` records what it writes; ``audit verify`` and ``audit show`` read it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from decision_aid.cli import main
from decision_aid.governance.audit import AuditLog
from decision_aid.storage.data_folder import data_dir
from tests.conftest import BUNDLED

EXAMPLE = BUNDLED / "examples" / "crps-asra.yaml"


def _sheet(tmp_path: Path, name: str = "sheet.pdf") -> int:
    return main(["sheet", str(EXAMPLE), "-o", str(tmp_path / name), "--rules", str(BUNDLED)])


def test_a_written_sheet_is_recorded_and_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _sheet(tmp_path) == 0
    capsys.readouterr()
    assert main(["audit", "show", "--format", "json"]) == 0
    (entry,) = json.loads(capsys.readouterr().out)
    assert entry["event"] == "sheet-written"
    assert entry["rule_set"]["id"] == "ketamine-chronic-pain"
    assert entry["outcome"]
    assert entry["approval"] == "unsigned"
    assert "details" not in entry
    assert main(["audit", "show"]) == 0
    line = capsys.readouterr().out.strip()
    assert "#1  sheet-written  rules ketamine-chronic-pain" in line
    assert main(["audit", "show", "--since", "2999-01-01"]) == 0
    assert capsys.readouterr().out == "(no entries since 2999-01-01)\n"


def test_verify_says_whole_then_names_an_edit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("a.pdf", "b.pdf"):
        assert _sheet(tmp_path, name) == 0
    log = AuditLog(data_dir() / "audit")
    capsys.readouterr()
    assert main(["audit", "verify"]) == 0
    head = log.read_head()
    assert head is not None
    assert capsys.readouterr().out == (
        f"{log.log_path}: 2 entries, whole and in order; entry 2 has hash {head.last_hash}\n"
    )
    text = log.log_path.read_text()
    outcome = json.loads(text.splitlines()[0])["outcome"]
    log.log_path.write_text(text.replace(f'"outcome":"{outcome}"', '"outcome":"other"', 1))
    assert main(["audit", "verify"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"{log.log_path}: error: line 1: entry 1 was edited: its hash does not match",
        f"{log.log_path}: NOT WHOLE: 1 problem(s)",
    ]
    assert main(["audit", "show"]) == 0
    assert "not whole" in capsys.readouterr().err


def test_a_sheet_that_cannot_be_recorded_is_not_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _sheet(tmp_path, "first.pdf") == 0
    (data_dir() / "audit" / "head.json").unlink()
    assert _sheet(tmp_path, "second.pdf") == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: could not write {tmp_path / 'second.pdf'}: it could not be ")
    assert err.rstrip().endswith("nothing was written")
    assert not (tmp_path / "second.pdf").exists()
    assert (tmp_path / "first.pdf").exists()


def test_since_must_be_a_date(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["audit", "show", "--since", "yesterday"])
    assert exit_.value.code == 2
    assert "'yesterday' is not a date; write it YYYY-MM-DD" in capsys.readouterr().err


def test_an_installed_rule_set_is_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from decision_aid.governance.installation import default_rules_dir
    from decision_aid.paths import bundled_rules_dir

    assert default_rules_dir() == bundled_rules_dir()
    system = tmp_path / "system-rules"
    (system / "clinic-set").mkdir(parents=True)
    (system / "clinic-set" / "ruleset.yaml").write_text("id: clinic-set\n")
    (system / "not-a-set").mkdir()
    monkeypatch.setenv("DECISION_AID_SYSTEM_RULES_DIR", str(system))
    assert default_rules_dir() == system / "clinic-set"


def test_an_anchored_hash_catches_a_consistent_rewrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Dropping the last entry and fixing the head fools the chain, not an anchor."""
    for name in ("a.pdf", "b.pdf"):
        assert _sheet(tmp_path, name) == 0
    log = AuditLog(data_dir() / "audit")
    head = log.read_head()
    assert head is not None
    anchor = f"2:{head.last_hash}"
    lines = log.log_path.read_bytes().splitlines(keepends=True)
    log.log_path.write_bytes(lines[0])
    first = json.loads(lines[0])
    size = len(lines[0])
    log.head_path.write_text(
        json.dumps({"format": 1, "count": 1, "last_hash": first["hash"], "size": size})
    )
    capsys.readouterr()
    assert main(["audit", "verify"]) == 0  # the limit the docs state
    assert main(["audit", "verify", "--anchor", anchor]) == 1
    assert (
        f"error: entry 2 no longer has the hash {head.last_hash[:16]}… copied from it earlier: "
        "the log was rewritten"
    ) in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["audit", "verify", "--anchor", "2:abc"])
    assert "not an anchor; write ENTRY:HASH" in capsys.readouterr().err
