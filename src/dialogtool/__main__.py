"""Run the CLI as `python -m dialogtool`."""

from .cli import app

app()
