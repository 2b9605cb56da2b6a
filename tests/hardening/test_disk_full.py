"""A full disk: the previous save stays byte-identical, no temporary file is left, and the
user is told, both by the storage layer (StorageError) and in the window.

A real full filesystem is a 64 KiB tmpfs (needs root and mount; skipped where not
permitted); everywhere else ENOSPC is simulated by replacing the system calls.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from decision_aid.domain import load_rule_set
from decision_aid.domain.consultation import Consultation
from decision_aid.domain.errors import StorageError
from decision_aid.gui import files
from decision_aid.storage.atomic import atomic_write
from decision_aid.storage.autosave import Autosave
from decision_aid.storage.consultation_file import read_consultation
from tests.conftest import MINI

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
PREVIOUS = b'{"the": "previous save"}\n' * 40


@pytest.fixture
def tiny_tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB tmpfs mounted for the test, or a skip where mounting is not permitted."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a tmpfs needs root and mount(8)")
    point = tmp_path / "tiny"
    point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs", str(point)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield point
    finally:
        if subprocess.run(["umount", str(point)], check=False).returncode != 0:
            subprocess.run(["umount", "-l", str(point)], check=False)


def _no_temp_left(folder: Path) -> bool:
    return not [p for p in folder.iterdir() if p.suffix == ".tmp"]


def _fill(folder: Path) -> None:
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError as error:
        if error.errno != errno.ENOSPC:
            raise
    finally:
        os.close(fd)


def test_one_large_write_to_a_full_tmpfs_keeps_the_previous_save_and_raises(
    tiny_tmpfs: Path,
) -> None:
    target = tiny_tmpfs / "consultation.json"
    atomic_write(target, PREVIOUS)
    with pytest.raises(StorageError, match=r"No space left on device.*previous save is kept"):
        atomic_write(target, b"x" * 200_000)
    assert target.read_bytes() == PREVIOUS
    assert _no_temp_left(tiny_tmpfs)


def test_autosave_to_a_filled_tmpfs_keeps_the_previous_autosave_and_raises(
    tiny_tmpfs: Path,
) -> None:
    rule_set = load_rule_set(MINI)
    autosave = Autosave(tiny_tmpfs)
    first = Consultation.new(rule_set, now=NOW).with_answer("diagnosis", "a", now=NOW)
    path = autosave.save(first)
    before = path.read_bytes()
    _fill(tiny_tmpfs)
    with pytest.raises(StorageError, match="previous save is kept"):
        autosave.save(first.with_answer("tried", "yes", now=NOW).with_notes("n" * 9_000, now=NOW))
    assert path.read_bytes() == before
    assert _no_temp_left(autosave.folder)
    (tiny_tmpfs / "filler").unlink()
    autosave.close()
    pending, problems = autosave.pending()
    assert problems == []
    assert [p.consultation for p in pending] == [first]


# -- simulated ENOSPC ------------------------------------------------------------------


def _enospc(*args: Any, **kwargs: Any) -> Any:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _partial_then_enospc() -> Callable[[int, Any], int]:
    calls = {"n": 0}
    real = os.write

    def write(fd: int, data: Any) -> int:
        calls["n"] += 1
        if calls["n"] == 1:
            return real(fd, bytes(data)[: max(1, len(data) // 2)])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    return write


FAULTS: dict[str, tuple[str, Callable[[], Any]]] = {
    "write-fails-at-once": ("write", lambda: _enospc),
    "write-fails-after-a-partial-write": ("write", _partial_then_enospc),
    "write-writes-nothing": ("write", lambda: lambda fd, data: 0),
    "fsync-fails": ("fsync", lambda: _enospc),
    "rename-fails": ("replace", lambda: _enospc),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_simulated_enospc_keeps_the_previous_save_and_raises_a_clear_storage_error(
    fault: str, tmp_path: Path
) -> None:
    target = tmp_path / "consultation.json"
    atomic_write(target, PREVIOUS)
    name, make = FAULTS[fault]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, name, make())
        with pytest.raises(StorageError) as caught:
            atomic_write(target, b"new" * 100_000)
    message = str(caught.value)
    assert message.startswith(f"{target}: could not save (")
    assert "no space left on device" in message.lower()
    assert message.endswith("the previous save is kept")
    assert target.read_bytes() == PREVIOUS
    assert target.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["consultation.json"]


def test_no_room_even_for_the_temporary_file_raises_a_storage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "consultation.json"
    atomic_write(target, PREVIOUS)
    monkeypatch.setattr(tempfile, "mkstemp", _enospc)
    with pytest.raises(StorageError, match="No space left on device"):
        atomic_write(target, b"new")
    assert target.read_bytes() == PREVIOUS


# -- the window ------------------------------------------------------------------------


def test_window_says_not_saved_when_the_disk_is_full_and_keeps_working(
    make_window: Callable[..., Any],
) -> None:
    window = make_window(MINI)
    window.model.set_answer("diagnosis", "a")
    path = window.autosave.path_for(window.model.consultation)
    before = path.read_bytes()
    assert window.status.save_label.text().startswith("Kept on this computer")

    with pytest.MonkeyPatch.context() as full_disk:
        full_disk.setattr(os, "write", _partial_then_enospc())
        window.model.set_answer("tried", "yes")
    text = window.status.save_label.text()
    assert text.startswith("NOT KEPT on this computer:"), text
    assert "No space left on device" in text
    assert "previous save is kept" in text
    assert window.model.consultation.answers == {"diagnosis": "a", "tried": "yes"}
    assert window.model.assessment.outcome.id in window.model.rule_set.level_rank
    assert path.read_bytes() == before
    assert _no_temp_left(path.parent)

    # room again: the next edit saves everything
    window.model.set_answer("sex", "male")
    assert window.status.save_label.text().startswith("Kept on this computer")
    saved = read_consultation(path)
    assert saved.answers == {"diagnosis": "a", "tried": "yes", "sex": "male"}


def test_saving_to_a_file_on_a_full_disk_shows_an_error_and_keeps_the_old_file(
    make_window: Callable[..., Any],
    shown_messages: list[tuple[str, str]],
    tmp_path: Path,
) -> None:
    window = make_window(MINI)
    window.model.set_answer("diagnosis", "a")
    target = tmp_path / "patient.json"
    target.write_bytes(PREVIOUS)
    with pytest.MonkeyPatch.context() as full_disk:
        full_disk.setattr(os, "fsync", _enospc)
        assert files.write(window, target) is False
    assert shown_messages == [
        (
            "The consultation was not saved",
            f"{target}: could not save (No space left on device); the previous save is kept",
        )
    ]
    assert target.read_bytes() == PREVIOUS
    assert window.model.saved_path is None


def test_window_autosaving_onto_a_full_tmpfs_says_not_saved(
    tiny_tmpfs: Path, make_window: Callable[..., Any]
) -> None:
    window = make_window(MINI)
    window.autosave = window.model.autosave = Autosave(tiny_tmpfs)
    window.model.set_answer("diagnosis", "a")
    path = window.autosave.path_for(window.model.consultation)
    before = path.read_bytes()
    _fill(tiny_tmpfs)
    window.model.set_notes("n" * 20_000)
    assert window.status.save_label.text().startswith("NOT KEPT on this computer:")
    assert path.read_bytes() == before


def test_audit_appends_to_a_full_tmpfs_keep_every_earlier_entry(tiny_tmpfs: Path) -> None:
    """Appending until the disk is full: the failing entry is cut back, nothing else moves;
    once there is room again, the next append goes on from the last whole entry."""
    from decision_aid.governance.audit import AuditError, AuditEvent, AuditLog
    from decision_aid.governance.installation import AuditSettings

    reserve = tiny_tmpfs / "reserve"
    reserve.write_bytes(b"\0" * 8192)
    log = AuditLog(tiny_tmpfs / "audit")
    recording = AuditSettings(record_answers=True)
    before, error = b"", None
    for number in range(1000):
        before = log.log_path.read_bytes() if log.log_path.exists() else b""
        event = AuditEvent("sheet-saved", consultation=f"c{number}", answers={"p": "x" * 3000})
        try:
            log.append(event, settings=recording)
        except AuditError as failed:
            error = str(failed)
            break
    assert error is not None
    assert re.search(r"could not record \(.*No space left on device.*\); the earlier", error)
    assert log.log_path.read_bytes() == before
    result = log.verify()
    assert result.ok, result.problems
    assert result.notices == ()
    assert len(result.entries) >= 3
    assert _no_temp_left(log.folder)
    reserve.unlink()
    log.append(AuditEvent("sheet-saved", consultation="after"), settings=recording)
    after = log.verify()
    assert after.ok
    assert after.notices == ()
    assert len(after.entries) == len(result.entries) + 1
