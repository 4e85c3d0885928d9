"""Codebook loading and validation: every mistake is one DialogtoolError with its line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dialogtool.coding.codebook import Codebook, load_codebook, parse_codebook
from dialogtool.coding.patterns import (
    ACRONYM,
    EXACT,
    INFIX,
    PLAIN,
    PREFIX,
    SUFFIX,
    PatternError,
    Word,
    parse_pattern,
)
from dialogtool.errors import DialogtoolError

ROOT = Path(__file__).resolve().parents[1]
REAL_CODEBOOK = ROOT / "codebook.yaml"

MINIMAL = """\
name: Test
codes:
  - id: KE
    label: Koordinerende enhet
    terms: [koordinerende enhet, KE]
"""


def error(text: str, path: str = "kb.yaml") -> DialogtoolError:
    with pytest.raises(DialogtoolError) as info:
        parse_codebook(textwrap.dedent(text), path)
    exc = info.value
    assert exc.path == path
    return exc


# --- a valid codebook ------------------------------------------------------------------


def test_minimal_codebook() -> None:
    book = parse_codebook(MINIMAL, "kb.yaml")
    assert isinstance(book, Codebook)
    assert book.path == "kb.yaml" and book.name == "Test"
    assert book.inherit_headings is True
    (code,) = book.codes
    assert code.id == "KE" and code.label == "Koordinerende enhet" and code.parent is None
    assert code.terms == ("koordinerende enhet", "KE") and code.exclude == ()
    assert code.line == 3 and code.color is None
    assert len(book.digest) == 64


def test_children_and_fields() -> None:
    book = parse_codebook(
        textwrap.dedent(
            """\
            inherit_headings: false
            codes:
              - id: GRUPPER
                label: Grupper
                description: "  Brukergrupper  "
                color: "#9467bd"
                children:
                  - id: GRUPPER.ME
                    label: CFS/ME
                    terms: [ME, CFS]
                    exclude: ["=me"]
            """
        )
    )
    assert book.inherit_headings is False
    assert [c.id for c in book.codes] == ["GRUPPER", "GRUPPER.ME"]
    parent, child = book.codes
    assert parent.terms == () and parent.description == "Brukergrupper" and parent.color == "#9467bd"
    assert child.parent == "GRUPPER" and child.exclude == ("=me",) and child.line == 8
    assert [c.id for c in book.top_level] == ["GRUPPER"]
    assert book.order() == {"GRUPPER": 0, "GRUPPER.ME": 1}
    assert book.get("GRUPPER.ME") is child
    assert book.label("GRUPPER.ME") == "CFS/ME" and book.label("UKJENT") == "UKJENT"
    with pytest.raises(KeyError):
        book.get("UKJENT")


def test_real_codebook_loads() -> None:
    book = load_codebook(REAL_CODEBOOK)
    assert [c.id for c in book.top_level] == ["KE", "IP", "INFO", "KOMP", "GRUPPER"]
    assert book.top("GRUPPER.ME") == "GRUPPER"
    assert book.top("KE") == "KE"
    children = [c for c in book.codes if c.parent is not None]
    assert children and all(c.parent == "GRUPPER" and c.id.startswith("GRUPPER.") for c in children)
    assert "GRUPPER.ME" in {c.id for c in children}
    assert all(book.top(c.id) == "GRUPPER" for c in children)
    assert book.inherit_headings is True
    assert book.path == str(REAL_CODEBOOK)
    # parents before their children
    order = book.order()
    assert all(order[c.parent] < order[c.id] for c in children)


def test_load_codebook_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "kb.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode("utf-8"))
    assert [c.id for c in load_codebook(path).codes] == ["KE"]


def test_load_codebook_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "finnes_ikke.yaml"
    with pytest.raises(DialogtoolError) as info:
        load_codebook(path)
    assert info.value.path == str(path)
    assert "not found" in info.value.message


def test_load_codebook_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "kb.yaml"
    path.write_bytes(MINIMAL.replace("Test", "Kodebok for Bodø").encode("latin-1"))
    with pytest.raises(DialogtoolError) as info:
        load_codebook(path)
    assert info.value.path == str(path)
    assert "cannot read codebook" in info.value.message


# --- digest ---------------------------------------------------------------------------


def test_digest_ignores_comments_and_blank_lines() -> None:
    commented = "# Kodebok\n\n" + MINIMAL.replace("terms:", "# ord som teller\n    terms:") + "# slutt\n"
    assert parse_codebook(commented).digest == parse_codebook(MINIMAL).digest


def test_digest_ignores_the_path() -> None:
    assert parse_codebook(MINIMAL, "a.yaml").digest == parse_codebook(MINIMAL, "b/c.yaml").digest


def test_digest_changes_when_a_term_changes() -> None:
    changed = MINIMAL.replace("koordinerende enhet", "koordinerande eining")
    assert parse_codebook(changed).digest != parse_codebook(MINIMAL).digest


def test_digest_changes_when_inherit_headings_changes() -> None:
    changed = "inherit_headings: false\n" + MINIMAL
    assert parse_codebook(changed).digest != parse_codebook(MINIMAL).digest


# --- errors, one test per mistake ---------------------------------------------------------


def test_error_str_format() -> None:
    exc = DialogtoolError("something is wrong", path="kb.yaml", line=7, hint="fix it")
    assert str(exc) == "kb.yaml:7: something is wrong (fix it)"
    assert str(DialogtoolError("bad", path="kb.yaml")) == "kb.yaml: bad"
    assert str(DialogtoolError("bad")) == "bad"


def test_yaml_syntax_error() -> None:
    exc = error(
        """\
        codes:
          - id: KE
            label: Koordinerende: enhet
        """
    )
    assert exc.line == 3
    assert exc.message.startswith("YAML error:") and "mapping values are not allowed" in exc.message
    assert str(exc).startswith("kb.yaml:3: YAML error:")


def test_yaml_tab_indentation() -> None:
    exc = error("codes:\n\t- id: KE\n")
    assert exc.line == 2 and "YAML error" in exc.message


def test_unknown_top_level_key() -> None:
    exc = error(
        """\
        name: Test
        kodar:
          - id: KE
        codes:
          - id: KE
            label: KE
            terms: [KE]
        """
    )
    assert exc.line == 2
    assert exc.message == "unknown key 'kodar' in the codebook"
    assert "codes" in exc.hint and "inherit_headings" in exc.hint


def test_unknown_code_key() -> None:
    exc = error(
        """\
        codes:
          - id: KE
            label: KE
            term: [KE]
        """
    )
    assert exc.line == 4
    assert exc.message == "unknown key 'term' in a code"
    assert "terms" in exc.hint
    assert str(exc) == f"kb.yaml:4: unknown key 'term' in a code ({exc.hint})"


def test_duplicate_id_names_the_first_line() -> None:
    exc = error(
        """\
        codes:
          - id: KE
            label: KE
            terms: [KE]
          - id: IP
            label: IP
            terms: [IP]
          - id: KE
            label: KE igjen
            terms: [koordinerende enhet]
        """
    )
    assert exc.line == 8
    assert exc.message == "duplicate code id 'KE' (first defined on line 2)"


def test_duplicate_child_id() -> None:
    exc = error(
        """\
        codes:
          - id: G
            label: G
            children:
              - id: G.A
                label: A
                terms: [a]
              - id: G.A
                label: A2
                terms: [b]
        """
    )
    assert exc.line == 8 and "duplicate code id 'G.A' (first defined on line 5)" in exc.message


def test_duplicate_key_in_a_code() -> None:
    exc = error(
        """\
        codes:
          - id: KE
            label: KE
            terms: [KE]
            label: Koordinerende enhet
        """
    )
    assert exc.line == 5
    assert exc.message == "duplicate key 'label' in a code"


def test_duplicate_top_level_key() -> None:
    exc = error("name: A\nname: B\ncodes:\n  - id: KE\n    label: KE\n    terms: [KE]\n")
    assert exc.line == 2 and exc.message == "duplicate key 'name' in the codebook"


def test_empty_term_list() -> None:
    exc = error(
        """\
        codes:
          - id: KE
            label: KE
            terms: []
        """
    )
    assert exc.line == 4
    assert exc.message == "code 'KE' has an empty term list"


def test_code_without_terms_or_children() -> None:
    exc = error(
        """\
        codes:
          - id: KE
            label: KE
          - id: IP
            label: IP
            description: ingen termer
        """
    )
    assert exc.line == 2  # the first such code, at its start
    assert exc.message == "code 'KE' has no terms"
    assert "terms" in exc.hint and "children" in exc.hint


def test_terms_not_a_list() -> None:
    exc = error("codes:\n  - id: KE\n    label: KE\n    terms: KE\n")
    assert exc.line == 4 and exc.message == "'terms' of 'KE' must be a list"


def test_empty_term_string() -> None:
    exc = error("codes:\n  - id: KE\n    label: KE\n    terms:\n      - KE\n      - ''\n")
    assert exc.line == 6 and exc.message == "an entry of 'terms' of 'KE' is empty"


@pytest.mark.parametrize(
    ("pattern", "words"),
    [
        ("'*'", "has no letters to match"),
        ("a*b", "'*' may stand only at the start or end of a word"),
        ("'='", "'=' must be followed by a word"),
        ("=x*", "'=' and '*' cannot be combined"),
        ("'[abc]'", "character(s) '[]'"),
        ("(IP", "unbalanced or nested parentheses"),
        ("a NEAR b", "'NEAR' needs a distance in words"),
        ("a NEAR/0 b", "distance must be 1 to 50 words"),
        ("a NEAR/3", "NEAR/3 needs a phrase on each side"),
        ("a NEAR/2 b BEFORE/2 c", "one operator per pattern"),
        ("a NOT b", "'NOT' must be followed by NEAR/n or BEFORE/n"),
        ("a | b", "'|' and parentheses must enclose a whole side"),
        ("(a | ) NEAR/2 b", "empty choice between '|'"),
        ("x NEAR/2 a*b", "'*' may stand only at the start or end of a word"),
    ],
)
def test_malformed_pattern(pattern: str, words: str) -> None:
    exc = error(
        f"""\
        codes:
          - id: KE
            label: KE
            terms:
              - koordinerende enhet
              - {pattern}
        """
    )
    assert exc.line == 6
    assert exc.message.startswith("malformed pattern ")
    assert "in 'terms' of 'KE'" in exc.message
    assert words in exc.message


def test_malformed_exclude_pattern() -> None:
    exc = error(
        """\
        codes:
          - id: KE
            label: KE
            terms: [KE]
            exclude:
              - KE*M
        """
    )
    assert exc.line == 6
    assert "malformed pattern 'KE*M' in 'exclude' of 'KE'" in exc.message


@pytest.mark.parametrize("value", ["12", "yes", "3.5", "~", "[a, b]"])
def test_non_string_term(value: str) -> None:
    exc = error(
        f"""\
        codes:
          - id: KE
            label: KE
            terms:
              - KE
              - {value}
        """
    )
    assert exc.line == 6
    assert exc.message == "an entry of 'terms' of 'KE' must be text"


def test_child_id_not_prefixed_by_parent() -> None:
    exc = error(
        """\
        codes:
          - id: GRUPPER
            label: Grupper
            children:
              - id: ME
                label: ME
                terms: [ME]
        """
    )
    assert exc.line == 5
    assert exc.message == "child id 'ME' must be 'GRUPPER.<NAME>'"


def test_child_id_with_another_parent() -> None:
    exc = error(
        """\
        codes:
          - id: GRUPPER
            label: Grupper
            children:
              - id: KE.ME
                label: ME
                terms: [ME]
        """
    )
    assert exc.line == 5 and exc.message == "child id 'KE.ME' must be 'GRUPPER.<NAME>'"


def test_top_level_id_with_a_dot() -> None:
    exc = error(
        """\
        codes:
          - id: KE
            label: KE
            terms: [KE]
          - id: GRUPPER.ME
            label: ME
            terms: [ME]
        """
    )
    assert exc.line == 5
    assert exc.message == "top-level code id 'GRUPPER.ME' must not contain '.'"


def test_invalid_id() -> None:
    exc = error("codes:\n  - id: 1KE\n    label: KE\n    terms: [KE]\n")
    assert exc.line == 2 and exc.message == "invalid code id '1KE'"


@pytest.mark.parametrize("color", ["red", "'#12345'", "'#1234567'", "'#GGGGGG'", "'1F77B4'"])
def test_bad_color(color: str) -> None:
    exc = error(
        f"""\
        codes:
          - id: KE
            label: KE
            color: {color}
            terms: [KE]
        """
    )
    assert exc.line == 4
    assert exc.message.startswith("color '") and exc.message.endswith("' of 'KE' is not #RRGGBB")


def test_missing_label() -> None:
    exc = error("codes:\n  - id: KE\n    terms: [KE]\n")
    assert exc.line == 2 and exc.message == "code 'KE' has no label"


def test_missing_id() -> None:
    exc = error("codes:\n  - label: KE\n    terms: [KE]\n")
    assert exc.line == 2 and exc.message == "a code has no 'id'"


@pytest.mark.parametrize("text", ["", "\n\n", "# bare en kommentar\n"])
def test_empty_file(text: str) -> None:
    exc = error(text)
    assert exc.line is None
    assert exc.message == "codebook is empty"
    assert "codes" in exc.hint


def test_missing_codes() -> None:
    exc = error("name: Test\nversion: 1\n")
    assert exc.line == 1
    assert exc.message == "the codebook has no 'codes:' list"


def test_codes_empty_list() -> None:
    exc = error("name: Test\ncodes: []\n")
    assert exc.line == 2 and exc.message == "'codes' must be a non-empty list of codes"


def test_empty_children() -> None:
    exc = error("codes:\n  - id: G\n    label: G\n    children: []\n")
    assert exc.line == 4 and exc.message == "'children' of 'G' must be a non-empty list of codes"


def test_top_level_not_a_mapping() -> None:
    exc = error("- id: KE\n  label: KE\n")
    assert exc.line == 1 and exc.message == "the codebook must be a mapping of keys to values"


def test_inherit_headings_must_be_boolean() -> None:
    exc = error("inherit_headings: kanskje\n" + MINIMAL)
    assert exc.line == 1 and exc.message == "inherit_headings must be true or false"


# --- patterns ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "words"),
    [
        ("plan", (Word(PLAIN, "plan"),)),
        ("Individuell Plan", (Word(PLAIN, "individuell"), Word(PLAIN, "plan"))),
        ("KE", (Word(ACRONYM, "KE"),)),
        ("=slags", (Word(EXACT, "slags"),)),
        ("slag*", (Word(PREFIX, "slag"),)),
        ("*pasient", (Word(SUFFIX, "pasient"),)),
        ("*kompetanse*", (Word(INFIX, "kompetanse"),)),
        ("CFS/ME", (Word(ACRONYM, "CFS"), Word(ACRONYM, "ME"))),
        ("muskel/skjelett*", (Word(PLAIN, "muskel"), Word(PREFIX, "skjelett"))),
        ("e-melding", (Word(PLAIN, "e"), Word(PLAIN, "melding"))),
        ("el. melding", (Word(PLAIN, "el."), Word(PLAIN, "melding"))),
    ],
)
def test_parse_pattern(pattern: str, words: tuple[Word, ...]) -> None:
    assert parse_pattern(pattern) == words


@pytest.mark.parametrize("pattern", ["", "   ", "*", "**", "a*b", "=", "=x*", "*=x", "[abc]", "(IP)", "a|b", "-", 12])
def test_parse_pattern_rejects(pattern: object) -> None:
    with pytest.raises(PatternError):
        parse_pattern(pattern)  # type: ignore[arg-type]


# --- robustness (property tests) ------------------------------------------------------------


YAML_PIECES = [
    "codes:",
    "name:",
    "id:",
    "label:",
    "terms:",
    "exclude:",
    "children:",
    "color:",
    "inherit_headings:",
    "- ",
    "  ",
    "    ",
    "\n",
    "KE",
    "G.A",
    "ord",
    "*",
    "=",
    "[",
    "]",
    "{",
    "}",
    ":",
    "'",
    '"',
    "#",
    "&a ",
    "*a",
    "!!int ",
    "!x ",
    "yes",
    "12",
    "~",
    "? ",
    ",",
    "\t",
    "|",
    ">",
    "%",
    "@",
    "`",
    "#1F77B4",
    "<<: ",
]


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=200), st.lists(st.sampled_from(YAML_PIECES), max_size=60).map("".join)))
def test_parse_codebook_raises_only_dialogtool_error(text: str) -> None:
    try:
        book = parse_codebook(text, "fuzz.yaml")
    except DialogtoolError as exc:
        assert exc.path == "fuzz.yaml"
        assert exc.message
    else:
        assert isinstance(book, Codebook) and book.codes


_CODE_KEYS = st.sampled_from(["id", "label", "terms", "exclude", "children", "color", "description", "x"])
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=10),
    st.sampled_from(["KE", "G.A", "*x", "=y", "a*b", "#AABBCC", "ord", "slag*"]),
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_CODE_KEYS, inner, max_size=6)),
    max_leaves=12,
)


@settings(max_examples=120, deadline=None)
@given(st.lists(st.dictionaries(_CODE_KEYS, _VALUES, max_size=7), max_size=4), st.booleans())
def test_structured_random_codebooks_raise_only_dialogtool_error(codes: list[dict], inherit: bool) -> None:
    import yaml

    text = yaml.safe_dump({"inherit_headings": inherit, "codes": codes}, allow_unicode=True)
    try:
        book = parse_codebook(text, "fuzz.yaml")
    except DialogtoolError as exc:
        assert exc.path == "fuzz.yaml"
    else:
        assert book.inherit_headings is inherit
        assert len(book.codes) >= len(codes)


@settings(max_examples=500, deadline=None)
@given(
    st.one_of(
        st.text(max_size=40),
        st.lists(
            st.sampled_from(["*", "=", "-", "/", "–", " ", "a", "KE", "æ", ".", "'", "(", "\n", "_", "1"]), max_size=12
        ).map("".join),
    )
)
def test_parse_pattern_raises_only_pattern_error(pattern: str) -> None:
    try:
        words = parse_pattern(pattern)
    except PatternError as exc:
        assert str(exc)
    else:
        assert words and all(w.text for w in words)


# --- topics and version (issue 12) -------------------------------------------------------


def test_topics_and_version_are_read() -> None:
    book = parse_codebook(
        MINIMAL + "version: 2.1\ntopics:\n  Kompetanse: [kompetanse, Kompetanseheving]\n  Tiltak: []\n", "kb.yaml"
    )
    assert book.version == "2.1"
    assert book.topics == {"Kompetanse": ("kompetanse", "Kompetanseheving"), "Tiltak": ()}
    assert parse_codebook(MINIMAL, "kb.yaml").topics == {} and parse_codebook(MINIMAL, "kb.yaml").version is None


def test_topic_variant_under_two_names_has_its_line() -> None:
    exc = error(MINIMAL + "topics:\n  Kompetanse: [kompetanse]\n  Opplæring: [Kompetanse]\n")
    assert exc.line == MINIMAL.count("\n") + 3
    assert exc.message == "topic variant 'Kompetanse' is listed under 'Kompetanse' and 'Opplæring'"


def test_topics_must_be_a_mapping() -> None:
    exc = error(MINIMAL + "topics: [Kompetanse]\n")
    assert "'topics' must map" in exc.message
