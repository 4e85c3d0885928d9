"""Load and validate the YAML codebook of themes.

Every mistake stops the load with one DialogtoolError naming the file, the line and
what is wrong, because a codebook that half-loads would silently change the coding.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .. import yamlio
from ..errors import DialogtoolError
from .patterns import PatternError, parse_pattern

TOP_KEYS = {"name", "description", "version", "inherit_headings", "codes"}
CODE_KEYS = {"id", "label", "description", "color", "terms", "exclude", "children"}
_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$")
_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")


@dataclass(frozen=True)
class Code:
    """One theme or sub-theme of the codebook."""

    id: str
    label: str
    description: str
    parent: str | None
    terms: tuple[str, ...]
    exclude: tuple[str, ...]
    color: str | None
    line: int


@dataclass(frozen=True)
class Codebook:
    """The validated codebook; `codes` in file order, parents before their children."""

    path: str
    name: str
    codes: tuple[Code, ...]
    inherit_headings: bool
    digest: str

    def get(self, code_id: str) -> Code:
        for code in self.codes:
            if code.id == code_id:
                return code
        raise KeyError(code_id)

    def top(self, code_id: str) -> str:
        """The top-level theme a code rolls up to (GRUPPER.ME -> GRUPPER)."""
        return code_id.split(".", 1)[0]

    @property
    def top_level(self) -> tuple[Code, ...]:
        return tuple(c for c in self.codes if c.parent is None)

    def order(self) -> dict[str, int]:
        """Code id -> position in the codebook, for sorting codes the way the file lists them."""
        return {c.id: i for i, c in enumerate(self.codes)}

    def label(self, code_id: str) -> str:
        try:
            return self.get(code_id).label
        except KeyError:
            return code_id


def load_codebook(path: str | Path) -> Codebook:
    """Read and validate a codebook file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DialogtoolError("codebook not found", path=path, hint="pass --codebook FILE") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DialogtoolError(f"cannot read codebook: {exc}", path=path) from None
    return parse_codebook(text, path)


def parse_codebook(text: str, path: str | Path = "<codebook>") -> Codebook:
    """Validate codebook YAML text; `path` is used in messages."""
    return _Validator(str(path)).codebook(yamlio.compose(text, path))


