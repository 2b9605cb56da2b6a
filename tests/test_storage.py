"""Saving: atomic, private, and honest when the disk says no."""

from __future__ import annotations

import errno
import os
import stat
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from decision_aid.domain import InputError, load_rule_set
from decision_aid.domain.consultation import (
    MAX_NOTES_LENGTH,
    MAX_REASON_LENGTH,
    MAX_TEXT_LENGTH,
    Consultation,
    Override,
)
from decision_aid.domain.errors import StorageError
from decision_aid.storage.atomic import atomic_write, write_file, write_files
from decision_aid.storage.autosave import Autosave
from decision_aid.storage.consultation_file import (
    MAX_CONSULTATION_BYTES,
    read_consultation,
    write_consultation,
)
from tests.conftest import MINI
from tests.hardening.harness import time_limit

NOW = datetime(2026, 11, 24, 14, 2, 31, tzinfo=UTC)
RULES = load_rule_set(MINI)


def consultation() -> Consultation:
    return Consultation.new(RULES, now=NOW).with_answer("diagnosis", "a", now=NOW)


@pytest.mark.parametrize("umask", [0o022, 0o000])
def test_saved_files_are_private_whatever_the_umask(tmp_path: Path, umask: int) -> None:
    old = os.umask(umask)
    try:
        path = Autosave(tmp_path / "data").save(consultation())
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_a_failed_write_keeps_the_previous_file_and_leaves_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "c.json"
    write_consultation(path, consultation())
    before = path.read_bytes()

    def full_disk(fd: int, data: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "write", full_disk)
    with pytest.raises(StorageError, match=r"No space left on device.*the previous save is kept"):
        atomic_write(path, b"{}" * 1000)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["c.json"]


def test_a_short_write_is_not_taken_for_success(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "c.json"
    write_consultation(path, consultation())
    before = path.read_bytes()
    monkeypatch.setattr(os, "write", lambda fd, data: 0)
    with pytest.raises(StorageError):
        atomic_write(path, b"x" * 100)
    assert path.read_bytes() == before


def test_file_and_folder_are_flushed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[int] = []
    real = os.fsync

    def fsync(fd: int) -> None:
        synced.append(fd)
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    atomic_write(tmp_path / "c.json", b"{}")
    assert len(synced) == 2


def test_round_trip(tmp_path: Path) -> None:
    override = Override(level="stop", reason="Prefers not to.", at=NOW, clinician="Dr A")
    original = consultation().model_copy(update={"overrides": [override]})
    write_consultation(tmp_path / "c.json", original)
    assert read_consultation(tmp_path / "c.json") == original


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '{"schema_version": 1, "id": "x"',
            "not a readable consultation file (it may be cut short)",
        ),
        (
            '{"schema_version": 9}',
            "saved by a newer decision-aid (file format 9; this version reads up to 3)",
        ),
        ("[1, 2]", "not a consultation file"),
        (
            '{"schema_version": 1, "id": 5}',
            "not a valid consultation file: its id (id): must be text",
        ),
    ],
)
def test_bad_consultation_files_say_what_is_wrong(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "c.json"
    path.write_text(text)
    with pytest.raises(InputError) as caught:
        read_consultation(path)
    assert message in str(caught.value)
    assert path.read_text() == text, "nothing is overwritten"


def test_every_truncation_of_an_autosave_is_detected_and_set_aside(tmp_path: Path) -> None:
    autosave = Autosave(tmp_path)
    good = autosave.save(consultation())
    autosave.close()  # as after a crash: nobody holds it
    data = good.read_bytes()
    for cut in range(0, len(data), 37):
        good.write_bytes(data[:cut])
        pending, problems = autosave.pending()
        assert pending == []
        assert len(problems) == 1
        assert good.with_suffix(".corrupt").exists()
        good.with_suffix(".corrupt").unlink()


def test_pending_lists_newest_first_and_removes_only_old_stray_temp_files(tmp_path: Path) -> None:
    autosave = Autosave(tmp_path)
    older = Consultation.new(RULES, now=NOW)
    newer = Consultation.new(RULES, now=NOW.replace(hour=15))
    autosave.save(older)
    autosave.save(newer)
    autosave.close()
    stale = autosave.folder / ".x.json.123.tmp"
    stale.write_text("half")
    hours_ago = time.time() - 2 * 3600
    os.utime(stale, (hours_ago, hours_ago))
    young = autosave.folder / ".y.json.456.tmp"  # perhaps being written right now
    young.write_text("half")
    pending, problems = autosave.pending()
    assert [p.consultation.id for p in pending] == [newer.id, older.id]
    assert problems == []
    assert not stale.exists()
    assert young.exists()
    assert autosave.discard_pending(pending[0])
    assert [p.consultation.id for p in autosave.pending()[0]] == [older.id]


def test_a_folder_the_user_chose_keeps_its_permissions(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o775)
    shared.chmod(0o2775)
    atomic_write(shared / "sheet.pdf", b"%PDF")
    assert stat.S_IMODE(shared.stat().st_mode) == 0o2775
    assert stat.S_IMODE((shared / "sheet.pdf").stat().st_mode) == 0o600


def test_an_autosave_from_a_newer_version_is_kept_not_set_aside(tmp_path: Path) -> None:
    autosave = Autosave(tmp_path)
    path = autosave.save(consultation())
    autosave.close()
    path.write_text('{"schema_version": 9, "id": "x"}')
    pending, problems = autosave.pending()
    assert pending == []
    assert problems[0].startswith("An autosave is kept for a newer decision-aid")
    assert path.exists()


def _with(part: str, length: int) -> Consultation:
    """A consultation whose ``part`` holds ``length`` characters."""
    text = "n" * length
    if part == "notes":
        return consultation().with_notes(text, now=NOW)
    if part == "answers":
        return consultation().with_answer("diagnosis", text, now=NOW)
    base = consultation()
    override = Override(level="stop", reason="r", at=NOW).model_copy(update={"reason": text})
    return base.model_copy(update={"overrides": [override]})


@pytest.mark.parametrize(
    ("part", "limit", "words"),
    [
        ("notes", MAX_NOTES_LENGTH, "the notes"),
        ("answers", MAX_TEXT_LENGTH, "the answer to 'diagnosis'"),
        ("override reason", MAX_REASON_LENGTH, "an override's reason"),
    ],
)
def test_one_limit_for_the_writer_and_the_reader(
    tmp_path: Path, part: str, limit: int, words: str
) -> None:
    path = tmp_path / "c.json"
    at_limit = _with(part, limit)
    write_consultation(path, at_limit)
    assert read_consultation(path, now=NOW) == at_limit, "what saves, opens"
    before = path.read_bytes()
    with pytest.raises(StorageError) as caught:
        write_consultation(path, _with(part, limit + 1))
    message = str(caught.value)
    assert words in message
    assert f"longer than {limit:,}".replace(",", "") in message.replace(",", "")
    assert message.endswith("the previous save is kept")
    assert path.read_bytes() == before, "nothing on disk changes"
    assert [p.name for p in tmp_path.iterdir()] == ["c.json"]


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    write_consultation(path, consultation())
    with path.open("ab") as file:  # written by something else
        file.truncate(MAX_CONSULTATION_BYTES + 1)
    with pytest.raises(InputError, match="too large to be a consultation"):
        read_consultation(path)


def test_a_consultation_that_would_not_open_is_refused_before_anything_is_written(
    tmp_path: Path,
) -> None:
    autosave = Autosave(tmp_path / "data")
    with pytest.raises(StorageError, match="the notes"):
        autosave.save(_with("notes", MAX_NOTES_LENGTH + 1))
    assert not (tmp_path / "data").exists()


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _zero(path: Path) -> None:
    path.symlink_to("/dev/zero")


def _folder(path: Path) -> None:
    path.mkdir()


def _sparse(path: Path) -> None:
    with path.open("wb") as handle:
        handle.truncate(10 * MAX_CONSULTATION_BYTES)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_fifo, "a pipe, not a file"),
        (_zero, "a device, not a file"),
        (_folder, "a folder, not a file"),
        (_sparse, "too large to be a consultation"),
    ],
)
def test_open_refuses_what_is_not_a_consultation_file_at_once(
    tmp_path: Path, make: Callable[[Path], None], message: str
) -> None:
    path = tmp_path / "c.json"
    make(path)
    with time_limit(2.0), pytest.raises(InputError, match=message):
        read_consultation(path)


