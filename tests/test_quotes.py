"""`quotes`: which segments are selected for a theme, in what order, and how they are written out.

Expected selections are computed here with plain loops over the YAML files, not through
the code under test.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from dialogtool.analysis.quotes import (
    INHERITED,
    REVIEWER,
    TERMS,
    ReportQuotes,
    is_enumeration,
    report_quotes,
    select_quotes,
    theme_codes,
    theme_spans,
)
from dialogtool.cli import app
from dialogtool.coded.folder import load_folder
from dialogtool.coding.codebook import load_codebook
from dialogtool.coding.matcher import Matcher
from dialogtool.errors import DialogtoolError
from dialogtool.output.terminal import quotes_rich

ROOT = Path(__file__).resolve().parents[1]
CODEBOOK = ROOT / "codebook.yaml"
runner = CliRunner()
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser: the same result, faster


def run(*args: object):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def coded(sample: Path, tmp_path: Path) -> Path:
    target = tmp_path / "coded"
    shutil.copytree(sample, target, ignore=shutil.ignore_patterns(".*"))
    return target


def raw_notes(folder: Path) -> list[dict[str, Any]]:
    return [yaml.load(p.read_text(encoding="utf-8"), Loader=LOADER) for p in sorted(folder.glob("*.yaml"))]


def reviewed(seg: dict[str, Any]) -> set[str]:
    review = seg.get("review") or {}
    return (set(seg.get("codes") or []) - set(review.get("remove") or [])) | set(review.get("add") or [])


def unmarked(text: str) -> str:
    """The reference for a quote's text: the segment's text without a leading «• », «3) » or
    «1. » (Word list items carry the number Word shows since issue 12's input half)."""
    return re.sub(r"^(?:• |\d{1,2}[a-z]?\) |[a-z]\) |\d{1,2}\. (?=[A-ZÆØÅ]))", "", text)


def words(text: str) -> int:
    return len([t for t in text.split() if any(c.isalnum() for c in t)])


def expected(folder: Path, has_theme, everything: bool = False) -> set[tuple[str, str]]:
    return {
        (note["document"], seg["id"])
        for note in raw_notes(folder)
        for seg in note["segments"]
        if any(has_theme(c) for c in reviewed(seg))
        and (everything or (seg.get("kind") != "heading" and words(seg["text"]) >= 6))
    }


def picked(selection) -> set[tuple[str, str]]:
    return {(q.document, q.id) for g in selection.groups for q in g.quotes}


def write_note(folder: Path, document: str, segments: list[dict[str, Any]], **meta: Any) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for n, seg in enumerate(segments, start=1):
        rows.append({"id": f"s{document}{n}", "para": n, "section": [], "codes": [], **seg})
    note = {"format": 1, "document": document, "meta": meta, "segments": rows}
    (folder / f"{document}.yaml").write_text(yaml.safe_dump(note, allow_unicode=True), encoding="utf-8")


def seg(sid: str, text: str, terms: dict[str, list[str]] | None = None, **extra: Any) -> dict[str, Any]:
    """A coded segment whose codes are those with terms, plus any given in `extra`."""
    return {"id": sid, "text": text, "codes": sorted(terms or {}), "terms": terms or {}, **extra}


@pytest.fixture
def handmade(tmp_path: Path) -> Path:
    folder = tmp_path / "hand"
    ke = {"KE": ["KE"]}
    write_note(
        folder,
        "tromso",
        [
            seg("h1", "Koordinerende enhet:", {"KE": ["koordinerende enhet"]}, kind="heading"),
            seg("a", "Få vet at KE finnes, heller ikke alle ansatte på sykehuset.", ke),
            seg(
                "b",
                "Koordinerende enhet i kommunen og KE i sykehuset snakker ikke sammen i dag.",
                {"KE": ["KE", "koordinerende enhet"]},
            ),
            seg(
                "c",
                "Det vanligste spørsmålet fra pårørende er hvem de skal ringe til.",
                codes=["KE"],
                inherited={"KE": "h1"},
            ),
            seg("d", "Ingen vet hvem som har ansvaret for å følge opp etter utskriving.", review={"add": ["KE"]}),
            seg(
                "e",
                "KE ble nevnt i forbifarten, men temaet var noe helt annet i dag.",
                ke,
                review={"add": [], "remove": ["KE"]},
            ),
            seg("f", "KE er viktig.", ke),
        ],
        meeting="Tromsø",
        date="2018-10-12",
        table=1,
    )
    write_note(
        folder,
        "bodo",
        [
            seg("g", "KE må være synlig på nettsidene til alle kommunene i regionen.", ke),
            seg(
                "i",
                "Vi trenger en oppdatert liste over KE i hver kommune, med telefonnummer og e-post.",
                {"KE": ["KE"], "INFO": ["e-post"]},
            ),
        ],
        meeting="Bodø",
        table=2,
    )
    write_note(
        folder,
        "ukjent",
        [seg("j", "Hvem er KE i kommunen når koordinatoren er på ferie?", {"KE": ["KE"], "IP": ["koordinator*"]})],
    )
    return folder


# Selection --------------------------------------------------------------------------------


def test_top_level_theme_includes_children_and_filters_short_and_headings(coded: Path) -> None:
    book = load_codebook(CODEBOOK)
    notes = load_folder(coded)
    grupper = select_quotes(notes, book, "GRUPPER")
    assert picked(grupper) == expected(coded, lambda c: c == "GRUPPER" or c.startswith("GRUPPER."))
    assert grupper.segments == len(expected(coded, lambda c: c.split(".")[0] == "GRUPPER", everything=True))
    everything = select_quotes(notes, book, "GRUPPER", include_all=True)
    assert picked(everything) == expected(coded, lambda c: c.split(".")[0] == "GRUPPER", everything=True)
    assert grupper.left_out == len(picked(everything)) - len(picked(grupper)) > 0
    child = select_quotes(notes, book, "GRUPPER.ME", include_all=True)
    assert picked(child) == expected(coded, lambda c: c == "GRUPPER.ME", everything=True)
    assert picked(child) < picked(everything)


def test_theme_ids_exact_or_case_insensitive_and_unknown_lists_ids() -> None:
    book = load_codebook(CODEBOOK)
    assert theme_codes(book, "GRUPPER")[:2] == ("GRUPPER", "GRUPPER.ME")
    assert theme_codes(book, "ke") == ("KE",)
    assert theme_codes(book, "grupper.me") == ("GRUPPER.ME",)
    with pytest.raises(DialogtoolError) as info:
        theme_codes(book, "KEX")
    assert "unknown theme 'KEX'" in str(info.value) and "GRUPPER.ME" in str(info.value)


def test_reviews_inheritance_and_evidence(handmade: Path) -> None:
    book = load_codebook(CODEBOOK)
    quotes = {q.id: q for g in select_quotes(load_folder(handmade), book, "KE").groups for q in g.quotes}
    assert set(quotes) == {"a", "b", "c", "d", "g", "i", "j"}  # not: heading h1, removed e, short f
    assert quotes["d"].origin == REVIEWER and quotes["d"].note == "(added by reviewer)" and not quotes["d"].spans
    assert quotes["c"].origin == INHERITED and quotes["c"].note == "(inherited from heading «Koordinerende enhet:»)"
    b = quotes["b"]
    assert b.origin == TERMS and b.note is None and b.terms == ("KE", "koordinerende enhet")
    assert [b.text[s:e] for s, e in b.spans] == ["Koordinerende enhet", "KE"]
    assert [quotes["i"].text[s:e] for s, e in quotes["i"].spans] == ["KE"]  # INFO's e-post is not KE evidence
    everything = select_quotes(load_folder(handmade), book, "KE", include_all=True)
    assert {q.id for g in everything.groups for q in g.quotes} == {"h1", "a", "b", "c", "d", "f", "g", "i", "j"}


def test_order_groups_and_limit(handmade: Path) -> None:
    book = load_codebook(CODEBOOK)
    notes = load_folder(handmade)
    flat = select_quotes(notes, book, "KE")
    assert len(flat.groups) == 1 and flat.groups[0].value is None
    # most distinct terms first; then longest; then document and position
    assert [q.id for q in flat.groups[0].quotes] == ["b", "i", "g", "a", "j", "d", "c"]
    grouped = select_quotes(notes, book, "KE", by="meeting", limit=2)
    assert [(g.value, [q.id for q in g.quotes], g.total) for g in grouped.groups] == [
        ("Bodø", ["i", "g"], 2),
        ("Tromsø", ["b", "a"], 4),
        ("(ukjent)", ["j"], 1),
    ]
    by_table = select_quotes(notes, book, "KE", by="table")
    assert [g.value for g in by_table.groups] == ["1", "2", "(ukjent)"]
    with pytest.raises(DialogtoolError, match="no metadata field 'place'"):
        select_quotes(notes, book, "KE", by="place")


def test_spans_apply_exclusions() -> None:
    matcher = Matcher(load_codebook(CODEBOOK))
    text = "Hva slags tilbud får slagpasienter og folk med hjerneslag?"
    spans = theme_spans(matcher, text, {"GRUPPER.NEVRO"})
    assert [text[s:e] for s, e in spans] == ["slagpasienter", "hjerneslag"]
    assert theme_spans(matcher, text, {"KE"}) == ()


def test_terminal_rendering_highlights_matched_terms(handmade: Path) -> None:
    selection = select_quotes(load_folder(handmade), load_codebook(CODEBOOK), "KE")
    items = [getattr(item, "renderable", item) for item in quotes_rich(selection)]  # inside their Padding
    highlighted = [item.plain[s.start : s.end] for item in items for s in item.spans if s.style == "bold yellow"]
    assert highlighted[:2] == ["Koordinerende enhet", "KE"]
    assert highlighted.count("KE") == 5  # b, i, a, g, j each highlight KE once; c and d have no terms
    text = "\n".join(item.plain for item in items)
    assert "(added by reviewer)" in text and "(inherited from heading «Koordinerende enhet:»)" in text
    assert "Tromsø, 12. oktober 2018, kafébord 1" in text  # readable: a long date, no internal ids
    assert "2018-10-12" not in text and "tromso b" not in text


# CLI --------------------------------------------------------------------------------------


def test_cli_csv_by_meeting_matches_independent_selection(coded: Path) -> None:
    result = run("quotes", "IP", "--coded", coded, "-c", CODEBOOK, "--by", "meeting", "-f", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {(r["document"], r["segment"]) for r in rows} == expected(coded, lambda c: c == "IP")
    meetings = {n["document"]: n["meta"]["meeting"] for n in raw_notes(coded)}
    assert all(r["group"] == r["meeting"] == meetings[r["document"]] for r in rows)
    texts = {(n["document"], s["id"]): s["text"] for n in raw_notes(coded) for s in n["segments"]}
    assert all(unmarked(texts[(r["document"], r["segment"])]) == r["text"] for r in rows)
    groups = [r["group"] for r in rows]
    assert groups == sorted(groups)  # one block per meeting
    assert f"{len(rows)} quote(s) for IP — Individuell plan og koordinator" in result.stderr


def test_cli_limit_and_all(coded: Path) -> None:
    limited = run("quotes", "KE", "--coded", coded, "-c", CODEBOOK, "--by", "document", "--limit", "1", "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(limited.stdout)))
    documents = {d for d, _ in expected(coded, lambda c: c == "KE")}
    assert sorted(r["document"] for r in rows) == sorted(documents)
    everything = run("quotes", "KE", "--coded", coded, "-c", CODEBOOK, "--all", "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(everything.stdout)))
    assert {(r["document"], r["segment"]) for r in rows} == expected(coded, lambda c: c == "KE", everything=True)


def test_cli_reviewer_edits_are_honoured(coded: Path) -> None:
    path = coded / "tromso_bord1_ke.yaml"
    note = yaml.load(path.read_text(encoding="utf-8"), Loader=LOADER)
    with_ke = [s for s in note["segments"] if "KE" in (s.get("codes") or []) and s.get("kind") != "heading"]
    without = [
        s for s in note["segments"] if not s.get("codes") and s.get("kind") != "heading" and words(s["text"]) >= 6
    ]
    removed, added = with_ke[0], without[0]
    text = path.read_text(encoding="utf-8")
    text = text.replace(f"- id: {removed['id']}\n", f"- id: {removed['id']}\n  review: {{add: [], remove: [KE]}}\n")
    text = text.replace(f"- id: {added['id']}\n", f"- id: {added['id']}\n  review: {{add: [KE], remove: []}}\n")
    path.write_text(text, encoding="utf-8")
    result = run("quotes", "KE", "--coded", coded, "-c", CODEBOOK, "-f", "csv")
    rows = {r["segment"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    assert removed["id"] not in rows
    assert rows[added["id"]]["origin"] == "reviewer"
    assert set(rows) == {i for _, i in expected(coded, lambda c: c == "KE")}
    terminal = run("quotes", "KE", "--coded", coded, "-c", CODEBOOK)
    assert "(added by reviewer)" in terminal.stdout and unmarked(added["text"]) in terminal.stdout


def test_cli_markdown(handmade: Path) -> None:
    result = run("quotes", "KE", "--coded", handmade, "-c", CODEBOOK, "--by", "meeting", "-f", "md", "--limit", "1")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:5] == [
        "## KE — Koordinerende enhet",
        "",
        "### Bodø",
        "",
        "> Vi trenger en oppdatert liste over KE i hver kommune, med telefonnummer og e-post.",
    ]
    assert "— Bodø, kafébord 2" in result.stdout and "### (ukjent)" in result.stdout
    assert "\n— \n" not in result.stdout  # a quote without metadata has no empty source line


def test_cli_docx(handmade: Path, tmp_path: Path) -> None:
    from docx import Document

    target = tmp_path / "out" / "sitater.docx"
    result = run("quotes", "KE", "--coded", handmade, "-c", CODEBOOK, "--by", "meeting", "-f", "docx", "-o", target)
    assert result.exit_code == 0, result.output
    assert f"Wrote {target}" in result.stderr
    paragraphs = Document(str(target)).paragraphs
    headings = [(p.style.name, p.text) for p in paragraphs if p.style.name.startswith("Heading")]
    assert headings == [
        ("Heading 1", "KE — Koordinerende enhet"),
        ("Heading 2", "Bodø"),
        ("Heading 2", "Tromsø"),
        ("Heading 2", "(ukjent)"),
    ]
    italic = [p.text for p in paragraphs if p.runs and all(r.italic for r in p.runs)]
    notes = {n["document"]: n for n in raw_notes(handmade)}
    assert italic[0] == "«" + notes["bodo"]["segments"][1]["text"] + "»"
    assert len(italic) == 7
    sources = [p.text for p in paragraphs if p.text.startswith("– ")]
    assert len(sources) == 6 and sources[0] == "– Bodø, kafébord 2"  # the (ukjent) quote has no source


def test_cli_user_errors(handmade: Path) -> None:
    unknown = run("quotes", "NOPE", "--coded", handmade, "-c", CODEBOOK)
    assert unknown.exit_code == 2 and "unknown theme 'NOPE'" in unknown.stderr and "GRUPPER.KREFT" in unknown.stderr
    docx = run("quotes", "KE", "--coded", handmade, "-c", CODEBOOK, "-f", "docx")
    assert docx.exit_code == 2 and "needs --output" in docx.stderr
    fmt = run("quotes", "KE", "--coded", handmade, "-c", CODEBOOK, "-f", "pdf")
    assert fmt.exit_code == 2 and "'pdf' is not one of 'terminal', 'md', 'docx', 'csv'" in fmt.stderr
    field = run("quotes", "KE", "--coded", handmade, "-c", CODEBOOK, "--by", "sted")
    assert field.exit_code == 2 and "no metadata field 'sted'" in field.stderr


# --- quotes worth quoting (issue 12) --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "listing"),
    [
        ("Deltakere: ergoterapeut og leder for KE i Alta, fysioterapeut fra sykehuset", True),
        ("Ergoterapeut, fysioterapeut, leder for KE, koordinator fra sykehuset og fastlege.", True),
        ("Til stede: Kari, Per, Ola og Anne fra koordinerende enhet", True),
        ("Her trengs logoped, ergoterapeut, nevropsykolog osv., og det har de minste kommunene ikke.", False),
        ("Koordinerende enhet: flere visste ikke hvem som har KE-rollen i egen kommune.", False),
        ("KE, IP og koordinator henger sammen, men ingen i kommunen har oversikt over alle tre.", False),
    ],
)
def test_enumerations_are_recognised(text: str, listing: bool) -> None:
    assert is_enumeration(text) is listing


def test_enumerations_and_list_marks_left_out_of_quotes(tmp_path: Path) -> None:
    folder = tmp_path / "coded"
    write_note(
        folder,
        "alta",
        [
            seg("a", "Deltakere: leder for KE, koordinator, fysioterapeut og ergoterapeut", {"KE": ["KE"]}),
            seg("b", "3) Koordinerende enhet er ukjent for mange av dem som skulle bruke den.", {"KE": ["KE"]}),
        ],
        meeting="Alta",
        date="2018-09-18",
        table=1,
    )
    book = load_codebook(CODEBOOK)
    selection = select_quotes(load_folder(folder), book, "KE")
    (quote,) = [q for g in selection.groups for q in g.quotes]
    assert quote.text == "Koordinerende enhet er ukjent for mange av dem som skulle bruke den."
    assert selection.left_out == 1
    assert [q.id for g in select_quotes(load_folder(folder), book, "KE", include_all=True).groups for q in g.quotes]
    again = select_quotes(load_folder(folder), book, "KE", exclude=frozenset({quote.key}))
    assert not [q for g in again.groups for q in g.quotes]  # a quote shown under one theme is not shown again
    with pytest.raises(DialogtoolError, match="at least 1"):
        select_quotes(load_folder(folder), book, "KE", limit=0)


def test_csv_lists_every_code_and_a_clean_section(tmp_path: Path) -> None:
    folder = tmp_path / "coded"
    write_note(
        folder,
        "bodo",
        [
            seg(
                "a",
                "Koordinerende enhet må gi pasienten en individuell plan tidlig i forløpet.",
                {"KE": ["KE"], "IP": ["individuell plan"]},
                codes=["KE", "IP"],
                section=[
                    "Fauske 15.10.2018",
                    "Oppsummering etter dialogmøte i Bodø 12.10.2018,",
                    "Kafébord 2",
                    "Oppgave om koordinerende enhet,",
                ],
            )
        ],
        meeting="Bodø",
    )
    result = run("quotes", "KE", "--coded", folder, "-c", CODEBOOK, "-f", "csv")
    (row,) = csv.DictReader(io.StringIO(result.stdout))
    assert row["codes"] == "KE" and row["all_codes"] == "KE IP"
    assert row["section"] == "Oppgave om koordinerende enhet"  # dated lines, the table line, trailing commas gone


def test_notes_are_read_once_so_a_stream_will_do(coded: Path) -> None:
    """`quotes` streams the folder: selecting from a one-pass iterator gives what the list gives,
    and an unknown --by field is still reported (after the notes are read)."""
    from dialogtool.coded.folder import iter_folder

    book = load_codebook(CODEBOOK)
    notes = load_folder(coded)
    for theme, by in (("KE", "meeting"), ("GRUPPER", None), ("IP", "document")):
        streamed = select_quotes(iter(notes), book, theme, by=by, limit=2)
        assert streamed == select_quotes(notes, book, theme, by=by, limit=2) and streamed.segments > 0
    assert select_quotes(iter_folder(coded), book, "INFO") == select_quotes(notes, book, "INFO")
    with pytest.raises(DialogtoolError, match="no metadata field 'colour'"):
        select_quotes(iter(notes), book, "KE", by="colour")


@pytest.mark.parametrize("limit", [1, 2, 3, 10])
def test_one_pass_chooses_what_one_selection_per_theme_chooses(coded: Path, limit: int) -> None:
    """`report` streams the notes once through `ReportQuotes`, which keeps only the best candidates
    per theme: it must choose exactly what `select_quotes` theme by theme chooses over every note,
    counts and order included. The sample is read three times under other names, so candidates
    tie on terms and words across documents and every theme has more than it keeps."""
    book = load_codebook(CODEBOOK)
    notes = [replace(note, document=f"{note.document}-{copy}") for copy in "cab" for note in load_folder(coded)]
    chooser = ReportQuotes(book, limit)
    for note in notes:
        chooser.add(note)
    expected = report_quotes(lambda: iter(notes), book, limit)
    assert chooser.unique_keys and chooser.selections(lambda: pytest.fail("read again")) == expected
    shown = [q for selection in expected for group in selection.groups for q in group.quotes]
    assert len({q.key for q in shown}) == len(shown) > 0
    themes = [c.id for c in book.top_level]
    later = [
        q
        for n, theme in enumerate(themes)
        for q in shown
        if q.codes[0].split(".")[0] == theme and any(c.split(".")[0] in themes[n + 1 :] for c in q.all_codes)
    ]
    assert later, "no quote shown under one theme was left out of a later one: the exclusion is untested"
    assert max(g.total for s in expected for g in s.groups) > 2 * limit * len(themes)  # candidates were trimmed


def test_one_pass_reads_again_when_notes_share_keys(tmp_path: Path) -> None:
    """Copied notes keep their `document`, so segments share keys and the one-pass count of what
    a theme lost to earlier themes would be wrong: the chooser then reads the notes again."""
    book = load_codebook(CODEBOOK)
    for path in sorted((ROOT / "data" / "coded").glob("*.yaml")):
        for copy in range(4):
            shutil.copy(path, tmp_path / f"{path.stem} copy {copy}.yaml")
    notes = load_folder(tmp_path)
    reads = []

    def read_again():
        reads.append(1)
        return iter(notes)

    for limit in (1, 2, 3):
        chooser = ReportQuotes(book, limit)
        for note in notes:
            chooser.add(note)
        assert not chooser.unique_keys
        assert chooser.selections(read_again) == report_quotes(lambda: iter(notes), book, limit)
    assert len(reads) == 3 * len(book.top_level)  # once per theme
    with pytest.raises(DialogtoolError, match="at least 1"):
        ReportQuotes(book, 0)
