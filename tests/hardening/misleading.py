"""Sweeps over rule sets that read well yet would mislead: each hostile input must be
refused with its own problem code, at the place it was written.

Every sweep takes the loader as a parameter (``load``: a directory in, anything out, or
:class:`RuleSetError`), so a planted-bug test can hand it a loader with one check taken
away and watch the sweep report it. A sweep returns a :class:`SweepReport`; its
``misses`` are the inputs that were not refused as they must be.

The classes of input:

* :func:`sweep_hidden_characters`: each control, zero-width, bidirectional and other
  invisible character in each text field of each file (``invisible-character``; a line
  break in a one-line field is ``multi-line-title``; prose may hold line breaks and tabs).
* :func:`sweep_reserved_ids`: each reserved id in each position an id is declared.
* :func:`sweep_hostile_ids`: a hostile character in each id, reference and fixed word
  (refused, whatever the code, at its place: ids are plain).
* :func:`sweep_hidden_safety_questions`: a safety question under every kind of
  ``show_when``, directly and as a follow-up (``safety-hidden``).
* :func:`sweep_duplicate_labels`: two labels that read alike by every normalisation, in
  every group of labels (``duplicate-label``).
"""

from __future__ import annotations

import contextlib
import copy
import shutil
import tempfile
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from decision_aid.domain import RuleSetError
from decision_aid.domain.yamlsource import parse_yaml, read_yaml
from tests.hardening.harness import CASES, rule_files

__all__ = [
    "HOSTILE_CHARACTERS",
    "LABEL_TWINS",
    "NOT_KNOWN_TWINS",
    "SHOW_WHEN_KINDS",
    "Loader",
    "SweepReport",
    "sweep_duplicate_labels",
    "sweep_hidden_characters",
    "sweep_hidden_safety_questions",
    "sweep_hostile_ids",
    "sweep_reserved_ids",
    "without_code",
]

Loader = Callable[[Path], object]
_DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
Path_ = tuple[str | int, ...]

HOSTILE_CHARACTERS: tuple[str, ...] = (
    *(chr(c) for c in range(0x20)),
    "\x7f",
    *(chr(c) for c in range(0x80, 0xA0)),
    "\u00ad", "\u034f", "\u061c", "\u115f", "\u1160", "\u17b4", "\u180e",
    *(chr(c) for c in range(0x200B, 0x2010)),
    "\u2028", "\u2029",
    *(chr(c) for c in range(0x202A, 0x202F)),
    *(chr(c) for c in range(0x2060, 0x2065)),
    *(chr(c) for c in range(0x2066, 0x206A)),
    "\u3164", "\ufeff", "\uffa0", "\ufff9", "\ufffb", "\ue000", "\U0001d173", "\U000e0001",
    "\U000e0041",
)  # fmt: skip
"""Characters that draw nothing, or reorder what is drawn, or break a line."""

LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")
PROSE_WHITESPACE = frozenset("\n\t")

PROSE_KEYS = frozenset(
    {
        "description", "help", "intro", "rationale", "patient_reason", "unverified",
        "default_reason", "update_policy", "funding", "citation", "note", "caveat", "points",
        "cautions", "actions", "answers", "next_steps", "decision", "questions_to_ask",
        "lint_ignore",
    }
)  # fmt: skip
"""The prose fields, as docs/rule-language.md lists them under ``multi-line-title``."""

_NOT_TEXT = frozenset(
    {
        "id", "type", "outcome", "assess_first", "default_outcome", "default", "ref", "status",
        "version", "verification", "kind", "certainty", "if_unknown", "date", "review_by",
        "at_least", "at_most",
    }
)  # fmt: skip
"""Keys whose values are ids or fixed words (their patterns and cross-checks guard them)."""

_CONDITION_KEYS = frozenset({"when", "show_when", "only_for"})
_MAPPING_FIELDS = frozenset({"answers", "next_steps", "lint_ignore"})

