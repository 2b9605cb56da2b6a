"""The fuzz harness: the contract every rule-set load must keep, and the mutators that test it.

The contract (:func:`check_loader`): loading a directory either gives a usable rule set
or raises :class:`RuleSetError` whose every problem names a file in that directory, a
line ≥ 1 and a column ≥ 1 inside the file. Nothing else may escape, no case may run
longer than :data:`CASE_SECONDS`, and a rule set that loads must evaluate.

:func:`fuzz_rule_files` is the one driver the fuzz tests (and the planted-bug test)
call: it copies a rule set, overwrites one file at a time with a mutated version, and
checks the contract on each. Budgets scale with the ``HARDENING_SCALE`` variable
(default 1; e.g. 20 for a nightly run).
"""

from __future__ import annotations

import contextlib
import copy
import os
import shutil
import signal
import tempfile
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from decision_aid.domain import Answers, RuleSet, RuleSetError, evaluate, load_rule_set
from decision_aid.domain.errors import PROBLEM_CODES
from decision_aid.domain.yamlsource import MAX_BYTES

__all__ = [
    "CASES",
    "CASE_SECONDS",
    "CaseTimeout",
    "ContractViolation",
    "Loader",
    "LoaderOutcome",
    "budget",
    "byte_mutation",
    "check_loader",
    "flat_values_strategy",
    "fuzz_rule_files",
    "scalar_pool",
    "scalars_strategy",
    "structural_mutation",
    "time_limit",
    "values_strategy",
]

SCALE = float(os.environ.get("HARDENING_SCALE", "1"))
Loader = Callable[[Path], RuleSet]
"""Loads a rule set folder or raises RuleSetError: the seam every sweep takes."""
CASE_SECONDS = 5.0
"""No single input may keep the loader busy longer than this (a hang is a failure)."""

CASES: Counter[str] = Counter()
"""How many cases each kind of fuzzing ran in this test run (printed in the summary)."""


def budget(count: int) -> int:
    """``count`` examples, scaled by ``HARDENING_SCALE``."""
    return max(1, round(count * SCALE))


class ContractViolation(AssertionError):
    """The loader (or a reader) broke its contract on one input."""


