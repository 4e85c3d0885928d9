"""Reading notes from disk: encodings, Word documents, PDFs and every way a file can be unusable."""

from __future__ import annotations

import codecs
import hashlib
import io
import zipfile
from pathlib import Path

import docx
import pypdf
import pytest

from builders import make_text_pdf
from dialogtool.coding.run import read_note
from dialogtool.errors import DialogtoolError
from dialogtool.ingest import readers as ingest
from dialogtool.ingest.readers import Source, decode_text, read_source
from dialogtool.ingest.segment import HEADING, TEXT

NOTE = "Dialogmøte i Tromsø 18.09.2018\n\nVi snakket om rehabilitering på sjukehuset – æøå ÆØÅ.\n"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def read_error(path: Path) -> DialogtoolError:
    with pytest.raises(DialogtoolError) as info:
        read_source(path)
    assert info.value.path == str(path)  # every error names the file
    return info.value


# --- text encodings -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (NOTE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + NOTE.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + NOTE.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + NOTE.encode("utf-16-be"), "utf-16"),
        (NOTE.encode("utf-16-le"), "utf-16-le"),
        (NOTE.encode("utf-16-be"), "utf-16-be"),
        (NOTE.replace("–", "-").encode("cp1252"), "cp1252"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf16le", "utf16be", "cp1252"],
)
def test_text_encodings(tmp_path: Path, data: bytes, encoding: str) -> None:
    path = write(tmp_path, "note.txt", data)
    source = read_source(path)
    assert isinstance(source, Source)
    expected = NOTE.replace("–", "-") if encoding == "cp1252" else NOTE
    assert source.text == expected  # no BOM left in the text
    assert source.encoding == encoding
    assert source.path == path
    assert source.sha256 == hashlib.sha256(data).hexdigest()
    assert source.headings == frozenset()


def test_cp1252_with_norwegian_letters_and_quotes(tmp_path: Path) -> None:
    data = b"M\xf8te p\xe5 sykehuset \x96 \xe6\xf8\xe5 \xc6\xd8\xc5 \x93sitat\x94"
    source = read_source(write(tmp_path, "ansi.txt", data))
    assert source.encoding == "cp1252"
    assert source.text == "Møte på sykehuset – æøå ÆØÅ “sitat”"


def test_latin1_when_cp1252_cannot_decode(tmp_path: Path) -> None:
    data = b"Pasient \x81 i Troms\xf8"  # 0x81 is undefined in cp1252
    source = read_source(write(tmp_path, "latin.txt", data))
    assert source.encoding == "latin-1"
    assert source.text == "Pasient \x81 i Tromsø"


def test_crlf_is_kept_for_normalize(tmp_path: Path) -> None:
    source = read_source(write(tmp_path, "crlf.txt", b"linje en\r\nlinje to\r\n"))
    assert source.text == "linje en\r\nlinje to\r\n"


@pytest.mark.parametrize("suffix", [".md", ".text", ".TXT"])
def test_other_text_suffixes(tmp_path: Path, suffix: str) -> None:
    source = read_source(write(tmp_path, f"note{suffix}", b"Kafebord 1"))
    assert source.text == "Kafebord 1" and source.encoding == "utf-8"


def test_decode_text_directly() -> None:
    assert decode_text("Førde".encode(), Path("x.txt")) == ("Førde", "utf-8")
    assert decode_text(b"F\xf8rde", Path("x.txt")) == ("Førde", "cp1252")


def test_bad_bom_is_an_error() -> None:
    with pytest.raises(DialogtoolError) as info:
        decode_text(codecs.BOM_UTF8 + b"F\xf8rde", Path("x.txt"))
    assert info.value.path == "x.txt"
    assert "byte-order mark" in info.value.message


# --- Word documents -------------------------------------------------------------------------


