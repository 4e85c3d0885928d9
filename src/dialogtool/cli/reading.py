"""Commands for reading the coding: `evaluate`, `quotes`, `kwic`, `uncoded`, `suggest`."""

from pathlib import Path
from typing import Annotated, Optional

import typer

from . import console
from .options import CODEBOOK, CODED, Breakdown, Codebook, Coded, QuotesFormat


def register(app: typer.Typer) -> None:
    for command in (evaluate, quotes, kwic, uncoded, suggest):
        app.command()(command)


def evaluate(
    ctx: typer.Context,
    gold: Annotated[Path, typer.Option("--gold", help="Folder of reference codings (one YAML per note).")],
    coded: Coded = CODED,
    codebook: Codebook = CODEBOOK,
    errors: Annotated[
        bool,
        typer.Option(
            "--errors/--no-errors", help="List misses and false hits (--no-errors: numbers only, for a blind set)."
        ),
    ] = True,
    by: Annotated[
        Optional[list[Breakdown]],
        typer.Option(
            "--by",
            help="Also break the scores down by the evidence that gave each code (rule: term, proximity, leadin, "
            "reference, group, heading, reviewer) or by the note's language; may be repeated.",
        ),
    ] = None,
) -> None:
    """Score the coding against reference codings: precision, recall, F1 per theme.

    Units are found by their letters and digits; `maybe` codes are neither required
    nor penalised. A theme with no gold positives and no predictions is n/a.
    """
    from ..analysis.evaluate import evaluate as run_evaluation
    from ..coded.folder import load_folder
    from ..coding.codebook import load_codebook
    from ..output.terminal import (
        evaluation_by_language_rich,
        evaluation_by_rule_rich,
        evaluation_rich,
        misses_rich,
    )

    try:
        book = load_codebook(codebook)
        result = run_evaluation(gold, load_folder(coded, book.ids), book)
    except Exception as exc:
        raise console.fail(exc, console.settings(ctx).debug) from None
    console.out.print(evaluation_rich(result, {c.id: c.label for c in book.codes}))
    if Breakdown.rule in (by or ()):
        console.out.print(evaluation_by_rule_rich(result))
    if Breakdown.language in (by or ()):
        console.out.print(evaluation_by_language_rich(result))
    if errors and result.errors:
        for line in misses_rich(result.errors):
            console.out.print(line)
    for document in result.missing_documents:
        console.warning(f"no coded note for reference '{document}'")
    if not errors and result.unlocated:
        console.warning(f"{len(result.unlocated)} unit(s) of the reference not found in the coded notes")
    for document, text in result.unlocated if errors else ():
        console.warning(f"unit not found in {document}: «{text[:70]}»")


def quotes(
    ctx: typer.Context,
    theme: Annotated[str, typer.Argument(help="Theme id, e.g. KE (with its children) or GRUPPER.ME.")],
    coded: Coded = CODED,
    codebook: Codebook = CODEBOOK,
    limit: Annotated[Optional[int], typer.Option("--limit", "-n", min=1, help="At most N quotes per group.")] = None,
    by: Annotated[
        Optional[str],
        typer.Option("--by", "-b", help="Group under a header per value of a metadata field, e.g. meeting."),
    ] = None,
    show_all: Annotated[bool, typer.Option("--all", help="Keep headings and segments under 6 words.")] = False,
    fmt: Annotated[QuotesFormat, typer.Option("--format", "-f", help="Output format.")] = QuotesFormat.terminal,
    output: Annotated[
        Optional[Path], typer.Option("--output", "-o", help="Write to this file instead of stdout (required for docx).")
    ] = None,
) -> None:
    """Quotes for the report: the segments coded with a theme, with place, date, table and section.

    Reviewed codes count (auto + add − remove). Within a group, segments with more distinct
    theme terms come first, then longer ones, then by document and position. In the
    terminal the matched terms are highlighted.
    """
    from ..analysis import quotes as q
    from ..coded.folder import iter_folder
    from ..coding.codebook import load_codebook
    from ..output import delimited, docx, markdown, terminal

    try:
        console.check_output(fmt, output)
        book = load_codebook(codebook)
        q.theme_codes(book, theme)  # an unknown theme fails before the notes are read
        notes = iter_folder(coded, book.ids)  # read once: the candidates are kept, not the notes
        selection = q.select_quotes(notes, book, theme, by=by, limit=limit, include_all=show_all)
        if fmt is QuotesFormat.terminal:
            for item in terminal.quotes_rich(selection):
                console.out.print(item)
        elif fmt is QuotesFormat.docx:
            assert output is not None  # check_output
            docx.quotes_docx(selection, output)
            console.note(f"Wrote {output}")
        else:
            md = fmt is QuotesFormat.md
            console.put_text(markdown.quotes_markdown(selection) if md else delimited.quotes_csv(selection), output)
    except Exception as exc:
        raise console.fail(exc, console.settings(ctx).debug) from None
    console.note(q.summary(selection))


