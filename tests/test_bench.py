"""The benchmarks' own rule sets load, so that ``tasks.py bench`` runs to its table (a
benchmark is run by hand, and nothing else would notice one that no longer starts)."""

from __future__ import annotations

from pathlib import Path

from bench.bench_limits import write
from bench.bench_scale import BEYOND, QUICK, generate
from decision_aid.domain import load_rule_set
from decision_aid.domain.limits import LIMITS


def test_the_scale_benchmark_s_generated_rule_set_loads_beyond_the_limits(tmp_path: Path) -> None:
    root = generate(tmp_path, QUICK)
    questions, rules, _ = QUICK
    rule_set = load_rule_set(root, limits=BEYOND)
    assert len(rule_set.rules) >= rules
    assert sum(1 for _ in rule_set.questionnaire.questions()) == questions


def test_the_limits_benchmark_s_rule_set_loads_at_the_limits(tmp_path: Path) -> None:
    rule_set = load_rule_set(write(tmp_path))
    assert len(rule_set.rules) == LIMITS.rules
    assert sum(1 for _ in rule_set.questionnaire.questions()) == LIMITS.questions
