"""simplemma's tables from the trie cache: same lemmas, built once, safe with concurrent builders."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from dialogtool.coding import lemma_tables

# Regular and irregular forms, compounds simplemma does not know, capitals, both standards.
WORDS = [
    "pasientane",
    "pasienter",
    "fastlegen",
    "fastlegane",
    "gikk",
    "gjekk",
    "barna",
    "borna",
    "helsepersonell",
    "slagpasientane",
    "Kommunen",
    "NAV",
    "ikkje",
    "ikke",
    "sjukehuset",
    "sykehusene",
    "møtte",
    "tenesta",
    "brukarane",
    "xqzzy",
]


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(lemma_tables.ENV_CACHE, str(folder))
    return folder


def test_lemmas_are_simplemmas_own(cache_dir: Path) -> None:
    from simplemma import lemmatize  # simplemma's default: tables decoded into a dict

    ours = lemma_tables.lemmatizer()
    for lang in ("nb", "nn"):
        assert [ours.lemmatize(w, lang) for w in WORDS] == [lemmatize(w, lang=lang) for w in WORDS]
    assert lemma_tables.open_table("nb").get("gikk") == lemmatize("gikk", lang="nb") == "gå"


def test_built_once_then_mapped(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = lemma_tables.open_table("nn")
    path = lemma_tables.table_path("nn")
    assert path.is_file() and path.parent == cache_dir
    assert [p.name for p in cache_dir.iterdir()] == [path.name]  # no temporary file left behind

    def refuse(lang: str) -> None:
        raise AssertionError("the cached trie should have been used")

    monkeypatch.setattr(lemma_tables, "build_trie", refuse)
    again = lemma_tables.open_table("nn")
    assert len(again) == len(first) > 100_000
    assert again.get("gjekk") == first.get("gjekk") == "gå"


def test_new_simplemma_version_builds_new_tables(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import simplemma.__metadata__ as metadata

    lemma_tables.open_table("nn")
    old = lemma_tables.table_path("nn")
    monkeypatch.setattr(metadata, "__version__", "99.0.0")
    new = lemma_tables.table_path("nn")
    assert new != old and "99.0.0" in new.name and not new.exists()
    lemma_tables.open_table("nn")
    assert new.is_file() and old.is_file()


def test_damaged_cache_is_rebuilt(cache_dir: Path) -> None:
    path = lemma_tables.table_path("nn")
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a trie at all")
    table = lemma_tables.open_table("nn")
    assert table.get("gjekk") == "gå"
    assert path.stat().st_size > 100_000  # replaced by a whole trie


def test_unwritable_cache_folder_still_lemmatizes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv(lemma_tables.ENV_CACHE, str(blocker / "cache"))
    assert lemma_tables.open_table("nn").get("gjekk") == "gå"


BUILD = """
import sys
from dialogtool.coding.lemma_tables import open_table
print(open_table("nn").get("gjekk"), len(open_table("nn")))
"""


def test_processes_building_at_once_all_get_whole_tables(cache_dir: Path) -> None:
    """Four processes find no cache and build it together: each ends with a whole table,
    and the file left is a whole trie (written to a temporary name, then renamed)."""
    env = {**__import__("os").environ, lemma_tables.ENV_CACHE: str(cache_dir)}
    runs = [
        subprocess.Popen([sys.executable, "-c", BUILD], stdout=subprocess.PIPE, text=True, env=env) for _ in range(4)
    ]
    outputs = [run.communicate()[0].split() for run in runs]
    assert all(run.returncode == 0 for run in runs)
    assert len({tuple(o) for o in outputs}) == 1 and outputs[0][0] == "gå"
    assert [p.name for p in cache_dir.iterdir()] == [lemma_tables.table_path("nn").name]
    done = subprocess.run([sys.executable, "-c", BUILD], capture_output=True, text=True, env=env, check=True)
    assert done.stdout.split() == outputs[0]
