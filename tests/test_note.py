"""The coded note's schema: `to_dict(from_dict(file))` is the file, and `format` is checked."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dialogtool.coded.note import CodedNote, CodedSegment, Review
from dialogtool.coded.store import HEADER, dump_note, load_coded, parse_note
from dialogtool.errors import DialogtoolError

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("path", sorted((ROOT / "data" / "coded").glob("*.yaml")), ids=lambda p: p.stem)
def test_a_coded_file_round_trips_byte_for_byte(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    note = load_coded(path)
    assert dump_note(note) == text
    assert note.to_dict() == yaml.safe_load(text)


def test_records_are_frozen_and_slotted() -> None:
    segment = CodedSegment("s1", "Om KE.", codes=("KE",), review=Review(add=["IP"], remove=["KE"]))
    with pytest.raises(AttributeError):
        segment.text = "x"  # type: ignore[misc]
    assert not hasattr(segment, "__dict__")
    assert segment.review == Review(("IP",), ("KE",))  # lists given are kept as tuples
    assert segment.reviewed_codes == ["IP"]


def test_a_newer_format_is_refused_with_its_line() -> None:
    text = HEADER + "format: 3\ndocument: x\nsegments: []\n"
    with pytest.raises(DialogtoolError) as caught:
        parse_note(text, "coded/x.yaml")
    assert str(caught.value).startswith("coded/x.yaml:3: coded note format 3, but this dialogtool reads formats 1, 2")


def test_format_1_inherited_is_read_as_the_heading_rule() -> None:
    text = "format: 1\ndocument: x\nsegments:\n- {id: b, text: Lite kjent., codes: [KE], inherited: {KE: h1}}\n"
    (segment,) = parse_note(text, "x.yaml").segments
    assert segment.context == {"KE": ("heading", "h1")}
    assert segment.to_dict()["context"] == {"KE": ["heading", "h1"]}  # written back as format 2


def test_hand_edited_slips_are_read_leniently_but_reviews_strictly() -> None:
    text = (
        "document: x\nsegments:\n"
        "- {id: a, text: Tekst, para: oops, terms: [nope], context: 7, codes: [KE]}\n"
        "- {text: Uten id}\n"
    )
    note = parse_note(text, "x.yaml")
    first, second = note.segments
    assert (first.para, first.terms, first.context, first.codes) == (None, {}, {}, ("KE",))
    assert (second.id, second.kind, second.section) == ("", "text", ())
    assert note.format == 2 and note.source is None
    with pytest.raises(DialogtoolError, match="review of segment a: 'add' must be a list of code ids"):
        parse_note("segments:\n- {id: a, text: T, review: {add: [1]}}\n", "x.yaml")
    with pytest.raises(DialogtoolError, match="a segment without 'text'"):
        parse_note("segments:\n- {id: a}\n", "x.yaml")


def test_an_imported_note_keeps_its_key_order() -> None:
    note = CodedNote(document="d", segments=(), source="s.txt", imported={"from": "p.qdpx", "source": "s"})
    assert list(note.to_dict()) == ["format", "document", "source", "imported", "meta", "segments"]
