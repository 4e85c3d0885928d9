"""The command line through typer's CliRunner: outputs, files and exit codes."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dialogtool.cli import app

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def coded(raw_copy: Path, tmp_path: Path) -> Path:
    out = tmp_path / "coded"
    result = run("code", raw_copy, "--codebook", ROOT / "codebook.yaml", "--out", out)
    assert result.exit_code == 0, result.output
    return out


def test_help_lists_commands() -> None:
    result = run("--help")
    assert result.exit_code == 0
    for command in ("code", "meta", "table", "evaluate"):
        assert command in result.output


def test_help_gives_each_command_its_whole_first_sentence() -> None:
    """Click alone cuts the command list at about 45 characters ("…data/raw (with a...")."""
    listed = " ".join(run("--help").output.split("Commands:")[1].split())
    assert "init Set up a project: codebook.yaml, data/raw (with a README), data/coded, .gitignore, git." in listed
    assert "..." not in listed


def test_a_group_alone_shows_its_help_not_an_error() -> None:
    result = run("export")
    assert result.exit_code == 2
    assert "Usage: dialogtool export" in result.stderr and "qdpx" in result.stderr
    assert "Error" not in result.stderr


def test_code_writes_one_file_per_note_and_summarises(raw_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "coded"
    result = run("code", raw_copy, "-c", ROOT / "codebook.yaml", "-o", out)
    assert result.exit_code == 0, result.output
    assert len(list(out.glob("*.yaml"))) == 8
    assert "Coded 8 note(s) →" in result.stderr and "8 written, 0 unchanged; 0 skipped" in result.stderr
    assert "cp1252" in result.stderr and "utf-16" in result.stderr  # encodings reported
    again = run("code", raw_copy, "-c", ROOT / "codebook.yaml", "-o", out)
    assert "Coded 0 note(s)" in again.stderr and "8 skipped (not changed since last coded" in again.stderr
    forced = run("code", raw_copy, "-c", ROOT / "codebook.yaml", "-o", out, "--force")
    assert "0 written, 8 unchanged; 0 skipped" in forced.stderr


def test_bad_files_are_reported_and_the_rest_coded(raw_copy: Path, tmp_path: Path) -> None:
    (raw_copy / "tom.txt").write_bytes(b"")
    (raw_copy / "skadet.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (raw_copy / "tall.xlsx").write_bytes(b"PK")
    out = tmp_path / "coded"
    result = run("code", raw_copy, "-c", ROOT / "codebook.yaml", "-o", out)
    assert result.exit_code == 1
    assert "tom.txt: file is empty" in result.stderr
    assert "skadet.docx: not a valid Word document" in result.stderr
    assert "tall.xlsx: not a note" in result.stderr
    assert "Traceback" not in result.output
    assert len(list(out.glob("*.yaml"))) == 8


def test_codebook_error_is_one_line_with_file_and_line(raw_copy: Path, tmp_path: Path) -> None:
    book = tmp_path / "codebook.yaml"
    book.write_text("codes:\n  - id: KE\n    label: KE\n    terms: []\n", encoding="utf-8")
    result = run("code", raw_copy, "-c", book, "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert f"{book}:4: code 'KE' has an empty term list" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_table_formats(coded: Path, tmp_path: Path) -> None:
    md = run("table", "--coded", coded, "-c", ROOT / "codebook.yaml", "--by", "language", "--format", "md")
    assert md.exit_code == 0, md.output
    assert md.stdout.splitlines()[0] == "| Tema | nb | nn | Totalt |"
    assert "| Koordinerende enhet |" in md.stdout
    csv_result = run("table", "--coded", coded, "-c", ROOT / "codebook.yaml", "--by", "language", "-f", "csv")
    rows = list(csv.reader(io.StringIO(csv_result.stdout)))
    assert rows[0] == ["Tema", "nb", "nb %", "nn", "nn %", "Totalt", "Totalt %"]
    assert rows[-1][0] == "N (segmenter)"
    assert int(rows[-1][1]) + int(rows[-1][3]) == int(rows[-1][5])
    target = tmp_path / "themes.xlsx"
    xlsx = run(
        "table", "--coded", coded, "-c", ROOT / "codebook.yaml", "--count", "documents", "-f", "xlsx", "-o", target
    )
    assert xlsx.exit_code == 0, xlsx.output
    from openpyxl import load_workbook

    sheet = load_workbook(target).active
    assert sheet["A1"].value == "Tema" and sheet["A1"].font.bold
    assert sheet["A2"].value == "Koordinerende enhet"
    assert isinstance(sheet["B2"].value, int) and isinstance(sheet["C2"].value, (int, float))
    assert sheet["C2"].number_format == "0.0"
    terminal = run("table", "--coded", coded, "-c", ROOT / "codebook.yaml")
    assert terminal.exit_code == 0 and "Tema etter dialogmøte" in terminal.stdout and "Tromsø" in terminal.stdout


def test_table_user_errors(coded: Path, tmp_path: Path) -> None:
    result = run("table", "--coded", coded, "-c", ROOT / "codebook.yaml", "-f", "xlsx")
    assert result.exit_code == 2 and "needs --output" in result.stderr
    missing = run("table", "--coded", tmp_path / "nowhere", "-c", ROOT / "codebook.yaml")
    assert missing.exit_code == 2 and "nowhere" in missing.stderr and "dialogtool code" in missing.stderr


def test_meta_lists_detected_and_manifest_values(raw_copy: Path) -> None:
    result = run("meta", raw_copy)
    assert result.exit_code == 0, result.output
    assert "Hammerfest*" in result.stdout and "2018-10-05*" in result.stdout
    assert "Mo i Rana" in result.stdout and "Marit Hansen Lie" in result.stdout


def test_evaluate_prints_scores(shared: Path, tmp_path: Path) -> None:
    out = tmp_path / "coded"
    assert run("code", shared / "corpus", "-c", ROOT / "codebook.yaml", "-o", out).exit_code == 0
    result = run("evaluate", "--gold", shared / "eval" / "gold", "--coded", out, "-c", ROOT / "codebook.yaml")
    assert result.exit_code == 0, result.output
    assert "micro" in result.stdout and "macro" in result.stdout and "Kompetanse" in result.stdout


def test_debug_shows_traceback(tmp_path: Path) -> None:
    result = run("--debug", "table", "--coded", tmp_path / "none", "-c", ROOT / "codebook.yaml")
    assert result.exit_code != 0 and result.exception is not None


def test_code_on_a_missing_path_fails_with_a_message(tmp_path: Path) -> None:
    """A mistyped folder used to exit 0 with a 'Skipped:' line (issue 12)."""
    missing = tmp_path / "rå"
    result = run("code", missing, "-c", ROOT / "codebook.yaml", "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert f"Error: {missing}: no such file or folder" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("files", [[], ["tabell.xlsx"]])
def test_code_on_a_folder_without_notes_fails(tmp_path: Path, files: list[str]) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in files:
        (raw / name).write_bytes(b"PK")
    result = run("code", raw, "-c", ROOT / "codebook.yaml", "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert f"Error: {raw}: no notes found" in result.stderr
    assert ("among 1 file(s) of other types" in result.stderr) == bool(files)


def test_meta_on_a_missing_path_fails(tmp_path: Path) -> None:
    result = run("meta", tmp_path / "nowhere")
    assert result.exit_code == 2 and "no such file or folder" in result.stderr


def test_evaluate_without_coded_notes_for_the_gold_fails(coded: Path) -> None:
    """The sample's coded notes are not the blind set's: scoring them is an error, not n/a."""
    gold = ROOT / "tests" / "data" / "blind2" / "gold"
    result = run("evaluate", "--gold", gold, "--coded", coded, "-c", ROOT / "codebook.yaml")
    assert result.exit_code == 2
    assert "none of the 8 reference coding(s) here has a coded note to score" in result.stderr
