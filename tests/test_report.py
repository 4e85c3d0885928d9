"""`dialogtool report`: every file written, numbers checked against the YAML files."""

from __future__ import annotations

import re
import struct
from collections import defaultdict
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from dialogtool.cli import app
from dialogtool.coding.run import code_paths

ROOT = Path(__file__).resolve().parents[1]
FILES = ("themes.xlsx", "report.md", "report.docx", "tema.png", "tema_moete.png", "samforekomst.png")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    import shutil

    from dialogtool.coding.codebook import load_codebook

    base = tmp_path_factory.mktemp("report")
    shutil.copytree(ROOT / "data" / "raw", base / "raw")
    code_paths([base / "raw"], load_codebook(ROOT / "codebook.yaml"), base / "coded")
    doc = yaml.safe_load((base / "coded" / "narvik_bord5.yaml").read_text(encoding="utf-8"))
    doc["segments"][-1]["review"] = {"add": ["KE"], "remove": []}  # a reviewer's edit must count
    (base / "coded" / "narvik_bord5.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    out = base / "report"
    result = CliRunner().invoke(
        app, ["report", "--coded", str(base / "coded"), "-c", str(ROOT / "codebook.yaml"), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert sorted(result.stdout.split()) == sorted(str(out / name) for name in FILES)
    return base / "coded", out


def _tally(coded: Path) -> tuple[dict, dict, dict]:
    """(theme, meeting) -> segments; theme -> notes; (theme, theme) -> segments, from the YAML."""
    cells: dict[tuple[str, str], int] = defaultdict(int)
    notes: dict[str, set] = defaultdict(set)
    pairs: dict[tuple[str, str], int] = defaultdict(int)
    for path in sorted(coded.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for seg in doc["segments"]:
            if seg.get("kind") == "heading":  # headings are not units of analysis
                continue
            review = seg.get("review") or {}
            codes = (set(seg["codes"]) | set(review.get("add", []))) - set(review.get("remove", []))
            themes = {c.split(".")[0] for c in codes}
            for theme in themes:
                cells[(theme, doc["meta"]["meeting"])] += 1
                notes[theme].add(doc["document"])
                for other in themes:
                    pairs[(theme, other)] += 1
    return cells, notes, pairs


def test_workbook_sheets_hold_the_tallied_numbers(built: tuple[Path, Path], codebook) -> None:
    from openpyxl import load_workbook

    coded, out = built
    cells, notes, pairs = _tally(coded)
    book = load_workbook(out / "themes.xlsx")
    assert book.sheetnames == [
        "Tema × dialogmøte",
        "Tema × bordtema",
        "Samforekomst",
        "Notater per tema",
        "Undertema GRUPPER",
    ]
    labels = {c.label: c.id for c in codebook.top_level}
    sheet = book["Tema × dialogmøte"]
    header = [c.value for c in sheet[1]]
    assert sheet["A1"].font.bold and header[0] == "Tema"
    checked = 0
    for row in sheet.iter_rows(min_row=2, values_only=True):
        if row[0] not in labels:
            continue
        for column, value in zip(header[1:], row[1:], strict=True):
            if column.endswith("%") or column == "Totalt":
                continue
            assert value == cells[(labels[row[0]], column)], (row[0], column)
            checked += 1
    assert checked == 5 * 7  # five themes, seven meetings
    matrix = book["Samforekomst"]
    names = [c.value for c in matrix[1]][1:]
    for row in matrix.iter_rows(min_row=2, values_only=True):
        for name, value in zip(names, row[1:], strict=True):
            assert value == pairs[(labels[row[0]], labels[name])]
    overview = {row[0]: row for row in book["Notater per tema"].iter_rows(min_row=2, values_only=True)}
    for label, theme in labels.items():
        assert overview[label][1] == len(notes[theme])
        assert overview[label][2] == pytest.approx(round(100 * len(notes[theme]) / 8, 1))


def test_docx_has_headings_tables_and_charts(built: tuple[Path, Path], codebook) -> None:
    import docx

    coded, out = built
    cells, _, _ = _tally(coded)
    document = docx.Document(str(out / "report.docx"))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    for title in ("Oversikt", "Tema etter dialogmøte", "Tema etter bordtema", "Samforekomst", "Sitater"):
        assert title in headings
    for code in codebook.top_level:
        assert code.label in headings  # a quotes section per theme
    meeting_table = next(t for t in document.tables if "Bodø" in [c.text for c in t.rows[0].cells])
    header = [c.text for c in meeting_table.rows[0].cells]
    first = meeting_table.rows[1].cells
    assert first[0].text == codebook.top_level[0].label
    bodo = header.index("Bodø")
    assert first[bodo].text.startswith(f"{cells[('KE', 'Bodø')]}\u00a0(")
    assert len(document.inline_shapes) == 3


@pytest.mark.parametrize("name", ["tema.png", "tema_moete.png", "samforekomst.png"])
def test_charts_are_a4_width_pngs(built: tuple[Path, Path], name: str) -> None:
    data = (built[1] / name).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert width == 1260  # 6.3 in at 200 dpi: the 16 cm text width of an A4 page
    assert 400 <= height <= 2400


def test_markdown_has_tables_quotes_and_images(built: tuple[Path, Path], codebook) -> None:
    text = (built[1] / "report.md").read_text(encoding="utf-8")
    for image in ("tema.png", "tema_moete.png", "samforekomst.png"):
        assert f"]({image})" in text
    assert "| Tema | Bodø | Førde |" in text and "## Sitater" in text
    assert text.count("\n> – ") >= 5  # quotes with their sources
    assert "> • " not in text  # list marks stripped from quotes


def test_same_coding_same_report(built: tuple[Path, Path], tmp_path: Path) -> None:
    coded, out = built
    again = tmp_path / "again"
    result = CliRunner().invoke(
        app, ["report", "--coded", str(coded), "-c", str(ROOT / "codebook.yaml"), "-o", str(again)]
    )
    assert result.exit_code == 0, result.output
    for name in ("report.md", "tema.png", "tema_moete.png", "samforekomst.png"):
        assert (again / name).read_bytes() == (out / name).read_bytes(), name


def test_report_without_coded_notes_is_a_user_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["report", "--coded", str(tmp_path / "none"), "-o", str(tmp_path / "r")])
    assert result.exit_code == 2 and "dialogtool code" in result.stderr


def _quotes_in(text: str) -> list[str]:
    return [line[3:-1] for line in text.splitlines() if line.startswith("> «") and line.endswith("»")]


def test_a_quote_appears_under_one_theme_only(built: tuple[Path, Path]) -> None:
    quotes = _quotes_in((built[1] / "report.md").read_text(encoding="utf-8"))
    assert len(quotes) >= 10 and len(set(quotes)) == len(quotes)
    assert not any(q.startswith(("• ", "3) ")) for q in quotes)


def test_method_paragraph_states_the_coding(built: tuple[Path, Path], codebook) -> None:
    coded, out = built
    notes = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(coded.glob("*.yaml"))]
    counted = [s for n in notes for s in n["segments"] if s.get("kind") != "heading"]
    headings = sum(len(n["segments"]) for n in notes) - len(counted)
    text = (out / "report.md").read_text(encoding="utf-8")
    assert f"Tabellene teller {len(counted)} segmenter" in text and f"i {len(notes)} notater" in text
    assert f"{headings} overskrifter" in text and "versjon 2" in text
    reviewed = [s for s in counted if s.get("review")]
    assert f"{len(reviewed)} segmenter er gjennomgått" in text
    for code in codebook.top_level:  # share of the theme's segments that have it from context only
        with_theme = [s for s in counted if any(c.split(".")[0] == code.id for c in _reviewed(s))]
        direct = [s for s in with_theme if any(c.split(".")[0] == code.id for c in _direct(s))]
        share = (200 * (len(with_theme) - len(direct)) + len(with_theme)) // (2 * len(with_theme))
        assert f"{code.label} {share}\u00a0%" in text


def _reviewed(seg: dict) -> set[str]:
    review = seg.get("review") or {}
    return (set(seg["codes"]) | set(review.get("add", []))) - set(review.get("remove", []))


def _direct(seg: dict) -> set[str]:
    review = seg.get("review") or {}
    return _reviewed(seg) - (set(seg.get("context") or {}) - set(review.get("add", [])))


def test_patient_groups_are_broken_down(built: tuple[Path, Path], codebook) -> None:
    coded, out = built
    text = (out / "report.md").read_text(encoding="utf-8")
    assert "## Brukergrupper med udekkede behov: undertema" in text
    notes = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(coded.glob("*.yaml"))]
    for code in (c for c in codebook.codes if c.parent == "GRUPPER"):
        segments = sum(
            1 for n in notes for s in n["segments"] if s.get("kind") != "heading" and code.id in _reviewed(s)
        )
        if segments:
            assert re.search(rf"\| {re.escape(code.label)} \| \d+ \| [\d,]+ \| {segments} \|", text), code.id


@pytest.mark.parametrize("value", ["0", "-1"])
def test_quotes_must_be_at_least_one(built: tuple[Path, Path], tmp_path: Path, value: str) -> None:
    result = CliRunner().invoke(app, ["report", "--coded", str(built[0]), "-o", str(tmp_path / "r"), "--quotes", value])
    assert result.exit_code == 2 and "--quotes" in result.stderr
    assert not (tmp_path / "r").exists()


def test_report_with_direct_evidence_says_so_and_counts_so(built: tuple[Path, Path], tmp_path: Path, codebook) -> None:
    coded, _ = built
    out = tmp_path / "direct"
    result = CliRunner().invoke(
        app,
        ["report", "--coded", str(coded), "-c", str(ROOT / "codebook.yaml"), "-o", str(out), "--evidence", "direct"],
    )
    assert result.exit_code == 0, result.output
    text = (out / "report.md").read_text(encoding="utf-8")
    assert "Tabellene teller bare koder et segment har fra egne ord" in text
    notes = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(coded.glob("*.yaml"))]
    counted = [s for n in notes for s in n["segments"] if s.get("kind") != "heading"]
    for code in codebook.top_level:
        direct = sum(1 for s in counted if any(c.split(".")[0] == code.id for c in _direct(s)))
        assert re.search(rf"\| {re.escape(code.label)} \| \d+ \| [\d,]+ \| {direct} \|", text), code.id


def test_notes_are_streamed_not_held(built: tuple[Path, Path], tmp_path: Path, monkeypatch, codebook) -> None:
    """The report reads the notes one at a time (at 10,000 notes holding them took over 600 MiB):
    when a note is read, at most the one before it is still alive."""
    import gc

    import dialogtool.output.report as report
    from dialogtool.coded.note import CodedNote

    def alive() -> int:
        gc.collect()
        return sum(1 for o in gc.get_objects() if isinstance(o, CodedNote))

    counts: list[int] = []
    stream = report.iter_folder

    def watched(*args, **kwargs):
        for note in stream(*args, **kwargs):
            counts.append(alive() - before)
            yield note

    monkeypatch.setattr(report, "iter_folder", watched)
    before = alive()
    report.build_report(built[0], codebook, tmp_path / "out")
    assert len(counts) == 8 and max(counts) <= 2
    assert (tmp_path / "out" / "report.md").read_bytes() == (built[1] / "report.md").read_bytes()