LABEL_TWINS: tuple[tuple[str, str, str], ...] = (
    ("the same", "Alike", "Alike"),
    ("upper case", "Alike", "ALIKE"),
    ("lower case", "Alike", "alike"),
    ("case folding", "Straße", "STRASSE"),
    ("final sigma", "ΟΔΟΣ", "οδος"),
    ("full width", "Alike", "\uff21\uff4c\uff49\uff4b\uff45"),
    ("ligature", "fine", "\ufb01ne"),
    ("superscript", "x2", "x\u00b2"),
    ("Kelvin sign", "K value", "\u212a value"),
    ("roman numeral", "Type II", "Type \u2161"),
    ("combining accent", "café", "cafe\u0301"),
    ("title-case digraph", "\u01c4a", "\u01c6a"),
    ("doubled space", "Alike here", "Alike  here"),
    ("outer spaces", "Alike here", " Alike here "),
    ("no-break space", "Alike here", "Alike\u00a0here"),
    ("ideographic space", "Alike here", "Alike\u3000here"),
    ("em space", "Alike here", "Alike\u2003here"),
)
"""(the normalisation, a label, a label that reads the same once normalised)."""


@dataclass
class SweepReport:
    """What a sweep tried, how many inputs were refused as they must be, and the misses."""

    name: str
    enough: int | None = None
    """Stop after this many misses (a planted-bug test needs one)."""
    tried: int = 0
    loads: int = 0
    seconds: float = 0.0
    misses: list[str] = field(default_factory=list)

    @property
    def handled(self) -> int:
        return self.tried - len(self.misses)

    def summary(self) -> str:
        return (
            f"{self.name}: {self.tried} inputs ({self.loads} loads), {self.handled} handled, "
            f"{self.seconds:.2f} s"
        )


class _Enough(Exception):
    """The sweep has found as many misses as it was asked for."""


def without_code(load: Loader, code: str) -> Loader:
    """``load`` with one check taken away: its problems are dropped (a planted bug)."""

    def weakened(directory: Path) -> object:
        try:
            return load(directory)
        except RuleSetError as error:
            kept = [p for p in error.problems if p.code != code]
            if kept:
                raise RuleSetError(kept) from None
            return None

    return weakened


# -- reading and writing the copies -------------------------------------------------------


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {key: _plain(value) for key, value in node.items()}
    if isinstance(node, tuple | list):
        return [_plain(item) for item in node]
    return node


def _read(path: Path) -> Any:
    """The file's data as decision-aid reads it (YAML 1.2: ``no`` stays text), editable."""
    document, problems = read_yaml(path)
    assert not problems, problems
    return _plain(document.data)


def _write(path: Path, data: Any) -> str:
    # ASCII only: every hostile character is written as an escape, which YAML reads back.
    text = yaml.dump(data, Dumper=_DUMPER, allow_unicode=False, sort_keys=False, width=10**6)
    path.write_text(text, encoding="ascii")
    return text


def _get(tree: Any, path: Path_) -> Any:
    for part in path:
        tree = tree[part]
    return tree


def _set(tree: Any, path: Path_, value: Any) -> None:
    _get(tree, path[:-1])[path[-1]] = value


def _text_leaves(tree: Any, path: Path_ = (), key: str = "") -> Iterator[tuple[Path_, str]]:
    """Every text value a reader is shown, as (path, the field it belongs to)."""
    if isinstance(tree, dict):
        if "question" in tree and not ({"title", "answers"} & set(tree)):
            return  # a condition: ids only
        for name, value in tree.items():
            if name in _CONDITION_KEYS and not isinstance(value, str):
                continue
            if name in _NOT_TEXT:
                continue
            field_name = key if key in _MAPPING_FIELDS else name
            if name == "citations" and isinstance(value, list):
                for i, item in enumerate(value):
                    if isinstance(item, dict) and isinstance(item.get("grade"), str):
                        yield (*path, name, i, "grade"), "grade"
                continue
            yield from _text_leaves(value, (*path, name), field_name)
    elif isinstance(tree, list):
        for index, item in enumerate(tree):
            yield from _text_leaves(item, (*path, index), key)
    elif isinstance(tree, str):
        yield path, key


def _str_leaves(tree: Any, path: Path_ = ()) -> Iterator[Path_]:
    if isinstance(tree, dict):
        for name, value in tree.items():
            yield from _str_leaves(value, (*path, name))
    elif isinstance(tree, list):
        for index, item in enumerate(tree):
            yield from _str_leaves(item, (*path, index))
    elif isinstance(tree, str):
        yield path


def _id_leaves(tree: Any, path: Path_ = ()) -> Iterator[Path_]:
    """Every place an id is declared: an ``id`` key of a mapping."""
    if isinstance(tree, dict):
        for name, value in tree.items():
            if name == "id" and isinstance(value, str):
                yield (*path, name)
            else:
                yield from _id_leaves(value, (*path, name))
    elif isinstance(tree, list):
        for index, item in enumerate(tree):
            yield from _id_leaves(item, (*path, index))


