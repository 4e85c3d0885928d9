"""segment(): coding units (headings and sentences) of a normalised note."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dialogtool.ingest.normalize import normalize
from dialogtool.ingest.segment import HEADING, TEXT, Segment, is_task, segment, split_sentences

# A first body line long enough never to be taken for a title line.
BODY = "Samtalen ved bordet handlet mest om samarbeidet mellom kommunen og sykehuset."


def texts(text: str, headings: tuple[str, ...] = ()) -> list[str]:
    return [s.text for s in segment(text, headings)]


def sentences(block: str) -> list[str]:
    return [block[s:e] for s, e in split_sentences(block)]


def by_text(segments: list[Segment], text: str) -> Segment:
    (found,) = [s for s in segments if s.text == text]
    return found


# --- items --------------------------------------------------------------------------


def test_every_bullet_starts_a_new_segment() -> None:
    text = f"{BODY}\n\n• Lange ventelister\n\n• Lite informasjon til fastlegen\n\n• For få koordinatorer"
    assert texts(text) == [BODY, "• Lange ventelister", "• Lite informasjon til fastlegen", "• For få koordinatorer"]


def test_every_numbered_item_starts_a_new_segment() -> None:
    text = f"{BODY}\n\n1) Ventetid\n\na) på sykehjem\n\n1a) i hjemmetjenesten\n\n2) Oppfølging"
    assert texts(text) == [BODY, "1) Ventetid", "a) på sykehjem", "1a) i hjemmetjenesten", "2) Oppfølging"]


def test_items_are_text_not_headings_even_when_short() -> None:
    segs = segment(f"{BODY}\n\n• KE:\n\n1) IP\n\n2) Kompetanse")
    assert [s.kind for s in segs] == [TEXT, TEXT, TEXT, TEXT]  # a bullet, and a run of numbered points


def test_a_lone_numbered_title_is_a_section_heading() -> None:
    segs = segment(f"{BODY}\n\n1) Hvem ringer vi til?\n\n• Ingen svarer.\n\n2) Individuell plan\n\n• Få har IP.")
    assert [s.kind for s in segs] == [TEXT, HEADING, TEXT, HEADING, TEXT]
    assert segs[4].section == ("2) Individuell plan",)  # the second point replaces the first


def test_an_item_with_two_sentences_gives_two_segments() -> None:
    assert texts(f"{BODY}\n\n• Epikrisen kommer sent. Fastlegen må ringe.") == [
        BODY,
        "• Epikrisen kommer sent.",
        "Fastlegen må ringe.",
    ]


# --- sentences ----------------------------------------------------------------------


def test_sentence_split_at_period_and_capital() -> None:
    assert sentences("Vi snakket om IP. Kommunen har ansvaret. Alle var enige.") == [
        "Vi snakket om IP.",
        "Kommunen har ansvaret.",
        "Alle var enige.",
    ]


def test_no_split_before_lowercase_word() -> None:
    assert sentences("Vi kom kl. ti og gikk ved 2-tiden. og så videre") == [
        "Vi kom kl. ti og gikk ved 2-tiden. og så videre"
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "Vi snakket med pas. Hansen om ventetiden.",
        "Det ble tatt opp ifm. Utskrivning fra sykehuset.",
        "Det gjelder bl.a. Tromsø kommune.",
        "Det er f.eks. UNN som har ansvaret.",
        "Vi kan evnt. Ringe dem neste uke.",
        "Send el. melding til kontoret.",
        "Send el. Melding til kontoret.",
        "Tilbudet i spes.helse er godt.",
        "Et rehab.opphold hjelper mange.",
        "Eks. Fastlegen ringer sykehuset.",
        "Kurs m.m. 3 ganger i året.",
        "Det var ca. 20 deltakere.",
        "Hun het K. Hansen og var fysioterapeut.",
    ],
)
def test_abbreviations_do_not_end_a_sentence(sentence: str) -> None:
    assert sentences(sentence) == [sentence]
    assert texts(f"{BODY}\n\n{sentence}") == [BODY, sentence]


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        ("Vi har slag, MS osv. Det er mye.", ["Vi har slag, MS osv.", "Det er mye."]),
        ("Det gjelder kurs m.m. Neste sak var IP.", ["Det gjelder kurs m.m.", "Neste sak var IP."]),
        ("Brosjyrer, plakater etc. Alle var enige.", ["Brosjyrer, plakater etc.", "Alle var enige."]),
    ],
)
def test_final_abbreviations_end_a_sentence_before_a_capital(block: str, expected: list[str]) -> None:
    assert sentences(block) == expected


def test_question_and_exclamation_marks_end_sentences() -> None:
    assert sentences("Hvem har ansvaret? Ingen vet! Vi må finne ut av det.") == [
        "Hvem har ansvaret?",
        "Ingen vet!",
        "Vi må finne ut av det.",
    ]


def test_sentence_may_start_with_a_quote_or_digit() -> None:
    assert sentences("Hun sa det selv. «Vi mangler folk.» 3 kommuner deltok.") == [
        "Hun sa det selv.",
        "«Vi mangler folk.»",
        "3 kommuner deltok.",
    ]


def test_split_sentences_offsets() -> None:
    block = "Første setning. Andre setning."
    assert list(split_sentences(block)) == [(0, 15), (16, 30)]


# --- headings and sections ------------------------------------------------------------


@pytest.mark.parametrize("line", ["Utfordringer:", "Gruppe 3 - blå", "Del 1:", "TILTAK", "Oppgave 2. Kompetanse."])
def test_heading_lines_become_headings(line: str) -> None:
    segs = segment(f"{BODY}\n\n{line}\n\nDet var lite tid til å snakke om dette.")
    assert [s.kind for s in segs] == [TEXT, HEADING, TEXT]
    assert segs[1].text == line


@pytest.mark.parametrize(
    "line",
    [
        "Hvem har ansvaret for IP?",  # a question
        "Vi hadde for lite tid.",  # a short sentence in the body
        "Det var mange som mente at kommunen burde ha mer ansvar for oppfølgingen:",  # long colon line
    ],
)
def test_body_lines_are_not_headings(line: str) -> None:
    segs = segment(f"{BODY}\n\n{line}")
    assert [s.kind for s in segs] == [TEXT, TEXT]


@pytest.mark.parametrize(
    ("title", "item"),
    [
        ("Bemanning og pengar, kort oppsummert", "• Rehabilitering konkurrerer om dei same kronene"),  # nn, a comma
        ("Det vi ble enige om å ta med videre", "1. En telefon før utreise."),  # nb, ten words over a numbered list
        ("Kva eg tek med meg heim", "1) Gjere eininga kjend for alle tilsette."),
    ],
)
def test_a_line_that_is_no_sentence_titles_the_list_under_it(title: str, item: str) -> None:
    segs = segment(f"{BODY}\n\n{title}\n\n{item}\n\nSamtalen gikk videre til neste oppgave etterpå.")
    assert [s.kind for s in segs] == [TEXT, HEADING, TEXT, TEXT]
    assert segs[2].section == (title,)


@pytest.mark.parametrize(
    ("line", "after"),
    [
        ("Bordet peika på at dette tek tid.", "• Lange ventelister"),  # a sentence
        ("Vi snakket om mange ting rundt bordet og kom fram til noen forslag", "• Mer kurs"),  # eleven words
        ("Dei fleste var einige", "Det var lite tid til å snakke om dette."),  # no list under it
        ("ingen hadde oversikt over dette", "• Lange ventelister"),  # starts in lower case: a broken line
    ],
)
def test_a_sentence_or_a_line_over_no_list_is_no_title(line: str, after: str) -> None:
    segs = segment(f"{BODY}\n\n{line}\n\n{after}")
    assert by_text(segs, line).kind == TEXT


def test_a_word_processor_document_marks_its_own_titles() -> None:
    segs = segment(f"{BODY}\n\nBemanning og pengar, kort oppsummert\n\n• Vikarbruk i sommar", styled=True)
    assert by_text(segs, "Bemanning og pengar, kort oppsummert").kind == TEXT


def test_headings_set_sections() -> None:
    text = (
        f"{BODY}\n\nGruppe 3 - blå\n\nUtfordringer:\n\nDet er lite info.\n\nMuligheter:\n\nMer kurs.\n\n"
        "Gruppe 4 - rød\n\nVi tok en pause.\n\nDel 1:\n\nMer tekst her."
    )
    segs = segment(text)
    assert [(s.kind, s.text, s.section) for s in segs] == [
        (TEXT, BODY, ()),
        (HEADING, "Gruppe 3 - blå", ()),
        (HEADING, "Utfordringer:", ("Gruppe 3 - blå",)),
        (TEXT, "Det er lite info.", ("Gruppe 3 - blå", "Utfordringer")),
        # a colon heading replaces the colon heading before it
        (HEADING, "Muligheter:", ("Gruppe 3 - blå", "Utfordringer")),
        (TEXT, "Mer kurs.", ("Gruppe 3 - blå", "Muligheter")),
        # a non-colon heading replaces the outer one and closes the inner one
        (HEADING, "Gruppe 4 - rød", ("Gruppe 3 - blå", "Muligheter")),
        (TEXT, "Vi tok en pause.", ("Gruppe 4 - rød",)),
        (HEADING, "Del 1:", ("Gruppe 4 - rød",)),
        (TEXT, "Mer tekst her.", ("Gruppe 4 - rød", "Del 1")),
    ]


def test_section_ids_are_the_ids_of_the_headings() -> None:
    segs = segment(f"{BODY}\n\nGruppe 3 - blå\n\nUtfordringer:\n\nDet er lite info.")
    group, challenges, sentence = segs[1], segs[2], segs[3]
    assert sentence.section_ids == (group.id, challenges.id)
    assert challenges.section_ids == (group.id,)
    assert segs[0].section_ids == ()


def test_colon_heading_without_outer_heading() -> None:
    segs = segment(f"{BODY}\n\nUtfordringer:\n\nLite info.\n\nMuligheter:\n\nMer kurs.")
    assert by_text(segs, "Lite info.").section == ("Utfordringer",)
    assert by_text(segs, "Mer kurs.").section == ("Muligheter",)


def test_headings_argument_forces_a_heading() -> None:
    line = "Dette er en vanlig setning som ellers ville vært brødtekst."
    text = f"{BODY}\n\n{line}\n\nKommunen har ansvaret."
    assert [s.kind for s in segment(text)] == [TEXT, TEXT, TEXT]
    segs = segment(text, headings=(line,))
    assert [s.kind for s in segs] == [TEXT, HEADING, TEXT]
    assert segs[2].section == (line.rstrip(":"),)


def test_headings_argument_ignored_for_text_not_in_the_note() -> None:
    segs = segment(f"{BODY}\n\nKommunen har ansvaret.", headings=("Noe helt annet",))
    assert [s.kind for s in segs] == [TEXT, TEXT]


def test_para_numbers_count_blocks() -> None:
    segs = segment(f"{BODY}\n\nFørste. Andre.\n\nTredje.")
    assert [(s.text, s.para) for s in segs] == [(BODY, 1), ("Første.", 2), ("Andre.", 2), ("Tredje.", 3)]


# --- spans and ids ------------------------------------------------------------------


def test_segment_text_is_the_span_of_the_normalised_text() -> None:
    text = normalize(
        "Oppsummering dialogmøte i Bodø 12.10.2018\n\nKafébord 2.\n\nUtfordringer:\n\uf0b7 Lange ventelister."
        " Lite info.\n1) pas. Hansen ventet\n\nlenge på svar. Hvorfor?"
    )
    segs = segment(text)
    assert [s.text for s in segs] == [
        "Oppsummering dialogmøte i Bodø 12.10.2018",
        "Kafébord 2.",
        "Utfordringer:",
        "• Lange ventelister.",
        "Lite info.",
        "1) pas. Hansen ventet lenge på svar.",
        "Hvorfor?",
    ]
    for s in segs:
        assert text[s.start : s.end] == s.text


def test_ids_are_stable_and_depend_only_on_the_text() -> None:
    first = segment(f"{BODY}\n\nKommunen har ansvaret.")
    second = segment("Et helt annet innhold står her først i notatet, med mange ord.\n\nKommunen har ansvaret.")
    assert first[1].text == second[1].text == "Kommunen har ansvaret."
    assert first[1].id == second[1].id
    assert first[0].id != second[0].id
    assert all(re.fullmatch(r"s[0-9a-f]{8}(-\d+)?", s.id) for s in first + second)


def test_duplicate_texts_get_unique_ids_with_a_suffix() -> None:
    segs = segment(f"{BODY}\n\nVi ble enige.\n\nVi ble enige. Vi ble enige.")
    ids = [s.id for s in segs]
    assert len(set(ids)) == len(ids) == 4
    base = segs[1].id
    assert ids[2:] == [f"{base}-2", f"{base}-3"]


def test_empty_text_has_no_segments() -> None:
    assert segment("") == []


WORDS = [
    "Det",
    "det",
    "er",
    "kommunen",
    "pas.",
    "osv.",
    "m.m.",
    "bl.a.",
    "f.eks.",
    "UNN",
    "KE",
    "Gruppe",
    "3",
    "Del",
    "1:",
    "Utfordringer:",
    "1)",
    "a)",
    "•",
    "-",
    "?",
    "!",
    ".",
    "«Sitat.»",
    "(parentes)",
    "K.",
    "og",
    "for",
    "…",
    "12.",
    "Oktober",
    "TILTAK",
]


def _check_spans(text: str) -> None:
    segs = segment(text)
    covered = [False] * len(text)
    previous_end = 0
    for s in segs:
        assert s.kind in (HEADING, TEXT)
        assert s.text == text[s.start : s.end]
        assert s.text and s.text == s.text.strip()
        assert previous_end <= s.start < s.end  # in order, non-overlapping
        previous_end = s.end
        for i in range(s.start, s.end):
            covered[i] = True
    missing = [c for c, hit in zip(text, covered, strict=True) if not hit and not c.isspace()]
    assert missing == []
    assert len({s.id for s in segs}) == len(segs)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='abcdeæøåABCDEÆØÅ019  \n\n.,:;?!()«»"-–•…', max_size=200))
def test_spans_cover_all_non_space_text(raw: str) -> None:
    _check_spans(normalize(raw))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from([" ", "\n", "\n\n"])), max_size=40))
def test_spans_cover_all_non_space_text_of_word_sequences(pieces: list[tuple[str, str]]) -> None:
    _check_spans(normalize("".join(word + sep for word, sep in pieces)))


def test_a_round_with_its_number_is_a_task_heading() -> None:
    raw = (
        "Kafébord 3\n\nRunde 1 – Utfordringar\nDei fleste kjenner ikkje eininga.\n\n"
        "Runde 2: Kva fungerer?\nFaste møte.\n"
    )
    segs = segment(normalize(raw))
    kinds = {s.text: (s.kind, s.section[-1:]) for s in segs}
    assert kinds["Runde 1 – Utfordringar"][0] == HEADING
    assert kinds["Dei fleste kjenner ikkje eininga."][1] == ("Runde 1 – Utfordringar",)
    assert kinds["Faste møte."][1] == ("Runde 2: Kva fungerer?",)


@pytest.mark.parametrize("label", ["Spm. 2", "Oppg. 2", "Spm. nr. 2"])
def test_an_abbreviated_task_label_is_one_task_heading(label: str) -> None:
    segs = segment(normalize(f"Kafébord 1\n\n{label}: KE / IP\n• ukjent for mange\n"))
    kinds = {s.text: (s.kind, s.section[-1:]) for s in segs}
    assert kinds[f"{label}: KE / IP"][0] == HEADING and is_task(f"{label}: KE / IP")
    assert kinds["• ukjent for mange"][1] == (f"{label}: KE / IP",)


def test_rounds_nest_under_their_task_and_a_written_by_line_is_a_byline() -> None:
    raw = (
        "Oppsummering kafébord 2\n\nTema: Individuell plan\n\nSkrevet av Ingrid Hals og Per Rønning\n\n"
        "Runde 1\n\nPlanen kommer sent i gang.\n\nRunde 2\n\nKurs for nye koordinatorer.\n"
    )
    paths = {s.text: s.section for s in segment(normalize(raw))}
    assert paths["Planen kommer sent i gang."][-2:] == ("Tema: Individuell plan", "Runde 1")
    assert paths["Kurs for nye koordinatorer."][-2:] == ("Tema: Individuell plan", "Runde 2")
    assert all("Skrevet av" not in name for path in paths.values() for name in path)


@pytest.mark.parametrize(
    ("sheet", "stickers", "item"),
    [
        ("ARK 2 «HVEM HOLDER I TRÅDEN?»", "GULE LAPPER", "• lære av hverandre"),
        ("Ark 2 – Kven held i trådane", "GULE LAPPAR", "• lære av kvarandre"),
    ],
)
def test_flip_chart_sheets_and_a_heading_in_capitals_are_main_headings(sheet: str, stickers: str, item: str) -> None:
    # «… fant det» ends on a function word, yet the capitals line after it is a heading
    raw = (
        f"Kafébord 2\n\n{sheet}\n- ingen rundt bordet fant det\n{stickers}\n{item}\n\n"
        "ARK 3 TILTAK (prikker)\n1. ringe før\n"
    )
    segs = segment(normalize(raw))
    paths = {s.text: (s.kind, s.section[-1:]) for s in segs}
    assert paths[sheet][0] == HEADING and paths[stickers][0] == HEADING
    assert paths["• ingen rundt bordet fant det"][1] == (sheet,)
    assert paths[item][1] == (stickers,)  # the stickers' heading replaces the sheet's, not under it
    assert paths["1. ringe før"][1] == ("ARK 3 TILTAK (prikker)",) and is_task("ARK 3 TILTAK (prikker)")


def test_an_acronym_that_ends_a_wrapped_sentence_still_joins() -> None:
    assert texts(normalize("Pasienten får hjelp fra\nNAV og kommunen.")) == ["Pasienten får hjelp fra NAV og kommunen."]


def _sentences_by_regex(block: str) -> list[tuple[int, int]]:
    """split_sentences without its quick test: every block through the regex scan."""
    from dialogtool.ingest import segment as module

    spans, start = [], 0
    for match in module._SENTENCE_END.finditer(block):
        following = module._NEXT_START.match(block, match.end())
        if following is None or not module._ends_sentence(block, match.start(), following.group(1)):
            continue
        spans.append((start, match.end()))
        start = following.start(1) - (1 if block[following.start(1) - 1] in '«"“([' else 0)
    if start < len(block):
        spans.append((start, len(block)))
    return spans


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from("aB1 .!?…»”\"’')]«(\n\tosv"), max_size=40))
def test_split_sentences_is_the_regex_scan(block: str) -> None:
    assert split_sentences(block) == _sentences_by_regex(block)
