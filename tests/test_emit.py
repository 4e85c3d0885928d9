"""The YAML writer: whatever it writes, PyYAML (YAML 1.1) reads back unchanged."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from dialogtool.coded import emit
from dialogtool.coded.note import CodedNote, CodedSegment, Review

# Text as notes have it, plus everything that tends to break YAML writers.
TRICKY = st.sampled_from(
    [
        "no",
        "Yes",
        "on",
        "~",
        "null",
        "1.10",
        "0o12",
        "0x1F",
        ".inf",
        "2018-09-18",
        "- a",
        "a: b",
        "a #b",
        "?",
        "?]",
        "Kva kan gjerast?",
        "[x]",
        "{y}",
        "'",
        '"',
        "\\",
        "a'b",
        "æøå",
        "\u2028",
        "\x85",
        "\t",
        " lead",
        "trail ",
        "",
        "=",
        "<<",
        "*ref",
        "&anc",
        "!tag",
        "%dir",
        "@at",
        "`tick`",
        "| pipe",
        "> fold",
        "#",
        "x,y",
    ]
)
STRINGS = st.one_of(TRICKY, st.text(max_size=40), st.text(alphabet="aæ ø:#-?,[]{}'\"\n\t.0", max_size=20))
SCALARS = st.one_of(STRINGS, st.none(), st.booleans(), st.integers(-(10**6), 10**6))
SEGMENT = st.fixed_dictionaries(
    {
        "id": STRINGS,
        "section": st.lists(STRINGS, max_size=3),
        "span": st.lists(st.integers(0, 10**6), min_size=2, max_size=2),
        "text": STRINGS,
        "codes": st.lists(STRINGS, max_size=3),
        "terms": st.dictionaries(STRINGS, st.lists(STRINGS, max_size=2), max_size=2),
    }
)
DOCUMENT = st.fixed_dictionaries(
    {
        "document": STRINGS,
        "meta": st.dictionaries(STRINGS, SCALARS, max_size=4),
        "segments": st.lists(SEGMENT, max_size=4),
        "extra": st.lists(SCALARS, max_size=3),
    }
)


@settings(max_examples=300, deadline=None)
@given(DOCUMENT)
def test_round_trip(document: dict) -> None:
    text = emit.dump(document)
    assert yaml.load(text, Loader=yaml.SafeLoader) == document


@given(STRINGS)
def test_scalars_never_read_as_another_type(value: str) -> None:
    assert yaml.safe_load(f"k: [{emit.scalar(value, flow=True)}, x]")["k"] == [value, "x"]
    assert yaml.safe_load(f"k: {emit.scalar(value)}")["k"] == value


def test_layout_is_diff_friendly() -> None:
    text = emit.dump({"meta": {"place": "Førde", "table": 3}, "segments": [{"id": "s1", "codes": ["KE", "IP"]}]})
    assert text == "meta:\n  place: Førde\n  table: 3\nsegments:\n- id: s1\n  codes: [KE, IP]\n"


REVIEWS = st.one_of(
    st.none(),
    st.builds(
        Review,
        st.lists(STRINGS, max_size=2).map(tuple),
        st.lists(STRINGS, max_size=2).map(tuple),
        st.one_of(st.none(), STRINGS),
        st.one_of(st.none(), STRINGS),
        st.booleans(),
    ),
)
CODED_SEGMENTS = st.builds(
    CodedSegment,
    id=STRINGS,
    text=STRINGS,
    kind=st.sampled_from(["text", "heading"]),
    para=st.one_of(st.none(), st.integers(0, 10**4)),
    section=st.lists(STRINGS, max_size=3).map(tuple),
    span=st.one_of(st.none(), st.tuples(st.integers(0, 10**6), st.integers(0, 10**6))),
    # a hand-edited file may hold any YAML in `codes` (a list inside: written the general way)
    codes=st.lists(st.one_of(STRINGS, st.lists(STRINGS, max_size=1)), max_size=3).map(tuple),
    terms=st.dictionaries(
        STRINGS, st.lists(st.one_of(STRINGS, st.lists(STRINGS, max_size=1)), max_size=2).map(tuple), max_size=2
    ),
    context=st.dictionaries(STRINGS, st.tuples(STRINGS, STRINGS), max_size=2),
    review=REVIEWS,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(CODED_SEGMENTS, max_size=4), st.dictionaries(STRINGS, SCALARS, max_size=3))
def test_dump_note_writes_what_dump_of_to_dict_writes(segments: list[CodedSegment], meta: dict) -> None:
    note = CodedNote("doc", tuple(segments), meta, source="a/b.txt", sha256="0" * 64, fingerprint="1" * 64)
    assert emit.dump_note(note) == emit.dump(note.to_dict())


@given(st.one_of(STRINGS, st.text(alphabet=st.characters(), max_size=6)))
def test_block_bad_is_the_regex(text: str) -> None:
    assert emit._block_bad(text) == (emit._PLAIN_BAD.search(text) is not None)


def test_what_block_bad_assumes_of_printable_characters() -> None:
    """A printable character is never one `_NON_PRINTABLE` matches, and the only printable
    whitespace (what `\\s$` matches) is the space."""
    for char in map(chr, range(0x110000)):
        if char.isprintable():
            assert not emit._NON_PRINTABLE.match(char), repr(char)
            assert char == " " or not char.isspace(), repr(char)
