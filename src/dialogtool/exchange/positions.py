"""What a selection's startPosition and endPosition count, program by program.

The standard counts Unicode code points from 0, a CRLF as two. Real programs differ:
NVivo counts UTF-16 code units (a character outside the BMP, an emoji, is two), ATLAS.ti
and QualCoder's "MAXQDA line endings" export count a CRLF as one position. Read with the
wrong convention, every selection after the first emoji or line end lands a little off,
silently, on its neighbour's words.

So the producer is read from `Project/@origin`; a producer we know has its convention;
for one we do not, each convention is tried and the one under which the selections'
recorded text (the `name` QualCoder and we give a selection) matches, or else under which
selections start and end on word boundaries, is taken and named in the summary.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")  # outside the BMP: two UTF-16 code units


CODEPOINTS = "codepoints"


UTF16 = "utf16"


@dataclass(frozen=True)
class Convention:
    """How positions count: `units` (code points or UTF-16 code units) and `crlf` (how many
    positions a CRLF takes: 2 as the standard, 1 as ATLAS.ti)."""

    units: str = CODEPOINTS
    crlf: int = 2

    def describe(self) -> str:
        units = "UTF-16 code units" if self.units == UTF16 else "code points"
        return f"{units}, CRLF as {self.crlf}"


STANDARD = Convention()


CONVENTIONS = tuple(Convention(u, c) for u in (CODEPOINTS, UTF16) for c in (2, 1))


PRODUCERS = (  # (start of Project/@origin, lower case; its convention)
    ("nvivo", Convention(UTF16, 2)),
    ("atlas.ti", Convention(CODEPOINTS, 1)),
    ("qualcoder", STANDARD),
    ("dialogtool", STANDARD),
    ("qc ", STANDARD),
)


def producer_convention(origin: str | None) -> Convention | None:
    """The convention of a producer we know, from `Project/@origin`; None if unknown."""
    text = (origin or "").strip().lower()
    return next((convention for start, convention in PRODUCERS if text.startswith(start)), None)


@dataclass(frozen=True)
class View:
    """Their text as a convention sees it, and its positions turned into code points."""

    text: str  # their text, with CRLF as LF when a CRLF counts as one
    _ends: Sequence[int] | None  # UTF-16 offset just after each non-BMP character (None: units are code points)

    def index(self, position: int) -> int:
        """A position in the convention's units as an index into `text`: the position less
        one for each non-BMP character that ends at or before it (one inside such a
        character's pair of units gives the character after it)."""
        if self._ends is None:
            return position
        return position - bisect.bisect_right(self._ends, position)

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.index(start), self.index(end)


def view(text: str, convention: Convention) -> View:
    """Their text as seen under a convention (see `View`)."""
    if convention.crlf == 1:
        text = text.replace("\r\n", "\n")
    if convention.units != UTF16:
        return View(text, None)
    astral = [m.start() for m in _ASTRAL.finditer(text)]
    return View(text, [index + k + 2 for k, index in enumerate(astral)] if astral else None)


def counter(text: str, units: str) -> Callable[[int], int]:
    """For writing: an index into `text` as a position in `units` (code points, or UTF-16
    code units for NVivo, where each character outside the BMP counts two)."""
    astral = [m.start() for m in _ASTRAL.finditer(text)] if units == UTF16 else []
    if not astral:
        return lambda index: index
    return lambda index: index + bisect.bisect_left(astral, index)


def matters(text: str) -> bool:
    """Whether conventions can disagree on this text at all (a CRLF or a non-BMP character)."""
    return "\r\n" in text or _ASTRAL.search(text) is not None


def decide(
    origin: str | None,
    text: str,
    selections: Sequence[tuple[int, int, str]],
    units: str | None = None,
    crlf: int | None = None,
) -> tuple[Convention, str]:
    """The convention for one source's selections, and why (for the summary).

    `units` and `crlf` given by the user are taken as they are. Where the text leaves no
    room for doubt (no CRLF, nothing outside the BMP) the standard is as good as any.
    Recorded selection text decides next: it is what the program itself says was coded
    (and QualCoder writes CRLF either way under one origin); then a producer we know; then
    selections falling on word boundaries.
    """
    selections = [s for s in selections if 0 <= s[0] <= s[1]]  # bad ones are reported, not evidence
    candidates = [c for c in CONVENTIONS if (units is None or c.units == units) and (crlf is None or c.crlf == crlf)]
    if len(candidates) == 1:
        return candidates[0], "as given"
    if not matters(text):
        return STANDARD, "as the text has no CRLF and nothing outside the BMP"
    recorded = [s for s in selections if _usable(s[2])]
    if recorded:
        return _best(candidates, lambda seen: sum(_fits(seen, *s) for s in recorded) / len(recorded), text), (
            "from the selections' recorded text"
        )
    known = producer_convention(origin)
    if known is not None and known in candidates:
        return known, f"as {(origin or '').strip()} writes them"
    return _best(candidates, lambda seen: _boundaries(seen, selections), text), (
        "from selections starting and ending at word boundaries"
    )


def _best(candidates: list[Convention], score: Callable[[View], float], text: str) -> Convention:
    """The candidate with the highest score; ties keep the earlier (the standard first)."""
    best, best_score = candidates[0], -1.0
    for convention in candidates:
        value = score(view(text, convention))
        if value > best_score + 1e-9:
            best, best_score = convention, value
    return best


def _usable(name: str) -> bool:
    """A selection name that is its text (QualCoder's, ours), not a label like 'line:6'."""
    return len(name.strip().rstrip("…")) >= 8


def _fits(seen: View, start: int, end: int, name: str) -> bool:
    lo, hi = seen.span(start, end)
    stem = " ".join(name.strip().rstrip("…").split())
    return " ".join(seen.text[lo:hi].split()).startswith(stem[:60])


def _boundaries(seen: View, selections: Sequence[tuple[int, int, str]]) -> float:
    def at_boundary(i: int) -> bool:
        text = seen.text
        before = text[i - 1] if 0 < i <= len(text) else " "
        after = text[i] if 0 <= i < len(text) else " "
        return not (before.isalnum() and after.isalnum())

    checks = [at_boundary(i) for start, end, _ in selections for i in seen.span(start, end) if i <= len(seen.text)]
    return sum(checks) / len(checks) if checks else 0.0
