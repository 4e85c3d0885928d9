"""What changed since the last run: fingerprints of coded files, and stamps of files as written.

A coded file records a fingerprint of what it was made from (source bytes, codebook,
manifest entry, CODER_VERSION); `code` skips a note whose fingerprint is unchanged. The
stamps file (`written.json` in the coded folder's `.dialogtool/`) keeps each coded file's (mtime, size) as `code`
left it, so a file a reviewer edited since is noticed and read before it is skipped.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from pathlib import Path

from ..coded.workdir import cache_path
from ..errors import DialogtoolError
from ..files import MAX_INDEX_BYTES, open_regular, read_bytes, write_text
from ..ingest.readers import MAX_FILE_BYTES
from .codebook import Codebook

# 2: proximity rules, concepts and context rules (coded format 2); 3: bylines, rounds;
# 4: list numbers as Word shows them (issue 12); 5: question headings, two-theme tasks, summaries,
# running footers, «Spm. 2:» tasks, telegraphic abbreviations (issue 9, third session); 6: joined
# Word paragraphs, section labels, flip-chart sheets (fifth session); 7: headings naming several
# themes, units without a word, sense rules and terms from dev11 (sixth session); 8: prose that
# points back later in a sentence continues its paragraph (seventh session); 9: a line that is no
# sentence right above a list is the list's title (eighth session); 10: a lower-case heading over
# a list after an empty line is not the rest of the item above it, acronyms in lower case in a note
# typed all in lower case, the themes of a sentence ending in «:» only to a terse item
# that names a theme (ninth session)
CODER_VERSION = "10"


_FINGERPRINT = re.compile(r"^fingerprint: '?([0-9a-f]{64})'?$", re.MULTILINE)


def fingerprint(source_sha256: str, codebook: Codebook, overrides: dict[str, object]) -> str:
    """What a coded file was made from: source bytes, codebook, manifest entry, tool version."""
    digest = hashlib.sha256()
    for part in (CODER_VERSION, source_sha256, codebook.digest, json.dumps(overrides, sort_keys=True, default=str)):
        digest.update(part.encode("utf-8") + b"\0")
    return digest.hexdigest()


def stored_fingerprint(target: Path) -> str | None:
    """The fingerprint near the top of an existing coded file, read without parsing it."""
    try:
        with open_regular(target) as handle:
            head = handle.read(4096).decode("utf-8", "replace")
    except (OSError, DialogtoolError):
        return None
    match = _FINGERPRINT.search(head)
    return match.group(1) if match else None


def source_digest(path: Path) -> str:
    """sha256 of a note's bytes, read in blocks; files over the size limit are refused unread."""
    return hashlib.sha256(read_bytes(path, MAX_FILE_BYTES)).hexdigest()


STAMPS = "written.json"  # in .dialogtool/


def file_stamp(path: Path) -> list[int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return [stat.st_mtime_ns, stat.st_size]


def read_stamps(out_dir: Path) -> dict[str, list[int]]:
    """(mtime, size) of each coded file as `code` last left it: a change means a reviewer's edit."""
    try:
        data = json.loads(read_bytes(cache_path(out_dir, STAMPS), MAX_INDEX_BYTES))
    except (DialogtoolError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_stamps(
    out_dir: Path, stamps: dict[str, list[int]], files: list[Path], known: dict[str, list[int]] | None = None
) -> None:
    """Save the stamps of `files` as `code` leaves them, keeping the older ones of files still there.

    `known` holds stamps taken as files were written: a reviewer's save since then must still
    read as an edit, and a file needs no second look.
    """
    known = known or {}
    current: dict[str, list[int]] = {}
    for path in files:
        stamp = known.get(path.name) or file_stamp(path)
        if stamp is not None:
            current[path.name] = stamp
    fresh = {name: stamp for name, stamp in stamps.items() if name not in current and (out_dir / name).exists()}
    fresh.update(current)
    if fresh != stamps and out_dir.is_dir():
        with contextlib.suppress(OSError, DialogtoolError):
            write_text(cache_path(out_dir, STAMPS, create=True), json.dumps(fresh, sort_keys=True))
