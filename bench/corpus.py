"""Synthetic corpora for the benchmark: the sample notes' sentences, varied with real vocabulary.

Each note gets header lines (meeting, date, table), a few headings and bullets, and about
300 words of sentences drawn (seeded) from the sample notes of its language, so the
tool sees the same kind of text and artefacts at any corpus size.

The sample notes have only 173 sentences and 899 distinct words, and a word the matcher
has seen is nearly free (0.5 µs against 84 µs for a new one), so recombining them alone
flatters any tool that caches per word. With a `Vocabulary` (wordfreq's Bokmål list, the
100,000 most frequent words), about a third of the content words of each sentence are
replaced by words drawn by their frequency in real Norwegian text, so the number of
distinct words grows with the corpus as it does in real notes (Heaps' law) instead of
stopping at 899. wordfreq has no Nynorsk list: Nynorsk notes get Bokmål words too.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from dialogtool.coding.run import discover, read_note
from dialogtool.ingest.segment import HEADING

PLACES = ["Alta", "Bodø", "Førde", "Hammerfest", "Harstad", "Mo i Rana", "Narvik", "Tromsø"]
HEADINGS = {
    "nb": ["Utfordringer:", "Muligheter:", "Tiltak:", "Annet:"],
    "nn": ["Utfordringar:", "Moglegheiter:", "Tiltak:", "Anna:"],
}
_CONTENT = re.compile(r"\b[a-zæøå]{4,}\b")  # a lower-case word of four letters or more: may be replaced
# Sentences kept as they are: near the top of a note, metadata detection reads one opening
# with "Tema", "Bord…" or "Oppgåve/Oppgave…" as the table's topic ("Oppgavene er lagt til …"
# does), and varied, each would be a topic of its own: hundreds of topic columns in the
# report, which no real set of notes has.
_METADATA_LIKE = re.compile(r"(?i)(tema|bord|oppg)")
SHARE = 0.35  # of the content words replaced by a drawn one


@dataclass(frozen=True)
class Vocabulary:
    """Words and their cumulative frequencies, for seeded weighted draws."""

    words: list[str]
    cumulative: list[float]
    source: str


def vocabulary(size: int = 100_000) -> Vocabulary | None:
    """wordfreq's most frequent Bokmål words (four letters or more), or None without wordfreq."""
    try:
        from wordfreq import top_n_list, word_frequency
    except ImportError:
        return None
    words = [w for w in top_n_list("nb", size) if _CONTENT.fullmatch(w)]
    weights = [word_frequency(w, "nb") for w in words]
    return Vocabulary(words, list(accumulate(weights)), f"wordfreq nb top {size:,}")


def sentence_pool(raw: Path) -> dict[str, list[str]]:
    """Body sentences of the sample notes, by language, bullets and numbering removed."""
    pool: dict[str, list[str]] = {"nb": [], "nn": []}
    for path in discover([raw])[0]:
        note = read_note(path)
        for seg in note.segments:
            text = seg.text.removeprefix("• ")
            if seg.kind != HEADING and len(text.split()) >= 4:
                pool[str(note.meta["language"])].append(text)
    return pool


def _varied(sentence: str, rng: random.Random, words: Vocabulary) -> str:
    def swap(match: re.Match[str]) -> str:
        if rng.random() >= SHARE:
            return match.group(0)
        return rng.choices(words.words, cum_weights=words.cumulative)[0]

    return _CONTENT.sub(swap, sentence)


def make_corpus(
    folder: Path,
    count: int,
    pool: dict[str, list[str]],
    words: int = 300,
    seed: int = 1,
    vocab: Vocabulary | None = None,
) -> int:
    """Write `count` notes into `folder`; return the number of words written."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for i in range(count):
        language = "nn" if i % 4 == 3 else "nb"
        place = PLACES[i % len(PLACES)]
        lines = [
            f"Oppsummering etter dialogmøte i {place} {1 + i % 28:02d}.{9 + i % 3:02d}.2018",
            "",
            f"Kafébord {1 + i % 6}",
            "",
        ]
        body = 0
        while body < words:
            if rng.random() < 0.12:
                lines += [rng.choice(HEADINGS[language]), ""]
            sentence = rng.choice(pool[language])
            if vocab is not None and not _METADATA_LIKE.match(sentence):
                sentence = _varied(sentence, rng, vocab)
            bullet = "\uf0b7 " if rng.random() < 0.5 else ""
            lines += [bullet + sentence, ""]
            body += len(sentence.split())
        text = "\n".join(lines)
        total += len(text.split())
        (folder / f"note_{i:05d}.txt").write_text(text, encoding="utf-8")
    return total


def distinct_words(folder: Path) -> int:
    """Distinct lower-cased words (letters only) in the corpus, to show how varied it is."""
    seen: set[str] = set()
    for path in folder.glob("*.txt"):
        seen.update(re.findall(r"[^\W\d_]+", path.read_text(encoding="utf-8").lower()))
    return len(seen)


def main() -> None:
    """`python bench/corpus.py FOLDER COUNT`: write a corpus, print its words and distinct words as JSON.

    bench/run.py calls this in a process of its own, so that the benchmark's own process stays
    small: a child's peak memory counts its parent's size at fork.
    """
    import json
    import sys

    folder, count = Path(sys.argv[1]), int(sys.argv[2])
    vocab = vocabulary()
    if vocab is None:
        print("wordfreq is not installed (`make install` installs it): the corpus repeats 899 words", file=sys.stderr)
    words = make_corpus(folder, count, sentence_pool(Path(__file__).resolve().parents[1] / "data" / "raw"), vocab=vocab)
    print(json.dumps({"words": words, "distinct": distinct_words(folder), "vocabulary": vocab and vocab.source}))


if __name__ == "__main__":
    main()
