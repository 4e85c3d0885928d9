"""Synthetic corpora for the benchmark: the sample notes' sentences recombined.

Each note gets header lines (meeting, date, table), a few headings and bullets, and about
300 words of sentences drawn (seeded) from the sample notes of its language, so the
tool sees the same kind of text and artefacts at any corpus size.
"""

from __future__ import annotations

import random
from pathlib import Path

from dialogtool.coding.run import discover, read_note
from dialogtool.ingest.segment import HEADING

PLACES = ["Alta", "Bodø", "Førde", "Hammerfest", "Harstad", "Mo i Rana", "Narvik", "Tromsø"]
HEADINGS = {
    "nb": ["Utfordringer:", "Muligheter:", "Tiltak:", "Annet:"],
    "nn": ["Utfordringar:", "Moglegheiter:", "Tiltak:", "Anna:"],
}


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


def make_corpus(folder: Path, count: int, pool: dict[str, list[str]], words: int = 300, seed: int = 1) -> int:
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
            bullet = "\uf0b7 " if rng.random() < 0.5 else ""
            lines += [bullet + sentence, ""]
            body += len(sentence.split())
        text = "\n".join(lines)
        total += len(text.split())
        (folder / f"note_{i:05d}.txt").write_text(text, encoding="utf-8")
    return total
