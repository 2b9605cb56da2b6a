"""The rule author's tools: case files and their runner, coverage, lint, docs, diff, schemas,
and the starter rule set `decision-aid new` writes."""

from __future__ import annotations

from decision_aid.authoring.cases import CaseResult, Verdict, run_case_files

__all__ = ["CaseResult", "Verdict", "run_case_files"]
