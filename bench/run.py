"""Benchmark `dialogtool` against a plain spaCy pipeline, from one note to 10,000.

    .venv/bin/python bench/run.py [--sizes 1 50 300 1000 10000] [--jobs 2] [--rounds 3]

For each size a corpus is generated (bench/corpus.py: the sample notes' sentences varied
with wordfreq's Bokmål vocabulary, so distinct words grow with the corpus). Every figure is
one whole process (imports included), and the commands alternate within each round, so a
machine that gets busier affects all of them; each figure is the median over the rounds.
Per round: `code --jobs 1` into a fresh folder, the first `report` after it and a second
(warm) one, `code` again with nothing changed, `table`, `quotes KE`, `code --jobs N` into
another fresh folder, `code` as a user runs it (no `--jobs`: one process per core) into a
third, the peer (bench/peer.py: spaCy's tokenizer + simplemma lemmas +
PhraseMatcher over the same notes), `python -c "import spacy; spacy.blank('nb')"`,
`dialogtool --help`, bare `python -c pass` and `grep -c -i -F -f TERMS`.

Nothing is deleted while the commands are timed: the folder a `code` command writes into is
moved aside, and removed with the rest when the benchmark ends. On ext4 without a journal (as
on this machine) a new file's inode is looked for past every inode deleted in the last 60 s
(360 s until written back), so `code` of 2,000 notes right after deleting the last run's
folder spent 1.3–2.1 s in the kernel, against 0.3–0.7 s after moving it aside (`os.sync()`
and a second's wait after deleting did not help); a user's first run writes into an empty
folder. Dirty pages are written back (`os.sync()`) before each command, so no command pays
for the writes of the one before.

Wall seconds are what a user waits; CPU seconds (user + system of the process and its
children) are what the work costs and vary far less on a shared machine, so ratios are
given on both. Peak memory is the largest resident set of the process or a child. Results
go to bench/results/ as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
TOOL = [PY, "-m", "dialogtool"]


def timed(command: list[str], cwd: Path) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds and peak resident memory (MiB) of one command and its children."""
    os.sync()  # the writes of the command before go to disk now, not while this one is timed
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    stderr = process.stderr.read().decode() if process.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{stderr}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024


TERMS = """
import sys
from dialogtool.coding.codebook import load_codebook
from dialogtool.coding.matcher import Matcher
print("\\n".join(Matcher(load_codebook(sys.argv[1])).literal_terms))
"""


def literal_terms(codebook: Path, target: Path) -> None:
    """The codebook's literal words, one a line, for grep and the peer (in a child process, like
    everything that would make this process big: a child's peak memory counts its parent's size)."""
    done = subprocess.run([PY, "-c", TERMS, str(codebook)], capture_output=True, text=True, check=True)
    target.write_text(done.stdout, encoding="utf-8")


def commands(size: int, jobs: int, work: Path) -> list[tuple[str, list[str], Path | None]]:
    """(name, command, folder to move aside first) in the order one round runs them."""
    raw, one, many = work / f"raw{size}", work / f"coded{size}_j1", work / f"coded{size}_jn"
    default = work / f"coded{size}_default"
    codebook = str(ROOT / "codebook.yaml")
    code = [*TOOL, "code", str(raw), "-c", codebook, "-q"]
    report = [*TOOL, "report", "--coded", str(one), "-c", codebook, "-o", str(work / f"report{size}")]
    return [
        ("code", [*code, "-o", str(one), "--jobs", "1"], one),
        ("report_first", report, None),
        ("report", report, None),
        ("again", [*code, "-o", str(one), "--jobs", "1"], None),
        ("table", [*TOOL, "table", "--coded", str(one), "-c", codebook, "-f", "csv"], None),
        ("quotes", [*TOOL, "quotes", "KE", "--coded", str(one), "-c", codebook, "-f", "csv"], None),
        ("code_jobs", [*code, "-o", str(many), "--jobs", str(jobs)], many),
        ("code_default", [*code, "-o", str(default)], default),
        ("peer", [PY, str(ROOT / "bench" / "peer.py"), str(raw), str(work / "terms.txt")], None),
        ("spacy_start", [PY, "-c", "import spacy; spacy.blank('nb')"], None),
        ("help", [*TOOL, "--help"], None),
        ("python", [PY, "-c", "pass"], None),
        ("grep", ["grep", "-c", "-i", "-F", "-f", str(work / "terms.txt"), "-r", str(raw)], None),
    ]


def bench_size(size: int, jobs: int, rounds: int, work: Path) -> dict:
    raw = work / f"raw{size}"
    made = subprocess.run([PY, str(ROOT / "bench" / "corpus.py"), str(raw), str(size)], capture_output=True, check=True)
    corpus = json.loads(made.stdout)
    samples: dict[str, list[tuple[float, float, int]]] = {}
    steps = commands(size, jobs, work)
    for turn in range(rounds):
        for name, command, fresh in steps:
            if fresh is not None and fresh.exists():
                _set_aside(fresh, work / "trash" / f"{fresh.name}-{turn}")
            samples.setdefault(name, []).append(timed(command, work))
    one = work / f"coded{size}_j1"
    same = all(_same_files(one, work / f"coded{size}_{other}") for other in ("jn", "default"))
    row: dict = {"notes": size, "words": corpus["words"], "distinct": corpus["distinct"], "jobs_identical": same}
    row["vocabulary"] = corpus["vocabulary"]
    for name, runs in samples.items():
        row[name] = {
            "wall": statistics.median(r[0] for r in runs),
            "cpu": statistics.median(r[1] for r in runs),
            "mib": max(r[2] for r in runs),
            "runs": [[round(r[0], 3), round(r[1], 3), r[2]] for r in runs],
        }
    return row


