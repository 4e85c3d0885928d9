"""Context rules: the themes a unit has from where it stands, not from its own words.

Note-takers write terse bullets under a heading, lead-ins that end in a colon, and
sentences that point back with «dette» or «dei». A careful coder reads each unit in that
context; these rules do the same, each switchable in the codebook (`context:`) and each
recorded in the coded file as (rule, id of the segment the theme came from), so reviewers
can tell a code from context apart and `evaluate --by rule` can say which rule earns its keep.

Words of a `once_named` concept («planen», «eininga») point back to their theme: they code a
unit only once an earlier unit of the note (a heading included) has the theme from other words.

A line listing who took part gets no theme at all: the roles and places named in it («leiar
for KE i Alta») are mere mentions. In the order they are applied to each unit:
- `leadin`: a sentence ending in ":" or "?" that has themes of its own, or a numbered task
  ("1a) Kva manglar kommunen?"), gives its themes to the list items right after it: the items
  continue its sentence or answer its question. An item with themes of its own gets those of
  a sentence ending in ":" only when it is terse (six words or fewer); a whole sentence is
  about what it names. The answers to a question or a task all get its themes.
  A line alone in its paragraph counts as an item, since bullets are often lost in extraction;
- `reference`: a unit with no theme of its own that opens by pointing back («Dette …»,
  «Desse får …») takes the themes of the unit before it, in the same paragraph or list, and a
  question heading that points back («Hvem trenger det mest?») those of its task's heading;
- `group`: after a unit names a patient group (a code under `context.groups`), the units that
  follow and refer to people with a pronoun («dei», «mange av dem») get that group too;
- `heading`: a unit still without a theme (or with only the words of a `weak` concept, such as
  information or contact, which belong to any task) takes the themes of the nearest heading above it
  that has any, unless the unit is procedural (a round, the host's line or name, thanks,
  coffee, who took part, the next meeting), is itself a lead-in (its content is in the items
  after it), or sits in an off-topic section ("Annet:") or paragraph ("Ellers: …"). A patient
  group goes only to units that talk about people: under «Kven fell mellom?» a measure such as
  «Oppfølging heime via video» is not a group.

A unit that only labels the points after it («Forslag», «Det som fungerer», «Kva manglar?»)
takes no theme from any of these rules: it names a kind of point, not a subject.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from ..ingest.normalize import BULLET, NUMBERED
from ..ingest.segment import HEADING, Segment, is_task
from ..langdata import (
    ASIDE_OPENER,
    ATTENDANCE_LINE,
    COMMON_VERBS,
    DEFINITE_PLURAL,
    EXPLETIVE_NEXT,
    NAMED_BYLINE,
    NEED_VERBS,
    NEXT_PHASE_WORDS,
    NOT_REACHED,
    OFF_TOPIC_HEADINGS,
    OPENING_WORDS,
    OTHER_MATTERS,
    PEOPLE_NOUNS,
    PEOPLE_WORDS,
    POINTING_WORDS,
    PROCEDURAL_COMPOUND_ENDS,
    PROCEDURAL_OPENERS,
    PROCEDURAL_PAIRS,
    PROCEDURAL_START,
    PROCEDURAL_WORDS,
    QUANTIFIERS,
    REFERRING_WORDS,
    SECTION_LABEL,
    SIGN_OFF,
    TABLE_HEADER,
    TABLE_KNEW,
)
from .codebook import Codebook, ContextRules

HEADING_RULE, LEADIN, REFERENCE, GROUP = "heading", "leadin", "reference", "group"
_TERSE_ITEM_WORDS = 6  # an item this short continues its lead-in's sentence even when it names a theme
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


class _LineStart:
    """A pattern anchored at the start of a line (matched ignoring case), tried only on a line
    that can open as it does: `letters` are the letters its matches begin with, so a line that
    opens with any other ASCII character («Kommunen …», «2.») is ruled out at one look.

    Five such patterns are asked of every unit, and a failed match still costs the regex engine
    a pass over all their alternatives (3,000–6,000 instructions each); the look rules out 70 %
    of them, which saved 0.3 M of the 13.9 M instructions a note took to code.
    `test_line_start_letters` checks `letters` against the patterns in langdata.
    """

    def __init__(self, pattern: str, letters: str) -> None:
        self.regex = re.compile(pattern, re.IGNORECASE)
        self.letters = letters
        # a character outside this set (non-ASCII, such as «Å» or «–», or none) leaves it to the regex
        self.ruled_out = frozenset(chr(c) for c in range(128)) - frozenset(letters + letters.upper())

    def match(self, line: str) -> re.Match[str] | None:
        if line[:1] in self.ruled_out:
            return None
        return self.regex.match(line)


_PROCEDURAL_START = _LineStart(PROCEDURAL_START, "adfkmoprstv")
_PAIRS = frozenset((a, b) for first, second in PROCEDURAL_PAIRS for a in first for b in second)
_PAIR_FIRSTS = frozenset(a for a, _ in _PAIRS)
_AT_THE_TABLE = frozenset([("rundt", "bordet"), ("ved", "bordet")])  # «rundt bordet»: see is_procedural
_ASIDE = _LineStart(ASIDE_OPENER, "aef")
_ATTENDANCE = _LineStart(ATTENDANCE_LINE, "dfmptv")
_NAMED_BYLINE = _LineStart(NAMED_BYLINE, "bfknorsv")
_NOT_REACHED = _LineStart(NOT_REACHED, "dmsv")
_SECTION_LABEL = re.compile(SECTION_LABEL, re.IGNORECASE)
_TABLE_HEADER = re.compile(TABLE_HEADER, re.IGNORECASE)
_TASK_PREFIX = re.compile(r"^(?:oppgave|oppgåve|tema|del|spørsmål)?\s*\d*[a-z]?\s*[:.)–-]\s*|^\d{1,2}[.)]\s*")
_NAME_LINE = re.compile(r"^[A-ZÆØÅ][a-zæøåéü]+(?:[ -][A-ZÆØÅ][a-zæøåéü]+){1,3}\.?$")  # «Kari Beate Nilsen»
_PATIENTS = ("pasient", "bruker", "brukar", "person")
_PEOPLE_PREPOSITIONS = frozenset(["for", "til", "med", "om", "av", "hos", "hjå", "blant", "mellom"])
ANY = True  # a unit's weak words leave room for any heading theme
Room = frozenset[str] | bool  # the heading themes a unit with weak words may take (False: none)
_REFERRING_SPAN = 4  # a strong referring word («dette», «desse») counts among a unit's first words
# words by which a question heading points back to its task («det», «desse»); «de», «dei» are
# left out, since in a question they are mostly «you» or the people asked about
_QUESTION_REFERRING = frozenset(["det", "dette", "denne", "disse", "desse", "slike", "slikt"])


class SegmentCoding(NamedTuple):
    """The automatic coding of one segment.

    `terms` holds the patterns found in the segment itself; `context` the codes it has from
    its context instead, each as (rule, id of the segment it came from).

    A NamedTuple rather than a frozen dataclass, as `Segment` is: one is made for every unit, and
    a frozen dataclass sets each field through `object.__setattr__` (4,800 instructions a unit,
    against 2,300): 0.07 M of the 1.5 M the context rules took a note (0.05 M of the 13.0 M all
    the coding of a note took).
    """

    codes: tuple[str, ...]
    terms: dict[str, tuple[str, ...]]  # code -> the patterns that matched
    context: dict[str, tuple[str, str]]  # code -> (rule, source segment id)


@dataclass
class _State:
    """What the rules carry from one unit to the next while walking a note."""

    leadin: tuple[frozenset[str], str] | None = None  # themes and id of the open lead-in
    marked: bool = False  # the open lead-in's list has bullets: a line without one ends it
    task: bool = False  # the open lead-in is a task heading, not a sentence
    colon: bool = False  # the open lead-in is a sentence ending in ":", whose items continue it
    group: tuple[frozenset[str], str, tuple[str, ...]] | None = None  # codes, source id, section ids
    aside: int | None = None  # a paragraph opened by «Ellers:»: none of it takes a heading's theme
    closed: set[str] = field(default_factory=set)  # headings a line about the meeting has ended
    item_para: int | None = None  # the paragraph that is a list item (its first unit has a bullet or number)
    signed: bool = False  # past the sign-off of a letter or an e-mail: its name and title are about nothing


_SIGN_OFF = _LineStart(SIGN_OFF, "bhmv")


def apply_context(
    segments: Sequence[Segment], own: Sequence[dict[str, tuple[str, ...]]], codebook: Codebook
) -> list[SegmentCoding]:
    """Each segment's codes from its own terms (`own`, code -> patterns) and the context rules."""
    rules = codebook.context
    weak = codebook.weak_patterns
    once_named = codebook.once_named_patterns
    named: set[str] = set()  # themes an earlier unit has from words that are not `once_named`
    order = codebook.order()
    state = _State()
    results: list[SegmentCoding] = []
    by_id: dict[str, SegmentCoding] = {}
    sizes = Counter(seg.para for seg in segments)
    for i, seg in enumerate(segments):
        marked, line = _marked(seg.text)  # asked by several rules: worked out once a unit
        if marked:
            state.item_para = seg.para
        terms = {} if _mere_mentions(seg, line) else _named_yet(own[i], once_named, named)
        context: dict[str, tuple[str, str]] = {}
        item = marked or sizes[seg.para] == 1
        if _ASIDE.match(line):
            state.aside = seg.para
        busy = state.leadin is not None or state.group is not None
        _apply_rules(seg, i, (item, marked), terms, context, state, segments, results, by_id, rules, weak)
        if _SIGN_OFF.match(line):
            state.signed = True
        if context and (state.signed or not _words(seg.text)):
            context.clear()  # «2», «–»: a page number or a stray mark is about nothing; so is a signature
        elif (context or busy) and seg.kind != HEADING and is_procedural(seg.text, own_words=bool(terms)):
            # about the meeting: nothing from its context, and it ends a list and the task above it
            # («12.10 – Lunsj.», «Oppsummering i plenum»: what follows is no longer that task's)
            if not NEXT_PHASE_WORDS.isdisjoint(_words(seg.text)):
                state.closed.update(source for rule, source in context.values() if rule == HEADING_RULE)
            context.clear()
            state.leadin = state.group = None
        elif context and _labels_a_section(line):
            context.clear()  # «Forslag», «Det som fungerer»: a label for what follows, about nothing itself
        if terms:
            named.update(code for code, found in terms.items() if not once_named.issuperset(found))
        codes: tuple[str, ...] = ()  # a third of the units have no code: no set to build and sort for them
        if terms or context:
            codes = tuple(sorted({*terms, *context}, key=lambda c: (order.get(c, len(order)), c)))
        coding = SegmentCoding(codes, terms, context)
        by_id[seg.id] = coding
        results.append(coding)
    return results


