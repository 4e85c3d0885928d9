"""Metadata of a note: meeting place and date, table, topic, group, host, language.

Read from the note's header lines (and its sign-off), then overridden per file by the
manifest `meta.yaml` in the input folder, so staff can correct what detection missed.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from .. import yamlio
from ..errors import DialogtoolError
from ..langdata import (
    AMBIGUOUS_HOST_ROLES,
    AMBIGUOUS_WRITER_ROLES,
    BOKMAAL_MARKERS,
    BYLINE,
    HOST_ROLES,
    NYNORSK_MARKERS,
    WRITER_ROLES,
    byline_name,
)

FIELDS = ("meeting", "date", "table", "topic", "group", "host", "language")
MANIFEST = "meta.yaml"
_HEADER_BLOCKS = 12
_LANGUAGE_SAMPLE = 6000  # characters: plenty of marker words, bounded cost on huge files

_MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "januar",
            "februar",
            "mars",
            "april",
            "mai",
            "juni",
            "juli",
            "august",
            "september",
            "oktober",
            "november",
            "desember",
        ],
        1,
    )
}
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})\b")
_WORD_DATE = re.compile(r"\b(\d{1,2})\.?\s+(" + "|".join(_MONTHS) + r")\s+(\d{4})\b", re.IGNORECASE)
_PLACE = r"([A-ZÆØÅ][\wæøåÆØÅ.\-]*(?:\s+(?:i|på)\s+[A-ZÆØÅ][\wæøåÆØÅ\-]*)*)"
_MEETING = re.compile(r"(?i:dialogm[øo]te)(?:t)?(?:\s+(?:i|på|på))?\s+" + _PLACE)
_TABLE = re.compile(r"\b(?:dialog)?kaf[eé]\s*-?bord\s*(?:nr\.?\s*)?(\d+)\b(?:\s*[-–—:.]\s*(.+))?", re.IGNORECASE)
_TABLE_PLAIN = re.compile(r"\bbord\s*(?:nr\.?\s*)?(\d+)\b", re.IGNORECASE)
_TABLE_LINE = re.compile(r"^bord\s*(?:nr\.?\s*)?(\d+)\b(?:\s*[-–—:.]\s*(.+))?", re.IGNORECASE)  # a header "Bord 2"
_GREETING = re.compile(r"^(?:mvh|hilsen|helsing|vennleg helsing|vennlig hilsen)[.,:]?\s+", re.IGNORECASE)
_TOPIC = re.compile(
    r"^(?:tema(?:\s+for\s+bordet)?|bordets\s+oppg[aå]ve|oppg[aå]ve(?:\s+om)?)\b\s*[:\-–]?\s*(?!\d)(.+?)\s*$",
    re.IGNORECASE,
)
_GROUP = re.compile(r"^gruppe\s+(\d+\w*(?:\s*[-–—]\s*[\wæøå]+)?)", re.IGNORECASE)
# The host's own line first; a writer's line («Referent: …») names the host only when no host
# line does.
_HOSTS = (
    re.compile(byline_name(HOST_ROLES + AMBIGUOUS_HOST_ROLES), re.IGNORECASE),
    re.compile(byline_name(WRITER_ROLES + AMBIGUOUS_WRITER_ROLES), re.IGNORECASE),
)
_SIGN_OFF = re.compile(rf"^{BYLINE}", re.IGNORECASE)
_NAME = re.compile(r"^[A-ZÆØÅ][a-zæøåé\-]+(?:\s+[A-ZÆØÅ][a-zæøåé\-]+){0,3}$")
_WORD = re.compile(r"[a-zæøåò]+")


def detect_meta(text: str) -> dict[str, object]:
    """Metadata found in a normalised note; fields not found are None."""
    blocks = [b.removeprefix("• ") for b in text.split("\n\n") if b]
    header = blocks[:_HEADER_BLOCKS]
    meta: dict[str, object] = dict.fromkeys(FIELDS)
    for block in header:
        match = _MEETING.search(block)
        if match and meta["meeting"] is None:
            meta["meeting"] = match.group(1).rstrip(".,")
            meta["date"] = meta["date"] or find_date(block)
    for block in header:
        meta["date"] = meta["date"] or find_date(block)
        if meta["table"] is None and (match := _TABLE.search(block) or _TABLE_LINE.match(block)):
            meta["table"] = int(match.group(1))
            if match.group(2) and meta["topic"] is None:
                meta["topic"] = match.group(2).strip(" .")
        if meta["topic"] is None and (match := _TOPIC.match(block)):
            meta["topic"] = match.group(1).rstrip(".:")
        if meta["group"] is None and (match := _GROUP.match(block)):
            meta["group"] = match.group(1)
    meta["host"] = _host(header)
    _sign_off(blocks, meta)
    meta["language"] = detect_language(text)
    return meta


def _sign_off(blocks: list[str], meta: dict[str, object]) -> None:
    """A closing "Kari Beate / Kafévert på bord 1." gives the host and the table."""
    closing = range(max(0, len(blocks) - 6), len(blocks))
    meta["host"] = meta["host"] or _host([blocks[i] for i in closing])
    for i in closing:
        block = blocks[i]
        if _SIGN_OFF.match(block):
            if meta["table"] is None and (match := _TABLE_PLAIN.search(block)):
                meta["table"] = int(match.group(1))
            name = _GREETING.sub("", blocks[i - 1]) if i > 0 else ""
            if meta["host"] is None and _NAME.match(name):
                meta["host"] = name


def _host(blocks: list[str]) -> str | None:
    """The name on the first host line of `blocks`, else on the first writer line."""
    for pattern in _HOSTS:
        for block in blocks:
            if match := pattern.match(block):
                return match.group(1).rstrip(".")
    return None


def find_date(text: str) -> str | None:
    """The first valid date in `text` as YYYY-MM-DD ("18.09.2018", "12. oktober 2018")."""
    for match in _NUMERIC_DATE.finditer(text):
        day, month, year = (int(g) for g in match.groups())
        year += 2000 if year < 100 else 0
        if iso := _iso(year, month, day):
            return iso
    word = _WORD_DATE.search(text)
    if word:
        return _iso(int(word.group(3)), _MONTHS[word.group(2).lower()], int(word.group(1)))
    return None


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def detect_language(text: str) -> str:
    """ "nn" when Nynorsk marker words outnumber Bokmål ones, else "nb".

    The words are the runs of `_WORD` in the lower-cased sample, found without a regex or
    `str.lower`: the sample as Latin-1 bytes (every letter of `_WORD` is one) is mapped through
    `_WORD_BYTES` and split on the spaces that now stand for everything else. Measured with
    callgrind: 835k instructions a note with `_WORD.findall` on the lower-cased sample and
    `sum(map(set.__contains__, …))`, 242k with the bytes and this loop.
    """
    sample = text[:_LANGUAGE_SAMPLE]
    if "\u0130" in sample or "\u212a" in sample or "\u212b" in sample:  # see _WORD_BYTES
        sample = sample.lower()
    nn = 0
    nb = 0
    markers = _MARKER_BYTES  # a local: a module name is a dict look-up in each round of the loop
    for word in sample.encode("latin-1", "replace").translate(_WORD_BYTES).split():
        if word in markers:  # one look-up for the many words that are neither
            nn += word in _NYNORSK_BYTES
            nb += word in _BOKMAAL_BYTES
    return "nn" if nn > nb else "nb"


def _word_byte(code: int) -> int:
    """The byte that Latin-1 character `code` becomes in `_WORD_BYTES`."""
    lower = chr(code).lower()
    return ord(lower) if _WORD.fullmatch(lower) else ord(" ")


# Latin-1 byte -> its lower-case form when that is a letter of `_WORD`, else a space (as
# `str.lower` then `_WORD` would read it). Outside Latin-1 only three signs lower-case into such
# a letter (İ to «i» and a dot, the Kelvin K, the Ångström Å): a sample with one is lower-cased
# first; any other character becomes "?" in the sample's bytes, and a space here.
_WORD_BYTES = bytes(_word_byte(code) for code in range(256))
_NYNORSK_BYTES = frozenset(w.encode("latin-1") for w in NYNORSK_MARKERS)
_BOKMAAL_BYTES = frozenset(w.encode("latin-1") for w in BOKMAAL_MARKERS)
_MARKER_BYTES = _NYNORSK_BYTES | _BOKMAAL_BYTES


@dataclass(frozen=True)
class Manifest:
    """A folder's meta.yaml, checked entry by entry.

    Every mistake is collected with its line (`errors`), so a user fixes them all in one go;
    a mistake in one entry fails only that note (`broken`), and a file that cannot be read
    as a whole fails every note of the folder (`unreadable`). Entries naming no file in the
    folder, and fields of the user's own spelt like a built-in one (dato, sprak), are
    `warnings`: a renamed note would silently lose its metadata, a typo would make a column.
    """

    path: Path
    entries: dict[str, dict[str, object]] = field(default_factory=dict)
    errors: tuple[DialogtoolError, ...] = ()
    broken: frozenset[str] = frozenset()
    unreadable: bool = False
    warnings: tuple[DialogtoolError, ...] = ()

    def entry(self, note: Path) -> dict[str, object]:
        """The overrides for one note; a DialogtoolError naming the note when its entry (or the
        whole manifest) is wrong: the mistakes themselves are in `errors`, reported once."""
        if self.unreadable:
            raise DialogtoolError(f"{self.path} cannot be read (see the error above)", path=note)
        if note.name in self.broken:
            prefix = f"entry '{note.name}'"
            lines = ", ".join(str(e.line) for e in self.errors if e.message.startswith(prefix))
            raise DialogtoolError(f"its entry in {self.path} has errors (line {lines}, listed above)", path=note)
        return self.entries.get(note.name, {})

    @property
    def fields(self) -> list[str]:
        """The user's own fields (beyond FIELDS), in the order they first appear."""
        seen: dict[str, None] = {}
        for entry in self.entries.values():
            seen.update(dict.fromkeys(k for k in entry if k not in FIELDS))
        return list(seen)