class CaseTimeout(Exception):
    """One case ran past its time limit."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`CaseTimeout` inside the block once ``seconds`` have passed.

    Uses a real-time interval timer where there is one (POSIX, main thread); elsewhere
    the elapsed time is only checked afterwards.
    """
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    start = time.monotonic()
    if not usable:
        yield
        if time.monotonic() - start > seconds:
            raise CaseTimeout(f"took {time.monotonic() - start:.1f} s (limit {seconds} s)")
        return

    def _expired(signum: int, frame: object) -> None:
        raise CaseTimeout(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, _expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass(frozen=True)
class LoaderOutcome:
    rule_set: RuleSet | None
    error: RuleSetError | None
    seconds: float

    @property
    def codes(self) -> set[str]:
        return {p.code for p in self.error.problems} if self.error else set()


def _line_count(path: Path) -> int:
    try:
        if path.stat().st_size > MAX_BYTES:
            return 1  # refused unread; its problem is at 1:1
        # Every break YAML knows (LF, CR, CRLF, NEL, LS, PS) and a few more: a loose bound.
        return len(path.read_bytes().decode("utf-8", "replace").splitlines()) + 1
    except OSError:
        return 1


def _check_problems(directory: Path, error: RuleSetError, context: str) -> None:
    if not error.problems:
        raise ContractViolation(f"RuleSetError with no problems {context}")
    root = str(directory)
    for problem in error.problems:
        where = f"{problem.format()!r} {context}"
        if not (isinstance(problem.file, str) and problem.file.startswith(root)):
            raise ContractViolation(f"problem names no file of the rule set: {where}")
        if not (isinstance(problem.line, int) and isinstance(problem.column, int)):
            raise ContractViolation(f"line/column are not whole numbers: {where}")
        if problem.line < 1 or problem.column < 1:
            raise ContractViolation(f"line/column below 1: {where}")
        if problem.code not in PROBLEM_CODES or not problem.message.strip():
            raise ContractViolation(f"undocumented code or empty message: {where}")
        path = Path(problem.file)
        # LibYAML may place "unexpected end of file" on the line after the last one.
        if path.is_file() and problem.line > _line_count(path) + 1:
            raise ContractViolation(f"line {problem.line} is past the end of the file: {where}")


def _check_usable(rule_set: RuleSet, context: str) -> None:
    """A rule set that loaded must give an outcome it defines, for no answers and all unknown."""
    unknown = Answers(
        {}, frozenset(q.id for q in rule_set.questionnaire.questions() if q.not_known)
    )
    for answers in (Answers(), unknown):
        assessment = evaluate(rule_set, answers, rule_set.default_settings())
        if assessment.outcome.id not in rule_set.level_rank:
            raise ContractViolation(f"outcome {assessment.outcome.id!r} is no level {context}")


def check_loader(
    directory: Path,
    *,
    context: str = "",
    pristine: RuleSet | None = None,
    changed: bool = False,
    must_refuse: bool = False,
    must_equal_pristine: bool = False,
    load: Loader = load_rule_set,
    case_seconds: float = CASE_SECONDS,
) -> LoaderOutcome:
    """Load ``directory`` with ``load`` and check the contract; raise
    :class:`ContractViolation` if broken.

    ``changed`` says the files differ from ``pristine``'s: a load must then carry
    another digest. ``must_refuse`` marks inputs that are broken by construction;
    ``must_equal_pristine`` marks changes that keep the meaning (BOM, CRLF, comments).
    """
    start = time.monotonic()
    rule_set: RuleSet | None = None
    error: RuleSetError | None = None
    try:
        with time_limit(case_seconds):
            try:
                rule_set = load(directory)
            except RuleSetError as refused:
                error = refused
            if rule_set is not None:
                _check_usable(rule_set, context)
    except CaseTimeout as timeout:
        raise ContractViolation(f"the loader hung: {timeout} {context}") from None
    except ContractViolation:
        raise
    except BaseException as escaped:  # the point: nothing but RuleSetError may come out
        if isinstance(escaped, KeyboardInterrupt):
            raise
        detail = "".join(traceback.format_exception(escaped)[-6:])
        raise ContractViolation(
            f"{type(escaped).__name__} escaped the loader {context}\n{detail}"
        ) from escaped
    outcome = LoaderOutcome(rule_set, error, time.monotonic() - start)
    if error is not None:
        _check_problems(directory, error, context)
        if must_equal_pristine:
            first = error.problems[0].format()
            raise ContractViolation(f"a harmless change was refused: {first} {context}")
        return outcome
    assert rule_set is not None
    if must_refuse:
        raise ContractViolation(f"a broken rule set loaded {context}")
    if pristine is not None and changed and rule_set.digest == pristine.digest:
        raise ContractViolation(f"changed files kept the old digest {context}")
    if pristine is not None and must_equal_pristine:
        ignore = {"digest", "source"}
        if rule_set.model_dump(exclude=ignore) != pristine.model_dump(exclude=ignore):
            raise ContractViolation(f"a harmless change altered the rule set {context}")
    return outcome


# -- mutators --------------------------------------------------------------------------

_TAGS = (
    '!!python/object/apply:os.system ["touch CANARY"]',
    "!include other.yaml",
    "!!str text",
    "!!binary aGVsbG8=",
    "!!set {a, b}",
    "!custom value",
    "!!timestamp 2001-12-14",
    "!!omap [a: 1]",
)
_DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_INVALID_UTF8 = (b"\xff", b"\xfe", b"\xc3(", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\x80")
_YAML_NOISE = (*tuple("[]{}:,-?|>&*!%@`'\"#\t\r\n "), ": ", "- ", "? ", "---", "...", "\\")
_STRANGE_TEXT = (
    "yes", "no", "NO", "off", "On", "012", "3:20", "0x1F", "1e400", ".inf", ".nan", "~",
    "null", "", " ", "unknown", "true", "2026-13-45", "\u202e", "\ufeff", "a\u0000b", "é" * 3,
)  # fmt: skip
_VOCABULARY = (
    "id", "title", "label", "text", "type", "options", "questions", "sections", "rules",
    "when", "all", "any", "not", "question", "is", "in", "gte", "lte", "gt", "lt", "outcome",
    "only_for", "absolute", "citations", "ref", "grade", "references", "levels", "settings",
    "choices", "default", "show_when", "minimum", "maximum", "integer", "not_known", "safety",
    "exclusive", "unit", "version", "status", "review_by", "date", "patient_reason", "rationale",
    "cautions", "actions", "assess_first", "default_outcome", "short", "citation",
)  # fmt: skip


def scalar_pool(trees: list[Any]) -> list[Any]:
    """Every key and scalar value in ``trees``: the values a hostile file is built from."""
    found: set[Any] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                found.add(key)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, str | int | float | bool | date) or node is None:
            found.add(node)

    for tree in trees:
        walk(tree)
    return sorted(found, key=repr)


def scalars_strategy(pool: list[Any]) -> st.SearchStrategy[Any]:
    """Odd scalars: huge and non-finite numbers, YAML 1.1 words, dates, values from ``pool``."""
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.sampled_from([10**400, -(10**400), 2**63, 2**64 + 1, -1, 0]),
        st.floats(),
        st.text(max_size=16),
        st.sampled_from(_STRANGE_TEXT),
        st.dates(),
        st.sampled_from(pool),
    )


