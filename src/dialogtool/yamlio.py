"""The one way dialogtool reads YAML: safe, fast, bounded, and every error as `file:line: message`.

Codebooks, coded notes (from files and from git revisions), the meta.yaml manifest and
reference codings all come through here, so a rule about YAML input (duplicate keys,
size and nesting limits) is added once and holds for every file.

The limits (`check_limits`) are checked on what the loader built, before anyone walks it:
a file over `MAX_BYTES` is not read; nesting deeper than `MAX_DEPTH` is refused (the code
that walks YAML recurses, and libyaml itself stops at 1000 levels); aliases may not make
the document bigger than its own text (a billion-laughs bomb is a few lines that expand
to billions of nodes when a caller copies or prints them). The check walks each shared
object once: 4 % of the time of loading a coded note.

Writing YAML is not here: coded notes have their own fast emitter (`coded.emit`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from . import files
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


# A coded note of a 16 MiB note (the largest note read) is about three times its size.
MAX_BYTES = 64 * 2**20
# Coded notes nest 5 levels, codebooks 6; nothing the tool reads needs 50.
MAX_DEPTH = 50
# Aliases may add this many nodes beyond one per character of the text (anchors for shared
# pattern lists in a codebook are fine; a bomb is not).
_ALIAS_SLACK = 10_000


def read_text(path: Path, what: str = "", encoding: str = "utf-8") -> str:
    """A file's text (a regular file, at most MAX_BYTES), or a DialogtoolError naming it."""
    return files.read_text(path, MAX_BYTES, what or "file", encoding)


def parse(text: str, where: str | Path) -> Any:
    """YAML text as plain data (no object construction from tags); `where` names it in errors."""
    try:
        data = yaml.load(text, Loader=Loader)
    except yaml.YAMLError as exc:
        raise _error(exc, where) from None
    except RecursionError:  # the pure-Python loader, without libyaml
        raise DialogtoolError(f"YAML nested more than {MAX_DEPTH} levels deep", path=where) from None
    problem = check_limits(data, len(text))
    if problem is not None:
        raise DialogtoolError(problem, path=where, line=_line_of_problem(text)) from None
    return data


def compose(text: str, where: str | Path) -> yaml.Node | None:
    """YAML text as a node tree, for validators that report the line of each mistake.

    Composing constructs nothing, so a key given twice is the validator's to find (the
    codebook's names the kind of entry it is in).
    """
    try:
        node = yaml.compose(text, Loader=Loader)
    except yaml.YAMLError as exc:
        raise _error(exc, where) from None
    except RecursionError:
        raise DialogtoolError(f"YAML nested more than {MAX_DEPTH} levels deep", path=where) from None
    problem, line = _check_nodes(node, len(text))
    if problem is not None:
        raise DialogtoolError(problem, path=where, line=line)
    return node


def load(path: Path, what: str = "", encoding: str = "utf-8") -> Any:
    """A YAML file as plain data."""
    return parse(read_text(path, what, encoding), path)


def check_limits(data: Any, chars: int) -> str | None:
    """What is wrong with loaded YAML data (too deep, aliases expanding too far, an alias
    inside itself), or None; `chars` is the length of the text it was loaded from."""
    return _measure(data, _data_children, chars)[0]


def _data_children(obj: Any) -> list[Any] | None:
    if isinstance(obj, dict):
        return list(obj.values())
    if isinstance(obj, list):
        return obj
    return None


def _node_children(node: Any) -> list[Any] | None:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return None


def _measure(root: Any, children: Any, chars: int) -> tuple[str | None, Any]:
    """Height and expanded size of each container, each shared one measured once (iteratively:
    the point is not to recurse); the first problem and the container where it was found."""
    sizes: dict[int, tuple[int, int]] = {}  # id -> (height, nodes when aliases are expanded)
    on_path: set[int] = set()
    budget = chars + _ALIAS_SLACK
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        obj, finished = stack.pop()
        kids = children(obj)
        if kids is None:
            continue
        key = id(obj)
        if finished:
            measured = [sizes.get(id(kid), (0, 1)) for kid in kids]
            height = 1 + max((h for h, _ in measured), default=0)
            count = 1 + sum(n for _, n in measured)
            on_path.discard(key)
            sizes[key] = (height, count)
            if height > MAX_DEPTH:
                return f"YAML nested more than {MAX_DEPTH} levels deep", obj
            if count > budget:
                return "YAML aliases expand to more than the file holds (an alias bomb?)", obj
            continue
        if key in sizes:
            continue
        if key in on_path:
            return "YAML alias refers to a node that contains it", obj
        on_path.add(key)
        stack.append((obj, True))
        stack.extend((kid, False) for kid in kids if id(kid) not in sizes)
    return None, None


def _check_nodes(node: Any, chars: int) -> tuple[str | None, int | None]:
    problem, where = _measure(node, _node_children, chars)
    if problem is None:
        return None, None
    mark = getattr(where, "start_mark", None)
    return problem, (mark.line + 1 if mark is not None else None)


def _line_of_problem(text: str) -> int | None:
    """The line of the node where the limits fail, from the node tree (composed only on failure)."""
    try:
        node = yaml.compose(text, Loader=Loader)
    except (yaml.YAMLError, RecursionError):
        return None
    return _check_nodes(node, len(text))[1]


def _error(exc: yaml.YAMLError, where: str | Path) -> DialogtoolError:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        return DialogtoolError(f"YAML error: {exc.problem or exc}", path=where, line=line)
    return DialogtoolError(f"YAML error: {exc}", path=where)
