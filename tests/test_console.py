"""One way to print a message: labels coloured, everything from files and notes printed literally."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from dialogtool.cli import app

ROOT = Path(__file__).resolve().parents[1]
CODEBOOK = str(ROOT / "codebook.yaml")
runner = CliRunner()


def test_a_file_name_with_brackets_keeps_them(tmp_path: Path) -> None:
    notes = tmp_path / "raw"
    notes.mkdir()
    shutil.copy(ROOT / "data" / "raw" / "narvik_bord5.txt", notes / "Bodø [red] bord.txt")
    (notes / "tom [bold].txt").write_text("", encoding="utf-8")
    meta = runner.invoke(app, ["meta", str(notes)])
    assert "[red]" in meta.stdout  # the name may wrap in the table, the brackets stay
    assert f"Error: {notes / 'tom [bold].txt'}: file is empty" in meta.stderr
    coded = runner.invoke(app, ["code", str(notes), "-c", CODEBOOK, "-o", str(tmp_path / "coded"), "-j", "1"])
    assert f"Error: {notes / 'tom [bold].txt'}: file is empty" in coded.stderr


def test_export_warning_is_a_label_not_markup(sample: Path, tmp_path: Path) -> None:
    coded = tmp_path / "coded"
    shutil.copytree(sample, coded)
    note = coded / "narvik_bord5.yaml"
    note.write_text(note.read_text(encoding="utf-8").replace("codes: [GRUPPER", "codes: ['NY.[x]', GRUPPER", 1))
    target = str(tmp_path / "p.qdpx")
    result = runner.invoke(app, ["export", "qdpx", "-o", target, "--coded", str(coded), "-c", CODEBOOK])
    assert result.exit_code == 0, result.output
    assert "Warning: code 'NY.[x]' is not in the codebook; exported under its id" in result.stderr
    assert "[yellow]" not in result.stderr


def test_usage_errors_are_one_line_with_exit_2() -> None:
    result = runner.invoke(app, ["table", "--percent", "all"])
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: Invalid value for '--percent': 'all' is not one of 'col', 'row', 'none'. "
        "(see dialogtool table --help)\n"
    )
