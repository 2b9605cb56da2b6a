"""A rule set's JSON Schemas: current with the set, true of every file, and knowing its ids."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from decision_aid.authoring.schema import schemas
from decision_aid.cli import main
from decision_aid.domain import load_rule_set
from decision_aid.domain.layout import SCHEMAS
from decision_aid.domain.questionnaire import parse_answers
from decision_aid.domain.yamlsource import read_yaml
from tests.authoring.strategies import answer_sets
from tests.conftest import BUNDLED, OTHER

SCHEMA_LINE = "# yaml-language-server: $schema="


def plain(data: Any) -> Any:
    """YAML data as JSON would have it (the reader gives tuples for sequences)."""
    if isinstance(data, dict):
        return {k: plain(v) for k, v in data.items()}
    if isinstance(data, tuple | list):
        return [plain(v) for v in data]
    return data


def files_with_schema_lines(rules_dir: Path) -> list[Path]:
    return sorted(p for p in rules_dir.rglob("*.yaml") if p.read_text().startswith(SCHEMA_LINE))


def errors(rules_dir: Path, path: Path, data: Any = None) -> list[str]:
    line = path.read_text().partition("\n")[0]
    schema = json.loads((path.parent / line.removeprefix(SCHEMA_LINE)).read_text())
    data = plain(read_yaml(path)[0].data) if data is None else data
    return [
        f"{list(e.absolute_path)}: {e.message}"
        for e in Draft202012Validator(schema).iter_errors(data)
    ]


@pytest.mark.parametrize("rules_dir", [BUNDLED, OTHER], ids=["bundled", "other"])
def test_the_committed_schemas_are_current_and_every_file_points_at_one(rules_dir: Path) -> None:
    for name, schema in schemas(load_rule_set(rules_dir)).items():
        committed = json.loads((rules_dir / SCHEMAS / name).read_text())
        assert committed == schema, f"{name} is stale: run `decision-aid schema {rules_dir}`"
    pointing = files_with_schema_lines(rules_dir)
    assert len(pointing) == len(list(rules_dir.rglob("*.yaml")))
    for path in pointing:
        assert errors(rules_dir, path) == [], path


def test_no_class_name_reaches_an_editor() -> None:
    text = json.dumps(schemas(load_rule_set(BUNDLED)))
    for name in ("All", "AnyOf", "Rule", "CountOf", "NotKnown", "Citation", "RuleSetInfo"):
        assert f'"{name}"' not in text
        assert f'/{name}"' not in text
    assert '"title": "' not in text.replace('"title": {', "")


def test_the_schema_knows_the_sets_ids() -> None:
    path = BUNDLED / "rules" / "safety.yaml"
    data = plain(read_yaml(path)[0].data)
    rule = data["rules"][0]
    rule["outcome"] = "maybe_later"
    rule["citations"] = ["cohen2081"]
    rule["when"] = {"question": "pregnancy", "is": "perhaps"}
    found = errors(BUNDLED, path, data)
    assert any("['rules', 0, 'outcome']" in e for e in found)
    assert any("['rules', 0, 'citations', 0]" in e for e in found)
    assert any("['rules', 0, 'when']" in e for e in found)
    rule.update(outcome="refer_first", citations=["cohen2018"], when=data["rules"][1]["when"])
    assert errors(BUNDLED, path, data) == []


def test_a_case_file_may_answer_only_the_sets_questions_with_their_options() -> None:
    path = OTHER / "tests" / "cases.yaml"
    data = plain(read_yaml(path)[0].data)
    data["cases"][0]["answers"] = {"wieght": 70, "kidney": "sometimes"}
    data["cases"][0]["expect"]["outcome"] = "fine"
    found = errors(OTHER, path, data)
    assert any("'wieght' was unexpected" in e for e in found)
    assert any("'kidney'" in e for e in found)
    assert any("'outcome'" in e for e in found)


def test_check_warns_of_a_schema_line_that_points_nowhere(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "next"
    shutil.copytree(OTHER, copy, ignore=shutil.ignore_patterns(SCHEMAS))
    assert main(["check", str(copy)]) == 0
    out = capsys.readouterr().out
    assert f"{copy}/rules/main.yaml:1:33: warning[schema-line]: the schema line points to " in out
    assert f"run `decision-aid schema {copy}`" in out
    assert main(["schema", str(copy)]) == 0
    assert str(copy / SCHEMAS / "rules.schema.json") in capsys.readouterr().out
    assert main(["check", str(copy)]) == 0
    assert "schema-line" not in capsys.readouterr().out


def test_check_warns_of_a_schema_that_no_longer_knows_the_sets_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "next"
    shutil.copytree(OTHER, copy)
    info = copy / "ruleset.yaml"
    info.write_text(info.read_text().replace("id: avoid", "id: do_not_start"))
    for name in ("rules/main.yaml", "tests/cases.yaml", "properties.yaml"):
        path = copy / name
        path.write_text(path.read_text().replace("avoid", "do_not_start"))
    assert main(["check", str(copy)]) == 0
    assert "rules.schema.json is out of date with the rule set's names" in capsys.readouterr().out


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_every_answer_set_the_loader_accepts_the_schema_accepts(data: st.DataObject) -> None:
    """No false underline: the answers and case schemas never refuse what the app reads."""
    rules_dir = data.draw(st.sampled_from([BUNDLED, OTHER]))
    rule_set = RULE_SETS[rules_dir]
    answers = data.draw(answer_sets(rule_set))
    parse_answers(rule_set.questionnaire, answers)  # the app reads them
    by_name = schemas(rule_set)
    assert list(Draft202012Validator(by_name["answers.schema.json"]).iter_errors(answers)) == []
    case_file = {"base_answers": answers, "cases": [{"name": "n", "expect": {"outcome": "x"}}]}
    found = Draft202012Validator(by_name["cases.schema.json"]).iter_errors(case_file)
    assert [list(e.absolute_path) for e in found] == [["cases", 0, "expect", "outcome"]]


RULE_SETS = {d: load_rule_set(d) for d in (BUNDLED, OTHER)}