def flat_values_strategy(pool: list[Any]) -> st.SearchStrategy[Any]:
    """Scalars, lists of scalars and small mappings: cheap to draw, for answers."""
    scalars = scalars_strategy(pool)
    return st.one_of(
        scalars,
        st.lists(scalars, max_size=4),
        st.dictionaries(st.text(max_size=4), scalars, max_size=2),
    )


def values_strategy(pool: list[Any]) -> st.SearchStrategy[Any]:
    """Any YAML-shaped value, nested, with odd keys (non-text ones too)."""
    scalars = scalars_strategy(pool)
    keys = st.one_of(st.sampled_from(_VOCABULARY), st.text(max_size=10), st.integers(), st.none())
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
        max_leaves=8,
    )


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    paths = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            paths += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            paths += _paths(value, (*prefix, index))
    return paths


def _parent(tree: Any, path: tuple[Any, ...]) -> Any:
    node = tree
    for part in path[:-1]:
        node = node[part]
    return node


def _replace(tree: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    _parent(tree, path)[path[-1]] = value
    return tree


def _nest(value: Any, depth: int, *, flow: bool) -> Any:
    for level in range(depth):
        value = [value] if flow or level % 2 else {"k": value}
    return value


@st.composite
def structural_mutation(
    draw: st.DrawFn, original: Any, pool: list[Any], values: st.SearchStrategy[Any]
) -> tuple[bytes, str]:
    """The file's data with one to three edits to its structure, dumped back as YAML.

    ``values`` are what edits put in (build it once with :func:`values_strategy`).
    """
    tree = copy.deepcopy(original)
    done: list[str] = []
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(tree)))
        node = _parent(tree, path) if path else None
        op = draw(
            st.sampled_from(
                ["replace", "replace", "pool", "delete", "add-key", "duplicate", "nest", "huge"]
            )
        )
        if op == "delete" and path:
            assert node is not None
            del node[path[-1]]
        elif op == "add-key":
            target = tree
            for part in path:
                target = target[part]
            if isinstance(target, dict):
                key = draw(st.one_of(st.sampled_from(_VOCABULARY), st.text(max_size=10)))
                target[key] = draw(values)
            else:
                op = "replace"
        elif op == "duplicate" and path and isinstance(node, list):
            node.insert(path[-1], copy.deepcopy(node[path[-1]]))
        elif op == "nest":
            depth = draw(st.sampled_from([1, 2, 5, 49, 50, 51, 80]))
            here = tree
            for part in path:
                here = here[part]
            tree = _replace(tree, path, _nest(here, depth, flow=draw(st.booleans())))
        elif op == "huge":
            size = draw(st.sampled_from([1_000, 60_000, 400_000, 1_100_000]))
            tree = _replace(tree, path, draw(st.sampled_from("xé ")) * size)
        elif op == "pool":
            tree = _replace(tree, path, draw(st.sampled_from(pool)))
        else:
            op = "replace"
        if op == "replace":
            tree = _replace(tree, path, draw(values))
        done.append(f"{op}@{'/'.join(map(str, path)) or '<root>'}")
    text = yaml.dump(  # LibYAML's emitter: the pure-Python one costs more than the load
        tree,
        Dumper=_DUMPER,
        allow_unicode=draw(st.booleans()),
        default_flow_style=draw(st.sampled_from([False, None, True])),
        sort_keys=False,
        width=draw(st.sampled_from([80, 1_000_000])),
    )
    return text.encode("utf-8"), ", ".join(done)