def _docx_bytes() -> bytes:
    document = docx.Document()
    document.add_heading("Kafébord 3 – kompetanse", level=1)
    document.add_paragraph("Vi snakket om opplæring av nye ansatte.")
    document.add_paragraph("Mer kurs for helsepersonell", style="List Bullet")
    bold = document.add_paragraph()
    bold.add_run("Tiltak og muligheter").bold = True
    document.add_paragraph("Her er en oversikt.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Utfordring"
    table.cell(0, 1).text = "Tiltak"
    table.cell(1, 0).text = "Lite info"
    table.cell(1, 1).text = "Felles journal"
    document.add_paragraph("Etter tabellen.")
    document.add_paragraph("   ")  # blank paragraphs are dropped
    long_bold = document.add_paragraph()
    long_bold.add_run("Denne fete linjen har altfor mange ord til å være en overskrift her").bold = True
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def docx_bytes() -> bytes:
    return _docx_bytes()


def test_docx_paragraphs_items_headings_and_tables(tmp_path: Path, docx_bytes: bytes) -> None:
    path = write(tmp_path, "note.docx", docx_bytes)
    source = read_source(path)
    assert source.encoding == "docx"
    assert source.sha256 == hashlib.sha256(docx_bytes).hexdigest()
    assert source.text.split("\n\n") == [
        "Kafébord 3 – kompetanse",
        "Vi snakket om opplæring av nye ansatte.",
        "• Mer kurs for helsepersonell",
        "Tiltak og muligheter",
        "Her er en oversikt.",
        "Utfordring",
        "Tiltak",
        "Lite info",
        "Felles journal",
        "Etter tabellen.",
        "Denne fete linjen har altfor mange ord til å være en overskrift her",
    ]
    assert source.headings == frozenset({"Kafébord 3 – kompetanse", "Tiltak og muligheter"})


def _save(document: docx.document.Document, path: Path) -> Path:
    document.save(path)
    return path


def test_word_heading_survives_a_lowercase_paragraph(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Vi hadde ein god samtale rundt bordet om samarbeid mellom nivåa.")
    document.add_heading("Utfordringar", level=2)
    document.add_paragraph("lite informasjon mellom nivåa.")
    note = read_note(_save(document, tmp_path / "heading.docx"))
    assert "Utfordringar" in note.source.headings
    assert [(s.kind, s.text) for s in note.segments][1:] == [
        (HEADING, "Utfordringar"),
        (TEXT, "lite informasjon mellom nivåa."),
    ]


def test_word_table_cells_stay_apart(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Vi hadde ein god samtale rundt bordet om samarbeid mellom nivåa.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Utfordring"
    table.cell(0, 1).text = "Tiltak"
    table.cell(1, 0).text = "for lite informasjon"
    table.cell(1, 1).text = "felles journal"
    note = read_note(_save(document, tmp_path / "table.docx"))
    assert [s.text for s in note.segments][1:] == ["Utfordring", "Tiltak", "for lite informasjon", "felles journal"]


def test_sample_docx_reads() -> None:
    source = read_source(Path(__file__).resolve().parents[1] / "data" / "raw" / "harstad_bord3.docx")
    assert source.encoding == "docx"
    assert "• " in source.text
    assert source.headings


def test_truncated_docx(tmp_path: Path, docx_bytes: bytes) -> None:
    exc = read_error(write(tmp_path, "cut.docx", docx_bytes[: len(docx_bytes) // 2]))
    assert "not a valid Word document" in exc.message


def test_docx_that_is_plain_text(tmp_path: Path) -> None:
    exc = read_error(write(tmp_path, "fake.docx", b"Dette er bare tekst"))
    assert "not a valid Word document" in exc.message


def test_zip_without_document_xml(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hei")
    exc = read_error(write(tmp_path, "other.docx", buffer.getvalue()))
    assert "not a Word document" in exc.message


def test_docx_zip_bomb(tmp_path: Path, docx_bytes: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest, "MAX_DOCX_UNPACKED_BYTES", 1000)
    exc = read_error(write(tmp_path, "bomb.docx", docx_bytes))
    assert "zip bomb" in exc.message


def test_oversized_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest, "MAX_FILE_BYTES", 10)
    exc = read_error(write(tmp_path, "big.txt", b"x" * 100))
    assert "limit" in exc.message


# --- PDF ----------------------------------------------------------------------------------


def test_pdf_with_text_layer(tmp_path: Path) -> None:
    source = read_source(write(tmp_path, "note.pdf", make_text_pdf(["Kafebord 4", "Lite informasjon om tilbudet."])))
    assert source.encoding == "pdf"
    assert "Kafebord 4" in source.text and "Lite informasjon om tilbudet." in source.text
    assert source.text.index("Kafebord 4") < source.text.index("Lite informasjon")


def _pdf_bytes(password: str | None = None) -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if password is not None:
        writer.encrypt(password)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    exc = read_error(write(tmp_path, "scan.pdf", _pdf_bytes()))
    assert "no text layer" in exc.message
    assert "OCR" in exc.hint


def test_encrypted_pdf(tmp_path: Path) -> None:
    exc = read_error(write(tmp_path, "secret.pdf", _pdf_bytes("secret")))
    assert "encrypted" in exc.message


def test_damaged_pdf(tmp_path: Path) -> None:
    exc = read_error(write(tmp_path, "broken.pdf", b"%PDF-1.4\nthis is not a pdf"))
    assert "PDF" in exc.message


# --- unusable files -----------------------------------------------------------------------------


def test_empty_file(tmp_path: Path) -> None:
    exc = read_error(write(tmp_path, "empty.txt", b""))
    assert "empty" in exc.message


def test_whitespace_only(tmp_path: Path) -> None:
    exc = read_error(write(tmp_path, "blank.txt", b"  \n\t\r\n  "))
    assert "no text" in exc.message


def test_binary_junk(tmp_path: Path) -> None:
    exc = read_error(write(tmp_path, "junk.txt", bytes(range(256)) * 8))
    assert "binary" in exc.message


def test_binary_without_nul_bytes(tmp_path: Path) -> None:
    exc = read_error(write(tmp_path, "junk2.txt", b"\x01\x02\x03\x04\x05\x06abc\xff\xfe\x81" * 20))
    assert "binary" in exc.message


@pytest.mark.parametrize("name", ["table.xlsx", "note"])
def test_unsupported_suffix(tmp_path: Path, name: str) -> None:
    exc = read_error(write(tmp_path, name, b"Kafebord 1"))
    assert "unsupported" in exc.message
    assert ".docx" in exc.hint


@pytest.mark.parametrize(
    ("name", "kind"),
    [("note.doc", "Word 97-2003"), ("note.RTF", "Rich Text"), ("note.pages", "Apple Pages")],
)
def test_formats_we_cannot_read_say_to_save_as_docx(tmp_path: Path, name: str, kind: str) -> None:
    exc = read_error(write(tmp_path, name, b"Kafebord 1"))
    assert kind in exc.message and "cannot be read" in exc.message
    assert "save it as .docx" in exc.hint


def test_directory(tmp_path: Path) -> None:
    folder = tmp_path / "mappe.txt"
    folder.mkdir()
    exc = read_error(folder)
    assert "directory" in exc.message


def test_missing_file(tmp_path: Path) -> None:
    exc = read_error(tmp_path / "borte.txt")
    assert "cannot read" in exc.message


@pytest.mark.parametrize(
    ("first", "rest"),
    [
        ("Fleire ved bordet trekte fram folk som blir slitne av lite og ikkje toler lange", "dagar med trening."),
        ("Flere ved bordet nevnte pasienter som blir slitne av lite og ikke tåler lange", "dager med trening."),
    ],
)
def test_a_word_paragraph_cut_by_a_pasted_line_break_is_joined(tmp_path: Path, first: str, rest: str) -> None:
    document = docx.Document()
    document.add_paragraph(first)
    document.add_paragraph(rest)
    document.add_paragraph("neste avsnitt etter et punktum.")
    note = read_note(_save(document, tmp_path / "pasted.docx"))
    assert [s.text for s in note.segments] == [f"{first} {rest}", "neste avsnitt etter et punktum."]


def test_a_pasted_break_never_joins_a_short_line_a_heading_or_a_table_cell(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Utfordringar i kvardagen")
    document.add_paragraph("lite informasjon mellom nivåa.")
    document.add_heading("Kva manglar vi framleis i samarbeidet med sjukehuset", level=2)
    document.add_paragraph("eit felles system for meldingar.")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "for lite informasjon mellom kommunane og sjukehuset i regionen"
    table.cell(0, 1).text = "felles journal"
    note = read_note(_save(document, tmp_path / "apart.docx"))
    assert [s.text for s in note.segments] == [
        "Utfordringar i kvardagen",
        "lite informasjon mellom nivåa.",
        "Kva manglar vi framleis i samarbeidet med sjukehuset",
        "eit felles system for meldingar.",
        "for lite informasjon mellom kommunane og sjukehuset i regionen",
        "felles journal",
    ]
