"""The JSON Schemas editors use: current with the models, and true of every bundled file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from decision_aid.authoring.schema import schemas
from decision_aid.domain.yamlsource import read_yaml
from tests.conftest import BUNDLED

SCHEMA_DIR = BUNDLED.parent / "schema"


def plain(data: Any) -> Any:
    """YAML data as JSON would have it (the reader gives tuples for sequences)."""
    if isinstance(data, dict):
        return {k: plain(v) for k, v in data.items()}
    if isinstance(data, tuple | list):
        return [plain(v) for v in data]
    return data


def bundled_files() -> list[tuple[Path, str]]:
    files = [
        (BUNDLED / f"{name}.yaml", f"{name}.schema.json")
        for name in ("ruleset", "questionnaire", "references", "sheet", "properties")
    ]
    files += [(p, "rules.schema.json") for p in sorted((BUNDLED / "rules").glob("*.yaml"))]
    files += [(p, "cases.schema.json") for p in sorted((BUNDLED / "tests").glob("*.yaml"))]
    return files


def test_the_committed_schemas_match_the_models() -> None:
    for name, schema in schemas().items():
        committed = json.loads((SCHEMA_DIR / name).read_text())
        assert committed == schema, f"{name} is stale: run `decision-aid schema`"


@pytest.mark.parametrize(
    ("path", "schema_name"), bundled_files(), ids=lambda v: str(v).split("/")[-1]
)
def test_every_bundled_file_is_valid_against_its_schema(path: Path, schema_name: str) -> None:
    validator = Draft202012Validator(json.loads((SCHEMA_DIR / schema_name).read_text()))
    errors = [
        f"{list(e.absolute_path)}: {e.message}"
        for e in validator.iter_errors(plain(read_yaml(path)[0].data))
    ]
    assert errors == []
    first_line = path.read_text().splitlines()[0]
    assert first_line.startswith("# yaml-language-server: $schema=")
    assert first_line.endswith(schema_name)


def test_the_schema_catches_a_misspelt_key() -> None:
    data = plain(read_yaml(BUNDLED / "rules" / "safety.yaml")[0].data)
    data["rules"][0]["outcom"] = data["rules"][0].pop("outcome")
    validator = Draft202012Validator(schemas()["rules.schema.json"])
    messages = [e.message for e in validator.iter_errors(data)]
    assert any("'outcom' was unexpected" in m for m in messages)
