"""Import: a REFI-QDA codebook (.qdc, or the codebook inside a project) as codebook.yaml.

Ids: a code we exported carries its id as the last line of its description (`qda.with_id`),
and gets it back, so a round trip fits existing coded files and reviews; other programs'
codes get readable ids from their names (æøå as AE/OE/AA, a bracketed acronym such as
"(KE)" preferred, at most a few words). Folders (`isCodable="false"`) become parent codes
without terms; the 1.5 specification's own example (A.1) writes folders empty with their
codes as the siblings after them, so an empty folder takes the codable codes that follow
it, up to the next folder. Every codable code gets its name as its only term (to be refined
before coding). Code groups (`<Sets>`, ATLAS.ti) have no place in the codebook: they are
written as a comment at its top, with their members.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..coded.store import dump_yaml
from ..coding.codebook import parse_codebook
from ..errors import DialogtoolError
from ..files import write_text
from .qda import local, norm_guid, parse_xml, read_limited, read_member, split_id

_TRANSLIT = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "AE", "Ø": "OE", "Å": "AA", "ß": "ss"})


_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$")  # as the codebook checks ids


MAX_ID_WORDS = 3  # a readable id: "Brukergrupper med udekkede behov" -> BRUKERGRUPPER_MED_UDEKKEDE


@dataclass
class CodebookImport:
    """What `import_qdc` wrote, for the CLI to report."""

    codes: int = 0
    folders: int = 0  # isCodable="false" codes, written as parents without terms
    own_ids: int = 0  # codes whose id came back from our own export
    sets: list[str] = field(default_factory=list)  # code groups, kept as a comment


def import_qdc(path: Path, target: Path, force: bool = False) -> CodebookImport:
    """Turn a REFI-QDA codebook into codebook.yaml form; see the module docstring."""
    if target.exists() and not force:
        raise DialogtoolError("already exists", path=target, hint="pass --force to overwrite it, or -o ANOTHER.yaml")
    book, holder = _codebook_element(path)
    codes_element = next((c for c in book if local(c.tag) == "Codes"), None)
    summary = CodebookImport()
    taken: set[str] = set()
    names: dict[str, str] = {}
    top = _grouped(list(codes_element) if codes_element is not None else [])
    codes = [_code_entry(c, None, taken, names, summary) for c in top]
    if not codes:
        raise DialogtoolError("the codebook has no codes", path=path)
    summary.codes = len(taken)
    summary.sets = _sets(holder, names)
    data = {"name": f"Imported from {path.name}", "codes": codes}
    header = [
        f"# Imported by `dialogtool import qdc` from {path.name}.",
        "# Each code's only term is its own name, as a starting dictionary: refine the terms",
        "# (README: The codebook and its pattern language) before running `dialogtool code`.",
    ]
    if summary.sets:
        header.append("# Code groups in the original (REFI-QDA Sets; the codebook has no place for them):")
        header += [f"#   {line}" for line in summary.sets]
    text = "\n".join(header) + "\n" + dump_yaml(data)
    parse_codebook(text, target)  # what we write must load
    write_text(target, text)
    return summary


def _codebook_element(path: Path) -> tuple[ET.Element, ET.Element]:
    """The CodeBook element of a .qdc, of a bare project (.qde) or of a .qdpx, and the
    element that holds its `<Sets>` (the codebook; in a project, the project). Programs
    disagree on the codebook's namespace version (1.0, 1:0, 0:4), so any is taken."""
    data = read_limited(path)
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(path) as archive:
            member = next((m for m in archive.infolist() if m.filename.lower().endswith(".qde")), None)
            if member is None:
                raise DialogtoolError("no project.qde in this .qdpx", path=path)
            data = read_member(archive, member, path)
    root, ns = parse_xml(data, path)
    if local(root.tag) == "CodeBook" and ns.startswith("urn:QDA-XML:codebook:"):
        return root, root
    if local(root.tag) == "Project" and ns.startswith("urn:QDA-XML:project:"):
        book = next((c for c in root if local(c.tag) == "CodeBook"), None)
        if book is not None:
            return book, root
        raise DialogtoolError("the project has no codebook", path=path)
    raise DialogtoolError("not a REFI-QDA codebook (no CodeBook element)", path=path)


