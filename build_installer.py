#!/usr/bin/env python3
"""Build the decision-aid bundle with PyInstaller, smoke-test it headless, and measure it.

    pip install -e .[bundle]               # PyInstaller, and pypdf for the smoke test
    python build_installer.py              # one folder: dist/decision-aid/decision-aid
    python build_installer.py --onefile    # one file: dist/onefile/decision-aid
    python build_installer.py --no-bench   # build and smoke-test only
    python build_installer.py --deb        # and wrap it in dist/decision-aid_<v>_<arch>.deb

The smoke test runs the built app with no display (``QT_QPA_PLATFORM=offscreen``):
``--version``; ``check``, ``test`` and ``lint`` on the bundled rule set; ``evaluate`` and ``sheet``
on a bundled example, compared with the same commands run from source (same outcome, same
fired rules, same rule-set hash, a PDF with the same page count); ``verify`` says it
needs z3; the window opens and quits on its first paint (``--smoke-test``); the one-folder
bundle holds what it needs, none of what was trimmed, and is not written to while it runs.

Then the bundle's size and its time from launch to the first painted window are compared
with a hello-world PySide6 one-folder bundle built in the same run (interleaved runs,
medians). Exit 0 when every smoke step passes, 1 when one fails, 2 without PyInstaller.

Left out of the bundle, with the reasons (``trim`` applies them):

- Qt modules other than QtCore, QtGui, QtWidgets and QtPrintSupport; Qt's translations
  (the app is in English and loads no translator); Qt plugins for other platforms (eglfs,
  linuxfb, VNC, Vulkan display), for networking, and for image formats other than SVG
  (the app draws the sheet preview from raw pixels); the GTK 3 platform theme, whose
  GTK, Cairo and Pango libraries would be loaded beside the system's own.
- z3 (``decision-aid verify``): 59 MB, a third of the whole bundle, for a rule author's
  tool that clinicians never run; PyInstaller would not find its library anyway (it is
  loaded through ctypes). In the bundle ``verify`` says to install z3-solver; authors
  run it from a source checkout with ``pip install -e .[verify]``.
- Pyphen's hyphenation dictionaries for languages other than English (textstat, used
  by ``lint``, counts syllables in English), and PyInstaller's run-time hook that
  imports pkg_resources on every start (see SKIPPED_RUNTIME_HOOKS).
- Development tools that pydantic's optional plugins would drag in (mypy, hypothesis,
  pytest), and Pillow's AVIF, WebP, colour-management and Tk modules: reportlab imports
  Pillow, but the sheet has no pictures.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
NAME = "decision-aid"
DIST = ROOT / "dist"
WORK = ROOT / "build" / "installer"
EXAMPLE = Path("rules", "ketamine-chronic-pain", "examples", "crps-asra.yaml")
MIB = 1024 * 1024
TARGET_RATIO = 1.3

QT_MODULES_USED = ("QtCore", "QtGui", "QtWidgets", "QtPrintSupport")
EXCLUDED_MODULES = (
    "z3",
    "mypy",
    "hypothesis",
    "pytest",
    "_pytest",
    "tkinter",
    "PIL._avif",
    "PIL.AvifImagePlugin",
    "PIL._webp",
    "PIL.WebPImagePlugin",
    "PIL._imagingcms",
    "PIL.ImageCms",
    "PIL._imagingtk",
    "PIL.ImageTk",
)
# Parts of collected paths (forward slashes) that are left out of the bundle.
TRIMMED_PATHS = (
    "PySide6/Qt/translations/",
    "plugins/egldeviceintegrations/",
    "plugins/generic/",
    "plugins/networkinformation/",
    "plugins/tls/",
    "plugins/platformthemes/libqgtk3",
    "plugins/platforms/libqeglfs",
    "plugins/platforms/libqlinuxfb",
    "plugins/platforms/libqminimalegl",
    "plugins/platforms/libqvkkhrdisplay",
    "plugins/platforms/libqvnc",
)
KEPT_IMAGE_FORMATS = ("svg",)  # icon themes; nothing else reads image files
# PyInstaller's run-time hook for pkg_resources imports it on every start (~200 ms), only
# because textstat (for `lint`) imports it; textstat imports it itself when `lint` runs.
SKIPPED_RUNTIME_HOOKS = ("pyi_rth_pkgres",)
LAZY_PACKAGES = ("domain", "governance")
"""Packages whose public names load on first use, from the list in their ``__init__.pyi``."""
# What the smoke test expects in a one-folder bundle, and what it must not find there.
REQUIRED_FILES = (
    "rules/ketamine-chronic-pain/ruleset.yaml",
    "rules/ketamine-chronic-pain/examples/crps-asra.yaml",
    "rules/ketamine-chronic-pain/schema/ruleset.schema.json",
    "decision_aid/authoring/template/ruleset.yaml",
    "resources/fonts/DejaVuSans.ttf",
    "resources/fonts/DejaVuSans-Bold.ttf",
)
FORBIDDEN_PATTERN = re.compile(
    r"translations/|libQt6(Qml|Quick|Network|WebEngine|Pdf)|/qml/|z3|mypy|hypothesis"
)

HELLO_WORLD = """\
import sys

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow


class QuitOnFirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            QCoreApplication.exit(0)
        return False


app = QApplication(sys.argv)
window = QMainWindow()
quit_on_paint = QuitOnFirstPaint()
window.installEventFilter(quit_on_paint)
window.show()
sys.exit(app.exec())
"""

LAUNCHER = """\
import sys

from decision_aid.cli import main

sys.exit(main())
"""

SPEC = """\
# Written by build_installer.py on every build; change that file, not this one.
import sys

sys.path.insert(0, {root!r})
import build_installer

a = Analysis(**build_installer.analysis_options({launcher!r}))
a.binaries, a.datas = build_installer.trim(a.binaries, a.datas)
a.scripts = build_installer.without_slow_hooks(a.scripts)
pyz = PYZ(a.pure)
if {onefile!r}:
    exe = EXE(pyz, a.scripts, a.binaries, a.datas, [], name={name!r}, console=True, upx=False)
else:
    exe = EXE(pyz, a.scripts, [], exclude_binaries=True, name={name!r}, console=True, upx=False)
    coll = COLLECT(exe, a.binaries, a.datas, name={name!r}, upx=False)
"""


Entry = tuple[str, str, str]  # PyInstaller's (destination, source, type code)


@dataclass(frozen=True)
class Bundle:
    executable: Path
    folder: Path | None  # None for a one-file bundle
    build_seconds: float

    @property
    def size(self) -> int:
        return self.executable.stat().st_size if self.folder is None else tree_size(self.folder)


@dataclass(frozen=True)
class Step:
    name: str
    ok: bool
    detail: str = ""


def say(message: str) -> None:
    print(f"[build_installer] {message}", flush=True)


def require_pyinstaller() -> None:
    if importlib.util.find_spec("PyInstaller") is None:
        say("PyInstaller is not installed in this Python environment. Install it with:")
        say(f"  {sys.executable} -m pip install -e '.[bundle]'")
        sys.exit(2)


# -- what goes into the bundle (called from the generated spec) ---------------------------


def analysis_options(launcher: str) -> dict[str, object]:
    from PyInstaller.utils.hooks import collect_submodules

    unused_qt = [
        f"PySide6.{module}" for module in _installed_qt_modules() if module not in QT_MODULES_USED
    ]
    data = [
        (str(ROOT / "rules" / "ketamine-chronic-pain"), "rules/ketamine-chronic-pain"),
        (str(ROOT / "resources"), "resources"),
        # The starter rule set `decision-aid new` writes, read beside its module.
        (str(ROOT / "decision_aid" / "authoring" / "template"), "decision_aid/authoring/template"),
        # These packages' names are read from their type stubs when first imported.
        *(
            (str(ROOT / "decision_aid" / package / "__init__.pyi"), f"decision_aid/{package}")
            for package in LAZY_PACKAGES
        ),
    ]
    return {
        "scripts": [launcher],
        "pathex": [str(ROOT)],
        "datas": data,
        # The domain package imports its modules by name on first use (PEP 562, lazy_loader).
        "hiddenimports": collect_submodules("decision_aid"),
        "excludes": [*EXCLUDED_MODULES, *unused_qt],
    }


def without_slow_hooks(scripts: Sequence[Entry]) -> list[Entry]:
    return [entry for entry in scripts if entry[0] not in SKIPPED_RUNTIME_HOOKS]


def _installed_qt_modules() -> list[str]:
    spec = importlib.util.find_spec("PySide6")
    if spec is None or spec.origin is None:
        return []
    return sorted({p.name.split(".")[0] for p in Path(spec.origin).parent.glob("Qt*.*")})


def is_trimmed(dest: str) -> bool:
    path = dest.replace("\\", "/")
    if any(part in path for part in TRIMMED_PATHS):
        return True
    if "plugins/imageformats/" in path:
        return not any(f"libq{kind}" in path for kind in KEPT_IMAGE_FORMATS)
    if "pyphen/dictionaries/" in path:  # textstat reads English (en_US) text
        return "/hyph_en" not in path
    return False


def trim(binaries: Sequence[Entry], datas: Sequence[Entry]) -> tuple[list[Entry], list[Entry]]:
    """Leave out the trimmed files and the libraries that only they link to."""
    dropped = [entry for entry in binaries if is_trimmed(entry[0])]
    kept = [entry for entry in binaries if not is_trimmed(entry[0])]
    by_source = {os.path.realpath(entry[1]): entry for entry in kept}
    suspects = _link_closure(entry[1] for entry in dropped) & by_source.keys()
    roots = [source for source in by_source if source not in suspects]
    orphans = suspects - _link_closure(roots)
    kept = [entry for entry in kept if os.path.realpath(entry[1]) not in orphans]
    kept_datas = [entry for entry in datas if not is_trimmed(entry[0])]
    # A SYMLINK entry's source is where it points, inside the bundle: keep it with its target.
    present = {entry[0] for entry in kept + kept_datas if entry[2] != "SYMLINK"}
    kept_datas = [e for e in kept_datas if e[2] != "SYMLINK" or _link_target(e) in present]
    gone = len(binaries) - len(kept) + len(datas) - len(kept_datas)
    print(f"trim: left out {gone} files ({len(orphans)} libraries only trimmed plugins use)")
    return kept, kept_datas


def _link_target(entry: Entry) -> str:
    return os.path.normpath(os.path.join(os.path.dirname(entry[0]), entry[1]))


def _link_closure(sources: Iterable[str]) -> set[str]:
    """Every library the given binaries link to, directly or not (real paths)."""
    from PyInstaller.depend.bindepend import get_imports

    seen: set[str] = set()
    todo = [os.path.realpath(source) for source in sources]
    while todo:
        path = todo.pop()
        for _name, resolved in get_imports(path) or ():
            real = os.path.realpath(resolved) if resolved else None
            if real and real not in seen:
                seen.add(real)
                todo.append(real)
    return seen


# -- building --------------------------------------------------------------------------------


def build_app(*, onefile: bool = False) -> Bundle:
    """A clean PyInstaller build of the app, into dist/decision-aid/ (or dist/onefile/)."""
    work = WORK / ("onefile" if onefile else "onedir")
    distpath = DIST / "onefile" if onefile else DIST
    work.mkdir(parents=True, exist_ok=True)
    launcher = work / "launch_decision_aid.py"
    launcher.write_text(LAUNCHER)
    spec = work / f"{NAME}.spec"
    spec.write_text(SPEC.format(root=str(ROOT), launcher=str(launcher), onefile=onefile, name=NAME))
    seconds = _pyinstaller(spec, distpath=distpath, workpath=work / "build")
    return app_bundle(onefile=onefile, build_seconds=seconds)


def app_bundle(*, onefile: bool = False, build_seconds: float = 0.0) -> Bundle:
    """Where ``build_app`` puts the app (it may not be built yet)."""
    if onefile:
        return Bundle(DIST / "onefile" / NAME, None, build_seconds)
    return Bundle(DIST / NAME / NAME, DIST / NAME, build_seconds)


def build_hello_world() -> Bundle:
    """The baseline: a hello-world PySide6 window, one folder, PyInstaller's defaults."""
    work = WORK / "hello-world"
    work.mkdir(parents=True, exist_ok=True)
    script = work / "hello_world.py"
    script.write_text(HELLO_WORLD)
    seconds = _pyinstaller(script, "--onedir", distpath=work / "dist", workpath=work / "build")
    return hello_world_bundle(build_seconds=seconds)


