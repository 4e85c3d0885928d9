"""dialogtool: code notes from dialogue meetings against a codebook of themes.

The command line is a thin layer over this package; everything it does can be done from
Python. The names below are imported on first use (PEP 562), so `import dialogtool` is
instant and pulls in neither spaCy nor pandas until a function needs them::

    import dialogtool as dt

    book = dt.load_codebook("codebook.yaml")
    summary = dt.code_paths([Path("data/raw")], book, Path("data/coded"))
    notes = dt.load_folder(Path("data/coded"))            # list[CodedNote]
    table = dt.theme_table(dt.load_codes(Path("data/coded")), book, by="meeting")
    table.counts                                           # a pandas DataFrame
"""

from __future__ import annotations

import os
import sys
from importlib import import_module
from typing import TYPE_CHECKING, Any

from ._version import __version__

# public name -> module that defines it
_API = {
    "DialogtoolError": "errors",
    "Codebook": "coding.codebook",
    "load_codebook": "coding.codebook",
    "code_paths": "coding.run",
    "read_note": "ingest.note",
    "RunSummary": "coding.run",
    "CodedNote": "coded.note",
    "CodedSegment": "coded.note",
    "Review": "coded.note",
    "load_coded": "coded.store",
    "load_folder": "coded.folder",
    "load_codes": "coded.folder",
    "theme_table": "analysis.tables",
    "cooccurrence": "analysis.cooccur",
    "select_quotes": "analysis.quotes",
    "kwic": "analysis.kwic",
    "suggest": "analysis.suggest",
    "evaluate": "analysis.evaluate",
    "load_coding": "analysis.codings",
    "diff_codings": "analysis.diff",
    "agreement": "analysis.agree",
    "build_report": "output.report",
    "export_qdpx": "exchange.refi",
    "export_qdc": "exchange.refi",
    "import_qdpx": "exchange.refi",
    "import_qdc": "exchange.refi",
}

__all__ = [
    "Codebook",
    "CodedNote",
    "CodedSegment",
    "DialogtoolError",
    "Review",
    "RunSummary",
    "__version__",
    "agreement",
    "build_report",
    "code_paths",
    "cooccurrence",
    "diff_codings",
    "evaluate",
    "export_qdc",
    "export_qdpx",
    "import_qdc",
    "import_qdpx",
    "kwic",
    "load_codebook",
    "load_coded",
    "load_codes",
    "load_coding",
    "load_folder",
    "read_note",
    "select_quotes",
    "suggest",
    "theme_table",
]

if TYPE_CHECKING:
    from .analysis.agree import agreement
    from .analysis.codings import load_coding
    from .analysis.cooccur import cooccurrence
    from .analysis.diff import diff_codings
    from .analysis.evaluate import evaluate
    from .analysis.kwic import kwic
    from .analysis.quotes import select_quotes
    from .analysis.suggest import suggest
    from .analysis.tables import theme_table
    from .coded.folder import load_codes, load_folder
    from .coded.note import CodedNote, CodedSegment, Review
    from .coded.store import load_coded
    from .coding.codebook import Codebook, load_codebook
    from .coding.run import RunSummary, code_paths
    from .errors import DialogtoolError
    from .exchange.refi import export_qdc, export_qdpx, import_qdc, import_qdpx
    from .ingest.note import read_note
    from .output.report import build_report


class _SourceFinder:
    """Imports the listed modules from their .py files, not from the compiled modules beside them."""

    def __init__(self, modules: dict[str, Any]) -> None:
        self.modules = modules

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name not in self.modules:
            return None
        from importlib.util import spec_from_file_location

        return spec_from_file_location(name, _source(name))


def _source(module: str) -> str:
    return os.path.join(os.path.dirname(__file__), *module.split(".")[1:]) + ".py"


def _unchanged(module: str, size: int, mtime: int, digest: str) -> bool:
    """Whether a compiled module's source is what was compiled: same size and time (a stat), or
    else the same bytes (an installed wheel's files have other times)."""
    try:
        stat = os.stat(_source(module))
        if (stat.st_size, stat.st_mtime_ns) == (size, mtime):
            return True
        if stat.st_size != size:
            return False
        import hashlib

        with open(_source(module), "rb") as source:
            return hashlib.sha256(source.read()).hexdigest() == digest
    except OSError:
        return False


def _compiled_only_if_current() -> None:
    """Where setup.py compiled the modules a note passes through (mypyc), Python imports the
    compiled ones; after one of their sources changes (an edit in an editable install) all of
    them are imported from source instead, since a compiled module calls the others' compiled
    code directly and would run the old version of the changed one."""
    try:
        record: dict[str, tuple[int, int, str]] = import_module("._compiled", __name__).SOURCES
    except ImportError:  # plain Python
        return
    if not all(_unchanged(module, *facts) for module, facts in record.items()):
        sys.meta_path.insert(0, _SourceFinder(record))


_compiled_only_if_current()


def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'dialogtool' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value  # looked up once
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
