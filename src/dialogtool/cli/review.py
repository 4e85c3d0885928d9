"""Commands for reviewers: `review` (the keyboard review screen)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from ..errors import DialogtoolError
from . import console
from .options import CODEBOOK, CODED, Codebook, Coded

if TYPE_CHECKING:
    from ..analysis.review import Only

By = Annotated[
    Optional[str],
    typer.Option("--by", envvar="DIALOGTOOL_REVIEWER", help="Reviewer's name, written as `by:` in each review."),
]


def register(app: typer.Typer) -> None:
    app.command()(review)


def review(
    ctx: typer.Context,
    paths: Annotated[
        Optional[list[Path]], typer.Argument(help="Coded files to review (default: every file in --coded).")
    ] = None,
    coded: Coded = CODED,
    codebook: Codebook = CODEBOOK,
    theme: Annotated[Optional[str], typer.Option("--theme", "-t", help="Only segments with this code.")] = None,
    only: Annotated[
        str, typer.Option("--only", help="Only segments: all, uncoded, inherited, changed or unreviewed.")
    ] = "all",
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
            folder, load_codebook(codebook), documents=documents, theme=theme, only=_only(only, Only), by=by
        )
    except Exception as exc:
        raise console.fail(exc, console.settings(ctx).debug) from None
    if not len(session):
        console.note("No segments to review (check --theme and --only).")
        return
    from ..output.review_app import ReviewApp  # Textual is loaded only here

    ReviewApp(session).run()
    console.note(f"{session.progress()}.")


def _only(value: str, choices: type[Only]) -> Only:
    try:
        return choices(value)
    except ValueError:
        raise DialogtoolError(f"--only must be one of {', '.join(c.value for c in choices)}, not '{value}'") from None


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