def _apply_rules(
    seg: Segment,
    i: int,
    item: tuple[bool, bool],
    terms: dict[str, tuple[str, ...]],
    context: dict[str, tuple[str, str]],
    state: _State,
    segments: Sequence[Segment],
    results: list[SegmentCoding],
    by_id: dict[str, SegmentCoding],
    rules: ContextRules,
    weak: Mapping[str, frozenset[str] | None],
) -> None:
    """The context rules for one unit, in order (see the module docstring); `item` says whether
    the unit counts as a list item, and whether it has a bullet or number."""
    if rules.leadin:
        _follow_lead_in(seg, item, terms, context, state)
    if rules.reference and not terms and not context and i and seg.kind != HEADING:
        _refer_back(seg, segments[i - 1], results[-1], context)
    if rules.reference and not terms and seg.kind == HEADING and _asks_about_it(seg.text):
        _inherit_heading(seg, by_id, context, rule=REFERENCE)
    if rules.groups:
        _carry_group(seg, terms, context, state, rules.groups)
    heading_allowed = state.aside != seg.para and not seg.text.rstrip().endswith(":")
    room = _room_for_heading(terms, weak) if terms else None
    if rules.heading and heading_allowed and ((not terms and not context) or room):
        _inherit_heading(seg, by_id, context, terms, room if terms else None, group=rules.groups, closed=state.closed)
    if rules.reference and not terms and not context and i and seg.kind != HEADING:
        _continue_paragraph(seg, segments[i - 1], results[-1], context, rules.groups, seg.para == state.item_para)
    if rules.leadin:
        _open_lead_in(seg, terms, context, state)


