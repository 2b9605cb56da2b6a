"""Load a rule set directory into a checked, frozen :class:`RuleSet`.

A rule set is a directory::

    ruleset.yaml          identity, governance, outcome levels, settings
    questionnaire.yaml    sections and questions
    references.yaml       the sources rules cite
    sheet.yaml            the discussion sheet's patient text (optional)
    properties.yaml       safety properties the authors declare (optional)
    rules/*.yaml          the rules, in files of the author's choosing
    tests/*.yaml          case files (read by the authoring tools, not here)

Every file is read safely (see :mod:`yamlsource`), validated, and cross-checked;
all problems from all files are gathered and raised together as one
:class:`RuleSetError`. There is no partial result and no fallback.
"""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, TypeAdapter

from decision_aid.domain.checks import Located, check_rule_set
from decision_aid.domain.errors import Problem, RuleSetError
from decision_aid.domain.leaflet import SheetContent
from decision_aid.domain.limits import LIMITS, Limits, check_limits
from decision_aid.domain.questionnaire import Questionnaire
from decision_aid.domain.rules import Property, Reference, Rule, RuleSet, RuleSetInfo
from decision_aid.domain.validation import validate
from decision_aid.domain.yamlsource import MAX_BYTES, Document, read_yaml

__all__ = ["RULE_SET_FILES", "load_rule_set", "rule_set_files"]

RULE_SET_FILES = ("ruleset.yaml", "questionnaire.yaml", "references.yaml")
SHEET_FILE = "sheet.yaml"
PROPERTIES_FILE = "properties.yaml"
OPTIONAL_FILES = (SHEET_FILE, PROPERTIES_FILE)

T = TypeVar("T")

_INFO = TypeAdapter(RuleSetInfo)
_QUESTIONNAIRE = TypeAdapter(Questionnaire)
_REFERENCE = TypeAdapter(Reference)
_RULE = TypeAdapter(Rule)
_SHEET = TypeAdapter(SheetContent)
_PROPERTY = TypeAdapter(Property)


