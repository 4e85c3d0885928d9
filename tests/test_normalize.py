"""normalize(): repair of the artefacts that Word/PDF extraction leaves in a note."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dialogtool.ingest.normalize import (
    _FOOTER,
    _LONE_LABEL,
    NUMBERED,
    _in_capitals,
    _page_number,
    clean_line,
    is_item,
    labelled,
    normalize,
    numbered,
)
from dialogtool.ingest.readers import read_source

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


# --- bullets -------------------------------------------------------------------------


@pytest.mark.parametrize("glyph", ["\uf0b7", "\uf0f0"])
def test_private_use_bullet_glyph_becomes_bullet(glyph: str) -> None:
    assert normalize(f"{glyph}\tTilbudet er for dårlig") == "• Tilbudet er for dårlig"
    assert normalize(f"{glyph} Tilbudet er for dårlig") == "• Tilbudet er for dårlig"


def test_private_use_glyph_inside_a_line_is_dropped() -> None:
    assert normalize("Kommunen\uf0f0 har ansvaret") == "Kommunen har ansvaret"


@pytest.mark.parametrize(
    "line",
    [
        "• Lange ventelister",
        "▪ Lange ventelister",
        "- Lange ventelister",
        "– Lange ventelister",
        "* Lange ventelister",
        "-Lange ventelister",  # dash glued to the word
        "  •   Lange   ventelister  ",
    ],
)
def test_bullet_marks_become_bullet(line: str) -> None:
    assert normalize(line) == "• Lange ventelister"


def test_dash_without_space_before_det() -> None:
    assert normalize("-Det var lite kontakt") == "• Det var lite kontakt"


def test_dash_before_a_number_is_not_a_bullet() -> None:
    assert clean_line("-5 grader ute") == "-5 grader ute"


def test_each_bullet_is_its_own_block() -> None:
    text = "Det som ble nevnt:\n• fastlegen\n▪ hjemmetjenesten\n- NAV"
    assert normalize(text) == "Det som ble nevnt:\n\n• fastlegen\n\n• hjemmetjenesten\n\n• NAV"


def test_clean_line() -> None:
    assert clean_line("   \uf0b7\t  to   mellomrom  ") == "• to mellomrom"
    assert clean_line("   ") == ""
    assert clean_line("Side 2 av 3") == ""


# --- numbered points ----------------------------------------------------------------


@pytest.mark.parametrize("mark", ["1)", "a)", "1a)", "12)", "B)"])
def test_numbered_points_are_kept_and_start_a_block(mark: str) -> None:
    text = f"Vi tok opp flere saker og\n{mark} ventetid for rehabilitering"
    assert normalize(text) == f"Vi tok opp flere saker og\n\n{mark} ventetid for rehabilitering"


def test_numbered_list_keeps_its_marks() -> None:
    text = "1) Første punkt\na) underpunkt\n1a) enda et underpunkt\n2) Andre punkt"
    assert normalize(text) == "1) Første punkt\n\na) underpunkt\n\n1a) enda et underpunkt\n\n2) Andre punkt"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("• noe", True),
        ("1) noe", True),
        ("a) noe", True),
        ("1a) noe", True),
        ("3. Ventetid", True),
        ("3. oktober var det møte", False),
        ("Noe annet", False),
        ("-noe", False),  # is_item sees normalised lines only
        ("2018) noe", False),
    ],
)
def test_is_item(line: str, expected: bool) -> None:
    assert is_item(line) is expected


# --- hyphenation --------------------------------------------------------------------


def test_hyphenated_break_across_blank_lines_is_mended() -> None:
    assert normalize("Vi snakket om gjennom-\n\nføring av tiltak.") == "Vi snakket om gjennomføring av tiltak."


def test_hyphenated_break_across_one_newline_is_mended() -> None:
    assert normalize("bedre informasjons-\nkanalar trengst") == "bedre informasjonskanalar trengst"


@pytest.mark.parametrize(
    "text",
    [
        "Mange har muskel-/skjelettplager.",
        "Kommunen treng eit kontaktpunkt/-person for dette.",
        "Tiltak på system- og personnivå.",
        "Det gjeld fysio- eller ergoterapeut.",
    ],
)
def test_hyphens_inside_a_line_stay(text: str) -> None:
    assert normalize(text) == text


def test_coordinated_hyphen_across_a_break_stays() -> None:
    assert normalize("Tiltak på system-\n\nog personnivå.") == "Tiltak på system- og personnivå."
    assert normalize("Behov for fysio-\nog ergoterapeut.") == "Behov for fysio- og ergoterapeut."


# --- joining broken sentences ------------------------------------------------------------


def test_lowercase_continuation_across_blank_lines_is_joined() -> None:
    text = "Det var vanskelig\n\n  å få tak i rett person\n\npå sykehuset."
    assert normalize(text) == "Det var vanskelig å få tak i rett person på sykehuset."


@pytest.mark.parametrize(
    ("text", "heading"),
    [
        ("- lite tid til siste spm\n\nellers\n- god kaffe\n- takk for i dag", "ellers"),
        ("- dei kjem ikkje inn nokon stad\n\noppgåve3 kompetanse\n- for lite kunnskap om slag", "oppgåve3 kompetanse"),
    ],
)
def test_lowercase_heading_over_a_list_after_a_short_item_is_its_own_block(text: str, heading: str) -> None:
    # a note typed in a hurry: no closing mark on the item, a lower-case heading after an empty line
    blocks = normalize(text).split("\n\n")
    assert heading in blocks
    assert blocks[0].startswith("• ") and not blocks[0].endswith(heading)


@pytest.mark.parametrize(
    ("item", "line"),
    [
        ("- Hjelp pasientane med å sortere ulike individuelle behov", "for oppfølging"),
        ("- Avklare ansvar for tiltak som pasientane har", "behov for"),
        ("- Bruker må", "definere mål."),
        ("- Mer direkte samarbeid om spesifikke", "forhold, anbefalinger videre"),
        ("- Dei som ikkje får tilbod i kommunen og", "blir verande heime"),
    ],
)
def test_the_rest_of_an_item_broken_across_an_empty_line_still_carries_on(item: str, line: str) -> None:
    # it starts or ends on a function word, has a comma or closes the sentence, or the item
    # ended on a function word: the extraction broke the item, not a heading over the list
    text = f"{item}\n\n{line}\n- Neste punkt"
    assert normalize(text).split("\n\n")[0] == f"• {item[2:]} {line}"


def test_function_word_at_line_end_joins_a_capitalised_acronym() -> None:
    assert normalize("Det er vanskelig for\n\nUNN å vite hvem som har ansvaret.") == (
        "Det er vanskelig for UNN å vite hvem som har ansvaret."
    )
    assert normalize("Kommunen og\n\nKE bør møtes oftere.") == "Kommunen og KE bør møtes oftere."


def test_capitalised_line_after_a_finished_sentence_is_a_new_block() -> None:
    assert normalize("Vi ble enige.\n\nNeste sak var IP.") == "Vi ble enige.\n\nNeste sak var IP."


def test_capitalised_line_after_unfinished_line_is_a_new_block() -> None:
    # without a function word at the end, a capital letter starts a new block
    assert normalize("Utfordringer\nLange ventelister") == "Utfordringer\n\nLange ventelister"


def test_lowercase_header_line_is_not_joined() -> None:
    text = "Notat fra dagen\n\ndialogkafebord 4 – Kompetanse"
    assert normalize(text) == "Notat fra dagen\n\ndialogkafebord 4 – Kompetanse"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dette gjelder en stor\n\ndel av pasientene.", "Dette gjelder en stor del av pasientene."),
        ("Det var et viktig\n\ntema for alle.", "Det var et viktig tema for alle."),
        ("Vi satt rundt samme\n\nbord hele dagen.", "Vi satt rundt samme bord hele dagen."),
    ],
)
def test_common_nouns_that_open_headers_still_continue_a_sentence(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_lowercase_bordvert_line_is_not_joined() -> None:
    assert normalize("Takk for i dag\n\nbordvert: Kari") == "Takk for i dag\n\nbordvert: Kari"


def test_period_after_abbreviation_joins_lowercase_line() -> None:
    assert normalize("Vi snakket med en pas.\n\nsom ventet lenge.") == "Vi snakket med en pas. som ventet lenge."


def test_period_after_ordinary_word_does_not_join() -> None:
    assert normalize("Vi snakket med folk.\n\nsom ventet lenge.") == "Vi snakket med folk.\n\nsom ventet lenge."


def test_short_colon_heading_is_not_joined_but_long_colon_sentence_is() -> None:
    assert normalize("Utfordringer:\n\nlite informasjon") == "Utfordringer:\n\nlite informasjon"
    long_line = "Det kom fram at kommunen mangler en oversikt over:"
    assert normalize(f"{long_line}\n\nhvem som gjør hva") == f"{long_line} hvem som gjør hva"


def test_a_bullet_is_never_joined_to_the_line_above() -> None:
    assert normalize("Vi trenger mer\n- kompetanse") == "Vi trenger mer\n\n• kompetanse"


# --- whitespace and page furniture ------------------------------------------------------


def test_non_breaking_spaces_become_spaces() -> None:
    assert normalize("Mo\u00a0i\u00a0Rana, 20\u202f% av pasientene") == "Mo i Rana, 20 % av pasientene"


def test_crlf_and_cr_line_ends() -> None:
    assert normalize("Første linje.\r\nAndre linje.\r\n") == "Første linje.\n\nAndre linje."
    assert normalize("Første linje.\rAndre linje.") == "Første linje.\n\nAndre linje."


def test_tabs_become_single_spaces() -> None:
    assert normalize("Ventetid\t\tpå\tsykehjem") == "Ventetid på sykehjem"


def test_leading_and_trailing_spaces_removed() -> None:
    assert normalize("   Det var godt oppmøte.   \n\n\n   ") == "Det var godt oppmøte."


def test_runs_of_spaces_collapse() -> None:
    assert normalize("for   lite    tid") == "for lite tid"


def test_soft_hyphen_and_zero_width_space_removed() -> None:
    assert normalize("rehabili\u00adtering\u200b i kommunen") == "rehabilitering i kommunen"


@pytest.mark.parametrize("footer", ["Side 1 av 2", "side 2", "Page 3 of 4", "Side 1/2"])
def test_page_footer_dropped(footer: str) -> None:
    text = f"Vi tok opp ventetider.\n\n{footer}\n\nNeste tema var IP."
    assert normalize(text) == "Vi tok opp ventetider.\n\nNeste tema var IP."


@pytest.mark.parametrize("running", ["Dialogmøte Ofoten 2019", "Kafébord 3 – Førde, mars 2018"])
def test_a_running_footer_above_the_page_number_is_dropped(running: str) -> None:
    text = f"• Felles fagdag.\n\n{running}\n                 Side 2 av 3\n\nNeste tema var IP."
    assert normalize(text) == "• Felles fagdag.\n\nNeste tema var IP."


@pytest.mark.parametrize(
    "header",
    [
        "Dialogmøte rehabilitering Flekkefjord 2019 – side 2",
        "Kafébord 3, Førde 2018 | Side 2 av 3",
        "Dialogmøte Sogn 2020 side 4",
    ],
)
def test_a_running_header_with_its_page_number_on_the_line_is_dropped(header: str) -> None:
    text = f"• Felles fagdag for nye koordinatorer.\n{header}\nTema: Pasientgrupper\n• ME"
    assert normalize(text) == "• Felles fagdag for nye koordinatorer.\n\nTema: Pasientgrupper\n\n• ME"


@pytest.mark.parametrize("kept", ["Vi møttes i 2019, se side 4.", "• Heftet fra 2019 side 4", "Dialogmøte Sogn side 4"])
def test_lines_that_mention_a_page_are_not_headers(kept: str) -> None:
    assert normalize(f"{kept}\n\nNeste.").startswith(kept)


@pytest.mark.parametrize(
    "kept",
    [
        "• Fagdag i 2019",  # a bullet
        "Oppsummering 2019:",  # a heading that opens a list
        "Vi starta i 2019.",  # a sentence
        "Neste møte blir i Bodø",  # no year
        "Dei fleste kommunane fekk nye koordinatorar i løpet av 2019",  # too long for a footer
    ],
)
def test_lines_above_a_page_number_that_are_not_footers_stay(kept: str) -> None:
    assert normalize(f"{kept}\n\nSide 1 av 2\n\nNeste.").startswith(kept)


def test_footer_between_wrapped_lines_does_not_stop_the_join() -> None:
    text = "Det tar lang tid\n\nSide 1 av 2\n\nfør epikrisen kommer."
    assert normalize(text) == "Det tar lang tid før epikrisen kommer."


def test_form_feed_is_a_space() -> None:
    assert normalize("Slutt på side en.\n\x0c\nStart på side to.") == "Slutt på side en.\n\nStart på side to."


def test_decomposed_letters_are_composed() -> None:
    assert normalize("Kafe\u0301bord") == "Kaf\u00e9bord"


def test_empty_and_blank_input() -> None:
    assert normalize("") == ""
    assert normalize(" \n\t\r\n\u00a0") == ""


def test_output_shape() -> None:
    text = normalize(" \uf0b7 første  punkt\n\n\n\nTo   ord.\r\n-tre")
    assert text == "• første punkt\n\nTo ord.\n\n• tre"
    assert "\n\n\n" not in text and "  " not in text


# --- idempotence -------------------------------------------------------------------


ALPHABET = (
    "abcdefghijklmnoprstuvyæøåABDEFGHIKLMNOPRSTUVÆØÅ0123456789  \n\n\t\r.,:;?!()«»/-–—*•▪\u00a0\u202f\uf0b7\uf0f0"
)
WORDS = [
    "og",
    "for",
    "i",
    "på",
    "Det",
    "det",
    "pasienten",
    "UNN",
    "KE",
    "pas.",
    "osv.",
    "bl.a.",
    "gjennom-",
    "føring",
    "system-",
    "Side 1 av 2",
    "1)",
    "a)",
    "3.",
    "Gruppe",
    "dialogkafebord",
    "Utfordringer:",
    "-",
    "–",
    "•",
    "\uf0b7",
    "\uf0f0",
    ".",
    ":",
    "?",
    "muskel-/skjelett",
]
SEPARATORS = [" ", "", "\n", "\n\n", "\r\n", "\t", "  ", "\u00a0"]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(st.text(alphabet=ALPHABET, max_size=200))
def test_normalize_is_idempotent_on_random_text(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), max_size=40))
@example([("og", "\n"), ("UNN", " "), ("UNN", "\n"), ("og", " ")])  # a line wrapped onto a capitals heading
def test_normalize_is_idempotent_on_random_word_sequences(pieces: list[tuple[str, str]]) -> None:
    text = "".join(word + sep for word, sep in pieces)
    once = normalize(text)
    assert normalize(once) == once


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(st.text(alphabet=ALPHABET, max_size=200))
def test_normalized_text_has_the_promised_shape(text: str) -> None:
    out = normalize(text)
    assert out == out.strip()
    assert "\r" not in out and "\t" not in out and "\u00a0" not in out and "\u202f" not in out
    assert "  " not in out and "\n\n\n" not in out
    assert not re.search("[\ue000-\uf8ff]", out)
    for block in out.split("\n\n") if out else []:
        assert block and "\n" not in block and block == block.strip()


def _shared_notes() -> list[Path]:
    corpus = SHARED / "corpus"
    return sorted(p for p in corpus.iterdir() if p.is_file()) if corpus.is_dir() else []


@pytest.mark.skipif(not _shared_notes(), reason="../shared/corpus is not beside the repository")
@pytest.mark.parametrize("path", _shared_notes(), ids=lambda p: p.name)
def test_normalize_is_idempotent_on_real_notes(path: Path) -> None:
    once = normalize(read_source(path).text)
    assert once  # the note has text
    assert normalize(once) == once
    assert "\r" not in once and "  " not in once


def test_normalize_is_idempotent_on_sample_notes() -> None:
    raw = Path(__file__).resolve().parents[1] / "data" / "raw"
    notes = [p for p in sorted(raw.iterdir()) if p.suffix in (".txt", ".docx")]
    assert len(notes) == 8
    for path in notes:
        once = normalize(read_source(path).text)
        assert normalize(once) == once, path.name


# --- known bugs ---------------------------------------------------------------------


def test_lone_dash_line_is_idempotent() -> None:
    once = normalize("-\n\nvanskelig å få tak i fastlegen")
    assert normalize(once) == once


def test_dash_then_private_use_glyph_is_idempotent() -> None:
    once = normalize("–\uf0b7Tekst om ventetid")
    assert normalize(once) == once


def test_soft_hyphen_before_combining_accent_is_idempotent() -> None:
    once = normalize("Kafe\u00ad\u0301bord")
    assert normalize(once) == once


def test_hyphenated_header_word_is_idempotent() -> None:
    once = normalize("Notatet er skrevet av\n\nbord-\n\nverten Kari Nilsen.")
    assert normalize(once) == once


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Tema 2 – Pasientar som fell mellom\nFleire ved bordet nemnde dei eldste.",
            "Tema 2 – Pasientar som fell mellom\n\nFleire ved bordet nemnde dei eldste.",
        ),
        (
            "Oppgave 3: Hvem faller mellom\nMange nevnte de unge.",
            "Oppgave 3: Hvem faller mellom\n\nMange nevnte de unge.",
        ),
        (  # a wrapped title still joins its lower-case rest
            "Tema 2 – Pasientar som fell mellom\nstolane",
            "Tema 2 – Pasientar som fell mellom stolane",
        ),
    ],
)
def test_a_task_title_ending_on_a_function_word_keeps_a_capitalised_line_apart(text: str, expected: str) -> None:
    assert normalize(text) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from("aAbBæÆøØ ß1-.«ǅª"), max_size=12))
def test_in_capitals_is_every_letter_a_capital(line: str) -> None:
    """`_in_capitals` stops at the first letter not in capitals; the answer is the plain rule's:
    a space, four letters or more, and every letter a capital."""
    letters = [c for c in line if c.isalpha()]
    assert _in_capitals(line) == (" " in line and len(letters) >= 4 and all(c.isupper() for c in letters))


@pytest.mark.parametrize(
    ("text", "blocks"),
    [
        ("og\nUNN UNN\nog ", ["og", "UNN UNN", "og"]),
        ("Vi skrev\nGULE LAPPER\nfra bordet\n", ["Vi skrev", "GULE LAPPER", "fra bordet"]),
    ],
)
def test_nothing_wraps_onto_a_heading_in_capitals(text: str, blocks: list[str]) -> None:
    once = normalize(text)
    assert once.split("\n\n") == blocks
    assert normalize(once) == once


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from('1 2a.)ivxPpSsſide\u0663ABC«"\n'), max_size=12))
def test_quick_tests_rule_out_only_lines_the_patterns_refuse(line: str) -> None:
    assert numbered(line) == (NUMBERED.match(line) is not None)
    assert labelled(line) or _LONE_LABEL.match(line) is None
    stripped = line.strip()  # as running_footers asks
    assert _page_number(stripped) == (_FOOTER.match(stripped) is not None)
