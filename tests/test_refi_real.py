"""REFI-QDA import and export against files real programs wrote (../shared/refi-qda/real).

NVivo, MAXQDA, ATLAS.ti, Taguette, qc and QualCoder exports, described in that folder's
README. They are not part of this repository; every test here skips when it is absent.
Expected values are computed from the files themselves, independently of the code under
test: NVivo's recorded text is the source sliced in UTF-16 code units (Python's own
UTF-16 codec), a QualCoder selection's recorded text is its name.
"""

from __future__ import annotations

import functools
import re
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dialogtool.analysis.agree import agreement
from dialogtool.analysis.codings import load_coding
from dialogtool.cli import app
from dialogtool.coded.folder import load_folder
from dialogtool.coded.note import CodedNote, CodedSegment
from dialogtool.coded.store import dump_note
from dialogtool.coding.codebook import load_codebook
from dialogtool.errors import DialogtoolError
from dialogtool.exchange.align import align
from dialogtool.exchange.positions import UTF16, Convention, decide, view
from dialogtool.exchange.refi import import_qdc, import_qdpx
from dialogtool.ingest.note import read_note

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "refi-qda" / "real"
Q = "{urn:QDA-XML:project:1.0}"

pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/refi-qda/real is not beside the repository")

FILES = sorted(p.name for p in REAL.iterdir() if p.suffix in {".qdpx", ".qdc", ".qde"}) if REAL.is_dir() else []
NVIVO = [name for name in FILES if "NVivo" in name and "DEpt" in name]
QUALCODER_EXPORTS = [
    name for name in FILES if name.startswith("roundtrip__QualCoder") and "export-of-dialogtool" in name
]


def project(path: Path) -> tuple[ET.Element, zipfile.ZipFile]:
    archive = zipfile.ZipFile(path)
    name = next(n for n in archive.namelist() if n.lower().endswith(".qde"))
    return ET.fromstring(archive.read(name)), archive


def source_texts(path: Path) -> dict[str, str]:
    """Each text source's name and its plain text as the program wrote it (BOM dropped)."""
    root, archive = project(path)
    members = {n.lower(): n for n in archive.namelist()}
    texts = {}
    for source in root.iter(f"{Q}TextSource"):
        text_path = (source.get("plainTextPath") or "").removeprefix("internal://").lower()
        member = members.get(f"sources/{text_path}") or members.get(text_path)
        name = source.get("name") or Path(text_path).name
        if member and name not in texts:
            texts[name] = archive.read(member).decode("utf-8").removeprefix("\ufeff")
    return texts


def notes_from(texts: dict[str, str], folder: Path) -> list[CodedNote]:
    """Uncoded notes made from the texts, as `code` would segment them; texts our readers
    refuse (an empty file) are left out, as `code` would skip them."""
    folder.mkdir(parents=True, exist_ok=True)
    notes = []
    for name, text in texts.items():
        raw = folder / f"{Path(name).stem}.txt"
        raw.write_text(text, encoding="utf-8")
        try:
            note = read_note(raw)
        except DialogtoolError:
            continue
        segments = tuple(
            CodedSegment(id=s.id, text=s.text, kind=s.kind, para=s.para, span=(s.start, s.end)) for s in note.segments
        )
        notes.append(CodedNote(document=Path(name).stem, segments=segments, source=str(raw)))
    return notes


def words(text: str) -> str:
    return "".join(re.findall(r"\w+", text)).casefold()


@pytest.mark.parametrize("name", FILES)
def test_each_real_file_imports_or_is_refused_with_a_message(name: str, tmp_path: Path) -> None:
    """Codebooks import (the truncated one is refused as bad XML); projects import against
    notes made from their own texts, with their own codebook, every coding mapped, or are
    refused because no source matches (projects without text)."""
    path = REAL / name
    codebook = tmp_path / "codebook.yaml"
    if name.endswith("truncated.qdc"):
        with pytest.raises(DialogtoolError, match="not valid XML"):
            import_qdc(path, codebook)
        return
    if "blank" in name:  # users only: no codebook, no sources
        with pytest.raises(DialogtoolError, match="the project has no codebook"):
            import_qdc(path, codebook)
        with pytest.raises(DialogtoolError, match="no source in the project matches a coded note: "):
            import_qdpx(path, load_folder(ROOT / "data" / "coded"), load_codebook(ROOT / "codebook.yaml"), tmp_path)
        return
    assert import_qdc(path, codebook).codes > 0
    if not name.endswith(".qdpx"):
        return
    notes = notes_from(source_texts(path), tmp_path / "raw")
    book = load_codebook(codebook)
    root, _ = project(path)
    selections = [s for s in root.iter(f"{Q}PlainTextSelection") if s.find(f"{Q}Coding") is not None]
    if not notes:
        with pytest.raises(DialogtoolError, match="no source in the project matches a coded note: "):
            import_qdpx(path, notes, book, tmp_path / "out")
        return
    summary = import_qdpx(path, notes, book, tmp_path / "out")
    assert summary.matched and not summary.invalid
    assert not summary.unmapped_codes  # the project's own codebook: every code maps, by GUID-less path
    matched = {name for name, _ in summary.matched}
    expected = sum(
        len(s.findall(f"{Q}PlainTextSelection/{Q}Coding"))
        for s in root.iter(f"{Q}TextSource")
        if (s.get("name") or Path(s.get("plainTextPath") or "").name) in matched
    )
    assert summary.codings == expected
    if selections:
        assert summary.codings > 0 and summary.outside <= summary.selections // 50


