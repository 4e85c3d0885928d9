"""Reviewers' mistakes in coded files: every one stops every command with file:line, and `code`
never rewrites (and so never drops) a review it cannot read."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dialogtool.cli import app
from dialogtool.coded.reviewcheck import line_at
from dialogtool.coded.validate import nearest

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "codebook.yaml"
NOTE = "bodo_2018-10-12_bord2"
runner = CliRunner()

# (lines inserted after the first `codes: [INFO]` of the coded note, index of the line at fault, message, hint)
CASES = {
    "unknown id": (["  review:", "    add: [INF]"], 1, "unknown code 'INF' in review.add", "did you mean 'INFO'?"),
    "lower-case id": (["  review:", "    add: [info]"], 1, "unknown code 'info' in review.add", "did you mean 'INFO'?"),
    "unknown id removed": (
        ["  review:", "    add: []", "    remove:", "    - GRUPPER.me"],
        3,
        "unknown code 'GRUPPER.me' in review.remove",
        "did you mean 'GRUPPER.ME'?",
    ),
    "add at segment level": (["  add: [KOMP]"], 0, "'add' in segment", "indent it under review:"),
    "note at segment level": (
        ["  review:", "    add: [KOMP]", "  note: sjekk dette"],
        2,
        "'note' in segment",
        "indent it under review:",
    ),
    "remove at segment level": (["  remove: [INFO]"], 0, "'remove' in segment", "indent it under review:"),
    "two reviews": (["  review: {add: [KOMP]}", "  review: {add: [IP]}"], 1, "duplicate key 'review'", None),
    "duplicate key elsewhere": (["  codes: [KE]"], 0, "duplicate key 'codes'", None),
    "review not a mapping": (["  review: KOMP"], 0, "must be a mapping, not the text 'KOMP'", "write add:"),
    "review a list": (["  review: [KOMP]"], 0, "must be a mapping, not a list", "write add:"),
    "added and removed": (
        ["  review:", "    add: [KOMP]", "    remove: [KE, KOMP]"],
        2,
        "both adds and removes 'KOMP'",
        "keep it in one of add: or remove:",
    ),
    "unknown review key": (["  review:", "    add: [KOMP]", "    notes: x"], 2, "unknown key 'notes'", "use add"),
    "misspelt review": (["  reveiw: {add: [KOMP]}"], 0, "unknown key 'reveiw'", "did you mean 'review'?"),
    "accepted not a boolean": (["  review:", "    accepted: ja"], 1, "'accepted' must be true or false", None),
}


def run(*args: object):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def coded_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("review")
    (base / "raw").mkdir()
    shutil.copy(ROOT / "data" / "raw" / f"{NOTE}.txt", base / "raw")
    assert run("code", base / "raw", "--codebook", BOOK, "--out", base / "coded", "--jobs", "1").exit_code == 0
    return base


@pytest.fixture
def project(coded_once: Path, tmp_path: Path) -> Path:
    shutil.copytree(coded_once, tmp_path / "p")
    return tmp_path / "p"


def break_file(target: Path, lines: list[str], fault: int) -> int:
    """Insert `lines` after the first `codes: [INFO]` line; the line number of the faulty one."""
    text = target.read_text(encoding="utf-8").splitlines(keepends=True)
    after = next(i for i, line in enumerate(text) if line == "  codes: [INFO]\n") + 1
    text[after:after] = [line + "\n" for line in lines]
    target.write_text("".join(text), encoding="utf-8")
    return after + fault + 1


def assert_one_error(result, where: str, message: str, hint: str | None) -> None:
    lines = [line for line in result.stderr.splitlines() if where in line]
    assert len(lines) == 1, result.stderr
    assert message in lines[0] and (hint is None or f"({hint}" in lines[0]), lines[0]


@pytest.mark.parametrize("case", CASES)
def test_bad_review_is_reported_at_its_line_and_never_rewritten(project: Path, case: str) -> None:
    lines, fault, message, hint = CASES[case]
    target = project / "coded" / f"{NOTE}.yaml"
    line = break_file(target, lines, fault)
    before = target.read_bytes()
    where = f"{target}:{line}: "

    table = run("table", "--coded", project / "coded", "--codebook", BOOK)
    assert table.exit_code == 2
    assert table.stderr.startswith(f"Error: {where}") and len(table.stderr.splitlines()) == 1, table.stderr
    assert_one_error(table, where, message, hint)

    for force in ([], ["--force"]):
        result = run("code", project / "raw", "--codebook", BOOK, "--out", project / "coded", "--jobs", "1", *force)
        assert result.exit_code == 1, (force, result.stderr)
        assert_one_error(result, where, message, hint)
        assert target.read_bytes() == before, force


COMMANDS = {
    "table": ["table"],
    "cooccur": ["cooccur"],
    "report": ["report", "--output", "{tmp}/report"],
    "quotes": ["quotes", "INFO"],
    "uncoded": ["uncoded"],
    "suggest": ["suggest"],
    "export qdpx": ["export", "qdpx", "--output", "{tmp}/x.qdpx"],
    "agree": ["agree", "{coded}", "{coded}"],
    "diff": ["diff", "{coded}", "{coded}"],
}


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_checks_review_ids_against_the_codebook(project: Path, command: str) -> None:
    target = project / "coded" / f"{NOTE}.yaml"
    assert run("table", "--coded", project / "coded", "--codebook", BOOK).exit_code == 0  # caches built while valid
    line = break_file(target, ["  review:", "    add: [INFO, Komp]"], 1)
    args = [a.format(tmp=project, coded=project / "coded") for a in COMMANDS[command]]
    result = run(*args, "--coded", project / "coded", "--codebook", BOOK)
    assert result.exit_code == 2, result.output
    assert result.stderr.strip() == (
        f"Error: {target}:{line}: unknown code 'Komp' in review.add (did you mean 'KOMP'?)"
    ), result.stderr


def test_a_fixed_review_is_read_again(project: Path) -> None:
    target = project / "coded" / f"{NOTE}.yaml"
    clean = target.read_text(encoding="utf-8")
    break_file(target, ["  review:", "    add: [INF]"], 1)
    assert run("table", "--coded", project / "coded", "--codebook", BOOK).exit_code == 2
    target.write_text(clean.replace("  codes: [INFO]\n", "  codes: [INFO]\n  review:\n    add: [KOMP]\n", 1))
    assert run("table", "--coded", project / "coded", "--codebook", BOOK).exit_code == 0
    result = run("code", project / "raw", "--codebook", BOOK, "--out", project / "coded", "--jobs", "1", "--force")
    assert result.exit_code == 0, result.stderr
    assert "  review:\n    add: [KOMP]\n    remove: []\n" in target.read_text(encoding="utf-8")


def test_unplaced_review_ids_are_checked_too(project: Path) -> None:
    target = project / "coded" / f"{NOTE}.yaml"
    text = target.read_text(encoding="utf-8")
    extra = "unplaced_reviews:\n- id: s0\n  text: borte\n  review: {add: [KOMP, GRUPER]}\n"
    target.write_text(text + extra, encoding="utf-8")
    line = len(text.splitlines()) + 4
    result = run("table", "--coded", project / "coded", "--codebook", BOOK)
    assert result.exit_code == 2
    assert f"{target}:{line}: unknown code 'GRUPER' in review.add (did you mean 'GRUPPER'?)" in result.stderr


def test_nearest_prefers_the_same_id_in_other_case() -> None:
    known = {"INFO", "IP", "KE", "KOMP", "GRUPPER", "GRUPPER.ME"}
    assert nearest("info", known) == "INFO"
    assert nearest("INF", known) == "INFO"
    assert nearest("grupper.me", known) == "GRUPPER.ME"
    assert nearest("XYZZY", known) is None


def test_line_at_follows_keys_and_stops_at_the_last_found() -> None:
    text = "segments:\n- id: a\n  text: x\n- id: b\n  text: y\n  review:\n    add:\n    - KE\n    - IP\n"
    assert line_at(text, ("segments", 1, "review", "add", 1)) == 9
    assert line_at(text, ("segments", 1, "review", "remove", 0)) == 6
    assert line_at(text, ("segments", 0, "text")) == 3
    assert line_at("a: [", ("a",)) is None
