"""Repair the artefacts that Word/PDF extraction leaves in a note.

The result has one paragraph per block, blocks separated by a blank line, single spaces
inside a block and every bullet written as "• ". Normalising twice changes nothing, so
spans computed on the normalised text stay valid when a note is read again.
"""

from __future__ import annotations

import re
import unicodedata

from ..langdata import (
    BULLET_CHARS,
    COORDINATING_WORDS,
    DANGLING_WORDS,
    DASH_BULLETS,
    HEADER_LINE,
    NON_FINAL_ABBREVIATIONS,
    PAGE_FOOTER,
    PAGE_LINE,
)

BULLET = "• "

# Spaces that extraction leaves in many widths; all become a plain space.
_SPACES = "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t\v\f"
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_ODD_SPACE = re.compile("[" + _SPACES + "]")
_DROPPED = re.compile("[" + _INVISIBLE + "\x00-\x08\x0e-\x1f\x7f]")

_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
_HYPHENS = re.compile("[\u2010\u2011]")  # Unicode hyphen, non-breaking hyphen (Word, PDF)
_MARK_STARTS = frozenset(BULLET_CHARS + DASH_BULLETS)
_SPACE_RUN = re.compile(r" {2,}")
_MARKS = re.escape(BULLET_CHARS) + "\ue000-\uf8ff"
_GLYPH_BULLET = re.compile("^[" + _MARKS + "][" + _MARKS + re.escape(DASH_BULLETS) + r"\s]*")
# A dash is a bullet before a space, a bullet glyph or a letter ("-Det"), not before a digit ("-5").
_DASH_BULLET = re.compile(
    "^[" + re.escape(DASH_BULLETS) + "](?=[" + _MARKS + r"\s]|[^\W\d_])[" + _MARKS + re.escape(DASH_BULLETS) + r"\s]*"
)
# Word's second-level bullet is a letter «o» in Courier: "o\tTekst" or "o Tekst" once extracted.
# Norwegian has no word «o», so a line opening with it (then a tab, or a capital) is a bullet.
_LETTER_BULLET = re.compile(r"^o(?:\t\s*|\s+(?=[A-ZÆØÅÄÖÜÉ«\"]))")
NUMBERED = re.compile(r"^(?:\d{1,2}[a-zA-Z]?|[a-zA-Z]|[ivx]{1,4})\)\s*(?=\S)|^\d{1,2}\.\s+(?=[A-ZÆØÅÄÖÜÉ«\"])")
# A list number alone on its line: «1.», «2)», «b.», «iv)».
_LONE_LABEL = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*[.)]|[a-zA-Z][.)]|[ivx]{1,4}[.)])$")
_TERMINAL = re.compile(r"[.!?:;…][»”\"’')\]]*$")
_HYPHEN_END = re.compile(r"[^\W\d_]-$")
_FOOTER = re.compile(PAGE_FOOTER, re.IGNORECASE)
_PAGE_LINE = re.compile(PAGE_LINE, re.IGNORECASE)
# up to six words with a year and no sentence end: a footer's «Dialogmøte Ofoten 2019»
_RUNNING_FOOTER = re.compile(r"^(?=.*\b(?:19|20)\d\d\b)(?!\W)(?:\S+\s+){0,5}\S+$(?<![.:?!])")
_HEADING_LINE = re.compile(HEADER_LINE, re.IGNORECASE)
_LONG_LINE_WORDS = 6
_HEADING_WORDS = 4  # a lower-case heading over a list: «ellers», «oppgave3 kunnskap»


