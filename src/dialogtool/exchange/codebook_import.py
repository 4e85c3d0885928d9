"""Import: a REFI-QDA codebook (.qdc) as codebook.yaml.

Ids come from the codes' names, children are nested, and each code's name is its only term
(to be refined before coding).
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from ..coded.store import dump_yaml
from ..coding.codebook import parse_codebook
from ..errors import DialogtoolError
from ..files import write_text
from .qda import local, parse_xml, q, read_limited

_TRANSLIT = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "AE", "Ø": "OE", "Å": "AA", "ß": "ss"})


def import_qdc(path: Path, target: Path, force: bool = False) -> int:
    """Turn a REFI-QDA codebook into codebook.yaml form; returns the number of codes.

    Ids come from the names (upper-case ASCII, æøå as AE/OE/AA, made unique), children
    nest as PARENT.CHILD. Every code gets its own name as its only term: a starting point
    that lets the codebook load, to be refined before coding.
    """
    if target.exists() and not force:
        raise DialogtoolError("already exists", path=target, hint="pass --force to overwrite it, or -o ANOTHER.yaml")
    root, ns = parse_xml(read_limited(path), path)
    if local(root.tag) != "CodeBook" or not ns.startswith("urn:QDA-XML:codebook:"):
        raise DialogtoolError("not a REFI-QDA codebook (no CodeBook element)", path=path)
    codes_element = root.find(q(ns, "Codes"))
    taken: set[str] = set()
    top = list(codes_element) if codes_element is not None else []
    codes = [_code_entry(c, ns, None, taken) for c in top if local(c.tag) == "Code"]
    if not codes:
        raise DialogtoolError("the codebook has no codes", path=path)
    data = {"name": f"Imported from {path.name}", "codes": codes}
    text = (
        f"# Imported by `dialogtool import qdc` from {path.name}.\n"
        "# Each code's only term is its own name, as a starting dictionary: refine the terms\n"
        "# (README: The codebook and its pattern language) before running `dialogtool code`.\n" + dump_yaml(data)
    )
    parse_codebook(text, target)  # what we write must load
    write_text(target, text)
    return len(taken)


def _code_entry(element: ET.Element, ns: str, parent: str | None, taken: set[str]) -> dict[str, Any]:
    name = (element.get("name") or "").strip()
    code_id = _unique(_id_part(name), parent, taken)
    entry: dict[str, Any] = {"id": code_id, "label": name or code_id}
    description = element.find(q(ns, "Description"))
    text = description.text if description is not None else None
    if text and text.strip():
        entry["description"] = text.strip()
    color = _color(element.get("color"))
    if color:
        entry["color"] = color
    entry["terms"] = [_term(name, code_id)]
    children = [_code_entry(c, ns, code_id, taken) for c in element if local(c.tag) == "Code"]
    if children:
        entry["children"] = children
    return entry


def _id_part(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name.translate(_TRANSLIT)).encode("ascii", "ignore").decode()
    part = re.sub(r"[^A-Z0-9]+", "_", ascii_name.upper()).strip("_")
    if not part:
        return "CODE"
    return part if part[0].isalpha() else f"C{part}"


def _unique(part: str, parent: str | None, taken: set[str]) -> str:
    base = f"{parent}.{part}" if parent else part
    code_id, n = base, 1
    while code_id in taken:
        n += 1
        code_id = f"{base}_{n}"
    taken.add(code_id)
    return code_id


def _term(name: str, code_id: str) -> str:
    """The name as a plain pattern: lower case, without brackets and signs the pattern
    language has no use for ("Koordinerende enhet (KE)" -> "koordinerende enhet")."""
    from ..coding.patterns import PatternError, parse_pattern

    text = re.sub(r"\([^)]*\)|\[[^]]*\]", " ", name.lower())
    words = re.findall(r"\w+(?:[-/]\w+)*", text)
    for candidate in (" ".join(words), code_id.split(".")[-1].lower()):
        try:
            if candidate:
                parse_pattern(candidate)
                return candidate
        except PatternError:
            continue
    return "todo"


def _color(value: str | None) -> str | None:
    """#RRGGBB, as the codebook wants it (REFI-QDA also allows #RGB)."""
    if not value:
        return None
    value = value.strip()
    if re.fullmatch(r"#[0-9A-Fa-f]{6}", value):
        return value.upper()
    if re.fullmatch(r"#[0-9A-Fa-f]{3}", value):
        return "#" + "".join(c * 2 for c in value[1:]).upper()
    return None
