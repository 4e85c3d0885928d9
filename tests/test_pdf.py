"""PDF notes with a real text layer, built byte by byte (pypdf cannot author text)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from builders import make_text_pdf
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
