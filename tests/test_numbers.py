"""Norwegian numbers everywhere a person reads them: the formats, and each output that uses them.

References are computed here without Babel: half-up rounding in integer arithmetic, the
separators written out.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from dialogtool.analysis.tables import TOTAL, theme_table
from dialogtool.cli import app
from dialogtool.coded.folder import DocumentCodes, load_codes
from dialogtool.errors import DialogtoolError
from dialogtool.output import charts
from dialogtool.output.markdown import frame_markdown, theme_markdown
from dialogtool.output.numbers import check_language, count_share, long_date, number, percent, share

ROOT = Path(__file__).resolve().parents[1]
THIN, NBSP = "\u202f", "\u00a0"


def _half_up_percent(count: int, base: int) -> int:
    """round(100 · count / base) with halves up, in whole numbers only."""
    return (200 * count + base) // (2 * base)


@given(st.integers(0, 10_000), st.integers(1, 10_000))
def test_share_rounds_half_up_from_the_exact_quotient(count: int, base: int) -> None:
    assert share(count, base) == _half_up_percent(count, base)


def test_the_issue_s_halves() -> None:
    assert count_share(5, 8) == f"5{NBSP}(63{NBSP}%)"  # 62.5: was «62%» (half to even)
    assert count_share(7, 8) == f"7{NBSP}(88{NBSP}%)"
    assert str(share(1, 8, 1)) == "12.5" and str(share(1, 16, 1)) == "6.3"  # 6.25 half up
    assert count_share(3, 0) == f"3{NBSP}(0{NBSP}%)"


def test_decimal_comma_thin_space_thousands_and_percent_sign() -> None:
    assert number(1234567) == f"1{THIN}234{THIN}567"
    assert number(12345.5, 1) == f"12{THIN}345,5"
    assert number(9.25, 1) == "9,3" and number(19, 1) == "19,0"  # one decimal for a whole column
    assert number(0.0625, 3) == "0,063"
    assert percent(62.5) == f"63{NBSP}%"
    assert number(1234, language="nn") == f"1{THIN}234"


def test_long_dates_in_bokmaal_and_nynorsk() -> None:
    assert long_date("2018-10-12") == "12. oktober 2018"
    assert long_date("2018-03-01", "nn") == "1. mars 2018"
    assert long_date("haust 2018") == "haust 2018"  # not a date: as written
    with pytest.raises(DialogtoolError, match="--language"):
        check_language("en")


def _documents() -> list[DocumentCodes]:
    """Eight one-segment notes in one meeting: 5 have KE (62.5 %), 7 have IP (87.5 %)."""
    return [
        DocumentCodes(f"d{i}", {"meeting": "Bodø"}, ("s1",), ((("KE",) if i < 5 else ()) + (("IP",) if i < 7 else ()),))
        for i in range(8)
    ]


def test_markdown_theme_table_cells(codebook) -> None:
    text = theme_markdown(theme_table(_documents(), codebook, by="meeting"))
    assert f"| Koordinerende enhet | 5{NBSP}(63{NBSP}%) | 5{NBSP}(63{NBSP}%) |" in text
    assert f"| Individuell plan og koordinator | 7{NBSP}(88{NBSP}%) |" in text
    assert "| N (segmenter) | 8 | 8 |" in text


def test_markdown_frame_has_one_number_of_decimals_per_column() -> None:
    frame = pd.DataFrame({"Notater": [19, 3], "Notater %": [19.0, 9.3]}, index=pd.Index(["A", "B"], name="Tema"))
    text = frame_markdown(frame)
    assert "| A | 19 | 19,0 |" in text and "| B | 3 | 9,3 |" in text


def test_xlsx_display_formats(codebook, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from dialogtool.output.xlsx import theme_xlsx

    table = theme_table(_documents(), codebook, by="meeting")
    theme_xlsx(table, tmp_path / "t.xlsx")
    book = load_workbook(tmp_path / "t.xlsx")
    assert book.sheetnames == ["Tema etter dialogmøte"]  # was «Tema etter meeting»
    sheet = book.active
    assert [c.value for c in sheet[1]][:3] == ["Tema", "Bodø", "Bodø %"]
    assert sheet["B2"].value == 5 and sheet["B2"].number_format == "#,##0"  # Excel draws «1 234» in nb
    assert sheet["C2"].value == pytest.approx(62.5) and sheet["C2"].number_format == "0.0"  # «62,5»


def _captured(monkeypatch: pytest.MonkeyPatch) -> list:
    figures: list = []
    monkeypatch.setattr(charts, "_save", lambda figure, path: figures.append(figure))
    monkeypatch.setattr(charts._pyplot(), "close", lambda figure: None)
    return figures


def test_chart_labels_and_ticks_are_norwegian(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    figures = _captured(monkeypatch)
    charts.bar_chart(pd.Series({"A": 62.5, "B": 9.25}), tmp_path / "x.png", None, "Prosent", decimals=1)
    axes = figures[0].axes[0]
    assert sorted(t.get_text() for t in axes.texts) == ["62,5", "9,3"]  # half up, decimal comma
    figures[0].canvas.draw()
    assert all("." not in t.get_text() for t in axes.get_xticklabels())
    matrix = pd.DataFrame([[1200, 3], [3, 40]], index=["A", "B"], columns=["A", "B"])
    charts.heatmap(matrix, tmp_path / "y.png", None, diagonal=True)
    cells = {t.get_text(): t for t in figures[1].axes[0].texts}
    assert f"1{THIN}200" in cells and cells[f"1{THIN}200"].get_fontweight() == "bold"  # the diagonal, marked
    image = figures[1].axes[0].images[0]
    assert image.norm.vmax == 3  # the colour scale is set by the pairs, not the diagonal


def test_csv_for_norwegian_excel(sample: Path, codebook) -> None:
    plain = CliRunner().invoke(app, ["table", "--coded", str(sample), "-c", str(ROOT / "codebook.yaml"), "-f", "csv"])
    excel = CliRunner().invoke(
        app, ["table", "--coded", str(sample), "-c", str(ROOT / "codebook.yaml"), "-f", "csv", "--excel"]
    )
    assert excel.exit_code == 0, excel.output
    data = excel.stdout_bytes
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    # as Excel reads it: UTF-8 after the BOM, fields split at ';', a decimal comma
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    reference = list(csv.reader(io.StringIO(plain.stdout)))
    assert rows[0] == reference[0] and "Bodø" in rows[0]
    assert len(rows) == len(reference) and all(len(r) == len(reference[0]) for r in rows)
    for ours, theirs in zip(rows[1:], reference[1:], strict=True):
        assert ours[0] == theirs[0]
        for a, b in zip(ours[1:], theirs[1:], strict=True):
            assert "." not in a and float(a.replace(",", ".")) == float(b)
    table = theme_table(load_codes(sample), codebook)
    assert int(rows[-1][-2]) == table.counts.iloc[-1][TOTAL]


def test_excel_needs_csv(sample: Path) -> None:
    result = CliRunner().invoke(app, ["table", "--coded", str(sample), "--excel"])
    assert result.exit_code == 2 and "--excel goes with --format csv" in result.stderr
