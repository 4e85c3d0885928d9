"""The one exception type for problems a user can cause and fix."""

from __future__ import annotations

from pathlib import Path


class DialogtoolError(Exception):
    """An error in the user's input, shown as one line without a traceback.

    `path` and `line` point the user at the place to fix; `hint` says how.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.hint = hint

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = self.path if self.line is None else f"{self.path}:{self.line}"
            where += ": "
        text = f"{where}{self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text