def hello_world_bundle(*, build_seconds: float = 0.0) -> Bundle:
    folder = WORK / "hello-world" / "dist" / "hello_world"
    return Bundle(folder / "hello_world", folder, build_seconds)


def _pyinstaller(target: Path, *options: str, distpath: Path, workpath: Path) -> float:
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level=WARN"]
    command += [*options, "--distpath", str(distpath), "--workpath", str(workpath)]
    if target.suffix == ".py":
        command += ["--specpath", str(workpath)]
    say(f"PyInstaller: {target.name}")
    start = time.perf_counter()
    result = subprocess.run([*command, str(target)], cwd=ROOT, check=False)
    if result.returncode != 0:
        raise SystemExit(f"PyInstaller failed on {target.name} (exit {result.returncode})")
    return time.perf_counter() - start


# -- measuring -------------------------------------------------------------------------------


def tree_size(folder: Path) -> int:
    """Bytes of the regular files under ``folder`` (links not followed)."""
    total = 0
    for directory, _dirs, files in os.walk(folder):
        for name in files:
            path = Path(directory, name)
            if not path.is_symlink():
                total += path.stat().st_size
    return total


def headless_env(data_dir: Path) -> dict[str, str]:
    """No display needed, and autosaves go to a throw-away folder, not the user's."""
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "DECISION_AID_DATA_DIR": str(data_dir)}


