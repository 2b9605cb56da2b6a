"""Where bundled files live, and the names the app suggests for the files it writes.

A suggested name is built from text the clinician typed or a file supplied (a patient
label, a rule-set id), so :func:`safe_file_name` turns any text into one plain file-name
component: never a separator, ``..``, a control or bidi character, a reserved device
name, or a name too long for the file system. It trades fidelity for safety: what it
cannot keep becomes ``-``.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from datetime import date
from pathlib import Path

from platformdirs import user_documents_path

__all__ = [
    "BUNDLED_RULE_SET",
    "MAX_NAME_BYTES",
    "bundled_rules_dir",
    "documents_dir",
    "project_root",
    "safe_file_name",
]

BUNDLED_RULE_SET = "ketamine-chronic-pain"
MAX_NAME_BYTES = 120
"""Well under the 255-byte limit of common file systems, leaving room for a suffix."""

# Characters no file system or shell should meet in a name: separators, Windows's
# reserved punctuation, and quotes/backticks that break a pasted command line.
_UNSAFE = re.compile(r"[\\/:*?\"<>|`$\x00-\x1f\x7f]")
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$", re.I)


def project_root() -> Path:
    """The folder holding ``rules/`` and ``resources/``."""
    frozen = getattr(sys, "_MEIPASS", None)
    return Path(frozen) if frozen else Path(__file__).resolve().parent.parent


def bundled_rules_dir() -> Path:
    return project_root() / "rules" / BUNDLED_RULE_SET


def documents_dir() -> Path:
    """The user's documents folder (the home folder where there is none)."""
    try:
        folder = user_documents_path()
    except Exception:  # platformdirs consults the desktop; never fail a save for it
        return Path.home()
    return folder if folder.is_dir() else Path.home()


def _clean(text: str) -> str:
    # NFKC first, so look-alikes (fullwidth solidus, one-dot leader) become the
    # characters the checks below remove.
    text = unicodedata.normalize("NFKC", text)
    kept = "".join(
        "-" if unicodedata.category(c)[0] in "CZ" and c != " " else c  # controls, bidi, lines
        for c in text
    )
    kept = _UNSAFE.sub("-", kept)
    kept = re.sub(r"\.{2,}", ".", kept)  # never "..", nor "..." that Windows trims to nothing
    kept = re.sub(r"[\s-]*-[\s-]*", "-", kept)
    kept = re.sub(r"\s+", " ", kept)
    return kept.strip(" .-_~")  # no hidden file, option, home (~) or backup (x~), nor trailing dot


def _cap(text: str, limit: int) -> str:
    encoded = text.encode("utf-8")[:limit]
    return encoded.decode("utf-8", errors="ignore").rstrip(" .-_")


def safe_file_name(label: str, *, suffix: str, fallback: str, when: date | None = None) -> str:
    """One plain file-name component: ``<label> <date><suffix>``, made safe.

    ``suffix`` is the app's own (``".pdf"``); ``fallback`` is used when nothing of the
    label survives. The result is never empty, never ``.`` or ``..``, holds no path
    separator, and is at most :data:`MAX_NAME_BYTES` bytes plus the suffix.
    """
    stem = _clean(label) or _clean(fallback) or "file"
    if when is not None:
        stem = f"{_cap(stem, MAX_NAME_BYTES - 16)} {when:%Y-%m-%d}"
    stem = _cap(stem, MAX_NAME_BYTES - 5) or "file"  # room for "-file" below
    first, dot, rest = stem.partition(".")
    if _RESERVED.match(first.rstrip()):  # Windows reserves "NUL" and "nul.txt" alike
        stem = f"{first.rstrip()}-file{dot}{rest}"
    return stem + suffix
