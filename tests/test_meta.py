"""Metadata of a note from its header and sign-off lines, and the per-folder manifest."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from dialogtool.coding.run import read_note
from dialogtool.errors import DialogtoolError
from dialogtool.ingest.meta import FIELDS, detect_language, detect_meta, find_date, load_manifest, read_manifest
from dialogtool.ingest.normalize import normalize
from dialogtool.langdata import BOKMAAL_MARKERS, NYNORSK_MARKERS

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"


def meta_of(raw: str) -> dict[str, object]:
    return detect_meta(normalize(raw))


def test_all_fields_present_and_none_when_not_found() -> None:
    meta = meta_of("Vi snakket om været.")
    assert set(meta) == set(FIELDS)
    assert {k: v for k, v in meta.items() if k != "language"} == dict.fromkeys(set(FIELDS) - {"language"})


# --- header lines -----------------------------------------------------------------------------


def test_meeting_place_and_date_from_summary_line() -> None:
    meta = meta_of("Oppsummering etter dialogmøte i Alta 18.09.2018,\n\nKafebord 1.\n\nVi snakket om mye.")
    assert meta["meeting"] == "Alta"
    assert meta["date"] == "2018-09-18"
    assert meta["table"] == 1


def test_meeting_place_of_several_words() -> None:
    meta = meta_of("Dialogmøte i Mo i Rana 03.10.2018\n\nTekst her.")
    assert meta["meeting"] == "Mo i Rana" and meta["date"] == "2018-10-03"


def test_meeting_place_after_pa() -> None:
    assert meta_of("Dialogmøte på Stord\n\nTekst.")["meeting"] == "Stord"


def test_table_and_topic_from_lowercase_header() -> None:
    meta = meta_of("Dialogmøte i Mo i Rana 03.10.2018\n\ndialogkafebord 4 – Kompetanse\n\nTekst her.")
    assert meta["table"] == 4
    assert meta["topic"] == "Kompetanse"


def test_table_with_nr_and_topic_after_dash() -> None:
    meta = meta_of("Kafébord nr. 3 - Informasjonsflyt\n\nTekst.")
    assert meta["table"] == 3 and meta["topic"] == "Informasjonsflyt"


def test_topic_line() -> None:
    meta = meta_of("Notat\n\nTema: individuell plan og koordinator\n\nTekst.")
    assert meta["topic"] == "individuell plan og koordinator"


def test_group() -> None:
    meta = meta_of("Dialogmøte 19.09.2018\n\nGruppe 3 - blå\n\nTekst.")
    assert meta["group"] == "3 - blå"
    assert meta["date"] == "2018-09-19"
    assert meta["meeting"] is None  # no place named
    assert meta["table"] is None


def test_host_line() -> None:
    assert meta_of("Kafebord 2\n\nBordvert/referat: Ola Nordmann\n\nTekst.")["host"] == "Ola Nordmann"
    assert meta_of("Kafebord 2\n\nReferent: Kari Nordmann.\n\nTekst.")["host"] == "Kari Nordmann"


def test_sign_off_name_then_host_line() -> None:
    raw = (
        "Dialogmøte på Stord\n\nVi snakka om mykje den dagen, og alle var einige om det meste.\n\n"
        "Kari Beate Nilsen\n\nKafévert på bord 2."
    )
    meta = meta_of(raw)
    assert meta["host"] == "Kari Beate Nilsen"
    assert meta["table"] == 2


def test_sign_off_needs_a_name_line() -> None:
    raw = "Vi snakka om mykje den dagen, og alle var einige om det meste.\n\nKafévert på bord 2."
    meta = meta_of(raw)
    assert meta["host"] is None and meta["table"] == 2


def test_header_table_wins_over_sign_off() -> None:
    raw = "Kafebord 1.\n\nVi snakket om mye den dagen.\n\nOla Hansen\n\nKafévert på bord 2."
    meta = meta_of(raw)
    assert meta["table"] == 1 and meta["host"] == "Ola Hansen"


def test_word_date_in_header() -> None:
    assert meta_of("Dialogmøte i Bodø\n\n12. oktober 2018\n\nTekst.")["date"] == "2018-10-12"


# --- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("18.09.2018", "2018-09-18"),
        ("møtet 3.10.2018 i Mo", "2018-10-03"),
        ("1.1.18", "2018-01-01"),
        ("12. oktober 2018", "2018-10-12"),
        ("12 oktober 2018", "2018-10-12"),
        ("3. Mars 2019", "2019-03-03"),
        ("31.02.2018", None),
        ("31.02.2018 og 01.03.2018", "2018-03-01"),  # the invalid date is skipped
        ("29.02.2019", None),
        ("29.02.2020", "2020-02-29"),
        ("13.13.2018", None),
        ("31. februar 2018", None),
        ("ingen dato her", None),
        ("kl. 10.15", None),
    ],
)
def test_find_date(text: str, expected: str | None) -> None:
    assert find_date(text) == expected


def test_invalid_header_date_falls_through_to_next_valid_one() -> None:
    meta = meta_of("Dialogmøte i Alta 31.02.2018\n\nSkrevet 02.03.2018\n\nTekst.")
    assert meta["meeting"] == "Alta"
    assert meta["date"] == "2018-03-02"


# --- language -----------------------------------------------------------------------------------


def test_nynorsk() -> None:
    text = "Eg veit ikkje kva vi skal gjere med dei som kjem heim frå sjukehuset."
    assert detect_language(text) == "nn"
    assert meta_of(text)["language"] == "nn"


def test_bokmaal() -> None:
    text = "Jeg vet ikke hva vi skal gjøre med de som kommer hjem fra sykehuset."
    assert detect_language(text) == "nb"


def test_language_defaults_to_bokmaal() -> None:
    assert detect_language("") == "nb"
    assert detect_language("KE IP INFO") == "nb"


def _language_by_regex(text: str) -> str:
    """detect_language as first written: the runs of a-zæøåò in the lower-cased sample."""
    words = re.findall(r"[a-zæøåò]+", text[:6000].lower())
    nn = sum(w in NYNORSK_MARKERS for w in words)
    nb = sum(w in BOKMAAL_MARKERS for w in words)
    return "nn" if nn > nb else "nb"


_MARKERS = sorted(NYNORSK_MARKERS | BOKMAAL_MARKERS)
# Capitals, letters outside the word class (é, ß, µ), signs outside Latin-1, and the three that
# lower-case into a word letter: İ, the Kelvin sign K, the Ångström sign Å.
_NOISE = st.text(st.sampled_from("abkiøå ÆØÅÒIKEG.,-–’\néßµ\u0130\u212a\u212b\u0131\u017f\uf0b7→"), max_size=4)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_MARKERS), st.sampled_from(_MARKERS).map(str.upper), _NOISE), max_size=30))
@example(["\u212aVA", " ", "kva", " ", "ikke"])  # the Kelvin sign lower-cases to k: «kva», twice
@example(["fr\u212b", " eg ", "\u0130kke", " hva"])  # Ångström «frå»; İ lower-cases to «i̇»: no «ikke»
def test_language_counts_the_words_a_regex_would(parts: list[str]) -> None:
    text = "".join(parts)
    assert detect_language(text) == _language_by_regex(text)


def test_language_reads_only_the_sample() -> None:
    assert detect_language("x " * 3000 + "ikkje " * 5) == "nb"


# --- manifest -----------------------------------------------------------------------------------


def write_manifest(folder: Path, text: str) -> Path:
    path = folder / "meta.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_no_manifest_is_empty(tmp_path: Path) -> None:
    assert load_manifest(tmp_path) == {}


def test_empty_manifest(tmp_path: Path) -> None:
    write_manifest(tmp_path, "# bare kommentarer\n")
    assert load_manifest(tmp_path) == {}


def test_manifest_values_and_unquoted_dates(tmp_path: Path) -> None:
    write_manifest(
        tmp_path,
        "harstad.docx:\n  date: 2018-10-05\n  table: 3\n  meeting: Harstad\n"
        "tromso.txt:\n  date: '2018-09-20'\n  language: nn\n",
    )
    assert load_manifest(tmp_path) == {
        "harstad.docx": {"date": "2018-10-05", "table": 3, "meeting": "Harstad"},
        "tromso.txt": {"date": "2018-09-20", "language": "nn"},
    }


def test_manifest_fields_of_your_own_are_kept_and_near_misses_warned(tmp_path: Path) -> None:
    """NVivo and MAXQDA users define their own document variables (issue 12)."""
    (tmp_path / "a.txt").write_text("Tekst.", encoding="utf-8")
    path = write_manifest(tmp_path, "a.txt:\n  kommune: Bodø\n  helseforetak: NLSH\n  dato: 2018-10-05\n")
    manifest = read_manifest(tmp_path)
    assert manifest.errors == ()
    assert manifest.entries == {"a.txt": {"kommune": "Bodø", "helseforetak": "NLSH", "dato": "2018-10-05"}}
    assert manifest.fields == ["kommune", "helseforetak", "dato"]
    assert [str(w) for w in manifest.warnings] == [
        f"{path}:4: entry 'a.txt': 'dato' is a field of your own; did you mean 'date'?"
    ]


def test_manifest_yaml_error_has_line(tmp_path: Path) -> None:
    path = write_manifest(tmp_path, "a.txt:\n  date: 2018-10-05\n  topic: kompetanse: og kurs\n")
    with pytest.raises(DialogtoolError) as info:
        load_manifest(tmp_path)
    assert info.value.path == str(path)
    assert info.value.line == 3
    assert info.value.message.startswith("YAML error")
    assert str(info.value).startswith(f"{path}:3: YAML error")


@pytest.mark.parametrize(("text", "words"), [("- a.txt\n", "must map file names"), ("a.txt: 3\n", "'a.txt'")])
def test_manifest_wrong_shape(tmp_path: Path, text: str, words: str) -> None:
    write_manifest(tmp_path, text)
    with pytest.raises(DialogtoolError) as info:
        load_manifest(tmp_path)
    assert info.value.path.endswith("meta.yaml")
    assert words in info.value.message


# --- the sample corpus --------------------------------------------------------------------------

EXPECTED = {
    "Mo i Rana bord 4.txt": dict(
        meeting="Mo i Rana", date="2018-10-03", table=4, topic="Kompetanse", host="Marit Hansen Lie", language="nb"
    ),
    "bodo_2018-10-12_bord2.txt": dict(meeting="Bodø", date="2018-10-12", table=2, host="Siri Johanne", language="nb"),
    "forde_bord1_nynorsk.txt": dict(
        meeting="Førde", date="2018-10-24", table=1, topic="informasjonsflyt", host="Ingrid Sæle", language="nn"
    ),
    "forde_bord3_nynorsk.docx": dict(
        meeting="Førde", date="2018-10-24", table=3, host="Astrid Myklebust", language="nn"
    ),
    "hammerfest_gruppe3_bla.txt": dict(
        meeting="Hammerfest", date="2018-09-19", group="3 - blå", host="Johan Persen Eira", language="nb"
    ),
    "harstad_bord3.docx": dict(meeting="Harstad", date="2018-10-05", table=3, host="Hanne Kvalvik", language="nb"),
    "narvik_bord5.txt": dict(
        meeting="Narvik", date="2018-09-26", table=5, group="2 - grønn", host="Lena Marie Olsen", language="nb"
    ),
    "tromso_bord1_ke.txt": dict(meeting="Tromsø", date=None, table=1, host="Tor Einar Mikkelsen", language="nb"),
}


def test_expected_covers_every_sample_note() -> None:
    notes = {p.name for p in RAW.iterdir() if p.suffix in (".txt", ".docx")}
    assert notes == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_note_metadata(name: str) -> None:
    meta = read_note(RAW / name).meta
    assert set(meta) >= set(FIELDS)
    assert {key: meta[key] for key in EXPECTED[name]} == EXPECTED[name]


def test_manifest_overrides_detection(tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("Oppsummering etter dialogmøte i Alta 18.09.2018\n\nKafebord 1.\n\nTekst.", encoding="utf-8")
    assert read_note(note).meta["meeting"] == "Alta"
    write_manifest(tmp_path, "note.txt:\n  meeting: Hammerfest\n  date: 2018-09-19\n")
    meta = read_note(note).meta
    assert meta["meeting"] == "Hammerfest" and meta["date"] == "2018-09-19"
    assert meta["table"] == 1  # fields the manifest does not name stay detected


def test_the_hosts_line_wins_over_the_writers_line_whichever_comes_first() -> None:
    text = "Kafébord 3\n\nSkrivar: Ingrid Hauge\n\nBordvert: Solveig Myklebust\n\nTekst."
    assert meta_of(text)["host"] == "Solveig Myklebust"
    assert meta_of("Kafébord 3\n\nNotat: Terje Hove, Voss sjukehus\n\nTekst.")["host"] == "Terje Hove, Voss sjukehus"


def test_vert_is_a_role_only_with_a_colon() -> None:
    assert meta_of("Kafébord 3\n\nVert: Kari Li\n\nTekst.")["host"] == "Kari Li"
    assert meta_of("Kafébord 3\n\nVert det gjort noko?\n\nTekst.")["host"] is None


# --- manifest mistakes: all at once, each with its line, only the affected notes fail (issue 12)

_BAD_MANIFEST = """\
a.txt:
  language: nynorsk
  table: tre
