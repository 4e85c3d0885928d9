"""The modules setup.py compiles with mypyc are used only while their sources are the ones compiled
(dialogtool/__init__.py): an edit in an editable install must never be shadowed by an older build."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from importlib import import_module
from pathlib import Path

import pytest

import dialogtool

ROOT = Path(__file__).resolve().parents[1]


def _record(path: Path) -> tuple[int, int, str]:
    data = path.read_bytes()
    return len(data), path.stat().st_mtime_ns, hashlib.sha256(data).hexdigest()


def test_a_source_is_current_by_its_time_or_else_its_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dialogtool, "_source", lambda module: str(tmp_path / f"{module}.py"))
    source = tmp_path / "dialogtool.coding.matcher.py"
    source.write_text("x = 1\n", encoding="utf-8")
    size, mtime, digest = _record(source)
    assert dialogtool._unchanged("dialogtool.coding.matcher", size, mtime, digest)
    assert dialogtool._unchanged("dialogtool.coding.matcher", size, mtime - 10**9, digest)  # a wheel's own times
    source.write_text("x = 2\n", encoding="utf-8")  # same size, other bytes
    os.utime(source, ns=(mtime, mtime))
    assert not dialogtool._unchanged("dialogtool.coding.matcher", size, mtime - 10**9, digest)
    source.unlink()
    assert not dialogtool._unchanged("dialogtool.coding.matcher", size, mtime, digest)


def test_an_edited_source_is_imported_from_source(tmp_path: Path) -> None:
    """A copy of the package with a record that no longer matches one source: every compiled module
    (each calls the others' compiled code directly) comes from its .py file."""
    copy = tmp_path / "dialogtool"
    subprocess.run(["cp", "-r", str(Path(dialogtool.__file__).parent), str(copy)], check=True)
    names = ["dialogtool.coding.matcher", "dialogtool.coding.context"]
    sources = {name: _record(copy / (name.split(".", 1)[1].replace(".", "/") + ".py")) for name in names}
    size, mtime, _ = sources["dialogtool.coding.context"]
    sources["dialogtool.coding.context"] = (size, mtime - 1, "0" * 64)  # compiled from other bytes
    (copy / "_compiled.py").write_text(f"SOURCES = {sources!r}\n", encoding="utf-8")
    probe = "import dialogtool.coding.matcher as m, dialogtool.coding.context as c; print(m.__file__, c.__file__)"
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
    )
    assert done.stdout.split() == [str(copy / "coding" / "matcher.py"), str(copy / "coding" / "context.py")]


def test_a_compiled_install_uses_its_compiled_modules() -> None:
    """Where setup.py compiled the modules (a C compiler and mypyc at install time), they are in use."""
    try:
        record = import_module("dialogtool._compiled").SOURCES
    except ImportError:
        pytest.skip("installed as plain Python (no compiler, or DIALOGTOOL_PURE)")
    if not all(dialogtool._unchanged(name, *facts) for name, facts in record.items()):
        pytest.skip("a compiled module's source was edited since `make install`: plain Python is in use")
    for name in record:
        assert import_module(name).__file__.endswith(".so"), name
