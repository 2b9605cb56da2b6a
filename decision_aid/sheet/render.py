"""The discussion sheet: the patient's pages first, the clinician's summary last.

``render`` is deterministic for the same inputs (reportlab's invariant mode, and the
printing date is a parameter), so tests can compare sheets and a sheet can be
reproduced from a saved consultation.

Parts, each starting on a new page: the two-page summary (:mod:`decision_aid.sheet.patient`),
the detail (only with ``part="full"``), the clinician's summary, and the references.
Text from a file reaches reportlab only through :mod:`decision_aid.sheet.layout`.
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
)

from decision_aid.domain import Answers, Assessment, RuleSet
from decision_aid.domain.progress import question_visibility
from decision_aid.domain.questionnaire import QuestionType
from decision_aid.domain.truth import Truth
from decision_aid.present.override import ClinicianView
from decision_aid.present.wording import (
    CLINICIANS_VIEW,
    NOT_A_DECISION,
    NOT_ASSESSED,
    NOT_ASSESSED_WHY,
    NOT_CURRENT,
    REVIEW,
    RULE_OUTCOME,
    TO_CHECK_HEADING,
    assessed,
)
from decision_aid.sheet.choose import choose
from decision_aid.sheet.fonts import BOLD, REGULAR, register_fonts
from decision_aid.sheet.layout import (
    FRAME_WIDTH,
    MARGIN,
    MAX_FIELD_CHARS,
    Citations,
    Markup,
    NumberedCanvas,
    SplittingTable,
    first_sentence,
    heading,
    para,
    plain,
    styles,
    table,
    table_style,
    text,
)
from decision_aid.sheet.patient import SURE_ITEMS, PatientPages, SheetContext

if TYPE_CHECKING:
    from decision_aid.governance.approval import ApprovalState

__all__ = [
    "MAX_FIELD_CHARS",
    "PARTS",
    "SURE_ITEMS",
    "Part",
    "SplittingTable",
    "render",
]

Part = Literal["summary", "full"]
PARTS: tuple[Part, ...] = ("summary", "full")
"""What printing offers: the two-page summary (with the clinician's page), or all of it."""
LABEL_CHARS = 40  # a patient label longer than this is cut in the footer


def answer_words(rule_set: RuleSet, answers: Answers, question_id: str) -> str:
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
        part: Part,
        patient_label: str | None,
    ) -> None:
        self.approval = approval
        self.a = assessment
        self.answers = answers
        self.rs = rule_set
        self.override = override
        self.printed = printed
        self.part = part
        self.s: dict[str, ParagraphStyle] = styles()
        self.cite = Citations(rule_set)
        self.assessed = assessed(answers, overridden=override is not None)
        self.context = SheetContext(
            assessment=assessment,
            rule_set=rule_set,
            override=override,
            printed=printed,
            patient_label=patient_label,
            styles=self.s,
            cite=self.cite,
            choice=choose(assessment, answers, rule_set, assessed=self.assessed),
            assessed=self.assessed,
        )

    # -- page furniture --------------------------------------------------------------

    def marks(self) -> list[str]:
        """The approval mark (decision_aid.governance), wrapped to the page: none when approved."""
        if self.approval.approved:
            return []
        lines: list[str] = simpleSplit(self.approval.describe(), BOLD, 10, FRAME_WIDTH)
        return lines

    def footer(self, canvas: Canvas, total: int) -> None:
        info = self.rs.info
        width, _ = A4
        canvas.saveState()
        marks = self.marks()
        if marks:
            canvas.setFillColor(colors.HexColor("#B00020"))
            canvas.setFont(BOLD, 10)
            for i, line in enumerate(marks):
                canvas.drawString(MARGIN, A4[1] - 9 * mm - i * 11, line)
        canvas.setFillColor(colors.black)
        canvas.setFont(REGULAR, 8.5)
        label = self.context.patient_label
        who = ""
        if label is not None:
            cut = label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"
            who = f" · for {text(cut)}"
        canvas.drawString(
            MARGIN, 21 * mm,
            f"Rule set {info.id} {info.version} ({info.status}) · printed "
            f"{self.printed:%d %B %Y}{who}",
        )  # fmt: skip
        canvas.drawRightString(width - MARGIN, 21 * mm, f"Page {canvas.getPageNumber()} of {total}")
        small = ParagraphStyle("footer", fontName=REGULAR, fontSize=7.5, leading=9)
        note = para(
            Markup(
                f"{NOT_A_DECISION} Produced {info.date:%d %B %Y}; review by "
                f"{info.review_by:%d %B %Y}. <b>Updates:</b> "
                f"{text(first_sentence(info.update_policy))} "
                f"<b>Funding:</b> {text(first_sentence(info.funding))} (In full on the last page.)"
            ),
            small,
        )
        _, height = note.wrapOn(canvas, width - 2 * MARGIN, 20 * mm)
        note.drawOn(canvas, MARGIN, 19.5 * mm - height)
        canvas.restoreState()

    # -- the clinician's page --------------------------------------------------------

    def conditional_advice(self) -> list[Flowable]:
        """Advice of rules that only might apply, each under the "if …" naming the answer."""
        if not self.a.conditional:
            return []
        story: list[Flowable] = [
            *heading("Only if an answer not yet known turns out so", self.s["clin-h"])
        ]
        for advice in self.a.conditional:
            story.append(para(Markup(f"<b>{text(advice.heading)}:</b>"), self.s["clin"]))
            story += [
                para(text(f"{kind}: {item}"), self.s["clin"], bullet=True)
                for kind, items in (("Caution", advice.cautions), ("Action", advice.actions))
                for item in items
            ]
        return story

    def level_words(self, level_id: str | None) -> str:
        """A level by its label (an id would break in the narrow column), or "note"."""
        level = self.rs.levels_by_id.get(level_id) if level_id else None
        return level.label if level else (level_id or "note")

    def assessed_rules(self) -> list[Flowable]:
        """What the rules gave, for a form with answers: the rules that fired, their actions
        and cautions, the advice that might apply, and what could change the outcome."""
        s, a = self.s, self.a
        story: list[Flowable] = [*heading("Rules that fired", s["clin-h"])]
        rows = [
            [
                para(Markup(f"<b>{h}</b>"), s["clin"])
                for h in ("Rule", "Gives", "Rationale", "Evidence")
            ]
        ]
        for fired in a.fired:
            evidence = "; ".join(
                f"{text(c.short)}{' (' + text(c.grade) + ')' if c.grade else ''}"
                + self.cite.mark([c.id])
                for c in fired.citations
            )
            rationale: str = text(fired.rationale)
            if fired.unverified:
                rationale += f"<br/><i>Not verified: {text(fired.unverified)}</i>"
            if not fired.certain:
                rationale = "<i>Fired because an answer is not known.</i> " + rationale
            rows.append(
                [
                    plain(fired.rule_id, s["id"]),
                    plain(self.level_words(fired.level), s["clin"]),
                    para(Markup(rationale), s["clin"]),
                    para(Markup(evidence or "–"), s["clin"]),
                ]
            )
        fired_table = table(rows, colWidths=[34 * mm, 26 * mm, 74 * mm, 40 * mm], repeatRows=1)
        fired_table.setStyle(
            table_style(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#AAAAAA")),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE")),
                ]
            )
        )
        story.append(fired_table)
        for title, items in (("Actions", a.actions), ("Cautions", a.cautions)):
            if items:
                story += heading(title, s["clin-h"])
                story += [para(text(i), s["clin"], bullet=True) for i in items]
        story += self.conditional_advice()
        story += heading("Missing information that could change the outcome now", s["clin-h"])
        if a.missing:
            story += [
                para(
                    Markup(
                        f"{text(m.label)} ({text(m.status)}): "
                        + text(m.changes_in_words(self.rs.levels_by_id))
                    ),
                    s["clin"],
                    bullet=True,
                )
                for m in a.missing
            ]
        elif a.to_check:
            story.append(
                plain(
                    "None could change the outcome now, but safety questions are still open "
                    "(below): they must be checked before any course.",
                    s["clin"],
                )
            )
        else:
            story.append(plain("None that could change the outcome.", s["clin"]))
        return story

    def page_clinician(self) -> list[Flowable]:
        s = self.s
        a, info = self.a, self.a.rule_set
        story: list[Flowable] = [
            NextPageTemplate("clinician"),
            PageBreak(),
            plain("For the clinician", s["title"]),
        ]
        settings = ", ".join(f"{k} = {v}" for k, v in a.settings)
        lines = [
            f"<b>{RULE_OUTCOME}:</b> {text(a.outcome.label)} ({text(a.outcome.id)}); decided by "
            f"{text(', '.join(a.decided_by))}."
            if self.assessed
            else f"<b>{RULE_OUTCOME}:</b> {NOT_ASSESSED}. {NOT_ASSESSED_WHY}",
            f"<b>Settings:</b> {text(settings)}",
            f"<b>Rule set:</b> {text(info.id)} {text(info.version)}, status "
            f"{text(info.status)}, review by {info.review_by:%d %b %Y}, "
            f"sha256 {text(info.digest)}",
            f"<b>Approval:</b> {text(self.approval.describe())}",
        ]
        if (view := self.override) is not None:
            said = f"{text(view.label)}, {text(view.recorded())}."
            reason = f"Reason: {text(view.override.reason)}"
            lines.insert(
                1,
                f"<b>{CLINICIANS_VIEW} (override):</b> {said} {reason}"
                if view.current
                else f"<b>{CLINICIANS_VIEW}: NOT CURRENT. {REVIEW}.</b> An override to {said} "
                f"{NOT_CURRENT} {reason}",
            )
        story += [para(Markup(line), s["clin"]) for line in lines]
        if self.assessed:
            story += self.assessed_rules()
        story += heading(TO_CHECK_HEADING, s["clin-h"])
        if a.to_check:
            story += [
                para(text(f"{c.label} ({c.status})"), s["clin"], bullet=True) for c in a.to_check
            ]
        else:
            story.append(plain("None: every safety question is answered.", s["clin"]))
        story += heading("Answers", s["clin-h"])
        visibility = question_visibility(self.rs, self.answers)
        rows = [  # a question that is not asked is left out, and so is its stale answer
            [plain(q.label, s["clin"]), plain(answer_words(self.rs, self.answers, q.id), s["clin"])]
            for q in self.rs.questionnaire.questions()
            if visibility[q.id] is not Truth.FALSE
        ]
        if rows:
            answers = table(rows, colWidths=[70 * mm, FRAME_WIDTH - 70 * mm], repeatRows=0)
            answers.setStyle(
                table_style(
                    [
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#CCCCCC")),
                        ("TOPPADDING", (0, 0), (-1, -1), 1),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                    ]
                )
            )
            story.append(answers)
        return story

    def references(self) -> list[Flowable]:
        s, info = self.s, self.rs.info
        story: list[Flowable] = [
            *heading("About this sheet", s["clin-h"]),
            plain(
                f"Produced {info.date:%d %B %Y} from rule set {info.id} {info.version} "
                f"({info.status}); authors: {', '.join(info.authors)}; "
                f"reviewed by: {', '.join(info.reviewers) or 'nobody yet'}.",
                s["clin"],
            ),
            para(Markup(f"<b>Update policy:</b> {text(info.update_policy)}"), s["clin"]),
            para(Markup(f"<b>Funding:</b> {text(info.funding)}"), s["clin"]),
            *heading("References", s["clin-h"]),
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
            story.append(plain(f"[{number}] {reference.citation} {extra}", s["small"]))
        return story

    def story(self) -> list[Flowable]:
        patient = PatientPages(self.context)
        story = patient.page_decision()
        choice = self.context.choice
        if choice is not None:
            story += patient.page_options(choice)
            if self.part == "full":
                story += patient.page_detail(choice)
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
    part: Part = "full",
    patient_label: str | None = None,
) -> bytes:
    """The discussion sheet as PDF bytes; the same inputs always give the same bytes.

    ``approval`` is the rule set's approval state; by default it is read from the rule
    set's folder and the trusted keys, as of the printing date. ``override`` is the
    clinician's view: printed beside the rule outcome when current, marked for review
    (and not shown to the patient as a view) when the answers changed since. ``part`` is
    "summary" (the two patient pages and the clinician's) or "full" (with the detail
    between). ``patient_label``, if given, is printed on page 1 and in every footer.
    """
    from decision_aid.governance.approval import approval_state

    register_fonts()
    when = printed or datetime.now().astimezone()
    state = approval or approval_state(rule_set, today=when.date())
    sheet = _Sheet(
        assessment,
        answers,
        rule_set,
        override,
        when,
        approval=state,
        part=part,
        patient_label=patient_label,
    )
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=20 * mm,
        bottomMargin=28 * mm,
        title=f"Discussion sheet: {first_sentence(rule_set.info.title)}",
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
    doc.build(sheet.story(), canvasmaker=NumberedCanvas)
    return buffer.getvalue()
