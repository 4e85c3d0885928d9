"""Coded files: byte-identical re-runs, readable YAML, atomic writes, review carry-over."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dialogtool.coded.store import dump_yaml, effective_codes, load_coded
from dialogtool.coding.run import code_paths

NOTE = (
    "Oppsummering etter dialogmøte i Bodø 12.10.2018\n\n"
    "Kafébord 2.\n\n"
    "Utfordringer omkring IP:\n\n"
    "\uf0b7 Bruker må selv få delta i arbeidet.\n\n"
    "\uf0b7 Koordinerende enhet er lite kjent i kommunen.\n\n"
    "Praktisk:\n\n"
    "Vi spiste lunsj klokka tolv.\n"
)


def _write_note(folder: Path, text: str = NOTE, name: str = "bodo.txt") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _segment(doc: dict, startswith: str) -> dict:
    return next(s for s in doc["segments"] if s["text"].startswith(startswith))


def test_recoding_is_byte_identical(raw_copy: Path, tmp_path: Path, codebook) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    code_paths([raw_copy], codebook, first)
    summary = code_paths([raw_copy], codebook, second)
    again = code_paths([raw_copy], codebook, first)
    forced = code_paths([raw_copy], codebook, first, force=True)
    names = sorted(p.name for p in first.glob("*.yaml"))
    assert len(names) == 8
    assert names == sorted(p.name for p in second.glob("*.yaml"))
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes()
    assert len(summary.written) == 8
    assert again.written == [] and len(again.skipped_unchanged) == 8  # incremental: not re-coded
    assert forced.written == [] and len(forced.unchanged) == 8  # re-coded, same bytes


def test_yaml_is_readable_and_one_segment_a_block(tmp_path: Path, codebook) -> None:
    code_paths([_write_note(tmp_path / "raw")], codebook, tmp_path / "out")
    text = (tmp_path / "out" / "bodo.yaml").read_text(encoding="utf-8")
    assert "Bodø" in text and "\\u00f8" not in text and "\\xF8" not in text
    assert "created" not in text and "time" not in text  # no timestamps
    # every segment starts its own block with its id
    doc = yaml.safe_load(text)
    assert text.count("\n- id: s") == len(doc["segments"])
    assert doc["meta"]["meeting"] == "Bodø" and doc["meta"]["date"] == "2018-10-12"
    assert len(doc["sha256"]) == 64 and len(doc["codebook"]["sha256"]) == 64


def test_segments_record_evidence_and_inheritance(tmp_path: Path, codebook) -> None:
    code_paths([_write_note(tmp_path / "raw")], codebook, tmp_path / "out")
    doc = yaml.safe_load((tmp_path / "out" / "bodo.yaml").read_text(encoding="utf-8"))  # the file as reviewers see it
    heading = _segment(doc, "Utfordringer omkring IP")
    assert heading["kind"] == "heading" and heading["codes"] == ["IP"] and heading["terms"] == {"IP": ["IP"]}
    bullet = _segment(doc, "• Bruker må")
    assert bullet["codes"] == ["IP"] and bullet["context"] == {"IP": ["heading", heading["id"]]}
    assert "terms" not in bullet
    assert bullet["section"][-1] == "Utfordringer omkring IP"
    ke = _segment(doc, "• Koordinerende enhet")
    assert ke["codes"] == ["KE"] and ke["terms"]["KE"] == ["koordinerende enhet"]
    lunch = _segment(doc, "Vi spiste")  # a new colon heading ends the IP section
    assert lunch["codes"] == []
    assert lunch["section"] == ["Oppsummering etter dialogmøte i Bodø 12.10.2018", "Kafébord 2.", "Praktisk"]
    start, end = ke["span"]
    assert end - start == len(ke["text"])


@pytest.mark.parametrize(
    "value", ["no", "yes", "on", "off", "1.10", "0o12", "0x1F", "2018-09-18", "12", ".inf", "null", "~", "1e3"]
)
def test_ambiguous_scalars_are_quoted(value: str) -> None:
    text = dump_yaml({"text": value})
    assert yaml.safe_load(text) == {"text": value}
    assert text.strip() != f"text: {value}"  # quoted, so YAML 1.2 readers agree too


def _add_review(path: Path, startswith: str, review: dict) -> None:
    text = path.read_text(encoding="utf-8")
    doc = yaml.safe_load(text)
    _segment(doc, startswith)["review"] = review
    path.write_text(dump_yaml(doc), encoding="utf-8")


def test_review_survives_recoding_and_changes_effective_codes(tmp_path: Path, codebook) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    note = _write_note(raw)
    code_paths([raw], codebook, out)
    coded = out / "bodo.yaml"
    _add_review(coded, "• Koordinerende enhet", {"add": ["INFO"], "remove": ["KE"], "note": "Gjelder kontaktinfo"})
    # a new line at the top moves every segment: reviews follow the text, not the position
    _write_note(raw, "Innledende merknad fra bordverten.\n\n" + NOTE)
    summary = code_paths([raw], codebook, out)
    assert summary.unplaced_reviews == []
    note_ = load_coded(coded)
    seg = next(s for s in note_.segments if s.text.startswith("• Koordinerende enhet"))
    assert seg.codes == ("KE",)  # the automatic coding is still visible
    assert seg.review is not None and seg.review.add == ("INFO",) and seg.review.note == "Gjelder kontaktinfo"
    assert effective_codes(seg) == ["INFO"]
    assert note.exists()


def test_review_of_changed_text_is_kept_and_reported(tmp_path: Path, codebook) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    _write_note(raw)
    code_paths([raw], codebook, out)
    coded = out / "bodo.yaml"
    _add_review(coded, "Vi spiste", {"add": ["KOMP"], "remove": []})
    _write_note(raw, NOTE.replace("Vi spiste lunsj klokka tolv.", "Vi spiste lunsj klokka ett."))
    summary = code_paths([raw], codebook, out)
    assert summary.unplaced_reviews == [("bodo", "Vi spiste lunsj klokka tolv.")]
    doc = yaml.safe_load(coded.read_text(encoding="utf-8"))
    assert doc["unplaced_reviews"][0]["text"] == "Vi spiste lunsj klokka tolv."
    assert doc["unplaced_reviews"][0]["review"]["add"] == ["KOMP"]
    assert all("review" not in s for s in doc["segments"])
    # the text comes back: the review finds its segment again
    _write_note(raw)
    summary = code_paths([raw], codebook, out)
    assert summary.unplaced_reviews == []
    again = load_coded(coded)
    lunch = next(s for s in again.segments if s.text.startswith("Vi spiste"))
    assert lunch.review is not None and lunch.review.add == ("KOMP",)
    assert again.unplaced_reviews == ()
    assert "unplaced_reviews" not in coded.read_text(encoding="utf-8")


def test_corrupt_coded_file_is_reported_not_overwritten(tmp_path: Path, codebook) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    _write_note(raw)
    _write_note(raw, NOTE, "annen.txt")
    out.mkdir()
    (out / "bodo.yaml").write_text("segments: [unclosed\n", encoding="utf-8")
    summary = code_paths([raw], codebook, out)
    assert len(summary.problems) == 1
    assert "bodo.yaml" in summary.problems[0].message and "YAML error" in summary.problems[0].message
    assert (out / "bodo.yaml").read_text(encoding="utf-8") == "segments: [unclosed\n"
    assert (out / "annen.yaml").exists()


def test_bad_review_block_names_file_and_segment(tmp_path: Path, codebook) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    _write_note(raw)
    code_paths([raw], codebook, out)
    _add_review(out / "bodo.yaml", "Vi spiste", {"ad": ["KOMP"]})
    from dialogtool.errors import DialogtoolError

    with pytest.raises(DialogtoolError) as info:
        load_coded(out / "bodo.yaml")
    assert "bodo.yaml" in str(info.value) and "unknown key 'ad'" in str(info.value)
    assert info.value.line is not None


def test_first_run_reads_each_source_once_and_a_rerun_recognises_it(
    raw_copy: Path, tmp_path: Path, codebook, monkeypatch
) -> None:
    """A note coded for the first time is fingerprinted from the bytes its task reads; the next
    run, which reads the source to compare, must find the same fingerprint and skip every note."""
    import hashlib

    from dialogtool.coding import run, workers
    from dialogtool.coding.fingerprint import stored_fingerprint

    digests: list[Path] = []
    reads: list[Path] = []
    original_digest, original_read = run.source_digest, workers.read_note
    monkeypatch.setattr(run, "source_digest", lambda path: digests.append(path) or original_digest(path))
    monkeypatch.setattr(workers, "read_note", lambda path, **kw: reads.append(path) or original_read(path, **kw))
    out = tmp_path / "out"
    first = code_paths([raw_copy], codebook, out)
    assert len(first.written) == 8 and digests == [] and len(reads) == 8
    again = code_paths([raw_copy], codebook, out)
    assert again.written == [] and len(again.skipped_unchanged) == 8 and len(digests) == 8 and len(reads) == 8
    # the fingerprint names the source's bytes: change one byte and only that note is coded again
    note = sorted(raw_copy.glob("*.txt"))[0]
    note.write_bytes(note.read_bytes() + b"\n")
    before = stored_fingerprint(out / f"{run.doc_id(note)}.yaml")
    third = code_paths([raw_copy], codebook, out)
    assert [p.name for p in third.written] == [f"{run.doc_id(note)}.yaml"]
    after = stored_fingerprint(out / f"{run.doc_id(note)}.yaml")
    assert before != after and after is not None
    assert hashlib.sha256(note.read_bytes()).hexdigest() == load_coded(out / f"{run.doc_id(note)}.yaml").sha256


@pytest.mark.parametrize(("ahead", "chars"), [(1, 2_000_000), (3, 2_000_000), (32, 1)])
def test_notes_read_ahead_in_batches_are_written_as_one_by_one(
    raw_copy: Path, tmp_path: Path, codebook, monkeypatch, ahead: int, chars: int
) -> None:
    """`code` reads and codes a batch of notes before writing them; the files, the order of the
    results and the counts are those of coding note by note, whatever the batch's size."""
    from dialogtool.coding import workers

    reference = code_paths([raw_copy], codebook, tmp_path / "one", jobs=1)
    monkeypatch.setattr(workers, "_AHEAD", ahead)
    monkeypatch.setattr(workers, "_AHEAD_CHARS", chars)
    batches: list[int] = []
    original = workers._read_ahead
    monkeypatch.setattr(workers, "_read_ahead", lambda tasks, start: batches.append(start) or original(tasks, start))
    summary = code_paths([raw_copy], codebook, tmp_path / "many", jobs=1)
    assert batches == list(range(0, 8, ahead if chars > 1 else 1))
    assert [p.name for p in summary.written] == [p.name for p in reference.written]
    assert (summary.segments, summary.coded_segments) == (reference.segments, reference.coded_segments)
    for path in (tmp_path / "one").glob("*.yaml"):
        assert (tmp_path / "many" / path.name).read_bytes() == path.read_bytes()


def test_a_bad_note_in_a_batch_fails_alone(raw_copy: Path, tmp_path: Path, codebook) -> None:
    bad = raw_copy / "b_broken.docx"
    bad.write_bytes(b"PK\x03\x04 not a zip at all")
    summary = code_paths([raw_copy], codebook, tmp_path / "out", jobs=1)
    assert [p.path for p in summary.problems] == [str(bad)]
    assert len(summary.written) == 8
