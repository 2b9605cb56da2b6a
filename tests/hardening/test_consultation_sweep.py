"""Sweeps of hostile consultation files and JSONL streams, and proof they can fail.

The sweeps take the function under test as a parameter; the planted-bug tests at the
end pass weakened readers (plain ``json.loads``, no date check, a crash in a message)
and check that the sweep reports each.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from decision_aid.cli import main
from decision_aid.domain import evaluate, load_rule_set
from decision_aid.domain.consultation import Consultation
from decision_aid.domain.errors import InputError
from decision_aid.domain.questionnaire import parse_answers
from decision_aid.storage.consultation_file import read_consultation
from tests.conftest import MINI
from tests.hardening.consultation_sweep import (
    BAD_LINES,
    Case,
    Reader,
    consultation_cases,
    jsonl_streams,
    sweep_consultations,
    sweep_jsonl,
)
from tests.hardening.harness import CASES, budget

RULES = load_rule_set(MINI)
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
VALID = (
    Consultation.new(RULES, now=NOW)
    .with_answer("diagnosis", "a", now=NOW)
    .with_answer("goals", ["pain"], now=NOW)
    .with_override(
        "stop",
        "Declined.",
        clinician="Dr A",
        assessment=evaluate(RULES, parse_answers(RULES.questionnaire, {"diagnosis": "a"})),
        now=NOW,
    )
    .with_notes("notes", now=NOW)
)
CONSULTATION_CASES = consultation_cases(VALID, RULES, now=NOW)


def _only(*kinds: str) -> list[Case]:
    """The cases of some kinds: a planted bug is sought where it would show, quickly."""
    return [case for case in CONSULTATION_CASES if case.kind in kinds]


FUZZ = settings(deadline=None, database=None, suppress_health_check=list(HealthCheck))


def _real_reader(tmp: Path) -> Reader:
    """The window's open path: bytes on disk, read by ``read_consultation``."""

    def read(data: bytes) -> Consultation:
        path = tmp / "opened.json"
        path.write_bytes(data)
        return read_consultation(path, now=NOW)

    return read


def _cli(data: bytes) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    saved = sys.stdin
    sys.stdin = stdin
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["evaluate", "--jsonl", "--rules", str(MINI)])
    finally:
        sys.stdin = saved
    return code, out.getvalue(), err.getvalue()


def test_every_hostile_consultation_file_gets_its_verdict(tmp_path: Path) -> None:
    report = sweep_consultations(_real_reader(tmp_path), CONSULTATION_CASES)
    CASES.update({f"consultation/{k}": n for k, n in report.tried.items()})
    print(f"consultation sweep: {report.summary()} in {report.seconds:.2f} s")
    assert not report.failures, "\n".join(report.failures[:20])
    assert sum(report.tried.values()) >= 100


@settings(FUZZ, max_examples=budget(300))
@given(
    moment=st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)),
    zone=st.none() | st.timezones(),
    field=st.sampled_from(["created", "updated", "overrides.0.at"]),
)
def test_any_date_is_read_only_when_zoned_and_plausible(
    moment: datetime, zone: Any, field: str
) -> None:
    CASES["consultation/date-property"] += 1
    data = json.loads(VALID.to_json())
    stamped = moment.replace(tzinfo=zone) if zone is not None else moment
    *parents, last = field.split(".")
    node = data
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    try:
        node[last] = stamped.isoformat()
    except (OverflowError, ValueError):  # a zone that cannot place this moment
        return
    text = json.dumps(data)
    aware = stamped.tzinfo is not None and stamped.utcoffset() is not None
    try:
        plausible = aware and datetime(2000, 1, 1, tzinfo=UTC) <= stamped <= NOW + timedelta(1)
    except OverflowError:
        plausible = False
    refused = ""
    try:
        read = Consultation.from_json(text, now=NOW)
    except InputError as error:
        refused = str(error)
    if refused:
        assert not plausible, f"refused a plausible date {stamped}: {refused}"
        assert f"({field}): " in refused, refused
    else:
        assert plausible, f"read an implausible date {stamped}"
        assert read.updated.tzinfo is not None


STREAM_KINDS = st.sampled_from(
    ["good"] + [f"{kind}:{i}" for kind, lines in BAD_LINES.items() for i in range(len(lines))]
)


