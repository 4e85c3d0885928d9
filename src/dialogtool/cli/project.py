"""Commands for the project as a whole: `init` (set one up) and `status` (where it stands)."""

from pathlib import Path
from typing import Annotated, Optional

import typer

from . import console
from .options import CODEBOOK, CODED, Codebook, Coded


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.command()(status)


def init(
    ctx: typer.Context,
    folder: Annotated[Path, typer.Argument(help="Folder for the new project (default: the current one).")] = Path(),
) -> None:
    """Set up a project: codebook.yaml, data/raw (with a README), data/coded, .gitignore, git.

    The codebook is dialogtool's own, as a starting point. Existing files are never
    overwritten; `git init` runs when git is installed and the folder is not in a repository.
    """
    from ..analysis.project import init_project

    try:
        result = init_project(folder)
    except Exception as exc:
        raise console.fail(exc, console.settings(ctx).debug) from None
    for path in result.created:
        console.out.print(f"created {path}{'/' if path.is_dir() else ''}", markup=False, highlight=False)
    for path in result.kept:
        console.out.print(f"kept    {path} (exists)", markup=False, highlight=False)
    git = {"created": "git repository created", "exists": "already in a git repository", "absent": "git not found"}
    console.note(f"{git[result.git]}. Next: put notes in {folder / 'data' / 'raw'}, then run `dialogtool code` there.")


def status(
    ctx: typer.Context,
    paths: Annotated[
        Optional[list[Path]], typer.Argument(help="Notes or folders of notes (default: data/raw).")
    ] = None,
    coded: Coded = CODED,
    codebook: Codebook = CODEBOOK,
) -> None:
    """Where the project stands: notes found, coded, out of date, reviewed and unreviewed segments.

    Out of date means the note, its meta.yaml entry or the codebook changed since it was
    coded. Coded files that cannot be read, or whose reviews name codes the codebook lacks,
    are listed with file and line; then the exit code is 1.
    """
    from ..analysis.project import project_status
    from ..coding.codebook import load_codebook
    from ..output.terminal import status_lines

    try:
        result = project_status(paths or [Path("data/raw")], load_codebook(codebook), coded)
    except Exception as exc:
        raise console.fail(exc, console.settings(ctx).debug) from None
    for line in status_lines(result, str(coded)):
        console.out.print(line, soft_wrap=True)
    if result.problems:
        raise typer.Exit(console.ExitStatus.FAILED)
