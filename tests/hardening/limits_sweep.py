"""Rule sets just inside and just beyond every work limit, and non-finite numbers everywhere.

:func:`sweep_limits` builds, for each limit, a copy of the mini rule set with exactly the
limit's count of something (it must load, and lint must take it) and one with one more
(it must be refused with ``over-limit`` at the node past the limit). :func:`sweep_numbers`
writes an infinite or oversized number into every numeric field. Both take the loader and
the limits as parameters, so a planted-bug test can hand them a weakened loader and watch
them report it.
"""

from __future__ import annotations

import copy
import functools
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from decision_aid.authoring.lint import lint
from decision_aid.domain import Answers, RuleSet, RuleSetError, evaluate
from decision_aid.domain.limits import Limits
from decision_aid.domain.yamlsource import YamlPath, parse_yaml
from tests.conftest import MINI
from tests.hardening.harness import (
    CASE_SECONDS,
    SCALE,
    CaseTimeout,
    ContractViolation,
    Loader,
    check_loader,
    time_limit,
)

__all__ = ["LIMIT_CASES", "NUMBER_FIELDS", "Loader", "SweepReport", "sweep_limits", "sweep_numbers"]

Files = dict[str, Any]
"""A rule set's files as plain data, by path relative to the folder."""


_DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_READER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.cache
def _mini_files() -> Files:
    files = {}
    for path in sorted(MINI.rglob("*.yaml")):
        name = str(path.relative_to(MINI))
        if not name.startswith("tests"):
            files[name] = yaml.load(path.read_text(), Loader=_READER)
    return files


def _mini() -> Files:
    return copy.deepcopy(_mini_files())


def _rule(index: int, when: Any, **extra: Any) -> dict[str, Any]:
    return {
        "id": f"x{index}",
        "title": f"Extra {index}",
        "when": when,
        "outcome": "check",
        "patient_reason": "Because.",
        "rationale": "Because.",
        "citations": ["src"],
        **extra,
    }


def _question(index: int, **extra: Any) -> dict[str, Any]:
    return {
        "id": f"x{index}",
        "label": f"X {index}",
        "text": f"X {index}?",
        "type": "yes_no",
        **extra,
    }


def _extra_rules(files: Files, rules: list[dict[str, Any]]) -> tuple[str, YamlPath]:
    files["rules/zz-extra.yaml"] = {"rules": rules}
    return "rules/zz-extra.yaml", ("rules",)


# Each case makes the files hold ``n`` of something, and says where the node that is one
# past ``limit`` sits (its file and YAML path), for when n is limit + 1.
Build = Callable[[Files, int, int], tuple[str, YamlPath]]


def _rules(files: Files, n: int, limit: int) -> tuple[str, YamlPath]:
    have = len(files["rules/main.yaml"]["rules"])
    _extra_rules(files, [_rule(i, {"question": "tried", "is": "no"}) for i in range(n - have)])
    return "rules/zz-extra.yaml", ("rules", limit - have)


def _rule_files(files: Files, n: int, limit: int) -> tuple[str, YamlPath]:
    for i in range(n - 1):
        files[f"rules/zz-{i:03}.yaml"] = {"rules": [_rule(i, {"question": "tried", "is": "no"})]}
    return f"rules/zz-{limit - 1:03}.yaml", ()


def _questions(files: Files, n: int, limit: int) -> tuple[str, YamlPath]:
    sections = files["questionnaire.yaml"]["sections"]
    have = sum(len(s["questions"]) for s in sections)
    extra = [_question(i) for i in range(n - have)]
    sections.append({"id": "extra", "title": "Extra", "questions": extra})
    return "questionnaire.yaml", ("sections", len(sections) - 1, "questions", limit - have)


def _sections(files: Files, n: int, limit: int) -> tuple[str, YamlPath]:
    sections = files["questionnaire.yaml"]["sections"]
    have = len(sections)
    for i in range(n - have):
        sections.append({"id": f"s{i}", "title": f"S{i}", "questions": [_question(i)]})
    return "questionnaire.yaml", ("sections", limit)


def _options(files: Files, n: int, limit: int) -> tuple[str, YamlPath]:
    question = files["questionnaire.yaml"]["sections"][0]["questions"][0]
    have = len(question["options"])  # the rules name these
    question["options"] += [{"id": f"o{i}", "label": f"O {i}"} for i in range(n - have)]
    return "questionnaire.yaml", ("sections", 0, "questions", 0, "options", limit)


