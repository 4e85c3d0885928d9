"""List labels as Word shows them: numbering.xml replayed, restarts, nested levels (issue 12)."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml

from builders import make_layout_pdf
from dialogtool.ingest.note import read_note
from dialogtool.ingest.numbering import Counters, Level, format_number
from dialogtool.ingest.readers import read_source

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# A three-level definition as Word writes "1) / a. / i." outlines, and a second list instance
# of it that restarts level 0 at 1.
_NUMBERING = f"""
<w:root xmlns:w="{W}">
  <w:abstractNum w:abstractNumId="90">
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1)"/></w:lvl>
    <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2."/></w:lvl>
    <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="%3."/></w:lvl>
  </w:abstractNum>
  <w:abstractNum w:abstractNumId="91">
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
    <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2."/></w:lvl>
  </w:abstractNum>
  <w:num w:numId="90"><w:abstractNumId w:val="90"/></w:num>
  <w:num w:numId="91">
    <w:abstractNumId w:val="90"/>
    <w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>
  </w:num>
  <w:num w:numId="92"><w:abstractNumId w:val="91"/></w:num>
  <w:num w:numId="93"><w:abstractNumId w:val="90"/></w:num>
</w:root>
"""


def _numbered_document() -> docx.document.Document:
    """A document whose numbering part holds the definitions above (python-docx has no API for them)."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    definitions = parse_xml(_NUMBERING)
    # abstractNum elements must precede num elements in numbering.xml
    first_num = numbering.find(f"{{{W}}}num")
    for child in list(definitions):
        if child.tag == f"{{{W}}}abstractNum":
            first_num.addprevious(child)
        else:
            numbering.append(child)
    return document


def _item(document: docx.document.Document, text: str, num_id: int, level: int = 0) -> None:
    paragraph = document.add_paragraph(text)
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:numPr xmlns:w="{W}"><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))


def _lines(document: docx.document.Document, tmp_path: Path) -> list[str]:
    path = tmp_path / "liste.docx"
    document.save(path)
    return read_source(path).text.split("\n\n")


def test_nested_levels_render_as_word_shows_them(tmp_path: Path) -> None:
    document = _numbered_document()
    document.add_paragraph("Spørsmål til bordet:")
    _item(document, "Individuell plan", 90)
    _item(document, "Hvem lager planen?", 90, 1)
    _item(document, "Hvem følger den opp?", 90, 1)
    _item(document, "Fastlegen", 90, 2)
    _item(document, "Koordinator", 90)
    _item(document, "Hva mangler?", 90, 1)  # level 1 restarts under a new level-0 item
    assert _lines(document, tmp_path) == [
        "Spørsmål til bordet:",
        "1) Individuell plan",
        "a. Hvem lager planen?",
        "b. Hvem følger den opp?",
        "i. Fastlegen",
        "2) Koordinator",
        "a. Hva mangler?",
    ]


def test_list_instances_continue_unless_restarted(tmp_path: Path) -> None:
    document = _numbered_document()
    _item(document, "Første", 90)
    _item(document, "Andre", 90)
    document.add_paragraph("Tekst mellom listene.")
    _item(document, "Fortsetter", 93)  # another instance of the same definition: Word counts on
    _item(document, "Ny liste", 91)  # startOverride: Word starts again at 1
    _item(document, "Neste", 91)
    assert _lines(document, tmp_path) == [
        "1) Første",
        "2) Andre",
        "Tekst mellom listene.",
        "3) Fortsetter",
        "1) Ny liste",
        "2) Neste",
    ]


def test_multi_level_template_and_style_numbering(tmp_path: Path) -> None:
    document = _numbered_document()
    _item(document, "Samarbeid", 92)
    _item(document, "Møter", 92, 1)
    _item(document, "Telefon", 92, 1)
    document.add_paragraph("Kompetanse", style="List Number")  # numbered through its style, "%1."
    document.add_paragraph("Opplæring", style="List Number")
    document.add_paragraph("Et punkt", style="List Bullet")
    assert _lines(document, tmp_path) == [
        "1. Samarbeid",
        "1.1. Møter",
        "1.2. Telefon",
        "1. Kompetanse",
        "2. Opplæring",
        "• Et punkt",
    ]


def test_a_numbered_item_is_one_segment_that_keeps_its_number(tmp_path: Path) -> None:
    """«pkt. 3» in a note can be found: the label is part of the segment's text."""
    document = _numbered_document()
    document.add_heading("Individuell plan", level=2)
    for text in ("Planen blir laget for sent.", "Få vet hvem som er koordinator.", "Fastlegen er ikke med."):
        document.add_paragraph(text, style="List Number")
    _item(document, "Ingen har tid. Det er det største problemet.", 90, 2)
    path = tmp_path / "pkt.docx"
    document.save(path)
    texts = [s.text for s in read_note(path).segments]
    assert texts == [
        "Individuell plan",
        "1. Planen blir laget for sent.",
        "2. Få vet hvem som er koordinator.",
        "3. Fastlegen er ikke med.",
        "i. Ingen har tid.",
        "Det er det største problemet.",
    ]


