"""Load a rule set directory into a checked, frozen :class:`RuleSet`.

The folder's files are named in :mod:`~decision_aid.domain.layout`. Every file is read
safely (see :mod:`yamlsource`), validated, and cross-checked; all problems from all files
are gathered and raised together as one :class:`RuleSetError`. There is no partial result
and no fallback. The positions of every node are kept with the rule set
(:attr:`RuleSet.sources`), so no tool reads the files again to place what it finds.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, TypeAdapter

from decision_aid.domain import layout
from decision_aid.domain.checks import Located, check_rule_set
from decision_aid.domain.errors import Problem, RuleSetError
from decision_aid.domain.leaflet import SheetContent
from decision_aid.domain.limits import LIMITS, Limits, check_limits
from decision_aid.domain.questionnaire import Questionnaire
from decision_aid.domain.rules import Property, Reference, Rule, RuleSet, RuleSetInfo
from decision_aid.domain.sources import SourceMap
from decision_aid.domain.validation import validate
from decision_aid.domain.yamlsource import MAX_BYTES, Document, YamlPath, read_yaml

__all__ = ["load_rule_set", "rule_set_files"]

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
    return list(layout.scan(directory).files)


def _items(
    document: Document,
    wrapper: type[_ListFile],
    key: str,
    adapter: TypeAdapter[T],
    *,
    room: int | None = None,
    question_types: Mapping[str, str] | None = None,
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
        result = validate(adapter, raw, document, (key, index), question_types=question_types)
        item, item_problems = result
        problems += item_problems
        if item is not None:
            located.append(Located(item, document, (key, index)))
    return located, not problems, problems


def _whole(document: Document, adapter: TypeAdapter[T]) -> tuple[Located[T] | None, list[Problem]]:
    result = validate(adapter, document.data, document)
    item, problems = result
    return (Located(item, document, ()) if item is not None else None), problems


def _within_file_limit(
    found: layout.Layout, limits: Limits
) -> tuple[tuple[Path, ...], list[Problem]]:
    """The files to read: past the limit on rule files, or on bytes in all, none is read,
    and the first one past it is named."""
    root, paths = found.root, found.files
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
        return paths[:index], [Problem(found.name(path), 1, 1, "over-limit", message)]
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


def _read(found: layout.Layout, limits: Limits) -> tuple[dict[Path, Document], str, list[Problem]]:
    """Every file of the rule set read, with the digest over them and the problems met."""
    root = found.root
    documents: dict[Path, Document] = {}
    digest = hashlib.sha256()
    paths, problems = _within_file_limit(found, limits)
    problems += found.problems
    for path in paths:
        name = found.name(path)
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
    if not found.rule_files:
        problems.append(
            Problem(str(root / layout.RULES), 1, 1, "missing-file", "no rule files (rules/*.yaml)")
        )
    return documents, digest.hexdigest(), problems


def load_rule_set(directory: str | Path, *, limits: Limits = LIMITS) -> RuleSet:
    """Load and check a rule set, or raise :class:`RuleSetError` with every problem found.

    ``limits`` are the work limits it must keep (:mod:`~decision_aid.domain.limits`).
    """
    root = Path(directory)
    if not root.is_dir():
        raise RuleSetError([Problem(str(root), 1, 1, "missing-rule-set", "no such directory")])
    found = layout.scan(root)
    documents, digest, problems = _read(found, limits)
    info = questionnaire = None
    references: list[Located[Reference]] | None = None
    if (found_doc := documents.get(root / layout.RULESET_FILE)) is not None:
        info, more = _whole(found_doc, _INFO)
        problems += more
    if (found_doc := documents.get(root / layout.QUESTIONNAIRE_FILE)) is not None:
        questionnaire, more = _whole(found_doc, _QUESTIONNAIRE)
        problems += more
    if (found_doc := documents.get(root / layout.REFERENCES_FILE)) is not None:
        items, complete, more = _items(found_doc, _ReferencesFile, "references", _REFERENCE)
        references = items if complete else None
        problems += more
    sheet = None
    if (found_doc := documents.get(root / layout.SHEET_FILE)) is not None:
        sheet, more = _whole(found_doc, _SHEET)
        problems += more
    types = {q.id: str(q.type) for q in questionnaire.item.questions()} if questionnaire else None
    properties: list[Located[Property]] = []
    if (found_doc := documents.get(root / layout.PROPERTIES_FILE)) is not None:
        properties, _, more = _items(
            found_doc, _PropertiesFile, "properties", _PROPERTY, question_types=types
        )
        problems += more
    rules: list[Located[Rule]] = []
    for path in found.rule_files:
        if (document := documents.get(path)) is not None:
            # One past the limit is validated, so that the limit check names its place.
            room = limits.rules + 1 - len(rules)
            located, _, more = _items(
                document, _RulesFile, "rules", _RULE, room=room, question_types=types
            )
            problems += more
            rules += located
    problems += _checked(
        info, questionnaire, references, rules, sheet=sheet, properties=properties, limits=limits
    )
    if problems or info is None or questionnaire is None or references is None:
        raise RuleSetError(problems)
    rule_set = RuleSet(
        info=info.item,
        questionnaire=questionnaire.item,
        rules=tuple(r.item for r in rules),
        references=tuple(r.item for r in references),
        sheet=sheet.item if sheet else None,
        properties=tuple(p.item for p in properties),
        digest=digest,
        source=str(root),
    )
    rule_set.keep_sources(
        _source_map(
            root,
            documents,
            questionnaire=questionnaire,
            references=references,
            rules=rules,
            properties=properties,
        )
    )
    return rule_set


def _source_map(
    root: Path,
    documents: dict[Path, Document],
    *,
    questionnaire: Located[Questionnaire],
    references: list[Located[Reference]],
    rules: list[Located[Rule]],
    properties: list[Located[Property]],
) -> SourceMap:
    items: dict[tuple[str, str], tuple[Document, YamlPath]] = {}
    for kind, located in (("rule", rules), ("reference", references), ("property", properties)):
        for part in located:
            items[(kind, part.item.id)] = (part.document, part.path)
    for si, section in enumerate(questionnaire.item.sections):
        for qi, question in enumerate(section.questions):
            items[("question", question.id)] = (
                questionnaire.document,
                ("sections", si, "questions", qi),
            )
    named = {path.relative_to(root).as_posix(): document for path, document in documents.items()}
    return SourceMap(str(root), named, items)
