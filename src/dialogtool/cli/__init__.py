"""The `dialogtool` command line. `app` is imported on first use, so importing the package costs nothing.

The modules that define commands do not use `from __future__ import annotations`: Typer reads
every command's signature at each start, and string annotations were compiled and evaluated
anew each time (628 evaluations, about 10 ms of the 0.1 s `dialogtool --help` takes).
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    if name == "app":
        from .root import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