def test_jsonl_streams_mixing_good_and_bad_lines_answer_each_line_alone() -> None:
    # Every bad line once, each between good lines, plus runs of bad lines together.
    kinds = ["good"]
    for kind, lines in BAD_LINES.items():
        for index in range(len(lines)):
            kinds += [f"{kind}:{index}", "good"]
    streams = [jsonl_streams(kinds), jsonl_streams(["good"] * 3), jsonl_streams(kinds[1::2])]
    report = sweep_jsonl(_cli, streams)
    CASES.update({f"jsonl/{k}": n for k, n in report.tried.items()})
    print(f"jsonl sweep: {report.summary()} in {report.seconds:.2f} s")
    assert not report.failures, "\n".join(report.failures[:20])


@settings(FUZZ, max_examples=budget(40))
@given(kinds=st.lists(STREAM_KINDS, min_size=1, max_size=12))
def test_any_mix_of_jsonl_lines_answers_each_line_alone(kinds: list[str]) -> None:
    CASES["jsonl/mixed"] += len(kinds)
    report = sweep_jsonl(_cli, [jsonl_streams(kinds)])
    assert not report.failures, "\n".join(report.failures[:20])


# -- the sweeps can fail: planted bugs, through the reader parameter --------------------


def _plain_json_reader(data: bytes) -> Consultation:
    """The bug: plain ``json.loads`` (last key wins) and pydantic on the result."""
    try:
        return Consultation.model_validate(json.loads(data))
    except ValueError as error:  # ValidationError and JSONDecodeError are ValueErrors
        raise InputError(str(error)) from None


def test_the_sweep_reports_a_reader_built_on_plain_json_loads() -> None:
    report = sweep_consultations(_plain_json_reader, CONSULTATION_CASES)
    accepted = [f for f in report.failures if f.startswith("duplicate-key")]
    assert len(accepted) == report.tried["duplicate-key"], "every key given twice is caught"
    assert all("read a file that must be refused" in f for f in accepted)
    assert any(f.startswith("date ") and "is in the future" in f for f in report.failures)


def test_the_sweep_reports_a_reader_that_skips_the_future_check(tmp_path: Path) -> None:
    real = _real_reader(tmp_path)

    def far_clock(data: bytes) -> Consultation:  # the bug: a reader whose clock is ~never
        path = tmp_path / "c.json"
        path.write_bytes(data)
        return read_consultation(path, now=datetime(9999, 12, 30, tzinfo=UTC))

    report = sweep_consultations(far_clock, _only("date"))
    missed = [f for f in report.failures if "is in the future" in f]
    assert len(missed) == 9, "every date after the real clock, before the fake one, is caught"
    assert sweep_consultations(real, _only("date")).failures == []


def test_the_sweep_reports_an_exception_that_escapes_the_reader(tmp_path: Path) -> None:
    real = _real_reader(tmp_path)

    def crashing(data: bytes) -> Consultation:  # the bug: a KeyError on an odd override
        consultation = real(data)
        if consultation.override is not None and len(consultation.override.level) > 100:
            raise KeyError(consultation.override.level[:10])
        return consultation

    report = sweep_consultations(crashing, _only("override-level", "oversize"))
    assert any("KeyError escaped" in f for f in report.failures)


def test_the_sweep_reports_an_override_shown_whatever_its_level(tmp_path: Path) -> None:
    real = _real_reader(tmp_path)

    def showing(data: bytes) -> Consultation:  # the bug: a file's level made a real one
        consultation = real(data)
        override = consultation.override
        if override is None or override.level in RULES.levels_by_id:
            return consultation
        shown = [*consultation.overrides[:-1], override.model_copy(update={"level": "go"})]
        return consultation.model_copy(update={"overrides": shown})

    report = sweep_consultations(showing, _only("override-level"))
    assert sum("override-level" in f for f in report.failures) == 9


def test_the_jsonl_sweep_reports_a_runner_on_plain_json_loads() -> None:
    def plain(data: bytes) -> tuple[int, str, str]:  # the bug: text mode, last key wins
        code, lines = 0, []
        for number, line in enumerate(data.decode("utf-8", "replace").splitlines(), 1):
            try:
                raw = json.loads(line)
                lines.append(json.dumps({"outcome": "go", "raw": str(raw)[:20]}))
            except (ValueError, RecursionError) as error:
                code = 2
                lines.append(json.dumps({"error": f"line {number}: {error}"}))
        return code, "\n".join(lines) + "\n", ""

    kinds = ["good"] + [f"{k}:{i}" for k, v in BAD_LINES.items() for i in range(len(v))]
    report = sweep_jsonl(plain, [jsonl_streams(kinds)])
    joined = "\n".join(report.failures)
    assert "duplicate line" in joined
    assert "bad-utf8 line" in joined
    assert report.clean["good"] == 1
