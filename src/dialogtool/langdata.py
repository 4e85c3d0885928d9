"""Norwegian language data: abbreviations, bullet marks, Bokmål/Nynorsk markers, stop words.

Kept as data, apart from the logic that uses it, so it can grow without code changes.
"""

from __future__ import annotations

import re

# Abbreviations whose final period never ends a sentence, lower-cased, with the period.
NON_FINAL_ABBREVIATIONS = frozenset(
    [
        "pas.",
        "ifm.",
        "i.f.m.",
        "bl.a.",
        "f.eks.",
        "evnt.",
        "evt.",
        "ev.",
        "el.",
        "spes.",
        "rehab.",
        "ca.",
        "jf.",
        "jfr.",
        "nr.",
        "dvs.",
        "iht.",
        "i.h.t.",
        "pga.",
        "p.g.a.",
        "kl.",
        "tlf.",
        "eks.",
        "bl.",
        "hhv.",
        "mht.",
        "m.h.t.",
        "vha.",
        "v.h.a.",
        "pkt.",
        "avd.",
        "ang.",
        "vedr.",
        "inkl.",
        "ekskl.",
        "sm.",
        "st.",
        "fr.",
        "dr.",
        "prof.",
        "kap.",
        "ref.",
        "adm.",
        "koord.",
        "komm.",
        "sykeh.",
        "pt.",
        "mvh.",
        "ift.",
        "i.f.t.",
        "mtp.",
        "odl.",
        "spm.",
        "oppg.",
    ]
)

# What the abbreviations of telegraphic notes stand for, when the codebook matches words
# («tlf. fra avd. til komm.» is telephone contact between a ward and a municipality). Keys are
# lower-cased tokens without their final period.
ABBREVIATION_WORDS = {
    "tlf": "telefon",
    "avd": "avdeling",
    "komm": "kommune",
    "pas": "pasient",
    "spes.helsetj": "spesialisthelsetjenesten",
    "spes.helseteneste": "spesialisthelsetenesta",
    "hj.spl": "hjemmesykepleien",
    "hjspl": "hjemmesykepleien",
    "hj.sjukepl": "heimesjukepleia",
    "fysio": "fysioterapeut",
    "ergo": "ergoterapeut",
    "sykeh": "sykehus",
    "sjukeh": "sjukehus",
    "koord": "koordinator",
    "rehab": "rehabilitering",
    "komp": "kompetanse",
    "komp.heving": "kompetanseheving",
}

# Abbreviations that may close a sentence: they end one only before a capitalised word.
FINAL_ABBREVIATIONS = frozenset(["osv.", "m.m.", "mm.", "etc.", "o.l.", "m.fl.", "mfl.", "o.a.", "m.v."])

# Characters that Word/PDF extraction leaves where a bullet was.
BULLET_CHARS = "•◦▪▫■□●○◆◇►▶▸➢➤✓✔✗·∙‣⁃"
DASH_BULLETS = "-–—*"

# Words that follow a hyphen in a coordinated compound ("system- og personnivå"):
# a line ending in "system-" followed by one of these keeps its hyphen.
COORDINATING_WORDS = frozenset({"og", "eller", "samt", "enn", "til", "som", "and", "or"})

# Frequent words that tell Nynorsk from Bokmål; each list holds forms of one standard only.
NYNORSK_MARKERS = frozenset(
    [
        "ikkje",
        "eg",
        "kva",
        "korleis",
        "kven",
        "kvar",
        "kvifor",
        "vert",
        "vart",
        "ein",
        "eit",
        "dei",
        "frå",
        "òg",
        "mykje",
        "berre",
        "sjukehus",
        "sjukehuset",
        "sjukehusa",
        "kommunar",
        "kommunane",
        "heim",
        "heime",
        "nokon",
        "noko",
        "difor",
        "meir",
        "saman",
        "vere",
        "vore",
        "fekk",
        "gjeld",
        "pasientane",
        "deltakarar",
        "tilsette",
        "brukarar",
        "eigen",
        "eiga",
        "eige",
        "sjølv",
        "utan",
        "hjå",
        "ho",
        "dykk",
        "vidare",
        "einige",
        "mogleg",
        "fyrste",
    ]
)
BOKMAAL_MARKERS = frozenset(
    [
        "ikke",
        "jeg",
        "hva",
        "hvordan",
        "hvem",
        "hvor",
        "hvorfor",
        "blir",
        "ble",
        "en",
        "et",
        "de",
        "fra",
        "mye",
        "bare",
        "sykehus",
        "sykehuset",
        "sykehusene",
        "kommuner",
        "kommunene",
        "hjem",
        "hjemme",
        "noen",
        "noe",
        "derfor",
        "mer",
        "sammen",
        "være",
        "vært",
        "fikk",
        "gjelder",
        "pasientene",
        "deltakere",
        "ansatte",
        "brukere",
        "egen",
        "eget",
        "selv",
        "første",
        "uten",
        "hos",
        "videre",
        "enige",
        "mulig",
    ]
)

