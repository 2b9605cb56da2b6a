"""The audit log: hash-chained, append-only, private, and honest about what it cannot show.

Every way of spoiling the file (an edited byte, two entries swapped, one removed, the
end cut off at an entry boundary or inside one) must make ``verify`` fail; an
interrupted write past the head is a notice, and the next append sets it aside.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from decision_aid.governance.audit import GENESIS, AuditError, AuditEvent, AuditLog, Entry
from decision_aid.governance.installation import AuditSettings

ROOT = Path(__file__).resolve().parent.parent.parent
START = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def _event(number: int) -> AuditEvent:
    return AuditEvent(
        "sheet-printed" if number % 2 else "override-set",
        consultation=f"c-{number}",
        rule_set_id="mini",
        version="1.0.0",
        digest="ab" * 32,
        approval="unsigned",
        outcome="discuss",
        override="not_now" if number % 3 == 0 else "",
        override_reason="the patient's words, kept private",
        patient_label="J. Doe, born 1970",
        answers={"age": 46, "diagnosis": "crps"},
    )


def _filled(folder: Path, count: int) -> AuditLog:
    log = AuditLog(folder)
    for number in range(count):
        log.append(_event(number), now=START + timedelta(hours=number))
    return log


def _lines(log: AuditLog) -> list[bytes]:
    return log.log_path.read_bytes().splitlines(keepends=True)


def test_entries_chain_from_the_first_and_the_log_is_private(tmp_path: Path) -> None:
    log = _filled(tmp_path / "audit", 3)
    result = log.verify()
    assert result.ok, result.problems
    assert result.notices == ()
    assert [e.seq for e in result.entries] == [1, 2, 3]
    assert result.entries[0].data["prev"] == GENESIS
    assert result.entries[1].data["prev"] == result.entries[0].hash
    assert result.head is not None
    assert result.head.last_hash == result.entries[2].hash
    assert stat.S_IMODE(log.folder.stat().st_mode) == 0o700
    for path in (log.log_path, log.head_path, log.lock_path):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_an_entry_holds_the_identity_but_never_the_answers_or_label_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DECISION_AID_CLINICIAN", "Dr A. Example")
    log = _filled(tmp_path / "audit", 1)
    data = log.verify().entries[0].data
    assert data["event"] == "override-set"
    assert data["clinician"] == "Dr A. Example"
    assert data["rule_set"] == {"id": "mini", "version": "1.0.0", "digest": "ab" * 32}
    assert (data["approval"], data["outcome"], data["override"]) == (
        "unsigned",
        "discuss",
        "not_now",
    )
    assert data["time"] == "2026-11-30T08:00:00.000000Z"
    text = log.log_path.read_text()
    for private in ("crps", "J. Doe", "the patient's words", "details"):
        assert private not in text


def test_the_installation_may_turn_recording_of_answers_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "decision-aid.toml"
    config.write_text("[audit]\nrecord_answers = true\n")
    monkeypatch.setenv("DECISION_AID_CONFIG", str(config))
    log = _filled(tmp_path / "audit", 1)
    details = log.verify().entries[0].data["details"]
    assert details["answers"] == {"age": 46, "diagnosis": "crps"}
    assert details["patient_label"] == "J. Doe, born 1970"


@pytest.mark.parametrize("text", ["[audit]\nrecord_answers = 'yes'\n", "not toml [", "[audit"])
def test_a_config_that_is_not_plainly_true_keeps_answers_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    config = tmp_path / "decision-aid.toml"
    config.write_text(text)
    monkeypatch.setenv("DECISION_AID_CONFIG", str(config))
    log = _filled(tmp_path / "audit", 1)
    assert "details" not in log.verify().entries[0].data


# -- tampering ---------------------------------------------------------------------------


def _edit_byte(lines: list[bytes], index: int, offset: int) -> list[bytes]:
    line = bytearray(lines[index])
    at = offset % (len(line) - 1)  # never the newline itself
    line[at] = ord("#") if line[at] != ord("#") else ord("$")
    return [*lines[:index], bytes(line), *lines[index + 1 :]]


TAMPERINGS = st.sampled_from(["edit", "swap", "drop", "cut-at-boundary", "cut-inside"])


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(count=st.integers(2, 6), how=TAMPERINGS, index=st.integers(0, 5), offset=st.integers(0))
def test_any_edit_reorder_or_truncation_is_found(
    tmp_path_factory: pytest.TempPathFactory, count: int, how: str, index: int, offset: int
) -> None:
    log = _filled(tmp_path_factory.mktemp("audit"), count)
    lines = _lines(log)
    index %= count
    if how == "edit":
        lines = _edit_byte(lines, index, offset)
    elif how == "swap":
        other = (index + 1) % count
        lines[index], lines[other] = lines[other], lines[index]
    elif how == "drop":
        del lines[index]
    elif how == "cut-at-boundary":
        lines = lines[: min(index, count - 1)]
    else:
        last = lines[-1]
        lines[-1] = last[: 1 + offset % (len(last) - 2)]
    log.log_path.write_bytes(b"".join(lines))
    result = log.verify()
    assert not result.ok, f"{how} at {index} went unnoticed"


def test_a_rewritten_entry_with_a_fresh_hash_breaks_the_chain(tmp_path: Path) -> None:
    """Changing an outcome and recomputing that entry's hash is still found."""
    log = _filled(tmp_path / "audit", 3)
    lines = _lines(log)
    data = json.loads(lines[1])
    data["outcome"] = "recommend"
    body = {k: v for k, v in data.items() if k != "hash"}
    data["hash"] = Entry(2, body).computed_hash()  # a public method: anyone can recompute
    lines[1] = (json.dumps(data, sort_keys=True, separators=(",", ":")) + "\n").encode()
    log.log_path.write_bytes(b"".join(lines))
    problems = log.verify().problems
    assert any("line 3: entry 3 does not follow" in p for p in problems), problems


