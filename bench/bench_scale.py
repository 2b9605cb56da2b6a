"""The rule author's tools at scale, and how long a proof takes.

* check + test + coverage on a generated rule set of 1,000 rules, 200 questions and 1,000
  cases, against the bundled set scaled linearly by rules + questions + cases (target:
  within 10x, i.e. no quadratic blow-up). The case files are written as the bundled ones
  are: ``base_answers`` once per file, and each case changes a few answers. Each case
  still evaluates every rule, so the work grows with cases × rules: that product is
  23 times larger here than the sizes' ratio, which is what the 10x allows for;
* verify on the bundled set (reported; it is the slowest tool).

    .venv/bin/python -m bench.bench_scale [--quick]
"""

from __future__ import annotations

import importlib.util
import random
import sys
import tempfile
import time
from dataclasses import fields
from pathlib import Path

import yaml

from bench.bench_generated import OPTIONS, rule_set_data
from bench.table import Row, format_table
from decision_aid.authoring.cases import case_files, run_case_files
from decision_aid.authoring.coverage import measure
from decision_aid.domain import evaluate, load_rule_set, parse_answers
from decision_aid.domain.limits import LIMITS, Limits
from decision_aid.paths import bundled_rules_dir

FULL = (200, 1000, 1000)  # questions, rules, cases
QUICK = (60, 300, 300)
BEYOND = Limits(**{f.name: 100 * getattr(LIMITS, f.name) for f in fields(Limits)})
"""The work limits lifted a hundredfold: this measures how the tools scale, on rule sets
larger than a real one may be (bench_limits measures one at the limits)."""


def generate(folder: Path, size: tuple[int, int, int] = FULL, seed: int = 1) -> Path:
    """The generated rule set as a folder of YAML files, with case files of what it gives."""
    questions_count, rules_count, cases_count = size
    rng = random.Random(seed)
    data = rule_set_data(rules_count, questions_count, seed)
    root = folder / "generated"
    (root / "rules").mkdir(parents=True)
    (root / "tests").mkdir()
    files = {
        "ruleset.yaml": data["info"],
        "questionnaire.yaml": data["questionnaire"],
        "references.yaml": {"references": data["references"]},
        "rules/all.yaml": {"rules": data["rules"]},
    }
    for name, content in files.items():
        (root / name).write_text(yaml.safe_dump(content, sort_keys=False))
    rule_set = load_rule_set(root, limits=BEYOND)
    # As the bundled case files are written: each file answers everything once in
    # base_answers, and each case changes a few answers (here one to five, some "unknown").
    for n in range(0, cases_count, 100):
        base = {f"q{i}": rng.choice(OPTIONS) for i in range(questions_count) if rng.random() < 0.9}
        cases = []
        for c in range(n, min(n + 100, cases_count)):
            changed = {
                f"q{rng.randrange(questions_count)}": rng.choice([*OPTIONS, "unknown"])
                for _ in range(rng.randint(1, 5))
            }
            answers = parse_answers(rule_set.questionnaire, {**base, **changed})
            assessment = evaluate(rule_set, answers)
            cases.append(
                {
                    "name": f"case {c}",
                    "answers": changed,
                    "expect": {
                        "outcome": assessment.outcome.id,
                        "fired": sorted(assessment.fired_ids),
                    },
                }
            )
        (root / "tests" / f"cases-{n // 100:02}.yaml").write_text(
            yaml.safe_dump({"base_answers": base, "cases": cases}, sort_keys=False)
        )
    return root


def check_test_coverage(rules_dir: Path) -> tuple[float, int]:
    start = time.perf_counter()
    rule_set = load_rule_set(rules_dir, limits=BEYOND)
    results, problems = run_case_files(rule_set, case_files(rules_dir))
    assert not problems
    measure(rule_set, results)
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
            f"check + test + coverage, {rules:,} rules, {questions} questions, {cases:,} cases "
            "(beyond the work limits)",
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
