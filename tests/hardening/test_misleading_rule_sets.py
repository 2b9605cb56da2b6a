"""Rule sets that pass every other check yet would mislead are refused, each with its own
code at the place it was written; and the sweeps that show it would catch a loader that
lost one of these checks (the planted-bug tests hand them such a loader)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from decision_aid.domain import load_rule_set
from tests.conftest import BUNDLED, MINI
from tests.hardening.harness import budget
from tests.hardening.misleading import (
    HOSTILE_CHARACTERS,
    SweepReport,
    sweep_duplicate_labels,
    sweep_hidden_characters,
    sweep_hidden_safety_questions,
    sweep_hostile_ids,
    sweep_reserved_ids,
    without_code,
)

Sweep = Callable[..., SweepReport]


def _every_other(count: int) -> tuple[str, ...]:
    """``count`` hostile characters spread over the whole list."""
    step = max(1, len(HOSTILE_CHARACTERS) // count)
    return HOSTILE_CHARACTERS[::step][:count]


SWEEPS: dict[str, tuple[Sweep, str]] = {  # the sweep, and the code a planted bug drops
    "hidden characters in the mini rule set": (
        lambda load, **kw: sweep_hidden_characters(load, MINI, **kw),
        "invisible-character",
    ),
    "line breaks in the mini rule set's one-line text": (
        lambda load, **kw: sweep_hidden_characters(
            load, MINI, characters=("\n", "\r", "\u2028"), **kw
        ),
        "multi-line-title",
    ),
    "hidden characters in the bundled rule set (its sheet and properties too)": (
        lambda load, **kw: sweep_hidden_characters(
            load, BUNDLED, characters=("\n", "\t", *_every_other(budget(6))), **kw
        ),
        "invisible-character",
    ),
    "blank text in the mini rule set": (
        lambda load, **kw: sweep_hidden_characters(
            load, MINI, characters=(" ", "\u00a0", "\u3000", "\u2003"), blank=True, **kw
        ),
        "invisible-character",
    ),
    "reserved ids in the mini rule set": (
        lambda load, **kw: sweep_reserved_ids(load, MINI, each=budget(1), **kw),
        "reserved-id",
    ),
    "reserved ids in the bundled sheet and properties": (
        lambda load, **kw: sweep_reserved_ids(
            load, BUNDLED, files={"sheet.yaml", "properties.yaml"}, each=budget(1), **kw
        ),
        "reserved-id",
    ),
    "hostile characters in ids and references": (
        lambda load, **kw: sweep_hostile_ids(load, MINI, each=budget(1), **kw),
        "unknown-question",  # any code will do; the planted bug drops this one
    ),
    "safety questions under show_when": (
        lambda load, **kw: sweep_hidden_safety_questions(load, MINI, **kw),
        "safety-hidden",
    ),
    "labels that read alike": (
        lambda load, **kw: sweep_duplicate_labels(load, MINI, spread=budget(4), **kw),
        "duplicate-label",
    ),
}


@pytest.mark.parametrize("name", list(SWEEPS))
def test_every_misleading_input_is_refused_with_its_code_at_its_place(name: str) -> None:
    sweep, _ = SWEEPS[name]
    report = sweep(load_rule_set)
    print(report.summary())
    assert report.tried > 0
    assert not report.misses, "\n".join(report.misses[:20])


@pytest.mark.parametrize("name", list(SWEEPS))
def test_the_sweep_reports_a_loader_that_lost_the_check(name: str) -> None:
    """The planted bug: the loader with one check taken away; the sweep must say so."""
    sweep, code = SWEEPS[name]
    report = sweep(without_code(load_rule_set, code), enough=1)
    assert report.misses, f"a loader without {code} passed the sweep"
    assert any(f"no {code}" in miss or "loaded" in miss for miss in report.misses)


def test_the_bundled_rule_set_passes_the_new_checks() -> None:
    """Nothing in the bundled rule set is refused by them (it loads)."""
    assert load_rule_set(BUNDLED).info.id == "ketamine-chronic-pain"


def test_line_breaks_and_tabs_in_prose_are_allowed(tmp_path: Path) -> None:
    """Prose may run over lines; a sweep of only those characters refuses nothing there."""
    report = sweep_hidden_characters(load_rule_set, MINI, characters=("\n", "\t"))
    assert not report.misses, "\n".join(report.misses[:20])
