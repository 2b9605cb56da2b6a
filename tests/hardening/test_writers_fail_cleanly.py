"""Every file the app writes, on a full or read-only disk: the old files stay byte-identical,
no half pair and no temporary file is left, and the user is told which file and why.

The writers: ``decision-aid sheet``, ``docs`` (Markdown + HTML) and ``schema`` (eight
files) from the CLI; from the window the FHIR export (a pair), the test case and the
sheet's "Save as PDF". The failures: ENOSPC at each system call of a write (simulated by
replacing ``os`` functions, as ``test_disk_full`` does), a rename that fails after the
first file of a set is in place, EROFS/EACCES when the temporary file is made, and a
real read-only tmpfs where mounting is permitted.

:func:`sweep_writer` takes the writer as a parameter; the planted-bug test hands it a
writer that writes in place (``Path.write_bytes``) and sees it reported.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from decision_aid.cli import main
from decision_aid.gui import actions, exports
from decision_aid.storage.atomic import write_files
from tests.conftest import MINI
from tests.hardening.harness import CASES, ContractViolation

OLD = b"the previous file, which must survive\n" * 50


def _error(code: int) -> OSError:
    return OSError(code, os.strerror(code))


def _always(code: int) -> Callable[..., Any]:
    def fail(*args: Any, **kwargs: Any) -> Any:
        raise _error(code)

    return fail


def _partial_then_enospc() -> Callable[[int, Any], int]:
    real, calls = os.write, [0]

    def write(fd: int, data: Any) -> int:
        calls[0] += 1
        if calls[0] == 1:
            return real(fd, bytes(data)[: max(1, len(data) // 2)])
        raise _error(errno.ENOSPC)

    return write


def _second_call_fails(real: Callable[..., Any]) -> Callable[..., Any]:
    calls = [0]

    def call(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        if calls[0] == 2:
            raise _error(errno.ENOSPC)
        return real(*args, **kwargs)

    return call


def _open_fails_in(folder: Path, code: int) -> Callable[..., Any]:
    real = os.open

    def open_(path: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(path, str | Path) and Path(path).parent == folder:
            raise _error(code)
        return real(path, *args, **kwargs)

    return open_


Fault = Callable[[Path], contextlib.AbstractContextManager[object]]


def _patched(name: str, make: Callable[[Path], Callable[..., Any]]) -> Fault:
    @contextlib.contextmanager
    def fault(folder: Path) -> Iterator[object]:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(os, name, make(folder))
            yield None

    return fault


FAULTS: dict[str, tuple[Fault, str]] = {
    "write fails at once": (_patched("write", lambda f: _always(errno.ENOSPC)), "no space"),
    "write fails after a partial write": (
        _patched("write", lambda f: _partial_then_enospc()),
        "no space",
    ),
    "write writes nothing": (_patched("write", lambda f: lambda fd, data: 0), "no space"),
    "fsync fails": (_patched("fsync", lambda f: _always(errno.ENOSPC)), "no space"),
    "rename fails": (_patched("replace", lambda f: _always(errno.ENOSPC)), "no space"),
    "second rename fails": (_patched("replace", lambda f: _second_call_fails(os.replace)), ""),
    "read-only folder": (
        _patched("open", lambda f: _open_fails_in(f, errno.EROFS)),
        "read-only file system",
    ),
    "no permission": (
        _patched("open", lambda f: _open_fails_in(f, errno.EACCES)),
        "permission denied",
    ),
}
"""Fault name → (the fault, around the write; words the message must hold)."""


@dataclass(frozen=True)
class Writer:
    """Writes ``targets`` (in one folder); returns the message the user was shown.

    ``None`` means "reported success"; the sweep then checks every target is new.
    """

    targets: Callable[[Path], list[Path]]
    write: Callable[[Path], str | None]


def _no_temps(folder: Path, expected: set[str]) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name not in expected)


def check_writer(name: str, writer: Writer, fault_name: str, folder: Path) -> str:
    """One writer under one fault; the outcome in words (raises on a broken contract)."""
    fault, words = FAULTS[fault_name]
    targets = writer.targets(folder)
    for target in targets:
        target.write_bytes(OLD)
    names = {t.name for t in targets}
    with fault(folder):
        message = writer.write(folder)
    context = f"[{name} / {fault_name}]"
    stray = _no_temps(folder, names)
    if stray:
        raise ContractViolation(f"{context}: left {stray} beside the targets")
    changed = [t.name for t in targets if t.read_bytes() != OLD]
    if message is None:
        if changed != [t.name for t in targets]:  # reported success: all must be new
            raise ContractViolation(f"{context}: reported success but only {changed} changed")
        return "written"
    if changed:
        raise ContractViolation(f"{context}: failed but changed {changed}: {message!r}")
    lowered = message.lower()
    if words and words not in lowered:
        raise ContractViolation(f"{context}: the message does not say {words!r}: {message!r}")
    if not any(str(t) in message for t in targets) or "nothing was written" not in message:
        raise ContractViolation(f"{context}: the message does not name the file: {message!r}")
    if "Traceback" in message:
        raise ContractViolation(f"{context}: a traceback reached the user: {message!r}")
    return "refused"


def sweep_writer(name: str, writer: Writer, root: Path) -> dict[str, str]:
    """Every fault against ``writer``, each in a fresh folder under ``root``."""
    outcomes = {}
    for index, fault_name in enumerate(FAULTS):
        folder = root / f"{index}"
        folder.mkdir(parents=True)
        outcomes[fault_name] = check_writer(name, writer, fault_name, folder)
    CASES["writers"] += len(outcomes)
    return outcomes


# -- the writers -----------------------------------------------------------------------


def _cli(argv: Callable[[Path], list[str]], capsys: pytest.CaptureFixture[str]) -> Writer:
    def write(folder: Path) -> str | None:
        capsys.readouterr()
        code = main(argv(folder))
        out, err = capsys.readouterr()
        if code == 0:
            return None
        assert code == 1, (code, out, err)
        assert err.startswith("error: could not write "), err
        return err

    return Writer(lambda f: [], write)


def _answers(folder: Path) -> Path:
    path = folder.parent / f"answers-{folder.name}.yaml"
    path.write_text("diagnosis: a\ntried: yes\n")
    return path


def cli_sheet(capsys: pytest.CaptureFixture[str]) -> Writer:
    cli = _cli(
        lambda f: ["sheet", "--rules", str(MINI), str(_answers(f)), "-o", str(f / "s.pdf")],
        capsys,
    )
    return Writer(lambda f: [f / "s.pdf"], cli.write)


def cli_docs(capsys: pytest.CaptureFixture[str]) -> Writer:
    cli = _cli(lambda f: ["docs", "--rules", str(MINI), "-o", str(f)], capsys)
    return Writer(lambda f: [f / "mini.md", f / "mini.html"], cli.write)


def cli_schema(capsys: pytest.CaptureFixture[str]) -> Writer:
    from decision_aid.authoring.schema import SCHEMA_FILES

    cli = _cli(lambda f: ["schema", "-o", str(f)], capsys)
    return Writer(lambda f: [f / n for n in SCHEMA_FILES], cli.write)


def _shown(messages: list[tuple[str, str]]) -> str | None:
    if not messages:
        return None
    (title, text), *more = messages
    assert not more, messages
    messages.clear()
    return f"{title}: {text}"


def test_the_cli_writers_keep_the_old_files_on_every_failure(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    started = time.monotonic()
    for name, make in (("sheet", cli_sheet), ("docs", cli_docs), ("schema", cli_schema)):
        outcomes = sweep_writer(f"cli {name}", make(capsys), tmp_path / name)
        written = {k for k, v in outcomes.items() if v == "written"}
        # A sheet is one file, but its audit record (written first) renames twice.
        assert written == set(), (name, outcomes)
    assert time.monotonic() - started < 60


def test_the_cli_message_names_the_file_and_says_nothing_was_written(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "s.pdf"
    fault, _ = FAULTS["write fails at once"]
    with fault(tmp_path):
        code = main(["sheet", "--rules", str(MINI), str(_answers(tmp_path)), "-o", str(target)])
    assert code == 1
    err = capsys.readouterr().err  # the audit record, written first, meets the full disk
    assert err.startswith(f"error: could not write {target}: ")
    assert "no space left on device" in err.lower()
    assert err.endswith("; nothing was written\n")


def test_the_window_writers_keep_the_old_files_on_every_failure(
    make_window: Callable[..., Any],
    shown_messages: list[tuple[str, str]],
    tmp_path: Path,
) -> None:
    from decision_aid.gui.sheet_preview import SheetPreview

    window = make_window(MINI)
    window.model.set_answer("diagnosis", "a")
    window.model.set_patient_label("JD/../14")
    shown_messages.clear()
    preview = SheetPreview(actions.sheet_job(window.model, window.approval)(), "sheet.pdf", window)

    def told(action: Callable[[], object]) -> str | None:
        action()
        return _shown(shown_messages)

    window_writers = {
        "FHIR export": Writer(
            lambda f: [f / "r.json", f / "r.questionnaire.json"],
            lambda f: told(lambda: exports.export_to(window, f / "r.json")),
        ),
        "test case": Writer(
            lambda f: [f / "case.yaml"],
            lambda f: told(lambda: exports.write_test_case(window, f / "case.yaml")),
        ),
        "sheet PDF": Writer(
            lambda f: [f / "s.pdf"], lambda f: told(lambda: preview.save_to(f / "s.pdf"))
        ),
    }
    for name, writer in window_writers.items():
        outcomes = sweep_writer(f"window {name}", writer, tmp_path / name.replace(" ", "-"))
        written = {k for k, v in outcomes.items() if v == "written"}
        pair = name == "FHIR export"
        assert written == (set() if pair else {"second rename fails"}), (name, outcomes)


@pytest.fixture
def read_only_tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A tmpfs holding the old files, remounted read-only; skipped where not permitted."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a tmpfs needs root and mount(8)")
    point = tmp_path / "ro"
    point.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(point)],
                      capture_output=True, check=False).returncode != 0:  # fmt: skip
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield point
    finally:
        if subprocess.run(["umount", str(point)], check=False).returncode != 0:
            subprocess.run(["umount", "-l", str(point)], check=False)


def test_a_real_read_only_folder(read_only_tmpfs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    targets = [
        read_only_tmpfs / "s.pdf",
        read_only_tmpfs / "mini.md",
        read_only_tmpfs / "mini.html",
    ]
    for target in targets:
        target.write_bytes(OLD)
    subprocess.run(["mount", "-o", "remount,ro", str(read_only_tmpfs)], check=True)
    answers = _answers(read_only_tmpfs.parent / "x")
    assert main(["sheet", "--rules", str(MINI), str(answers), "-o", str(targets[0])]) == 1
    assert main(["docs", "--rules", str(MINI), "-o", str(read_only_tmpfs)]) == 1
    err = capsys.readouterr().err
    assert err == (
        f"error: could not write {targets[0]}: read-only file system; nothing was written\n"
        f"error: could not write {targets[1]}: read-only file system; nothing was written\n"
    )
    assert all(t.read_bytes() == OLD for t in targets)
    assert sorted(p.name for p in read_only_tmpfs.iterdir()) == sorted(t.name for t in targets)


def test_a_missing_output_folder_is_made_and_removed_again_on_failure(tmp_path: Path) -> None:
    folder = tmp_path / "new" / "deeper"
    fault, _ = FAULTS["fsync fails"]
    with fault(folder), pytest.raises(Exception, match="nothing was written"):
        write_files({folder / "a": b"a", folder / "b": b"b"}, make_folders=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == []
    write_files({folder / "a": b"a", folder / "b": b"b"}, make_folders=True)
    assert (folder / "a").read_bytes() == b"a"


def test_the_sweep_reports_a_writer_that_writes_in_place(tmp_path: Path) -> None:
    """The slip the old ``docs`` and ``schema`` made: truncate the target, then write it
    (``Path.write_text``, spelt in the ``os`` calls the faults replace)."""

    def in_place(folder: Path) -> str | None:
        try:
            for name in ("a.md", "a.html"):
                fd = os.open(folder / name, os.O_WRONLY | os.O_TRUNC | os.O_CREAT)
                try:
                    os.write(fd, b"new")
                finally:
                    os.close(fd)
        except OSError as error:
            return f"{folder / 'a.md'}: {error}; nothing was written"
        return None

    with pytest.raises(ContractViolation, match=r"failed but changed|only \['a.md'\] changed"):
        sweep_writer("in place", Writer(lambda f: [f / "a.md", f / "a.html"], in_place), tmp_path)


def test_the_sweep_reports_a_pair_written_one_file_at_a_time(tmp_path: Path) -> None:
    """The slip the old FHIR export made: two atomic writes, not one all-or-nothing pair."""
    from decision_aid.storage.atomic import write_file

    def one_at_a_time(folder: Path) -> str | None:
        try:
            write_file(folder / "r.json", b"new")
            write_file(folder / "r.questionnaire.json", b"new")
        except Exception as error:
            return str(error)
        return None

    pair = Writer(lambda f: [f / "r.json", f / "r.questionnaire.json"], one_at_a_time)
    with pytest.raises(ContractViolation, match=r"second rename fails\]: failed but changed"):
        sweep_writer("pair", pair, tmp_path)


def test_temporary_names_stay_short_for_a_long_target_name(tmp_path: Path) -> None:
    target = tmp_path / ("x" * 200 + ".pdf")
    write_files({target: b"pdf"})
    assert target.read_bytes() == b"pdf"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


@pytest.mark.parametrize("kind", ["fifo", "folder", "device"])
def test_a_target_that_is_not_a_regular_file_is_left_alone(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``-o /dev/full`` must not replace the device with a file (the app may run as root)."""
    if kind == "device":
        target = Path("/dev/full")
        if not target.exists():
            pytest.skip("no /dev/full here")
    else:
        target = tmp_path / "out.pdf"
        os.mkfifo(target) if kind == "fifo" else target.mkdir()
    before = target.lstat()
    answers = _answers(tmp_path / "x")
    assert main(["sheet", "--rules", str(MINI), str(answers), "-o", str(target)]) == 1
    words = "is a folder" if kind == "folder" else "not a regular file"
    assert capsys.readouterr().err == (
        f"error: could not write {target}: {words}; nothing was written\n"
    )
    assert target.lstat().st_mode == before.st_mode
    assert target.lstat().st_ino == before.st_ino
    assert not [p for p in target.parent.iterdir() if p.name.startswith(f".{target.name}.")]


def test_references_are_for_sharing_and_sheets_are_private(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["docs", "--rules", str(MINI), "-o", str(tmp_path / "docs")]) == 0
    answers = _answers(tmp_path / "x")
    assert main(["sheet", "--rules", str(MINI), str(answers), "-o", str(tmp_path / "s.pdf")]) == 0
    assert (tmp_path / "docs" / "mini.md").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "docs" / "mini.html").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "s.pdf").stat().st_mode & 0o777 == 0o600
