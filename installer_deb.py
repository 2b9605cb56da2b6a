"""Wrap the one-folder PyInstaller bundle in a Debian package a clinic's IT can deploy.

``python build_installer.py --deb`` builds the bundle, smoke-tests it, then calls
:func:`build_deb`, which lays out::

    /opt/decision-aid/                       the bundle, as PyInstaller made it (read-only)
    /usr/bin/decision-aid                    a two-line launcher
    /usr/share/applications/decision-aid.desktop
    /usr/share/icons/hicolor/scalable/apps/decision-aid.svg
    /usr/share/decision-aid/rules/           approved rule sets shipped by IT's own package
    /etc/decision-aid/rules/                 approved rule sets IT drops in (read first)
    /etc/decision-aid/trusted-keys/          reviewers' public keys the installation trusts
    /etc/decision-aid/decision-aid.toml      settings (a conffile: IT's edits survive upgrades)

and runs ``dpkg-deb --root-owner-group --build`` into ``dist/``. The app reads the rule
folders when it is started without ``--rules`` (``decision_aid.governance.installation``);
being installed there does not make a rule set approved, only its signature does.
Needs Debian's ``dpkg-deb``; builds on the machine's own architecture only.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

__all__ = ["DEPENDS", "build_deb", "deb_path"]

ROOT = Path(__file__).resolve().parent
NAME = "decision-aid"

# What the bundle's Qt loads from the system (X11/xcb and fonts); the rest is inside it.
DEPENDS = [
    "libc6", "libegl1", "libgl1", "libfontconfig1", "libfreetype6",
    "libglib2.0-0t64 | libglib2.0-0", "libdbus-1-3", "libxkbcommon0", "libx11-6",
    "libx11-xcb1", "libxcb-cursor0", "libxcb-glx0", "libxcb-icccm4", "libxcb-image0",
    "libxcb-keysyms1", "libxcb-randr0", "libxcb-render-util0", "libxcb-render0",
    "libxcb-shape0", "libxcb-shm0", "libxcb-sync1", "libxcb-util1", "libxcb-xfixes0",
    "libxcb-xkb1", "libxkbcommon-x11-0", "fonts-dejavu-core",
]  # fmt: skip

LAUNCHER = """\
#!/bin/sh
exec /opt/decision-aid/decision-aid "$@"
"""

DESKTOP = """\
[Desktop Entry]
Type=Application
Name=decision-aid
GenericName=Shared decision aid
Comment=Is ketamine therapy worth discussing for chronic pain? A discussion sheet to share.
Exec=decision-aid
Icon=decision-aid
Terminal=false
Categories=Office;MedicalSoftware;Science;
Keywords=decision;consultation;chronic pain;
"""

CONFIG = """\
# decision-aid installation settings (a dpkg conffile: your edits survive upgrades).

[audit]
# Also record the answers, the patient label, an override's reason and where a sheet was
# saved in each audit entry. Off: the audit trail then holds no patient data.
record_answers = false
"""

RULES_README = """\
Approved rule sets for decision-aid, one folder each (holding ruleset.yaml and its
approval.yaml). Without --rules the app opens the first one here, by name, after those in
/etc/decision-aid/rules/. Installed is not approved: the app marks any set whose signature
does not verify with a key in /etc/decision-aid/trusted-keys/.
"""

KEYS_README = """\
Public keys of the reviewers this installation trusts, one file each (decision-aid keys
export writes one). A rule set is shown as approved only if its approval.yaml is signed
by one of these keys and its files still match the signed digest.
"""


def _control(version: str, architecture: str, installed_kib: int) -> str:
    return (
        f"Package: {NAME}\n"
        f"Version: {version}\n"
        f"Architecture: {architecture}\n"
        "Maintainer: decision-aid team <decision-aid@localhost>\n"
        f"Installed-Size: {installed_kib}\n"
        f"Depends: {', '.join(DEPENDS)}\n"
        "Section: science\n"
        "Priority: optional\n"
        "Description: shared decision aid for ketamine therapy in chronic pain\n"
        " A clinician answers a questionnaire; a rule set approved by a named clinician\n"
        " turns the answers into an outcome with its reasons, and the app prints a\n"
        " discussion sheet for the patient. Every printed or saved sheet, export and\n"
        " override is recorded in a hash-chained audit trail.\n"
    )


def _architecture() -> str:
    result = subprocess.run(
        ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def deb_path(version: str, dist: Path) -> Path:
    return dist / f"{NAME}_{version}_{_architecture()}.deb"


def _write(path: Path, text: str, mode: int = 0o644) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)


def _normalise_modes(root: Path) -> None:
    """Folders 0755, files 0644 unless executable (0755): the same for every umask."""
    for path in [root, *root.rglob("*")]:
        if path.is_symlink():
            continue
        if path.is_dir():
            path.chmod(0o755)
        else:
            path.chmod(0o755 if path.stat().st_mode & 0o111 else 0o644)


def build_deb(bundle_folder: Path, *, version: str, dist: Path, work: Path) -> Path:
    """Lay the package out under ``work`` and build it into ``dist``; returns the .deb."""
    if shutil.which("dpkg-deb") is None:
        raise SystemExit("dpkg-deb is not installed: the .deb is built on Debian or Ubuntu")
    root = work / "deb-root"
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(bundle_folder, root / "opt" / NAME, symlinks=True)
    _write(root / "usr" / "bin" / NAME, LAUNCHER, 0o755)
    _write(root / "usr" / "share" / "applications" / f"{NAME}.desktop", DESKTOP)
    icon = root / "usr" / "share" / "icons" / "hicolor" / "scalable" / "apps" / f"{NAME}.svg"
    icon.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ROOT / "resources" / "icons" / f"{NAME}.svg", icon)
    _write(root / "usr" / "share" / NAME / "rules" / "README", RULES_README)
    (root / "etc" / NAME / "rules").mkdir(parents=True)
    _write(root / "etc" / NAME / "trusted-keys" / "README", KEYS_README)
    _write(root / "etc" / NAME / f"{NAME}.toml", CONFIG)
    _normalise_modes(root)
    size = sum(p.lstat().st_size for p in root.rglob("*") if not p.is_dir())
    _write(root / "DEBIAN" / "control", _control(version, _architecture(), size // 1024 + 1))
    _write(root / "DEBIAN" / "conffiles", f"/etc/{NAME}/{NAME}.toml\n")
    (root / "DEBIAN").chmod(0o755)
    target = deb_path(version, dist)
    dist.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        # xz at level 1: 66 MiB in about a minute; the default level 6 saves 6 MiB for 8 minutes.
        ["dpkg-deb", "--root-owner-group", "-Zxz", "-z1", "--build", str(root), str(target)],
        check=True,
        capture_output=True,
    )
    return target
