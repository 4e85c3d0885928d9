"""Theme tables checked against counts made here from the YAML files directly.

The reference tally (`_tally`) reads the coded files with yaml.safe_load and plain
loops: codes + review.add - review.remove, children rolled up by splitting at '.'.
It shares no code with `dialogtool.tables`, so a bug there cannot hide in both.
"""

from __future__ import annotations

import csv
import io
import shutil
from collections import Counter, defaultdict
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook
from typer.testing import CliRunner

from dialogtool.analysis.cooccur import cooccurrence
from dialogtool.analysis.tables import MISSING, TOTAL, theme_table
from dialogtool.cli import app
from dialogtool.coded.folder import CACHE, CODES_INDEX, PACK, DocumentCodes, load_codes, load_folder, segments_of
from dialogtool.coded.workdir import cache_path
from dialogtool.coding.codebook import load_codebook
from dialogtool.coding.run import code_paths
from dialogtool.errors import DialogtoolError
from dialogtool.output import delimited, markdown, terminal, xlsx

ROOT = Path(__file__).resolve().parents[1]
CODEBOOK = ROOT / "codebook.yaml"
COUNTS = ("segments", "paragraphs", "documents", "meetings")
runner = CliRunner()


def _edit(path: Path, change) -> None:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _first_with(doc: dict, code: str) -> dict:
    return next(s for s in doc["segments"] if code in (s.get("codes") or []))


def _review(corpus: Path) -> None:
    """Reviewer edits the counts must follow, and one note without a meeting."""

    def narvik(doc: dict) -> None:  # the last segment: every code removed, KE added
        doc["segments"][-1]["review"] = {"add": ["KE"], "remove": list(doc["segments"][-1]["codes"])}

    def bodo(doc: dict) -> None:  # a child code added by hand: rolls up to GRUPPER
        doc["segments"][0]["review"] = {"add": ["GRUPPER.ME"], "remove": []}

    def tromso(doc: dict) -> None:  # a code removed from one segment
        _first_with(doc, "KE")["review"] = {"add": [], "remove": ["KE"]}

    def mo_i_rana(doc: dict) -> None:  # metadata not detected: the meeting is unknown
        doc["meta"]["meeting"] = None

    _edit(corpus / "narvik_bord5.yaml", narvik)
    _edit(corpus / "bodo_2018-10-12_bord2.yaml", bodo)
    _edit(corpus / "tromso_bord1_ke.yaml", tromso)
    _edit(corpus / "Mo_i_Rana_bord_4.yaml", mo_i_rana)


@pytest.fixture(scope="module")
def book():
    return load_codebook(CODEBOOK)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, book) -> Path:
    """The sample notes coded once for this module, with reviews; tests only read it."""
    base = tmp_path_factory.mktemp("tables")
    shutil.copytree(ROOT / "data" / "raw", base / "raw")
    out = base / "coded"
    code_paths([base / "raw"], book, out)
    _review(out)
    return out


@pytest.fixture
def coded(raw_copy: Path, tmp_path: Path, codebook) -> Path:
    """A private coded corpus for tests that change files."""
    out = tmp_path / "coded"
    code_paths([raw_copy], codebook, out)
    _review(out)
    return out


# --- the independent reference -------------------------------------------------------------


