"""A small YAML writer for coded notes: the layout reviewers read, ten times faster.

PyYAML's representer takes most of `code`'s time on large corpora. Coded notes are plain
mappings, lists and scalars, so this writer emits them directly: mappings as blocks, lists
of scalars inline (`codes: [KE, IP]`), lists of mappings as `- ` blocks. A string is
written plain only when no YAML 1.1 or 1.2 reader could read it as anything else;
otherwise single-quoted, or double-quoted with escapes when it holds characters that
YAML does not allow raw. Tests check that PyYAML reads back exactly what was written.
"""

from __future__ import annotations

import re
from typing import Any

from .note import TEXT, CodedNote, CodedSegment

# Characters that may not start a plain scalar, plus digits and signs (numbers, dates).
_BAD_START = frozenset("-?:,[]{}#&*!|>'\"%@`=~<. +0123456789")
_FLOW_BAD = re.compile(r"[,\[\]{}?:#&*!|>'\"%@`]")  # PyYAML ends flow scalars at some of these
_BLOCK_BAD = re.compile(r": |:$| #|\s$")
_KEYWORDS = frozenset(["y", "n", "yes", "no", "true", "false", "on", "off", "null"])
# What YAML allows raw in a quoted scalar: printable, no line breaks of any kind. The surrogates are
# escaped for the regex, not in the string: mypyc (setup.py) cannot compile a string holding them.
_NON_PRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\\ud800-\\udfff\ufffe\uffff]")
_PLAIN_BAD = re.compile(f"{_BLOCK_BAD.pattern}|{_NON_PRINTABLE.pattern}")  # both, in one pass over the text
_LONGEST_KEYWORD = max(map(len, _KEYWORDS))


_BLOCK_MEMO: dict[str, str] = {}
_FLOW_MEMO: dict[str, str] = {}


def scalar(value: Any, flow: bool = False) -> str:
    """One scalar as YAML text; `flow` when it stands inside [ ]."""
    if type(value) is int:  # paragraph numbers and spans: most scalars of a coded file
        return str(value)
    if type(value) is str and len(value) < 48:  # ids, codes, keys, sections: few and repeated
        memo = _FLOW_MEMO if flow else _BLOCK_MEMO
        found = memo.get(value)
        if found is None:
            found = memo[value] = _scalar(value, flow)
        return found
    return _scalar(value, flow)


def _scalar(value: Any, flow: bool) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    text = str(value)
    if _is_plain(text, flow):
        return text
    if not text.isprintable() and _NON_PRINTABLE.search(text):  # see `_block_bad`
        return _double_quoted(text)
    return "'" + text.replace("'", "''") + "'"


def _is_plain(text: str, flow: bool) -> bool:
    if not text or text[0] in _BAD_START or (len(text) <= _LONGEST_KEYWORD and text.lower() in _KEYWORDS):
        return False
    if _block_bad(text):
        return False
    return not (flow and _FLOW_BAD.search(text))


def _block_bad(text: str) -> bool:
    """`_PLAIN_BAD.search(text)`, for printable text (nearly all of it) without the regex, which
    tries its four alternatives at every character: a fifth of writing a note (0.7 M of 3.1 M
    instructions). Python's non-printable characters include all of `_NON_PRINTABLE`, and the
    only printable whitespace is the space; without a line break, `$` is the end."""
    if text.isprintable():
        return ": " in text or " #" in text or text.endswith(":") or text.endswith(" ")
    return _PLAIN_BAD.search(text) is not None


def _double_quoted(text: str) -> str:
    out = []
    for char in text:
        if char == "\\":
            out.append("\\\\")
        elif char == '"':
            out.append('\\"')
        elif _NON_PRINTABLE.match(char):
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def dump_note(note: CodedNote) -> str:
    """`dump(note.to_dict())`, the same text, with the segments written straight from their
    records: building each segment's dict only to walk it again cost a fifth of the writing."""
    lines: list[str] = []
    for key, value in note.to_dict(segments=False).items():
        if key != "segments":
            _mapping({key: value}, "", lines)
        elif not note.segments:
            lines.append("segments: []")
        else:
            lines.append("segments:")
            sections: dict[tuple[str, ...], str] = {}  # a note's segments share a few heading paths
            for seg in note.segments:
                try:
                    lines += _coded_segment(seg, sections)
                except _Nested:  # a hand-edited file's odd value: written the general way
                    _mapping(seg.to_dict(), "  ", lines, first_prefix="- ")
    return "\n".join(lines) + "\n"