def test_sample_word_note_shows_its_numbers() -> None:
    """harstad_bord3.docx has three List Number questions: they were bullets before."""
    text = read_source(Path(__file__).resolve().parents[1] / "data" / "raw" / "harstad_bord3.docx").text
    assert "1. Hvordan fungerer individuell plan for pasientene våre i dag?" in text
    assert "\n\n3. Hvordan kan sykehuset og kommunene dele på ansvaret?" in text


@pytest.mark.parametrize(
    ("value", "fmt", "shown"),
    [
        (1, "decimal", "1"),
        (4, "lowerLetter", "d"),
        (27, "lowerLetter", "aa"),
        (28, "upperLetter", "BB"),
        (4, "lowerRoman", "iv"),
        (1994, "upperRoman", "MCMXCIV"),
        (9, "lowerRoman", "ix"),
        (7, "decimalZero", "07"),
        (3, "none", ""),
        (5, "ordinalText", "5"),  # a format we do not spell out is shown as digits
    ],
)
def test_number_formats(value: int, fmt: str, shown: str) -> None:
    assert format_number(value, fmt) == shown


def test_counters_restart_deeper_levels_and_honour_start() -> None:
    levels = {0: Level("decimal", "%1.", start=3), 1: Level("upperLetter", "%1.%2)")}
    counters = Counters()
    shown = [counters.label("L", lv, levels) for lv in (0, 1, 1, 0, 1)]
    assert shown == ["3.", "3.A)", "3.B)", "4.", "4.A)"]
    counters.restart("L", 0, 1)
    assert counters.label("L", 0, levels) == "1."


_QUESTION = "1. Hvordan fungerer individuell plan i dag?"
_LINES = ["Kafébord 2", "Individuell plan", _QUESTION, "2. Koordinator mangler ofte."]


def _write_every_format(tmp_path: Path) -> list[Path]:
    """One note with typed numbers, as .txt, .docx, .odt and .pdf."""
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    txt = tmp_path / "note.txt"
    txt.write_text("\n".join(_LINES) + "\n", encoding="utf-8")
    word = docx.Document()
    for line in _LINES:
        word.add_paragraph(line)
    word.save(tmp_path / "note.docx")
    odt = OpenDocumentText()
    for line in _LINES:
        odt.text.addElement(P(text=line))
    odt.save(str(tmp_path / "note.odt"))
    pdf = tmp_path / "note.pdf"
    placed = [(72, 800, _LINES[0]), (72, 780, _LINES[1]), (72, 760, "1."), (90, 760, _QUESTION[3:])]
    placed += [(72, 745, "2."), (72, 730, "Koordinator mangler ofte.")]  # the number alone on its line
    pdf.write_bytes(make_layout_pdf([placed]))
    return [txt, tmp_path / "note.docx", tmp_path / "note.odt", pdf]


def test_a_typed_number_stays_with_its_text_in_every_format(tmp_path: Path) -> None:
    """«1. Hvordan …» is one segment whatever the reader; a bare «1.» never is one (issue 12)."""
    for path in _write_every_format(tmp_path):
        texts = [s.text for s in read_note(path).segments]
        assert _QUESTION in texts, (path.suffix, texts)
        assert "2. Koordinator mangler ofte." in texts, (path.suffix, texts)
        assert not any(t.rstrip(".)").isdigit() for t in texts), (path.suffix, texts)


def test_a_nested_list_stays_nested_under_its_item(tmp_path: Path) -> None:
    """«1) Individuell plan» over «a. …», «b. …» is the section of its sub-items, as the same
    outline typed in a text note; a lone numbered item is never a heading."""
    document = _numbered_document()
    document.add_paragraph("Vi snakket om to ting.")
    _item(document, "Individuell plan", 90)
    _item(document, "Planen blir laget for sent.", 90, 1)
    _item(document, "Hvem følger den opp?", 90, 1)
    _item(document, "Koordinator", 90)
    _item(document, "Mange sier nei til rollen.", 90, 1)
    _item(document, "Tiltak", 92)  # a numbered title with nothing nested: a point
    path = tmp_path / "nestet.docx"
    document.save(path)
    segments = {s.text: s for s in read_note(path).segments}
    assert segments["1) Individuell plan"].kind == "heading"
    assert segments["a. Planen blir laget for sent."].section[-1] == "1) Individuell plan"
    assert segments["b. Hvem følger den opp?"].section[-1] == "1) Individuell plan"
    assert segments["b. Hvem følger den opp?"].kind == "text"  # a numbered question inside a list: a point
    assert segments["a. Mange sier nei til rollen."].section[-1] == "2) Koordinator"
    assert segments["1. Tiltak"].kind == "text"
