"""Context rules: heading, lead-in, reference back and patient groups, each on and off,
in Bokmål and Nynorsk, and the procedural lines that take no theme from their context."""

from __future__ import annotations

import re
import textwrap
from typing import Any

import pytest

from dialogtool.coding.codebook import Codebook, parse_codebook
from dialogtool.coding.context import is_procedural, refers_back, refers_to_people
from dialogtool.coding.matcher import Matcher, SegmentCoding, code_note
from dialogtool.ingest.normalize import normalize
from dialogtool.ingest.segment import Segment, segment

CODES = """\
codes:
  - id: KE
    label: Koordinerende enhet
    terms: [koordinerende enhet, koordinerande eining, KE]
  - id: INFO
    label: Informasjonsflyt
    terms: [informasjon*, epikris*, beskjed]
  - id: GRUPPER
    label: Grupper
    terms: [pasientgruppe*]
    children:
      - id: GRUPPER.ME
        label: ME
        terms: [ME]
"""
ALL_ON = "context: {heading: true, leadin: true, reference: true, groups: GRUPPER}\n"


def book(context: str = ALL_ON) -> Codebook:
    return parse_codebook(context + CODES, "kb.yaml")


def coded(raw: str, codebook: Codebook | None = None) -> list[tuple[Segment, SegmentCoding]]:
    text = normalize(textwrap.dedent(raw))
    segs = segment(text)
    return list(zip(segs, code_note(text, segs, Matcher(codebook or book())), strict=True))


def by_text(raw: str, codebook: Codebook | None = None) -> dict[str, SegmentCoding]:
    return {seg.text.removeprefix("• "): coding for seg, coding in coded(raw, codebook)}


def rules_of(coding: SegmentCoding) -> dict[str, str]:
    return {code: rule for code, (rule, _) in coding.context.items()}


# --- heading -------------------------------------------------------------------------------------

HEADED_NB = """\
Dialogmøte i Bodø
Kafébord 2

Oppgave 1: Koordinerende enhet

Utfordringer:
• Lite kjent blant de ansatte.
• Telefonen blir ikke tatt.
• Takk til alle som kom!
• Budsjettet for neste år er ikke klart.
"""

HEADED_NN = """\
Dialogmøte i Førde
Kafébord 2

Oppgåve 1: Koordinerande eining

Utfordringar:
• Lite kjent blant dei tilsette.
• Telefonen vert ikkje teken.
• Takk til alle som kom!
"""


@pytest.mark.parametrize("raw", [HEADED_NB, HEADED_NN])
def test_heading_theme_carries_to_units_on_topic(raw: str) -> None:
    found = by_text(raw)
    first = next(c for t, c in found.items() if t.startswith("Lite kjent"))
    assert first.codes == ("KE",) and rules_of(first) == {"KE": "heading"}
    task = next(s for s, _ in coded(raw) if s.text.startswith("Oppg"))
    assert first.context["KE"][1] == task.id  # the segment the theme came from


@pytest.mark.parametrize("raw", [HEADED_NB, HEADED_NN])
def test_heading_theme_skips_procedural_lines(raw: str) -> None:
    assert by_text(raw)["Takk til alle som kom!"].codes == ()


@pytest.mark.parametrize(
    ("raw", "after"),
    [
        (
            "Dialogmøte i Bodø\n\nOppgave 1: Koordinerende enhet\n\n• Lite kjent blant de ansatte.\n\n"
            "12.10 – Lunsj.\n\n• Telefonen blir ikke tatt.\n",
            "Telefonen blir ikke tatt.",
        ),
        (
            "Dialogmøte i Førde\n\nOppgåve 1: Koordinerande eining\n\n• Lite kjent blant dei tilsette.\n\n"
            "Kl. 12.00 – Oppsummering i plenum.\n\nOla ordna skyss for dei som skulle vidare.\n",
            "Ola ordna skyss for dei som skulle vidare.",
        ),
    ],
)
def test_a_break_or_the_plenary_ends_the_task_above_it(raw: str, after: str) -> None:
    """After lunch, a break or the plenary the table has left its task: the lines that follow
    are not the task heading's; before it they were."""
    found = by_text(raw)
    assert found["Lite kjent blant de ansatte." if "Bodø" in raw else "Lite kjent blant dei tilsette."].codes == ("KE",)
    assert found[after].codes == ()
    without = by_text(
        raw.replace("12.10 – Lunsj.", "Notatet er kort.").replace("Kl. 12.00 – Oppsummering i plenum.", "")
    )
    assert without[after].codes == ("KE",)


@pytest.mark.parametrize(
    ("raw", "last"),
    [
        (
            "Oppgave 1: Koordinerende enhet\n\n• Lite kjent blant de ansatte.\n\nVennlig hilsen\n\nTrine Johansen\n\n"
            "Saksbehandler, helse og omsorg\n",
            "Saksbehandler, helse og omsorg",
        ),
        (
            "Oppgåve 1: Koordinerande eining\n\n• Lite kjent blant dei tilsette.\n\nMvh Kari Nes\n\n"
            "Sakshandsamar, helse og omsorg\n",
            "Sakshandsamar, helse og omsorg",
        ),
    ],
)
def test_nothing_after_the_sign_off_takes_a_theme_from_above(raw: str, last: str) -> None:
    found = by_text(raw)
    assert found[last].codes == ()
    assert by_text(raw.replace("Vennlig hilsen", "Notatet").replace("Mvh Kari Nes", "Notatet"))[last].codes == ("KE",)


