"""The rule author's tools at scale, and how long a proof takes.

* check + test + coverage on a generated rule set of 1,000 rules, 200 questions and 1,000
  cases, against the bundled set scaled linearly by rules + questions + cases (target:
  within 10x, i.e. no quadratic blow-up);
* verify on the bundled set (reported; it is the slowest tool).

    .venv/bin/python -m bench.bench_scale [--quick]
"""

from __future__ import annotations

import importlib.util
import random
import sys
import tempfile
import time
from pathlib import Path

import yaml

from bench.table import Row, format_table
from decision_aid.authoring.cases import case_files, run_case_files
from decision_aid.authoring.coverage import measure
from decision_aid.domain import Answers, evaluate, load_rule_set
from decision_aid.paths import bundled_rules_dir

FULL = (200, 1000, 1000)  # questions, rules, cases
QUICK = (60, 300, 300)
LEVELS = ["go", "careful", "check", "stop"]


def generate(folder: Path, size: tuple[int, int, int] = FULL, seed: int = 1) -> Path:
    questions_count, rules_count, cases_count = size
    rng = random.Random(seed)
    root = folder / "generated"
    (root / "rules").mkdir(parents=True)
    (root / "tests").mkdir()
    info = {
        "id": "generated",
        "title": "Generated",
        "version": "1.0.0",
        "status": "draft",
        "description": "A generated rule set for scaling benchmarks.",
        "authors": ["bench"],
        "date": "2026-01-01",
        "review_by": "2027-01-01",
        "update_policy": "None.",
        "funding": "None.",
        "assess_first": "check",
        "default_outcome": "check",
        "default_reason": "No rule applies.",
        "levels": [{"id": i, "label": i.title(), "description": f"Level {i}."} for i in LEVELS],
    }
    questions = [
        {
            "id": f"q{i}",
            "label": f"Question {i}",
            "text": f"Question {i}?",
            "type": "single",
            "not_known": True,
            "safety": i % 10 == 0,
            "options": [{"id": f"o{k}", "label": f"Option {k}"} for k in range(4)],
        }
        for i in range(questions_count)
    ]
    sections = [
        {"id": f"s{n}", "title": f"Section {n}", "questions": questions[n * 20 : (n + 1) * 20]}
        for n in range(questions_count // 20)
    ]
    rules = []
    for r in range(rules_count):
        predicates = [
            {"question": f"q{rng.randrange(questions_count)}", "is": f"o{rng.randrange(4)}"}
            for _ in range(rng.randint(1, 3))
        ]
        rules.append(
            {
                "id": f"r{r}",
                "title": f"Rule {r}",
                "when": {rng.choice(["all", "any"]): predicates},
                "outcome": rng.choice(LEVELS),
                "patient_reason": "A reason.",
                "rationale": "A rationale.",
                "citations": ["src"],
            }
        )
    (root / "ruleset.yaml").write_text(yaml.safe_dump(info, sort_keys=False))
    (root / "questionnaire.yaml").write_text(
        yaml.safe_dump({"sections": sections}, sort_keys=False)
    )
    references = [
        {"id": "src", "short": "Src", "citation": "A source.", "verification": "verified"}
    ]
    (root / "references.yaml").write_text(yaml.safe_dump({"references": references}))
    (root / "rules" / "all.yaml").write_text(yaml.safe_dump({"rules": rules}, sort_keys=False))
    rule_set = load_rule_set(root)
    cases = []
    for c in range(cases_count):
        answers = {
            f"q{i}": f"o{rng.randrange(4)}" for i in range(questions_count) if rng.random() < 0.9
        }
        assessment = evaluate(rule_set, Answers(answers))
        cases.append(
            {
                "name": f"case {c}",
                "answers": answers,
                "expect": {"outcome": assessment.outcome.id, "fired": sorted(assessment.fired_ids)},
            }
        )
    for n in range(0, cases_count, 100):  # files stay under the 1 MiB a YAML file may have
        chunk = {"cases": cases[n : n + 100]}
        (root / "tests" / f"cases-{n // 100:02}.yaml").write_text(
            yaml.safe_dump(chunk, sort_keys=False)
        )
    return root


def check_test_coverage(rules_dir: Path) -> tuple[float, int]:
    start = time.perf_counter()
    rule_set = load_rule_set(rules_dir)
    results, problems = run_case_files(rule_set, case_files(rules_dir))
    assert not problems
    measure(rules_dir, rule_set, results)
    size = len(rule_set.rules) + sum(1 for _ in rule_set.questionnaire.questions()) + len(results)
    return time.perf_counter() - start, size


def run(quick: bool = False) -> list[Row]:
    size = QUICK if quick else FULL
    bundled_time, bundled_size = min(check_test_coverage(bundled_rules_dir()) for _ in range(3))
    with tempfile.TemporaryDirectory() as folder:
        generated = generate(Path(folder), size)
        big_time, big_size = min(check_test_coverage(generated) for _ in range(1 if quick else 2))
    scaled = bundled_time * big_size / bundled_size
    questions, rules, cases = size
    rows = [
        Row(
            f"check + test + coverage, {rules:,} rules, {questions} questions, {cases:,} cases",
            "the bundled set, scaled linearly by rules + questions + cases",
            f"{big_time:.2f} s vs {scaled:.2f} s "
            f"({bundled_time:.3f} s × {big_size / bundled_size:.1f})",
            big_time / scaled,
            "≤ 10×",
            big_time / scaled <= 10,
        )
    ]
    if importlib.util.find_spec("z3") is not None:
        from decision_aid.authoring.verify import verify

        rule_set = load_rule_set(bundled_rules_dir())
        start = time.perf_counter()
        findings = verify(rule_set)
        seconds = time.perf_counter() - start
        rows.append(
            Row(
                f"verify, bundled set ({len(findings)} properties over every answer set)",
                "—",
                f"{seconds:.1f} s",
                None,
                "reported",
                True,
            )
        )
    return rows


if __name__ == "__main__":
    print(format_table(run(quick="--quick" in sys.argv)))