def _line_starts(data: bytes) -> list[int]:
    return [0] + [i + 1 for i, byte in enumerate(data) if byte == 0x0A and i + 1 < len(data)]


@st.composite
def byte_mutation(draw: st.DrawFn, original: bytes) -> tuple[bytes, str]:  # noqa: PLR0915
    """The file's bytes with one to three low-level edits (the hazards an editor makes)."""
    data = original
    done: list[str] = []
    for _ in range(draw(st.integers(1, 3))):
        op = draw(
            st.sampled_from(
                [
                    "truncate", "insert-bytes", "flip-byte", "delete-range", "nul", "bad-utf8",
                    "bom", "crlf", "lone-cr", "tag", "alias", "dup-line", "tab-indent",
                    "directive", "documents", "noise", "bomb", "long-number",
                ]
            )
        )  # fmt: skip
        at = draw(st.integers(0, len(data)))
        lines = _line_starts(data) or [0]
        line_at = draw(st.sampled_from(lines))
        line_end = data.find(b"\n", line_at)
        line_end = len(data) if line_end < 0 else line_end + 1
        line = data[line_at:line_end]
        if op == "truncate":
            data = data[:at]
        elif op == "insert-bytes":
            data = data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
        elif op == "flip-byte" and data:
            index = min(at, len(data) - 1)
            flipped = data[index] ^ (1 << draw(st.integers(0, 7)))
            data = data[:index] + bytes([flipped]) + data[index + 1 :]
        elif op == "delete-range":
            data = data[:at] + data[at + draw(st.integers(1, 64)) :]
        elif op == "nul":
            data = data[:at] + b"\x00" + data[at:]
        elif op == "bad-utf8":
            data = data[:at] + draw(st.sampled_from(_INVALID_UTF8)) + data[at:]
        elif op == "bom":
            data = b"\xef\xbb\xbf" + data
        elif op == "crlf":
            data = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        elif op == "lone-cr":
            data = data[:at] + b"\r" + data[at:]
        elif op == "tag" and b": " in line:
            key = line[: line.index(b": ") + 2]
            tag = draw(st.sampled_from(_TAGS)).encode()
            data = data[:line_at] + key + tag + b"\n" + data[line_end:]
        elif op == "alias" and b": " in line:
            split = line.index(b": ") + 2
            data = data[:line_at] + line[:split] + b"&a " + line[split:] + data[line_end:]
            data += b"\nextra: *a\n" if draw(st.booleans()) else b""
        elif op == "dup-line":
            data = data[:line_end] + line + data[line_end:]
        elif op == "tab-indent":
            stripped = line.lstrip(b" ")
            data = data[:line_at] + b"\t" + stripped + data[line_end:]
        elif op == "directive":
            data = draw(st.sampled_from([b"%YAML 1.1\n---\n", b"%TAG ! tag:x,2000:\n---\n"])) + data
        elif op == "documents":
            data = data + b"\n---\n" + data
        elif op == "noise":
            noise = "".join(draw(st.lists(st.sampled_from(_YAML_NOISE), min_size=1, max_size=6)))
            data = data[:at] + noise.encode() + data[at:]
        elif op == "long-number" and b": " in line:  # past Python's 4,300-digit limit
            digits = b"9" * draw(st.sampled_from([400, 4_301, 20_000]))
            data = data[:line_at] + line[: line.index(b": ") + 2] + digits + b"\n" + data[line_end:]
        elif op == "bomb":
            data = data.rstrip(b"\n") + b"\n" + billion_laughs(draw(st.integers(2, 10)))
        else:
            op = f"{op}(no-op)"
        done.append(f"{op}@{at}")
    return data, ", ".join(done)


