"""Properties of coding: the same notes give the same bytes, however the run is arranged.

The order in which notes are named, repeats among them, the number of worker processes
and Python's per-process hash seed must not change a single byte of what `code` writes;
and whatever a reviewer writes in a review block survives re-coding exactly.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from dialogtool.cli import app
from dialogtool.coded.store import HEADER, dump_yaml, load_coded
from dialogtool.coding.run import code_paths, doc_id

ROOT = Path(__file__).resolve().parents[1]
CODEBOOK = ROOT / "codebook.yaml"
RAW = ROOT / "data" / "raw"
SAMPLES = sorted(p for p in RAW.iterdir() if p.suffix in (".txt", ".docx"))
SLOW_EXAMPLES = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.yaml"))}  # bookkeeping files hold mtimes


@pytest.fixture(scope="module")
def notes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample corpus with its manifest, copied (read-only use)."""
    folder = tmp_path_factory.mktemp("props") / "raw"
    shutil.copytree(RAW, folder)
    return folder


@pytest.fixture(scope="module")
def many_notes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """48 notes: six copies of each sample under varied names, enough for a worker pool."""
    folder = tmp_path_factory.mktemp("many") / "raw"
    folder.mkdir()
    for i in range(6):
        for sample in SAMPLES:
            shutil.copy(sample, folder / (f"møte {i} {sample.name}" if i % 2 else f"k{i}_{sample.name}"))
    shutil.copy(RAW / "meta.yaml", folder / "meta.yaml")  # names nothing here: must change nothing
    return folder


