"""The `dialogtool` command line. `app` is imported on first use, so importing the package costs nothing.

The modules that define commands do not use `from __future__ import annotations`: Typer reads
every command's signature at each start, and string annotations were compiled and evaluated
anew each time (628 evaluations, about 10 ms of the 0.1 s `dialogtool --help` takes).

The first import of `app` (Typer, Click and the command modules) runs with Python's cyclic
garbage collector paused: importing makes long-lived objects and no cyclic garbage, yet it set
off 34 collections, about 8 ms of the 85 ms of CPU that importing and building the commands
take. The collector is switched back on as it was, whatever the import does.
"""

from __future__ import annotations

import gc
from typing import Any


def __getattr__(name: str) -> Any:
    if name == "app":
        enabled = gc.isenabled()
        gc.disable()
        try:
            from .root import app
        finally:
            if enabled:
                gc.enable()
        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
