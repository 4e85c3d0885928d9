"""Benchmark `dialogtool` on synthetic corpora of 100, 1,000 and 10,000 notes.

    .venv/bin/python bench/run.py [--sizes 100 1000 10000] [--jobs 2]

For each size it measures, each in a fresh process: `code` from scratch with --jobs 1 and
with --jobs N, `code` again (incremental: nothing changed), `table` and `report` (the first
run after `code`, and again). Two floors are
measured in the same invocation on the same notes: spaCy's blank "nb" pipeline (nlp.pipe,
the least any spaCy-based tool can do) and `grep -c -i -F -f TERMS` with the codebook's
literal words (dictionary matching without tokenising, for information). Prints a table
of seconds, words/s, peak memory and ratios to the floors; writes the results as JSON
under bench/results/.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))

from corpus import make_corpus, sentence_pool  # noqa: E402


def timed(command: list[str], cwd: Path) -> tuple[float, int]:
    """Wall seconds and peak resident memory (MiB, largest process) of one command."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    stderr = process.stderr.read().decode() if process.stderr else ""
    if process.returncode != 0:
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}\n{stderr}")
    return elapsed, usage.ru_maxrss // 1024


def tokenizer_floor(folder: Path) -> float:
    """Seconds for spaCy's blank nb pipeline over the notes' text (read beforehand)."""
    import spacy

    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    nlp = spacy.blank("nb")
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=256):
        pass
    return time.perf_counter() - start


def grep_floor(folder: Path, terms: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        ["grep", "-c", "-i", "-F", "-f", str(terms), "-r", str(folder)], stdout=subprocess.DEVNULL, check=False
    )
    return time.perf_counter() - start


def literal_terms(codebook: Path, target: Path) -> None:
    from dialogtool.coding.codebook import load_codebook
    from dialogtool.coding.matcher import Matcher

    target.write_text("\n".join(Matcher(load_codebook(codebook)).literal_terms) + "\n", encoding="utf-8")


def bench_size(size: int, jobs: int, pool: dict[str, list[str]], work: Path) -> dict[str, object]:
    raw, out1, outn = work / f"raw{size}", work / f"coded{size}_j1", work / f"coded{size}_j{jobs}"
    words = make_corpus(raw, size, pool)
    codebook = ROOT / "codebook.yaml"
    terms = work / "terms.txt"
    literal_terms(codebook, terms)
    tool = [sys.executable, "-m", "dialogtool"]
    code = [*tool, "code", str(raw), "-c", str(codebook), "-q"]
    row: dict[str, object] = {"notes": size, "words": words}
    row["tokenizer_s"] = tokenizer_floor(raw)
    row["grep_s"] = grep_floor(raw, terms)
    row["code_j1_s"], row["code_j1_mib"] = timed([*code, "-o", str(out1), "--jobs", "1"], work)
    row[f"code_j{jobs}_s"], row[f"code_j{jobs}_mib"] = timed([*code, "-o", str(outn), "--jobs", str(jobs)], work)
    row["incremental_s"], row["incremental_mib"] = timed([*code, "-o", str(outn), "--jobs", str(jobs)], work)
    table = [*tool, "table", "--coded", str(outn), "-c", str(codebook), "-f", "csv"]
    row["table_first_s"], row["table_first_mib"] = timed(table, work)
    row["table_s"], row["table_mib"] = timed(table, work)
    report = [*tool, "report", "--coded", str(outn), "-c", str(codebook), "-o", str(work / f"report{size}")]
    row["report_first_s"], row["report_first_mib"] = timed(report, work)
    row["report_s"], row["report_mib"] = timed(report, work)
    same = all((out1 / p.name).read_bytes() == p.read_bytes() for p in outn.glob("*.yaml"))
    row["jobs_identical"] = same and len(list(out1.glob("*.yaml"))) == size
    return row


def render(rows: list[dict[str, object]], jobs: int) -> str:
    head = (
        f"{'notes':>6} {'words':>9} | {'code j1':>8} {'w/s':>8} {'×tok':>5} {'×grep':>6} | "
        f"{f'code j{jobs}':>8} {'w/s':>8} | {'again':>6} | {'table':>6} {'1st':>6} | {'report':>6} {'1st':>6} | "
        f"{'MiB code':>8} {'report':>6} | same"
    )
    lines = [head, "-" * len(head)]
    for r in rows:
        j1, jn, words = float(r["code_j1_s"]), float(r[f"code_j{jobs}_s"]), int(r["words"])
        peak = max(int(r[k]) for k in r if str(k).endswith("_mib") and not str(k).startswith("report"))
        report_peak = max(int(r["report_first_mib"]), int(r["report_mib"]))
        lines.append(
            f"{r['notes']:>6} {words:>9,} | {j1:>7.2f}s {words / j1:>8,.0f} {j1 / float(r['tokenizer_s']):>5.1f} "
            f"{j1 / float(r['grep_s']):>6.0f} | {jn:>7.2f}s {words / jn:>8,.0f} | {float(r['incremental_s']):>5.2f}s | "
            f"{float(r['table_s']):>5.2f}s {float(r['table_first_s']):>5.2f}s | "
            f"{float(r['report_s']):>5.2f}s {float(r['report_first_s']):>5.2f}s | {peak:>8} {report_peak:>6} | "
            f"{r['jobs_identical']}"
        )
    lines.append(
        "×tok: code --jobs 1 time over spaCy blank nb nlp.pipe time; ×grep: over grep -c -i -F -f TERMS; "
        "again: code with nothing changed; table/report: warm, 1st: the first run after code; "
        "MiB: peak resident memory of code/incremental/table, and of report."
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args()
    pool = sentence_pool(ROOT / "data" / "raw")
    rows = []
    with tempfile.TemporaryDirectory(prefix="dialogtool-bench-") as tmp:
        for size in args.sizes:
            rows.append(bench_size(size, args.jobs, pool, Path(tmp)))
            print(f"{size} notes done", file=sys.stderr)
    print(render(rows, args.jobs))
    args.results.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    machine = {"python": platform.python_version(), "cpus": os.cpu_count(), "machine": platform.machine()}
    target = args.results / f"bench-{stamp}.json"
    target.write_text(json.dumps({"machine": machine, "jobs": args.jobs, "rows": rows}, indent=2) + "\n")
    print(f"results: {target.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
