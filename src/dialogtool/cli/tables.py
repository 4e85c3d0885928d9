"""Commands that count: `table` (themes × metadata), `cooccur` (theme × theme) and `report`."""

from collections.abc import Collection
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from ..errors import DialogtoolError
from . import console
from .options import (
    CODEBOOK,
    CODED,
    Codebook,
    Coded,
    Evidence,
    EvidenceOption,
    IncludeHeadings,
    Language,
    MatrixCount,
    MatrixFormat,
    Percent,
    Sort,
    TableCount,
    TableFormat,
)

Output = Annotated[
    Optional[Path], typer.Option("--output", "-o", help="Write to this file instead of stdout (required for xlsx).")
]
Ids = Annotated[bool, typer.Option("--ids", help="Name rows by code id (KE, GRUPPER.ME) instead of label.")]
Excel = Annotated[
    bool,
    typer.Option("--excel", help="With -f csv: what Norwegian Excel opens as it is (UTF-8 BOM, ';', decimal comma)."),
]


def _check_excel(excel: bool, fmt: TableFormat | MatrixFormat) -> None:
    if excel and fmt.value != "csv":
        raise DialogtoolError("--excel goes with --format csv")


def _codes_with_progress(coded: Path, known: Collection[str]) -> list[Any]:
    """The codes index, with a progress bar while notes not yet in it are parsed (the first
    `table` over a large folder takes a while; later ones read the index)."""
    from ..coded.folder import load_codes

    with console.progress("Reading coded notes", quiet=not console.err.is_terminal) as bar:
        task = bar.add_task("read", total=None, name="")

        def step(done: int, total: int, name: str) -> None:
            bar.update(task, completed=done, total=total, name=name)

        return load_codes(coded, known, progress=step)


def register(app: typer.Typer) -> None:
    app.command()(table)
    app.command()(cooccur)
    app.command()(report)


def table(
    ctx: typer.Context,
    coded: Coded = CODED,
    codebook: Codebook = CODEBOOK,
    by: Annotated[
        str,
        typer.Option(
            "--by",
            "-b",
            help="Metadata field for the columns: meeting, date, table, topic, group, host, language, document, "
            "or a field of your own from meta.yaml (kommune, helseforetak, …).",
        ),
    ] = "meeting",
    split: Annotated[
        Optional[str],
        typer.Option(
            "--split", "-s", help="Second field: columns become (--by, --split) pairs, e.g. meeting × language."
        ),
    ] = None,
    count: Annotated[
        TableCount,
        typer.Option("--count", help="Units to count: segments, paragraphs, documents (notes) or meetings."),
    ] = TableCount.segments,
    level: Annotated[
        int, typer.Option("--level", help="1: themes, children rolled up; 2: also a row per child code.")
    ] = 1,
    percent: Annotated[
        Percent, typer.Option("--percent", help="col (of the column's N), row (of the row total) or none.")
    ] = Percent.col,
    sort: Annotated[
        Sort, typer.Option("--sort", help="Row order: codebook, or freq (row total, descending).")
    ] = Sort.codebook,
    ids: Ids = False,
    fmt: Annotated[TableFormat, typer.Option("--format", "-f", help="Output format.")] = TableFormat.terminal,
    output: Output = None,
    excel: Excel = False,
    include_headings: IncludeHeadings = False,
    evidence: EvidenceOption = Evidence.all,
) -> None:
    """Theme frequency table: themes × a metadata field (or a pair of fields).

    A cell is the number of units in the column with the theme, with a column (or row)
    percentage; the last row is the number of units per column (N), the last column the
    total, each unit counted once. Reviewer edits are applied (auto + add − remove).
    """
    from ..analysis.tables import theme_table
    from ..coding.codebook import load_codebook
    from ..output import delimited, markdown, terminal, xlsx

    try:
        book = load_codebook(codebook)
        console.check_output(fmt, output)
        _check_excel(excel, fmt)
        result = theme_table(
            _codes_with_progress(coded, book.ids),
            book,
            by=by,
            count=count.value,
            split=split,
            level=level,
            percent=percent.value,
            sort=sort.value,
            ids=ids,
            headings=include_headings,
            evidence=evidence.value,
        )
        if fmt is TableFormat.terminal:
            console.out.print(terminal.theme_rich(result))
        elif fmt is TableFormat.xlsx:
            assert output is not None  # check_output
            xlsx.theme_xlsx(result, output)
            console.note(f"Wrote {output}")
        else:
            console.put_text(
                markdown.theme_markdown(result) if fmt is TableFormat.md else delimited.theme_csv(result, excel), output
            )
    except Exception as exc:
        raise console.fail(exc, console.settings(ctx).debug) from None


