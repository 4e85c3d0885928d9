"""List labels as a word processor shows them: «1)», «a.», «iii.», «2.1.», or a bullet.

A Word or OpenDocument file does not store the numbers of an automatic list, only the
rule that makes them (numbering.xml, or an .odt list style), so a reader that takes the
paragraph text alone loses them: «pkt. 3» in a note then points at nothing. `Counters`
replays the rule paragraph by paragraph. The formats and templates are handed in by the
reader of each file type; this module knows neither XML dialect.
"""

from __future__ import annotations

from dataclasses import dataclass, field

BULLET_LABEL = "•"
_ROMAN: tuple[tuple[int, str], ...] = (
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
)


@dataclass(frozen=True)
class Level:
    """One level of a list style: the number format, the label template, the first number.

    `template` holds %1 … %9 for the counters of levels 1 … 9 (Word's `lvlText`, e.g.
    "%1)" or "%1.%2."); `fmt` is Word's `numFmt` name (decimal, lowerLetter, upperLetter,
    lowerRoman, upperRoman, bullet, none, decimalZero), which the .odt reader maps to.
    """

    fmt: str
    template: str
    start: int = 1


@dataclass
class Counters:
    """The running numbers of each list, advanced one paragraph at a time.

    A list is keyed by what the file says continues it (Word: the abstract numbering, so two
    list instances of one definition count on; .odt: the list id). Using level n counts it on
    and restarts every deeper level, as both Word and LibreOffice do.
    """

    _values: dict[object, dict[int, int]] = field(default_factory=dict)

    def restart(self, key: object, level: int, start: int) -> None:
        """Set a level's next number (Word's startOverride, an .odt start-value)."""
        self._values.setdefault(key, {})[level] = start - 1

    def label(self, key: object, level: int, levels: dict[int, Level]) -> str:
        """The label of the next item at `level` of list `key`; "" when the level shows none."""
        values = self._values.setdefault(key, {})
        spec = levels.get(level) or Level("decimal", f"%{level + 1}.")
        if spec.fmt == "bullet":
            return BULLET_LABEL
        values[level] = values.get(level, spec.start - 1) + 1
        for deeper in [lv for lv in values if lv > level]:
            del values[deeper]
        return render(spec.template, values, levels)


def render(template: str, values: dict[int, int], levels: dict[int, Level]) -> str:
    """Fill %1 … %9 in a template with the counters of those levels in their formats."""
    out = []
    i = 0
    while i < len(template):
        char = template[i]
        if char == "%" and i + 1 < len(template) and template[i + 1].isdigit():
            level = int(template[i + 1]) - 1
            spec = levels.get(level) or Level("decimal", "")
            value = values.get(level, spec.start)
            out.append(format_number(value, spec.fmt))
            i += 2
            continue
        out.append(char)
        i += 1
    return "".join(out).strip()


def format_number(value: int, fmt: str) -> str:
    """A counter in one of Word's number formats; formats we do not know are shown as digits."""
    if fmt == "none":
        return ""
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt in ("lowerLetter", "upperLetter"):
        letters = _letters(value)
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(value)
        return roman.upper() if fmt == "upperRoman" else roman
    return str(value)


def _letters(value: int) -> str:
    """Word's letter numbering: a … z, then aa … zz, bbb (the letter repeated, not base 26)."""
    if value < 1:
        return str(value)
    return chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)


def _roman(value: int) -> str:
    if value < 1:
        return str(value)
    out = []
    for number, numeral in _ROMAN:
        while value >= number:
            out.append(numeral)
            value -= number
    return "".join(out)
