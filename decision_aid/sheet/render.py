"""The discussion sheet: patient pages first, the clinician's summary last.

``render`` is deterministic for the same inputs (reportlab's invariant mode, and the
printing date is a parameter), so tests can compare sheets and a sheet can be
reproduced from a saved consultation.

Every string from a rule set or a consultation is untrusted. reportlab's ``Paragraph``
parses its text as markup (``<img src=...>`` would read a file, ``<font size=...>``
would break the layout), so text reaches a Paragraph only through :func:`_text`, which
escapes it, and every Paragraph is built by :func:`_para`, which takes :data:`Markup`
only: mypy rejects a plain ``str`` there. Tables split inside a row, so no text is too
long for a page; a field is shortened (visibly) only past :data:`MAX_FIELD_CHARS`.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import datetime
from html import escape
from typing import TYPE_CHECKING, Any, NewType

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from decision_aid.domain import Answers, Assessment, RuleSet
from decision_aid.domain.leaflet import Figure, SheetContent
from decision_aid.domain.progress import question_visibility
from decision_aid.domain.questionnaire import QuestionType
from decision_aid.domain.truth import Truth
from decision_aid.present.levels import level_style
from decision_aid.present.override import ClinicianView
from decision_aid.present.wording import (
    CLINICIANS_VIEW,
    NOT_A_DECISION,
    NOT_CURRENT,
    REVIEW,
    RULE_OUTCOME,
    TO_CHECK_HEADING,
)
from decision_aid.sheet.fonts import BOLD, REGULAR, register_fonts
from decision_aid.sheet.icons import IconArray

if TYPE_CHECKING:
    from decision_aid.governance.approval import ApprovalState

__all__ = ["MAX_FIELD_CHARS", "SURE_ITEMS", "SplittingTable", "render"]

Markup = NewType("Markup", str)
"""Text reportlab may parse: the app's own markup around escaped input, nothing else."""

MAX_FIELD_CHARS = 10_000
"""Past this a field is cut, with a note saying so: a sheet is read, not searched."""
FOOTER_CHARS = 160  # the footer has room for about two lines of each

# The SURE test, in its published wording (Légaré et al. 2010); "yes" scores 1.
SURE_ITEMS = (
    ("Sure of myself", "Do you feel SURE about the best choice for you?"),
    ("Understand information", "Do you know the benefits and risks of each option?"),
    ("Risk-benefit ratio", "Are you clear about which benefits and risks matter most to you?"),
    ("Encouragement", "Do you have enough support and advice to make a choice?"),
)
SURE_REFERENCE = "legare2010"
BENEFIT, HARM = colors.HexColor("#009E73"), colors.HexColor("#D55E00")
MARGIN = 18 * mm


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle(
        "body",
        fontName=REGULAR,
        bulletFontName=REGULAR,
        fontSize=12.5,
        leading=18,
        alignment=TA_LEFT,
    )

    def style(name: str, **changes: Any) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **changes)

    return {
        "body": base,
        "title": style("title", fontName=BOLD, fontSize=22, leading=28, spaceAfter=8),
        "h2": style("h2", fontName=BOLD, fontSize=16, leading=22, spaceBefore=10, spaceAfter=4),
        "h3": style("h3", fontName=BOLD, fontSize=13.5, leading=19, spaceBefore=6, spaceAfter=2),
        "bullet": style("bullet", leftIndent=14, bulletIndent=2, spaceAfter=3),
        "cell": style("cell", fontSize=12, leading=16),
        "small": style("small", fontSize=9, leading=12),
        "clin": style("clin", fontSize=9.5, leading=12.5),
        "clin-h": style("clin-h", fontName=BOLD, fontSize=12, leading=15, spaceBefore=6),
        "badge": style("badge", fontName=BOLD, fontSize=18, leading=24),
    }


class _Citations:
    """Numbers references in order of first use; every claim shows its numbers."""

    def __init__(self, rule_set: RuleSet) -> None:
        self.rule_set = rule_set
        self.order: list[str] = []

    def mark(self, ids: Sequence[str]) -> Markup:
        numbers = []
        for ref in ids:
            if ref not in self.order:
                self.order.append(ref)
            numbers.append(self.order.index(ref) + 1)
        return Markup(f" <font size='9'>[{', '.join(str(n) for n in sorted(set(numbers)))}]</font>")