def _coded_segment(seg: CodedSegment, sections: dict[tuple[str, ...], str]) -> list[str]:
    """One segment's lines as `_segment(seg.to_dict())` writes them, keys in `CodedSegment.to_dict`'s order."""
    lines: list[str] = []
    append = lines.append
    append(f"- id: {_scalar(seg.id, False)}")  # ids differ from note to note: not remembered
    if seg.kind != TEXT:
        append(f"  kind: {scalar(seg.kind)}")
    if seg.para is not None:
        append(f"  para: {scalar(seg.para)}")
    section = sections.get(seg.section)
    if section is None:
        section = sections[seg.section] = f"  section: {_flow(list(seg.section))}"
    append(section)
    if seg.span is not None:
        append(f"  span: [{scalar(seg.span[0], True)}, {scalar(seg.span[1], True)}]")
    append(f"  text: {scalar(seg.text)}")
    try:
        codes = _CODES.get(seg.codes)
        if codes is None:
            codes = _remembered(_CODES, seg.codes, f"  codes: {_flow(list(seg.codes))}")
        append(codes)
        if seg.terms:
            append("  terms:")
            for pair in seg.terms.items():
                line = _TERMS.get(pair)
                if line is None:
                    line = _remembered(_TERMS, pair, f"    {scalar(pair[0])}: {_flow(list(pair[1]))}")
                append(line)
    except TypeError:  # a list inside a hand-edited file's codes or terms, which cannot be a key
        raise _Nested from None
    if seg.context:
        append("  context:")
        for code, items in seg.context.items():
            append(f"    {scalar(code)}: {_flow(list(items))}")
    if seg.review is not None:
        append("  review:")
        for key, value in seg.review.to_dict().items():
            append(f"    {scalar(key)}: {_flow(value) if type(value) is list else scalar(value)}")
    return lines


# A segment's `codes:` line and its `terms:` lines, by their value: a corpus has a few hundred
# sets of codes and of patterns a code matched, written again and again (a third of the
# segments' lines). Only values as `code` makes them (tuples of strings) are remembered, and
# only so many, so a hand-edited file's odd values never fill memory.
_CODES: dict[Any, str] = {}
_TERMS: dict[Any, str] = {}
_REMEMBERED = 4096


def _remembered(memo: dict[Any, str], key: Any, line: str) -> str:
    if len(memo) < _REMEMBERED and type(key) is tuple and all(_strings(part) for part in key):
        memo[key] = line
    return line


def _strings(value: Any) -> bool:
    """A string, or a tuple of strings."""
    return type(value) is str or (type(value) is tuple and all(type(item) is str for item in value))


def dump(data: dict[str, Any]) -> str:
    """A mapping as YAML text (see the module docstring for the layout)."""
    lines: list[str] = []
    _mapping(data, "", lines)
    return "\n".join(lines) + "\n"


def _mapping(data: dict[str, Any], indent: str, lines: list[str], first_prefix: str | None = None) -> None:
    for i, (key, value) in enumerate(data.items()):
        prefix = first_prefix if (i == 0 and first_prefix is not None) else indent
        head = f"{prefix}{scalar(key)}:"
        if isinstance(value, dict):
            if value:
                lines.append(head)
                _mapping(value, indent + "  ", lines)
            else:
                lines.append(head + " {}")
        elif isinstance(value, list):
            if value and all(isinstance(item, dict) for item in value):
                lines.append(head)
                _sequence(value, indent, lines)
            else:
                lines.append(f"{head} [{', '.join(scalar(item, flow=True) for item in value)}]")
        else:
            lines.append(f"{head} {scalar(value)}")


class _Nested(Exception):
    """A segment shaped unlike the ones `code` writes: emit it the general way."""


def _flow(items: list[Any]) -> str:
    memo = _FLOW_MEMO
    parts = []
    for item in items:
        if type(item) is str and item in memo:
            parts.append(memo[item])
        elif type(item) in (dict, list):
            raise _Nested
        else:
            parts.append(scalar(item, True))
    return "[" + ", ".join(parts) + "]"


def _segment(seg: dict[str, Any]) -> list[str]:
    """The common case of `_mapping` for one segment, unrolled: this is the hot loop."""
    lines: list[str] = []
    append = lines.append
    for key, value in seg.items():
        kind = type(value)
        if key == "id":
            append(f"- id: {scalar(value)}")
        elif kind is list:
            append(f"  {key}: {_flow(value)}")
        elif kind is dict:
            if not value:
                append(f"  {key}: {{}}")
                continue
            append(f"  {key}:")
            for inner, item in value.items():
                if type(item) is dict:
                    raise _Nested
                text = _flow(item) if type(item) is list else scalar(item)
                append(f"    {scalar(inner)}: {text}")
        else:
            append(f"  {key}: {scalar(value)}")
    return lines


def _sequence(items: list[dict[str, Any]], indent: str, lines: list[str]) -> None:
    for item in items:
        if indent == "" and item and next(iter(item)) == "id":
            try:
                lines.extend(_segment(item))
                continue
            except _Nested:
                pass
        if item:
            _mapping(item, indent + "  ", lines, first_prefix=indent + "- ")
        else:
            lines.append(indent + "- {}")
