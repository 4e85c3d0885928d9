"""Theme co-occurrence checked against pair counts made here from the YAML files directly.

The reference reads the coded files with yaml.safe_load and plain loops (codes +
review.add - review.remove, children rolled up by splitting at '.'), sharing no code
with `dialogtool.cooccur` or `dialogtool.tables`.
"""

from __future__ import annotations

import ast
import csv
import io
import shutil
import subprocess
import sys
from collections import defaultdict
from itertools import product
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook
from typer.testing import CliRunner

from dialogtool.analysis.cooccur import cooccurrence
from dialogtool.analysis.tables import TOTAL, theme_table
from dialogtool.cli import app
from dialogtool.coded.folder import load_codes
from dialogtool.coding.codebook import load_codebook
from dialogtool.coding.run import code_paths
from dialogtool.errors import DialogtoolError

ROOT = Path(__file__).resolve().parents[1]
CODEBOOK = ROOT / "codebook.yaml"
COUNTS = ("segments", "paragraphs", "documents")
runner = CliRunner()


@pytest.fixture(scope="module")
def book():
    return load_codebook(CODEBOOK)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, book) -> Path:
    """The sample notes coded once, with two reviewer edits that create and remove a pair."""
    base = tmp_path_factory.mktemp("cooccur")
    shutil.copytree(ROOT / "data" / "raw", base / "raw")
    out = base / "coded"
    code_paths([base / "raw"], book, out)
    path = out / "harstad_bord3.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    ip = next(s for s in doc["segments"] if "IP" in (s.get("codes") or []))
    ip["review"] = {"add": ["INFO", "GRUPPER.KREFT"], "remove": []}
    doc["segments"][-1]["review"] = {"add": [], "remove": list(doc["segments"][-1].get("codes") or [])}
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out


