"""Metadata of a note: meeting place and date, table, topic, group, host, language.

Read from the note's header lines (and its sign-off), then overridden per file by the
manifest `meta.yaml` in the input folder, so staff can correct what detection missed.
"""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

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
    r"^(?:tema(?:\s+for\s+bordet)?|bordets\s+oppg[aå]ve|oppg[aå]ve(?:\s+om)?)\s*[:\-–]?\s*(?!\d)(.+?)\s*$",
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
    """ "nn" when Nynorsk marker words outnumber Bokmål ones, else "nb"."""
    nn = nb = 0
    for word in _WORD.findall(text[:_LANGUAGE_SAMPLE].lower()):
        nn += word in NYNORSK_MARKERS
        nb += word in BOKMAAL_MARKERS
    return "nn" if nn > nb else "nb"


def load_manifest(folder: Path) -> dict[str, dict[str, object]]:
    """Per-file overrides from `folder/meta.yaml`; an absent manifest is empty.

    Anything else of that name (a FIFO, a link to a device, a folder) is refused by the reader."""
    path = folder / MANIFEST
    if not os.path.lexists(path):
        return {}
    data = yamlio.load(path, "manifest", encoding="utf-8-sig")
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise DialogtoolError("manifest must map file names to metadata fields", path=path)
    manifest: dict[str, dict[str, object]] = {}
    for name, fields in data.items():
        if not isinstance(fields, dict):
            raise DialogtoolError(f"entry '{name}' must be a mapping of fields", path=path)
        unknown = sorted(set(map(str, fields)) - set(FIELDS))
        if unknown:
            raise DialogtoolError(
                f"entry '{name}' has unknown field(s) {', '.join(unknown)}",
                path=path,
                hint=f"fields: {', '.join(FIELDS)}",
            )
        entry = {k: _clean_value(v) for k, v in fields.items()}
        _check_entry(str(name), entry, path)
        manifest[str(name)] = entry
    return manifest


def _check_entry(name: str, entry: dict[str, object], path: Path) -> None:
    """Catch the values that would silently split a table column: 'nynorsk', '05.10.2018'."""
    language = entry.get("language")
    if language is not None and language not in ("nb", "nn"):
        raise DialogtoolError(f"entry '{name}': language must be nb or nn, not {language!r}", path=path)
    when = entry.get("date")
    if when is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(when)):
        raise DialogtoolError(f"entry '{name}': date must be YYYY-MM-DD, not {when!r}", path=path)
    table = entry.get("table")
    if table is not None and not isinstance(table, int):
        raise DialogtoolError(f"entry '{name}': table must be a number, not {table!r}", path=path)


def _clean_value(value: object) -> object:
    """Dates written unquoted in YAML arrive as date objects; keep them as ISO text."""
    if isinstance(value, date):
        return value.isoformat()
    return value
