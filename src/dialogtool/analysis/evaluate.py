"""Score coded notes against reference codings (the format of shared/eval/gold).

Each gold unit is found in the coded note by its letters and digits only, so the
tool's whitespace, hyphen and bullet repairs do not matter; the unit's predicted codes
are the top-level codes of the segment(s) it falls in. Scoring is over (unit, theme)
pairs; `maybe` pairs are skipped.

Each predicted pair is also credited to the evidence that produced it (a term, a proximity
rule, a context rule or a reviewer), and each pair to the note's language, so the scores can
be broken down by rule (which rule earns its keep) and by written standard.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import yamlio
from ..coded.folder import yaml_files
from ..coded.note import CodedNote, CodedSegment
from ..coding.codebook import Codebook
from ..errors import DialogtoolError


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        """None (n/a) when the theme has neither gold positives nor predictions."""
        if self.tp + self.fp + self.fn == 0:
            return None
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn)


# Evidence for a code, strongest first: what a unit says itself beats what its context lends it.
EVIDENCE = ("term", "proximity", "leadin", "reference", "group", "heading", "reviewer")


@dataclass(frozen=True)
class Miss:
    document: str
    theme: str
    kind: str  # "miss" (gold code not predicted) or "false hit"
    text: str


@dataclass
class Evaluation:
    themes: dict[str, Score]
    micro: Score
    errors: list[Miss] = field(default_factory=list)
    unlocated: list[tuple[str, str]] = field(default_factory=list)  # (document, unit text)
    missing_documents: list[str] = field(default_factory=list)
    units: int = 0
    by_rule: dict[str, Score] = field(default_factory=dict)  # evidence -> true (tp) and false (fp) codes
    by_language: dict[str, Score] = field(default_factory=dict)  # language of the note -> micro score

    @property
    def macro_f1(self) -> float | None:
        values = [s.f1 for s in self.themes.values() if s.f1 is not None]
        return sum(values) / len(values) if values else None


def alnum(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


def evaluate(gold_dir: Path, documents: list[CodedNote], codebook: Codebook) -> Evaluation:
    """Compare every gold file in `gold_dir` with the coded note of the same source."""
    gold_files = yaml_files(gold_dir) if gold_dir.is_dir() else []  # a folder it cannot list is an error
    if not gold_files:
        raise DialogtoolError("no reference codings (*.yaml) here", path=gold_dir)
    themes = [c.id for c in codebook.top_level]
    result = Evaluation({t: Score() for t in themes}, Score(), by_rule={e: Score() for e in EVIDENCE})
    by_source = {}
    for doc in documents:
        by_source[Path(doc.source or "").name] = doc
        by_source[doc.document] = doc
    for path in gold_files:
        gold = yamlio.load(path)
        if not isinstance(gold, dict) or not isinstance(gold.get("units"), list):
            raise DialogtoolError("not a reference coding (no 'units' list)", path=path)
        name = str(gold.get("document") or path.stem)
        found = by_source.get(name) or by_source.get(Path(name).stem)
        if found is None:
            result.missing_documents.append(name)
            continue
        _score_document(name, gold["units"], found, codebook, result)
    return result


def _score_document(
    name: str, units: list[dict[str, Any]], doc: CodedNote, codebook: Codebook, result: Evaluation
) -> None:
    stream, owner = _alnum_index(doc.segments)
    cursor = 0
    for unit in units:
        quote = alnum(str(unit.get("text", "")))
        if not quote:
            continue
        at = stream.find(quote, cursor)
        if at < 0:
            at = stream.find(quote)
        if at < 0:
            result.unlocated.append((name, str(unit.get("text"))))
            continue
        cursor = at + len(quote)
        evidence: dict[str, str] = {}
        for index in sorted(set(owner[at:cursor])):
            for theme, source in evidence_of(doc.segments[index], codebook).items():
                if theme not in evidence or EVIDENCE.index(source) < EVIDENCE.index(evidence[theme]):
                    evidence[theme] = source
        language = str(doc.meta.get("language") or "?")
        _score_unit(name, unit, evidence, codebook, result, language)
        result.units += 1


def _alnum_index(segments: Sequence[CodedSegment]) -> tuple[str, list[int]]:
    """The note's letters and digits, and for each the index of its segment."""
    chars: list[str] = []
    owner: list[int] = []
    for index, seg in enumerate(segments):
        letters = alnum(seg.text)
        chars.append(letters)
        owner.extend([index] * len(letters))
    return "".join(chars), owner


def evidence_of(segment: CodedSegment, codebook: Codebook) -> dict[str, str]:
    """Top-level theme -> the strongest evidence for it in one segment (see EVIDENCE)."""
    from ..coding.patterns import PatternError, parse_rule

    found: dict[str, str] = {}
    for code in segment.reviewed_codes:
        if code not in segment.codes:
            source = "reviewer"
        elif code in segment.terms:
            try:
                plain = any(not parse_rule(t).proximity for t in segment.terms[code])
            except PatternError:  # a pattern since removed from the language: count it as a term
                plain = True
            source = "term" if plain else "proximity"
        elif code in segment.context:
            rule = segment.context[code][0]
            source = rule if rule in EVIDENCE else "heading"
        else:
            source = "term"
        theme = codebook.top(code)
        if theme not in found or EVIDENCE.index(source) < EVIDENCE.index(found[theme]):
            found[theme] = source
    return found


def _score_unit(
    name: str, unit: dict[str, Any], evidence: dict[str, str], codebook: Codebook, result: Evaluation, language: str
) -> None:
    gold = {codebook.top(str(c)) for c in unit.get("codes") or []}
    maybe = {codebook.top(str(c)) for c in unit.get("maybe") or []} - gold
    text = str(unit.get("text"))
    per_language = result.by_language.setdefault(language, Score())
    for theme in sorted(gold | set(evidence)):
        if theme in maybe:
            continue
        score = result.themes.setdefault(theme, Score())
        if theme in gold and theme in evidence:
            for tally in (score, result.micro, per_language, result.by_rule[evidence[theme]]):
                tally.tp += 1
        elif theme in gold:
            for tally in (score, result.micro, per_language):
                tally.fn += 1
            result.errors.append(Miss(name, theme, "miss", text))
        else:
            for tally in (score, result.micro, per_language, result.by_rule[evidence[theme]]):
                tally.fp += 1
            result.errors.append(Miss(name, theme, "false hit", text))
