"""Quotes for the report: the segments coded with a theme, with where they came from.

Report writers pick quotes from these lists, so the clearest examples come first: within a
group, segments with more distinct theme terms, then longer ones, then by document and
position. Headings and fragments under `MIN_WORDS` words are rarely quotable and are left
out unless asked for. The evidence shown is what explains a segment's code: the spans where
the theme's patterns match (found again with the codebook's Matcher, so they can be
highlighted), the heading the theme was inherited from, or the reviewer who added it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..coded.note import CodedNote
from ..coding.codebook import Codebook
from ..coding.matcher import Matcher
from ..errors import DialogtoolError
from ..ingest.segment import HEADING
from .kwic import text_hits

MIN_WORDS = 6
MISSING = "(ukjent)"

# Why a segment has the theme, strongest evidence first.
TERMS, INHERITED, REVIEWER, CODED = "terms", "inherited", "reviewer", "coded"

_NATURAL = re.compile(r"(\d+)")


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
    origin: str  # TERMS, INHERITED, REVIEWER or CODED (an automatic code with no recorded evidence)
    terms: tuple[str, ...]  # the patterns the coder recorded for those codes
    spans: tuple[tuple[int, int], ...]  # where the theme's patterns match in `text`, for highlighting
    heading: str | None  # text of the heading the theme was inherited from
    words: int

    @property
    def place(self) -> str:
        """Meeting, date and table, as a report cites them: "Tromsø, 2018-10-12, bord 1"."""
        meeting, date, table = (self.meta.get(k) for k in ("meeting", "date", "table"))
        parts = [str(meeting) if meeting else "", str(date) if date else "", f"bord {table}" if table else ""]
        return ", ".join(p for p in parts if p)

    @property
    def source(self) -> str:
        """The line under a quote: place · section path · document and segment id."""
        parts = [self.place, " › ".join(self.section), f"{self.document} {self.id}"]
        return " · ".join(p for p in parts if p)

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
) -> QuoteSelection:
    """The segments coded with `theme` after review, grouped by `by` and ordered (module docstring)."""
    return select_themes(documents, codebook, [theme], by=by, limit=limit, include_all=include_all, matcher=matcher)[0]


def select_themes(
    documents: Iterable[CodedNote],
    codebook: Codebook,
    themes: Sequence[str],
    *,
    by: str | None = None,
    limit: int | None = None,
    include_all: bool = False,
    matcher: Matcher | None = None,
) -> list[QuoteSelection]:
    """`select_quotes` for several themes in one pass over the notes.

    `documents` may be a stream (`coded.folder.iter_folder`): each note is looked at once
    and dropped, and with a `limit` each group keeps only its best quotes so far, so memory
    stays bounded however many notes there are.
    """
    selectors = [_Selector(theme_codes(codebook, theme), by, limit, include_all) for theme in themes]
    fields = {"document"}
    notes = 0
    for doc in documents:
        notes += 1
        fields.update(doc.meta)
        for selector in selectors:
            selector.add(doc)
    if by is not None and notes and by not in fields:
        raise DialogtoolError(f"no metadata field '{by}'", hint=f"fields: {', '.join(sorted(fields))}")
    matcher = matcher or Matcher(codebook)
    return [selector.selection(codebook, matcher) for selector in selectors]


class _Selector:
    """The quotes of one theme, gathered note by note: each group's best `limit` so far,
    its count, and the segments left out."""

    def __init__(self, codes: tuple[str, ...], by: str | None, limit: int | None, include_all: bool) -> None:
        self.theme = codes[0]
        self.codes = set(codes)
        self.by = by
        self.limit = limit
        self.include_all = include_all
        self.groups: dict[str | None, list[Quote]] = {}
        self.totals: dict[str | None, int] = {}
        self.found = 0
        self.kept = 0

    def add(self, doc: CodedNote) -> None:
        for quote in _quotes_of(doc, self.codes):
            self.found += 1
            if not (self.include_all or (quote.kind != HEADING and quote.words >= MIN_WORDS)):
                continue
            self.kept += 1
            value = _group_value(quote, self.by)
            group = self.groups.setdefault(value, [])
            group.append(quote)
            self.totals[value] = self.totals.get(value, 0) + 1
            if self.limit and len(group) >= 4 * self.limit + 64:
                group.sort(key=_rank)  # ranks are unique (document, position): the same best as sorting all
                del group[self.limit :]

    def selection(self, codebook: Codebook, matcher: Matcher) -> QuoteSelection:
        result = []
        for value in sorted(self.groups, key=_group_key):
            quotes = sorted(self.groups[value], key=_rank)
            shown = quotes[: self.limit] if self.limit else quotes
            # highlighting needs the tokenizer: only for the quotes shown (a report on 10,000 notes
            # would otherwise tokenise every candidate)
            shown = [_highlighted(q, matcher) for q in shown]
            result.append(QuoteGroup(value, tuple(shown), self.totals[value]))
        label = codebook.label(self.theme)
        return QuoteSelection(self.theme, label, self.by, tuple(result), self.found, self.found - self.kept)


def _highlighted(quote: Quote, matcher: Matcher) -> Quote:
    if quote.origin != TERMS:
        return quote
    return replace(quote, spans=theme_spans(matcher, quote.text, set(quote.codes)))


def _quotes_of(doc: CodedNote, codes: set[str]) -> Iterable[Quote]:
    meta = dict(doc.meta)
    document = doc.document
    headings = doc.headings
    for position, seg in enumerate(doc.segments):
        mine = tuple(c for c in seg.reviewed_codes if c in codes)
        if not mine:
            continue
        text = seg.text
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
            origin=origin,
            terms=terms,
            spans=spans,
            heading=heading,
            words=word_count(text),
        )


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
        text += f"; {selection.left_out} heading(s) or segment(s) under {MIN_WORDS} words left out (--all shows them)"
    limited = sum(g.total - len(g.quotes) for g in selection.groups)
    if limited:
        text += f"; {limited} more beyond --limit"
    return text