def _notes(folder: Path, headings: bool = False) -> list[dict]:
    """Each note's metadata and, per segment, (para, reviewed codes), straight from the YAML;
    heading segments are not units unless `headings`."""
    notes = []
    for path in sorted(folder.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        meta = dict(doc["meta"])
        meta["document"] = doc["document"]
        segments = []
        for seg in doc["segments"]:
            if seg.get("kind") == "heading" and not headings:
                continue
            review = seg.get("review") or {}
            codes = (set(seg.get("codes") or []) | set(review.get("add") or [])) - set(review.get("remove") or [])
            segments.append((seg["para"], codes))
        notes.append({"document": doc["document"], "meta": meta, "segments": segments})
    return notes


def _themes(codes: set[str], level: int) -> set[str]:
    """Level 1: the part before the first '.'; level 2 adds the code itself when it is a child."""
    found = set()
    for code in codes:
        parts = code.split(".")
        found.add(parts[0])
        if level == 2 and len(parts) > 1:
            found.add(parts[0] + "." + parts[1])
    return found


def _value(meta: dict, field: str) -> str:
    value = meta.get(field)
    return MISSING if value is None or value == "" else str(value)


def _tally(folder: Path, count: str, fields: tuple[str, ...], level: int = 1, headings: bool = False):
    """cells[(theme, column)], n[column], totals[theme], n_total: sets of units, then sizes."""
    cells: dict = defaultdict(set)
    n: dict = defaultdict(set)
    totals: dict = defaultdict(set)
    everything: set = set()
    notes = _notes(folder, headings)
    topics = _topic_names(notes)
    for note in notes:
        column = tuple(
            topics.get(_value(note["meta"], f), _value(note["meta"], f)) if f == "topic" else _value(note["meta"], f)
            for f in fields
        )
        column = column[0] if len(fields) == 1 else column
        for position, (para, codes) in enumerate(note["segments"]):
            unit = {
                "segments": (note["document"], position),
                "paragraphs": (note["document"], para),
                "documents": note["document"],
                "meetings": _value(note["meta"], "meeting"),
            }[count]
            n[column].add(unit)
            everything.add(unit)
            for theme in _themes(codes, level):
                cells[(theme, column)].add(unit)
                totals[theme].add(unit)
        if not note["segments"] and count in ("documents", "meetings"):
            unit = note["document"] if count == "documents" else _value(note["meta"], "meeting")
            n[column].add(unit)
            everything.add(unit)
    size = lambda d: defaultdict(int, {k: len(v) for k, v in d.items()})  # noqa: E731
    return size(cells), size(n), size(totals), len(everything)


def _topic_names(notes: list[dict]) -> dict[str, str]:
    """The reference for merged topics: the codebook's `topics:` variants, else spellings equal
    but for case and spaces, shown as the most frequent one with a capital first letter."""
    listed = yaml.safe_load(Path("codebook.yaml").read_text(encoding="utf-8")).get("topics") or {}
    by_variant = {v.lower(): name for name, variants in listed.items() for v in variants}
    groups: dict[str, Counter] = defaultdict(Counter)
    for note in notes:
        topic = note["meta"].get("topic")
        if topic:
            groups[" ".join(str(topic).split()).lower()][str(topic)] += 1
    names = {}
    for key, spellings in groups.items():
        best = sorted(spellings.items(), key=lambda item: (-item[1], item[0]))[0][0]
        name = by_variant.get(key) or " ".join(best.split())[0].upper() + " ".join(best.split())[1:]
        names.update({spelling: name for spelling in spellings})
    return names


N_WORDS = {"segments": "segmenter", "paragraphs": "avsnitt", "documents": "notater", "meetings": "dialogmøter"}


def _pct_ok(actual: float, part: int, whole: int) -> bool:
    """A percentage rounded to one decimal; 0 when the base is 0."""
    exact = 100 * part / whole if whole else 0.0
    return abs(actual - exact) <= 0.05 + 1e-9


def _codebook_rows(book, level: int) -> list[str]:
    return [c.id for c in book.codes if level == 2 or c.parent is None]


def _check_table(table, book, folder: Path, count: str, fields: tuple[str, ...], level: int = 1) -> None:
    """Every cell, N, total and percentage of `table` against the reference tally."""
    cells, n, totals, n_total = _tally(folder, count, fields, level)
    rows = {row.id: row.name for row in table.rows}
    assert set(_codebook_rows(book, level)) <= set(rows)
    assert set(totals) <= set(rows)
    columns = [c for c in table.counts.columns if c != TOTAL and c != (TOTAL, "")]
    assert sorted(columns) == sorted(n)
    n_row = table.counts.index[-1]
    assert n_row == f"N ({N_WORDS[count]})"
    total_column = table.counts.columns[-1]
    assert not table.counts.isna().any().any()
    for code, name in rows.items():
        for column in columns:
            assert table.counts.at[name, column] == cells[(code, column)], (code, column)
            if table.percent == "col":
                assert _pct_ok(table.percents.at[name, column], cells[(code, column)], n[column]), (code, column)
            elif table.percent == "row":
                assert _pct_ok(table.percents.at[name, column], cells[(code, column)], totals[code]), (code, column)
        assert table.counts.at[name, total_column] == totals[code], code
    for column in columns:
        assert table.counts.at[n_row, column] == n[column]
    assert table.counts.at[n_row, total_column] == n_total
    if table.percents is not None:
        assert not table.percents.isna().any().any()


# --- library ---------------------------------------------------------------------------------


@pytest.mark.parametrize("by", ["meeting", "language", "table", "document"])
@pytest.mark.parametrize("count", COUNTS)
def test_one_way_counts_match_independent_tally(corpus: Path, book, by: str, count: str) -> None:
    table = theme_table(load_codes(corpus), book, by=by, count=count)
    assert table.percent == "col" and table.split is None
    _check_table(table, book, corpus, count, (by,))


@pytest.mark.parametrize(("by", "split"), [("meeting", "language"), ("language", "table"), ("topic", "date")])
@pytest.mark.parametrize("count", COUNTS)
def test_two_way_counts_match_independent_tally(corpus: Path, book, by: str, split: str, count: str) -> None:
    table = theme_table(load_codes(corpus), book, by=by, split=split, count=count)
    assert list(table.counts.columns.names) == [by, split]
    assert table.counts.columns[-1] == (TOTAL, "")
    _check_table(table, book, corpus, count, (by, split))


@pytest.mark.parametrize("count", COUNTS)
@pytest.mark.parametrize("percent", ["col", "row"])
def test_level_2_counts_children_under_their_theme(corpus: Path, book, count: str, percent: str) -> None:
    table = theme_table(load_codes(corpus), book, by="language", count=count, level=2, percent=percent)
    _check_table(table, book, corpus, count, ("language",), level=2)
    ids = [row.id for row in table.rows]
    assert ids == [c.id for c in book.codes]  # codebook order: each parent, then its children
    assert {row.id: row.depth for row in table.rows}["GRUPPER.ME"] == 2
    assert {row.id: row.depth for row in table.rows}["GRUPPER"] == 1


@pytest.mark.parametrize("count", COUNTS)
def test_row_percentages(corpus: Path, book, count: str) -> None:
    table = theme_table(load_codes(corpus), book, by="table", count=count, percent="row")
    _check_table(table, book, corpus, count, ("table",))
    _, n, totals, n_total = _tally(corpus, count, ("table",))
    for row in table.rows:
        assert table.percents.at[row.name, TOTAL] == (100.0 if totals[row.id] else 0.0)
    for column, size in n.items():  # the N row: each column's share of all units
        assert _pct_ok(table.percents.at[f"N ({N_WORDS[count]})", column], size, n_total)


def test_no_percentages(corpus: Path, book) -> None:
    table = theme_table(load_codes(corpus), book, by="language", count="paragraphs", percent="none")
    assert table.percents is None
    _check_table(table, book, corpus, "paragraphs", ("language",))
    rows = list(csv.reader(io.StringIO(delimited.theme_csv(table))))
    assert rows[0] == ["Tema", "nb", "nn", TOTAL]
    assert "%" not in markdown.theme_markdown(table) and "(" not in markdown.theme_markdown(table).split("\n")[2]


def test_meetings_are_counted_once_in_the_total(corpus: Path, book) -> None:
    """Førde's two notes sit at tables 1 and 3: the meeting counts in both columns, once in Totalt."""
    table = theme_table(load_codes(corpus), book, by="table", count="meetings")
    _check_table(table, book, corpus, "meetings", ("table",))
    n_total = _tally(corpus, "meetings", ("table",))[3]
    meetings = {_value(note["meta"], "meeting") for note in _notes(corpus)}
    assert n_total == len(meetings) and MISSING in meetings  # Mo i Rana's meeting was blanked
    assert table.counts.at["N (dialogmøter)", TOTAL] == len(meetings)
    assert table.counts.loc["N (dialogmøter)"].iloc[:-1].sum() > len(meetings)


@pytest.mark.parametrize("level", [1, 2])
def test_sort_by_frequency(corpus: Path, book, level: int) -> None:
    table = theme_table(load_codes(corpus), book, by="meeting", count="segments", level=level, sort="freq")
    _check_table(table, book, corpus, "segments", ("meeting",), level)
    _, _, totals, _ = _tally(corpus, "segments", ("meeting",), level)
    position = {c.id: i for i, c in enumerate(book.codes)}
    tops = [c.id for c in book.codes if c.parent is None]
    expected = sorted(tops, key=lambda t: (-totals[t], position[t]))
    if level == 2:
        children = {top: [c.id for c in book.codes if c.parent == top] for top in tops}
        expected = [
            code for top in expected for code in [top, *sorted(children[top], key=lambda c: (-totals[c], position[c]))]
        ]
    assert [row.id for row in table.rows] == expected
    ordered = [table.counts.at[row.name, TOTAL] for row in table.rows if row.depth == 1]
    assert ordered == sorted(ordered, reverse=True)


def test_ids_name_the_rows(corpus: Path, book) -> None:
    by_label = theme_table(load_codes(corpus), book, by="meeting", level=2)
    by_id = theme_table(load_codes(corpus), book, by="meeting", level=2, ids=True)
    assert list(by_id.counts.index[:-1]) == [c.id for c in book.codes]
    assert by_id.counts.index.name == "Kode"
    assert list(by_label.counts.index[:-1]) == [c.label for c in book.codes]
    assert (by_id.counts.to_numpy() == by_label.counts.to_numpy()).all()
    _check_table(by_id, book, corpus, "segments", ("meeting",), 2)


def test_reviewer_edit_changes_the_table(corpus: Path, book) -> None:
    table = theme_table(load_codes(corpus), book, by="meeting")
    assert table.counts.at[book.label("KE"), "Narvik"] == 1  # the review added KE to one segment


def test_children_roll_up_to_their_theme(corpus: Path, book) -> None:
    segments = segments_of(load_folder(corpus))
    assert [s for s in segments if any(c.startswith("GRUPPER.") for c in s.codes)]
    table = theme_table(load_codes(corpus), book, by="language")
    assert book.label("GRUPPER.ME") not in table.counts.index
    grupper = sum(1 for s in segments if s.kind != "heading" and any(c.split(".")[0] == "GRUPPER" for c in s.codes))
    assert table.counts.at[book.label("GRUPPER"), TOTAL] == grupper


def test_unknown_code_from_a_review_gets_its_own_row(coded: Path, codebook) -> None:
    def add(doc: dict) -> None:
        text = next(seg for seg in doc["segments"] if seg.get("kind") != "heading")  # headings are not counted
        text.update(review={"add": ["KE.NY"], "remove": []})

    _edit(coded / "harstad_bord3.yaml", add)
    table = theme_table(load_codes(coded), codebook, by="meeting", level=2)
    ids = [row.id for row in table.rows]
    assert ids.index("KE.NY") == ids.index("KE") + 1  # under its parent, after the codebook's children
    assert table.counts.at["KE.NY", "Harstad"] == 1
    _check_table(table, codebook, coded, "segments", ("meeting",), 2)


def test_user_errors(corpus: Path, book) -> None:
    documents = load_codes(corpus)
    with pytest.raises(DialogtoolError, match="no metadata field 'colour'"):
        theme_table(documents, book, by="colour")
    with pytest.raises(DialogtoolError, match="no metadata field 'colour'"):
        theme_table(documents, book, split="colour")
    with pytest.raises(DialogtoolError, match="--split must be another field"):
        theme_table(documents, book, by="meeting", split="meeting")
    for option, value in (("count", "words"), ("percent", "total"), ("sort", "alpha"), ("level", 3)):
        with pytest.raises(DialogtoolError, match=f"--{option} must be one of"):
            theme_table(documents, book, **{option: value})


# --- the codes index ------------------------------------------------------------------------


def test_indexes_follow_edits_and_removals(coded: Path, codebook) -> None:
    """The cached indexes never serve a stale coding: edits and deletions show at once."""
    first = {d.document: d for d in load_codes(coded)}
    assert cache_path(coded, CODES_INDEX).exists()
    path = coded / "harstad_bord3.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["segments"][0]["review"] = {"add": ["GRUPPER.ME"], "remove": []}
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False) + "# edited\n", encoding="utf-8")
    (coded / "tromso_bord1_ke.yaml").unlink()
    second = {d.document: d for d in load_codes(coded)}
    assert "tromso_bord1_ke" in first and "tromso_bord1_ke" not in second
    assert "GRUPPER.ME" in second["harstad_bord3"].codes[0]
    assert "GRUPPER.ME" not in first["harstad_bord3"].codes[0]
    full = {d.document: d for d in load_folder(coded)}
    review = full["harstad_bord3"].segments[0].review
    assert review is not None and review.add == ("GRUPPER.ME",)
    cache_path(coded, CODES_INDEX).write_text("{not json", encoding="utf-8")  # a damaged index is rebuilt
    assert {d.document for d in load_codes(coded)} == set(second)


