"""PDF notes with a real text layer, built byte by byte (pypdf cannot author text)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from builders import make_layout_pdf, make_text_pdf
from dialogtool.cli import app
from dialogtool.coding.run import read_note

LINES = [
    "Oppsummering etter dialogmøte i Bodø 12.10.2018",
    "Kafébord 2.",
    "Vi trenger bedre informasjonsflyt mellom sykehus og kom-",
    "munene.",
]


def test_pdf_text_layer_is_read_and_repaired(tmp_path: Path) -> None:
    path = tmp_path / "bodo.pdf"
    path.write_bytes(make_text_pdf(LINES))
    note = read_note(path)
    assert note.source.encoding == "pdf"
    assert "mellom sykehus og kommunene." in note.text  # hyphenated break mended
    assert note.meta["meeting"] == "Bodø" and note.meta["date"] == "2018-10-12" and note.meta["table"] == 2
    assert [s.text for s in note.segments][-1] == "Vi trenger bedre informasjonsflyt mellom sykehus og kommunene."


def test_pdf_is_coded_by_the_cli(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "bodo.pdf").write_bytes(make_text_pdf(LINES))
    root = Path(__file__).resolve().parents[1]
    result = CliRunner().invoke(app, ["code", str(raw), "-c", str(root / "codebook.yaml"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "out" / "bodo.yaml").read_text(encoding="utf-8")
    assert "codes: [INFO]" in text and "informasjonsflyt" in text


# --- issue 12: numbered lines, tables cell by cell, running headers and footers ----------

_XS = [72, 250, 460]  # column borders of the test table
_YS = [700, 680, 660, 640]  # row borders, top to bottom
_CELLS = [
    ["Utfordring", "Tiltak"],
    ["planen blir ikke oppdatert", "fast møte hvert halvår"],
    ["lite informasjon", "felles journal"],
]


def _table_page() -> tuple[list[tuple[float, float, str]], list[tuple[float, float, float, float]]]:
    """A page with a heading, a sentence, a ruled 2 × 3 table, a sentence after it and a footer."""
    texts: list[tuple[float, float, str]] = [
        (72, 800, "Referat dialogmøte Bodø"),
        (72, 780, "Kafébord 2"),
        (72, 760, "Vi snakket om planen."),
        (72, 745, "Utfordringer og tiltak:"),
    ]
    for r, row in enumerate(_CELLS):  # the first row's glyph boxes reach above the table's top rule
        texts += [(_XS[c] + 3, _YS[r] - (8 if r == 0 else 14), text) for c, text in enumerate(row)]
    texts += [(72, _YS[-1] - 6, "Rett under tabellen står en setning.")]  # its glyph boxes reach into the table
    texts += [(72, 600, "etter tabellen kom flere forslag."), (72, 40, "Helse Nord - side 1")]
    rules = [(_XS[0], y, _XS[-1], y) for y in _YS] + [(x, _YS[0], x, _YS[-1]) for x in _XS]
    return texts, rules


def test_pdf_table_is_read_row_by_row_into_cells(tmp_path: Path) -> None:
    """pypdf runs a row's cells together on one line, and lower-case rows merge into one segment."""
    texts, rules = _table_page()
    path = tmp_path / "tabell.pdf"
    path.write_bytes(make_layout_pdf([texts], [rules]))
    segments = [s.text for s in read_note(path).segments]
    start = segments.index("Utfordringer og tiltak:") + 1
    assert segments[start:] == [
        "Utfordring",
        "Tiltak",
        "planen blir ikke oppdatert",
        "fast møte hvert halvår",
        "lite informasjon",
        "felles journal",
        "Rett under tabellen står en setning.",  # once, neither lost nor taken twice
        "etter tabellen kom flere forslag.",
        "Helse Nord - side 1",
    ]
    kinds = {s.text: s.kind for s in read_note(path).segments}
    assert kinds["Utfordring"] == "text"  # a cell is never a heading over the cells after it


