"""The codebook's pattern language, parsed into word tests.

A pattern is one or more words that must follow each other in the text:
- a plain word matches any inflection, Bokmål or Nynorsk ("plan" matches "planer");
- `*` at the start or end matches inside a compound ("*kompetanse*", "slag*");
- a word written in capitals (two letters or more) is an acronym, matched case-sensitively
  as a whole word ("KE" never matches "ke" or "KEM");
- `=` before a word matches that exact form only, ignoring case ("=slags").
Hyphens and slashes separate words, as they do in the text ("CFS/ME", "e-melding").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PLAIN, EXACT, ACRONYM, PREFIX, SUFFIX, INFIX = "plain", "exact", "acronym", "prefix", "suffix", "infix"

_WORD_CHARS = re.compile(r"^[\w.&+]+$")
PART_SPLIT = re.compile(r"[-/–\u2010\u2011'’]+")  # "IP-planen", "CFS/ME", "IP'en" -> parts


@dataclass(frozen=True)
class Word:
    """One word test: its kind and the (lower-cased unless acronym) text it compares."""

    kind: str
    text: str


class PatternError(ValueError):
    """A pattern string that the language cannot express; the message says why."""


def parse_pattern(pattern: str) -> tuple[Word, ...]:
    """Parse a pattern string into its sequence of word tests."""
    if not isinstance(pattern, str):
        raise PatternError("a pattern must be a string")
    chunks = pattern.split()
    if not chunks:
        raise PatternError("empty pattern")
    words: list[Word] = []
    for chunk in chunks:
        words.extend(_parse_chunk(chunk, pattern))
    return tuple(words)


def _parse_chunk(chunk: str, pattern: str) -> list[Word]:
    exact = chunk.startswith("=")
    body = chunk[1:] if exact else chunk
    if not body:
        raise PatternError(f"'=' must be followed by a word in {pattern!r}")
    lead, trail = body.startswith("*"), body.endswith("*") and len(body) > 1
    core = body[1 if lead else 0 : len(body) - (1 if trail else 0)]
    if "*" in core:
        raise PatternError(f"'*' may stand only at the start or end of a word, not in {chunk!r}")
    if exact and (lead or trail):
        raise PatternError(f"'=' and '*' cannot be combined in {chunk!r}")
    parts = [p for p in PART_SPLIT.split(core) if p]
    if not parts:
        raise PatternError(f"{chunk!r} has no letters to match")
    for part in parts:
        if not _WORD_CHARS.match(part):
            bad = "".join(sorted({c for c in part if not (c.isalnum() or c in ".&+_")}))
            raise PatternError(
                f"character(s) {bad!r} in {chunk!r} are not part of the pattern language "
                "(words, '*' at a word's edge, '=' before a word)"
            )
    words = []
    last = len(parts) - 1
    for i, part in enumerate(parts):
        head, tail = lead and i == 0, trail and i == last
        if head and tail:
            words.append(Word(INFIX, part.lower()))
        elif head:
            words.append(Word(SUFFIX, part.lower()))
        elif tail:
            words.append(Word(PREFIX, part.lower()))
        elif exact:
            words.append(Word(EXACT, part.lower()))
        elif is_acronym(part):
            words.append(Word(ACRONYM, part))
        else:
            words.append(Word(PLAIN, part.lower()))
    return words


def is_acronym(word: str) -> bool:
    """Two or more letters, all capitals: KE, IP, CFS, ME."""
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)
