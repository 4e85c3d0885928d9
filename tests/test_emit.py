"""The YAML writer: whatever it writes, PyYAML (YAML 1.1) reads back unchanged."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from dialogtool.coded import emit

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