def test_heading_theme_skips_other_matters() -> None:
    assert by_text(HEADED_NB)["Budsjettet for neste år er ikke klart."].codes == ()


@pytest.mark.parametrize("unit", ["Lite tilbud i kommunen.", "Lite tilbod i kommunen."])
def test_a_heading_that_only_names_a_group_carries_no_group(unit: str) -> None:
    """«Kafébord 2: ME» names the table's topic; «Pasientgrupper med ME» asks about the group."""
    named = by_text(f"Dialogmøte\nKafébord 1\n\nKafébord 2: ME\n\n• {unit}\n")
    assert named["Kafébord 2: ME"].codes == ("GRUPPER.ME",)
    assert named[unit].codes == ()
    asked = by_text(f"Dialogmøte\nKafébord 1\n\nOppgave 4: Pasientgrupper med ME\n\n• {unit}\n")
    assert set(asked[unit].codes) == {"GRUPPER", "GRUPPER.ME"}
    assert set(rules_of(asked[unit]).values()) == {"leadin"}  # a task's theme reaches its items


@pytest.mark.parametrize(
    "raw",
    [
        "Tema: Pasientgrupper som ikke får nok\n\n• Eldre som bor alene.\n• Oppfølging hjemme via video.\n",
        "Tema: Pasientgrupper som ikkje får nok\n\n• Eldre som bur åleine.\n• Oppfølging heime via video.\n",
    ],
)
def test_a_group_heading_gives_its_group_only_to_units_about_people(raw: str) -> None:
    by = by_text(raw)
    people, measure = (c for text, c in by.items() if not text.startswith("Tema"))
    assert people.codes == ("GRUPPER",) and rules_of(people) == {"GRUPPER": "heading"}
    assert measure.codes == ()  # a measure names no people: not a group with unmet needs


def test_a_unit_without_words_takes_nothing_from_its_heading() -> None:
    """A page number or a stray mark left by the extraction under a themed heading."""
    found = by_text(HEADED_NB.replace("• Telefonen blir ikke tatt.", "• Telefonen blir ikke tatt.\n\n2\n"))
    assert found["2"].codes == ()
    assert found["Telefonen blir ikke tatt."].codes == ("KE",)


def test_heading_rule_off() -> None:
    found = by_text(HEADED_NB, book("context: {heading: false, leadin: true, reference: true}\n"))
    assert found["Lite kjent blant de ansatte."].codes == ()


@pytest.mark.parametrize(
    ("title", "unit"),
    [
        ("Tema: koordinerende enhet og informasjon", "Lite kjent blant de ansatte."),
        ("Tema: koordinerande eining og informasjon", "Lite kjent blant dei tilsette."),
    ],
)
def test_a_heading_that_names_several_themes_carries_none(title: str, unit: str) -> None:
    """A table's whole agenda in one heading says nothing about which theme a line under it is
    on; the same line under a heading that names one theme takes it."""
    raw = f"Dialogmøte\nKafébord 2\n\n{title}\n\n• {unit}\n"
    found = by_text(raw)
    assert found[unit].codes == ()
    assert found[title].codes == ("KE", "INFO")  # the heading itself names both
    one = by_text(raw.replace(" og informasjon", ""))
    assert one[unit].codes == ("KE",) and rules_of(one[unit]) == {"KE": "heading"}


def test_headings_take_no_theme_and_asides_neither() -> None:
    raw = """\
    Oppgave 1: Koordinerende enhet

    Utfordringer:
    • Lite kjent.

    Ellers: god stemning. Folk var fornøyde med dagen.
    """
    found = by_text(raw)
    assert found["Utfordringer:"].codes == ()  # a bare sub-heading names no theme
    assert found["Folk var fornøyde med dagen."].codes == ()  # the rest of an «Ellers:» paragraph


# --- lead-in -------------------------------------------------------------------------------------

LEADIN_NB = """\
Tema: samarbeid

Kommunen trenger mer informasjon fra sykehuset om:
• hvem som er koordinerende enhet
• hva pasienten har fått av hjelp
Vi snakket også om parkering.
"""

LEADIN_NN = """\
Tema: samarbeid

Kva treng kommunen av informasjon frå sjukehuset?
• Kven som er koordinerande eining
• Kva pasienten har fått av hjelp
Vi snakka òg om parkering.
"""


@pytest.mark.parametrize("raw", [LEADIN_NB, LEADIN_NN])
def test_lead_in_carries_to_its_items_in_addition(raw: str) -> None:
    codings = [c for _, c in coded(raw)]
    lead, own, plain, after = codings[1], codings[2], codings[3], codings[4]
    assert lead.codes == ("INFO",)
    assert own.codes == ("KE", "INFO") and rules_of(own) == {"INFO": "leadin"}  # added to the item's own theme
    assert plain.codes == ("INFO",) and plain.context["INFO"][1] == [s for s, _ in coded(raw)][1].id
    assert after.codes == ()  # not an item: the list has ended


TWO_THEME_TASK_NB = """\
Tema 2 – Koordinerende enhet og epikriser
• KE er lite kjent på sykehuset.
• Epikrisen kommer for sent.
• Det tar lang tid.
"""
TWO_THEME_TASK_NN = """\
Tema 2 – Koordinerande eining og epikriser
• KE er lite kjend på sjukehuset.
• Epikrisa kjem for seint.
• Det tek lang tid.
"""


