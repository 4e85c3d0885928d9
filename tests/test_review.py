"""`dialogtool review`: keys pressed in Textual's pilot, decisions asserted in the coded files."""

from __future__ import annotations

import asyncio
import html
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from dialogtool.analysis.review import Only, ReviewSession
from dialogtool.coded.store import HEADER, dump_note, load_coded, parse_note

ROOT = Path(__file__).resolve().parents[1]
NOTE = "narvik_bord5"


@pytest.fixture(scope="module")
def coded_once(tmp_path_factory: pytest.TempPathFactory, codebook) -> Path:
    from dialogtool.coding.run import code_paths

    base = tmp_path_factory.mktemp("review")
    (base / "raw").mkdir()
    shutil.copy(ROOT / "data" / "raw" / f"{NOTE}.txt", base / "raw")
    code_paths([base / "raw"], codebook, base / "coded")
    return base / "coded"


@pytest.fixture
def coded(coded_once: Path, tmp_path: Path) -> Path:
    shutil.copytree(coded_once, tmp_path / "coded", ignore=shutil.ignore_patterns(".dialogtool"))
    return tmp_path / "coded"


def drive(session: ReviewSession, keys: list[str], size: tuple[int, int] = (80, 24)) -> str:
    """Press `keys` in the app (headless) and return an SVG screenshot taken before quitting."""
    from dialogtool.output.review_app import ReviewApp

    async def main() -> str:
        app = ReviewApp(session)
        async with app.run_test(size=size) as pilot:
            for key in keys:
                await pilot.press(key)
            for _ in range(3):  # the footer lays its keys out after the screen settles
                await pilot.pause()
            shot = app.export_screenshot()
            await pilot.press("q")
        return shot

    return asyncio.run(main())


def screen_text(svg: str, width: int = 80) -> list[str]:
    """The screen as plain lines, from Textual's SVG screenshot: each <text> run is placed at
    its cell (x / cell width), since runs of blank cells are drawn as background only."""
    pattern = r'<text [^>]*x="([\d.]+)"[^>]*textLength="([\d.]+)"[^>]*clip-path="url\(#terminal-\d+-line-(\d+)\)">'
    runs = re.findall(pattern + r"(.*?)</text>", svg)
    lines: dict[int, list[str]] = {}
    for x, length, number, run in runs:
        text = html.unescape(run).replace("\xa0", " ")
        cell = float(length) / max(1, len(text))
        row = lines.setdefault(int(number), [" "] * width)
        start = round(float(x) / cell)
        row[start : start + len(text)] = list(text)
    return ["".join(lines.get(i, [])).rstrip() for i in range(max(lines) + 1)] if lines else []


def text_segments(path: Path) -> list[dict]:
    return [s for s in yaml.safe_load(path.read_text(encoding="utf-8"))["segments"] if s.get("kind") != "heading"]


def test_pilot_review_start_to_finish_equals_hand_edits(coded: Path, codebook) -> None:
    target = coded / f"{NOTE}.yaml"
    original = target.read_text(encoding="utf-8")
    segments = text_segments(target)
    session = ReviewSession(coded, codebook, by="kari")
    assert len(session) == len(segments) and session.position == 0
    keys: list[str] = []
    wanted: dict[str, dict] = {}  # what a reviewer would type by hand, worked out without the session
    for index, segment in enumerate(segments):
        codes = segment["codes"]
        kind = index % 4
        if kind == 0:
            keys += ["a"]  # accept, and on to the next
            wanted[segment["id"]] = {"by": "kari", "accepted": True, "add": [], "remove": []}
        elif kind == 1:
            keys += ["1", "right"]  # KE on or off
            change = {"remove": ["KE"], "add": []} if "KE" in codes else {"add": ["KE"], "remove": []}
            wanted[segment["id"]] = {**change, "by": "kari"}
        elif kind == 2:
            keys += ["n", *"se på dette", "enter", "right"]
            wanted[segment["id"]] = {"note": "se på dette", "by": "kari", "add": [], "remove": []}
        else:
            keys += ["c", "down", "enter", "right"]  # the picker's second child code
            child = "GRUPPER.KOGNITIV"
            change = {"remove": [child], "add": []} if child in codes else {"add": [child], "remove": []}
            wanted[segment["id"]] = {**change, "by": "kari"}
    screen = "\n".join(screen_text(drive(session, keys)))
    assert f"{len(segments)} of {len(segments)} reviewed" in screen

    by_hand = yaml.safe_load(original)
    for segment in by_hand["segments"]:
        if segment["id"] in wanted:
            segment["review"] = wanted[segment["id"]]
    hand_text = HEADER + yaml.safe_dump(by_hand, allow_unicode=True, sort_keys=False, width=10**6)
    re_emitted = dump_note(parse_note(hand_text, "by hand"))
    assert target.read_text(encoding="utf-8") == re_emitted
    assert target.read_text(encoding="utf-8") != original


