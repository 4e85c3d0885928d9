"""Find codebook terms in segments and decide each segment's codes.

Text is tokenised by spaCy's blank Norwegian tokenizer; each token is split further at
hyphens and slashes ("IP-planen" -> "IP", "planen"), and every distinct word is tested
against the codebook once and remembered, so the cost grows with the vocabulary, not
with the corpus.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any, Final, NamedTuple

from ..ingest.segment import Segment
from ..langdata import ABBREVIATION_WORDS, ACRONYM_HOMOGRAPHS
from . import memo as memos
from .codebook import Codebook
from .context import SegmentCoding, apply_context
from .lemma_tables import cache_folder
from .lemmas import base_keys, word_keys
from .patterns import ACRONYM, EXACT, INFIX, NEAR, PART_SPLIT, PLAIN, PREFIX, SUFFIX, Word, parse_rule
from .spacy_import import import_spacy


@dataclass(frozen=True)
class Part:
    """A word of the text: its characters and offsets in the normalised note."""

    text: str
    start: int
    end: int


class Hit:
    """One pattern found in the text; `proximity` when it took a NEAR/BEFORE rule to find it.

    Immutable like a frozen dataclass (mypy rejects setting a `Final` field; compiled, so does
    Python), but a plain class: a note makes about 80 hits, and compiled this one is made in
    0.19 µs against 0.84 µs for the dataclass, whose generated `__init__` is interpreted and sets
    each field through `object.__setattr__` (2 % of the instructions a note costs).
    """

    def __init__(self, code: str, pattern: str, start: int, end: int, exclude: bool, proximity: bool = False) -> None:
        self.code: Final = code
        self.pattern: Final = pattern
        self.start: Final = start
        self.end: Final = end
        self.exclude: Final = exclude
        self.proximity: Final = proximity

    def _fields(self) -> tuple[str, str, int, int, bool, bool]:
        return self.code, self.pattern, self.start, self.end, self.exclude, self.proximity

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Hit) and self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        names = ("code", "pattern", "start", "end", "exclude", "proximity")
        return "Hit(" + ", ".join(f"{name}={value!r}" for name, value in zip(names, self._fields(), strict=True)) + ")"


@dataclass(frozen=True)
class _Rule:
    """A codebook pattern compiled to phrase ids (see patterns.Rule)."""

    code: str
    text: str
    exclude: bool
    left: tuple[int, ...]
    op: str
    distance: int
    negated: bool
    right: tuple[int, ...]
    shouted_homograph: bool  # a lone acronym that is also a common word when shouted ("ME", Nynorsk "we")
    lone_acronym: bool  # a lone acronym: not a diagnosis before a quoted name («MS «Fjordglimt»»: a ship)


_TOKENIZER: Any = None


def tokenizer() -> Any:
    """spaCy's blank Bokmål tokenizer over a bare vocabulary, built once per process (it is slow to create).

    `spacy.blank("nb")`'s vocabulary works out two dozen attributes of every word it has not
    seen before (shape, stop word, like a number, …): 18 µs a word, 0.26 s of 1,000 notes with
    14,600 distinct words. Only the tokens' text and offsets are read here, so the same rules
    (special cases, prefixes, suffixes, infixes, URL and token matches) run over a `Vocab` that
    computes none: the same tokens (a test compares them), without that cost.

    The tokenizer is made from the language's defaults the way spaCy's own tokenizer factory
    makes it (`spacy.language.create_tokenizer`), not taken from `spacy.blank("nb")`: a blank
    pipeline also fills spaCy's registries (which imports the Japanese, Korean, Chinese, Thai
    and Vietnamese modules) and validates its config, 25 ms of every `code` run for nothing used.
    """
    global _TOKENIZER
    if _TOKENIZER is None:
        import_spacy()  # without its command line: see spacy_import
        from spacy.lang.nb import Norwegian
        from spacy.tokenizer import Tokenizer
        from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex
        from spacy.vocab import Vocab

        defaults = Norwegian.Defaults
        _TOKENIZER = Tokenizer(
            Vocab(),
            rules=defaults.tokenizer_exceptions,
            prefix_search=compile_prefix_regex(defaults.prefixes).search,
            suffix_search=compile_suffix_regex(defaults.suffixes).search,
            infix_finditer=compile_infix_regex(defaults.infixes).finditer,
            token_match=defaults.token_match,
            url_match=defaults.url_match,
        )
    return _TOKENIZER


_PIECES: dict[str, tuple[tuple[int, str], ...]] = {}


def _pieces(token_text: str) -> tuple[tuple[int, str], ...]:
    """(offset, text) of a token's words: split at hyphens and slashes, punctuation dropped."""
    found = _PIECES.get(token_text)
    if found is not None:
        return found
    pieces = []
    position = 0
    for piece in PART_SPLIT.split(token_text):
        at = token_text.index(piece, position) if piece else position
        position = at + len(piece)
        stripped = piece.strip("'’")
        if stripped and any(c.isalnum() for c in stripped):
            pieces.append((at + piece.index(stripped), stripped))
    found = _PIECES[token_text] = tuple(pieces)
    return found


