"""OpenDocument notes (.odt), built with odfpy: paragraphs, headings, lists as LibreOffice
shows them, tables row by row (issue 12)."""

from __future__ import annotations

from pathlib import Path

import pytest
from odf.opendocument import OpenDocumentText
from odf.style import ListLevelProperties
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import H, List, ListItem, ListLevelStyleBullet, ListLevelStyleNumber, ListStyle, P
from typer.testing import CliRunner

from dialogtool.cli import app
from dialogtool.errors import DialogtoolError
from dialogtool.ingest.note import read_note
from dialogtool.ingest.readers import read_source
from dialogtool.ingest.segment import HEADING, TEXT

ROOT = Path(__file__).resolve().parents[1]


def _numbered_style(document: OpenDocumentText) -> None:
    """List style "Tall": 1) / a. / bullet, as a writer sets up an outline in LibreOffice."""
    style = ListStyle(name="Tall")
    style.addElement(ListLevelStyleNumber(level=1, numformat="1", numsuffix=")"))
    style.addElement(ListLevelStyleNumber(level=2, numformat="a", numsuffix="."))
    style.addElement(ListLevelStyleBullet(level=3, bulletchar="•"))
    for spec in style.childNodes:
        spec.addElement(ListLevelProperties())
    document.automaticstyles.addElement(style)


def _items(texts: list[str | list], style: str | None = "Tall", **attrs: str) -> List:
    """A list; a nested Python list is a nested list inside the item before it."""
    element = List(stylename=style, **attrs) if style else List(**attrs)
    item = None
    for entry in texts:
        if isinstance(entry, list):
            assert item is not None
            item.addElement(_items(entry, None))
            continue
        item = ListItem()
        item.addElement(P(text=entry))
        element.addElement(item)
    return element


def _note(tmp_path: Path) -> Path:
    document = OpenDocumentText()
    _numbered_style(document)
    document.text.addElement(H(outlinelevel=1, text="Kafébord 2 – individuell plan"))
    document.text.addElement(P(text="Bordvert: Kari Nordmann"))
    document.text.addElement(P(text="Vi snakket om planen og hvem som har ansvaret."))
    nested = ["Hvem lager den?", ["Fastlegen"], "Hvem følger opp?"]
    document.text.addElement(_items(["Hvordan fungerer individuell plan i dag?", nested, "Koordinator"]))
    document.text.addElement(H(outlinelevel=2, text="Tiltak"))
    document.text.addElement(_items(["Felles mal for planen"], **{"continuenumbering": "true"}))
    document.text.addElement(_items(["Ny liste"]))
    table = Table(name="Tabell1")
    table.addElement(TableColumn(numbercolumnsrepeated=2))
    for row_texts in (("Utfordring", "Tiltak"), ("Planen blir ikke oppdatert", "Fast møte hvert halvår")):
        row = TableRow()
        for text in row_texts:
            cell = TableCell()
            cell.addElement(P(text=text))
            row.addElement(cell)
        table.addElement(row)
    document.text.addElement(table)
    path = tmp_path / "bord2.odt"
    document.save(str(path))
    return path


def test_odt_paragraphs_lists_and_tables_in_reading_order(tmp_path: Path) -> None:
    source = read_source(_note(tmp_path))
    assert source.encoding == "odt"
    assert source.text.split("\n\n") == [
        "Kafébord 2 – individuell plan",
        "Bordvert: Kari Nordmann",
        "Vi snakket om planen og hvem som har ansvaret.",
        "1) Hvordan fungerer individuell plan i dag?",
        "a. Hvem lager den?",
        "• Fastlegen",
        "b. Hvem følger opp?",
        "2) Koordinator",
        "Tiltak",
        "3) Felles mal for planen",  # continue-numbering: LibreOffice counts on
        "1) Ny liste",  # a new list starts again
        "Utfordring",
        "Tiltak",
        "Planen blir ikke oppdatert",
        "Fast møte hvert halvår",
    ]
    assert source.headings == frozenset({"Kafébord 2 – individuell plan", "Tiltak"})


def test_odt_note_segments_like_a_word_note(tmp_path: Path) -> None:
    note = read_note(_note(tmp_path))
    kinds = {s.text: s.kind for s in note.segments}
    assert kinds["Tiltak"] == HEADING
    assert kinds["1) Hvordan fungerer individuell plan i dag?"] == TEXT  # a list item, not a heading
    assert note.meta["table"] == 2 and note.meta["host"] == "Kari Nordmann"


def test_odt_is_coded_by_the_cli(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    _note(tmp_path).rename(raw / "bord2.odt")
    result = CliRunner().invoke(app, ["code", str(raw), "-c", str(ROOT / "codebook.yaml"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    coded = (tmp_path / "out" / "bord2.yaml").read_text(encoding="utf-8")
    assert "encoding: odt" in coded and "1) Hvordan fungerer individuell plan i dag?" in coded


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"PK\x03\x04 not a zip", "not a valid OpenDocument text"), (b"just text", "not a valid OpenDocument text")],
)
def test_damaged_odt_is_an_error_with_the_file(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "skadet.odt"
    path.write_bytes(data)
    with pytest.raises(DialogtoolError, match=message) as info:
        read_source(path)
    assert info.value.path == str(path)


def test_doc_in_a_folder_fails_with_the_hint_and_the_rest_is_coded(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "gammel.doc").write_bytes(b"\xd0\xcf\x11\xe0 old Word")
    (raw / "ny.txt").write_text("Kafébord 1\n\nVi trenger bedre informasjonsflyt.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["code", str(raw), "-c", str(ROOT / "codebook.yaml"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "gammel.doc: a Word 97-2003 document (.doc) cannot be read" in result.stderr
    assert "save it as .docx" in result.stderr
    assert (tmp_path / "out" / "ny.yaml").exists()


def test_a_short_bold_line_is_a_heading_as_in_word(tmp_path: Path) -> None:
    """LibreOffice marks bold with styles (a bold span, or a bold paragraph style inherited)."""
    from odf.style import Style, TextProperties
    from odf.text import Span

    document = OpenDocumentText()
    bold_text = Style(name="T1", family="text")
    bold_text.addElement(TextProperties(fontweight="bold"))
    strong = Style(name="Sterk", family="paragraph")
    strong.addElement(TextProperties(fontweight="bold"))
    inherits = Style(name="P9", family="paragraph", parentstylename="Sterk")
    document.styles.addElement(strong)  # a named style; odfpy writes only automatic styles in use
    for style in (bold_text, inherits):
        document.automaticstyles.addElement(style)
    document.text.addElement(P(text="Vi snakket lenge om samarbeid mellom sykehus og kommune."))
    spanned = P()
    spanned.addElement(Span(stylename="T1", text="Tiltak og muligheter"))
    document.text.addElement(spanned)
    document.text.addElement(P(text="Her er en oversikt over forslagene."))
    document.text.addElement(P(stylename="P9", text="Utfordringer"))
    mixed = P(text="Delvis ")
    mixed.addElement(Span(stylename="T1", text="fet"))
    document.text.addElement(mixed)
    path = tmp_path / "fet.odt"
    document.save(str(path))
    assert read_source(path).headings == frozenset({"Tiltak og muligheter", "Utfordringer"})
