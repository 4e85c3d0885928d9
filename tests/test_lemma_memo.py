"""The lemma memo and the matcher's word memo (coding/lemma_memo.py, Matcher.use_memo): the
same answers as worked out afresh, kept across runs, keyed by what decides them, and
collected from worker processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from dialogtool.coding import lemma_memo, lemma_tables, lemmas
from dialogtool.coding import memo as memos
from dialogtool.coding.codebook import Codebook, parse_codebook
from dialogtool.coding.matcher import Matcher

ROOT = Path(__file__).resolve().parents[1]
WORDS = ["pasientane", "gjekk", "gikk", "sjukehuset", "slagpasientane", "borna", "ikkje", "tenesta", "xqzzy"]


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty cache folder; this process's memos and cached word keys forgotten before and after."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(lemma_tables.ENV_CACHE, str(folder))
    memos.forget()
    lemmas.word_keys.cache_clear()
    yield folder
    memos.forget()
    lemmas.word_keys.cache_clear()


def _simplemmas(word: str) -> tuple[str, ...]:
    from simplemma import lemmatize

    return tuple(sorted({lemmatize(word, lang=lang).lower() for lang in ("nb", "nn")}))


def test_lemmas_kept_are_simplemmas(cache_dir: Path) -> None:
    first = {word: lemmas._lemmas(word) for word in WORDS}
    assert first == {word: _simplemmas(word) for word in WORDS}
    memos.save_all()
    memo = lemma_memo.memo()
    assert memo.path == cache_dir / "lemmas.memo"
    assert memos.read_memo(memo.path, memo.key) == first


LOOKUP = """
import json, sys
from dialogtool.coding.memo import save_all
from dialogtool.coding.lemmas import word_keys
keys = {{w: sorted(word_keys(w)) for w in {words!r}}}
save_all()
print(json.dumps({{"keys": keys, "simplemma": "simplemma" in sys.modules}}))
"""


def _lookup(words: list[str], cache: Path) -> dict[str, object]:
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


def test_simplemmas_version_and_the_code_key_the_lemmas(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = lemma_memo.key_sources()
    assert sources is not None
    assert [p.name for p in sources] == ["lemmas.py", "lemma_tables.py", "__metadata__.py"]
    copies = []
    for n, source in enumerate(sources):
        copies.append(tmp_path / f"{n}-{source.name}")
        copies[-1].write_bytes(source.read_bytes())
    monkeypatch.setattr(lemma_memo, "key_sources", lambda: copies)
    keys = [lemma_memo._open().key]
    for copy in copies:  # a new simplemma version, or a change to either module: another key
        copy.write_bytes(copy.read_bytes() + b"\n# changed\n")
        keys.append(lemma_memo._open().key)
    assert len(set(keys)) == len(keys)


def _book(terms: list[str]) -> Codebook:
    lines = ["codes:", "  - id: T", "    label: Tema T", f"    terms: {json.dumps(terms, ensure_ascii=False)}"]
    return parse_codebook("\n".join(lines) + "\n", "test.yaml")


TEXT_WORDS = ["pasientane", "IP-planen", "koordinatoren", "fastlegar", "tlf.", "NAV", "xqzzy", "planane"]


def test_word_memo_gives_the_answers_worked_out_afresh(cache_dir: Path) -> None:
    terms = ["pasient", "individuell plan", "koordinator*", "*lege", "telefon", "NAV", "plan NEAR/2 pasient"]
    first = Matcher(_book(terms))
    first.use_memo()
    answers = {word: first.word_ids(word) for word in TEXT_WORDS}
    memos.save_all()
    memos.forget()
    again = Matcher(_book(terms))
    again.use_memo()
    assert again._memo is not None and set(again._memo.known) >= set(TEXT_WORDS)  # read from the file
    assert {word: again.word_ids(word) for word in TEXT_WORDS} == answers
    plain = Matcher(_book(terms))
    assert {word: plain.word_ids(word) for word in TEXT_WORDS} == answers


def test_another_codebook_gets_its_own_answers(cache_dir: Path) -> None:
    """The memo's key has the codebook's compiled words in it: answers for one codebook are
    never served to another, though both use the same file."""
    first = Matcher(_book(["pasient", "plan"]))
    first.use_memo()
    assert first.word_ids("planane") and first.word_ids("pasientane")
    memos.save_all()
    memos.forget()
    other = Matcher(_book(["plan", "pasient"]))  # the same words in another order: other ids
    other.use_memo()
    assert other._memo is not None and other._memo.known == {}
    assert other.word_ids("planane") == Matcher(_book(["plan", "pasient"])).word_ids("planane")


def test_memos_from_worker_processes_are_saved(cache_dir: Path, tmp_path: Path) -> None:
    """With --jobs 2 the notes are coded in worker processes; their new lemmas and word answers
    reach the files too, the same as with --jobs 1."""
    from dialogtool.coding.codebook import load_codebook

    matcher = Matcher(load_codebook(ROOT / "codebook.yaml"))  # the keys the runs below use
    matcher.use_memo()
    assert matcher._memo is not None
    keys = {"lemmas.memo": lemma_memo.memo().key, "words.memo": matcher._memo.key}
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
        assert sorted(p.name for p in cache.glob("*.memo")) == sorted(keys)
        saved[jobs] = {name: memos.read_memo(cache / name, key) for name, key in keys.items()}
    assert saved["2"] == saved["1"]
    for answers in saved["2"].values():
        assert all(f"zyxor{'a' * n}ne" in answers for n in range(10))