@pytest.mark.parametrize("raw", [TWO_THEME_TASK_NB, TWO_THEME_TASK_NN])
def test_an_item_naming_one_theme_of_a_two_theme_task_is_about_that_one(raw: str) -> None:
    codings = [c for _, c in coded(raw)]
    assert codings[0].codes == ("KE", "INFO")
    assert codings[1].codes == ("KE",) and codings[2].codes == ("INFO",)
    assert codings[3].codes == ("KE", "INFO")  # an item naming neither is about the whole task


def test_an_item_of_a_sentence_lead_in_still_takes_both_themes() -> None:
    raw = "Tema: samarbeid\n\nKE trenger mer informasjon fra sykehuset om:\n• hva pasienten har fått\n• epikrisen\n"
    pairs = coded(raw)
    assert pairs[1][0].kind != "heading" and pairs[1][1].codes == ("KE", "INFO")
    assert pairs[3][1].codes == ("KE", "INFO")  # the answers continue the sentence: KE is told of the epikrise


@pytest.mark.parametrize(
    "raw",
    [
        "Kjenner dere koordinerende enhet?\n\nTre av seks svarte ja.\n\nHvilke pasientgrupper får ikke nok?\n\n"
        "De eldste.\n",
        "Kjenner de koordinerande eining?\n\nTre av seks svara ja.\n\nKva pasientgrupper får ikkje nok?\n\n"
        "Dei eldste.\n",
    ],
)
def test_the_next_question_is_not_an_answer_to_the_one_before(raw: str) -> None:
    codings = [c for _, c in coded(raw)]
    assert codings[1].codes == ("KE",)
    assert codings[2].codes == ("GRUPPER",) and codings[2].context == {}
    assert codings[3].codes == ("GRUPPER",) and rules_of(codings[3]) == {"GRUPPER": "leadin"}


@pytest.mark.parametrize(
    ("lead", "terse", "sentence"),
    [
        (
            "Dette manglar i samarbeidet med koordinerande eining:",
            "• epikrise i tide",
            "• Epikrisa kjem ofte fleire veker etter at pasienten er komen heim til kommunen.",
        ),
        (
            "Dette mangler i samarbeidet med koordinerende enhet:",
            "• epikrise i tide",
            "• Epikrisen kommer ofte flere uker etter at pasienten har kommet hjem til kommunen.",
        ),
    ],
)
def test_a_lead_in_adds_its_theme_to_a_terse_item_but_not_to_a_whole_sentence(
    lead: str, terse: str, sentence: str
) -> None:
    codings = [c for _, c in coded(f"Tema: samarbeid\n\n{lead}\n{terse}\n{sentence}\n")]
    assert codings[1].codes == ("KE",)
    assert codings[2].codes == ("KE", "INFO") and rules_of(codings[2]) == {"KE": "leadin"}
    assert codings[3].codes == ("INFO",) and codings[3].context == {}


def test_lead_in_rule_off() -> None:
    codings = [c for _, c in coded(LEADIN_NB, book("context: {heading: true, leadin: false}\n"))]
    assert codings[3].codes == ()


# --- reference back ------------------------------------------------------------------------------

REFERENCE_NB = "Tema: samarbeid\n\nEpikrisen kommer ofte for sent. Dette gjør det vanskelig å planlegge.\n"
REFERENCE_NN = "Tema: samarbeid\n\nEpikrisa kjem ofte for seint. Dette gjer det vanskeleg å planleggje.\n"


@pytest.mark.parametrize("raw", [REFERENCE_NB, REFERENCE_NN])
def test_reference_back_takes_the_previous_units_theme(raw: str) -> None:
    segs = [s for s, _ in coded(raw)]
    codings = [c for _, c in coded(raw)]
    assert codings[2].codes == ("INFO",)
    assert codings[2].context == {"INFO": ("reference", segs[1].id)}


def test_reference_back_only_within_the_paragraph() -> None:
    raw = "Tema: samarbeid\n\nEpikrisen kommer ofte for sent.\n\nDette gjør det vanskelig å planlegge.\n"
    assert [c.codes for _, c in coded(raw)][2] == ()


def test_reference_rule_off() -> None:
    codings = [c for _, c in coded(REFERENCE_NB, book("context: {reference: false}\n"))]
    assert codings[2].codes == ()


CONTINUE_NB = "Tema: samarbeid\n\nEpikrisen kommer ofte for sent. Fastlegen sier at den kommer etter en uke.\n"
CONTINUE_NN = "Tema: samarbeid\n\nEpikrisa kjem ofte for seint. Fastlegen seier at ho kjem etter ei veke.\n"


@pytest.mark.parametrize("raw", [CONTINUE_NB, CONTINUE_NN])
def test_prose_that_points_back_later_in_the_sentence_continues_the_one_before(raw: str) -> None:
    pairs = coded(raw)
    assert not refers_back(pairs[2][0].text)  # not opening by pointing back: the paragraph rule
    assert pairs[2][1].codes == ("INFO",)
    assert pairs[2][1].context == {"INFO": ("reference", pairs[1][0].id)}


