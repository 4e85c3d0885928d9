"""PDF notes with a real text layer, built byte by byte (pypdf cannot author text)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from dialogtool.cli import app
from dialogtool.pipeline import read_note


def make_text_pdf(lines: list[str]) -> bytes:
    """A one-page PDF whose content stream shows `lines` in Helvetica (WinAnsi)."""
    shown = " ".join(f"({line}) '" for line in lines)
    content = f"BT /F1 12 Tf 72 720 Td 14 TL {shown} ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(content.encode('cp1252'))} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("cp1252")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


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
