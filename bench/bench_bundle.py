"""The PyInstaller bundle against a hello-world PySide6 one-folder bundle built the same way.

    .venv/bin/python -m bench.bench_bundle

Two figures, as ratios against the baseline measured in the same run: the time from
launch to the first painted window (whole processes, offscreen, interleaved, medians)
and the bundle's size on disk. Both targets are at most 1.3x. The full run builds both
bundles afresh (about two minutes); ``quick`` reuses bundles already built by
``build_installer.py`` and launches each fewer times. Needs ``pip install -e .[bundle]``.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from bench.table import Row, format_table

ROOT = Path(__file__).resolve().parent.parent
BASELINE = "hello-world PySide6 one-folder bundle"
TARGET = 1.3
MIB = 1024 * 1024


def _builder() -> ModuleType:
    """``build_installer.py`` at the top of the checkout, which builds and measures."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import build_installer

    return build_installer


def _not_measured(why: str) -> list[Row]:
    figures = ("bundled app (one-folder) cold start to first paint", "bundle size")
    return [Row(f, BASELINE, f"not measured: {why}", None, f"≤ {TARGET}×", False) for f in figures]


def run(quick: bool = False) -> list[Row]:
    builder = _builder()
    app, hello = builder.app_bundle(), builder.hello_world_bundle()
    reuse = quick and app.executable.exists() and hello.executable.exists()
    if not reuse:
        if importlib.util.find_spec("PyInstaller") is None:
            return _not_measured("PyInstaller is missing (pip install -e .[bundle])")
        app, hello = builder.build_app(), builder.build_hello_world()
    c = builder.compare(app, hello, rounds=5 if quick else 11)
    return [
        Row(
            "bundled app (one-folder) cold start to first paint",
            BASELINE,
            f"{c.app_start * 1e3:.0f} ms vs {c.hello_start * 1e3:.0f} ms",
            c.start_ratio,
            f"≤ {TARGET}×",
            c.start_ratio <= TARGET,
        ),
        Row(
            "bundle size",
            BASELINE,
            f"{c.app_size / MIB:.1f} MiB vs {c.hello_size / MIB:.1f} MiB",
            c.size_ratio,
            f"≤ {TARGET}×",
            c.size_ratio <= TARGET,
        ),
    ]


if __name__ == "__main__":
    print(format_table(run()))
