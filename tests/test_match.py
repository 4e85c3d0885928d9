"""Matching codebook terms in text: inflection, compounds, acronyms, exclusions, headings."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dialogtool.coding.codebook import Codebook, load_codebook, parse_codebook
from dialogtool.coding.matcher import Hit, Matcher, Part, _token_words, code_hits, code_note, tokenizer, words_of
from dialogtool.ingest.normalize import normalize
from dialogtool.ingest.note import read_note
from dialogtool.ingest.segment import HEADING, segment

ROOT = Path(__file__).resolve().parents[1]


def book(*codes: tuple[str, list[str], list[str]], inherit: bool = True) -> Codebook:
    """A codebook from (id, terms, exclude) triples; children follow their parent's id."""
    lines = [f"inherit_headings: {'true' if inherit else 'false'}", "codes:"]
    for code_id, terms, exclude in codes:
        lines += [f"  - id: {code_id}", f"    label: Tema {code_id}"]
        lines.append(f"    terms: {json.dumps(terms, ensure_ascii=False)}")
        if exclude:
            lines.append(f"    exclude: {json.dumps(exclude, ensure_ascii=False)}")
    return parse_codebook("\n".join(lines) + "\n", "test.yaml")


def matches(term: str, text: str, exclude: tuple[str, ...] = ()) -> bool:
    matcher = Matcher(book(("T", [term], list(exclude))))
    return "T" in code_hits(matcher.hits(words_of(text)))


def codes_in(matcher: Matcher, text: str) -> set[str]:
    return set(code_hits(matcher.hits(words_of(text))))


@pytest.fixture(scope="module")
def real() -> Matcher:
    return Matcher(load_codebook(ROOT / "codebook.yaml"))


# --- words_of -----------------------------------------------------------------------------


def test_words_of_splits_at_hyphens_and_slashes() -> None:
    text = "IP-planen og muskel-/skjelettplager, CFS/ME."
    parts = words_of(text)
    assert [p.text for p in parts] == ["IP", "planen", "og", "muskel", "skjelettplager", "CFS", "ME"]
    for p in parts:
        assert text[p.start : p.end] == p.text


def test_words_of_offset_and_punctuation() -> None:
    parts = words_of("«Ja» – sa hun!", offset=100)
    assert parts == [Part("Ja", 101, 103), Part("sa", 107, 109), Part("hun", 110, 113)]


def test_tokenizer_splits_as_spacys_blank_norwegian() -> None:
    """The bare-vocabulary tokenizer gives spaCy's own tokens: abbreviations, URLs, numbers, dates,
    emoticons, quotes, hyphens and slashes, in both written standards and every sample note."""
    import spacy

    texts = [
        "Bl.a. pasientar m/ KOLS, f.eks. ca. 20 % (jf. s. 4) – sjå www.helse-nord.no/ip eller post@kommune.no!",
        "«Dei» sa: IP-planen/ME-pasientane 2019-2020 :-) kl. 08.30, 1.-2. okt., nr. 3a; o.l. osv. dvs. evt.",
        "Tlf. 77 62 60 00 – 12,5 mill. kr … 1) Kva? a) Korleis?? «Pasient-/brukarombod»… St.meld. 47 (2008–2009)",
    ]
    texts += [read_note(p).text for p in sorted((ROOT / "data" / "raw").glob("*.*")) if p.suffix in (".txt", ".docx")]
    standard = spacy.blank("nb").tokenizer
    for text in texts:
        assert [(t.text, t.idx) for t in tokenizer()(text)] == [(t.text, t.idx) for t in standard(text)]


def test_words_by_run_are_the_words_of_spacys_tokens(real: Matcher) -> None:
    """Looking words up run by run (`run_words`) finds what spaCy's tokens of the whole text give,
    in every sample note."""
    texts = [read_note(p).text for p in sorted((ROOT / "data" / "raw").glob("*.*")) if p.suffix in (".txt", ".docx")]
    for text in texts:
        assert real.run_words(text) == _token_words(text, real)


