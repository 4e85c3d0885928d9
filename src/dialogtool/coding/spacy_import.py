"""spaCy imported without its command line, which this tool never uses.

`import spacy` runs spaCy's package `__init__`, which imports `spacy.cli.info` only to offer
`spacy.info`; that imports spaCy's whole command line (weasel, requests, httpx, jinja2, …):
about 0.1 s of the 0.5 s spaCy's import takes, a tenth of coding 50 notes. spaCy's own
maintainers have tried to make it lazy (explosion/spaCy pull requests 12962 and 13721); the
installed spaCy does not.

So while spaCy is first imported here, `spacy.cli` and `spacy.cli.info` are stand-ins whose
`info` imports the real one when called, and they are taken out of `sys.modules` as soon as
the import is done: a later `import spacy.cli`, `spacy.cli` or `spacy.info()` loads the real
command line, and `spacy.blank`, `spacy.load` and everything else are spaCy's own. The stand-ins are
used only when spaCy's `__init__` names its command line in that one import alone (read from
its source first, 0.1 ms); any other spaCy is imported as it is.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from types import ModuleType
from typing import Any

_CLI_IMPORT = "from .cli.info import info"  # the one use of spacy.cli in the spaCy these stand-ins fit
_MENTIONS_CLI = re.compile(r"^.*\bcli\b.*$", re.MULTILINE)


def import_spacy() -> ModuleType:
    """The `spacy` package, imported without its command line when it has not been imported yet."""
    if "spacy" in sys.modules or not cli_only_for_info():
        import spacy

        return spacy
    stand_ins = _stand_ins()
    sys.modules.update(stand_ins)
    try:
        import spacy
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
        loaded = sys.modules.get("spacy")
        if loaded is not None and loaded.__dict__.get("cli") is stand_ins["spacy.cli"]:
            del loaded.cli
    if "__getattr__" not in vars(spacy):
        vars(spacy)["__getattr__"] = _cli_on_first_use
    return spacy


def _cli_on_first_use(name: str) -> Any:
    """`spacy.cli`, imported when a program that shares this process first reads it (PEP 562):
    after a plain `import spacy` it is there, so code that uses it without importing it works too."""
    if name == "cli":
        return importlib.import_module("spacy.cli")
    raise AttributeError(f"module 'spacy' has no attribute {name!r}")


def cli_only_for_info() -> bool:
    """Whether spaCy's `__init__` uses its command line only to import `info` (see the module docstring)."""
    spec = importlib.util.find_spec("spacy")
    if spec is None or spec.origin is None:
        return False
    try:
        with open(spec.origin, encoding="utf-8") as handle:
            source = handle.read()
    except (OSError, UnicodeDecodeError):
        return False
    return [line.split("#")[0].strip() for line in _MENTIONS_CLI.findall(source)] == [_CLI_IMPORT]


def _stand_ins() -> dict[str, ModuleType]:
    """Modules `spacy.cli` and `spacy.cli.info`, the latter with an `info` that calls the real one."""
    package = ModuleType("spacy.cli", "Stand-in while dialogtool imports spaCy (dialogtool.coding.spacy_import).")
    package.__path__ = []  # a package with no submodules: importing any other part of it fails loudly
    module = ModuleType("spacy.cli.info", package.__doc__)

    def info(*args: Any, **kwargs: Any) -> Any:
        from spacy.cli.info import info as real

        return real(*args, **kwargs)

    module.info = info  # type: ignore[attr-defined]
    package.info = module  # type: ignore[attr-defined]
    return {"spacy.cli": package, "spacy.cli.info": module}
