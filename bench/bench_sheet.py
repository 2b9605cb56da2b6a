"""The discussion sheet's render time against a bare reportlab document with the same text.

    .venv/bin/python -m bench.bench_sheet

Both run in this process with the fonts already registered; the baseline sets the
sheet's own words as plain paragraphs in the same font (target: at most 2x).
"""

from __future__ import annotations

import io
import statistics
import timeit
from datetime import datetime
from html import escape

from pypdf import PdfReader
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate

from decision_aid.domain import evaluate, load_rule_set, parse_answers
from decision_aid.domain.yamlsource import read_yaml
from decision_aid.paths import bundled_rules_dir
from decision_aid.sheet import render
from decision_aid.sheet.fonts import REGULAR, register_fonts


def median_seconds(function: object, repeats: int = 7) -> float:
    timer = timeit.Timer(function)  # type: ignore[arg-type]
    number, _ = timer.autorange()
    return statistics.median(t / number for t in timer.repeat(repeats, number))


def main() -> None:
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

    base = median_seconds(bare)
    sheet = median_seconds(lambda: render(assessment, answers, rule_set, printed=printed))
    print(f"sheet: {len(pages)} pages, {len(pdf)} bytes, {sum(len(t.split()) for t in text)} words")
    print(
        f"render: {sheet * 1e3:.0f} ms (median) = {sheet / base:.2f}x a bare reportlab "
        f"document with the same text ({base * 1e3:.0f} ms); target <= 2x"
    )


if __name__ == "__main__":
    main()