def _room_for_heading(terms: dict[str, tuple[str, ...]], weak: Mapping[str, frozenset[str] | None]) -> Room:
    """Which heading themes a unit coded only by weak concepts' words may still take: any
    (`ANY`), those every weak word allows (`weak: [IP]`), or none (False) when one of its words is
    not weak."""
    allowed: frozenset[str] | None = None
    for found in terms.values():
        for term in found:
            if term not in weak:
                return False
            limit = weak[term]
            if limit is not None:
                allowed = limit if allowed is None else allowed & limit
    if allowed is None:
        return ANY
    return allowed or False


def is_item(text: str) -> bool:
    """A bullet or numbered list item (after normalisation every bullet is "• ")."""
    return text.startswith(BULLET) or NUMBERED.match(text) is not None


def _marked(text: str) -> tuple[bool, str]:
    """`is_item(text)` and `_strip_mark(text)` in one look at the text."""
    if text.startswith(BULLET):
        return True, text[len(BULLET) :]
    match = NUMBERED.match(text)
    return (True, text[match.end() :]) if match else (False, text)


def _follow_lead_in(
    seg: Segment,
    listed: tuple[bool, bool],
    terms: dict[str, tuple[str, ...]],
    context: dict[str, tuple[str, str]],
    state: _State,
) -> None:
    """Give the open lead-in's themes to a list item; anything else closes the lead-in.

    A line alone in its paragraph counts as an item (its bullet may be lost), until the list
    shows real bullets (`marked`): then a line without one is the text after the list. An item
    with theme words of its own takes the themes of a sentence ending in ":" only while it is
    terse (a few words that continue the sentence); a whole sentence is about what it names.
    The answers to a question or a task all take its themes. A line
    without a bullet that ends in "?" or ":" and has theme words of its own is the next question
    («Spm: Kva pasientgrupper …?» after the last answer), not one of the answers.
    """
    item, marked = listed
    if terms and not marked and seg.text.rstrip().endswith(("?", ":")):
        state.leadin = None  # «Spm: Kva manglar?» after the last answer: the next question, not an answer
        return
    if state.leadin is not None and (marked or (item and not state.marked)) and seg.kind != HEADING:
        state.marked = state.marked or marked
        codes, source = state.leadin
        if state.task and len(codes) > 1 and _tops(terms) & _tops(codes):
            return  # an item naming one theme of a two-theme task («KE og IP») is about that one
        if terms and state.colon and len(seg.text.split()) > _TERSE_ITEM_WORDS:
            return  # a whole sentence with its own themes stands on its own, not on the sentence above
        for code in codes - set(terms):
            context[code] = (LEADIN, source)
        return
    state.leadin = None


