"""The lemma cache (coding/lemma_memo.py): the same lemmas as simplemma's, kept across runs,
a new file when what decides the lemmas changes, damaged files ignored and replaced, and
whole files when processes save at once."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from dialogtool.coding import lemma_memo, lemma_tables, lemmas

ROOT = Path(__file__).resolve().parents[1]
WORDS = ["pasientane", "gjekk", "gikk", "sjukehuset", "slagpasientane", "borna", "ikkje", "tenesta", "xqzzy"]


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty cache folder, and this process's memo and cached word keys forgotten before and after."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(lemma_tables.ENV_CACHE, str(folder))
    lemma_memo._MEMO.clear()
    lemmas.word_keys.cache_clear()
    yield folder
    lemma_memo._MEMO.clear()
    lemmas.word_keys.cache_clear()


def _simplemmas(word: str) -> tuple[str, ...]:
    from simplemma import lemmatize

    return tuple(sorted({lemmatize(word, lang=lang).lower() for lang in ("nb", "nn")}))


def test_lemmas_saved_are_simplemmas_and_read_back(cache_dir: Path) -> None:
    first = {word: lemmas._lemmas(word) for word in WORDS}
    assert first == {word: _simplemmas(word) for word in WORDS}
    lemma_memo.save_memo()
    path = lemma_memo.memo_path()
    assert path is not None and path.parent == cache_dir
    assert lemma_memo.read_memo(path) == first
    assert [p.name for p in cache_dir.iterdir() if p.name.startswith("lemmas-")] == [path.name]  # no temporary file


LOOKUP = """
import json, sys
from dialogtool.coding.lemma_memo import save_memo
from dialogtool.coding.lemmas import word_keys
keys = {{w: sorted(word_keys(w)) for w in {words!r}}}
save_memo()
print(json.dumps({{"keys": keys, "simplemma": "simplemma" in sys.modules}}))
"""


def _lookup(words: list[str], cache: Path) -> dict[str, object]:
    import json

    env = {**os.environ, lemma_tables.ENV_CACHE: str(cache)}
    script = LOOKUP.format(words=words)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env)
    return dict(json.loads(done.stdout))


def test_a_second_run_with_the_same_words_does_not_load_simplemma(cache_dir: Path) -> None:
    first = _lookup(WORDS, cache_dir)
    second = _lookup(WORDS, cache_dir)
    assert first["simplemma"] is True and second["simplemma"] is False
    assert second["keys"] == first["keys"]
    third = _lookup([*WORDS, "brukarombodet"], cache_dir)
    assert third["simplemma"] is True  # one word no run has seen


def test_what_decides_the_lemmas_names_the_file(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = lemma_memo.key_sources()
    assert sources is not None
    assert [p.name for p in sources] == ["lemmas.py", "lemma_tables.py", "__metadata__.py"]
    assert all(p.is_file() for p in sources)
    copies = []
    for n, source in enumerate(sources):
        copies.append(tmp_path / f"{n}-{source.name}")
        copies[-1].write_bytes(source.read_bytes())
    monkeypatch.setattr(lemma_memo, "key_sources", lambda: copies)
    before = lemma_memo.memo_path()
    assert before == lemma_memo.memo_path()
    for copy in copies:  # a new simplemma version, or a change to either module: another file
        copy.write_bytes(copy.read_bytes() + b"\n# changed\n")
        after = lemma_memo.memo_path()
        assert after is not None and after != before
        before = after


def test_old_file_is_not_read_after_an_upgrade(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    version = tmp_path / "__metadata__.py"
    version.write_text('__version__ = "2.0.0"\n')
    monkeypatch.setattr(lemma_memo, "key_sources", lambda: [version])
    old = lemma_memo.LemmaMemo(lemma_memo.memo_path())
    old.add("gjekk", ("stale",))
    old.save()
    version.write_text('__version__ = "9.0.0"\n')
    assert lemma_memo.LemmaMemo(lemma_memo.memo_path()).get("gjekk") is None


def _saved(cache_dir: Path, words: dict[str, tuple[str, ...]]) -> Path:
    path = cache_dir / "lemmas-test.bin"
    memo = lemma_memo.LemmaMemo(path)
    for word, found in words.items():
        memo.add(word, found)
    memo.save()
    return path


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # torn: a write cut short
        lambda data: data[:-1] + bytes([data[-1] ^ 1]),  # one bit of the payload flipped
        lambda data: b"garbage" + data,  # not our format
        lambda data: b"",
    ],
)
def test_damaged_file_is_ignored_and_replaced(cache_dir: Path, damage: Callable[[bytes], bytes]) -> None:
    path = _saved(cache_dir, {"gjekk": ("gå",), "borna": ("barn", "born")})
    path.write_bytes(damage(path.read_bytes()))
    memo = lemma_memo.LemmaMemo(path)
    assert memo.known == {}
    memo.add("pasientane", ("pasient",))
    memo.save()
    assert lemma_memo.read_memo(path) == {"pasientane": ("pasient",)}


def test_save_merges_what_another_process_saved_meanwhile(cache_dir: Path) -> None:
    path = cache_dir / "lemmas-test.bin"
    ours, theirs = lemma_memo.LemmaMemo(path), lemma_memo.LemmaMemo(path)
    ours.add("gjekk", ("gå",))
    theirs.add("borna", ("barn", "born"))
    theirs.save()
    ours.save()
    assert lemma_memo.read_memo(path) == {"gjekk": ("gå",), "borna": ("barn", "born")}


def test_a_full_file_starts_afresh(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lemma_memo, "MAX_WORDS", 3)
    path = _saved(cache_dir, {"a": ("a",), "b": ("b",)})
    _saved(cache_dir, {"c": ("c",), "d": ("d",)})
    assert lemma_memo.read_memo(path) == {"c": ("c",), "d": ("d",)}


def test_unwritable_cache_folder_still_lemmatises(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv(lemma_tables.ENV_CACHE, str(blocker / "cache"))
    memo = lemma_memo.LemmaMemo(lemma_memo.memo_path())
    memo.add("gjekk", ("gå",))
    memo.save()  # nothing written, nothing raised
    assert memo.get("gjekk") == ("gå",)


SAVE = """
import sys
from pathlib import Path
from dialogtool.coding.lemma_memo import LemmaMemo
memo = LemmaMemo(Path(sys.argv[1]))
n = int(sys.argv[2])
for i in range(20_000):
    memo.add(f"ord{n}x{i}", (f"lemma{n}",))
