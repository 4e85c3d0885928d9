"""Start-up cost: `--help` and `table` must not import spaCy (it takes about a second), nor Textual."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import sys
from typer.testing import CliRunner
from dialogtool.cli import app
result = CliRunner().invoke(app, {args!r})
assert result.exit_code == 0, result.output
print(sorted(m for m in ("spacy", "simplemma", "pandas", "matplotlib", "textual") if m in sys.modules))
"""


def _imported(args: list[str]) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(args=args)], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return ast.literal_eval(done.stdout.strip())  # the list the probe printed


def test_help_imports_neither_spacy_nor_pandas() -> None:
    assert _imported(["--help"]) == []


def test_table_does_not_import_spacy(tmp_path: Path) -> None:
    from dialogtool.coding.codebook import load_codebook
    from dialogtool.coding.run import code_paths

    code_paths([ROOT / "data" / "raw"], load_codebook(ROOT / "codebook.yaml"), tmp_path)
    modules = _imported(["table", "--coded", str(tmp_path), "-f", "csv"])
    assert "spacy" not in modules and "simplemma" not in modules and "matplotlib" not in modules
    assert "textual" not in modules  # only `review` loads Textual
    assert "pandas" in modules  # the probe really ran the table
