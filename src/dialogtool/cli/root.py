"""The `dialogtool` application: the top-level options and the command groups.

Commands live in one module per group (project, coding, review, tables, reading, compare, exchange); each
registers itself on `app` here. Usage mistakes that Typer catches (an unknown choice, a
missing argument) are shown like every other user error: one line, `Error: …`, exit 2.
"""

import atexit
import gc
import sys
from functools import cache
from typing import Annotated, Any

import typer

try:  # Typer vendors its own copy of Click (typer._click); its usage errors are that copy's
    from typer._click.core import Context
    from typer._click.exceptions import NoArgsIsHelpError, UsageError
except ImportError:  # pragma: no cover - a Typer on plain Click
    from click import Context, UsageError  # type: ignore[assignment]
    from click.exceptions import NoArgsIsHelpError  # type: ignore[assignment]

from .._version import __version__
from . import console
from .helpformat import HelpGroup


class _OneLineErrors(HelpGroup):
    """Typer's usage errors as one `Error:` line, the way the commands report theirs."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Typer prints help and usage itself: stdout that is full or closed stops it quietly too."""
        try:
            return super().main(*args, **kwargs)
        except OSError as exc:
            try:
                console.output_failed(exc)
            except typer.Exit as stop:
                sys.exit(stop.exit_code)

    def invoke(self, ctx: Context) -> Any:
        try:
            return super().invoke(ctx)
        except NoArgsIsHelpError:  # `dialogtool export` alone: its help (the error's message), as Typer shows it
            raise
        except UsageError as exc:
            command = f" {exc.ctx.command_path}" if exc.ctx is not None else ""
            console.error(f"{exc.format_message()} (see{command} --help)")
            raise typer.Exit(console.ExitStatus.USAGE) from None


app = typer.Typer(
    cls=_OneLineErrors,
    name="dialogtool",
    help="Code notes from dialogue meetings against a codebook of themes, and report on them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help, without importing Rich (cli/helpformat.py)
)


def _version(value: bool) -> None:
    if value:
        console.out.print(f"dialogtool {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    debug: Annotated[bool, typer.Option("--debug", help="Show full tracebacks on errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Code notes from dialogue meetings (dialogmøter) against a codebook of themes.

    Typical run: `dialogtool code` (reads data/raw, writes data/coded), then
    `dialogtool table --by meeting`.
    """
    ctx.obj = console.Settings(debug=debug)
    _no_collection_at_exit()


@cache  # once per process: tests invoke the app many times
def _no_collection_at_exit() -> None:
    """Freeze the heap when the process exits, before Python's own last collections.

    Those walk every object still alive to free memory the system takes back anyway: after
    `code` has loaded spaCy and thinc (about a million objects), 0.2–0.3 s of CPU, a sixth of
    coding 50 notes. Files are written and closed by then (atomic writes, context managers),
    and finalizers registered with `weakref.finalize` still run: they are called from atexit.
    """
    atexit.register(gc.freeze)


def _register() -> None:
    """Each group adds its commands; imported here, after `app` exists."""
    from . import coding, compare, exchange, project, reading, review, tables

    for group in (project, coding, review, tables, reading, compare, exchange):
        group.register(app)


_register()