def test_runs_split_where_spacys_tokenizer_splits() -> None:
    """spaCy's tokenizer splits at the characters `str.isspace` is true for; `run_words` splits with
    the regular expression `\\S+`: both agree on every code point."""
    import sys

    space = re.compile(r"\s")
    assert [c for c in map(chr, range(sys.maxunicode + 1)) if (space.fullmatch(c) is not None) != c.isspace()] == []


# Pieces that spaCy's special cases are made of («f.eks.», «:-)», «o.l.»), cut where its tokens are,
# so that made-up texts put one half of a special case before a space and the other after it.
_PIECES = [*"():;-_.'’8D<>/3oOs", "f.", "eks.", "f.eks", "e.Kr", "ca", "Kr.F.", "Dr", "o.l", "bl.a", "kl."]
_PIECES += ["IP", "Det", "plan"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_PIECES), st.sampled_from(["", " ", "  ", "\n", "\n\n"])), max_size=12))
def test_words_by_run_match_spacy_across_special_cases(pieces: list[tuple[str, str]]) -> None:
    """Where a special case could span two runs, `run_words` declines (None) and spaCy's tokens
    decide; everywhere else both give the same words."""
    matcher = _small_matcher()
    text = "".join(piece + gap for piece, gap in pieces)
    words = matcher.run_words(text)
    assert words is None or words == _token_words(text, matcher)


def test_words_by_run_decline_a_special_case_across_a_space() -> None:
    """In «e.Kr .» spaCy matches the special case «Kr.» across the space; as the longer match it
    keeps «e.» from being one token, which it is in «e.Kr» alone. «:D» could span «er: D», not «er: Det»."""
    whole = [(t.text, t.idx) for t in tokenizer()("e.Kr .")]
    assert whole[:2] == [("e", 0), (".", 1)]
    assert next(t.text for t in tokenizer()("e.Kr")) == "e."
    matcher = _small_matcher()
    assert matcher.run_words("IP e.Kr . plan") is None
    assert matcher.run_words("Det er: D") is None
    assert matcher.run_words("Det er: Det") == _token_words("Det er: Det", matcher)


@settings(max_examples=500, deadline=None)
@given(st.text(st.characters(categories=["Lu", "Ll", "Lt", "Lm", "Lo"]), min_size=1, max_size=16))
def test_a_run_of_letters_is_one_token(word: str) -> None:
    """`Matcher._add_word` takes a run of letters for one word without asking spaCy: it must be
    one token, whatever the letters (Norwegian, other scripts, capitals)."""
    assume(word.isalpha() and word not in tokenizer().rules)
    assert [t.text for t in tokenizer()(word)] == [word]
    matcher = _small_matcher()
    text = f"{word} IP-plan {word}"
    assert matcher.run_words(text) == _token_words(text, matcher)


@settings(max_examples=500, deadline=None)
@given(
    st.text(st.characters(categories=["Lu", "Ll", "Lt", "Lm", "Lo"]), min_size=1, max_size=12),
    st.sampled_from([*",;:!?)", ".", "a.", "æ.", "ø."]),
)
def test_a_word_and_its_punctuation_are_two_tokens(word: str, mark: str) -> None:
    """`Matcher._add_word` takes «ord,» and «ord.» for a word and a mark without asking spaCy."""
    run = word + mark
    word, mark = run[:-1], run[-1]
    small = "abcdefghijklmnopqrstuvwxyzæøåéèêóòôüäö"
    assume(word.isalpha() and word not in tokenizer().rules and run not in tokenizer().rules)
    assume(mark != "." or word[-1] in small)
    assert [t.text for t in tokenizer()(run)] == [word, mark]
    matcher = _small_matcher()
    text = f"{run} IP-plan {run}"
    assert matcher.run_words(text) == _token_words(text, matcher)


def test_a_long_note_of_new_runs_is_tokenised_in_batches() -> None:
    """More than `_CHUNK` characters of new runs go to spaCy in several calls, with the same words."""
    import random

    rng = random.Random(3)
    text = " ".join("".join(rng.choice("abcIPæ-/0123") for _ in range(rng.randint(1, 9))) for _ in range(40_000))
    matcher = Matcher(book(("T", ["IP", "plan"], [])))
    assert len(text) > 2 * 100_000
    words = matcher.run_words(text)
    assert words is not None
    assert words == _token_words(text, matcher)


