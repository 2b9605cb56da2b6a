"""JSON Schemas for the rule-set files, from the same pydantic models the loader uses.

Editors with the YAML language server read them (each bundled file names its schema
on its first line), so a rule author gets completion and red underlines as they type.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from decision_aid.authoring.cases import CaseFile
from decision_aid.domain.leaflet import SheetContent
from decision_aid.domain.questionnaire import Questionnaire
from decision_aid.domain.rules import Property, Reference, Rule, RuleSetInfo
from decision_aid.writing import write_files

__all__ = ["SCHEMA_FILES", "schemas", "write_schemas"]


class RulesFile(BaseModel):
    """A ``rules/*.yaml`` file."""

    model_config = ConfigDict(extra="forbid")
    rules: list[Rule]


class ReferencesFile(BaseModel):
    """``references.yaml``."""

    model_config = ConfigDict(extra="forbid")
    references: list[Reference]


class PropertiesFile(BaseModel):
    """``properties.yaml``."""

    model_config = ConfigDict(extra="forbid")
    properties: list[Property]


SCHEMA_FILES: dict[str, type[BaseModel]] = {
    "ruleset.schema.json": RuleSetInfo,
    "questionnaire.schema.json": Questionnaire,
    "references.schema.json": ReferencesFile,
    "rules.schema.json": RulesFile,
    "sheet.schema.json": SheetContent,
    "properties.schema.json": PropertiesFile,
    "cases.schema.json": CaseFile,
}


def schemas() -> dict[str, dict[str, Any]]:
    """File name → JSON Schema (draft 2020-12), as validation sees the input."""
    result = {}
    for name, model in SCHEMA_FILES.items():
        schema = model.model_json_schema(by_alias=True, mode="validation")
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = name
        result[name] = schema
    return result


def write_schemas(folder: Path) -> list[Path]:
    """Write every schema into ``folder``, all or none (:class:`StorageError` on failure)."""
    files = {
        folder / name: (json.dumps(schema, indent=2, sort_keys=True) + "\n").encode("utf-8")
        for name, schema in schemas().items()
    }
    write_files(files, private=False, make_folders=True)
    return list(files)