# Words a sentence cannot end on: a line ending in one was wrapped ("vanskelig for" / "UNN å vite").
DANGLING_WORDS = frozenset(
    [
        "og",
        "i",
        "på",
        "til",
        "for",
        "av",
        "om",
        "med",
        "fra",
        "frå",
        "at",
        "som",
        "en",
        "ein",
        "et",
        "eit",
        "den",
        "det",
        "dei",
        "de",
        "hvor",
        "kvar",
        "når",
        "eller",
        "men",
        "samt",
        "mellom",
        "under",
        "over",
        "etter",
        "ved",
        "mot",
        "uten",
        "utan",
        "hos",
        "hjå",
        "the",
    ]
)

# The roles a byline names («Bordvert: Kari Nilsen», «Skrivar – Ola», «Referent/sekretær: …»).
# The host's roles first: metadata takes the host from them and falls back to the writer's.
# «vert» (also Nynorsk for "becomes") and «skriver» ("writes") are roles only when a colon or
# dash follows, so a wrapped line «… det / vert gjort» stays a continuation.
HOST_ROLES = ("bordvert", "bordverter", "kafévert", "kafevert", "ordstyrer", "ordstyrar")
WRITER_ROLES = ("referent", "sekretær", "skrivar", "skrevet av", "skriven av", "skrive av", "notert av", "ført av")
# «Notat: Kari Nilsen» names who took the notes; «Notat til kommunen …» is a sentence.
AMBIGUOUS_HOST_ROLES = ("vert",)
AMBIGUOUS_WRITER_ROLES = ("skriver", "notat", "notater", "notatar")
AMBIGUOUS_ROLES = AMBIGUOUS_HOST_ROLES + AMBIGUOUS_WRITER_ROLES
_ROLE_WORDS = "|".join(HOST_ROLES + WRITER_ROLES)
_ROLE_WORDS_ANY = "|".join(HOST_ROLES + WRITER_ROLES + AMBIGUOUS_ROLES)
_ROLE_MARK = r"(?:\s*/\s*\w+)*\s*[:\-–]"  # «Referent/sekretær:», «Bordvert –»
# A byline: a role word at the start, or an ambiguous one followed by «:» or a dash.
BYLINE = rf"(?:(?:{_ROLE_WORDS})\b|(?:{_ROLE_WORDS_ANY}){_ROLE_MARK})"
# «Vi rakk ikke oppgaven om kreft», «Me fekk ikkje tid til IP»: a line saying what the table did
# not get to is about the meeting, not about the theme it names.
NOT_REACHED = (
    r"^(?:(?:men|dessverre|så)\s+)?(?:vi|me)\s+(?:(?:rakk|rekk)\s+(?:ikke|ikkje|aldri)\b"
    r"|(?:fikk|fekk)\s+(?:ikke|ikkje)\s+(?:tid|tida)\b|kom\s+(?:ikke|ikkje)\s+gjennom\b)"
    r"|^(?:dessverre|men|så|da|då)\s+(?:rakk\s+(?:vi|me)\s+(?:ikke|ikkje)\b"
    r"|(?:fikk|fekk)\s+(?:vi|me)\s+(?:ikke|ikkje)\s+(?:tid|tida)\b)"
)
# A byline that names a person («Notat: Terje Hove, Voss sjukehus»): its words are a name and a
# workplace, never a theme («notat», «sjukehus» are mere mentions there); so are a job title and a
# workplace («Sekretær: rådgiver, Harstad kommune»).
NAMED_BYLINE = (
    rf"^(?:(?:{_ROLE_WORDS_ANY}){_ROLE_MARK}|(?:{_ROLE_WORDS})\s)\s*"
    r"(?:(?-i:[A-ZÆØÅ])|[^.!?,]{1,60},[^.!?]{1,60}$)"
)


