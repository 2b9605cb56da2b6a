"""Loading a rule set: every problem at file:line:col, all at once, never an outcome."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from decision_aid.domain import RuleSetError, load_rule_set
from decision_aid.domain.yamlsource import MAX_BYTES, parse_yaml
from tests.conftest import MINI


def problems_of(directory: Path) -> list[str]:
    with pytest.raises(RuleSetError) as caught:
        load_rule_set(directory)
    return [p.format().removeprefix(str(directory) + "/") for p in caught.value.problems]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def test_the_mini_rule_set_loads_with_identity() -> None:
    rule_set = load_rule_set(MINI)
    assert rule_set.info.id == "mini"
    assert len(rule_set.rules) == 11
    assert len(rule_set.digest) == 64
    assert load_rule_set(MINI).digest == rule_set.digest


def test_digest_changes_when_a_rule_file_changes(mini_copy: Path) -> None:
    before = load_rule_set(mini_copy).digest
    edit(mini_copy / "rules" / "main.yaml", "Condition A can respond.", "A can respond.")
    assert load_rule_set(mini_copy).digest != before


# The table of broken rule files: each gives exactly these lines.
BROKEN = [
    pytest.param(
        "rules/main.yaml",
        "    title: Condition B\n",
        "    title: [Condition B\n",
        [
            "rules/main.yaml:15:9: error[yaml-syntax]: a '[' or '{{' opened at line 14 is not "
            "closed, or a ',' is missing between its items (YAML: while parsing a flow sequence "
            "did not find expected ',' or ']')"
        ],
        id="bad YAML syntax",
    ),
    pytest.param(
        "rules/main.yaml",
        "    patient_reason: B responds less.",
        "    patient_reasn: B responds less.",
        [
            "rules/main.yaml:17:5: error[unknown-key]: unknown key 'patient_reasn'; "
            "did you mean 'patient_reason'?",
            "rules/main.yaml:13:5: error[missing-key]: missing required key 'patient_reason'",
        ],
        id="misspelt key",
    ),
    pytest.param(
        "rules/main.yaml",
        "    absolute: true",
        "    absolute: sometimes",
        [
            "rules/main.yaml:39:15: error[schema]: 'absolute' must be true or false, "
            "got 'sometimes'; write true or false (yes/no are text here)"
        ],
        id="wrong type",
    ),
    pytest.param(
        "rules/main.yaml",
        "{question: diagnosis, is: other}",
        "{question: diagnosys, is: other}",
        [
            "rules/main.yaml:23:22: error[unknown-question]: 'diagnosys' is not a question; "
            "did you mean 'diagnosis'?"
        ],
        id="unknown question id",
    ),
    pytest.param(
        "rules/main.yaml",
        "{question: diagnosis, is: other}",
        "{question: diagnosis, is: otter}",
        [
            "rules/main.yaml:23:37: error[unknown-option]: 'otter' is not an option of 'diagnosis' "
            "(options: a, b, other); did you mean 'other'?"
        ],
        id="unknown option id",
    ),
    pytest.param(
        "rules/main.yaml",
        "  - id: r-untried",
        "  - id: r-other",
        [
            "rules/main.yaml:28:9: error[duplicate-id]: duplicate rule id 'r-other'; "
            "it is first used at {dir}/rules/main.yaml:21:9"
        ],
        id="duplicate rule id",
    ),
    pytest.param(
        "rules/main.yaml",
        "    citations: [{ref: src, grade: B}]",
        "    citations: [{ref: scr, grade: B}]",
        [
            "rules/main.yaml:12:23: error[unknown-reference]: 'scr' is not in the references; "
            "did you mean 'src'?"
        ],
        id="citation to a missing reference",
    ),
    pytest.param(
        "rules/main.yaml",
        "    outcome: careful\n    patient_reason: B",
        "    outcome: carefull\n    patient_reason: B",
        [
            "rules/main.yaml:16:14: error[unknown-level]: 'carefull' is not a level; "
            "did you mean 'careful'?"
        ],
        id="unknown level",
    ),
    pytest.param(
        "questionnaire.yaml",
        "        show_when: {question: sex, is: female}",
        '        show_when: {question: pregnant, is: "yes"}',
        [
            "questionnaire.yaml:35:20: error[show-when-cycle]: show_when conditions form a cycle: "
            "pregnant -> pregnant"
        ],
        id="show_when cycle",
    ),
    pytest.param(
        "questionnaire.yaml",
        "        safety: true\n        not_known: true\n        options:\n          - {id: none",
        "        safety: true\n        not_known: false\n        options:\n          - {id: none",
        [
            "questionnaire.yaml:41:20: error[safety-not-known]: safety question 'risk' must "
            "offer Not known (not_known: true)"
        ],
        id="safety question without Not known",
    ),
    pytest.param(
        "rules/main.yaml",
        "    when: {not_known: [pregnant, risk, age]}",
        "    when: {not: {not_known: [pregnant, risk, age]}}",
        [
            "rules/main.yaml:75:17: error[unsafe-not-known]: 'not_known' under 'not' (or count_of "
            "at_most) would let a missing answer make the outcome more favourable"
        ],
        id="not_known under not",
    ),
    pytest.param(
        "questionnaire.yaml",
        "        show_when: {question: sex, is: female}",
        "        show_when: {not: {not_known: [sex]}}",
        [
            "questionnaire.yaml:35:26: error[unsafe-not-known]: 'not_known' is not allowed in "
            "show_when: a missing answer could hide a safety question"
        ],
        id="not_known in show_when",
    ),
    pytest.param(
        "rules/main.yaml",
        "    when: {question: diagnosis, in: [b]}",
        "    when: {question: diagnosis, includes: [b]}",
        [
            "rules/main.yaml:15:43: error[operator-mismatch]: 'includes' does not fit single "
            "question 'diagnosis'; use in, is or not_in"
        ],
        id="operator that does not fit the question",
    ),
    pytest.param(
        "ruleset.yaml",
        'version: "1.0.0"',
        "version: 1.0",
        ["ruleset.yaml:3:10: error[schema]: 'version' must be text, got 1.0; quote it: \"1.0\""],
        id="unquoted version",
    ),
    pytest.param(
        "rules/main.yaml",
        "    when: {question: diagnosis, is: other}",
        "    when: {question: diagnosis, equals: other}",
        [
            "rules/main.yaml:23:11: error[schema]: a condition is one of: all, any, not, count_of, "
            "not_known, or a question with one of is, in, not_in, includes, at_least, at_most"
        ],
        id="condition of no known shape",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "expected"), BROKEN)
def test_broken_rule_file_gives_file_line_col(
    mini_copy: Path, file: str, old: str, new: str, expected: list[str]
) -> None:
    edit(mini_copy / file, old, new)
    assert problems_of(mini_copy) == sorted(e.format(dir=mini_copy) for e in expected)


def test_all_problems_of_all_files_come_at_once(mini_copy: Path) -> None:
    edit(
        mini_copy / "rules" / "main.yaml",
        "{question: diagnosis, is: other}",
        "{question: x, is: other}",
    )
    edit(mini_copy / "rules" / "main.yaml", "citations: [{ref: src", "citations: [{ref: nope")
    edit(mini_copy / "ruleset.yaml", "assess_first: check", "assess_first: chek")
    codes = [line.split("error[")[1].split("]")[0] for line in problems_of(mini_copy)]
    assert sorted(codes) == ["unknown-level", "unknown-question", "unknown-reference"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "a: 1\na: 2\n",
            "x.yaml:2:1: error[duplicate-key]: duplicate key 'a'; it is first set at line 1",
        ),
        (
            "a: !!python/object/apply:os.system [touch CANARY]\n",
            "x.yaml:1:4: error[yaml-tag]: tags such as "
            "'tag:yaml.org,2002:python/object/apply:os.system'"
            " are not allowed; quote the value",
        ),
        (
            "a: !include other.yaml\n",
            "x.yaml:1:4: error[yaml-tag]: tags such as '!include' are not allowed; quote the value",
        ),
        (
            "%YAML 1.1\n---\na: no\n",
            "x.yaml:1:1: error[yaml-directive]: YAML directives such as %YAML are not allowed",
        ),
        ("a: 1\n---\nb: 2\n", "x.yaml:2:1: error[yaml-documents]: only one YAML document per file"),
        (
            "a: &x [1]\nb: *x\n",
            "x.yaml:1:4: error[yaml-alias]: anchors and aliases (& and *) are not allowed; "
            "write it out",
        ),
        (
            "a:\n\tb: 1\n",
            "x.yaml:2:1: error[yaml-syntax]: a tab is used for indentation at line 2; YAML "
            "indents with spaces only (YAML: while scanning for the next token found character "
            "that cannot start any token)",
        ),
        (
            "a: [1, 2\n",
            "x.yaml:2:1: error[yaml-syntax]: a '[' or '{' opened at line 1 is not closed, or a "
            "',' is missing between its items (YAML: while parsing a flow sequence did not find "
            "expected ',' or ']')",
        ),
    ],
)
def test_yaml_hazards_are_refused_with_a_place(text: str, expected: str) -> None:
    _, problems = parse_yaml(text, "x.yaml")
    assert [p.format() for p in problems] == [expected]


def test_norway_problem_values_stay_text() -> None:
    document, problems = parse_yaml("ids: [NO, no, off, yes, on, 012, '3:20', 3:20]\n", "x.yaml")
    assert problems == []
    assert document.data == {"ids": ("NO", "no", "off", "yes", "on", "012", "3:20", "3:20")}


def test_yaml_12_scalars() -> None:
    document, _ = parse_yaml("a: true\nb: 12\nc: 1.5\nd: ~\ne: '12'\nf: 2026-01-01\n", "x.yaml")
    assert document.data == {"a": True, "b": 12, "c": 1.5, "d": None, "e": "12", "f": "2026-01-01"}


def billion_laughs(levels: int) -> str:
    lines = ['l0: &l0 "lol"']
    for i in range(1, levels):
        refs = ", ".join(f"*l{i - 1}" for _ in range(9))
        lines.append(f"l{i}: &l{i} [{refs}]")
    return "\n".join(lines) + "\n"


def test_a_ten_level_alias_bomb_is_refused_quickly(mini_copy: Path) -> None:
    (mini_copy / "rules" / "bomb.yaml").write_text(billion_laughs(10))
    start = time.perf_counter()
    lines = problems_of(mini_copy)
    assert time.perf_counter() - start < 1.0
    assert lines == [
        "rules/bomb.yaml:1:5: error[yaml-alias]: anchors and aliases (& and *) are not allowed; "
        "write it out"
    ]


@pytest.mark.parametrize("depth", [5_000, 100_000])
def test_absurd_nesting_is_refused_quickly(depth: int) -> None:
    start = time.perf_counter()
    _, problems = parse_yaml("[" * depth + "]" * depth, "x.yaml")
    assert time.perf_counter() - start < 2.0
    assert [p.code for p in problems] == ["yaml-depth"]


def test_an_oversized_file_is_refused_before_reading(mini_copy: Path) -> None:
    big = mini_copy / "rules" / "big.yaml"
    big.write_text("# " + "x" * MAX_BYTES + "\n")
    start = time.perf_counter()
    lines = problems_of(mini_copy)
    assert time.perf_counter() - start < 0.5
    assert lines == [
        f"rules/big.yaml:1:1: error[file-too-large]: file is {MAX_BYTES + 3} bytes; "
        f"the limit is {MAX_BYTES}"
    ]


def test_non_utf8_bytes_are_placed(mini_copy: Path) -> None:
    (mini_copy / "references.yaml").write_bytes(b"references:\n  - id: s\xff\n")
    assert problems_of(mini_copy) == [
        "references.yaml:2:10: error[encoding]: the file is not valid UTF-8 text"
    ]


def test_missing_files_are_named(mini_copy: Path) -> None:
    (mini_copy / "references.yaml").unlink()
    for path in (mini_copy / "rules").iterdir():
        path.unlink()
    assert problems_of(mini_copy) == [
        "references.yaml:1:1: error[missing-file]: references.yaml is missing",
        "rules:1:1: error[missing-file]: no rule files (rules/*.yaml)",
    ]


def test_a_missing_directory_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    with pytest.raises(RuleSetError) as caught:
        load_rule_set(tmp_path / "nowhere")
    assert caught.value.problems[0].code == "missing-rule-set"
