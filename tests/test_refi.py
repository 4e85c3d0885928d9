"""REFI-QDA export and import: schema validity, positions, GUIDs, round trips, foreign projects.

The REFI-QDA schema and specification are read from ../shared/refi-qda when present (they
are not part of this repository); the tests that need them skip otherwise.
"""

from __future__ import annotations

import io
import shutil
import uuid
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from dialogtool.cli import app
from dialogtool.coded.folder import load_folder
from dialogtool.coded.note import CodedNote
from dialogtool.coded.store import effective_codes
from dialogtool.coding.codebook import load_codebook
from dialogtool.coding.run import code_paths
from dialogtool.errors import DialogtoolError
from dialogtool.exchange.refi import code_guid, export_qdc, export_qdpx, import_qdc, import_qdpx, source_guid

ROOT = Path(__file__).resolve().parents[1]
REFI = Path(__file__).resolve().parents[1].parent / "shared" / "refi-qda"
NS = {"q": "urn:QDA-XML:project:1.0"}
CODEBOOK_NS = {"c": "urn:QDA-XML:codebook:1.0"}
EMOJI_NOTE = "Dialogmøte i Alta 😀 18.09.2018\n\nKoordinerende enhet 𝄞 må bli mer synlig. Info om IP kommer for sent.\n"
REVIEW_NOTE = "Gjelder også kompetanse"


def schema():
    xmlschema = pytest.importorskip("xmlschema")
    if not (REFI / "Project-mrt2019.xsd").is_file():
        pytest.skip("../shared/refi-qda is not beside the repository")
    return xmlschema.XMLSchema(str(REFI / "Project-mrt2019.xsd"))


