"""Theme tables checked against counts made here from the YAML files directly."""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

import pytest
import yaml

from dialogtool.corpus import load_codes, load_folder, segments_of
from dialogtool.errors import DialogtoolError
from dialogtool.pipeline import code_paths
from dialogtool.tables import MISSING, TOTAL, theme_table


@pytest.fixture
def coded(raw_copy: Path, tmp_path: Path, codebook) -> Path:
    out = tmp_path / "coded"
    code_paths([raw_copy], codebook, out)
    # one reviewer edit, so the table must use auto + add - remove
    path = out / "narvik_bord5.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["segments"][-1]["review"] = {"add": ["KE"], "remove": list(doc["segments"][-1]["codes"])}
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out


def _independent_counts(folder: Path, by: str, per_document: bool) -> tuple[Counter, Counter]:
    """(theme, column) -> count and column -> N, straight from the files."""
    cells: dict[tuple[str, str], set] = defaultdict(set)
    units: dict[str, set] = defaultdict(set)
    for path in sorted(folder.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        value = doc["document"] if by == "document" else doc["meta"].get(by)
        column = MISSING if value is None else str(value)
        for seg in doc["segments"]:
            review = seg.get("review") or {}
            codes = (set(seg["codes"]) | set(review.get("add", []))) - set(review.get("remove", []))
            unit = doc["document"] if per_document else (doc["document"], seg["id"])
            units[column].add(unit)
            for theme in {c.split(".")[0] for c in codes}:
                cells[(theme, column)].add(unit)
    return Counter({k: len(v) for k, v in cells.items()}), Counter({k: len(v) for k, v in units.items()})


@pytest.mark.parametrize("by", ["meeting", "language", "table", "document"])
@pytest.mark.parametrize("count", ["segments", "documents"])
def test_counts_match_independent_tally(coded: Path, codebook, by: str, count: str) -> None:
    table = theme_table(load_codes(coded), codebook, by=by, count=count)
    expected, n = _independent_counts(coded, by, count == "documents")
    labels = {c.id: c.label for c in codebook.top_level}
    columns = [c for c in table.counts.columns if c != TOTAL]
    assert sorted(columns) == sorted(n)
    for theme, label in labels.items():
        for column in columns:
            assert table.counts.at[label, column] == expected[(theme, column)], (theme, column)
        row_total = sum(expected[(theme, c)] for c in columns)
        assert table.counts.at[label, TOTAL] == row_total
    n_row = table.counts.index[-1]
    for column in columns:
        assert table.counts.at[n_row, column] == n[column]
        for theme, label in labels.items():
            assert table.percents.at[label, column] == pytest.approx(
                round(100 * expected[(theme, column)] / n[column], 1)
            )
    assert table.counts.at[n_row, TOTAL] == sum(n.values())


def test_reviewer_edit_changes_the_table(coded: Path, codebook) -> None:
    table = theme_table(load_codes(coded), codebook, by="meeting")
    ke = codebook.label("KE")
    assert table.counts.at[ke, "Narvik"] == 1  # the review added KE to one segment


def test_children_roll_up_to_their_theme(coded: Path, codebook) -> None:
    segments = segments_of(load_folder(coded))
    children = [s for s in segments if any(c.startswith("GRUPPER.") for c in s.codes)]
    assert children, "the sample corpus mentions patient groups"
    table = theme_table(load_codes(coded), codebook, by="language")
    assert codebook.label("GRUPPER.ME") not in table.counts.index
    grupper = sum(1 for s in segments if any(c.split(".")[0] == "GRUPPER" for c in s.codes))
    assert table.counts.at[codebook.label("GRUPPER"), TOTAL] == grupper


def test_unknown_field_is_a_user_error(coded: Path, codebook) -> None:
    with pytest.raises(DialogtoolError, match="no metadata field 'colour'"):
        theme_table(load_codes(coded), codebook, by="colour")
    with pytest.raises(DialogtoolError, match="--count"):
        theme_table(load_codes(coded), codebook, count="words")


def test_indexes_follow_edits_and_removals(coded: Path, codebook) -> None:
    """The cached indexes never serve a stale coding: edits and deletions show at once."""
    first = {d.document: d for d in load_codes(coded)}
    assert (coded / ".dialogtool-codes.json").exists()
    path = coded / "bodo_2018-10-12_bord2.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["segments"][0]["review"] = {"add": ["GRUPPER.ME"], "remove": []}
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False) + "# edited\n", encoding="utf-8")
    (coded / "tromso_bord1_ke.yaml").unlink()
    second = {d.document: d for d in load_codes(coded)}
    assert "tromso_bord1_ke" in first and "tromso_bord1_ke" not in second
    assert "GRUPPER.ME" in second["bodo_2018-10-12_bord2"].codes[0]
    assert "GRUPPER.ME" not in first["bodo_2018-10-12_bord2"].codes[0]
    full = {d["document"]: d for d in load_folder(coded)}
    assert full["bodo_2018-10-12_bord2"]["segments"][0]["review"].add == ["GRUPPER.ME"]
    (coded / ".dialogtool-codes.json").write_text("{not json", encoding="utf-8")  # a damaged index is rebuilt
    assert {d.document for d in load_codes(coded)} == set(second)
