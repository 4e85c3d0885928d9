"""A project as a whole: `init` sets one up, `status` says where it stands, like `git status`.

`init_project` writes what a new user needs to run `dialogtool code` at once, with no
options: the project's codebook as a starting point, `data/raw/` with a README and a
commented `meta.yaml`, `data/coded/`, a `.gitignore`, and a git repository when git is
installed and the folder is not in one already. It never overwrites a file.

`project_status` compares notes, codebook and coded files with the same fingerprints
`code` uses, and counts the reviewers' work; a coded file that cannot be read is one
problem in the status, not the end of it.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from ..coded.folder import read_each
from ..coded.note import HEADING, CodedNote
from ..coding.codebook import Codebook
from ..coding.fingerprint import fingerprint, source_digest, stored_fingerprint
from ..errors import DialogtoolError
from ..files import write_bytes
from ..ingest.discover import discover
from ..ingest.note import doc_id, manifest_for

RAW_README = """\
# Notes to code

Put the meeting notes here, one file per café table: `.docx`, `.pdf` (with a text layer),
`.txt` or `.md`, in Bokmål or Nynorsk. Sub-folders are fine. Then run, in the project
folder:

    dialogtool code        # writes one coded YAML file per note into data/coded/
    dialogtool status      # what is coded, out of date and reviewed
    dialogtool table       # themes per meeting

Files whose names start with `.` or `~$` (Word's lock files), README files and
`meta.yaml` are not notes.

## meta.yaml

dialogtool reads each note's meeting, date, table, topic, group, host and language from
its first lines. Where that is missing or wrong, `meta.yaml` in the same folder as the
notes overrides it, per file name:

    harstad_bord3.docx:
      date: 2018-10-05
      meeting: Harstad

Fields: meeting, date (YYYY-MM-DD), table, topic, group, host, language (nb or nn).
`dialogtool meta` lists what was detected, with the overridden values marked `*`.
"""

META_YAML = """\
# Metadata that overrides what dialogtool detects from each note's first lines.
# Keys: file names in this folder. Fields: meeting, date (YYYY-MM-DD), table, topic,
# group, host, language (nb|nn). For example:
#
# harstad_bord3.docx:
#   date: 2018-10-05
#   meeting: Harstad
"""

GITIGNORE = """\
# dialogtool: report files are made from the coded notes (`dialogtool report`).
/report/
/out/
# Word's lock files
~$*
"""


@dataclass(frozen=True)
class InitResult:
    """What `init_project` did: files and folders created, files left as they were, git."""

    root: Path
    created: tuple[Path, ...]
    kept: tuple[Path, ...]
    git: str  # "created", "exists" (already in a repository) or "absent" (git not installed)


def starter_codebook() -> bytes:
    """The codebook a new project starts from: the one this project's own analysis uses."""
    return (resources.files("dialogtool") / "starter" / "codebook.yaml").read_bytes()


def init_project(root: Path) -> InitResult:
    """Set up a project in `root` (made if missing); existing files are kept untouched."""
    if root.exists() and not root.is_dir():
        raise DialogtoolError("not a folder", path=root)
    created: list[Path] = []
    kept: list[Path] = []
    for folder in (root, root / "data" / "raw", root / "data" / "coded"):
        if not folder.is_dir():
            folder.mkdir(parents=True)
            created.append(folder)
    files = {
        root / "codebook.yaml": starter_codebook(),
        root / "data" / "raw" / "README.md": RAW_README.encode("utf-8"),
        root / "data" / "raw" / "meta.yaml": META_YAML.encode("utf-8"),
        root / ".gitignore": GITIGNORE.encode("utf-8"),
    }
    for path, data in files.items():
        if path.exists() or path.is_symlink():
            kept.append(path)
            continue
        write_bytes(path, data)
        created.append(path)
    return InitResult(root, tuple(created), tuple(kept), _git_init(root))


def _git_init(root: Path) -> str:
    git = shutil.which("git")
    if git is None:
        return "absent"
    inside = subprocess.run([git, "rev-parse", "--is-inside-work-tree"], cwd=root, capture_output=True, text=True)
    if inside.returncode == 0 and inside.stdout.strip() == "true":
        return "exists"
    done = subprocess.run([git, "init", "--quiet"], cwd=root, capture_output=True, text=True)
    if done.returncode != 0:
        raise DialogtoolError(f"git init failed: {done.stderr.strip()}", path=root)
    return "created"


@dataclass
class ProjectStatus:
    """Where a project stands; lists hold names (document ids, or file paths for problems)."""

    notes: int = 0
    coded: int = 0  # notes with a coded file
    out_of_date: list[str] = field(default_factory=list)  # source, manifest entry or codebook changed
    not_coded: list[str] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)  # coded files whose note is not among the notes
    segments: int = 0  # text segments (headings left out) in readable coded files
    reviewed: int = 0  # of them, with a review block
    accepted: int = 0  # of those, accepted as they were
    unplaced_reviews: int = 0
    problems: list[str] = field(default_factory=list)  # unreadable coded files, unknown ids: file:line: message
    reviewers: dict[str, int] = field(default_factory=dict)  # by: name -> segments reviewed

    @property
    def unreviewed(self) -> int:
        return self.segments - self.reviewed


def project_status(paths: list[Path], codebook: Codebook, coded_dir: Path) -> ProjectStatus:
    """Compare the notes under `paths` with their coded files in `coded_dir`, and count reviews."""
    files, _ = discover(paths)
    status = ProjectStatus(notes=len(files))
    manifests: dict[Path, dict[str, dict[str, object]]] = {}
    expected: set[str] = set()
    for path in files:
        key = doc_id(path)
        target = coded_dir / f"{key}.yaml"
        expected.add(target.name)
        if not target.is_file():
            status.not_coded.append(str(path))
            continue
        status.coded += 1
        try:
            overrides = manifest_for(path, manifests).get(path.name, {})
            mark = fingerprint(source_digest(path), codebook, overrides)
        except DialogtoolError as exc:  # a meta.yaml mistake is one problem, not one per note
            if str(exc) not in status.problems:
                status.problems.append(str(exc))
            continue
        if stored_fingerprint(target) != mark:
            status.out_of_date.append(str(path))
    for target, note in read_each(coded_dir, codebook.ids):
        if target.name not in expected:
            status.orphans.append(str(target))
        if isinstance(note, DialogtoolError):
            status.problems.append(str(note))
        else:
            _count_reviews(note, status)
    return status


def _count_reviews(note: CodedNote, status: ProjectStatus) -> None:
    for segment in note.segments:
        if segment.kind == HEADING:
            continue
        status.segments += 1
        review = segment.review
        if review is None:
            continue
        status.reviewed += 1
        status.accepted += review.accepted
        name = review.by or ""
        status.reviewers[name] = status.reviewers.get(name, 0) + 1
    status.unplaced_reviews += len(note.unplaced_reviews)


__all__ = ["InitResult", "ProjectStatus", "init_project", "project_status", "starter_codebook"]
