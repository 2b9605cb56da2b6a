"""check + test + coverage on a generated rule set of 1,000 rules and 200 questions,
against the bundled set scaled linearly (target: within 10x, i.e. no quadratic blow-up).

    .venv/bin/python -m bench.bench_scale
"""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

import yaml

from decision_aid.authoring.cases import case_files, run_case_files
from decision_aid.authoring.coverage import measure
from decision_aid.domain import Answers, evaluate, load_rule_set
from decision_aid.paths import bundled_rules_dir

QUESTIONS, RULES, CASES = 200, 1000, 1000
LEVELS = ["go", "careful", "check", "stop"]


def generate(folder: Path, seed: int = 1) -> Path:
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
        for i in range(QUESTIONS)
    ]
    sections = [
        {"id": f"s{n}", "title": f"Section {n}", "questions": questions[n * 20 : (n + 1) * 20]}
        for n in range(QUESTIONS // 20)
    ]
    rules = []
    for r in range(RULES):
        predicates = [
            {"question": f"q{rng.randrange(QUESTIONS)}", "is": f"o{rng.randrange(4)}"}
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
    for c in range(CASES):
        answers = {f"q{i}": f"o{rng.randrange(4)}" for i in range(QUESTIONS) if rng.random() < 0.9}
        assessment = evaluate(rule_set, Answers(answers))
        cases.append(
            {
                "name": f"case {c}",
                "answers": answers,
                "expect": {"outcome": assessment.outcome.id, "fired": sorted(assessment.fired_ids)},
            }
        )
    for n in range(0, CASES, 100):  # files stay under the 1 MiB a YAML file may have
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


def main() -> None:
    bundled_time, bundled_size = min(check_test_coverage(bundled_rules_dir()) for _ in range(3))
    with tempfile.TemporaryDirectory() as folder:
        generated = generate(Path(folder))
        big_time, big_size = min(check_test_coverage(generated) for _ in range(2))
    scaled = bundled_time * big_size / bundled_size
    print(f"bundled: {bundled_time:.2f} s for size {bundled_size} (rules + questions + cases)")
    print(
        f"generated ({RULES} rules, {QUESTIONS} questions, {CASES} cases): {big_time:.2f} s "
        f"for size {big_size} = {big_time / scaled:.1f}x the bundled set scaled linearly "
        "(target <= 10x)"
    )


if __name__ == "__main__":
    main()
