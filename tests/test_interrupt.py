"""Interrupting `dialogtool code`: Ctrl-C and kill -9 at random moments leave a usable folder.

Real child processes code a corpus of a few hundred notes into a folder that already holds
older coded files (some stale, some current, some with reviewers' edits) and are stopped
with SIGINT or SIGKILL part-way. After every stop each coded file must be, byte for byte,
either what was there before the run or what a complete run writes; reviewers' edits must
survive; and a following run must finish the job. Delays come from seeded generators so
a failing run can be repeated; nothing here asserts how long anything takes.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from dialogtool.cli import app
from dialogtool.coded.store import HEADER, dump_yaml, load_coded

ROOT = Path(__file__).resolve().parents[1]
CODEBOOK = ROOT / "codebook.yaml"
SAMPLES = sorted(p for p in (ROOT / "data" / "raw").iterdir() if p.suffix in (".txt", ".docx"))
COPIES = 24  # x 8 sample notes: a run codes for a second or two
TEMP = re.compile(r"^\.(?P<name>.+\.yaml)\.[A-Za-z0-9_]+\.tmp$")  # write_atomic's temporary files
EXTRAS = {"notater.md": b"Reviewer's own notes: not a coded note, never touched.\n"}
POSIX = pytest.mark.skipif(not hasattr(signal, "SIGKILL") or sys.platform == "win32", reason="POSIX signals")


def yaml_files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.glob("*.yaml") if not p.name.startswith(".")}


def temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def inodes(folder: Path) -> dict[str, int]:
    with os.scandir(folder) as entries:
        return {e.name: e.inode() for e in entries if e.name.endswith(".yaml") and not e.name.startswith(".")}


def live_processes(group: int) -> list[int]:
    """Processes of a process group that are still running (zombies do not count); Linux only."""
    pids: list[int] = []
    if not Path("/proc/self/stat").exists():
        return pids
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == group and fields[0] not in ("Z", "X"):
            pids.append(int(entry.name))
    return pids


def wait_for_group_to_end(group: int, limit: float = 15.0) -> list[int]:
    deadline = time.monotonic() + limit
    while (alive := live_processes(group)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return alive


def reviews_in(path: Path) -> dict[str, dict]:
    """Segment text -> review, for the segments of a coded file that carry one."""
    return {seg.text: seg.review.to_dict() for seg in load_coded(path).segments if seg.review}


class Corpus:
    """The notes, the folder state before each run, and what a complete run makes of it."""

    def __init__(self, base: Path) -> None:
        self.base = base  # every child runs here, so relative paths in coded files agree
        self.raw = base / "raw"
        self.raw.mkdir()
        for i in range(COPIES):
            for sample in SAMPLES:
                name = f"{i:03d} {sample.name}" if i % 2 else f"kopi_{i:03d}_{sample.name}"
                shutil.copy(sample, self.raw / name)
        first = self.run(base / "first", 1)
        assert first.returncode == 0, first.stderr
        self.before = self._before_state(yaml_files(base / "first"))
        self.before_dir = base / "before"
        self.before_dir.mkdir()
        for name, data in {**self.before, **EXTRAS}.items():
            (self.before_dir / name).write_bytes(data)
        reference = self.copy_before(base / "complete")
        done = self.run(reference, 1)
        assert done.returncode == 0, done.stderr
        self.complete = yaml_files(reference)
        assert set(self.complete) == set(yaml_files(base / "first")) | {"borte.yaml"}
        for name, data in self.complete.items():  # every version a kill may leave parses
            assert isinstance(yaml.safe_load(data), dict), name
        for name, data in self.before.items():
            assert isinstance(yaml.safe_load(data), dict), name
        self.stale = {n for n in self.before if self.before[n] != self.complete[n]}
        assert len(self.stale) > COPIES  # the runs have rewriting to do, and new files to write
        assert len(set(self.complete) - set(self.before)) > COPIES
        for name, review in self.reviews.items():
            assert reviews_in(reference / name) == review

    def _before_state(self, coded: dict[str, bytes]) -> dict[str, bytes]:
        """A third missing, a third stale (old fingerprint), a third current; some reviewed."""
        state: dict[str, bytes] = {}
        self.reviews: dict[str, dict[str, dict]] = {}
        for i, name in enumerate(sorted(coded)):
            if i % 3 == 0:
                continue
            text = coded[name].decode("utf-8")
            if i % 3 == 1:
                text, count = re.subn(r"(?m)^fingerprint: .*$", "fingerprint: '" + "0" * 64 + "'", text)
                assert count == 1
            if i % 5 == 1:
                document = yaml.safe_load(text)
                segment = next(s for s in document["segments"] if s["codes"])
                added = "KOMP" if segment["codes"][0] == "KE" else "KE"  # adding what is removed is an error
                review = {"add": [added], "remove": [segment["codes"][0]], "note": f"Sjekket av Kari ({i})"}
                segment["review"] = review
                text = HEADER + dump_yaml(document)
                self.reviews[name] = {segment["text"]: review}
            state[name] = text.encode("utf-8")
        assert len(self.reviews) >= 10
        # A coded file whose note is gone: no run may remove it.
        state["borte.yaml"] = coded[sorted(coded)[0]]
        return state

    def copy_before(self, target: Path) -> Path:
        shutil.copytree(self.before_dir, target)
        return target

    def start(self, out: Path, jobs: int) -> subprocess.Popen:
        args = [sys.executable, "-m", "dialogtool", "code", str(self.raw), "-c", str(CODEBOOK), "-o", str(out)]
        errors = (out.parent / f"{out.name}.stderr").open("wb")
        try:
            return subprocess.Popen(
                [*args, "--jobs", str(jobs)],
                cwd=self.base,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=errors,
                start_new_session=True,  # its own process group, like a job in a terminal
            )
        finally:
            errors.close()

    def stderr(self, out: Path) -> str:
        return (out.parent / f"{out.name}.stderr").read_text(encoding="utf-8", errors="replace")

    def run(self, out: Path, jobs: int) -> subprocess.CompletedProcess:
        process = self.start(out, jobs)
        process.wait(timeout=600)
        return subprocess.CompletedProcess(process.args, process.returncode, "", self.stderr(out))

    def check_folder(self, out: Path, before: dict[str, bytes]) -> dict[str, bytes]:
        """Every coded file is its old or its complete version; nothing lost or added."""
        now = yaml_files(out)
        assert set(now) <= set(self.complete), sorted(set(now) - set(self.complete))
        assert set(before) <= set(now), f"removed: {sorted(set(before) - set(now))}"
        for name, data in now.items():
            # Both versions were parsed in the fixture, so equality means the file parses.
            assert data in (before.get(name), self.complete[name]), f"{name} is neither old nor complete"
        for name, data in EXTRAS.items():
            assert (out / name).read_bytes() == data
        for name, review in self.reviews.items():
            assert reviews_in(out / name) == review, name
        for name in temp_files(out):  # only write_atomic's, for a known note, never *.yaml
            match = TEMP.match(name)
            assert match and match["name"] in self.complete, name
        return now


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return Corpus(tmp_path_factory.mktemp("interrupt"))


# --- SIGINT and SIGKILL at random moments ---------------------------------------------------------

SCENARIOS = [(sig, jobs) for _ in range(3) for sig in ("SIGINT", "SIGKILL") for jobs in (1, 2)]


@POSIX
@pytest.mark.slow
@pytest.mark.parametrize(
    ("run", "scenario"), list(enumerate(SCENARIOS)), ids=[f"{i}-{s}-jobs{j}" for i, (s, j) in enumerate(SCENARIOS)]
)
def test_stopped_run_leaves_old_or_complete_files(corpus: Corpus, run: int, scenario: tuple[str, int]) -> None:
    sig, jobs = scenario
    rng = random.Random(1000 + run)
    out = corpus.copy_before(corpus.base / f"run{run}")
    before = yaml_files(out)
    start_inodes = inodes(out)
    to_code = len(corpus.complete) - (len(corpus.before) - len(corpus.stale))
    process = corpus.start(out, jobs)
    signalled = False
    try:
        if sig == "SIGINT":
            # Ctrl-C part-way through the coding, wherever that is on this machine: after
            # a random number of notes were written (at most two thirds of them).
            target = rng.randint(1, to_code * 2 // 3)
            while process.poll() is None:
                now = inodes(out)
                if sum(1 for n, i in now.items() if start_inodes.get(n) != i) >= target:
                    break
                time.sleep(0.005)
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
                signalled = True
        else:
            time.sleep(rng.uniform(0.05, 2.5))  # anywhere: start-up, coding or exit
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)  # the whole job: no orphans (see below)
                signalled = True
        process.wait(timeout=300)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert wait_for_group_to_end(process.pid) == []  # no worker outlives the run
    stderr = corpus.stderr(out)
    assert "Traceback" not in stderr
    late = sig == "SIGINT" and signalled and process.returncode == 0
    if late:  # the Ctrl-C landed after the last note was written, as the run was exiting
        assert int(re.search(r"(\d+) written", stderr)[1]) == to_code, stderr
    elif sig == "SIGINT" and signalled:
        assert process.returncode == 130, stderr
        assert "Interrupted:" in stderr
        written = int(re.search(r"Interrupted: (\d+) file\(s\) written", stderr)[1])
        changed = sum(1 for n, i in inodes(out).items() if start_inodes.get(n) != i)
        assert written <= changed  # reported files were really written (workers may add more)
        assert temp_files(out) == []  # Ctrl-C cleans up after itself
    elif sig == "SIGKILL" and signalled:
        assert process.returncode == -signal.SIGKILL
    else:
        assert process.returncode == 0, stderr
    corpus.check_folder(out, before)

    # Running again finishes the job, keeps everything that is not its own, breaks nothing.
    leftovers = temp_files(out)
    again = corpus.run(out, 1)
    assert again.returncode == 0, again.stderr
    assert "Traceback" not in again.stderr and "Error" not in again.stderr
    assert yaml_files(out) == corpus.complete
    corpus.check_folder(out, corpus.complete)
    assert temp_files(out) == leftovers  # a SIGKILL's leftovers stay; the run adds none


@POSIX
@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_workers_do_not_outlive_a_killed_parent(corpus: Corpus) -> None:
    out = corpus.copy_before(corpus.base / "orphans")
    start_inodes = inodes(out)
    process = corpus.start(out, 2)
    try:
        while process.poll() is None and inodes(out) == start_inodes:  # the workers are coding
            time.sleep(0.005)
        assert process.poll() is None, "finished before it could be killed"
        os.kill(process.pid, signal.SIGKILL)  # only the parent, as the OOM killer would
        process.wait()
        after_kill = inodes(out)
        survivors = wait_for_group_to_end(process.pid, limit=10.0)
        later = inodes(out)
    finally:
        if live_processes(process.pid):  # clean up the orphans this test made
            os.killpg(process.pid, signal.SIGKILL)
    assert later == after_kill, "files were written after the run was killed"
    assert survivors == []


# --- Ctrl-C in-process: deterministic --------------------------------------------------------------

runner = CliRunner()


def test_interrupt_during_coding_keeps_finished_files(raw_copy: Path, tmp_path: Path, monkeypatch) -> None:
    from dialogtool.coding import workers
    from dialogtool.ingest.note import doc_id

    calls = []
    original = workers._code_one

    def code_one(task, codebook, matcher):
        calls.append(task.path)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return original(task, codebook, matcher)

    monkeypatch.setattr(workers, "_code_one", code_one)
    out = tmp_path / "out"
    result = runner.invoke(app, ["code", str(raw_copy), "-c", str(CODEBOOK), "-o", str(out), "--jobs", "1"])
    assert result.exit_code == 130
    assert "Traceback" not in result.output
    assert "Interrupted: 2 file(s) written and complete, 6 note(s) not coded" in result.stderr
    assert sorted(p.name for p in out.glob("*.yaml")) == sorted(f"{doc_id(p)}.yaml" for p in calls[:2])
    monkeypatch.undo()
    again = runner.invoke(app, ["code", str(raw_copy), "-c", str(CODEBOOK), "-o", str(out), "--jobs", "1"])
    assert again.exit_code == 0
    assert "6 written, 0 unchanged; 2 skipped" in again.stderr


@pytest.mark.parametrize(
    "where",
    [
        pytest.param("dialogtool.coding.codebook.load_codebook", id="loading-codebook"),
        pytest.param("dialogtool.coding.run.find_notes", id="finding-notes"),
    ],
)
def test_interrupt_before_coding_starts_is_exit_130_and_writes_nothing(
    raw_copy: Path, tmp_path: Path, monkeypatch, where: str
) -> None:
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(where, interrupted)
    out = tmp_path / "out"
    result = runner.invoke(app, ["code", str(raw_copy), "-c", str(CODEBOOK), "-o", str(out), "--jobs", "1"])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 130, result.output
    assert not out.exists()


# --- what the atomic write leaves ------------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_coded_files_get_the_usual_permissions(raw_copy: Path, tmp_path: Path, codebook) -> None:
    from dialogtool.coding.run import code_paths

    old = os.umask(0o022)
    try:
        code_paths([raw_copy], codebook, tmp_path / "out")
    finally:
        os.umask(old)
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "out").glob("*.yaml")}
    assert len(modes) == 8
    assert set(modes.values()) == {0o644}, modes


def test_interrupt_while_notes_are_read_ahead_writes_none_of_them(raw_copy: Path, tmp_path: Path, monkeypatch) -> None:
    """Ctrl-C while a batch of notes is read and coded, before any of them is written: nothing
    is written, and a run in the same process afterwards uses nothing the stopped run read."""
    from dialogtool.coding import workers

    calls = []
    original = workers.code_note

    def code_note(*args):
        calls.append(1)
        if len(calls) == 4:
            raise KeyboardInterrupt
        return original(*args)

    monkeypatch.setattr(workers, "code_note", code_note)
    out = tmp_path / "out"
    result = runner.invoke(app, ["code", str(raw_copy), "-c", str(CODEBOOK), "-o", str(out), "--jobs", "1"])
    assert result.exit_code == 130
    assert "Traceback" not in result.output
    assert "8 note(s) not coded" in result.stderr
    assert list(out.glob("*.yaml")) == []
    monkeypatch.undo()
    again = runner.invoke(app, ["code", str(raw_copy), "-c", str(CODEBOOK), "-o", str(out), "--jobs", "1"])
    assert again.exit_code == 0
    assert "8 written, 0 unchanged" in again.stderr
    fresh = runner.invoke(
        app, ["code", str(raw_copy), "-c", str(CODEBOOK), "-o", str(tmp_path / "fresh"), "--jobs", "1"]
    )
    assert fresh.exit_code == 0
    assert yaml_files(out) == yaml_files(tmp_path / "fresh")
