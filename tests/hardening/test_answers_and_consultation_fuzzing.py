"""Fuzzing the readers of what a consultation produces: answers and saved consultation files.

Contract: an answers mapping parses or raises AnswersError; an answers file given to
the CLI gives exit 0 or 2 with a message and no traceback; a consultation file reads as
a Consultation (which then reconciles and evaluates against the rule set, as opening
it in the window does) or raises InputError, and is never changed by the attempt.
"""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from decision_aid.cli import main
from decision_aid.domain import AnswersError, InputError, evaluate, load_rule_set, parse_answers
from decision_aid.domain.consultation import Consultation
from decision_aid.storage.consultation_file import read_consultation
from tests.conftest import MINI
from tests.hardening.harness import (
    CASE_SECONDS,
    CASES,
    budget,
    byte_mutation,
    flat_values_strategy,
    scalar_pool,
    time_limit,
)

RULES = load_rule_set(MINI)
QUESTION_IDS = sorted(RULES.questionnaire.by_id)
POOL = scalar_pool([json.loads(json.dumps(RULES.questionnaire.model_dump(), default=str))])
VALUES = flat_values_strategy(POOL)
KEYS = st.one_of(st.sampled_from(QUESTION_IDS), st.text(max_size=8), st.integers(), st.none())
FUZZ = settings(deadline=None, database=None, suppress_health_check=list(HealthCheck))
NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def _valid_consultation() -> Consultation:
    consultation = Consultation.new(RULES, now=NOW)
    for key, value in {"diagnosis": "a", "tried": "yes", "age": 40, "goals": ["pain"]}.items():
        consultation = consultation.with_answer(key, value, now=NOW)
    return consultation.with_notes("notes", now=NOW)


VALID = _valid_consultation()
VALID_BYTES = VALID.to_json().encode()


def _json_paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    paths = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            paths += _json_paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            paths += _json_paths(value, (*prefix, index))
    return paths


@st.composite
def consultation_files(draw: st.DrawFn) -> bytes:
    """Binary garbage, a damaged valid file, or valid JSON with one part swapped."""
    kind = draw(st.sampled_from(["garbage", "bytes", "swap", "swap", "nest"]))
    if kind == "garbage":
        return draw(st.binary(max_size=200))
    if kind == "bytes":
        return draw(byte_mutation(VALID_BYTES))[0]
    data = json.loads(VALID_BYTES)
    path = draw(st.sampled_from(_json_paths(data)))
    value = draw(VALUES)
    if kind == "nest":
        depth = draw(st.sampled_from([10, 200, 1_000, 100_000]))
        value = json.loads("[" * depth + "]" * depth) if depth < 900 else None
        if value is None:  # json.dumps cannot build it either; splice the text in
            text = json.dumps(data)
            assert '"notes": "notes"' in text
            return text.replace(
                '"notes": "notes"', '"notes": ' + "[" * depth + "]" * depth
            ).encode()
    if not path:
        data = value
    else:
        node = data
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value
    return json.dumps(data, default=str).encode()


@settings(FUZZ, max_examples=budget(800))
@given(raw=st.dictionaries(KEYS, VALUES, max_size=6))
def test_parse_answers_accepts_or_refuses_any_mapping_with_an_answers_error(raw: Any) -> None:
    CASES["answers/mapping"] += 1
    with time_limit(CASE_SECONDS):
        refused: str | None = None
        try:
            answers = parse_answers(RULES.questionnaire, raw)
        except AnswersError as error:
            refused = str(error)
        if refused is not None:
            assert refused, "an AnswersError says what is wrong"
            return
        assert set(answers.to_data()) <= set(QUESTION_IDS)
        assessment = evaluate(RULES, answers, RULES.default_settings())
        assert assessment.outcome.id in RULES.level_rank


@settings(FUZZ, max_examples=budget(800))
@given(data=consultation_files())
def test_consultation_file_reads_or_is_refused_with_input_error_and_is_never_changed(
    data: bytes,
) -> None:
    CASES["consultation/file"] += 1
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "consultation.json"
        path.write_bytes(data)
        with time_limit(CASE_SECONDS):
            refused = ""
            try:
                consultation = read_consultation(path)
            except InputError as error:
                refused, consultation = str(error), None
            assert consultation is not None or refused.startswith(f"{path}: ")
            if consultation is not None:  # what opening it in the window does next
                reconciled = consultation.reconcile(RULES)
                evaluate(RULES, reconciled.answers, consultation.valid_settings(RULES))
        assert path.read_bytes() == data


@st.composite
def answers_files(draw: st.DrawFn) -> bytes:
    example = b'diagnosis: a\ntried: "yes"\nsex: female\npregnant: unknown\nage: 40\n'
    if draw(st.booleans()):
        return draw(byte_mutation(example))[0]
    raw = draw(st.one_of(st.dictionaries(KEYS, VALUES, max_size=5), VALUES))
    return json.dumps(raw, default=str).encode()  # JSON is YAML


@settings(FUZZ, max_examples=budget(100))
@given(data=answers_files())
def test_cli_evaluate_answers_garbage_exits_0_or_2_with_a_message_and_no_traceback(
    data: bytes,
) -> None:
    CASES["answers/cli"] += 1
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "answers.yaml"
        path.write_bytes(data)
        out, err = io.StringIO(), io.StringIO()
        with (
            time_limit(CASE_SECONDS),
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
        ):
            code = main(["evaluate", "--rules", str(MINI), str(path)])
        assert "Traceback" not in out.getvalue() + err.getvalue()
        if code == 0:
            assert out.getvalue().strip()
        else:
            assert code == 2
            assert err.getvalue().strip()
        assert path.read_bytes() == data


# -- the cases the fuzzing found, kept as plain tests ----------------------------------


@pytest.mark.parametrize("value", [10**400, -(10**400), 2**1100])
def test_a_number_too_large_for_a_float_is_refused_as_a_bad_answer(value: int) -> None:
    with pytest.raises(AnswersError, match="'age'"):
        parse_answers(RULES.questionnaire, {"age": value})


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_a_deeply_nested_consultation_file_is_refused_as_unreadable(
    depth: int, tmp_path: Path
) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"schema_version": 1, "answers": ' + "[" * depth + "]" * depth + "}")
    with pytest.raises(InputError, match="not a readable consultation file"):
        read_consultation(path)