class _ListFile(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class _RulesFile(_ListFile):
    rules: tuple[Any, ...]


class _ReferencesFile(_ListFile):
    references: tuple[Any, ...]


class _PropertiesFile(_ListFile):
    properties: tuple[Any, ...]


def rule_set_files(directory: Path) -> list[Path]:
    """The files that make up a rule set (its identity), in a stable order."""
    files = [directory / name for name in RULE_SET_FILES]
    files += [directory / name for name in OPTIONAL_FILES if (directory / name).is_file()]
    rules_dir = directory / "rules"
    if rules_dir.is_dir():
        files += sorted(p for p in rules_dir.iterdir() if p.suffix in (".yaml", ".yml"))
    return files


def _display(directory: Path, path: Path) -> str:
    return str(directory / path.relative_to(directory))


def _items(
    document: Document,
    wrapper: type[_ListFile],
    key: str,
    adapter: TypeAdapter[T],
    room: int | None = None,
) -> tuple[list[Located[T]], bool, list[Problem]]:
    """Validate a ``key: [...]`` file item by item, so one bad item hides no other.

    Returns the items that validated, whether all did, and the problems. Past ``room``
    items the rest are not validated (the limit check refuses the file at the first).
    """
    outer, problems = validate(TypeAdapter(wrapper), document.data, document)
    if outer is None:
        return [], False, problems
    located: list[Located[T]] = []
    raws = getattr(outer, key)
    for index, raw in enumerate(raws if room is None else raws[: max(room, 0)]):
        result = validate(adapter, raw, document, (key, index))
        item, item_problems = result
        problems += item_problems
        if item is not None:
            located.append(Located(item, document, (key, index)))
    return located, not problems, problems


def _whole(document: Document, adapter: TypeAdapter[T]) -> tuple[Located[T] | None, list[Problem]]:
    result = validate(adapter, document.data, document)
    item, problems = result
    return (Located(item, document, ()) if item is not None else None), problems


def _within_file_limit(root: Path, limits: Limits) -> tuple[list[Path], list[Problem]]:
    """The files to read: past the limit on rule files, or on bytes in all, none is read,
    and the first one past it is named."""
    paths = rule_set_files(root)
    rule_files = total = 0
    for index, path in enumerate(paths):
        rule_files += path.parent != root
        with contextlib.suppress(OSError):
            size = path.stat().st_size if path.is_file() else 0
            # A file over the per-file limit is refused unread (file-too-large), so it
            # counts for nothing here.
            total += size if size <= MAX_BYTES else 0
        if rule_files > limits.rule_files:
            message = f"more than {limits.rule_files} rule files; the limit is {limits.rule_files}"
        elif total > limits.total_bytes:
            message = (
                f"the rule set's files come to more than {limits.total_bytes} bytes here; "
                f"the limit is {limits.total_bytes}"
            )
        else:
            continue
        return paths[:index], [Problem(_display(root, path), 1, 1, "over-limit", message)]
    return paths, []


def _checked(
    info: Located[RuleSetInfo] | None,
    questionnaire: Located[Questionnaire] | None,
    references: list[Located[Reference]] | None,
    rules: list[Located[Rule]],
    *,
    sheet: Located[SheetContent] | None,
    properties: list[Located[Property]],
    limits: Limits,
) -> list[Problem]:
    """Limits and finite numbers first; what is beyond them is not worked through further."""
    refused = check_limits(
        info, questionnaire, references, rules, sheet=sheet, properties=properties, limits=limits
    )
    if refused:
        return refused
    return check_rule_set(
        info, questionnaire, references, rules, sheet=sheet, properties=properties
    )


def load_rule_set(directory: str | Path, *, limits: Limits = LIMITS) -> RuleSet:
    """Load and check a rule set, or raise :class:`RuleSetError` with every problem found.

    ``limits`` are the work limits it must keep (:mod:`~decision_aid.domain.limits`).
    """
    root = Path(directory)
    if not root.is_dir():
        raise RuleSetError([Problem(str(root), 1, 1, "missing-rule-set", "no such directory")])
    documents: dict[Path, Document] = {}
    digest = hashlib.sha256()
    paths, problems = _within_file_limit(root, limits)
    for path in paths:
        name = _display(root, path)
        if not path.is_file():
            problems.append(Problem(name, 1, 1, "missing-file", f"{path.name} is missing"))
            continue
        document, read_problems = read_yaml(path, name)
        problems += read_problems
        if not read_problems:
            # A refused file (unreadable, or too large to read at all) gives no rule set to
            # name, so it is never read whole for the digest either.
            with contextlib.suppress(OSError):
                digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
            documents[path] = document
    if not any(path.parent == root / "rules" for path in rule_set_files(root)):
        problems.append(
            Problem(str(root / "rules"), 1, 1, "missing-file", "no rule files (rules/*.yaml)")
        )

    info = questionnaire = None
    references: list[Located[Reference]] | None = None
    if (found_doc := documents.get(root / "ruleset.yaml")) is not None:
        info, found = _whole(found_doc, _INFO)
        problems += found
    if (found_doc := documents.get(root / "questionnaire.yaml")) is not None:
        questionnaire, found = _whole(found_doc, _QUESTIONNAIRE)
        problems += found
    if (found_doc := documents.get(root / "references.yaml")) is not None:
        items, complete, found = _items(found_doc, _ReferencesFile, "references", _REFERENCE)
        references = items if complete else None
        problems += found
    sheet = None
    if (found_doc := documents.get(root / SHEET_FILE)) is not None:
        sheet, found = _whole(found_doc, _SHEET)
        problems += found
    properties: list[Located[Property]] = []
    if (found_doc := documents.get(root / PROPERTIES_FILE)) is not None:
        properties, _, found = _items(found_doc, _PropertiesFile, "properties", _PROPERTY)
        problems += found
    rules: list[Located[Rule]] = []
    for path, document in documents.items():
        if path.parent != root:
            # One past the limit is validated, so that the limit check names its place.
            room = limits.rules + 1 - len(rules)
            located, _, found = _items(document, _RulesFile, "rules", _RULE, room)
            problems += found
            rules += located
    problems += _checked(
        info, questionnaire, references, rules, sheet=sheet, properties=properties, limits=limits
    )
    if problems or info is None or questionnaire is None or references is None:
        raise RuleSetError(problems)
    return RuleSet(
        info=info.item,
        questionnaire=questionnaire.item,
        rules=tuple(r.item for r in rules),
        references=tuple(r.item for r in references),
        sheet=sheet.item if sheet else None,
        properties=tuple(p.item for p in properties),
        digest=digest.hexdigest(),
        source=str(root),
    )