def words_of(text: str, offset: int = 0) -> list[Part]:
    """The words of `text`, split at hyphens and slashes, with absolute offsets."""
    parts: list[Part] = []
    for token in tokenizer()(text):
        base = offset + token.idx
        for at, piece in _pieces(token.text):
            parts.append(Part(piece, base + at, base + at + len(piece)))
    return parts


_SPLIT_MARKS = frozenset(",;:!?)")  # spaCy splits these off the end of any token (its LIST_PUNCT)
# after these, a full stop is split off too (spaCy's ALPHA_LOWER holds them); not after a capital: «K.» is an initial
_SMALL_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzæøåéèêóòôüäö")
_RUN = re.compile(r"\S+")  # what spaCy's tokenizer splits first: runs of characters `str.isspace` is false for
_Steps = tuple[tuple[int, tuple[int, ...]], ...]
_Plan = tuple[_Steps, tuple[int, ...], frozenset[int]]  # see `Matcher._starting`
_RunEntry = tuple[int, tuple[tuple[int, int, int, frozenset[int]], ...], tuple[str, ...]]


class _Specials(NamedTuple):
    ends: dict[str, tuple[str, ...]]  # the end of a special case of several tokens -> its starts
    longest: int  # characters in the longest of those ends
    any_case: re.Pattern[str]  # any special case's text, the longest first


@cache
def _specials() -> _Specials:
    """Every tokenizer special case of several tokens cut in two between tokens: its end -> its starts.

    A special case may only span two runs where a run ends with one of its starts and the next,
    after one space, begins with the matching end as whole tokens (see `Matcher.run_words`).
    Its tokens are those of its text split without special cases, which spaCy matches.
    """
    from spacy.tokenizer import Tokenizer

    nlp = tokenizer()
    bare = Tokenizer(
        nlp.vocab,
        rules={},
        prefix_search=nlp.prefix_search,
        suffix_search=nlp.suffix_search,
        infix_finditer=nlp.infix_finditer,
        token_match=nlp.token_match,
        url_match=nlp.url_match,
    )
    cuts: dict[str, list[str]] = defaultdict(list)
    rules = [rule for rule in nlp.rules if rule and not any(c.isspace() for c in rule)]
    for rule in rules:
        pieces = [token.text for token in bare(rule)]
        for n in range(1, len(pieces)):
            cuts["".join(pieces[n:])].append("".join(pieces[:n]))
    longest_first = sorted(rules, key=len, reverse=True)
    return _Specials(
        {end: tuple(starts) for end, starts in cuts.items()},
        max(map(len, cuts), default=0),
        re.compile("|".join(map(re.escape, longest_first))),
    )


def _heads(run: str, bounds: set[int]) -> tuple[str, ...]:
    """The starts of the special cases that the run's first tokens would complete (`_specials`).

    `bounds` are where the run's tokens start and end. A special case applied inside the run may
    have joined the tokens spaCy matched on, so an end that stops inside one counts as well.
    """
    specials = _specials()
    heads: list[str] = []
    for n in range(1, min(len(run), specials.longest) + 1):
        starts = specials.ends.get(run[:n])
        if starts and (n in bounds or _inside_special_case(run, n, specials.any_case)):
            heads += starts
    return tuple(heads)


def _inside_special_case(run: str, n: int, cases: re.Pattern[str]) -> bool:
    """Whether the text of some special case covers both run[n - 1] and run[n]."""
    for i in range(n):
        match = cases.match(run, i)  # the longest special case at i: its alternatives are longest first
        if match and match.end() > n:
            return True
    return False