@pytest.mark.parametrize("name", NVIVO)
def test_nvivo_codings_land_on_the_text_nvivo_recorded(name: str) -> None:
    """NVivo counts UTF-16 code units (and a CRLF as two): each selection, carried over to
    our normalised note, covers the same words as NVivo's slice of its own text."""
    root, _ = project(REAL / name)
    checked = 0
    for source, text in source_texts(REAL / name).items():
        element = next(s for s in root.iter(f"{Q}TextSource") if s.get("name") == source)
        selections = [
            (int(s.get("startPosition")), int(s.get("endPosition"))) for s in element.iter(f"{Q}PlainTextSelection")
        ]
        if not selections:
            continue
        convention, _ = decide(root.get("origin"), text, [(*s, "") for s in selections])
        assert convention == Convention(UTF16, 2)  # what the import decides for NVivo's text
        units = text.encode("utf-16-le")
        seen = view(text, convention)
        ours = read_note_text(text)
        alignment = align(seen.text, ours)
        for start, end in selections:
            recorded = units[2 * start : 2 * end].decode("utf-16-le")
            span = alignment.span(*seen.span(start, end))
            assert span is not None
            assert words(ours[span[0] : span[1]]) == words(recorded), (source, start, end)
            checked += 1
    assert checked >= 90


@functools.cache
def read_note_text(text: str) -> str:
    """Our normalised text of a note with this content (read once per test run)."""
    with tempfile.TemporaryDirectory() as folder:
        raw = Path(folder) / "note.txt"
        raw.write_text(text, encoding="utf-8")
        return read_note(raw).text


def unmarked(text: str) -> str:
    """A unit's text without its list mark: the export was made when Word's numbered items still
    read «• …», and today they read «1. …» (issue 12)."""
    return re.sub(r"^(?:• |\d{1,2}[.)] |[a-z][.)] )", "", text)


def recorded_codes(path: Path, notes: dict[str, CodedNote], book_path: Path) -> dict[str, list[set[str]]]:
    """The codes each segment has in a QualCoder export, read from the selections' recorded
    text (their names, the segment's text as we exported it) and the codes' names: no
    positions involved, except to tell apart two segments that contain the same text."""
    book = load_codebook(book_path)
    by_label = {c.label: c.id for c in book.codes}
    root, _ = project(path)
    code_of = {c.get("guid"): by_label[c.get("name")] for c in root.iter(f"{Q}Code")}
    result = {}
    for source in root.iter(f"{Q}TextSource"):
        doc = notes[source.get("name")]
        codes: list[set[str]] = [set() for _ in doc.segments]
        for selection in source.findall(f"{Q}PlainTextSelection"):
            stem = unmarked(selection.get("name").rstrip("…").rstrip())
            hits = [i for i, s in enumerate(doc.segments) if stem in unmarked(s.text)]
            if len(hits) > 1:  # the same words twice: the one nearest the recorded position
                position = int(selection.get("startPosition"))
                hits = [min(hits, key=lambda i: abs((doc.segments[i].span or (0, 0))[0] - position))]
            assert len(hits) == 1, stem
            codes[hits[0]] |= {code_of[r.get("targetGUID")] for r in selection.iter(f"{Q}CodeRef")}
        result[doc.document] = codes
    return result


