"""The one writer: atomic, the umask's mode, and used for every file the tool writes."""

from __future__ import annotations

import os
import re
import shutil
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dialogtool import files
from dialogtool.cli import app
from dialogtool.errors import DialogtoolError
from dialogtool.files import replace_if_unchanged, write_bytes, write_text, write_with

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "dialogtool"


def test_write_text_keeps_old_file_when_replace_fails(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "note.yaml"
    target.write_text("old\n", encoding="utf-8")

    def broken(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(DialogtoolError, match=r"note\.yaml: cannot write: disk full"):
        write_text(target, "new\n")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["note.yaml"]  # no temp file left


def test_text_is_written_byte_for_byte(tmp_path: Path) -> None:
    write_text(tmp_path / "a" / "b.csv", "x,y\r\nø,1\n")
    assert (tmp_path / "a" / "b.csv").read_bytes() == "x,y\r\nø,1\n".encode()
    write_with(tmp_path / "c.bin", lambda handle: handle.write(b"\x00\xff"))
    assert (tmp_path / "c.bin").read_bytes() == b"\x00\xff"


@pytest.fixture
def umask_027():
    old = os.umask(0o027)
    try:
        yield
    finally:
        os.umask(old)


def test_write_bytes_gives_the_umask_mode(tmp_path: Path, umask_027) -> None:
    write_bytes(tmp_path / "f", b"x")
    assert stat.S_IMODE((tmp_path / "f").stat().st_mode) == 0o640


@pytest.mark.parametrize("unnamed", [True, False], ids=["unnamed file", "named temporary file"])
def test_a_new_file_appears_whole_with_the_umask_mode_and_never_replaces_one(
    tmp_path: Path, umask_027, monkeypatch: pytest.MonkeyPatch, unnamed: bool
) -> None:
    """`replace_if_unchanged(..., None)` makes a file that did not exist: on Linux from an unnamed
    file given its name, elsewhere (or where that fails) from a named temporary file."""
    if not unnamed:
        monkeypatch.setattr(files, "_create_whole", lambda path, data: None)
    elif not hasattr(os, "O_TMPFILE"):
        pytest.skip("no unnamed files here")
    target = tmp_path / "a.yaml"
    assert replace_if_unchanged(target, b"x" * 100_000, None)
    assert target.read_bytes() == b"x" * 100_000
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert not replace_if_unchanged(target, b"other", None)  # it exists now: left as it is
    (tmp_path / "link.yaml").symlink_to(tmp_path / "nowhere")
    assert not replace_if_unchanged(tmp_path / "link.yaml", b"other", None)  # nor a dangling link
    assert target.read_bytes() == b"x" * 100_000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml", "link.yaml"]  # no temporary name left
    if unnamed:
        assert files._create_whole(tmp_path / "b.yaml", b"y") is True  # the unnamed way was taken


def test_every_format_the_commands_write_has_the_umask_mode(sample: Path, tmp_path: Path, umask_027) -> None:
    coded = tmp_path / "coded"
    shutil.copytree(sample, coded)
    out = tmp_path / "out"
    book = str(ROOT / "codebook.yaml")
    runner = CliRunner()
    commands = [
        ["export", "qdpx", "-o", str(out / "p.qdpx"), "--coded", str(coded), "-c", book],
        ["export", "qdc", "-o", str(out / "c.qdc"), "-c", book],
        ["table", "--coded", str(coded), "-c", book, "-f", "xlsx", "-o", str(out / "t.xlsx")],
        ["table", "--coded", str(coded), "-c", book, "-f", "md", "-o", str(out / "t.md")],
        ["quotes", "KE", "--coded", str(coded), "-c", book, "-f", "docx", "-o", str(out / "q.docx")],
        ["report", "--coded", str(coded), "-c", book, "-o", str(out / "report")],
        ["code", str(ROOT / "data" / "raw"), "-c", book, "-o", str(out / "coded"), "-j", "1"],
    ]
    for argv in commands:
        result = runner.invoke(app, argv)
        assert result.exit_code == 0, result.output
    written = [p for p in out.rglob("*") if p.is_file()]
    suffixes = {p.suffix for p in written}
    assert {".qdpx", ".qdc", ".xlsx", ".docx", ".md", ".png", ".yaml", ".json"} <= suffixes
    assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in written} == {p.name: 0o640 for p in written}


# Writing calls; `.save(buffer` and `.savefig(buffer` fill the memory buffer that write_with writes.
WRITES = re.compile(
    r"\.write_text\(|\.write_bytes\(|\.save\((?!buffer)|\.savefig\((?!buffer)|open\([^)]*[\"'][wax]b?\+?[\"']|mkstemp"
)


def test_no_module_but_files_py_writes_a_file() -> None:
    """A new writer would bypass atomicity and the mode: it must go through dialogtool.files."""
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        if path.name == "files.py" and path.parent == SRC:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if WRITES.search(line) and "write_with(" not in line:
                offenders.append(f"{path.relative_to(SRC)}:{number}: {line.strip()}")
    assert offenders == []


def test_a_cache_write_refuses_a_planted_symlink_and_leaves_its_target_alone(tmp_path: Path) -> None:
    from dialogtool.errors import DialogtoolError
    from dialogtool.files import write_cache_bytes

    target = tmp_path / "precious.txt"
    target.write_text("keep me", encoding="utf-8")
    link = tmp_path / "note.yaml.json"
    link.symlink_to(target)
    with pytest.raises(DialogtoolError, match="cannot write"):
        write_cache_bytes(link, b"[1, 2]")
    assert target.read_text(encoding="utf-8") == "keep me"
    plain = tmp_path / "other.json"
    write_cache_bytes(plain, b"[1, 2]")
    write_cache_bytes(plain, b"[3]")  # shorter: the old bytes are truncated away
    assert plain.read_bytes() == b"[3]"
