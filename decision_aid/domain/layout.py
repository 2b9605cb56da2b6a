"""The files of a rule set folder: the one place their names are written.

A rule set is a folder::

    ruleset.yaml          identity, governance, outcome levels, settings
    questionnaire.yaml    sections and questions
    references.yaml       the sources rules cite
    sheet.yaml            the discussion sheet's patient text (optional)
    properties.yaml       safety properties the authors declare (optional)
    rules/*.yaml          the rules, in files of the author's choosing
    tests/*.yaml          case files (optional)
    examples/*.yaml       answers files to try (optional)
    schema/               the set's JSON Schemas for editors (decision-aid schema; not read)
    approval.yaml         the signed approval (written by decision-aid approve)

The folder is strict: any other file or folder, a ``.yml`` file, and a folder inside
``rules/``, ``tests/`` or ``examples/`` is an ``unknown-file`` problem at its place (with
"did you mean …?"), so that no misspelt file is silently left unread. Hidden entries (a
name starting with ``.``, such as an editor's or version control's) are left alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from decision_aid.domain.errors import Problem
from decision_aid.domain.validation import did_you_mean

__all__ = [
    "APPROVAL_FILE",
    "EXAMPLES",
    "OPTIONAL_FILES",
    "PROPERTIES_FILE",
    "QUESTIONNAIRE_FILE",
    "REFERENCES_FILE",
    "REQUIRED_FILES",
    "RULES",
    "RULESET_FILE",
    "SCHEMAS",
    "SHEET_FILE",
    "SUFFIX",
    "TESTS",
    "Layout",
    "scan",
]

SUFFIX = ".yaml"
RULESET_FILE = "ruleset.yaml"
QUESTIONNAIRE_FILE = "questionnaire.yaml"
REFERENCES_FILE = "references.yaml"
SHEET_FILE = "sheet.yaml"
PROPERTIES_FILE = "properties.yaml"
APPROVAL_FILE = "approval.yaml"
REQUIRED_FILES = (RULESET_FILE, QUESTIONNAIRE_FILE, REFERENCES_FILE)
OPTIONAL_FILES = (SHEET_FILE, PROPERTIES_FILE)
RULES = "rules"
TESTS = "tests"
EXAMPLES = "examples"
SCHEMAS = "schema"
_FOLDERS = (RULES, TESTS, EXAMPLES, SCHEMAS)
_FILES = (*REQUIRED_FILES, *OPTIONAL_FILES, APPROVAL_FILE)


@dataclass(frozen=True)
class Layout:
    """What a rule set folder holds, by role, and what does not belong in it."""

    root: Path
    files: tuple[Path, ...]
    """The rule set's own files (its identity): the required ones (present or not), the
    optional ones present, then ``rules/*.yaml``, in a stable order."""
    cases: tuple[Path, ...]
    examples: tuple[Path, ...]
    problems: tuple[Problem, ...]

    @property
    def rule_files(self) -> tuple[Path, ...]:
        return tuple(p for p in self.files if p.parent == self.root / RULES)

    def name(self, path: Path) -> str:
        """How a file is named in messages: the folder as given, then its place inside."""
        return str(self.root / path.relative_to(self.root))


def _entries(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir() if not p.name.startswith("."))
    except OSError:
        return []


def _unknown(root: Path, path: Path, message: str) -> Problem:
    return Problem(str(root / path.relative_to(root)), 1, 1, "unknown-file", message)


def _misnamed(root: Path, path: Path, known: tuple[str, ...]) -> Problem:
    name = path.name
    if path.is_dir():
        hint = did_you_mean(name, [f for f in known if "." not in f])
        return _unknown(root, path, f"'{name}/' is not a folder of a rule set{hint}")
    stem, suffix = path.stem, path.suffix
    if suffix == ".yml":
        wanted = stem + SUFFIX
        hint = f"; did you mean '{wanted}'?" if wanted in known or not known else ""
        return _unknown(
            root, path, f"'{name}': rule set files end in '.yaml', not '.yml'; rename it{hint}"
        )
    hint = did_you_mean(name, [f for f in known if "." in f])
    return _unknown(root, path, f"'{name}' is not a file of a rule set{hint}")


def _yaml_files(root: Path, folder: Path, what: str) -> tuple[list[Path], list[Problem]]:
    """The ``*.yaml`` files of one of the rule set's folders; anything else is a problem."""
    found: list[Path] = []
    problems: list[Problem] = []
    for path in _entries(folder):
        if path.is_dir():
            problems.append(
                _unknown(
                    root,
                    path,
                    f"'{path.name}/' is a folder inside {folder.name}/: {what} in it are not "
                    f"read; move its files up into {folder.name}/",
                )
            )
        elif path.suffix == SUFFIX:
            found.append(path)
        else:
            problems.append(_misnamed(root, path, ()))
    return found, problems


def scan(root: Path) -> Layout:
    """What ``root`` holds; a required file that is missing is left to the reader to say."""
    problems: list[Problem] = []
    known = (*_FILES, *_FOLDERS)
    for path in _entries(root):
        expected_dir = path.name in _FOLDERS
        if path.name in known and path.is_dir() == expected_dir:
            continue
        problems.append(_misnamed(root, path, known))
    files = [root / name for name in REQUIRED_FILES]
    files += [root / name for name in OPTIONAL_FILES if (root / name).is_file()]
    found: dict[str, list[Path]] = {}
    for folder, what in ((RULES, "rules"), (TESTS, "cases"), (EXAMPLES, "answers files")):
        found[folder], folder_problems = _yaml_files(root, root / folder, what)
        problems += folder_problems
    return Layout(
        root,
        tuple(files + found[RULES]),
        tuple(found[TESTS]),
        tuple(found[EXAMPLES]),
        tuple(problems),
    )
