"""Quotes for the report: the segments coded with a theme, with where they came from.

Report writers pick quotes from these lists, so the clearest examples come first: within a
group, segments with more distinct theme terms, then longer ones, then by document and
position. Headings, fragments under `MIN_WORDS` words and enumerations (lists of participants,
roles or services, which name a theme without saying anything about it) are left out unless
asked for. A quote's text has no list mark («3) », «• »): a report quotes the words.
The evidence shown is what explains a segment's code: the spans where
the theme's patterns match (found again with the codebook's Matcher, so they can be
highlighted), the heading the theme was inherited from, or the reviewer who added it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, replace
from typing import Any

from ..coded.note import CodedNote
from ..coding.codebook import Codebook
from ..coding.matcher import Matcher
from ..errors import DialogtoolError
from ..ingest.normalize import BULLET, NUMBERED
from ..ingest.segment import HEADING
from ..langdata import ATTENDANCE_LINE
from .kwic import text_hits

MIN_WORDS = 6
MISSING = "(ukjent)"

# Why a segment has the theme, strongest evidence first.
TERMS, INHERITED, REVIEWER, CODED = "terms", "inherited", "reviewer", "coded"

_NATURAL = re.compile(r"(\d+)")
_TABLE_ONLY = re.compile(r"^\s*(?:dialog)?(?:kaf[eé]\s*-?)?bord\s*(?:nr\.?\s*)?\d+\s*[.:,]?\s*$", re.IGNORECASE)
_DATED = re.compile(r"\b\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b")


@dataclass(frozen=True)
class Quote:
    """One segment coded with the theme, with its source and its evidence."""

    document: str
    id: str
    position: int  # the segment's index in its note
    para: int
    kind: str
    section: tuple[str, ...]
    text: str
    meta: dict[str, Any]
    codes: tuple[str, ...]  # the theme's codes the segment has after review
    all_codes: tuple[str, ...]  # every code the segment has after review, of any theme
    origin: str  # TERMS, INHERITED, REVIEWER or CODED (an automatic code with no recorded evidence)
    terms: tuple[str, ...]  # the patterns the coder recorded for those codes
    spans: tuple[tuple[int, int], ...]  # where the theme's patterns match in `text`, for highlighting
    heading: str | None  # text of the heading the theme was inherited from
    words: int

    @property
    def section_path(self) -> tuple[str, ...]:
        """The headings above the quote as a reader wants them: without the lines that date
        the note («K.nes 29.09.2018», «Oppsummering … 12.10.2018,») or only name its table
        («Kafébord 2», which the source line already says), without trailing commas."""
        return tuple(
            h.rstrip(",;:– ")
            for h in self.section
            if not _DATED.search(h) and not _TABLE_ONLY.match(h) and h.rstrip(",;:– ")
        )

    @property
    def key(self) -> tuple[str, str]:
        """Document and segment id: the same quote under another theme has the same key."""
        return (self.document, self.id)

    @property
    def note(self) -> str | None:
        """Why a quote without highlighted terms has the theme."""
        if self.origin == INHERITED:
            return f"(inherited from heading «{self.heading}»)" if self.heading else "(from its context)"
        if self.origin == REVIEWER:
            return "(added by reviewer)"
        if self.origin == TERMS and not self.spans:
            return f"(matched {', '.join(self.terms)} when coded)"  # the codebook has changed since
        return None


@dataclass(frozen=True)
class QuoteGroup:
    """The quotes for one value of the `by` field (or all quotes when not grouped)."""

    value: str | None
    quotes: tuple[Quote, ...]
    total: int  # quotes in the group before --limit


@dataclass(frozen=True)
class QuoteSelection:
    """All groups of quotes for one theme, and what was left out."""

    theme: str
    label: str
    by: str | None
    groups: tuple[QuoteGroup, ...]
    segments: int  # segments coded with the theme
    left_out: int  # headings and short segments not shown (without --all)

    @property
    def title(self) -> str:
        return f"{self.theme} — {self.label}"

    @property
    def shown(self) -> int:
        return sum(len(g.quotes) for g in self.groups)


def theme_codes(codebook: Codebook, theme: str) -> tuple[str, ...]:
    """The codes a theme id stands for: a top-level id with its children, or one child.

    Ids are matched exactly, or ignoring case when that is unambiguous ("ke" → KE).
    """
    ids = [c.id for c in codebook.codes]
    if theme not in ids:
        folded = [i for i in ids if i.lower() == theme.lower()]
        if len(folded) != 1:
            raise DialogtoolError(f"unknown theme '{theme}'", hint=f"codebook ids: {', '.join(ids)}")
        theme = folded[0]
    return tuple(i for i in ids if i == theme or i.startswith(theme + "."))


def select_quotes(
    documents: Iterable[CodedNote],
    codebook: Codebook,
    theme: str,
    *,
    by: str | None = None,
    limit: int | None = None,
    include_all: bool = False,
    matcher: Matcher | None = None,
    exclude: frozenset[tuple[str, str]] = frozenset(),
) -> QuoteSelection:
    """The segments coded with `theme` after review, grouped by `by` and ordered (module docstring).

    `exclude` holds the keys of quotes already shown under another theme (a report shows a
    quote once); they are left out like the rest of what is not quotable. `documents` is
    read once, so it may be a stream (`coded.folder.iter_folder`): only the theme's
    candidate quotes are kept, not the notes.
    """
    if limit is not None and limit < 1:
        raise DialogtoolError(f"the number of quotes must be at least 1, not {limit}")
    codes = theme_codes(codebook, theme)
    theme = codes[0]
    matcher = matcher or Matcher(codebook)
    found: list[Quote] = []
    fields = {"document"}
    notes = 0
    for doc in documents:
        notes += 1
        fields.update(doc.meta)
        found.extend(_quotes_of(doc, set(codes)))
    if by is not None and notes and by not in fields:
        raise DialogtoolError(f"no metadata field '{by}'", hint=f"fields: {', '.join(sorted(fields))}")
    kept = [q for q in found if q.key not in exclude and (include_all or quotable(q))]
    groups: dict[str | None, list[Quote]] = {}
    for quote in kept:
        groups.setdefault(_group_value(quote, by), []).append(quote)
    result = []
    for value in sorted(groups, key=_group_key):
        quotes = sorted(groups[value], key=_rank)
        shown = quotes[:limit] if limit else quotes
        # highlighting needs the tokenizer: only for the quotes shown (a report on 10,000 notes
        # would otherwise tokenise every candidate)
        shown = [_highlighted(q, matcher) for q in shown]
        result.append(QuoteGroup(value, tuple(shown), len(quotes)))
    return QuoteSelection(theme, codebook.label(theme), by, tuple(result), len(found), len(found) - len(kept))


def report_quotes(
    read: Callable[[], Iterable[CodedNote]], codebook: Codebook, limit: int, matcher: Matcher | None = None
) -> tuple[QuoteSelection, ...]:
    """The top `limit` quotes of each top-level theme, a quote shown under the first theme that
    has it and no other, with one `select_quotes` per theme: `read` is called once per theme.

    `ReportQuotes` chooses the same quotes in one pass; this is its reference, and what it
    falls back to when two segments share a key.
    """
    matcher = matcher or Matcher(codebook)
    shown: set[tuple[str, str]] = set()
    selections = []
    for code in codebook.top_level:
        selection = select_quotes(read(), codebook, code.id, limit=limit, exclude=frozenset(shown), matcher=matcher)
        shown.update(q.key for group in selection.groups for q in group.quotes)
        selections.append(selection)
    return tuple(selections)


class ReportQuotes:
    """`report_quotes` in one pass over the notes, keeping per theme only counts and the best
    candidates, not the notes (a report on 10,000 notes held them all: over 600 MiB).

    A theme's quotes leave out those shown under an earlier theme, at most `limit` per theme
    before it, so the `limit × (themes before + 1)` best quotable candidates of a theme always
    hold its `limit` best that are left. Candidates are ordered by `_rank`, then by the order
    they were read: the order the stable sort of `select_quotes` gives. The number a theme
    lost to earlier themes is counted from the shown quotes' codes, which holds only while no
    two segments share a key (document, id); a copied note keeps its `document`, so that is
    checked, and otherwise the notes are read again (`selections`).
    """

    def __init__(self, codebook: Codebook, limit: int, matcher: Matcher | None = None) -> None:
        if limit < 1:
            raise DialogtoolError(f"the number of quotes must be at least 1, not {limit}")
        self._codebook = codebook
        self._limit = limit
        self._matcher = matcher
        themes = codebook.top_level
        self._themes = [_Candidates(theme_codes(codebook, c.id), limit * n) for n, c in enumerate(themes, 1)]
        self._documents: set[str] = set()
        self._read = 0
        self.unique_keys = True

    def add(self, doc: CodedNote) -> None:
        """Count one note's coded segments and keep the best of them as candidates."""
        ids = [seg.id for seg in doc.segments]
        if doc.document in self._documents or len(set(ids)) != len(ids):
            self.unique_keys = False
        self._documents.add(doc.document)
        for theme in self._themes:
            for quote in _quotes_of(doc, theme.codes):
                self._read += 1
                theme.add(quote, self._read)

    def selections(self, read_again: Callable[[], Iterable[CodedNote]]) -> tuple[QuoteSelection, ...]:
        """Each top-level theme's selection, as `report_quotes` makes it from the same notes.

        When two segments shared a key (`unique_keys`), it is `report_quotes` over the notes
        `read_again` gives: slower, but the same choice.
        """
        matcher = self._matcher or Matcher(self._codebook)
        if not self.unique_keys:
            return report_quotes(read_again, self._codebook, self._limit, matcher)
        shown: list[Quote] = []
        result = []
        for theme in self._themes:
            keys = {q.key for q in shown}
            left = [q for q in theme.best() if q.key not in keys][: self._limit]
            lost = sum(1 for q in shown if theme.codes.intersection(q.all_codes))
            kept = theme.quotable - lost
            groups = (QuoteGroup(None, tuple(_highlighted(q, matcher) for q in left), kept),) if kept else ()
            shown.extend(left)
            label = self._codebook.label(theme.id)
            result.append(QuoteSelection(theme.id, label, None, groups, theme.found, theme.found - kept))
        return tuple(result)