def _tops(codes: Iterable[str]) -> set[str]:
    """The top-level themes of codes («GRUPPER.ME» is GRUPPER)."""
    return {code.split(".")[0] for code in codes}


def _open_lead_in(
    seg: Segment, terms: dict[str, tuple[str, ...]], context: dict[str, tuple[str, str]], state: _State
) -> None:
    """A sentence ending in ":" or "?" with themes of its own opens a lead-in; so does a numbered
    task ("1a) Kva manglar kommunen?"), with the themes it has from the task it belongs to. A
    bullet that ends in "?" is one of the points, said as a question, not a lead-in to the rest."""
    if seg.kind == HEADING:
        if is_task(seg.text) and (terms or context):
            state.leadin, state.marked, state.task = (frozenset(terms) | frozenset(context), seg.id), False, True
            state.colon = False
        return
    end = seg.text.rstrip()[-1:]
    if terms and (end == ":" or (end == "?" and not seg.text.startswith(BULLET))):  # «• fagdag sammen?»: a point
        state.leadin, state.marked, state.task = (frozenset(terms), seg.id), False, False
        state.colon = end == ":"


def _refer_back(seg: Segment, previous: Segment, before: SegmentCoding, context: dict[str, tuple[str, str]]) -> None:
    """Take the themes of the unit before when this one opens by pointing back to it."""
    linked = previous.kind != HEADING and (previous.para == seg.para or (is_item(previous.text) and is_item(seg.text)))
    if not linked or not refers_back(seg.text):
        return
    for code in before.codes:
        rule = before.context.get(code)
        if rule is None or rule[0] in (LEADIN, REFERENCE):  # not what the heading gives both of them anyway
            context[code] = (REFERENCE, previous.id)


