"""The proximity part of the pattern language: choices, NEAR, BEFORE and their NOT vetoes,
in Bokmål and Nynorsk, and the codebook's sense rules for homographs."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from dialogtool.coding.codebook import Codebook, load_codebook, parse_codebook
from dialogtool.coding.matcher import Matcher, code_hits, code_note, words_of
from dialogtool.coding.patterns import BEFORE, NEAR, PLAIN, PREFIX, PatternError, Rule, Word, parse_rule
from dialogtool.errors import DialogtoolError
from dialogtool.ingest.segment import TEXT, Segment

ROOT = Path(__file__).resolve().parents[1]


def book(terms: list[str], exclude: list[str] = ()) -> Codebook:  # type: ignore[assignment]
    text = f"codes:\n  - id: T\n    label: T\n    terms: {json.dumps(terms, ensure_ascii=False)}\n"
    if exclude:
        text += f"    exclude: {json.dumps(list(exclude), ensure_ascii=False)}\n"
    return parse_codebook(text, "t.yaml")


def codes(term: str, text: str, exclude: tuple[str, ...] = ()) -> dict[str, tuple[str, ...]]:
    matcher = Matcher(book([term], list(exclude)))
    return code_hits(matcher.hits(words_of(text), text))


def matches(term: str, text: str, exclude: tuple[str, ...] = ()) -> bool:
    return "T" in codes(term, text, exclude)


@pytest.fixture(scope="module")
def real() -> Matcher:
    return Matcher(load_codebook(ROOT / "codebook.yaml"))


def real_codes(matcher: Matcher, text: str) -> set[str]:
    """The themes of `text` as the only unit of a note (so a `once_named` word finds no theme
    named before it)."""
    segments = [Segment("s1", TEXT, 1, (), (), 0, len(text), text)]
    (coding,) = code_note(text, segments, matcher)
    return {c.split(".")[0] for c in coding.codes}


def codes_after(matcher: Matcher, first: str, later: str) -> tuple[str, ...]:
    """The codes of `later` as the unit right after `first` in a note (a `once_named` word
    finds a theme named by `first`)."""
    text = f"{first}\n{later}"
    segments = [
        Segment("s1", TEXT, 1, (), (), 0, len(first), first),
        Segment("s2", TEXT, 2, (), (), len(first) + 1, len(text), later),
    ]
    return tuple(code_note(text, segments, matcher)[1].codes)


# --- parsing ---------------------------------------------------------------------------------


def test_parse_rule_plain_phrase_is_a_rule_without_operator() -> None:
    rule = parse_rule("individuell plan")
    assert rule == Rule(((Word(PLAIN, "individuell"), Word(PLAIN, "plan")),))
    assert not rule.proximity


def test_parse_rule_choices_and_operators() -> None:
    rule = parse_rule("(sende | sende videre) NEAR/4 papir*")
    assert rule.op == NEAR and rule.distance == 4 and not rule.negated
    assert rule.left == ((Word(PLAIN, "sende"),), (Word(PLAIN, "sende"), Word(PLAIN, "videre")))
    assert rule.right == ((Word(PREFIX, "papir"),),)
    assert rule.proximity
    veto = parse_rule("koordinator* NOT BEFORE/2 (møte* | prosjekt*)")
    assert veto.op == BEFORE and veto.negated and veto.distance == 2 and len(veto.right) == 2


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ("a NEAR b", "needs a distance"),
        ("a BEFORE/x b", "needs a distance"),
        ("a NEAR/51 b", "distance must be 1 to 50"),
        ("NEAR/2 b", "needs a phrase on each side"),
        ("a NOT NEAR/2", "needs a phrase on each side"),
        ("a NEAR/2 b NEAR/3 c", "one operator per pattern"),
        ("NOT a", "'NOT' must be followed by"),
        ("a NOT c NEAR/2 b", "'NOT' must stand right before"),
        ("(a | b", "unbalanced or nested"),
        ("((a) | b)", "unbalanced or nested"),
        ("a (b | c)", "must enclose a whole side"),
        ("(a || b)", "empty choice"),
        ("(a | =) NEAR/2 b", "'=' must be followed by a word"),
    ],
)
def test_parse_rule_rejects(pattern: str, reason: str) -> None:
    with pytest.raises(PatternError, match=reason):
        parse_rule(pattern)


def test_load_error_names_file_line_and_code() -> None:
    text = textwrap.dedent(
        """\
        codes:
          - id: INFO
            label: Info
            concepts:
              - label: Sende
                terms:
                  - epikrise
                  - sende NEAR/ papir
        """
    )
    with pytest.raises(DialogtoolError) as info:
        parse_codebook(text, "kb.yaml")
    assert info.value.path == "kb.yaml" and info.value.line == 8
    assert "malformed pattern 'sende NEAR/ papir' in 'terms' of 'INFO › Sende'" in info.value.message


# --- matching: Bokmål and Nynorsk --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kommunen fikk ikke vite at pasienten var utskrevet.", True),  # nb, 2 words apart
        ("Kommunen fekk ikkje vite noko om utskrivinga.", True),  # nn
        ("Vi fikk vite det.", True),  # adjacent: 1 apart
        ("Vi fikk aldri noen gang vite det.", False),  # 4 apart
        ("Vite hva vi fikk, var vanskelig.", False),  # BEFORE: wrong order
    ],
)
def test_before(text: str, expected: bool) -> None:
    assert matches("(fikk | fekk) BEFORE/2 vite", text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sykehuset og kommunen forstår diagnosen ulikt.", True),  # nb
        ("Ulik forståing av diagnosen mellom sjukehus og kommune.", True),  # nn, other order
        ("Pasienten forstår planen.", False),  # the first word alone
        ("Forståelse er viktig, men vi hadde mange ulike tiltak på listen.", False),  # 7 words apart
    ],
)
def test_near(text: str, expected: bool) -> None:
    assert matches("(forstå* | forståing*) NEAR/5 ulik*", text) is expected


def test_near_never_pairs_a_word_with_itself() -> None:
    assert not matches("ulik* NEAR/3 ulik*", "Det var ulikt.")
    assert matches("ulik* NEAR/3 ulik*", "Ulike kommuner, ulike svar.")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Vi sender papirene til fastlegen.", True),
        ("Pasienten sendes hjem for tidlig.", False),  # the veto is within 3 words
        ("Dei sender pasientane heim.", False),  # nn
        ("Sykehuset sender, etter mange ulike runder med venting, pasienten hjem.", True),  # veto too far
    ],
)
def test_not_near(text: str, expected: bool) -> None:
    assert matches("sende NOT NEAR/3 (pasient* | hjem | heim)", text) is expected


def test_not_before_vetoes_only_what_follows() -> None:
    rule = "koordinator* NOT BEFORE/2 (møte* | samling*)"
    assert not matches(rule, "Koordinator for møtet var Per.")
    assert matches(rule, "Møtet fikk ingen koordinator.")  # the veto word comes before
    assert matches(rule, "Pasienten trenger en koordinator.")


def test_proximity_hit_spans_both_phrases_and_exclusions_veto_it() -> None:
    matcher = Matcher(book(["få BEFORE/2 vite"]))
    (hit,) = matcher.hits(words_of("De fikk ikke vite noe."))
    assert (hit.start, hit.end) == (3, 17) and hit.proximity
    assert not matches("få BEFORE/2 vite", "De fikk ikke vite noe.", exclude=("ikke",))


def test_choice_with_phrases() -> None:
    rule = "(bli med | være med) NEAR/4 kollega*"
    assert matches(rule, "Hun fikk være med en kollega på hjemmebesøk.")
    assert matches(rule, "Ho fekk bli med kollegaen sin ein dag.")
    assert matches(rule, "Kollegaen var med.")  # «var med» is a form of «være med»
    assert not matches(rule, "Kollegaen var syk.")


# --- sense rules of the codebook (homographs), Bokmål and Nynorsk -------------------------------


@pytest.mark.parametrize(
    ("text", "themes"),
    [
        # acronyms in technical names
        ("IP-adressen til skriveren må endres.", set()),
        ("Vi fikk nye IP-telefoner på kontoret.", set()),
        ("Referatet er skrevet i MS Word.", set()),
        ("IP-en må følge pasienten.", {"IP"}),
        # Nynorsk «me» in a line written in capitals is «we», not CFS/ME
        ("KVA ME TRENG FRÅ SJUKEHUSET", set()),
        ("Pasientar med ME får ikkje tilbod.", {"GRUPPER"}),
        # plural of «kraft», not cancer
        ("Kreftene i kommunen må samles.", set()),
        ("Kreftpasientar med seinskadar fell utanfor.", {"GRUPPER"}),
        # «kurs» as a direction, not a course
        ("Vi må endre kurs i samarbeidet.", set()),
        ("Kursen er lagt for de neste årene.", set()),
        ("Kommunen arrangerte kurs for de ansatte.", {"KOMP"}),
        # «slag» in other senses
        ("Det var alle slag folk på møtet.", set()),
        ("Hva slags tilbud finnes?", set()),
        ("Mange slagpasientar får lite oppfølging.", {"GRUPPER"}),
        # departments and roles named after a diagnosis are not the patient group
        ("Slagenheten har fått ny leder.", set()),
        ("Kreftavdelinga flytter til nytt bygg.", set()),
        ("Kreftkoordinatoren kjenner familien.", set()),
        ("Rusteamet har flyttet.", set()),
        # words that begin like «rus»
        ("Vi var godt rustet til møtet.", set()),
        # a plan that is not the patient's
        ("Budsjettplanen for neste år er klar.", set()),
        ("Pasienten trenger en plan for oppfølgingen.", {"IP"}),
        ("Planen må følge pasienten mellom nivåene.", {"IP"}),
        # a coordinator of the meeting, not the patient's
        ("Koordinator for dialogmøtet ønsket velkommen.", set()),
        # the same in Nynorsk
        ("Kva slag tilbod får dei?", set()),
        ("Slagsjukepleiaren på sengeposten var med.", set()),
        ("Avdelinga for nevrologi flyttar til nytt bygg.", set()),
        ("Me har fått nye IP-telefonar.", set()),
        ("Planen for dagen vart endra.", set()),
        ("Dei fekk ikkje rusta opp lokala.", set()),
        ("Slagpasientane får lite oppfølging heime.", {"GRUPPER"}),
        ("Planen må følgje pasienten mellom nivåa.", {"IP"}),
        # «på 2. plan»: a storey of the building, not a plan
        ("Pasientene ble tatt imot på 2. plan.", set()),
        ("Pasientane møtte i 3. plan i nybygget.", set()),
        # a plan for the training is a training plan; getting through the agenda is not contact
        ("Pasientar vert sende heim utan plan for vidare trening.", set()),
        ("Vi kom ikke gjennom alle spørsmålene.", set()),
        ("Hjemmesykepleien kommer ikke gjennom på telefonen.", {"INFO"}),
        # what patients themselves are told is information to patients, not between services
        ("Dette gjelder pasienter som har fått vite at det ikke finnes mer behandling.", set()),
        ("Eldre som ikkje hugsar kva dei har fått beskjed om.", {"GRUPPER"}),
        ("Kommunen får ikkje vite at pasienten er utskriven.", {"INFO"}),
        ("Hjemmetjenesten fikk beskjed om utskrivingen for sent.", {"INFO"}),
        # a message named inside a clause about the patient is still a message between services
        ("• pas. kjem heim før meldinga, hj.spl. får vite det av naboen", {"INFO"}),
        # keeping time, a plan B and learning to walk again are not plans or competence
        ("Takk til Ola som holdt styr på tiden.", set()),
        ("Fleire av ungdomane har ein plan B for vidaregåande, og det er bra.", set()),
        ("Det var bra, og jeg lærte å gå igjen.", set()),
        ("Sidan har ho sjølv halde styr på alle avtalane.", {"IP"}),
        # a team or clinic named by a group's acronym, and a condition as a training topic
        ("ROP-teamet ringer allerede mye.", {"INFO"}),
        ("Lærarane ønskjer meir kunnskap om epilepsi.", {"KOMP"}),
        # the floor of a building, not a plan
        ("Møterommet på 2. plan var for trangt for pasientene.", set()),
        # reports of, got through; a rehabilitation stay's final report; the hospital's unit
        ("Andøy melder om mye sykefravær etter høsten.", set()),
        ("Kommunane har kome seg gjennom pandemien.", set()),
        ("Sluttrapporten vår går til fastlegen.", {"INFO"}),
        ("Sluttrapporten fra prosjektet kommer i juni.", set()),
        ("Sykehusets enhet har skiftet leder.", {"KE"}),
        ("Fleire kommunar har ikkje ei eining ein kan vende seg til.", {"KE"}),
        ("Pasienten har ofte selv med seg utskrifter.", {"INFO"}),
        ("Terapeuten kan vere med ein dag for å sjå treninga.", {"KOMP"}),
        # what a service knows of the patient's function is information, not competence
        ("Vi vet lite om funksjonsnivå og hjemmesituasjon.", {"INFO"}),
        ("Kommunane veit ikkje kva pasienten har trent på.", {"INFO"}),
    ],
)
def test_real_codebook_senses(real: Matcher, text: str, themes: set[str]) -> None:
    assert real_codes(real, text) == themes


@pytest.mark.parametrize(
    ("text", "themes"),
    [
        # concepts in everyday words, Bokmål and Nynorsk
        ("Fastlegen fikk ikke vite at pasienten var kommet hjem.", {"INFO"}),
        ("Kommunen fekk ikkje vite at pasienten var utskriven.", {"INFO"}),
        ("Rapporten fra sykehuset kom aldri fram.", {"INFO"}),
        ("Pasienten må selv fortelle hjemmetjenesten hva som skjedde.", {"INFO"}),
        ("Rusteamet og hjemmesykepleien snakker for lite sammen.", {"INFO"}),
        ("Sjukehuset og kommunen forstår diagnosen ulikt.", {"KOMP"}),
        ("Ord som «utskrivingsklar» betyr ulike ting på sykehuset og hjemme.", {"KOMP"}),
        ("Vi snakker ofte forbi hverandre.", {"KOMP"}),
        ("Terapeutane kan lære av kvarandre.", {"KOMP"}),
        ("Hjemmesykepleien har lite erfaring med slike pasienter.", {"KOMP"}),
        ("Dei vert utmatta av lite aktivitet.", {"GRUPPER"}),
        ("Mange glemmer avtaler og medisiner.", {"GRUPPER"}),
        ("Eldre samer får sjelden rehabilitering på eget språk.", {"GRUPPER"}),
        ("Dei delte røynsler på tvers av nivåa.", {"KOMP"}),
        ("«Sjølvhjelpen» tyder ein ting på sjukehuset, medan kommunen les noko anna.", {"KOMP"}),
        ("Hjemmetjenesten leser det som at hun klarer seg alene.", {"KOMP"}),
        ("Det er vanskelig å få tak i rett person på sykehuset.", {"INFO"}),
        ("Brevet gjekk til feil mottakar.", {"INFO"}),
        ("Skrøpelige eldre og multisyke får for lite trening.", {"GRUPPER"}),
        ("Pasientar med hjartesvikt eller lungesjukdom fell utanfor.", {"GRUPPER"}),
        ("Dei som har hatt hjernerysting, blir ikkje fanga opp.", {"GRUPPER"}),
        ("Mange av dei passar ikkje inn nokon stad.", {"GRUPPER"}),
        ("Dagsformen varierer mye.", {"GRUPPER"}),
        ("Den som skal koordinere, får ikkje tid.", {"IP"}),
        ("Han fikk aldri én person å forholde seg til.", {"IP"}),
        ("Kommunen har tatt i bruk en elektronisk plan.", {"IP"}),
        ("Intensiv rehabilitering hjelper mange.", set()),
        ("Ingen visste kven som tek imot søknader om tenester.", {"KE"}),
        ("Det er uklart hvor søknaden skal sendes.", {"KE"}),
        ("Sykehuset har et kontor som koordinerer rehabiliteringen.", {"KE"}),
        ("Kommunane manglar fagfolk som kan noko om seinskadar.", {"KOMP", "GRUPPER"}),
        ("Eldre som bor alene, får for lite oppfølging.", {"GRUPPER"}),
        ("Dei som ikkje har pårørande, får minst hjelp.", {"GRUPPER"}),
        ("Direktenummera til sengepostane virkar ikkje lenger.", {"INFO"}),
        ("Etter klokka 15 er det umulig å nå noen i kommunen.", {"INFO"}),
        ("Det var vanskeleg å nå nokon på sjukehuset.", {"INFO"}),
        ("Nå har noen kommuner fått egne team.", set()),
        ("Hva sendes, og hva kommer fram?", {"INFO"}),
        # the coordinator described by what the coordinator does
        ("Hvem skal holde oversikten?", {"IP"}),
        ("Dei treng ein person som har oversikt over alt.", {"IP"}),
        ("Ingen vet hvem som skal kalle inn til møte.", {"IP"}),
        ("Det er uklart kven som kallar inn til første møte.", {"IP"}),
        ("Kven skal vere kontaktperson for pasienten?", {"IP"}),
        ("Ein plan med mål som pasienten sjølv har sett.", {"IP"}),
        ("KE bør ha oversikt over tilbudene i kommunen.", {"KE"}),
        # KE described by what it does: the office that takes the reports and applications
        ("Kontoret som skal ta imot meldinger om dem som trenger mange tjenester.", {"KE", "INFO"}),
        ("Kommunen har ein eigen stad som tek imot søknader om tenester.", {"KE"}),
        ("Hvem skal ha beskjed når noen trenger langvarige tjenester?", {"KE"}),
        # groups asked about
        ("Oppgave 3: Hvem blir ikke fanget opp?", {"GRUPPER"}),
        ("Kva for pasientar er det som oftast fell ut?", {"GRUPPER"}),
        ("Hvilke grupper trenger mer?", {"GRUPPER"}),
        ("Informasjonen blir ikke fanget opp.", {"INFO"}),
        # competence in plain words
        ("Terapeutane vil sjå korleis dei jobbar på sjukehuset.", {"KOMP"}),
        ("Få være med en fysioterapeut på sykehuset en dag.", {"KOMP"}),
        ("Sykehuset ønsker å forstå hvilke rammer kommunen har.", {"KOMP"}),
        ("Korleis kan me styrkje kvarandre fagleg?", {"KOMP"}),
        ("Sykehuset og kommunen legger ulik mening i ordet.", {"KOMP"}),
        ("Det finst eit nettverk for ergoterapeutar i regionen.", {"KOMP"}),
        # information flow in plain words
        ("Faks fra ett legekontor.", {"INFO"}),
        ("Korleis kan me få betre flyt mellom nivåa?", {"INFO"}),
        ("Få vite hvem som er ansvarlig lege.", {"INFO"}),
        ("Få vet at tilbudet finnes.", set()),
        ("Telefon mellom terapeutane før heimreise.", {"INFO"}),
        # a coordinator of something else
        ("Kommunen har en koordinator for fritidsaktiviteter.", set()),
        ("Det er vanskelig å vite hvor henvendelsen skal sendes.", {"KE", "INFO"}),
        ("Det er mange mottakarar og ulike namn på kontora.", {"INFO"}),
        # contact details on the municipality's website are KE's
        ("Det burde stå eit namn og eit telefonnummer på nettsida.", {"KE"}),
        ("Telefonnummeret ligger langt nede på hjemmesiden til kommunen.", {"KE"}),
        ("Ein telefonsamtale kunne spart mange dagar.", {"INFO"}),
        ("Mange blir skrevet ut uten at noen i kommunen vet om det.", {"INFO"}),
        ("Dei må ofte ta kontakt sjølve.", set()),
        # groups in plain words; patient organisations are names
        ("Tema 5 – Grupper som ikke får god nok oppfølging", {"GRUPPER"}),
        ("Pasientar som ikkje får det dei treng.", {"GRUPPER"}),
        ("Det same gjeld for fleire av desse gruppene.", {"GRUPPER"}),
        ("Mange faller ut av alt.", {"GRUPPER"}),
        ("Brukerrepresentant fra Norges Parkinsonforbund.", set()),
        ("Ein representant frå Kreftforeningen var med.", set()),
        # competence in plain words; a department's name is not a course
        ("Fagfolk kan komme ut og se hvordan hverdagsrehabilitering drives.", {"KOMP"}),
        ("Terapeutar kan få vere med på sengeposten nokre dagar.", {"KOMP"}),
        ("En kort innføring for nyansatte.", {"KOMP"}),
        ("Innføring av nytt journalsystem tok tid.", {"INFO"}),
        ("Kurs- og konferanseavdelingen hadde satt av rommet.", set()),
        # from the sixth development set: plain words for the themes
        ("Der det finnes én person som kjenner pasienten og har oversikt, går det bedre.", {"IP"}),
        ("Den som skal følge pasienten, trenger tid.", {"IP"}),
        ("Ingen kjenner seg som eigar av planen når pasienten flyttar.", {"IP"}),
        ("Tema 2 – Koordinering og planer", {"IP"}),
        ("Éin fast stad som pasientane kan ringje til.", {"KE"}),
        ("Det er vanskelig å vite hvem man skal spørre.", {"INFO"}),
        ("Spesialisthelsetenesta veit ikkje kven dei skal sende til.", {"INFO"}),
        ("Telefon til sengeposten når det hastar.", {"INFO"}),
        ("Det var meldt regn, så vi satt inne.", set()),
        ("Eit felles fagforum for terapeutane.", {"KOMP"}),
        ("Tilsette kan vere nokre dagar på arbeidsplassen til kvarandre.", {"KOMP"}),
        ("Fysio frå kommunen kan gå saman med fysio på sjukehuset.", {"KOMP"}),
        ("Kva veit me om kvarandre?", {"KOMP"}),
        ("Fleire grupper fell mellom stolane.", {"GRUPPER"}),
        ("Dei gruppene må fangast opp tidlegare.", {"GRUPPER"}),
        ("Eldre med gløymsle møter ikkje til timar.", {"GRUPPER"}),
        ("Yngre med langvarig utmatting får lite hjelp.", {"GRUPPER"}),
        ("IP-adressa til videoutstyret må opnast.", set()),
        # telegraphic abbreviations stand for their words
        ("ønske: tlf. fra avd. til komm. før utreise", {"INFO"}),
        ("fast tlf.-tid avd.–komm.", {"INFO"}),
        ("komp.heving for fysio i komm.", {"KOMP"}),
        ("tlf. på kontoret", set()),
        ("Dei sender søknader og veit ikkje om dei kjem fram.", {"INFO"}),
        # a service that does not know what it should: missing information (nb and nn)
        ("Heimesjukepleia visste ikkje at ho hadde fått nye medisinar.", {"INFO"}),
        ("Pasienten reiser hjem uten at kommunen vet det.", {"INFO"}),
        ("Vi starter opp uten å vite hva sykehuset har gjort.", {"INFO"}),
        ("Kommunen veit ikkje kva dei skal gjere med desse.", set()),  # know-how, not information
        ("Mange tilsette i kommunen veit ikkje at KE finst.", {"KE"}),  # KE unknown, not information
        # knowing little about the other's work is competence
        ("Sjukehuset veit lite om korleis det er å jobbe heime hos pasienten.", {"KOMP"}),
        ("Kommunene visste lite om KE på sykehuset.", {"KE"}),
        # the groups as groups, and who struggles most
        ("Gruppene vi snakka mest om:", {"GRUPPER"}),
        ("Felles for flere av gruppene:", {"GRUPPER"}),
        ("Hvem strever mest?", {"GRUPPER"}),
        ("Kven strevar mest i kvardagen?", {"GRUPPER"}),
        ("Deltakarane vart fordelt på ulike grupper.", set()),
        ("Innspela frå dei ulike gruppene vart samla.", set()),
        ("Trening i grupper passar ikkje for alle.", set()),
        # the municipal office as KE: unknown, named, the way in; and the contact point
        ("Tildelingskontoret er ukjent for sjukehuset.", {"KE"}),
        ("Ingen visste navnet på kontoret i kommunen.", {"KE"}),
        ("Kommunene har et eget kontor som skal være inngangen for alle.", {"KE"}),
        ("Kven er kontaktpunktet i kommunen?", {"KE"}),
        ("Få veit kvar i kommunen ein skal vende seg.", {"KE"}),
        ("Vedtaket frå tildelingskontoret var ikkje klart.", set()),
        # the coordinator in plain words: overall responsibility, the one who keeps track
        ("Ingen har et tydelig oppfølgingsansvar for pasienten.", {"IP"}),
        ("Ingen hadde det samla ansvaret for henne.", {"IP"}),
        ("Det finst ingen som held oversikta.", {"IP"}),
        ("Éin fast person som samordnar tenestene rundt pasienten.", {"IP"}),
        # the patient's own goals
        ("Målene bør pasienten formulere selv.", {"IP"}),
        ("Måla bør vere hennar, ikkje våre.", {"IP"}),
        ("Målet med møtet var å bli kjent.", set()),
        ("Kva pasienten sjølv har sett som mål for opphaldet.", set()),
        ("Eit kontaktpunkt på avdelinga som kommunen kan ringje til.", {"INFO"}),
        # knowing what was done, and without the service knowing (nb and nn)
        ("Vi kan starte dag to dersom vi vet hva som er gjort på sykehuset.", {"INFO"}),
        ("Rullatoren vart bestilt utan at ergoterapeuten i kommunen visste om det.", {"INFO"}),
        ("Lange ventetider på svar på henvendelser.", {"INFO"}),
        ("Sjukehuset veit ikkje kva me har i kommunen.", {"KOMP"}),  # knowing the other's work
        ("Vi vil vite mer om hva sykehuset faktisk kan.", {"KOMP"}),
        # the same words and tools, judging differently, seeing the other's workplace
        ("Sykehuset og kommunen vurderer funksjon forskjellig.", {"KOMP"}),
        ("Vi bør bruke same ord om det same.", {"KOMP"}),
        ("Felles kartleggingsverktøy begge steder.", {"KOMP"}),
        ("Terapeutane vil gjerne vere med på heimebesøk.", {"KOMP"}),
        ("Eit nettverk med andre koordinatorar i dalen.", {"KOMP", "IP"}),
        ("Vi vurderer ulike tiltak for neste år.", set()),  # «ulike» = various
        # who gets too little, needs more than they get, does not fit in
        ("Oppgave 4: Hvem får for lite?", {"GRUPPER"}),
        ("Kva pasientar treng meir enn dei får?", {"GRUPPER"}),
        ("De passer ikke inn i standardforløpet.", {"GRUPPER"}),
        ("Kommunen får for lite informasjon.", {"INFO"}),
        # following the patient up over time is the coordinator's
        ("For få vil ta på seg å følgje opp ein pasient over tid.", {"IP"}),
        # the patient's own contact person is the coordinator; a ward's or a municipality's is contact
        ("Eg har hatt fire ulike kontaktpersonar på to år.", {"IP"}),
        ("Til slutt fekk vi ein fast kontaktperson.", {"IP"}),
        ("Ein kontaktperson på avdelinga som kommunen kan ringje.", {"INFO"}),
        ("Oppdatert liste over kontaktpersonar.", {"INFO"}),
        # the office that coordinates, allocates, or that one turns to
        ("Kommunen har eit kontor som skal samordne tenestene.", {"KE"}),
        ("Mange veit ikkje at kommunen har eit eige kontor.", {"KE"}),
        ("Tre av fire kommuner har et kontor for tildeling og samordning.", {"KE"}),
        ("De to kontorene bør møtes et par ganger i året.", {"KE"}),
        # the note or the minutes themselves
        ("Kafébord 2 – notat skrive av brukarrepresentant Randi Myklebust", set()),
        ("Referatet godkjennes på e-post innen en uke.", set()),
        ("Notatet frå sjukehuset kom ei veke seinare.", {"INFO"}),
        # the number the patient or the family can call is the coordinator's, not contact between services
        ("Ein kontaktperson som pasienten kan ringje til.", {"IP"}),
        ("Ring før pasienten kjem heim, ikkje etterpå.", {"INFO"}),
        ("Noen ganger får vi svar, noen ganger telefonsvarer.", {"INFO"}),
        ("Ansvar: Lærings- og mestringssenteret.", set()),
        ("Deltakerne reiser hjem med MS Nordnorge kl. 18.30.", set()),
        ("Båten, MS Lofoten, gjekk frå kaia klokka seks.", set()),
        ("Personar med MS får for lite trening.", {"GRUPPER"}),
        # the office in the municipality and the unit of one's own; the one who keeps track
        ("Om kontoret i kommunen:", {"KE"}),
        ("Sjukehuset har ei eiga eining for dette.", {"KE"}),
        ("Søknader skal rettes til kommunens tildelingsenhet.", {"KE"}),
        ("Den som holder oversikten", {"IP"}),
        ("Ansvar for oppfølging over tid", {"IP"}),
        ("Fastlegen får brev, heimetenesta ikkje.", {"INFO"}),
        ("Vi vet ikke hvem vi skal ringe til i kommunen.", {"INFO"}),
        # who is forgotten, who does not get help; what professionals know; words meaning otherwise
        ("Hvem blir glemt når tilbudene legges ned?", {"GRUPPER"}),
        ("Kven blir gløymde i dalen?", {"GRUPPER"}),
        ("Hvem får ikke god nok hjelp etter utskriving?", {"GRUPPER"}),
        ("Kven får ikkje tilbod om opptrening?", {"GRUPPER"}),
        ("Hvem blir med på turen?", set()),
        ("Hva vet helsepersonell om hvordan vi har det hjemme?", {"KOMP"}),
        ("Kva veit fagfolka om kvardagen vår?", {"KOMP"}),
        ("Hva vet vi om neste møte?", set()),
        ("På sykehuset heter det mobilisering, hjemme heter det å gå til postkassa.", {"KOMP"}),
        ("Heime tyder det at ein klarer seg utan hjelp.", {"KOMP"}),
        # the plan with goals, the one fixed person, what is not sent, not knowing what was done
        ("Planen med mål blir skriven av fagfolka.", {"IP"}),
        ("Mange ønsker seg én fast person å forholde seg til.", {"IP"}),
        ("Ein fast person som kjenner heile historia.", {"IP"}),
        ("Poliklinikken sender ingenting til fastlegen.", {"INFO"}),
        ("Sjukehuset sende lite eller ingenting til heimetenesta.", {"INFO"}),
        ("Vi vet ofte ikke hva som ble gjort på sykehuset.", {"INFO"}),
        # the lesson of a case is not competence; learning from each other is
        ("Kva lærte me av dette?", set()),
        ("Hva lærte vi av saken?", set()),
        ("Hva kan vi lære av hverandre?", {"KOMP"}),
        # telling about a patient at the table, and advice to the patient, are not the patient as messenger
        ("Alle fortalte om en pasient de hadde hatt nylig.", set()),
        ("Kvar deltakar fortalde om ein pasient frå eigen praksis.", set()),
        ("Pasienten må fortelle hjemmesykepleien hva som skjedde på sykehuset.", {"INFO"}),
        ("De ble sendt hjem med beskjed om å hvile.", set()),
        ("Dei vart sende heim med beskjed om å trene sjølve.", set()),
        ("Kommunen fekk beskjed om utskrivinga same dag.", {"INFO"}),
        # taking on the coordinator's role, and someone who follows the patient
        ("Få ansatte vil ta på seg den rollen.", {"IP"}),
        ("Det er for få som vil ta på seg den oppgåva.", {"IP"}),
        ("Pasienten treng nokon som følgjer han gjennom heile løpet.", {"IP"}),
        ("Vi trenger en som følger pasienten hjem.", {"IP"}),
        ("Vi trenger noen som følger med på tiden.", set()),
        # the unit in the municipality is the coordinating unit
        ("Eininga i kommunen er ukjend for dei fleste.", {"KE"}),
        ("Enheten i kommunen bør ha et fast telefonnummer.", {"KE", "INFO"}),
        # discussing cases with colleagues, taking the new ones along; the patients one does not reach
        ("Eg har ingen å drøfte vanskelege saker med.", {"KOMP"}),
        ("Vi vil gjerne drøfte saker med fagfolk fra sykehuset.", {"KOMP"}),
        ("En erfaren fysioterapeut kan ta med seg en ny på hjemmebesøk.", {"KOMP"}),
        ("Pasienter vi ikke når", {"GRUPPER"}),
        ("Pasientar me er uroa for:", {"GRUPPER"}),
        # the plan for the day is not the patient's plan; «kurs videre» is the way on
        ("Planen for dagen passer pasientene dårlig.", set()),
        ("Planen for pasienten ble endret.", {"IP"}),
        ("Kurs videre: nytt møte til våren.", set()),
        ("Kurs vidare: ny samling same stad.", set()),
        # the discharge papers, a phone call before the patient leaves
        ("Pasienten bar utskrivingspapira sjølv.", {"INFO"}),
        ("Det hadde hjulpet med en telefon før pasienten reiser hjem.", {"INFO"}),
        ("Ein telefon før utreise er nok.", {"INFO"}),
        # subordinate word order, a day at each other's workplace; the bell, a direction, the patient's learning
        ("De som ikke får nok", {"GRUPPER"}),
        ("Dei som ikkje får nok oppfølging heime.", {"GRUPPER"}),
        ("Det hadde vært nyttig å være en dag hos hverandre.", {"KOMP"}),
        ("Vi var ikke ferdige da klokka ringte.", set()),
        ("Eg melde meg på.", set()),
        ("Diskusjonen tok ein annan kurs etter kvart.", set()),
        ("Kommunen tilbyr et annet kurs i vår.", {"KOMP"}),
        ("Heimetenesta veit ikkje kva pasienten har lært om medisinane.", {"INFO"}),
        # a condition as the subject of training or knowledge is competence, not a patient group
        ("Kommunane ønskjer opplæring i hjartesvikt.", {"KOMP"}),
        ("Ønske om bedre kunnskap om hjerneskade i hjemmetjenesten.", {"KOMP"}),
        ("Pasienter med hjerneslag får for lite oppfølging.", {"GRUPPER"}),
        # «PLO» alone is the municipal care service (pleie og omsorg); its messages are INFO
        ("Til stede: PLO Drammen, PLO Lier og NAV.", set()),
        ("PLO-meldingane kjem stort sett fram.", {"INFO"}),
        ("PLO-meldinger kommer sent på dagen.", {"INFO"}),
    ],
)
def test_real_codebook_everyday_words(real: Matcher, text: str, themes: set[str]) -> None:
    assert real_codes(real, text) == themes


@pytest.mark.parametrize(
    ("first", "later"),
    [
        ("Koordinerende enhet er lite kjent.", "Ingen på sykehuset vet om denne funksjonen."),
        ("Koordinerande eining er lite kjend.", "Få kjenner til ein slik funksjon i kommunen."),
        ("Koordinerande eining er lite kjend.", "Få innbyggjarar veit at kommunen har ei slik eining."),
        ("Koordinerende enhet er lite kjent.", "Få vet at kommunen har en slik enhet."),
        ("Koordinerende enhet er lite kjent.", "Det står på nettsiden, men der finner ingen det."),
        ("Koordinerande eining er lite kjend.", "Det står ingenting om det på nettsida til kommunen."),
        ("Koordinerende enhet er lite kjent.", "Ingen kunne si hvem som sitter der i dag."),
        ("Koordinerande eining er lite kjend.", "Dei visste ikkje kvar det låg i organisasjonen."),
    ],
)
def test_real_codebook_refers_to_the_unit_once_named(real: Matcher, first: str, later: str) -> None:
    """«denne funksjonen» is KE once the note has named the unit, and nothing before that."""
    assert codes_after(real, first, later) == ("KE",)
    assert real_codes(real, later) == set()


@pytest.mark.parametrize(
    ("first", "later", "themes"),
    [
        ("Få har fått ein koordinator.", "Det er vanskeleg å få folk til å ta rolla.", ("IP",)),
        ("Kommunen har for få koordinatorer.", "Mange har rollen ved siden av full stilling.", ("IP",)),
        # before anything names the plan or the coordinator, a role is anyone's
        ("Bordet snakket om pårørende.", "Mange har rollen ved siden av full stilling.", ()),
    ],
)
def test_real_codebook_the_role_once_the_coordinator_is_named(real: Matcher, first: str, later: str, themes) -> None:
    assert codes_after(real, first, later) == themes


@pytest.mark.parametrize(
    ("text", "themes"),
    [
        ("Fleire kom med MS «Fjordglimt» frå Bergen og var seine.", set()),  # a ship, in Nynorsk
        ('En av deltakerne kom med MS "Nordstjernen" og måtte gå tidlig.', set()),
        ("Pasienter med MS får for lite oppfølging etter utskriving.", {"GRUPPER"}),
        ("Pasientar med MS «fell mellom» tenestene.", {"GRUPPER"}),  # a quoted phrase, not a name
    ],
)
def test_real_codebook_an_acronym_before_a_quoted_name_is_the_name(real: Matcher, text: str, themes: set[str]) -> None:
    assert real_codes(real, text) == themes


@pytest.mark.parametrize(
    ("text", "themes"),
    [
        ("Rådgiver, helse og omsorg", set()),  # a title under a signature
        ("Rådgjevar i kommunen", set()),
        ("Sykehuset gir rådgivning til kommunene om hjelpemidler.", {"KOMP"}),
        ("Rådgjeving frå spesialisthelsetenesta hjelper heimetenesta.", {"KOMP"}),
    ],
)
def test_real_codebook_guidance_is_not_the_advisers_title(real: Matcher, text: str, themes: set[str]) -> None:
    assert real_codes(real, text) == themes


@pytest.mark.parametrize(
    ("text", "info"),
    [
        ("Ingen i kommunen visste at jeg var kommet hjem.", True),
        ("Då eg vart utskriven, visste ingen heime at eg kom.", True),
        ("Vi visste at det kom til å bli vanskelig.", False),  # not a patient's arrival
        ("Me visste at det kom fleire søknader i år.", False),
    ],
)
def test_real_codebook_not_knowing_the_patient_came_home(real: Matcher, text: str, info: bool) -> None:
    assert ("INFO" in real_codes(real, text)) == info


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("De eldre takker ofte nei fordi de ikke vil være til bry.", True),
        ("Mange takkar nei til hjelp fordi dei ikkje vil vere til bry.", True),
        ("Vi takker nei til tilbudet om nye lokaler.", False),  # an offer of premises to the service
    ],
)
def test_real_codebook_declining_help_not_to_be_a_burden(real: Matcher, text: str, group: bool) -> None:
    assert ("GRUPPER" in real_codes(real, text)) == group