@pytest.fixture(scope="module")
def reference(notes: Path, codebook, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("reference")
    summary = code_paths([notes], codebook, out)
    assert not summary.problems and len(summary.written) == len(SAMPLES)
    return outputs(out)


@settings(SLOW_EXAMPLES, max_examples=12)
@given(data=st.data())
def test_order_and_repeats_of_the_inputs_do_not_matter(notes: Path, codebook, reference, data) -> None:
    files = [notes / p.name for p in SAMPLES]
    order = data.draw(st.permutations(files), label="order")
    repeats = data.draw(st.lists(st.sampled_from(files), max_size=4), label="repeats")
    with_folder = data.draw(st.booleans(), label="folder too")
    paths = order + repeats + ([notes] if with_folder else [])
    data.draw(st.randoms(use_true_random=False)).shuffle(paths)
    with tempfile.TemporaryDirectory() as tmp:
        summary = code_paths(paths, codebook, Path(tmp) / "out")
        assert summary.problems == []
        assert outputs(Path(tmp) / "out") == reference


def test_the_same_note_named_in_two_forms_is_coded_once(notes: Path, codebook, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(notes.parent)
    summary = code_paths([Path("raw"), notes / "narvik_bord5.txt"], codebook, tmp_path / "out")
    assert summary.problems == []
    assert len(summary.written) == len(SAMPLES)


def test_worker_processes_write_the_same_bytes(many_notes: Path, codebook, tmp_path: Path, monkeypatch) -> None:
    from dialogtool.coding import workers

    coded_by = tmp_path / "pids"
    original = workers._code_one

    def code_one(*args):
        with coded_by.open("a", encoding="utf-8") as handle:  # appends stay whole across processes
            handle.write(f"{os.getpid()}\n")
        return original(*args)

    monkeypatch.setattr(workers, "_code_one", code_one)  # forked workers inherit the patch
    files = sorted((p for p in many_notes.iterdir() if p.suffix != ".yaml"), key=lambda p: p.name, reverse=True)
    one = code_paths([many_notes], codebook, tmp_path / "one", jobs=1)
    coded_by.unlink()
    two = code_paths(files, codebook, tmp_path / "two", jobs=2)  # other order, other processes
    pids = coded_by.read_text(encoding="utf-8").split()
    assert len(pids) == 48 and str(os.getpid()) not in pids  # really coded by the workers
    assert len(one.written) == 48 and not one.problems
    assert [p.name for p in one.written] == [p.name for p in two.written]
    assert (one.segments, one.coded_segments, one.encodings) == (two.segments, two.coded_segments, two.encodings)
    assert outputs(tmp_path / "one") == outputs(tmp_path / "two")


def test_cli_jobs_2_is_byte_identical_to_jobs_1(many_notes: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    results = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"jobs{jobs}"
        args = ["code", str(many_notes), "-c", str(CODEBOOK), "-o", str(out), "--jobs", jobs]
        results[jobs] = runner.invoke(app, args)
        assert results[jobs].exit_code == 0, results[jobs].output
        assert "Traceback" not in results[jobs].output
    assert results["1"].stderr == results["2"].stderr.replace("jobs2", "jobs1")
    assert len(outputs(tmp_path / "jobs1")) == 48
    assert outputs(tmp_path / "jobs1") == outputs(tmp_path / "jobs2")


@pytest.mark.slow  # several fresh processes; `make test` runs it
def test_hash_seed_does_not_change_the_output(notes: Path, tmp_path: Path) -> None:
    """Separate processes with different PYTHONHASHSEED: no set or dict order leaks out."""
    runs = []
    for seed in ("0", "4242"):  # side by side
        env = {**os.environ, "PYTHONHASHSEED": seed}
        args = [sys.executable, "-m", "dialogtool", "code", str(notes), "-c", str(CODEBOOK), "-o", f"out{seed}"]
        runs.append(subprocess.Popen([*args, "--jobs", "1"], cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True))
    for run in runs:
        _, stderr = run.communicate(timeout=300)
        assert run.returncode == 0, stderr
    assert len(outputs(tmp_path / "out0")) == len(SAMPLES)
    assert outputs(tmp_path / "out0") == outputs(tmp_path / "out4242")


CODE_IDS = st.sampled_from(["KE", "IP", "INFO", "GRUPPER.ME", "GRUPPER.RUS", "KOMP"])  # a review names codebook ids
REVIEWS = st.fixed_dictionaries(
    {"add": st.lists(CODE_IDS, max_size=3, unique=True), "remove": st.lists(CODE_IDS, max_size=3, unique=True)},
    optional={"note": st.text(max_size=80)},
).map(lambda r: r | {"remove": [c for c in r["remove"] if c not in r["add"]]})  # adding what it removes is an error


@pytest.fixture(scope="module")
def one_note(tmp_path_factory: pytest.TempPathFactory, codebook) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("review")
    (base / "in").mkdir()
    shutil.copy(RAW / "narvik_bord5.txt", base / "in" / "narvik_bord5.txt")
    code_paths([base / "in"], codebook, base / "coded")
    return base / "in", base / "coded" / "narvik_bord5.yaml"


@settings(SLOW_EXAMPLES, max_examples=25)
@given(picks=st.lists(st.tuples(st.integers(0, 10**6), REVIEWS), min_size=1, max_size=4))
def test_any_review_survives_recoding_exactly(one_note: tuple[Path, Path], codebook, picks) -> None:
    notes, coded = one_note
    document = yaml.safe_load(coded.read_text(encoding="utf-8"))
    for segment in document["segments"]:
        segment.pop("review", None)
    wanted = {}
    for index, review in picks:
        segment = document["segments"][index % len(document["segments"])]
        segment["review"] = review
        wanted[segment["id"]] = review
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "narvik_bord5.yaml"
        target.write_text(HEADER + dump_yaml(document), encoding="utf-8")  # as a reviewer's editor would save it
        summary = code_paths([notes], codebook, Path(tmp), force=True)
        assert summary.problems == [] and summary.unplaced_reviews == []
        again = load_coded(target)
        got = {seg.id: seg.review.to_dict() for seg in again.segments if seg.review is not None}
        expected = {
            sid: {"add": r["add"], "remove": r["remove"], **({"note": r["note"]} if r.get("note") else {})}
            for sid, r in wanted.items()
        }
        assert got == expected
        assert yaml.safe_load(target.read_text(encoding="utf-8"))["document"] == "narvik_bord5"


@given(stem=st.text(min_size=0, max_size=40))
def test_document_ids_are_safe_file_names(stem: str) -> None:
    key = doc_id(Path(f"{stem.replace('/', '')}.txt"))
    assert key and re.fullmatch(r"[\w.-]+", key)
    assert not key.startswith((".", "-")) and "/" not in key and "\\" not in key
