"""The text a coded note's segment spans index: from its source file, or rebuilt from the segments."""

from __future__ import annotations

from ..coded.note import CodedNote
from ..errors import DialogtoolError
from ..files import on_disk


def note_text(doc: CodedNote) -> tuple[str, str]:
    """The note's normalised text, that segment spans index, and where it came from.

    From the source file when it is still there and still gives every segment its span
    ("source"); else rebuilt from the segments, blocks joined by a blank line and segments
    of a block by a space, which is how normalised text is laid out ("segments"). If
    neither reproduces every span, the export would put codes on the wrong words: error.
    """
    from ..ingest.note import read_note  # the readers and segmenter: only when exporting

    source = doc.source
    if source and on_disk(source).is_file():
        try:
            text = read_note(on_disk(source)).text
        except (DialogtoolError, OSError):
            text = None
        if text is not None and _spans_fit(text, doc):
            return text, "source"
    text = _rebuild(doc)
    if _spans_fit(text, doc):
        return text, "segments"
    raise DialogtoolError(
        f"cannot recover the text of note '{doc.document}': its source ({source}) is missing or has "
        "changed since it was coded, and its segments do not rebuild it",
        hint="re-run `dialogtool code` on the note",
    )


def _rebuild(doc: CodedNote) -> str:
    parts: list[str] = []
    para = None
    for seg in doc.segments:
        if parts:
            parts.append(" " if seg.para == para else "\n\n")
        parts.append(seg.text)
        para = seg.para
    return "".join(parts)


def _spans_fit(text: str, doc: CodedNote) -> bool:
    for seg in doc.segments:
        span = seg.span
        if span is None:
            return False
        if text[span[0] : span[1]] != seg.text:
            return False
    return True
