"""The mission graph: a portfolio's missions, technologies, instruments, incentives, actors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stratpolicy._checks import Checker
from stratpolicy.errors import UnknownReferenceError
from stratpolicy.model import BudgetStage, IncentiveKind, Portfolio

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from stratpolicy.graph._index import Index
    from stratpolicy.graph._rows import (
        Allocation,
        BottleneckRow,
        CentralityRow,
        CoverageRow,
        FundingFlow,
        GapRow,
        LinkageRow,
        LinkageTimelineRow,
        OverlapRow,
        PipelineRow,
        ProvenanceRow,
        RankRow,
        RequirementRow,
        SupportRow,
    )
    from stratpolicy.graph._table import Table
    from stratpolicy.units import ExchangeRates

__all__ = ["MissionGraph"]


class MissionGraph:
    """The typed graph of a portfolio, and the analyses analysts ask of it.

    Nodes: missions, technologies, instruments, incentives, actors. Edges: a mission
    ``requires`` a technology (weight in (0, 1]) and ``contributes_to`` its parent mission;
    a technology ``depends_on`` another (from ``dependencies``) and is ``part_of`` its
    area; an instrument ``supports`` a technology (optional budget share) and ``offers``
    incentives; an actor ``administers`` instruments.

    Every analysis takes ``on``: only instruments, supports, incentives and technology
    links in force on that date count, and actors are resolved on it. ``on=None`` (the
    default) ignores dates and counts them all, so that a result never depends on the day
    it is computed; pass ``portfolio.as_of`` or a date of your choice to filter.

    Coverage, gaps and bottlenecks count **targeted** support by default: support only
    as part of an unallocated envelope is reported apart (``include_envelopes=True``
    counts it). The funding flow splits money without a published split only when told how
    (``allocation=``).

    The analyses run on a compact integer-indexed form of the portfolio (numpy arrays and
    scipy CSR matrices) built once, on first use; :meth:`to_networkx` gives the full
    networkx graph for anything else. Constructing a ``MissionGraph`` imports neither
    numpy, scipy nor networkx.

    Args:
        portfolio: The portfolio.
        dependencies: Extra ``(technology, depends_on)`` pairs of technology ids (the
            first needs the second), added to the technologies' own ``depends_on``.

    Raises:
        UnknownReferenceError: A dependency names an id that is not a technology.
        ValidationError: A technology depends on itself.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> g = korea.summit_2025().graph()
        >>> g.linkage_gap().column("technology")[:2]
        ('next_gen_nuclear', 'aerospace_marine')
        >>> chips = "high_performance_low_power_ai_semiconductors"
        >>> g2 = MissionGraph(korea.summit_2025(), dependencies=[
        ...     ("ai_for_industrial_use_and_innovation", chips),
        ...     ("advanced_ai_modelling_and_decision_making", chips),
        ... ])
        >>> top = g2.bottlenecks(1)[0]
        >>> top.technology, top.score, top.direct, top.status
        ('high_performance_low_power_ai_semiconductors', 4, 1, 'envelope_only')
    """

    def __init__(
        self, portfolio: Portfolio, *, dependencies: Iterable[tuple[str, str]] = ()
    ) -> None:
        self._portfolio = portfolio
        declared = tuple((t.id, d) for t in portfolio.technologies for d in t.depends_on)
        deps = declared + tuple((str(a), str(b)) for a, b in dependencies)
        check = Checker()
        techs = {t.id for t in portfolio.technologies}
        for i, (a, b) in enumerate(deps):
            for j, ref in enumerate((a, b)):
                if ref not in techs:
                    check.add(
                        f"dependencies[{i}][{j}]",
                        f"{ref!r} is not a technology of portfolio {portfolio.id!r}",
                        UnknownReferenceError,
                    )
            if a == b:
                check.add(f"dependencies[{i}]", f"{a!r} cannot depend on itself")
        check.done()
        self._dependencies = tuple(dict.fromkeys(deps))

    def __repr__(self) -> str:
        p = self._portfolio
        return (
            f"MissionGraph({p.id!r}: {len(p.missions)} missions, {len(p.technologies)} "
            f"technologies, {len(p.instruments)} instruments, {len(p.incentives)} incentives, "
            f"{len(p.actors)} actors, {len(self._dependencies)} dependencies)"
        )

    def _repr_html_(self) -> str:
        """A summary for Jupyter: what the graph holds and each mission's coverage."""
        from stratpolicy.display import graph_html

        return graph_html(self)

    @property
    def portfolio(self) -> Portfolio:
        """The portfolio the graph is built on."""
        return self._portfolio

    @property
    def dependencies(self) -> tuple[tuple[str, str], ...]:
        """The ``(technology, depends_on)`` pairs, without duplicates, in given order."""
        return self._dependencies

    @cached_property
    def _index(self) -> Index:
        from stratpolicy.graph._index import build_index

        return build_index(self._portfolio, self._dependencies)

    # -- coverage and gaps -----------------------------------------------------------------

    def support(
        self, *, on: dt.date | None = None, include_envelopes: bool = False
    ) -> Table[SupportRow]:
        """The support of every technology; see :func:`stratpolicy.graph.technology_support`.

        Examples:
            >>> from stratpolicy.catalogs import korea
            >>> g = korea.summit_2025().graph()
            >>> g.support()["quantum"].status
            'envelope_only'
        """
        from stratpolicy.graph._coverage import technology_support

        return technology_support(self, on=on, include_envelopes=include_envelopes)

    def coverage(
        self,
        mission: str | None = None,
        *,
        on: dt.date | None = None,
        include_envelopes: bool = False,
    ) -> Table[CoverageRow]:
        """Coverage and gaps of every mission; see :func:`stratpolicy.graph.coverage`.

        Examples:
            >>> from stratpolicy.catalogs import korea
            >>> g = korea.summit_2025().graph()
            >>> row = g.coverage()["trade_security"]
            >>> row.coverage, row.coverage_with_envelopes
            (0.0, 1.0)
        """
        from stratpolicy.graph._coverage import coverage

        return coverage(self, mission, on=on, include_envelopes=include_envelopes)

    def mission_requirements(
        self, mission: str, *, on: dt.date | None = None, include_envelopes: bool = False
    ) -> Table[RequirementRow]:
        """A mission's requirements; see :func:`stratpolicy.graph.mission_requirements`.

        Examples:
            >>> from stratpolicy.catalogs import korea
            >>> g = korea.summit_2025().graph()
            >>> g.mission_requirements("quantum_ai_materials").column("technology")
            ('advanced_ai_modelling_and_decision_making', 'quantum_computing')
        """
        from stratpolicy.graph._coverage import mission_requirements

        return mission_requirements(self, mission, on=on, include_envelopes=include_envelopes)

    def gaps(self, *, on: dt.date | None = None, include_envelopes: bool = False) -> Table[GapRow]:
        """Required technologies nothing supports; see :func:`stratpolicy.graph.gaps`.

        Examples:
            >>> from stratpolicy.catalogs import korea
            >>> g = korea.summit_2025().graph()
            >>> len(g.gaps()), len(g.gaps(include_envelopes=True))
            (18, 0)
        """
        from stratpolicy.graph._coverage import gaps

        return gaps(self, on=on, include_envelopes=include_envelopes)

    # -- bottlenecks and ranking -----------------------------------------------------------

    def bottlenecks(
        self, k: int | None = 10, *, on: dt.date | None = None, include_envelopes: bool = False
    ) -> Table[BottleneckRow]:
        """Technologies many missions need; see :func:`stratpolicy.graph.bottlenecks`.

        Examples:
            >>> from stratpolicy.catalogs import korea
            >>> g = korea.summit_2025().graph()
            >>> g.bottlenecks(1)[0].score
            2
        """
        from stratpolicy.graph._centrality import bottlenecks

        return bottlenecks(self, k, on=on, include_envelopes=include_envelopes)

    def rank_technologies(self, k: int | None = None, *, alpha: float = 0.85) -> Table[RankRow]:
        """Technologies by PageRank; see :func:`stratpolicy.graph.rank_technologies`.

        Examples:
            >>> from stratpolicy.catalogs import korea
            >>> g = korea.summit_2025().graph()
            >>> g.rank_technologies(2).column("technology")
            ('advanced_ai_modelling_and_decision_making', 'artificial_intelligence')
        """
        from stratpolicy.graph._centrality import rank_technologies

        return rank_technologies(self, k, alpha=alpha)

    def cut_vertices(self) -> tuple[str, ...]:
        """Single-point-of-failure technologies; see :func:`stratpolicy.graph.cut_vertices`.

        Examples:
            >>> from stratpolicy.catalogs import korea
            >>> g = korea.summit_2025().graph()
            >>> g.cut_vertices()[:2]
            ('semiconductors_displays', 'secondary_batteries')
        """
        from stratpolicy.graph._centrality import cut_vertices

        return cut_vertices(self)

    def betweenness(
        self, k: int | None = None, *, samples: int | None = None, seed: int = 0
    ) -> Table[CentralityRow]:
        """Technologies by betweenness; see :func:`stratpolicy.graph.betweenness`.

        Examples:
            >>> from stratpolicy.catalogs import korea
            >>> g = korea.summit_2025().graph()
            >>> g.betweenness(1)[0].technology
            'semiconductors_displays'
        """
        from stratpolicy.graph._centrality import betweenness

        return betweenness(self, k, samples=samples, seed=seed)

    # -- money, overlap, pipeline, linkage -------------------------------------------------

    def funding_flow(
        self,
        year: int,
        *,
        on: dt.date | None = None,
        stage: BudgetStage | str | None = None,
        allocation: Allocation | str | None = None,
        currency: str | None = None,
        rates: ExchangeRates | None = None,
        rates_on: dt.date | None = None,
    ) -> FundingFlow:
        """Where a year's money goes; see :func:`stratpolicy.graph.funding_flow`.

        Examples:
            >>> from stratpolicy.catalogs import korea
            >>> g = korea.summit_2025().graph()
            >>> round(g.funding_flow(2026).total("KRW").budget / 1e12, 4)
            44.1334
            >>> round(g.funding_flow(2026, stage="proposal").total("KRW").budget / 1e12, 4)
            44.1398
        """
        from stratpolicy.graph._funding import funding_flow

        return funding_flow(
            self,
            year,
            on=on,
            stage=stage,
            allocation=allocation,
            currency=currency,
            rates=rates,
            rates_on=rates_on,
        )

    def budget_years(self, *, on: dt.date | None = None) -> tuple[int, ...]:
        """Years with a budget; see :func:`stratpolicy.graph.budget_years`.

        Examples:
            >>> from stratpolicy.catalogs import korea
            >>> g = korea.summit_2025().graph()
            >>> g.budget_years()
            (2023, 2024, 2025, 2026)
        """
        from stratpolicy.graph._funding import budget_years

        return budget_years(self, on=on)

    def overlap(self, threshold: float = 0.5, *, on: dt.date | None = None) -> Table[OverlapRow]:
        """Instruments supporting similar technologies; see :func:`stratpolicy.graph.overlap`.

        Examples:
            >>> from stratpolicy.catalogs import korea
            >>> g = korea.summit_2025().graph()
            >>> len(g.overlap(0.5))
            0
        """
        from stratpolicy.graph._overlap import overlap

        return overlap(self, threshold, on=on)

    def pipeline(
        self, *, on: dt.date | None = None, via_incentives: bool = True
    ) -> Table[PipelineRow]:
        """The actors reaching each mission; see :func:`stratpolicy.graph.pipeline`.

        Examples:
            >>> from stratpolicy.catalogs import korea
            >>> g = korea.summit_2025().graph()
            >>> g.pipeline()["trade_security"].instruments
            ('nst_rd_investment', 'early_warning_system', 'nst_tax_incentives')
        """
        from stratpolicy.graph._pipeline import pipeline

        return pipeline(self, on=on, via_incentives=via_incentives)

    def linkage(
        self,
        technologies: Iterable[str] | None = None,
        *,
        kind: IncentiveKind | str = IncentiveKind.TAX_CREDIT,
        on: dt.date | None = None,
    ) -> Table[LinkageRow]:
        """Designated technologies and their incentives; see :func:`stratpolicy.graph.linkage`.

        Examples:
            >>> from stratpolicy.catalogs import korea
            >>> g = korea.summit_2025().graph()
            >>> g.linkage()["quantum"].linked
            False
        """
        from stratpolicy.graph._coverage import linkage

        return linkage(self, technologies, kind=kind, on=on)

    def linkage_gap(
        self,
        technologies: Iterable[str] | None = None,
        *,
        kind: IncentiveKind | str = IncentiveKind.TAX_CREDIT,
        on: dt.date | None = None,
    ) -> Table[LinkageRow]:
        """Unlinked designated technologies; see :func:`stratpolicy.graph.linkage_gap`.

        Examples:
            >>> from stratpolicy.catalogs import korea
            >>> g = korea.summit_2025().graph()
            >>> len(g.linkage_gap(kind="tax_credit"))
            6
        """
        from stratpolicy.graph._coverage import linkage_gap

        return linkage_gap(self, technologies, kind=kind, on=on)

    def linkage_timeline(
        self,
        technologies: Iterable[str] | None = None,
        *,
        kind: IncentiveKind | str = IncentiveKind.TAX_CREDIT,
    ) -> Table[LinkageTimelineRow]:
        """When each designated technology gained an incentive of ``kind``.

        See :func:`stratpolicy.graph.linkage_timeline`.

        Examples:
            >>> from stratpolicy.catalogs import korea
            >>> g = korea.summit_2025().graph()
            >>> str(g.linkage_timeline()["hydrogen"].first_linked)
            '2023-01-01'
        """
        from stratpolicy.graph._coverage import linkage_timeline

        return linkage_timeline(self, technologies, kind=kind)

    def provenance(
        self,
        *,
        on: dt.date | None = None,
        year: int | None = None,
        stage: BudgetStage | str | None = None,
        allocation: Allocation | str | None = None,
        include_envelopes: bool = False,
    ) -> Table[ProvenanceRow]:
        """Unverified facts and analysis assumptions; see :func:`stratpolicy.graph.provenance`.

        Examples:
            >>> from stratpolicy.catalogs import korea
            >>> g = korea.summit_2025().graph()
            >>> any(r.path == "instruments[2].overlaps[0]" for r in g.provenance())
            True
        """
        from stratpolicy.graph._provenance import provenance

        return provenance(
            self,
            on=on,
            year=year,
            stage=stage,
            allocation=allocation,
            include_envelopes=include_envelopes,
        )

    # -- report and exports ----------------------------------------------------------------

    def summary(
        self,
        *,
        on: dt.date | None = None,
        year: int | None = None,
        top: int = 10,
        overlap_threshold: float = 0.5,
        linkage_kind: IncentiveKind | str = IncentiveKind.TAX_CREDIT,
        stage: BudgetStage | str | None = None,
        allocation: Allocation | str | None = None,
        include_envelopes: bool = False,
    ) -> dict[str, Any]:
        """The report's sections as plain data; see :func:`stratpolicy.graph.summary`.

        Examples:
            >>> from stratpolicy.catalogs import korea
            >>> g = korea.summit_2025().graph()
            >>> g.summary()["year"]
            2026
        """
        from stratpolicy.graph._summary import summary

        return summary(
            self,
            on=on,
            year=year,
            top=top,
            overlap_threshold=overlap_threshold,
            linkage_kind=linkage_kind,
            stage=stage,
            allocation=allocation,
            include_envelopes=include_envelopes,
        )

    def plot(self, ax: Axes | None = None, *, on: dt.date | None = None) -> Axes:
        """Draw missions, technologies and instruments in three layers, with matplotlib.

        Missions (core missions, each followed by its challenges) on the left, the
        technologies that a mission requires or an instrument supports in the middle, the
        instruments on the right; ``requires`` edges (thicker for a larger weight) and
        ``supports`` edges between them. A technology's colour shows its support (see
        :meth:`support`): supported, partly supported (an area), or not supported. Each
        layer is ordered by the mean position of its neighbours, to keep edges short.

        Needs matplotlib (``pip install 'stratpolicy[plot]'``), imported on the first call.

        Args:
            ax: The matplotlib ``Axes`` to draw on; a new figure when ``None``.
            on: Draw only the instruments in force on this date (``None``: all).

        Returns:
            The ``Axes`` drawn on. Each node is a text artist whose ``gid`` is
            ``"<type>:<id>"``; the edges are two line collections with ``gid``
            ``"requires"`` and ``"supports"``.

        Raises:
            ImportError: matplotlib is not installed.

        Examples:
            >>> import matplotlib
            >>> matplotlib.use("Agg")
            >>> from stratpolicy.catalogs import korea
            >>> ax = korea.summit_2025().graph().plot()
            >>> ax.get_title()
            'National Strategic Technology Summit 2025 (Korea)'
            >>> import matplotlib.pyplot as plt
            >>> plt.close(ax.figure)
        """
        from stratpolicy.display import plot_graph

        return plot_graph(self, ax, on=on)

    def to_networkx(self, *, on: dt.date | None = None) -> Any:
        """The raw networkx ``MultiDiGraph``; see :func:`stratpolicy.graph.to_networkx`.

        Examples:
            >>> from stratpolicy.catalogs import korea
            >>> g = korea.summit_2025().graph()
            >>> g.to_networkx().number_of_nodes()  # 62 + 8 + 10 + 3 + 11
            94
        """
        from stratpolicy.graph._export import to_networkx

        return to_networkx(self, on=on)

    def to_node_link(self, *, on: dt.date | None = None) -> dict[str, Any]:
        """Node-link data; see :func:`stratpolicy.graph.to_node_link`.

        Examples:
            >>> from stratpolicy.catalogs import korea
            >>> g = korea.summit_2025().graph()
            >>> g.to_node_link()["multigraph"]
            True
        """
        from stratpolicy.graph._export import to_node_link

        return to_node_link(self, on=on)

    def to_json(self, *, on: dt.date | None = None, indent: int | None = 2) -> str:
        """Node-link JSON text; see :func:`stratpolicy.graph.to_json`.

        Examples:
            >>> from stratpolicy.catalogs import korea
            >>> g = korea.summit_2025().graph()
            >>> g.to_json()[:1]
            '{'
        """
        from stratpolicy.graph._export import to_json

        return to_json(self, on=on, indent=indent)

    def to_graphml(self, *, on: dt.date | None = None) -> str:
        """GraphML text; see :func:`stratpolicy.graph.to_graphml`.

        Examples:
            >>> from stratpolicy.catalogs import korea
            >>> g = korea.summit_2025().graph()
            >>> g.to_graphml()[:5]
            '<?xml'
        """
        from stratpolicy.graph._export import to_graphml

        return to_graphml(self, on=on)

    def write_graphml(self, path: str | Path, *, on: dt.date | None = None) -> None:
        """Write a GraphML file; see :func:`stratpolicy.graph.write_graphml`.

        Examples:
            >>> from stratpolicy.catalogs import korea
            >>> g = korea.summit_2025().graph()
            >>> import tempfile, pathlib
            >>> with tempfile.TemporaryDirectory() as d:
            ...     g.write_graphml(pathlib.Path(d) / "summit.graphml")
        """
        from stratpolicy.graph._export import write_graphml

        write_graphml(self, path, on=on)

    def to_mermaid(
        self,
        *,
        on: dt.date | None = None,
        node_types: Iterable[str] | None = None,
        isolated: bool = False,
        direction: str = "LR",
    ) -> str:
        """A Mermaid flowchart; see :func:`stratpolicy.graph.to_mermaid`.

        Examples:
            >>> from stratpolicy.catalogs import korea
            >>> g = korea.summit_2025().graph()
            >>> g.to_mermaid().splitlines()[0]
            'flowchart LR'
        """
        from stratpolicy.graph._export import to_mermaid

        return to_mermaid(
            self, on=on, node_types=node_types, isolated=isolated, direction=direction
        )