b.txt:
  date: 20.09.2018
c.txt:
  meeting: Bodø
  kommune: Bodø
borte.txt:
  meeting: Alta
d.txt: [ikke, et, kart]
e.txt:
  kommune: [Bodø, Fauske]
"""


def _notes(folder: Path, names: str = "abce") -> None:
    for letter in names:
        (folder / f"{letter}.txt").write_text(
            "Dialogmøte i Harstad 05.10.2018\n\nKafébord 3\n\nVi trenger bedre informasjonsflyt.\n", encoding="utf-8"
        )


def test_every_manifest_mistake_has_its_line_and_all_are_found(tmp_path: Path) -> None:
    _notes(tmp_path)
    path = write_manifest(tmp_path, _BAD_MANIFEST)
    manifest = read_manifest(tmp_path)
    assert [str(e) for e in manifest.errors] == [
        f"{path}:2: entry 'a.txt': language must be nb or nn, not 'nynorsk'",
        f"{path}:3: entry 'a.txt': table must be a number, not 'tre'",
        f"{path}:5: entry 'b.txt': date must be YYYY-MM-DD, not '20.09.2018'",
        f"{path}:11: entry 'd.txt' must be a mapping of fields",
        f"{path}:13: entry 'e.txt': field 'kommune' must be one value, not a list or map",
    ]
    assert manifest.broken == {"a.txt", "b.txt", "d.txt", "e.txt"}
    assert manifest.entries == {"c.txt": {"meeting": "Bodø", "kommune": "Bodø"}, "borte.txt": {"meeting": "Alta"}}
    assert [str(w) for w in manifest.warnings] == [
        f"{path}:9: entry 'borte.txt' names no file in this folder",
        f"{path}:11: entry 'd.txt' names no file in this folder",
    ]


def test_a_bad_entry_fails_only_its_note(tmp_path: Path) -> None:
    _notes(tmp_path)
    write_manifest(tmp_path, _BAD_MANIFEST)
    assert read_note(tmp_path / "c.txt").meta["kommune"] == "Bodø"
    with pytest.raises(DialogtoolError, match=r"its entry in .*meta.yaml has errors \(line 2, 3, listed above\)"):
        read_note(tmp_path / "a.txt")


def test_code_reports_each_manifest_mistake_once_and_codes_the_rest(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from dialogtool.cli import app

    raw = tmp_path / "raw"
    raw.mkdir()
    _notes(raw)
    write_manifest(raw, _BAD_MANIFEST)
    book = Path(__file__).resolve().parents[1] / "codebook.yaml"
    result = CliRunner().invoke(app, ["code", str(raw), "-c", str(book), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    err = result.stderr
    assert err.count("language must be nb or nn, not 'nynorsk'") == 1  # once, not once per note
    assert f"{raw / 'meta.yaml'}:5: entry 'b.txt': date must be YYYY-MM-DD" in err
    assert f"Warning: {raw / 'meta.yaml'}:9: entry 'borte.txt' names no file in this folder" in err
    assert f"{raw / 'a.txt'}: its entry in {raw / 'meta.yaml'} has errors (line 2, 3, listed above)" in err
    assert sorted(p.name for p in (tmp_path / "out").glob("*.yaml")) == ["c.yaml"]
    assert "1 written" in err and "3 failed" in err


def test_an_unreadable_manifest_is_reported_once(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from dialogtool.cli import app

    raw = tmp_path / "raw"
    raw.mkdir()
    _notes(raw, "abc")
    write_manifest(raw, "a.txt:\n  topic: kompetanse: og kurs\n")
    book = Path(__file__).resolve().parents[1] / "codebook.yaml"
    result = CliRunner().invoke(app, ["code", str(raw), "-c", str(book), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.stderr.count(f"{raw / 'meta.yaml'}:2: YAML error") == 1
    assert result.stderr.count("meta.yaml cannot be read (see the error above)") == 3  # no note goes on without it


def test_fields_of_your_own_reach_meta_table_and_the_coded_file(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from dialogtool.cli import app

    raw = tmp_path / "raw"
    raw.mkdir()
    _notes(raw, "ab")
    write_manifest(raw, "a.txt:\n  kommune: Harstad\nb.txt:\n  kommune: Kvæfjord\n  helseforetak: UNN\n")
    runner = CliRunner()
    shown = runner.invoke(app, ["meta", str(raw)])
    assert shown.exit_code == 0, shown.output
    assert "kommune" in shown.stdout and "Kvæfjord*" in shown.stdout and "helseforetak" in shown.stdout
    book = Path(__file__).resolve().parents[1] / "codebook.yaml"
    out = tmp_path / "out"
    assert runner.invoke(app, ["code", str(raw), "-c", str(book), "-o", str(out)]).exit_code == 0
    coded = (out / "b.yaml").read_text(encoding="utf-8")
    assert "  language: nb\n  kommune: Kvæfjord\n  helseforetak: UNN\n" in coded  # after the built-in fields
    table = runner.invoke(app, ["table", "--coded", str(out), "-c", str(book), "--by", "kommune", "-f", "csv"])
    assert table.exit_code == 0, table.output
    header = table.stdout.splitlines()[0]
    assert "Harstad" in header and "Kvæfjord" in header


def test_a_sentence_that_starts_with_a_longer_word_is_not_a_topic() -> None:
    assert meta_of("Kafébord 2\n\nOppgavene er lagt til kommunen.\n\nTekst.")["topic"] is None
    assert meta_of("Kafébord 2\n\nTematisk var vi innom mye.\n\nTekst.")["topic"] is None
    assert meta_of("Kafébord 2\n\nOppgåve: Kompetanse\n\nTekst.")["topic"] == "Kompetanse"