def _units(folder: Path, count: str, level: int) -> list[set[str]]:
    """Every unit of the corpus as the set of themes it has (level 2: children too)."""
    units: dict = defaultdict(set)
    for path in sorted(folder.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for position, seg in enumerate(doc["segments"]):
            if seg.get("kind") == "heading":  # headings are not units of analysis
                continue
            review = seg.get("review") or {}
            codes = (set(seg.get("codes") or []) | set(review.get("add") or [])) - set(review.get("remove") or [])
            key = {
                "segments": (doc["document"], position),
                "paragraphs": (doc["document"], seg["para"]),
                "documents": doc["document"],
            }[count]
            themes = units[key]
            for code in codes:
                parts = code.split(".")
                themes.add(parts[0])
                if level == 2 and len(parts) > 1:
                    themes.add(parts[0] + "." + parts[1])
    return list(units.values())


def _expected(folder: Path, book, count: str, level: int) -> tuple[list[str], dict, dict]:
    codes = [c.id for c in book.codes if level == 2 or c.parent is None]
    units = _units(folder, count, level)
    both = {(a, b): sum(1 for u in units if a in u and b in u) for a, b in product(codes, codes)}
    either = {(a, b): sum(1 for u in units if a in u or b in u) for a, b in product(codes, codes)}
    return codes, both, either


@pytest.mark.parametrize("count", COUNTS)
@pytest.mark.parametrize("level", [1, 2])
def test_counts_match_independent_tally(corpus: Path, book, count: str, level: int) -> None:
    matrix = cooccurrence(load_codes(corpus), book, count=count, level=level)
    codes, both, _ = _expected(corpus, book, count, level)
    labels = [book.label(c) for c in codes]
    assert list(matrix.index) == labels and list(matrix.columns) == labels
    assert matrix.index.name == "Tema"
    assert str(matrix.dtypes.iloc[0]) == "int64" and not matrix.isna().any().any()
    for a, b in product(codes, codes):
        assert matrix.at[book.label(a), book.label(b)] == both[(a, b)], (a, b)
    assert (matrix.to_numpy() == matrix.to_numpy().T).all()
    assert matrix.at[book.label("IP"), book.label("INFO")] > 0  # the review made this pair


@pytest.mark.parametrize("count", COUNTS)
@pytest.mark.parametrize("level", [1, 2])
def test_jaccard_matches_independent_tally(corpus: Path, book, count: str, level: int) -> None:
    matrix = cooccurrence(load_codes(corpus), book, count=count, level=level, jaccard=True)
    codes, both, either = _expected(corpus, book, count, level)
    assert not matrix.isna().any().any()
    for a, b in product(codes, codes):
        expected = round(both[(a, b)] / either[(a, b)], 3) if either[(a, b)] else 0.0
        assert matrix.at[book.label(a), book.label(b)] == pytest.approx(expected, abs=1e-9), (a, b)
    for code in codes:
        assert matrix.at[book.label(code), book.label(code)] == (1.0 if both[(code, code)] else 0.0)


@pytest.mark.parametrize("count", COUNTS)
def test_diagonal_is_the_table_total(corpus: Path, book, count: str) -> None:
    matrix = cooccurrence(load_codes(corpus), book, count=count, level=2)
    table = theme_table(load_codes(corpus), book, by="language", count=count, level=2)
    for row in table.rows:
        assert matrix.at[row.name, row.name] == table.counts.at[row.name, TOTAL]


def test_ids_and_errors(corpus: Path, book) -> None:
    matrix = cooccurrence(load_codes(corpus), book, ids=True, level=2)
    assert list(matrix.columns) == [c.id for c in book.codes] and matrix.index.name == "Kode"
    with pytest.raises(DialogtoolError, match="--count must be one of segments, paragraphs, documents"):
        cooccurrence(load_codes(corpus), book, count="meetings")
    with pytest.raises(DialogtoolError, match="--level must be one of 1, 2"):
        cooccurrence(load_codes(corpus), book, level=0)


def _run(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def test_cli_csv(corpus: Path, book) -> None:
    result = _run("cooccur", "--coded", corpus, "-c", CODEBOOK, "--count", "paragraphs", "--jaccard", "-f", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    codes, both, either = _expected(corpus, book, "paragraphs", 1)
    assert rows[0] == ["Tema", *(book.label(c) for c in codes)]
    for a, row in zip(codes, rows[1:], strict=True):
        assert row[0] == book.label(a)
        for b, cell in zip(codes, row[1:], strict=True):
            assert cell == f"{both[(a, b)] / either[(a, b)] if either[(a, b)] else 0:.3f}"
    level2 = _run("cooccur", "--coded", corpus, "-c", CODEBOOK, "--level", "2", "-f", "csv")
    names = [r[0] for r in csv.reader(io.StringIO(level2.stdout))]
    assert "  CFS/ME" in names  # children indented under their theme


def test_cli_terminal(corpus: Path, book) -> None:
    result = _run("cooccur", "--coded", corpus, "-c", CODEBOOK, "--count", "documents")
    assert result.exit_code == 0, result.output
    assert "Samforekomst — notater med begge tema" in result.stdout
    codes, both, _ = _expected(corpus, book, "documents", 1)
    line = next(li for li in result.stdout.splitlines() if "Kompetanse" in li)
    numbers = [int(cell) for cell in line.split("│")[3:-1]]
    assert numbers == [both[("KOMP", b)] for b in codes]


@pytest.mark.parametrize("jaccard", [False, True])
def test_cli_xlsx(corpus: Path, book, tmp_path: Path, jaccard: bool) -> None:
    target = tmp_path / "pairs.xlsx"
    args = ["cooccur", "--coded", corpus, "-c", CODEBOOK, "--level", "2", "-f", "xlsx", "-o", target]
    result = _run(*args, *(["--jaccard"] if jaccard else []))
    assert result.exit_code == 0, result.output
    assert f"Wrote {target}" in result.stderr
    sheet = load_workbook(target).active
    codes, both, either = _expected(corpus, book, "segments", 2)
    assert [c.value for c in sheet[1]] == ["Tema", *(book.label(c) for c in codes)]
    assert all(c.font.bold for c in sheet[1])
    for r, a in enumerate(codes, start=2):
        assert sheet.cell(r, 1).value == book.label(a)
        for c, b in enumerate(codes, start=2):
            value = sheet.cell(r, c).value
            if jaccard:
                expected = round(both[(a, b)] / either[(a, b)], 3) if either[(a, b)] else 0
                assert isinstance(value, (int, float)) and value == pytest.approx(expected, abs=1e-9)
                assert sheet.cell(r, c).number_format == "0.000"
            else:
                assert isinstance(value, int) and value == both[(a, b)]
    assert sheet.cell(codes.index("GRUPPER.ME") + 2, 1).alignment.indent == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--count", "meetings"],
            "Invalid value for '--count': 'meetings' is not one of 'segments', 'paragraphs', 'documents'",
        ),
        (["--level", "3"], "--level must be one of 1, 2"),
        (["-f", "md"], "'md' is not one of 'terminal', 'csv', 'xlsx'. (see dialogtool cooccur --help)"),
        (["-f", "xlsx"], "--format xlsx needs --output"),
        (["-o", "pairs.csv"], "--output needs --format csv, xlsx"),
    ],
)
def test_cli_errors_are_one_line(corpus: Path, args: list[str], message: str) -> None:
    result = _run("cooccur", "--coded", corpus, "-c", CODEBOOK, *args)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_cli_missing_folder(tmp_path: Path) -> None:
    result = _run("cooccur", "--coded", tmp_path / "nowhere", "-c", CODEBOOK)
    assert result.exit_code == 2 and "nowhere" in result.stderr and "dialogtool code" in result.stderr


def test_cooccur_does_not_import_spacy(corpus: Path) -> None:
    """Like `table`, `cooccur` reads the light codes index only: no spaCy, no matching."""
    probe = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from dialogtool.cli import app\n"
        f"result = CliRunner().invoke(app, ['cooccur', '--coded', {str(corpus)!r}, '-c', {str(CODEBOOK)!r}])\n"
        "assert result.exit_code == 0, result.output\n"
        "print(sorted(m for m in ('spacy', 'simplemma', 'pandas') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT)
    assert ast.literal_eval(done.stdout.strip()) == ["pandas"]
