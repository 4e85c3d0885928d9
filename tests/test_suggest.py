"""`uncoded` and `suggest`: segments without a code, and the uncovered words frequent in them."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from dialogtool.analysis.suggest import group_keys, stop_words, suggest, uncoded_segments
from dialogtool.cli import app
from dialogtool.coded.folder import load_folder
from dialogtool.coding.codebook import load_codebook

ROOT = Path(__file__).resolve().parents[1]
CODEBOOK = ROOT / "codebook.yaml"
runner = CliRunner()
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser: the same result, faster

# Words that must never be suggested: they say nothing about a theme.
_FUNCTION_TEXT = (
    "og i på til for av om med som at det den de dei ein eit en et ikke ikkje kva hva korleis hvordan eg jeg vi me "
    "er var vere være vore vært vert blir vart ble berre bare òg også frå fra noko noe nokon noen meir mer mykje mye "
    "saman sammen kan skal må har hadde får ha seg sin sitt sine der her når eller men så"
)
FUNCTION_WORDS = set(_FUNCTION_TEXT.split())


def run(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def code_sample(base: Path, source: Path) -> Path:
    from dialogtool.coding.run import code_paths

    shutil.copytree(source, base / "raw")
    code_paths([base / "raw"], load_codebook(CODEBOOK), base / "coded")
    return base / "coded"


def raw_notes(folder: Path) -> list[dict[str, Any]]:
    return [yaml.load(p.read_text(encoding="utf-8"), Loader=LOADER) for p in sorted(folder.glob("*.yaml"))]


def reviewed(seg: dict[str, Any]) -> set[str]:
    review = seg.get("review") or {}
    return (set(seg.get("codes") or []) - set(review.get("remove") or [])) | set(review.get("add") or [])


def expected_uncoded(folder: Path, headings: bool = False) -> list[tuple[str, str]]:
    return [
        (note["document"], seg["id"])
        for note in raw_notes(folder)
        for seg in note["segments"]
        if not reviewed(seg) and (headings or seg.get("kind") != "heading")
    ]


def write_note(folder: Path, document: str, language: str, segments: list[dict[str, Any]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    rows = [{"para": n, "codes": [], **s} for n, s in enumerate(segments, start=1)]
    note = {"document": document, "meta": {"language": language}, "segments": rows}
    (folder / f"{document}.yaml").write_text(yaml.safe_dump(note, allow_unicode=True), encoding="utf-8")


@pytest.fixture
def handmade(tmp_path: Path) -> Path:
    folder = tmp_path / "hand"
    write_note(
        folder,
        "a",
        "nn",
        [
            {"id": "h", "kind": "heading", "text": "Fastlegar:"},
            {"id": "a1", "text": "Fastlegane og pasientane ventar ikkje berre på svar frå sjukehuset."},
            {"id": "a2", "text": "Eg veit ikkje kva fastlegen gjer, eller korleis det vert i 2018."},
            {"id": "a3", "text": "Fastlegen snakkar med koordinerande eining om pasientane.", "codes": ["KE"]},
            {"id": "a4", "text": "Kompetansen og opplæringa var god, men kompetansen manglar hos fastlegane."},
        ],
    )
    write_note(
        folder,
        "b",
        "nb",
        [
            {"id": "b1", "text": "Pasientene savner fastlegene, sa fastlegen."},
            {"id": "b2", "text": "Pasientene savner oppfølging.", "review": {"add": ["KE"], "remove": []}},
            {"id": "b3", "text": "Fastlegene ringer KE.", "codes": ["KE"], "review": {"add": [], "remove": ["KE"]}},
            {"id": "b4", "text": "OK, ok 12 ME og ab."},
        ],
    )
    return folder


# uncoded ----------------------------------------------------------------------------------


def test_uncoded_matches_reviewed_codes(sample: Path, handmade: Path) -> None:
    notes = load_folder(sample)
    assert [(s.document, s.id) for s in uncoded_segments(notes)] == expected_uncoded(sample)
    with_headings = [(s.document, s.id) for s in uncoded_segments(notes, include_headings=True)]
    assert with_headings == expected_uncoded(sample, headings=True)
    assert len(with_headings) > len(expected_uncoded(sample))
    ids = [s.id for s in uncoded_segments(load_folder(handmade))]
    assert ids == ["a1", "a2", "a4", "b1", "b3", "b4"]  # b2 added by a reviewer, b3's code removed


def test_cli_uncoded(sample: Path) -> None:
    result = run("uncoded", "--coded", sample, "--limit", "5")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    wanted = expected_uncoded(sample)
    texts = {(n["document"], s["id"]): s["text"] for n in raw_notes(sample) for s in n["segments"]}
    assert len(lines) == 5
    for line, key in zip(lines, wanted, strict=False):
        assert line.startswith(f"{key[0]} {key[1]}") and line.endswith(texts[key])
    total = sum(1 for n in raw_notes(sample) for s in n["segments"] if s.get("kind") != "heading")
    assert f"{len(wanted)} of {total} segments (headings left out) have no code, 5 shown" in result.stderr
    everything = run("uncoded", "--coded", sample, "--all")
    assert len(everything.stdout.splitlines()) == len(expected_uncoded(sample, headings=True))


# suggest ----------------------------------------------------------------------------------


def test_suggest_merges_forms_and_drops_stop_covered_short_and_numbers(handmade: Path) -> None:
    book = load_codebook(CODEBOOK)
    rows = suggest(load_folder(handmade), book)
    assert [(r.lemma, r.count, r.documents) for r in rows] == [("fastlege", 6, 2), ("pasient", 2, 2)]
    assert dict(rows[0].forms) == {"fastlegane": 2, "fastlegene": 2, "fastlegen": 2}
    assert dict(rows[1].forms) == {"pasientane": 1, "pasientene": 1}
    everything = suggest(load_folder(handmade), book, min_count=1)
    words = {r.lemma for r in everything} | {f for r in everything for f, _ in r.forms}
    assert not words & FUNCTION_WORDS
    assert not words & {"gjer", "2018", "ok", "me", "ab", "ke"}
    assert not words & {"kompetansen", "kompetanse", "opplæringa", "opplæring", "koordinerande", "eining"}  # covered
    assert {"manglar", "savner", "sjukehuset"} <= words  # content words of uncoded segments are counted
    assert "ringer" not in words  # «ringe» is an INFO term now (who rings whom)
    assert "snakkar" not in words  # a3 is coded
    assert "fastlegar" not in words  # headings are left out


def test_group_keys_merge_bokmaal_and_nynorsk_forms() -> None:
    keys = group_keys({"pasientane", "pasientene", "pasienter", "pasientar", "slagpasient", "slagpasientane", "lege"})
    assert {keys[w] for w in ("pasientane", "pasientene", "pasienter", "pasientar")} == {"pasient"}
    assert keys["slagpasientane"] == keys["slagpasient"] == "slagpasient"
    assert keys["lege"] == "lege"  # simplemma's nn lemma "legen" is longer: not taken
    assert group_keys({"pårørende"})["pårørende"] == "pårørende"  # no guesses from a standard that lacks the word


def test_stop_words_cover_both_standards() -> None:
    stop = stop_words()
    nynorsk = "eg ikkje kva korleis ein eit dei frå òg berre noko nokon vere vore vert vart meir mykje saman"
    assert set(nynorsk.split()) <= stop
    assert {"og", "ikke", "hvordan", "hva", "bordet", "spørsmål"} <= stop
    assert "kontakt" not in stop and "pasient" not in stop


def test_suggest_on_the_sample_surfaces_domain_words(sample: Path) -> None:
    rows = suggest(load_folder(sample), load_codebook(CODEBOOK))
    assert rows and all(r.count >= 2 for r in rows)
    assert [(r.documents, r.count) for r in rows] == sorted(((r.documents, r.count) for r in rows), reverse=True)
    words = {r.lemma for r in rows} | {f.lower() for r in rows for f, _ in r.forms}
    assert not words & FUNCTION_WORDS
    fastlege = next(r for r in rows if r.lemma == "fastlege")
    hits = [
        (note["document"], m.group())
        for note in raw_notes(sample)
        for seg in note["segments"]
        if not reviewed(seg) and seg.get("kind") != "heading"
        for m in re.finditer(r"\w+", seg["text"])
        if m.group().lower().startswith("fastleg")
    ]
    assert fastlege.count == len(hits) and fastlege.documents == len({d for d, _ in hits})
    assert rows[0].lemma == "fastlege"


def test_suggest_on_the_shared_notes(shared: Path, tmp_path: Path) -> None:
    rows = suggest(load_folder(code_sample(tmp_path, shared / "corpus")), load_codebook(CODEBOOK))
    top = [r.lemma for r in rows[:30]]
    assert "pasient" in top[:3] and "pakkeforløp" in top[:3]
    assert not set(top) & FUNCTION_WORDS


def test_cli_suggest(sample: Path) -> None:
    result = run("suggest", "--coded", sample, "-c", CODEBOOK, "--limit", "3", "--min-count", "1")
    assert result.exit_code == 0, result.output
    rows = [line for line in result.stdout.splitlines() if line.startswith("│")]
    assert len(rows) == 3
    top = suggest(load_folder(sample), load_codebook(CODEBOOK), min_count=1)[0]
    cells = [c.strip() for c in rows[0].strip("│").split("│")]
    assert cells[:3] == [top.lemma, str(top.count), str(top.documents)]
    assert "shown" in result.stderr and "dialogtool kwic WORD" in result.stderr