def test_index_keeps_paragraphs_and_old_indexes_are_rebuilt(coded: Path) -> None:
    import json

    load_codes(coded)
    index = json.loads(cache_path(coded, CODES_INDEX).read_text(encoding="utf-8"))
    old = {"version": 1, "files": {}}
    for name, (stamp, packed) in index["files"].items():  # what version 1 wrote: no paragraphs
        old["files"][name] = [stamp, {k: v for k, v in packed.items() if k != "paras"}]
    cache_path(coded, CODES_INDEX).write_text(json.dumps(old), encoding="utf-8")
    documents = {d.document: d for d in load_codes(coded)}
    for note in _notes(coded, headings=True):  # the index keeps every segment; tables leave headings out
        assert documents[note["document"]].paras == tuple(p for p, _ in note["segments"])


def test_index_is_read_entry_by_entry_and_written_back_whole(coded: Path) -> None:
    """The index is decoded one entry at a time (all at once took 75 MiB at 10,000 notes); after an
    edit it is written back as `json.dumps` writes the whole index, with the edited note's new entry,
    and reading it again parses nothing and gives what parsing every file gives."""
    import json

    from dialogtool.coded.folder import pack_codes
    from dialogtool.coded.store import load_coded

    load_codes(coded)
    index = cache_path(coded, CODES_INDEX)
    _edit(coded / "harstad_bord3.yaml", lambda doc: doc["segments"][0].update(review={"add": ["KE"], "remove": []}))
    (coded / "tromso_bord1_ke.yaml").unlink()
    edited = load_codes(coded)
    text = index.read_text(encoding="utf-8")
    whole = json.loads(text)
    assert text == json.dumps(whole, ensure_ascii=False)
    files = sorted(coded.glob("*.yaml"))
    assert list(whole["files"]) == [p.name for p in files] and len(files) == 7
    assert whole["files"]["harstad_bord3.yaml"][1] == pack_codes(load_coded(coded / "harstad_bord3.yaml"))
    heard: list[str] = []
    assert load_codes(coded, progress=lambda _, __, name: heard.append(name)) == edited and heard == []
    index.unlink()
    assert load_codes(coded) == edited


