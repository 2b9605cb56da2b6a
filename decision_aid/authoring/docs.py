"""A readable reference of a rule set, in Markdown and HTML, for reviewers and authors.

Both come from one list of blocks, so they never disagree: the identity and governance,
the outcome levels and which rules can give each, the settings, every question with its
branching in words, every rule with its condition in words, reasons, rationale and
sources, the evidence figures and the references.

Every string in a block is rule-set text, so both writers treat it as text: HTML
escapes it, and Markdown folds it onto one line and backslash-escapes whatever could
start a heading, list, quote, table row, link, image, emphasis or raw HTML.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from decision_aid.domain.rules import Property, Rule, RuleSet

__all__ = ["Block", "blocks", "to_html", "to_markdown"]


@dataclass(frozen=True)
class Block:
    kind: str  # "h1", "h2", "h3", "p", "ul" or "table"
    text: str = ""
    items: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()


def _h(level: int, text: str) -> Block:
    return Block(f"h{level}", text)


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> Block:
    return Block("table", rows=(tuple(header), *(tuple(r) for r in rows)))


def _advice_limit(rule: Rule) -> list[str]:
    limit = rule.advice_when
    if limit is None:
        return []
    bounds = [f"at least {limit.at_least}"] if limit.at_least else []
    bounds += [f"at most {limit.at_most}"] if limit.at_most else []
    return ["Cautions and actions only when the outcome is " + " and ".join(bounds)]


def _promise(prop: Property) -> str:
    if prop.ordered is not None:
        tiers = " ≥ ".join("/".join(tier) for tier in prop.ordered.tiers)
        return f"{prop.ordered.question} ordered, most favourable first: {tiers}"
    return " and ".join(
        f"{word} {level}"
        for word, level in (("at least", prop.at_least), ("at most", prop.at_most))
        if level is not None
    )


def blocks(rule_set: RuleSet) -> list[Block]:
    info, q = rule_set.info, rule_set.questionnaire
    out = [
        _h(1, f"{info.title} ({info.id} {info.version})"),
        Block("p", info.description),
        _table(
            ("", ""),
            [
                ("Status", str(info.status)),
                ("Date", info.date.isoformat()),
                ("Review by", info.review_by.isoformat()),
                ("Authors", ", ".join(info.authors)),
                ("Reviewers", ", ".join(info.reviewers) or "none yet"),
                ("Update policy", info.update_policy),
                ("Funding", info.funding),
                ("sha256", rule_set.digest),
            ],
        ),
        _h(2, "Outcome levels"),
    ]
    by_level = {
        level.id: [r.id for r in rule_set.rules if r.outcome == level.id] for level in info.levels
    }
    out.append(
        _table(
            ("Level", "Label", "Rules that can give it", "For the patient"),
            [
                (
                    level.id,
                    level.label,
                    ", ".join(by_level[level.id])
                    + (" (and the default)" if level.id == info.default_outcome else ""),
                    level.description,
                )
                for level in info.levels
            ],
        )
    )
    out.append(
        Block(
            "p",
            f"Most favourable first. An unknown restrictive rule gives at most "
            f"'{info.assess_first}'; when no rule certainly applies, the default is "
            f"'{info.default_outcome}'.",
        )
    )
    if info.settings:
        out.append(_h(2, "Settings"))
        for setting in info.settings:
            choices = [
                f"{c.id}: {c.label}" + (" (default)" if c.id == setting.default else "")
                for c in setting.choices
            ]
            out += [_h(3, f"{setting.label} ({setting.id})"), Block("ul", items=tuple(choices))]
    out.append(_h(2, "Questionnaire"))
    for section in q.sections:
        out.append(_h(3, f"{section.title} ({section.id})"))
        rows = []
        for question in section.questions:
            answers = ", ".join(f"{o.id} = {o.label}" for o in question.choices)
            if question.type == "number":
                answers = f"{question.minimum:g}–{question.maximum:g} {question.unit or ''}".strip()
            flags = [str(question.type)]
            if question.safety:
                flags.append("safety")
            if question.not_known:
                flags.append("Not known offered")
            asked = question.show_when.words(q) if question.show_when else "always"
            rows.append((question.id, question.text, answers, "; ".join(flags), asked))
        out.append(_table(("Id", "Question", "Answers", "Type", "Asked when"), rows))
    out.append(_h(2, "Rules"))
    references = rule_set.references_by_id
    for rule in rule_set.rules:
        out.append(_h(3, f"{rule.id}: {rule.title}"))
        facts = [
            f"Gives: {rule.outcome or 'a note (no outcome)'}"
            + (" (absolute contraindication)" if rule.absolute else ""),
            f"When: {rule.when.words(q)}",
            f"If its condition is unknown: {rule.if_unknown}",
        ]
        if rule.only_for:
            facts.append(
                "Only for: " + "; ".join(f"{k} = {', '.join(v)}" for k, v in rule.only_for.items())
            )
        facts.append(f"For the patient: {rule.patient_reason}")
        if rule.outcome_description:
            facts.append(f"The outcome in this rule's words: {rule.outcome_description}")
        facts.append(f"Rationale: {rule.rationale}")
        if rule.unverified:
            facts.append(f"Not verified: {rule.unverified}")
        facts += [f"Caution: {c}" for c in rule.cautions] + [f"Action: {a}" for a in rule.actions]
        facts += _advice_limit(rule)
        facts += [
            f"Source: {references[c.ref].short}" + (f" (grade {c.grade})" if c.grade else "")
            for c in rule.citations
        ]
        out.append(Block("ul", items=tuple(facts)))
    if rule_set.properties:
        out.append(_h(2, "Promises (declared properties)"))
        out.append(
            Block(
                "p",
                "decision-aid verify proves each of these over every possible answer set, "
                "and decision-aid test checks each on every case.",
            )
        )
        out.append(
            _table(
                ("Id", "Promise", "When", "Outcome", "Only for", "Sources"),
                [
                    (
                        p.id,
                        p.title,
                        p.when.words(q) if p.when is not None else "always",
                        _promise(p),
                        "; ".join(f"{k} = {', '.join(v)}" for k, v in p.only_for.items()) or "all",
                        ", ".join(references[c.ref].short for c in p.citations) or "–",
                    )
                    for p in rule_set.properties
                ],
            )
        )
    if rule_set.sheet is not None:
        out.append(_h(2, "Evidence figures on the discussion sheet"))
        out.append(
            _table(
                ("Figure", "With", "Without", "When", "Certainty", "Sources"),
                [
                    (
                        f.label,
                        f.with_treatment.in_words(),
                        "no comparison group"
                        if f.without_treatment is None
                        else f.without_treatment.in_words(),
                        f.when,
                        f.certainty,
                        ", ".join(references[r].short for r in f.citations),
                    )
                    for f in rule_set.sheet.figures
                ],
            )
        )
    out.append(_h(2, "References"))
    out.append(
        Block(
            "ul",
            items=tuple(
                f"[{r.id}] {r.citation} ({r.verification})"
                + (f" doi:{r.doi}" if r.doi else "")
                + (f" PMID {r.pmid}" if r.pmid else "")
                for r in rule_set.references
            ),
        )
    )
    return out


# Emphasis, code, links, raw HTML, table cells, math; "_" inside a word (an id) is safe.
_MD_INLINE = re.compile(r"([\\`*\[\]<>|~&!#$]|(?<![^\W_])_|_(?![^\W_]))")
_MD_BLOCK_START = re.compile(r"^([-+=>]|\d+(?=[.)]))")  # a list, rule, setext line or quote


def _md_cell(text: str) -> str:
    """Rule-set text as literal Markdown on one line (a table cell, item or heading)."""
    flat = " ".join(text.split())  # no line break: nothing can start a block mid-text
    flat = _MD_INLINE.sub(r"\\\1", flat)
    return _MD_BLOCK_START.sub(
        lambda m: f"{m.group(1)}\\" if m.group(1)[0].isdigit() else f"\\{m.group(1)}", flat
    )


def to_markdown(parts: Sequence[Block]) -> str:
    lines: list[str] = []
    for block in parts:
        if block.kind.startswith("h"):
            lines += ["#" * int(block.kind[1]) + " " + _md_cell(block.text), ""]
        elif block.kind == "p":
            lines += [_md_cell(block.text), ""]
        elif block.kind == "ul":
            lines += [f"- {_md_cell(item)}" for item in block.items] + [""]
        else:
            header, *rows = block.rows
            lines.append("| " + " | ".join(_md_cell(c) for c in header) + " |")
            lines.append("|" + "---|" * len(header))
            lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
            lines.append("")
    return "\n".join(lines)


def to_html(parts: Sequence[Block], title: str) -> str:
    body: list[str] = []
    for block in parts:
        if block.kind.startswith("h"):
            body.append(f"<{block.kind}>{escape(block.text)}</{block.kind}>")
        elif block.kind == "p":
            body.append(f"<p>{escape(block.text)}</p>")
        elif block.kind == "ul":
            body.append("<ul>" + "".join(f"<li>{escape(i)}</li>" for i in block.items) + "</ul>")
        else:
            header, *rows = block.rows
            head = "".join(f"<th>{escape(c)}</th>" for c in header)
            cells = "".join(
                "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows
            )
            body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{cells}</tbody></table>")
    style = (
        "body{font-family:sans-serif;max-width:72em;margin:2em auto;line-height:1.45}"
        "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #999;padding:.3em;"
        "vertical-align:top;text-align:left}th{background:#eee}"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title>"
        f"<style>{style}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )
