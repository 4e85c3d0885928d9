"""report.docx as a Norwegian Word document, checked in its XML: page, language, widths, headers.

Word widths are in twentieths of a point (twips). Widths of words are measured here with
Pillow (matplotlib's dependency) on the same DejaVu Sans file, independently of the module's
FreeType measurement, so a word that would be broken inside its cell fails the test.
"""

from __future__ import annotations

import itertools
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from dialogtool.cli import app
from dialogtool.output.wordpage import CELL_PADDING_PT, TABLE_PT, layout

ROOT = Path(__file__).resolve().parents[1]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
A4_TWIPS = (11906, 16838)  # 210 × 297 mm


def _report(coded: Path, out: Path, *options: str) -> Path:
    result = CliRunner().invoke(
        app, ["report", "--coded", str(coded), "-c", str(ROOT / "codebook.yaml"), "-o", str(out), *options]
    )
    assert result.exit_code == 0, result.output
    return out / "report.docx"


@pytest.fixture(scope="module")
def docx_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from dialogtool.coding.codebook import load_codebook
    from dialogtool.coding.run import code_paths

    base = tmp_path_factory.mktemp("wordpage")
    shutil.copytree(ROOT / "data" / "raw", base / "raw")
    code_paths([base / "raw"], load_codebook(ROOT / "codebook.yaml"), base / "coded")
    return _report(base / "coded", base / "report")


def _part(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read(name))


def _text_width(body: etree._Element) -> int:
    section = body.find(f".//{W}sectPr")
    size, margins = section.find(f"{W}pgSz"), section.find(f"{W}pgMar")
    return int(size.get(f"{W}w")) - int(margins.get(f"{W}left")) - int(margins.get(f"{W}right"))


def test_a4_page(docx_file: Path) -> None:
    section = _part(docx_file, "word/document.xml").find(f".//{W}sectPr")
    size = section.find(f"{W}pgSz")
    assert (int(size.get(f"{W}w")), int(size.get(f"{W}h"))) == A4_TWIPS


def test_norwegian_language_and_honest_properties(docx_file: Path) -> None:
    styles = _part(docx_file, "word/styles.xml")
    languages = {lang.get(f"{W}val") for lang in styles.find(f"{W}docDefaults").iter(f"{W}lang")}
    assert languages == {"nb-NO"}
    assert not any(lang.get(f"{W}val", "").startswith("en") for lang in styles.iter(f"{W}lang"))
    core = etree.tostring(_part(docx_file, "docProps/core.xml"), encoding="unicode")
    assert "python-docx" not in core and "nb-NO" in core


def test_tables_fit_the_text_area_and_repeat_their_header(docx_file: Path) -> None:
    body = _part(docx_file, "word/document.xml")
    width = _text_width(body)
    tables = body.findall(f".//{W}tbl")
    assert len(tables) >= 5
    for table in tables:
        grid = [int(c.get(f"{W}w")) for c in table.find(f"{W}tblGrid")]
        assert sum(grid) <= width + len(grid)  # rounding to whole twips
        rows = table.findall(f"{W}tr")
        assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None  # repeats on every page
        assert all(r.find(f"{W}trPr/{W}tblHeader") is None for r in rows[1:])
        for row in rows:
            cells = [int(tc.find(f"{W}tcPr/{W}tcW").get(f"{W}w")) for tc in row.findall(f"{W}tc")]
            assert sum(cells) <= width + len(cells)


def _measure(text: str, bold: bool) -> float:
    """Width in points at the table size, with Pillow on DejaVu Sans."""
    from matplotlib import font_manager
    from PIL import ImageFont

    path = font_manager.findfont(font_manager.FontProperties(family="DejaVu Sans", weight="bold" if bold else "normal"))
    font = ImageFont.truetype(path, size=int(TABLE_PT * 100))  # 100× for precision
    return font.getlength(text) / 100


def test_no_word_is_wider_than_its_cell(docx_file: Path) -> None:
    """Every word (every number cell whole) fits its cell's width less Word's cell margins."""
    body = _part(docx_file, "word/document.xml")
    checked = 0
    for table in body.findall(f".//{W}tbl"):
        for r, row in enumerate(table.findall(f"{W}tr")):
            for c, cell in enumerate(row.findall(f"{W}tc")):
                room = int(cell.find(f"{W}tcPr/{W}tcW").get(f"{W}w")) / 20 - CELL_PADDING_PT
                text = "".join(t.text or "" for t in cell.iter(f"{W}t"))
                indent = cell.find(f".//{W}ind")
                room -= int(indent.get(f"{W}left", indent.get(f"{W}start", "0"))) / 20 if indent is not None else 0
                pieces = [text] if c and r else text.split()  # a number cell never wraps
                for piece in pieces:
                    assert _measure(piece, bold=r == 0) <= room + 0.5, (piece, room)
                    checked += 1
                if c and r:
                    assert cell.find(f"{W}tcPr/{W}noWrap") is not None
    assert checked > 100


