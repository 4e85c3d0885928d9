"""Commands for reviewers: `review` (the keyboard review screen) and `notes` (every review, listed)."""

from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import DialogtoolError
from . import console
from .options import CODEBOOK, CODED, Codebook, Coded, NotesFormat, ReviewOnly

By = Annotated[
    Optional[str],
    typer.Option("--by", envvar="DIALOGTOOL_REVIEWER", help="Reviewer's name, written as `by:` in each review."),
]


def register(app: typer.Typer) -> None:
    app.command()(review)
    app.command()(notes)


def review(
    ctx: typer.Context,
    paths: Annotated[
        Optional[list[Path]], typer.Argument(help="Coded files to review (default: every file in --coded).")
    ] = None,
    coded: Coded = CODED,
    codebook: Codebook = CODEBOOK,
    theme: Annotated[Optional[str], typer.Option("--theme", "-t", help="Only segments with this code.")] = None,
    only: Annotated[
        ReviewOnly,
        typer.Option("--only", help="Only segments without codes, with codes from context, changed, or unreviewed."),
    ] = ReviewOnly.all,
    by: By = None,
) -> None:
    """Review coded segments one at a time with the keyboard; every decision is saved at once.

    Keys: 1–9 switch a theme on or off, c picks a child code, n writes a note, a accepts the
    codes as they stand, u undoes, ←/→ move, q quits. Decisions are written as the
    `review:` block a reviewer would type by hand; the next session resumes where this stopped.
    """
    from ..analysis.review import Only, ReviewSession
    from ..coding.codebook import load_codebook

    try:
        folder, documents = _targets(paths or [], coded)
        session = ReviewSession(
            folder, load_codebook(codebook), documents=documents, theme=theme, only=Only(only.value), by=by
        )
    except Exception as exc:
        raise console.fail(exc, console.settings(ctx).debug) from None
    if not len(session):
        console.note("No segments to review (check --theme and --only).")
        return
    from ..output.review_app import ReviewApp  # Textual is loaded only here

    ReviewApp(session).run()
    console.note(f"{session.progress()}.")


def _targets(paths: list[Path], coded: Path) -> tuple[Path, list[str]]:
    """The coded folder and the documents to review in it: a folder, or coded files in one folder."""
    if not paths:
        return coded, []
    if len(paths) == 1 and paths[0].is_dir():
        return paths[0], []
    folders = {p.parent for p in paths}
    if len(folders) != 1:
        raise DialogtoolError("give coded files from one folder (or the folder)")
    for path in paths:
        if not path.is_file():
            raise DialogtoolError("no such coded file", path=path)
    return folders.pop(), [p.stem for p in paths]


def notes(
    ctx: typer.Context,
    coded: Coded = CODED,
    codebook: Codebook = CODEBOOK,
    by: Annotated[
        Optional[str], typer.Option("--by", help="Only this reviewer's reviews ('' for those without by:).")
    ] = None,
    with_notes: Annotated[bool, typer.Option("--with-notes", help="Only reviews that have a note.")] = False,
    fmt: Annotated[NotesFormat, typer.Option("--format", "-f", help="Output format.")] = NotesFormat.terminal,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file.")] = None,
) -> None:
    """Every reviewer note and edit: note, segment, theme, change, who (the memo view).

    One row per review block, unplaced reviews included; md and xlsx for sharing
    (xlsx with filters on every column).
    """
    from ..analysis.memos import COLUMNS, review_entries, rows
    from ..coded.folder import load_folder
    from ..coding.codebook import load_codebook
    from ..output import markdown, terminal, xlsx

    try:
        console.check_output(fmt, output)
        book = load_codebook(codebook)
        entries = review_entries(load_folder(coded, book.ids), book, by=by, with_notes=with_notes)
        table = rows(entries)
        if fmt is NotesFormat.terminal:
            console.out.print(terminal.notes_rich(table, COLUMNS))
        elif fmt is NotesFormat.xlsx:
            assert output is not None  # check_output
            xlsx.notes_xlsx(table, COLUMNS, output)
            console.note(f"Wrote {output}")
        else:
            console.put_text(markdown.notes_markdown(table, COLUMNS), output)
    except Exception as exc:
        raise console.fail(exc, console.settings(ctx).debug) from None
    reviewers = sorted({e.by or "(no by:)" for e in entries})
    with_note = sum(1 for e in entries if e.note)
    console.note(f"{len(entries)} review(s), {with_note} with a note, by {', '.join(reviewers) or 'nobody'}")