class _NumberedCanvas(Canvas):
    """Holds the pages back until the end, so every footer can say "page x of y"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._saved: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._saved.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]  # reportlab's own page reset

    def save(self) -> None:
        total = len(self._saved)
        for state in self._saved:
            self.__dict__.update(state)
            footer = getattr(self, "_footer", None)
            if footer is not None:
                footer(self, total)
            super().showPage()
        super().save()


def _table_style(commands: list[tuple[Any, ...]]) -> TableStyle:
    """A table style whose plain-text cells use the embedded font, not Helvetica."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), REGULAR), *commands])


def _sentence(text: str) -> str:
    """Capitalised and ending in a full stop, without lower-casing "CRPS"."""
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "?", "!")) else ".")


def _first(text: str) -> str:
    """The first sentence, for the footer; the whole text is printed on the last page."""
    end = text.find(". ")
    first = text if end < 0 else text[: end + 1]
    return first if len(first) <= FOOTER_CHARS else first[: FOOTER_CHARS - 1].rstrip() + "…"


# C0 and C1 controls (but tab and newline) and lone surrogates: reportlab can neither
# measure nor encode them. NUL would end a C string in a viewer.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def _text(value: object) -> Markup:
    """Any text from a file, as literal Paragraph text: escaped, printable, length-capped."""
    text = _UNPRINTABLE.sub("\ufffd", str(value))
    if len(text) > MAX_FIELD_CHARS:
        cut = len(text) - MAX_FIELD_CHARS
        text = f"{text[:MAX_FIELD_CHARS]} […{cut} more characters, not printed]"
    return Markup(escape(text, quote=False))


def _para(markup: Markup, style: ParagraphStyle, *, bullet: bool = False) -> Paragraph:
    """The only way a Paragraph is made: from :data:`Markup`, never from a plain ``str``."""
    return Paragraph(markup, style, bulletText="•" if bullet else None)


def _plain(text: str, style: ParagraphStyle) -> Paragraph:
    """Text shown as it is, whatever it holds."""
    return _para(_text(text), style)


REPEAT_HEADER_POINTS = 120.0  # a taller header is not repeated: it could not split


def _height(cell: Any, width: float) -> float:
    cells = cell if isinstance(cell, list) else [cell]
    return sum(c.wrap(width, 1e9)[1] for c in cells if isinstance(c, Flowable))


class SplittingTable(Table):
    """A table that splits inside a row when one cell is taller than the page.

    reportlab refuses an in-row split that would leave less than ``splitInRow`` points
    for the next page, so a row a hair taller than the frame could not be placed at
    all (LayoutError); then the split is tried again a little higher up.
    """

    def __init__(self, rows: Any, *args: Any, **options: Any) -> None:
        options.setdefault("splitByRow", 1)  # reportlab re-creates the pieces of a split
        options.setdefault("splitInRow", 1)
        super().__init__(rows, *args, **options)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts: list[Flowable] = super().split(availWidth, availHeight)
        if not parts and availHeight > 4 * SPLIT_SLACK:
            parts = super().split(availWidth, availHeight - SPLIT_SLACK)
        return parts


SPLIT_SLACK = 12.0
FIGURE_TEXT_POINTS = 260.0  # beside the pictures up to this; longer text goes above them


def _table(rows: list[list[Any]], *, repeatRows: int = 0, **options: Any) -> Table:
    """A table that splits inside a row when one cell is taller than the page.

    reportlab cannot split a repeated header row, so a header row made tall by long
    text (an option's title) is printed once instead of on every page.
    """
    widths = options.get("colWidths") or [A4[0]] * len(rows[0])
    if repeatRows and any(
        _height(cell, width - 12) > REPEAT_HEADER_POINTS
        for row in rows[:repeatRows]
        for cell, width in zip(row, widths, strict=False)
    ):
        repeatRows = 0
    return SplittingTable(rows, repeatRows=repeatRows, **options)


