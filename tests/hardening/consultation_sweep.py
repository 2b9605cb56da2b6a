"""Sweeps of hostile consultation files and JSONL streams, with the reader as a parameter.

Each sweep builds many hostile inputs of one class, each with the verdict it must get:
refused with an :class:`InputError` that names the field (or key, or line), or read, with
a check of what was read. Nothing else may come out: no other exception, no silent
acceptance of a file that must be refused, no case slower than :data:`CASE_SECONDS`.

The function under test is a parameter (a *reader* of consultation bytes, a *runner*
of a JSONL stream), so the planted-bug tests can pass a deliberately weakened one
(a reader on plain ``json.loads``) and check that the sweep reports it.
"""

from __future__ import annotations

import copy
import json
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from decision_aid.domain import RuleSet
from decision_aid.domain.consultation import (
    MAX_ANSWERS,
    MAX_ITEMS,
    MAX_KEY_LENGTH,
    MAX_LABEL_LENGTH,
    MAX_NAME_LENGTH,
    MAX_NOTES_LENGTH,
    MAX_OVERRIDES,
    MAX_REASON_LENGTH,
    MAX_SETTINGS,
    MAX_TEXT_LENGTH,
    Consultation,
)
from decision_aid.domain.errors import InputError
from tests.hardening.harness import CASE_SECONDS, CaseTimeout, time_limit

__all__ = [
    "Case",
    "Reader",
    "Runner",
    "SweepReport",
    "consultation_cases",
    "jsonl_streams",
    "sweep_consultations",
    "sweep_jsonl",
]

Reader = Callable[[bytes], Consultation]
"""Reads a consultation file's bytes; refuses with :class:`InputError`."""
Runner = Callable[[bytes], tuple[int, str, str]]
"""Runs ``evaluate --jsonl`` on a stream: (exit code, stdout, stderr)."""


@dataclass(frozen=True)
class Case:
    """One hostile input: ``refuse`` holds the texts the refusal must contain (in order),
    or is ``None`` when the file must be read (then ``check`` judges what was read)."""

    kind: str
    note: str
    data: bytes
    refuse: tuple[str, ...] | None
    check: Callable[[Consultation], str | None] | None = None


@dataclass
class SweepReport:
    tried: Counter[str] = field(default_factory=Counter)
    clean: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        kinds = ", ".join(f"{k} {self.clean[k]}/{self.tried[k]}" for k in sorted(self.tried))
        return f"{sum(self.clean.values())}/{sum(self.tried.values())} clean ({kinds})"


# -- consultation files -----------------------------------------------------------------


