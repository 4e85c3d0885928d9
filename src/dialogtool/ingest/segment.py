"""Split a normalised note into coding units: headings and sentences.

A unit is one sentence; every bullet or numbered point starts a new one. Short heading
lines become heading units and give the units under them their section path.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from typing import NamedTuple

from ..langdata import BYLINE, FINAL_ABBREVIATIONS, NON_FINAL_ABBREVIATIONS
from .normalize import BULLET, NUMBERED, labelled, numbered

HEADING = "heading"
TEXT = "text"
TEXT_SPAN, HEADING_SPAN, TASK_SPAN = 0, 1, 2

# Opening words of lines that are headings even when they end in a period.
_HEADING_START = re.compile(
    r"^(?:gruppe|del|oppgåve|oppgave|tema|bord|kafébord|kafebord|dialogkafébord|dialogkafebord|"
    r"kafé|kafe|bakgrunn|oppsummering|referat|samandrag|sammendrag)\b",
    re.IGNORECASE,
)
# Header lines that name people, not topics: headings, but not part of any section path.
# «Referat frå …» is a title that names the writing, kept out of paths like a byline.
_BYLINE = re.compile(rf"^(?:{BYLINE}|referat\b)", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?…]+[»”\"’')\]]*(?=\s)")
_CLOSING = ".!?…»”\"’')]"  # what `_SENTENCE_END` matches, but for the space after it
_NEXT_START = re.compile(r"\s+[«\"“(\[]?([A-ZÆØÅÄÖÜÉ0-9])")
_MAX_HEADING_WORDS = 8
_MAX_TASK_WORDS = 20
_TABLE_LINE = re.compile(r"^(?:gruppe|bord|kafébord|kafebord|dialogkafébord|dialogkafebord)\s*\d", re.IGNORECASE)
_MAX_TITLE_WORDS = 16
_MAX_BARE_HEADING_WORDS = 2
_MAX_NUMBERED_TITLE_WORDS = 6
_TERMINAL = re.compile(r"[.!?;,…]$")
# The label of a numbered line as Word writes it: «1.», «2.1.», «iv.» (lower case: «Vi.» is a word).
_LIST_LABEL = re.compile(r"(?:\d{1,3}\.)+|[ivx]{2,4}\.")
# A numbered line that is only a title: digits, then a few words with no sentence end.
_NUMBERED_TITLE = re.compile(r"^\d{1,2}[.)]\s+[A-ZÆØÅ][^.!?;:,]*$")
# A numbered question ("1. Hvordan …?", "2b) Kven …?", "a) Kva …?") is a task the units below
# answer, unless it stands in a list of questions (see `_question_lists`).
_NUMBERED_QUESTION = re.compile(r"^(?:\d{1,2}[a-z]?|[a-z])[.)]\s.*\?$")
# A task line: a task, question or theme with its number or a colon, whatever its length;
# «ARK 3 TILTAK»: a flip-chart sheet typed up, one sheet a task.
# «Runde 2», «Runde 1 – Utfordringar», «Økt 3:»: a round of the table's work.
_ROUND = re.compile(r"^(?:runde|økt|omgang)\s*\d+\b", re.IGNORECASE)
_TASK_LINE = re.compile(
    r"^(?:oppgave|oppgåve|spørsmål|tema|del|runde|spm\.|oppg\.|ark)\s*(?:nr\.?\s*)?"
    r"(?:(?:\d+[a-z]?|[a-c])?\s*[:.)–-]|\d+\s+(?=[A-ZÆØÅ]))",  # "Tema 2: …", "Del A)", "Tema 4 Kva …"
    re.IGNORECASE,
)


class Segment(NamedTuple):
    """One coding unit with its place in the normalised text.

    A NamedTuple rather than a frozen dataclass: a note makes dozens, and a frozen dataclass
    sets each field through `object.__setattr__` (1.3 µs a segment, against 0.4).
    """

    id: str
    kind: str  # HEADING or TEXT
    para: int  # 1-based paragraph (block) number
    section: tuple[str, ...]  # texts of the headings above, outermost first
    section_ids: tuple[str, ...]  # ids of those headings
    start: int
    end: int
    text: str


def segment(
    text: str, headings: Iterable[str] = (), *, styled: bool = False, items: Iterable[str] = ()
) -> list[Segment]:
    """Units of a normalised note, in order; `headings` are known heading texts (Word styles),
    `items` known list items (numbered by the word processor), which are never headings.

    `styled`: the document marks its headings itself (a Word file), so a short line without
    a heading style is a table cell or a list item, not a heading.
    """
    known = frozenset(headings)
    points = frozenset(items) - known
    spans: list[tuple[int, int, int, int]] = []  # start, end, para, TEXT_SPAN / HEADING_SPAN / TASK_SPAN
    blocks = text.split("\n\n")
    listed = _question_lists(blocks, points)
    offset = 0
    in_title = True
    for para, block in enumerate(blocks, start=1):
        start = offset
        offset += len(block) + 2
        if not block:
            continue
        sentences = split_sentences(block)
        listed_or_item = para - 1 in listed or block in points
        heading = not listed_or_item and _is_heading(block, sentences, in_title, known, styled)
        if not heading and not listed_or_item and not styled and para < len(blocks):
            heading = _titles_a_list(block, sentences, blocks[para])
        if not spans and in_title and len(sentences) == 1 and len(block.split()) <= _MAX_TITLE_WORDS:
            heading = not block.endswith(("?", "!", "."))  # a note's first line is its title, however long
        if heading:
            spans.append((start, start + len(block), para, TASK_SPAN if is_task(block) else HEADING_SPAN))
            continue
        in_title = False
        for s, e in sentences:
            spans.append((start + s, start + e, para, TEXT_SPAN))
    return _assign_sections(text, spans)


def _question_lists(blocks: list[str], points: frozenset[str] = frozenset()) -> set[int]:
    """Indexes of numbered questions or titles that stand in a run of two or more ("a) Kva …?
    b) Korleis …?"): a list of the questions a table was given, or of short points, not a
    heading over what follows. Items of a word processor's list (`points`) are no headings
    anyway and do not make a typed numbered line after them part of their run."""
    question = [
        b not in points
        and labelled(b)
        and (_NUMBERED_QUESTION.match(b) is not None or _NUMBERED_TITLE.match(b) is not None)
        for b in blocks
    ]
    listed = set()
    for i, is_question in enumerate(question):
        if is_question and ((i and question[i - 1]) or (i + 1 < len(blocks) and question[i + 1])):
            listed.add(i)
    return listed


def split_sentences(block: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in one block, ends exclusive."""
    if not _may_split(block):
        return [(0, len(block))] if block else []
    spans = []
    start = 0
    for match in _SENTENCE_END.finditer(block):
        end = match.end()
        following = _NEXT_START.match(block, end)
        if following is None or not _ends_sentence(block, match.start(), following.group(1)):
            continue
        spans.append((start, end))
        start = following.start(1) - (1 if block[following.start(1) - 1] in '«"“([' else 0)
    if start < len(block):
        spans.append((start, len(block)))
    return spans


