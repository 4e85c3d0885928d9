"""Norwegian language data: abbreviations, bullet marks, Bokmål/Nynorsk markers.

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
    ]
)

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

# Header lines ("dialogkafebord 4 – Kompetanse", "gruppe 2:"): such a line is never a
# continuation of the line above, even in lower case. Common nouns ("del", "tema", "bord")
# count only when a number or a colon follows, since "en stor / del av" is a wrapped line.
HEADER_LINE = (
    r"^(?:(?:gruppe|del|oppgåve|oppgave|tema|bord)\s*(?:nr\.?\s*)?(?:\d|[:–-])"
    r"|(?:dialog)?kaf[eé]-?bord\b|bordvert\b|kaf[eé]vert\b|referent\b)"
)

# Page furniture that PDF extraction leaves between lines.
PAGE_FOOTER = r"^(?:side|page|s\.)\s*\d+(?:\s*(?:av|of|/)\s*\d+)?$"

# Headings of sections that are about the meeting, not the task ("Annet:", "Praktisk:"):
# a heading's theme is not carried into them. Compared lower-cased, without the colon.
OFF_TOPIC_HEADINGS = re.compile(
    r"^(?:annet|anna|andre\b.*|diverse|praktisk.*|eventuelt|evaluering.*|om møtet|tilbakemelding.*|"
    r"kommentarar?|kommentarer|til slutt|avslutning|sluttkommentar.*)$"
)