def byline_name(roles: tuple[str, ...]) -> str:
    """A regex for a byline of one of `roles` that captures the name after «:» or a dash."""
    return rf"^(?:{'|'.join(roles)}){_ROLE_MARK}\s*(.+?)\s*$"


# Header lines ("dialogkafebord 4 – Kompetanse", "gruppe 2:"): such a line is never a
# continuation of the line above, even in lower case. Common nouns ("del", "tema", "bord")
# count only when a number or a colon follows, since "en stor / del av" is a wrapped line.
HEADER_LINE = (
    r"^(?:(?:gruppe|del|oppgåve|oppgave|tema|bord|runde|ark)\s*(?:nr\.?\s*)?(?:\d|[:–-])"
    rf"|(?:dialog)?kaf[eé]-?bord\b|{BYLINE}"
    # a section word alone on its line («Anna», «Tiltak:») starts a section, even after «… med dei»
    r"|(?:anna|annet|tiltak|utfordringar|utfordringer|moglegheiter|muligheter|forslag|praktisk|"
    r"oppsummering|samandrag|sammendrag|bakgrunn|konklusjon|avslutning|diverse|eventuelt)\s*:?\s*$)"
)

# Page furniture that PDF extraction leaves between lines.
PAGE_FOOTER = r"^(?:side|page|s\.)\s*\d+(?:\s*(?:av|of|/)\s*\d+)?$"
# A running header or footer with its page number on the same line: «Dialogmøte rehabilitering
# Flekkefjord 2019 – side 2». A few words with a year, then the page number; no sentence.
PAGE_LINE = (
    r"^(?!•)(?=.*\b(?:19|20)\d\d\b)(?:[^\s.!?]+\s+){1,8}(?:[–|/-]\s*)?(?:side|page|s\.)\s*\d+(?:\s*(?:av|of|/)\s*\d+)?$"
)

# A line that only labels a part of a task's answer («Utfordringar», «Forslag:», «Det som
# fungerer», «Kva manglar?»): it says what kind of points follow, not what they are about, so it
# takes no theme from the heading above it (the points under it still do). Compared lower-cased,
# without the bullet, the colon or the question mark.
SECTION_LABEL = (
    r"^(?:utfordring|utfordringer|utfordringar|utfordringane|utfordringene|forslag|forslaga|forslagene|"
    r"tiltak|tiltaka|tiltakene|muligheter|moglegheiter|mulighet|moglegheit|løsninger|løysingar|løsning|løysing|"
    r"erfaringer|erfaringar|positivt|negativt|pluss|minus|ønsker|ønske|ønskjer|innspill|innspel|"
    r"gode eksempler|gode døme|gode eksempel|barrierer|hindringer|hindringar|"
    r"det som fungerer(?: bra| godt)?|det som ikke fungerer|det som ikkje fungerer|"
    r"(?:hva|kva) fungerer(?: bra| godt| ikke| ikkje| dårleg| dårlig)?|(?:hva|kva) (?:mangler|manglar)|"
    r"(?:hva|kva) kan bli bedre|(?:hva|kva) kan bli betre)\s*[:?]?$"
)
# A table's header row typed as text: labels only, between bars, tabs or spaces («Utfordring |
# Tiltak | Hvem følger opp»): it names the columns, not a subject.
_COLUMN = (
    r"(?:utfordring(?:ar|er)?|tiltak|forslag|ansvar(?:leg|lig)?|frist|status|kommentar(?:ar|er)?|merknad(?:ar|er)?|"
    r"tema|kven|hvem|kva|hva|når|kva manglar|hva mangler|(?:kven|hvem) (?:følgjer|fylgjer|følger) opp|"
    r"(?:kven|hvem) har ansvar(?:et)?|(?:kven|hvem) gjer kva|(?:kven|hvem) gjør hva|"
    r"gruppe|grupper|behov|løsning|løysing)"
)
TABLE_HEADER = rf"^{_COLUMN}(?:\s*[|\t;]\s*{_COLUMN}|\s+{_COLUMN})+\s*$"


