"""The discussion sheet survives any text a rule set or consultation holds, and shows it
literally; and the sweep that says so can fail (planted bugs, through public seams)."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from reportlab.platypus import Table

from decision_aid.sheet import render
from tests.hardening.harness import ContractViolation, budget
from tests.hardening.sheet_sweep import PROBE, sweep_sheet

RENDER_MODULE = sys.modules["decision_aid.sheet.render"]  # the package re-exports the function


def test_the_sheet_renders_every_hostile_text_and_shows_it_literally() -> None:
    ran = sweep_sheet(render, max_examples=budget(4))
    assert ran >= 5 + budget(4)  # the table, then the generated cases


def test_the_sweep_reports_a_renderer_that_does_not_escape(monkeypatch: pytest.MonkeyPatch) -> None:
    """The slip: text handed to reportlab's Paragraph as it is (markup obeyed)."""
    monkeypatch.setattr(RENDER_MODULE, "escape", lambda text, quote=True: text)
    with pytest.raises(ContractViolation, match=r"render raised|not shown literally|outside"):
        sweep_sheet(render, max_examples=1, shrink=False)


def test_the_sweep_reports_a_table_that_cannot_split_a_row(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The slip: a plain reportlab Table, whose rows cannot split across pages."""

    class RowsWhole(Table):
        def __init__(self, rows: Any, *args: Any, **options: Any) -> None:
            options["splitInRow"] = 0
            super().__init__(rows, *args, **options)

    monkeypatch.setattr(RENDER_MODULE, "SplittingTable", RowsWhole)
    with pytest.raises(
        ContractViolation, match=r"in every table cell\]: render raised LayoutError"
    ):
        sweep_sheet(render, max_examples=1, shrink=False)


def test_the_sweep_reports_a_renderer_that_reads_a_file() -> None:
    """What an obeyed ``<img src=...>`` does: open a file that is not the app's own."""

    def snooping(*args: Any, **kwargs: Any) -> bytes:
        Path("/etc/hostname").read_bytes()
        return render(*args, **kwargs)

    with pytest.raises(ContractViolation, match=r"forbids opening /etc/hostname"):
        sweep_sheet(snooping, max_examples=1, shrink=False)


def test_the_sweep_reports_a_renderer_that_drops_the_probe() -> None:
    def dropping(assessment: Any, answers: Any, rule_set: Any, **kwargs: Any) -> bytes:
        info = rule_set.info.model_construct(**{**dict(rule_set.info), "funding": "none"})
        rule_set = rule_set.model_construct(**{**dict(rule_set), "info": info})
        override = kwargs.pop("override")
        override = replace(override, override=override.override.model_copy(update={"reason": "x"}))
        return render(assessment, answers, rule_set, override=override, **kwargs)

    with pytest.raises(ContractViolation, match="is not shown literally"):
        sweep_sheet(dropping, max_examples=1, shrink=False)
    assert "<img" in PROBE