def test_index_damaged_midway_keeps_the_entries_before_the_damage(coded: Path) -> None:
    """An index cut off in the middle (a full disk) still serves the entries before the cut; the
    notes after it are parsed, and the index is whole again."""
    import json

    expected = load_codes(coded)
    index = cache_path(coded, CODES_INDEX)
    text = index.read_text(encoding="utf-8")
    cut = text.index('"narvik_bord5.yaml"')
    index.write_text(text[: cut + 40], encoding="utf-8")
    heard: list[str] = []
    assert load_codes(coded, progress=lambda _, __, name: heard.append(name)) == expected
    names = sorted(p.name for p in coded.glob("*.yaml"))
    assert heard == [n for n in names if n >= "narvik_bord5.yaml"] and 0 < len(heard) < len(names)
    assert index.read_text(encoding="utf-8") == text and json.loads(text)["version"] > 0


def test_segment_without_paragraph_is_a_paragraph_of_its_own(coded: Path, codebook) -> None:
    def drop(doc: dict) -> None:
        for seg in doc["segments"][:3]:
            del seg["para"]

    _edit(coded / "harstad_bord3.yaml", drop)
    harstad = {d.document: d for d in load_codes(coded)}["harstad_bord3"]
    assert len(set(harstad.paras)) == len(set(harstad.paras[3:])) + 3
    table = theme_table(load_codes(coded), codebook, by="document", count="paragraphs", headings=True)
    assert table.counts.at["N (avsnitt)", "harstad_bord3"] == len(set(harstad.paras))