_SMALL: list[Matcher] = []


def _small_matcher() -> Matcher:
    if not _SMALL:
        _SMALL.append(Matcher(book(("T", ["IP", "plan", "det"], []))))
    return _SMALL[0]


# --- inflection ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("term", "text"),
    [
        ("individuell plan", "De har individuelle planer for alle."),  # Bokmål
        ("individuell plan", "Dei har individuelle planar for alle."),  # Nynorsk
        ("individuell plan", "Den individuelle planen var ikke oppdatert."),
        ("pasient", "pasientane"),
        ("pasient", "pasientene"),
        ("pasient", "pasientens"),
        ("pasient", "pasientar"),
        ("koordinerende enhet", "Det finnes koordinerende enheter i alle kommuner."),
        ("koordinerende enhet", "Koordinerende enhet har ansvaret."),
        ("kommune", "kommunane"),
        ("sjukehus", "sjukehusa"),
    ],
)
def test_plain_words_match_inflections(term: str, text: str) -> None:
    assert matches(term, text)


@pytest.mark.parametrize(
    ("term", "text"),
    [
        ("plan", "planlegging"),  # a plain word does not match inside a compound
        ("pasient", "slagpasient"),
        ("individuell plan", "individuell og god plan"),  # not adjacent
        ("individuell plan", "planen er individuell"),  # wrong order
        ("koordinerende enhet", "enheten er koordinerende"),
    ],
)
def test_plain_words_do_not_overmatch(term: str, text: str) -> None:
    assert not matches(term, text)


# --- compounds ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("term", "text", "expected"),
    [
        ("*kompetanse*", "brukerkompetansen", True),
        ("*kompetanse*", "kompetanse", True),
        ("*kompetanse*", "Kompetanseheving", True),
        ("*kompetanse*", "kompetent", False),
        ("*pasient", "slagpasientene", True),
        ("*pasient", "slagpasientane", True),
        ("*pasient", "pasientforløp", False),
        ("slag*", "slagpasient", True),
        ("slag*", "Slagenheten", True),
        ("slag*", "hjerneslag", False),
    ],
)
def test_star_matches_inside_compounds(term: str, text: str, expected: bool) -> None:
    assert matches(term, text) is expected


# --- acronyms -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("term", "text"),
    [
        ("KE", "Vi kontaktet KE i går."),
        ("IP", "IP-planen ble ikke brukt."),
        ("ME", "ME-pasienter får lite hjelp."),
        ("VK", "VK-utstyr mangler."),
        ("MS", "Personer med MS trenger oppfølging."),
        ("KE", "(KE)"),
    ],
)
def test_acronyms_match_whole_capitalised_words(term: str, text: str) -> None:
    assert matches(term, text)


@pytest.mark.parametrize(
    ("term", "text"),
    [
        ("KE", "ke"),
        ("KE", "Ke"),
        ("ME", "Me treng meir hjelp frå kommunen."),  # Nynorsk "me" = we
        ("ME", "me"),
        ("MS", "ms"),
        ("KE", "KEM"),
        ("KE", "SKE"),
        ("IP", "VIP-behandling"),
        ("IP", "tips"),
    ],
)
def test_acronyms_never_match_lowercase_or_longer_words(term: str, text: str) -> None:
    assert not matches(term, text)


# --- exact forms and exclusions -------------------------------------------------------------------


def test_exact_form_only() -> None:
    assert matches("=ord", "Det var hans ord.")
    assert matches("=ord", "ORD")
    assert not matches("=ord", "ordet")
    assert not matches("=ord", "ordene")


def test_exclusion_vetoes_overlapping_hit() -> None:
    assert matches("slag*", "slagpasienter", exclude=("=slags",))
    assert not matches("slag*", "Hva slags tilbud finnes?", exclude=("=slags",))
    assert matches("slag*", "Hva slags tilbud får slagpasienter?", exclude=("=slags",))
    assert matches("slag*", "Hva slags tilbud finnes?")  # without the exclusion it would fire


