"""Options shared by several commands, and the choices Typer validates and `--help` lists."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

Codebook = Annotated[Path, typer.Option("--codebook", "-c", help="Codebook YAML file.")]
Coded = Annotated[Path, typer.Option("--coded", help="Folder of coded notes (written by `code`).")]
CODEBOOK = Path("codebook.yaml")
CODED = Path("data/coded")


class TableFormat(StrEnum):
    terminal = "terminal"
    md = "md"
    csv = "csv"
    xlsx = "xlsx"


class MatrixFormat(StrEnum):
    terminal = "terminal"
    csv = "csv"
    xlsx = "xlsx"


class QuotesFormat(StrEnum):
    terminal = "terminal"
    md = "md"
    docx = "docx"
    csv = "csv"


class ReviewOnly(StrEnum):
    """Which segments `review --only` goes through (analysis.review.Only has the meanings)."""

    all = "all"
    uncoded = "uncoded"
    inherited = "inherited"
    changed = "changed"
    unreviewed = "unreviewed"


class NotesFormat(StrEnum):
    terminal = "terminal"
    md = "md"
    xlsx = "xlsx"


class TableCount(StrEnum):
    segments = "segments"
    paragraphs = "paragraphs"
    documents = "documents"
    meetings = "meetings"


class MatrixCount(StrEnum):
    segments = "segments"
    paragraphs = "paragraphs"
    documents = "documents"


class Positions(StrEnum):
    """What a REFI-QDA project's selection positions count (`import qdpx --positions`)."""

    CODEPOINTS = "codepoints"
    UTF16 = "utf16"


class Percent(StrEnum):
    col = "col"
    row = "row"
    none = "none"


class Sort(StrEnum):
    codebook = "codebook"
    freq = "freq"


class Evidence(StrEnum):
    """Which codes `table`, `cooccur` and `report` count."""

    all = "all"
    direct = "direct"


class Language(StrEnum):
    """The written standard of a report: Bokmål or Nynorsk."""

    nb = "nb"
    nn = "nn"


IncludeHeadings = Annotated[
    bool,
    typer.Option(
        "--include-headings",
        help="Count headings (titles, table and task lines) as units too; by default they are not units of analysis.",
    ),
]
EvidenceOption = Annotated[
    Evidence,
    typer.Option(
        "--evidence",
        help="all: every code; direct: only codes a segment has from its own words or a reviewer, "
        "not from its context (a heading, the sentence before).",
    ),
]


class Breakdown(StrEnum):
    """What `evaluate --by` breaks the scores down by."""

    rule = "rule"
    language = "language"
