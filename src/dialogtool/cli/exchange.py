"""Commands that exchange with other QDA programs (REFI-QDA): `export qdpx|qdc`, `import qdpx|qdc`."""

from pathlib import Path
from typing import Annotated, Optional

import typer

from . import console
from .helpformat import HelpGroup
from .options import CODEBOOK, CODED, Codebook, Coded, Positions

export_app = typer.Typer(
    cls=HelpGroup,
    help="Export the coding or the codebook for other QDA programs (REFI-QDA).",
    no_args_is_help=True,
    rich_markup_mode=None,
)
import_app = typer.Typer(
    cls=HelpGroup,
    help="Import a REFI-QDA project or codebook from another QDA program.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def register(app: typer.Typer) -> None:
    app.add_typer(export_app, name="export")
    app.add_typer(import_app, name="import")


@export_app.command("qdpx")
def export_qdpx(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("--output", "-o", help="The .qdpx file to write.")],
    coded: Coded = CODED,
    codebook: Codebook = CODEBOOK,
    user: Annotated[
        str, typer.Option("--user", help="Name the project gives as the coder of every coding and note.")
    ] = "dialogtool",
    positions: Annotated[
        Positions, typer.Option("--positions", help="What positions count: codepoints (the standard) or utf16 (NVivo).")
    ] = Positions.CODEPOINTS,
) -> None:
    """The coded notes as a REFI-QDA project (.qdpx) for ATLAS.ti, MAXQDA, NVivo, QualCoder, ….

    One text source per note (its normalised text), one coded selection per coded segment
    (reviewed codes), the codebook with its hierarchy and colours, note metadata as
    document variables and reviewers' notes as notes on their selections.
    """
    from ..coded.folder import load_folder
    from ..coding.codebook import load_codebook
    from ..exchange.refi import export_qdpx as run_export

    try:
        book = load_codebook(codebook)
        summary = run_export(load_folder(coded, book.ids), book, output, user=user, units=positions.value)
    except Exception as exc:
        raise console.fail(exc, console.settings(ctx).debug) from None
    for code in summary.unknown_codes:
        console.warning(f"code '{code}' is not in the codebook; exported under its id")
    if summary.rebuilt:
        console.note(f"Text rebuilt from the segments (source missing or changed): {', '.join(summary.rebuilt)}")
    console.note(
        f"Wrote {output}: {summary.notes} note(s), {summary.selections} selection(s) with {summary.codings} "
        f"coding(s), {summary.codes} code(s), {summary.review_notes} reviewer note(s). "
        "Not exported (REFI-QDA has no place for them): matched terms, heading inheritance, sections."
    )


@export_app.command("qdc")
def export_qdc(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("--output", "-o", help="The .qdc file to write.")],
    codebook: Codebook = CODEBOOK,
) -> None:
    """The codebook as a REFI-QDA codebook (.qdc): names, hierarchy, descriptions, colours."""
    from ..coding.codebook import load_codebook
    from ..exchange.refi import export_qdc as run_export

    try:
        count = run_export(load_codebook(codebook), output)
    except Exception as exc:
        raise console.fail(exc, console.settings(ctx).debug) from None
    console.note(f"Wrote {output}: {count} code(s).")


@import_app.command("qdpx")
def import_qdpx(
    ctx: typer.Context,
    project: Annotated[Path, typer.Argument(help="A .qdpx project coded in another program.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder for the imported coding (not --coded).")],
    coded: Coded = CODED,
    codebook: Codebook = CODEBOOK,
    force: Annotated[bool, typer.Option("--force", help="Overwrite coded notes already in the output folder.")] = False,
    positions: Annotated[
        Optional[Positions],
        typer.Option("--positions", help="What positions count (default: the producer's unit, or a guess)."),
    ] = None,
    crlf: Annotated[
        Optional[int],
        typer.Option("--crlf", min=1, max=2, help="Positions a CRLF line end takes, 1 or 2 (default: detected)."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Codes another program gave these notes, as a second coder's folder for `agree`.

    Sources are matched to coded notes by GUID, name or text; positions are read in the
    producer's unit (NVivo: UTF-16 code units) and line-end count; a selection's codes go to
    every segment whose text it covers; codes map to the codebook by GUID, id, or label and
    parent.
    """
    from ..coded.folder import load_folder
    from ..coding.codebook import load_codebook
    from ..exchange.refi import import_qdpx as run_import

    try:
        book = load_codebook(codebook)
        notes = load_folder(coded, book.ids)
        # on a terminal only: a transient bar leaves an empty line in a log or a pipe
        with console.progress("Aligning", quiet or not console.err.is_terminal) as bar:
            task = bar.add_task("align", total=None, name="")

            def report(name: str, done: int, total: int) -> None:
                bar.update(task, completed=done, total=total, name=name)

            units = positions.value if positions is not None else None
            summary = run_import(project, notes, book, output, coded, force, units, crlf, report)
    except Exception as exc:
        raise console.fail(exc, console.settings(ctx).debug) from None
    for name in summary.unmatched_sources:
        console.say("Skipped source:", f"{name}: no coded note with that name or text")
    for name, count in sorted(summary.unmapped_codes.items()):
        console.say("Unknown code:", f"'{name}' is not in the codebook: {count} coding(s) left out")
    if summary.invalid:
        shown = ", ".join(summary.invalid[:5]) + (" …" if len(summary.invalid) > 5 else "")
        console.say(
            "Bad selections:",
            f"{len(summary.invalid)} skipped (outside their source, ending before they start, or not numbers): {shown}",
        )
    for name, convention, why in summary.conventions:
        console.note(f"Positions in {name} read as {convention} ({why}).")
    if summary.realigned:
        console.note(f"Text differs from the coded note, positions carried over: {', '.join(summary.realigned)}")
    if summary.outside:
        console.note(f"{summary.outside} selection(s) covered no segment's text and were left out.")
    if summary.source_codings:
        console.note(f"{summary.source_codings} coding(s) of whole sources ignored (only selections code segments).")
    if summary.notes_not_in_project:
        console.note(f"Not in the project: {', '.join(summary.notes_not_in_project)}")
    console.note(
        f"Imported {len(summary.written)} note(s) → {output}: {summary.selections} selection(s), "
        f"{summary.codings} coding(s). Compare: dialogtool agree {coded} {output}"
    )


@import_app.command("qdc")
def import_qdc(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A .qdc codebook (or a .qdpx/.qde project) from another program.")],
    output: Annotated[
        Optional[Path], typer.Option("--output", "-o", help="Codebook to write (default: --codebook).")
    ] = None,
    codebook: Codebook = CODEBOOK,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the codebook file if it exists.")] = False,
) -> None:
    """A REFI-QDA codebook as codebook.yaml: ids from names (or back from our own export),
    children nested, folders as parents, each code's name as its only term (refine the
    terms before coding). Also reads the codebook of a .qdpx or .qde project."""
    from ..exchange.refi import import_qdc as run_import

    target = output or codebook
    try:
        summary = run_import(file, target, force=force)
    except Exception as exc:
        raise console.fail(exc, console.settings(ctx).debug) from None
    if summary.sets:
        console.note(f"{len(summary.sets)} code group(s) kept as a comment at the top of {target}.")
    console.note(
        f"Wrote {target}: {summary.codes} code(s), {summary.folders} folder(s) as parents without terms, "
        f"{summary.own_ids} id(s) from dialogtool's own export. Each code's only term is its name: refine the terms."
    )
