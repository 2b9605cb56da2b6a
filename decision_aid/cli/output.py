"""What the headless commands share once they run: loading the rule set, printing
problems and results. Imported by a command's ``run``, never to build the parser, so the
window's start does not pay for the domain."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from decision_aid.domain import (
    Answers,
    Assessment,
    InputError,
    Problem,
    RuleSet,
    RuleSetError,
    evaluate,
    load_rule_set,
    parse_answers,
)

if TYPE_CHECKING:
    from decision_aid.governance.approval import ApprovalState

__all__ = [
    "MAX_PROBLEMS",
    "approval",
    "assess",
    "error",
    "load",
    "print_json",
    "print_problems",
    "print_written",
]

MAX_PROBLEMS = 50


def print_problems(
    problems: Sequence[Problem], fmt: str, out: TextIO, limit: int = MAX_PROBLEMS
) -> None:
    """Compiler-style, ``path:line:col: error[code]: message``, sorted and capped; or JSON."""
    ordered = sorted(problems)
    if fmt == "json":
        print_json({"problems": [p.as_dict() for p in ordered]}, out)
        return
    for problem in ordered[:limit]:
        out.write(problem.format() + "\n")
    if len(ordered) > limit:
        out.write(f"… {len(ordered) - limit} more problem(s): error limit reached\n")


def print_json(data: object, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    json.dump(data, out, indent=2, ensure_ascii=False)
    out.write("\n")


def print_written(paths: Sequence[Path], fmt: str) -> None:
    if fmt == "json":
        print_json({"written": [str(p) for p in paths]})
    else:
        for path in paths:
            print(path)


def error(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)


def load(rules_dir: Path, fmt: str) -> RuleSet | None:
    """The rule set, or None once its problems are printed."""
    try:
        return load_rule_set(rules_dir)
    except RuleSetError as failed:
        print_problems(failed.problems, fmt, sys.stdout)
        return None


def approval(rule_set: RuleSet) -> ApprovalState | None:
    """The rule set's approval state, or None (said on stderr) when it is retired."""
    from decision_aid.governance.approval import approval_state

    state = approval_state(rule_set)
    if (refused := state.refusal()) is not None:
        error(f"{rule_set.source}: {refused}")
        return None
    return state


def answers_of(rule_set: RuleSet, raw: object) -> Answers:
    """An answers file's data read against the rule set's questions."""
    if not isinstance(raw, dict):
        raise InputError("answers must be a mapping of question ids to answers")
    return parse_answers(rule_set.questionnaire, raw)


def assess(rule_set: RuleSet, raw: object, settings: dict[str, str]) -> Assessment:
    return evaluate(rule_set, answers_of(rule_set, raw), settings)
