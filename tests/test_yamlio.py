"""The one YAML reader: plain data, and every error as file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from dialogtool import yamlio
from dialogtool.errors import DialogtoolError


def test_parse_reads_plain_data_without_tags() -> None:
    assert yamlio.parse("a: [1, 'x']\nb: {c: null}\n", "t.yaml") == {"a": [1, "x"], "b": {"c": None}}
    with pytest.raises(DialogtoolError, match="YAML error"):
        yamlio.parse("a: !!python/object:os.system ls\n", "t.yaml")


def test_errors_name_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("a: 1\nb: [2\nc: 3\n", encoding="utf-8")
    with pytest.raises(DialogtoolError) as caught:
        yamlio.load(path)
    assert caught.value.path == str(path) and caught.value.line == 3
    assert str(caught.value).startswith(f"{path}:3: YAML error: ")


def test_unreadable_file_names_what_it_is(tmp_path: Path) -> None:
    with pytest.raises(DialogtoolError, match=r"cannot read manifest: "):
        yamlio.load(tmp_path / "missing.yaml", "manifest")


def test_compose_keeps_lines_for_validators() -> None:
    node = yamlio.compose("codes:\n  - id: KE\n", "codebook.yaml")
    assert node is not None and node.value[0][1].start_mark.line == 1