def _levels(files: Files, n: int, limit: int) -> tuple[str, YamlPath]:
    levels = files["ruleset.yaml"]["levels"]
    for i in range(n - len(levels)):
        levels.insert(0, {"id": f"l{i}", "label": f"L {i}", "description": "A level."})
    return "ruleset.yaml", ("levels", limit)


def _settings(files: Files, n: int, limit: int) -> tuple[str, YamlPath]:
    settings = files["ruleset.yaml"]["settings"]
    for i in range(n - len(settings)):
        settings.append(
            {
                "id": f"s{i}",
                "label": f"S{i}",
                "default": "c",
                "choices": [{"id": "c", "label": "C"}],
            }
        )
    return "ruleset.yaml", ("settings", limit)


def _choices(files: Files, n: int, limit: int) -> tuple[str, YamlPath]:
    setting = files["ruleset.yaml"]["settings"][0]
    setting["choices"] += [
        {"id": f"c{i}", "label": f"C {i}"} for i in range(n - len(setting["choices"]))
    ]
    return "ruleset.yaml", ("settings", 0, "choices", limit)


def _combinations(files: Files, n: int, limit: int) -> tuple[str, YamlPath]:
    # The first setting keeps 2 choices; a second one brings the product to n (n even).
    files["ruleset.yaml"]["settings"].append(
        {
            "id": "second",
            "label": "Second",
            "default": "c0",
            "choices": [{"id": f"c{i}", "label": f"C {i}"} for i in range(n // 2)],
        }
    )
    return "ruleset.yaml", ("settings",)


def _references(files: Files, n: int, limit: int) -> tuple[str, YamlPath]:
    references = files["references.yaml"]["references"]
    have = len(references)
    references += [
        {"id": f"ref{i}", "short": "R", "citation": "R.", "verification": "verified"}
        for i in range(n - have)
    ]
    return "references.yaml", ("references", limit)


def _properties(files: Files, n: int, limit: int) -> tuple[str, YamlPath]:
    files["properties.yaml"] = {
        "properties": [
            {
                "id": f"p{i}",
                "title": "P",
                "when": {"question": "pregnant", "is": "yes"},
                "at_least": "stop",
            }
            for i in range(n)
        ]
    }
    return "properties.yaml", ("properties", limit)


def _condition_nodes(files: Files, n: int, limit: int) -> tuple[str, YamlPath]:
    parts = [{"question": "tried", "is": "no"} for _ in range(n - 1)]  # with `any`: n nodes
    _extra_rules(files, [_rule(0, {"any": parts})])
    return "rules/zz-extra.yaml", ("rules", 0, "when", "any", limit - 1)


def _nodes(files: Files, n: int, limit: int) -> tuple[str, YamlPath]:
    existing = sum(_count(rule["when"]) for rule in files["rules/main.yaml"]["rules"])
    for section in files["questionnaire.yaml"]["sections"]:
        existing += sum(_count(q["show_when"]) for q in section["questions"] if "show_when" in q)
    rules: list[dict[str, Any]] = []
    total, size = existing, 20
    while total < n:
        take = min(size, n - total)
        when = (
            {"question": "tried", "is": "no"}
            if take == 1
            else {"any": [{"question": "tried", "is": "no"} for _ in range(take - 1)]}
        )
        rules.append(_rule(len(rules), when))
        total += take
    _extra_rules(files, rules)
    # The rule whose condition crosses the limit.
    crossing, total = 0, existing
    for i, rule in enumerate(rules):
        total += _count(rule["when"])
        if total > limit:
            crossing = i
            break
    return "rules/zz-extra.yaml", ("rules", crossing, "when")


def _count(condition: Any) -> int:
    if isinstance(condition, dict):
        for key in ("all", "any", "count_of"):
            if key in condition:
                return 1 + sum(_count(c) for c in condition[key])
        if "not" in condition:
            return 1 + _count(condition["not"])
    return 1


def _depth(files: Files, n: int, limit: int) -> tuple[str, YamlPath]:
    when: Any = {"question": "tried", "is": "no"}
    for _ in range(n):
        when = {"all": [when]}
    _extra_rules(files, [_rule(0, when)])
    return "rules/zz-extra.yaml", ("rules", 0, "when", *(("all", 0) * (limit + 1)))


def _bounds(files: Files, n: int, limit: int) -> tuple[str, YamlPath]:
    # mini already tests age at_most 17: the extra bounds are 18, 19, ... as at_least.
    rules = [_rule(i, {"question": "age", "at_least": 18 + i}) for i in range(n - 1)]
    _extra_rules(files, rules)
    return "rules/zz-extra.yaml", ("rules", limit - 1, "when", "at_least")


def _list_items(files: Files, n: int, limit: int) -> tuple[str, YamlPath]:
    _extra_rules(
        files, [_rule(0, {"question": "tried", "is": "no"}, cautions=[f"C {i}." for i in range(n)])]
    )
    return "rules/zz-extra.yaml", ("rules", 0, "cautions", limit)


def _id_length(files: Files, n: int, limit: int) -> tuple[str, YamlPath]:
    rule = _rule(0, {"question": "tried", "is": "no"})
    rule["id"] = "x" * n
    _extra_rules(files, [rule])
    return "rules/zz-extra.yaml", ("rules", 0, "id")


def _label_length(files: Files, n: int, limit: int) -> tuple[str, YamlPath]:
    files["questionnaire.yaml"]["sections"][0]["questions"][0]["label"] = "L" * n
    return "questionnaire.yaml", ("sections", 0, "questions", 0, "label")


def _text_length(files: Files, n: int, limit: int) -> tuple[str, YamlPath]:
    words = ("word " * (n // 5 + 1))[:n]
    _extra_rules(files, [_rule(0, {"question": "tried", "is": "no"}, rationale=words)])
    return "rules/zz-extra.yaml", ("rules", 0, "rationale")


@dataclass(frozen=True)
class LimitCase:
    name: str  # the Limits field
    build: Build
    step: int = 1  # the smallest step past the limit the case can build


LIMIT_CASES = (
    LimitCase("rules", _rules),
    LimitCase("rule_files", _rule_files),
    LimitCase("questions", _questions),
    LimitCase("sections", _sections),
    LimitCase("options", _options),
    LimitCase("levels", _levels),
    LimitCase("settings", _settings),
    LimitCase("choices", _choices),
    LimitCase("setting_combinations", _combinations, step=2),
    LimitCase("references", _references),
    LimitCase("properties", _properties),
    LimitCase("condition_nodes", _condition_nodes),
    LimitCase("nodes", _nodes),
    LimitCase("condition_depth", _depth),
    LimitCase("bounds", _bounds),
    LimitCase("list_items", _list_items),
    LimitCase("id_length", _id_length),
    LimitCase("label_length", _label_length),
    LimitCase("text_length", _text_length),
)


@dataclass
class SweepReport:
    tried: int = 0
    clean: int = 0
    seconds: float = 0.0
    by_case: dict[str, float] = field(default_factory=dict)


def _write(root: Path, files: Files) -> None:
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(MINI, root)
    for name, data in files.items():
        text = yaml.dump(data, Dumper=_DUMPER, sort_keys=False, width=10_000, allow_unicode=True)
        (root / name).write_text(text)


def _place(root: Path, name: str, path: YamlPath) -> tuple[str, int, int]:
    document, _ = parse_yaml((root / name).read_text(), str(root / name))
    mark = document.mark(path)
    return str(root / name), mark.line, mark.column


def _load(load: Loader, root: Path, context: str) -> tuple[RuleSet | None, RuleSetError | None]:
    """Load; nothing but a rule set or a RuleSetError may come out, within the time."""
    try:
        with time_limit(CASE_SECONDS):
            return load(root), None
    except RuleSetError as error:
        return None, error
    except CaseTimeout as timeout:
        raise ContractViolation(f"the loader hung: {timeout} {context}") from None
    except Exception as escaped:
        raise ContractViolation(
            f"{type(escaped).__name__} escaped the loader {context}"
        ) from escaped


def _inside(load: Loader, root: Path, context: str) -> None:
    rule_set, error = _load(load, root, context)
    if error is not None:
        raise ContractViolation(f"a rule set at the limit was refused {context}: {error}")
    assert rule_set is not None
    assert evaluate(rule_set, Answers()).missing is not None  # it evaluates
    lint(rule_set, today=date(2026, 6, 1), solver=False)  # and lint takes it


def _beyond(load: Loader, root: Path, code: str, place: tuple[str, int, int], context: str) -> None:
    _, error = _load(load, root, context)
    if error is None:
        raise ContractViolation(f"a rule set beyond the limit loaded {context}")
    found = [(p.file, p.line, p.column) for p in error.problems if p.code == code]
    if not found:
        codes = sorted({p.code for p in error.problems})
        raise ContractViolation(f"refused without '{code}' (codes: {codes}) {context}")
    if place not in found:
        raise ContractViolation(f"'{code}' at {found}, not at {place} {context}")


def sweep_limits(
    load: Loader, limits: Limits, cases: tuple[LimitCase, ...] = LIMIT_CASES
) -> SweepReport:
    """Each limit just inside (loads) and just beyond (refused at the place); raises
    :class:`ContractViolation` on the first that is not handled."""
    report = SweepReport()
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="limits-") as scratch:
        root = Path(scratch) / "set"
        for case in cases:
            limit = int(getattr(limits, case.name))
            for n, beyond in ((limit, False), (limit + case.step, True)):
                files = _mini()
                name, path = case.build(files, n, limit)
                _write(root, files)
                context = f"[{case.name}: {n}, the limit {limit}]"
                began = time.monotonic()
                report.tried += 1
                if beyond:
                    _beyond(load, root, "over-limit", _place(root, name, path), context)
                else:
                    _inside(load, root, context)
                report.clean += 1
                report.by_case[case.name] = (
                    report.by_case.get(case.name, 0) + time.monotonic() - began
                )
    report.seconds = time.monotonic() - start
    return report


NUMBER_FIELDS: tuple[tuple[str, YamlPath], ...] = (
    ("questionnaire.yaml", ("sections", 1, "questions", 3, "minimum")),
    ("questionnaire.yaml", ("sections", 1, "questions", 3, "maximum")),
    ("rules/main.yaml", ("rules", 7, "when", "at_most")),
    ("rules/zz-extra.yaml", ("rules", 0, "when", "at_least")),
    ("rules/zz-extra.yaml", ("rules", 1, "when", "any", 1, "not", "at_most")),
    ("questionnaire.yaml", ("sections", 1, "questions", 1, "show_when", "at_least")),
    ("properties.yaml", ("properties", 0, "when", "all", 0, "at_least")),
)
"""Every place a rule set holds a number the engine compares: a question's range, a bound
in a rule (plain and nested), in a show_when and in a property."""

NON_FINITE = ("1e999", "-1e999", "+1E400", "-2e308", "1" + "0" * 400 + ".0")
OVERSIZED = ("1e10", "-1e10", "123456789012", "1.5e300")
NOT_NUMBERS = (".inf", "-.inf", ".nan", ".NaN", "inf", "nan", "Infinity")


def _numbers_files() -> Files:
    files = _mini()
    _extra_rules(
        files,
        [
            _rule(0, {"question": "age", "at_least": 65}),
            _rule(
                1,
                {
                    "any": [
                        {"question": "tried", "is": "no"},
                        {"not": {"question": "age", "at_most": 80}},
                    ]
                },
            ),
        ],
    )
    # pregnancy is asked only for some ages too, and a property reads age.
    pregnant = files["questionnaire.yaml"]["sections"][1]["questions"][1]
    pregnant["show_when"] = {"question": "age", "at_least": 12}
    files["properties.yaml"] = {
        "properties": [
            {
                "id": "p",
                "title": "P",
                "when": {"all": [{"question": "age", "at_least": 99}]},
                "at_least": "go",
            }
        ]
    }
    return files


def sweep_numbers(load: Loader) -> SweepReport:
    """An infinite, oversized or non-number value in every numeric field: each is refused,
    infinite ones with ``not-finite`` and oversized ones with ``over-limit`` at the field."""
    report = SweepReport()
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="numbers-") as scratch:
        root = Path(scratch) / "set"
        base = _numbers_files()
        _write(root, base)
        check_loader(root, context="[numbers: the base set]")
        cases = [(v, "not-finite") for v in NON_FINITE] + [(v, "over-limit") for v in OVERSIZED]
        cases += [(v, "schema") for v in NOT_NUMBERS]
        for index, (name, path) in enumerate(NUMBER_FIELDS):
            # Every value in every field from HARDENING_SCALE 2; at 1, every other value,
            # the fields taking turns, so that each value still meets several fields.
            picked = cases if SCALE >= 2 else cases[index % 2 :: 2]
            for text, code in picked:
                _write(root, base)
                target = root / name
                place = _place(root, name, path)
                lines = target.read_text().splitlines(keepends=True)
                line = lines[place[1] - 1]
                column = place[2] - 1
                end = column
                while end < len(line) and line[end] not in ",}]\n":
                    end += 1
                lines[place[1] - 1] = line[:column] + text + line[end:]
                target.write_text("".join(lines))
                context = f"[{name} {'/'.join(map(str, path))} = {text}]"
                report.tried += 1
                _beyond(load, root, code, place, context)
                report.clean += 1
    report.seconds = time.monotonic() - start
    return report