def _expected(char: str, field_name: str) -> str | None:
    """The code a character in a field must be refused with (None: it is allowed)."""
    if field_name in PROSE_KEYS:
        return None if char in PROSE_WHITESPACE else "invisible-character"
    return "multi-line-title" if char in LINE_BREAKS else "invisible-character"


def _insert(text: str, char: str, where: int) -> str:
    at = (0, len(text) // 2, len(text))[where % 3]
    return text[:at] + char + text[at:]


class _Workspace:
    """A scratch copy of a rule set, restored after each case."""

    def __init__(self, source: Path, scratch: Path) -> None:
        self.root = scratch / source.name
        shutil.copytree(source, self.root)
        self.files = rule_files(self.root)
        self.original = {name: (self.root / name).read_bytes() for name in self.files}
        self.trees = {name: _read(self.root / name) for name in self.files}

    def restore(self) -> None:
        for name, data in self.original.items():
            (self.root / name).write_bytes(data)

    def tree(self, name: str) -> Any:
        """A fresh, editable copy of the file's data."""
        return copy.deepcopy(self.trees[name])

    def put(self, name: str, tree: Any, path: Path_) -> tuple[int, int]:
        """Write ``tree`` as the file; the place of the value at ``path`` in it."""
        return self.places(name, [path], _write(self.root / name, tree))[0]

    def put_back(self, name: str) -> None:
        (self.root / name).write_bytes(self.original[name])

    def places(self, name: str, paths: list[Path_], text: str) -> list[tuple[int, int]]:
        """Where each path's value is written in ``text`` (what was written as the file)."""
        document, _ = parse_yaml(text, name)
        marks = [document.mark(path) for path in paths]
        return [(mark.line, mark.column) for mark in marks]


def _run(
    load: Loader,
    root: Path,
    expect: Sequence[tuple[str, Path_, str | None, tuple[int, int]]],
    what: str,
    report: SweepReport,
) -> None:
    """Load once; each expectation (file, path, code or None, place) must hold."""
    report.loads += 1
    try:
        load(root)
        problems: tuple[Any, ...] = ()
        refused = False
    except RuleSetError as error:
        problems, refused = error.problems, True
    at: dict[tuple[str, int, int], list[Any]] = {}
    for problem in problems:
        at.setdefault((problem.file, problem.line, problem.column), []).append(problem)
    for name, path, code, (line, column) in expect:
        report.tried += 1
        file = str(root / name)
        here = at.get((file, line, column), [])
        if code is None:
            if any(p.code in {"invisible-character", "multi-line-title"} for p in here):
                report.misses.append(f"{what}: allowed text refused at {file}:{line}:{column}")
            continue
        if not refused:
            report.misses.append(f"{what}: loaded, though {name} {path} must give {code}")
        elif not any(p.code == code or not code for p in here):
            found = [p.format() for p in problems if p.file == file][:3]
            report.misses.append(
                f"{what}: no {code} at {file}:{line}:{column} ({'/'.join(map(str, path))}); "
                f"found {found}"
            )
    if report.enough is not None and len(report.misses) >= report.enough:
        raise _Enough


def _sweep(name: str, body: Callable[[SweepReport, Path], None], enough: int | None) -> SweepReport:
    report = SweepReport(name, enough)
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="mislead-") as scratch, contextlib.suppress(_Enough):
        body(report, Path(scratch))
    report.seconds = time.monotonic() - start
    CASES[f"mislead/{name}"] += report.tried
    return report


# -- the sweeps ----------------------------------------------------------------------------


def sweep_hidden_characters(
    load: Loader,
    source: Path,
    *,
    characters: tuple[str, ...] = HOSTILE_CHARACTERS,
    blank: bool = False,
    enough: int | None = None,
) -> SweepReport:
    """Each character in every text field of every file at once, one load per character;
    each field must be refused with its own code at its own place. ``blank`` makes each
    text only the character, three times (for spaces: a blank text shows nothing)."""

    def body(report: SweepReport, scratch: Path) -> None:
        work = _Workspace(source, scratch)
        for number, char in enumerate(characters):
            expect = []
            for name in work.files:
                tree = work.tree(name)
                leaves = list(_text_leaves(tree))
                for i, (path, _) in enumerate(leaves):
                    text = char * 3 if blank else _insert(_get(tree, path), char, number + i)
                    _set(tree, path, text)
                written = _write(work.root / name, tree)
                places = work.places(name, [path for path, _ in leaves], written)
                for (path, field_name), place in zip(leaves, places, strict=True):
                    code = "invisible-character" if blank else _expected(char, field_name)
                    expect.append((name, path, code, place))
            _run(load, work.root, expect, f"U+{ord(char):04X}", report)
        work.restore()  # each character rewrites every file: restore once, at the end

    return _sweep("hidden-characters", body, enough)