@pytest.mark.parametrize(
    "raw",
    [
        "Tema: samarbeid\n\nEpikrisen kommer ofte for sent.\n\nFastlegen sier at den kommer etter en uke.\n",
        "Tema: samarbeid\n\nEpikrisa kjem ofte for seint. Fastlegen ringjer kvar veke.\n",  # no word pointing back
        # a patient group is not continued
        "Tema: samarbeid\n\nPasientgruppene er mange. Fastlegen seier at han ikkje rekk alt.\n",
    ],
)
def test_paragraph_continuation_needs_the_paragraph_a_pointing_word_and_own_words(raw: str) -> None:
    assert coded(raw)[-1][1].codes == ()


@pytest.mark.parametrize(
    "raw",
    [
        "Tema: samarbeid\n\n• Epikrisen kommer for sent. Ofte 2–3 uker.\n",
        "Tema: samarbeid\n\n• Epikrisa kjem for seint. Ofte to veker.\n",
    ],
)
def test_a_list_items_next_sentence_goes_on_with_the_item(raw: str) -> None:
    """«• Epikrise kommer for sent. Ofte 2–3 uker.»: the item's second sentence needs no word
    pointing back; the same two sentences as running prose do (previous test); with the
    reference rule off it takes nothing."""
    pairs = coded(raw)
    assert pairs[2][1].codes == ("INFO",)
    assert pairs[2][1].context == {"INFO": ("reference", pairs[1][0].id)}
    assert coded(raw.replace("• ", ""))[2][1].codes == ()
    assert coded(raw, book("context: {reference: false}\n"))[2][1].codes == ()


@pytest.mark.parametrize(
    "raw",
    [
        "Tema: samarbeid\n\n• Epikrisen kommer for sent. Ofte 2–3 uker. Pasienten er hjemme for lengst.\n",
        "Tema: samarbeid\n\n• Epikrisa kjem for seint. Ofte to veker. Pasienten er heime for lengst.\n",
    ],
)
def test_a_list_items_third_sentence_goes_on_too(raw: str) -> None:
    pairs = coded(raw)
    assert [c.codes for _, c in pairs[1:]] == [("INFO",), ("INFO",), ("INFO",)]
    assert pairs[3][1].context == {"INFO": ("reference", pairs[2][0].id)}
    assert coded(raw.replace("• ", ""))[3][1].codes == ()  # running prose: only with a word pointing back


def test_paragraph_continuation_does_not_continue_a_heading() -> None:
    raw = "Informasjon til fastlegen\n\nFastlegen seier at ho kjem etter ei veke.\n"
    pairs = coded(raw, book("context: {heading: false, reference: true}\n"))
    assert pairs[0][1].codes == ("INFO",) and pairs[1][1].codes == ()


def test_paragraph_continuation_does_not_pass_on_a_headings_theme() -> None:
    raw = "Oppgave 1: Koordinerende enhet\n\nLite kjent. Ingen vet at det finnes.\n"
    pairs = coded(raw)
    assert pairs[1][1].context == {"KE": ("heading", pairs[0][0].id)}
    assert pairs[2][1].context == {"KE": ("heading", pairs[0][0].id)}  # from the heading, not from the unit before


def test_paragraph_continuation_off_with_the_reference_rule() -> None:
    codings = [c for _, c in coded(CONTINUE_NB, book("context: {reference: false}\n"))]
    assert codings[2].codes == ()


QUESTION_NB = "Oppgave 1: Koordinerende enhet\n\nSpørsmål 1: Hvem trenger det mest?\n\nSpørsmål 2: Hva fungerer?\n"
QUESTION_NN = (
    "Oppgåve 2: Koordinerande eining\n\nSpørsmål 1: Kva skal til for at desse får hjelp?\n\nSpørsmål 2: Kva fungerer?\n"
)


@pytest.mark.parametrize("raw", [QUESTION_NB, QUESTION_NN])
def test_a_question_heading_that_points_back_asks_about_its_task(raw: str) -> None:
    pairs = coded(raw)
    task, question, plain = pairs[0], pairs[1], pairs[2]
    assert question[0].kind == "heading" and task[1].codes == ("KE",)
    assert question[1].codes == ("KE",) and question[1].context == {"KE": ("reference", task[0].id)}
    assert plain[1].codes == ()  # no word pointing back: a heading takes no theme from above


def test_question_heading_rule_off() -> None:
    codings = [c for _, c in coded(QUESTION_NB, book("context: {heading: true, reference: false}\n"))]
    assert codings[1].codes == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dette gjør det vanskelig.", True),
        ("Også desse må få hjelp.", True),
        ("Det fungerer dårlig.", True),
        ("Det er viktig at alle møter.", False),  # the dummy subject
        ("Det vart nemnt fleire gonger.", False),
        ("De fleste kommunene har det.", False),  # an article, not a pronoun
        ("Dei får lite hjelp.", True),
        ("Kommunen har ingen plan.", False),
    ],
)
def test_refers_back(text: str, expected: bool) -> None:
    assert refers_back(text) is expected


# --- patient groups --------------------------------------------------------------------------------

GROUP_NB = """\
Tema: samarbeid

Pasienter med ME får lite hjelp. De blir ofte sendt hjem uten oppfølging. Mange av dem mister jobben.
Kommunen har fått ny rådmann.
"""
GROUP_NN = """\
Tema: samarbeid

Pasientar med ME får lite hjelp. Dei vert ofte sende heim utan oppfølging. Mange av dei mistar jobben.
Kommunen har fått ny rådmann.
"""


