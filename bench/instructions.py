"""Instructions a note costs `code`, counted by valgrind: this tree against an earlier commit.

    .venv/bin/python bench/instructions.py --baseline main [--notes 200] [--warm 300]

On a shared 2-core machine the time of a whole run moves by a third from one run to the next
(bench/run.py), so a change that saves 3 % cannot be seen in seconds without dozens of rounds.
The number of instructions a process executes does not depend on what else the machine runs:
two counts of the same tree agree to about 0.1 %. It is not time (a cache miss costs more than
an instruction, the kernel's work on files is not counted), so a change that saves
instructions is confirmed with bench/run.py before it is called faster.

Each side (the baseline's source from `git archive` and this tree, both compiled as
bench/ab.py does) runs the stages `code` runs for every note: reading and normalising it,
segmenting, metadata, matching, the context rules, the coded record, its YAML and its line in
the parse cache, in batches of 32 as `code` reads ahead, without writing files. It runs twice
under valgrind's callgrind: over the `--warm` first notes of a corpus (bench/corpus.py), and
over those and `--notes` more; the difference over `--notes` is what one more note costs once
spaCy, the tables and the per-word caches are loaded. Both sides use one copy of the user's
cache folder (the lemma tables and memos) and the same hash seed, and save nothing to it. The
driver calls the per-note functions of the commits since issue 15's sixth round; an older
baseline whose functions are named otherwise fails with Python's error.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))

from ab import built, checkout, compiled  # noqa: E402
from corpus import make_corpus, sentence_pool, vocabulary  # noqa: E402

_BATCH = 32  # as coding/workers.py reads ahead
_COLLECTED = re.compile(r"Collected : (\d+)")


def drive(corpus: Path, codebook: Path, count: int) -> None:
    """Run the per-note stages over the first `count` notes of `corpus` (in this process, which
    callgrind counts); imported from whichever source PYTHONPATH names."""
    import gc

    from dialogtool.coded.folder import cache_line
    from dialogtool.coded.store import dump_note
    from dialogtool.coding import workers
    from dialogtool.coding.codebook import load_codebook
    from dialogtool.coding.matcher import Matcher, code_note
    from dialogtool.ingest.note import read_note

    book = load_codebook(codebook)
    matcher = Matcher(book)
    workers.warm_up(matcher)
    gc.disable()  # as `code` codes notes (workers._collector_paused)
    paths = sorted(corpus.glob("*.txt"))[:count]
    for start in range(0, len(paths), _BATCH):
        notes = [read_note(path, overrides={}) for path in paths[start : start + _BATCH]]
        for note in notes:
            codings = code_note(note.text, note.segments, matcher)
            document = workers.coded_document(note, codings, book, None, "0" * 64)
            dump_note(document).encode("utf-8")
            cache_line(f"{note.doc_id}.yaml", [0, 0], document)


def counted(source: Path, codebook: Path, corpus: Path, count: int, env: dict[str, str], log: Path) -> int:
    """Instructions callgrind counted for `drive` over `count` notes of `source`."""
    command = [
        "valgrind",
        "--tool=callgrind",
        f"--callgrind-out-file={log.with_suffix('.out')}",
        sys.executable,
        __file__,
        "--drive",
        str(corpus),
        str(codebook),
        str(count),
    ]
    done = subprocess.run(command, env=env | {"PYTHONPATH": str(source / "src")}, capture_output=True, text=True)
    log.write_text(done.stderr, encoding="utf-8")
    found = _COLLECTED.search(done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"the driver failed under valgrind for {source} (log: {log})\n{done.stderr[-2000:]}")
    return int(found.group(1))


def per_note(source: Path, codebook: Path, corpus: Path, warm: int, notes: int, env: dict[str, str], work: Path) -> int:
    """Instructions one more note costs `source`: two counted runs side by side, one per core."""
    name = source.name or "side"
    with ThreadPoolExecutor(2) as pool:
        runs = [
            pool.submit(counted, source, codebook, corpus, count, env, work / f"{name}-{count}.log")
            for count in (warm, warm + notes)
        ]
        warm_only, more = (run.result() for run in runs)
    return (more - warm_only) // notes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", help="git revision to compare with, e.g. main or HEAD~3")
    parser.add_argument("--notes", type=int, default=200, help="notes counted (after the warm-up)")
    parser.add_argument("--warm", type=int, default=300, help="notes coded first, in both runs")
    parser.add_argument("--drive", nargs=3, metavar=("CORPUS", "CODEBOOK", "COUNT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.drive:
        corpus, codebook, count = args.drive
        drive(Path(corpus), Path(codebook), int(count))
        return
    if not args.baseline:
        parser.error("--baseline is required")
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed: this benchmark counts instructions with it")
    with tempfile.TemporaryDirectory(prefix="dialogtool-instructions-") as tmp:
        work = Path(tmp)
        corpus = work / "corpus"
        make_corpus(corpus, args.warm + args.notes, sentence_pool(ROOT / "data" / "raw"), vocab=vocabulary())
        cache = work / "cache"
        from dialogtool.coding.lemma_tables import cache_folder

        if cache_folder().is_dir():
            shutil.copytree(cache_folder(), cache)
        env = os.environ | {"PYTHONHASHSEED": "0", "DIALOGTOOL_CACHE_DIR": str(cache)}
        baseline = checkout(args.baseline, work / "baseline")
        kinds = {"baseline": built(baseline), "current": built(ROOT)}
        compiled(ROOT / "src")
        counts = {
            "baseline": per_note(baseline, baseline / "codebook.yaml", corpus, args.warm, args.notes, env, work),
            "current": per_note(ROOT, ROOT / "codebook.yaml", corpus, args.warm, args.notes, env, work),
        }
        print(f"instructions a note costs after {args.warm} notes, over {args.notes} more (callgrind)")
        for name, count in counts.items():
            print(f"  {name:8} {count:>12,}  ({kinds[name]})")
        print(f"  current / baseline ({args.baseline}) = {counts['current'] / counts['baseline']:.3f}")


if __name__ == "__main__":
    main()
