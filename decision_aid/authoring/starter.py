"""``decision-aid new``: a small rule set to start from, for a made-up treatment.

The files are real YAML under ``template/`` beside this module (package data), so an
author reads and edits them as they will their own. It passes check, test, coverage,
lint and verify as written, has one rule of each kind, a case file, a property and a
sheet, and its files name the JSON Schemas (with its own ids) written into its ``schema/``.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from decision_aid.authoring.schema import write_schemas
from decision_aid.domain.errors import StorageError
from decision_aid.domain.layout import SCHEMAS
from decision_aid.domain.loading import load_rule_set
from decision_aid.storage.atomic import write_files

__all__ = ["REVIEW_AFTER", "TEMPLATE", "new_rule_set"]

TEMPLATE = Path(__file__).parent / "template"
REVIEW_AFTER = timedelta(days=182)
"""A new rule set is due for review six months after it is made."""


def _dated(text: str, today: date) -> str:
    """ruleset.yaml with today's date and a review date six months on."""
    dates = {"date": today, "review_by": today + REVIEW_AFTER}
    lines = text.splitlines(keepends=True)
    for number, line in enumerate(lines):
        key = line.partition(":")[0]
        if key in dates:
            lines[number] = f"{key}: {dates[key].isoformat()}\n"
    return "".join(lines)


def new_rule_set(folder: Path, *, today: date) -> list[Path]:
    """Write the starter rule set and its schemas into ``folder``, which must be missing
    or empty (:class:`StorageError` otherwise: nothing is ever overwritten). Returns the
    files written."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise StorageError("not an empty folder; nothing was written", path=str(folder))
    files: dict[Path, bytes] = {}
    for source in sorted(TEMPLATE.rglob("*.yaml")):
        relative = source.relative_to(TEMPLATE)
        text = source.read_text(encoding="utf-8")
        if relative == Path("ruleset.yaml"):
            text = _dated(text, today)
        files[folder / relative] = text.encode("utf-8")
    write_files(files, private=False, make_folders=True)
    rule_set = load_rule_set(folder)  # the template is sound: a failure is a bug, not the author's
    return [*files, *write_schemas(rule_set, folder / SCHEMAS)]
