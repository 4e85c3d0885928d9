"""The `dialogtool` command line: one thin function per command.

Each command parses options, calls the library and renders the result: data to
stdout, progress and messages to stderr. Errors a user can cause become one line and
a non-zero exit; --debug shows the traceback.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.text import Text

from .. import __version__
from ..errors import DialogtoolError

app = typer.Typer(
    help="Code notes from dialogue meetings against a codebook of themes, and report on them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
)
# Piped output is not cut to 80 columns: tables stay whole in files and logs.
out = Console(highlight=False, width=None if sys.stdout.isatty() else 200)
# Messages stay one line and print literally: file names and patterns may hold "[x]".
err = Console(stderr=True, highlight=False, soft_wrap=True, markup=False)
_state = {"debug": False}


def _register_review_commands() -> None:
    """diff, agree, export and import live in cli_review (a command group of their own)."""
    from . import review as cli_review

    app.command("diff")(cli_review.diff)
    app.command("agree")(cli_review.agree)
    app.add_typer(cli_review.export_app, name="export")
    app.add_typer(cli_review.import_app, name="import")


CODEBOOK = typer.Option(Path("codebook.yaml"), "--codebook", "-c", help="Codebook YAML file.")
CODED = typer.Option(Path("data/coded"), "--coded", help="Folder of coded notes (written by `code`).")


def _version(value: bool) -> None:
    if value:
        out.print(f"dialogtool {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    debug: bool = typer.Option(False, "--debug", help="Show full tracebacks on errors."),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Code notes from dialogue meetings (dialogmøter) against a codebook of themes.

    Typical run: `dialogtool code` (reads data/raw, writes data/coded), then
    `dialogtool table --by meeting`.
    """
    _state["debug"] = debug
    if debug:
        import os

        os.environ["DIALOGTOOL_DEBUG"] = "1"  # library code re-raises instead of reporting per file


def _say(label: str, style: str, message: str) -> None:
    """One line on stderr: a coloured label, then the message as it is (line breaks shown as \\n)."""
    line = Text(label, style=style)
    line.append(" " + message.replace("\r", "\\r").replace("\n", "\\n"))
    err.print(line)


def _fail(exc: BaseException) -> typer.Exit:
    """Print an error as one line (or a traceback with --debug) and give the exit code."""
    if _state["debug"]:
        raise exc
    if isinstance(exc, DialogtoolError):
        _say("Error:", "red", str(exc))
        return typer.Exit(2)
    _say("Internal error:", "red", f"{type(exc).__name__}: {exc} (run with --debug for the traceback)")
    return typer.Exit(1)


