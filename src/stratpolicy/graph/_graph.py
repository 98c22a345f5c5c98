"""The mission graph: a portfolio's missions, technologies, instruments, incentives, actors."""

from __future__ import annotations

import datetime as dt
import inspect
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cached_property
from itertools import repeat
from operator import eq
from types import MethodType
from typing import TYPE_CHECKING, Any, Concatenate, Generic, ParamSpec, Self, TypeVar, overload

import stratpolicy.graph as _api
from stratpolicy._checks import Checker
from stratpolicy.errors import UnknownReferenceError
from stratpolicy.model import Portfolio

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from stratpolicy.graph._index import GraphIndex

__all__ = ["MissionGraph", "declared_dependencies"]

P = ParamSpec("P")
R = TypeVar("R")


class Analysis(Generic[P, R]):
    """A method of :class:`MissionGraph` that is a function of the graph package.

    ``graph.name(*args, **kwargs)`` is ``stratpolicy.graph.name(graph, *args, **kwargs)``:
    the function is the documented API (as networkx's algorithms are), and the method has
    its signature and docstring without repeating them. The function's module is imported
    on the first call, so that building a graph imports neither numpy nor scipy.
    """

    def __init__(self, load: Callable[[], Callable[Concatenate[MissionGraph, P], R]]) -> None:
        self._load = load
        self._function: Callable[Concatenate[MissionGraph, P], R] | None = None
        self._name = ""

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self._name = name

    @property
    def function(self) -> Callable[Concatenate[MissionGraph, P], R]:
        """The function this method calls."""
        if self._function is None:
            self._function = self._load()
        return self._function

    @overload
    def __get__(self, graph: None, owner: type[Any]) -> Self: ...
    @overload
    def __get__(self, graph: MissionGraph, owner: type[Any]) -> Callable[P, R]: ...
    def __get__(self, graph: MissionGraph | None, owner: type[Any]) -> Self | Callable[P, R]:
        if graph is None:
            return self
        bound: Callable[P, R] = MethodType(self.function, graph)
        return bound

    def __repr__(self) -> str:
        return f"<MissionGraph.{self._name}: stratpolicy.graph.{self._load().__name__}>"


def _graph_of(make: Callable[P, Portfolio]) -> Callable[P, MissionGraph]:
    """``make``, then the portfolio's graph: same parameters, typed as ``make``'s."""

    def from_tables(*args: P.args, **kwargs: P.kwargs) -> MissionGraph:
        return make(*args, **kwargs).graph()

    from_tables.__doc__ = (
        "The graph of a portfolio read from tables: ``Portfolio.from_tables(...).graph()``."
    )
    signature = inspect.signature(make).replace(return_annotation="MissionGraph")
    from_tables.__signature__ = signature  # type: ignore[attr-defined]
    return from_tables


def _check_dependencies(
    pairs: Sequence[tuple[str, str]], positions: Mapping[str, int], portfolio: str
) -> tuple[list[int], list[int]]:
    """The positions of extra dependencies, checked; every problem raised together.

    Each pair is two technology ids, and not the same one. The common case (all pairs
    right) is checked with a few passes in C (``map``, ``in``); the messages are worked
    out one pair at a time only when something is wrong.
    """
    try:
        pairs_ok = set(map(len, pairs)) == {2}
    except TypeError:  # not pairs: the loop below says which
        pairs_ok = False
    if pairs_ok:
        first = [p[0] for p in pairs]
        second = [p[1] for p in pairs]
        get = positions.get
        at_first = list(map(get, first))
        at_second = list(map(get, second))
        if None not in at_first and None not in at_second and not any(map(eq, first, second)):
            return at_first, at_second  # type: ignore[return-value]
    check = Checker()
    frm: list[int] = []
    to: list[int] = []
    for i, pair in enumerate(pairs):
        a, b = (str(x) for x in pair)
        pa, pb = positions.get(a), positions.get(b)
        for j, (ref, at) in enumerate(((a, pa), (b, pb))):
            if at is None:
                check.add(
                    f"dependencies[{i}][{j}]",
                    f"{ref!r} is not a technology of portfolio {portfolio!r}",
                    UnknownReferenceError,
                )
        if a == b:
            check.add(f"dependencies[{i}]", f"{a!r} cannot depend on itself")
        if pa is not None and pb is not None:
            frm.append(pa)
            to.append(pb)
    check.done()
    return frm, to