# --- rendering ------------------------------------------------------------------------------


def test_two_way_markdown_csv_and_terminal(corpus: Path, book) -> None:
    table = theme_table(load_codes(corpus), book, by="language", split="table", count="documents")
    md = markdown.theme_markdown(table).splitlines()
    assert md[0] == "| Tema | nb |  |  |  |  |  | nn |  | Totalt |"
    assert md[2] == "|  | *1* | *2* | *3* | *4* | *5* | *(ukjent)* | *1* | *3* |  |"
    assert md[3].startswith("| Koordinerende enhet | ")
    rows = list(csv.reader(io.StringIO(delimited.theme_csv(table))))
    assert rows[0][:5] == ["Tema", "nb / 1", "nb / 1 %", "nb / 2", "nb / 2 %"]
    assert rows[0][-2:] == [TOTAL, f"{TOTAL} %"]
    cells, _, _, n_total = _tally(corpus, "documents", ("language", "table"))
    header = rows[0]
    for row in rows[1:-1]:
        code = next(r.id for r in table.rows if r.name == row[0])
        for i in range(1, len(header) - 2, 2):
            language, value = header[i].split(" / ")
            assert int(row[i]) == cells[(code, (language, value))]
    assert rows[-1][0] == "N (notater)" and int(rows[-1][-2]) == n_total
    from rich.console import Console

    console = Console(width=200, record=True)
    console.print(terminal.theme_rich(table))
    text = console.export_text()
    assert "Tema etter språk × bord — notater (prosent av kolonnen)" in text
    lines = text.splitlines()
    top = next(i for i, line in enumerate(lines) if " nb " in line and " nn " in line)
    assert "Tema" in lines[top + 1] and "(ukjent)" in lines[top + 1]  # the second header line


def test_level_2_rendering_indents_children(corpus: Path, book, tmp_path: Path) -> None:
    table = theme_table(load_codes(corpus), book, by="language", level=2)
    rows = list(csv.reader(io.StringIO(delimited.theme_csv(table))))
    names = [r[0] for r in rows[1:-1]]
    assert names[names.index("Brukergrupper med udekkede behov") + 1] == "  CFS/ME"
    assert "| \u2003CFS/ME |" in markdown.theme_markdown(table)
    target = tmp_path / "level2.xlsx"
    xlsx.theme_xlsx(table, target)
    sheet = load_workbook(target).active
    column = [c.value for c in sheet["A"]]
    child = sheet.cell(column.index("CFS/ME") + 1, 1)
    assert child.alignment.indent == 2
    assert sheet.cell(column.index("Kompetanse") + 1, 1).alignment.indent == 0


def test_xlsx_two_way_header_and_numbers(corpus: Path, book, tmp_path: Path) -> None:
    table = theme_table(load_codes(corpus), book, by="language", split="table", count="paragraphs")
    target = tmp_path / "two-way.xlsx"
    xlsx.theme_xlsx(table, target)
    sheet = load_workbook(target).active
    assert sheet["A1"].value == "Tema" and sheet["A1"].font.bold
    assert sheet["B1"].value == "nb" and sheet["B1"].font.bold
    assert [sheet.cell(2, c).value for c in range(2, 6)] == ["1", "1 %", "2", "2 %"]
    assert all(sheet.cell(2, c).font.bold for c in range(2, sheet.max_column + 1))
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert "A1:A2" in merged and "B1:M1" in merged  # nb: six tables × (count, %)
    assert sheet["A3"].value == "Koordinerende enhet"
    cells, n, _, n_total = _tally(corpus, "paragraphs", ("language", "table"))
    assert sheet["B3"].value == cells[("KE", ("nb", "1"))] and isinstance(sheet["B3"].value, int)
    assert isinstance(sheet["C3"].value, float) and sheet["C3"].number_format == "0.0"
    assert _pct_ok(sheet["C3"].value, cells[("KE", ("nb", "1"))], n[("nb", "1")])
    last = sheet.max_row
    assert sheet.cell(last, 1).value == "N (avsnitt)" and sheet.cell(last, sheet.max_column - 1).value == n_total
    assert sheet.freeze_panes == "B3"
    assert sheet.column_dimensions["A"].width >= len("Brukergrupper med udekkede behov")


