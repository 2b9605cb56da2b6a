"""The fuzz harness can fail: plant a bug in the loader and watch the harness report it.

Each test monkeypatches one realistic slip into the loader and runs the very function
the fuzz tests run (:func:`fuzz_rule_files`), with a small budget. If the harness
stopped checking (a tautology), these tests would fail.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from decision_aid.domain import validation, yamlsource
from decision_aid.domain.errors import Problem
from tests.conftest import MINI
from tests.hardening.harness import ContractViolation, check_loader, fuzz_rule_files


def test_fuzzing_reports_a_keyerror_planted_in_the_unknown_key_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The slip: a message lookup ``ctx['expected']`` that unknown keys do not carry."""
    real = validation._message

    def buggy(error: Any) -> str:
        if error["type"] == "extra_forbidden":
            return str(error["ctx"]["expected"])  # KeyError: unknown keys have no ctx
        return real(error)

    monkeypatch.setattr(validation, "_message", buggy)
    with pytest.raises(ContractViolation, match=r"KeyError escaped the loader") as caught:
        fuzz_rule_files(MINI, kind="structural", max_examples=300, shrink=False)
    assert "structural fuzz of" in str(caught.value), "the report names the file and the edit"


def test_fuzzing_reports_problems_planted_at_line_zero(monkeypatch: pytest.MonkeyPatch) -> None:
    """The slip: a 0-based YAML mark passed on without the +1."""
    real = yamlsource.parse_yaml

    def zero_based(text: str, file: str) -> tuple[yamlsource.Document, list[Problem]]:
        document, problems = real(text, file)
        return document, [
            Problem(p.file, p.line - 1, p.column, p.code, p.message) for p in problems
        ]

    monkeypatch.setattr(yamlsource, "parse_yaml", zero_based)
    with pytest.raises(ContractViolation, match=r"line/column below 1"):
        fuzz_rule_files(MINI, kind="bytes", max_examples=300, shrink=False)


def test_fuzzing_reports_a_planted_hang(monkeypatch: pytest.MonkeyPatch) -> None:
    """The slip: a loop that never ends on some input; the per-case timer must stop it."""
    real = yamlsource.parse_yaml

    def hanging(text: str, file: str) -> tuple[yamlsource.Document, list[Problem]]:
        if "\r" in text:
            while True:
                time.sleep(0.01)
        return real(text, file)

    monkeypatch.setattr(yamlsource, "parse_yaml", hanging)
    monkeypatch.setattr("tests.hardening.harness.CASE_SECONDS", 0.5)
    with pytest.raises(ContractViolation, match=r"the loader hung"):
        fuzz_rule_files(MINI, kind="bytes", max_examples=300, shrink=False)


def test_contract_check_reports_a_broken_rule_set_that_loads(tmp_path: Any) -> None:
    """A file broken by construction that still loads is reported, not accepted."""
    with pytest.raises(ContractViolation, match=r"a broken rule set loaded"):
        check_loader(MINI, must_refuse=True)