def time_to_first_paint(
    commands: Mapping[str, Sequence[str | Path]], *, rounds: int
) -> dict[str, float]:
    """Median seconds from launch to exit on the first paint, per command.

    The commands take turns (A B A B …) so drift on a shared machine hits them alike;
    one warm-up round is dropped.
    """
    times: dict[str, list[float]] = {name: [] for name in commands}
    with tempfile.TemporaryDirectory() as data_dir:
        env = headless_env(Path(data_dir))
        for _ in range(rounds + 1):
            for name, command in commands.items():
                start = time.perf_counter()
                result = subprocess.run(
                    [str(c) for c in command], env=env, capture_output=True, timeout=120,
                    check=False,
                )  # fmt: skip
                times[name].append(time.perf_counter() - start)
                if result.returncode != 0:
                    raise RuntimeError(f"{name} exited {result.returncode}: {result.stderr!r}")
    return {name: statistics.median(values[1:]) for name, values in times.items()}


@dataclass(frozen=True)
class Comparison:
    app_size: int
    hello_size: int
    app_start: float
    hello_start: float

    @property
    def size_ratio(self) -> float:
        return self.app_size / self.hello_size

    @property
    def start_ratio(self) -> float:
        return self.app_start / self.hello_start


def compare(app: Bundle, hello: Bundle, *, rounds: int) -> Comparison:
    starts = time_to_first_paint(
        {"app": [app.executable, "--smoke-test"], "hello": [hello.executable]}, rounds=rounds
    )
    return Comparison(app.size, hello.size, starts["app"], starts["hello"])


def report(comparison: Comparison, *, app: Bundle, hello: Bundle) -> None:
    c = comparison
    where = app.folder or app.executable
    say(f"bundle: {where.relative_to(ROOT)} built in {app.build_seconds:.0f} s "
        f"(hello world: {hello.build_seconds:.0f} s)")  # fmt: skip
    for what, mine, base, ratio in (
        ("size", f"{c.app_size / MIB:.1f} MiB", f"{c.hello_size / MIB:.1f} MiB", c.size_ratio),
        ("launch to first paint", f"{c.app_start * 1e3:.0f} ms",
         f"{c.hello_start * 1e3:.0f} ms", c.start_ratio),
    ):  # fmt: skip
        verdict = "met" if ratio <= TARGET_RATIO else "NOT met"
        say(f"{what}: {mine} vs hello world {base} = {ratio:.2f}x "
            f"(target <= {TARGET_RATIO}x: {verdict})")  # fmt: skip


# -- smoke test ------------------------------------------------------------------------------


def smoke_test(app: Bundle) -> list[Step]:
    """Run the built app headless; one Step per check."""
    with tempfile.TemporaryDirectory() as scratch:
        tmp = Path(scratch)
        (tmp / "data").mkdir()
        before = _snapshot(app.folder)
        example = _bundled(app, EXAMPLE)
        steps = [
            *_check_contents(app),
            _step_version(app, tmp),
            _step_check(app, tmp),
            _step_test(app, tmp),
            _step_lint(app, tmp),
            _step_new(app, tmp),
            _step_evaluate(app, tmp, example),
            _step_sheet(app, tmp, example),
            _step_verify(app, tmp),
            _step_window(app, tmp),
        ]
        if app.folder is not None:
            changed = before != _snapshot(app.folder)
            steps.append(Step("the bundle folder is not written to", not changed))
    return steps


def _bundled(app: Bundle, relative: Path) -> Path:
    if app.folder is not None:
        for candidate in (app.folder / "_internal" / relative, app.folder / relative):
            if candidate.exists():
                return candidate
    return ROOT / relative  # a one-file bundle unpacks its copy only while it runs


