"""Regenerate the golden outputs that pin what dialogtool writes.

    python scripts/update_goldens.py            # sample corpus (tests/data/golden/sample/) + shared digests
    python scripts/update_goldens.py --check    # compare instead of write; exit 1 and list what differs

Run it after a change that alters outputs on purpose, read `git diff tests/data/golden`, and commit
the goldens with the change. `tests/test_goldens.py` runs the same cases and compares.

The cases drive the command line only (`dialogtool.cli.app` through Typer's runner), never library
internals, so the same script produced the first goldens from the commit before the redesign and
keeps working whatever the modules are called.

Two corpora:
- the sample notes in data/raw: their coded YAML is the repository's data/coded (so this script
  rewrites it too); text outputs (md, csv, terminal) are stored as they are,
  so a reviewer reads their diff; xlsx and docx as their XML parts minus docProps (which hold
  timestamps); PNG and qdpx as sha256 digests.
- ../shared/corpus (real notes, never committed): only sha256 digests of the coded files, the qdpx,
  report.md and the PNGs, in tests/data/golden/shared.json. Skipped when ../shared is absent.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shlex
import shutil
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "data" / "golden"
SHARED_CORPUS = ROOT.parent / "shared" / "corpus"

# (name, command line as a shell splits it), run in a folder laid out like the repository (data/raw,
# codebook.yaml) plus gold/; files go to out/.
SAMPLE_CASES: list[tuple[str, str]] = [
    ("code.txt", "code data/raw -c codebook.yaml -o data/coded -j 1"),
    ("table-meeting.md", "table --coded data/coded -c codebook.yaml -f md"),
    ("table-meeting.txt", "table --coded data/coded -c codebook.yaml"),
    (
        "table-language-documents-level2.csv",
        "table --coded data/coded -c codebook.yaml --by language --count documents --level 2 -f csv",
    ),
    (
        "table-split-freq-ids.md",
        "table --coded data/coded -c codebook.yaml --by meeting --split language --sort freq --ids --percent row -f md",
    ),
    ("table-split.csv", "table --coded data/coded -c codebook.yaml --by topic --split language -f csv"),
    ("cooccur.csv", "cooccur --coded data/coded -c codebook.yaml -f csv"),
    ("cooccur-jaccard.txt", "cooccur --coded data/coded -c codebook.yaml --jaccard --level 2"),
    ("evaluate.txt", "evaluate --gold gold --coded data/coded -c codebook.yaml"),
    ("quotes-KE.md", "quotes KE --coded data/coded -c codebook.yaml --by meeting -f md"),
    ("quotes-KOMP.csv", "quotes KOMP --coded data/coded -c codebook.yaml --all -f csv"),
    ("quotes-KE.txt", "quotes KE --coded data/coded -c codebook.yaml --limit 3"),
    ("kwic.txt", "kwic '*kompetanse*' --coded data/coded"),
    ("uncoded.txt", "uncoded --coded data/coded --all"),
    ("suggest.txt", "suggest --coded data/coded -c codebook.yaml"),
    ("export-qdc.txt", "export qdc -o out/codebook.qdc -c codebook.yaml"),
    ("export-qdpx.txt", "export qdpx -o out/project.qdpx --coded data/coded -c codebook.yaml"),
    ("import-qdpx.txt", "import qdpx out/project.qdpx -o out/imported --coded data/coded -c codebook.yaml"),
    ("import-qdc.txt", "import qdc out/codebook.qdc -o out/imported-codebook.yaml"),
    # a second coder: the imported codebook, whose only term per code is its name
    ("code-b.txt", "code data/raw -c out/imported-codebook.yaml -o coded-b -j 1 -q"),
    ("diff.txt", "diff data/coded coded-b --coded data/coded -c codebook.yaml --level 2"),
    ("agree.txt", "agree data/coded coded-b --coded data/coded -c codebook.yaml -d"),
    ("agree-imported.txt", "agree data/coded out/imported --coded data/coded -c codebook.yaml"),
    ("quotes-KE.docx.txt", "quotes KE --coded data/coded -c codebook.yaml -f docx -o out/quotes.docx"),
    ("table.xlsx.txt", "table --coded data/coded -c codebook.yaml -f xlsx -o out/table.xlsx"),
    ("cooccur.xlsx.txt", "cooccur --coded data/coded -c codebook.yaml -f xlsx -o out/co.xlsx"),
    ("report.txt", "report --coded data/coded -c codebook.yaml -o out/report"),
]


def run_cli(folder: Path, argv: list[str]) -> str:
    """One command in `folder`: stdout, then stderr after a marker line, then the exit code."""
    import os

    from typer.testing import CliRunner

    from dialogtool.cli import app

    old = Path.cwd()
    os.chdir(folder)
    try:
        result = CliRunner().invoke(app, argv, catch_exceptions=False)
    finally:
        os.chdir(old)
    return f"{result.stdout}--- stderr ---\n{result.stderr}--- exit {result.exit_code} ---\n"


def office_xml(path: Path) -> str:
    """An xlsx/docx minus docProps (creation and modification times), as reviewable text.

    XML parts are kept as text, except the large ones (python-docx's style and numbering
    templates, which no change of ours touches) and media, which are kept as digests.
    """
    parts = []
    with zipfile.ZipFile(path) as archive:
        for name in sorted(n for n in archive.namelist() if not n.startswith("docProps/")):
            data = archive.read(name)
            readable = name.endswith((".xml", ".rels")) and len(data) < 64 * 1024
            parts.append(f"=== {name}\n{data.decode('utf-8') if readable else hashlib.sha256(data).hexdigest()}\n")
    return "".join(parts)


def _text(path: Path) -> str:
    """A file's text exactly, line endings included."""
    return path.read_bytes().decode("utf-8")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _setup_sample(folder: Path) -> None:
    shutil.copytree(ROOT / "data" / "raw", folder / "data" / "raw")
    shutil.copytree(ROOT / "tests" / "data" / "gold-sample", folder / "gold")
    shutil.copy(ROOT / "codebook.yaml", folder / "codebook.yaml")
    (folder / "out").mkdir()