def test_prefix_exclusion() -> None:
    assert not matches("kreft*", "Kreftkoordinatoren ringte.", exclude=("kreftkoordinator*",))
    assert matches("kreft*", "Kreftpasienter får oppfølging.", exclude=("kreftkoordinator*",))


def test_exclusion_applies_only_to_its_own_code() -> None:
    matcher = Matcher(book(("KREFT", ["kreft*"], ["kreftkoordinator*"]), ("IP", ["*koordinator*"], [])))
    assert codes_in(matcher, "Kreftkoordinatoren ringte.") == {"IP"}


def test_code_hits_lists_matched_patterns_sorted() -> None:
    matcher = Matcher(book(("IP", ["koordinator*", "individuell plan", "IP"], [])))
    terms = code_hits(matcher.hits(words_of("IP og individuell plan krever en koordinator.")))
    assert terms == {"IP": ("IP", "individuell plan", "koordinator*")}


def test_code_hits_veto_only_overlapping() -> None:
    hits = [
        Hit("A", "slag*", 0, 5, False),
        Hit("A", "=slags", 0, 6, True),
        Hit("A", "slag*", 10, 20, False),
        Hit("B", "slag*", 0, 5, False),
    ]
    assert code_hits(hits) == {"A": ("slag*",), "B": ("slag*",)}
    assert code_hits(hits[:2]) == {}


# --- multi-word and slashed terms -----------------------------------------------------------------


def test_hit_offsets_span_the_phrase() -> None:
    text = "Vi har individuelle planer for alle."
    matcher = Matcher(book(("IP", ["individuell plan"], [])))
    (hit,) = matcher.hits(words_of(text))
    assert (hit.code, hit.pattern, hit.exclude) == ("IP", "individuell plan", False)
    assert text[hit.start : hit.end] == "individuelle planer"


def test_slashed_terms() -> None:
    assert matches("CFS/ME", "Pasienter med CFS/ME blir ikke trodd.")
    assert matches("CFS/ME", "CFS-ME")
    assert not matches("CFS/ME", "CFS og ME")
    assert matches("muskel/skjelett*", "Mange har muskel-/skjelettplager.")
    assert matches("muskel/skjelett*", "muskel/skjelettlidelser")
    assert not matches("muskel/skjelett*", "muskel- og skjelettplager")


def test_hyphenated_term_matches_hyphenated_text() -> None:
    assert matches("e-melding", "Vi sender e-meldinger hver dag.")
    assert matches("IP-team", "IP-teamet møtes hver uke.")


# --- code_note ----------------------------------------------------------------------------


BODY = "Samtalen ved bordet handlet mest om samarbeidet mellom etatene den dagen."
NOTE = (
    f"{BODY}\n\nKoordinerende enhet:\n\nDe fleste kjente ikke til tilbudet.\n\n"
    "Informasjonsflyt og kompetanse var også tema.\n\nGruppe 2\n\nVi spiste lunsj."
)


def _coded(codebook: Codebook, raw: str = NOTE):
    text = normalize(raw)
    segs = segment(text)
    return segs, code_note(text, segs, Matcher(codebook))


THEMES = (("KE", ["koordinerende enhet"], []), ("KOMP", ["*kompetanse*"], []), ("INFO", ["informasjonsflyt"], []))