# Headings of sections that are about the meeting, not the task ("Annet:", "Praktisk:"):
# a heading's theme is not carried into them. Compared lower-cased, without the colon.
OFF_TOPIC_HEADINGS = re.compile(
    r"^(?:annet|anna|andre\b.*|ellers|elles|diverse|praktisk.*|eventuelt|evaluering.*|om møtet|tilbakemelding.*|"
    r"andre innspel|andre innspill|andre ting|avslutning.*|"
    r"kommentarar?|kommentarer|til slutt|avslutning|sluttkommentar.*|"
    # the note's own summary and recommendations: about every task, not the last one above
    r"oppsummering|oppsummert|kort oppsummert|oppsummering og anbefalinger|anbefalinger|anbefalingar|"
    r"tilrådingar|tilrådinger|konklusjon|konklusjonar|konklusjoner|hovedfunn|hovudfunn|"
    r"samlet vurdering|samla vurdering)$"
)


def _words(text: str) -> frozenset[str]:
    """A word list written as running text, one or more words a line."""
    return frozenset(text.split())


# Stop words for `suggest`, on top of spaCy's Bokmål list (spacy.lang.nb.stop_words), which
# comes from news text: it lacks some function words of meeting notes and has no Nynorsk.
# Lower-cased forms; a word is dropped when its form or its lemma is listed.
NYNORSK_STOP_WORDS = _words(
    """
    eg meg deg seg ho honom henne han me oss de dykk dei deim dykkar deira hennar hans
    min mi mitt mine din di ditt dine sin si sitt sine vår vårt våre
    ein ei eit eitt den det denne dette desse slik slikt slike sånn sånt sånne
    kva kven kvar kvart kvifor korleis kor kvarandre einannan kvarannan
    ikkje berre òg og også eller men fordi at om som så då no enno endå framleis alltid aldri
    ofte gjerne kanskje nok heller likevel difor derfor sidan medan dersom viss anten korkje
    både verken samt pluss altså dessutan elles jo vel ja nei nett nettopp rett svært veldig
    særleg spesielt ganske mellom frå til på i av for med mot ved utan hjå over under etter før
    gjennom rundt kring inn ut opp ned fram attende tilbake innan innanfor utanfor blant per via
    her der dit hit
    vere er var vore vert vart verte verta vorte vorten bli blir blei blitt ha har hadde hatt
    kan kunne skal skulle vil ville må måtte bør burde få får fekk fått gjere gjer gjorde gjort
    seie seier sa sagt ta tek tok teke teken gå går gjekk gått kome kjem kom komme
    noko nokon nokre nokor ingen inga inkje ingenting alle alt all heile heilt mykje meir mest
    lite litt mindre minst mange fleire flest same sjølv sjølve annan anna andre eigen eiga
    eige eigne saman einaste fyrst fyrste først første sist siste neste ny nye nytt god gode
    godt betre best beste stor store større størst liten lita små viktig viktige viktigaste
    mogleg moglege uliken ulik ulike eventuell eventuelt eventuelle gjeld finst nemnt nemnde
    dessverre meine meiner meinte meint synest syntest tru trur trudde
    to tre fire fem seks sju åtte ni ti elleve tolv tjue hundre
    """
)

# Bokmål function words missing from spaCy's list.
BOKMAAL_EXTRA_STOP_WORDS = _words(
    """
    hva hvem hvor hvordan hvorfor hvis hvilke hvilken hvilket dersom kanskje bør burde hos
    deres mitt min mine din dine ditt vårt våre slike sånn sånt hverandre hver hvert ingenting
    enda ennå ofte alltid aldri gjerne heller likevel derfor fordi verken enten samt ble bli
    blitt gis gitt tas egen eget egne mest lite mindre minst flest frem innen innenfor blant
    per via osv etc ulike ulik mulig mulige eventuell eventuelt eventuelle gjelder finnes fins
    nevnt nevnte altfor dessverre ift evt evnt ifm pga dvs mtp bla mente ment synes syntes
    trodde to tre syv sju åtte elleve tolv tjue hundre
    """
)