_CHUNK = 100_000  # characters per tokenizer call: bounds the Doc's memory on long notes


def _token_table(text: str) -> tuple[list[int], list[int], Any]:
    """Each token's text hash and start offset, read as arrays rather than token by token.

    Long texts are tokenised a stretch of paragraphs at a time, so memory stays bounded.
    """
    nlp = tokenizer()  # first: it imports spaCy
    from spacy.attrs import IDX, ORTH

    orths: list[int] = []
    starts: list[int] = []
    begin = 0
    while begin < len(text):
        end = len(text) if len(text) - begin <= _CHUNK else text.rfind("\n\n", begin + 1, begin + _CHUNK)
        if end <= begin:
            end = text.find("\n\n", begin + _CHUNK)
            end = len(text) if end < 0 else end
        doc = nlp(text[begin:end])
        if len(doc):
            table = doc.to_array([ORTH, IDX])
            orths += table[:, 0].tolist()
            starts += table[:, 1].tolist() if not begin else [begin + i for i in table[:, 1].tolist()]
        begin = end
    return orths, starts, nlp.vocab.strings


class Matcher:
    """All the codebook's patterns, compiled for fast lookup.

    Patterns are compiled to phrases (runs of word tests, each phrase stored once) and rules
    over phrases. A segment's phrases are found first; each rule is then checked only where
    one of its left-hand phrases occurs, so proximity rules cost nothing on text without them.
    """

    def __init__(self, codebook: Codebook) -> None:
        self.codebook = codebook
        self.words: list[Word] = []
        self._word_ids: dict[Word, int] = {}
        self.phrases: list[tuple[int, ...]] = []
        self._phrase_ids: dict[tuple[int, ...], int] = {}
        self.rules: list[_Rule] = []
        for code in codebook.codes:
            for text in code.terms:
                self._add(code.id, text, False)
            for text in code.exclude:
                self._add(code.id, text, True)
        self.by_first: dict[int, list[int]] = defaultdict(list)
        for pid, ids in enumerate(self.phrases):
            self.by_first[ids[0]].append(pid)
        self.rules_by_left: dict[int, list[_Rule]] = defaultdict(list)
        for rule in self.rules:
            for pid in rule.left:
                self.rules_by_left[pid].append(rule)
        self._plans = {pid: _left_plan(rules) for pid, rules in self.rules_by_left.items()}
        self.proximity_patterns = frozenset(r.text for r in self.rules if r.op)
        # Words that code a unit on their own: those of plain terms and of the left side of a
        # NOT rule. A word that only ever stands beside another in a NEAR rule, or in an
        # exclusion, is not covered by the codebook (what `suggest` asks).
        self.coding_words = frozenset(
            wid
            for rule in self.rules
            if not rule.exclude and (not rule.op or rule.negated)
            for pid in rule.left
            for wid in self.phrases[pid]
        )
        self._index()
        self._cache: dict[str, frozenset[int]] = {}
        self._memo: memos.Memo | None = None
        self._starts: dict[frozenset[int], _Plan] = {}
        self.by_orth: dict[int, tuple[int, tuple[tuple[int, int, int, frozenset[int]], ...]]] = {}
        self._runs: dict[str, _RunEntry] = {}

    def _add(self, code: str, text: str, exclude: bool) -> None:
        rule = parse_rule(text)
        left = tuple(self._phrase(p) for p in rule.left)
        right = tuple(self._phrase(p) for p in rule.right)
        lone = rule.left[0][0] if len(rule.left) == 1 and len(rule.left[0]) == 1 else None
        acronym = lone is not None and lone.kind == ACRONYM
        shouted = acronym and lone is not None and lone.text.lower() in ACRONYM_HOMOGRAPHS
        self.rules.append(
            _Rule(code, text, exclude, left, rule.op, rule.distance, rule.negated, right, shouted, acronym)
        )

    def _phrase(self, words: tuple[Word, ...]) -> int:
        ids = []
        for word in words:
            if word not in self._word_ids:
                self._word_ids[word] = len(self.words)
                self.words.append(word)
            ids.append(self._word_ids[word])
        key = tuple(ids)
        if key not in self._phrase_ids:
            self._phrase_ids[key] = len(self.phrases)
            self.phrases.append(key)
        return self._phrase_ids[key]

    def _index(self) -> None:
        """Lookup tables: exact strings to word ids, prefixes and suffixes by length."""
        self.plain: dict[str, list[int]] = defaultdict(list)
        self.exact: dict[str, list[int]] = defaultdict(list)
        self.acronym: dict[str, list[int]] = defaultdict(list)
        self.prefix: dict[str, list[int]] = defaultdict(list)
        self.suffix: dict[str, list[int]] = defaultdict(list)
        self.infix: list[tuple[str, int]] = []
        for wid, word in enumerate(self.words):
            if word.kind == PLAIN:
                for key in base_keys(word.text):
                    self.plain[key].append(wid)
            elif word.kind == EXACT:
                self.exact[word.text].append(wid)
            elif word.kind == ACRONYM:
                self.acronym[word.text].append(wid)
            elif word.kind == PREFIX:
                self.prefix[word.text].append(wid)
            elif word.kind == SUFFIX:
                self.suffix[word.text].append(wid)
            elif word.kind == INFIX:
                self.infix.append((word.text, wid))
        self.prefix_lengths = sorted({len(k) for k in self.prefix})
        self.suffix_lengths = sorted({len(k) for k in self.suffix})
        # The lengths to try, by a word's first (last) character: 20 prefix lengths in all, and
        # a word's first letter starts prefixes of two or three. None: an empty one matches any word.
        self._prefix_lengths_by = _lengths_by(self.prefix, 0)
        self._suffix_lengths_by = _lengths_by(self.suffix, -1)
        needles = [needle for needle, _ in self.infix]
        self._any_infix = re.compile("|".join(map(re.escape, needles))) if needles else None  # one scan, not 25

    def token_entry(self, orth: int, token_text: str) -> tuple[int, tuple[tuple[int, int, int, frozenset[int]], ...]]:
        """For one token: its number of words, and (word index, start, end, ids) of those
        that some pattern word matches; cached by the token's hash."""
        pieces = _pieces(token_text)
        hot = []
        for k, (at, piece) in enumerate(pieces):
            ids = self.word_ids(piece)
            if ids:
                hot.append((k, at, at + len(piece), ids))
        entry = (len(pieces), tuple(hot))
        self.by_orth[orth] = entry
        return entry

    @cached_property
    def lowered_acronyms(self) -> re.Pattern[str] | None:
        """The codebook's acronyms in lower case, as whole words («ke», «ip»; not «ip-telefon»),
        for notes typed all in lower case; not those that are also common words in lower case
        (`ACRONYM_HOMOGRAPHS`: Nynorsk «me» is «we»), nor any that upper-case to another length."""
        forms = sorted(
            a.lower() for a in self.acronym if a.lower() not in ACRONYM_HOMOGRAPHS and len(a.lower()) == len(a)
        )
        if not forms:
            return None
        return re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, forms)) + r")(?![\w-])")

    def run_words(self, text: str) -> list[tuple[int, int, int, frozenset[int]]] | None:
        """(word number, start, end, ids) of the words of `text` that some pattern word matches,
        worked out once per distinct run of non-space characters; None where only spaCy's
        tokens of the whole text are sure to give them (`_token_words` then does).

        spaCy's tokenizer splits the text at whitespace first and tokenises each run on its own
        (`Tokenizer._tokenize_affixes`); only its last step, the special cases made of several
        tokens (`_apply_special_cases`, «f.eks.», «:-)»), looks across runs. A match across a
        space never applies, since no such rule holds a space, but as the longer match it can
        stand in the way of a shorter one inside a run. So a run is looked up as a whole, which
        is most of a note's tokens for one dictionary lookup, and spaCy's pass over the whole
        note (0.2 ms a note) and the loop over its tokens are left out, unless a run starts
        with the end of such a rule, right after a run that ends with the rest of it; in the
        bench corpora that never happens. A test compares both over the sample notes and
        made-up texts full of abbreviations and emoticons.
        """
        runs = self._runs
        words: list[tuple[int, int, int, frozenset[int]]] = []
        number = 0  # word number of the run's first word
        end = 0  # where the run before ends
        for run in text.split():
            # only whitespace lies between the run before and this one, and a run holds none
            start = text.find(run, end)
            end = start + len(run)
            entry = runs.get(run)
            if entry is None:
                if not self._add_word(run, tokenizer().rules):  # most new runs: no spaCy needed
                    # the first that spaCy must tokenise: all the text's new runs go now, in one call
                    self._add_runs(sorted(set(_RUN.findall(text, start)).difference(runs)))
                entry = runs[run]
            count, hot, heads = entry
            if hot or heads:  # half the runs have neither: their place is not needed
                # right after a run and one space: `heads` hold no space, so they can only end that run
                after = start > 1 and text[start - 1] == " " and not text[start - 2].isspace()
                if heads and after and any(text.endswith(left, 0, start - 1) for left in heads):
                    return None
                for k, a, b, ids in hot:
                    words.append((number + k, start + a, start + b, ids))
            number += count
        return words

    def _add_runs(self, new: list[str]) -> None:
        """Each new run's number of words, its words that patterns match (see `token_entry`), and
        the starts of tokenizer special cases its beginning would complete (see `run_words`).

        The runs are tokenised as one text, a line break between two: a call of spaCy's
        tokenizer costs 25 µs before its first token, and a note brings a dozen new runs. A
        line break is a token of its own, so no special case spans two runs, and each run gets
        the tokens it gets alone. At most `_CHUNK` characters go to spaCy at a time, as in
        `_token_table`, so a long note of new words does not make one huge Doc.
        """
        rules = tokenizer().rules
        new = [run for run in new if not self._add_word(run, rules)]
        batch: list[str] = []
        size = 0
        for run in new:
            if batch and size + len(run) > _CHUNK:
                self._tokenise_runs(batch)
                batch, size = [], 0
            batch.append(run)
            size += len(run) + 1
        if batch:
            self._tokenise_runs(batch)

    def _tokenise_runs(self, new: list[str]) -> None:
        """`_add_runs` for runs that spaCy must tokenise, joined by line breaks."""
        from spacy.attrs import IDX, ORTH

        nlp = tokenizer()
        strings = nlp.vocab.strings
        table = nlp("\n".join(new)).to_array([ORTH, IDX]).tolist()
        row = 0
        begin = 0  # where the run starts in the joined text
        for run in new:
            end = begin + len(run)
            number = 0
            hot = []
            bounds = {len(run)}  # where its tokens start and end (they touch: no space inside a run)
            while row < len(table) and table[row][1] < end:
                orth, at = table[row]
                row += 1
                if at < begin:  # the line break before the run
                    continue
                at -= begin
                bounds.add(at)
                count, token_hot = self.by_orth.get(orth) or self.token_entry(orth, strings[orth])
                for k, a, b, ids in token_hot:
                    hot.append((number + k, at + a, at + b, ids))
                number += count
            self._runs[run] = (number, tuple(hot), _heads(run, bounds))
            begin = end + 1

    def _add_word(self, run: str, rules: dict[str, Any]) -> bool:
        """A run of letters only, which spaCy's tokenizer leaves whole, is one word; a word with a
        comma, colon, semicolon, «!», «?» or «)» after it, or a full stop after a small letter,
        is that word and a token of punctuation (spaCy's suffix rules split them off, and the
        word is none of its special cases: a test checks both). Such a run is added without
        spaCy, as nine new runs in ten are. False for any other run."""
        word = run
        if not run.isalpha():
            word, mark = run[:-1], run[-1]
            if mark not in _SPLIT_MARKS and (mark != "." or word[-1:] not in _SMALL_LETTERS):
                return False
            if not word.isalpha() or word in rules:
                return False
        if run in rules:
            return False
        ids = self.word_ids(word)
        self._runs[run] = (1, ((0, 0, len(word), ids),) if ids else (), _heads(run, {len(word), len(run)}))
        return True

    def covers(self, text: str) -> bool:
        """Whether a word of the text would code a unit by itself (see `coding_words`)."""
        return not self.coding_words.isdisjoint(self.word_ids(text))

    def word_ids(self, text: str) -> frozenset[int]:
        """Ids of the pattern words that a text word satisfies (cached per distinct word)."""
        found = self._cache.get(text)
        if found is None:
            found = self._cache[text] = self._first_sight(text)
        return found

    def _first_sight(self, text: str) -> frozenset[int]:
        """`word_ids` of a word this process has not seen: from the memo when a run has (`use_memo`)."""
        memo = self._memo
        if memo is None:
            return frozenset(self._compute(text))
        known = memo.get(text)
        if known is not None:
            return frozenset(known)
        ids = self._compute(text)
        memo.add(text, tuple(sorted(ids)))
        return frozenset(ids)

    def use_memo(self) -> None:
        """Keep `word_ids`' answers across runs, in the user's cache folder (`memo`), for `code`.

        Testing a word that no run has seen against all the codebook's words costs 10–25 µs;
        the answers hold while the codebook's compiled words, the code that tests them and
        the lemmas are the same, which is what the memo's key is made of.
        """
        from .lemma_memo import memo as lemma_memo

        lemmas = lemma_memo().key  # empty when lemmas are not kept: then neither are these
        here = Path(__file__).parent
        sources = memos.source_bytes([here / "matcher.py", here / "patterns.py", here.parent / "langdata.py"])
        if not lemmas or sources is None:
            return
        key = memos.memo_key([lemmas.encode("ascii"), repr(self.words).encode("utf-8"), *sources])
        self._memo = memos.opened(f"words-{key}", lambda: memos.Memo(cache_folder() / "words.memo", key))

    def _compute(self, text: str) -> set[int]:
        ids: set[int] = set(self.acronym.get(text, ()))
        lower = text.lower()
        if (full := ABBREVIATION_WORDS.get(lower.rstrip("."))) is not None:
            ids.update(self._compute(full))  # «tlf.» matches what «telefon» matches
        ids.update(self.exact.get(lower, ()))
        keys = word_keys(lower) if self.plain or self.suffix else frozenset((lower,))
        for key in keys:
            ids.update(self.plain.get(key, ()))
        by_first, by_last = self._prefix_lengths_by, self._suffix_lengths_by
        for n in self.prefix_lengths if by_first is None else by_first.get(lower[:1], ()):
            if n > len(lower):
                break
            ids.update(self.prefix.get(lower[:n], ()))
        for key in keys:
            for n in self.suffix_lengths if by_last is None else by_last.get(key[-1:], ()):
                if n > len(key):
                    break
                ids.update(self.suffix.get(key[-n:], ()))
        if self._any_infix is not None and self._any_infix.search(lower):
            for needle, wid in self.infix:
                if needle in lower:
                    ids.add(wid)
        return ids

    def hits(self, parts: Sequence[Part], text: str | None = None) -> list[Hit]:
        """Every pattern occurrence in a run of words (one segment); `text` is what the
        parts' offsets point into, needed for the sense rule on shouted acronyms."""
        words = [(n, p.start, p.end, ids) for n, p in enumerate(parts) if (ids := self.word_ids(p.text))]
        return self.hits_in(words, text)

    def hits_in(self, words: Sequence[tuple[int, int, int, frozenset[int]]], text: str | None = None) -> list[Hit]:
        """`hits` over the matching words only: (word number, start, end, ids), in order.

        A phrase matches where its words carry consecutive word numbers, so leaving out
        the words that match nothing loses no phrase, and word numbers still measure the
        distance a NEAR or BEFORE rule asks for.
        """
        found = self._phrase_hits(words)
        hits: list[Hit] = []
        keys = found.keys()
        plans = self._plans
        for pid, places in found.items():
            plan = plans.get(pid)
            if plan is None:
                continue
            rules, without_near, rights = plan
            for rule in rules if not keys.isdisjoint(rights) else without_near:
                # A proximity rule whose right-hand phrases are not in the segment: NEAR and BEFORE
                # cannot hold anywhere, NOT vetoes nothing. Seen first, it spares checking each
                # place (about 200 checks a note, 95 % of them for nothing).
                near = bool(rule.op) and not found.keys().isdisjoint(rule.right)
                if rule.op and not near and not rule.negated:
                    continue
                for place in places:
                    if near:
                        span = _apply(rule, place, found)
                        if span is None:
                            continue
                    else:
                        span = place[2], place[3]
                    if rule.shouted_homograph and text is not None and _shouted(text, place[2], place[3]):
                        continue
                    if rule.lone_acronym and text is not None and _QUOTED_NAME.match(text, place[3]):
                        continue
                    hits.append(Hit(rule.code, rule.text, span[0], span[1], rule.exclude, bool(rule.op)))
        return hits

    def _phrase_hits(
        self, words: Sequence[tuple[int, int, int, frozenset[int]]]
    ) -> dict[int, list[tuple[int, int, int, int]]]:
        """Phrase id -> its occurrences as (first word number, last word number, start, end).

        Most phrases are one word long and found without looking further; the phrases a word
        can start are worked out once per distinct set of word ids (see `_starting`).
        """
        found: dict[int, list[tuple[int, int, int, int]]] = {}
        count = len(words)
        starts = self._starts
        for i, (number, start, end, ids) in enumerate(words):
            plan = starts.get(ids)
            if plan is None:
                plan = self._starting(ids)
            steps, alone, seconds = plan
            if not seconds or i + 1 == count or words[i + 1][0] != number + 1 or seconds.isdisjoint(words[i + 1][3]):
                # No longer phrase can go on here (one set test instead of one per phrase): the
                # word's one-word phrases share one place.
                place = (number, number, start, end)
                for pid in alone:
                    occurrences = found.get(pid)
                    if occurrences is None:
                        found[pid] = [place]
                    else:
                        occurrences.append(place)
                continue
            for pid, rest in steps:
                if rest:
                    last = i + len(rest)
                    if last >= count:
                        continue
                    # The next word first, inline: most phrases a word can start stop there,
                    # and a generator for each was a tenth of coding a note.
                    after = words[i + 1]
                    if after[0] != number + 1 or rest[0] not in after[3]:
                        continue
                    if len(rest) > 1 and not all(
                        words[i + k][0] == number + k and wid in words[i + k][3] for k, wid in enumerate(rest[1:], 2)
                    ):
                        continue
                    place = (number, number + len(rest), start, words[last][2])
                else:
                    place = (number, number, start, end)
                occurrences = found.get(pid)
                if occurrences is None:
                    found[pid] = [place]
                else:
                    occurrences.append(place)
        return found

    def _starting(self, ids: frozenset[int]) -> _Plan:
        """The phrases a word with `ids` can start, as (phrase id, the phrase's other word ids):
        all of them; the ids of the one-word ones (in the same order, so hits come out as before); and
        the second words of the longer ones, which the next word must have for any to go on."""
        steps = tuple((pid, self.phrases[pid][1:]) for wid in ids for pid in self.by_first.get(wid, ()))
        alone = tuple(pid for pid, rest in steps if not rest)
        plan = self._starts[ids] = (steps, alone, frozenset(rest[0] for _, rest in steps if rest))
        return plan

    @cached_property
    def literal_terms(self) -> list[str]:
        """The plain words of all terms, for the grep baseline of the benchmark."""
        return sorted({w.text for w in self.words if w.kind in (PLAIN, EXACT, ACRONYM)})