def _answer_words(rule_set: RuleSet, answers: Answers, question_id: str) -> str:
    question = rule_set.questionnaire.by_id[question_id]
    if question_id in answers.not_known:
        return "Not known"
    value = answers.get(question_id)
    if value is None:
        return "Not answered"
    if question.type is QuestionType.NUMBER:
        return f"{value:g} {question.unit or ''}".strip()
    options = value if isinstance(value, tuple) else (value,)
    return ", ".join(rule_set.questionnaire.option_label(question_id, str(o)) for o in options)


class _Sheet:
    def __init__(
        self,
        assessment: Assessment,
        answers: Answers,
        rule_set: RuleSet,
        override: ClinicianView | None,
        printed: datetime,
        *,
        approval: ApprovalState,
    ) -> None:
        self.approval = approval
        self.a = assessment
        self.answers = answers
        self.rs = rule_set
        self.override = override
        self.printed = printed
        self.s = _styles()
        self.cite = _Citations(rule_set)
        self.content: SheetContent | None = rule_set.sheet

    # -- page furniture --------------------------------------------------------------

    def marks(self) -> list[str]:
        """The approval mark (decision_aid.governance), wrapped to the page: none when approved."""
        if self.approval.approved:
            return []
        lines: list[str] = simpleSplit(self.approval.describe(), BOLD, 10, A4[0] - 2 * MARGIN)
        return lines

    def footer(self, canvas: Canvas, total: int) -> None:
        info = self.rs.info
        width, _ = A4
        canvas.saveState()
        marks = self.marks()
        if marks:
            canvas.setFillColor(colors.HexColor("#B00020"))
            canvas.setFont(BOLD, 10)
            for i, text in enumerate(marks):
                canvas.drawString(MARGIN, A4[1] - 9 * mm - i * 11, text)
        canvas.setFillColor(colors.black)
        canvas.setFont(REGULAR, 8.5)
        canvas.drawString(
            MARGIN, 21 * mm,
            f"Rule set {info.id} {info.version} ({info.status}) · printed {self.printed:%d %B %Y}",
        )  # fmt: skip
        canvas.drawRightString(width - MARGIN, 21 * mm, f"Page {canvas.getPageNumber()} of {total}")
        small = ParagraphStyle("footer", fontName=REGULAR, fontSize=7.5, leading=9)
        note = _para(
            Markup(
                f"{NOT_A_DECISION} Produced {info.date:%d %B %Y}; review by "
                f"{info.review_by:%d %B %Y}. <b>Updates:</b> {_text(_first(info.update_policy))} "
                f"<b>Funding:</b> {_text(_first(info.funding))} (In full on the last page.)"
            ),
            small,
        )
        _, height = note.wrapOn(canvas, width - 2 * MARGIN, 20 * mm)
        note.drawOn(canvas, MARGIN, 19.5 * mm - height)
        canvas.restoreState()

    # -- patient pages ---------------------------------------------------------------

    def badge(self, rank: int, label: str) -> Flowable:
        style = level_style(rank, len(self.rs.info.levels))
        text = _para(Markup(f"{style.shape}&nbsp; {_text(label)}"), self.s["badge"])
        table = _table([[text]], colWidths=[A4[0] - 2 * MARGIN])
        table.setStyle(
            _table_style(
                [
                    ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(style.background)),
                    ("TEXTCOLOR", (0, 0), (-1, -1), colors.HexColor(style.foreground)),
                    ("LEFTPADDING", (0, 0), (-1, -1), 10),
                    ("TOPPADDING", (0, 0), (-1, -1), 8),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
                ]
            )
        )
        return table

    def bullet_list(self, items: Sequence[Markup]) -> list[Flowable]:
        return [_para(item, self.s["bullet"], bullet=True) for item in items]

    def page_for_you(self) -> list[Flowable]:
        s, content = self.s, self.content
        title = content.decision if content else self.rs.info.title
        story: list[Flowable] = [Spacer(1, 6 * mm), _plain(title, s["title"])]
        story.append(
            _para(Markup(f"<i>{NOT_A_DECISION}</i> You and your team decide together."), s["body"])
        )
        story.append(Spacer(1, 4 * mm))
        story.append(_plain("What the decision aid found", s["h2"]))
        view = self.override
        if view is not None and view.current:  # both labelled, both as prominent
            story.append(_plain(RULE_OUTCOME, s["h3"]))
        story.append(self.badge(self.rs.level_rank[self.a.outcome.id], self.a.outcome.label))
        story.append(Spacer(1, 2 * mm))
        story.append(_plain(self.a.outcome_description, s["body"]))
        if view is not None and view.current:
            story.append(_plain(CLINICIANS_VIEW, s["h3"]))
            story.append(self.badge(view.rank, view.label))
            story.append(Spacer(1, 2 * mm))
            story.append(_para(Markup(f"<b>Why:</b> {_text(view.override.reason)}"), s["body"]))
        elif view is not None:  # never printed as current: the answers changed since
            story.append(
                _plain("Your clinician is reviewing their view, as the answers changed.", s["body"])
            )
        story.append(_plain("What this means for you", s["h2"]))
        reasons = [
            Markup(_text(f.patient_reason) + self.cite.mark([c.id for c in f.citations]))
            for f in self.a.fired
            if f.certain and f.rule_id != "default"
        ]
        if any(f.rule_id == "default" for f in self.a.fired):
            reasons.append(_text(self.rs.info.default_reason))
        story += self.bullet_list(reasons)
        story += self.still_to_check()
        if content:
            step = content.next_steps.get(self.a.outcome.id)
            if step:
                story.append(_plain("What happens next", s["h2"]))
                story.append(_plain(step, s["body"]))
            story.append(_plain(content.condition.title, s["h2"]))
            story += self.bullet_list(
                [_text(p) for p in content.condition.points[:-1]]
                + [
                    Markup(
                        _text(content.condition.points[-1])
                        + self.cite.mark(content.condition.citations)
                    )
                ]
            )
        return story

    def still_to_check(self) -> list[Flowable]:
        """What could change the outcome now, and every safety question still open."""
        story: list[Flowable] = []
        if self.a.missing:
            labels = _text(", ".join(m.label for m in self.a.missing))
            still = f"<b>Still to check:</b> {labels}. The answers could change this."
            story.append(_para(Markup(still), self.s["body"]))
        if self.a.to_check:
            labels = _text(", ".join(c.label for c in self.a.to_check))
            safety = f"<b>Safety questions to check before any treatment:</b> {labels}."
            story.append(_para(Markup(safety), self.s["body"]))
        return story

    def figure(self, figure: Figure) -> Flowable:
        s = self.s
        colour = BENEFIT if figure.kind == "benefit" else HARM
        cells: list[Any] = [IconArray(figure.with_treatment, colour)]
        words = [f"<b>{_text(figure.label)}</b>{self.cite.mark(figure.citations)}"]
        words.append(f"With ketamine: <b>{figure.with_treatment} out of 100</b> people.")
        if figure.without_treatment is not None:
            cells.append(IconArray(figure.without_treatment, colour))
            words.append(f"Without it: <b>{figure.without_treatment} out of 100</b>.")
        else:
            cells.append(_plain("No comparison group was studied.", s["cell"]))
        words.append(f"{_text(_sentence(figure.when))} {_text(_sentence(figure.who))}")
        words.append(f"How sure is this? <b>{_text(figure.certainty.capitalize())}</b> certainty.")
        if figure.caveat:
            words.append(_text(figure.caveat))
        text = [_para(Markup(w), s["cell"]) for w in words]
        heads = [
            _para(Markup("<b>With ketamine</b>"), s["small"]),
            _para(Markup("<b>Without</b>"), s["small"]),
        ]
        if _height(text, 78 * mm - 12) > FIGURE_TEXT_POINTS:
            # The pictures cannot split, so a long text beside them could not either:
            # the words go above, where they may run on to the next page.
            table = _table([heads, cells], colWidths=[46 * mm, 46 * mm], hAlign="LEFT")
            table.setStyle(_table_style([("VALIGN", (0, 0), (-1, -1), "TOP")]))
            return KeepTogether([*text, table, Spacer(1, 3 * mm)])
        table = _table(
            [[text, heads[0], heads[1]], ["", cells[0], cells[1]]],
            colWidths=[78 * mm, 46 * mm, 46 * mm],
        )
        table.setStyle(
            _table_style(
                [
                    ("SPAN", (0, 0), (0, 1)),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 1), (-1, 1), 0.5, colors.HexColor("#999999")),
                    ("BOTTOMPADDING", (0, 1), (-1, 1), 8),
                ]
            )
        )
        return KeepTogether([table, Spacer(1, 3 * mm)])

    def page_options(self) -> list[Flowable]:
        s, content = self.s, self.content
        if content is None:
            return []
        story: list[Flowable] = [
            CondPageBreak(90 * mm),
            _plain("Your options, side by side", s["title"]),
        ]
        story.append(
            _plain(
                "Each row answers the same question for both options, in the same detail.",
                s["body"],
            )
        )
        header = [_plain("", s["cell"])] + [
            _para(Markup(f"<b>{_text(o.title)}</b>"), s["cell"]) for o in content.options
        ]
        rows = [header]
        for row in content.grid:
            rows.append(
                [
                    _para(
                        Markup(f"<b>{_text(row.question)}</b>{self.cite.mark(row.citations)}"),
                        s["cell"],
                    )
                ]
                + [_plain(row.answers[o.id], s["cell"]) for o in content.options]
            )
        width = A4[0] - 2 * MARGIN
        table = _table(rows, colWidths=[width * 0.26, width * 0.37, width * 0.37], repeatRows=1)
        table.setStyle(
            _table_style(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#999999")),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE")),
                ]
            )
        )
        story.append(table)
        figures = [self.figure(f) for f in content.figures]
        heading = [
            _plain("What happened to 100 people in studies", s["h2"]),
            _plain(
                "Each picture shows 100 people. The filled figures are the people it happened to.",
                s["body"],
            ),
        ]
        story.append(KeepTogether([*heading, figures[0]]))  # never a heading alone at a page foot
        story += figures[1:]
        story.append(_plain(content.certainty.title, s["h2"]))
        story += self.bullet_list(
            [_text(p) for p in content.certainty.points[:-1]]
            + [
                Markup(
                    _text(content.certainty.points[-1])
                    + self.cite.mark(content.certainty.citations)
                )
            ]
        )
        return story

    def page_like_and_matters(self) -> list[Flowable]:
        s, content = self.s, self.content
        story: list[Flowable] = [
            CondPageBreak(90 * mm),
            _plain("What it is like, and what matters to you", s["title"]),
        ]
        if content:
            for block in content.what_it_is_like:
                story.append(_plain(block.title, s["h2"]))
                points = [_text(p) for p in block.points]
                points[-1] = Markup(points[-1] + self.cite.mark(block.citations))
                story += self.bullet_list(points)
        story.append(_plain("What matters most to you", s["h2"]))
        goals = [q for q in self.rs.questionnaire.questions() if q.type is QuestionType.MULTIPLE]
        given = [
            _text(_answer_words(self.rs, self.answers, q.id)) for q in goals if q.id in self.answers
        ]
        story.append(
            _para(
                Markup("You told us: " + "; ".join(given) + ".")
                if given
                else Markup("Write what matters most to you here:"),
                s["body"],
            )
        )
        story.append(Spacer(1, 14 * mm))
        if content:
            story.append(_plain("Questions you could ask", s["h2"]))
            story += self.bullet_list([_text(q) for q in content.questions_to_ask])
        sure = [
            [
                _plain(question, s["cell"]),
                _para(Markup("☐ Yes&nbsp;&nbsp;&nbsp; ☐ No"), s["cell"]),
            ]
            for _, question in SURE_ITEMS
        ]
        ready: list[Flowable] = [
            _para(
                Markup(
                    f"Are you ready to decide? (the SURE test){self.cite.mark([SURE_REFERENCE])}"
                ),
                s["h2"],
            ),
            _plain(
                "Tick one box for each question. If you tick No for any, talk to your team again.",
                s["body"],
            ),
            _table(sure, colWidths=[120 * mm, 50 * mm], style=_table_style([])),
        ]
        story.append(KeepTogether(ready))
        return story

    # -- the clinician's page --------------------------------------------------------

    def conditional_advice(self) -> list[Flowable]:
        """Advice of rules that only might apply, each under the "if …" naming the answer."""
        if not self.a.conditional:
            return []
        story: list[Flowable] = [
            _plain("Only if an answer not yet known turns out so", self.s["clin-h"])
        ]
        for advice in self.a.conditional:
            story.append(_para(Markup(f"<b>{_text(advice.heading)}:</b>"), self.s["clin"]))
            story += [
                _para(_text(f"{kind}: {text}"), self.s["clin"], bullet=True)
                for kind, texts in (("Caution", advice.cautions), ("Action", advice.actions))
                for text in texts
            ]
        return story

    def page_clinician(self) -> list[Flowable]:
        s = self.s
        a, info = self.a, self.a.rule_set
        story: list[Flowable] = [
            NextPageTemplate("clinician"),
            PageBreak(),
            _plain("For the clinician", s["title"]),
        ]
        settings = ", ".join(f"{k} = {v}" for k, v in a.settings)
        lines = [
            f"<b>{RULE_OUTCOME}:</b> {_text(a.outcome.label)} ({_text(a.outcome.id)}); decided by "
            f"{_text(', '.join(a.decided_by))}.",
            f"<b>Settings:</b> {_text(settings)}",
            f"<b>Rule set:</b> {_text(info.id)} {_text(info.version)}, status "
            f"{_text(info.status)}, review by {info.review_by:%d %b %Y}, "
            f"sha256 {_text(info.digest)}",
            f"<b>Approval:</b> {_text(self.approval.describe())}",
        ]
        if (view := self.override) is not None:
            said = f"{_text(view.label)}, {_text(view.recorded())}."
            reason = f"Reason: {_text(view.override.reason)}"
            lines.insert(
                1,
                f"<b>{CLINICIANS_VIEW} (override):</b> {said} {reason}"
                if view.current
                else f"<b>{CLINICIANS_VIEW}: NOT CURRENT. {REVIEW}.</b> An override to {said} "
                f"{NOT_CURRENT} {reason}",
            )
        story += [_para(Markup(line), s["clin"]) for line in lines]
        story.append(_plain("Rules that fired", s["clin-h"]))
        rows = [
            [
                _para(Markup(f"<b>{h}</b>"), s["clin"])
                for h in ("Rule", "Gives", "Rationale", "Evidence")
            ]
        ]
        for fired in a.fired:
            evidence = "; ".join(
                f"{_text(c.short)}{' (' + _text(c.grade) + ')' if c.grade else ''}"
                + self.cite.mark([c.id])
                for c in fired.citations
            )
            rationale: str = _text(fired.rationale)
            if fired.unverified:
                rationale += f"<br/><i>Not verified: {_text(fired.unverified)}</i>"
            if not fired.certain:
                rationale = "<i>Fired because an answer is not known.</i> " + rationale
            rows.append(
                [
                    _plain(fired.rule_id, s["clin"]),
                    _plain(fired.level or "note", s["clin"]),
                    _para(Markup(rationale), s["clin"]),
                    _para(Markup(evidence or "–"), s["clin"]),
                ]
            )
        table = _table(rows, colWidths=[26 * mm, 26 * mm, 80 * mm, 42 * mm], repeatRows=1)
        table.setStyle(
            _table_style(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#AAAAAA")),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE")),
                ]
            )
        )
        story.append(table)
        for title, items in (("Actions", a.actions), ("Cautions", a.cautions)):
            if items:
                story.append(_plain(title, s["clin-h"]))
                story += [_para(_text(i), s["clin"], bullet=True) for i in items]
        story += self.conditional_advice()
        story.append(_plain("Missing information that could change the outcome now", s["clin-h"]))
        if a.missing:
            story += [
                _para(
                    Markup(
                        f"{_text(m.label)} ({_text(m.status)}): "
                        + _text(m.changes_in_words(self.rs.levels_by_id))
                    ),
                    s["clin"],
                    bullet=True,
                )
                for m in a.missing
            ]
        else:
            story.append(_plain("None that could change the outcome.", s["clin"]))
        story.append(_plain(TO_CHECK_HEADING, s["clin-h"]))
        if a.to_check:
            story += [
                _para(_text(f"{c.label} ({c.status})"), s["clin"], bullet=True) for c in a.to_check
            ]
        else:
            story.append(_plain("None: every safety question is answered.", s["clin"]))
        story.append(_plain("Answers", s["clin-h"]))
        visibility = question_visibility(self.rs, self.answers)
        answers = [  # a question that is not asked is left out, and so is its stale answer
            f"<b>{_text(q.label)}:</b> {_text(_answer_words(self.rs, self.answers, q.id))}"
            for q in self.rs.questionnaire.questions()
            if visibility[q.id] is not Truth.FALSE
        ]
        story.append(_para(Markup(" · ".join(answers)), s["clin"]))
        return story

    def references(self) -> list[Flowable]:
        s, info = self.s, self.rs.info
        story: list[Flowable] = [
            _plain("About this sheet", s["clin-h"]),
            _plain(
                f"Produced {info.date:%d %B %Y} from rule set {info.id} {info.version} "
                f"({info.status}); authors: {', '.join(info.authors)}; "
                f"reviewed by: {', '.join(info.reviewers) or 'nobody yet'}.",
                s["clin"],
            ),
            _para(Markup(f"<b>Update policy:</b> {_text(info.update_policy)}"), s["clin"]),
            _para(Markup(f"<b>Funding:</b> {_text(info.funding)}"), s["clin"]),
            _plain("References", s["clin-h"]),
        ]
        by_id = self.rs.references_by_id
        for number, ref in enumerate(self.cite.order, start=1):
            reference = by_id.get(ref)
            if reference is None:
                continue
            extra = " ".join(
                part
                for part in (
                    f"doi:{reference.doi}" if reference.doi else "",
                    f"PMID {reference.pmid}" if reference.pmid else "",
                    reference.url or "",
                    "(not verified)" if reference.verification == "unverified" else "",
                )
                if part
            )
            story.append(_plain(f"[{number}] {reference.citation} {extra}", s["small"]))
        return story

    def story(self) -> list[Flowable]:
        story = self.page_for_you() + self.page_options() + self.page_like_and_matters()
        story += self.page_clinician()
        story += self.references()
        return story


