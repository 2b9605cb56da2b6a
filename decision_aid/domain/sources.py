"""Where each part of a loaded rule set was written: the source map the loader keeps.

The loader reads every file once and keeps, for each, the parser's position of every key
and value (:class:`~decision_aid.domain.yamlsource.Document`). Checks, coverage, lint,
mutate and verify place what they find through this map, as ``file:line:col``; none of
them reads the files again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from decision_aid.domain.errors import Problem, Severity
from decision_aid.domain.yamlsource import Document, YamlPath

__all__ = ["Place", "SourceMap"]


@dataclass(frozen=True, order=True)
class Place:
    """A file and a 1-based line and column."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"

    def problem(self, code: str, message: str, severity: Severity = Severity.ERROR) -> Problem:
        return Problem(self.file, self.line, self.column, code, message, severity)


class SourceMap:
    """The documents a rule set was read from, by their name in the folder
    (``ruleset.yaml``, ``rules/safety.yaml``), and where each rule, property, question and
    reference was written, by its id."""

    def __init__(
        self,
        source: str,
        documents: Mapping[str, Document],
        items: Mapping[tuple[str, str], tuple[Document, YamlPath]],
    ) -> None:
        self.source = source
        self.documents = dict(documents)
        self._items = dict(items)

    def file(self, name: str, path: YamlPath = ()) -> Place:
        """A node of one of the rule set's files (``path`` into its data)."""
        document = self.documents.get(name)
        if document is None:
            return Place(f"{self.source}/{name}", 1, 1)
        return _place(document, path)

    def _item(self, kind: str, ident: str, path: YamlPath, *, key: bool = False) -> Place:
        found = self._items.get((kind, ident))
        if found is None:
            return Place(self.source, 1, 1)
        document, base = found
        return _place(document, (*base, *path), key=key)

    def rule(self, rule_id: str, path: YamlPath = (), *, key: bool = False) -> Place:
        """A node of the rule ``rule_id`` (``path`` from the rule: ``("when", "all", 0)``);
        ``key``: where the mapping key at ``path`` is written, not its value."""
        return self._item("rule", rule_id, path, key=key)

    def property(self, property_id: str, path: YamlPath = ()) -> Place:
        return self._item("property", property_id, path)

    def question(self, question_id: str, path: YamlPath = ()) -> Place:
        return self._item("question", question_id, path)

    def reference(self, reference_id: str, path: YamlPath = ()) -> Place:
        return self._item("reference", reference_id, path)


def _place(document: Document, path: YamlPath, *, key: bool = False) -> Place:
    mark = document.mark(path, key=key)
    return Place(document.file, mark.line, mark.column)