@pytest.mark.parametrize("raw", [GROUP_NB, GROUP_NN])
def test_group_carries_to_units_that_refer_to_it(raw: str) -> None:
    segs = [s for s, _ in coded(raw)]
    codings = [c for _, c in coded(raw)]
    assert codings[1].codes == ("GRUPPER.ME",)
    assert codings[2].codes == ("GRUPPER.ME",) and codings[2].context == {"GRUPPER.ME": ("group", segs[1].id)}
    assert codings[3].codes == ("GRUPPER.ME",)
    assert codings[4].codes == ()  # no reference to the group: the chain ends


def test_group_rule_off() -> None:
    codings = [c for _, c in coded(GROUP_NB, book("context: {heading: true, reference: false}\n"))]
    assert codings[2].codes == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("De får ikke hjelp.", True),
        ("Mange av dem mister jobben.", True),
        ("Når desse vert skrivne ut, manglar papira.", True),
        ("Pasientane kjem for tidleg heim.", True),
        ("Mange sendes hjem for tidlig.", True),
        ("De fleste kommunene mangler fysioterapeut.", False),
        ("Mange kommuner mangler fysioterapeut.", False),
        ("Kommunen vet ikke hva de skal gjøre når de ringer.", False),  # «de» late in the sentence
        ("Her trengs ergoterapeut og logoped.", True),  # «her» with a need: the group's needs
        ("Her manglar det eit tilbod i kommunen.", True),
        ("Her gjekk mykje bra.", False),  # «her» about a case or a place
        ("Her var samarbeidet godt.", False),
        # «for desse» late in the sentence: the people just named
        ("Vi veit for lite om korleis vi skal leggje opp tilbodet for desse.", True),
        ("Fagfolk kan for lite om trening med disse.", True),
        ("Disse sakene tok lang tid i kommunen.", False),  # «disse» opening the sentence, before a thing
    ],
)
def test_refers_to_people(text: str, expected: bool) -> None:
    assert refers_to_people(text) is expected


# --- procedural lines ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Runde 2",
        "Takk for innsatsen!",
        "Referent: Kari Nordmann",
        "Kaffen tok slutt før andre runde.",
        "Neste dialogmøte blir i Harstad.",
        "Vi var sju rundt bordet.",
        "Vi brukte om lag tjue minutter på dette spørsmålet.",
        "Me rakk ikkje å diskutere punktet ferdig.",
        "Vi vart ikkje ferdige med alt.",
        "Kari Beate Nilsen",
        "Her kom samtalen først i gang etter kaffipausen.",
        "Bileta av flippoverarka ligg ved.",
        "Vedlagt følger presentasjonen fra sykehuset.",
        "Referatet sendes alle bordverter innen fredag.",
        "Etter matpausa tok vi opp att tråden.",
        "Ved mitt bord var det fjorten personar frå fem kommunar.",
        "Det ble for øvrig sagt at det er dyrt å reise.",
        "Noen sa spøkefullt at arbeidet alltid vokser.",
        "Det vart ikkje semje om dette.",
        "Innspillene kom tett her.",
        "Leiaren tek innspela vidare til arbeidsgruppa.",
        "Me rakk ikkje oppgåve 5.",
        "Vi rakk ikke den siste oppgaven.",
        "Vi fikk ikke tid til den siste oppgaven.",
        "Me fekk ikkje tid til å snakke om det.",
        "Så kom vi tilbake til spørsmålet.",
        "Så kom me tilbake til spørsmålet om kompetanse.",
        "• Ny vert: Jørgen",
        "• Samme spørsmål",
        "Same spørsmål som i førre runde.",
        "Takk for engasjementet rundt bordet!",
        "Me hadde ein god samtale rundt bordet.",
        "Ved bordet sat to frå heimesjukepleia og ein fysioterapeut.",
        # the fields of formal minutes and of an invitation
        "Frist: Ikkje sett.",
        "Ansvarleg: Leiar for rehabiliteringsavdelinga.",
        "Ansvarlig: enhetsleder",
        "Stad: kommunestyresalen, rådhuset.",
        "Tid: 10.00–12.00",
    ],
)
def test_procedural(text: str) -> None:
    assert is_procedural(text)


@pytest.mark.parametrize(
    "raw",
    [
        "Kjenner dere koordinerende enhet?\n\nSykehuset ved bordet sa at de sender epikrisen til postmottaket.\n\n"
        "Tre av seks svarte ja.\n",
        "Kjenner de koordinerande eining?\n\nSjukehuset ved bordet sa at dei sender epikrisa til postmottaket.\n\n"
        "Tre av seks svarte ja.\n",
    ],
)
def test_what_the_table_said_with_words_of_its_own_is_not_about_the_meeting(raw: str) -> None:
    codings = [c for _, c in coded(raw)]
    assert codings[1].codes == ("KE", "INFO") and rules_of(codings[1]) == {"KE": "leadin"}  # answers the question
    assert codings[2].codes == ("KE",)  # the list goes on after it


def test_who_sat_at_the_table_without_words_of_its_own_is_about_the_meeting() -> None:
    assert is_procedural("Ved bordet sat to frå kommunen.", own_words=False)
    assert not is_procedural("Sykehuset ved bordet sa at de sender epikrisen.", own_words=True)


