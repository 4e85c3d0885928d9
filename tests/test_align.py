"""Realignment (exchange/align.py) and position conventions (exchange/positions.py).

Expected positions come from Python's own UTF-16 codec and from the edits the tests make,
not from the code under test.
"""

from __future__ import annotations

import itertools
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from dialogtool.exchange.align import align
from dialogtool.exchange.positions import (
    CODEPOINTS,
    STANDARD,
    UTF16,
    Convention,
    counter,
    decide,
    producer_convention,
    view,
)

WORDS = ["koordinerende", "enhet", "plan", "IP", "møte", "kommunen", "😀", "—", "og", "i", "sykehuset", "KE"]


def utf16_offset(text: str, index: int) -> int:
    """Code point index -> UTF-16 code units, by the codec."""
    return len(text[:index].encode("utf-16-le")) // 2


def test_identical_texts_map_to_themselves() -> None:
    text = "Koordinerende enhet 😀 må bli mer synlig."
    alignment = align(text, text)
    assert alignment.span(0, 13) == (0, 13) and alignment.span(5, 5) is None


def test_crlf_and_edits_carry_each_word_to_the_same_word() -> None:
    ours = "Tiltak:\n\nKE bør være fast sak i samarbeidsmøtene.\nInfo om IP kommer for sent. Slutt."
    theirs = "Tiltak:\r\n\r\n• KE  bør være fast sak i samarbeidsmøtene.\r\nInfo om IP kommer for seint. Slutt."
    alignment = align(theirs, ours)
    for word in ("KE", "samarbeidsmøtene", "IP", "Slutt"):
        start = theirs.index(word)
        span = alignment.span(start, start + len(word))
        assert span is not None and ours[span[0] : span[1]] == word
    start = theirs.index("seint")  # a changed word maps inside the word it replaced
    span = alignment.span(start, start + 5)
    word = ours.index("sent")
    assert span is not None and word <= span[0] < span[1] <= word + 4


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=300), st.integers(0, 2**32 - 1))
def test_every_paired_character_is_the_same_character_in_order(words: list[str], seed: int) -> None:
    """Whatever the edits, a pair joins equal characters (ignoring case) and keeps order."""
    rng = random.Random(seed)
    ours = " ".join(words)
    changed = [w.upper() if rng.random() < 0.1 else w for w in words if rng.random() > 0.05]
    changed.insert(rng.randrange(len(changed) + 1), "ekstra")
    theirs = "\r\n".join(" ".join(changed[i : i + 7]) for i in range(0, len(changed), 7))
    table = align(theirs, ours).table
    paired = [(i, j) for i, j in enumerate(table) if j >= 0]
    assert all(theirs[i].casefold() == ours[j].casefold() for i, j in paired)
    assert all(b[1] > a[1] for a, b in itertools.pairwise(paired))


def test_a_long_text_pairs_nearly_every_character() -> None:
    rng = random.Random(7)
    sentences = [" ".join(rng.choice(WORDS) for _ in range(12)) + "." for _ in range(5000)]
    ours = "\n\n".join(sentences)
    theirs = ours.replace("\n", "\r\n").replace("møte", "mote", 30)
    table = align(theirs, ours).table
    assert sum(1 for j in table if j >= 0) >= len(theirs) - theirs.count("\r") - 30 * 2


def test_utf16_positions_become_code_points() -> None:
    text = "a😀b\r\nc𝄞d"
    seen = view(text, Convention(UTF16, 2))
    for index in range(len(text) + 1):
        assert seen.index(utf16_offset(text, index)) == index
    assert seen.index(2) == 2  # inside 😀's pair of units: the character after it
    write = counter(text, UTF16)
    assert [write(i) for i in range(len(text) + 1)] == [utf16_offset(text, i) for i in range(len(text) + 1)]
    assert counter(text, CODEPOINTS)(5) == 5
    collapsed = view(text, Convention(CODEPOINTS, 1))
    assert collapsed.text == "a😀b\nc𝄞d" and collapsed.index(4) == 4


def test_producers_and_guesses() -> None:
    assert producer_convention("NVivo for Windows 12.6") == Convention(UTF16, 2)
    assert producer_convention("ATLAS.ti for Windows 23.2.3") == Convention(CODEPOINTS, 1)
    assert producer_convention("Something 1.0") is None
    text = "Først 😀 her.\r\nKoordinerende enhet må bli synlig.\r\nInfo om IP kommer for sent."
    start = text.index("Koordinerende")
    as_nvivo = (utf16_offset(text, start), utf16_offset(text, start + 19), "")
    # no recorded text, unknown producer: selections that fall on word boundaries decide
    assert decide("Other 1", text, [as_nvivo])[0] == Convention(UTF16, 2)
    assert decide("NVivo 14", text, [as_nvivo])[0] == Convention(UTF16, 2)
    # recorded text decides over the producer's habit (QualCoder writes CRLF either way)
    collapsed = text.replace("\r\n", "\n")
    one = collapsed.index("Info om IP")
    named = [(one, one + 26, "Info om IP kommer for sent")]
    assert decide("QualCoder 4.0", text, named) == (Convention(CODEPOINTS, 1), "from the selections' recorded text")
    assert decide("QualCoder 4.0", text, named, units="utf16", crlf=2) == (Convention(UTF16, 2), "as given")
    assert decide(None, "plain\ntext", named)[0] == STANDARD
