"""The docs stay in step with the code: every problem code, with a failing and a passing
example, and every key of every file, with whether it is required."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from pydantic import BaseModel

from decision_aid.authoring import cases
from decision_aid.authoring.lint import WARNINGS
from decision_aid.domain import leaflet, questionnaire, rules
from decision_aid.domain.errors import Problem, known_codes

CODES = known_codes()  # lint's are among them: importing lint adds its codes
_CODE_LISTS = {"PROBLEM_CODES", "WARNINGS", "RULE_WARNINGS", "add_codes"}

ROOT = Path(__file__).parent.parent
DOC = ROOT / "docs" / "rule-language.md"


def _rows(table: str) -> list[list[str]]:
    return [
        [cell.strip() for cell in line.strip().strip("|").split(" | ")]
        for line in table.splitlines()
        if line.startswith("| `")
    ]


def _codes_raised_in_the_code() -> set[str]:
    """Every problem code some module of decision_aid names, outside the lists of codes."""
    found: set[str] = set()
    for path in (ROOT / "decision_aid").rglob("*.py"):
        tree = ast.parse(path.read_text())
        lists = {id(n) for node in ast.walk(tree) if _lists_codes(node) for n in ast.walk(node)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and node.value in CODES and id(node) not in lists:
                found.add(node.value)
    return found


def _lists_codes(node: ast.AST) -> bool:
    """``PROBLEM_CODES = …``, ``WARNINGS: … = …``, ``add_codes(…)`` and the like."""
    if isinstance(node, ast.Assign | ast.AnnAssign):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return any(isinstance(t, ast.Name) and t.id in _CODE_LISTS for t in targets)
    if isinstance(node, ast.Call):
        return isinstance(node.func, ast.Name) and node.func.id in _CODE_LISTS
    return False


def test_every_problem_code_has_a_row_with_a_failing_and_a_passing_example() -> None:
    rows = _rows(DOC.read_text().split("## Problem codes", 1)[1])
    documented = [code for row in rows for code in re.findall(r"`([a-z0-9-]+)`", row[0])]
    assert sorted(documented) == sorted(CODES), "one row per code"
    for row in rows:
        assert len(row) == 4, row
        assert all(row), f"{row[0]}: what is wrong, a failing and a passing example"


def test_each_lint_warning_reads_in_the_docs_as_lint_describes_it() -> None:
    rows = _rows(DOC.read_text().split("## Problem codes", 1)[1])
    said = {row[0].strip("`"): row[1] for row in rows}
    for code, meaning in WARNINGS.items():
        assert re.fullmatch(
            r"warning \(lint(, solver)?\): " + re.escape(meaning) + ".*", said[code]
        )


def test_every_listed_code_is_one_the_code_raises() -> None:
    assert _codes_raised_in_the_code() == CODES


def test_an_undocumented_code_cannot_be_raised() -> None:
    with pytest.raises(ValueError, match="undocumented problem code 'made-up'"):
        Problem("f.yaml", 1, 1, "made-up", "message")


MODELS: list[type[BaseModel]] = [
    rules.RuleSetInfo, rules.Level, rules.Setting, rules.SettingChoice,
    questionnaire.Section, questionnaire.Question, questionnaire.Option,
    rules.Reference, rules.Rule, rules.Citation, rules.OutcomeLimit,
    rules.Property, rules.Ordering,
    leaflet.SheetContent, leaflet.Block, leaflet.OptionText, leaflet.GridRow, leaflet.Figure,
    leaflet.Treatment, leaflet.SureTest, leaflet.Statement, leaflet.Count, leaflet.UnknownHarm,
    leaflet.Misconception, leaflet.GoalEvidence,
    cases.CaseFile, cases.Case, cases.Expect,
]  # fmt: skip


def _key_table(model: type[BaseModel]) -> dict[str, str]:
    """The doc's table for ``model``: key → its 'required' cell."""
    text = DOC.read_text()
    marker = f"<!-- keys: {model.__name__} -->\n"
    assert marker in text, f"no key table for {model.__name__}"
    table = text.split(marker, 1)[1].split("\n\n", 1)[0]
    return {key: row[1] for row in _rows(table) for key in re.findall(r"`([a-z_]+)`", row[0])}


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_key_is_documented_with_whether_it_is_required(model: type[BaseModel]) -> None:
    table = _key_table(model)
    fields = {(f.alias or name): f for name, f in model.model_fields.items()}
    assert sorted(table) == sorted(fields)
    for key, field in fields.items():
        said = table[key]
        if field.is_required():
            assert said == "required", f"{model.__name__}.{key} is required"
        else:
            assert said != "required", f"{model.__name__}.{key} may be left out"