def normalize(text: str, paragraphs: bool = False, apart: frozenset[str] = frozenset()) -> str:
    """Return the repaired text of a note (see the module docstring).

    `paragraphs` says each line is a real paragraph (a Word document's), never a wrapped
    line: then lines are cleaned but not joined. `apart` are lines that stand alone (a PDF
    table's cells): never joined to the line before or after.
    """
    if apart:
        apart = frozenset(clean_line(line) for line in apart)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _DROPPED.sub("", _ODD_SPACE.sub(" ", text))  # regex scans beat str.translate with a mapping
    text = unicodedata.normalize("NFC", _HYPHENS.sub("-", text))  # after dropping what splits characters
    private = _PRIVATE_USE.search(text) is not None
    raws = text.split("\n")
    lost = set() if paragraphs else lost_bullets(raws)
    running = set() if paragraphs else running_footers(raws)
    lines: list[str] = []
    after_blank: set[int] = set()  # indexes into `lines` of lines that follow an empty line
    blank = False
    bullet_next = False
    label: str | None = None  # a list number waiting for its text
    for number, raw in enumerate(raws):
        line = clean_line(raw, private)
        if not line:
            blank = True
            continue
        if number in running or (line[-1].isdigit() and _PAGE_LINE.match(line)):
            continue  # a page line ends in its number: the test spares nearly every line the regex
        if number in lost and not is_item(line):
            line = clean_line(BULLET + line, private)  # cleaned again: "• -- og" must settle at once
        if line == BULLET.strip():  # a bullet mark alone on its line belongs to the next line
            bullet_next = True
            continue
        if bullet_next and not is_item(line):
            line = clean_line(BULLET + line, private)  # cleaned again: "• -- og" must settle at once
        bullet_next = False
        if labelled(line) and _LONE_LABEL.match(line):  # «1.» on its own (a Word list as PDF): it numbers the next
            label = line if label is None else f"{label} {line}"
            continue
        if label is not None:
            line, label = f"{label} {line}", None
        if paragraphs:
            lines.append(line)
        elif lines and _breaks_word(lines[-1], line) and line not in apart and lines[-1] not in apart:
            lines[-1] = _join_hyphenated(lines[-1], line)
        else:
            if blank:
                after_blank.add(len(lines))
            lines.append(line)
        blank = False
    if label is not None:
        lines.append(label)
    if paragraphs:
        return "\n\n".join(lines)
    blocks: list[str] = []
    for index, line in enumerate(lines):  # words are whole again, so each decision sees final text
        if index in after_blank and _opens_list(blocks, line, lines[index + 1 : index + 2]):
            blocks.append(line)
        elif blocks and line not in apart and blocks[-1] not in apart and _continues(blocks[-1], line):
            blocks[-1] += " " + line
        else:
            blocks.append(line)
    return "\n\n".join(blocks)


def running_footers(raws: list[str]) -> set[int]:
    """Lines of a page's running footer: the short line just above a page number that names
    the meeting and its year («Dialogmøte Ofoten 2019»), as PDF pages end. Left in, it would
    become a unit under the last heading of the page and take its theme."""
    found = set()
    for number, raw in enumerate(raws):
        if not _page_number(raw.strip()):
            continue
        above = next((i for i in range(number - 1, max(number - 4, -1), -1) if raws[i].strip()), None)
        if above is not None and _RUNNING_FOOTER.match(raws[above].strip()):
            found.add(above)
    return found


def lost_bullets(raws: list[str]) -> set[int]:
    """Lines whose bullet glyph was lost in extraction: each starts with a single space where the
    glyph stood, and they come in runs (" Usynlig funksjon." / " Et navn uten identitet.").

    A lone line with one leading space (a title line " Oppsummering …") is left alone: only
    two or more in a row, blank lines between them allowed, make a list.
    """
    candidates = [i for i, raw in enumerate(raws) if raw[:1] == " " and raw[1:2].strip() and raw.strip()]
    if len(candidates) < 2:
        return set()
    content = [i for i, raw in enumerate(raws) if raw.strip()]
    position = {line: k for k, line in enumerate(content)}
    marked = set(candidates)
    found = set()
    for i in candidates:
        k = position[i]
        if (k and content[k - 1] in marked) or (k + 1 < len(content) and content[k + 1] in marked):
            found.add(i)
    return found


def clean_line(raw: str, private: bool = True) -> str:
    """One line trimmed, spaces collapsed, any bullet mark rewritten as "• ".

    `private` False promises the line has no private-use characters (a quick path).
    """
    line = raw.strip()
    if not line:
        return ""
    bullet = False
    first = line[0]
    if first == "o" and (match := _LETTER_BULLET.match(line)):
        bullet, line = True, line[match.end() :]
    elif first in _MARK_STARTS or "\ue000" <= first <= "\uf8ff":  # most lines start with a letter
        match = _GLYPH_BULLET.match(line) or _DASH_BULLET.match(line)
        if match:
            bullet, line = True, line[match.end() :]
        elif len(line) == 1 and first in DASH_BULLETS:
            return BULLET.strip()  # a lone dash: the next line is the bullet's text
    if private:
        line = _PRIVATE_USE.sub("", line)
    if "  " in line:
        line = _SPACE_RUN.sub(" ", line)
    line = line.strip()
    if not line:
        return BULLET.strip() if bullet else ""
    if line[0] in "SsPp" and _FOOTER.match(line):
        return ""
    if not any(c.isalnum() for c in line):
        return BULLET.strip() if bullet else ""  # a rule of dashes or stars: no text to keep
    return BULLET + line if bullet else line


def is_item(line: str) -> bool:
    """True for a bullet or numbered point: these always start a new unit."""
    return line.startswith(BULLET) or numbered(line)


def numbered(line: str) -> bool:
    """True for a numbered point («1. Tekst», «2b) tekst», «iv) tekst»): `NUMBERED` matches."""
    return labelled(line) and NUMBERED.match(line) is not None


def labelled(line: str) -> bool:
    """Whether `line` may open with a list label («1.», «2.1.», «2b)», «iv)»): only if a "." or ")"
    is among its second to fifth characters, as `NUMBERED`, `_LONE_LABEL` and segment's numbered
    patterns all need. Few lines have one, so this test (two `str.find`) spares the rest a regex
    match. With `_page_number` and the digit test before `_PAGE_LINE`, measured with callgrind:
    normalize 1,454k -> 1,085k instructions a note."""
    return line.find(".", 1, 5) >= 0 or line.find(")", 1, 5) >= 0


