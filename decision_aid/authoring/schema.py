"""JSON Schemas for one rule set's files, from the pydantic models the loader uses and the
set's own names.

Editors with the YAML language server read them (each file names its schema on its first
line, ``# yaml-language-server: $schema=../schema/rules.schema.json``), so a rule author gets
completion and red underlines as they type: keys, and also the set's question, option,
level, setting, reference and rule ids wherever a file uses one (conditions, outcomes,
citations, ``only_for``, and the answers and expectations of case and example files). A
set's schemas live in its ``schema/`` folder; ``decision-aid schema RULES_DIR`` rewrites
them after the set's names change, and ``decision-aid check`` warns when a file's schema
line points nowhere or its schema is out of date.

Model class names never reach an editor: titles are left out, and the definitions are
named by the keys an author writes (``all``, ``rule``), not by the classes.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from decision_aid.authoring.cases import CaseFile
from decision_aid.domain.assessment import DEFAULT_RULE_ID
from decision_aid.domain.conditions import NODE_TYPES, Predicate
from decision_aid.domain.errors import Problem, Severity
from decision_aid.domain.layout import (
    EXAMPLES,
    PROPERTIES_FILE,
    QUESTIONNAIRE_FILE,
    REFERENCES_FILE,
    RULES,
    RULESET_FILE,
    SCHEMAS,
    SHEET_FILE,
    SUFFIX,
    TESTS,
)
from decision_aid.domain.leaflet import SheetContent
from decision_aid.domain.questionnaire import NOT_KNOWN, Question, Questionnaire, QuestionType
from decision_aid.domain.rules import Property, Reference, Rule, RuleSet, RuleSetInfo
from decision_aid.storage.atomic import write_files

__all__ = [
    "SCHEMA_FILES",
    "schema_line",
    "schema_line_problems",
    "schemas",
    "write_schemas",
]

Schema = dict[str, Any]


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


SCHEMA_FILES: dict[str, type[BaseModel] | None] = {
    "ruleset.schema.json": RuleSetInfo,
    "questionnaire.schema.json": Questionnaire,
    "references.schema.json": ReferencesFile,
    "rules.schema.json": RulesFile,
    "sheet.schema.json": SheetContent,
    "properties.schema.json": PropertiesFile,
    "cases.schema.json": CaseFile,
    "answers.schema.json": None,  # an answers file (examples/): the set's questions only
}
"""Schema file name → the model it describes."""

# Which schema each file of a rule set names (a glob relative to the rule set).
_SCHEMA_OF = {
    RULESET_FILE: "ruleset.schema.json",
    QUESTIONNAIRE_FILE: "questionnaire.schema.json",
    REFERENCES_FILE: "references.schema.json",
    SHEET_FILE: "sheet.schema.json",
    PROPERTIES_FILE: "properties.schema.json",
    f"{RULES}/*{SUFFIX}": "rules.schema.json",
    f"{TESTS}/*{SUFFIX}": "cases.schema.json",
    f"{EXAMPLES}/*{SUFFIX}": "answers.schema.json",
}

_SCHEMA_LINE = re.compile(r"^#\s*yaml-language-server:\s*\$schema=(\S+)\s*$")

# Definition names as an author writes the key, never a class name; and the question
# types each predicate fits, from the condition registry.
_DEF_NAMES = {t.__name__: t.key for t in NODE_TYPES}
_PREDICATE_TYPES = {
    t.key: tuple(q for q in QuestionType if q in t.fits)
    for t in NODE_TYPES
    if issubclass(t, Predicate)
}


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _enum(values: Iterable[str]) -> Schema:
    return {"type": "string", "enum": sorted(set(values))}


def _one_or_many(item: Schema) -> Schema:
    return {"anyOf": [item, {"type": "array", "items": item, "minItems": 1}]}


def _walk(schema: Any, visit: Callable[[Schema], None]) -> None:
    """Call ``visit`` on every subschema (a field's name is never taken for a keyword)."""
    if not isinstance(schema, dict):
        return
    visit(schema)
    for key in ("properties", "$defs", "patternProperties"):
        for sub in schema.get(key, {}).values():
            _walk(sub, visit)
    for key in ("items", "additionalProperties", "not", "if", "then", "else", "propertyNames"):
        _walk(schema.get(key), visit)
    for key in ("anyOf", "oneOf", "allOf", "prefixItems"):
        for sub in schema.get(key, ()):
            _walk(sub, visit)


def _plain(schema: Schema) -> Schema:
    """Without titles, and with definitions named by keys (what editors offer to authors)."""
    names = {old: _DEF_NAMES.get(old, _snake(old)) for old in schema.get("$defs", {})}
    schema["$defs"] = {names[k]: v for k, v in schema.get("$defs", {}).items()}

    def visit(node: Schema) -> None:
        node.pop("title", None)
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            node["$ref"] = "#/$defs/" + names[ref.removeprefix("#/$defs/")]

    _walk(schema, visit)
    if not schema["$defs"]:
        del schema["$defs"]
    return schema


class _Names:
    """The rule set's ids, as schema fragments."""

    def __init__(self, rule_set: RuleSet) -> None:
        self.rs = rule_set
        self.questions = list(rule_set.questionnaire.questions())
        self.levels = _enum(level.id for level in rule_set.info.levels)
        self.references = _enum(r.id for r in rule_set.references)

    def questions_of(self, *types: QuestionType) -> Schema:
        return _enum(q.id for q in self.questions if not types or q.type in types)

    def options_for(self, key: str, types: tuple[QuestionType, ...], many: bool) -> list[Schema]:
        """For each question of these types, ``if question is it then key names its options``."""
        rules = []
        for question in self.questions:
            if question.type not in types or question.type is QuestionType.NUMBER:
                continue
            options = _enum(o.id for o in question.choices)
            rules.append(
                {
                    "if": {"properties": {"question": {"const": question.id}}},
                    "then": {
                        "properties": {key: _one_or_many(options) if many else options},
                    },
                }
            )
        return rules

    def only_for(self) -> Schema:
        return {
            "type": "object",
            "description": "Settings this applies to, e.g. a guideline basis.",
            "properties": {
                s.id: _one_or_many(_enum(c.id for c in s.choices)) for s in self.rs.info.settings
            },
            "additionalProperties": False,
        }

    def settings(self) -> Schema:
        return {
            "type": "object",
            "properties": {s.id: _enum(c.id for c in s.choices) for s in self.rs.info.settings},
            "additionalProperties": False,
        }

    def answers(self) -> Schema:
        """An answers mapping: each question's own kind of answer (``null`` unsets)."""
        return {
            "type": "object",
            "properties": {q.id: _answer(q) for q in self.questions},
            "additionalProperties": False,
        }

    def rule_ids(self, *extra: str) -> Schema:
        return {"type": "array", "items": _enum([*(r.id for r in self.rs.rules), *extra])}


def _answer(question: Question) -> Schema:
    kinds: list[Schema] = [{"type": "null"}]
    if question.not_known:
        kinds.append({"const": NOT_KNOWN, "description": "Not known"})
    options = [o.id for o in question.choices]
    if question.type is QuestionType.NUMBER:
        number: Schema = {"type": "integer" if question.integer else "number"}
        if question.minimum is not None:
            number["minimum"] = question.minimum
        if question.maximum is not None:
            number["maximum"] = question.maximum
        kinds.append(number)
    elif question.type is QuestionType.MULTIPLE:
        kinds.append({"type": "array", "items": _enum(options), "minItems": 1, "uniqueItems": True})
    else:
        kinds.append(_enum(options))
    return {"description": question.label, "anyOf": kinds}


def _with_names(schema: Schema, names: _Names) -> Schema:
    """The model's schema with the set's ids enumerated wherever a file uses one."""
    defs = schema.get("$defs", {})
    for key, types in _PREDICATE_TYPES.items():
        if key in defs:
            node = defs[key]
            node["properties"]["question"] = {
                **names.questions_of(*types),
                "description": "The id of the question tested.",
            }
            if rules := names.options_for(key, types, many=key != "is"):
                node["allOf"] = rules
    if "not_known" in defs:
        defs["not_known"]["properties"]["not_known"] = _one_or_many(names.questions_of())
    if "citation" in defs:
        defs["citation"]["properties"]["ref"] = names.references
    for name in ("rule", "property"):
        if name in defs:
            properties = defs[name]["properties"]
            properties["only_for"] = names.only_for()
            properties["citations"]["items"] = {
                "anyOf": [{"$ref": "#/$defs/citation"}, names.references]
            }
    level_fields = {
        "rule": ("outcome",),
        "property": ("at_least", "at_most"),
        "outcome_limit": ("at_least", "at_most"),
        "expect": ("outcome",),
    }
    for name, fields in level_fields.items():
        for field in fields:
            if name in defs:
                defs[name]["properties"][field] = {
                    "description": defs[name]["properties"][field].get("description", ""),
                    "anyOf": [names.levels, {"type": "null"}],
                }
    if "ordering" in defs:
        defs["ordering"]["properties"]["question"] = names.questions_of(
            QuestionType.SINGLE, QuestionType.YES_NO, QuestionType.MULTIPLE
        )
    _with_sheet_names(schema, names)
    if "case" in defs:
        case = defs["case"]["properties"]
        case["answers"] = names.answers()
        case["settings"] = names.settings()
        schema["properties"]["base_answers"] = names.answers()
        expect = defs["expect"]["properties"]
        expect["fired"] = names.rule_ids(DEFAULT_RULE_ID)
        for field in ("might_apply", "advice_from"):
            expect[field] = names.rule_ids()
        expect["still_to_check"] = {
            "type": "array",
            "items": _enum(q.id for q in names.questions if q.safety),
        }
    if schema.get("$id") == "ruleset.schema.json":
        for field in ("assess_first", "default_outcome"):
            schema["properties"][field] = {
                **names.levels,
                "description": schema["properties"][field].get("description", ""),
            }
    return schema


_SHEET_PARTS = ("block", "statement", "grid_row", "figure", "unknown_harm", "misconception")
"""The sheet's parts that cite references and may carry ``only_for``."""


def _with_sheet_names(schema: Schema, names: _Names) -> None:
    """The sheet's references, settings, levels, goals questions and next-step keys."""
    defs = schema.get("$defs", {})
    for name in (*_SHEET_PARTS, "goal_evidence"):
        if name in defs:
            properties = defs[name]["properties"]
            properties["citations"]["items"] = names.references
            if "only_for" in properties:
                properties["only_for"] = names.only_for()
    if "block" in defs:
        defs["block"]["properties"]["outcomes"]["items"] = names.levels
    if "goal_evidence" in defs:
        defs["goal_evidence"]["properties"]["question"] = names.questions_of(QuestionType.MULTIPLE)
    if "sure_test" in defs:
        defs["sure_test"]["properties"]["reference"] = names.references
    if schema.get("$id") != "sheet.schema.json":
        return
    properties = schema["properties"]
    if "next_steps" in properties:
        keys = [level.id for level in names.rs.info.levels] + [r.id for r in names.rs.rules]
        properties["next_steps"]["propertyNames"] = _enum(keys)
    if "goals" in properties:
        properties["goals"]["items"] = names.questions_of(QuestionType.MULTIPLE)


def schemas(rule_set: RuleSet) -> dict[str, Schema]:
    """File name → JSON Schema (draft 2020-12) of that kind of file of this rule set."""
    names = _Names(rule_set)
    result = {}
    for name, model in SCHEMA_FILES.items():
        if model is None:
            schema = {"description": "An answers file: question id → answer.", **names.answers()}
        else:
            schema = _plain(model.model_json_schema(by_alias=True, mode="validation"))
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = name
        result[name] = _with_names(copy.deepcopy(schema), names)
    return result


def _text(schema: Schema) -> bytes:
    return (json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def write_schemas(rule_set: RuleSet, folder: Path) -> list[Path]:
    """Write every schema of the rule set into ``folder``, all or none
    (:class:`StorageError` on failure)."""
    files = {folder / name: _text(schema) for name, schema in schemas(rule_set).items()}
    write_files(files, private=False, make_folders=True)
    return list(files)


def schema_line(file: str) -> str:
    """The first line a rule set's file (path relative to the rule set) names its schema in."""
    for pattern, schema_name in _SCHEMA_OF.items():
        if Path(file).match(pattern):
            up = "../" * (len(Path(file).parts) - 1)
            return f"# yaml-language-server: $schema={up}{SCHEMAS}/{schema_name}"
    raise ValueError(f"no schema for {file}")


def schema_line_problems(rule_set: RuleSet, rules_dir: Path) -> list[Problem]:
    """Warnings for files whose schema line points nowhere, or at a schema that no longer
    matches the rule set (each says how to fix it)."""
    fix = f"run `decision-aid schema {rules_dir}`"
    current = {name: _text(schema) for name, schema in schemas(rule_set).items()}
    problems = []
    for pattern in _SCHEMA_OF:
        for path in sorted(rules_dir.glob(pattern)):
            try:
                first = path.read_text(encoding="utf-8").partition("\n")[0]
            except (OSError, UnicodeError):
                continue  # the loader reports what it cannot read
            match = _SCHEMA_LINE.match(first)
            if match is None or "://" in match.group(1):
                continue
            target = path.parent / match.group(1)
            column = first.index("$schema=") + len("$schema=") + 1
            if not target.is_file():
                message = f"the schema line points to {match.group(1)}, which does not exist; {fix}"
            elif target.name in current and target.read_bytes() != current[target.name]:
                message = f"{match.group(1)} is out of date with the rule set's names; {fix}"
            else:
                continue
            problems.append(Problem(str(path), 1, column, "schema-line", message, Severity.WARNING))
    return problems