class _Candidates:
    """One theme's counts and its best quotable quotes so far, at most `2 × keep` of them."""

    def __init__(self, codes: tuple[str, ...], keep: int) -> None:
        self.id = codes[0]
        self.codes = frozenset(codes)
        self.keep = keep
        self.found = 0
        self.quotable = 0
        self._best: list[tuple[tuple[int, int, str, int], int, Quote]] = []

    def add(self, quote: Quote, order: int) -> None:
        self.found += 1
        if not quotable(quote):
            return
        self.quotable += 1
        self._best.append((_rank(quote), order, quote))
        if len(self._best) >= 2 * self.keep:  # trimmed now and then, not on every quote
            self._trim()

    def best(self) -> list[Quote]:
        """The `keep` best quotable quotes, best first."""
        self._trim()
        return [quote for _, _, quote in self._best]

    def _trim(self) -> None:
        self._best.sort(key=lambda entry: entry[:2])
        del self._best[self.keep :]


def _highlighted(quote: Quote, matcher: Matcher) -> Quote:
    if quote.origin != TERMS:
        return quote
    return replace(quote, spans=theme_spans(matcher, quote.text, set(quote.codes)))


def _quotes_of(doc: CodedNote, codes: Collection[str]) -> Iterable[Quote]:
    meta = dict(doc.meta)
    document = doc.document
    headings = doc.headings
    for position, seg in enumerate(doc.segments):
        mine = tuple(c for c in seg.reviewed_codes if c in codes)
        if not mine:
            continue
        text = unmarked(seg.text)
        terms = tuple(sorted({t for c in mine for t in seg.terms.get(c, ())}))
        context = seg.context
        review = seg.review
        heading = None
        spans: tuple[tuple[int, int], ...] = ()
        if terms:
            origin = TERMS  # spans are found later, for the quotes shown
        elif any(c in context for c in mine):
            origin = INHERITED
            rule, source = next(context[c] for c in mine if c in context)
            heading = headings.get(source) if rule == "heading" else None
        elif review is not None and any(c in review.add and c not in seg.codes for c in mine):
            origin = REVIEWER
        else:
            origin = CODED
        yield Quote(
            document=document,
            id=seg.id,
            position=position,
            para=seg.para or 0,
            kind=seg.kind,
            section=seg.section,
            text=text,
            meta=meta,
            codes=mine,
            all_codes=tuple(seg.reviewed_codes),
            origin=origin,
            terms=terms,
            spans=spans,
            heading=heading,
            words=word_count(text),
        )