def _lengths_by(affixes: dict[str, list[int]], at: int) -> dict[str, list[int]] | None:
    """The lengths of `affixes` by their character at `at` (0: first, -1: last), each list
    sorted; None when one of them is empty, which matches every word."""
    if "" in affixes:
        return None
    lengths: dict[str, set[int]] = defaultdict(set)
    for affix in affixes:
        lengths[affix[at]].add(len(affix))
    return {char: sorted(found) for char, found in lengths.items()}


def _left_plan(rules: list[_Rule]) -> tuple[tuple[_Rule, ...], tuple[_Rule, ...], frozenset[int]]:
    """A left phrase's rules; the same without its NEAR and BEFORE rules; and every right-hand
    phrase of those. A common word is the left side of dozens of NEAR rules: when none of their
    right-hand phrases is in the segment, all of them are passed over at once."""
    near = [r for r in rules if r.op and not r.negated]
    rights = frozenset(pid for r in near for pid in r.right)
    return tuple(rules), tuple(r for r in rules if not r.op or r.negated), rights


def _apply(
    rule: _Rule, place: tuple[int, int, int, int], found: dict[int, list[tuple[int, int, int, int]]]
) -> tuple[int, int] | None:
    """The character span a rule covers at one occurrence of its left phrase, or None.

    Adjacent words are 1 apart. A right-hand phrase overlapping the left one never satisfies
    NEAR (it would be the same words), but does trigger a NOT veto.
    """
    first, last, start, end = place
    if not rule.op:
        return start, end
    for pid in rule.right:
        for r_first, r_last, r_start, r_end in found.get(pid, ()):
            overlap = r_first <= last and first <= r_last
            after = 1 <= r_first - last <= rule.distance
            before = rule.op == NEAR and 1 <= first - r_last <= rule.distance
            if rule.negated and (overlap or after or before):
                return None
            if not rule.negated and (after or before):
                return min(start, r_start), max(end, r_end)
    return (start, end) if rule.negated else None


