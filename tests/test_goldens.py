"""Outputs pinned byte for byte: what the commands write on the sample notes and on ../shared.

The coded sample notes are pinned by the committed data/coded. The goldens were first made
from the commit before the redesign (043925a), so every later refactoring is checked to
change nothing a user sees. A change that alters outputs on purpose regenerates them with
`python scripts/update_goldens.py` and commits the reviewed diff.
"""

from __future__ import annotations

import difflib
import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("update_goldens", ROOT / "scripts" / "update_goldens.py")
assert _spec is not None and _spec.loader is not None
goldens = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(goldens)

FIX = "if the change is intended: python scripts/update_goldens.py, then review git diff tests/data/golden"


def _first_difference(name: str, expected: str | None, actual: str | None) -> str:
    diff = difflib.unified_diff(
        (expected or "").splitlines(keepends=True), (actual or "").splitlines(keepends=True), "golden", "now", n=1
    )
    return f"{name}:\n" + "".join(list(diff)[:30])


@pytest.fixture(scope="module")
def actual(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return goldens.sample_outputs(tmp_path_factory.mktemp("goldens"))


def test_sample_outputs_match_goldens(actual: dict[str, str]) -> None:
    expected = goldens.read_sample_goldens()
    differ = goldens._compare(expected, actual)
    details = "\n".join(_first_difference(n, expected.get(n), actual.get(n)) for n in differ[:3])
    assert not differ, f"{len(differ)} output(s) differ ({FIX}):\n{details}"


@pytest.mark.slow
def test_shared_corpus_outputs_match_digests(shared: Path, tmp_path: Path) -> None:
    stored = json.loads((goldens.GOLDEN / "shared.json").read_text(encoding="utf-8"))
    actual = goldens.shared_digests(tmp_path)
    assert actual == stored, FIX
