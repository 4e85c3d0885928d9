"""Commands that compare two codings: `diff` (what changed) and `agree` (how much two coders agree)."""

from typing import Annotated, Optional

import typer

from . import console
from .options import CODEBOOK, CODED, Codebook, Coded

Level = Annotated[
    int, typer.Option("--level", "-l", help="1: themes, children rolled up; 2: themes and their children.")
]


def register(app: typer.Typer) -> None:
    app.command()(diff)
    app.command()(agree)


def diff(
    ctx: typer.Context,
    a: Annotated[Optional[str], typer.Argument(help="Folder or git revision (default: HEAD).")] = None,
    b: Annotated[
        Optional[str], typer.Argument(help="Folder or git revision (default: the --coded folder as it is).")
    ] = None,
    coded: Coded = CODED,
    codebook: Codebook = CODEBOOK,
    level: Level = 1,
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
    from ..output.terminal import diff_rich

    try:
        book = load_codebook(codebook)
        result = diff_codings(
            load_coding(a or "HEAD", coded, book.ids), load_coding(b, coded, book.ids), book, level=level
        )
    except Exception as exc:
        raise console.fail(exc, console.settings(ctx).debug) from None
    if result.empty:
        console.note(f"No changes in the coding between {result.a} and {result.b}.")
        return
    for item in diff_rich(result, book):
        console.out.print(item)


def agree(
    ctx: typer.Context,
    a: Annotated[str, typer.Argument(help="First coding: a folder or a git revision of --coded.")],
    b: Annotated[str, typer.Argument(help="Second coding: a folder or a git revision of --coded.")],
    coded: Coded = CODED,
    codebook: Codebook = CODEBOOK,
    level: Level = 1,
    disagreements: Annotated[
        bool, typer.Option("--disagreements", "-d", help="List the segments coded differently.")
    ] = False,
    reviewed: Annotated[
        bool,
        typer.Option("--reviewed", help="Compare reviewers: only segments reviewed on both sides; name who (by:)."),
    ] = False,
) -> None:
    """Agreement between two codings of the same notes: %, Cohen's kappa, Krippendorff's alpha.

    Every (segment, theme) pair is a present/absent decision of each coder; segments are
    paired by note and text. "Overall" pools all decisions. n/a: no variation to agree on.
    """
    from ..analysis.agree import agreement
    from ..analysis.codings import load_coding
    from ..coding.codebook import load_codebook
    from ..output.terminal import agreement_rich

    try:
        book = load_codebook(codebook)
        report = agreement(
            load_coding(a, coded, book.ids), load_coding(b, coded, book.ids), book, level=level, reviewed=reviewed
        )
    except Exception as exc:
        raise console.fail(exc, console.settings(ctx).debug) from None
    for item in agreement_rich(report, book, disagreements):
        console.out.print(item)
    if reviewed:
        console.say("Not compared:", f"{report.not_reviewed} shared segment(s) not reviewed on both sides")
    for name in report.notes_only_a:
        console.say("Not compared:", f"{name} is only in {report.a}")
    for name in report.notes_only_b:
        console.say("Not compared:", f"{name} is only in {report.b}")
