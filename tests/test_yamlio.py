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


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("a: 1\nb: 2\na: 3\n", 3),
        ("segments:\n- id: s1\n  review: {add: [KE]}\n  text: x\n  review: {add: [IP]}\n", 5),
        ("x: {k: 1, k: 2}\n", 1),
    ],
)
def test_a_key_given_twice_is_an_error_at_its_second_line(text: str, line: int) -> None:
    with pytest.raises(DialogtoolError) as caught:
        yamlio.parse(text, "t.yaml")
    assert caught.value.line == line
    assert "duplicate key" in caught.value.message and "first at line" in caught.value.message


def test_merge_keys_may_be_overridden_and_aliases_are_checked_once() -> None:
    text = "base: &b {a: 1, b: 2}\nuse:\n  <<: *b\n  a: 3\nagain: *b\n"
    assert yamlio.parse(text, "t.yaml")["use"] == {"a": 3, "b": 2}
    assert yamlio.parse("a: 1\n'1': 2\n1: 3\n", "t.yaml") == {"a": 1, "1": 2, 1: 3}