# Words about the meeting itself rather than its subject ("Bordet mente …", "Spørsmål til
# bordet"): frequent in every note, never a gap in the codebook.
MEETING_STOP_WORDS = frozenset(HOST_ROLES + WRITER_ROLES) | _words(
    """
    bord bordet borda bordene kafébord kafebord referat
    oppgave oppgåve oppgaven oppgåva spørsmål spørsmålet spørsmåla spørsmålene diskusjon
    diskusjonen innspill innspel punkt punktet punkta punktene takk takke takka gruppearbeid
    """
)

# Words on spaCy's (news) list that are content words in these notes and should be suggested.
STOP_WORD_EXCEPTIONS = frozenset(["kontakt", "mål", "personer", "mennesker", "leder"])


# Context rules (context.py) ----------------------------------------------------------------

# Words that open a unit pointing back at the one before: «Dette gjeld …», «Slike tiltak …».
# «det»/«den» and «de»/«dei» are tested further in context.refers_back.
REFERRING_WORDS = frozenset(
    ["dette", "denne", "disse", "desse", "slike", "slikt", "sistnevnte", "her", "det", "den", "de", "dei"]
)

# Words that point back anywhere in a sentence of running prose: «Ingen på sykehuset vet at det
# finnes», «Den kjem gjerne etter ei veke», «Ho har ikkje kapasitet». A unit without a theme that
# uses one, right after a unit of its paragraph with a theme from its own words, continues it.
POINTING_WORDS = _words(
    """
    det den dette denne disse desse de dei ho han der slik slike slikt samme same sånn
    """
)

# Words a unit may open with before the referring word: «Også dette …», «Men desse …».
OPENING_WORDS = frozenset(
    ["og", "men", "også", "òg", "så", "da", "då", "derfor", "difor", "likevel", "samtidig", "altså", "heller"]
)

# «Det»/«den» followed by one of these point at nothing («Det er viktig at …», «Det vart
# nemnt …»): the dummy subject of Norwegian, not a reference back.
EXPLETIVE_NEXT = _words(
    """
    er var ble blir blei vart vert verte finnes fins finst kom kjem kommer går gjekk gikk handler
    handlar må bør skal kan vil ville kunne skulle burde hadde har hev ligger ligg står stod sto
    """
)

# Frequent finite verbs of both standards; after «de»/«dei» they make a pronoun («de får»),
# where an adjective or noun makes an article («de fleste», «dei tilsette»).
COMMON_VERBS = _words(
    """
    er var ble blir blei vart vert har hadde får fikk fekk fått må måtte kan kunne skal skulle bør
    burde vil ville treng trenger trengte trong mangler manglar mangla manglet møter møtte opplever
    opplevde går gikk gjekk kommer kjem kom sliter slit slet faller fell fall ser såg så tar tok tek
    gjør gjer gjorde veit vet visste husker hugsar glemmer gløymer bor budde lever levde sitter sit
    satt står stod
    """
)

# Verbs of need after «her» at the start of a unit: «Her trengs logoped …», «Her manglar det
# tilbod» speak of the group just named; «Her gjekk mykje bra» only of a place or a case.
NEED_VERBS = _words(
    """
    trengs trengst trenger treng trengte mangler manglar mangla manglet må bør kreves krevst
    """
)

# Nouns for people; «desse pasientane», «slike brukarar» point at a group named before.
PEOPLE_NOUNS = ("pasient", "person", "bruker", "brukar", "gruppe", "grupp", "folk", "mennesk", "menneske", "barn")

