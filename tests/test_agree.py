"""Agreement statistics against published worked examples and independent formulas, and
`agree` on two codings through the library and the command line."""

from __future__ import annotations

import itertools
import math
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from dialogtool.analysis.agree import Table, agreement, cohen_kappa, coincidences, krippendorff_alpha
from dialogtool.analysis.codings import Coding, load_coding
from dialogtool.cli import app
from dialogtool.coded.note import SegmentRow
from dialogtool.errors import DialogtoolError

ROOT = Path(__file__).resolve().parents[1]


def binary_units(table: Table) -> list[tuple[int, int]]:
    """The units behind a 2×2 table, as (coder A, coder B) values."""
    return [(1, 1)] * table.both + [(1, 0)] * table.a_only + [(0, 1)] * table.b_only + [(0, 0)] * table.neither


def alpha_by_pairs(units: list[tuple[int, ...]]) -> float | None:
    """Nominal alpha as 1 - Do/De, counting pairs directly instead of through the coincidence
    matrix: Do is the share of disagreeing pairs of values within units, De the share of
    disagreeing pairs among all pairable values (Krippendorff 2011, eqs. for nominal data,
    written out for complete two-coder data)."""
    values = [v for unit in units for v in unit]
    n = len(values)
    within = sum(1 for unit in units for i, j in itertools.permutations(range(len(unit)), 2) if unit[i] != unit[j])
    observed = within / n  # each unit has m=2 values: pairs weighted 1/(m-1) = 1
    expected = sum(1 for i, j in itertools.permutations(range(n), 2) if values[i] != values[j]) / (n * (n - 1))
    return None if expected == 0 else 1 - observed / expected


def kappa_two_by_two(table: Table) -> float:
    """Cohen's kappa from the 2×2 cells by the closed form 2(ad - bc) / ((a+b)(b+d) + (a+c)(c+d))."""
    a, b, c, d = table.both, table.a_only, table.b_only, table.neither
    return 2 * (a * d - b * c) / ((a + b) * (b + d) + (a + c) * (c + d))


def test_alpha_binary_two_coders_published_example() -> None:
    """Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. Annenberg School
    for Communication, University of Pennsylvania, https://repository.upenn.edu/asc_papers/43,
    section A, "Binary or dichotomous data, two observers, no missing data": ten units coded
    by two observers; coincidences o00 = 10, o01 = o10 = 4, o11 = 2; alpha = 0.095."""
    mary = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    dave = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    units = list(zip(mary, dave, strict=True))
    matrix = coincidences(units)
    assert matrix == {(0, 0): 10, (0, 1): 4, (1, 0): 4, (1, 1): 2}
    assert round(krippendorff_alpha(units), 3) == 0.095
    table = Table(both=1, a_only=1, b_only=3, neither=5)
    assert sorted(binary_units(table)) == sorted(units)
    assert table.alpha == pytest.approx(1 - 19 * 4 / (14 * 6))  # 1 - (n-1) o01 / (n0 n1), the paper's formula
    assert table.percent == pytest.approx(60.0)


def test_alpha_nominal_four_coders_missing_data_published_example() -> None:
    """Krippendorff (2011), section C, "Nominal data, any number of observers, missing data":
    four observers, twelve units, alpha = 0.743 (also the doctest of the `krippendorff` package)."""
    data = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
        [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
    ]
    units = list(zip(*data, strict=True))
    assert round(krippendorff_alpha(units), 3) == 0.743


def test_kappa_published_example() -> None:
    """Wikipedia, "Cohen's kappa", section "Simple example" (50 grant proposals read by two
    readers: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no): po = 0.7, pe = 0.5, kappa = 0.4."""
    table = Table(both=20, a_only=5, b_only=10, neither=15)
    assert table.kappa == pytest.approx(0.4)
    assert kappa_two_by_two(table) == pytest.approx(0.4)
    assert table.percent == pytest.approx(70.0)


