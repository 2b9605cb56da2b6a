"""Pydantic validation with errors mapped to file:line:column and plain messages.

Rule authors never see raw pydantic text: each error's ``loc`` is walked back to
the YAML node it came from, and each error type gets a sentence that says what
to write instead, with "did you mean …?" for misspelt keys.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from decision_aid.domain import conditions, leaflet, questionnaire, rules
from decision_aid.domain.errors import Problem
from decision_aid.domain.yamlsource import Document, YamlPath

__all__ = ["did_you_mean", "validate"]

T = TypeVar("T")

_TYPE_WORDS = {
    "string_type": "text",
    "int_type": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "list_type": "a list",
    "tuple_type": "a list",
    "dict_type": "a mapping of keys to values",
    "model_type": "a mapping of keys to values",
    "mapping_type": "a mapping of keys to values",
    "model_attributes_type": "a mapping of keys to values",
}


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


@cache
def _known_keys() -> frozenset[str]:
    keys: set[str] = {"rules", "references", "sections", "cases", "base_answers", "name", "answers"}
    keys |= {"expect", "fired", "outcome", "settings", "note", "properties"}
    modules = (conditions, questionnaire, rules, leaflet)
    for module in modules:
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, BaseModel):
                for name, info in value.model_fields.items():
                    keys.add(info.alias or name)
    return frozenset(keys)


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    if value is None:
        return "nothing"
    return repr(value)


def _field(loc: tuple[Any, ...]) -> str:
    for part in reversed(loc):
        if isinstance(part, str) and not part[:1].isupper():
            return part
    return "value"


def _condition_advice(value: Any) -> str:
    """For a mapping that is no condition: the misspelt operator or combination, if any."""
    if not isinstance(value, dict):
        return ""
    words = conditions.CONDITION_KEYS
    for key in value:
        if isinstance(key, str) and key not in (*words, "question"):
            close = difflib.get_close_matches(key, words, n=1, cutoff=0.6)
            if close:
                return f"'{key}' is not a condition word; did you mean '{close[0]}'? ("
    return ""


def _number_advice(name: str, value: Any, question: tuple[str, str] | None) -> str | None:
    """``is: 40`` on a number question: the operators that fit, rather than quoting."""
    if question is None or question[1] != "number" or name not in ("is", "in"):
        return None
    shown = value if isinstance(value, int | float) and not isinstance(value, bool) else "N"
    return (
        f"'{name}' does not fit number question '{question[0]}'; write at_least: {shown} or "
        f"at_most: {shown} (both, under all:, for a range)"
    )


def _message(error: Any, question: tuple[str, str] | None = None) -> str:
    """``question`` is the (id, type) of the question a failing predicate names, if known."""
    kind: str = error["type"]
    loc: tuple[Any, ...] = error["loc"]
    value = error.get("input")
    name = _field(loc)
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return f"missing required key '{name}'"
    if kind == "extra_forbidden":
        return f"unknown key '{name}'{did_you_mean(name, _known_keys())}"
    if kind in {"string_type", "tuple_type"} and (advice := _number_advice(name, value, question)):
        return advice
    if kind in _TYPE_WORDS:
        hint = ""
        if kind == "string_type" and isinstance(value, bool | int | float):
            hint = f'; quote it: "{value}"' if not isinstance(value, bool) else "; quote it"
        if kind == "bool_type" and isinstance(value, str):
            hint = "; write true or false (yes/no are text here)"
        return f"'{name}' must be {_TYPE_WORDS[kind]}, got {_shown(value)}{hint}"
    if kind == "enum":
        return f"'{name}' must be one of {ctx.get('expected', '?')}, got {_shown(value)}"
    if kind in {"string_too_short", "too_short"}:
        return f"'{name}' must not be empty"
    if kind == "string_pattern_mismatch":
        return (
            f"{_shown(value)} is not a valid '{name}': use lower-case letters, digits, "
            "'_', '-' or '.', starting with a letter or digit"
            if name != "version"
            else f'{_shown(value)} is not a version like "1.2.0"'
        )
    if kind == "condition_shape":
        advice = _condition_advice(value)
        return f"{advice}{error['msg']})" if advice else str(error["msg"])
    if kind.startswith("date"):
        return f"'{name}' must be a date like 2026-11-24, got {_shown(value)}"
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    return f"'{name}': {error['msg']}"


def _predicate_question(
    document: Document, path: YamlPath, question_types: Mapping[str, str]
) -> tuple[str, str] | None:
    """The (id, type) of the question named by the mapping that holds ``path``'s value."""
    node: Any = document.data
    for part in path[:-1]:  # a path from Document.resolve: every part is in the data
        node = node[part] if isinstance(node, dict) or isinstance(part, int) else None
    question = node.get("question") if isinstance(node, dict) else None
    if isinstance(question, str) and question in question_types:
        return question, question_types[question]
    return None


def _blank_beside_missing(errors: list[Any]) -> list[Any]:
    """A missing key is the problem to show: an empty value in the same item is left out,
    for it is often the key's value written under the wrong name."""
    missing = {tuple(e["loc"][:-1]) for e in errors if e["type"] == "missing"}
    return [
        e
        for e in errors
        if not (
            e["type"] in {"string_too_short", "too_short"}
            and any(tuple(e["loc"][: len(m)]) == m for m in missing)
        )
    ]


def validate(
    adapter: TypeAdapter[T],
    data: Any,
    document: Document,
    prefix: YamlPath = (),
    *,
    question_types: Mapping[str, str] | None = None,
) -> tuple[T | None, list[Problem]]:
    """Validate ``data`` (found at ``prefix`` in ``document``); map errors to positions.
    ``question_types`` (question id → type) lets a predicate's advice fit its question."""
    try:
        return adapter.validate_python(data), []
    except ValidationError as exc:
        problems = []
        for error in _blank_beside_missing(exc.errors()):
            loc = (*prefix, *error["loc"])
            path = document.resolve(loc)
            key = error["type"] == "extra_forbidden" and path[-1:] == loc[-1:]
            code = "unknown-key" if error["type"] == "extra_forbidden" else "schema"
            if error["type"] == "missing":
                code = "missing-key"
            question = (
                _predicate_question(document, path, question_types) if question_types else None
            )
            problems.append(document.problem(path, code, _message(error, question), key=key))
        return None, problems
