"""`kwic`: a pattern matched as the codebook would match it, shown with its context."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from dialogtool.analysis.kwic import kwic, text_hits
from dialogtool.cli import app
from dialogtool.coded.folder import load_folder
from dialogtool.errors import DialogtoolError

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser: the same result, faster


def run(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def texts(folder: Path) -> list[tuple[str, str, str]]:
    """(document, segment id, text) of every segment, read straight from the YAML files."""
    rows = []
    for path in sorted(folder.glob("*.yaml")):
        note = yaml.load(path.read_text(encoding="utf-8"), Loader=LOADER)
        rows += [(note["document"], s["id"], s["text"]) for s in note["segments"]]
    return rows


@pytest.fixture
def handmade(tmp_path: Path) -> Path:
    segments: list[dict[str, Any]] = [
        {"id": "s1", "text": "Få vet at KE finnes, og ingen ringer KE-kontoret."},
        {"id": "s2", "text": "Me spør ke dei meiner om saka, og KEM er noko anna."},
        {"id": "s3", "text": "Dei individuelle planane vert sjeldan brukt, seier individuell plan-koordinatoren."},
        {"id": "s4", "text": "Brukerkompetansen og   kompetanseheving\ntrengs."},
    ]
    note = {"document": "hand", "meta": {}, "segments": [{"para": 1, "codes": [], **s} for s in segments]}
    folder = tmp_path / "hand"
    folder.mkdir()
    (folder / "hand.yaml").write_text(yaml.safe_dump(note, allow_unicode=True), encoding="utf-8")
    return folder


def test_infix_pattern_finds_compounds_in_the_sample(sample: Path) -> None:
    lines = kwic(load_folder(sample), "*kompetanse*")
    found = [(line.document, line.id, line.match.lower()) for line in lines]
    wanted = [
        (doc, sid, m.group().lower())
        for doc, sid, text in texts(sample)
        for m in re.finditer(r"\w*kompetanse\w*", text, re.IGNORECASE)
    ]
    assert found == wanted and len(found) >= 3
    assert any(m != "kompetanse" for *_, m in found)  # inflected or compound forms: "Kompetansen"


def test_plain_word_finds_inflections_in_both_standards_not_compounds(sample: Path) -> None:
    lines = kwic(load_folder(sample), "pasient")
    endings = {"", "en", "er", "ene", "ar", "ane", "ens", "enes", "anes", "ers"}
    wanted = [
        (doc, sid, m.group())
        for doc, sid, text in texts(sample)
        for m in re.finditer(r"\w+", text)
        if (m.group().lower().startswith("pasient") and m.group().lower()[7:] in endings)
        or m.group().lower() == "pas"  # «pas.», the abbreviation telegraphic notes use (langdata)
    ]
    assert [(line.document, line.id, line.match) for line in lines] == wanted
    matches = {line.match.lower() for line in lines}
    assert {"pasienten", "pasientene", "pasientane", "pasientar"} <= matches
    assert not any("slagpasient" in m for m in matches)


def test_fast_hits_equal_the_matchers_own(sample: Path) -> None:
    from dialogtool.coding.codebook import load_codebook
    from dialogtool.coding.matcher import Matcher, words_of

    matcher = Matcher(load_codebook(ROOT / "codebook.yaml"))
    for _, _, text in texts(sample):
        assert text_hits(matcher, text) == matcher.hits(words_of(text)), text
    assert text_hits(matcher, "") == []


def test_acronyms_are_case_sensitive_whole_words(handmade: Path) -> None:
    lines = kwic(load_folder(handmade), "KE")
    assert [(line.id, line.match) for line in lines] == [("s1", "KE"), ("s1", "KE")]
    assert lines[1].left == "Få vet at KE finnes, og ingen ringer " and lines[1].right == "-kontoret."


def test_phrases_and_context(handmade: Path) -> None:
    notes = load_folder(handmade)
    lines = kwic(notes, "individuell plan")
    assert [line.match for line in lines] == ["individuelle planane", "individuell plan"]
    compound = kwic(notes, "*kompetanse*")
    assert [line.match for line in compound] == ["Brukerkompetansen", "kompetanseheving"]
    assert compound[1].left == "Brukerkompetansen og " and compound[1].right == " trengs."  # whitespace as one
    short = kwic(notes, "*kompetanse*", width=8)
    assert short[1].left == "…" + "Brukerkompetansen og "[-7:] and len(short[1].left) == 8
    assert short[1].right == " trengs."  # fits: not cut


def test_malformed_pattern_is_a_user_error(handmade: Path) -> None:
    with pytest.raises(DialogtoolError, match=r"malformed pattern 'kurs\?'.*not part of the pattern language"):
        kwic(load_folder(handmade), "kurs?")
    result = run("kwic", "a*b", "--coded", handmade)
    assert result.exit_code == 2
    assert "malformed pattern 'a*b'" in result.stderr and "'*' may stand only at the start or end" in result.stderr


def test_cli_lines_limit_and_summary(sample: Path) -> None:
    result = run("kwic", "pasient", "--coded", sample, "--limit", "3", "--width", "20")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    first = kwic(load_folder(sample), "pasient", width=20)[0]
    assert lines[0].startswith(f"{first.document} {first.id}")
    assert lines[0].endswith(f"{first.left.rjust(20)}{first.match}{first.right}")
    total = len(kwic(load_folder(sample), "pasient"))
    assert f"{total} match(es) of 'pasient' in 8 note(s), 3 shown" in result.stderr
    none = run("kwic", "sjiraff", "--coded", sample)
    assert none.exit_code == 0 and none.stdout == "" and "0 match(es)" in none.stderr
