"""The installer: the hidden --smoke-test flag, the trimming rules, and (on demand) the build.

The build and smoke test of the real bundle takes a minute or two, so it runs only when
asked for: ``pytest -m bundle`` or ``DECISION_AID_BUNDLE_TESTS=1``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import build_installer

ROOT = Path(__file__).resolve().parent.parent


def _asked_for_bundle(config: pytest.Config) -> bool:
    return "bundle" in str(config.getoption("markexpr")) or bool(
        os.environ.get("DECISION_AID_BUNDLE_TESTS")
    )


def test_smoke_test_flag_quits_on_the_first_paint(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "decision_aid.cli", "--smoke-test"]
    env = build_installer.headless_env(tmp_path)
    result = subprocess.run(command, env=env, capture_output=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert list(tmp_path.iterdir()) == []  # quitting saved nothing


NEVER_PAINTS = """
import sys
import decision_aid.gui.app as app
app.SMOKE_TEST_TIMEOUT = 2.0
app.MainWindow.show = lambda self: None  # a start that never gets to the first paint
from decision_aid.cli import main
sys.exit(main(["--smoke-test"]))
"""


def test_a_start_that_never_paints_ends_with_a_failure(tmp_path: Path) -> None:
    command = [sys.executable, "-c", NEVER_PAINTS]
    env = build_installer.headless_env(tmp_path)
    result = subprocess.run(command, env=env, capture_output=True, timeout=60, check=False)
    assert result.returncode == 1
    assert b"Timeout" in result.stderr  # faulthandler's dump of every thread


def test_smoke_test_flag_is_not_in_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    from decision_aid.cli import main

    with pytest.raises(SystemExit):
        main(["--help"])
    assert "smoke" not in capsys.readouterr().out


@pytest.mark.parametrize(
    ("path", "trimmed"),
    [
        ("PySide6/Qt/translations/qtbase_de.qm", True),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", False),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", False),
        ("PySide6/Qt/plugins/platforms/libqvnc.so", True),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", True),
        ("PySide6/Qt/plugins/imageformats/libqsvg.so", False),
        ("PySide6/Qt/plugins/imageformats/libqjpeg.so", True),
        ("PySide6/Qt/plugins/printsupport/libcupsprintersupport.so", False),
        ("pyphen/dictionaries/hyph_en_US.dic", False),
        ("pyphen/dictionaries/hyph_de_DE.dic", True),
        ("rules/ketamine-chronic-pain/ruleset.yaml", False),
    ],
)
def test_what_the_bundle_leaves_out(path: str, trimmed: bool) -> None:
    assert build_installer._is_trimmed(path) is trimmed


@pytest.mark.bundle
def test_the_bundle_builds_and_passes_its_smoke_test(request: pytest.FixtureRequest) -> None:
    if not _asked_for_bundle(request.config):
        pytest.skip("builds the bundle: run with -m bundle or DECISION_AID_BUNDLE_TESTS=1")
    command = [sys.executable, str(ROOT / "build_installer.py"), "--no-bench"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert "smoke test: " in result.stdout