@pytest.mark.parametrize(
    "text",
    [
        "Kommunen mangler en koordinator.",
        "Vi trenger bedre informasjon.",
        "Vi fikk ikke vite at pasienten var utskrevet.",
        "Pasienten kom tilbake til kommunen etter tre uker.",
        # what the people at the table knew is about the subject
        "Bare to av sju rundt bordet visste hvem det var i egen kommune.",
        "Ingen ved bordet kunne seie kven som sit der i dag.",
        # responsibility and time as the subject, not a field of the minutes
        "Ansvaret for oppfølginga ligg hos kommunen.",
        "Tida før utskriving er for kort.",
    ],
)
def test_not_procedural(text: str) -> None:
    assert not is_procedural(text)


# --- weak concepts ---------------------------------------------------------------------------------

WEAK_BOOK = """\
context: {heading: true}
codes:
  - id: KE
    label: Koordinerende enhet
    terms: [koordinerende enhet]
  - id: INFO
    label: Informasjonsflyt
    concepts:
      - label: Kontakt
        weak: true
        terms: [telefonnummer*]
      - label: Meldinger
        terms: [epikrise*]
"""


def test_a_weak_concept_leaves_room_for_the_headings_theme() -> None:
    raw = "Tema: koordinerende enhet\n\nTelefonnummeret er vanskelig å finne.\n\nEpikrisen kommer sent.\n"
    codings = [c for _, c in coded(raw, parse_codebook(WEAK_BOOK, "kb.yaml"))]
    assert codings[1].codes == ("KE", "INFO") and rules_of(codings[1]) == {"KE": "heading"}
    assert codings[2].codes == ("INFO",)  # a concept that is not weak keeps the heading's theme away


def test_weak_must_be_true_or_false() -> None:
    from dialogtool.errors import DialogtoolError

    with pytest.raises(DialogtoolError, match="weak of 'INFO › Kontakt' must be true or false"):
        parse_codebook(WEAK_BOOK.replace("weak: true", "weak: ja"), "kb.yaml")


TRAINING_BOOK = """\
context: {heading: true}
codes:
  - id: KE
    label: Koordinerende enhet
    terms: [koordinerende enhet, koordinerande eining]
  - id: IP
    label: Individuell plan
    terms: [individuell plan]
  - id: KOMP
    label: Kompetanse
    concepts:
      - label: Opplæring
        weak: [IP]
        terms: [opplæring*, kurs*]
"""


@pytest.mark.parametrize(
    ("raw", "under_ip"),
    [
        ("Tema: individuell plan\n\nFor lite opplæring av nye.\n\n", True),
        ("Tema: individuell plan\n\nKurs for nye koordinatorar er ønskt.\n\n", True),
        ("Oppgave: koordinerende enhet\n\nOpplæring i hjemmetjenesten er viktig.\n\n", False),
        ("Oppgåve: koordinerande eining\n\nKurs for tilsette i heimetenesta.\n\n", False),
    ],
)
def test_weak_under_a_list_leaves_room_only_for_those_themes(raw: str, under_ip: bool) -> None:
    codings = [c for _, c in coded(raw, parse_codebook(TRAINING_BOOK, "kb.yaml"))]
    if under_ip:  # training under an IP heading is training for IP (the guide's «training for it»)
        assert codings[1].codes == ("IP", "KOMP") and rules_of(codings[1]) == {"IP": "heading"}
    else:  # training under a KE heading stays training only
        assert codings[1].codes == ("KOMP",) and rules_of(codings[1]) == {}


@pytest.mark.parametrize(
    ("weak", "message"),
    [
        ("weak: []", "weak of 'KOMP › Opplæring' must be true, false or a list of theme ids"),
        ("weak: [XYZ]", "weak of 'KOMP › Opplæring' names 'XYZ', which is not a code"),
        ("weak: [1]", "a theme in weak of 'KOMP › Opplæring' must be text"),
    ],
)
def test_weak_list_errors_name_the_line(weak: str, message: str) -> None:
    from dialogtool.errors import DialogtoolError

    with pytest.raises(DialogtoolError, match=message) as error:
        parse_codebook(TRAINING_BOOK.replace("weak: [IP]", weak), "kb.yaml")
    assert error.value.line == 13


# --- once_named concepts -------------------------------------------------------------------------

ONCE_BOOK = """\
context: {heading: false, reference: false, leadin: false}
codes:
  - id: IP
    label: Individuell plan
    concepts:
      - label: Ved navn
        terms: [individuell plan, IP]
      - label: Planen
        once_named: true
        terms: [=planen, =plana]
"""


def test_a_once_named_word_codes_only_after_the_note_has_named_its_theme() -> None:
    raw = "Planen ligger i en perm.\n\nMange har individuell plan.\n\nPlanen blir ikke oppdatert.\n"
    codings = [c for _, c in coded(raw, parse_codebook(ONCE_BOOK, "kb.yaml"))]
    assert [c.codes for c in codings] == [(), ("IP",), ("IP",)]
    assert codings[2].terms == {"IP": ("=planen",)}


def test_a_heading_that_names_the_theme_counts_and_the_word_itself_does_not() -> None:
    book = parse_codebook(ONCE_BOOK, "kb.yaml")
    headed = [c.codes for _, c in coded("Oppgåve 2: IP\n\nPlana vert ikkje brukt.\n", book)]
    assert headed == [("IP",), ("IP",)]
    alone = [c.codes for _, c in coded("Planen er klar.\n\nPlanen er god.\n", book)]
    assert alone == [(), ()]  # «planen» twice does not name the theme