def _snapshot(folder: Path | None) -> dict[str, tuple[int, int]]:
    if folder is None:
        return {}
    return {
        str(p.relative_to(folder)): (p.lstat().st_size, p.lstat().st_mtime_ns)
        for p in folder.rglob("*")
    }


def _run_app(
    app: Bundle, tmp: Path, *args: str | Path, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    command = [str(app.executable), *map(str, args)]
    return subprocess.run(
        command, env=headless_env(tmp / "data"), capture_output=True, text=True,
        timeout=timeout, check=False,
    )  # fmt: skip


def _run_source(tmp: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "decision_aid.cli", *map(str, args)]
    return subprocess.run(
        command, cwd=ROOT, env=headless_env(tmp / "data"), capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip


def _failed(name: str, result: subprocess.CompletedProcess[str]) -> Step:
    output = (result.stdout + result.stderr).strip().splitlines()
    return Step(name, False, f"exit {result.returncode}: " + " | ".join(output[-5:]))


def _check_contents(app: Bundle) -> list[Step]:
    if app.folder is None:
        return []
    files = [p.relative_to(app.folder).as_posix() for p in app.folder.rglob("*")]
    missing = [r for r in REQUIRED_FILES if not any(f.endswith(r) for f in files)]
    platforms = [f for f in files if "plugins/platforms/" in f]
    for plugin in ("libqxcb", "libqoffscreen", "libqwayland") if sys.platform == "linux" else ():
        if not any(plugin in f for f in platforms):
            missing.append(f"platforms/{plugin}")
    trimmed = sorted({m.group(0) for f in files if (m := FORBIDDEN_PATTERN.search(f))})
    return [
        Step("rules, fonts and Qt platform plugins are bundled", not missing, ", ".join(missing)),
        Step("trimmed parts are absent", not trimmed, ", ".join(trimmed)),
    ]


def _step_version(app: Bundle, tmp: Path) -> Step:
    name = "--version is the source version"
    result, source = _run_app(app, tmp, "--version"), _run_source(tmp, "--version")
    if result.returncode != 0:
        return _failed(name, result)
    ok = result.stdout.strip() == source.stdout.strip() != ""
    return Step(name, ok, f"{result.stdout.strip()!r} vs {source.stdout.strip()!r}")


def _step_check(app: Bundle, tmp: Path) -> Step:
    name = "check: the bundled rule set loads with no problems, and says it is a draft"
    result = _run_app(app, tmp, "check")
    # A sound rule set prints only its approval state (the bundled one is an unsigned draft).
    ok = result.returncode == 0 and result.stdout.startswith("approval: DRAFT: ")
    ok = ok and len(result.stdout.splitlines()) == 1
    return Step(name, ok, result.stdout.strip()) if ok else _failed(name, result)


def _step_test(app: Bundle, tmp: Path) -> Step:
    name = "test: the bundled case files pass"
    result = _run_app(app, tmp, "test")
    last = result.stdout.strip().splitlines()[-1:] or [""]
    return Step(name, True, last[0]) if result.returncode == 0 else _failed(name, result)


def _step_new(app: Bundle, tmp: Path) -> Step:
    name = "new: the starter rule set is bundled, and test passes on what it writes"
    made = _run_app(app, tmp, "new", tmp / "starter")
    if made.returncode != 0:
        return _failed(name, made)
    result = _run_app(app, tmp, "test", "--rules", tmp / "starter")
    last = result.stdout.strip().splitlines()[-1:] or [""]
    return Step(name, True, last[0]) if result.returncode == 0 else _failed(name, result)


def _step_lint(app: Bundle, tmp: Path) -> Step:
    name = "lint: the readability checks run (textstat and its dictionaries are bundled)"
    result = _run_app(app, tmp, "lint")
    last = result.stdout.strip().splitlines()[-1:] or [""]
    ok = result.returncode == 0 and last[0].endswith("warning(s)")
    return Step(name, True, last[0]) if ok else _failed(name, result)


def _step_evaluate(app: Bundle, tmp: Path, example: Path) -> Step:
    name = f"evaluate {example.name}: same outcome, rules and rule-set hash as from source"
    result = _run_app(app, tmp, "evaluate", example, "--format", "json")
    source = _run_source(tmp, "evaluate", ROOT / EXAMPLE, "--format", "json")
    if result.returncode != 0:
        return _failed(name, result)
    if source.returncode != 0:
        return _failed(name + " (from source)", source)

    def gist(text: str) -> tuple[str, list[str], str]:
        data: dict[str, Any] = json.loads(text)
        fired = [rule["rule_id"] for rule in data["fired"]]
        return data["outcome"], fired, data["rule_set"]["sha256"]

    mine, theirs = gist(result.stdout), gist(source.stdout)
    return Step(name, mine == theirs, f"outcome {mine[0]}, {len(mine[1])} rules fired")


def _step_sheet(app: Bundle, tmp: Path, example: Path) -> Step:
    name = f"sheet {example.name}: a PDF that opens, with the source's page count"
    pdf, reference = tmp / "bundle.pdf", tmp / "source.pdf"
    result = _run_app(app, tmp, "sheet", example, "-o", pdf)
    source = _run_source(tmp, "sheet", ROOT / EXAMPLE, "-o", reference)
    if result.returncode != 0:
        return _failed(name, result)
    if source.returncode != 0:
        return _failed(name + " (from source)", source)
    try:
        pages, expected = pdf_page_count(pdf), pdf_page_count(reference)
    except (OSError, ValueError) as error:
        return Step(name, False, str(error))
    return Step(name, pages == expected >= 1, f"{pages} pages, {pdf.stat().st_size:,} bytes")


def pdf_page_count(path: Path) -> int:
    """Open the PDF with pypdf, or else poppler's pdfinfo; ValueError if it will not open."""
    if importlib.util.find_spec("pypdf") is not None:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError

        try:
            reader = PdfReader(path, strict=True)
            for page in reader.pages:
                page.extract_text()  # every page's content stream parses
            return len(reader.pages)
        except PdfReadError as error:
            raise ValueError(f"{path.name}: {error}") from None
    if shutil.which("pdfinfo") is None:
        raise ValueError("cannot open the PDF: install pypdf (pip install -e .[bundle]) or pdfinfo")
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=False)
    found = re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE)
    if info.returncode != 0 or found is None:
        raise ValueError(f"{path.name}: pdfinfo: {info.stderr.strip()}")
    return int(found.group(1))


