# mypy: disable-error-code="func-returns-value"
# (the planting lambdas below chain calls in tuples for their effects, not their values)
"""Sweeps of hostile input for the autosave folder: crafted consultation ids, and
hostile entries (pipes, devices, links, folders, huge or oddly named files) in it.

Both sweeps take the :class:`~decision_aid.storage.autosave.Autosave` factory under test, so a
planted-bug test can pass a weakened one and watch the sweep report it. The contract
for every case: nothing outside ``<data>/autosave/`` is created, changed, re-permissioned
or deleted; the scan returns within :data:`SCAN_SECONDS`; only regular files in the
folder are offered; what is not ours is left where it is.
"""

from __future__ import annotations

import functools
import hashlib
import os
import random
import re
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from decision_aid.domain import load_rule_set
from decision_aid.domain.consultation import ID_PATTERN, Consultation
from decision_aid.domain.errors import StorageError
from decision_aid.storage.autosave import STALE_TEMP_SECONDS, Autosave
from decision_aid.storage.consultation_file import MAX_CONSULTATION_BYTES
from tests.conftest import MINI
from tests.hardening.harness import CASES, CaseTimeout, budget, time_limit

__all__ = [
    "FOLDER_CASES",
    "SCAN_SECONDS",
    "SweepReport",
    "hostile_ids",
    "sweep_folder_contents",
    "sweep_ids",
]

SCAN_SECONDS = 2.0
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
AutosaveFactory = Callable[[Path], Autosave]


@dataclass
class SweepReport:
    tried: int = 0
    clean: int = 0
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)


@functools.cache
def _base() -> str:
    rule_set = load_rule_set(MINI)
    return Consultation.new(rule_set, now=NOW).with_answer("diagnosis", "a", now=NOW).to_json()


def consultation(identifier: str = "c", notes: str = "") -> Consultation:
    """A consultation carrying ``identifier``: built without validation, as if a file's id
    had got past the reader's own check (storage must not rely on that check)."""
    base = Consultation.from_json(_base(), now=NOW)
    return base.model_copy(update={"id": identifier, "notes": notes})


# -- the world outside the autosave folder ----------------------------------------------


def _sandbox(root: Path) -> Path:
    """A folder with things an escaping autosave could harm: files, a shared folder."""
    root.mkdir(parents=True)
    root.chmod(0o755)
    (root / "victim.json").write_text(consultation("victim").to_json())
    (root / "garbage.json").write_text("not a consultation")
    shared = root / "shared"
    shared.mkdir()
    shared.chmod(0o2775)
    (shared / "x.json").write_text("{}")
    return root


def _snapshot(root: Path) -> dict[str, tuple[int, int, str]]:
    """Every entry under ``root`` but ``data/autosave``: mode, size, content digest."""
    seen: dict[str, tuple[int, int, str]] = {}
    skip = root / "data" / "autosave"
    for folder, dirs, files in os.walk(root, followlinks=False):
        here = Path(folder)
        dirs[:] = [d for d in dirs if here / d != skip]
        for name in [*dirs, *files, "."]:
            path = here if name == "." else here / name
            if path in (skip, root / "data"):  # the data folder may be made: not its contents
                continue
            info = os.lstat(path)
            digest = ""
            if stat.S_ISREG(info.st_mode):
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
            elif stat.S_ISLNK(info.st_mode):
                digest = os.readlink(path)
            seen[str(path.relative_to(root))] = (info.st_mode, info.st_size, digest)
    return seen


def _changes(before: dict[str, tuple[int, int, str]], root: Path) -> list[str]:
    after = _snapshot(root)
    changed = [f"created {k}" for k in after.keys() - before.keys()]
    changed += [f"deleted {k}" for k in before.keys() - after.keys()]
    changed += [
        f"changed {k} ({oct(before[k][0])} → {oct(after[k][0])})"
        for k in before.keys() & after.keys()
        if before[k] != after[k]
    ]
    return sorted(changed)


# -- sweep 1: crafted ids ----------------------------------------------------------------

