"""The patient's pages: a two-page summary that stands alone, then the detail.

Page 1 is the decision, the outcome, why, the bottom line of the evidence, what is still
to check and what happens next. Page 2 is the options side by side, questions to ask and
the SURE test. The detail (printed with "full") holds the figures for the patient's own
kind of pain, the harms with no reliable figure, how sure the research is, what people
may have read, what matters to the patient beside the evidence, and what treatment is
like. No word of it names a treatment: the rule set's sheet text does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer

from decision_aid.domain import Assessment, RuleSet
from decision_aid.domain.assessment import DEFAULT_RULE_ID
from decision_aid.domain.leaflet import Block, Count, Figure
from decision_aid.present.levels import level_style
from decision_aid.present.override import ClinicianView
from decision_aid.present.wording import (
    CLINICIANS_VIEW,
    NOT_A_DECISION,
    NOT_ASSESSED,
    NOT_ASSESSED_WHY,
    RULE_OUTCOME,
)
from decision_aid.sheet.choose import SheetChoice, deciding_reasons
from decision_aid.sheet.icons import MAX_PEOPLE, IconArray
from decision_aid.sheet.layout import (
    FRAME_WIDTH,
    Citations,
    Markup,
    heading,
    para,
    plain,
    sentence,
    table,
    table_style,
    text,
)

__all__ = ["SURE_ITEMS", "PatientPages", "SheetContext"]

# The SURE test, in its published wording (Légaré et al. 2010); "yes" scores 1.
SURE_ITEMS = (
    ("Sure of myself", "Do you feel SURE about the best choice for you?"),
    ("Understand information", "Do you know the benefits and risks of each option?"),
    ("Risk-benefit ratio", "Are you clear about which benefits and risks matter most to you?"),
    ("Encouragement", "Do you have enough support and advice to make a choice?"),
)
BENEFIT, HARM = colors.HexColor("#009E73"), colors.HexColor("#D55E00")
RULE = colors.HexColor("#999999")
FIGURE_TEXT_POINTS = 260.0  # beside the pictures up to this; longer text goes above them
NOT_KNOWN = "How many: not known"


@dataclass
class SheetContext:
    """What every part of the sheet reads: the inputs, the styles, the citation numbers."""

    assessment: Assessment
    rule_set: RuleSet
    override: ClinicianView | None
    printed: datetime
    patient_label: str | None
    styles: dict[str, ParagraphStyle]
    cite: Citations
    choice: SheetChoice | None
    assessed: bool
    """False for a blank form: "Not assessed yet", no outcome, no reasons."""


class PatientPages:
    def __init__(self, context: SheetContext) -> None:
        self.c = context
        self.s = context.styles

    def bullets(self, items: Sequence[Markup]) -> list[Flowable]:
        """The points, the last two kept together: a list never leaves its last point
        alone at the top of a page."""
        points: list[Flowable] = [para(item, self.s["bullet"], bullet=True) for item in items]
        if len(points) >= 2:
            points[-2:] = [KeepTogether(points[-2:])]
        return points

    def cited(self, words: str, refs: Sequence[str]) -> Markup:
        return Markup(text(words) + self.c.cite.mark(refs))

    def block(self, block: Block) -> list[Flowable]:
        """A heading and its points; the sources follow the last point."""
        points = [text(p) for p in block.points]
        points[-1] = Markup(points[-1] + self.c.cite.mark(block.citations))
        return [*heading(block.title, self.s["h2"]), *self.bullets(points)]

    # -- page 1 ----------------------------------------------------------------------

    def badge(self, rank: int, label: str) -> Flowable:
        rs = self.c.rule_set
        style = level_style(rank, len(rs.info.levels))
        words = para(Markup(f"{style.shape}&nbsp; {text(label)}"), self.s["badge"])
        badge = table([[words]], colWidths=[FRAME_WIDTH])
        badge.setStyle(
            table_style(
                [
                    ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(style.background)),
                    ("TEXTCOLOR", (0, 0), (-1, -1), colors.HexColor(style.foreground)),
                    ("LEFTPADDING", (0, 0), (-1, -1), 10),
                    ("TOPPADDING", (0, 0), (-1, -1), 8),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
                ]
            )
        )
        return badge

    def not_assessed(self) -> Flowable:
        """In place of the outcome's badge on a blank form: framed, with no level's colour."""
        words = para(Markup(f"…&nbsp; {text(NOT_ASSESSED)}"), self.s["badge"])
        badge = table([[words]], colWidths=[FRAME_WIDTH])
        badge.setStyle(
            table_style(
                [
                    ("BOX", (0, 0), (-1, -1), 1.5, colors.black, None, (4, 3)),
                    ("LEFTPADDING", (0, 0), (-1, -1), 10),
                    ("TOPPADDING", (0, 0), (-1, -1), 8),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
                ]
            )
        )
        return badge

    def page_decision(self) -> list[Flowable]:
        s, c, a = self.s, self.c, self.c.assessment
        choice = c.choice
        title = choice.content.decision if choice else c.rule_set.info.title
        story: list[Flowable] = [Spacer(1, 4 * mm), plain(title, s["title"])]
        story.append(
            para(Markup(f"<i>{NOT_A_DECISION}</i> You and your team decide together."), s["body"])
        )
        if c.patient_label is not None:
            story.append(
                para(
                    Markup(
                        f"<b>For:</b> {text(c.patient_label)} · <b>Date:</b> {c.printed:%d %B %Y}"
                    ),
                    s["body"],
                )
            )
        story += heading("What the decision aid found", s["h2"])
        if not c.assessed:  # a blank form: no outcome, no reasons, no next steps
            story.append(self.not_assessed())
            story.append(Spacer(1, 2 * mm))
            story.append(plain(NOT_ASSESSED_WHY, s["body"]))
            if choice is not None and choice.bottom_line:
                story += heading("What the research says", s["h2"])
                story += self.bullets([self.cited(b.text, b.citations) for b in choice.bottom_line])
            return story + self.still_to_check()
        view = c.override
        if view is not None and view.current:  # both labelled, both as prominent
            story.append(plain(RULE_OUTCOME, s["h3"]))
        story.append(self.badge(c.rule_set.level_rank[a.outcome.id], a.outcome.label))
        story.append(Spacer(1, 2 * mm))
        story.append(plain(a.outcome_description, s["body"]))
        if view is not None and view.current:
            story.append(plain(CLINICIANS_VIEW, s["h3"]))
            story.append(self.badge(view.rank, view.label))
            story.append(Spacer(1, 2 * mm))
            story.append(para(Markup(f"<b>Why:</b> {text(view.override.reason)}"), s["body"]))
        elif view is not None:  # never printed as current: the answers changed since
            story.append(
                plain("Your clinician is reviewing their view, as the answers changed.", s["body"])
            )
        story += self.reasons()
        if choice is not None and choice.bottom_line:
            story += heading("What the research says", s["h2"])
            story += self.bullets([self.cited(b.text, b.citations) for b in choice.bottom_line])
        story += self.still_to_check()
        if choice is not None and choice.next_steps:
            story += heading("What happens next", s["h2"])
            story += [plain(step, s["body"]) for step in choice.next_steps]
        return story

    def reasons(self) -> list[Flowable]:
        """The reasons of the rules that decide; favourable ones are left out when a more
        restrictive rule decides (the clinician's page lists every fired rule)."""
        a, rs = self.c.assessment, self.c.rule_set
        reasons = [
            self.cited(f.patient_reason, [ref.id for ref in f.citations])
            for f in deciding_reasons(a)
        ]
        if any(f.rule_id == DEFAULT_RULE_ID for f in a.fired):
            reasons.append(text(rs.info.default_reason))
        if not reasons:
            reasons.append(text("Some answers are not known yet. They are listed below."))
        return [*heading("Why", self.s["h2"]), *self.bullets(reasons)]

    def still_to_check(self) -> list[Flowable]:
        """What could change the outcome now, and every safety question still open."""
        a = self.c.assessment
        missing = a.missing if self.c.assessed else ()  # blank: all of it, and no outcome
        if not missing and not a.to_check:
            return []
        story: list[Flowable] = [*heading("Still to check", self.s["h2"])]
        if missing:
            labels = text(", ".join(m.label for m in missing))
            still = f"<b>Not known yet:</b> {labels}. The answers could change this."
            story.append(para(Markup(still), self.s["body"]))
        if a.to_check:
            labels = text(", ".join(c.label for c in a.to_check))
            safety = f"<b>Safety questions to check before any treatment:</b> {labels}."
            story.append(para(Markup(safety), self.s["body"]))
        return story

    # -- page 2 ----------------------------------------------------------------------

    def page_options(self, choice: SheetChoice) -> list[Flowable]:
        s, content = self.s, choice.content
        story: list[Flowable] = [
            PageBreak(),
            plain("Your options, side by side", s["title"]),
            plain("Each row answers the same question for each option.", s["body"]),
        ]
        header = [plain("", s["grid"])] + [
            para(Markup(f"<b>{text(o.title)}</b>"), s["grid"]) for o in content.options
        ]
        rows = [header]
        for row in choice.grid:
            question = Markup(f"<b>{text(row.question)}</b>{self.c.cite.mark(row.citations)}")
            rows.append(
                [para(question, s["grid"])]
                + [plain(row.answers[o.id], s["grid"]) for o in content.options]
            )
        first = FRAME_WIDTH * 0.24
        rest = (FRAME_WIDTH - first) / len(content.options)
        grid = table(rows, colWidths=[first] + [rest] * len(content.options), repeatRows=1)
        grid.setStyle(
            table_style(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("GRID", (0, 0), (-1, -1), 0.5, RULE),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE")),
                ]
            )
        )
        story.append(grid)
        story += heading("Questions you could ask", s["h2"])
        story += self.bullets([text(q) for q in content.questions_to_ask])
        story += self.sure_test(content.sure.reference)
        return story

    def sure_test(self, reference: str) -> list[Flowable]:
        s = self.s
        items = [
            [plain(question, s["grid"]), para(Markup("☐ Yes&nbsp;&nbsp;&nbsp; ☐ No"), s["grid"])]
            for _, question in SURE_ITEMS
        ]
        title = Markup(f"Are you ready to decide? (the SURE test){self.c.cite.mark([reference])}")
        return [
            KeepTogether(
                [
                    para(title, s["h2"]),
                    plain("If you tick No for any, talk to your team again.", s["body"]),
                    table(items, colWidths=[FRAME_WIDTH - 36 * mm, 36 * mm], style=table_style([])),
                ]
            )
        ]

    # -- the detail ------------------------------------------------------------------

    def page_detail(self, choice: SheetChoice) -> list[Flowable]:
        s, content = self.s, choice.content
        story: list[Flowable] = [PageBreak(), plain("More detail, to read at home", s["title"])]
        if choice.condition is not None:
            story += self.block(choice.condition)
        story += heading("What happened to people in studies", s["h2"])
        story.append(
            plain(
                "Each picture shows one group of people in a study. A filled figure is a "
                "person it happened to.",
                s["body"],
            )
        )
        if choice.no_benefits is not None:
            story.append(para(Markup(f"<b>{text(choice.no_benefits)}</b>"), s["body"]))
        name = content.treatment.name
        story += [self.figure(f, name) for f in (*choice.benefits, *choice.harms)]
        story += self.harms_not_known(choice)
        if choice.certainty is not None:
            story += self.block(choice.certainty)
        if choice.misconceptions:
            story += heading("You may have read…", s["h2"])
            story += self.bullets(
                [
                    Markup(
                        f"<b>…that {text(m.claim)}</b> {text(m.correction)}"
                        + self.c.cite.mark(m.citations)
                    )
                    for m in choice.misconceptions
                ]
            )
        story += self.goals(choice)
        for block in choice.what_it_is_like:
            story += self.block(block)
        if choice.experiences is not None:
            story += self.block(choice.experiences)
        return story

    def count_words(self, count: Count) -> str:
        return f"<b>{count.in_words()}</b> people"

    def figure(self, figure: Figure, name: str) -> Flowable:
        s = self.s
        colour = BENEFIT if figure.kind == "benefit" else HARM
        mine, other = figure.with_treatment, figure.without_treatment
        words = [f"<b>{text(figure.label)}</b>{self.c.cite.mark(figure.citations)}"]
        words.append(f"With {text(name)}: {self.count_words(mine)}.")
        if other is None:
            anyway = "got better" if figure.kind == "benefit" else "had it"
            words.append(
                "<b>No comparison group:</b> no one in this study went without it, so we "
                f"cannot tell how many would have {anyway} anyway."
            )
        else:
            words.append(f"Without it: {self.count_words(other)}.")
        words.append(f"{text(sentence(figure.when))} {text(sentence(figure.who))}")
        words.append(f"How sure is this? <b>{text(figure.certainty.capitalize())}</b>.")
        if figure.caveat:
            words.append(text(figure.caveat))
        paragraphs = [para(Markup(w), s["cell"]) for w in words]
        drawn = other is not None and max(mine.out_of, other.out_of) <= MAX_PEOPLE
        if other is None or not drawn:
            return KeepTogether([*paragraphs, Spacer(1, 4 * mm)])
        cells = [
            IconArray(mine.people, colour, total=mine.out_of),
            IconArray(other.people, colour, total=other.out_of),
        ]
        heads = [
            para(Markup(f"<b>With {text(name)}</b>"), s["small"]),
            para(Markup("<b>Without</b>"), s["small"]),
        ]
        if _height(paragraphs, 78 * mm - 12) > FIGURE_TEXT_POINTS:
            # The pictures cannot split, so a long text beside them could not either:
            # the words go above, where they may run on to the next page.
            pictures = table([heads, cells], colWidths=[46 * mm, 46 * mm], hAlign="LEFT")
            pictures.setStyle(table_style([("VALIGN", (0, 0), (-1, -1), "TOP")]))
            return KeepTogether([*paragraphs, pictures, Spacer(1, 3 * mm)])
        grid = table(
            [[paragraphs, [heads[0], cells[0]], [heads[1], cells[1]]]],
            colWidths=[FRAME_WIDTH - 92 * mm, 46 * mm, 46 * mm],
        )
        grid.setStyle(
            table_style(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
                ]
            )
        )
        return KeepTogether([grid, Spacer(1, 3 * mm)])

    def harms_not_known(self, choice: SheetChoice) -> list[Flowable]:
        """Harms without a reliable figure, as rows of their own: they do not vanish."""
        if not choice.harms_not_known:
            return []
        s = self.s
        rows: list[list[Any]] = [
            [para(Markup(f"<b>{h}</b>"), s["grid"]) for h in ("Harm", "What is known", "How many")]
        ]
        for harm in choice.harms_not_known:
            rows.append(
                [
                    para(Markup(f"<b>{text(harm.label)}</b>"), s["grid"]),
                    para(self.cited(harm.known, harm.citations), s["grid"]),
                    plain("Not known", s["grid"]),
                ]
            )
        grid = table(
            rows,
            colWidths=[FRAME_WIDTH * 0.32, FRAME_WIDTH * 0.48, FRAME_WIDTH * 0.2],
            repeatRows=1,
        )
        grid.setStyle(
            table_style(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("GRID", (0, 0), (-1, -1), 0.5, RULE),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE")),
                ]
            )
        )
        return [
            *heading("Harms with no reliable numbers", s["h2"]),
            plain(f"{NOT_KNOWN} for each of these. They are still real risks.", s["body"]),
            grid,
        ]

    def goals(self, choice: SheetChoice) -> list[Flowable]:
        """What the patient said matters, each goal beside what the research found."""
        s = self.s
        story: list[Flowable] = [*heading("What matters to you", s["h2"])]
        if not choice.goals:
            story.append(plain("Write what matters most to you here:", s["body"]))
            story.append(Spacer(1, 14 * mm))
            return story
        rows: list[list[Any]] = [
            [para(Markup(f"<b>{h}</b>"), s["grid"]) for h in ("You said", "What studies found")]
        ]
        for goal in choice.goals:
            found = (
                self.cited(goal.evidence.evidence, goal.evidence.citations)
                if goal.evidence
                else text("This sheet's sources do not say.")
            )
            rows.append([plain(goal.label, s["grid"]), para(found, s["grid"])])
        grid = table(rows, colWidths=[FRAME_WIDTH * 0.32, FRAME_WIDTH * 0.68], repeatRows=1)
        grid.setStyle(
            table_style(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("GRID", (0, 0), (-1, -1), 0.5, RULE),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE")),
                ]
            )
        )
        story.append(grid)
        return story


def _height(cells: Sequence[Flowable], width: float) -> float:
    return sum(cell.wrap(width, 1e9)[1] for cell in cells)
