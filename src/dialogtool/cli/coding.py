"""Commands that read notes: `code` (write coded notes) and `meta` (show detected metadata)."""

import os
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from ..errors import DialogtoolError
from . import console
from .options import CODEBOOK, Codebook

if TYPE_CHECKING:
    from ..coding.run import RunSummary

Paths = Annotated[Optional[list[Path]], typer.Argument(help="Notes or folders of notes (default: data/raw).")]


def register(app: typer.Typer) -> None:
    app.command()(code)
    app.command()(meta)


def code(
    ctx: typer.Context,
    paths: Paths = None,
    codebook: Codebook = CODEBOOK,
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Folder for the coded YAML files.")] = Path("data/coded"),
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", help="Processes to code with (0, the default: one per core).")
    ] = 0,
    force: Annotated[
        bool, typer.Option("--force", help="Re-code every note, even those unchanged since last time.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only problems.")] = False,
) -> None:
    """Code notes (.txt, .md, .docx, .odt, .pdf) and write one coded YAML file per note.

    Notes whose source, codebook and manifest entry are unchanged since they were last
    coded are skipped (--force re-codes them). Files are rewritten only when their
    content changes; reviewers' `review:` blocks are carried over by segment text.
    Exit code 1 when any file could not be coded, 130 when interrupted.
    """
    from ..coding.codebook import load_codebook
    from ..coding.run import code_paths

    debug = console.settings(ctx).debug
    try:
        book = load_codebook(codebook)
        with console.progress("Coding", quiet) as progress:
            task = progress.add_task("code", total=None, name="")

            def report(name: str, done: int, total: int) -> None:
                progress.update(task, completed=done, total=total, name=Path(name).name if name else "")

            cores = jobs or os.cpu_count() or 1
            summary = code_paths(paths or [Path("data/raw")], book, out_dir, report, cores, force, debug=debug)
    except Exception as exc:
        raise console.fail(exc, debug) from None
    for message in summary.manifest_errors:
        console.error(message)
    for message in summary.manifest_warnings:
        console.warning(message)
    for problem in summary.skipped:
        console.say("Skipped:", f"{problem.path}: {problem.message.removeprefix('skipped: ')}")
    for problem in summary.problems:
        console.error(f"{problem.path}: {problem.message}")
    for problem in summary.warnings:
        console.warning(f"{problem.path}: {problem.message}")
    for doc, text in summary.unplaced_reviews:
        console.say("Review kept but not placed", f"({doc}): segment text changed: «{text[:70]}»")
    if summary.interrupted:
        console.note(
            f"Interrupted: {len(summary.written)} file(s) written and complete, {summary.pending} note(s) not coded; "
            "every coded file is either its old or its new version. Run `dialogtool code` again to finish."
        )
        raise typer.Exit(console.ExitStatus.INTERRUPTED)
    if not quiet:
        console.note(_summary_lines(summary, out_dir))
    if summary.problems:
        raise typer.Exit(console.ExitStatus.FAILED)


def _summary_lines(summary: "RunSummary", out_dir: Path) -> str:
    """The closing lines of a `code` run: what was written, skipped and failed, and how notes were read."""
    coded = len(summary.written) + len(summary.unchanged)
    encodings = Counter(summary.encodings.values())
    plain = ("utf-8", "docx", "odt", "pdf")
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
    return "\n".join(lines)


def meta(
    ctx: typer.Context,
    paths: Annotated[Optional[list[Path]], typer.Argument(help="Notes or folders (default: data/raw).")] = None,
) -> None:
    """List the metadata detected in each note, so it can be checked and fixed.

    Values from the folder's meta.yaml manifest override detection and are marked *; fields
    of your own there (kommune, helseforetak, …) get a column each. Every mistake in a
    manifest is listed once, with its line; only the notes whose entries are wrong fail.
    """
    from ..ingest.discover import find_notes
    from ..ingest.meta import FIELDS, Manifest
    from ..ingest.note import manifest_for, read_note
    from ..output.terminal import metadata_rich

    rows: list[tuple[str, list[str]]] = []
    failed = 0
    manifests: dict[Path, Manifest] = {}
    try:
        files, skipped = find_notes(paths or [Path("data/raw")])
        for problem in skipped:
            if problem.error:
                console.error(f"{problem.path}: {problem.message}")
                failed += 1
        for path in files:
            manifest_for(path, manifests)
        for manifest in manifests.values():
            for exc in manifest.errors:
                console.error(str(exc))
            for warning in manifest.warnings:
                console.warning(str(warning))
        fields = [*FIELDS, *dict.fromkeys(f for m in manifests.values() for f in m.fields)]
        for path in files:
            try:
                note = read_note(path, manifests)
            except DialogtoolError as exc:
                console.error(str(exc))
                failed += 1
                continue
            entry = manifests[path.parent].entries.get(path.name, {})
            cells = [
                ("" if note.meta.get(f) is None else str(note.meta[f])) + ("*" if f in entry else "") for f in fields
            ]
            rows.append((str(path), cells))
    except Exception as exc:
        raise console.fail(exc, console.settings(ctx).debug) from None
    console.out.print(metadata_rich(fields, rows))
    if failed:
        raise typer.Exit(console.ExitStatus.FAILED)
