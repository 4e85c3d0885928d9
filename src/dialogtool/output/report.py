"""`dialogtool report`: the tables, charts and quotes for the project report, in one go.

Writes themes.xlsx (one sheet per table), report.md, PNG charts and report.docx into one
folder. Everything is computed from the coded notes with reviewer edits applied; the same
coded notes give the same files (apart from the files' own timestamps).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..analysis.cooccur import cooccurrence
from ..analysis.quotes import QuoteSelection, select_themes
from ..analysis.tables import TOTAL, ThemeTable, theme_table
from ..coded.folder import DocumentCodes, iter_folder, load_codes
from ..coding.codebook import Codebook
from ..files import write_text
from .docx import report_docx
from .markdown import report_markdown
from .xlsx import report_xlsx

QUOTES_PER_THEME = 3


@dataclass(frozen=True)
class Report:
    """What went into the report, and the files written."""

    documents: int
    meetings: int
    segments: int
    coded_segments: int
    files: tuple[Path, ...]


@dataclass(frozen=True)
class _Content:
    by_meeting: ThemeTable
    by_topic: ThemeTable
    cooccur: pd.DataFrame
    per_theme: pd.DataFrame
    quotes: tuple[QuoteSelection, ...]


def build_report(
    coded_dir: Path, codebook: Codebook, out_dir: Path, quotes_per_theme: int = QUOTES_PER_THEME
) -> Report:
    """Compute every table once, then write each format from the same numbers."""
    from . import charts

    codes = load_codes(coded_dir, codebook.ids)
    # the notes are streamed: only the best quotes per theme are kept, never every note
    themes = [code.id for code in codebook.top_level]
    quotes = select_themes(iter_folder(coded_dir, codebook.ids), codebook, themes, limit=quotes_per_theme)
    content = _Content(
        by_meeting=theme_table(codes, codebook, by="meeting"),
        by_topic=theme_table(codes, codebook, by="topic"),
        cooccur=cooccurrence(codes, codebook),
        per_theme=themes_overview(codes, codebook),
        quotes=tuple(quotes),
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    pictures = {
        "tema.png": "Tema: andel av notatene der temaet kommer opp",
        "tema_moete.png": "Tema etter dialogmøte: prosent av segmentene",
        "samforekomst.png": "Samforekomst: segmenter med begge tema",
    }
    charts.bar_chart(content.per_theme["Notater %"], out_dir / "tema.png", pictures["tema.png"], "Prosent av notatene")
    meeting_percents = _body(content.by_meeting.percents).drop(columns=TOTAL)
    charts.heatmap(meeting_percents, out_dir / "tema_moete.png", pictures["tema_moete.png"], "{:.0f}")
    charts.heatmap(content.cooccur, out_dir / "samforekomst.png", pictures["samforekomst.png"], "{:.0f}")
    report_xlsx(content, out_dir / "themes.xlsx")
    write_text(out_dir / "report.md", report_markdown(content, _SECTIONS, pictures))
    report_docx(content, _SECTIONS, pictures, out_dir, out_dir / "report.docx")
    files = [out_dir / name for name in ("themes.xlsx", "report.md", "report.docx", *pictures)]
    coded = sum(1 for doc in codes for c in doc.codes if c)
    meetings = len({str(doc.meta.get("meeting")) for doc in codes if doc.meta.get("meeting")})
    return Report(len(codes), meetings, sum(len(d.codes) for d in codes), coded, tuple(files))


def themes_overview(codes: list[DocumentCodes], codebook: Codebook) -> pd.DataFrame:
    """Per theme: notes, segments and meetings where it comes up, with shares of the total."""
    documents = theme_table(codes, codebook, by="meeting", count="documents")
    segments = theme_table(codes, codebook, by="meeting", count="segments")
    meetings = theme_table(codes, codebook, by="meeting", count="meetings")
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
    return frame


def _body(frame: pd.DataFrame | None) -> pd.DataFrame:
    """A table without its N row."""
    if frame is None:
        raise ValueError("percentages are needed for the report")
    return frame.iloc[:-1]


_SECTIONS = (
    ("Tema × dialogmøte", "by_meeting", "tema_moete.png"),
    ("Tema × bordtema", "by_topic", None),
    ("Samforekomst", "cooccur", "samforekomst.png"),
)