def test_code_note_codes_every_segment_and_inherits_heading_themes() -> None:
    segs, codings = _coded(book(*THEMES))
    assert [s.text for s in segs] == [
        BODY,
        "Koordinerende enhet:",
        "De fleste kjente ikke til tilbudet.",
        "Informasjonsflyt og kompetanse var også tema.",
        "Gruppe 2",
        "Vi spiste lunsj.",
    ]
    assert len(codings) == len(segs)
    body, heading, uncoded, coded, group, lunch = codings
    assert body.codes == () and body.context == {}
    assert segs[1].kind == HEADING
    assert heading.codes == ("KE",) and heading.terms == {"KE": ("koordinerende enhet",)}
    # an uncoded sentence under the heading takes its theme, marked as inherited from it
    assert uncoded.codes == ("KE",) and uncoded.terms == {} and uncoded.context == {"KE": ("heading", segs[1].id)}
    # a sentence with its own codes does not inherit; codes follow codebook order (KOMP before INFO)
    assert coded.codes == ("KOMP", "INFO") and coded.context == {}
    assert coded.terms == {"KOMP": ("*kompetanse*",), "INFO": ("informasjonsflyt",)}
    # a new heading without themes ends the inheritance
    assert group.codes == () and lunch.codes == () and lunch.context == {}


def test_code_note_no_inheritance_when_disabled() -> None:
    _, codings = _coded(book(*THEMES, inherit=False))
    assert codings[1].codes == ("KE",)
    assert codings[2].codes == () and codings[2].context == {}
    assert codings[3].codes == ("KOMP", "INFO")


def test_code_note_inherits_from_the_nearest_heading_with_themes() -> None:
    raw = f"{BODY}\n\nOppgave 2 – individuell plan\n\nUtfordringer:\n\nMange visste ikke hvem som hadde ansvaret."
    segs, codings = _coded(book(("IP", ["individuell plan"], [])), raw)
    assert [(s.kind, s.text) for s in segs][1:3] == [
        (HEADING, "Oppgave 2 – individuell plan"),
        (HEADING, "Utfordringer:"),
    ]
    assert segs[3].section_ids == (segs[1].id, segs[2].id)
    assert codings[2].codes == ()  # a heading never inherits
    assert codings[3].codes == ("IP",)
    assert codings[3].context == {"IP": ("heading", segs[1].id)}


def test_code_note_codes_in_codebook_order() -> None:
    codebook = book(("A", ["epikrise"], []), ("B", ["fastlege"], []), ("C", ["ventetid"], []))
    text = "Ventetiden er lang, fastlegen venter, og epikrisen kommer sent."
    _, (coding,) = _coded(codebook, text)
    assert coding.codes == ("A", "B", "C")


def test_code_note_terms_stay_inside_their_segment() -> None:
    codebook = book(("IP", ["individuell plan"], []))
    text = f"{BODY}\n\nVi snakket om individuell. Plan for neste møte ble laget."
    _, codings = _coded(codebook, text)
    assert [c.codes for c in codings] == [(), (), ()]


# --- acronyms in a note typed all in lower case -----------------------------------------------

_ACRONYMS = (("KE", ["KE"], []), ("IP", ["IP"], []), ("ME", ["ME"], []))
_HURRIED = {
    "nb": "kafebord 2 notater\n- lite kjent i kommunen\n- {line}\n- ingen tid til mer\n- neste gang bedre\n- takk",
    "nn": "kafebord 2 notat\n- lite kjent i kommunen\n- {line}\n- ingen tid til meir\n- neste gong betre\n- takk",
}


@pytest.mark.parametrize(
    ("language", "line", "expected"),
    [
        ("nb", "mange vet ikke om ke finnes", ("KE",)),
        ("nn", "mange veit ikkje om ke finst", ("KE",)),
        ("nb", "ip blir laget men ligger i en skuff", ("IP",)),
        ("nn", "ip vert laga men ligg i ei skuff", ("IP",)),
        # the acronym that is also a word in lower case stays the word: Nynorsk «me» is «we»
        ("nn", "me har ikkje tid til ip", ("IP",)),
        # an acronym inside a product name stays part of it
        ("nb", "ip-telefonen på kontoret virker ikke", ()),
    ],
)
def test_a_note_typed_in_lower_case_writes_its_acronyms_so(language: str, line: str, expected: tuple[str, ...]) -> None:
    segs, codings = _coded(book(*_ACRONYMS), _HURRIED[language].format(line=line))
    (index,) = [i for i, s in enumerate(segs) if line in s.text]
    assert codings[index].codes == expected