def read_manifest(folder: Path) -> Manifest:
    """The folder's meta.yaml with every mistake found (see Manifest); absent, it is empty."""
    path = folder / MANIFEST
    if not os.path.lexists(path):  # anything else of that name (a FIFO, a folder) is refused by the reader
        return Manifest(path)
    try:
        root = yamlio.compose(yamlio.read_text(path, "manifest", encoding="utf-8-sig"), path)
    except DialogtoolError as exc:
        return Manifest(path, errors=(exc,), unreadable=True)
    if root is None:
        return Manifest(path)
    if not isinstance(root, yaml.MappingNode):
        error = DialogtoolError(
            "manifest must map file names to metadata fields", path=path, line=root.start_mark.line + 1
        )
        return Manifest(path, errors=(error,), unreadable=True)
    entries: dict[str, dict[str, object]] = {}
    errors: list[DialogtoolError] = []
    broken: set[str] = set()
    warnings: list[DialogtoolError] = []
    for key_node, value_node in root.value:
        name = str(_construct(key_node))
        found = _check_entry(name, value_node, path, warnings)
        if isinstance(found, list):
            errors += found
            broken.add(name)
        else:
            entries[name] = found
        if not (folder / name).exists():
            line = key_node.start_mark.line + 1
            warnings.append(DialogtoolError(f"entry '{name}' names no file in this folder", path=path, line=line))
    return Manifest(path, entries, tuple(errors), frozenset(broken), False, tuple(warnings))