def test_truncation_at_a_boundary_is_named_and_refused_for_new_entries(tmp_path: Path) -> None:
    log = _filled(tmp_path / "audit", 4)
    full = log.log_path.stat().st_size
    log.log_path.write_bytes(b"".join(_lines(log)[:2]))
    assert log.verify().problems == (
        f"the head record counts 4 entries ({full} bytes) but the log holds 2 "
        f"({log.log_path.stat().st_size} bytes): the log was cut short",
    )
    with pytest.raises(AuditError, match=r"shorter .* than its head record says"):
        log.append(_event(9))
    assert len(_lines(log)) == 2  # the evidence is left as it was found


def test_a_log_without_its_head_is_not_whole_and_takes_no_more_entries(tmp_path: Path) -> None:
    log = _filled(tmp_path / "audit", 2)
    log.head_path.unlink()
    assert not log.verify().ok
    with pytest.raises(AuditError, match="no head record"):
        log.append(_event(3))


def test_no_folder_means_an_empty_whole_log(tmp_path: Path) -> None:
    result = AuditLog(tmp_path / "never").verify()
    assert result.ok
    assert result.entries == ()


# -- interrupted writes --------------------------------------------------------------------


def test_a_torn_last_line_is_reported_set_aside_and_recorded(tmp_path: Path) -> None:
    log = _filled(tmp_path / "audit", 2)
    whole = log.log_path.read_bytes()
    with log.log_path.open("ab") as file:
        file.write(b'{"format":1,"seq":3,"ti')
    result = log.verify()
    assert result.ok
    assert result.notices == (
        "line 3: an interrupted write left 23 bytes after the last entry; "
        "the next recording sets them aside",
    )
    log.append(_event(7))
    after = log.verify()
    assert after.ok
    assert after.notices == ()
    assert log.log_path.read_bytes().startswith(whole)
    assert [e.data["event"] for e in after.entries][2:] == ["log-recovered", "sheet-printed"]
    assert "23 bytes after entry 2" in after.entries[2].data["note"]
    (aside,) = log.folder.glob("torn-*.bin")
    assert aside.read_bytes() == b'{"format":1,"seq":3,"ti'


def test_a_whole_entry_past_the_head_is_adopted(tmp_path: Path) -> None:
    """A crash between writing the entry and writing the head loses nothing."""
    log = _filled(tmp_path / "audit", 3)
    head_of_two = tmp_path / "head-of-two"
    _filled(tmp_path / "two", 2).head_path.rename(head_of_two)
    # The head as it was before the third append (same events, same times: same hashes).
    head_of_two.replace(log.head_path)
    result = log.verify()
    assert result.ok
    assert result.notices == (
        "1 entry after the head record (an append was interrupted before the head was "
        "updated); the next recording adopts them",
    )
    log.append(_event(3), now=START + timedelta(hours=3))
    after = log.verify()
    assert after.ok
    assert after.notices == ()
    assert len(after.entries) == 4


def test_entries_since_a_day(tmp_path: Path) -> None:
    log = _filled(tmp_path / "audit", 30)  # hourly from 30 Nov 08:00 into 1 Dec
    assert len(log.entries(since=date(2026, 12, 1))) == 30 - 16
    assert log.entries(since=date(2026, 12, 2)) == []


def test_an_unknown_event_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown audit event 'printed'"):
        AuditEvent("printed")


APPENDER = """
import sys
from pathlib import Path
from decision_aid.governance.audit import AuditEvent, AuditLog
log = AuditLog(Path(sys.argv[1]))
for n in range(int(sys.argv[2])):
    pad = {"p": "x" * 70000}
    event = AuditEvent("sheet-printed", consultation=sys.argv[3] + str(n), answers=pad)
    log.append(event)
"""


def test_two_processes_appending_at_once_never_interleave(tmp_path: Path) -> None:
    folder = tmp_path / "audit"
    config = tmp_path / "on.toml"  # large entries (answers recorded): writes take a while
    config.write_text("[audit]\nrecord_answers = true\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DECISION_AID_CONFIG": str(config)}
    runs = [
        subprocess.Popen([sys.executable, "-c", APPENDER, str(folder), "60", tag], env=env)
        for tag in ("a", "b")
    ]
    assert [run.wait(timeout=120) for run in runs] == [0, 0]
    result = AuditLog(folder).verify()
    assert result.ok, result.problems
    assert len(result.entries) == 120
    names = [str(e.data["consultation"]) for e in result.entries]
    for tag in ("a", "b"):
        assert [n for n in names if n.startswith(tag)] == [f"{tag}{n}" for n in range(60)]


def test_settings_given_by_the_caller_win(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit")
    log.append(_event(1), settings=AuditSettings(record_answers=True))
    assert "details" in log.verify().entries[0].data


def test_a_log_replaced_by_a_link_is_never_written_through(tmp_path: Path) -> None:
    log = _filled(tmp_path / "audit", 1)
    victim = tmp_path / "victim"
    victim.write_bytes(b"not yours\n")
    log.log_path.unlink()
    log.log_path.symlink_to(victim)
    with pytest.raises(AuditError, match="a symbolic link where the file itself belongs"):
        log.append(_event(2))
    with pytest.raises(AuditError, match="a symbolic link"):
        log.verify()
    assert victim.read_bytes() == b"not yours\n"
