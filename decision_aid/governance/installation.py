"""Where an installation keeps what its IT department configures, not the clinician.

A clinic's package (``build_installer.py --deb``) installs approved rule sets under
``/usr/share/decision-aid/rules/`` (or IT drops them in ``/etc/decision-aid/rules/``),
trusted reviewers' public keys in ``/etc/decision-aid/trusted-keys/``, and settings in
``/etc/decision-aid/decision-aid.toml``. Each place has an environment override, so
tests and kiosks never read the machine's own. The trade-off: settings are read at each
use (a few small files), never cached, so a change by IT applies at the next action.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from decision_aid.paths import bundled_rules_dir

__all__ = [
    "AuditSettings",
    "audit_settings",
    "clinician_name",
    "config_file",
    "default_rules_dir",
    "system_rules_dirs",
    "system_trusted_keys_dir",
]

SYSTEM_RULES_DIRS = (Path("/etc/decision-aid/rules"), Path("/usr/share/decision-aid/rules"))
SYSTEM_TRUSTED_KEYS_DIR = Path("/etc/decision-aid/trusted-keys")
SYSTEM_CONFIG_FILE = Path("/etc/decision-aid/decision-aid.toml")

RULES_VARIABLE = "DECISION_AID_SYSTEM_RULES_DIR"
KEYS_VARIABLE = "DECISION_AID_SYSTEM_KEYS_DIR"
CONFIG_VARIABLE = "DECISION_AID_CONFIG"
CLINICIAN_VARIABLE = "DECISION_AID_CLINICIAN"


def system_rules_dirs() -> tuple[Path, ...]:
    """Folders of approved rule sets, first match wins: /etc (IT's own) before /usr/share."""
    override = os.environ.get(RULES_VARIABLE)
    return (Path(override),) if override else SYSTEM_RULES_DIRS


def system_trusted_keys_dir() -> Path:
    """The installation's trusted public keys (the approval code reads them)."""
    override = os.environ.get(KEYS_VARIABLE)
    return Path(override) if override else SYSTEM_TRUSTED_KEYS_DIR


def default_rules_dir() -> Path:
    """The rule set the app uses without ``--rules``.

    The first rule set installed in a system folder (a folder holding ``ruleset.yaml``,
    in name order), else the bundled draft. An installed set is only *approved* if its
    signature verifies; being installed is not approval.
    """
    for folder in system_rules_dirs():
        try:
            found = sorted(p for p in folder.iterdir() if (p / "ruleset.yaml").is_file())
        except OSError:
            continue
        if found:
            return found[0]
    return bundled_rules_dir()


def config_file() -> Path:
    override = os.environ.get(CONFIG_VARIABLE)
    return Path(override) if override else SYSTEM_CONFIG_FILE


@dataclass(frozen=True)
class AuditSettings:
    """``[audit]`` in the installation's config file.

    ``record_answers`` puts the answers and the patient label (and an override's reason)
    in each audit entry; off by default, since the log then holds patient data.
    """

    record_answers: bool = False


def audit_settings() -> AuditSettings:
    """The installation's audit settings; a missing or unreadable file means the defaults.

    An unreadable file never turns recording of answers *on*: the default is the private one.
    """
    try:
        data = tomllib.loads(config_file().read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return AuditSettings()
    section = data.get("audit")
    if not isinstance(section, dict):
        return AuditSettings()
    return AuditSettings(record_answers=section.get("record_answers") is True)


def clinician_name() -> str:
    """Who is at the keyboard: ``DECISION_AID_CLINICIAN``, else empty (there is no login yet)."""
    return os.environ.get(CLINICIAN_VARIABLE, "").strip()[:200]
