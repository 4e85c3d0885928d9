"""README and --help cannot drift apart: every command and option the README names exists,
every command is in the README, and every command and option has help."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import typer.main

from dialogtool.cli import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands() -> dict[str, Any]:
    """Every command by its path ("table", "export qdpx"), from the app itself."""
    found: dict[str, Any] = {}

    def walk(command: Any, path: str) -> None:
        subcommands = getattr(command, "commands", {})
        if path:
            found[path] = command
        for name, sub in subcommands.items():
            walk(sub, f"{path} {name}".strip())

    walk(typer.main.get_command(app), "")
    return found


COMMANDS = _commands()
LEAVES = {path: c for path, c in COMMANDS.items() if not getattr(c, "commands", None)}


def _options(command: Any) -> set[str]:
    return {name for param in command.params for name in (*param.opts, *param.secondary_opts)}


def test_every_command_is_in_the_readme() -> None:
    missing = [path for path in LEAVES if f"dialogtool {path.split()[0]}" not in README]
    assert missing == []


@pytest.mark.parametrize("path", sorted(COMMANDS))
def test_every_command_and_option_has_help(path: str) -> None:
    command = COMMANDS[path]
    assert (command.help or "").strip(), path
    for param in command.params:
        if param.param_type_name == "option" and "--help" not in param.opts:
            assert (getattr(param, "help", None) or "").strip(), f"{path} {param.opts}"


# Options of other programs the README shows: bench/run.py --sizes --rounds, bench/ab.py
# --baseline --notes, ruff format --check.
OTHER_PROGRAMS = {"--sizes", "--rounds", "--baseline", "--notes", "--check"}


def test_every_option_the_readme_names_exists() -> None:
    known = {"--help", "--version", "--debug"} | set().union(*(_options(c) for c in LEAVES.values())) | OTHER_PROGRAMS
    named = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*[a-z]", README))
    assert sorted(named - known) == []


def test_every_command_line_in_the_readme_parses() -> None:
    """Each `dialogtool CMD --opt` in the README uses options that command has."""
    wrong = []
    for line in re.findall(r"dialogtool ([a-z]+(?: (?:qdpx|qdc))?)([^`\n|]*)", README):
        path, rest = line
        path = path if path in COMMANDS else path.split()[0]
        if path not in COMMANDS or getattr(COMMANDS[path], "commands", None):
            continue
        options = _options(COMMANDS[path]) | {"--help"}
        wrong += [f"{path} {o}" for o in re.findall(r"(?<![\w-])--[a-z][a-z-]*[a-z]", rest) if o not in options]
    assert wrong == []
