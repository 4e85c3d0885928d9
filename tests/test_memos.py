"""`dialogtool notes`: every review block listed with note, segment, themes, change and reviewer."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from dialogtool.analysis.memos import COLUMNS, edit_text, review_entries, rows
from dialogtool.cli import app
from dialogtool.coded.folder import load_folder

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "codebook.yaml"
runner = CliRunner()

REVIEWS = {  # (file, index among segments) -> review block as a reviewer writes it
    ("bodo_2018-10-12_bord2.yaml", 2): {
        "add": ["INFO"],
        "remove": [],
        "note": "Gjelder *epikrise* | sjekk",
        "by": "kari",
    },
    ("bodo_2018-10-12_bord2.yaml", 5): {"add": [], "remove": [], "accepted": True, "by": "ola"},
    ("narvik_bord5.yaml", 4): {"add": ["GRUPPER.RUS"], "remove": ["KE"], "by": "kari"},
}


@pytest.fixture
def reviewed(sample: Path, tmp_path: Path) -> Path:
    coded = tmp_path / "coded"
    shutil.copytree(sample, coded, ignore=shutil.ignore_patterns(".dialogtool"))
    for (name, index), review in REVIEWS.items():
        path = coded / name
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["segments"][index]["review"] = review
        if name == "narvik_bord5.yaml":
            data["unplaced_reviews"] = [{"id": "s0", "text": "Borte nå.", "review": {"add": ["KOMP"], "note": "hm"}}]
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return coded


def test_entries_list_every_review_with_its_themes(reviewed: Path, codebook) -> None:
    entries = review_entries(load_folder(reviewed, codebook.ids), codebook)
    assert len(entries) == 4
    by_text = {e.text: e for e in entries}
    for (name, index), review in REVIEWS.items():
        segment = yaml.safe_load((reviewed / name).read_text(encoding="utf-8"))["segments"][index]
        entry = by_text[segment["text"]]
        assert entry.segment == segment["id"] and entry.by == review["by"]
        assert entry.add == tuple(review["add"]) and entry.remove == tuple(review["remove"])
    rus = next(e for e in entries if e.add == ("GRUPPER.RUS",))
    assert rus.themes == ("KE", "GRUPPER") and edit_text(rus) == "+GRUPPER.RUS −KE"
    accepted = next(e for e in entries if e.accepted)
    assert accepted.themes == () and edit_text(accepted) == "godkjent"
    unplaced = next(e for e in entries if not e.placed)
    assert unplaced.text == "Borte nå." and unplaced.note == "hm" and rows([unplaced])[0][1] == "s0 (uplassert)"
    assert [e.by for e in review_entries(load_folder(reviewed), codebook, by="kari")] == ["kari", "kari"]
    assert len(review_entries(load_folder(reviewed), codebook, by="")) == 1  # the unplaced one has no by:
    assert len(review_entries(load_folder(reviewed), codebook, with_notes=True)) == 2


def test_notes_command_formats(reviewed: Path, tmp_path: Path) -> None:
    terminal = runner.invoke(app, ["notes", "--coded", str(reviewed), "--codebook", str(BOOK)])
    assert terminal.exit_code == 0, terminal.output
    assert "4 review(s), 2 with a note, by (no by:), kari, ola" in terminal.stderr
    md = runner.invoke(app, ["notes", "--coded", str(reviewed), "--codebook", str(BOOK), "-f", "md"])
    lines = md.stdout.splitlines()
    assert lines[0] == "| " + " | ".join(COLUMNS) + " |" and len(lines) == 2 + 4
    assert "Gjelder \\*epikrise\\* \\| sjekk" in md.stdout  # escaped, so the table keeps its columns
    target = tmp_path / "merknader.xlsx"
    result = runner.invoke(
        app,
        ["notes", "--coded", str(reviewed), "--codebook", str(BOOK), "-f", "xlsx", "-o", str(target), "--by", "kari"],
    )
    assert result.exit_code == 0, result.output
    from openpyxl import load_workbook

    sheet = load_workbook(target).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert tuple(values[0]) == COLUMNS and len(values) == 3
    assert {row[5] for row in values[1:]} == {"kari"} and sheet.auto_filter.ref is not None
    assert runner.invoke(app, ["notes", "--coded", str(reviewed), "-f", "xlsx"]).exit_code == 2  # needs -o