def test_captions_are_numbered_in_order(docx_file: Path) -> None:
    body = _part(docx_file, "word/document.xml")
    found: dict[str, list[int]] = {"Tabell": [], "Figur": []}
    for field in body.iter(f"{W}fldSimple"):
        kind = re.match(r"\s*SEQ (\w+)", field.get(f"{W}instr")).group(1)
        found[kind].append(int("".join(t.text for t in field.iter(f"{W}t"))))
    assert found["Tabell"] == list(range(1, len(found["Tabell"]) + 1)) and len(found["Tabell"]) == 5
    assert found["Figur"] == [1, 2, 3]
    paragraphs = ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in body.iter(f"{W}p")]
    assert any(p.startswith("Tabell 1. Tema:") for p in paragraphs)
    assert any(p.startswith("Figur 3. Samforekomst") for p in paragraphs)


def test_quotes_are_kept_with_their_source(docx_file: Path) -> None:
    body = _part(docx_file, "word/document.xml")
    paragraphs = list(body.iter(f"{W}p"))
    quotes = 0
    for p, following in itertools.pairwise(paragraphs):
        text = "".join(t.text or "" for t in p.iter(f"{W}t"))
        if text.startswith("«") and text.endswith("»"):
            quotes += 1
            assert p.find(f"{W}pPr/{W}keepNext") is not None
            assert "".join(t.text or "" for t in following.iter(f"{W}t")).startswith("– ")
    assert quotes >= 10


def test_one_table_font_size(docx_file: Path) -> None:
    body = _part(docx_file, "word/document.xml")
    sizes = {int(sz.get(f"{W}val")) for table in body.iter(f"{W}tbl") for sz in table.iter(f"{W}sz")}
    assert sizes == {int(TABLE_PT * 2)}  # half-points


def test_nynorsk_report(docx_file: Path, tmp_path: Path) -> None:
    coded = docx_file.parent.parent / "coded"
    nynorsk = _report(coded, tmp_path / "nn", "--language", "nn")
    styles = _part(nynorsk, "word/styles.xml")
    assert {lang.get(f"{W}val") for lang in styles.find(f"{W}docDefaults").iter(f"{W}lang")} == {"nn-NO"}
    text = (tmp_path / "nn" / "report.md").read_text(encoding="utf-8")
    assert text.startswith("# Tema i notata frå dialogmøta") and "**Om tala.**" in text and "## Sitat" in text


def test_a_table_too_wide_for_the_page_is_split_into_parts_that_fit() -> None:
    header = ["Tema", *(f"Møtestad{i}" for i in range(12)), "Totalt"]
    rows = [["Koordinerende enhet", *(f"{i}\u00a0(10\u00a0%)" for i in range(13))]]
    parts = layout(header, rows, 453.5)
    assert len(parts) > 1
    assert sorted(c for part in parts for c in part.columns[1:]) == list(range(1, 14))  # every column once
    assert all(part.columns[0] == 0 for part in parts)  # each part keeps the label column
    assert all(sum(part.widths) <= 453.5 + 1e-6 for part in parts)
    assert max(len(p.columns) for p in parts) - min(len(p.columns) for p in parts) <= 1  # even parts


def test_numbers_in_the_document_are_norwegian(docx_file: Path) -> None:
    body = _part(docx_file, "word/document.xml")
    cells = ["".join(t.text or "" for t in tc.iter(f"{W}t")) for tc in body.iter(f"{W}tc")]
    numbers = [c for c in cells if re.fullmatch(r"[\d\u202f]+(,\d+)?|\d+\u00a0\(\d+\u00a0%\)", c)]
    assert any(re.fullmatch(r"\d+,\d", c) for c in numbers)  # a decimal comma in the overview
    assert any("\u00a0%)" in c for c in numbers)  # «14 (42 %)»
    assert not [c for c in cells if re.fullmatch(r"\d+\.\d+|\d+ \(\d+%\)", c)]  # no «62.5», no «14 (42%)»