def unmarked(text: str) -> str:
    """A segment's text without its list mark: «• Tekst» and «3) Tekst» read as «Tekst»."""
    text = text.removeprefix(BULLET)
    match = NUMBERED.match(text)
    return text[match.end() :] if match else text


_ATTENDANCE = re.compile(ATTENDANCE_LINE, re.IGNORECASE)
_ITEM_SPLIT = re.compile(r"[,;/]|\s(?:og|eller|samt)\s")
_SHORT_ITEM = 3  # words
_ENUMERATION_ITEMS = 4


def quotable(quote: Quote) -> bool:
    """Not a heading, not a fragment, not an enumeration (module docstring)."""
    return quote.kind != HEADING and quote.words >= MIN_WORDS and not is_enumeration(quote.text)


def is_enumeration(text: str) -> bool:
    """A list of who took part, or of names: «Deltakere: …», or four or more items of at most
    three words each («ergoterapeut, leder for KE, koordinator fra sykehuset og fastlege»)."""
    if _ATTENDANCE.search(text):
        return True
    body = text.split(":", 1)[1] if ":" in text[:40] else text
    items = [word_count(item) for item in _ITEM_SPLIT.split(body.rstrip(". "))]
    items = [n for n in items if n]
    return len(items) >= _ENUMERATION_ITEMS and max(items) <= _SHORT_ITEM