memo.save()
"""


def test_processes_saving_at_once_leave_a_whole_file(cache_dir: Path) -> None:
    """Four processes save at the same moment: the file left is whole (written to a temporary
    name, then renamed) and holds at least the words of the last to rename, all correct."""
    path = cache_dir / "lemmas-test.bin"
    runs = [subprocess.Popen([sys.executable, "-c", SAVE, str(path), str(n)]) for n in range(4)]
    assert all(run.wait() == 0 for run in runs)
    words = lemma_memo.read_memo(path)
    assert len(words) >= 20_000
    assert all(found == (f"lemma{word[3 : word.index('x')]}",) for word, found in words.items())
    assert [p.name for p in cache_dir.iterdir()] == [path.name]


def test_words_lemmatised_in_worker_processes_are_saved(tmp_path: Path) -> None:
    """With --jobs 2 the notes are coded in worker processes; their words reach the cache too."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for n in range(10):  # enough notes for a pool of two
        (raw / f"note{n}.txt").write_text(f"Kafébord {n}\n\nOrdet zyxor{'a' * n}ne er nytt.\n", encoding="utf-8")
    saved = {}
    for jobs in ("1", "2"):
        cache = tmp_path / f"cache{jobs}"
        env = {**os.environ, lemma_tables.ENV_CACHE: str(cache)}
        command = [sys.executable, "-m", "dialogtool", "code", str(raw), "-o", str(tmp_path / f"out{jobs}")]
        subprocess.run([*command, "-q", "--jobs", jobs], check=True, env=env, cwd=ROOT)
        (path,) = cache.glob("lemmas-*.bin")
        saved[jobs] = lemma_memo.read_memo(path)
    assert saved["2"] == saved["1"]
    assert all(f"zyxor{'a' * n}ne" in saved["2"] for n in range(10))