def _children(element: ET.Element) -> list[ET.Element]:
    return _grouped([c for c in element if local(c.tag) == "Code"])


def _grouped(codes: list[ET.Element]) -> list[ET.Element]:
    """Sibling codes with the spec's layout of empty folders undone: an empty folder gets
    the codable codes after it as its children (copies; the document is not changed)."""
    codes = [c for c in codes if local(c.tag) == "Code"]
    if not any(_is_folder(c) and not _has_codes(c) for c in codes):
        return codes
    result: list[ET.Element] = []
    folder: ET.Element | None = None
    for code in codes:
        if _is_folder(code):
            folder = None
            if not _has_codes(code):
                folder = ET.Element(code.tag, code.attrib)
                folder.extend(list(code))
            result.append(folder if folder is not None else code)
        elif folder is not None:
            folder.append(code)
        else:
            result.append(code)
    return result


def _is_folder(element: ET.Element) -> bool:
    return (element.get("isCodable") or "true").strip().lower() in {"false", "0"}


def _has_codes(element: ET.Element) -> bool:
    return any(local(c.tag) == "Code" for c in element)


def _code_entry(
    element: ET.Element, parent: str | None, taken: set[str], names: dict[str, str], summary: CodebookImport
) -> dict[str, Any]:
    name = (element.get("name") or "").strip()
    description, own = split_id(_description(element))
    if own and _fits(own, parent) and own not in taken:
        code_id = own
        taken.add(own)
        summary.own_ids += 1
    else:
        code_id = _unique(_id_part(name), parent, taken)
    names[norm_guid(element.get("guid"))] = name or code_id
    entry: dict[str, Any] = {"id": code_id, "label": name or code_id}
    if description:
        entry["description"] = description
    color = _color(element.get("color"))
    if color:
        entry["color"] = color
    children = [_code_entry(c, code_id, taken, names, summary) for c in _children(element)]
    folder = _is_folder(element)
    if folder:
        summary.folders += 1
    if not (folder and children):  # a folder with codes codes nothing itself
        entry["terms"] = [_term(name, code_id)]
    if children:
        entry["children"] = children
    return entry


def _description(element: ET.Element) -> str | None:
    found = next((c for c in element if local(c.tag) == "Description"), None)
    return found.text if found is not None else None


def _fits(code_id: str, parent: str | None) -> bool:
    """Whether an id read back from a description can stand where the code now is."""
    if not _ID.match(code_id):
        return False
    if parent is None:
        return "." not in code_id
    return code_id.startswith(parent + ".") and code_id.count(".") == parent.count(".") + 1


def _id_part(name: str) -> str:
    """A short readable id from a code's name: its bracketed acronym, else its first words."""
    acronym = re.search(r"\(([A-ZÆØÅ][A-ZÆØÅ0-9]{1,7})\)", name)
    if acronym:
        name = acronym.group(1)
    ascii_name = unicodedata.normalize("NFKD", name.translate(_TRANSLIT)).encode("ascii", "ignore").decode()
    words = re.findall(r"[A-Z0-9]+", ascii_name.upper())
    part = "_".join(words[:MAX_ID_WORDS])
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


def _sets(holder: ET.Element, names: dict[str, str]) -> list[str]:
    """Each code group as one line: "name: member, member" (members by code name); sets
    of sources only (MAXQDA's document sets) are not code groups and are left out."""
    sets = next((c for c in holder if local(c.tag) == "Sets"), None)
    lines = []
    for entry in list(sets) if sets is not None else []:
        codes = [m for m in entry if local(m.tag) == "MemberCode"]
        if local(entry.tag) != "Set" or (not codes and any(local(m.tag) == "MemberSource" for m in entry)):
            continue
        members = [names.get(norm_guid(m.get("guid") or m.get("targetGUID")), "?") for m in codes]
        description = _description(entry)
        label = (entry.get("name") or "?").strip()
        if description and description.strip():
            label += f" ({' '.join(description.split())})"
        lines.append(f"{label}: {', '.join(members) or '(no codes)'}")
    return lines


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