def billion_laughs(levels: int) -> bytes:
    """The classic alias bomb: each level refers to the one before nine times."""
    lines = ['a0: &a0 ["lol"]']
    for level in range(1, levels):
        refs = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return ("\n".join(lines) + "\n").encode()


# -- the driver ------------------------------------------------------------------------

Mutator = Callable[[bytes, Any, list[Any], Any], st.SearchStrategy[tuple[bytes, str]]]


def _structural(
    original: bytes, tree: Any, pool: list[Any], values: st.SearchStrategy[Any]
) -> st.SearchStrategy[tuple[bytes, str]]:
    return structural_mutation(tree, pool, values)


def _bytes(
    original: bytes, tree: Any, pool: list[Any], values: st.SearchStrategy[Any]
) -> st.SearchStrategy[tuple[bytes, str]]:
    return byte_mutation(original)


MUTATORS: dict[str, Mutator] = {"structural": _structural, "bytes": _bytes}


def rule_files(directory: Path) -> list[str]:
    """The YAML files of a rule set, relative to it (case files excluded)."""
    return sorted(
        str(p.relative_to(directory))
        for p in directory.rglob("*.yaml")
        if p.relative_to(directory).parts[0] not in {"tests", "examples"}
    )


def fuzz_rule_files(
    source: Path,
    *,
    kind: str,
    max_examples: int,
    files: list[str] | None = None,
    shrink: bool = True,
    load: Loader = load_rule_set,
    case_seconds: float = CASE_SECONDS,
) -> int:
    """Mutate one file of a copy of ``source`` per case; check the contract on each.

    ``kind`` is ``"structural"`` or ``"bytes"``. Returns how many cases ran; raises
    :class:`ContractViolation` (after Hypothesis has shrunk it) on the first failure.
    ``load`` is the loader under test (a planted-bug test passes a broken one).
    """
    mutate = MUTATORS[kind]
    pristine = load_rule_set(source)
    names = files or rule_files(source)
    with tempfile.TemporaryDirectory(prefix="fuzz-") as scratch:
        work = Path(scratch) / source.name
        shutil.copytree(source, work)
        originals = {name: (work / name).read_bytes() for name in names}
        trees = {name: yaml.safe_load(data) for name, data in originals.items()}
        pool = scalar_pool(list(trees.values()))
        values = values_strategy(pool)
        edits = {name: mutate(originals[name], trees[name], pool, values) for name in names}
        ran = 0

        phases = [Phase.explicit, Phase.generate, *([Phase.shrink] if shrink else [])]

        @settings(
            max_examples=max_examples,
            deadline=None,  # the per-case timer in check_loader bounds each case
            phases=phases,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(data=st.data())
        def one_case(data: st.DataObject) -> None:
            nonlocal ran
            name = data.draw(st.sampled_from(names), label="file")
            mutated, how = data.draw(edits[name], label="edit")
            target = work / name
            target.write_bytes(mutated)
            try:
                ran += 1
                check_loader(
                    work,
                    context=f"[{kind} fuzz of {name}: {how}; input starts {mutated[:160]!r}]",
                    pristine=pristine,
                    changed=mutated != originals[name],
                    load=load,
                    case_seconds=case_seconds,
                )
            finally:
                target.write_bytes(originals[name])

        one_case()
    CASES[f"loader/{kind}"] += ran
    return ran