def _may_split(block: str) -> bool:
    """Whether `_SENTENCE_END` can match in `block`: only at a ".!?…" before the block's closing
    run of marks and closing quotes, since it needs a space after it. Most blocks are one
    sentence with none, and these few `in` tests spare them the regex scan of every character.
    With a list returned instead of a generator's items and `labelled` before the numbered
    patterns, measured with callgrind: segment 1,718k -> 1,260k instructions a note."""
    inside = block.rstrip(_CLOSING)
    return "." in inside or "!" in inside or "?" in inside or "…" in inside


def _ends_sentence(block: str, dot: int, next_char: str) -> bool:
    """Whether the punctuation at `dot` ends a sentence, given the next word's first letter."""
    if block[dot] != ".":
        return True
    word_start = block.rfind(" ", 0, dot) + 1
    word = block[word_start : dot + 1].lower().lstrip('(«"')
    if word in NON_FINAL_ABBREVIATIONS:
        return False
    if word in FINAL_ABBREVIATIONS:
        return not next_char.isdigit()
    if not block[:word_start].strip("• ") and _LIST_LABEL.fullmatch(block[word_start : dot + 1]):
        return False  # the number of a numbered line, "1. Hvordan …", "2.1.", "iv.": it belongs to its text
    return not (len(word) == 2 and word[0].isalpha())  # an initial: "K. Hansen"


def _is_heading(
    block: str, sentences: list[tuple[int, int]], in_title: bool, known: frozenset[str], styled: bool = False
) -> bool:
    """Short title-like lines: "Utfordringer:", "Gruppe 3 - blå", "Tiltak", the lines atop a note."""
    if block in known:
        return True
    words = len(block.split())
    if _TASK_LINE.match(block) and len(sentences) <= 2 and words <= _MAX_TASK_WORDS:
        return True  # "Oppgave 2: Hvordan kan …?", "Spørsmål 1 – …": the task the units below answer
    if numbered(block):
        if _NUMBERED_TITLE.match(block) and words <= _MAX_NUMBERED_TITLE_WORDS:
            return True  # "2) Individuell plan": a numbered section, not a point
        return _NUMBERED_QUESTION.match(block) is not None and len(sentences) == 1 and words <= _MAX_TASK_WORDS
    if block.startswith(BULLET):
        return False
    if not styled and words <= _MAX_BARE_HEADING_WORDS and block[0].isupper() and not _TERMINAL.search(block):
        return True  # "Tiltak", "Anna", "Det som fungerer godt": a line with no sentence in it
    if words > _MAX_HEADING_WORDS + 2 or block.endswith("?"):
        return False
    if block.endswith(":"):
        return words <= 6
    if _HEADING_START.match(block) and len(sentences) <= 2:
        return True
    if len(sentences) > 1 or words > _MAX_HEADING_WORDS:
        return False
    letters = [c for c in block if c.isalpha()]
    if len(letters) >= 4 and all(c.isupper() for c in letters):
        return True
    if in_title:
        return not block.endswith((".", "!")) or words <= 3
    return False