_PIECES = ["..", "/", ".", "\0", "x", "ü", "\\", "~", " ", "\n", "%2e", "C:", "*", "victim"]
_TABLE = [
    "../../victim",
    "../../escaped",
    "../escaped",
    "../../shared/x",
    "..",
    ".",
    "/",
    "a/b",
    "a\0b",
    "\0",
    "x" * 300,
    "x" * 5000,
    "ü" * 200,
    "CON",
    "~",
    " ",
    "\n",
    "..\\..\\victim",
    "💊/../../escaped",
    "normal",
]


def hostile_ids(count: int, *, seed: int, sandbox: Path) -> list[str]:
    """The table, absolute paths into ``sandbox``, and random joins of path-ish pieces."""
    rng = random.Random(seed)
    ids = [*_TABLE, f"{sandbox}/victim", f"{sandbox}/escaped", f"{sandbox}/shared/x"]
    while len(ids) < count:
        ids.append("".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 12))))
    return ids[:count]


def _one_id(make: AutosaveFactory, sandbox: Path, identifier: str) -> list[str]:
    data = sandbox / "data"
    first = make(data)
    original = consultation(identifier)
    if not re.fullmatch(ID_PATTERN, identifier):
        # A reader would refuse this id, so the save must refuse it too (nothing written).
        try:
            first.save(original)
        except StorageError:
            return []
        return ["a consultation no reader would open was saved"]
    path = first.save(original)
    if path.parent != first.folder or not path.is_file():
        return [f"saved to {path}, not in {first.folder}"]
    first.close()  # as after a crash
    second = make(data)
    pending, problems = second.pending()
    if [p.consultation for p in pending] != [original] or problems:
        return [f"after a restart: offered {len(pending)}, problems {problems}"]
    second.claim(pending[0])
    edited = original.with_notes("edited", now=NOW)
    if second.save(edited) != pending[0].path:
        return ["a restored consultation was saved to another file than its own"]
    second.discard(edited)
    if list(second.folder.glob("*.json")):
        return ["discard left the autosave behind"]
    return []


def sweep_ids(ids: list[str], make: AutosaveFactory, workdir: Path) -> SweepReport:
    """Save, restart, restore, edit and discard a consultation for each id."""
    report = SweepReport()
    start = time.monotonic()
    for number, identifier in enumerate(ids):
        sandbox = _sandbox(workdir / f"id-{number}")
        before = _snapshot(sandbox)
        report.tried += 1
        where = f"id {identifier[:60]!r}"
        try:
            with time_limit(SCAN_SECONDS * 2):
                failures = _one_id(make, sandbox, identifier)
        except (StorageError, CaseTimeout, OSError, ValueError, LookupError) as error:
            failures = [f"{type(error).__name__}: {error}"]
        failures += _changes(before, sandbox)
        report.failures += [f"{where}: {failure}" for failure in failures]
        report.clean += not failures
    report.seconds = time.monotonic() - start
    CASES["autosave/hostile-id"] += report.tried
    return report


# -- sweep 2: hostile entries in the folder ------------------------------------------------


def _valid(path: Path) -> None:
    path.write_text(consultation(path.stem).to_json())


def _old(path: Path) -> None:
    stale = time.time() - 2 * STALE_TEMP_SECONDS
    os.utime(path, (stale, stale), follow_symlinks=False)


def _device(path: Path) -> None:
    os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 5))  # /dev/zero itself; root only


def _huge(path: Path) -> None:
    with path.open("wb") as handle:
        handle.truncate(MAX_CONSULTATION_BYTES + 1)


def _long_name(folder: Path) -> None:
    _valid(folder / ("x" * 250 + ".json"))


