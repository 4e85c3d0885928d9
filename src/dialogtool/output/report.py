"""`dialogtool report`: the tables, charts and quotes for the project report, in one go.

Writes themes.xlsx (one sheet per table), report.md, PNG charts and report.docx into one
folder. Everything is computed from the coded notes with reviewer edits applied; the same
coded notes give the same files (apart from the files' own timestamps). The report is in
Norwegian (Bokmål, or Nynorsk with `language="nn"`), and says what it counted: headings are
not units unless included, `evidence="direct"` leaves out codes that came from context, and
a paragraph on method states the codebook, the reviews and how much of each theme came
from context.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

from ..analysis.cooccur import cooccurrence
from ..analysis.method import SummaryCounter
from ..analysis.quotes import ReportQuotes
from ..analysis.tables import TOTAL, ThemeTable, counted, theme_table
from ..coded.folder import DocumentCodes, iter_folder, load_codes
from ..coding.codebook import Codebook
from ..errors import DialogtoolError
from ..files import write_text
from .docx import report_docx
from .markdown import report_markdown
from .numbers import check_language
from .story import PER_THEME_COLUMNS, Breakdown, Content, Options
from .xlsx import report_xlsx

QUOTES_PER_THEME = 3
STEPS = ("reading coded notes", "counting", "choosing quotes", "drawing charts", "writing files")


@dataclass(frozen=True)
class Report:
    """What went into the report, and the files written."""

    documents: int
    meetings: int
    segments: int
    coded_segments: int
    files: tuple[Path, ...]


def build_report(
    coded_dir: Path,
    codebook: Codebook,
    out_dir: Path,
    quotes_per_theme: int = QUOTES_PER_THEME,
    options: Options | None = None,
    step: Callable[[str], None] | None = None,
) -> Report:
    """Compute every table once, then write each format from the same numbers.

    `step` is called with the name of each stage as it starts (for a progress display).
    """
    from . import charts

    options = options or Options(quotes_per_theme=quotes_per_theme)
    check_language(options.language)
    if options.quotes_per_theme < 1:
        raise DialogtoolError(f"--quotes must be at least 1, not {options.quotes_per_theme}")
    tick = step or (lambda _: None)
    content, read = _content(coded_dir, codebook, options, tick)
    out_dir.mkdir(parents=True, exist_ok=True)
    tick("drawing charts")
    language = options.language
    charts.bar_chart(
        content.per_theme[PER_THEME_COLUMNS[1]],
        out_dir / "tema.png",
        None,
        "Prosent av notatene" if language == "nb" else "Prosent av notata",
        decimals=1,
        language=language,
    )
    charts.heatmap(_exact_percents(content.by_meeting), out_dir / "tema_moete.png", None, language=language)
    charts.heatmap(content.cooccur, out_dir / "samforekomst.png", None, language=language, diagonal=True)
    tick("writing files")
    report_xlsx(content, out_dir / "themes.xlsx")
    write_text(out_dir / "report.md", report_markdown(content))
    report_docx(content, out_dir, out_dir / "report.docx")
    files = [out_dir / name for name in ("themes.xlsx", "report.md", "report.docx", *PICTURES)]
    return replace(read, files=tuple(files))


def _content(
    coded_dir: Path, codebook: Codebook, options: Options, tick: Callable[[str], None]
) -> tuple[Content, Report]:
    """Every number and quote of the report, and what went into it (a `Report` without files).

    The tables come from the codes index (over 100 MiB at 10,000 notes), which is let go
    before the notes are streamed, once, for the method paragraph and the quotes: what the
    stream and the tokenizer allocate then reuses the index's memory instead of adding to it.
    """
    tables, read = _tables(coded_dir, codebook, options, tick)
    tick("choosing quotes")
    summary = SummaryCounter(codebook, headings=options.headings)
    chooser = ReportQuotes(codebook, options.quotes_per_theme)
    for doc in iter_folder(coded_dir, codebook.ids):  # one note at a time: only counts and candidates stay
        summary.add(doc)
        chooser.add(doc)
    content = Content(
        by_meeting=tables.by_meeting,
        by_topic=tables.by_topic,
        cooccur=tables.cooccur,
        per_theme=tables.per_theme,
        breakdowns=tables.breakdowns,
        quotes=chooser.selections(lambda: iter_folder(coded_dir, codebook.ids)),
        method=summary.summary(),
        options=options,
    )
    return content, read


@dataclass(frozen=True)
class _Tables:
    """The report's tables, counted from the codes index."""

    by_meeting: ThemeTable
    by_topic: ThemeTable
    cooccur: pd.DataFrame
    per_theme: pd.DataFrame
    breakdowns: tuple[Breakdown, ...]


