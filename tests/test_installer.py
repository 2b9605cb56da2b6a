"""The installer: the hidden --smoke-test flag, the trimming rules, and (on demand) the build.

The build and smoke test of the real bundle takes a minute or two, so it runs only when
asked for: ``pytest -m bundle`` or ``DECISION_AID_BUNDLE_TESTS=1``.
"""

from __future__ import annotations

import os
import shutil
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
    assert build_installer.is_trimmed(path) is trimmed


@pytest.fixture(scope="module")
def built(request: pytest.FixtureRequest) -> subprocess.CompletedProcess[str]:
    """One build for the bundle tests: the bundle, its smoke test and (with dpkg-deb) the .deb."""
    if not _asked_for_bundle(request.config):
        pytest.skip("builds the bundle: run with -m bundle or DECISION_AID_BUNDLE_TESTS=1")
    command = [sys.executable, str(ROOT / "build_installer.py"), "--no-bench"]
    if shutil.which("dpkg-deb"):
        command.append("--deb")
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


@pytest.mark.bundle
def test_the_bundle_builds_and_passes_its_smoke_test(
    built: subprocess.CompletedProcess[str],
) -> None:
    assert built.returncode == 0, built.stdout[-4000:] + built.stderr[-4000:]
    assert "smoke test: " in built.stdout


def _dpkg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["dpkg", *args], capture_output=True, text=True, check=False)


def _installed_env(data_dir: Path) -> dict[str, str]:
    """Headless, a throw-away data folder, and the installation's own /etc and /usr/share."""
    env = build_installer.headless_env(data_dir)
    for name in ("DECISION_AID_CONFIG", "DECISION_AID_SYSTEM_RULES_DIR"):
        env.pop(name, None)
    env.pop("DECISION_AID_SYSTEM_KEYS_DIR", None)
    return env


@pytest.mark.bundle
def test_the_deb_installs_starts_headless_reads_its_folders_and_removes(
    built: subprocess.CompletedProcess[str], tmp_path: Path
) -> None:
    from decision_aid import __version__
    from installer_deb import deb_path

    if not shutil.which("dpkg") or os.geteuid() != 0:
        pytest.skip("installing the .deb needs dpkg and root")
    if _dpkg("-s", "decision-aid").returncode == 0:
        pytest.skip("decision-aid is already installed here; not touching that install")
    assert built.returncode == 0, built.stdout[-4000:] + built.stderr[-4000:]
    deb = deb_path(__version__, ROOT / "dist")
    assert "Debian package: " in built.stdout
    info = _dpkg("--info", str(deb))
    assert "Package: decision-aid" in info.stdout
    installed = _dpkg("-i", str(deb))
    assert installed.returncode == 0, installed.stdout + installed.stderr
    clinic_set = Path("/etc/decision-aid/rules/zz-test-copy")
    try:
        for path in (
            "/usr/bin/decision-aid",
            "/opt/decision-aid/decision-aid",
            "/usr/share/applications/decision-aid.desktop",
            "/usr/share/icons/hicolor/scalable/apps/decision-aid.svg",
            "/usr/share/decision-aid/rules",
            "/etc/decision-aid/trusted-keys",
            "/etc/decision-aid/decision-aid.toml",
        ):
            assert Path(path).exists(), path
        env = _installed_env(tmp_path / "data")

        def run(*args: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                ["decision-aid", *args], env=env, capture_output=True, text=True, timeout=120,
                check=False,
            )  # fmt: skip

        assert run("--version").stdout.strip() == f"decision-aid {__version__}"
        smoke = run("--smoke-test")
        assert smoke.returncode == 0, smoke.stderr
        check = run("check")
        assert check.returncode == 0, check.stdout + check.stderr
        # An approved-rules folder is read without --rules: a broken set there shows.
        shutil.copytree(ROOT / "rules" / "ketamine-chronic-pain", clinic_set)
        (clinic_set / "ruleset.yaml").write_text("id: [not, an, id]\n")
        broken = run("check")
        assert broken.returncode == 1
        assert str(clinic_set / "ruleset.yaml") in broken.stdout
        verify = run("audit", "verify")
        assert verify.returncode == 0, verify.stdout + verify.stderr
    finally:
        shutil.rmtree(clinic_set, ignore_errors=True)
        removed = _dpkg("-r", "decision-aid")
        _dpkg("--purge", "decision-aid")  # the conffile too: leave the machine as it was
    assert removed.returncode == 0, removed.stdout + removed.stderr
    assert not Path("/usr/bin/decision-aid").exists()
    assert not Path("/opt/decision-aid").exists()