@given(st.integers(0, 12), st.integers(0, 12), st.integers(0, 12), st.integers(0, 12))
def test_kappa_and_alpha_match_independent_formulas(both: int, a_only: int, b_only: int, neither: int) -> None:
    table = Table(both, a_only, b_only, neither)
    units = binary_units(table)
    expected_alpha = alpha_by_pairs(units) if units else None
    if expected_alpha is None:
        assert table.alpha is None
    else:
        assert table.alpha == pytest.approx(expected_alpha)
        assert krippendorff_alpha(units) == pytest.approx(expected_alpha)
    denominator = (a_only + both) * (a_only + neither) + (both + b_only) * (b_only + neither)
    if denominator == 0:
        assert table.kappa is None
    else:
        assert table.kappa == pytest.approx(kappa_two_by_two(table))


def test_undefined_without_variation() -> None:
    never = Table(neither=30)
    assert never.percent == 100.0
    assert never.kappa is None and never.alpha is None
    assert Table().percent is None and cohen_kappa(Table()) is None


def seg(document: str, text: str, *codes: str) -> SegmentRow:
    return SegmentRow(document, "s" + str(abs(hash(text)) % 10**8), text, codes)


def test_agreement_over_aligned_segments(codebook) -> None:
    a_n1 = [seg("n1", "Om KE.", "KE"), seg("n1", "Om IP.", "IP", "GRUPPER.ME"), seg("n1", "Bare her.", "KE")]
    a = Coding("A", {"n1": a_n1, "n2": [seg("n2", "Alene.", "INFO")]})
    b = Coding("B", {"n1": [seg("n1", "Om IP.", "IP"), seg("n1", "Om KE.", "KE", "INFO"), seg("n1", "Ny tekst.")]})
    report = agreement(a, b, codebook)
    assert report.segments == 2 and report.documents == 1
    assert (report.only_a, report.only_b, report.notes_only_a) == (1, 1, ("n2",))
    tables = dict(report.themes)
    assert list(tables) == ["KE", "IP", "INFO", "KOMP", "GRUPPER"]
    assert tables["KE"] == Table(both=1, neither=1)
    assert tables["INFO"] == Table(b_only=1, neither=1)
    assert tables["GRUPPER"] == Table(a_only=1, neither=1)
    assert report.overall == Table(both=2, a_only=1, b_only=1, neither=6)
    assert [(d.theme, d.coder) for d in report.disagreements] == [("INFO", "B"), ("GRUPPER", "A")]
    level2 = dict(agreement(a, b, codebook, level=2).themes)
    assert level2["GRUPPER.ME"] == Table(a_only=1, neither=1)
    with pytest.raises(DialogtoolError, match="--level"):
        agreement(a, b, codebook, level=3)


