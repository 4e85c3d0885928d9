"""How the command line talks: data to stdout, messages to stderr, one way to print each.

`say` is the only way a command prints a message: a coloured label (`Error:`, `Warning:`,
`Skipped:` …) and then the message exactly as it is — file names and codebook patterns may
hold `[red]` or `[x]`, which Rich would otherwise read as markup and swallow. Data (tables,
quotes, kwic lines) goes to `out`, already built as Rich renderables by `dialogtool.output`.

`fail` turns an exception into one line and an exit status; with `--debug` (passed to it
explicitly by each command, from the context) it re-raises for the traceback.

Rich is imported on first use, not with this module: its console and progress bar cost about
40 ms to import, more than all of dialogtool's own command modules, and `--help`, an unchanged
`code -q` and `table -f csv` print nothing through them (`tests/test_startup.py`). So `out`
and `err` are made when first asked for (PEP 562), and a progress bar that is not shown is a
stand-in that imports nothing.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum, IntEnum
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, Optional, Protocol

import typer

from ..errors import DialogtoolError

if TYPE_CHECKING:
    from types import TracebackType

    from rich.console import Console
    from rich.segment import Segment

    out: Console  # data: stdout (made on first use, see the module docstring)
    err: Console  # messages and progress: stderr

# What a terminal must not be sent as it is: C0 and C1 controls (ESC starts a sequence that
# can retitle the window, move the cursor or hide text), DEL, surrogates (bytes of a file name
# that are not UTF-8, which would also stop the output with UnicodeEncodeError) and the
# bidirectional overrides that reorder what is shown. Newline and tab keep their meaning.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")


def safe(text: str) -> str:
    """`text` with every character a terminal would act on shown as an escape (`\x1b`, `\u202e`)."""
    return _UNSAFE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that is not UTF-8
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


@cache
def _safe_console() -> type[Console]:
    """The Console class that escapes what `safe` escapes (a function so that Rich is imported
    only when a console is first made)."""
    from rich.console import Console
    from rich.segment import Segment

    class _SafeConsole(Console):
        """A Console that escapes, in everything it prints, what `safe` escapes: file names and note
        text come from users and archives, and must not drive the terminal (escape sequences in a
        file name were printed raw once). Rich's own control output (the progress bar) is kept."""

        def _render_buffer(self, buffer: Iterable[Segment]) -> str:
            cleaned = (segment if segment.control else Segment(safe(segment.text), segment.style) for segment in buffer)
            return super()._render_buffer(cleaned)

        def _check_buffer(self) -> None:
            try:
                super()._check_buffer()
            except OSError as exc:  # Rich handles a broken pipe itself; a full disk or an I/O error here
                output_failed(exc, "standard error" if self.stderr else "standard output")

        def on_broken_pipe(self) -> None:
            output_failed(BrokenPipeError(errno.EPIPE, "Broken pipe"), "standard output")

    return _SafeConsole


@cache
def _consoles() -> tuple[Console, Console]:
    """`out` and `err`, made the first time either is asked for."""
    made = _safe_console()
    return (
        # Piped output is not cut to 80 columns: tables stay whole in files and logs.
        made(highlight=False, width=None if sys.stdout.isatty() else 200),
        # Messages stay one line and print literally (markup off): file names and patterns may hold "[x]".
        made(stderr=True, highlight=False, soft_wrap=True, markup=False),
    )


