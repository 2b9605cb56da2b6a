"""The docs stay in step with the code: every problem code is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from decision_aid.domain.errors import PROBLEM_CODES, Problem

DOC = Path(__file__).parent.parent / "docs" / "rule-language.md"


def test_every_problem_code_has_a_line_in_the_rule_language_doc() -> None:
    table = DOC.read_text().split("## Problem codes", 1)[1]
    first_cells = [line.split("|")[1] for line in table.splitlines() if line.startswith("| `")]
    documented = {code for cell in first_cells for code in re.findall(r"`([a-z0-9-]+)`", cell)}
    assert documented == set(PROBLEM_CODES)


def test_an_undocumented_code_cannot_be_raised() -> None:
    with pytest.raises(ValueError, match="undocumented problem code 'made-up'"):
        Problem("f.yaml", 1, 1, "made-up", "message")
