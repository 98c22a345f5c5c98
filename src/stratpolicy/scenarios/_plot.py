"""Plots of comparisons (matplotlib, imported only when drawing: ``stratpolicy[plot]``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stratpolicy.scenarios._compare import Comparison

__all__ = ["plot_delta"]


def plot_delta(
    comparison: Comparison,
    output: str,
    by: Any,
    *,
    ax: Any = None,
    scale: float = 1.0,
    unit: str | None = None,
) -> Any:
    """Bars of the weighted change of ``output`` per group; returns the ``Axes``."""
    try:
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover - the plot extra is in dev
        raise ImportError("plotting needs matplotlib: pip install 'stratpolicy[plot]'") from None
    frame = comparison.by(by, output)
    frame = frame[frame["firms"] > 0]
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.5))
    labels = [" / ".join(map(str, k)) if isinstance(k, tuple) else str(k) for k in frame.index]
    values = (frame["delta"] / scale).to_numpy()
    colors = ["#2b7a3d" if v >= 0 else "#b3362c" for v in values]
    ax.bar(labels, values, color=colors)
    shown_unit = unit if unit is not None else comparison.baseline.unit_of(output)
    ax.set_ylabel(f"change in {output}" + (f" ({shown_unit})" if shown_unit else ""))
    name = comparison.reform.id if comparison.reform is not None else comparison.reformed.id
    ax.set_title(f"{name}: change by {by if isinstance(by, str) else 'group'}, {comparison.on}")
    ax.axhline(0, color="black", linewidth=0.8)
    ax.tick_params(axis="x", rotation=30)
    return ax
