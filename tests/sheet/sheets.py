"""Contrasting sheets of the bundled rule set, rendered once and read back as text."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

import pypdfium2 as pdfium
from pypdf import PdfReader

from decision_aid.domain import RuleSet, evaluate, load_rule_set, parse_answers
from decision_aid.domain.yamlsource import read_yaml
from decision_aid.sheet import Part, render
from tests.conftest import BUNDLED

__all__ = [
    "CONTRASTS",
    "PART_HEADINGS",
    "PRINTED",
    "RULES",
    "Sheet",
    "base_answers",
    "contrast",
    "sheet_of",
]

PRINTED = datetime(2026, 11, 24, 12, 0)
RULES = load_rule_set(BUNDLED)
PART_HEADINGS = (
    "Your options, side by side",
    "More detail, to read at home",
    "For the clinician",
)
"""The first words of the parts after page 1: each starts on a new page."""


def base_answers() -> dict[str, Any]:
    data: dict[str, Any] = read_yaml(BUNDLED / "examples" / "crps-no-concerns.yaml")[0].data
    return dict(data)


CONTRASTS: dict[str, tuple[dict[str, Any], str]] = {
    "favourable": ({}, "asra_2018"),
    "UK basis": ({}, "nice_ng193"),
    "weak evidence": ({"diagnosis": "fibromyalgia"}, "asra_2018"),
    "guideline refusal": ({"diagnosis": "fibromyalgia"}, "nice_ng193"),
    "contraindication": ({"cardiovascular": "poorly_controlled"}, "asra_2018"),
    "safety not known": ({"pregnancy": "unknown", "liver": "unknown"}, "asra_2018"),
    "first-line not tried": ({"rehab_tried": "no"}, "nice_ng193"),
    "no graded evidence": ({"diagnosis": "other"}, "asra_2018"),
}
"""Sheets that differ in outcome, basis, evidence and what is still to check."""


@dataclass(frozen=True)
class Sheet:
    pdf: bytes
    pages: tuple[str, ...]

    @property
    def starts(self) -> tuple[int, ...]:
        """The index of the first page of each part (page 1 is the first)."""
        found = [0]
        for heading in PART_HEADINGS:
            at = next((i for i, t in enumerate(self.pages) if t.startswith(heading)), None)
            if at is not None:
                found.append(at)
        return tuple(found)

    def part(self, heading: str | None) -> tuple[str, ...]:
        """The pages of the part that starts with ``heading`` (None: the summary's page 1)."""
        starts = self.starts
        first = (
            0 if heading is None else next(i for i in starts if self.pages[i].startswith(heading))
        )
        later = [i for i in starts if i > first]
        return self.pages[first : later[0] if later else len(self.pages)]

    @property
    def patient(self) -> str:
        """The patient's pages (everything before the clinician's), without page furniture."""
        cut = next(i for i, t in enumerate(self.pages) if t.startswith("For the clinician"))
        return "\n".join(_body(page) for page in self.pages[:cut])

    def blank_fractions(self) -> list[float]:
        """How much of each page's frame is empty below the last thing printed on it."""
        document = pdfium.PdfDocument(self.pdf)
        fractions = []
        try:
            for index in range(len(document)):
                page = document[index]
                height = page.get_height()
                top, bottom = height - 20 * 72 / 25.4, 28 * 72 / 25.4  # the frame's edges
                lowest = top
                for obj in page.get_objects(max_depth=1):
                    _, low, _, high = obj.get_bounds()
                    if low >= bottom and high <= top + 2:  # not the footer or the mark
                        lowest = min(lowest, low)
                fractions.append((lowest - bottom) / (top - bottom))
        finally:
            document.close()
        return fractions


def _body(page: str) -> str:
    lines = page.splitlines()
    # Reading order: the approval mark, the body, then the footer's lines.
    cut = next((i for i, line in enumerate(lines) if line.startswith("Rule set ")), len(lines))
    return "\n".join(line for line in lines[:cut] if not line.startswith(("DRAFT", "EXPIRED")))


def sheet_of(
    rule_set: RuleSet,
    answers: dict[str, Any],
    settings: dict[str, str] | None = None,
    *,
    part: Part = "full",
    patient_label: str | None = None,
) -> Sheet:
    parsed = parse_answers(rule_set.questionnaire, answers)
    assessment = evaluate(rule_set, parsed, settings)
    pdf = render(
        assessment, parsed, rule_set, printed=PRINTED, part=part, patient_label=patient_label
    )
    pages = tuple(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return Sheet(pdf, pages)


@cache
def contrast(name: str, part: Part = "full") -> Sheet:
    changes, basis = CONTRASTS[name]
    return sheet_of(RULES, {**base_answers(), **changes}, {"guideline_basis": basis}, part=part)