def test_running_headers_and_footers_are_dropped(tmp_path: Path) -> None:
    texts, rules = _table_page()
    second = [
        (72, 800, "Referat dialogmøte Bodø"),
        (72, 760, "Koordinator mangler ofte."),
        (72, 40, "Helse Nord - side 2"),
    ]
    path = tmp_path / "to-sider.pdf"
    path.write_bytes(make_layout_pdf([texts, second], [rules, []]))
    note = read_note(path)
    assert "Helse Nord" not in note.text  # footers on every page, page numbers aside
    assert note.text.count("Referat dialogmøte Bodø") == 1  # the header stays once, as the title
    assert note.text.endswith("etter tabellen kom flere forslag.\n\nKoordinator mangler ofte.")
    assert note.text.count("Rett under tabellen står en setning.") == 1


def test_a_line_that_repeats_inside_a_page_is_not_a_header(tmp_path: Path) -> None:
    first = [(72, 800, "Kafébord 3"), (72, 780, "Tiltak:"), (72, 760, "Felles mal for planen.")]
    second = [(72, 800, "Mer om planen."), (72, 780, "Tiltak:"), (72, 760, "Fast møte hvert halvår.")]
    path = tmp_path / "ikke-topptekst.pdf"
    path.write_bytes(make_layout_pdf([first, second]))
    assert read_note(path).text.count("Tiltak:") == 2  # a heading atop two pages is no running header


@pytest.mark.parametrize(
    "pages",
    [
        [[(72, 780, "Individuell plan"), (72, 760, "1."), (90, 760, "Hvordan fungerer individuell plan i dag?")]],
        [[(72, 780, "Individuell plan"), (72, 760, "1."), (72, 745, "Hvordan fungerer individuell plan i dag?")]],
    ],
    ids=["number-beside-text", "number-on-its-own-line"],
)
def test_a_numbered_line_in_a_pdf_is_one_segment(tmp_path: Path, pages: list) -> None:
    """A Word list exported to PDF: the bare «1.» used to be a segment of its own (issue 12)."""
    path = tmp_path / "nummer.pdf"
    path.write_bytes(make_layout_pdf(pages))
    texts = [s.text for s in read_note(path).segments]
    assert texts[-1] == "1. Hvordan fungerer individuell plan i dag?"
    assert "1." not in texts


def test_sentences_at_page_edges_are_not_taken_for_running_lines(tmp_path: Path) -> None:
    """Found converting a long Word note: wrapped sentence parts that repeat at the top or the
    bottom of every page, numbers aside, are text, not headers or footers."""
    pages = []
    for number in range(3):
        pages.append(
            [
                (72, 800, f"Punkt {number + 1}: Vi trenger bedre informasjonsflyt mellom sykehus og kommune, og"),
                (72, 785, "epikrisen kommer ofte for sent."),
                (72, 60, "Dette gjelder særlig utskrivinger på fredag, og"),
                (72, 45, "ingen i kommunen var forberedt."),
                (72, 20, f"Side {number + 1}"),
            ]
        )
    path = tmp_path / "kanter.pdf"
    path.write_bytes(make_layout_pdf(pages))
    text = read_note(path).text
    assert text.count("Punkt ") == 3 and text.count("ingen i kommunen var forberedt.") == 3
    assert "Side " not in text


def test_a_bold_header_row_is_a_row_of_headings(tmp_path: Path) -> None:
    """As in a Word table whose header row is bold: its cells are headings, the others text."""
    texts: list[tuple] = [(72, 760, "Vi var åtte rundt bordet.")]
    for r, row in enumerate(_CELLS):
        texts += [(_XS[c] + 3, _YS[r] - 14, text, "B" if r == 0 else "") for c, text in enumerate(row)]
    rules = [(_XS[0], y, _XS[-1], y) for y in _YS] + [(x, _YS[0], x, _YS[-1]) for x in _XS]
    path = tmp_path / "overskriftsrad.pdf"
    path.write_bytes(make_layout_pdf([texts], [rules]))
    kinds = [(s.kind, s.text) for s in read_note(path).segments]
    assert kinds[1:] == [
        ("heading", "Utfordring"),
        ("heading", "Tiltak"),
        ("text", "planen blir ikke oppdatert"),
        ("text", "fast møte hvert halvår"),
        ("text", "lite informasjon"),
        ("text", "felles journal"),
    ]