def cooccur(
    ctx: typer.Context,
    coded: Coded = CODED,
    codebook: Codebook = CODEBOOK,
    count: Annotated[
        MatrixCount, typer.Option("--count", help="Units: segments, paragraphs or documents (notes).")
    ] = MatrixCount.segments,
    jaccard: Annotated[
        bool, typer.Option("--jaccard", help="Cells as |A∩B| / |A∪B| (3 decimals) instead of counts.")
    ] = False,
    level: Annotated[int, typer.Option("--level", help="1: themes, children rolled up; 2: also each child code.")] = 1,
    ids: Ids = False,
    fmt: Annotated[MatrixFormat, typer.Option("--format", "-f", help="Output format.")] = MatrixFormat.terminal,
    output: Output = None,
    excel: Excel = False,
    include_headings: IncludeHeadings = False,
    evidence: EvidenceOption = Evidence.all,
) -> None:
    """Theme × theme matrix: units in which both themes occur; the diagonal is units with the theme.

    Shows which problems are raised together. Reviewer edits are applied, as in `table`.
    """
    from ..analysis.cooccur import cooccurrence
    from ..coded.folder import load_codes
    from ..coding.codebook import load_codebook
    from ..output import delimited, terminal, xlsx

    try:
        book = load_codebook(codebook)
        console.check_output(fmt, output)
        _check_excel(excel, fmt)
        matrix = cooccurrence(
            load_codes(coded, book.ids),
            book,
            count=count.value,
            jaccard=jaccard,
            level=level,
            ids=ids,
            headings=include_headings,
            evidence=evidence.value,
        )
        if fmt is MatrixFormat.terminal:
            console.out.print(terminal.cooccur_rich(matrix))
        elif fmt is MatrixFormat.xlsx:
            assert output is not None  # check_output
            xlsx.cooccur_xlsx(matrix, output)
            console.note(f"Wrote {output}")
        else:
            console.put_text(delimited.cooccur_csv(matrix, excel), output)
    except Exception as exc:
        raise console.fail(exc, console.settings(ctx).debug) from None


def report(
    ctx: typer.Context,
    coded: Coded = CODED,
    codebook: Codebook = CODEBOOK,
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder for the report files.")] = Path("report"),
    quotes: Annotated[
        int, typer.Option("--quotes", min=1, help="Quotes per theme in report.md and report.docx (at least 1).")
    ] = 3,
    language: Annotated[
        Language, typer.Option("--language", help="Written standard of the report: nb (Bokmål) or nn (Nynorsk).")
    ] = Language.nb,
    include_headings: IncludeHeadings = False,
    evidence: EvidenceOption = Evidence.all,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
) -> None:
    """Write the report files in one go: themes.xlsx, report.md, report.docx and PNG charts.

    themes.xlsx has one sheet per table (themes × meeting, themes × table topic,
    co-occurrence, notes per theme, each theme's child codes); report.docx is an A4 Word
    document in Norwegian with the same tables, the charts with numbered captions, a
    paragraph on how the notes were coded, and the top quotes per theme. Reviewer edits
    are applied.
    """
    from ..coding.codebook import load_codebook
    from ..output.report import STEPS, build_report
    from ..output.story import Options

    options = Options(
        quotes_per_theme=quotes, language=language.value, headings=include_headings, evidence=evidence.value
    )
    try:
        with console.progress("Report", quiet=quiet or not console.err.is_terminal) as bar:
            task = bar.add_task("report", total=len(STEPS), name="")

            def step(name: str) -> None:
                bar.update(task, completed=STEPS.index(name), name=name)

            result = build_report(coded, load_codebook(codebook), output, options=options, step=step)
    except Exception as exc:
        raise console.fail(exc, console.settings(ctx).debug) from None
    console.note(
        f"Report on {result.documents} note(s) from {result.meetings} meeting(s), {result.segments} segments "
        f"({result.coded_segments} coded{'' if include_headings else '; headings left out'}) → {output}"
    )
    for path in result.files:
        console.out.print(str(path), markup=False)