@pytest.mark.parametrize(
    "line",
    ["Mange vet ikke om ke finnes.", "Ip blir laget, men ligger i en skuff."],
)
def test_lower_case_acronyms_do_not_count_in_a_note_written_in_sentences(line: str) -> None:
    text = "\n\n".join(
        [BODY, "Det var lite kjent i kommunen.", line, "Ingen hadde tid til mer.", "Neste gang blir bedre.", "Takk."]
    )
    _, codings = _coded(book(*_ACRONYMS), text)
    assert all(c.codes == () for c in codings)


# --- the real codebook ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Kommunen manglar ein koordinator for den individuelle planen.", {"IP"}),
        ("Vi treng betre informasjonsflyt mellom sjukehuset og kommunen.", {"INFO"}),
        ("Koordinerende enhet i kommunen er lite kjent blant fastlegene.", {"KE"}),
        ("Den koordinerande eininga har for lite ressursar.", {"KE"}),
        ("Me veit at brukarane ynskjer meir rettleiing frå spesialisthelsetenesta.", {"KOMP"}),
        ("Mange slagpasientar får ikkje tilbod etter utskriving.", {"GRUPPER.NEVRO"}),
        ("Pasienter med CFS/ME får ikke et godt nok tilbud.", {"GRUPPER", "GRUPPER.ME"}),
        # a condition as the topic of competence is not a group with unmet needs (a mere mention)
        ("Vi trenger mer kompetanse om demens i hjemmetjenesten.", {"KOMP"}),
        ("Personer med demens får for lite oppfølging i hjemmetjenesten.", {"GRUPPER.KOGNITIV"}),
        ("Epikrisen kommer ofte for seint til fastlegen.", {"INFO"}),
        ("Personer med muskel-/skjelettplager faller mellom to stoler.", {"GRUPPER", "GRUPPER.MUSKEL"}),
        ("Ansvarsgruppemøtene fungerer godt når alle kommer.", {"IP"}),
        ("Det var god stemning, og kaffen var varm.", set()),
        ("Kreftkoordinatoren kjenner familien godt.", set()),
        ("Tilbakemeldingen fra deltakerne var positiv.", set()),
        ("Hva slags VK-system har dere?", {"INFO"}),
    ],
)
def test_real_codebook_sentences(real: Matcher, sentence: str, expected: set[str]) -> None:
    assert codes_in(real, sentence) == expected


def test_real_codebook_hva_slags_is_not_grupper(real: Matcher) -> None:
    found = codes_in(real, "Hva slags VK-system har dere?")
    assert not any(code.startswith("GRUPPER") for code in found)
    assert "GRUPPER.NEVRO" in codes_in(real, "Hva slags tilbud får slagpasientene?")


def test_real_codebook_code_note(real: Matcher) -> None:
    raw = (
        "Oppsummering etter dialogmøte i Førde 24.10.2018\n\n"
        "Dei fleste kommunane har ikkje nok folk til å følgje opp alle.\n\n"
        "Individuell plan:\n\n"
        "Det tek for lang tid før nokon tek ansvar.\n\n"
        "Vi treng betre informasjonsflyt mellom sjukehuset og kommunen."
    )
    segs, codings = _coded(real.codebook, raw)
    result = {s.text: c.codes for s, c in zip(segs, codings, strict=True)}
    assert result == {
        "Oppsummering etter dialogmøte i Førde 24.10.2018": (),
        "Dei fleste kommunane har ikkje nok folk til å følgje opp alle.": (),
        "Individuell plan:": ("IP",),
        "Det tek for lang tid før nokon tek ansvar.": ("IP",),
        "Vi treng betre informasjonsflyt mellom sjukehuset og kommunen.": ("INFO",),
    }
    assert codings[3].context == {"IP": ("heading", segs[2].id)}


@pytest.mark.parametrize("hyphen", ["\u2010", "\u2011"])
def test_unicode_hyphens_split_words(real: Matcher, hyphen: str) -> None:
    text = normalize(f"Vi trenger et KE{hyphen}nettverk for pasienter med muskel{hyphen}/skjelettplager.")
    assert codes_in(real, text) == {"KE", "GRUPPER.MUSKEL"}
