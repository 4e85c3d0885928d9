"""What the report says, in order: headings, the method paragraph, numbered tables and
figures, and quotes, as blocks of finished text that report.md and report.docx both render.

Numbers are formatted here once (Norwegian formats, `numbers`), captions numbered here once
(«Tabell 1», «Figur 1»), so the two documents cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..langdata import REPORT_TEXT
from .numbers import LANGUAGES, number, percent, share
from .shapes import depths, frame_cells, quote_source, theme_cells

if TYPE_CHECKING:
    import pandas as pd

    from ..analysis.method import CodingSummary
    from ..analysis.quotes import QuoteSelection
    from ..analysis.tables import ThemeTable


@dataclass(frozen=True)
class Options:
    """What the report counts, and in which written standard it is."""

    quotes_per_theme: int = 3
    language: str = "nb"
    headings: bool = False
    evidence: str = "all"


@dataclass(frozen=True)
class Breakdown:
    """A theme's child codes (the patient groups of GRUPPER) in an overview of their own."""

    id: str
    label: str
    frame: pd.DataFrame


@dataclass(frozen=True)
class Content:
    """Every number and quote of the report, computed once."""

    by_meeting: ThemeTable
    by_topic: ThemeTable
    cooccur: pd.DataFrame
    per_theme: pd.DataFrame
    breakdowns: tuple[Breakdown, ...]
    quotes: tuple[QuoteSelection, ...]
    method: CodingSummary
    options: Options


@dataclass(frozen=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str
    lead: str = ""  # a bold run-in heading («Om tallene.»)


@dataclass(frozen=True)
class Table:
    number: int
    caption: str
    header: list[str]
    rows: list[list[str]]
    depths: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Figure:
    number: int
    caption: str
    file: str


@dataclass(frozen=True)
class Quote:
    text: str
    source: str


Block = Heading | Paragraph | Table | Figure | Quote


def text(key: str, language: str, **values: Any) -> str:
    """A sentence of the report (langdata.REPORT_TEXT) in its language, with `values` filled in."""
    return REPORT_TEXT[key][LANGUAGES.index(language)].format(**values)


def blocks(content: Content) -> list[Block]:
    """The report from title to the last quote."""
    language = content.options.language
    tables = figures = 0

    def table(key: str, header: list[str], rows: list[list[str]], depths: Sequence[int] = (), **values: Any) -> Table:
        nonlocal tables
        tables += 1
        return Table(tables, text(key, language, **values), header, rows, list(depths))

    def figure(key: str, file: str) -> Figure:
        nonlocal figures
        figures += 1
        return Figure(figures, text(key, language), file)

    out: list[Block] = [Heading(0, text("title", language)), *method_paragraphs(content.method, content.options)]
    out += [Heading(1, text("overview", language))]
    out += [table("overview.table", *_frame(content.per_theme, language)), figure("overview.figure", "tema.png")]
    for breakdown in content.breakdowns:
        out += [Heading(1, text("breakdown", language, label=breakdown.label))]
        out += [table("breakdown.table", *_frame(breakdown.frame, language), label=breakdown.label)]
    out += [Heading(1, text("by_meeting", language))]
    out += [table("by_meeting.table", *_theme(content.by_meeting, language))]
    out += [figure("by_meeting.figure", "tema_moete.png")]
    out += [Heading(1, text("by_topic", language)), table("by_topic.table", *_theme(content.by_topic, language))]
    out += [Heading(1, text("cooccur", language)), table("cooccur.table", *_matrix(content.cooccur, language))]
    out += [figure("cooccur.figure", "samforekomst.png"), Heading(1, text("quotes", language))]
    for selection in content.quotes:
        out.append(Heading(2, selection.label))
        quotes = [q for group in selection.groups for q in group.quotes]
        out += [Quote(q.text, quote_source(q, language)) for q in quotes] or [Paragraph(text("no_quotes", language))]
    return out


def method_paragraphs(summary: CodingSummary, options: Options) -> list[Paragraph]:
    """What was counted and how the codes came about (analysis/method.py says why)."""
    language = options.language
    version = text("method.version", language, version=summary.version) if summary.version else ""
    first = text(
        "method.coding",
        language,
        codebook=summary.codebook,
        version=version,
        segments=number(summary.segments, 0, language),
        documents=number(summary.documents, 0, language),
    )
    if options.headings:
        first += text("method.with_headings", language)
    elif summary.headings:
        first += text("method.headings", language, headings=number(summary.headings, 0, language))
    if summary.reviewed:
        first += text(
            "method.reviewed",
            language,
            reviewed=number(summary.reviewed, 0, language),
            added=number(summary.added, 0, language),
            removed=number(summary.removed, 0, language),
        )
    else:
        first += text("method.unreviewed", language)
    shares = ", ".join(
        f"{theme.label} {percent(share(theme.from_context, theme.segments), 0, language)}"
        for theme in summary.themes
        if theme.segments
    )
    second = text("method.context", language, shares=shares)
    if options.evidence == "direct":
        second += " " + text("method.direct", language)
    return [Paragraph(first, lead=text("method", language) + "."), Paragraph(second)]


def _theme(table: ThemeTable, language: str) -> tuple[list[str], list[list[str]], list[int]]:
    header, rows = theme_cells(table, language)
    return header, [[row[0].strip(), *row[1:]] for row in rows], depths(table)


PER_THEME_COLUMNS = ("Notater", "Notater %", "Segmenter", "Segmenter %", "Dialogmøter")
_PER_THEME_NN = ("Notat", "Notat %", "Segment", "Segment %", "Dialogmøte")


def column_names(frame: pd.DataFrame, language: str) -> list[str]:
    """An overview's column names in the report's language (the data keeps the Bokmål ones)."""
    names = [str(c) for c in frame.columns]
    if language == "nn":
        return [_PER_THEME_NN[PER_THEME_COLUMNS.index(n)] if n in PER_THEME_COLUMNS else n for n in names]
    return names


def _matrix(matrix: pd.DataFrame, language: str) -> tuple[list[str], list[list[str]], list[int]]:
    """The co-occurrence matrix headed by code ids (labels as headers would not fit the page),
    each row's label followed by its id, so the header reads as a key."""
    header, rows, levels = _frame(matrix, language)
    codes = matrix.attrs.get("codes") or header[1:]
    rows = [[f"{row[0]} ({code})", *row[1:]] for row, code in zip(rows, codes, strict=True)]
    return [header[0], *codes], rows, levels


def _frame(frame: pd.DataFrame, language: str) -> tuple[list[str], list[list[str]], list[int]]:
    header, rows = frame_cells(frame, language)
    header = [header[0], *column_names(frame, language)]
    levels = frame.attrs.get("depths") or [1] * len(rows)
    return header, [[row[0].strip(), *row[1:]] for row in rows], list(levels)