# Lines about the meeting, not its subject, so a themed heading above them does not give them
# its theme: a round or session, the host or secretary, thanks, breaks and food, the room and
# the time, who took part, the next meeting, how the table worked, the inputs (innspill) it
# gave and where they go. Tested on a unit's
# lower-cased words (context.is_procedural), which is faster than one large regular expression.
PROCEDURAL_WORDS = _words(
    """
    takk takke takka takker takkar takket pause pausen pausa kaffe kaffen kaffi kaffien lunsj
    lunsjen lunch matpause middag kake kaker frukt rommet lokalet lokala møterommet klokka klokken
    kl stemning stemninga stemningen engasjement hjernestorm flippover tavla tavlen minutt minutter
    minuttar diskusjon diskusjonen diskusjonar diskusjoner uenige ueinige usamde semje usemje
    forresten forøvrig spøk spøkte spøkefullt innspill innspillet innspillene innspel innspelet
    innspela innspeli praten pratet pratinga livlig livleg
    vedlagt vedlegg vedlegget bordverter bordvertene bordvertane bordvertar kafévertene kafevertene
    flippoverark flippoverarka flippoverarket flippoverarkene
    """
)
# A break, lunch or the plenary: the meeting moves on from the task the table was working on
# (context: a line with one of them ends the task heading above it).
NEXT_PHASE_WORDS = _words("pause pausen pausa lunsj lunsjen plenum kaffipause kaffepause")
# Compounds that end in a break or a meal («kaffipausen», «matpausa», «felleslunsjen»).
PROCEDURAL_COMPOUND_ENDS = ("pause", "pausen", "pausa", "lunsj", "lunsjen")
# Two words in a row: «neste møte», «rundt bordet», «andre runde», «gule lapper».
PROCEDURAL_PAIRS = (
    (frozenset(["neste"]), frozenset(["møte", "dialogmøte", "samling", "gang", "år"])),
    (frozenset(["rundt", "ved"]), frozenset(["bordet"])),
    (frozenset(["mitt", "vårt", "dette"]), frozenset(["bord"])),
    (frozenset(["for"]), frozenset(["øvrig", "øvrige", "resten"])),
    (frozenset(["første", "andre", "tredje", "fjerde", "siste", "ny", "neste"]), frozenset(["runde", "økt"])),
    (frozenset(["gule"]), frozenset(["lapper", "lappar"])),
    (
        frozenset(["ny", "nye"]),
        frozenset(["vert", "bordvert", "kafévert", "kafevert", "referent", "skrivar", "sekretær"]),
    ),
    (frozenset(["samme", "same"]), frozenset(["spørsmål", "spørsmålet", "oppgave", "oppgåve", "tema"])),
)
# «Ingen rundt bordet visste …», «bare to av sju ved bordet kjente …»: what the people at the
# table knew or could find is evidence about the subject, not a line about the meeting.
TABLE_KNEW = _words(
    """
    visste vet veit vite kjente kjende kjenner kjennar kunne fant fann funne hørt høyrt
    """
)
# First words of procedural lines: the host's line, who took part, a sign-off, the close.
PROCEDURAL_OPENERS = frozenset(HOST_ROLES + WRITER_ROLES + AMBIGUOUS_ROLES) | _words(
    """
    deltakere deltakarar deltagere deltok tilstades avslutningsvis helsing hilsen mvh
    """
)
# A line listing who took part («Deltakarar: ergoterapeut og leiar for KE i Alta, …»): the
# roles and places in it are mere mentions, so it gets no theme at all, not even from its words.
ATTENDANCE_LINE = (
    r"^(?:deltakere|deltakarar|deltagere|deltok|til stede|til stades|tilstades|frammøtte|fremmøtte|"
    r"påmeldte|tilstede)\b"
    r"|^(?:vi|me)\s+var\s+\w+\s+(?:stykker|stykke|personer|personar|deltakere|deltakarar|rundt|på|ved)\b"
    r"|^det\s+var\s+(?:folk|representanter|representantar|deltakere|deltakarar|tilsette|ansatte)\s+(?:fra|frå)\b"
)
# The sign-off of a note sent as a letter or an e-mail («Vennlig hilsen», «Mvh Kari»): what
# follows is the writer's name, title and workplace.
SIGN_OFF = (
    r"^(?:med\s+)?(?:vennlig\s+|venleg\s+|vennleg\s+|beste\s+|mange\s+)?(?:hilsen|helsing|hilsener|helsingar)\b"
    r"|^mvh\b"
)
# «Runde 2», «Til stede:», «Vi var sju rundt bordet», «Vi rakk ikke å ta punktet», the fields of
# formal minutes and of an invitation («Frist:», «Ansvarleg:», «Stad:»), in one pattern anchored
# at the start of the line.
PROCEDURAL_START = (
    r"^(?:(?:runde|økt|omgang)\s*\d|til stede\b|til slutt\b|praktisk info\b"
    r"|(?:frist|ansvar|ansvarleg|ansvarlig|ansvarlege|ansvarlige|dato|tid|tidspunkt|sted|stad)\s*:"
    r"|vi\s+var\s+\w+\s+(?:stykker|stykke|personer|personar|deltakere|deltakarar|rundt|på|ved)\b"
    r"|(?:vi|me)\s+(?:vart|ble|blei|kom|var)\s+(?:ikkje|ikke)\s+(?:ferdig|ferdige|gjennom)\b"
    r"|(?:vi|me)\s+(?:rakk|brukte|starta|startet|byrja|begynte|avslutta|avsluttet|tok|la)\b.*"
    r"\b(?:tid|tida|tiden|punkt|punktet|spørsmål|spørsmålet|runde|runden|runda|diskusjon|plan|"
    r"oppgave|oppgaven|oppgåve|oppgåva)\b"
    r"|(?:vi|me)\s+(?:fikk|fekk)\s+(?:ikke|ikkje)\s+tid\b"
    r"|(?:så\s+)?(?:kom|kjem)\s+(?:vi|me)\s+tilbake\s+til\b)"
)

# Remarks on other matters than the themes (vacancies, money, travel, buildings): under a themed
# heading they still do not take its theme. Word beginnings, lower-cased.
OTHER_MATTERS = (
    "ledig",
    "vakan",
    "budsjett",
    "økonomi",
    "kroner",
    "finansier",
    "ferje",
    "båten",
    "buss",
    "reisev",
    "reisetid",
    "fjellovergang",
    "parkering",
    "etasje",
    "nybygg",
    "ombygg",
)

# A paragraph opened by one of these is an aside about something else («Ellers: god stemning …»):
# none of its sentences takes the theme of the heading above.
ASIDE_OPENER = r"^(?:ellers|elles|annet|anna|forresten|for øvrig|elles)\s*[:,–-]"

# Words that open a unit about some of the people just named: «Mange får …», «Fleire vert …».
QUANTIFIERS = frozenset(["mange", "fleire", "flere", "nokre", "noen", "somme", "alle", "få", "ingen", "dei fleste"])

# Words by which a unit talks about people: pronouns and quantifiers of people, and nouns that
# begin like PEOPLE_NOUNS or name an age («eldre», «unge»). A patient group is people, so a
# group heading's theme goes only to units that use one («Mer ambulant rehabilitering» does not).
PEOPLE_WORDS = _words(
    """
    dei de dem deim desse disse slike nokon noen mange fleire flere nokre somme ingen alle
    eldre unge ungdom ungdommar ungdommer ungdomane ungdommene born borna foreldre pårørande
    pårørende kvinner kvinne kvinnene menn mann mennene familie familien familiar du deg man
    """
)

# Endings of the definite plural of people nouns: «pasientane», «pasientene», «brukerne».
DEFINITE_PLURAL = ("ene", "ane", "erne", "arane", "rne")

# Acronyms that are also everyday words when a line is written in capitals: «ME» is Nynorsk
# «we» in «KVA ME TRENG». Such an acronym does not match between two words in capitals.
ACRONYM_HOMOGRAPHS = frozenset(["me", "rop", "als"])

# The words a report prints around its numbers, in Bokmål and Nynorsk: metadata fields, units
# and percentage bases. One table, so a report never mixes English into a Norwegian table; a key
# not found (a user's own metadata field) is printed as it is.
REPORT_WORDS: dict[str, tuple[str, str]] = {
    # metadata fields, as column headings («Tema etter dialogmøte»)
    "meeting": ("dialogmøte", "dialogmøte"),
    "date": ("dato", "dato"),
    "table": ("bord", "bord"),
    "topic": ("bordtema", "bordtema"),
    "group": ("gruppe", "gruppe"),
    "host": ("bordvert", "bordvert"),
    "language": ("språk", "språk"),
    "document": ("notat", "notat"),
    # units counted, plural («N (segmenter)»)
    "segments": ("segmenter", "segment"),
    "paragraphs": ("avsnitt", "avsnitt"),
    "documents": ("notater", "notat"),
    "meetings": ("dialogmøter", "dialogmøte"),
    # what a percentage is of
    "col": ("prosent av kolonnen", "prosent av kolonnen"),
    "row": ("prosent av raden", "prosent av rada"),
    "none": ("antall", "tal"),
}

