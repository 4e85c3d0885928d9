"""Scoring against reference codings: hand-computed figures and the shared gold set."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dialogtool.analysis.evaluate import evaluate
from dialogtool.coded.note import CodedNote, CodedSegment, Review
from dialogtool.coding.codebook import parse_codebook
from dialogtool.errors import DialogtoolError

BOOK = parse_codebook(
    """
codes:
  - {id: KE, label: KE, terms: [KE]}
  - {id: IP, label: IP, terms: [IP]}
  - id: GRUPPER
    label: Grupper
    terms: [kols]
    children:
      - {id: GRUPPER.ME, label: ME, terms: [ME]}
"""
)


def _doc(segments: list[tuple[str, list[str]]], review: Review | None = None) -> CodedNote:
    """A coded note; `review` goes on its first segment."""
    return CodedNote(
        document="note",
        source="raw/note.txt",
        segments=tuple(
            CodedSegment(f"s{i}", t, codes=tuple(c), review=review if i == 0 else None)
            for i, (t, c) in enumerate(segments)
        ),
    )


def _gold(tmp_path: Path, units: list[dict]) -> Path:
    folder = tmp_path / "gold"
    folder.mkdir()
    (folder / "note.yaml").write_text(yaml.safe_dump({"document": "note.txt", "units": units}), encoding="utf-8")
    return folder


def test_hand_computed_scores(tmp_path: Path) -> None:
    doc = _doc(
        [
            ("• Første punkt om KE.", ["KE"]),  # TP KE
            ("Andre punkt om gjennom-føring.", ["KE", "IP"]),  # TP IP, FP KE
            ("Tredje punkt.", []),  # FN IP
            ("Fjerde om ME-pasienter.", ["GRUPPER.ME"]),  # maybe GRUPPER: skipped
            ("Femte.", ["IP"]),  # FP IP
        ]
    )
    gold = _gold(
        tmp_path,
        [
            {"text": "Første  punkt om KE.", "codes": ["KE"], "maybe": []},
            {"text": "Andre punkt om gjennomføring.", "codes": ["IP"], "maybe": []},
            {"text": "Tredje punkt.", "codes": ["IP"], "maybe": []},
            {"text": "Fjerde om ME-pasienter.", "codes": [], "maybe": ["GRUPPER"]},
            {"text": "Femte.", "codes": [], "maybe": []},
        ],
    )
    result = evaluate(gold, [doc], BOOK)
    ke, ip, grupper = result.themes["KE"], result.themes["IP"], result.themes["GRUPPER"]
    assert (ke.tp, ke.fp, ke.fn) == (1, 1, 0)
    assert (ip.tp, ip.fp, ip.fn) == (1, 1, 1)
    assert (grupper.tp, grupper.fp, grupper.fn) == (0, 0, 0) and grupper.f1 is None
    assert ke.precision == pytest.approx(0.5) and ke.recall == pytest.approx(1.0) and ke.f1 == pytest.approx(2 / 3)
    assert ip.f1 == pytest.approx(0.5)
    assert (result.micro.tp, result.micro.fp, result.micro.fn) == (2, 2, 1)
    assert result.micro.f1 == pytest.approx(4 / 7)
    assert result.macro_f1 == pytest.approx((2 / 3 + 0.5) / 2)
    kinds = sorted((m.kind, m.theme, m.text) for m in result.errors)
    assert kinds == [
        ("false hit", "IP", "Femte."),
        ("false hit", "KE", "Andre punkt om gjennomføring."),
        ("miss", "IP", "Tredje punkt."),
    ]
    assert result.units == 5 and result.unlocated == []


def test_unit_spanning_segments_takes_their_union(tmp_path: Path) -> None:
    doc = _doc([("Bakgrunn", []), ("Om KE her.", ["KE"]), ("Og IP der.", ["IP"])])
    gold = _gold(tmp_path, [{"text": "Bakgrunn Om KE her. Og IP der.", "codes": ["KE", "IP"], "maybe": []}])
    result = evaluate(gold, [doc], BOOK)
    assert result.micro.tp == 2 and result.micro.fp == 0 and result.micro.fn == 0


def test_reviewed_codes_are_scored(tmp_path: Path) -> None:
    doc = _doc([("Et punkt.", ["KE"])], Review(add=("IP",), remove=("KE",)))
    gold = _gold(tmp_path, [{"text": "Et punkt.", "codes": ["IP"], "maybe": []}])
    result = evaluate(gold, [doc], BOOK)
    assert (result.micro.tp, result.micro.fp, result.micro.fn) == (1, 0, 0)


def test_unfound_unit_and_missing_document_are_reported(tmp_path: Path) -> None:
    gold = _gold(tmp_path, [{"text": "Finnes ikke.", "codes": ["KE"], "maybe": []}])
    result = evaluate(gold, [_doc([("Noe annet.", [])])], BOOK)
    assert result.unlocated == [("note.txt", "Finnes ikke.")]
    (gold / "other.yaml").write_text(yaml.safe_dump({"document": "other.txt", "units": []}), encoding="utf-8")
    other = evaluate(gold, [_doc([("Noe annet.", [])])], BOOK)
    assert other.missing_documents == ["other.txt"]


def test_no_coded_note_for_any_reference_is_an_error(tmp_path: Path) -> None:
    """Scoring nothing is not a result: n/a over 0 units used to exit 0 (issue 12)."""
    gold = _gold(tmp_path, [{"text": "Et punkt.", "codes": ["KE"], "maybe": []}])
    with pytest.raises(DialogtoolError, match="none of the 1 reference coding"):
        evaluate(gold, [CodedNote(document="x", source="x.txt", segments=())], BOOK)


def test_shared_gold_reaches_the_target(shared: Path, tmp_path: Path, codebook) -> None:
    """Done-when of issue 2: micro-F1 >= 0.85, no theme with gold positives below 0.75."""
    from dialogtool.coded.folder import load_folder
    from dialogtool.coding.run import code_paths

    summary = code_paths([shared / "corpus"], codebook, tmp_path / "coded")
    assert summary.problems == []
    result = evaluate(shared / "eval" / "gold", load_folder(tmp_path / "coded"), codebook)
    assert result.unlocated == [] and result.missing_documents == []
    assert result.micro.f1 >= 0.85
    for theme, score in result.themes.items():
        if score.tp + score.fn:
            assert score.f1 >= 0.75, theme
        else:
            assert score.fp == 0, f"{theme} has no gold positives but {score.fp} false hits"


# Figures reached on the sets the coder was not tuned on (README, "Evaluation"). A change to the
# codebook, the matcher or a context rule that loses ground on either fails here. Raise the
# floors when the figures rise; lower one only for a change that gains more elsewhere on these
# sets, and say so in the commit message.
BLIND_FLOORS = {
    "gold-sample": {"micro": 0.97, "KE": 1.00, "IP": 1.00, "INFO": 0.94, "KOMP": 1.00, "GRUPPER": 0.95},
    "blind2": {"micro": 0.84, "KE": 0.86, "IP": 0.84, "INFO": 0.77, "KOMP": 0.83, "GRUPPER": 0.89},
    "blind3": {"micro": 0.93, "KE": 0.88, "IP": 0.98, "INFO": 0.91, "KOMP": 0.88, "GRUPPER": 1.00},
    "blind4": {"micro": 0.89, "KE": 0.84, "IP": 0.88, "INFO": 0.91, "KOMP": 0.87, "GRUPPER": 0.92},
    "blind5": {"micro": 0.94, "KE": 0.96, "IP": 0.92, "INFO": 0.93, "KOMP": 0.95, "GRUPPER": 0.93},
    "blind6": {"micro": 0.88, "KE": 0.80, "IP": 0.79, "INFO": 0.88, "KOMP": 0.92, "GRUPPER": 0.91},
    "blind7": {"micro": 0.91, "KE": 0.92, "IP": 0.91, "INFO": 0.88, "KOMP": 0.90, "GRUPPER": 0.95},
    "blind8": {"micro": 0.90, "KE": 0.90, "IP": 0.87, "INFO": 0.87, "KOMP": 0.95, "GRUPPER": 0.92},
    "blind9": {"micro": 0.89, "KE": 0.74, "IP": 0.92, "INFO": 0.86, "KOMP": 0.93, "GRUPPER": 0.94},
    "blind10": {"micro": 0.90, "KE": 0.90, "IP": 0.83, "INFO": 0.88, "KOMP": 0.94, "GRUPPER": 0.93},
    "blind11": {"micro": 0.92, "KE": 0.92, "IP": 0.91, "INFO": 0.91, "KOMP": 0.94, "GRUPPER": 0.90},
    "blind12": {"micro": 0.91, "KE": 0.95, "IP": 0.94, "INFO": 0.88, "KOMP": 0.88, "GRUPPER": 0.93},
    "dev3": {"micro": 0.94, "KE": 1.00, "IP": 0.91, "INFO": 0.91, "KOMP": 0.94, "GRUPPER": 0.94},
    "dev4": {"micro": 0.95, "KE": 0.98, "IP": 0.96, "INFO": 0.94, "KOMP": 0.93, "GRUPPER": 0.95},
    "dev5": {"micro": 0.97, "KE": 1.00, "IP": 0.95, "INFO": 0.96, "KOMP": 0.98, "GRUPPER": 0.99},
    "dev6": {"micro": 0.95, "KE": 0.86, "IP": 0.97, "INFO": 0.95, "KOMP": 0.95, "GRUPPER": 0.98},
    "dev7": {"micro": 0.94, "KE": 0.91, "IP": 0.93, "INFO": 0.90, "KOMP": 0.96, "GRUPPER": 1.00},
    "dev8": {"micro": 0.94, "KE": 0.96, "IP": 0.92, "INFO": 0.94, "KOMP": 0.94, "GRUPPER": 0.97},
    "dev9": {"micro": 0.96, "KE": 0.96, "IP": 0.90, "INFO": 0.93, "KOMP": 1.00, "GRUPPER": 1.00},
    "dev10": {"micro": 0.92, "KE": 0.87, "IP": 0.95, "INFO": 0.87, "KOMP": 0.90, "GRUPPER": 0.98},
    "dev11": {"micro": 0.92, "KE": 0.93, "IP": 0.96, "INFO": 0.86, "KOMP": 0.95, "GRUPPER": 0.91},
    "blind13": {"micro": 0.83, "KE": 0.80, "IP": 0.86, "INFO": 0.83, "KOMP": 0.84, "GRUPPER": 0.82},
    "dev13": {"micro": 0.91, "KE": 0.85, "IP": 0.87, "INFO": 0.88, "KOMP": 0.97, "GRUPPER": 0.96},
    "blind14": {"micro": 0.91, "KE": 0.96, "IP": 0.86, "INFO": 0.88, "KOMP": 0.93, "GRUPPER": 0.96},
    "dev14": {"micro": 0.93, "KE": 0.97, "IP": 0.90, "INFO": 0.90, "KOMP": 0.93, "GRUPPER": 0.97},
    "blind15": {"micro": 0.94, "KE": 1.00, "IP": 0.97, "INFO": 0.92, "KOMP": 0.92, "GRUPPER": 0.95},
    "dev15": {"micro": 0.95, "KE": 0.94, "IP": 0.92, "INFO": 0.94, "KOMP": 0.97, "GRUPPER": 0.97},
    "blind16": {"micro": 0.89, "KE": 0.78, "IP": 0.84, "INFO": 0.88, "KOMP": 0.92, "GRUPPER": 0.95},
    "dev16": {"micro": 0.94, "KE": 0.98, "IP": 0.88, "INFO": 0.93, "KOMP": 0.97, "GRUPPER": 0.95},
    "dev12": {"micro": 0.96, "KE": 1.00, "IP": 0.97, "INFO": 0.92, "KOMP": 1.00, "GRUPPER": 0.95},
}


def _scored(raw: Path, gold: Path, tmp_path: Path, codebook):
    from dialogtool.coded.folder import load_folder
    from dialogtool.coding.run import code_paths

    summary = code_paths([raw], codebook, tmp_path / "coded", jobs=1)
    assert summary.problems == []
    return evaluate(gold, load_folder(tmp_path / "coded"), codebook)


def test_blind_sample_gold_stays_above_its_floor(raw_copy: Path, tmp_path: Path, codebook) -> None:
    """tests/data/gold-sample was coded from the coding guide by someone who had not seen the
    codebook (see its README): the coder's figures on notes it was not designed on."""
    result = _scored(raw_copy, Path(__file__).parent / "data" / "gold-sample", tmp_path, codebook)
    assert result.unlocated == [] and result.missing_documents == [] and result.units == 238
    _above(result, BLIND_FLOORS["gold-sample"])