def test_once_named_must_be_true_or_false() -> None:
    from dialogtool.errors import DialogtoolError

    with pytest.raises(DialogtoolError, match="once_named of 'IP › Planen' must be true or false"):
        parse_codebook(ONCE_BOOK.replace("once_named: true", "once_named: 1"), "kb.yaml")


# --- bylines -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line", ["Notat: Terje Hove, Informasjonsavdelinga", "Skrivar – Kari Li, koordinerande eining", "Referent: Ola KE"]
)
def test_a_byline_that_names_a_person_gets_no_theme_from_its_words(line: str) -> None:
    codings = by_text(
        f"Dialogmøte i Førde\nKafébord 2\n{line}\n\nOppgåve 1: Koordinerande eining\nEininga er lite kjend.\n"
    )
    assert codings[line].codes == ()
    # and passes nothing down: the task heading's theme is what the units below it get
    assert codings["Eininga er lite kjend."].codes == ("KE",)


@pytest.mark.parametrize(
    "line", ["Sekretær: rådgiver, Harstad kommune", "Kafévert: fagutviklingssjukepleiar, Voss herad"]
)
def test_a_byline_with_a_job_title_gets_no_theme_and_passes_none_down(line: str) -> None:
    codings = by_text(f"Dialogmøte i Harstad\nKafébord 2\n{line}\n\nInnledning\nVi var åtte.\n")
    assert codings[line].codes == () and codings["Vi var åtte."].codes == ()


def test_a_sentence_that_starts_with_a_role_word_keeps_its_theme() -> None:
    codings = by_text("Oppgave 1\n\nBordvert: vi snakket mest om informasjon ved utskriving.\n")
    assert codings["Bordvert: vi snakket mest om informasjon ved utskriving."].codes == ("INFO",)


def test_the_list_under_an_attendance_heading_gets_no_theme() -> None:
    raw = (
        "Kafébord 2\n\nDeltakarar:\nKoordinerande eining i Ulvik, brukarrepresentant frå pasientgruppe ME\n\n"
        "Oppgåve 1\nKoordinerande eining er lite kjend.\n"
    )
    codings = by_text(raw)
    assert codings["Koordinerande eining i Ulvik, brukarrepresentant frå pasientgruppe ME"].codes == ()
    assert codings["Koordinerande eining er lite kjend."].codes == ("KE",)


@pytest.mark.parametrize(
    "line",
    [
        "Det var folk frå Førde, Naustdal og Førde sentralsjukehus (nevrologisk og ortopedisk).",
        "Det var representanter fra fire kommuner og fra kreftavdelingen.",
    ],
)
def test_a_line_saying_who_was_there_gets_no_theme(line: str) -> None:
    codings = by_text(f"Kafébord 3\n\nOppgave 1: Pasientgrupper\n\n{line}\n")
    assert codings[line].codes == ()


@pytest.mark.parametrize(
    "line",
    [
        "Vi rakk ikke den siste oppgaven om pasientforløp for kreft.",
        "Me rakk ikkje å snakke om individuell plan.",
        "Dessverre fekk me ikkje tid til å snakke om kompetanse.",
        "Vi kom ikke gjennom spørsmålet om epikriser.",
    ],
)
def test_a_line_on_what_the_table_did_not_get_to_gets_no_theme(line: str) -> None:
    codings = by_text(f"Oppgave 3: Koordinerende enhet\n\n{line}\n")
    assert codings[line].codes == ()


def test_not_getting_to_agreement_is_still_about_the_theme() -> None:
    line = "Vi kom ikke til enighet om hvem som skal kontakte KE."
    assert "KE" in by_text(f"Oppgave 3: Samarbeid\n\n{line}\n")[line].codes


@pytest.mark.parametrize("summary", ["Anbefalinger", "Oppsummert", "Tilrådingar", "Hovudfunn"])
def test_the_notes_own_summary_does_not_belong_to_the_last_task(summary: str) -> None:
    raw = f"Oppgave 4: Pasientgrupper\n\n• Mange faller utenfor.\n\n{summary}\n\n• Mer tid til hvert møte.\n"
    codings = by_text(raw)
    assert codings["Mange faller utenfor."].codes == ("GRUPPER",)
    assert codings["Mer tid til hvert møte."].codes == ()


def test_a_title_that_is_a_summary_of_a_themed_table_keeps_its_theme() -> None:
    codings = by_text("Oppsummering kafébord 1 – koordinerende enhet\n\nLite kjent blant de ansatte.\n")
    assert codings["Lite kjent blant de ansatte."].codes == ("KE",)


def test_a_remark_on_the_discussion_itself_takes_no_theme_from_its_heading() -> None:
    codings = by_text("Oppgave 4: Koordinerende enhet\n\nHer ble det en del diskusjon, og ikke alle var enige.\n")
    assert codings["Her ble det en del diskusjon, og ikke alle var enige."].codes == ()


