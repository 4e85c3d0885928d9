"""The one way dialogtool reads YAML: safe, fast, and every error as `file:line: message`.

Codebooks, coded notes (from files and from git revisions), the meta.yaml manifest and
reference codings all come through here, so a rule about YAML input (duplicate keys,
size and nesting limits) is added once, to `Loader`, and holds for every file.

Writing YAML is not here: coded notes have their own fast emitter (`coded.emit`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import DialogtoolError

# libyaml's parser when PyYAML was built with it (ten times faster on large coded folders).
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Loader(_BaseLoader):  # type: ignore[valid-type,misc]
    """The safe loader, refusing a key given twice in one mapping.

    YAML says keys are unique, but PyYAML lets the last one win silently: two `review:`
    blocks in one segment lost the first reviewer's work without a word. Construction is
    Python code even with libyaml's parser, so the check costs one dict per mapping (about 6 %
    of parsing a coded note, measured on the sample notes).
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        _check_unique(node)
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        return mapping


def _check_unique(node: yaml.MappingNode) -> None:
    """A ConstructorError at the second occurrence of a scalar key (merge keys `<<` may override)."""
    seen: dict[tuple[str, str], int] = {}
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key = (key_node.tag, key_node.value)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"duplicate key '{key_node.value}' (first at line {seen[key]}); YAML keeps only one of them",
                key_node.start_mark,
            )
        seen[key] = key_node.start_mark.line + 1


def read_text(path: Path, what: str = "", encoding: str = "utf-8") -> str:
    """A file's text, or a DialogtoolError naming it; `what` ("codebook") goes into the message."""
    try:
        return path.read_text(encoding=encoding)
    except (OSError, UnicodeDecodeError) as exc:
        raise DialogtoolError(f"cannot read{' ' + what if what else ''}: {exc}", path=path) from None


def parse(text: str, where: str | Path) -> Any:
    """YAML text as plain data (no object construction from tags); `where` names it in errors."""
    try:
        return yaml.load(text, Loader=Loader)
    except yaml.YAMLError as exc:
        raise _error(exc, where) from None


def compose(text: str, where: str | Path) -> yaml.Node | None:
    """YAML text as a node tree, for validators that report the line of each mistake.

    Composing constructs nothing, so a key given twice is the validator's to find (the
    codebook's names the kind of entry it is in).
    """
    try:
        return yaml.compose(text, Loader=Loader)
    except yaml.YAMLError as exc:
        raise _error(exc, where) from None


def load(path: Path, what: str = "", encoding: str = "utf-8") -> Any:
    """A YAML file as plain data."""
    return parse(read_text(path, what, encoding), path)


def _error(exc: yaml.YAMLError, where: str | Path) -> DialogtoolError:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        return DialogtoolError(f"YAML error: {exc.problem or exc}", path=where, line=line)
    return DialogtoolError(f"YAML error: {exc}", path=where)