def _objects(node: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _objects(value, (*path, key))


def _with_duplicate(text: str, path: tuple[str, ...], key: str, value: Any) -> str:
    """The file's JSON with ``"key": value`` written a second time in the object at ``path``."""
    data = json.loads(text)
    marker = "\u0000duplicate\u0000"
    node = data
    for part in path:
        node = node[part]
    node[marker] = value
    dumped = json.dumps(data, indent=2)
    return dumped.replace(json.dumps(marker), json.dumps(key))


def _edit(base: dict[str, Any], dotted: str, value: Any) -> bytes:
    data = copy.deepcopy(base)
    *parents, last = dotted.split(".")
    node = data
    for part in parents:
        if isinstance(node, list):  # "overrides.0.at": an item of a list
            node = node[int(part)]
            continue
        if not isinstance(node.get(part), dict | list):
            node[part] = {}
        node = node[part]
    node[int(last) if isinstance(node, list) else last] = value
    return json.dumps(data).encode()


def _never_shown(rule_set: RuleSet) -> Callable[[Consultation], str | None]:
    def check(consultation: Consultation) -> str | None:
        reconciled = consultation.reconcile(rule_set)
        if reconciled.override is not None or consultation.valid_override(rule_set) is not None:
            return "an override that is no level would be shown"
        if not any("is not an outcome of this rule set" in n for n in reconciled.notices):
            return "no notice says the override was set aside"
        return None

    return check


def consultation_cases(valid: Consultation, rule_set: RuleSet, *, now: datetime) -> list[Case]:
    """Every class of hostile consultation file, built from the valid ``valid``."""
    text = valid.to_json()
    base = json.loads(text)
    cases: list[Case] = []
    # A key given twice, in every object of the file, with a value that would pass.
    for path, node in _objects(base):
        for key, value in node.items():
            twin = copy.deepcopy(value)
            data = _with_duplicate(text, path, key, twin).encode()
            where = ".".join((*path, key))
            cases.append(Case("duplicate-key", where, data, (f"the key '{where}' is given twice",)))
    # Dates: no zone, implausibly early, in the future of the reader's clock, not dates.
    dates: list[tuple[Any, str]] = [
        ("2026-01-01T10:00:00", "has no time zone"),
        ("2026-01-01 10:00", "has no time zone"),
        ("1999-12-31T23:59:59Z", "is before 2000"),
        ("0001-01-01T00:00:00+00:00", "is before 2000"),
        (0, "is before 2000"),
        (-1, "is before 2000"),
        ((now + timedelta(days=1, minutes=1)).isoformat(), "is in the future"),
        ((now + timedelta(days=400)).isoformat(), "is in the future"),
        ("9999-12-31T23:59:59-23:59", "is in the future"),
        ("9999-12-31T23:59:59+23:59", "is in the future"),
        (4_102_444_800, "is in the future"),  # 2100, as a Unix time
        ("yesterday", "is not a date and time"),
        ("", "is not a date and time"),
        ("2026-02-30T00:00:00Z", "is not a date and time"),
        (None, "is not a date and time"),
    ]
    fields = {
        "created": "the date it was started (created)",
        "updated": "the date it was last changed (updated)",
        "overrides.0.at": "the date of an override (overrides.0.at)",
    }
    with_override = {
        **base,
        "overrides": [{"level": rule_set.info.levels[0].id, "reason": "r", "at": base["updated"]}],
    }
    for dotted, words in fields.items():
        for value, message in dates:
            data = _edit(with_override, dotted, value)
            cases.append(Case("date", f"{dotted}={value!r}", data, (f"{words}: ", message)))
    # Ids that are not safe as a file name, a URL or a FHIR id.
    bad_ids = [
        "", "../../etc/passwd", "..", "/abs", "a/b", "a\\b", "C:x", "a b", "a\u0000b", "é",
        "a" * 65, "\u202e", "id.json", "con:", "%2e%2e", 5, None, ["a"], {"a": 1}, True,
    ]  # fmt: skip
    for bad in bad_ids:
        cases.append(Case("id", repr(bad), _edit(base, "id", bad), ("its id (id): ",)))
    # Override levels that are not levels: read, but never shown and never printed.
    levels = [
        "<b>best</b>", "unknown", "", " ", rule_set.info.levels[0].id.upper(),
        rule_set.info.levels[0].label, "go ", "\u202ego", "x" * 200, "javascript:alert(1)",
    ]  # fmt: skip
    for level in levels:
        override = {"level": level, "reason": "r", "at": base["updated"]}
        data = _edit(base, "overrides", [override])
        if level:
            cases.append(Case("override-level", repr(level), data, None, _never_shown(rule_set)))
        else:
            cases.append(Case("override-level", "empty", data, ("an override's outcome",)))
    # Fields past their limits.
    big: list[tuple[str, Any, str]] = [
        ("notes", "n" * (MAX_NOTES_LENGTH + 1), "the notes (notes): is longer than"),
        ("notes", "\u0000" * (MAX_NOTES_LENGTH + 1), "the notes (notes): is longer than"),
        ("patient_label", "p" * (MAX_LABEL_LENGTH + 1), "the patient label (patient_label)"),
        ("overrides", [{"level": "x", "reason": "r" * (MAX_REASON_LENGTH + 1),
                        "at": base["updated"]}],
         "an override's reason (overrides.0.reason): is longer than"),
        ("overrides", [{"level": "x", "reason": "r", "at": base["updated"],
                        "clinician": "c" * (MAX_NAME_LENGTH + 1)}],
         "the clinician of an override (overrides.0.clinician): is longer than"),
        ("overrides", [{"level": "x", "reason": "r", "at": base["updated"]}] * (MAX_OVERRIDES + 1),
         "the overrides (overrides): has more than"),
        ("settings", {f"s{i}": "v" for i in range(MAX_SETTINGS + 1)}, "the settings (settings)"),
        ("settings", {"s" * (MAX_TEXT_LENGTH + 1): "v"}, "the settings (settings."),
        ("rule_set.id", "r" * (MAX_TEXT_LENGTH + 1), "(rule_set.id): is longer than"),
        ("rule_set.version", "v" * (MAX_TEXT_LENGTH + 1), "(rule_set.version): is longer than"),
        ("answers", {"k" * (MAX_KEY_LENGTH + 1): "a"}, "the answers: an answer's question id"),
        ("answers", {"": "a"}, "the answers: an answer's question id"),
        ("answers", {"goals": ["pain"] * (MAX_ITEMS + 1)}, "has more than 64 items"),
        ("answers", {"age": "4" * (MAX_TEXT_LENGTH + 1)}, "is longer than 200 characters"),
        ("answers", {"goals": [["pain"]]}, "the answer to 'goals' is not an answer"),
        ("answers", {"goals": {"pain": True}}, "the answer to 'goals' is not an answer"),
        ("set_aside", {"old": [[1]]}, "the answer to 'old' is not an answer"),
        ("answers", {f"k{i:03}": ["x" * 200] * 64 for i in range(30)}, "they are too long"),
        ("notes", "\ud800", "half of a character"),
        ("answers", {"\udc80": "yes"}, "half of a character"),
    ]  # fmt: skip
    for dotted, value, message in big:
        cases.append(Case("oversize", dotted, _edit(base, dotted, value), (message,)))
    # Huge key counts, in answers, set aside, or both.
    for count in (MAX_ANSWERS + 1, 20_000, 200_000):
        many = {f"q{i}": 1 for i in range(count)}
        for dotted in ("answers", "set_aside"):
            data = _edit(base, dotted, many)
            cases.append(
                Case(
                    "key-count",
                    f"{dotted}:{count}",
                    data,
                    ("it holds ", " answers; a consultation holds at most 5000"),
                )
            )
    half = {f"q{i}": 1 for i in range(MAX_ANSWERS // 2 + 1)}
    split = _edit(json.loads(_edit(base, "answers", half)), "set_aside", {f"o{k}": 1 for k in half})
    cases.append(Case("key-count", "split", split, ("a consultation holds at most",)))
    # The limits themselves are fine: a file at every limit reads.
    at_limit = {
        **base,
        "notes": "n" * MAX_NOTES_LENGTH,
        "patient_label": "p" * MAX_LABEL_LENGTH,
        "answers": {f"q{i}": 1 for i in range(MAX_ANSWERS)},
    }
    cases.append(Case("at-limit", "every limit", json.dumps(at_limit).encode(), None))
    return cases


def _says(text: str, fragments: tuple[str, ...]) -> bool:
    at = 0
    for fragment in fragments:
        at = text.find(fragment, at)
        if at < 0:
            return False
        at += len(fragment)
    return True


def _judge_read(reader: Reader, case: Case) -> str | None:
    """``None`` when ``reader`` gave ``case`` its verdict, else what went wrong."""
    try:
        with time_limit(CASE_SECONDS):
            try:
                consultation = reader(case.data)
            except InputError as error:
                if case.refuse is None:
                    return f"refused a file that must be read: {error}"
                if not _says(str(error), case.refuse):
                    return f"refused without saying {' ... '.join(case.refuse)!r}: {error}"
                return None
            if case.refuse is not None:
                return f"read a file that must be refused ({case.refuse!r})"
            return case.check(consultation) if case.check else None
    except CaseTimeout as timeout:
        return f"took too long: {timeout}"
    except Exception as escaped:  # the point: nothing but InputError may come out
        detail = "".join(traceback.format_exception_only(escaped)).strip()
        return f"{type(escaped).__name__} escaped: {detail}"


def sweep_consultations(reader: Reader, cases: list[Case]) -> SweepReport:
    """Run every case through ``reader``; the report lists each case that went wrong."""
    report = SweepReport()
    start = time.monotonic()
    for case in cases:
        report.tried[case.kind] += 1
        wrong = _judge_read(reader, case)
        if wrong is None:
            report.clean[case.kind] += 1
        else:
            report.failures.append(f"{case.kind} {case.note}: {wrong}"[:400])
    report.seconds = time.monotonic() - start
    return report


# -- JSONL streams ----------------------------------------------------------------------

GOOD = b'{"diagnosis": "a", "tried": "yes", "sex": "male", "risk": "none", "age": 40}'
BAD_LINES: dict[str, list[tuple[bytes, str]]] = {
    "bad-utf8": [
        (b"\xff\xfe{}", "not UTF-8 text"),
        (b'{"diagnosis": "\xc3("}', "not UTF-8 text"),
        (b'{"age": 40}\xed\xa0\x80', "not UTF-8 text"),
        (b'{"diagnosis": "a\x80"}', "not UTF-8 text"),
        (b'{"\\ud800": 1}', "half of a character"),
        (b'{"diagnosis": "\\udfff"}', "half of a character"),
    ],
    "duplicate": [
        (b'{"age": 40, "age": 500}', "the key 'age' is given twice"),
        (b'{"pregnant": "yes", "sex": "female", "pregnant": "no"}', "'pregnant' is given twice"),
        (b'{"goals": ["pain"], "goals": []}', "the key 'goals' is given twice"),
        (b'{"x": {"a": 1, "a": 2}}', "the key 'x.a' is given twice"),
    ],
    "deep": [
        (b'{"age": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "nested too deeply"),
        (b"[" * 5_000 + b"]" * 5_000, "nested too deeply"),
        (b'{"goals": ' + b"[" * 60 + b"]" * 60 + b"}", "'goals'"),
    ],
    "not-json": [
        (b"{not json", "not JSON"),
        (b'{"age": NaN}', "'NaN' is not a JSON number"),
        (b'{"age": Infinity}', "'Infinity' is not a JSON number"),
        (b'{"age": 1' + b"0" * 5_000 + b"}", "a number too long to read"),
        (b"[1, 2]", "answers must be a mapping"),
        (b'"text"', "answers must be a mapping"),
        (b"\x00", "not JSON"),
    ],
    "bad-answer": [
        (b'{"diagnosys": "a"}', "'diagnosys' is not a question"),
        (b'{"age": "forty"}', "'age'"),
        (b'{"age": 1e999}', "'age'"),
    ],
}


def jsonl_streams(draw_kinds: list[str]) -> tuple[bytes, list[tuple[str, str | None]]]:
    """A stream of lines of the drawn kinds ("good" or a :data:`BAD_LINES` kind, with an
    index), and what each output line must be: ``(kind, expected error text)``."""
    lines: list[bytes] = []
    expected: list[tuple[str, str | None]] = []
    for drawn in draw_kinds:
        kind, _, index = drawn.partition(":")
        if kind == "good":
            lines.append(GOOD)
            expected.append(("good", None))
        else:
            line, message = BAD_LINES[kind][int(index) % len(BAD_LINES[kind])]
            lines.append(line)
            expected.append((kind, message))
    return b"\n".join(lines) + b"\n", expected


def sweep_jsonl(
    run: Runner, streams: list[tuple[bytes, list[tuple[str, str | None]]]]
) -> SweepReport:
    """Each stream through ``run``: one output line per input line, each good line an
    outcome, each bad one ``{"error": "line N: ..."}`` saying what, exit 2 if any was bad."""
    report = SweepReport()
    start = time.monotonic()
    for data, expected in streams:
        for kind, _ in expected:
            report.tried[kind] += 1
        try:
            with time_limit(CASE_SECONDS):
                code, out, err = run(data)
        except CaseTimeout as timeout:
            report.failures.append(f"stream took too long: {timeout}")
            continue
        except Exception as escaped:
            report.failures.append(f"{type(escaped).__name__} escaped the run: {escaped}"[:400])
            continue
        if "Traceback" in out + err:
            report.failures.append(f"a traceback: {(out + err)[-300:]}")
            continue
        results = []
        for text in out.splitlines():
            try:
                results.append(json.loads(text))
            except ValueError:
                results.append({"error": None, "unreadable": text[:80]})
        if len(results) != len(expected):
            report.failures.append(f"{len(results)} output lines for {len(expected)} input lines")
            continue
        want_code = 2 if any(message is not None for _, message in expected) else 0
        if code != want_code:
            report.failures.append(f"exit {code}, not {want_code}")
        for number, ((kind, message), result) in enumerate(zip(expected, results, strict=True), 1):
            wrong = _judge_line(number, message, result)
            if wrong is None:
                report.clean[kind] += 1
            else:
                report.failures.append(f"{kind} line {number}: {wrong}"[:400])
    report.seconds = time.monotonic() - start
    return report


def _judge_line(number: int, message: str | None, result: dict[str, Any]) -> str | None:
    if message is None:
        return None if "outcome" in result else f"a good line got {result}"
    error = result.get("error")
    if not isinstance(error, str):
        return f"accepted a line that must be refused ({message!r}): {str(result)[:120]}"
    if not error.startswith(f"line {number}: ") or message not in error:
        return f"error does not say 'line {number}: ...{message}...': {error}"
    return None
