"""PNG charts for the report, sized for an A4 page and readable in Word.

matplotlib is imported only here, and with the non-interactive Agg backend, so the
other commands start fast and nothing needs a display.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, BinaryIO

import pandas as pd

from ..files import write_with
from .numbers import number

# A4 text width (16 cm) at 200 dpi; DejaVu Sans (shipped with matplotlib) has æøå.
WIDTH_IN = 6.3
DPI = 200


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.family": "DejaVu Sans", "font.size": 9, "svg.hashsalt": "dialogtool"})
    return plt


def _save(figure: Any, path: Path) -> None:
    def save(buffer: BinaryIO) -> None:
        figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None}, bbox_inches=None)

    write_with(path, save)


def _title(figure: Any, title: str | None) -> None:
    """Over the whole figure, not the axes: long labels push the axes right, and a title
    anchored there runs off the page. None for a chart whose document gives it a caption."""
    import textwrap

    if title is None:
        return
    figure.suptitle(textwrap.fill(title, 70), x=0.01, ha="left", fontweight="bold")


def _norwegian_ticks(axis: Any, decimals: int, language: str) -> None:
    """Tick labels with a decimal comma and thin-space thousands, like the tables."""
    from matplotlib.ticker import FuncFormatter

    axis.set_major_formatter(FuncFormatter(lambda value, _: number(value, decimals, language)))


def bar_chart(
    values: pd.Series, path: Path, title: str | None, xlabel: str, decimals: int = 0, language: str = "nb"
) -> None:
    """Horizontal bars, largest at the top, each labelled with its value (`decimals`, Norwegian format)."""
    plt = _pyplot()
    ordered = values.sort_values(ascending=True)
    height = max(2.0, 0.45 * len(ordered) + 1.2)
    figure, axes = plt.subplots(figsize=(WIDTH_IN, height), layout="constrained")
    bars = axes.barh([str(i) for i in ordered.index], ordered.to_numpy(), color="#1F77B4")
    axes.bar_label(bars, labels=[number(v, decimals, language) for v in ordered.to_numpy()], padding=3)
    _norwegian_ticks(axes.xaxis, 0, language)
    _title(figure, title)
    axes.set_xlabel(xlabel)
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_xlim(0, max(1.0, float(ordered.max())) * 1.15)
    _save(figure, path)
    plt.close(figure)


def heatmap(
    frame: pd.DataFrame,
    path: Path,
    title: str | None,
    decimals: int = 0,
    language: str = "nb",
    diagonal: bool = False,
) -> None:
    """A matrix with a value in each cell; long labels wrap, column labels slant.

    With `diagonal` (a co-occurrence matrix), the diagonal holds each theme's own count, far
    larger than any pair: it is drawn grey with its value in bold, outside the colour scale,
    so the scale is set by the pairs and a real co-occurrence is not washed out to white.
    """
    import textwrap

    import numpy as np

    plt = _pyplot()
    rows, columns = frame.shape
    cell = min(0.6, (WIDTH_IN - 2.6) / max(1, columns))
    height = max(2.0, cell * rows + 1.8)
    figure, axes = plt.subplots(figsize=(WIDTH_IN, height), layout="constrained")
    data = frame.to_numpy(dtype=float)
    on_diagonal = np.eye(rows, columns, dtype=bool) if diagonal else np.zeros(data.shape, dtype=bool)
    scaled = np.ma.masked_array(data, mask=on_diagonal)
    peak = float(scaled.max()) if scaled.count() else 0.0
    colours = plt.get_cmap("Blues").with_extremes(bad="#D9D9D9")
    image = axes.imshow(scaled, cmap=colours, aspect="auto", vmin=0, vmax=max(peak, 1.0))
    axes.set_xticks(range(columns), [textwrap.fill(str(c), 18) for c in frame.columns], rotation=35, ha="right")
    axes.set_yticks(range(rows), [textwrap.fill(str(r), 34) for r in frame.index])
    for r in range(rows):
        for c in range(columns):
            value = data[r, c]
            own = bool(on_diagonal[r, c])
            colour = "white" if not own and peak and value > 0.6 * peak else "black"
            text = number(value, decimals, language)
            axes.text(
                c, r, text, ha="center", va="center", color=colour, fontsize=8, fontweight="bold" if own else None
            )
    _title(figure, title)
    bar = figure.colorbar(image, ax=axes, shrink=0.8)
    _norwegian_ticks(bar.ax.yaxis, decimals, language)
    _save(figure, path)
    plt.close(figure)