_WORD_BEFORE = re.compile(r"([^\W\d_]+)[^\w\n]*$")
_WORD_AFTER = re.compile(r"^[^\w\n]*([^\W\d_]+)")


# An acronym right before a quoted name is part of the name: «MS «Fjordglimt»» is a ship (motor
# ship), «MS "Nordstjernen"» too, not multiple sclerosis.
_QUOTED_NAME = re.compile(r"[ \t]?[«\"“][A-ZÆØÅ]")


def _shouted(text: str, start: int, end: int) -> bool:
    """Whether the words on both sides of [start, end) are written in capitals too: then an
    acronym that is also a common word ("ME" = Nynorsk "we") is that word, shouted."""
    before = _WORD_BEFORE.search(text, max(0, start - 40), start)
    after = _WORD_AFTER.search(text[end : end + 40])
    return bool(before and after and before.group(1).isupper() and after.group(1).isupper())


def code_hits(hits: Sequence[Hit]) -> dict[str, tuple[str, ...]]:
    """Code -> matched patterns, after exclusions veto the hits they overlap.

    An exclusion vetoes hits of its own code and of the code's children, so a sense rule
    written once on a theme (a department is not a patient group) holds for all its codes.
    """
    vetoes = [h for h in hits if h.exclude]
    terms: dict[str, set[str]] = defaultdict(set)
    if not vetoes:  # most segments: nothing to test each hit against
        for hit in hits:
            terms[hit.code].add(hit.pattern)
        return {code: tuple(sorted(found)) for code, found in terms.items()}
    for hit in hits:
        if hit.exclude:
            continue
        if any(
            (v.code == hit.code or hit.code.startswith(v.code + ".")) and v.start < hit.end and hit.start < v.end
            for v in vetoes
        ):
            continue
        terms[hit.code].add(hit.pattern)
    return {code: tuple(sorted(found)) for code, found in terms.items()}


