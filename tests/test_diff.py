"""`diff`: coding changes between git revisions of the coded folder, or two folders."""

from __future__ import annotations

import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from dialogtool.analysis.codings import load_coding
from dialogtool.analysis.diff import diff_codings
from dialogtool.cli import app
from dialogtool.coding.codebook import load_codebook
from dialogtool.coding.run import code_paths
from dialogtool.errors import DialogtoolError

ROOT = Path(__file__).resolve().parents[1]
GIT = shutil.which("git")
pytestmark = pytest.mark.skipif(GIT is None, reason="git is not installed")


def git(repo: Path, *args: str) -> str:
    """Run git with an identity of its own: CI machines have none."""
    command = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false"]
    return subprocess.run([*command, *args], cwd=repo, check=True, capture_output=True, text=True).stdout


def edit_codebook(path: Path) -> None:
    """Drop the acronym KE from KE's terms and give INFO a new term: segments gain and lose."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    codes = {code["id"]: code for code in data["codes"]}
    ke_terms = codes["KE"]["concepts"][0]["terms"]  # the concept "the unit by name"
    assert "KE" in ke_terms
    ke_terms.remove("KE")
    codes["INFO"]["concepts"][0]["terms"].append("samarbeid")
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git repository with the sample notes coded and committed, then re-coded (not
    committed) after a codebook change."""
    repo = tmp_path_factory.mktemp("repo")
    shutil.copytree(ROOT / "data" / "raw", repo / "raw")
    shutil.copy(ROOT / "codebook.yaml", repo / "codebook.yaml")
    coded = repo / "data" / "coded"
    code_paths([repo / "raw"], load_codebook(repo / "codebook.yaml"), coded)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "first coding")
    edit_codebook(repo / "codebook.yaml")
    summary = code_paths([repo / "raw"], load_codebook(repo / "codebook.yaml"), coded)
    assert summary.written and not summary.problems
    return repo


def top_codes(segment: dict) -> set[str]:
    codes = set(segment.get("codes") or [])
    review = segment.get("review") or {}
    codes = (codes - set(review.get("remove") or [])) | set(review.get("add") or [])
    return {code.split(".")[0] for code in codes}


def expected_changes(repo: Path) -> tuple[dict[str, set], dict[str, set]]:
    """Gains and losses per theme computed straight from the two YAML versions of each file."""
    gained: dict[str, set] = defaultdict(set)
    lost: dict[str, set] = defaultdict(set)
    for path in sorted((repo / "data" / "coded").glob("*.yaml")):
        old = yaml.safe_load(git(repo, "show", f"HEAD:data/coded/{path.name}"))
        new = yaml.safe_load(path.read_text(encoding="utf-8"))
        before: dict[str, list[dict]] = defaultdict(list)
        for segment in old["segments"]:
            before[segment["text"]].append(segment)
        for segment in new["segments"]:
            old_segment = before[segment["text"]].pop(0)
            for theme in top_codes(segment) - top_codes(old_segment):
                gained[theme].add((new["document"], segment["id"]))
            for theme in top_codes(old_segment) - top_codes(segment):
                lost[theme].add((new["document"], segment["id"]))
    return gained, lost


def test_diff_head_against_working_tree(repo: Path) -> None:
    coded = repo / "data" / "coded"
    result = diff_codings(load_coding("HEAD", coded), load_coding(None, coded), load_codebook(repo / "codebook.yaml"))
    gained, lost = expected_changes(repo)
    assert lost["KE"] and gained["INFO"]  # the edit changed something both ways
    found_gained = {c.theme: {(s.document, s.id) for s in c.gained} for c in result.themes}
    found_lost = {c.theme: {(s.document, s.id) for s in c.lost} for c in result.themes}
    assert {t: s for t, s in found_gained.items() if s} == {t: s for t, s in gained.items() if s}
    assert {t: s for t, s in found_lost.items() if s} == {t: s for t, s in lost.items() if s}
    assert [c.theme for c in result.themes] == [t for t in ("KE", "IP", "INFO", "KOMP", "GRUPPER") if t in found_gained]
    assert not result.added and not result.removed and not result.notes_added
    assert result.a.startswith("HEAD (") and "working tree" in result.b


def test_diff_cli(repo: Path) -> None:
    coded = repo / "data" / "coded"
    result = CliRunner().invoke(app, ["diff", "--coded", str(coded), "-c", str(repo / "codebook.yaml")])
    assert result.exit_code == 0, result.output
    gained, lost = expected_changes(repo)
    assert f"KE Koordinerende enhet: +{len(gained['KE'])} / −{len(lost['KE'])}" in result.stdout
    assert f"INFO Informasjonsflyt: +{len(gained['INFO'])} / −{len(lost['INFO'])}" in result.stdout
    some_document, some_id = sorted(lost["KE"])[0]
    assert f"− {some_document} {some_id}" in result.stdout
    same = CliRunner().invoke(app, ["diff", "HEAD", "HEAD", "--coded", str(coded), "-c", str(repo / "codebook.yaml")])
    assert same.exit_code == 0 and "No changes in the coding" in same.stderr and not same.stdout
    bad = CliRunner().invoke(app, ["diff", "nosuchrev", "--coded", str(coded), "-c", str(repo / "codebook.yaml")])
    assert bad.exit_code == 2 and "'nosuchrev' is neither a folder nor a git revision" in bad.output


def test_diff_two_folders_text_edits_reviews_and_notes(repo: Path, tmp_path: Path) -> None:
    old = tmp_path / "old"
    new = tmp_path / "new"
    shutil.copytree(repo / "data" / "coded", old)
    shutil.copytree(old, new)
    path = new / "tromso_bord1_ke.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    edited = next(s for s in doc["segments"] if s["codes"])
    original_text = edited["text"]
    edited["text"] = original_text + " (endret)"
    reviewed = next(s for s in doc["segments"] if "IP" in s["codes"] and s is not edited)
    reviewed["review"] = {"add": ["KOMP"], "remove": ["IP"], "note": "feil tema"}
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (new / "narvik_bord5.yaml").unlink()
    book = load_codebook(repo / "codebook.yaml")
    result = diff_codings(load_coding(str(old), old), load_coding(str(new), old), book)
    changes = {c.theme: c for c in result.themes}
    assert [s.id for s in changes["IP"].lost] == [reviewed["id"]]
    assert [s.id for s in changes["KOMP"].gained] == [reviewed["id"]]
    assert [s.text for s in result.removed] == [original_text]
    assert [s.text for s in result.added] == [original_text + " (endret)"]
    assert [name for name, _ in result.notes_removed] == ["narvik_bord5"]
    level2 = diff_codings(load_coding(str(old), old), load_coding(str(new), old), book, level=2)
    assert level2.level == 2


def test_errors_name_the_problem(tmp_path: Path, repo: Path) -> None:
    coded = tmp_path / "coded"
    shutil.copytree(repo / "data" / "coded", coded)
    with pytest.raises(DialogtoolError, match="not in a git repository"):
        load_coding("HEAD", coded)
    with pytest.raises(DialogtoolError, match="has no folder"):
        load_coding("HEAD", repo / "raw" / "nowhere")
    with pytest.raises(DialogtoolError, match="neither a folder nor a git revision"):
        load_coding("HEAD~3", repo / "data" / "coded")