# --- the command ----------------------------------------------------------------------------


def _run(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def test_cli_table_options(corpus: Path, book, tmp_path: Path) -> None:
    result = _run(
        "table", "--coded", corpus, "-c", CODEBOOK, "--by", "meeting", "--split", "language",
        "--count", "meetings", "--level", "2", "--percent", "row", "--sort", "freq", "--ids", "-f", "csv",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0][0] == "Kode" and rows[0][1] == "Bodø / nb" and rows[0][2] == "Bodø / nb %"
    cells, _, totals, _ = _tally(corpus, "meetings", ("meeting", "language"), 2)
    for row in rows[1:-1]:
        code = row[0].strip()
        for i in range(1, len(rows[0]) - 2, 2):
            column = tuple(rows[0][i].split(" / "))
            assert int(row[i]) == cells[(code, column)]
            assert _pct_ok(float(row[i + 1]), cells[(code, column)], totals[code])
        assert int(row[-2]) == totals[code]
    top_totals = [int(r[-2]) for r in rows[1:-1] if not r[0].startswith(" ")]
    assert top_totals == sorted(top_totals, reverse=True)
    target = tmp_path / "t.xlsx"
    xlsx = _run("table", "--coded", corpus, "-c", CODEBOOK, "--by", "language", "--percent", "none", "-f", "xlsx",
                "-o", target)  # fmt: skip
    assert xlsx.exit_code == 0 and f"Wrote {target}" in xlsx.stderr
    sheet = load_workbook(target).active
    assert [c.value for c in sheet[1]] == ["Tema", "nb", "nn", TOTAL] and all(c.font.bold for c in sheet[1])
    assert all(isinstance(c.value, int) for row in sheet.iter_rows(min_row=2, min_col=2) for c in row)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--count", "words"], "'words' is not one of 'segments', 'paragraphs', 'documents', 'meetings'"),
        (["--level", "3"], "--level must be one of 1, 2"),
        (["--percent", "all"], "Invalid value for '--percent': 'all' is not one of 'col', 'row', 'none'"),
        (["--sort", "alpha"], "Invalid value for '--sort': 'alpha' is not one of 'codebook', 'freq'"),
        (["--split", "meeting"], "--split must be another field"),
        (["--split", "colour"], "no metadata field 'colour'"),
        (["-f", "html"], "'html' is not one of 'terminal', 'md', 'csv', 'xlsx'. (see dialogtool table --help)"),
        (["-o", "x.md"], "--output needs --format md, csv, xlsx"),
    ],
)
def test_cli_table_errors_are_one_line(corpus: Path, args: list[str], message: str) -> None:
    result = _run("table", "--coded", corpus, "-c", CODEBOOK, *args)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_code_records_the_codes_index_it_would_have_built(raw_copy: Path, tmp_path: Path, codebook) -> None:
    """`code` fills the codes index as it writes; it must equal what parsing the files gives."""
    out = tmp_path / "coded"
    code_paths([raw_copy], codebook, out, jobs=2)
    index = cache_path(out, CODES_INDEX)
    assert index.exists()
    recorded = load_codes(out)
    index.unlink()
    parsed = load_codes(out)
    assert recorded == parsed and len(parsed) == 8


def test_note_cache_equals_parsing(raw_copy: Path, tmp_path: Path, codebook) -> None:
    """The per-note cache load_folder keeps equals what parsing the YAML gives, reviews included."""
    import shutil

    out = tmp_path / "coded"
    code_paths([raw_copy], codebook, out, jobs=1)
    path = out / "bodo_2018-10-12_bord2.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["segments"][2]["review"] = {"add": ["INFO"], "remove": [], "note": "sjekk"}
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    code_paths([raw_copy], codebook, out, jobs=1, force=True)  # re-coded: the review is carried over
    assert len(list(cache_path(out, CACHE).glob(f"*{PACK}"))) == 1  # the first run's pack is stale: removed
    cached = load_folder(out)
    shutil.rmtree(cache_path(out, CACHE))
    parsed = load_folder(out)
    assert cached == parsed
    bodo = next(d for d in parsed if d.document == "bodo_2018-10-12_bord2")
    review = bodo.segments[2].review
    assert review is not None and review.note == "sjekk"


