"""Realignment for `import qdpx`: anchors (exchange/align.py) against a whole-text difflib.

    .venv/bin/python bench/realign.py [--sizes 10000 20000 80000 640000] [--difflib-up-to 20000]
    .venv/bin/python bench/realign.py --project ../shared/refi-qda/real/SOME.qdpx

Their text is a synthetic note (bench/corpus.py's sentences) as another program would hold
it: CRLF line ends, emoji, a few words changed; ours is the same text through our reader
(read_note: LF, repaired). For each size it prints the seconds of `align`, of the baseline
a whole-text `difflib.SequenceMatcher` (what import did before, quadratic; only up to
--difflib-up-to characters, it takes minutes past that) and of `read_note` on the same
text (a linear floor: reading the note at all), all in this invocation, and the ratios:
align/read_note should stay flat as the size grows (linear), difflib/align grows with it.
With --project, the texts of a real project instead (their own text against our reading
of it, in the producer's convention), without the difflib baseline.
"""

from __future__ import annotations

import argparse
import difflib
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))

from corpus import sentence_pool  # noqa: E402

from dialogtool.exchange.align import align  # noqa: E402
from dialogtool.ingest.note import read_note  # noqa: E402

EMOJI = ("😀", "👍", "🙈", "🤔")


def their_text(size: int, pool: list[str], seed: int = 1) -> str:
    """About `size` characters of paragraphs with CRLF line ends, emoji and a changed word now and then."""
    rng = random.Random(seed)
    parts: list[str] = []
    length = 0
    while length < size:
        sentence = rng.choice(pool)
        if rng.random() < 0.2:
            sentence += " " + rng.choice(EMOJI)
        if rng.random() < 0.05:
            words = sentence.split()
            words[rng.randrange(len(words))] = "endret"
            sentence = " ".join(words)
        parts.append(sentence)
        length += len(sentence) + 4
    return "\r\n\r\n".join(parts)[:size]


def seconds(function, *args) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def whole_text_difflib(theirs: str, ours: str) -> None:
    """The old realignment: one SequenceMatcher over both whole texts."""
    difflib.SequenceMatcher(None, theirs, ours, autojunk=False).get_matching_blocks()


def project(path: Path) -> None:
    """align against read_note for each text source of a real project."""
    import xml.etree.ElementTree as ET
    import zipfile

    from dialogtool.exchange.positions import decide, view

    archive = zipfile.ZipFile(path)
    members = {n.lower(): n for n in archive.namelist()}
    qde = next(n for n in archive.namelist() if n.lower().endswith(".qde"))
    root = ET.fromstring(archive.read(qde))
    print(f"{'source':<24} {'chars':>8} {'read_note s':>11} {'align s':>8} {'align/read':>10}")
    with tempfile.TemporaryDirectory() as folder:
        for source in root.iter("{urn:QDA-XML:project:1.0}TextSource"):
            inside = (source.get("plainTextPath") or "").removeprefix("internal://").lower()
            member = members.get(f"sources/{inside}") or members.get(inside)
            if member is None:
                continue
            theirs = archive.read(member).decode("utf-8").removeprefix("\ufeff")
            raw = Path(folder) / "note.txt"
            raw.write_text(theirs, encoding="utf-8", newline="")
            seen = view(theirs, decide(root.get("origin"), theirs, [])[0]).text
            ours = read_note(raw).text
            floor = seconds(read_note, raw)
            anchored = seconds(align, seen, ours)
            name = (source.get("name") or inside)[:24]
            print(f"{name:<24} {len(theirs):>8} {floor:11.3f} {anchored:8.3f} {anchored / floor:10.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 20_000, 80_000, 640_000])
    parser.add_argument("--difflib-up-to", type=int, default=20_000)
    parser.add_argument("--project", type=Path, help="time the text sources of this .qdpx instead")
    options = parser.parse_args()
    if options.project:
        project(options.project)
        return
    pool = [s for sentences in sentence_pool(ROOT / "data" / "raw").values() for s in sentences]
    print(f"{'chars':>8} {'read_note s':>11} {'align s':>8} {'difflib s':>9} {'align/read':>10} {'difflib/align':>13}")
    with tempfile.TemporaryDirectory() as folder:
        for size in options.sizes:
            theirs = their_text(size, pool)
            raw = Path(folder) / "note.txt"
            raw.write_text(theirs, encoding="utf-8", newline="")
            ours = read_note(raw).text
            floor = seconds(read_note, raw)
            anchored = seconds(align, theirs, ours)
            whole = None
            if size <= options.difflib_up_to:
                whole = seconds(whole_text_difflib, theirs, ours)
            ratio = f"{whole / anchored:13.1f}" if whole is not None else f"{'-':>13}"
            shown = f"{whole:9.2f}" if whole is not None else f"{'-':>9}"
            print(f"{size:>8} {floor:11.3f} {anchored:8.3f} {shown} {anchored / floor:10.2f} {ratio}")


if __name__ == "__main__":
    main()