def test_screen_fits_80x24_and_shows_the_segment_in_context(coded: Path, codebook) -> None:
    """A snapshot of the screen at 80×24 (tests/data/review_screen.txt; review its diff when the layout changes)."""
    session = ReviewSession(coded, codebook, by="kari")
    session.move(4)
    item = session.current()
    lines = screen_text(drive(session, []))
    assert len(lines) == 24 and all(len(line) <= 80 for line in lines)
    screen = "\n".join(lines)
    assert item.document in lines[0] and f"0 of {len(session)} reviewed · segment 5/{len(session)}" in screen
    assert "▶ " + item.segment.text[:40] in screen.replace("│ ", "") and item.before[0][:40] in screen
    for number, theme in enumerate(["KE", "IP", "INFO", "KOMP", "GRUPPER"], start=1):
        assert any(line.startswith(f"{number} [") and theme in line for line in lines)
    assert "accept" in lines[-1] and "undo" in lines[-1], screen
    snapshot = ROOT / "tests" / "data" / "review_screen.txt"
    if os.environ.get("DIALOGTOOL_UPDATE_SNAPSHOTS"):
        snapshot.write_text(screen + "\n", encoding="utf-8")
    assert screen + "\n" == snapshot.read_text(encoding="utf-8")


def test_undo_restores_the_file_and_the_position(coded: Path, codebook) -> None:
    target = coded / f"{NOTE}.yaml"
    before = target.read_bytes()
    session = ReviewSession(coded, codebook)
    drive(session, ["1", "u"])
    assert target.read_bytes() == before
    drive(session, ["a", "a"])
    after_two = target.read_bytes()
    assert session.position == 2 and session.reviewed == 2
    drive(session, ["u"])
    assert session.position == 1 and session.reviewed == 1
    drive(session, ["u"])
    assert session.position == 0 and target.read_bytes() == before
    assert not session.undo()
    assert after_two != before


def test_resume_where_the_reviewer_stopped(coded: Path, codebook) -> None:
    drive(ReviewSession(coded, codebook, by="kari"), ["a", "a", "a"])
    assert ReviewSession(coded, codebook, by="kari").position == 3
    drive(ReviewSession(coded, codebook, by="kari"), ["right", "right"])
    assert ReviewSession(coded, codebook, by="kari").position == 5  # where kari stopped, not the first unreviewed
    assert ReviewSession(coded, codebook, by="ola").position == 3  # ola has not been here: first unreviewed
    unreviewed = ReviewSession(coded, codebook, only=Only.unreviewed)
    assert len(unreviewed) == len(ReviewSession(coded, codebook)) - 3


def test_selection_by_theme_and_kind(coded: Path, codebook) -> None:
    segments = text_segments(coded / f"{NOTE}.yaml")
    grupper = [s for s in segments if any(c.split(".")[0] == "GRUPPER" for c in s["codes"])]
    assert len(ReviewSession(coded, codebook, theme="GRUPPER")) == len(grupper) > 0
    assert len(ReviewSession(coded, codebook, only=Only.uncoded)) == sum(1 for s in segments if not s["codes"])
    assert len(ReviewSession(coded, codebook, only=Only.inherited)) == sum(1 for s in segments if s.get("context"))
    assert len(ReviewSession(coded, codebook, only=Only.changed)) == 0