@pytest.mark.parametrize("jobs", [1, 2])
def test_code_writes_the_note_cache(raw_copy: Path, tmp_path: Path, codebook, jobs: int, monkeypatch) -> None:
    """`code` leaves each note's parsed form in the cache, so the first `report` parses nothing;
    what it left equals what parsing the files gives."""
    from dialogtool.coded import folder

    out = tmp_path / "coded"
    code_paths([raw_copy], codebook, out, jobs=jobs)
    assert len(list(cache_path(out, folder.CACHE).glob(f"*{PACK}"))) == 1  # one pack a run, not a file a note

    def no_parsing(path: Path) -> None:
        raise AssertionError(f"parsed {path}: the cache `code` wrote should have been used")

    with monkeypatch.context() as patch:
        patch.setattr(folder, "load_coded", no_parsing)
        cached = load_folder(out)
    shutil.rmtree(cache_path(out, folder.CACHE))
    assert cached == load_folder(out) and len(cached) == 8


def _parsed_while(out: Path, monkeypatch) -> tuple[list, list[str]]:
    """`load_folder(out)` and the names of the files it had to parse (not found in a cache)."""
    from dialogtool.coded import folder

    parsed: list[str] = []
    load = folder.load_coded

    def counting(path: Path):
        parsed.append(path.name)
        return load(path)

    with monkeypatch.context() as patch:
        patch.setattr(folder, "load_coded", counting)
        notes = load_folder(out)
    return notes, parsed


def test_a_torn_pack_line_is_parsed_again(raw_copy: Path, tmp_path: Path, codebook, monkeypatch) -> None:
    """A run killed while appending leaves a torn last line: that note is parsed, the others come
    from the pack, and what is read equals what parsing gives."""
    out = tmp_path / "coded"
    code_paths([raw_copy], codebook, out, jobs=1)
    (pack,) = cache_path(out, CACHE).glob(f"*{PACK}")
    data = pack.read_bytes()
    pack.write_bytes(data[: len(data) - 100])
    notes, parsed = _parsed_while(out, monkeypatch)
    assert parsed == [sorted(out.glob("*.yaml"))[-1].name]
    shutil.rmtree(cache_path(out, CACHE))
    assert notes == load_folder(out)


def test_a_stopped_run_prunes_nothing(raw_copy: Path, tmp_path: Path, codebook) -> None:
    """A pack closed by Ctrl-C removes no older pack (that waits for the next whole run), even
    one whose every line it replaced; its own lines are read all the same."""
    from dialogtool.coded.folder import NotePack, cache_line

    out = tmp_path / "coded"
    code_paths([raw_copy], codebook, out, jobs=1)
    (older,) = cache_path(out, CACHE).glob(f"*{PACK}")
    notes = load_folder(out)
    with pytest.raises(KeyboardInterrupt), NotePack(out) as pack:
        for path, note in zip(sorted(out.glob("*.yaml")), notes, strict=True):
            stat = path.stat()
            pack.add(path.name, cache_line(path.name, [stat.st_mtime_ns, stat.st_size], note))
        raise KeyboardInterrupt
    assert older.exists() and len(list(cache_path(out, CACHE).glob(f"*{PACK}"))) == 2
    assert load_folder(out) == notes


