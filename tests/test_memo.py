"""The memo files of coding/memo.py: answers read back as saved, another key reads as none,
damaged files ignored and replaced, saves merged, whole files when processes save at once."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from dialogtool.coding import memo as memos

KEY = memos.memo_key([b"test"])


def _saved(path: Path, answers: dict[str, tuple[str, ...]], key: str = KEY) -> memos.Memo:
    memo = memos.Memo(path, key)
    for word, answer in answers.items():
        memo.add(word, answer)
    memo.store()
    return memo


def test_answers_read_back(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "test.memo"
    _saved(path, {"gjekk": ("gå",), "borna": ("barn", "born")})
    again = memos.Memo(path, KEY)
    assert again.get("gjekk") == ("gå",) and again.get("borna") == ("barn", "born") and again.get("xqzzy") is None
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left behind


def test_another_key_reads_as_none_and_is_replaced(tmp_path: Path) -> None:
    """What decides the answers changed (another simplemma, codebook or code): nothing stale is served."""
    path = tmp_path / "test.memo"
    _saved(path, {"gjekk": ("stale",)})
    other = memos.memo_key([b"test", b"changed"])
    assert other != KEY
    fresh = memos.Memo(path, other)
    assert fresh.known == {}
    fresh.add("gjekk", ("gå",))
    fresh.store()
    assert memos.read_memo(path, other) == {"gjekk": ("gå",)} and memos.read_memo(path, KEY) == {}


def test_key_covers_every_part_and_the_order() -> None:
    assert len({memos.memo_key(parts) for parts in ([b"a", b"b"], [b"b", b"a"], [b"ab"], [b"a"], [])}) == 5


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # torn: a write cut short
        lambda data: data[:-1] + bytes([data[-1] ^ 1]),  # one bit of the answers flipped
        lambda data: b"garbage" + data,  # not this format
        lambda data: b"",
    ],
)
def test_damaged_file_is_ignored_and_replaced(tmp_path: Path, damage: Callable[[bytes], bytes]) -> None:
    path = tmp_path / "test.memo"
    _saved(path, {"gjekk": ("gå",), "borna": ("barn", "born")})
    path.write_bytes(damage(path.read_bytes()))
    memo = memos.Memo(path, KEY)
    assert memo.known == {}
    memo.add("pasientane", ("pasient",))
    memo.store()
    assert memos.read_memo(path, KEY) == {"pasientane": ("pasient",)}


def test_save_merges_what_another_process_saved_meanwhile(tmp_path: Path) -> None:
    path = tmp_path / "test.memo"
    ours, theirs = memos.Memo(path, KEY), memos.Memo(path, KEY)
    ours.add("gjekk", ("gå",))
    theirs.add("borna", ("barn", "born"))
    theirs.store()
    ours.store()
    assert memos.read_memo(path, KEY) == {"gjekk": ("gå",), "borna": ("barn", "born")}


def test_a_full_file_starts_afresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memos, "MAX_ENTRIES", 3)
    path = tmp_path / "test.memo"
    _saved(path, {"a": ("a",), "b": ("b",)})
    _saved(path, {"c": ("c",), "d": ("d",)})
    assert memos.read_memo(path, KEY) == {"c": ("c",), "d": ("d",)}


def test_unwritable_cache_folder_is_skipped(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would be")
    memo = _saved(blocker / "cache" / "test.memo", {"gjekk": ("gå",)})  # nothing written, nothing raised
    assert memo.get("gjekk") == ("gå",)


def test_workers_answers_reach_the_parents_memo(tmp_path: Path) -> None:
    memos.forget()
    try:
        memo = memos.opened("test", lambda: memos.Memo(tmp_path / "test.memo", KEY))
        memo.add("gjekk", ("gå",))
        handed = memos.take_new()  # what a worker sends back with a result
        assert handed == {"test": {"gjekk": ("gå",)}} and memos.take_new() == {}
        memos.remember({"test": {"borna": ("barn",)}, "unknown": {"x": ("y",)}})
        memos.save_all()
        assert memos.read_memo(tmp_path / "test.memo", KEY) == {"borna": ("barn",)}  # `gjekk` went to the parent
    finally:
        memos.forget()


SAVE = """
import sys
from pathlib import Path
from dialogtool.coding.memo import Memo
memo = Memo(Path(sys.argv[1]), sys.argv[3])
n = int(sys.argv[2])
for i in range(20_000):
    memo.add(f"ord{n}x{i}", (f"lemma{n}",))
memo.store()
"""


def test_processes_saving_at_once_leave_a_whole_file(tmp_path: Path) -> None:
    """Four processes save at the same moment: the file left is whole (written to a temporary
    name, then renamed) and holds at least the answers of the last to rename, all correct."""
    path = tmp_path / "test.memo"
    runs = [subprocess.Popen([sys.executable, "-c", SAVE, str(path), str(n), KEY]) for n in range(4)]
    assert all(run.wait() == 0 for run in runs)
    answers = memos.read_memo(path, KEY)
    assert len(answers) >= 20_000
    assert all(found == (f"lemma{word[3 : word.index('x')]}",) for word, found in answers.items())
    assert [p.name for p in tmp_path.iterdir()] == [path.name]