def test_an_autosave_folder_swapped_for_a_link_is_not_written_through(tmp_path: Path) -> None:
    autosave = Autosave(tmp_path / "data")
    autosave.save(consultation())
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    autosave.folder.rename(tmp_path / "moved")
    autosave.folder.symlink_to(elsewhere)
    with pytest.raises(StorageError, match="not a folder"):
        autosave.save(consultation().with_notes("more", now=NOW))
    assert list(elsewhere.iterdir()) == []


def test_a_pair_is_all_or_nothing_where_the_folder_takes_no_hard_links(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A USB stick (FAT) or a network share: the old files are copied aside instead."""
    first, second = tmp_path / "x.json", tmp_path / "x.questionnaire.json"
    write_files({first: b"old first", second: b"old second"})
    replace = os.replace

    def no_link(source: object, target: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    def second_fails(source: str | Path, target: str | Path) -> None:
        if Path(target) == second:
            raise OSError(errno.EIO, "Input/output error")
        replace(source, target)

    monkeypatch.setattr(os, "link", no_link)
    monkeypatch.setattr(os, "replace", second_fails)
    with pytest.raises(StorageError, match="nothing was written"):
        write_files({first: b"new first", second: b"new second"})
    monkeypatch.undo()
    assert (first.read_bytes(), second.read_bytes()) == (b"old first", b"old second")
    assert sorted(p.name for p in tmp_path.iterdir()) == [first.name, second.name]


def test_a_long_name_in_wide_characters_saves(tmp_path: Path) -> None:
    target = tmp_path / ("\N{GRINNING FACE}" * 61 + ".json")  # 249 bytes: a valid name
    write_file(target, b"{}")
    assert target.read_bytes() == b"{}"
    assert [p.name for p in tmp_path.iterdir()] == [target.name], "no temporary file left"