# Invented sets (each README says how it was made): units scored, and reference units that are
# not units of ours (page footers the ingestion drops).
SETS = {
    "blind2": (282, 2),
    "blind3": (240, 0),
    "blind4": (290, 1),
    "blind5": (302, 0),
    "blind6": (331, 0),
    "blind7": (277, 0),
    "blind8": (290, 3),
    "blind9": (300, 0),
    "blind10": (331, 0),
    "dev3": (318, 0),
    "dev4": (304, 1),
    "dev5": (319, 0),
    "dev6": (334, 0),
    "dev7": (267, 0),
    "dev8": (272, 3),
    "dev9": (303, 0),
    "dev10": (337, 0),
    "blind11": (348, 0),
    "dev11": (360, 0),
    "blind12": (306, 0),
    "dev12": (308, 0),
    "blind13": (351, 0),
    "dev13": (355, 0),
    "blind14": (358, 0),
    "dev14": (345, 0),
    "blind15": (366, 0),
    "dev15": (362, 0),
    "blind16": (349, 0),
    "dev16": (351, 0),
}


@pytest.mark.parametrize("name", sorted(SETS))
def test_invented_set_stays_above_its_floor(name: str, tmp_path: Path, codebook) -> None:
    """tests/data/blind*: written and coded by helpers that never saw the codebook, and never
    read by anyone changing the coding — the honest yardsticks. tests/data/dev*: made the same
    way, then read for error analysis — floors against regressions, not measures of quality."""
    folder = Path(__file__).parent / "data" / name
    units, footers = SETS[name]
    result = _scored(folder / "raw", folder / "gold", tmp_path, codebook)
    assert result.missing_documents == [] and result.units == units and len(result.unlocated) == footers
    _above(result, BLIND_FLOORS[name])


def _above(result, floors: dict[str, float]) -> None:
    reached = {"micro": result.micro.f1, **{theme: score.f1 for theme, score in result.themes.items()}}
    below = {name: round(reached[name], 3) for name, floor in floors.items() if reached[name] < floor}
    assert not below, f"below the floor: {below} (floors {floors})"