def __getattr__(name: str) -> Any:
    """`console.out` and `console.err` (see the module docstring)."""
    if name == "out":
        return _consoles()[0]
    if name == "err":
        return _consoles()[1]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def output_failed(exc: OSError, stream: str = "standard output") -> NoReturn:
    """Stop after stdout failed: quietly when the reader went away (`… | head`), else with one
    line (`table > /dev/full`); stdout is pointed at /dev/null so the exit does not fail again."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    if exc.errno != errno.EPIPE and stream == "standard output":
        from ..files import reason  # here, not at the top: --help does without files' tempfile and random

        error(f"cannot write to {stream}: {reason(exc)}")
    raise typer.Exit(ExitStatus.FAILED)


class ExitStatus(IntEnum):
    """What `dialogtool` exits with (documented in the README)."""

    OK = 0
    FAILED = 1  # some files could not be used; the rest were
    USAGE = 2  # a user error: bad codebook, option, file
    INTERRUPTED = 130  # Ctrl-C


def say(label: str, message: str, style: str = "yellow") -> None:
    """One line on stderr: a coloured label, then the message as it is (line breaks shown as \\n)."""
    from rich.text import Text

    line = Text(label, style=style)
    line.append(" " + safe(message.replace("\r", "\\r").replace("\n", "\\n")))
    _consoles()[1].print(line)


def note(message: str) -> None:
    """A plain status line on stderr (no label, printed literally, control characters escaped)."""
    _consoles()[1].print(safe(message))


def error(message: str) -> None:
    say("Error:", message, "red")


def warning(message: str) -> None:
    say("Warning:", message, "yellow")


def fail(exc: BaseException, debug: bool) -> typer.Exit:
    """Print an error as one line (or re-raise it with --debug) and give the exit to raise."""
    if isinstance(exc, typer.Exit):  # an exit already decided (stdout went away)
        return exc
    if debug:
        raise exc
    if isinstance(exc, DialogtoolError):
        error(str(exc))
        return typer.Exit(ExitStatus.USAGE)
    if isinstance(exc, OSError):  # the system refused (I/O error, full disk): one line, no traceback
        from ..files import printable, reason

        where = f"{printable(exc.filename)}: " if exc.filename is not None else ""
        error(f"{where}{reason(exc)}")
        return typer.Exit(ExitStatus.FAILED)
    say("Internal error:", f"{type(exc).__name__}: {exc} (run with --debug for the traceback)", "red")
    return typer.Exit(ExitStatus.FAILED)


def exit_with(status: ExitStatus) -> NoReturn:
    raise typer.Exit(status)


class Bar(Protocol):
    """What a command does with a progress bar: Rich's `Progress`, or `_NoBar` when none is shown."""

    def __enter__(self) -> Bar: ...

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...

    def add_task(self, description: str, start: bool = True, total: float | None = 100.0, **fields: Any) -> Any: ...

    def update(self, task_id: Any, **fields: Any) -> None: ...


class _NoBar:
    """The progress bar of a quiet run: the same calls, and no import of Rich's progress module."""

    def __enter__(self) -> _NoBar:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        return None

    def add_task(self, description: str, start: bool = True, total: float | None = 100.0, **fields: Any) -> int:
        return 0

    def update(self, task_id: Any, **fields: Any) -> None:
        return None


def progress(label: str, quiet: bool = False) -> Bar:
    """A progress bar on stderr for work over many files; it disappears when done."""
    if quiet:
        return _NoBar()
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    return Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.fields[name]}"),
        console=_consoles()[1],
        transient=True,
    )


@dataclass(frozen=True)
class Settings:
    """What the top-level options say, handed to every command through the Click context."""

    debug: bool = False


def settings(ctx: typer.Context) -> Settings:
    """The run's settings; defaults when a command runs outside `app` (as in some tests)."""
    found = ctx.find_object(Settings)
    return found if found is not None else Settings()


def check_output(fmt: Enum, output: Optional[Path]) -> None:
    """Refuse a format/output combination before any work is done."""
    if fmt.value in ("xlsx", "docx") and output is None:
        raise DialogtoolError(f"--format {fmt.value} needs --output FILE.{fmt.value}")
    if fmt.value == "terminal" and output is not None:
        files = ", ".join(f.value for f in type(fmt) if f.value != "terminal")
        raise DialogtoolError(f"--output needs --format {files}")


def put_text(text: str, output: Optional[Path]) -> None:
    """Text output to stdout, or atomically to a file (then say so on stderr)."""
    if output is None:
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except OSError as exc:
            output_failed(exc)
        return
    from ..files import write_text as write_file

    write_file(output, text)
    note(f"Wrote {output}")