def _continue_paragraph(
    seg: Segment,
    previous: Segment,
    before: SegmentCoding,
    context: dict[str, tuple[str, str]],
    group: str | None,
    in_item: bool = False,
) -> None:
    """A sentence of running prose that points back anywhere in it («Ingen på sykehuset vet at det
    finnes», «Den kjem gjerne etter ei veke») continues the sentence before it in its paragraph:
    it takes the themes that sentence has from its own words. Asked only when nothing else gave
    the unit a theme; a heading's theme is a guess about a whole section, so it is not passed on,
    and neither is a patient group, which the `group` rule carries under its own, stricter test."""
    if previous.kind == HEADING or previous.para != seg.para:
        return
    found = before.terms
    if in_item and not found:  # the item's third sentence goes on with what its second took from the first
        found = {code: () for code, (rule, _) in before.context.items() if rule == REFERENCE}
    if not found:
        return
    if not in_item and not any(word in POINTING_WORDS for word in _words(seg.text)):
        return  # a list item's next sentence goes on with the item, pointing word or not
    for code in found:
        if group is None or (code != group and not code.startswith(group + ".")):
            context[code] = (REFERENCE, previous.id)


def _asks_about_it(text: str) -> bool:
    """A question heading that points back to its task («Spørsmål 3: Hvem trenger det mest?»,
    «Kva skal til for at desse får eit betre tilbod?»): it asks about what the task named."""
    return text.rstrip().endswith("?") and any(w in _QUESTION_REFERRING for w in _words(text))


def refers_back(text: str) -> bool:
    """Whether a unit opens by pointing back: «Dette …», «Også desse …», «Det fungerer …»
    (not «Det er viktig at …», where «det» points at nothing)."""
    words = _words(text)[: _REFERRING_SPAN + 1]
    if not words:
        return False
    at = 1 if words[0] in OPENING_WORDS and len(words) > 1 else 0
    first, after = words[at], words[at + 1] if at + 1 < len(words) else ""
    if first in ("det", "den"):
        return bool(after) and after not in EXPLETIVE_NEXT
    if first in ("de", "dei"):
        return _verb_like(after)
    if first in REFERRING_WORDS:
        return True
    return any(w in ("dette", "denne", "disse", "desse") for w in words[:_REFERRING_SPAN])


def _carry_group(
    seg: Segment,
    terms: dict[str, tuple[str, ...]],
    context: dict[str, tuple[str, str]],
    state: _State,
    theme: str,
) -> None:
    """Open a patient group where one is named; carry it to following units that refer to people."""
    if seg.kind == HEADING:
        state.group = None
        return
    mine = frozenset(c for c in terms if c == theme or c.startswith(theme + ".")) if terms else None
    if mine:
        state.group = (mine, seg.id, seg.section_ids)
        return
    if state.group is None:
        return
    codes, source, section = state.group
    if seg.section_ids != section or not refers_to_people(seg.text):
        state.group = None
        return
    for code in codes:
        context[code] = (GROUP, source)


