"""Markdown: theme tables, quotes and report.md, with one rule for escaping text.

Markdown tables have one header row, so a two-way table's second level is the first body
row, in italics; children are indented with em spaces (plain spaces would be trimmed).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .shapes import cell, columns, depths, frame_rows, number_text, quote_source, quote_text

if TYPE_CHECKING:
    import pandas as pd

    from ..analysis.quotes import QuoteSelection
    from ..analysis.tables import ThemeTable

_MARKUP = re.compile(r"[\\`*\[\]<|]|(?<!\w)_|_(?!\w)")


def escape(text: str) -> str:
    """Escape what Markdown would read as markup (and `|`, which ends a table cell);
    "_" inside a word (file names such as bodo_bord2) is left alone."""
    return _MARKUP.sub(lambda m: "\\" + m.group(), text)


def theme_markdown(table: ThemeTable) -> str:
    """A theme table as a Markdown table (see the module docstring for two-way tables)."""
    heads = columns(table)
    two_way = any(len(c) == 2 for c in heads)
    header = [escape(table.counts.index.name or "")]
    previous = None
    for column in heads:
        header.append(escape(column[0]) if column[0] != previous or not two_way else "")
        previous = column[0]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" + "---:|" * len(heads)]
    if two_way:
        subs = [f"*{escape(c[1])}*" if len(c) == 2 and c[1] else "" for c in heads]
        lines.append("| " + " | ".join(["", *subs]) + " |")
    levels = depths(table)
    for r, label in enumerate(table.counts.index):
        cells = ["\u2003" * (levels[r] - 1) + escape(str(label))] + [cell(table, r, c) for c in range(len(heads))]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def frame_markdown(frame: pd.DataFrame) -> str:
    """Any small table (index first), numbers as a report shows them."""
    header, rows = frame_rows(frame)
    lines = ["| " + " | ".join(header) + " |", "|---|" + "---:|" * (len(header) - 1)]
    for row in rows:
        lines.append("| " + " | ".join(escape(number_text(v)) for v in row) + " |")
    return "\n".join(lines)


def quotes_markdown(selection: QuoteSelection) -> str:
    """Quotes as Markdown block quotes, each followed by its source, a heading per group."""
    lines = [f"## {escape(selection.title)}", ""]
    for group in selection.groups:
        if group.value is not None:
            lines += [f"### {escape(group.value)}", ""]
        for quote in group.quotes:
            lines += [f"> {escape(quote.text)}", "", f"— {escape(quote.source)}", ""]
    return "\n".join(lines)


def report_markdown(content: Any, sections: tuple[tuple[str, str, str | None], ...], pictures: dict[str, str]) -> str:
    """report.md: the overview, each table with its chart, and the top quotes per theme."""
    from ..analysis.tables import ThemeTable  # imports pandas: only for the report

    parts = ["# Tema i notatene fra dialogmøtene", ""]
    parts += ["## Oversikt", "", frame_markdown(content.per_theme), "", f"![{pictures['tema.png']}](tema.png)", ""]
    for title, attribute, picture in sections:
        data = getattr(content, attribute)
        table = theme_markdown(data).rstrip() if isinstance(data, ThemeTable) else frame_markdown(data)
        parts += [f"## {title}", "", table, ""]
        if picture:
            parts += [f"![{pictures[picture]}]({picture})", ""]
    parts += ["## Sitater", ""]
    for selection in content.quotes:
        parts += [f"### {selection.label}", ""]
        quotes = [q for group in selection.groups for q in group.quotes]
        if not quotes:
            parts += ["*Ingen sitater.*", ""]
        for quote in quotes:
            parts += [f"> {escape(quote_text(quote.text))}", ">", f"> — {escape(quote_source(quote))}", ""]
    return "\n".join(parts).rstrip() + "\n"


def notes_markdown(rows: list[tuple[str, ...]], headers: tuple[str, ...]) -> str:
    """Reviewers' notes and edits as one Markdown table (line breaks in a note become spaces)."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    for row in rows:
        lines.append("| " + " | ".join(escape(" ".join(value.split())) for value in row) + " |")
    return "\n".join(lines) + "\n"