def declared_dependencies(portfolio: Portfolio) -> tuple[list[int], list[int]]:
    """The ``depends_on`` of a portfolio's technologies, as ``(from, to)`` positions."""
    tables = portfolio.tables
    if tables is not None:
        deps = tables.dependencies
        return deps.technology.tolist(), deps.depends_on.tolist()
    techs = portfolio.technologies
    pos = {t.id: i for i, t in enumerate(techs)}
    frm: list[int] = []
    to: list[int] = []
    for i, t in enumerate(techs):
        for d in t.depends_on:
            frm.append(i)
            to.append(pos[d])
    return frm, to


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

    Every analysis is a plain function of :mod:`stratpolicy.graph` taking the graph first
    (``coverage(graph, on=...)``), as networkx's algorithms are; each is also a method
    (``graph.coverage(on=...)``) with the same parameters and documentation. The functions
    read the graph's public :attr:`index`: numpy arrays and scipy CSR matrices, one per
    edge type, built once, on first use. :meth:`to_networkx` gives the full networkx
    graph for anything else. Constructing a ``MissionGraph`` imports neither numpy, scipy
    nor networkx.

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
        tables = portfolio.tables
        ids: Sequence[str]
        positions: Mapping[str, int]
        if tables is not None:
            ids = tables.technologies.ids
            positions = tables.technologies.positions
        else:
            ids = [t.id for t in portfolio.technologies]
            positions = {t: i for i, t in enumerate(ids)}
        frm, to = declared_dependencies(portfolio)
        pairs = dependencies if isinstance(dependencies, list | tuple) else list(dependencies)
        if pairs:
            more_from, more_to = _check_dependencies(pairs, positions, portfolio.id)
            frm += more_from
            to += more_to
        # without duplicates, in given order: one int key per pair (no tuple per pair)
        n = max(len(ids), 1)
        self._dep_keys = list(
            dict.fromkeys(map(operator.add, map(operator.mul, frm, repeat(n)), to))
        )
        self._dep_n = n
        self._technology_ids = ids

    from_tables = staticmethod(_graph_of(Portfolio.from_tables))
    """The graph of a portfolio read from tables: ``Portfolio.from_tables(...).graph()``.

    Takes the arguments of :meth:`Portfolio.from_tables
    <stratpolicy.model.Portfolio.from_tables>` (see the guide "National scale: portfolios
    from tables"); raises its errors.
    """

    def __repr__(self) -> str:
        p = self._portfolio
        return (
            f"MissionGraph({p.id!r}: {len(p.missions)} missions, {len(p.technologies)} "
            f"technologies, {len(p.instruments)} instruments, {len(p.incentives)} incentives, "
            f"{len(p.actors)} actors, {len(self._dep_keys)} dependencies)"
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
        """The ``(technology, depends_on)`` pairs, without duplicates, in given order.

        The technologies' own ``depends_on`` first, then the graph's extra ones.
        """
        ids, n = self._technology_ids, self._dep_n
        return tuple((ids[k // n], ids[k % n]) for k in self._dep_keys)

    @cached_property
    def index(self) -> GraphIndex:
        """The compact form every analysis reads (see :class:`~stratpolicy.graph.GraphIndex`).

        Built on the first call, then kept.

        Examples:
            >>> from stratpolicy.catalogs import korea
            >>> index = korea.summit_2025().graph().index
            >>> len(index.technology_ids), sorted(index.edges)[:3]
            (62, ['administers', 'applies_to', 'budget_part_of'])
        """
        import numpy as np

        from stratpolicy.graph._index import GraphIndex

        keys = np.asarray(self._dep_keys, dtype=np.int64)
        return GraphIndex.from_portfolio(self._portfolio, (keys // self._dep_n, keys % self._dep_n))

    @property
    def _dependencies(self) -> tuple[tuple[str, str], ...]:
        return self.dependencies

    @property
    def _index(self) -> GraphIndex:
        # the name before the index was public; kept for code that reached into it
        return self.index

    # -- analyses: each is ``stratpolicy.graph.<function>(graph, ...)`` ---------------------

    support = Analysis(lambda: _api.technology_support)
    """The support of every technology: :func:`stratpolicy.graph.technology_support`."""
    coverage = Analysis(lambda: _api.coverage)
    """Coverage and gaps of every mission: :func:`stratpolicy.graph.coverage`."""
    mission_requirements = Analysis(lambda: _api.mission_requirements)
    """A mission's merged requirements: :func:`stratpolicy.graph.mission_requirements`."""
    gaps = Analysis(lambda: _api.gaps)
    """Required technologies nothing supports: :func:`stratpolicy.graph.gaps`."""
    bottlenecks = Analysis(lambda: _api.bottlenecks)
    """Technologies many missions need: :func:`stratpolicy.graph.bottlenecks`."""
    bottleneck_scores = Analysis(lambda: _api.bottleneck_scores)
    """Every technology's bottleneck score: :func:`stratpolicy.graph.bottleneck_scores`."""
    rank_technologies = Analysis(lambda: _api.rank_technologies)
    """Technologies by PageRank: :func:`stratpolicy.graph.rank_technologies`."""
    cut_vertices = Analysis(lambda: _api.cut_vertices)
    """Single-point-of-failure technologies: :func:`stratpolicy.graph.cut_vertices`."""
    betweenness = Analysis(lambda: _api.betweenness)
    """Technologies by betweenness: :func:`stratpolicy.graph.betweenness`."""
    funding_flow = Analysis(lambda: _api.funding_flow)
    """Where a year's money goes: :func:`stratpolicy.graph.funding_flow`."""
    budget_years = Analysis(lambda: _api.budget_years)
    """Years with a budget: :func:`stratpolicy.graph.budget_years`."""
    overlap = Analysis(lambda: _api.overlap)
    """Instruments supporting similar technologies: :func:`stratpolicy.graph.overlap`."""
    pipeline = Analysis(lambda: _api.pipeline)
    """The actors reaching each mission: :func:`stratpolicy.graph.pipeline`."""
    reach = Analysis(lambda: _api.reach)
    """Which instruments reach which missions: :func:`stratpolicy.graph.reach`."""
    linkage = Analysis(lambda: _api.linkage)
    """Designated technologies and their incentives: :func:`stratpolicy.graph.linkage`."""
    linkage_gap = Analysis(lambda: _api.linkage_gap)
    """Unlinked designated technologies: :func:`stratpolicy.graph.linkage_gap`."""
    linkage_timeline = Analysis(lambda: _api.linkage_timeline)
    """When each technology gained an incentive: :func:`stratpolicy.graph.linkage_timeline`."""
    provenance = Analysis(lambda: _api.provenance)
    """Unverified facts and analysis assumptions: :func:`stratpolicy.graph.provenance`."""
    summary = Analysis(lambda: _api.summary)
    """The report's sections as plain data: :func:`stratpolicy.graph.summary`."""

    # -- exports ---------------------------------------------------------------------------

    to_networkx = Analysis(lambda: _api.to_networkx)
    """The raw networkx ``MultiDiGraph``: :func:`stratpolicy.graph.to_networkx`."""
    to_node_link = Analysis(lambda: _api.to_node_link)
    """Node-link data: :func:`stratpolicy.graph.to_node_link`."""
    to_json = Analysis(lambda: _api.to_json)
    """Node-link JSON text: :func:`stratpolicy.graph.to_json`."""
    to_graphml = Analysis(lambda: _api.to_graphml)
    """GraphML text: :func:`stratpolicy.graph.to_graphml`."""
    write_graphml = Analysis(lambda: _api.write_graphml)
    """Write a GraphML file: :func:`stratpolicy.graph.write_graphml`."""
    to_mermaid = Analysis(lambda: _api.to_mermaid)
    """A Mermaid flowchart: :func:`stratpolicy.graph.to_mermaid`."""
    export = Analysis(lambda: _api.export)
    """The graph in one of the export formats: :func:`stratpolicy.graph.export`."""

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
