#!/usr/bin/env python3
"""Set up what is missing, then run a task: ``python3 tasks.py run|test|bench|bundle``.

Works on a fresh Debian or Ubuntu machine with Python 3.11+: it installs the Debian
packages Qt needs when they are absent (with apt-get, as root or through sudo),
creates a local ``.venv``, installs the project into it, and runs the command.
Only the standard library is used here, because nothing else is installed yet.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".installed"

# Qt's run-time libraries (offscreen and X11/xcb), the sheet's fonts, and venv itself.
DEBIAN_PACKAGES = [
    "python3-venv",
    "libegl1", "libgl1", "libfontconfig1", "libfreetype6", "libglib2.0-0", "libdbus-1-3",
    "libxkbcommon0", "libx11-6", "libx11-xcb1", "libxcb-cursor0", "libxcb-glx0",
    "libxcb-icccm4", "libxcb-image0", "libxcb-keysyms1", "libxcb-randr0",
    "libxcb-render-util0", "libxcb-render0", "libxcb-shape0", "libxcb-shm0", "libxcb-sync1",
    "libxcb-util1", "libxcb-xfixes0", "libxcb-xkb1", "libxkbcommon-x11-0",
    "fonts-dejavu-core",
]  # fmt: skip
# npm, for the YAML language server the editor-support test drives (only when npm is absent).
NODE_PACKAGES = ["nodejs", "npm"]
LANGUAGE_SERVER = "yaml-language-server@1.19.2"
NODE_DIR = ROOT / ".node"


def say(message: str) -> None:
    print(f"[tasks] {message}", flush=True)


def run(*command: str | Path, env: dict[str, str] | None = None) -> None:
    result = subprocess.run([str(c) for c in command], cwd=ROOT, env=env, check=False)
    if result.returncode != 0:
        sys.exit(result.returncode)


def missing_debian_packages() -> list[str]:
    if shutil.which("dpkg-query") is None:
        return []
    missing = []
    wanted = DEBIAN_PACKAGES + (NODE_PACKAGES if shutil.which("npm") is None else [])
    for package in wanted:
        if package == "python3-venv" and _has_ensurepip():
            continue
        status = subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", package],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if "install ok installed" not in status.stdout:
            missing.append(package)
    return missing


def _has_ensurepip() -> bool:
    probe = subprocess.run(
        [sys.executable, "-c", "import ensurepip, venv"], capture_output=True, check=False
    )
    return probe.returncode == 0


def install_debian_packages() -> None:
    missing = missing_debian_packages()
    if not missing:
        return
    prefix: list[str] = []
    if os.geteuid() != 0:
        if shutil.which("sudo") is None:
            say("these Debian packages are missing; install them as root and run again:")
            say("  apt-get install --no-install-recommends " + " ".join(missing))
            sys.exit(1)
        prefix = ["sudo"]
    say("installing Debian packages: " + " ".join(missing))
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run(*prefix, "apt-get", "update", "-qq", env=env)
    run(*prefix, "apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing, env=env)


EXTRAS = ".[dev,bundle]"


def install_python_packages() -> None:
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + EXTRAS.encode()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not (BIN / "python").exists():
        say("creating .venv")
        run(sys.executable, "-m", "venv", VENV)
    say("installing the project and its development tools into .venv")
    run(BIN / "python", "-m", "pip", "install", "-q", "--upgrade", "pip")
    run(BIN / "python", "-m", "pip", "install", "-q", "-e", EXTRAS)
    STAMP.write_text(wanted)


def language_server() -> Path:
    """The YAML language server installed into the local ``.node`` folder."""
    return NODE_DIR / "node_modules" / ".bin" / "yaml-language-server"


def install_language_server() -> str | None:
    """Install the YAML language server into ``.node`` when absent: None, or why it is not."""
    if language_server().exists():
        return None
    npm = shutil.which("npm")
    if npm is None:
        return "npm is not installed (apt-get install nodejs npm)"
    command = [npm, "install", "--prefix", str(NODE_DIR), "--no-audit", "--no-fund"]
    try:
        result = subprocess.run(
            [*command, "--loglevel=error", LANGUAGE_SERVER],
            capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return f"npm could not install {LANGUAGE_SERVER} within 5 minutes"
    if result.returncode != 0 or not language_server().exists():
        reason = (result.stderr.strip().splitlines() or ["no reason given"])[-1]
        return f"npm could not install {LANGUAGE_SERVER}: {reason}"
    return None


def set_up() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - this file runs on any python3 to say so
        say(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}")
        sys.exit(1)
    install_debian_packages()
    install_python_packages()


def task_run(args: list[str]) -> None:
    """Start the consultation window on the bundled rule set."""
    headless = sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )
    if headless and not os.environ.get("QT_QPA_PLATFORM"):
        say("no display found: run this from a desktop session (or over ssh -X)")
        sys.exit(1)
    run(BIN / "decision-aid", *args)


def task_test(args: list[str]) -> None:
    """Static checks, then the whole test suite."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    say("ruff")
    run(BIN / "ruff", "check", "decision_aid", "tests", "bench", "tasks.py", "build_installer.py")
    say("mypy --strict: the package, tests, bench and the build scripts")
    run(BIN / "mypy", "--strict")
    say("import contracts")
    run(BIN / "lint-imports")
    if (reason := install_language_server()) is not None:
        say(f"the editor-support test will be skipped: {reason}")
    say("pytest")
    run(BIN / "python", "-m", "pytest", *args, env=env)


def task_bench(args: list[str]) -> None:
    """Every benchmark, printed as one table of ratios against same-run baselines."""
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    run(BIN / "python", "-m", "bench", *args, env=env)


def task_bundle(args: list[str]) -> None:
    """Build the PyInstaller bundle into dist/ and smoke-test it headless."""
    run(BIN / "python", "build_installer.py", *args)


TASKS = {"run": task_run, "test": task_test, "bench": task_bench, "bundle": task_bundle}


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in TASKS:
        print(f"usage: python3 {Path(__file__).name} {{{'|'.join(TASKS)}}} [arguments]")
        sys.exit(2)
    set_up()
    TASKS[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
