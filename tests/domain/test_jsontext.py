"""Strict JSON: one reader for every JSON text from outside, and what it refuses."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from decision_aid.domain.errors import InputError
from decision_aid.domain.jsontext import JsonError, loads_strict

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=6),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=12,
)


@given(value=JSON)
def test_whatever_json_dumps_writes_reads_back_the_same(value: Any) -> None:
    assert loads_strict(json.dumps(value)) == value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '{"pregnancy": "pregnant", "pregnancy": "no"}',
            "line 1: the key 'pregnancy' is given twice",
        ),
        (
            '{"answers": {\n  "age": 40,\n  "age": 41\n}}',
            "line 3: the key 'answers.age' is given twice",
        ),
        ('[{"a": 1}, {"b": {"c": 1, "c": 1}}]', "line 1: the key '1.b.c' is given twice"),
        ("[NaN]", "not JSON we read: 'NaN' is not a JSON number"),
        ('{"age": -Infinity}', "not JSON we read: '-Infinity' is not a JSON number"),
        ('{"age": 1' + "0" * 5_000 + "}", "not JSON we read: a number too long to read"),
        ("[" * 100_000 + "]" * 100_000, "it is nested too deeply"),
        ('{"a": 1', "line 1: not JSON: Expecting ',' delimiter"),
        ('{\n"\\ud800": 1}', "line 2: not JSON we read: an escape such as \\ud800 that is half"),
        ('["ok", "\\udfffx"]', "line 1: not JSON we read: an escape such as \\udfff"),
        ("", "line 1: not JSON: Expecting value"),
    ],
)
def test_what_is_refused_is_said_with_its_key_and_line(text: str, message: str) -> None:
    with pytest.raises(JsonError) as caught:
        loads_strict(text, source="c.json")
    assert isinstance(caught.value, InputError)
    assert str(caught.value).startswith(f"c.json: {message}"), str(caught.value)


def test_a_pair_of_escapes_that_make_one_character_is_read() -> None:
    assert loads_strict('["\\ud83d\\ude00", "\\\\ud800"]') == ["\U0001f600", "\\ud800"]


@given(key=st.text(min_size=1, max_size=8), first=JSON, second=JSON, depth=st.integers(0, 4))
def test_a_key_given_twice_at_any_depth_is_refused_and_named(
    key: str, first: Any, second: Any, depth: int
) -> None:
    text = (
        "{"
        + f"{json.dumps(key)}: {json.dumps(first)}, {json.dumps(key)}: {json.dumps(second)}"
        + "}"
    )
    for level in range(depth):
        text = f'{{"level{level}": {text}}}' if level % 2 else f"[1, {text}]"
    with pytest.raises(JsonError, match="is given twice"):
        loads_strict(text)