def _step_verify(app: Bundle, tmp: Path) -> Step:
    name = "verify: z3 is left out on purpose, and the app says so"
    result = _run_app(app, tmp, "verify")
    ok = result.returncode == 2 and "z3" in result.stderr and "Traceback" not in result.stderr
    return Step(name, True) if ok else _failed(name, result)


def _step_window(app: Bundle, tmp: Path) -> Step:
    name = "the window opens offscreen and quits on its first paint"
    try:
        result = _run_app(app, tmp, "--smoke-test", timeout=90)
    except subprocess.TimeoutExpired:
        return Step(name, False, "no exit within 90 s")
    return Step(name, True) if result.returncode == 0 else _failed(name, result)


def print_steps(steps: Sequence[Step]) -> None:
    for step in steps:
        mark = "ok  " if step.ok else "FAIL"
        say(f"{mark} {step.name}" + (f": {step.detail}" if step.detail else ""))
    passed = sum(step.ok for step in steps)
    say(f"smoke test: {passed}/{len(steps)} passed")


# -- command line ----------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--onefile", action="store_true", help="one executable file (slower start)")
    parser.add_argument("--no-bench", action="store_true", help="skip the hello-world comparison")
    parser.add_argument("--rounds", type=int, default=9, help="timed launches of each (default 9)")
    parser.add_argument(
        "--deb", action="store_true", help="also build a Debian package (see installer_deb.py)"
    )
    args = parser.parse_args(argv)
    if args.deb and args.onefile:
        parser.error("--deb wraps the one-folder bundle; leave out --onefile")
    require_pyinstaller()
    app = build_app(onefile=args.onefile)
    steps = smoke_test(app)
    print_steps(steps)
    if args.deb and app.folder is not None and all(step.ok for step in steps):
        from decision_aid import __version__
        from installer_deb import build_deb

        deb = build_deb(app.folder, version=__version__, dist=DIST, work=WORK)
        say(f"Debian package: {deb} ({deb.stat().st_size // MIB} MiB)")
    if not args.no_bench:
        hello = build_hello_world()
        report(compare(app, hello, rounds=args.rounds), app=app, hello=hello)
    return 0 if all(step.ok for step in steps) else 1


if __name__ == "__main__":
    sys.exit(main())