def refers_to_people(text: str) -> bool:
    """Whether a unit points at people named before: «Dei får …», «Mange av dem …», «Når desse
    vert skrivne ut …», «pasientane». Subject pronouns count among the first words only: later
    in a sentence «de» is as likely to mean someone else."""
    words = _words(text)
    if not words:
        return False
    if words[0] == "her":
        return len(words) > 1 and words[1] in NEED_VERBS  # «Her trengs logoped …»: the group's needs
    if len(words) > 1 and words[0] in QUANTIFIERS and (words[1] in COMMON_VERBS or words[1].endswith(("es", "ast"))):
        return True  # «Mange får …», «Fleire vert sende …»
    for i, word in enumerate(words):
        after = words[i + 1] if i + 1 < len(words) else ""
        if word in ("dem", "deim"):
            return True
        if word in ("desse", "disse") and i and words[i - 1] in _PEOPLE_PREPOSITIONS:
            return True  # «… korleis ein skal leggje opp trening for desse»: the people just named
        if word.startswith(_PATIENTS) and word.endswith(DEFINITE_PLURAL):
            return True  # «pasientane», «brukerne»: the ones just named (not «gruppene», which may be the tables)
        if i >= _REFERRING_SPAN:
            continue
        if word in ("de", "dei") and _verb_like(after):
            return True
        if word in ("disse", "desse", "slike", "denne") and (
            _verb_like(after) or any(after.startswith(noun) for noun in PEOPLE_NOUNS) or not after
        ):
            return True
    return False


def _verb_like(word: str) -> bool:
    """A finite verb after «de»/«dei» makes them pronouns («de får»), not articles («de fleste»)."""
    if word in COMMON_VERBS:
        return True
    return (
        len(word) >= 4 and word.endswith(("er", "ar", "te", "de")) and not word.endswith(("tte", "ste", "ere", "are"))
    )


def _inherit_heading(
    seg: Segment,
    by_id: dict[str, SegmentCoding],
    context: dict[str, tuple[str, str]],
    terms: dict[str, tuple[str, ...]] | None = None,
    room: Room | None = None,
    rule: str = HEADING_RULE,
    group: str | None = None,
    closed: set[str] | frozenset[str] = frozenset(),
) -> None:
    """The nearest themed heading's themes (only those in `room`, for a unit with weak words),
    unless the unit is about other matters (staff, money, travel) or in an off-topic section.
    Headings take no theme from above: a bare "Utfordringer:" names none. A heading that names
    several themes («Tema: samarbeid, kontaktpersonar og kunnskap») is a table's whole agenda,
    not what any one line under it is about: its units are coded on their own words. So is a
    heading that only names a patient group (a child code such as GRUPPER.RUS, without GRUPPER
    itself): the group is the table's topic, not a need its units say goes unmet.

    The unit's own words are looked at last, once a heading has themes to give: only one unit
    in thirteen asked gets any, and the words of the others were the most costly part of the
    rules (0.5 M of the 13.6 M instructions a note took to code)."""
    if seg.kind == HEADING and rule == HEADING_RULE:
        return
    for heading_id, title in reversed(tuple(zip(seg.section_ids, seg.section, strict=True))):
        if _off_topic(title) or heading_id in closed:
            return
        source = by_id.get(heading_id)
        if source is not None and source.codes:
            if rule == HEADING_RULE and len(_tops(source.codes)) > 1:
                return
            if any(w.startswith(OTHER_MATTERS) for w in _words(seg.text)):
                return
            for code in source.codes:
                if isinstance(room, frozenset) and code.split(".")[0] not in room and code not in room:
                    continue
                if rule == HEADING_RULE and "." in code and code.split(".")[0] not in source.codes:
                    continue  # «Kafébord 2: Psykisk helse og rus»: the table's group, not its unmet needs
                if rule == HEADING_RULE and code.split(".")[0] == group and not _about_people(seg.text):
                    continue  # «Oppfølging heime via video» under «Kven fell mellom?»: a measure, not a group
                if not terms or code not in terms:
                    context.setdefault(code, (rule, heading_id))
            return


