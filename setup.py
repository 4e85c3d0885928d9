"""The build step: the modules that read, code and write every note are compiled with mypyc
when they can be, else dialogtool installs as plain Python, which gives the same output.

Compiled, `code` spends about three quarters of the CPU time a note costs in plain Python
(2,000 notes, whole runs alternated: 0.79 of the CPU with start-up included). A build without
mypyc or a C compiler, or one where a module does not compile, is not an error: the modules
stay Python (`DIALOGTOOL_PURE=1` asks for that). Beside the compiled modules the build writes
`dialogtool/_compiled.py`, the size, time and digest of each source it compiled;
`dialogtool/__init__.py` imports the sources instead when one of them has changed since, so an
edit in an editable install is never shadowed by an older compiled module (`make compile`
compiles them again).
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext

HERE = Path(__file__).resolve().parent
PACKAGE = HERE / "src" / "dialogtool"
# What a note passes through (reading, normalising, segmenting, metadata, matching, context
# rules, the coded YAML, its cache line). Not workers.py or files.py: tests replace functions
# there that other functions of the same module call, which a compiled module calls directly.
# Not coded/note.py: its records are public, and `Review(add=[...])` takes a list where a
# compiled class insists on the tuple its annotation names.
COMPILED = [
    "coding/matcher.py",
    "coding/context.py",
    "coding/lemmas.py",
    "coding/fingerprint.py",
    "ingest/readers.py",
    "ingest/normalize.py",
    "ingest/segment.py",
    "ingest/meta.py",
    "ingest/note.py",
    "coded/emit.py",
    "coded/folder.py",
]
GROUP = "dialogtool"  # the modules' shared library: dialogtool__mypyc
# mypyc type-checks what it compiles, in the build's own environment, where the runtime
# dependencies (PyYAML's stubs, spaCy, …) are not installed: their types are unknown (Any)
# there, which compiles to the same code as a checked call. `make typecheck` checks the types.
MYPY_CONFIG = """[mypy]
python_version = 3.11
ignore_missing_imports = True
follow_imports = silent
"""
# setup.py also runs to ask for requirements and metadata: compile only when building
BUILDING = {"build", "build_ext", "bdist_wheel", "editable_wheel", "develop", "install"}
IN_PLACE = {"editable_wheel", "develop", "--inplace", "-i"}  # builds that put the modules into src/


def _say(message: str) -> None:
    print(f"dialogtool: {message}", file=sys.stderr)


def _remove_compiled() -> None:
    """Drop compiled modules and their record left in the source tree by an earlier editable
    build, so that a build that now fails leaves plain Python, not an older compiled module."""
    for source in COMPILED:
        path = PACKAGE / source
        for built in path.parent.glob(f"{path.stem}.*.so"):
            built.unlink()
    for built in PACKAGE.parent.glob(f"{GROUP}__mypyc.*.so"):
        built.unlink()
    (PACKAGE / "_compiled.py").unlink(missing_ok=True)


def _extensions() -> list:
    """mypyc's extensions for `COMPILED`, or none when mypyc is missing or fails."""
    if os.environ.get("DIALOGTOOL_PURE"):
        _say("DIALOGTOOL_PURE is set: installing as plain Python")
        return []
    try:
        from mypyc.build import mypycify

        config = HERE / "build" / "mypyc-mypy.ini"
        config.parent.mkdir(exist_ok=True)
        config.write_text(MYPY_CONFIG, encoding="utf-8")
        sources = [f"src/dialogtool/{source}" for source in COMPILED]
        return mypycify(["--config-file", str(config), *sources], group_name=GROUP)
    except (ImportError, SystemExit, Exception) as exc:  # mypyc exits on a type error
        _say(f"not compiled ({type(exc).__name__}: {exc}): installing as plain Python")
        return []


class OptionalBuildExt(build_ext):
    """build_ext that falls back to plain Python on any failure, and records what it compiled."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as exc:  # no compiler, a compile error
            _say(f"compiling failed ({type(exc).__name__}: {exc}): installing as plain Python")
            self._drop_outputs()
            return
        if self.extensions:
            self._record()

    def _drop_outputs(self) -> None:
        for ext in self.extensions:
            Path(self.get_ext_fullpath(ext.name)).unlink(missing_ok=True)
        _remove_compiled()
        self.extensions = []

    def _record(self) -> None:
        """`_compiled.py` beside the compiled package: (size, mtime_ns, sha256) of each source."""
        lines = ['"""Written by setup.py: the sources compiled with mypyc (see dialogtool/__init__.py)."""', ""]
        lines.append("SOURCES = {")
        for source in COMPILED:
            path = PACKAGE / source
            data = path.read_bytes()
            module = "dialogtool." + source.removesuffix(".py").replace("/", ".")
            stat = path.stat()
            lines.append(f"    {module!r}: ({stat.st_size}, {stat.st_mtime_ns}, {hashlib.sha256(data).hexdigest()!r}),")
        lines.append("}")
        target = Path(self.get_ext_fullpath("dialogtool.coding.matcher")).parents[1] / "_compiled.py"
        target.write_text("\n".join(lines) + "\n", encoding="utf-8")


if BUILDING.isdisjoint(sys.argv[1:]):
    setup()
else:
    if not IN_PLACE.isdisjoint(sys.argv[1:]):  # a wheel's build leaves the source tree's modules alone
        _remove_compiled()
    setup(ext_modules=_extensions(), cmdclass={"build_ext": OptionalBuildExt})