@pytest.mark.parametrize(
    ("label", "point"),
    [
        ("Det som fungerer", "Lite kjent blant de ansatte."),
        ("Forslag:", "Fast kontaktperson i hver kommune."),
        ("Kva manglar?", "Eit telefonnummer som alle kjenner."),
        ("Utfordringar", "Ingen veit kven som har ansvaret."),
        ("Anna", "Ingen veit kven som har ansvaret."),
    ],
)
def test_a_line_that_labels_the_points_after_it_takes_no_theme_but_the_points_do(label: str, point: str) -> None:
    raw = f"Oppgave 1: Koordinerende enhet\n\n• Kjent i noen kommuner.\n\n• {label}\n\n• {point}\n"
    codings = by_text(raw)
    assert codings["Kjent i noen kommuner."].codes == ("KE",)
    assert codings[label].codes == ()
    assert codings[point].codes == ("KE",)  # a bullet «Anna» opens no section, unlike a heading «Anna:»


def test_a_label_word_inside_a_sentence_does_not_stop_its_theme() -> None:
    line = "Forslag om fast kontaktperson i hver kommune."
    codings = by_text(f"Oppgave 1: Koordinerende enhet\n\n• Kjent i noen kommuner.\n\n• {line}\n")
    assert codings[line].codes == ("KE",)


@pytest.mark.parametrize(
    "raw",
    [
        "Tema: samarbeid\n\n• Mer informasjon før utskriving?\n• Mange faller mellom to stoler.\n",
        "Tema: samarbeid\n\n• Meir informasjon før utskriving?\n• Mange fell mellom to stolar.\n",
    ],
)
def test_a_bullet_that_ends_in_a_question_mark_is_a_point_not_a_lead_in(raw: str) -> None:
    (last,) = [coding for seg, coding in coded(raw) if "stol" in seg.text]
    assert "INFO" not in last.codes


def test_a_numbered_question_still_leads_in_to_its_bullets() -> None:
    raw = "Tema: samarbeid\n\n1a) Kva informasjon manglar kommunen?\n• Funksjonsvurdering frå fysio.\n"
    codings = by_text(raw)
    assert rules_of(codings["Funksjonsvurdering frå fysio."]) == {"INFO": "leadin"}


TABLE_INTRO = "Vi snakket lenge om dette ved bordet, og mange hadde erfaringer fra egen kommune."


@pytest.mark.parametrize(
    "header",
    ["Utfordring | Tiltak | Hvem følger opp", "Utfordring\tTiltak\tKven følgjer opp", "Kven | Kva manglar | Forslag"],
)
def test_a_tables_header_row_takes_no_theme_but_its_rows_do(header: str) -> None:
    row = "Lite kjent blant de ansatte i kommunen | Oppslag på nettsiden | Kommunen"
    raw = f"Oppgave 1: Koordinerende enhet\n\n{TABLE_INTRO}\n\n{header}\n{row}\n"
    codings = {seg.text: coding for seg, coding in coded(raw)}
    (head,) = [coding for text, coding in codings.items() if text.startswith(("Utfordring", "Kven"))]
    assert head.codes == ()
    assert codings[row].codes == ("KE",)


def _opening_chars(items: list[tuple[Any, Any]]) -> tuple[set[str] | None, bool]:
    """The characters a parsed regex's matches can begin with (None: any), and whether it can
    match the empty string; enough of the regex syntax for the patterns in langdata."""
    from re import _constants as sre  # type: ignore[attr-defined]

    chars: set[str] = set()
    for op, arg in items:
        if op is sre.AT:
            continue
        if op is sre.LITERAL:
            return chars | {chr(arg)}, False
        if op is sre.IN and all(kind is sre.LITERAL for kind, _ in arg):
            return chars | {chr(c) for _, c in arg}, False
        if op is sre.BRANCH:
            parts = [_opening_chars(list(branch)) for branch in arg[1]]
        elif op is sre.SUBPATTERN:
            parts = [_opening_chars(list(arg[3]))]
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
            first, empty = _opening_chars(list(arg[2]))
            parts = [(first, empty or arg[0] == 0)]
        else:
            return None, False  # a class, a category, any character: could begin with anything
        for first, _ in parts:
            if first is None:
                return None, False
            chars |= first
        if not any(empty for _, empty in parts):
            return chars, False
    return chars, True


@pytest.mark.parametrize(
    "name", ["_ASIDE", "_ATTENDANCE", "_NAMED_BYLINE", "_NOT_REACHED", "_PROCEDURAL_START", "_SIGN_OFF"]
)
def test_line_start_letters(name: str) -> None:
    """A `_LineStart` rules out a line by its first character, so its `letters` must hold every
    ASCII letter its pattern's matches can begin with (a pattern edited in langdata to begin with
    a new letter must add it there, in context.py), and no other letter a match begins with may match an
    ASCII character when case is ignored (as «ſ» matches «s»)."""
    from re import _parser  # type: ignore[attr-defined]

    from dialogtool.coding import context

    line_start = getattr(context, name)
    opening, empty = _opening_chars(list(_parser.parse(line_start.regex.pattern, re.IGNORECASE)))
    assert opening is not None and not empty, f"{name}: the test cannot tell how its matches begin"
    ascii_letters = {c.lower() for c in opening if c.isascii()}
    assert ascii_letters <= set(line_start.letters), f"{name}: add {sorted(ascii_letters - set(line_start.letters))}"
    for char in (c for c in opening if not c.isascii()):
        assert not any(re.fullmatch(re.escape(char), chr(c), re.IGNORECASE) for c in range(128)), char
