"""Load and validate the YAML codebook of themes.

Every mistake stops the load with one DialogtoolError naming the file, the line and
what is wrong, because a codebook that half-loads would silently change the coding.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import yaml

from .. import yamlio
from ..errors import DialogtoolError
from .patterns import PatternError, parse_rule

TOP_KEYS = {"name", "description", "version", "inherit_headings", "context", "codes", "topics"}
CODE_KEYS = {"id", "label", "description", "color", "terms", "exclude", "concepts", "children"}
CONCEPT_KEYS = {"label", "description", "terms", "exclude", "weak", "once_named"}
CONTEXT_KEYS = {"heading", "leadin", "reference", "groups"}
_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$")
_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")


@dataclass(frozen=True)
class Concept:
    """One concept of a theme (from the coding guide) and the words used for it."""

    label: str
    description: str
    terms: tuple[str, ...]
    exclude: tuple[str, ...]
    weak: bool = False  # its words code the unit but leave room for a heading's theme (see context.py)
    # its words («planen», «eininga») point back to the theme, so they code a unit only once the
    # note has named the theme with other words (see context.py)
    once_named: bool = False
    # when not empty, the only heading themes a weak concept leaves room for (`weak: [IP]`)
    weak_under: tuple[str, ...] = ()


@dataclass(frozen=True)
class Code:
    """One theme or sub-theme of the codebook.

    `terms` and `exclude` hold every pattern of the code, its concepts' included, in file
    order; `concepts` keeps the grouping for people reading or exporting the codebook.
    """

    id: str
    label: str
    description: str
    parent: str | None
    terms: tuple[str, ...]
    exclude: tuple[str, ...]
    color: str | None
    line: int
    concepts: tuple[Concept, ...] = ()


@dataclass(frozen=True)
class ContextRules:
    """Which context rules may give a segment a theme its own words do not (see `context`).

    `groups` is the id of the theme whose codes are patient groups, carried to the units
    that refer back to a group ("de", "mange av dei"); None switches that rule off.
    """

    heading: bool = True
    leadin: bool = True
    reference: bool = True
    groups: str | None = None


@dataclass(frozen=True)
class Codebook:
    """The validated codebook; `codes` in file order, parents before their children."""

    path: str
    name: str
    codes: tuple[Code, ...]
    context: ContextRules
    digest: str
    version: str | None = None  # the codebook's own `version:`, which a report cites
    # `topics:` — a table topic's name in reports, and the ways notes write it (Bokmål and
    # Nynorsk titles of the same task): {"Kompetanse": ("kompetanse", "kompetanseheving")}
    topics: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    # Worked out once per codebook, not on every call: the context rules ask for these three
    # on every note (together 60 µs a note, about 1 % of coding one).
    @cached_property
    def weak_patterns(self) -> Mapping[str, frozenset[str] | None]:
        """Patterns of weak concepts: a unit coded by these alone still takes its heading's theme
        — any theme (None), or only those the concept names (`weak: [IP]`)."""
        weak: dict[str, frozenset[str] | None] = {}
        for code in self.codes:
            for concept in code.concepts:
                if not concept.weak:
                    continue
                under = frozenset(concept.weak_under) or None
                for term in concept.terms:
                    known = weak.get(term, frozenset())
                    weak[term] = None if under is None or known is None else known | under
        return weak

    @cached_property
    def once_named_patterns(self) -> frozenset[str]:
        """Patterns that code a unit only after the note has named their theme otherwise."""
        return frozenset(t for code in self.codes for c in code.concepts if c.once_named for t in c.terms)

    @property
    def inherit_headings(self) -> bool:
        """The heading rule (the only context rule of the first codebook format)."""
        return self.context.heading

    @property
    def ids(self) -> frozenset[str]:
        """Every code id, themes and their children: what a review block may name (case-sensitive)."""
        return frozenset(c.id for c in self.codes)

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
        """Code id -> position in the codebook, for sorting codes the way the file lists them
        (a copy the caller may change)."""
        return dict(self._positions)

    @cached_property
    def _positions(self) -> dict[str, int]:
        return {c.id: i for i, c in enumerate(self.codes)}

    def label(self, code_id: str) -> str:
        try:
            return self.get(code_id).label
        except KeyError:
            return code_id


def load_codebook(path: str | Path) -> Codebook:
    """Read and validate a codebook file."""
    path = Path(path)
    if not path.exists() and not path.is_symlink():
        raise DialogtoolError("codebook not found", path=path, hint="pass --codebook FILE")
    return parse_codebook(yamlio.read_text(path, "codebook", encoding="utf-8-sig"), path)


def parse_codebook(text: str, path: str | Path = "<codebook>") -> Codebook:
    """Validate codebook YAML text; `path` is used in messages."""
    return _Validator(str(path)).codebook(yamlio.compose(text, path))


class _Validator:
    """Walks the YAML node tree so every message can carry the node's line."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.codes: list[Code] = []
        self.weak_under: list[tuple[yaml.Node, str, tuple[str, ...]]] = []  # checked once all codes are read
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
        codes_node = top["codes"]
        if not isinstance(codes_node, yaml.SequenceNode) or not codes_node.value:
            raise self.fail(codes_node, "'codes' must be a non-empty list of codes")
        for item in codes_node.value:
            self.code(item, parent=None)
        known = {c.id for c in self.codes}
        for node, where, ids in self.weak_under:
            for unknown in (i for i in ids if i not in known):
                raise self.fail(node, f"weak of '{where}' names '{unknown}', which is not a code")
        rules = self.context(top)
        canonical = json.dumps(
            {
                "inherit": rules.heading,
                "context": [rules.leadin, rules.reference, rules.groups],
                "codes": [_canonical(c) for c in self.codes],
            },
            ensure_ascii=False,
            sort_keys=True,
        )
        digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
        version = self.scalar_text(top["version"]) if "version" in top else None
        topics = self.topics(top["topics"]) if "topics" in top else {}
        return Codebook(self.path, name, tuple(self.codes), rules, digest, version, topics)

    def topics(self, node: yaml.Node) -> dict[str, tuple[str, ...]]:
        """`topics: {Name: [variant, …]}`; a variant under two names is a mistake with a line."""
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, "'topics' must map a topic's name to the ways notes write it")
        result: dict[str, tuple[str, ...]] = {}
        owner: dict[str, str] = {}
        for key_node, value_node in node.value:
            name = self.string(key_node, "a topic name")
            variants = [v for v, _ in self.strings(value_node, f"the variants of topic '{name}'")]
            for variant, item in zip(variants, value_node.value, strict=True):
                folded = variant.casefold()
                if owner.get(folded, name) != name:
                    raise self.fail(item, f"topic variant '{variant}' is listed under '{owner[folded]}' and '{name}'")
                owner[folded] = name
            result[name] = tuple(variants)
        return result

    @staticmethod
    def scalar_text(node: yaml.Node) -> str | None:
        """A scalar's text as written (`version: 2` and `version: "2.1"` both cite as written)."""
        return str(node.value) if isinstance(node, yaml.ScalarNode) and node.value != "" else None

    def context(self, top: dict[str, yaml.Node]) -> ContextRules:
        """The context rules: `context:` (any rule left out is on, groups off), or the first
        format's `inherit_headings:` (the heading rule alone)."""
        if "inherit_headings" in top and "context" in top:
            raise self.fail(
                top["inherit_headings"],
                "use either 'inherit_headings' or 'context', not both",
                hint="'context: {heading: false}' is the same as 'inherit_headings: false'",
            )
        if "inherit_headings" in top:
            return ContextRules(
                heading=self.boolean(top["inherit_headings"], "inherit_headings"), leadin=False, reference=False
            )
        if "context" not in top:
            return ContextRules(leadin=False, reference=False)
        fields = self.mapping(top["context"], "context", CONTEXT_KEYS)
        flags = {
            key: self.boolean(fields[key], f"context.{key}")
            for key in ("heading", "leadin", "reference")
            if key in fields
        }
        groups = None
        node = fields.get("groups")
        if node is not None and not (isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null")):
            groups = self.string(node, "context.groups")
            tops = [c.id for c in self.codes if c.parent is None]
            if groups not in tops:
                raise self.fail(
                    node,
                    f"context.groups names '{groups}', which is not a top-level code",
                    hint=f"one of: {', '.join(tops)}",
                )
        return ContextRules(**flags, groups=groups)

    def weakness(self, node: yaml.Node, where: str) -> tuple[bool, tuple[str, ...]]:
        """`weak: true|false`, or `weak: [IP, …]`: weak only under headings with these themes
        (the guide's «training for it» is IP under an IP heading, not KE under a KE heading)."""
        if not isinstance(node, yaml.SequenceNode):
            return self.boolean(node, f"weak of '{where}'"), ()
        ids = tuple(self.string(item, f"a theme in weak of '{where}'") for item in node.value)
        if not ids:
            raise self.fail(node, f"weak of '{where}' must be true, false or a list of theme ids")
        self.weak_under.append((node, where, ids))
        return True, ids

    def boolean(self, node: yaml.Node, what: str) -> bool:
        if not (isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:bool"):
            raise self.fail(node, f"{what} must be true or false")
        return node.value.lower() in ("true", "yes", "on")

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
        concepts = self.concepts(fields["concepts"], code_id) if "concepts" in fields else ()
        terms += [t for c in concepts for t in c.terms]
        exclude += [t for c in concepts for t in c.exclude]
        if not terms and children is None:
            raise self.fail(node, f"code '{code_id}' has no terms", hint="add 'terms:', 'concepts:' or 'children:'")
        self.codes.append(
            Code(code_id, label, description, parent, tuple(terms), tuple(exclude), color, self.seen[code_id], concepts)
        )
        if children is not None:
            if not isinstance(children, yaml.SequenceNode) or not children.value:
                raise self.fail(children, f"'children' of '{code_id}' must be a non-empty list of codes")
            for child in children.value:
                self.code(child, parent=code_id)

    def concepts(self, node: yaml.Node, code_id: str) -> tuple[Concept, ...]:
        """A code's concepts: each a label, a description and its own terms (and exclusions)."""
        if not isinstance(node, yaml.SequenceNode) or not node.value:
            raise self.fail(node, f"'concepts' of '{code_id}' must be a non-empty list")
        result = []
        for item in node.value:
            fields = self.mapping(item, f"a concept of '{code_id}'", CONCEPT_KEYS)
            if "label" not in fields:
                raise self.fail(item, f"a concept of '{code_id}' has no label")
            label = self.string(fields["label"], "label")
            description = (
                self.string(fields["description"], "description", required=False) if "description" in fields else ""
            )
            where = f"{code_id} › {label}"
            terms = self.patterns(fields, "terms", where)
            if not terms:
                raise self.fail(fields.get("terms", item), f"concept '{where}' has no terms")
            weak, under = self.weakness(fields["weak"], where) if "weak" in fields else (False, ())
            once = self.boolean(fields["once_named"], f"once_named of '{where}'") if "once_named" in fields else False
            exclude = tuple(self.patterns(fields, "exclude", where))
            result.append(Concept(label, description, tuple(terms), exclude, weak, once, under))
        return tuple(result)

    def patterns(self, fields: dict[str, yaml.Node], key: str, code_id: str) -> list[str]:
        if key not in fields:
            return []
        result = []
        for value, node in self.strings(fields[key], f"'{key}' of '{code_id}'"):
            try:
                parse_rule(value)
            except PatternError as exc:
                raise self.fail(node, f"malformed pattern {value!r} in '{key}' of '{code_id}': {exc}") from None
            result.append(value)
        return result


def _canonical(code: Code) -> dict[str, object]:
    """A code as it counts for the digest: what it matches, not where it stands in the file."""
    data = {k: v for k, v in code.__dict__.items() if k != "concepts"} | {"line": 0}
    if code.concepts:
        data["concepts"] = [c.__dict__ for c in code.concepts]
    return data
