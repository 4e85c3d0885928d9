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


def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'dialogtool' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value  # looked up once
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