# The report's headings, captions and fixed sentences, Bokmål and Nynorsk. `{…}` are filled in
# by the report (numbers already formatted).
REPORT_TEXT: dict[str, tuple[str, str]] = {
    "title": ("Tema i notatene fra dialogmøtene", "Tema i notata frå dialogmøta"),
    "method": ("Om tallene", "Om tala"),
    "overview": ("Oversikt", "Oversikt"),
    "overview.table": (
        "Tema: notater, segmenter og dialogmøter der temaet kommer opp",
        "Tema: notat, segment og dialogmøte der temaet kjem opp",
    ),
    "overview.figure": ("Andel av notatene der temaet kommer opp", "Del av notata der temaet kjem opp"),
    "breakdown": ("{label}: undertema", "{label}: undertema"),
    "breakdown.table": (
        "{label} etter undertema: notater, segmenter og dialogmøter",
        "{label} etter undertema: notat, segment og dialogmøte",
    ),
    "by_meeting": ("Tema etter dialogmøte", "Tema etter dialogmøte"),
    "by_meeting.table": (
        "Tema etter dialogmøte: segmenter med temaet (prosent av segmentene fra møtet)",
        "Tema etter dialogmøte: segment med temaet (prosent av segmenta frå møtet)",
    ),
    "by_meeting.figure": (
        "Tema etter dialogmøte: prosent av segmentene fra møtet",
        "Tema etter dialogmøte: prosent av segmenta frå møtet",
    ),
    "by_topic": ("Tema etter bordtema", "Tema etter bordtema"),
    "by_topic.table": (
        "Tema etter bordtema: segmenter med temaet (prosent av segmentene under bordtemaet)",
        "Tema etter bordtema: segment med temaet (prosent av segmenta under bordtemaet)",
    ),
    "cooccur": ("Samforekomst", "Samforekomst"),
    "cooccur.table": (
        "Samforekomst: segmenter med begge tema (diagonalen: segmenter med temaet)",
        "Samforekomst: segment med begge tema (diagonalen: segment med temaet)",
    ),
    "cooccur.figure": (
        "Samforekomst: segmenter med begge tema; diagonalen (grå) er segmenter med temaet og har ikke fargeskala",
        "Samforekomst: segment med begge tema; diagonalen (grå) er segment med temaet og har ikkje fargeskala",
    ),
    "quotes": ("Sitater", "Sitat"),
    "no_quotes": ("Ingen sitater.", "Ingen sitat."),
    "method.coding": (
        "Notatene er kodet automatisk med dialogtool etter kodeboka «{codebook}»{version}. Tabellene teller "
        "{segments} segmenter (setninger og kulepunkter) i {documents} notater.",
        "Notata er koda automatisk med dialogtool etter kodeboka «{codebook}»{version}. Tabellane tel "
        "{segments} segment (setningar og kulepunkt) i {documents} notat.",
    ),
    "method.version": (", versjon {version}", ", versjon {version}"),
    "method.headings": (
        " {headings} overskrifter (titler, bordnummer, oppgavetekster) er ikke talt med.",
        " {headings} overskrifter (titlar, bordnummer, oppgåvetekstar) er ikkje talde med.",
    ),
    "method.with_headings": (" Overskrifter er talt med som segmenter.", " Overskrifter er talde med som segment."),
    "method.reviewed": (
        " {reviewed} segmenter er gjennomgått av en person, som la til {added} og fjernet {removed} koder;"
        " de øvrige kodene er ikke kontrollert.",
        " {reviewed} segment er gjennomgått av ein person, som la til {added} og fjerna {removed} kodar;"
        " dei andre kodane er ikkje kontrollerte.",
    ),
    "method.unreviewed": (" Ingen koder er kontrollert av en person.", " Ingen kodar er kontrollerte av ein person."),
    "method.context": (
        "Et segment får også et tema fra sammenhengen, når overskriften over eller setningen foran har det. "
        "Andelen segmenter som har temaet bare fra sammenhengen: {shares}.",
        "Eit segment får også eit tema frå samanhengen, når overskrifta over eller setninga før har det. "
        "Delen av segmenta som har temaet berre frå samanhengen: {shares}.",
    ),
    "method.direct": (
        "Tabellene teller bare koder et segment har fra egne ord (eller fra en person som har gjennomgått det), "
        "ikke fra sammenhengen.",
        "Tabellane tel berre kodar eit segment har frå eigne ord (eller frå ein person som har gått gjennom det), "
        "ikkje frå samanhengen.",
    ),
}