def sample_outputs(folder: Path) -> dict[str, str]:
    """Every sample golden by file name; `folder` must be empty and is filled with the run's files."""
    _setup_sample(folder)
    result: dict[str, str] = {}
    for name, command in SAMPLE_CASES:
        result[name] = run_cli(folder, shlex.split(command))
    for coded in sorted((folder / "data" / "coded").glob("*.yaml")):
        result[f"data/coded/{coded.name}"] = _text(coded)
    for imported in sorted((folder / "out" / "imported").glob("*.yaml")):
        result[f"imported/{imported.name}"] = _text(imported)
    out = folder / "out"
    result["codebook.qdc"] = _text(out / "codebook.qdc")
    result["imported-codebook.yaml"] = _text(out / "imported-codebook.yaml")
    result["quotes.docx.xml"] = office_xml(out / "quotes.docx")
    result["table.xlsx.xml"] = office_xml(out / "table.xlsx")
    result["co.xlsx.xml"] = office_xml(out / "co.xlsx")
    report = out / "report"
    result["report/report.md"] = _text(report / "report.md")
    result["report/themes.xlsx.xml"] = office_xml(report / "themes.xlsx")
    result["report/report.docx.xml"] = office_xml(report / "report.docx")
    digests = {p.name: digest(p) for p in [out / "project.qdpx", *sorted(report.glob("*.png"))]}
    result["digests.json"] = json.dumps(digests, indent=1, sort_keys=True) + "\n"
    return result


def shared_digests(folder: Path) -> dict[str, str]:
    """sha256 of what the tool writes from ../shared/corpus, by output name (the texts stay private)."""
    shutil.copytree(SHARED_CORPUS, folder / "corpus")
    shutil.copy(ROOT / "codebook.yaml", folder / "codebook.yaml")
    run_cli(folder, ["code", "corpus", "-c", "codebook.yaml", "-o", "coded", "-j", "1"])
    run_cli(folder, ["export", "qdpx", "-o", "project.qdpx", "--coded", "coded", "-c", "codebook.yaml"])
    run_cli(folder, ["report", "--coded", "coded", "-c", "codebook.yaml", "-o", "report"])
    files = [*sorted((folder / "coded").glob("*.yaml")), folder / "project.qdpx", folder / "report" / "report.md"]
    files += sorted((folder / "report").glob("*.png"))
    return {str(p.relative_to(folder)): digest(p) for p in files}


def _compare(expected: dict[str, str], actual: dict[str, str]) -> list[str]:
    return sorted(k for k in expected.keys() | actual.keys() if expected.get(k) != actual.get(k))


def _with_tmp(make: Callable[[Path], dict[str, str]]) -> dict[str, str]:
    with tempfile.TemporaryDirectory() as tmp:
        return make(Path(tmp))


def read_sample_goldens() -> dict[str, str]:
    """The stored goldens by name; the coded sample notes are the repository's own data/coded."""
    base = GOLDEN / "sample"
    stored = {str(p.relative_to(base)): _text(p) for p in sorted(base.rglob("*")) if p.is_file()}
    stored.update({f"data/coded/{p.name}": _text(p) for p in sorted((ROOT / "data" / "coded").glob("*.yaml"))})
    return stored


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the stored goldens instead of writing")
    args = parser.parse_args()
    sample = _with_tmp(sample_outputs)
    shared = _with_tmp(shared_digests) if SHARED_CORPUS.is_dir() else None
    if args.check:
        differ = _compare(read_sample_goldens(), sample)
        if shared is not None:
            stored = json.loads((GOLDEN / "shared.json").read_text(encoding="utf-8"))
            differ += [f"shared: {k}" for k in _compare(stored, shared)]
        for name in differ:
            print(f"differs: {name}")
        return 1 if differ else 0
    if (GOLDEN / "sample").exists():
        shutil.rmtree(GOLDEN / "sample")
    for name, text in sample.items():
        target = ROOT / name if name.startswith("data/coded/") else GOLDEN / "sample" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("utf-8"))  # bytes: csv's \r\n must survive
    if shared is not None:
        (GOLDEN / "shared.json").write_text(json.dumps(shared, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    else:
        print("../shared/corpus not found: shared digests left as they are", file=sys.stderr)
    print(f"Wrote {len(sample)} sample golden(s) to {GOLDEN / 'sample'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