def theme_spans(matcher: Matcher, text: str, codes: set[str]) -> tuple[tuple[int, int], ...]:
    """Where `codes`' patterns match in `text`, exclusions applied, overlapping spans merged."""
    hits = text_hits(matcher, text)
    vetoes = [h for h in hits if h.exclude]
    spans = sorted(
        (h.start, h.end)
        for h in hits
        if h.code in codes
        and not h.exclude
        and not any(v.code == h.code and v.start < h.end and h.start < v.end for v in vetoes)
    )
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


_COUNTED_WORD = re.compile(r"\S*[^\W_]\S*")


def word_count(text: str) -> int:
    """Words separated by spaces that hold a letter or digit (a dash or bullet is not a word)."""
    return len(_COUNTED_WORD.findall(text))


def _rank(quote: Quote) -> tuple[int, int, str, int]:
    return (-len(quote.terms), -quote.words, quote.document, quote.position)


def _group_value(quote: Quote, by: str | None) -> str | None:
    if by is None:
        return None
    value = quote.document if by == "document" else quote.meta.get(by)
    return MISSING if value is None or value == "" else str(value)


def _group_key(value: str | None) -> tuple[object, ...]:
    """Natural order ("bord 2" before "bord 10"), the missing value last."""
    if value is None:
        return (0,)
    parts = tuple((0, int(p), "") if p.isdigit() else (1, 0, p.lower()) for p in _NATURAL.split(value) if p)
    return (1 if value == MISSING else 0, parts)


def summary(selection: QuoteSelection) -> str:
    """One line for stderr: how many quotes, and what was left out."""
    text = f"{selection.shown} quote(s) for {selection.title} from {selection.segments} coded segment(s)"
    if selection.left_out:
        text += (
            f"; {selection.left_out} heading(s), enumeration(s) or segment(s) under {MIN_WORDS} words "
            "left out (--all shows them)"
        )
    limited = sum(g.total - len(g.quotes) for g in selection.groups)
    if limited:
        text += f"; {limited} more beyond --limit"
    return text
