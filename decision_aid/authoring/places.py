"""Positions in a rule set's files, for the authoring tools' reports."""

from __future__ import annotations

from pathlib import Path

from decision_aid.domain.errors import Problem, Severity
from decision_aid.domain.yamlsource import Document, YamlPath, read_yaml

__all__ = ["Places"]


class Places:
    """Where things are written in a rule set's files, each file read once: for warnings,
    coverage and surviving mutants, all placed as ``file:line:col``."""

    def __init__(self, rules_dir: Path) -> None:
        self.rules_dir = rules_dir
        self.documents: dict[str, Document] = {}
        self.rule_paths: dict[str, tuple[str, YamlPath]] = {}
        for path in sorted((rules_dir / "rules").glob("*.yaml")):
            document = self._read(str(path.relative_to(rules_dir)))
            for index, rule in enumerate((document.data or {}).get("rules", ())):
                if isinstance(rule, dict) and isinstance(rule.get("id"), str):
                    self.rule_paths[rule["id"]] = (
                        str(path.relative_to(rules_dir)),
                        ("rules", index),
                    )

    def _read(self, name: str) -> Document:
        if name not in self.documents:
            self.documents[name] = read_yaml(self.rules_dir / name, str(self.rules_dir / name))[0]
        return self.documents[name]

    def where(self, file: str, path: YamlPath) -> tuple[str, int, int]:
        """File, line and column of a node; ``rule:ID`` names a rule's file and place."""
        if file.startswith("rule:"):
            file, base = self.rule_paths.get(file[5:], ("rules", ()))
            path = (*base, *path)
        document = self._read(file)
        mark = document.mark(path)
        return document.file, mark.line, mark.column

    def warning(self, file: str, path: YamlPath, code: str, message: str) -> Problem:
        return Problem(*self.where(file, path), code, message, Severity.WARNING)