@pytest.fixture(scope="module")
def two_coders(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The sample coding, and a copy where a reviewer removed KE from one segment and added it to another."""
    from dialogtool.coding.codebook import load_codebook
    from dialogtool.coding.run import code_paths

    base = tmp_path_factory.mktemp("agree")
    first = base / "first"
    code_paths([ROOT / "data" / "raw"], load_codebook(ROOT / "codebook.yaml"), first)
    second = base / "second"
    shutil.copytree(first, second)
    path = second / "tromso_bord1_ke.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    with_ke = next(s for s in doc["segments"] if "KE" in s["codes"])
    without = next(s for s in doc["segments"] if not s["codes"] and s.get("kind") != "heading")
    with_ke["review"] = {"add": [], "remove": ["KE"], "note": "ikke KE"}
    without["review"] = {"add": ["KE"], "remove": []}
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return first, second


def test_agree_cli_on_folders(two_coders: tuple[Path, Path], codebook) -> None:
    first, second = two_coders
    runner = CliRunner()
    result = runner.invoke(app, ["agree", str(first), str(second), "-c", str(ROOT / "codebook.yaml"), "-d"])
    assert result.exit_code == 0, result.output
    report = agreement(load_coding(str(first), first), load_coding(str(second), first), codebook)
    ke = dict(report.themes)["KE"]
    assert (ke.a_only, ke.b_only) == (1, 1)
    assert f"{ke.kappa:.3f}" in result.stdout and f"{ke.alpha:.3f}" in result.stdout
    assert "Overall (pooled)" in result.stdout and "Disagreements" in result.stdout
    assert f"{report.segments} segment(s) in 8 note(s)" in result.stdout
    assert math.isclose(report.overall.units, report.segments * 5)
    bad = runner.invoke(app, ["agree", str(first), "no-such-thing", "--coded", str(first)])
    assert bad.exit_code == 2 and "Error:" in bad.output and "Traceback" not in bad.output


_CODED_UNITS = st.integers(2, 4).flatmap(
    lambda coders: st.lists(
        st.lists(st.one_of(st.none(), st.integers(0, 3)), min_size=coders, max_size=coders), min_size=2, max_size=30
    )
)


@given(_CODED_UNITS)
def test_alpha_matches_the_krippendorff_package(units: list[list[int | None]]) -> None:
    """Against an established implementation (the `krippendorff` package on PyPI, which also
    reproduces both worked examples above): random nominal data, 2-4 coders, missing values."""
    import numpy as np

    krippendorff = pytest.importorskip("krippendorff")
    ours = krippendorff_alpha([tuple(u) for u in units])
    pairable = [v for unit in units if sum(x is not None for x in unit) >= 2 for v in unit if v is not None]
    if len(set(pairable)) < 2:  # nothing to disagree on: alpha is undefined
        assert ours is None
        return
    data = np.array([[np.nan if v is None else v for v in unit] for unit in units], dtype=float).T
    theirs = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    assert ours == pytest.approx(theirs)


def test_agree_between_two_reviewers_compares_only_what_both_reviewed(sample: Path, tmp_path: Path, codebook) -> None:
    """Kari and Ola review the same note in their own copies; `--reviewed` compares their judgements."""
    kari, ola = tmp_path / "kari", tmp_path / "ola"
    for folder in (kari, ola):
        shutil.copytree(sample, folder, ignore=shutil.ignore_patterns(".dialogtool"))
    name = "tromso_bord1_ke.yaml"
    doc = yaml.safe_load((kari / name).read_text(encoding="utf-8"))
    texts = [i for i, s in enumerate(doc["segments"]) if s.get("kind") != "heading"][:4]
    ke = ["KE" in doc["segments"][i]["codes"] for i in texts]
    # Kari: KE on for segments 0-2 (and a review on 3); Ola: KE on for 0, off for 1-2; nothing on 3.
    decisions = {
        kari: [True, True, True, None],
        ola: [True, False, False, "none"],
    }
    for folder, wanted in decisions.items():
        data = yaml.safe_load((folder / name).read_text(encoding="utf-8"))
        for index, has_ke, want in zip(texts, ke, wanted, strict=True):
            if want == "none":
                continue
            add = ["KE"] if want and not has_ke else []
            remove = ["KE"] if not want and has_ke else []
            data["segments"][index]["review"] = {"add": add, "remove": remove, "by": folder.name}
        (folder / name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    report = agreement(load_coding(str(kari), kari), load_coding(str(ola), kari), codebook, reviewed=True)
    assert report.segments == 3 and report.a.endswith("(by kari)") and report.b.endswith("(by ola)")
    all_pairs = agreement(load_coding(str(kari), kari), load_coding(str(ola), kari), codebook)
    assert report.not_reviewed == all_pairs.segments - 3
    table = dict(report.themes)["KE"]
    assert (table.both, table.a_only, table.b_only, table.neither) == (1, 2, 0, 0)
    result = CliRunner().invoke(app, ["agree", str(kari), str(ola), "-c", str(ROOT / "codebook.yaml"), "--reviewed"])
    assert result.exit_code == 0, result.output
    assert "(by kari)" in result.stdout and "(by ola)" in result.stdout
    assert f"{report.not_reviewed} shared segment(s) not reviewed on both sides" in result.stderr