@app.command()
def code(
    paths: Optional[list[Path]] = typer.Argument(None, help="Notes or folders of notes (default: data/raw)."),
    codebook: Path = CODEBOOK,
    out_dir: Path = typer.Option(Path("data/coded"), "--out", "-o", help="Folder for the coded YAML files."),
    jobs: int = typer.Option(0, "--jobs", "-j", help="Processes to code with (0, the default: one per core)."),
    force: bool = typer.Option(False, "--force", help="Re-code every note, even those unchanged since last time."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only problems."),
) -> None:
    """Code notes (.txt, .md, .docx, .pdf) and write one coded YAML file per note.

    Notes whose source, codebook and manifest entry are unchanged since they were last
    coded are skipped (--force re-codes them). Files are rewritten only when their
    content changes; reviewers' `review:` blocks are carried over by segment text.
    Exit code 1 when any file could not be coded, 130 when interrupted.
    """
    import os

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from ..coding.codebook import load_codebook
    from ..coding.run import code_paths

    try:
        book = load_codebook(codebook)
        progress = Progress(
            TextColumn("Coding"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            TextColumn("{task.fields[name]}"),
            console=err,
            transient=True,
            disable=quiet,
        )
        with progress:
            task = progress.add_task("code", total=None, name="")

            def report(name: str, done: int, total: int) -> None:
                progress.update(task, completed=done, total=total, name=Path(name).name if name else "")

            summary = code_paths(
                paths or [Path("data/raw")], book, out_dir, report, jobs=jobs or os.cpu_count() or 1, force=force
            )
    except Exception as exc:
        raise _fail(exc) from None
    for problem in summary.skipped:
        _say("Skipped:", "yellow", f"{problem.path}: {problem.message.removeprefix('skipped: ')}")
    for problem in summary.problems:
        _say("Error:", "red", f"{problem.path}: {problem.message}")
    for doc, text in summary.unplaced_reviews:
        _say("Review kept but not placed", "yellow", f"({doc}): segment text changed: «{text[:70]}»")
    if summary.interrupted:
        err.print(
            f"Interrupted: {len(summary.written)} file(s) written and complete, {summary.pending} note(s) not coded; "
            "every coded file is either its old or its new version. Run `dialogtool code` again to finish."
        )
        raise typer.Exit(130)
    if not quiet:
        coded = len(summary.written) + len(summary.unchanged)
        encodings = Counter(summary.encodings.values())
        plain = ("utf-8", "docx", "pdf")
        unusual = [f"{Path(p).name} ({e})" for p, e in sorted(summary.encodings.items()) if e not in plain]
        lines = [
            f"Coded {coded} note(s) → {out_dir}: {len(summary.written)} written, {len(summary.unchanged)} unchanged; "
            f"{len(summary.skipped_unchanged)} skipped (not changed since last coded; --force re-codes); "
            f"{len(summary.problems)} failed."
        ]
        if coded:
            lines.append(
                f"{summary.segments} segments, {summary.coded_segments} with at least one code. "
                f"Read as: {', '.join(f'{k} ×{v}' for k, v in sorted(encodings.items()))}"
                + (f"; not UTF-8: {', '.join(unusual)}" if unusual else "")
            )
        err.print("\n".join(lines))
    if summary.problems:
        raise typer.Exit(1)


@app.command()
def meta(
    paths: Optional[list[Path]] = typer.Argument(None, help="Notes or folders (default: data/raw)."),
) -> None:
    """List the metadata detected in each note, so it can be checked and fixed.

    Values from the folder's meta.yaml manifest override detection and are marked *.
    """
    from rich.table import Table

    from ..coding.run import discover, read_note
    from ..ingest.meta import FIELDS, load_manifest

    try:
        files, _ = discover(paths or [Path("data/raw")])
        table = Table(title="Detected metadata (* = from meta.yaml)", title_justify="left")
        table.add_column("file")
        for name in FIELDS:
            table.add_column(name)
        failed = 0
        for path in files:
            try:
                note = read_note(path)
                manifest = load_manifest(path.parent).get(path.name, {})
            except DialogtoolError as exc:
                _say("Error:", "red", str(exc))
                failed += 1
                continue
            cells = [
                ("" if note.meta[f] is None else str(note.meta[f])) + ("*" if f in manifest else "") for f in FIELDS
            ]
            table.add_row(str(path), *cells)
    except Exception as exc:
        raise _fail(exc) from None
    out.print(table)
    if failed:
        raise typer.Exit(1)


def _check_output(fmt: str, output: Optional[Path], formats: tuple[str, ...]) -> None:
    """Refuse a format/output combination before any work is done."""
    if fmt not in formats:
        raise DialogtoolError(f"unknown --format '{fmt}'", hint=", ".join(formats))
    if fmt == "xlsx" and output is None:
        raise DialogtoolError("--format xlsx needs --output FILE.xlsx")
    if fmt == "terminal" and output is not None:
        raise DialogtoolError(f"--output needs --format {', '.join(f for f in formats if f != 'terminal')}")


def _write_text(text: str, output: Optional[Path]) -> None:
    """Text output to stdout, or atomically to a file (then say so on stderr)."""
    if output is None:
        sys.stdout.write(text)
        return
    from ..files import write_text

    write_text(output, text)
    err.print(f"Wrote {output}")


@app.command()
def table(
    coded: Path = CODED,
    codebook: Path = CODEBOOK,
    by: str = typer.Option(
        "meeting",
        "--by",
        "-b",
        help="Metadata field for the columns: meeting, date, table, topic, group, host, language, document.",
    ),
    split: Optional[str] = typer.Option(
        None, "--split", "-s", help="Second field: columns become (--by, --split) pairs, e.g. meeting × language."
    ),
    count: str = typer.Option(
        "segments",
        "--count",
        help="Units to count: segments, paragraphs, documents (notes) or meetings that have each theme.",
    ),
    level: int = typer.Option(1, "--level", help="1: themes, children rolled up; 2: also a row per child code."),
    percent: str = typer.Option("col", "--percent", help="col (of the column's N), row (of the row total) or none."),
    sort: str = typer.Option("codebook", "--sort", help="Row order: codebook, or freq (row total, descending)."),
    ids: bool = typer.Option(False, "--ids", help="Name rows by code id (KE, GRUPPER.ME) instead of label."),
    fmt: str = typer.Option("terminal", "--format", "-f", help="terminal, md, csv or xlsx."),
    output: Optional[Path] = typer.Option(
        None, "--output", "-o", help="Write to this file instead of stdout (required for xlsx)."
    ),
) -> None:
    """Theme frequency table: themes × a metadata field (or a pair of fields).

    A cell is the number of units in the column with the theme, with a column (or row)
    percentage; the last row is the number of units per column (N), the last column the
    total, each unit counted once. Reviewer edits are applied (auto + add − remove).
    """
    from ..analysis.tables import theme_table
    from ..coded.folder import load_codes
    from ..coding.codebook import load_codebook
    from ..output import delimited, markdown, terminal, xlsx

    try:
        _check_output(fmt, output, ("terminal", "md", "csv", "xlsx"))
        result = theme_table(
            load_codes(coded),
            load_codebook(codebook),
            by=by,
            count=count,
            split=split,
            level=level,
            percent=percent,
            sort=sort,
            ids=ids,
        )
        if fmt == "terminal":
            out.print(terminal.theme_rich(result))
        elif fmt == "xlsx":
            xlsx.theme_xlsx(result, output)
            err.print(f"Wrote {output}")
        else:
            _write_text(markdown.theme_markdown(result) if fmt == "md" else delimited.theme_csv(result), output)
    except Exception as exc:
        raise _fail(exc) from None


@app.command()
def cooccur(
    coded: Path = CODED,
    codebook: Path = CODEBOOK,
    count: str = typer.Option("segments", "--count", help="Units: segments, paragraphs or documents (notes)."),
    jaccard: bool = typer.Option(False, "--jaccard", help="Cells as |A∩B| / |A∪B| (3 decimals) instead of counts."),
    level: int = typer.Option(1, "--level", help="1: themes, children rolled up; 2: also each child code."),
    ids: bool = typer.Option(False, "--ids", help="Name rows and columns by code id instead of label."),
    fmt: str = typer.Option("terminal", "--format", "-f", help="terminal, csv or xlsx."),
    output: Optional[Path] = typer.Option(
        None, "--output", "-o", help="Write to this file instead of stdout (required for xlsx)."
    ),
) -> None:
    """Theme × theme matrix: units in which both themes occur; the diagonal is units with the theme.

    Shows which problems are raised together. Reviewer edits are applied, as in `table`.
    """
    from ..analysis.cooccur import cooccurrence
    from ..coded.folder import load_codes
    from ..coding.codebook import load_codebook
    from ..output import delimited, terminal, xlsx

    try:
        _check_output(fmt, output, ("terminal", "csv", "xlsx"))
        matrix = cooccurrence(
            load_codes(coded), load_codebook(codebook), count=count, jaccard=jaccard, level=level, ids=ids
        )
        if fmt == "terminal":
            out.print(terminal.cooccur_rich(matrix))
        elif fmt == "xlsx":
            xlsx.cooccur_xlsx(matrix, output)
            err.print(f"Wrote {output}")
        else:
            _write_text(delimited.cooccur_csv(matrix), output)
    except Exception as exc:
        raise _fail(exc) from None


@app.command()
def evaluate(
    gold: Path = typer.Option(..., "--gold", help="Folder of reference codings (one YAML per note)."),
    coded: Path = CODED,
    codebook: Path = CODEBOOK,
    errors: bool = typer.Option(
        True, "--errors/--no-errors", help="List misses and false hits (--no-errors: numbers only, for a blind set)."
    ),
    by: Optional[list[str]] = typer.Option(
        None,
        "--by",
        help="Also break the scores down by `rule` (the evidence that gave each code: term, proximity, "
        "leadin, reference, group, heading, reviewer) or by `language` of the note; may be repeated.",
    ),
) -> None:
    """Score the coding against reference codings: precision, recall, F1 per theme.

    Units are found by their letters and digits; `maybe` codes are neither required
    nor penalised. A theme with no gold positives and no predictions is n/a.
    """
    from ..analysis.evaluate import evaluate as run_evaluation
    from ..coded.folder import load_folder
    from ..coding.codebook import load_codebook
    from ..output import terminal

    try:
        breakdowns = by or []
        for name in breakdowns:
            if name not in ("rule", "language"):
                raise DialogtoolError(f"unknown --by '{name}'", hint="rule or language")
        book = load_codebook(codebook)
        result = run_evaluation(gold, load_folder(coded), book)
    except Exception as exc:
        raise _fail(exc) from None
    labels = {c.id: c.label for c in book.codes}
    out.print(terminal.evaluation_rich(result, labels))
    if "rule" in breakdowns:
        out.print(terminal.evaluation_by_rule_rich(result))
    if "language" in breakdowns:
        out.print(terminal.evaluation_by_language_rich(result))
    if errors and result.errors:
        out.print("\n[bold]Misses and false hits[/bold]")
        for miss in result.errors:
            colour = "yellow" if miss.kind == "miss" else "red"
            line = Text(f"{miss.kind:9}", style=colour)
            line.append(f" {miss.theme:8} {miss.document}: {miss.text}")
            out.print(line)
    for document in result.missing_documents:
        _say("Warning:", "yellow", f"no coded note for reference '{document}'")
    if not errors and result.unlocated:
        _say("Warning:", "yellow", f"{len(result.unlocated)} unit(s) of the reference not found in the coded notes")
    for document, text in result.unlocated if errors else ():
        _say("Warning:", "yellow", f"unit not found in {document}: «{text[:70]}»")


@app.command()
def quotes(
    theme: str = typer.Argument(..., help="Theme id, e.g. KE (with its children) or GRUPPER.ME."),
    coded: Path = CODED,
    codebook: Path = CODEBOOK,
    limit: Optional[int] = typer.Option(None, "--limit", "-n", min=1, help="At most N quotes per group."),
    by: Optional[str] = typer.Option(
        None, "--by", "-b", help="Group under a header per value of a metadata field, e.g. meeting."
    ),
    show_all: bool = typer.Option(False, "--all", help="Keep headings and segments under 6 words."),
    fmt: str = typer.Option("terminal", "--format", "-f", help="terminal, md, docx or csv."),
    output: Optional[Path] = typer.Option(
        None, "--output", "-o", help="Write to this file instead of stdout (required for docx)."
    ),
) -> None:
    """Quotes for the report: the segments coded with a theme, with place, date, table and section.

    Reviewed codes count (auto + add − remove). Within a group, segments with more distinct
    theme terms come first, then longer ones, then by document and position. In the
    terminal the matched terms are highlighted.
    """
    from ..analysis import quotes as q
    from ..coded.folder import load_folder
    from ..coding.codebook import load_codebook
    from ..output import delimited, docx, markdown, terminal

    try:
        _check_output(fmt, output, ("terminal", "md", "docx", "csv"))
        if fmt == "docx" and output is None:
            raise DialogtoolError("--format docx needs --output FILE.docx")
        book = load_codebook(codebook)
        q.theme_codes(book, theme)  # an unknown theme fails before the notes are read
        selection = q.select_quotes(load_folder(coded), book, theme, by=by, limit=limit, include_all=show_all)
        if fmt == "terminal":
            for item in terminal.quotes_rich(selection):
                out.print(item)
        elif fmt == "docx":
            docx.quotes_docx(selection, output)
            err.print(f"Wrote {output}")
        else:
            _write_text(markdown.quotes_markdown(selection) if fmt == "md" else delimited.quotes_csv(selection), output)
    except Exception as exc:
        raise _fail(exc) from None
    err.print(q.summary(selection))


@app.command()
def kwic(
    term: str = typer.Argument(..., help="A word or pattern: pasient, '\\*kompetanse\\*', KE, 'individuell plan'."),
    coded: Path = CODED,
    width: int = typer.Option(40, "--width", "-w", min=5, help="Characters of context on each side."),
    limit: Optional[int] = typer.Option(None, "--limit", "-n", min=1, help="Show at most N lines."),
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
        raise _fail(exc) from None
    for line in kwic_rich(lines[:limit], width):
        out.print(line, soft_wrap=True)
    notes = len({line.document for line in lines})
    shown = f", {min(limit, len(lines))} shown" if limit and limit < len(lines) else ""
    err.print(f"{len(lines)} match(es) of {term!r} in {notes} note(s){shown}")


@app.command()
def uncoded(
    coded: Path = CODED,
    limit: Optional[int] = typer.Option(None, "--limit", "-n", min=1, help="Show at most N segments."),
    show_all: bool = typer.Option(False, "--all", help="Include headings."),
) -> None:
    """Segments without any code after review: where the codebook may have a gap.

    `dialogtool suggest` ranks the words in them.
    """
    from ..analysis.suggest import uncoded_segments
    from ..coded.folder import load_folder
    from ..ingest.segment import HEADING

    try:
        documents = load_folder(coded)
        segments = uncoded_segments(documents, include_headings=show_all)
    except Exception as exc:
        raise _fail(exc) from None
    from rich.text import Text

    label = max((len(f"{s.document} {s.id}") for s in segments), default=0)
    for segment in segments[:limit]:
        line = Text(f"{segment.document} {segment.id}".ljust(label), style="dim")
        line.append("  " + segment.text)
        out.print(line, soft_wrap=True)
    total = sum(1 for d in documents for s in d.segments if show_all or s.kind != HEADING)
    what = "segments" if show_all else "segments (headings left out)"
    shown = f", {limit} shown" if limit and limit < len(segments) else ""
    err.print(f"{len(segments)} of {total} {what} have no code{shown}")


@app.command()
def suggest(
    coded: Path = CODED,
    codebook: Path = CODEBOOK,
    limit: int = typer.Option(30, "--limit", "-n", min=1, help="Show at most N words."),
    min_count: int = typer.Option(2, "--min-count", min=1, help="Leave out words seen fewer times."),
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
        rows = rank(load_folder(coded), load_codebook(codebook), min_count=min_count)
    except Exception as exc:
        raise _fail(exc) from None
    out.print(suggest_rich(rows[:limit]))
    shown = f", {limit} shown" if limit < len(rows) else ""
    err.print(f"{len(rows)} word(s) seen at least {min_count} time(s){shown}; in context: `dialogtool kwic WORD`")


@app.command()
def report(
    coded: Path = CODED,
    codebook: Path = CODEBOOK,
    output: Path = typer.Option(Path("report"), "--output", "-o", help="Folder for the report files."),
    quotes: int = typer.Option(3, "--quotes", help="Quotes per theme in report.md and report.docx."),
) -> None:
    """Write the report files in one go: themes.xlsx, report.md, report.docx and PNG charts.

    themes.xlsx has one sheet per table (themes × meeting, themes × table topic,
    co-occurrence, notes per theme); report.docx has the same tables as Word tables with
    the charts and the top quotes per theme. Reviewer edits are applied.
    """
    from ..coding.codebook import load_codebook
    from ..output.report import build_report

    try:
        result = build_report(coded, load_codebook(codebook), output, quotes_per_theme=quotes)
    except Exception as exc:
        raise _fail(exc) from None
    err.print(
        f"Report on {result.documents} note(s) from {result.meetings} meeting(s), {result.segments} segments "
        f"({result.coded_segments} coded) → {output}"
    )
    for path in result.files:
        out.print(str(path), markup=False)


_register_review_commands()