def _titles_a_list(block: str, sentences: list[tuple[int, int]], after: str) -> bool:
    """A short line that is no sentence («Bemanning og pengar, kort oppsummert», «Kva eg tek med
    meg heim») right above a bulleted or numbered list is the list's title."""
    return (
        len(sentences) == 1
        and len(block.split()) <= _MAX_HEADING_WORDS + 2
        and block[0].isupper()
        and not block.startswith(BULLET)
        and not numbered(block)
        and not _TERMINAL.search(block)
        and not block.endswith(":")
        and (after.startswith(BULLET) or numbered(after))
    )


def is_task(block: str) -> bool:
    """A task or round with its number ("Oppgave 2:", "1. Hvordan …?", "Runde 2"): one of a
    series, never a title."""
    if _ROUND.match(block):
        return True  # «Runde 2»: one of a series, even without a title after it
    return bool(_NUMBERED_QUESTION.match(block) or (_TASK_LINE.match(block) and any(c.isdigit() for c in block[:14])))


def _assign_sections(text: str, spans: list[tuple[int, int, int, int]]) -> list[Segment]:
    """Build segments with section paths and content-derived ids.

    The headings atop a note (title, table, theme, host) all stay in the path, so a theme
    heading is not displaced by the host line after it. Below them, headings have a level: a
    table or group ("Gruppe 4 - rød") is 0, a task or theme ("Oppgave 2: …", "Informasjon
    mellom sykehus og kommune") is 1, a numbered
    question or point ("1. Hvordan …?", "2) Individuell plan") is 2, a sub-heading
    ("Utfordringer:", "Tiltak") is 3. A heading replaces those of its own level and below,
    and nests under those above, so a question stays under its task, and "Tiltak" under both.
    """
    segments: list[Segment] = []
    title: list[tuple[str, str]] = []  # (id, text) of the headings before any body text
    open_headings: list[tuple[int, tuple[str, str]]] = []  # (level, (id, text)), levels increasing
    in_body = False
    seen: dict[str, int] = {}
    names: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()
    for start, end, para, kind in spans:
        is_heading = kind != TEXT_SPAN
        body = text[start:end]
        sid = _segment_id(body, seen)
        segments.append(Segment(sid, HEADING if is_heading else TEXT, para, names, ids, start, end, body))
        if not is_heading:
            in_body = True
            continue
        if _BYLINE.match(body):
            continue
        entry = (sid, body.rstrip(":").rstrip())
        level = _heading_level(body, kind)
        if not in_body and not open_headings and kind != TASK_SPAN and not body.endswith(":"):
            title.append(entry)  # atop the note (title, table, theme): stays in every path
        else:
            open_headings = [(lv, h) for lv, h in open_headings if lv < level]
            open_headings.append((level, entry))
        path = [*title, *(h for _, h in open_headings)]  # only when a heading changes it
        names = tuple(name for _, name in path)
        ids = tuple(hid for hid, _ in path)
    return segments


def _heading_level(body: str, kind: int) -> int:
    """0: a table or group; 1: a task or theme; 2: a numbered question or point; 3: a
    sub-heading (see _assign_sections)."""
    if _TABLE_LINE.match(body):
        return 0
    if _ROUND.match(body):
        return 2  # a round nests under the task it works on, and ends the round before it
    if _TASK_LINE.match(body):
        return 1
    if labelled(body) and (NUMBERED.match(body) or _NUMBERED_QUESTION.match(body)):
        return 2
    if capitals(body):
        return 1  # «GULE LAPPER», «KVA ME TRENG»: a title in capitals is a main heading
    if body.endswith(":") or len(body.split()) <= _MAX_BARE_HEADING_WORDS:
        return 3
    return 1


def capitals(line: str) -> bool:
    """A line of two or more words written in capitals (typed up from a flip chart or a slide)."""
    letters = [c for c in line if c.isalpha()]
    return len(line.split()) >= 2 and len(letters) >= 4 and all(c.isupper() for c in letters)


def _segment_id(body: str, seen: dict[str, int]) -> str:
    """An id from the text itself, so it survives edits elsewhere in the note."""
    digest = hashlib.sha1(body.encode("utf-8")).hexdigest()[:8]
    count = seen.get(digest, 0) + 1
    seen[digest] = count
    return f"s{digest}" if count == 1 else f"s{digest}-{count}"
