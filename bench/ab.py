"""A/B: `dialogtool code` of this working tree against an earlier commit, in one invocation.

    .venv/bin/python bench/ab.py --baseline main [--notes 1000] [--rounds 5] [--jobs 1]

Each side codes the same synthetic corpus (bench/corpus.py, with wordfreq's vocabulary) from scratch with its own source
and its own codebook.yaml, in a fresh process; the two sides alternate, so a machine that gets
busier affects both. Prints each side's median and the ratio, which is what holds on a shared
machine (seconds do not), in wall time and in CPU time (user + system): on a busy machine the
wall time of one run swings by half, the CPU time much less. The baseline's source is taken
with `git archive`, nothing is checked out. Each side's per-note modules are compiled by its own
setup.py first, as `make install` does (a side without one runs as plain Python; the output says
which).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))

from corpus import make_corpus, sentence_pool, vocabulary  # noqa: E402


def checkout(revision: str, target: Path) -> Path:
    """The baseline's src/ and codebook.yaml (and its build files, where it has them) unpacked into `target`."""
    listed = subprocess.run(
        ["git", "ls-tree", "--name-only", revision, "setup.py", "pyproject.toml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    archive = subprocess.run(
        ["git", "archive", "--format=tar", revision, "src", "codebook.yaml", *listed],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    compiled(target / "src")
    return target


def built(tree: Path) -> str:
    """A side's per-note modules compiled by its own setup.py (mypyc), as `make install` builds
    them, so that neither side runs as plain Python against a compiled other; what it ran as."""
    if not (tree / "setup.py").exists():
        return "plain Python (no setup.py)"
    build = [sys.executable, "setup.py", "-q", "build_ext", "--inplace"]
    subprocess.run(build, cwd=tree, capture_output=True, check=True)
    return "compiled" if any((tree / "src").rglob("*.so")) else "plain Python (compiling failed)"


def compiled(source: Path) -> None:
    """Bytecode for a side's modules, so neither side pays for compiling them on every run
    (where PYTHONDONTWRITEBYTECODE is set, Python never caches it itself)."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(source)], check=True)


def code_once(source: Path, codebook: Path, corpus: Path, out: Path, jobs: int) -> tuple[float, float]:
    """Wall and CPU seconds (user + system, the process and its workers) for one `code` run of
    `source` in a fresh process, into an empty folder: the last run's is moved aside, not deleted
    (ext4 without a journal makes files created soon after deleting thousands slow; see
    bench/run.py), and pending writes are flushed first."""
    if out.exists():
        trash = out.parent / "trash"
        trash.mkdir(exist_ok=True)
        out.rename(trash / f"{out.name}-{time.time_ns()}")
    os.sync()
    env = os.environ | {"PYTHONPATH": str(source / "src")}
    command = [sys.executable, "-m", "dialogtool", "code", str(corpus), "-c", str(codebook), "-o", str(out), "-q"]
    before = _children_cpu()
    start = time.perf_counter()
    subprocess.run([*command, "--jobs", str(jobs)], env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start, _children_cpu() - before


def _children_cpu() -> float:
    """CPU seconds of the finished child processes so far. On a machine shared with other work,
    wall time swings by half from run to run; CPU time much less, so small changes show."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", required=True, help="git revision to compare with, e.g. main or HEAD~3")
    parser.add_argument("--notes", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dialogtool-ab-") as tmp:
        work = Path(tmp)
        corpus = work / "corpus"
        words = make_corpus(corpus, args.notes, sentence_pool(ROOT / "data" / "raw"), vocab=vocabulary())
        baseline = checkout(args.baseline, work / "baseline")
        kinds = {"baseline": built(baseline), "current": built(ROOT)}
        compiled(ROOT / "src")
        sides = {"baseline": (baseline, baseline / "codebook.yaml"), "current": (ROOT, ROOT / "codebook.yaml")}
        times: dict[str, list[float]] = {name: [] for name in sides}
        cpu: dict[str, list[float]] = {name: [] for name in sides}
        for _ in range(args.rounds):
            for name, (source, codebook) in sides.items():
                wall, used = code_once(source, codebook, corpus, work / f"out-{name}", args.jobs)
                times[name].append(wall)
                cpu[name].append(used)
        print(f"{args.notes} notes, {words:,} words, --jobs {args.jobs}, {args.rounds} rounds alternated")
        print(f"  baseline: {kinds['baseline']}; current: {kinds['current']}")
        for name in sides:
            runs = [round(t, 2) for t in times[name]]
            print(f"  {name:8} median {statistics.median(times[name]):6.2f}s  runs {runs}")
            cpu_runs = [round(t, 2) for t in cpu[name]]
            print(f"  {'':8} cpu    {statistics.median(cpu[name]):6.2f}s  runs {cpu_runs}")
        base, current = (statistics.median(times[name]) for name in ("baseline", "current"))
        base_cpu, current_cpu = (statistics.median(cpu[name]) for name in ("baseline", "current"))
        print(f"  current / baseline ({args.baseline}) = {current / base:.2f}")
        print(f"  current / baseline ({args.baseline}) on CPU = {current_cpu / base_cpu:.2f}")


if __name__ == "__main__":
    main()
