"""Commands for reviewing and exchanging codings: diff, agree, export, import.

Registered in cli.py with one line each (after `app` is defined):

    from . import review as cli_review
    app.command("diff")(cli_review.diff)
    app.command("agree")(cli_review.agree)
    app.add_typer(cli_review.export_app, name="export")
    app.add_typer(cli_review.import_app, name="import")

The consoles and the error handling (`--debug`) are cli.py's own, imported when a command
runs so that cli.py can import this module wherever it likes.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

import typer

if TYPE_CHECKING:
    pass

CODEBOOK = typer.Option(Path("codebook.yaml"), "--codebook", "-c", help="Codebook YAML file.")
CODED = typer.Option(Path("data/coded"), "--coded", help="Folder of coded notes (written by `code`).")
LEVEL = typer.Option(1, "--level", "-l", help="1: themes, children rolled up; 2: themes and their children.")

export_app = typer.Typer(
    help="Export the coding or the codebook for other QDA programs (REFI-QDA).", no_args_is_help=True
)
import_app = typer.Typer(help="Import a REFI-QDA project or codebook from another QDA program.", no_args_is_help=True)


def _cli() -> Any:
    from . import main as cli

    return cli


def diff(
    a: Optional[str] = typer.Argument(None, help="Folder or git revision (default: HEAD)."),
    b: Optional[str] = typer.Argument(None, help="Folder or git revision (default: the --coded folder as it is)."),
    coded: Path = CODED,
    codebook: Path = CODEBOOK,
    level: int = LEVEL,
) -> None:
    """Which segments gained or lost which theme between two versions of the coding.

    A and B are folders of coded notes or git revisions of the --coded folder; with no
    arguments, the last commit (HEAD) against the folder as it is now. Codes are the
    reviewed ones (auto + add − remove). Segments are paired by note and text; text found
    on one side only is listed as added or removed.
    """
    from ..analysis.codings import load_coding
    from ..analysis.diff import diff_codings
    from ..coding.codebook import load_codebook

    cli = _cli()
    try:
        book = load_codebook(codebook)
        result = diff_codings(load_coding(a or "HEAD", coded), load_coding(b, coded), book, level=level)
    except Exception as exc:
        raise cli._fail(exc) from None
    if result.empty:
        cli.err.print(f"No changes in the coding between {result.a} and {result.b}.")
        return
    from ..output.terminal import diff_rich

    for item in diff_rich(result, book):
        cli.out.print(item)


def agree(
    a: str = typer.Argument(..., help="First coding: a folder or a git revision of --coded."),
    b: str = typer.Argument(..., help="Second coding: a folder or a git revision of --coded."),
    coded: Path = CODED,
    codebook: Path = CODEBOOK,
    level: int = LEVEL,
    disagreements: bool = typer.Option(False, "--disagreements", "-d", help="List the segments coded differently."),
) -> None:
    """Agreement between two codings of the same notes: %, Cohen's kappa, Krippendorff's alpha.

    Every (segment, theme) pair is a present/absent decision of each coder; segments are
    paired by note and text. "Overall" pools all decisions. n/a: no variation to agree on.
    """
    from ..analysis.agree import agreement
    from ..analysis.codings import load_coding
    from ..coding.codebook import load_codebook

    cli = _cli()
    try:
        book = load_codebook(codebook)
        report = agreement(load_coding(a, coded), load_coding(b, coded), book, level=level)
    except Exception as exc:
        raise cli._fail(exc) from None
    from ..output.terminal import agreement_rich

    for item in agreement_rich(report, book, disagreements):
        cli.out.print(item)
    for name in report.notes_only_a:
        cli.err.print(f"[yellow]Not compared:[/yellow] {name} is only in {report.a}", markup=True, highlight=False)
    for name in report.notes_only_b:
        cli.err.print(f"[yellow]Not compared:[/yellow] {name} is only in {report.b}", markup=True, highlight=False)


@export_app.command("qdpx")
def export_qdpx(
    output: Path = typer.Option(..., "--output", "-o", help="The .qdpx file to write."),
    coded: Path = CODED,
    codebook: Path = CODEBOOK,
) -> None:
    """The coded notes as a REFI-QDA project (.qdpx) for ATLAS.ti, MAXQDA, NVivo, QualCoder, ….

    One text source per note (its normalised text), one coded selection per coded segment
    (reviewed codes), the codebook with its hierarchy and colours, note metadata as
    document variables and reviewers' notes as notes on their selections.
    """
    from ..coded.folder import load_folder
    from ..coding.codebook import load_codebook
    from ..exchange.refi import export_qdpx as run_export

    cli = _cli()
    try:
        summary = run_export(load_folder(coded), load_codebook(codebook), output)
    except Exception as exc:
        raise cli._fail(exc) from None
    for code in summary.unknown_codes:
        cli.err.print(f"[yellow]Warning:[/yellow] code '{code}' is not in the codebook; exported under its id")
    if summary.rebuilt:
        cli.err.print(f"Text rebuilt from the segments (source missing or changed): {', '.join(summary.rebuilt)}")
    cli.err.print(
        f"Wrote {output}: {summary.notes} note(s), {summary.selections} selection(s) with {summary.codings} "
        f"coding(s), {summary.codes} code(s), {summary.review_notes} reviewer note(s). "
        "Not exported (REFI-QDA has no place for them): matched terms, heading inheritance, sections."
    )


@export_app.command("qdc")
def export_qdc(
    output: Path = typer.Option(..., "--output", "-o", help="The .qdc file to write."),
    codebook: Path = CODEBOOK,
) -> None:
    """The codebook as a REFI-QDA codebook (.qdc): names, hierarchy, descriptions, colours."""
    from ..coding.codebook import load_codebook
    from ..exchange.refi import export_qdc as run_export

    cli = _cli()
    try:
        count = run_export(load_codebook(codebook), output)
    except Exception as exc:
        raise cli._fail(exc) from None
    cli.err.print(f"Wrote {output}: {count} code(s).")


@import_app.command("qdpx")
def import_qdpx(
    project: Path = typer.Argument(..., help="A .qdpx project coded in another program."),
    output: Path = typer.Option(..., "--output", "-o", help="Folder for the imported coding (not --coded)."),
    coded: Path = CODED,
    codebook: Path = CODEBOOK,
    force: bool = typer.Option(False, "--force", help="Overwrite coded notes already in the output folder."),
) -> None:
    """Codes another program gave these notes, as a second coder's folder for `agree`.

    Sources are matched to coded notes by GUID, name or text; a selection's codes go to
    every segment whose text it covers; codes map to the codebook by GUID, label or id.
    """
    from ..coded.folder import load_folder
    from ..coding.codebook import load_codebook
    from ..exchange.refi import import_qdpx as run_import

    cli = _cli()
    try:
        summary = run_import(project, load_folder(coded), load_codebook(codebook), output, coded, force=force)
    except Exception as exc:
        raise cli._fail(exc) from None
    err = cli.err
    for name in summary.unmatched_sources:
        err.print(f"[yellow]Skipped source:[/yellow] {name}: no coded note with that name or text", markup=True)
    for name, count in sorted(summary.unmapped_codes.items()):
        err.print(f"[yellow]Unknown code:[/yellow] '{name}' is not in the codebook: {count} coding(s) left out")
    if summary.realigned:
        err.print(f"Text differs from the coded note, positions carried over: {', '.join(summary.realigned)}")
    if summary.outside:
        err.print(f"{summary.outside} selection(s) covered no segment's text and were left out.")
    if summary.source_codings:
        err.print(f"{summary.source_codings} coding(s) of whole sources ignored (only selections code segments).")
    if summary.notes_not_in_project:
        err.print(f"Not in the project: {', '.join(summary.notes_not_in_project)}")
    err.print(
        f"Imported {len(summary.written)} note(s) → {output}: {summary.selections} selection(s), "
        f"{summary.codings} coding(s). Compare: dialogtool agree {coded} {output}"
    )


@import_app.command("qdc")
def import_qdc(
    file: Path = typer.Argument(..., help="A .qdc codebook from another program."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Codebook to write (default: --codebook)."),
    codebook: Path = CODEBOOK,
    force: bool = typer.Option(False, "--force", help="Overwrite the codebook file if it exists."),
) -> None:
    """A REFI-QDA codebook as codebook.yaml: ids from names, children nested, each code's
    name as its only term (refine the terms before coding)."""
    from ..exchange.refi import import_qdc as run_import

    cli = _cli()
    target = output or codebook
    try:
        count = run_import(file, target, force=force)
    except Exception as exc:
        raise cli._fail(exc) from None
    cli.err.print(f"Wrote {target}: {count} code(s). Each code's only term is its name: refine the terms.")
