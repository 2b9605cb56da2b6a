"""Nothing in the autosave folder, and no id in a consultation, can hurt the user.

The sweeps (:mod:`tests.hardening.autosave_sweep`) run against the real
:class:`Autosave`, and against planted bugs to show they would catch a regression.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from decision_aid.domain.consultation import Consultation
from decision_aid.domain.errors import InputError
from decision_aid.storage.atomic import atomic_write
from decision_aid.storage.autosave import Autosave, Pending
from decision_aid.storage.consultation_file import read_consultation
from tests.hardening.autosave_sweep import (
    SCAN_SECONDS,
    hostile_ids,
    id_budget,
    sweep_folder_contents,
    sweep_ids,
)


def test_no_id_becomes_a_path(tmp_path: Path) -> None:
    ids = hostile_ids(id_budget(), seed=11, sandbox=tmp_path / "id-0")
    report = sweep_ids(ids, Autosave, tmp_path)
    print(f"hostile ids: {report.clean}/{report.tried} clean in {report.seconds:.2f} s")
    assert report.failures == []
    assert report.clean == report.tried == len(ids)


def test_no_entry_in_the_autosave_folder_blocks_escapes_or_is_moved(tmp_path: Path) -> None:
    report = sweep_folder_contents(Autosave, tmp_path)
    print(f"hostile entries: {report.clean}/{report.tried} clean in {report.seconds:.2f} s")
    assert report.failures == []
    assert report.tried >= 18
    assert report.seconds < SCAN_SECONDS * report.tried


class IdNamedAutosave(Autosave):
    """The planted bug: the autosave named by the consultation's id (as it once was)."""

    def save(self, consultation: Consultation) -> Path:
        path = self.folder / f"{consultation.id}.json"
        atomic_write(path, consultation.to_json().encode(), private_folder=True)
        return path

    def discard(self, consultation: Consultation) -> None:
        with contextlib.suppress(FileNotFoundError):
            (self.folder / f"{consultation.id}.json").unlink()


def test_the_id_sweep_catches_an_autosave_named_by_its_id(tmp_path: Path) -> None:
    ids = hostile_ids(30, seed=11, sandbox=tmp_path / "id-0")
    report = sweep_ids(ids, IdNamedAutosave, tmp_path)
    assert report.clean < report.tried
    text = "\n".join(report.failures)
    assert "id '../../victim': changed victim.json" in text
    assert "created escaped.json" in text, "written outside the data folder"
    assert "changed ." in text, "the folder around it re-permissioned"
    assert "ValueError" in text, "a NUL in the id escaped as a crash"


class FollowingAutosave(Autosave):
    """The planted bug: a scan that opens whatever ``*.json`` it finds, links included."""

    def pending(self) -> tuple[list[Pending], list[str]]:
        found: list[Pending] = []
        problems: list[str] = []
        for path in sorted(self.folder.glob("*.json")):
            try:
                found.append(Pending(path, read_consultation(path)))
            except InputError as error:
                with contextlib.suppress(OSError):
                    path.rename(path.with_suffix(".corrupt"))
                problems.append(str(error))
        return found, problems


def test_the_folder_sweep_catches_a_scan_that_follows_links(tmp_path: Path) -> None:
    # Only the cases a naive scan survives: a pipe or /dev/zero would hang it or fill memory.
    cases = ["link to a consultation outside", "link to garbage outside", "folder.json"]
    report = sweep_folder_contents(FollowingAutosave, tmp_path, cases=cases)
    text = "\n".join(report.failures)
    assert "link to a consultation outside: offered" in text
    assert "link to garbage outside: a.json (not a regular file) was moved" in text
