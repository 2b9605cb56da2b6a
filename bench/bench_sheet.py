"""The discussion sheet's render time against a bare reportlab document with the same text.

    .venv/bin/python -m bench.bench_sheet

Both run in this process with the fonts already registered; the baseline sets the
sheet's own words as plain paragraphs in the same font (target: at most 2x).
"""

from __future__ import annotations

import io
from datetime import datetime
from html import escape

from pypdf import PdfReader
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate

from bench.table import Row, format_table
from bench.timing import interleaved, ms
from decision_aid.domain import evaluate, load_rule_set, parse_answers
from decision_aid.domain.yamlsource import read_yaml
from decision_aid.paths import bundled_rules_dir
from decision_aid.sheet import render
from decision_aid.sheet.fonts import REGULAR, register_fonts


def run(quick: bool = False) -> list[Row]:
    rules = bundled_rules_dir()
    rule_set = load_rule_set(rules)
    raw = read_yaml(rules / "examples" / "crps-asra.yaml")[0].data
    answers = parse_answers(rule_set.questionnaire, raw)
    assessment = evaluate(rule_set, answers)
    printed = datetime(2026, 11, 24, 12, 0)
    register_fonts()
    pdf = render(assessment, answers, rule_set, printed=printed)
    pages = PdfReader(io.BytesIO(pdf)).pages
    text = [line for page in pages for line in page.extract_text().splitlines() if line.strip()]
    style = ParagraphStyle("plain", fontName=REGULAR, fontSize=12, leading=16)

    def bare() -> bytes:
        buffer = io.BytesIO()
        SimpleDocTemplate(buffer, invariant=1, initialFontName=REGULAR).build(
            [Paragraph(escape(line), style) for line in text]
        )
        return buffer.getvalue()

    base, sheet = interleaved(
        [bare, lambda: render(assessment, answers, rule_set, printed=printed)], 3 if quick else 7
    )
    words = sum(len(t.split()) for t in text)
    return [
        Row(
            f"render the discussion sheet ({len(pages)} pages, {words} words)",
            "bare reportlab document, same text and fonts",
            f"{ms(sheet)} vs {ms(base)}",
            sheet / base,
            "≤ 2×",
            sheet <= 2 * base,
        )
    ]


if __name__ == "__main__":
    print(format_table(run()))
