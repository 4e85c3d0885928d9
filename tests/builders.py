"""Inputs the tests build byte by byte, shared between test modules."""

from __future__ import annotations


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
    return _assemble(objects)


def make_layout_pdf(
    pages: list[list[tuple]], rules: list[list[tuple[float, float, float, float]]] | None = None
) -> bytes:
    """A PDF of A4 pages with each text shown at (x, y) in Helvetica 11 pt (WinAnsi), and
    optional ruling lines (x0, y0, x1, y1) per page, as a table's cell borders are drawn.
    A text given as (x, y, text, "B") is in Helvetica-Bold, (x, y, text, "H") bold at 15 pt."""
    rules = rules or [[] for _ in pages]
    count = len(pages)
    font = 3 + 2 * count
    objects = ["<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(count))
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {count} >>")
    for i, (texts, lines) in enumerate(zip(pages, rules, strict=True)):
        shown = " ".join(_show(*text) for text in texts)
        drawn = " ".join(f"{x0} {y0} m {x1} {y1} l S" for x0, y0, x1, y1 in lines)
        content = f"0.5 w {drawn} {shown}"
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {4 + 2 * i} 0 R "
            f"/Resources << /Font << /F1 {font} 0 R /F2 {font + 1} 0 R >> >> >>"
        )
        objects.append(f"<< /Length {len(content.encode('cp1252'))} >>\nstream\n{content}\nendstream")
    objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
    return _assemble(objects)


def _show(x: float, y: float, text: str, style: str = "") -> str:
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    font, size = {"B": ("F2", 11), "H": ("F2", 15)}.get(style, ("F1", 11))
    return f"BT /{font} {size} Tf {x} {y} Td ({escaped}) Tj ET"


def _assemble(objects: list[str]) -> bytes:
    """A PDF file of numbered objects (object 1 the catalog), with its cross-reference table."""
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