def _tables(
    coded_dir: Path, codebook: Codebook, options: Options, tick: Callable[[str], None]
) -> tuple[_Tables, Report]:
    """The tables and what they counted; the codes index goes when this returns."""
    tick("reading coded notes")
    codes = load_codes(coded_dir, codebook.ids)
    tick("counting")
    tables = _Tables(
        by_meeting=_table(codes, codebook, options, by="meeting"),
        by_topic=_table(codes, codebook, options, by="topic"),
        cooccur=cooccurrence(codes, codebook, headings=options.headings, evidence=options.evidence),
        per_theme=themes_overview(codes, codebook, options),
        breakdowns=tuple(_breakdowns(codes, codebook, options)),
    )
    units = counted(codes, options.headings, options.evidence)
    coded = sum(1 for doc in units for c in doc.codes if c)
    meetings = len({str(doc.meta.get("meeting")) for doc in codes if doc.meta.get("meeting")})
    return tables, Report(len(codes), meetings, sum(len(d.codes) for d in units), coded, ())


def _table(codes: list[DocumentCodes], codebook: Codebook, options: Options, **kwargs: Any) -> ThemeTable:
    """A theme table counted as the report's options say."""
    return theme_table(
        codes, codebook, headings=options.headings, evidence=options.evidence, language=options.language, **kwargs
    )


def themes_overview(
    codes: list[DocumentCodes], codebook: Codebook, options: Options | None = None, level: int = 1
) -> pd.DataFrame:
    """Per theme: notes, segments and meetings where it comes up, with shares of the total.

    The columns keep their Bokmål names in the data; a Nynorsk report shows its own
    (`story.column_names`).
    """
    options = options or Options()
    documents = _table(codes, codebook, options, by="meeting", count="documents", level=level)
    segments = _table(codes, codebook, options, by="meeting", count="segments", level=level)
    meetings = _table(codes, codebook, options, by="meeting", count="meetings", level=level)
    frame = pd.DataFrame(
        {
            "Notater": _body(documents.counts)[TOTAL],
            "Notater %": _body(documents.percents)[TOTAL],
            "Segmenter": _body(segments.counts)[TOTAL],
            "Segmenter %": _body(segments.percents)[TOTAL],
            "Dialogmøter": _body(meetings.counts)[TOTAL],
        }
    )
    frame.index.name = "Tema"
    frame.attrs["depths"] = [row.depth for row in segments.rows]
    frame.attrs["codes"] = [row.id for row in segments.rows]
    return frame


def _breakdowns(codes: list[DocumentCodes], codebook: Codebook, options: Options) -> list[Breakdown]:
    """An overview of the child codes of each theme that has any (GRUPPER: which patient groups)."""
    parents = [c for c in codebook.top_level if any(k.parent == c.id for k in codebook.codes)]
    if not parents:
        return []
    overview = themes_overview(codes, codebook, options, level=2)
    result = []
    for parent in parents:
        rows = [i for i, code in enumerate(overview.attrs["codes"]) if code.startswith(parent.id + ".")]
        frame = overview.iloc[rows].copy()
        frame.attrs = {}
        frame.index.name = parent.label
        result.append(Breakdown(parent.id, parent.label, frame))
    return result


def _exact_percents(table: ThemeTable) -> pd.DataFrame:
    """Column percentages from the counts, unrounded, so the chart rounds once (half up), as the table does."""
    counts = table.counts.drop(columns=TOTAL)
    base = counts.iloc[-1].replace(0, 1)
    return (counts.iloc[:-1] * 100).div(base, axis=1).astype("float64")


def _body(frame: pd.DataFrame | None) -> pd.DataFrame:
    """A table without its N row."""
    if frame is None:
        raise ValueError("percentages are needed for the report")
    return frame.iloc[:-1]


PICTURES = ("tema.png", "tema_moete.png", "samforekomst.png")
