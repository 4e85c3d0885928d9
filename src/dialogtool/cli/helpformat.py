"""How `--help` looks: Click's plain layout, with each command's whole first sentence.

Typer's Rich help (panels, Markdown) was not kept: its module imports Rich's Markdown parser,
syntax highlighting and tracebacks whatever the markup mode, which made `dialogtool --help`
cost 17–19× a bare `python -c pass` on CPU; plain help costs about 6× (`bench/run.py`).
The docstrings read the same either way: their `code` marks stay as they are written.
"""

from __future__ import annotations

from typer.core import TyperGroup

try:  # Typer vendors its own copy of Click (typer._click)
    from typer._click.core import Context
    from typer._click.formatting import HelpFormatter
except ImportError:  # pragma: no cover - a Typer on plain Click
    from click import Context, HelpFormatter  # type: ignore[assignment]

# Long enough for any first sentence: Click's own limit cut the list at about 45 characters
# ("Set up a project: codebook.yaml, data/raw (with a...").
_WHOLE = 10_000


class HelpGroup(TyperGroup):
    """A command group whose `--help` lists each command with its first sentence, wrapped."""

    def format_commands(self, ctx: Context, formatter: HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(_WHOLE)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)
