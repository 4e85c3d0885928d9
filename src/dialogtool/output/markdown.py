"""Markdown: theme tables, quotes and report.md, with one rule for escaping text.

Markdown tables have one header row, so a two-way table's second level is the first body
row, in italics; children are indented with em spaces (plain spaces would be trimmed).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .shapes import cell, columns, depths, frame_cells, quote_source

if TYPE_CHECKING:
    import pandas as pd

    from ..analysis.quotes import QuoteSelection
    from ..analysis.tables import ThemeTable
    from .story import Content

_MARKUP = re.compile(r"[\\`*\[\]<|]|(?<!\w)_|_(?!\w)")


def escape(text: str) -> str:
    """Escape what Markdown would read as markup (and `|`, which ends a table cell);
    "_" inside a word (file names such as bodo_bord2) is left alone."""
    return _MARKUP.sub(lambda m: "\\" + m.group(), text)


def theme_markdown(table: ThemeTable, language: str = "nb") -> str:
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
        cells = ["\u2003" * (levels[r] - 1) + escape(str(label))] + [
            cell(table, r, c, language) for c in range(len(heads))
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def frame_markdown(frame: pd.DataFrame, language: str = "nb") -> str:
    """Any small table (index first), numbers as a report shows them."""
    header, rows = frame_cells(frame, language)
    lines = ["| " + " | ".join(map(escape, header)) + " |", "|---|" + "---:|" * (len(header) - 1)]
    for row in rows:
        lines.append("| " + " | ".join(escape(v) for v in row) + " |")
    return "\n".join(lines)


def quotes_markdown(selection: QuoteSelection) -> str:
    """Quotes as Markdown block quotes, each followed by its source, a heading per group."""
    lines = [f"## {escape(selection.title)}", ""]
    for group in selection.groups:
        if group.value is not None:
            lines += [f"### {escape(group.value)}", ""]
        for quote in group.quotes:
            source = quote_source(quote)
            lines += [f"> {escape(quote.text)}", ""] + ([f"— {escape(source)}", ""] if source else [])
    return "\n".join(lines)


def report_markdown(content: Content) -> str:
    """report.md: the report's blocks (`story`), a table's caption above it, a figure's below."""
    from .story import Figure, Heading, Paragraph, Table, blocks

    words = {"nb": ("Tabell", "Figur"), "nn": ("Tabell", "Figur")}[content.options.language]
    parts: list[str] = []
    for block in blocks(content):
        if isinstance(block, Heading):
            parts += ["#" * (block.level + 1) + " " + escape(block.text), ""]
        elif isinstance(block, Paragraph):
            parts += [(f"**{escape(block.lead)}** " if block.lead else "") + escape(block.text), ""]
        elif isinstance(block, Table):
            parts += [f"*{words[0]} {block.number}. {escape(block.caption)}*", "", _cells_markdown(block), ""]
        elif isinstance(block, Figure):
            parts += [f"![{escape(block.caption)}]({block.file})", ""]
            parts += [f"*{words[1]} {block.number}. {escape(block.caption)}*", ""]
        else:
            parts += [f"> «{escape(block.text)}»", ">", f"> – {escape(block.source)}", ""]
    return "\n".join(parts).rstrip() + "\n"


def _cells_markdown(table: Any) -> str:
    """A table of finished cells; children indented with em spaces."""
    lines = ["| " + " | ".join(map(escape, table.header)) + " |", "|---|" + "---:|" * (len(table.header) - 1)]
    for r, row in enumerate(table.rows):
        depth = table.depths[r] if r < len(table.depths) else 1
        lines.append("| " + " | ".join(["\u2003" * (depth - 1) + escape(row[0]), *map(escape, row[1:])]) + " |")
    return "\n".join(lines)


def notes_markdown(rows: list[tuple[str, ...]], headers: tuple[str, ...]) -> str:
    """Reviewers' notes and edits as one Markdown table (line breaks in a note become spaces)."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    for row in rows:
        lines.append("| " + " | ".join(escape(" ".join(value.split())) for value in row) + " |")
    return "\n".join(lines) + "\n"