class _Validator:
    """Walks the YAML node tree so every message can carry the node's line."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.codes: list[Code] = []
        self.seen: dict[str, int] = {}

    def fail(self, node: yaml.Node | None, message: str, hint: str | None = None) -> DialogtoolError:
        line = node.start_mark.line + 1 if node is not None else None
        return DialogtoolError(message, path=self.path, line=line, hint=hint)

    def mapping(self, node: yaml.Node | None, what: str, allowed: set[str]) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f"{what} must be a mapping of keys to values")
        result: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                raise self.fail(key_node, f"{what} has a key that is not a plain name")
            if key in result:
                raise self.fail(key_node, f"duplicate key '{key}' in {what}")
            if key not in allowed:
                raise self.fail(
                    key_node, f"unknown key '{key}' in {what}", hint=f"allowed: {', '.join(sorted(allowed))}"
                )
            result[key] = value_node
        return result

    def string(self, node: yaml.Node, what: str, *, required: bool = True) -> str:
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null" and not required:
            return ""
        if not isinstance(node, yaml.ScalarNode) or node.tag != "tag:yaml.org,2002:str":
            hint = (
                "put it in quotes: text after ' #' is a YAML comment"
                if node.tag.endswith(":null")
                else ("put it in quotes, e.g. 'yes' or '12', so it stays text")
            )
            raise self.fail(node, f"{what} must be text", hint=hint)
        value = str(node.value).strip()
        if required and not value:
            raise self.fail(node, f"{what} is empty")
        return value

    def strings(self, node: yaml.Node, what: str) -> list[tuple[str, yaml.Node]]:
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, f"{what} must be a list", hint="write it as [a, b] or as '- a' lines")
        return [(self.string(item, f"an entry of {what}"), item) for item in node.value]

    def codebook(self, root: yaml.Node | None) -> Codebook:
        if root is None:
            raise DialogtoolError("codebook is empty", path=self.path, hint="it needs a 'codes:' list")
        top = self.mapping(root, "the codebook", TOP_KEYS)
        if "codes" not in top:
            raise self.fail(root, "the codebook has no 'codes:' list")
        name = self.string(top["name"], "name") if "name" in top else ""
        inherit = True
        if "inherit_headings" in top:
            node = top["inherit_headings"]
            if not (isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:bool"):
                raise self.fail(node, "inherit_headings must be true or false")
            inherit = node.value.lower() in ("true", "yes", "on")
        codes_node = top["codes"]
        if not isinstance(codes_node, yaml.SequenceNode) or not codes_node.value:
            raise self.fail(codes_node, "'codes' must be a non-empty list of codes")
        for item in codes_node.value:
            self.code(item, parent=None)
        canonical = json.dumps(
            {"inherit": inherit, "codes": [c.__dict__ | {"line": 0} for c in self.codes]},
            ensure_ascii=False,
            sort_keys=True,
        )
        digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
        return Codebook(self.path, name, tuple(self.codes), inherit, digest)

    def code(self, node: yaml.Node, parent: str | None) -> None:
        fields = self.mapping(node, "a code", CODE_KEYS)
        if "id" not in fields:
            raise self.fail(node, "a code has no 'id'")
        code_id = self.string(fields["id"], "id")
        id_node = fields["id"]
        if not _ID.match(code_id):
            raise self.fail(
                id_node, f"invalid code id '{code_id}'", hint="letters, digits and _, children as PARENT.CHILD"
            )
        if parent is None and "." in code_id:
            raise self.fail(id_node, f"top-level code id '{code_id}' must not contain '.'")
        if parent is not None and not (
            code_id.startswith(parent + ".") and code_id.count(".") == parent.count(".") + 1
        ):
            raise self.fail(id_node, f"child id '{code_id}' must be '{parent}.<NAME>'")
        if code_id in self.seen:
            raise self.fail(id_node, f"duplicate code id '{code_id}' (first defined on line {self.seen[code_id]})")
        self.seen[code_id] = id_node.start_mark.line + 1
        label = self.string(fields["label"], "label") if "label" in fields else ""
        if not label:
            raise self.fail(node, f"code '{code_id}' has no label")
        description = (
            self.string(fields["description"], "description", required=False) if "description" in fields else ""
        )
        color = None
        if "color" in fields:
            color = self.string(fields["color"], "color")
            if not _COLOR.match(color):
                raise self.fail(fields["color"], f"color '{color}' of '{code_id}' is not #RRGGBB")
        children = fields.get("children")
        terms = self.patterns(fields, "terms", code_id)
        exclude = self.patterns(fields, "exclude", code_id)
        if "terms" in fields and not terms:
            raise self.fail(fields["terms"], f"code '{code_id}' has an empty term list")
        if not terms and children is None:
            raise self.fail(node, f"code '{code_id}' has no terms", hint="add 'terms:' or 'children:'")
        self.codes.append(
            Code(code_id, label, description, parent, tuple(terms), tuple(exclude), color, self.seen[code_id])
        )
        if children is not None:
            if not isinstance(children, yaml.SequenceNode) or not children.value:
                raise self.fail(children, f"'children' of '{code_id}' must be a non-empty list of codes")
            for child in children.value:
                self.code(child, parent=code_id)

    def patterns(self, fields: dict[str, yaml.Node], key: str, code_id: str) -> list[str]:
        if key not in fields:
            return []
        result = []
        for value, node in self.strings(fields[key], f"'{key}' of '{code_id}'"):
            try:
                parse_pattern(value)
            except PatternError as exc:
                raise self.fail(node, f"malformed pattern {value!r} in '{key}' of '{code_id}': {exc}") from None
            result.append(value)
        return result
