"""Hostile inputs through `dialogtool code`: each one beside a good note.

Every bad file must cost only itself: one line on stderr naming the file and the reason,
the good note still coded, exit code 1 (0 when the input is legitimately fine), and never
a traceback. Each input is built here in tmp_path; the repository's data is only read.
Memory checks measure the library in-process with tracemalloc (Python allocations) or a
child process's peak RSS, never time.
"""

from __future__ import annotations

import io
import os
import random
import shutil
import subprocess
import sys
import tracemalloc
import unicodedata
import zipfile
from pathlib import Path

import docx
import openpyxl
import pypdf
import pytest
import yaml
from typer.testing import CliRunner

from dialogtool.cli import app
from dialogtool.coded.note import CodedNote
from dialogtool.coded.store import HEADER, load_coded
from dialogtool.coding.run import Problem, code_paths, doc_id
from dialogtool.errors import DialogtoolError
from dialogtool.ingest import readers as ingest

ROOT = Path(__file__).resolve().parents[1]
CODEBOOK = ROOT / "codebook.yaml"
GOOD = ROOT / "data" / "raw" / "narvik_bord5.txt"
SAMPLE_DOCX = ROOT / "data" / "raw" / "harstad_bord3.docx"
PARAGRAPH = (
    "Brukerrepresentantene fortalte at ME-pasienter og pasienter med langvarige smerter ikke får "
    "rehabilitering i kommunen. Fastlegen mangler kunnskap, og koordinerende enhet er lite kjent. "
    "Vi ønsker et tettere samarbeid mellom sykehuset og kommunene i Nord-Norge om pasientforløp.\n\n"
)
runner = CliRunner()

# dialogtool's own bookkeeping in an output folder (temp files are not among them)
STATE_FILES = {".dialogtool"}


# --- helpers ---------------------------------------------------------------------------------


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    """A folder with one good note (good.txt); each test adds its hostile input."""
    folder = tmp_path / "notes"
    folder.mkdir()
    shutil.copy(GOOD, folder / "good.txt")
    return folder


def code(*paths: Path | str, out: Path, jobs: str = "1"):
    args = ["code", *map(str, paths), "-c", str(CODEBOOK), "-o", str(out), "--jobs", jobs]
    return runner.invoke(app, args)


def no_crash(result) -> None:
    assert "Traceback" not in result.output
    # CliRunner swallows exceptions: an escaped one would be a traceback in a terminal.
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)


def lines_naming(result, name: str) -> list[str]:
    return [line for line in result.stderr.splitlines() if name in line]


def assert_reported(result, path: Path, reason: str, kind: str = "Error") -> str:
    """Exactly one stderr line names `path`, starts with `kind:` and gives the reason."""
    found = lines_naming(result, path.name)
    assert len(found) == 1, result.stderr
    line = found[0]
    assert line.startswith(f"{kind}: {path}: "), line
    assert reason in line, line
    return line


def assert_good_coded(out: Path) -> CodedNote:
    document = load_coded(out / "good.yaml")
    assert document.document == "good"
    assert document.meta["meeting"] == "Narvik"
    assert any(seg.codes for seg in document.segments)
    return document


