"""Keyword in context: every place a word or codebook pattern occurs in the coded notes.

The pattern is matched exactly as a codebook term would be (same parser, same Matcher),
so `kwic` answers "what would this term code?" before it goes into the codebook.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..coded.note import CodedNote
from ..coding.codebook import Code, Codebook, ContextRules
from ..coding.matcher import Hit, Matcher, tokenizer
from ..coding.patterns import PatternError, parse_pattern
from ..errors import DialogtoolError

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class KwicLine:
    """One occurrence: the words before it, the matched text, the words after it."""

    document: str
    id: str
    left: str
    match: str
    right: str


def pattern_matcher(pattern: str) -> Matcher:
    """A Matcher over a single pattern; a malformed one is a user error with the parser's reason."""
    try:
        parse_pattern(pattern)
    except PatternError as exc:
        raise DialogtoolError(f"malformed pattern {pattern!r}: {exc}") from None
    code = Code("TERM", pattern, "", None, (pattern,), (), None, 0)
    return Matcher(Codebook("<kwic>", "", (code,), ContextRules(False, False, False), ""))


def kwic(documents: Sequence[CodedNote], pattern: str, width: int = 40) -> list[KwicLine]:
    """Occurrences of `pattern` in the segments' texts, in document and segment order.

    Context stays within the segment (a sentence), keeps the characters around the match
    as they are (so "IP-planen" reads whole), and is cut to `width` characters with "…"
    where it was cut; runs of whitespace show as one space.
    """
    matcher = pattern_matcher(pattern)
    lines = []
    for doc in documents:
        for seg in doc.segments:
            text = seg.text
            spans = sorted({(h.start, h.end) for h in text_hits(matcher, text)})
            for start, end in spans:
                left = _SPACE.sub(" ", text[:start])
                right = _SPACE.sub(" ", text[end:])
                if len(left) > width:
                    left = "…" + left[len(left) - width + 1 :]
                if len(right) > width:
                    right = right[: width - 1] + "…"
                lines.append(KwicLine(doc.document, seg.id, left, text[start:end], right))
    return lines


def text_hits(matcher: Matcher, text: str) -> list[Hit]:
    """`matcher.hits(words_of(text))`, but 3x faster, which matters when searching every segment.

    Reads the tokens' hashes and offsets as arrays and looks each token up once in the
    matcher's per-token cache, as `match.code_note` does, instead of building a Part per word.
    """
    doc = tokenizer()(text)  # first: it imports spaCy (without its command line)
    from spacy.attrs import IDX, ORTH

    if not len(doc):
        return []
    strings = doc.vocab.strings
    cache = matcher.by_orth
    words = []
    number = 0  # word number of the token's first word, as words_of counts them
    for orth, start in doc.to_array([ORTH, IDX]).tolist():
        count, hot = cache.get(orth) or matcher.token_entry(orth, strings[orth])
        words += [(number + k, start + a, start + b, ids) for k, a, b, ids in hot]
        number += count
    return matcher.hits_in(words)