def sweep_reserved_ids(
    load: Loader,
    source: Path,
    *,
    reserved: tuple[str, ...] = ("unknown", "default"),
    files: Collection[str] | None = None,
    each: int | None = None,
    enough: int | None = None,
) -> SweepReport:
    """Each reserved id in each position an id is declared, one load each."""

    def body(report: SweepReport, scratch: Path) -> None:
        work = _Workspace(source, scratch)
        count = 0
        for name in work.files:
            if files is not None and name not in files:
                continue
            for path in _id_leaves(work.trees[name]):
                count += 1
                for step in range(each or len(reserved)):
                    ident = reserved[(count + step) % len(reserved)]
                    tree = work.tree(name)
                    old = _get(tree, path)
                    _set(tree, path, ident)
                    _rename_keys(tree, old, ident)  # the sheet's grid answers name its options
                    expect = [(name, path, "reserved-id", work.put(name, tree, path))]
                    _run(load, work.root, expect, f"{ident} at {name}", report)
                    work.put_back(name)

    return _sweep("reserved-ids", body, enough)


def _rename_keys(tree: Any, old: str, new: str) -> None:
    if isinstance(tree, dict):
        if "answers" in tree and isinstance(tree["answers"], dict) and old in tree["answers"]:
            tree["answers"] = {new if k == old else k: v for k, v in tree["answers"].items()}
        for value in tree.values():
            _rename_keys(value, old, new)
    elif isinstance(tree, list):
        for item in tree:
            _rename_keys(item, old, new)


def sweep_hostile_ids(
    load: Loader,
    source: Path,
    *,
    characters: tuple[str, ...] = HOSTILE_CHARACTERS,
    each: int = 1,
    enough: int | None = None,
) -> SweepReport:
    """A hostile character in each id, each reference to one and each fixed word (every
    text value that is not shown as text), ``each`` characters per place taken in turn;
    one load each. Whatever the code, it must be refused at that place."""

    def body(report: SweepReport, scratch: Path) -> None:
        work = _Workspace(source, scratch)
        count = 0
        for name in work.files:
            tree = work.trees[name]
            text = {path for path, _ in _text_leaves(tree)}
            for path in [p for p in _str_leaves(tree) if p not in text]:
                for _ in range(each):
                    count += 1
                    char = characters[count * 7 % len(characters)]
                    edited = copy.deepcopy(tree)
                    _set(edited, path, _insert(_get(edited, path), char, count))
                    expect = [(name, path, "", work.put(name, edited, path))]
                    _run(load, work.root, expect, f"U+{ord(char):04X} in {name}", report)
                    work.put_back(name)

    return _sweep("hostile-ids", body, enough)


SHOW_WHEN_KINDS: tuple[tuple[str, Any], ...] = (
    ("is", {"question": "diagnosis", "is": "a"}),
    ("in", {"question": "diagnosis", "in": ["a", "b"]}),
    ("includes", {"question": "goals", "includes": ["pain"]}),
    ("at_least", {"question": "age", "at_least": 18}),
    ("at_most", {"question": "age", "at_most": 80}),
    ("yes_no", {"question": "tried", "is": "yes"}),
    ("all", {"all": [{"question": "diagnosis", "is": "a"}, {"question": "tried", "is": "yes"}]}),
    ("any", {"any": [{"question": "diagnosis", "is": "a"}, {"question": "tried", "is": "no"}]}),
    ("not", {"not": {"question": "diagnosis", "is": "other"}}),
    ("count_of", {"count_of": [{"question": "diagnosis", "is": "a"}], "at_least": 1}),
    ("always true", {"any": [
        {"question": "tried", "is": "yes"},
        {"not": {"question": "tried", "is": "yes"}},
    ]}),
    ("follow-up", {"question": "pregnant", "is": "no"}),
    ("follow-up of a follow-up", {"all": [{"question": "pregnant", "is": "no"}]}),
)  # fmt: skip
"""Conditions over the mini rule set's questions; ``pregnant`` follows up ``sex``."""


