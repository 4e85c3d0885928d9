"""The codebook's pattern language, parsed into word tests and proximity rules.

A phrase is one or more words that must follow each other in the text:
- a plain word matches any inflection, Bokmål or Nynorsk ("plan" matches "planer");
- `*` at the start or end matches inside a compound ("*kompetanse*", "slag*");
- a word written in capitals (two letters or more) is an acronym, matched case-sensitively
  as a whole word ("KE" never matches "ke" or "KEM");
- `=` before a word matches that exact form only, ignoring case ("=slags").
Hyphens and slashes separate words, as they do in the text ("CFS/ME", "e-melding").

A pattern is a phrase, a choice of phrases in parentheses ("(sende | oversende)"), or two such
operands joined by one proximity operator, as in WordStat:
- `A NEAR/n B`: A and B within n words of each other, in either order ("få NEAR/2 vite");
- `A BEFORE/n B`: B at most n words after A;
- `A NOT NEAR/n B`, `A NOT BEFORE/n B`: A, unless B is that close (a veto for one sense of A).
Distance counts words: adjacent words are 1 apart. One word alone is too broad for some
concepts ("forstå"), but near a second one ("ulikt") it is not; these rules say so.
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
    """Parse a phrase (no operators or parentheses) into its sequence of word tests."""
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


NEAR, BEFORE = "near", "before"
MAX_DISTANCE = 50  # words; a unit is a sentence, so more would mean "anywhere in it"
_TOKEN = re.compile(r"[()|]|[^\s()|]+")
_OPERATOR = re.compile(r"^(NEAR|BEFORE)/(\d+)$")
_BARE_OPERATOR = re.compile(r"^(?:NEAR|BEFORE)(?:/.*)?$")

Phrase = tuple[Word, ...]


@dataclass(frozen=True)
class Rule:
    """A parsed pattern: alternatives on the left, and optionally an operator and a right side.

    Without an operator the rule is a plain term: any of the `left` phrases. With one, a hit
    of a `left` phrase counts when a `right` phrase is within `distance` words (NEAR: either
    side; BEFORE: after it), or, when `negated`, when none is.
    """

    left: tuple[Phrase, ...]
    op: str = ""
    distance: int = 0
    negated: bool = False
    right: tuple[Phrase, ...] = ()

    @property
    def proximity(self) -> bool:
        """Whether the rule needs a second phrase nearby (or vetoes one): evidence of its own kind."""
        return bool(self.op)


def parse_rule(pattern: str) -> Rule:
    """Parse a pattern with the full language: phrases, (a | b) choices and one operator."""
    if not isinstance(pattern, str):
        raise PatternError("a pattern must be a string")
    tokens = _TOKEN.findall(pattern)
    if not tokens:
        raise PatternError("empty pattern")
    operator_at = [i for i, t in enumerate(tokens) if _OPERATOR.match(t)]
    for token in tokens:
        if _BARE_OPERATOR.match(token) and not _OPERATOR.match(token):
            raise PatternError(f"{token!r} needs a distance in words, as in 'NEAR/5' or 'BEFORE/3'")
    if len(operator_at) > 1:
        raise PatternError(f"one operator per pattern, not {len(operator_at)}, in {pattern!r}")
    if not operator_at:
        if "NOT" in tokens:
            raise PatternError(f"'NOT' must be followed by NEAR/n or BEFORE/n in {pattern!r}")
        return Rule(_operand(tokens, pattern))
    at = operator_at[0]
    kind, number = _OPERATOR.match(tokens[at]).groups()  # type: ignore[union-attr]
    distance = int(number)
    if not 1 <= distance <= MAX_DISTANCE:
        raise PatternError(f"distance must be 1 to {MAX_DISTANCE} words, not {distance}, in {pattern!r}")
    negated = at > 0 and tokens[at - 1] == "NOT"
    left_tokens = tokens[: at - 1] if negated else tokens[:at]
    right_tokens = tokens[at + 1 :]
    if "NOT" in left_tokens or "NOT" in right_tokens:
        raise PatternError(f"'NOT' must stand right before NEAR/n or BEFORE/n in {pattern!r}")
    if not left_tokens or not right_tokens:
        raise PatternError(f"{tokens[at]} needs a phrase on each side in {pattern!r}")
    return Rule(_operand(left_tokens, pattern), kind.lower(), distance, negated, _operand(right_tokens, pattern))


def _operand(tokens: list[str], pattern: str) -> tuple[Phrase, ...]:
    """One side of a rule: a phrase, or a choice of phrases in parentheses."""
    if tokens[0] != "(":
        if any(t in "()|" for t in tokens):
            raise PatternError(f"'|' and parentheses must enclose a whole side, as in '(a | b)', in {pattern!r}")
        return (parse_pattern(" ".join(tokens)),)
    if tokens[-1] != ")" or tokens.count("(") != 1 or tokens.count(")") != 1:
        raise PatternError(f"unbalanced or nested parentheses in {pattern!r}")
    choices: list[Phrase] = []
    current: list[str] = []
    for token in [*tokens[1:-1], "|"]:
        if token != "|":
            current.append(token)
            continue
        if not current:
            raise PatternError(f"empty choice between '|' in {pattern!r}")
        choices.append(parse_pattern(" ".join(current)))
        current = []
    return tuple(choices)
