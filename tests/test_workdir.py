"""The tool's caches live in one `.dialogtool/` folder that git never stages."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dialogtool.cli import app
from dialogtool.coded.workdir import CACHE_DIR, cache_path

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def run(*args: object) -> None:
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output


def git(repo: Path, *args: str) -> str:
    """git with no user or system configuration, so a global excludes file cannot hide anything."""
    env = os.environ | {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return done.stdout


@needs_git
def test_git_add_all_stages_only_coded_yaml(raw_copy: Path, tmp_path: Path) -> None:
    coded = tmp_path / "coded"
    coded.mkdir()
    git(coded, "init", "-q")
    book = ROOT / "codebook.yaml"
    run("code", raw_copy, "--codebook", book, "--out", coded, "--jobs", "1")
    run("table", "--coded", coded, "--codebook", book)
    run("report", "--coded", coded, "--codebook", book, "--output", tmp_path / "report")
    run("code", raw_copy, "--codebook", book, "--out", coded, "--jobs", "1", "--force")
    assert (coded / CACHE_DIR / "codes.json").exists() and (coded / CACHE_DIR / "notes").is_dir()
    git(coded, "add", "-A")
    staged = git(coded, "diff", "--cached", "--name-only").split()
    expected = sorted(p.name for p in coded.glob("*.yaml"))
    assert len(expected) == 8
    assert sorted(staged) == expected
    assert git(coded, "status", "--porcelain", "--ignored").count("!! .dialogtool/") == 1


def test_cache_folder_carries_its_own_gitignore_and_replaces_old_caches(tmp_path: Path) -> None:
    for old in (".dialogtool-codes.json", ".dialogtool-written.json", ".dialogtool-index.json"):
        (tmp_path / old).write_text("{}", encoding="utf-8")
    (tmp_path / ".dialogtool-cache").mkdir()
    (tmp_path / ".dialogtool-cache" / "x.yaml.json").write_text("[]", encoding="utf-8")
    (tmp_path / "keep.yaml").write_text("segments: []\n", encoding="utf-8")
    assert cache_path(tmp_path, "codes.json") == tmp_path / ".dialogtool" / "codes.json"
    assert not (tmp_path / ".dialogtool").exists()  # asking for a path creates nothing
    target = cache_path(tmp_path, "notes/a.yaml.json", create=True)
    assert target.parent.is_dir()
    lines = (tmp_path / ".dialogtool" / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "*" in lines
    assert sorted(p.name for p in tmp_path.iterdir()) == [".dialogtool", "keep.yaml"]


def test_the_repository_carries_no_cache_files() -> None:
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    assert not [name for name in tracked if ".dialogtool" in name]