def sweep_hidden_safety_questions(
    load: Loader,
    source: Path,
    *,
    kinds: tuple[tuple[str, Any], ...] = SHOW_WHEN_KINDS,
    enough: int | None = None,
) -> SweepReport:
    """Each safety question (and each made one) under every kind of ``show_when``."""

    def body(report: SweepReport, scratch: Path) -> None:
        work = _Workspace(source, scratch)
        name = "questionnaire.yaml"
        tree = work.trees[name]
        places = [
            ("sections", si, "questions", qi)
            for si, section in enumerate(tree["sections"])
            for qi, _ in enumerate(section["questions"])
        ]
        for kind, condition in kinds:
            for at in places:
                question = _get(tree, at)
                if question["id"] in _questions_of(condition):
                    continue  # a cycle, refused as one
                edited = work.tree(name)
                target = _get(edited, at)
                target["safety"], target["not_known"] = True, True
                target["show_when"] = condition
                path = (*at, "show_when")
                expect = [(name, path, "safety-hidden", work.put(name, edited, path))]
                _run(load, work.root, expect, f"{question['id']} under {kind}", report)
                work.put_back(name)

    return _sweep("hidden-safety-questions", body, enough)


def _questions_of(condition: Any) -> set[str]:
    if isinstance(condition, dict):
        found = {condition["question"]} if "question" in condition else set()
        for value in condition.values():
            found |= _questions_of(value)
        return found
    if isinstance(condition, list):
        return set().union(*map(_questions_of, condition)) if condition else set()
    return set()


def _label_groups(work: _Workspace) -> Iterator[tuple[str, Path_, str]]:
    """Every list of labelled items a reader tells apart: (file, path of the list, the key
    of the label)."""
    sections = work.trees["questionnaire.yaml"]["sections"]
    if len(sections) >= 2:
        yield "questionnaire.yaml", ("sections",), "title"
    for si, section in enumerate(sections):
        if len(section["questions"]) >= 2:
            yield "questionnaire.yaml", ("sections", si, "questions"), "label"
        for qi, question in enumerate(section["questions"]):
            if len(question.get("options") or ()) >= 2:
                yield "questionnaire.yaml", ("sections", si, "questions", qi, "options"), "label"
    info = work.trees["ruleset.yaml"]
    yield "ruleset.yaml", ("levels",), "label"
    for si, setting in enumerate(info.get("settings") or ()):
        if len(setting["choices"]) >= 2:
            yield "ruleset.yaml", ("settings", si, "choices"), "label"


NOT_KNOWN_TWINS = (
    "Not known",
    "NOT KNOWN",
    "not\u00a0known",
    " Not  known ",
    "Unknown",
    "\uff35nknown",
)
"""Option labels that read as the built-in "Not known" answer."""


def sweep_duplicate_labels(
    load: Loader,
    source: Path,
    *,
    twins: tuple[tuple[str, str, str], ...] = LABEL_TWINS,
    spread: int = 4,
    enough: int | None = None,
) -> SweepReport:
    """Two items of a group labelled alike by each normalisation, in ``spread`` groups taken
    in turn (so each group meets many normalisations); and each question that offers Not
    known with an option that reads as it. One load each."""

    def body(report: SweepReport, scratch: Path) -> None:
        work = _Workspace(source, scratch)
        groups = list(_label_groups(work))
        for number, (how, first, second) in enumerate(twins):
            # each normalisation in `spread` groups, turn about: every group meets many
            for name, at, key in [
                groups[(number + k) % len(groups)] for k in range(min(spread, len(groups)))
            ]:
                tree = work.tree(name)
                items = _get(tree, at)
                # the last two items: a multiple-choice question's "none of these" is last
                items[-2][key], items[-1][key] = first, second
                path = (*at, len(items) - 1, key)
                expect = [(name, path, "duplicate-label", work.put(name, tree, path))]
                _run(load, work.root, expect, f"{how} in {name} {at}", report)
                work.put_back(name)
        name = "questionnaire.yaml"
        for at in [g for f, g, _ in groups if f == name and g[-1] == "options"]:
            if not _get(work.trees[name], at[:-1]).get("not_known"):
                continue
            for twin in NOT_KNOWN_TWINS:
                tree = work.tree(name)
                _get(tree, at)[0]["label"] = twin
                path = (*at, 0, "label")
                expect = [(name, path, "duplicate-label", work.put(name, tree, path))]
                _run(load, work.root, expect, f"{twin!r} in {name} {at}", report)
                work.put_back(name)

    return _sweep("duplicate-labels", body, enough)
