"""The shape of the package: no import cycles anywhere, and a public API that loads lazily.

The layers themselves are checked by `lint-imports` (contracts in pyproject.toml); a cycle
inside one layer (two modules of coded/ importing each other) is what this test adds.
"""

from __future__ import annotations

import subprocess
import sys

import grimp

import dialogtool


def _cycles(edges: dict[str, list[str]]) -> list[list[str]]:
    found: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        stack.append(module)
        for target in edges[module]:
            if state.get(target) == 1:
                found.append([*stack[stack.index(target) :], target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[module] = 2

    for module in edges:
        if module not in state:
            visit(module)
    return found


def test_no_module_imports_itself_through_others() -> None:
    graph = grimp.build_graph("dialogtool")
    ours = {m for m in graph.modules if m.startswith("dialogtool.")}
    edges = {m: sorted(graph.find_modules_directly_imported_by(m) & ours) for m in sorted(ours)}
    assert _cycles(edges) == []


def test_public_api_names_resolve() -> None:
    for name in dialogtool.__all__:
        assert getattr(dialogtool, name) is not None, name
    assert dialogtool.CodedNote.__module__ == "dialogtool.coded.note"


def test_importing_the_package_loads_nothing_heavy() -> None:
    probe = "import sys, dialogtool; print(sorted(m for m in ('spacy', 'pandas', 'rich', 'typer') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
