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

from . import __version__
from .errors import DialogtoolError

app = typer.Typer(
    help="Code notes from dialogue meetings against a codebook of themes, and report on them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)
# Piped output is not cut to 80 columns: tables stay whole in files and logs.
out = Console(highlight=False, width=None if sys.stdout.isatty() else 200)
err = Console(stderr=True, highlight=False, soft_wrap=True)  # messages stay one line
_state = {"debug": False}

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


def _fail(exc: BaseException) -> typer.Exit:
    """Print an error as one line (or a traceback with --debug) and give the exit code."""
    if _state["debug"]:
        raise exc
    if isinstance(exc, DialogtoolError):
        err.print(f"[red]Error:[/red] {exc}", markup=True, highlight=False)
        return typer.Exit(2)
    err.print(f"[red]Internal error:[/red] {type(exc).__name__}: {exc} (run with --debug for the traceback)")
    return typer.Exit(1)


@app.command()
def code(
    paths: Optional[list[Path]] = typer.Argument(None, help="Notes or folders of notes [default: data/raw]."),
    codebook: Path = CODEBOOK,
    out_dir: Path = typer.Option(Path("data/coded"), "--out", "-o", help="Folder for the coded YAML files."),
    jobs: int = typer.Option(0, "--jobs", "-j", help="Processes to code with [default: the machine's cores]."),
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

    from .codebook import load_codebook
    from .pipeline import code_paths

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
        err.print(f"[yellow]Skipped:[/yellow] {problem.path}: {problem.message.removeprefix('skipped: ')}")
    for problem in summary.problems:
        err.print(f"[red]Error:[/red] {problem.path}: {problem.message}")
    for doc, text in summary.unplaced_reviews:
        err.print(f"[yellow]Review kept but not placed[/yellow] ({doc}): segment text changed: «{text[:70]}»")
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
    paths: Optional[list[Path]] = typer.Argument(None, help="Notes or folders [default: data/raw]."),
) -> None:
    """List the metadata detected in each note, so it can be checked and fixed.

    Values from the folder's meta.yaml manifest override detection and are marked *.
    """
    from rich.table import Table

    from .meta import FIELDS, load_manifest
    from .pipeline import discover, read_note

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
                err.print(f"[red]Error:[/red] {exc}")
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
    count: str = typer.Option("segments", "--count", help="Count segments or documents that have each theme."),
    fmt: str = typer.Option("terminal", "--format", "-f", help="terminal, md, csv or xlsx."),
    output: Optional[Path] = typer.Option(
        None, "--output", "-o", help="Write to this file instead of stdout (required for xlsx)."
    ),
) -> None:
    """Theme frequency table: top-level themes (children rolled up) × a metadata field.

    Cells show counts and column percentages; the last row is the column total (N).
    Reviewer edits are applied (auto + add − remove).
    """
    from . import render
    from .codebook import load_codebook
    from .corpus import load_codes
    from .tables import theme_table

    try:
        if fmt not in ("terminal", "md", "csv", "xlsx"):
            raise DialogtoolError(f"unknown --format '{fmt}'", hint="terminal, md, csv or xlsx")
        if fmt == "xlsx" and output is None:
            raise DialogtoolError("--format xlsx needs --output FILE.xlsx")
        result = theme_table(load_codes(coded), load_codebook(codebook), by=by, count=count)
        if fmt == "xlsx":
            render.theme_xlsx(result, output)
        elif fmt == "terminal":
            if output is not None:
                raise DialogtoolError("--output needs --format md, csv or xlsx")
            out.print(render.theme_rich(result))
            return
        else:
            text = render.theme_markdown(result) if fmt == "md" else render.theme_csv(result)
            if output is None:
                sys.stdout.write(text)
                return
            from .store import write_atomic

            write_atomic(output, text)
    except Exception as exc:
        raise _fail(exc) from None
    err.print(f"Wrote {output}")


@app.command()
def evaluate(
    gold: Path = typer.Option(..., "--gold", help="Folder of reference codings (one YAML per note)."),
    coded: Path = CODED,
    codebook: Path = CODEBOOK,
    errors: bool = typer.Option(True, "--errors/--no-errors", help="List misses and false hits."),
) -> None:
    """Score the coding against reference codings: precision, recall, F1 per theme.

    Units are found by their letters and digits; `maybe` codes are neither required
    nor penalised. A theme with no gold positives and no predictions is n/a.
    """
    from . import render
    from .codebook import load_codebook
    from .corpus import load_folder
    from .evaluate import evaluate as run_evaluation

    try:
        book = load_codebook(codebook)
        result = run_evaluation(gold, load_folder(coded), book)
    except Exception as exc:
        raise _fail(exc) from None
    labels = {c.id: c.label for c in book.codes}
    out.print(render.evaluation_rich(result, labels))
    if errors and result.errors:
        out.print("\n[bold]Misses and false hits[/bold]")
        for miss in result.errors:
            colour = "yellow" if miss.kind == "miss" else "red"
            out.print(f"[{colour}]{miss.kind:9}[/{colour}] {miss.theme:8} {miss.document}: {miss.text}", markup=True)
    for document in result.missing_documents:
        err.print(f"[yellow]Warning:[/yellow] no coded note for reference '{document}'")
    for document, text in result.unlocated:
        err.print(f"[yellow]Warning:[/yellow] unit not found in {document}: «{text[:70]}»")
