"""Safe YAML reading with positions, for rule sets, case files and answers files.

PyYAML's LibYAML composer gives nodes with line and column in a few milliseconds;
ruamel's round-trip loader costs some 30 times more. We compose with LibYAML and
resolve scalars ourselves by the YAML 1.2 core schema, so ``no``, ``off`` and
``012`` stay text (YAML 1.1's Norway problem never reaches a rule).

Before composing, one pass over the event stream refuses what a rule file never
needs and an attacker would use: tags (``!!python/object``), anchors and aliases
(billion laughs), directives (``%YAML 1.1``), several documents, nesting deeper
than 50 and absurdly many events. Files over 1 MiB are refused before reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from decision_aid.domain.errors import Problem

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "Document",
    "Mark",
    "YamlPath",
    "dump_yaml",
    "parse_yaml",
    "read_yaml",
]

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 50
MAX_EVENTS = 50_000  # a rule file at the work limits has some 15,000
_TOO_DEEP = f"nesting deeper than {MAX_DEPTH} levels"

YamlPath = tuple[str | int, ...]

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TAGS = {
    yaml.ScalarNode: "tag:yaml.org,2002:str",
    yaml.SequenceNode: "tag:yaml.org,2002:seq",
    yaml.MappingNode: "tag:yaml.org,2002:map",
}


class _Loader(_Base):  # type: ignore[misc]
    """LibYAML's parser without PyYAML's YAML 1.1 resolver: :func:`_scalar` resolves plain
    scalars as YAML 1.2, and explicit tags are refused before composing, so the parser's
    per-node call to ``resolve`` (a Python regex search each) only has to name the kind."""

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: Any) -> str:
        return _TAGS[kind]


_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_WORDS = frozenset(("null", "Null", "NULL", *_BOOL))  # the words that are not text
_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_LEADING_ZERO = re.compile(r"^[-+]?0[0-9]")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")


@dataclass(frozen=True, order=True)
class Mark:
    """A 1-based line and column."""

    line: int
    column: int


@dataclass
class Document:
    """Plain data read from one YAML file, with the position of every key and value."""

    file: str
    data: Any
    # The parser's own 0-based marks, turned into a Mark only when one is asked for:
    # most of a file's thousands of positions are never needed.
    values: dict[YamlPath, Any] = field(default_factory=dict)
    keys: dict[YamlPath, Any] = field(default_factory=dict)

    def mark(self, path: YamlPath, *, key: bool = False) -> Mark:
        """The position of the value at ``path`` (or of its key), or of its nearest parent."""
        if key and path in self.keys:
            return _mark(self.keys[path])
        while path and path not in self.values:
            path = path[:-1]
        found = self.values.get(path)
        return Mark(1, 1) if found is None else _mark(found)

    def problem(self, path: YamlPath, code: str, message: str, *, key: bool = False) -> Problem:
        mark = self.mark(path, key=key)
        return Problem(self.file, mark.line, mark.column, code, message)

    def resolve(self, loc: tuple[Any, ...]) -> YamlPath:
        """The longest path into the data that ``loc`` names, skipping union tags."""
        node: Any = self.data
        path: YamlPath = ()
        for part in loc:
            found, child = _child(node, part)
            if found:
                node, path = child, (*path, part)
        return path


def _child(node: Any, part: Any) -> tuple[bool, Any]:
    if isinstance(node, dict) and isinstance(part, str) and part in node:
        return True, node[part]
    if isinstance(node, tuple) and isinstance(part, int) and 0 <= part < len(node):
        return True, node[part]
    return False, None


class _Refused(Exception):
    def __init__(self, mark: Any, code: str, message: str) -> None:
        self.mark = Mark(mark.line + 1, mark.column + 1)
        self.code = code
        self.message = message


def _prescan(text: str) -> None:
    depth = documents = 0
    for count, event in enumerate(yaml.parse(text, Loader=_Loader)):
        mark = event.start_mark
        if count > MAX_EVENTS:
            raise _Refused(mark, "yaml-too-large", f"more than {MAX_EVENTS} YAML nodes")
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise _Refused(mark, "yaml-documents", "only one YAML document per file")
            if event.version or event.tags:
                raise _Refused(
                    mark, "yaml-directive", "YAML directives such as %YAML are not allowed"
                )
        elif isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _Refused(
                mark, "yaml-alias", "anchors and aliases (& and *) are not allowed; write it out"
            )
        elif (tag := getattr(event, "tag", None)) is not None:
            raise _Refused(
                mark, "yaml-tag", f"tags such as '{tag}' are not allowed; quote the value"
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _Refused(mark, "yaml-depth", _TOO_DEEP)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _scalar(node: yaml.ScalarNode) -> Any:
    value: str = node.value
    if node.style:
        return value
    if value[:1].isalpha() and value not in _WORDS:  # plain text: most scalars, decided fast
        return value
    if _NULL.match(value):
        return None
    if value in _BOOL:
        return _BOOL[value]
    if _LEADING_ZERO.match(value):  # 012 is an id, not twelve (nor ten, as YAML 1.1 says)
        return value
    if _INT.match(value):
        try:
            return int(value)
        except ValueError:  # more digits than Python converts (4,300): no count, keep the text
            return value
    if _FLOAT.match(value):
        return float(value)
    return value


def _mark(parser_mark: Any) -> Mark:
    return Mark(parser_mark.line + 1, parser_mark.column + 1)


class _Builder:
    def __init__(self, document: Document) -> None:
        self.document = document
        self.problems: list[Problem] = []

    def build(self, node: yaml.Node, path: YamlPath) -> Any:
        self.document.values[path] = node.start_mark
        if isinstance(node, yaml.ScalarNode):
            return _scalar(node)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        assert isinstance(node, yaml.SequenceNode)
        # Tuples, because the models are strict and frozen: sequences are tuples there.
        return tuple(self.build(item, (*path, i)) for i, item in enumerate(node.value))

    def _mapping(self, node: yaml.MappingNode, path: YamlPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                mark = _mark(key_node.start_mark)
                self.problems.append(
                    Problem(
                        self.document.file, mark.line, mark.column, "yaml-key", "keys must be text"
                    )
                )
                continue
            child = (*path, key)
            if key in result:
                mark = _mark(key_node.start_mark)
                first = _mark(self.document.keys[child])
                self.problems.append(
                    Problem(
                        self.document.file,
                        mark.line,
                        mark.column,
                        "duplicate-key",
                        f"duplicate key '{key}'; it is first set at line {first.line}",
                    )
                )
                continue
            self.document.keys[child] = key_node.start_mark
            result[key] = self.build(value_node, child)
        return result


def _decode(raw: bytes, file: str) -> str | Problem:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        return Problem(file, line, column, "encoding", "the file is not valid UTF-8 text")


def _in_authors_terms(text: str, line: int, column: int, start: int, message: str) -> str:
    """The parser's complaint said as a rule author would put it, the parser's own words
    after it (for a search)."""
    lines = text.splitlines()
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    indent = here[: len(here) - len(here.lstrip())]
    said = None
    if "\t" in indent or ("tab" in message and "\t" in here):
        said = f"a tab is used for indentation at line {line}; YAML indents with spaces only"
    elif here[column - 1 : column] == "\t" or (
        "cannot start any token" in message and "\t" in here
    ):
        said = f"a tab at line {line}, column {column}; YAML separates with spaces only"
    elif "expected '-' indicator" in message or "expected key" in message or "block end" in message:
        said = (
            f"line {line} is not indented like the lines above it: the keys of one mapping, "
            "and the '-' of the items of one list, start in the same column"
        )
    elif "mapping values are not allowed" in message:
        said = (
            f"a ':' at line {line}, column {column} where no key can start: the line is "
            "indented deeper than the key above it, or a text holds ': ' (quote the text)"
        )
    elif "flow sequence" in message or "flow mapping" in message:
        said = (
            f"a '[' or '{{' opened at line {start} is not closed, or a ',' is missing between "
            "its items"
        )
    elif "quoted scalar" in message:
        said = f"a quote opened at line {start} is never closed"
    if said is None:
        return message or "YAML syntax error"
    return f"{said} (YAML: {message})"


def parse_yaml(text: str, file: str) -> tuple[Document, list[Problem]]:
    """Parse YAML text; problems come back as records, never as exceptions."""
    document = Document(file, None)
    try:
        _prescan(text)
        node = yaml.compose(text, Loader=_Loader)
    except _Refused as refused:
        mark = refused.mark
        return document, [Problem(file, mark.line, mark.column, refused.code, refused.message)]
    except yaml.MarkedYAMLError as error:
        where = error.problem_mark or error.context_mark
        line, column = (where.line + 1, where.column + 1) if where else (1, 1)
        message = " ".join(part for part in (error.context, error.problem) if part)
        if "nesting depth" in message:  # LibYAML's own limit, met before ours in flow style
            return document, [Problem(file, line, column, "yaml-depth", _TOO_DEEP)]
        start = error.context_mark.line + 1 if error.context_mark else line
        said = _in_authors_terms(text, line, column, start, message)
        return document, [Problem(file, line, column, "yaml-syntax", said)]
    except yaml.YAMLError as error:
        return document, [Problem(file, 1, 1, "yaml-syntax", str(error))]
    if node is None:
        return document, []
    builder = _Builder(document)
    document.data = builder.build(node, ())
    return document, builder.problems


def read_yaml(path: Path, file: str | None = None) -> tuple[Document, list[Problem]]:
    """Read and parse a YAML file, refusing oversized and non-UTF-8 files first."""
    name = file or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            problem = Problem(
                name, 1, 1, "file-too-large", f"file is {size} bytes; the limit is {MAX_BYTES}"
            )
            return Document(name, None), [problem]
        raw = path.read_bytes()
    except OSError as error:
        reason = error.strerror or str(error)
        return Document(name, None), [Problem(name, 1, 1, "file-unreadable", reason)]
    text = _decode(raw, name)
    if isinstance(text, Problem):
        return Document(name, None), [text]
    return parse_yaml(text, name)


class _QuotingDumper(yaml.SafeDumper):
    """PyYAML decides quoting by YAML 1.1, but we read by 1.2, where an unquoted ``12e4``
    (a key id, an option id) would be a number: such strings are double-quoted."""


def _quoted(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    plain = _scalar(yaml.ScalarNode("tag:yaml.org,2002:str", text)) if text else None
    readable = text.isprintable() and plain == text and isinstance(plain, str)
    style = None if readable else '"'
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_QuotingDumper.add_representer(str, _quoted)


def dump_yaml(data: Any) -> str:
    """``data`` as YAML that :func:`parse_yaml` reads back as the same values."""
    return yaml.dump(data, Dumper=_QuotingDumper, sort_keys=False, allow_unicode=True)