FOLDER_CASES: dict[str, Callable[[Path, Path], object]] = {
    "fifo.json": lambda f, s: os.mkfifo(f / "a.json"),
    "link to /dev/zero": lambda f, s: (f / "a.json").symlink_to("/dev/zero"),
    "device node": lambda f, s: _device(f / "a.json"),
    "link to a consultation outside": lambda f, s: (f / "a.json").symlink_to(s / "victim.json"),
    "link to garbage outside": lambda f, s: (f / "a.json").symlink_to(s / "garbage.json"),
    "link to a folder": lambda f, s: (f / "a.json").symlink_to(s / "shared"),
    "dangling link": lambda f, s: (f / "a.json").symlink_to(s / "nowhere.json"),
    "folder.json": lambda f, s: (f / "a.json").mkdir(),
    "huge file": lambda f, s: _huge(f / "a.json"),
    "long name": lambda f, s: _long_name(f),
    "unicode name": lambda f, s: _valid(f / "ü💊.json"),
    "dots name": lambda f, s: _valid(f / "...json"),
    "lock is a fifo": lambda f, s: (_valid(f / "a.json"), os.mkfifo(f / "a.lock")),
    "lock is a folder": lambda f, s: (_valid(f / "a.json"), (f / "a.lock").mkdir()),
    "lock links outside": lambda f, s: (
        _valid(f / "a.json"),
        (f / "a.lock").symlink_to(s / "victim.json"),
    ),
    "old temp fifo": lambda f, s: (os.mkfifo(f / ".a.json.1.tmp"), _old(f / ".a.json.1.tmp")),
    "old temp link outside": lambda f, s: (
        (f / ".a.json.2.tmp").symlink_to(s / "victim.json"),
        _old(f / ".a.json.2.tmp"),
    ),
    "old temp folder": lambda f, s: ((f / ".a.json.3.tmp").mkdir(), _old(f / ".a.json.3.tmp")),
    "orphan lock links outside": lambda f, s: (f / "b.lock").symlink_to(s / "victim.json"),
}
"""Each plants one hostile entry in the autosave folder ``f`` (``s`` is the sandbox)."""

FOLDER_REPLACED: dict[str, Callable[[Path, Path], object]] = {
    "autosave folder links outside": lambda f, s: (
        _valid(s / "shared" / "c.json"),
        f.symlink_to(s / "shared"),
    ),
    "autosave folder is a file": lambda f, s: f.write_text("x"),
}
"""Each puts something else where the autosave folder should be."""


def _kinds(folder: Path) -> dict[str, int]:
    if not folder.is_dir() or folder.is_symlink():
        return {}
    return {p.name: stat.S_IFMT(os.lstat(p).st_mode) for p in folder.iterdir()}


def _one_entry(
    make: AutosaveFactory, sandbox: Path, plant: Callable[[Path, Path], object], *, replaced: bool
) -> list[str]:
    data = sandbox / "data"
    folder = data / "autosave"
    data.mkdir(mode=0o700)
    if not replaced:
        folder.mkdir(mode=0o700)
    plant(folder, sandbox)
    kinds = _kinds(folder)
    before = _snapshot(sandbox)
    failures: list[str] = []
    autosave = make(data)
    with time_limit(SCAN_SECONDS):
        pending, _problems = autosave.pending()
    for item in pending:
        if item.path.parent != folder or not stat.S_ISREG(os.lstat(item.path).st_mode):
            failures.append(f"offered {item.path}, not a regular file in the folder")
    for name, kind in kinds.items():
        if kind != stat.S_IFREG and name.endswith(".json") and name not in _kinds(folder):
            failures.append(f"{name} (not a regular file) was moved or deleted")
    try:
        with time_limit(SCAN_SECONDS):
            path = autosave.save(consultation())
    except StorageError:
        if not replaced:
            failures.append("could not autosave beside the hostile entry")
    else:
        if replaced:
            failures.append(f"autosaved through a replaced folder, to {path}")
    failures += _changes(before, sandbox)
    return failures


def sweep_folder_contents(
    make: AutosaveFactory, workdir: Path, *, cases: list[str] | None = None
) -> SweepReport:
    """Plant each hostile entry, scan, then autosave; ``cases`` picks some by name."""
    report = SweepReport()
    start = time.monotonic()
    table = {**FOLDER_CASES, **FOLDER_REPLACED}
    for number, name in enumerate(cases or list(table)):
        sandbox = _sandbox(workdir / f"entry-{number}")
        report.tried += 1
        try:
            failures = _one_entry(make, sandbox, table[name], replaced=name in FOLDER_REPLACED)
        except PermissionError as error:  # a device node needs root: not a failure
            if name == "device node":
                report.tried -= 1
                continue
            failures = [f"PermissionError: {error}"]
        except (CaseTimeout, OSError, ValueError, StorageError) as error:
            failures = [f"{type(error).__name__}: {error}"]
        report.failures += [f"{name}: {failure}" for failure in failures]
        report.clean += not failures
    report.seconds = time.monotonic() - start
    CASES["autosave/hostile-entry"] += report.tried
    return report


def id_budget() -> int:
    return budget(60)