@pytest.fixture(scope="module")
def coded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample notes plus one with characters outside the BMP, coded, with one reviewer's
    correction and note."""
    base = tmp_path_factory.mktemp("refi")
    raw = base / "raw"
    shutil.copytree(ROOT / "data" / "raw", raw)
    (raw / "alta_emoji.txt").write_text(EMOJI_NOTE, encoding="utf-8")
    out = base / "coded"
    summary = code_paths([raw], load_codebook(ROOT / "codebook.yaml"), out)
    assert not summary.problems
    path = out / "tromso_bord1_ke.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    target = next(s for s in doc["segments"] if "KE" in s["codes"] and s.get("kind") != "heading")
    target["review"] = {"add": ["KOMP"], "remove": [], "note": REVIEW_NOTE}
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def exported(coded: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("export") / "prosjekt.qdpx"
    export_qdpx(load_folder(coded), load_codebook(ROOT / "codebook.yaml"), target)
    return target


def project(path: Path) -> tuple[ET.Element, zipfile.ZipFile]:
    archive = zipfile.ZipFile(path)
    return ET.fromstring(archive.read("project.qde")), archive


def test_project_validates_against_the_refi_qda_schema(exported: Path) -> None:
    _, archive = project(exported)
    schema().validate(archive.read("project.qde").decode("utf-8"))
    names = archive.namelist()
    assert names[0] == "project.qde"
    assert all(n == "project.qde" or (n.startswith("sources/") and n.endswith(".txt")) for n in names)


def test_selections_slice_the_exported_text_to_the_segment(exported: Path, coded: Path) -> None:
    """Positions are code points in the exported text (the spec's rule), end exclusive."""
    root, archive = project(exported)
    documents = {doc.document: doc for doc in load_folder(coded)}
    names = {code.get("guid"): code.get("name") for code in root.iter(f"{{{NS['q']}}}Code")}
    ids = {code_guid(c.id): c.id for c in load_codebook(ROOT / "codebook.yaml").codes}
    sources = root.findall("q:Sources/q:TextSource", NS)
    assert sorted(s.get("name") for s in sources) == sorted(documents)
    checked = 0
    for source in sources:
        doc = documents[source.get("name")]
        assert source.get("guid") == source_guid(doc.document)
        path = source.get("plainTextPath")
        text = archive.read("sources/" + path.removeprefix("internal://")).decode("utf-8")
        by_span = {s.span: s for s in doc.segments}
        coded_spans = {s.span for s in doc.segments if effective_codes(s)}
        seen = set()
        for selection in source.findall("q:PlainTextSelection", NS):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            segment = by_span[(start, end)]
            assert text[start:end] == segment.text
            refs = [ref.get("targetGUID") for ref in selection.findall("q:Coding/q:CodeRef", NS)]
            assert all(ref in names for ref in refs)
            assert sorted(ids[ref] for ref in refs) == sorted(effective_codes(segment))
            seen.add((start, end))
            checked += 1
        assert coded_spans <= seen
    assert checked > 100
    emoji = next(s for s in sources if s.get("name") == "alta_emoji")
    text = archive.read(f"sources/{emoji.get('guid')}.txt").decode("utf-8")
    assert "😀" in text and "𝄞" in text  # beyond the BMP: code points, not UTF-16 units, must count


def test_export_is_reproducible(coded: Path, exported: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.qdpx"
    export_qdpx(load_folder(coded), load_codebook(ROOT / "codebook.yaml"), again)
    assert again.read_bytes() == exported.read_bytes()
    assert uuid.UUID(source_guid("tromso_bord1_ke")).version == 5


def test_codes_variables_and_review_notes(exported: Path) -> None:
    root, _ = project(exported)
    codes = root.find("q:CodeBook/q:Codes", NS)
    top = {code.get("name"): code for code in codes.findall("q:Code", NS)}
    book = load_codebook(ROOT / "codebook.yaml")
    assert list(top) == [c.label for c in book.top_level]
    grupper = top[book.get("GRUPPER").label]
    children = [c.get("name") for c in grupper.findall("q:Code", NS)]
    assert children == [c.label for c in book.codes if c.parent == "GRUPPER"]
    assert grupper.find("q:Description", NS).text == f"{book.get('GRUPPER').description}\n\ndialogtool id: GRUPPER"
    assert top[book.get("KE").label].get("color") == book.get("KE").color.upper()
    colors = [c.get("color") for c in root.iter(f"{{{NS['q']}}}Code")]
    assert len(colors) == len(book.codes) and all(len(c) == 7 for c in colors)
    assert len(set(colors)) == len(colors)  # GRUPPER.MUSKEL once had KE's blue
    declared = root.findall("q:Variables/q:Variable", NS)
    variables = {v.get("guid"): v.get("name") for v in declared}
    kinds = {v.get("name"): v.get("typeOfVariable") for v in declared}
    assert kinds == dict(
        meeting="Text", date="Date", table="Integer", topic="Text", group="Text", host="Text", language="Text"
    )
    tromso = next(s for s in root.findall("q:Sources/q:TextSource", NS) if s.get("name") == "tromso_bord1_ke")
    values = {variables[v[0].get("targetGUID")]: v[1].text for v in tromso.findall("q:VariableValue", NS)}
    assert values["meeting"] == "Tromsø" and values["table"] == "1" and "date" not in values
    notes = {note.get("guid"): note for note in root.findall("q:Notes/q:Note", NS)}
    refs = [ref.get("targetGUID") for ref in tromso.findall("q:PlainTextSelection/q:NoteRef", NS)]
    assert len(refs) == 1 and notes[refs[0]].find("q:PlainTextContent", NS).text == REVIEW_NOTE
    # where ATLAS.ti, MAXQDA and NVivo put a quotation's comment, and QualCoder a coding memo
    reviewed = next(s for s in tromso.findall("q:PlainTextSelection", NS) if s.find("q:NoteRef", NS) is not None)
    assert reviewed.find("q:Description", NS).text == REVIEW_NOTE
    # QualCoder's annotation: a NoteRef on the source, a Note anchored to the same stretch
    assert [r.get("targetGUID") for r in tromso.findall("q:NoteRef", NS)] == refs
    anchor = notes[refs[0]].find("q:PlainTextSelection", NS)
    assert (anchor.get("startPosition"), anchor.get("endPosition")) == (
        reviewed.get("startPosition"),
        reviewed.get("endPosition"),
    )


def test_every_element_has_a_user_and_a_date(exported: Path, coded: Path) -> None:
    """Older QualCoder crashes on a selection without a date, qc on a coding without a user."""
    root, _ = project(exported)
    users = root.findall("q:Users/q:User", NS)
    assert [u.get("name") for u in users] == ["dialogtool"]
    user = users[0].get("guid")
    dates = {doc.document: doc.meta.get("date") for doc in load_folder(coded)}
    stamped = 0
    for source in root.findall("q:Sources/q:TextSource", NS):
        day = dates[source.get("name")] or "2000-01-01"
        elements = [source, *source.iter(f"{{{NS['q']}}}PlainTextSelection"), *source.iter(f"{{{NS['q']}}}Coding")]
        for element in elements:
            assert element.get("creatingUser") == user
            assert element.get("creationDateTime") == f"{day}T00:00:00Z"
            stamped += 1
    assert stamped > 300
    assert {d for d in dates.values() if d}  # some notes have a meeting date, so both branches are seen
    for note in root.findall("q:Notes/q:Note", NS):
        assert note.get("creatingUser") == user and note.get("modifiedDateTime", "").endswith("T00:00:00Z")


def test_round_trip_through_the_cli_loses_no_code(coded: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    target = tmp_path / "ut.qdpx"
    book = ["--coded", str(coded), "-c", str(ROOT / "codebook.yaml")]
    result = runner.invoke(app, ["export", "qdpx", "-o", str(target), *book])
    assert result.exit_code == 0, result.output
    assert "9 note(s)" in result.stderr and "1 reviewer note(s)" in result.stderr
    back = tmp_path / "coder2"
    result = runner.invoke(app, ["import", "qdpx", str(target), "-o", str(back), *book])
    assert result.exit_code == 0, result.output
    assert "Imported 9 note(s)" in result.stderr
    originals = {doc.document: doc for doc in load_folder(coded)}
    imported = {doc.document: doc for doc in load_folder(back)}
    assert imported.keys() == originals.keys()
    for name, doc in originals.items():
        again = imported[name].segments
        assert [s.text for s in again] == [s.text for s in doc.segments]
        assert [sorted(s.codes) for s in again] == [sorted(effective_codes(s)) for s in doc.segments]
        assert all(s.review is None and not s.terms for s in again)
    assert all("terms:" not in p.read_text(encoding="utf-8") for p in back.glob("*.yaml"))
    refused = runner.invoke(app, ["import", "qdpx", str(target), "-o", str(back), *book])
    assert refused.exit_code == 2 and "--force" in refused.output
    same = runner.invoke(app, ["import", "qdpx", str(target), "-o", str(coded), *book, "--force"])
    assert same.exit_code == 2 and "coded folder itself" in same.output


def test_text_is_rebuilt_from_segments_when_the_source_is_gone(coded: Path, tmp_path: Path) -> None:
    moved = tmp_path / "moved"
    documents = [replace(doc, source=str(moved / Path(doc.source or "").name)) for doc in load_folder(coded)]
    summary = export_qdpx(documents, load_codebook(ROOT / "codebook.yaml"), tmp_path / "rebuilt.qdpx")
    assert len(summary.rebuilt) == len(documents)
    root, archive = project(tmp_path / "rebuilt.qdpx")
    for source in root.findall("q:Sources/q:TextSource", NS):
        text = archive.read(f"sources/{source.get('guid')}.txt").decode("utf-8")
        doc = next(d for d in documents if d.document == source.get("name"))
        assert all(s.span is not None and text[s.span[0] : s.span[1]] == s.text for s in doc.segments)
    broken = documents[0]
    moved = broken.segments[1]
    assert moved.span is not None
    shifted = replace(moved, span=(moved.span[0] + 1, moved.span[1] + 1))
    documents[0] = replace(broken, segments=(broken.segments[0], shifted, *broken.segments[2:]))
    with pytest.raises(DialogtoolError, match=f"cannot recover the text of note '{broken.document}'"):
        export_qdpx(documents, load_codebook(ROOT / "codebook.yaml"), tmp_path / "broken.qdpx")


def foreign_project(coded: Path) -> tuple[bytes, dict[str, tuple[int, int]]]:
    """A project as another program might write it: its own GUIDs in braces and upper case,
    the note under its file name, CRLF line ends, a `Sources` folder, one selection per
    coding, codes known only by name, and a code the codebook lacks."""
    doc = next(d for d in load_folder(coded) if d.document == "tromso_bord1_ke")
    text = "\n\n".join(_blocks(doc))
    crlf = text.replace("\n", "\r\n")
    body = [s for s in doc.segments if s.kind != "heading" and s.span is not None]
    first, second = body[0], body[1]

    def at(position: int) -> int:  # a position in the LF text, counted in the CRLF text
        return position + text.count("\n", 0, position)

    assert first.span is not None and second.span is not None
    phrase_start = first.span[0] + first.text.index(" ") + 1
    spans = {
        "phrase": (at(phrase_start), at(phrase_start + 5)),  # a word inside the first segment
        "across": (at(first.span[1] - 3), at(second.span[0] + 4)),  # end of one, start of the next
        "gap": (at(first.span[1]), at(first.span[1]) + 1),  # only the space between them
    }
    codes = {"komp": "{" + str(uuid.uuid4()).upper() + "}", "nevro": str(uuid.uuid4()), "eco": str(uuid.uuid4())}
    selections = [("phrase", "komp"), ("across", "nevro"), ("across", "eco"), ("gap", "komp")]
    xml = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<Project xmlns="urn:QDA-XML:project:1.0" name="Annen koder" origin="OtherQDA 2.0"><CodeBook><Codes>',
        f'<Code guid="{codes["komp"]}" name="kompetanse" isCodable="true"/>',
        f'<Code guid="{uuid.uuid4()}" name="Grupper" isCodable="false">'
        f'<Code guid="{codes["nevro"]}" name="Grupper::Nevrologiske lidelser" isCodable="true"/></Code>',
        f'<Code guid="{codes["eco"]}" name="Økonomi" isCodable="true"/>',
        "</Codes></CodeBook><Sources>",
        f'<TextSource guid="{uuid.uuid4()}" name="tromso_bord1_ke.txt" plainTextPath="internal://ABC.txt">',
    ]
    for key, code in selections:
        start, end = spans[key]
        xml.append(
            f'<PlainTextSelection guid="{uuid.uuid4()}" startPosition="{start}" endPosition="{end}">'
            f'<Coding guid="{uuid.uuid4()}"><CodeRef targetGUID="{codes[code]}"/></Coding></PlainTextSelection>'
        )
    xml.append(f'<Coding guid="{uuid.uuid4()}"><CodeRef targetGUID="{codes["komp"]}"/></Coding>')
    xml.append("</TextSource>")
    xml.append(f'<TextSource guid="{uuid.uuid4()}" name="ukjent.txt"><PlainTextContent>Noe annet.</PlainTextContent>')
    xml.append("</TextSource></Sources></Project>")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("project.qde", "\n".join(xml))
        zipped.writestr("Sources/ABC.txt", "\ufeff" + crlf)
    return archive.getvalue(), {"first": first.span, "second": second.span}


def _blocks(doc: CodedNote) -> list[str]:
    blocks: list[list[str]] = []
    para = None
    for seg in doc.segments:
        if seg.para != para or not blocks:
            blocks.append([])
        blocks[-1].append(seg.text)
        para = seg.para
    return [" ".join(block) for block in blocks]


def test_import_a_project_from_another_program(coded: Path, tmp_path: Path) -> None:
    data, spans = foreign_project(coded)
    path = tmp_path / "annen.qdpx"
    path.write_bytes(data)
    book = load_codebook(ROOT / "codebook.yaml")
    out = tmp_path / "coder2"
    summary = import_qdpx(path, load_folder(coded), book, out, coded)
    assert summary.matched == [("tromso_bord1_ke.txt", "tromso_bord1_ke")]
    assert summary.unmatched_sources == ["ukjent.txt"]
    assert summary.realigned == ["tromso_bord1_ke"]
    assert summary.unmapped_codes == {"Økonomi": 1}
    assert (summary.selections, summary.codings, summary.outside, summary.source_codings) == (4, 3, 1, 1)
    assert [p.name for p in summary.written] == ["tromso_bord1_ke.yaml"]
    doc = yaml.safe_load((out / "tromso_bord1_ke.yaml").read_text(encoding="utf-8"))
    codes = {tuple(s["span"]): s["codes"] for s in doc["segments"]}
    assert codes[spans["first"]] == ["KOMP", "GRUPPER.NEVRO"]
    assert codes[spans["second"]] == ["GRUPPER.NEVRO"]
    assert sum(1 for c in codes.values() if c) == 2
    assert doc["imported"] == {"from": "annen.qdpx", "source": "tromso_bord1_ke.txt"}


def test_import_rejects_what_is_not_a_project(tmp_path: Path, coded: Path) -> None:
    book = load_codebook(ROOT / "codebook.yaml")
    bad = tmp_path / "bad.qdpx"
    bad.write_text("not a zip")
    with pytest.raises(DialogtoolError, match=r"not a \.qdpx"):
        import_qdpx(bad, load_folder(coded), book, tmp_path / "out")
    with zipfile.ZipFile(bad, "w") as zipped:
        zipped.writestr("project.qde", "<Project")
    with pytest.raises(DialogtoolError, match="not valid XML"):
        import_qdpx(bad, load_folder(coded), book, tmp_path / "out")
    with zipfile.ZipFile(bad, "w") as zipped:
        zipped.writestr("sources/a.txt", "x")
    with pytest.raises(DialogtoolError, match=r"no project\.qde"):
        import_qdpx(bad, load_folder(coded), book, tmp_path / "out")


def test_codebook_round_trip(tmp_path: Path) -> None:
    """Our own export comes back with the same ids, so existing coded files and reviews fit."""
    book = load_codebook(ROOT / "codebook.yaml")
    qdc = tmp_path / "kodebok.qdc"
    assert export_qdc(book, qdc) == len(book.codes)
    root = ET.parse(qdc).getroot()
    assert root.tag == "{urn:QDA-XML:codebook:1.0}CodeBook"
    target = tmp_path / "codebook.yaml"
    summary = import_qdc(qdc, target)
    assert (summary.codes, summary.own_ids, summary.folders) == (len(book.codes), len(book.codes), 0)
    again = load_codebook(target)
    fields = ("id", "label", "description", "parent")
    assert [[getattr(c, f) for f in fields] for c in again.codes] == [
        [getattr(c, f) for f in fields] for c in book.codes
    ]
    # a code without a colour of its own was given one on export: that one comes back
    exported = [c.get("color") for c in root.iter("{urn:QDA-XML:codebook:1.0}Code")]
    assert [c.color for c in again.codes] == exported
    assert all(c.color == a.color for c, a in zip(book.codes, again.codes, strict=True) if c.color)
    assert again.get("KE").terms == ("koordinerende enhet",)
    assert "refine the terms" in target.read_text(encoding="utf-8")
    with pytest.raises(DialogtoolError, match="already exists"):
        import_qdc(qdc, target)
    import_qdc(qdc, target, force=True)


def test_codebook_export_fits_the_schema(tmp_path: Path) -> None:
    """The codebook schema is not in ../shared; its Code type is the project schema's without
    NoteRef, so the .qdc's codes are checked inside a minimal project."""
    checker = schema()
    qdc = tmp_path / "kodebok.qdc"
    export_qdc(load_codebook(ROOT / "codebook.yaml"), qdc)
    text = qdc.read_text(encoding="utf-8")
    codes = text[text.index("<Codes>") : text.index("</Codes>") + len("</Codes>")]
    checker.validate(f'<Project xmlns="urn:QDA-XML:project:1.0" name="x"><CodeBook>{codes}</CodeBook></Project>')


def test_import_qdc_derives_ids_and_terms(tmp_path: Path) -> None:
    qdc = tmp_path / "other.qdc"
    qdc.write_text(
        '<?xml version="1.0" encoding="utf-8"?>'
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
        f'<Code guid="{{{uuid.uuid4()}}}" name="Økonomi" isCodable="true" color="#abc"/>'
        f'<Code guid="{uuid.uuid4()}" name="Økonomi" isCodable="true"/>'
        f'<Code guid="{uuid.uuid4()}" name="1. Helse (H)" isCodable="false">'
        f'<Description>Alt om helse</Description><Code guid="{uuid.uuid4()}" name="Barn &amp; unge" isCodable="true"/>'
        "</Code>"
        f'<Code guid="{uuid.uuid4()}" name="Koordinerende enhet (KE) i kommunen" isCodable="true"/>'
        f'<Code guid="{uuid.uuid4()}" name="Brukergrupper med udekkede behov på sjukehus" isCodable="true"/>'
        "</Codes></CodeBook>",
        encoding="utf-8",
    )
    target = tmp_path / "cb.yaml"
    result = CliRunner().invoke(app, ["import", "qdc", str(qdc), "--codebook", str(target)])
    assert result.exit_code == 0, result.output
    assert "1 folder(s) as parents without terms" in result.stderr
    book = load_codebook(target)
    assert [c.id for c in book.codes] == [
        "OEKONOMI",
        "OEKONOMI_2",
        "C1_HELSE_H",
        "C1_HELSE_H.BARN_UNGE",
        "KE",
        "BRUKERGRUPPER_MED_UDEKKEDE",
    ]
    assert book.get("OEKONOMI").color == "#AABBCC"
    assert book.get("C1_HELSE_H").terms == ()  # a folder codes nothing itself
    assert book.get("C1_HELSE_H.BARN_UNGE").terms == ("barn unge",)
    assert book.get("C1_HELSE_H").description == "Alt om helse"


def small_project(text: str, selections: list[tuple[int, int, str]], origin: str, source: str) -> bytes:
    """A one-source project: `source` is the TextSource's attributes; selections are
    (start, end, code name) with codes known by name only."""
    names = sorted({code for _, _, code in selections})
    guids = {name: str(uuid.uuid4()) for name in names}
    xml = [
        f'<Project xmlns="urn:QDA-XML:project:1.0" name="p" origin="{origin}"><CodeBook><Codes>',
        *(f'<Code guid="{guids[n]}" name="{n}" isCodable="true"/>' for n in names),
        f'</Codes></CodeBook><Sources><TextSource guid="{uuid.uuid4()}" {source}>',
        *(
            f'<PlainTextSelection guid="{uuid.uuid4()}" startPosition="{s}" endPosition="{e}">'
            f'<Coding guid="{uuid.uuid4()}"><CodeRef targetGUID="{guids[c]}"/></Coding></PlainTextSelection>'
            for s, e, c in selections
        ),
        "</TextSource></Sources></Project>",
    ]
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("project.qde", "".join(xml))
        zipped.writestr("sources/alta_emoji.txt", text)
    return archive.getvalue()


def emoji_note(coded: Path) -> tuple[CodedNote, str]:
    doc = next(d for d in load_folder(coded) if d.document == "alta_emoji")
    return doc, "\n\n".join(_blocks(doc)).replace("\n", "\r\n")


def test_qc_sources_bad_selections_and_overrides(coded: Path, tmp_path: Path) -> None:
    """A qc-style source (no name, plainTextPath without internal://) is read; selections
    outside the text or ending before they start are reported and skipped; --positions and
    --crlf read UTF-16 positions in a project from a program we do not know."""
    doc, text = emoji_note(coded)
    start = text.index("Koordinerende")
    end = text.index("synlig") + len("synlig")
    units = len(text[:start].encode("utf-16-le")) // 2, len(text[:end].encode("utf-16-le")) // 2
    selections = [(*units, "Kompetanse"), (end, start, "Kompetanse"), (len(text) + 5, len(text) + 9, "Kompetanse")]
    selections.append(("12.5", "x", "Kompetanse"))  # type: ignore[arg-type]
    path = tmp_path / "qc.qdpx"
    path.write_bytes(small_project(text, selections, "Unknown 1.0", 'plainTextPath="alta_emoji.txt"'))
    book = ["--coded", str(coded), "-c", str(ROOT / "codebook.yaml")]
    out = tmp_path / "deep" / "er" / "coder2"  # created when missing
    args = ["import", "qdpx", str(path), "-o", str(out), *book, "--positions", "utf16", "--crlf", "2"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "3 skipped (outside their source, ending before they start, or not numbers)" in result.stderr
    assert "alta_emoji.txt 12.5–x" in result.stderr
    assert "UTF-16 code units, CRLF as 2 (as given)" in result.stderr
    imported = yaml.safe_load((out / "alta_emoji.yaml").read_text(encoding="utf-8"))
    coded_segments = [s["text"] for s in imported["segments"] if s["codes"]]
    assert coded_segments == [next(s.text for s in doc.segments if s.text.startswith("Koordinerende"))]
    # without them: an unknown program, no recorded text; as code points the selection would
    # start inside a word (an emoji comes before it), so UTF-16 is the guess, and said
    again = CliRunner().invoke(app, [*args[:4], str(tmp_path / "guess"), *book])
    assert again.exit_code == 0, again.output
    assert "UTF-16 code units, CRLF as 2 (from selections starting and ending at word boundaries)" in again.stderr
    guessed = yaml.safe_load((tmp_path / "guess" / "alta_emoji.yaml").read_text(encoding="utf-8"))
    assert [s["text"] for s in guessed["segments"] if s["codes"]] == coded_segments


def test_an_import_that_matches_nothing_fails(coded: Path, tmp_path: Path) -> None:
    path = tmp_path / "other.qdpx"
    source = 'name="annet" plainTextPath="internal://alta_emoji.txt"'
    path.write_bytes(small_project("Noe helt annet.", [(0, 3, "Kompetanse")], "X", source))
    book = ["--coded", str(coded), "-c", str(ROOT / "codebook.yaml")]
    result = CliRunner().invoke(app, ["import", "qdpx", str(path), "-o", str(tmp_path / "out"), *book])
    assert result.exit_code == 2 and "no source in the project matches a coded note: annet" in result.output
    assert not (tmp_path / "out").exists()
    _doc, text = emoji_note(coded)
    unknown = tmp_path / "unknown.qdpx"
    source = source.replace("annet", "alta_emoji")
    unknown.write_bytes(small_project(text, [(0, 9, "Økonomi")], "X", source))
    result = CliRunner().invoke(app, ["import", "qdpx", str(unknown), "-o", str(tmp_path / "out"), *book])
    assert result.exit_code == 2 and "none of the project's codes is in the codebook" in result.output


def test_export_file_follows_the_umask(exported: Path) -> None:
    assert exported.stat().st_mode & 0o777 == 0o666 & ~current_umask()


def current_umask() -> int:
    import os

    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_export_for_nvivo_counts_utf16_and_comes_back(coded: Path, tmp_path: Path) -> None:
    """`--positions utf16`: NVivo's unit, so an emoji before a selection does not shift it
    there; reading it back, the selections' recorded text tells the import which unit."""
    target = tmp_path / "nvivo.qdpx"
    book = ["--coded", str(coded), "-c", str(ROOT / "codebook.yaml")]
    result = CliRunner().invoke(app, ["export", "qdpx", "-o", str(target), *book, "--positions", "utf16"])
    assert result.exit_code == 0, result.output
    root, archive = project(target)
    emoji = next(s for s in root.findall("q:Sources/q:TextSource", NS) if s.get("name") == "alta_emoji")
    text = archive.read(f"sources/{emoji.get('guid')}.txt").decode("utf-8")
    doc = next(d for d in load_folder(coded) if d.document == "alta_emoji")
    spans = {s.text: s.span for s in doc.segments}
    shifted = 0
    for selection in emoji.findall("q:PlainTextSelection", NS):
        start, end = spans[next(t for t in spans if t.startswith(selection.get("name").rstrip("…")))]
        units = (len(text[:start].encode("utf-16-le")) // 2, len(text[:end].encode("utf-16-le")) // 2)
        assert (int(selection.get("startPosition")), int(selection.get("endPosition"))) == units
        shifted += units != (start, end)
    assert shifted  # the emoji note has selections after an emoji
    back = tmp_path / "back"
    result = CliRunner().invoke(app, ["import", "qdpx", str(target), "-o", str(back), *book])
    assert result.exit_code == 0, result.output
    assert "alta_emoji read as UTF-16 code units, CRLF as 2 (from the selections' recorded text)" in result.stderr
    again = {d.document: d for d in load_folder(back)}
    for original in load_folder(coded):
        codes = [sorted(s.codes) for s in again[original.document].segments]
        assert codes == [sorted(effective_codes(s)) for s in original.segments]