def kwic(
    ctx: typer.Context,
    term: Annotated[
        str, typer.Argument(help="A word or pattern: pasient, '\\*kompetanse\\*', KE, 'individuell plan'.")
    ],
    coded: Coded = CODED,
    width: Annotated[int, typer.Option("--width", "-w", min=5, help="Characters of context on each side.")] = 40,
    limit: Annotated[Optional[int], typer.Option("--limit", "-n", min=1, help="Show at most N lines.")] = None,
) -> None:
    """Keyword in context: every occurrence of a word or pattern in the coded notes.

    The term is matched as a codebook term would be (inflections, Bokmål and Nynorsk,
    `*` inside compounds, capitals as acronyms), so it shows what a new term would code.
    """
    from ..analysis.kwic import kwic as find
    from ..coded.folder import load_folder
    from ..output.terminal import kwic_rich

    try:
        lines = find(load_folder(coded), term, width=width)
    except Exception as exc:
        raise console.fail(exc, console.settings(ctx).debug) from None
    for line in kwic_rich(lines[:limit], width):
        console.out.print(line, soft_wrap=True)
    notes = len({line.document for line in lines})
    shown = f", {min(limit, len(lines))} shown" if limit and limit < len(lines) else ""
    console.note(f"{len(lines)} match(es) of {term!r} in {notes} note(s){shown}")


def uncoded(
    ctx: typer.Context,
    coded: Coded = CODED,
    codebook: Codebook = CODEBOOK,
    limit: Annotated[Optional[int], typer.Option("--limit", "-n", min=1, help="Show at most N segments.")] = None,
    show_all: Annotated[bool, typer.Option("--all", help="Include headings.")] = False,
) -> None:
    """Segments without any code after review: where the codebook may have a gap.

    `dialogtool suggest` ranks the words in them.
    """
    from ..analysis.suggest import uncoded_segments
    from ..coded.folder import load_folder
    from ..coded.note import HEADING
    from ..coding.codebook import load_codebook
    from ..output.terminal import segment_rows_rich

    try:
        documents = load_folder(coded, load_codebook(codebook).ids)
        segments = uncoded_segments(documents, include_headings=show_all)
    except Exception as exc:
        raise console.fail(exc, console.settings(ctx).debug) from None
    for line in segment_rows_rich(
        segments[:limit], width=max((len(f"{s.document} {s.id}") for s in segments), default=0)
    ):
        console.out.print(line, soft_wrap=True)
    total = sum(1 for d in documents for s in d.segments if show_all or s.kind != HEADING)
    what = "segments" if show_all else "segments (headings left out)"
    shown = f", {limit} shown" if limit and limit < len(segments) else ""
    console.note(f"{len(segments)} of {total} {what} have no code{shown}")


def suggest(
    ctx: typer.Context,
    coded: Coded = CODED,
    codebook: Codebook = CODEBOOK,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Show at most N words.")] = 30,
    min_count: Annotated[int, typer.Option("--min-count", min=1, help="Leave out words seen fewer times.")] = 2,
) -> None:
    """Words frequent in uncoded segments that no codebook pattern covers: candidates for new terms.

    Bokmål and Nynorsk forms of a word are counted together under one lemma; stop words,
    numbers and words under three letters are left out. Ranked by the number of notes
    the word occurs in, then by count. Check a candidate with `dialogtool kwic WORD`.
    """
    from ..analysis.suggest import suggest as rank
    from ..coded.folder import load_folder
    from ..coding.codebook import load_codebook
    from ..output.terminal import suggest_rich

    try:
        book = load_codebook(codebook)
        rows = rank(load_folder(coded, book.ids), book, min_count=min_count)
    except Exception as exc:
        raise console.fail(exc, console.settings(ctx).debug) from None
    console.out.print(suggest_rich(rows[:limit]))
    shown = f", {limit} shown" if limit < len(rows) else ""
    console.note(f"{len(rows)} word(s) seen at least {min_count} time(s){shown}; in context: `dialogtool kwic WORD`")
