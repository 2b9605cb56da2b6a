"""The one exception family for problems a user of decision-aid can act on.

Every problem in a rule set is a :class:`Problem` record (file, line, column, code,
message); the CLI prints them compiler-style, the GUI lists them in a panel, and
``--format json`` serialises the same records. A rule set with any error-level
problem never yields an outcome.

The tree::

    DecisionAidError
     ├── RuleSetError        a rule set could not be loaded; carries every Problem found
     ├── InputError          a file given to the engine (answers, cases) is not usable
     │    ├── AnswersError   an answer does not fit the questionnaire; carries the key
     │    └── NewerFormatError  a file written by a newer decision-aid: keep it, do not read it
     └── StorageError        a consultation could not be saved; the previous save is intact
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "PROBLEM_CODES",
    "AnswersError",
    "DecisionAidError",
    "InputError",
    "NewerFormatError",
    "Problem",
    "RuleSetError",
    "Severity",
    "StorageError",
    "add_codes",
    "known_codes",
]


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


PROBLEM_CODES = frozenset(
    {
        # reading the files
        "missing-rule-set", "missing-file", "unknown-file", "file-too-large", "file-unreadable",
        "encoding",
        "yaml-syntax", "yaml-tag", "yaml-alias", "yaml-directive", "yaml-documents",
        "yaml-depth", "yaml-too-large", "yaml-key", "duplicate-key",
        # the shape of the data
        "unknown-key", "missing-key", "schema",
        # cross-references and meaning
        "duplicate-id", "unknown-question", "unknown-option", "unknown-level",
        "unknown-setting", "unknown-choice", "unknown-reference", "operator-mismatch",
        "out-of-range", "show-when-cycle", "safety-not-known", "unsafe-not-known",
        "reserved-id", "yes-no-options", "number-options", "too-few-options", "number-range",
        "not-a-number", "not-multiple", "empty-property", "empty-limit",
        # what verify would find, seen without a solver
        "level-order", "absolute-level", "unverified-source",
        # what is shown is what is recorded
        "safety-hidden", "invisible-character", "duplicate-label", "multi-line-title",
        # work limits (decision_aid.domain.limits)
        "over-limit", "not-finite",
        # case files (tests/*.yaml) and answers files (examples/*.yaml)
        "bad-case", "bad-answer",
        # governance (decision_aid.governance): check only
        "not-approved", "retired",
        # warnings from decision-aid check
        "schema-line",
    }
)  # fmt: skip
"""The codes of what loading, the checks, the case runner and governance find; each has a
line in docs/rule-language.md. Lint's warnings are listed with lint
(:data:`decision_aid.authoring.lint.WARNINGS`), which adds them with :func:`add_codes`."""

_KNOWN_CODES = set(PROBLEM_CODES)


def add_codes(codes: Iterable[str]) -> None:
    """Let a :class:`Problem` carry ``codes`` too: a tool outside the domain lists the codes
    it reports next to itself and adds them here when its module is imported.

    The trap: a code added so is known only once that module has been imported.
    """
    _KNOWN_CODES.update(codes)


def known_codes() -> frozenset[str]:
    """Every code a :class:`Problem` may carry: :data:`PROBLEM_CODES` and those added."""
    return frozenset(_KNOWN_CODES)


@dataclass(frozen=True, order=True)
class Problem:
    """One problem at one place in one file; ``line`` and ``column`` are 1-based."""

    file: str
    line: int
    column: int
    code: str
    message: str
    severity: Severity = Severity.ERROR

    def __post_init__(self) -> None:
        if self.code not in _KNOWN_CODES:
            raise ValueError(f"undocumented problem code {self.code!r}")

    def format(self) -> str:
        """The compiler-style line: ``path:line:col: error[code]: message``."""
        return (
            f"{self.file}:{self.line}:{self.column}: {self.severity}[{self.code}]: {self.message}"
        )

    def as_dict(self) -> dict[str, str | int]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "severity": str(self.severity),
            "code": self.code,
            "message": self.message,
        }


class DecisionAidError(Exception):
    """Base of every error decision-aid raises on purpose."""


class RuleSetError(DecisionAidError):
    """A rule set is broken. ``problems`` holds all of them, sorted by place.

    The trap: never catch this to fall back to another rule set; show the problems.
    """

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems: tuple[Problem, ...] = tuple(sorted(problems))
        count = len(self.problems)
        first = self.problems[0].format() if self.problems else "no details"
        super().__init__(f"{count} problem(s) in the rule set; first: {first}")


class InputError(DecisionAidError):
    """A file or value given to decision-aid cannot be used (bad YAML, wrong shape)."""

    def __init__(self, message: str, *, source: str | None = None) -> None:
        self.source = source
        super().__init__(f"{source}: {message}" if source else message)


class AnswersError(InputError):
    """An answer does not fit the questionnaire. ``key`` names the question id at fault."""

    def __init__(self, message: str, *, key: str | None, source: str | None = None) -> None:
        self.key = key
        super().__init__(message, source=source)


class StorageError(DecisionAidError):
    """Saving failed (disk full, no permission); the file on disk is the previous good one."""

    def __init__(self, message: str, *, path: str) -> None:
        self.path = path
        super().__init__(f"{path}: {message}")


class NewerFormatError(InputError):
    """Saved by a newer decision-aid. The file is sound: keep it for that version."""