def load_manifest(folder: Path) -> dict[str, dict[str, object]]:
    """Per-file overrides from `folder/meta.yaml`; the first mistake, if any, is raised."""
    manifest = read_manifest(folder)
    if manifest.errors:
        raise manifest.errors[0]
    return manifest.entries


_FIELD_NAME = re.compile(r"^[^\W\d]\w*$")


def _check_entry(
    name: str, node: yaml.Node, path: Path, warnings: list[DialogtoolError]
) -> dict[str, object] | list[DialogtoolError]:
    """One entry's fields, or every mistake in it with its line.

    Catches the values that would silently split a table column ('nynorsk', '05.10.2018');
    fields of the user's own (kommune, helseforetak) are welcome if they hold one value.
    """
    line = node.start_mark.line + 1
    if not isinstance(node, yaml.MappingNode):
        return [DialogtoolError(f"entry '{name}' must be a mapping of fields", path=path, line=line)]
    entry: dict[str, object] = {}
    errors = []
    for key_node, value_node in node.value:
        key = str(_construct(key_node))
        where = {"path": path, "line": key_node.start_mark.line + 1}
        if not _FIELD_NAME.match(key):
            errors.append(DialogtoolError(f"entry '{name}': field name {key!r} is not a word", **where))
            continue
        if not isinstance(value_node, yaml.ScalarNode):
            errors.append(
                DialogtoolError(f"entry '{name}': field '{key}' must be one value, not a list or map", **where)
            )
            continue
        if key not in FIELDS and (near := difflib.get_close_matches(key, FIELDS, n=1, cutoff=0.7)):
            warnings.append(
                DialogtoolError(f"entry '{name}': '{key}' is a field of your own; did you mean '{near[0]}'?", **where)
            )
        value = _clean_value(_construct(value_node))
        problem = _check_value(key, value)
        if problem:
            errors.append(DialogtoolError(f"entry '{name}': {problem}", **where))
            continue
        entry[key] = value
    return errors or entry


def _check_value(key: str, value: object) -> str | None:
    """What is wrong with a built-in field's value, or None."""
    if value is None:
        return None
    if key == "language" and value not in ("nb", "nn"):
        return f"language must be nb or nn, not {value!r}"
    if key == "date" and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value)):
        return f"date must be YYYY-MM-DD, not {value!r}"
    if key == "table" and (not isinstance(value, int) or isinstance(value, bool)):
        return f"table must be a number, not {value!r}"
    return None


def _construct(node: yaml.Node) -> object:
    """A scalar node's value as the YAML loader would give it (3 → int, 2018-10-05 → date)."""
    return yamlio.Loader("").construct_object(node, deep=True)


def _clean_value(value: object) -> object:
    """Dates written unquoted in YAML arrive as date objects; keep them as ISO text."""
    if isinstance(value, date):
        return value.isoformat()
    return value