def code_note(text: str, segments: Sequence[Segment], matcher: Matcher) -> list[SegmentCoding]:
    """Code every segment of one note: its own terms first, then the context rules (`context`)."""
    if (lowered := matcher.lowered_acronyms) is not None and typed_in_lower_case(segments):
        text = lowered.sub(_raised, text)  # same length: the segments' offsets still hold
    words = matcher.run_words(text)
    if words is None:
        words = _token_words(text, matcher)
    own: list[dict[str, tuple[str, ...]]] = []
    cursor = 0
    for seg in segments:
        while cursor < len(words) and words[cursor][1] < seg.start:
            cursor += 1
        first = cursor
        while cursor < len(words) and words[cursor][2] <= seg.end:
            cursor += 1
        span = words[first:cursor]
        own.append(code_hits(matcher.hits_in(span, text)) if span else {})
    return apply_context(segments, own, matcher.codebook)


# A note typed in a hurry, all in lower case, writes its acronyms so too («mange vet ikke om ke
# finnes»): at least this share of its lines, and this many, open in lower case.
_LOWER_CASE_SHARE = 2 / 3
_LOWER_CASE_LINES = 5


def typed_in_lower_case(segments: Sequence[Segment]) -> bool:
    """Whether the note's lines open in lower case (bullets and numbers aside) far more often
    than not: then the codebook's acronyms written in lower case are the acronyms."""
    lower = 0
    for seg in segments:
        for c in seg.text:
            if c.isalpha():
                lower += c.islower()
                break
    return lower >= _LOWER_CASE_LINES and lower >= _LOWER_CASE_SHARE * len(segments)


def _raised(match: re.Match[str]) -> str:
    return match.group(0).upper()


def _token_words(text: str, matcher: Matcher) -> list[tuple[int, int, int, frozenset[int]]]:
    """`Matcher.run_words` the long way: spaCy's tokens of the whole text, then each token's words."""
    orths, starts, strings = _token_table(text)
    cached = matcher.by_orth.get
    words: list[tuple[int, int, int, frozenset[int]]] = []  # (number, start, end, ids) of words that match
    number = 0  # word number of the token's first word
    for orth, at in zip(orths, starts, strict=True):
        count, hot = cached(orth) or matcher.token_entry(orth, strings[orth])
        for k, a, b, ids in hot:  # most tokens have none: one pass, no per-token lists
            words.append((number + k, at + a, at + b, ids))
        number += count
    return words