def test_a_decision_is_the_review_block_every_command_reads(coded: Path, codebook) -> None:
    from dialogtool.coded.folder import load_codes

    session = ReviewSession(coded, codebook, by="kari")
    first = session.current().segment
    session.toggle("INFO")
    after = load_coded(coded / f"{NOTE}.yaml")
    changed = next(s for s in after.segments if s.id == first.id)
    expected = set(first.codes) ^ {"INFO"}
    assert set(changed.reviewed_codes) == expected
    index = [s.id for s in after.segments].index(first.id)
    assert set(load_codes(coded, codebook.ids)[0].codes[index]) == expected


DRIVER = """
import asyncio, sys
from pathlib import Path
from dialogtool.analysis.review import ReviewSession
from dialogtool.coding.codebook import load_codebook
from dialogtool.output.review_app import ReviewApp

async def main():
    app = ReviewApp(ReviewSession(Path(sys.argv[1]), load_codebook(Path(sys.argv[2])), by="kari"))
    async with app.run_test() as pilot:
        while True:
            for key in ("1", "2", "n", "x", "enter", "right", "a", "left"):
                await pilot.press(key)

asyncio.run(main())
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="no SIGKILL")
def test_sigkill_mid_review_leaves_whole_files(coded: Path, tmp_path: Path) -> None:
    target = coded / f"{NOTE}.yaml"
    script = tmp_path / "drive.py"
    script.write_text(DRIVER, encoding="utf-8")
    for _ in range(3):
        before = target.stat().st_mtime_ns
        process = subprocess.Popen([sys.executable, str(script), str(coded), str(ROOT / "codebook.yaml")])
        try:
            for _ in range(2400):  # until it has written (a generous bound, not an assertion on time)
                if target.stat().st_mtime_ns != before:
                    break
                time.sleep(0.05)
            time.sleep(0.3)  # let it write more, so the kill lands mid-session
        finally:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
        assert target.stat().st_mtime_ns != before
        text = target.read_text(encoding="utf-8")
        note = load_coded(target)  # parses: neither cut off nor mixed
        assert dump_note(note) == text  # and is exactly what the tool writes
        assert any(s.review is not None for s in note.segments)
        assert sorted(p.name for p in coded.glob("*.yaml")) == [f"{NOTE}.yaml"]


def run_cli(*args: object):
    from typer.testing import CliRunner

    from dialogtool.cli import app

    return CliRunner().invoke(app, [str(a) for a in args])


def test_review_command_refuses_bad_choices_in_one_line(coded: Path) -> None:
    book = ROOT / "codebook.yaml"
    theme = run_cli("review", "--coded", coded, "--codebook", book, "--theme", "INF")
    assert theme.exit_code == 2 and theme.stderr.startswith("Error: unknown theme 'INF'")
    only = run_cli("review", "--coded", coded, "--codebook", book, "--only", "alt")
    assert only.exit_code == 2 and len(only.stderr.strip().splitlines()) == 1
    none = run_cli("review", "--coded", coded, "--codebook", book, "--only", "changed")
    assert none.exit_code == 0 and "No segments to review" in none.stderr
    missing = run_cli("review", coded / "nei.yaml", "--codebook", book)
    assert missing.exit_code == 2 and "no such coded file" in missing.stderr


def test_reviewer_and_accept_survive_recoding(coded: Path, coded_once: Path, codebook) -> None:
    from dialogtool.coding.run import code_paths

    session = ReviewSession(coded, codebook, by="kari")
    session.accept()
    session.toggle("KOMP")
    session.set_note("Se også neste avsnitt")
    target = coded / f"{NOTE}.yaml"
    reviewed = target.read_bytes()
    summary = code_paths([coded_once.parent / "raw"], codebook, coded, force=True)
    assert summary.problems == [] and summary.unplaced_reviews == []
    assert summary.unchanged == [target]  # re-coded, and the same bytes came out
    assert target.read_bytes() == reviewed
    blocks = [s.review for s in load_coded(target).segments if s.review is not None]
    assert [(r.accepted, r.by) for r in blocks] == [(True, "kari"), (False, "kari")]
    assert blocks[1].note == "Se også neste avsnitt"
