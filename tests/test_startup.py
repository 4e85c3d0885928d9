"""Start-up cost: `--help`, `table` and an unchanged re-run of `code` must not import spaCy
(about a second) nor simplemma's tables, nor Textual, nor pydantic (spaCy's config layer needs it; Typer 0.29
would import it to convert every option, hence the pin below 0.29 in pyproject.toml); `--help`
not even Rich (plain help, cli/helpformat.py), nor does a quiet re-run that has nothing to say."""

from __future__ import annotations

import ast
import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import sys
from typer.testing import CliRunner
from dialogtool.cli import app
result = CliRunner().invoke(app, {args!r})
assert result.exit_code == 0, result.output
MODULES = ("spacy", "simplemma", "marisa_trie", "pandas", "matplotlib", "pydantic", "textual", "rich")
print(sorted(m for m in MODULES if m in sys.modules))
"""


def _imported(args: list[str], cache: Path | None = None) -> list[str]:
    env = {**os.environ, "DIALOGTOOL_CACHE_DIR": str(cache)} if cache is not None else None
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(args=args)], capture_output=True, text=True, check=True, cwd=ROOT, env=env
    )
    return ast.literal_eval(done.stdout.strip())  # the list the probe printed


def test_help_imports_neither_spacy_nor_pandas_nor_pydantic_nor_rich() -> None:
    assert _imported(["--help"]) == []
    assert "rich" not in _imported(["export", "--help"])  # a group's help is plain too


def test_table_does_not_import_spacy(tmp_path: Path) -> None:
    from dialogtool.coding.codebook import load_codebook
    from dialogtool.coding.run import code_paths

    code_paths([ROOT / "data" / "raw"], load_codebook(ROOT / "codebook.yaml"), tmp_path)
    modules = _imported(["table", "--coded", str(tmp_path), "-f", "csv"])
    assert "spacy" not in modules and "simplemma" not in modules and "matplotlib" not in modules
    assert "marisa_trie" not in modules
    assert "textual" not in modules  # only `review` loads Textual
    assert "pydantic" not in modules
    assert "pandas" in modules  # the probe really ran the table


def test_unchanged_rerun_loads_neither_spacy_nor_lemma_tables(tmp_path: Path) -> None:
    from dialogtool.coding.codebook import load_codebook
    from dialogtool.coding.run import code_paths

    code_paths([ROOT / "data" / "raw"], load_codebook(ROOT / "codebook.yaml"), tmp_path)
    modules = _imported(["code", str(ROOT / "data" / "raw"), "-o", str(tmp_path), "-q"])
    assert "spacy" not in modules and "simplemma" not in modules and "marisa_trie" not in modules
    assert "pandas" not in modules and "pydantic" not in modules
    assert "rich" not in modules  # nothing to print: no console is made, no bar with -q


def test_a_changed_note_loads_them(tmp_path: Path) -> None:
    """The other side: a note that must be coded does load spaCy, and the tables when no earlier
    run has lemmatised its words (or the codebook's); when one has, it does not (coding/lemma_memo.py)."""
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "note.txt").write_text("Kafébord 1\n\nPasientane treng ein fastlege.\n", encoding="utf-8")
    cache = tmp_path / "cache"
    modules = _imported(["code", str(raw), "-o", str(tmp_path / "coded"), "-q"], cache)
    assert "spacy" in modules and "simplemma" in modules and "marisa_trie" in modules
    modules = _imported(["code", str(raw), "-o", str(tmp_path / "again"), "-q"], cache)
    assert "spacy" in modules and "simplemma" not in modules and "marisa_trie" not in modules
    (raw / "note.txt").write_text("Kafébord 1\n\nZyxorane treng ein qwertyplan.\n", encoding="utf-8")
    modules = _imported(["code", str(raw), "-o", str(tmp_path / "again"), "-q"], cache)
    assert "simplemma" in modules  # a word no run has seen


def test_status_loads_neither_spacy_nor_lemma_tables(tmp_path: Path) -> None:
    from dialogtool.coding.codebook import load_codebook
    from dialogtool.coding.run import code_paths

    code_paths([ROOT / "data" / "raw"], load_codebook(ROOT / "codebook.yaml"), tmp_path)
    modules = _imported(["status", str(ROOT / "data" / "raw"), "--coded", str(tmp_path)])
    assert "spacy" not in modules and "simplemma" not in modules and "marisa_trie" not in modules
    assert "pydantic" not in modules


@pytest.mark.parametrize("enabled", [True, False])
def test_code_paths_leaves_the_collector_as_it_was(tmp_path: Path, enabled: bool) -> None:
    """`code_paths` pauses the collector and freezes what spaCy and the tables made (workers.py);
    afterwards the collector is on or off as before and nothing stays frozen."""
    from dialogtool.coding.codebook import load_codebook
    from dialogtool.coding.run import code_paths

    frozen = gc.get_freeze_count()
    (gc.enable if enabled else gc.disable)()
    try:
        summary = code_paths([ROOT / "data" / "raw"], load_codebook(ROOT / "codebook.yaml"), tmp_path)
        assert summary.written  # the notes were coded: the matcher and spaCy were loaded
        assert gc.isenabled() is enabled
        assert gc.get_freeze_count() == frozen
    finally:
        gc.enable()
