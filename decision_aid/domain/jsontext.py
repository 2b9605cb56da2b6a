"""Strict JSON: the one reader for every JSON text that comes from outside.

Python's ``json.loads`` keeps the last of two equal keys, so
``{"pregnancy": "pregnant", "pregnancy": "no"}`` reads as not pregnant; it also
accepts ``NaN`` and ``Infinity``, raises ``RecursionError`` on deep nesting, and
raises a bare ``ValueError`` on a number of more than 4,300 digits. :func:`loads_strict`
refuses all of these with a :class:`JsonError` that says what and where (the line,
and the path of keys to the duplicate), so every reader words them the same way.

The trade-off: the duplicate check runs in Python for every object (``object_pairs_hook``),
some 1.5 times the cost of plain ``json.loads``; consultation files and answers lines
are small, so safety wins.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable
from typing import Any

from decision_aid.domain.errors import InputError

__all__ = ["JsonError", "loads_strict"]


class JsonError(InputError):
    """A JSON text that is not one we read. ``line`` is 1-based, or ``None`` if unknown."""

    def __init__(self, message: str, *, line: int | None, source: str | None = None) -> None:
        self.line = line
        super().__init__(message, source=source)


class _Duplicate(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _Duplicate(key)
        result[key] = value
    return result


def _constant(name: str) -> Any:
    raise ValueError(f"'{name}' is not a JSON number")


class _Marked(dict[str, Any]):
    """The object in which a duplicate key was met (the second, diagnostic read)."""


def _marking(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            return _Marked(pairs)
        result[key] = value
    return result


def _path_to(node: Any, key: str) -> list[str] | None:
    if isinstance(node, _Marked):
        return [key]
    if isinstance(node, dict):
        children: Iterable[tuple[Any, Any]] = node.items()
    elif isinstance(node, list):
        children = enumerate(node)
    else:
        return None
    for name, value in children:
        inner = _path_to(value, key)
        if inner is not None:
            return [str(name), *inner]
    return None


def _where(text: str, key: str) -> str:
    """Where the duplicate ``key`` sits, as ``answers.pregnancy``: read again, marking it."""
    try:  # only on the error path, and the text parsed once already
        path = _path_to(json.loads(text, object_pairs_hook=_marking), key)
    except (ValueError, RecursionError):
        path = None
    return ".".join(path) if path else key


def _line_of_key(text: str, key: str) -> int | None:
    """The line of the second ``"key":`` in the text (a good guess, not a parse)."""
    found = list(
        itertools.islice(
            re.finditer(re.escape(json.dumps(key, ensure_ascii=False)) + r"\s*:", text), 2
        )
    )
    return text.count("\n", 0, found[1].start()) + 1 if len(found) == 2 else None


def loads_strict(text: str, *, source: str | None = None) -> Any:
    """Parse one JSON text; raise :class:`JsonError` for anything we do not read.

    Refused: bad syntax, two equal keys in one object, ``NaN`` / ``Infinity``, nesting
    deeper than the reader goes, numbers too long to convert, and half characters
    (a lone ``\\ud800`` escape), which no UTF-8 file can hold.
    """
    try:
        data = json.loads(text, object_pairs_hook=_pairs, parse_constant=_constant)
    except _Duplicate as duplicate:
        where = _where(text, duplicate.key)
        line = _line_of_key(text, duplicate.key)
        at = f"line {line}: " if line else ""
        raise JsonError(
            f"{at}the key '{where}' is given twice; which one is meant is unclear, so "
            "the file is not read",
            line=line,
            source=source,
        ) from None
    except json.JSONDecodeError as error:
        raise JsonError(
            f"line {error.lineno}: not JSON: {error.msg}", line=error.lineno, source=source
        ) from None
    except RecursionError:  # deeper than the JSON reader goes: not one of our files
        raise JsonError("it is nested too deeply", line=None, source=source) from None
    except ValueError as error:  # NaN/Infinity, or more digits than Python converts (4,300)
        message = str(error) if "JSON number" in str(error) else "a number too long to read"
        raise JsonError(f"not JSON we read: {message}", line=None, source=source) from None
    if _SURROGATE.search(text) and not _all_text(data):
        escape = _SURROGATE.search(text)
        assert escape is not None
        line = text.count("\n", 0, escape.start()) + 1
        raise JsonError(
            f"line {line}: not JSON we read: an escape such as {escape.group()} that is half "
            "of a character, not a character",
            line=line,
            source=source,
        )
    return data


# ``\ud800``-``\udfff`` escape half a character; JSON allows one alone, UTF-8 text cannot
# hold it, so a value that carries it would break the first write.
_SURROGATE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _all_text(node: Any) -> bool:
    """Whether every string in ``node`` (keys too) can be written as UTF-8."""
    if isinstance(node, str):
        try:
            node.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(node, dict):
        return all(_all_text(k) and _all_text(v) for k, v in node.items())
    if isinstance(node, list):
        return all(_all_text(item) for item in node)
    return True