def _about_people(text: str) -> bool:
    """Whether a unit talks about people at all (see langdata.PEOPLE_WORDS)."""
    words = _words(text)
    return not PEOPLE_WORDS.isdisjoint(words) or any(w.startswith(PEOPLE_NOUNS) for w in words)


def _labels_a_section(line: str) -> bool:
    """«Forslag:», «Det som fungerer», «Anna», a table's header row «Utfordring | Tiltak | Ansvar»
    (`line`: a unit without its bullet or number): a line that names the kind of points after it."""
    label = line.strip()
    if _SECTION_LABEL.match(label) is not None or _TABLE_HEADER.match(label) is not None:
        return True
    return _off_topic(label.rstrip(":"))


@lru_cache(maxsize=1024)
def _off_topic(title: str) -> bool:
    """Whether a heading opens an off-topic section ("Annet:", "Oppgave 4: Eventuelt"); asked for
    every unit under it, so remembered per heading text."""
    return OFF_TOPIC_HEADINGS.match(_TASK_PREFIX.sub("", title.lower())) is not None


def _named_yet(
    terms: dict[str, tuple[str, ...]], once_named: frozenset[str], named: set[str]
) -> dict[str, tuple[str, ...]]:
    """A unit's terms without the `once_named` words of themes the note has not named yet."""
    if not once_named:
        return terms
    kept = {}
    for code, found in terms.items():
        if code.split(".")[0] not in named and code not in named:
            found = tuple(t for t in found if t not in once_named)
        if found:
            kept[code] = found
    return kept


def _mere_mentions(seg: Segment, line: str) -> bool:
    """Who took part (a line, or the list under «Deltakarar:»), or whose notes these are: the
    roles, places and words in such a line are names, so it gets no theme at all, not even
    from its own words. So does a line saying what the table did not get to («Vi rakk ikke
    oppgaven om kreft»). `line` is the unit's text without its bullet or number."""
    in_list = bool(seg.section) and _attendance_heading(seg.section[-1])
    return bool(in_list or _ATTENDANCE.match(line) or _NAMED_BYLINE.match(line) or _NOT_REACHED.match(line))


@lru_cache(maxsize=1024)
def _attendance_heading(title: str) -> bool:
    """Whether a heading opens the list of who took part; asked for every unit under it."""
    return _ATTENDANCE.match(title) is not None


def is_procedural(text: str, own_words: bool = False) -> bool:
    """A line about the meeting, not its subject: a round, the host (or just a name, as in a
    sign-off), thanks, coffee, the room, the time, who took part, the next meeting. Who sat
    «rundt bordet» is the meeting only in a line with no theme words of its own (`own_words`):
    «Sykehuset ved bordet sa at dei sender til postmottaket» reports what the table said."""
    line = _strip_mark(text)
    words = _words(text)
    if not words:
        return False
    if words[0] in PROCEDURAL_OPENERS or _NAME_LINE.match(line) or _PROCEDURAL_START.match(line):
        return True
    if _ATTENDANCE.match(line) or _NOT_REACHED.match(line):
        return True
    if not PROCEDURAL_WORDS.isdisjoint(words) or any(w.endswith(PROCEDURAL_COMPOUND_ENDS) for w in words):
        return True
    if _PAIR_FIRSTS.isdisjoint(words):
        return False
    pairs = {pair for pair in itertools.pairwise(words) if pair in _PAIRS}
    if pairs and pairs <= _AT_THE_TABLE and (own_words or not TABLE_KNEW.isdisjoint(words)):
        return False  # «Ingen rundt bordet visste kven det er»: what the table knew, not the meeting
    return bool(pairs)


@lru_cache(maxsize=256)
def _words(text: str) -> tuple[str, ...]:
    """A unit's words, lower-cased, without its bullet or number (the rules ask several times)."""
    return tuple(w.lower() for w in _WORD.findall(_strip_mark(text)))


def _strip_mark(text: str) -> str:
    """The unit's text without its bullet or number."""
    if text.startswith(BULLET):
        return text[len(BULLET) :]
    match = NUMBERED.match(text)
    return text[match.end() :] if match else text