def render(
    assessment: Assessment,
    answers: Answers,
    rule_set: RuleSet,
    *,
    override: ClinicianView | None = None,
    printed: datetime | None = None,
    approval: ApprovalState | None = None,
) -> bytes:
    """The discussion sheet as PDF bytes; the same inputs always give the same bytes.

    ``approval`` is the rule set's approval state; by default it is read from the rule
    set's folder and the trusted keys, as of the printing date. ``override`` is the
    clinician's view: printed beside the rule outcome when current, marked for review
    (and not shown to the patient as a view) when the answers changed since.
    """
    from decision_aid.governance.approval import approval_state

    register_fonts()
    when = printed or datetime.now().astimezone()
    state = approval or approval_state(rule_set, today=when.date())
    sheet = _Sheet(assessment, answers, rule_set, override, when, approval=state)
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=20 * mm,
        bottomMargin=28 * mm,
        title=f"Discussion sheet: {_first(rule_set.info.title)}",
        author="decision-aid",
        subject=NOT_A_DECISION,
        creator="decision-aid",
        invariant=1,
        initialFontName=REGULAR,  # else the canvas references Helvetica, not embedded
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")

    def on_page(canvas: Canvas, _doc: BaseDocTemplate) -> None:
        canvas._footer = sheet.footer  # type: ignore[attr-defined]  # drawn once the total is known

    doc.addPageTemplates(
        [
            PageTemplate("patient", [frame], onPage=on_page),
            PageTemplate("clinician", [frame], onPage=on_page),
        ]
    )
    doc.build(sheet.story(), canvasmaker=_NumberedCanvas)
    return buffer.getvalue()
