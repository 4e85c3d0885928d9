"""Reviewers' mistakes in a coded file, each reported at its line.

A coded file is read as plain data (fast), which has no line numbers. When a review block
is wrong, `ReviewError` carries the way to it — `keys` from the segment, such as
`("review", "add", 0)` — and `line_at` finds that line by composing the file's text, so the
cost of lines is paid only on the error path. The checks themselves are in `note`
(structure) and `validate` (ids against the codebook).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import yaml

from .. import yamlio
from ..errors import DialogtoolError

Key = str | int


class ReviewError(DialogtoolError):
    """A mistake in a reviewer's part of a coded file; `keys` leads to it from its segment."""

    def __init__(self, message: str, *, path: str | Path, keys: Sequence[Key] = (), hint: str | None = None) -> None:
        super().__init__(message, path=path, hint=hint)
        self.keys: tuple[Key, ...] = tuple(keys)

    def at(self, line: int | None) -> ReviewError:
        """This error, pointing at `line` (found once the file's text is at hand)."""
        self.line = line
        return self


def line_at(text: str | None, keys: Sequence[Key]) -> int | None:
    """The line of the node that `keys` leads to from the document's root, or of the nearest
    node on the way when the rest is missing; None without text or when it does not parse."""
    if text is None:
        return None
    try:
        node: yaml.Node | None = yamlio.compose(text, "")
    except DialogtoolError:
        return None
    line = None
    for key in keys:
        found = _child(node, key)
        if found is None:
            break
        key_node, node = found
        line = key_node.start_mark.line + 1
    return line


def _child(node: yaml.Node | None, key: Key) -> tuple[yaml.Node, yaml.Node] | None:
    """(the node to report, the node to descend into) for `key`; the last key of a mapping wins."""
    if isinstance(node, yaml.MappingNode) and isinstance(key, str):
        pairs = [(k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == key]
        return pairs[-1] if pairs else None
    if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and 0 <= key < len(node.value):
        return node.value[key], node.value[key]
    return None