def _set_aside(folder: Path, place: Path) -> None:
    """Move the last round's output out of the way without deleting it (see the module docstring:
    deleting thousands of files makes the next command's new files slow to create on ext4)."""
    place.parent.mkdir(exist_ok=True)
    folder.rename(place)


def _same_files(one: Path, other: Path) -> bool:
    """Whether two coded folders hold the same YAML files, byte for byte."""
    names = sorted(p.name for p in one.glob("*.yaml"))
    return names == sorted(p.name for p in other.glob("*.yaml")) and all(
        (other / name).read_bytes() == (one / name).read_bytes() for name in names
    )


def _ratio(row: dict, a: str, b: str, kind: str = "wall") -> float:
    return float(row[a][kind]) / float(row[b][kind])


def render(rows: list[dict], jobs: int) -> str:
    head = (
        f"{'notes':>6} {'words':>9} {'distinct':>8} | {'code':>7} {'peer':>6} {'×peer':>5} {'cpu×':>5} "
        f"{'×spaCy':>6} {'cpu×':>5} | {f'j{jobs}':>7} {'×j1':>5} | {'default':>7} {'×spaCy':>6} {'cpu×':>5} | "
        f"{'again':>6} {'×1st':>5} | {'table':>6} | "
        f"{'report':>6} {'1st':>6} {'×':>5} | {'MiB code':>8} {'report':>6} {'quotes':>6} | same"
    )
    lines = [head, "-" * len(head)]
    for r in rows:
        lines.append(
            f"{r['notes']:>6} {r['words']:>9,} {r['distinct']:>8,} | {r['code']['wall']:>6.2f}s "
            f"{r['peer']['wall']:>5.2f}s {_ratio(r, 'code', 'peer'):>5.2f} {_ratio(r, 'code', 'peer', 'cpu'):>5.2f} "
            f"{_ratio(r, 'code', 'spacy_start'):>6.2f} {_ratio(r, 'code', 'spacy_start', 'cpu'):>5.2f} | "
            f"{r['code_jobs']['wall']:>6.2f}s "
            f"{_ratio(r, 'code_jobs', 'code'):>5.2f} | {_default(r)} | "
            f"{r['again']['wall']:>5.2f}s {_ratio(r, 'again', 'code'):>5.2f} | "
            f"{r['table']['wall']:>5.2f}s | {r['report']['wall']:>5.2f}s {r['report_first']['wall']:>5.2f}s "
            f"{_ratio(r, 'report_first', 'report'):>5.2f} | {r['code']['mib']:>8} "
            f"{max(r['report']['mib'], r['report_first']['mib']):>6} {r['quotes']['mib']:>6} | {r['jobs_identical']}"
        )
    starts = [(_ratio(r, "help", "python"), _ratio(r, "help", "python", "cpu")) for r in rows]
    lines.append(
        f"--help {statistics.median(s[0] for s in starts):.1f}× bare Python "
        f"(cpu {statistics.median(s[1] for s in starts):.1f}×; median over sizes)"
    )
    lines.append(
        "code: --jobs 1 from scratch, wall median; ×peer: over spaCy tokenizer + simplemma + PhraseMatcher "
        "(wall; cpu×: the same on CPU seconds); ×spaCy (and its cpu×): over `import spacy; spacy.blank('nb')`; "
        f"j{jobs}: --jobs {jobs}, ×j1 its time over --jobs 1; default: `code` without --jobs (one process per core), "
        "as a user runs it, and its ratios over spaCy's start; again: nothing changed, ×1st over the first run; "
        "report: warm, 1st: the first after code, ×: 1st over warm; MiB: peak resident memory."
    )
    return "\n".join(lines)


def _default(row: dict) -> str:
    """The default-jobs cells; results saved before that row was measured show dashes."""
    if "code_default" not in row:
        return f"{'-':>7} {'-':>6} {'-':>5}"
    return (
        f"{row['code_default']['wall']:>6.2f}s {_ratio(row, 'code_default', 'spacy_start'):>6.2f} "
        f"{_ratio(row, 'code_default', 'spacy_start', 'cpu'):>5.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 50, 300, 1000, 10000])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--large-rounds", type=int, default=1, help="rounds for 10,000 notes and more")
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--show", type=Path, help="print the table of a results file and stop")
    args = parser.parse_args()
    if args.show:
        saved = json.loads(args.show.read_text(encoding="utf-8"))
        print(render(saved["rows"], saved["jobs"]))
        return
    rows = []
    with tempfile.TemporaryDirectory(prefix="dialogtool-bench-") as tmp:
        work = Path(tmp)
        literal_terms(ROOT / "codebook.yaml", work / "terms.txt")
        # bytecode for our modules (make install compiles the dependencies'), as a user's runs have it
        subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "src")], check=True)
        subprocess.run([*TOOL, "code", str(ROOT / "data" / "raw"), "-o", str(work / "warm"), "-q"], check=True)
        for size in args.sizes:
            rows.append(bench_size(size, args.jobs, args.large_rounds if size >= 10_000 else args.rounds, work))
            print(f"{size} notes done", file=sys.stderr)
    args.results.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    machine = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "machine": platform.machine(),
        "load": os.getloadavg(),
    }
    target = args.results / f"bench-{stamp}.json"
    payload = {"machine": machine, "jobs": args.jobs, "rounds": args.rounds}
    target.write_text(json.dumps(payload | {"rows": rows}, indent=2) + "\n")
    print(render(rows, args.jobs))
    print(f"results: {target}", file=sys.stderr)


if __name__ == "__main__":
    main()