def docx_bytes(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_bytes(password: str | None = None) -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if password:
        writer.encrypt(password)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["Post", "Beløp"])
    book.active.append(["Kaffe", 1200])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def bomb_docx(path: Path, size: int, *, declare: int | None = None) -> None:
    """A real Word document whose word/document.xml is padded to unpack to `size` bytes.

    Written in 1 MiB chunks, so the test never holds it in memory; blanks compress ~1000:1.
    With `declare`, the central directory claims that size instead (a lying zip bomb).
    """
    source = zipfile.ZipFile(io.BytesIO(docx_bytes(PARAGRAPH)))
    chunk = b" " * 2**20
    with source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                archive.writestr(info, source.read(info))
                continue
            with archive.open(info.filename, "w", force_zip64=declare is None) as member:
                member.write(source.read(info))
                for _ in range(size // len(chunk)):
                    member.write(chunk)
    if declare is not None:
        data = bytearray(path.read_bytes())
        entry = data.find(b"PK\x01\x02")  # central directory entries
        while entry != -1:
            length = int.from_bytes(data[entry + 28 : entry + 30], "little")
            if data[entry + 46 : entry + 46 + length] == b"word/document.xml":
                data[entry + 24 : entry + 28] = declare.to_bytes(4, "little")  # uncompressed size
            entry = data.find(b"PK\x01\x02", entry + 4)
        path.write_bytes(bytes(data))
        with zipfile.ZipFile(path) as archive:
            assert archive.getinfo("word/document.xml").file_size == declare


# --- files that must be refused, one line each --------------------------------------------------


def _binary() -> bytes:
    rng = random.Random(7)
    return bytes(rng.randrange(256) for _ in range(20_000)) + b"\0" * 64


BAD_FILES = [
    ("tom.txt", b"", "file is empty"),
    ("blank.txt", " \n\t\r\n   \n\u00a0\n".encode(), "file contains no text"),
    ("bilde.txt", _binary(), "looks like a binary file"),
    ("halv.docx", None, "not a valid Word document"),
    ("regneark.docx", None, "not a Word document (no word/document.xml"),
    ("skannet.pdf", pdf_bytes(), "no text layer"),
    ("hemmelig.pdf", pdf_bytes("secret"), "encrypted"),
]


@pytest.mark.parametrize(("name", "data", "reason"), BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_bad_file_is_one_line_and_the_good_note_is_coded(
    notes: Path, tmp_path: Path, name: str, data: bytes | None, reason: str
) -> None:
    if name == "halv.docx":
        whole = docx_bytes(PARAGRAPH * 20)
        data = whole[: len(whole) // 2]  # a real Word file, cut off mid-transfer
    elif name == "regneark.docx":
        data = xlsx_bytes()  # a spreadsheet renamed to .docx
    bad = notes / name
    bad.write_bytes(data)
    result = code(notes, out=tmp_path / "out")
    no_crash(result)
    assert result.exit_code == 1
    assert_reported(result, bad, reason)
    assert "1 failed." in result.stderr
    assert_good_coded(tmp_path / "out")
    assert not (tmp_path / "out" / f"{doc_id(bad)}.yaml").exists()


def test_every_bad_file_at_once_in_worker_processes(notes: Path, tmp_path: Path) -> None:
    """The same refusals when the notes are coded by a pool of processes (--jobs 2)."""
    expected = {}
    for name, data, reason in BAD_FILES:
        if data is None:
            data = docx_bytes(PARAGRAPH)[:900] if name == "halv.docx" else xlsx_bytes()
        (notes / name).write_bytes(data)
        expected[notes / name] = reason
    for i in range(8):  # enough good notes that the pool is used
        shutil.copy(GOOD, notes / f"kopi_{i}.txt")
    result = code(notes, out=tmp_path / "out", jobs="2")
    no_crash(result)
    assert result.exit_code == 1
    for path, reason in expected.items():
        assert_reported(result, path, reason)
    assert f"{len(expected)} failed." in result.stderr
    assert_good_coded(tmp_path / "out")
    assert len(list((tmp_path / "out").glob("*.yaml"))) == 9


def test_stray_spreadsheet_is_skipped_not_failed(notes: Path, tmp_path: Path) -> None:
    budget = notes / "budget.xlsx"
    budget.write_bytes(xlsx_bytes())
    result = code(notes, out=tmp_path / "out")
    no_crash(result)
    assert result.exit_code == 0
    assert_reported(result, budget, "not a note (.xlsx)", kind="Skipped")
    assert_good_coded(tmp_path / "out")
    assert sorted(p.name for p in (tmp_path / "out").iterdir() if p.name not in STATE_FILES) == ["good.yaml"]


# --- text that is unusual but fine: coded, exit 0 ------------------------------------------------

LATIN1 = b"Referat fra m\xf8te p\xe5 Sj\xf8vegan.\x81\n\n"  # 0x81: not UTF-8, not cp1252 either
NORSK = "Referat fra dialogmøte på Sjøvegan. Vi snakket om æøå og ÆØÅ, og om rehabilitering i kommunen.\n\n"


@pytest.mark.parametrize(
    ("data", "encoding", "expected"),
    [
        ((NORSK + PARAGRAPH).encode("cp1252"), "cp1252", "om æøå og ÆØÅ"),
        (LATIN1 + PARAGRAPH.encode("latin-1"), "latin-1", "møte på Sjøvegan"),
        ((NORSK + PARAGRAPH).encode("utf-16"), "utf-16", "om æøå og ÆØÅ"),
        ((NORSK + PARAGRAPH).encode("utf-16-le"), "utf-16-le", "om æøå og ÆØÅ"),
        ((NORSK + PARAGRAPH).encode("utf-16-be"), "utf-16-be", "om æøå og ÆØÅ"),
    ],
    ids=["cp1252-aeoeaa", "invalid-utf8-latin1", "utf16-bom", "utf16le-no-bom", "utf16be-no-bom"],
)
def test_unusual_encodings_are_coded_with_readable_letters(
    notes: Path, tmp_path: Path, data: bytes, encoding: str, expected: str
) -> None:
    (notes / "gammel.txt").write_bytes(data)
    result = code(notes, out=tmp_path / "out")
    no_crash(result)
    assert result.exit_code == 0, result.stderr
    assert "Error" not in result.stderr
    assert f"gammel.txt ({encoding})" in result.stderr  # reported as not UTF-8
    raw = (tmp_path / "out" / "gammel.yaml").read_text(encoding="utf-8")
    assert expected in raw  # written as the letters, not as \xe6 escapes
    for escape in ("\\xe6", "\\xf8", "\\xe5", "\\xc6", "\\xd8", "\\xc5", "\\u00"):
        assert escape not in raw
    document = load_coded(tmp_path / "out" / "gammel.yaml")
    assert document.encoding == encoding
    assert any(seg.codes for seg in document.segments)
    assert_good_coded(tmp_path / "out")


def test_invalid_utf8_in_otherwise_utf8_text_is_read_line_by_line(notes: Path, tmp_path: Path) -> None:
    """One Windows-1252 line in UTF-8 text: that line as cp1252, the rest as UTF-8, and a warning."""
    data = (NORSK + PARAGRAPH).encode("utf-8") + b"Siste linje: \xe6\xf8\xe5.\n"
    (notes / "blandet.txt").write_bytes(data)
    result = code(notes, out=tmp_path / "out")
    no_crash(result)
    assert result.exit_code == 0, result.stderr
    document = load_coded(tmp_path / "out" / "blandet.yaml")
    assert document.encoding == "utf-8+cp1252"
    assert document.segments[-1].text == "Siste linje: æøå."
    assert "Ã" not in "".join(seg.text for seg in document.segments)
    bad_line = data.count(b"\n")  # the last line, counted independently of the reader
    warned = [line for line in result.stderr.splitlines() if line.startswith("Warning:")]
    assert warned == [
        f"Warning: {notes / 'blandet.txt'}: mixed encodings: line {bad_line} not UTF-8, read as Windows-1252"
    ]
    assert_good_coded(tmp_path / "out")


@pytest.mark.slow  # several fresh processes; `make test` runs it
def test_one_megabyte_line_without_newline(notes: Path, tmp_path: Path) -> None:
    sentence = "Pasientene trenger rehabilitering og en koordinator i kommunen. "
    line = (sentence * (2**20 // len(sentence) + 1)).rstrip()
    (notes / "linje.txt").write_text(line, encoding="utf-8")
    result = code(notes, out=tmp_path / "out")
    no_crash(result)
    assert result.exit_code == 0, result.stderr
    document = load_coded(tmp_path / "out" / "linje.yaml")
    texts = [seg.text for seg in document.segments]
    assert " ".join(texts) == line  # nothing lost, nothing doubled
    assert any(seg.codes for seg in document.segments)
    assert_good_coded(tmp_path / "out")


# --- size limits and zip bombs -------------------------------------------------------------------


def test_file_over_the_size_limit_is_refused(notes: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest, "MAX_FILE_BYTES", 2**20)
    big = notes / "stor.txt"
    big.write_text(PARAGRAPH * (3 * 2**20 // len(PARAGRAPH)), encoding="utf-8")
    result = code(notes, out=tmp_path / "out")
    no_crash(result)
    assert result.exit_code == 1
    assert_reported(result, big, "over the 1 MiB limit")
    assert_good_coded(tmp_path / "out")


def test_file_over_the_size_limit_is_refused_without_reading_it(notes: Path, tmp_path: Path, codebook) -> None:
    big = notes / "stor.txt"
    with big.open("wb") as handle:  # sparse: costs no disk
        handle.truncate(ingest.MAX_FILE_BYTES + 2**20)
    code_paths([notes / "good.txt"], codebook, tmp_path / "warm")  # load the tokenizer outside the measurement
    tracemalloc.start()
    try:
        summary = code_paths([notes], codebook, tmp_path / "out")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [p.path for p in summary.problems] == [str(big)]
    assert "limit" in summary.problems[0].message
    assert peak < 64 * 2**20, f"peak {peak / 2**20:.0f} MiB to refuse a file by its size"


def test_docx_zip_bomb_is_refused_by_its_declared_size(notes: Path, tmp_path: Path) -> None:
    bomb = notes / "bombe.docx"
    bomb_docx(bomb, ingest.MAX_DOCX_UNPACKED_BYTES + 64 * 2**20)
    assert bomb.stat().st_size < 2 * 2**20  # the test itself stays small
    result = code(notes, out=tmp_path / "out")
    no_crash(result)
    assert result.exit_code == 1
    assert_reported(result, bomb, "zip bomb")
    assert_good_coded(tmp_path / "out")
    tracemalloc.start()  # and refusing it unpacks nothing
    try:
        with pytest.raises(DialogtoolError, match="zip bomb"):
            ingest.read_source(bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16 * 2**20


def test_docx_zip_bomb_that_lies_about_its_size_stays_within_the_limit(tmp_path: Path) -> None:
    liar = tmp_path / "logn.docx"
    bomb_docx(liar, ingest.MAX_DOCX_UNPACKED_BYTES + 16 * 2**20, declare=5000)
    tracemalloc.start()
    try:
        with pytest.raises(DialogtoolError):
            ingest.read_source(liar)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < ingest.MAX_DOCX_UNPACKED_BYTES, f"peak {peak / 2**20:.0f} MiB for a {liar.stat().st_size} B file"


def _run_measured(args: list[str], cwd: Path) -> tuple[int, str, int]:
    """Run a child; return its exit code, stderr and peak resident memory in bytes (Linux)."""
    with (cwd / "stderr.txt").open("wb") as errors:
        process = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
    return os.waitstatus_to_exitcode(status), (cwd / "stderr.txt").read_text(encoding="utf-8"), usage.ru_maxrss * 1024


@pytest.fixture(scope="module")
def hundred_mb_run(tmp_path_factory: pytest.TempPathFactory):
    """`dialogtool code` over a 100 MiB note and a good one, in a child process."""
    if not sys.platform.startswith("linux"):
        pytest.skip("peak memory is read with os.wait4 (Linux)")
    base = tmp_path_factory.mktemp("hundred")
    notes = base / "notes"
    notes.mkdir()
    shutil.copy(GOOD, notes / "good.txt")
    big = notes / "stor.txt"
    block = PARAGRAPH.encode("utf-8") * (2**20 // len(PARAGRAPH.encode("utf-8")))
    with big.open("wb") as handle:
        while handle.tell() < 100 * 2**20:
            handle.write(block)
    args = [sys.executable, "-m", "dialogtool", "code", str(notes), "-c", str(CODEBOOK), "-o", str(base / "out")]
    code_, stderr, peak = _run_measured([*args, "--jobs", "1"], base)
    return base, big, code_, stderr, peak


@pytest.mark.slow
def test_hundred_megabyte_note_is_coded_or_refused(hundred_mb_run) -> None:
    base, big, exit_code, stderr, _ = hundred_mb_run
    assert "Traceback" not in stderr
    assert_good_coded(base / "out")
    if big.stat().st_size <= ingest.MAX_FILE_BYTES:  # within the limit: coded
        assert exit_code == 0, stderr
        assert "Coded 2 note(s)" in stderr
        with (base / "out" / "stor.yaml").open(encoding="utf-8") as handle:
            head = handle.read(4096)
        assert head.startswith(HEADER) and "document: stor\n" in head
    else:
        assert exit_code == 1
        assert [line for line in stderr.splitlines() if "stor.txt" in line] == [
            line for line in stderr.splitlines() if line.startswith(f"Error: {big}: ") and "limit" in line
        ]


@pytest.mark.slow
def test_hundred_megabyte_note_needs_bounded_memory(hundred_mb_run) -> None:
    *_, peak = hundred_mb_run
    assert peak < 2 * 2**30, f"peak RSS {peak / 2**30:.1f} GiB for a 100 MiB note"


# --- names, links, permissions, clashes -----------------------------------------------------------

ODD_NAMES = ["-møte bord 2.txt", "Bodø æøå ÆØÅ.txt", "  mellomrom .txt"]


def test_odd_file_names_in_a_folder(notes: Path, tmp_path: Path) -> None:
    for name in ODD_NAMES:
        shutil.copy(GOOD, notes / name)
    result = code(notes, out=tmp_path / "out")
    no_crash(result)
    assert result.exit_code == 0, result.stderr
    names = sorted(p.name for p in (tmp_path / "out").glob("*.yaml"))
    assert names == sorted(["good.yaml", "møte_bord_2.yaml", "Bodø_æøå_ÆØÅ.yaml", "mellomrom.yaml"])
    assert load_coded(tmp_path / "out" / "Bodø_æøå_ÆØÅ.yaml").source.endswith("notes/Bodø æøå ÆØÅ.txt")


def test_odd_file_names_given_explicitly_after_double_dash(notes: Path, tmp_path: Path, monkeypatch) -> None:
    for name in ODD_NAMES:
        shutil.copy(GOOD, notes / name)
    monkeypatch.chdir(notes)  # relative names, so "-møte bord 2.txt" really starts with a dash
    args = ["code", "-c", str(CODEBOOK), "-o", str(tmp_path / "out"), "--jobs", "1", "--", *ODD_NAMES]
    result = runner.invoke(app, args)
    no_crash(result)
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out").glob("*.yaml")) == sorted(
        ["møte_bord_2.yaml", "Bodø_æøå_ÆØÅ.yaml", "mellomrom.yaml"]
    )
    assert load_coded(tmp_path / "out" / "møte_bord_2.yaml").source == "-møte bord 2.txt"


def test_decomposed_file_name_gets_the_same_id_as_composed(notes: Path, tmp_path: Path) -> None:
    name = unicodedata.normalize("NFD", "Målselv bord 1.txt")
    shutil.copy(GOOD, notes / name)
    result = code(notes, out=tmp_path / "out")
    no_crash(result)
    assert result.exit_code == 0
    assert (tmp_path / "out" / "Målselv_bord_1.yaml").exists() or (
        tmp_path / "out" / unicodedata.normalize("NFD", "Målselv_bord_1.yaml")
    ).exists()


def test_brackets_in_a_file_name_are_printed_as_they_are(notes: Path, tmp_path: Path) -> None:
    bad = notes / "møte [utkast].txt"
    bad.write_bytes(b"")
    result = code(notes, out=tmp_path / "out")
    no_crash(result)
    assert result.exit_code == 1
    assert_reported(result, bad, "file is empty")


def test_newline_in_a_file_name_keeps_the_message_on_one_line(notes: Path, tmp_path: Path) -> None:
    bad = notes / "to\nlinjer.txt"
    bad.write_bytes(b"")
    result = code(notes, out=tmp_path / "out")
    no_crash(result)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert not [line for line in lines if line.startswith("linjer.txt")], result.stderr
    assert [line for line in lines if line.startswith("Error: ") and "linjer.txt" in line and "file is empty" in line]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_symlink_loop_in_the_input_folder_terminates(notes: Path, tmp_path: Path) -> None:
    os.symlink(notes, notes / "loop", target_is_directory=True)
    (notes / "sub").mkdir()
    os.symlink(Path("..") / "sub", notes / "sub" / "opp", target_is_directory=True)
    result = code(notes, out=tmp_path / "out")
    no_crash(result)
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir() if p.name not in STATE_FILES) == ["good.yaml"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_looping_and_dangling_file_links_are_reported(notes: Path, tmp_path: Path) -> None:
    os.symlink("b.txt", notes / "a.txt")
    os.symlink("a.txt", notes / "b.txt")
    os.symlink("borte.txt", notes / "dingler.txt")
    result = code(notes, out=tmp_path / "out")
    no_crash(result)
    assert result.exit_code == 1
    for name in ("a.txt", "b.txt", "dingler.txt"):
        assert_reported(result, notes / name, "cannot read file")
    assert_good_coded(tmp_path / "out")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_via_cli(notes: Path, tmp_path: Path) -> None:
    locked = notes / "låst.txt"
    shutil.copy(GOOD, locked)
    locked.chmod(0)
    try:
        result = code(notes, out=tmp_path / "out")
    finally:
        locked.chmod(0o644)
    no_crash(result)
    assert result.exit_code == 1
    assert_reported(result, locked, "permission denied")
    assert_good_coded(tmp_path / "out")


def test_unreadable_file_via_library(notes: Path, tmp_path: Path, codebook, monkeypatch) -> None:
    locked = notes / "låst.txt"
    shutil.copy(GOOD, locked)
    original = os.open

    def refuse(path, flags, *args):  # root reads files whatever their mode: refuse as for a user
        if Path(path).name == "låst.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return original(path, flags, *args)

    monkeypatch.setattr(os, "open", refuse)
    summary = code_paths([notes], codebook, tmp_path / "out", jobs=1)
    assert summary.problems == [Problem(str(locked), "cannot read file: permission denied")]
    assert summary.written == [tmp_path / "out" / "good.yaml"]
    assert not summary.interrupted and summary.pending == 0
    assert_good_coded(tmp_path / "out")


@pytest.mark.parametrize(
    ("first", "second"),
    [("note.txt", "note.docx"), ("a b.txt", "a_b.txt"), ("rapport.txt", "rapport.TXT")],
)
def test_two_notes_with_the_same_document_id(notes: Path, tmp_path: Path, first: str, second: str) -> None:
    for name in (first, second):
        if name.endswith(".docx"):
            shutil.copy(SAMPLE_DOCX, notes / name)
        else:
            shutil.copy(GOOD, notes / name)
    result = code(notes, out=tmp_path / "out")
    no_crash(result)
    assert result.exit_code == 1
    clash = [line for line in result.stderr.splitlines() if "same document id" in line]
    assert len(clash) == 1, result.stderr
    loser, winner = sorted([notes / first, notes / second], key=lambda p: p.as_posix(), reverse=True)
    assert clash[0].startswith(f"Error: {loser}: same document id '{doc_id(loser)}' as {winner}")
    kept = load_coded(tmp_path / "out" / f"{doc_id(winner)}.yaml")
    # the first one is coded, not overwritten by the second
    assert kept.source is not None and kept.source.endswith(winner.name)
    assert_good_coded(tmp_path / "out")


# --- the output folder --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("segments: [\n  - {text: 'unterminated\n", "YAML error"),
        ("- just\n- a list\n", "not a dialogtool coded note"),
        ("\xff\xfe garbage", "cannot read"),
    ],
    ids=["syntax", "not-a-note", "not-utf8"],
)
def test_corrupt_existing_coded_file_is_reported_not_overwritten(
    notes: Path, tmp_path: Path, content: str, reason: str
) -> None:
    shutil.copy(GOOD, notes / "annen.txt")
    out = tmp_path / "out"
    out.mkdir()
    broken = out / "annen.yaml"
    broken.write_bytes(content.encode("latin-1") if reason == "cannot read" else content.encode("utf-8"))
    before = broken.read_bytes()
    result = code(notes, out=out)
    no_crash(result)
    assert result.exit_code == 1
    line = assert_reported(result, notes / "annen.txt", reason)
    assert str(broken) in line  # the message points at the file to fix
    assert broken.read_bytes() == before
    assert_good_coded(out)
    # no temp files left
    assert sorted(p.name for p in out.iterdir() if p.name not in STATE_FILES) == ["annen.yaml", "good.yaml"]


def test_reviewer_breaking_a_coded_file_is_reported_on_the_next_run(notes: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert code(notes, out=out).exit_code == 0
    target = out / "good.yaml"
    text = target.read_text(encoding="utf-8")
    text = text.replace("  codes: [", "  review: {add: [KE]\n  codes: [", 1)  # unbalanced flow mapping
    target.write_text(text, encoding="utf-8")
    with pytest.raises(yaml.YAMLError):
        yaml.safe_load(text)
    result = code(notes, out=out)
    no_crash(result)
    assert target.read_text(encoding="utf-8") == text  # not overwritten: the reviewer's work is there
    assert result.exit_code == 1
    assert_reported(result, notes / "good.txt", "YAML error")


def test_reviewer_saving_while_the_run_ends_is_still_an_edit(notes: Path, tmp_path: Path, monkeypatch) -> None:
    """A file saved by a reviewer after `code` wrote it, before the run recorded what it left,
    must not be recorded as `code`'s own: the next run reads it and reports the broken review."""
    from dialogtool.coding import run

    out = tmp_path / "out"
    target = out / "good.yaml"
    original = run.write_stamps

    def save_first(*args, **kwargs):
        text = target.read_text(encoding="utf-8")
        target.write_text(text.replace("  codes: [", "  review: {add: [KE]\n  codes: [", 1), encoding="utf-8")
        return original(*args, **kwargs)

    monkeypatch.setattr(run, "write_stamps", save_first)
    assert code(notes, out=out).exit_code == 0
    monkeypatch.undo()
    saved = target.read_text(encoding="utf-8")
    result = code(notes, out=out)
    no_crash(result)
    assert target.read_text(encoding="utf-8") == saved
    assert result.exit_code == 1
    assert_reported(result, notes / "good.txt", "YAML error")


# --- the codebook -----------------------------------------------------------------------------


def test_codebook_error_is_exit_2_with_file_and_line(notes: Path, tmp_path: Path) -> None:
    book = tmp_path / "kodebok.yaml"
    book.write_text(
        "name: Test\ncodes:\n  - id: KE\n    label: Koordinerende enhet\n    terms: [KE]\n"
        "  - id: KE\n    label: Igjen\n    terms: [enhet]\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["code", str(notes), "-c", str(book), "-o", str(tmp_path / "out"), "--jobs", "1"])
    no_crash(result)
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [f"Error: {book}:6: duplicate code id 'KE' (first defined on line 3)"]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "term",
    ["rehab[x]", "rehab[/b]"],
)
def test_codebook_error_quoting_brackets_is_printed_as_is(notes: Path, tmp_path: Path, term: str) -> None:
    book = tmp_path / "kodebok.yaml"
    book.write_text(f"codes:\n  - id: REHAB\n    label: Rehabilitering\n    terms: ['{term}']\n", encoding="utf-8")
    result = runner.invoke(app, ["code", str(notes), "-c", str(book), "-o", str(tmp_path / "out"), "--jobs", "1"])
    no_crash(result)
    assert result.exit_code == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"Error: {book}:4: ")
    assert repr(term) in line