def _page_number(line: str) -> bool:
    """A stripped line that is only a page number («Side 2 av 5», «s. 3»): `_FOOTER` matches.

    It starts with a letter of «side», «page» or «s.» as IGNORECASE reads them (ſ is a long s)
    and ends in a digit: two tests that spare nearly every line the regex."""
    return line[:1] in "SsPpſ" and line[-1:].isdigit() and _FOOTER.match(line) is not None


def _continues(previous: str, line: str) -> bool:
    """Whether `line` carries on the sentence that `previous` left open.

    Extraction breaks lines (and adds blank lines) mid-sentence. A line carries on the
    previous one when that ended on a word no sentence ends on ("for", "og"), or when
    it starts in lower case and the previous did not end a sentence (a period after an
    abbreviation does not; a colon ends a heading but not a long sentence).
    """
    if is_item(line) or _HEADING_LINE.match(line):
        return False
    if _in_capitals(line) or _in_capitals(previous):
        # «… fant det» then «GULE LAPPER»: a heading in capitals, not a wrapped line, and nothing
        # wraps onto one either (joined, it would no longer read as a heading the next time)
        return False
    if _HEADING_LINE.match(previous) and not line[0].islower():
        return False  # «Tema 2 – Pasientar som fell mellom» then «Fleire …»: a title, not a wrapped line
    last_word = previous.rsplit(" ", 1)[-1]
    if last_word.lower() in DANGLING_WORDS:
        return True
    if not line[0].islower():
        return False
    if previous.endswith(":"):
        return len(previous.split()) > _LONG_LINE_WORDS  # a sentence, not a heading
    if _TERMINAL.search(previous):
        return previous.endswith(".") and last_word.lower() in NON_FINAL_ABBREVIATIONS
    return True


def _opens_list(blocks: list[str], line: str, following: list[str]) -> bool:
    """Whether a short line after an empty one heads the list that follows it, though it is
    in lower case: «• ikke diskutert mye», empty line, «ellers», then «• kaffe».

    A note typed in a hurry has lower-case headings, and the item above left no closing mark,
    so `_continues` would take the heading for the rest of that item. The rest of an item
    the extraction broke across an empty line looks different: it starts or ends on a word
    no sentence ends on («for oppfølging», «behov for»), has a comma, or closes the sentence
    («definere mål.»); and an item that itself ended on such a word («og») takes any line.
    Only lines and blocks the decision leaves as they are are looked at, so normalising the
    result again gives the same text.
    """
    if not blocks or not following or not is_item(blocks[-1]) or not is_item(following[0]):
        return False
    words = line.split()
    return (
        not is_item(line)
        and len(words) <= _HEADING_WORDS
        and "," not in line
        and _TERMINAL.search(line) is None
        and words[0].lower() not in DANGLING_WORDS
        and words[-1].lower() not in DANGLING_WORDS
        and blocks[-1].rsplit(" ", 1)[-1].lower() not in DANGLING_WORDS
    )


def _in_capitals(line: str) -> bool:
    """Two or more words in capitals: a heading typed up from a flip chart («GULE LAPPER»), never
    the rest of a sentence (an acronym that ends one, «… til NAV», is a single word)."""
    if " " not in line:
        return False
    letters = 0
    for c in line:  # stops at the first letter not in capitals: most lines' second character
        if c.isalpha():
            if not c.isupper():
                return False
            letters += 1
    return letters >= 4


def pasted_break(previous: str, paragraph: str) -> bool:
    """Whether a Word paragraph carries on the sentence the one before left open.

    Text pasted into Word from an e-mail or a PDF keeps its line breaks as paragraph
    marks, so one sentence arrives as two paragraphs: «… toler lange dagar» then «med
    trening.». Only a long paragraph without a closing mark followed by one in lower case
    is taken for that; a short line («Utfordringar») may be a title, whatever follows.
    """
    return (
        paragraph[0].islower()
        and not is_item(paragraph)
        and len(previous.split()) > _LONG_LINE_WORDS
        and not previous.endswith(":")
        and _TERMINAL.search(previous) is None
    )


def _breaks_word(previous: str, line: str) -> bool:
    """A word hyphenated across the line break: "gjennom-" then "føring"."""
    return previous[-1] == "-" and _HYPHEN_END.search(previous) is not None and line[0].islower() and not is_item(line)


def _join_hyphenated(previous: str, line: str) -> str:
    """Mend a word hyphenated across a line break, keeping "system- og personnivå"."""
    first_word = line.split(" ", 1)[0].lower()
    if first_word in COORDINATING_WORDS:
        return previous + " " + line
    return previous[:-1] + line  # "gjennom-" + "føring"