@pytest.mark.parametrize("name", QUALCODER_EXPORTS)
def test_round_trip_through_qualcoder_agrees_fully(name: str, tmp_path: Path) -> None:
    """Our export, imported into QualCoder and exported again (also with its "MAXQDA line
    endings", a CRLF counted as one): importing it gives every segment the codes QualCoder
    recorded for it, κ = 1 on every theme."""
    coded = ROOT / "data" / "coded"
    notes = {doc.document: doc for doc in load_folder(coded)}
    out = tmp_path / "imported"
    result = CliRunner().invoke(
        app,
        ["import", "qdpx", str(REAL / name), "-o", str(out), "--coded", str(coded), "-c", str(ROOT / "codebook.yaml")],
    )
    assert result.exit_code == 0, result.output
    expected = recorded_codes(REAL / name, notes, ROOT / "codebook.yaml")
    reference = tmp_path / "reference"
    reference.mkdir()
    for document, codes in expected.items():
        doc = notes[document]
        segments = tuple(
            replace(s, codes=tuple(sorted(c)), review=None) for s, c in zip(doc.segments, codes, strict=True)
        )
        (reference / f"{document}.yaml").write_text(dump_note(replace(doc, segments=segments)), encoding="utf-8")
    book = load_codebook(ROOT / "codebook.yaml")
    report = agreement(load_coding(str(reference), coded), load_coding(str(out), coded), book, level=2)
    assert report.segments > 200 and report.overall.both > 150
    for theme, table in report.themes:
        assert table.a_only == table.b_only == 0, theme
    assert report.overall.a_only == report.overall.b_only == 0


def test_duplicate_labels_are_told_apart_by_their_parents(tmp_path: Path) -> None:
    """qc's codebook repeats labels under different parents (10 of 262): each coding goes to
    the code under the parent the project nests it in, not to the first of that label."""
    path = REAL / "derived__qc1.3.2-demo-with-internal-paths.qdpx"
    codebook = tmp_path / "qc.yaml"
    import_qdc(path, codebook)
    book = load_codebook(codebook)
    labels = Counter(c.label for c in book.codes)
    assert sum(1 for n in labels.values() if n > 1) >= 5
    notes = notes_from(source_texts(path), tmp_path / "raw")
    summary = import_qdpx(path, notes, book, tmp_path / "out")
    assert not summary.unmapped_codes
    root, _ = project(path)
    paths: dict[str, str] = {}

    def walk(element: ET.Element, parent: str) -> None:
        for code in element.findall(f"{Q}Code"):
            here = f"{parent}/{code.get('name')}"
            paths[code.get("guid")] = here
            walk(code, here)

    walk(root.find(f"{Q}CodeBook/{Q}Codes"), "")
    path_of = {}
    for code in book.codes:
        chain, current = [code.label], code
        while current.parent:
            current = book.get(current.parent)
            chain.append(current.label)
        path_of[code.id] = "/" + "/".join(reversed(chain))
    expected = Counter(paths[r.get("targetGUID")] for r in root.iter(f"{Q}CodeRef"))
    got: Counter[str] = Counter()
    for doc in load_folder(tmp_path / "out"):
        for seg in doc.segments:
            got.update(path_of[c] for c in seg.codes)
    duplicated = {p for p in expected if labels[p.rsplit("/", 1)[-1]] > 1}
    assert duplicated  # the project codes with repeated labels at all
    assert set(got) <= set(expected) and duplicated <= set(got)


def test_spec_folders_and_atlas_code_groups(tmp_path: Path) -> None:
    """The 1.5 spec's example A.1: empty isCodable="false" folders followed by their codes
    become parents without terms; ATLAS.ti's code group is kept as a comment."""
    target = tmp_path / "a1.yaml"
    summary = import_qdc(REAL / "derived__REFI-QDA-1.5-spec-example-A1-codebook.qdc", target)
    book = load_codebook(target)
    parents = {c.label: (book.get(c.parent).label if c.parent else None) for c in book.codes}
    assert parents == {
        "Topics": None,
        "Economy": "Topics",
        "Health care": "Topics",
        "Values": None,
        "Conservatives": "Values",
        "Liberals": "Values",
    }
    assert summary.folders == 2 and [c.terms for c in book.codes if c.parent is None] == [(), ()]
    assert book.get("TOPICS.ECONOMY").color == "#FFFF00"
    atlas = tmp_path / "atlas.yaml"
    summary = import_qdc(REAL / "RE-QDA-requal-test-qdc-import__ATLASti-Win23.4.0__valid.qdc", atlas)
    assert summary.sets == ["code group 1 (kategorie 1): code1"]
    assert "#   code group 1 (kategorie 1): code1" in atlas.read_text(encoding="utf-8")
