"""Shared fixtures: the real codebook, the sample corpus and ../shared when present."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def codebook():
    from dialogtool.coding.codebook import load_codebook

    return load_codebook(ROOT / "codebook.yaml")


@pytest.fixture
def raw_copy(tmp_path: Path) -> Path:
    """A private copy of the sample corpus, safe to modify."""
    target = tmp_path / "raw"
    shutil.copytree(ROOT / "data" / "raw", target)
    return target


@pytest.fixture
def shared() -> Path:
    if not (SHARED / "corpus").is_dir():
        pytest.skip("../shared is not beside the repository")
    return SHARED


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample notes coded once per test run. Read-only: tests that change files copy it."""
    from dialogtool.coding.codebook import load_codebook
    from dialogtool.coding.run import code_paths

    base = tmp_path_factory.mktemp("sample")
    shutil.copytree(ROOT / "data" / "raw", base / "raw")
    code_paths([base / "raw"], load_codebook(ROOT / "codebook.yaml"), base / "coded")
    return base / "coded"