def test_packs_kept_while_needed(raw_copy: Path, tmp_path: Path, codebook, monkeypatch) -> None:
    """A run that re-codes some notes adds a pack beside the older one, whose other lines are still
    read; a run that re-codes every note leaves its own pack only, and a reader's cache file of a
    note `code` re-coded since is removed."""
    out = tmp_path / "coded"
    code_paths([raw_copy], codebook, out, jobs=1)
    first = sorted(raw_copy.glob("*.txt"))[0]
    first.write_bytes(first.read_bytes() + b"\r\nTilleggspunkt om koordinator.\r\n")  # ASCII: any encoding
    code_paths([raw_copy], codebook, out, jobs=1)
    assert len(list(cache_path(out, CACHE).glob(f"*{PACK}"))) == 2
    assert _parsed_while(out, monkeypatch)[1] == []
    edited = sorted(out.glob("*.yaml"))[1]
    edited.write_text(edited.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # a reviewer's save
    assert _parsed_while(out, monkeypatch)[1] == [edited.name]  # and cached in a file of its own
    assert (cache_path(out, CACHE) / f"{edited.name}.json").exists()
    code_paths([raw_copy], codebook, out, jobs=1, force=True)
    assert [p.suffix for p in cache_path(out, CACHE).iterdir()] == [PACK]
    notes, parsed = _parsed_while(out, monkeypatch)
    assert parsed == [] and len(notes) == 8


# --- what is counted (issue 12) -------------------------------------------------------------


def _direct_tally(folder: Path, headings: bool) -> tuple[Counter, int]:
    """Segments per theme counting only codes not derived from context (a reviewer's add is direct)."""
    themes: Counter = Counter()
    units = 0
    for path in sorted(folder.glob("*.yaml")):
        for seg in yaml.safe_load(path.read_text(encoding="utf-8"))["segments"]:
            if seg.get("kind") == "heading" and not headings:
                continue
            units += 1
            review = seg.get("review") or {}
            codes = (set(seg.get("codes") or []) | set(review.get("add") or [])) - set(review.get("remove") or [])
            derived = set(seg.get("context") or {}) - set(review.get("add") or [])
            themes.update({c.split(".")[0] for c in codes - derived})
    return themes, units


@pytest.mark.parametrize("headings", [False, True])
def test_evidence_direct_leaves_out_codes_from_context(corpus: Path, book, headings: bool) -> None:
    direct = theme_table(load_codes(corpus), book, by="meeting", evidence="direct", headings=headings)
    every = theme_table(load_codes(corpus), book, by="meeting", headings=headings)
    themes, units = _direct_tally(corpus, headings)
    labels = {row.id: row.name for row in direct.rows}
    for code in ("KE", "IP", "INFO", "KOMP", "GRUPPER"):
        assert direct.counts.at[labels[code], TOTAL] == themes[code]
        assert direct.counts.at[labels[code], TOTAL] <= every.counts.at[labels[code], TOTAL]
    assert direct.counts.iloc[-1][TOTAL] == every.counts.iloc[-1][TOTAL] == units  # the same denominator
    assert (direct.counts.iloc[:-1][TOTAL] < every.counts.iloc[:-1][TOTAL]).any()  # context does add codes


def test_headings_are_not_units_unless_included(corpus: Path, book) -> None:
    notes = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(corpus.glob("*.yaml"))]
    headings = sum(1 for n in notes for s in n["segments"] if s.get("kind") == "heading")
    everything = sum(len(n["segments"]) for n in notes)
    assert headings > 0
    without = theme_table(load_codes(corpus), book, by="meeting")
    within = theme_table(load_codes(corpus), book, by="meeting", headings=True)
    assert without.counts.iloc[-1][TOTAL] == everything - headings
    assert within.counts.iloc[-1][TOTAL] == everything
    matrix = cooccurrence(load_codes(corpus), book)
    for row in without.rows:
        assert matrix.at[row.name, row.name] == without.counts.at[row.name, TOTAL]  # one denominator
    result = runner.invoke(app, ["uncoded", "--coded", str(corpus)])
    assert f"of {everything - headings} segments (headings left out)" in result.stderr


def test_cli_evidence_and_include_headings(corpus: Path) -> None:
    args = ["table", "--coded", str(corpus), "-c", str(CODEBOOK), "-f", "csv"]
    plain = list(csv.reader(io.StringIO(runner.invoke(app, args).stdout)))
    direct = list(csv.reader(io.StringIO(runner.invoke(app, [*args, "--evidence", "direct"]).stdout)))
    both = list(csv.reader(io.StringIO(runner.invoke(app, [*args, "--include-headings"]).stdout)))
    assert plain[-1][-2] == direct[-1][-2] and int(both[-1][-2]) > int(plain[-1][-2])
    terminal = runner.invoke(app, [*args[:-2], "--evidence", "direct", "--include-headings"])
    assert "segmenter, med overskrifter, bare direkte koder" in terminal.stdout  # the title says what was counted
    assert sum(int(r[-2]) for r in direct[1:-1]) < sum(int(r[-2]) for r in plain[1:-1])


def test_topics_written_differently_are_one_column(codebook) -> None:
    from dialogtool.coding.codebook import parse_codebook

    notes = [
        DocumentCodes(name, {"topic": topic}, ("s",), (("KE",),))
        for name, topic in (("a", "Kompetanse"), ("b", "kompetanse "), ("c", "kompetanse"), ("d", "Opplæring"))
    ]
    merged = theme_table(notes, codebook, by="topic")
    assert list(merged.counts.columns) == ["Kompetanse", "Opplæring", TOTAL]  # case and spaces folded
    assert merged.counts.at["N (segmenter)", "Kompetanse"] == 3
    text = Path(codebook.path).read_text(encoding="utf-8")
    mapped = parse_codebook(text.replace("topics:\n", "topics:\n  Kompetanse: [Opplæring]\n"))
    table = theme_table(notes, mapped, by="topic")
    assert list(table.counts.columns) == ["Kompetanse", TOTAL] and table.counts.iloc[-1]["Kompetanse"] == 4


def test_load_codes_reports_each_note_it_parses(coded: Path) -> None:
    """The first `table` shows progress over the notes not yet in the index; later ones parse none."""
    heard: list[tuple[int, int, str]] = []
    cache_path(coded, CODES_INDEX).unlink(missing_ok=True)
    load_codes(coded, progress=lambda done, total, name: heard.append((done, total, name)))
    files = sorted(p.name for p in coded.glob("*.yaml"))
    assert [name for _, _, name in heard] == files
    assert [done for done, _, _ in heard] == list(range(len(files))) and {t for _, t, _ in heard} == {len(files)}
    heard.clear()
    load_codes(coded, progress=lambda done, total, name: heard.append((done, total, name)))
    assert heard == []
