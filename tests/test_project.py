"""`dialogtool init` sets up a project that runs with no options; `status` says where it stands."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from dialogtool.analysis.project import init_project, project_status, starter_codebook
from dialogtool.cli import app

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
runner = CliRunner()


def run(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def git(repo: Path, *args: str) -> str:
    env = os.environ | {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True).stdout


def test_init_then_code_with_no_options(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "nytt"
    result = run("init", project)
    assert result.exit_code == 0, result.output
    assert (project / "codebook.yaml").read_bytes() == (ROOT / "codebook.yaml").read_bytes()
    assert (project / "data" / "coded").is_dir()
    readme = (project / "data" / "raw" / "README.md").read_text(encoding="utf-8")
    assert "meta.yaml" in readme and ".docx" in readme
    assert yaml.safe_load((project / "data" / "raw" / "meta.yaml").read_text(encoding="utf-8")) is None
    shutil.copy(RAW / "forde_bord1_nynorsk.txt", project / "data" / "raw")
    monkeypatch.chdir(project)
    coded = run("code", "--jobs", "1")
    assert coded.exit_code == 0, coded.stderr
    assert (project / "data" / "coded" / "forde_bord1_nynorsk.yaml").is_file()
    assert run("table").exit_code == 0
    if shutil.which("git"):
        assert (project / ".git").is_dir()
        git(project, "add", "-A")
        staged = git(project, "diff", "--cached", "--name-only").split()
        assert ".gitignore" in staged and "data/coded/forde_bord1_nynorsk.yaml" in staged
        assert not [name for name in staged if ".dialogtool/" in name]


def test_init_never_overwrites_and_leaves_an_existing_repository_alone(tmp_path: Path) -> None:
    (tmp_path / "codebook.yaml").write_text("name: mine\n", encoding="utf-8")
    (tmp_path / ".gitignore").write_text("x\n", encoding="utf-8")
    first = init_project(tmp_path)
    assert tmp_path / "codebook.yaml" in first.kept and tmp_path / ".gitignore" in first.kept
    assert (tmp_path / "codebook.yaml").read_text(encoding="utf-8") == "name: mine\n"
    assert (tmp_path / ".gitignore").read_text(encoding="utf-8") == "x\n"
    second = init_project(tmp_path)
    assert second.created == () and len(second.kept) == 4
    if shutil.which("git"):
        assert first.git == "created" and second.git == "exists"
        sub = init_project(tmp_path / "inner")
        assert sub.git == "exists" and not (tmp_path / "inner" / ".git").exists()


def test_init_refuses_a_file(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("", encoding="utf-8")
    result = run("init", tmp_path / "f")
    assert result.exit_code == 2 and "not a folder" in result.stderr


def test_starter_codebook_is_the_projects() -> None:
    assert starter_codebook() == (ROOT / "codebook.yaml").read_bytes()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("bodo_2018-10-12_bord2.txt", "narvik_bord5.txt", "forde_bord1_nynorsk.txt", "tromso_bord1_ke.txt"):
        shutil.copy(RAW / name, raw)
    assert run("code", raw, "--codebook", ROOT / "codebook.yaml", "--out", tmp_path / "coded", "-j", "1").exit_code == 0
    return tmp_path


def _review(path: Path, index: int, review: dict) -> None:
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    data["segments"][index]["review"] = review
    header = "".join(line for line in text.splitlines(keepends=True) if line.startswith("#"))
    path.write_text(header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_status_counts_out_of_date_reviewed_and_orphaned_notes(project: Path, codebook) -> None:
    raw, coded = project / "raw", project / "coded"
    with (raw / "narvik_bord5.txt").open("a", encoding="utf-8") as handle:
        handle.write("\nEn ny setning om individuell plan.\n")  # source changed since coding
    (raw / "meta.yaml").write_text("forde_bord1_nynorsk.txt:\n  table: 9\n", encoding="utf-8")  # manifest changed
    (raw / "tromso_bord1_ke.txt").unlink()  # its coded file is an orphan
    shutil.copy(RAW / "Mo i Rana bord 4.txt", raw)  # not coded yet
    bodo = coded / "bodo_2018-10-12_bord2.yaml"
    data = yaml.safe_load(bodo.read_text(encoding="utf-8"))
    texts = [i for i, s in enumerate(data["segments"]) if s.get("kind") != "heading"]
    _review(bodo, texts[0], {"add": ["KOMP"], "remove": [], "by": "kari"})
    _review(bodo, texts[1], {"add": [], "remove": [], "accepted": True, "by": "kari"})
    _review(bodo, texts[2], {"add": [], "remove": ["INFO"]})

    status = project_status([raw], codebook, coded)

    segments = 0
    for path in coded.glob("*.yaml"):
        segments += sum(1 for s in yaml.safe_load(path.read_text(encoding="utf-8"))["segments"] if "kind" not in s)
    assert status.notes == 4 and status.coded == 3, status
    assert sorted(Path(p).name for p in status.out_of_date) == ["forde_bord1_nynorsk.txt", "narvik_bord5.txt"]
    assert [Path(p).name for p in status.not_coded] == ["Mo i Rana bord 4.txt"]
    assert [Path(p).name for p in status.orphans] == ["tromso_bord1_ke.yaml"]
    assert status.segments == segments and status.reviewed == 3 and status.accepted == 1
    assert status.unreviewed == segments - 3
    assert status.reviewers == {"kari": 2, "": 1}
    assert status.problems == []

    result = run("status", raw, "--coded", coded, "--codebook", ROOT / "codebook.yaml")
    assert result.exit_code == 0, result.output
    assert "Notes: 4 found, 3 coded" in result.stdout and "2 out of date" in result.stdout
    assert f"{segments - 3} unreviewed" in result.stdout and "Reviewed by: (no by:) 1, kari 2" in result.stdout
    assert "Out of date" in result.stdout and "narvik_bord5.txt" in result.stdout


def test_status_lists_unreadable_reviews_with_their_line(project: Path) -> None:
    coded = project / "coded"
    target = coded / "narvik_bord5.yaml"
    lines = target.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("  codes: [")) + 1
    lines[at:at] = ["  review:\n", "    add: [Info]\n"]
    target.write_text("".join(lines), encoding="utf-8")
    result = run("status", project / "raw", "--coded", coded, "--codebook", ROOT / "codebook.yaml")
    assert result.exit_code == 1
    assert f"{target}:{at + 2}: unknown code 'Info' in review.add (did you mean 'INFO'?)" in result.stdout
    assert "Notes: 4 found, 4 coded" in result.stdout
