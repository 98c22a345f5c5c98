"""The portfolio: every object of a policy, indexed by id and checked as a whole."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, TypeVar, overload

import attrs

from stratpolicy._checks import Checker, Id, as_tuple
from stratpolicy.errors import (
    CurrencyError,
    DuplicateIdError,
    UnknownReferenceError,
    ValidationError,
)
from stratpolicy.model._actor import Actor
from stratpolicy.model._enums import MissionKind, TechnologyKind
from stratpolicy.model._incentive import Incentive
from stratpolicy.model._instrument import Instrument
from stratpolicy.model._mission import Mission
from stratpolicy.model._roadmap import Roadmap
from stratpolicy.model._technology import Technology
from stratpolicy.units import currency_of, format_amount

if TYPE_CHECKING:
    from stratpolicy.graph import MissionGraph
    from stratpolicy.model._tables import PortfolioTables

__all__ = ["Entity", "Portfolio"]

Entity = Technology | Mission | Instrument | Incentive | Actor | Roadmap
"""Any object a portfolio holds by id."""

_E = TypeVar("_E", Technology, Mission, Instrument, Incentive, Actor, Roadmap)

# collection field name -> class it holds, in document order
_COLLECTIONS: dict[str, type[Any]] = {
    "technologies": Technology,
    "missions": Mission,
    "instruments": Instrument,
    "incentives": Incentive,
    "actors": Actor,
    "roadmaps": Roadmap,
}
_FIELD_OF: dict[type[Any], str] = {cls: name for name, cls in _COLLECTIONS.items()}
_KIND_NAME: dict[type[Any], str] = {
    Technology: "technology",
    Mission: "mission",
    Instrument: "instrument",
    Incentive: "incentive",
    Actor: "actor",
    Roadmap: "roadmap",
}


def _technologies(value: Iterable[Technology]) -> tuple[Technology, ...]:
    return as_tuple(value)


def _missions(value: Iterable[Mission]) -> tuple[Mission, ...]:
    return as_tuple(value)


def _instruments(value: Iterable[Instrument]) -> tuple[Instrument, ...]:
    return as_tuple(value)


def _incentives(value: Iterable[Incentive]) -> tuple[Incentive, ...]:
    return as_tuple(value)


def _actors(value: Iterable[Actor]) -> tuple[Actor, ...]:
    return as_tuple(value)


def _roadmaps(value: Iterable[Roadmap]) -> tuple[Roadmap, ...]:
    return as_tuple(value)


@attrs.frozen(kw_only=True, repr=False)
class Portfolio:
    """Everything a strategic technology policy holds, indexed by id.

    Technologies, missions, instruments, incentives, actors and roadmaps.

    A portfolio checks itself when it is built: ids are unique across all its objects and
    every reference (a mission's required technology, an instrument's administering actor,
    a parent) names an object it holds. Changes give a new, checked portfolio.

    Attributes:
        id: Id of the portfolio.
        name: Name in English.
        description: What it covers.
        country: ISO 3166 alpha-2 code of the country whose policy it is.
        as_of: Date of the latest source used.
        technologies: Designated areas and key technologies.
        missions: Missions, sub-missions and challenges.
        instruments: Policy instruments.
        incentives: Incentives the instruments offer.
        actors: Ministries, agencies, committees, firms...
        roadmaps: Roadmaps with dated milestones.
        source: Where the portfolio as a whole comes from.
        verified: Whether its sources were checked.

    Examples:
        >>> from stratpolicy import Mission, Requirement, Technology, TechnologyKind
        >>> p = Portfolio(
        ...     id="demo", name="Demo",
        ...     technologies=(Technology(id="ai", name="AI", kind=TechnologyKind.AREA),),
        ...     missions=(Mission(id="m1", name="AI leadership",
        ...                       requires=(Requirement(technology="ai"),)),),
        ... )
        >>> p["ai"].name
        'AI'
        >>> [m.id for m in p.missions_requiring("ai")]
        ['m1']
    """

    id: Id
    name: str
    description: str = ""
    country: str = ""
    as_of: dt.date | None = None
    technologies: tuple[Technology, ...] = attrs.field(default=(), converter=_technologies)
    missions: tuple[Mission, ...] = attrs.field(default=(), converter=_missions)
    instruments: tuple[Instrument, ...] = attrs.field(default=(), converter=_instruments)
    incentives: tuple[Incentive, ...] = attrs.field(default=(), converter=_incentives)
    actors: tuple[Actor, ...] = attrs.field(default=(), converter=_actors)
    roadmaps: tuple[Roadmap, ...] = attrs.field(default=(), converter=_roadmaps)
    source: str = ""
    verified: bool = False
    _index: Mapping[str, Entity] = attrs.field(init=False, repr=False, eq=False, hash=False)
    # The cached MissionGraph; typed Any so that resolving this class's annotations (cattrs
    # does) never needs the graph package.
    _graph: Any = attrs.field(init=False, repr=False, eq=False, hash=False)
    # The validated columns of a portfolio built from tables (None for one of objects).
    _tables: Any = attrs.field(init=False, repr=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.shapes(self)
        check.id("id", self.id)
        check.non_empty("name", self.name)
        check.texts(self)
        index: dict[str, Entity] = {}
        where: dict[str, str] = {}
        for field, _ in _COLLECTIONS.items():
            items: tuple[Entity, ...] = getattr(self, field)
            for i, obj in enumerate(items):
                path = f"{field}[{i}]"
                if obj.id in index:
                    check.add(
                        f"{path}.id",
                        f"duplicate id {obj.id!r}: already used by {where[obj.id]}",
                        DuplicateIdError,
                    )
                    continue
                index[obj.id] = obj
                where[obj.id] = path
        object.__setattr__(self, "_index", index)
        object.__setattr__(self, "_graph", None)
        object.__setattr__(self, "_tables", None)
        if not check.problems:
            _check_references(self, check)
        check.done()

    def __getstate__(self) -> dict[str, Any]:
        # the cached graph is left out of pickles and copies: it is rebuilt on demand
        state = {a.name: getattr(self, a.name) for a in attrs.fields(Portfolio)}
        state["_graph"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)

    def __repr__(self) -> str:
        counts = ", ".join(
            f"{len(getattr(self, field))} {field}" for field in _COLLECTIONS if getattr(self, field)
        )
        return f"Portfolio(id={self.id!r}, name={self.name!r}, {counts or 'empty'})"

    def _repr_html_(self) -> str:
        """A summary table for Jupyter (see :mod:`stratpolicy.display`)."""
        from stratpolicy.display import portfolio_html

        return portfolio_html(self)

    @classmethod
    def from_tables(
        cls,
        *,
        id: str,
        name: str,
        technologies: object,
        missions: object = None,
        requirements: object = None,
        dependencies: object = None,
        instruments: object = None,
        supports: object = None,
        budgets: object = None,
        serves: object = None,
        actors: object = None,
        administrators: object = None,
        description: str = "",
        country: str = "",
        as_of: dt.date | None = None,
        source: str = "",
        verified: bool = False,
    ) -> Portfolio:
        """A portfolio read from tables, checked a column at a time, objects made lazily.

        Each table is a pandas ``DataFrame``, a pyarrow ``Table``, a path to a Parquet or
        CSV file, or a mapping of column name to values; its columns are listed in
        :data:`~stratpolicy.model.TABLE_COLUMNS` (``supports``: ``instrument``,
        ``technology``, ``share``, ``envelope``, ``start``, ``end``...). Every rule the
        model classes check is checked on whole columns; the graph's index is built from
        the columns, and a model object (``portfolio.instrument("p1")``,
        ``portfolio.instruments[5]``) is made only when asked for. A national project
        database of 100,000 rows is read in a fraction of a second.

        The portfolio holds technologies, missions, instruments and actors; incentives,
        roadmaps, targets, budget overlaps and successors are not read from tables (add
        them with :meth:`add`, which builds every object).

        Raises:
            DataError: Every problem of every table, each with its table, row (from 0)
                and column (``supports[17].share``); nothing is built.
            ImportError: A path needs pandas (CSV) or pyarrow (Parquet).

        Examples:
            >>> p = Portfolio.from_tables(
            ...     id="ntis", name="Projects",
            ...     technologies={"id": ["ai", "llm"], "name": ["AI", "LLM"],
            ...                   "kind": ["area", "key_technology"], "parent": [None, "ai"]},
            ...     instruments={"id": ["p1"], "name": ["Project 1"],
            ...                  "kind": ["project_grants_public_research"]},
            ...     supports={"instrument": ["p1"], "technology": ["llm"]},
            ... )
            >>> p.instrument("p1").supports[0].technology
            'llm'
        """
        from stratpolicy.model._tables import portfolio_from_tables

        meta = {
            "id": id,
            "name": name,
            "description": description,
            "country": country,
            "as_of": as_of,
            "source": source,
            "verified": verified,
        }
        sources = {
            "technologies": technologies,
            "missions": missions,
            "requirements": requirements,
            "dependencies": dependencies,
            "instruments": instruments,
            "supports": supports,
            "budgets": budgets,
            "serves": serves,
            "actors": actors,
            "administrators": administrators,
        }
        return portfolio_from_tables(meta, sources)

    @property
    def tables(self) -> PortfolioTables | None:
        """The validated columns, for a portfolio built with :meth:`from_tables`; else ``None``."""
        tables: PortfolioTables | None = self._tables
        return tables

    # -- lookups ---------------------------------------------------------------------

    def __getitem__(self, id: str) -> Entity:
        """The object with this id.

        Raises:
            KeyError: No object has this id.
        """
        return self._index[id]

    def __contains__(self, id: object) -> bool:
        return id in self._index

    def __iter__(self) -> Iterator[Entity]:
        """Every object, collection by collection, in document order."""
        for field in _COLLECTIONS:
            yield from getattr(self, field)

    def __len__(self) -> int:
        return len(self._index)

    @overload
    def get(self, id: str) -> Entity | None: ...
    @overload
    def get(self, id: str, kind: type[_E]) -> _E | None: ...
    def get(self, id: str, kind: type[Any] | None = None) -> Any:
        """The object with this id, or ``None``; with ``kind``, only an object of that class."""
        obj = self._index.get(id)
        if kind is not None and not isinstance(obj, kind):
            return None
        return obj

    def _typed(self, id: str, kind: type[_E]) -> _E:
        obj = self._index.get(id)
        if not isinstance(obj, kind):
            what = _a(_KIND_NAME[type(obj)]) if obj is not None else "nothing"
            raise KeyError(f"no {_KIND_NAME[kind]} with id {id!r} (the id names {what})")
        return obj

    def technology(self, id: str) -> Technology:
        """The technology with this id (``KeyError`` if there is none)."""
        return self._typed(id, Technology)

    def mission(self, id: str) -> Mission:
        """The mission with this id (``KeyError`` if there is none)."""
        return self._typed(id, Mission)

    def instrument(self, id: str) -> Instrument:
        """The instrument with this id (``KeyError`` if there is none)."""
        return self._typed(id, Instrument)

    def incentive(self, id: str) -> Incentive:
        """The incentive with this id (``KeyError`` if there is none)."""
        return self._typed(id, Incentive)

    def actor(self, id: str) -> Actor:
        """The actor with this id (``KeyError`` if there is none)."""
        return self._typed(id, Actor)

    def roadmap(self, id: str) -> Roadmap:
        """The roadmap with this id (``KeyError`` if there is none)."""
        return self._typed(id, Roadmap)

    def of_kind(self, kind: type[_E]) -> tuple[_E, ...]:
        """Every object of one class: ``portfolio.of_kind(Mission)``."""
        result: tuple[_E, ...] = getattr(self, _FIELD_OF[kind])
        return result

    def areas(self) -> tuple[Technology, ...]:
        """The designated technology areas."""
        return tuple(t for t in self.technologies if t.kind is TechnologyKind.AREA)

    def key_technologies(self, area: str | None = None) -> tuple[Technology, ...]:
        """The key technologies, all or those of one area."""
        return tuple(
            t
            for t in self.technologies
            if t.kind is TechnologyKind.KEY_TECHNOLOGY and (area is None or t.parent == area)
        )

    def core_missions(self) -> tuple[Mission, ...]:
        """The missions without a parent."""
        return tuple(m for m in self.missions if m.parent is None)

    def sub_missions(self, mission: str) -> tuple[Mission, ...]:
        """The direct sub-missions and challenges of a mission."""
        return tuple(m for m in self.missions if m.parent == mission)

    def missions_requiring(self, technology: str) -> tuple[Mission, ...]:
        """The missions that require ``technology`` directly."""
        return tuple(
            m for m in self.missions if any(r.technology == technology for r in m.requires)
        )

    def instruments_of(self, actor: str) -> tuple[Instrument, ...]:
        """The instruments an actor administers."""
        return tuple(i for i in self.instruments if actor in i.administered_by)

    # -- changes ---------------------------------------------------------------------

    def evolve(self, **changes: Any) -> Portfolio:
        """A copy with some fields changed, checked like a new portfolio (``attrs.evolve``)."""
        return attrs.evolve(self, **changes)

    def add(self, *objects: Entity) -> Portfolio:
        """A copy with ``objects`` appended to their collections.

        Raises:
            DuplicateIdError: An object's id is already used.
            UnknownReferenceError: An object refers to an id the result does not hold.
        """
        grouped: dict[str, list[Entity]] = {}
        for obj in objects:
            grouped.setdefault(_FIELD_OF[type(obj)], []).append(obj)
        return self.evolve(**{f: (*getattr(self, f), *objs) for f, objs in grouped.items()})

    def remove(self, *ids: str) -> Portfolio:
        """A copy without the objects with these ids.

        References to a removed object are not removed for you: remove or change the objects
        that hold them too, or the result is rejected with :class:`UnknownReferenceError`.

        Raises:
            KeyError: An id names nothing in this portfolio.
        """
        missing = [i for i in ids if i not in self._index]
        if missing:
            raise KeyError(f"no object with id {missing[0]!r}")
        drop = set(ids)
        fields = {_FIELD_OF[type(self._index[i])] for i in ids}
        return self.evolve(
            **{f: tuple(o for o in getattr(self, f) if o.id not in drop) for f in fields}
        )

    def replace(self, *objects: Entity) -> Portfolio:
        """A copy in which each object takes the place of the one with the same id.

        Raises:
            KeyError: No object has the id of one of ``objects``.
            TypeError: An object is not of the same class as the one it replaces.
        """
        new = {o.id: o for o in objects}
        for o in objects:
            old = self._index.get(o.id)
            if old is None:
                raise KeyError(f"no object with id {o.id!r}")
            if type(old) is not type(o):
                raise TypeError(
                    f"{o.id!r} is {_a(_KIND_NAME[type(old)])}, not {_a(_KIND_NAME[type(o)])}"
                )
        fields = {_FIELD_OF[type(o)] for o in objects}
        return self.evolve(**{f: tuple(new.get(o.id, o) for o in getattr(self, f)) for f in fields})

    def graph(self) -> MissionGraph:
        """The mission-to-technology graph of this portfolio (see :mod:`stratpolicy.graph`).

        Built once per portfolio and kept: its compact index, which the analyses share, is
        the costly part. For extra dependency edges build ``MissionGraph(portfolio,
        dependencies=...)`` directly.
        """
        if self._graph is None:
            from stratpolicy.graph import MissionGraph

            object.__setattr__(self, "_graph", MissionGraph(self))
        graph: MissionGraph = self._graph
        return graph


def _a(noun: str) -> str:
    return f"an {noun}" if noun[0] in "aeiou" else f"a {noun}"


def _check_references(p: Portfolio, check: Checker) -> None:
    """Every id a portfolio object refers to must name an object of the right class."""

    def ref(path: str, owner: str, target: str | None, kind: type[Any], verb: str) -> None:
        if target is None:
            return
        obj = p._index.get(target)
        if obj is None:
            check.add(
                path,
                f"{owner} {verb} unknown {_KIND_NAME[kind]} {target!r}",
                UnknownReferenceError,
            )
        elif not isinstance(obj, kind):
            check.add(
                path,
                f"{owner} {verb} {target!r}, which is {_a(_KIND_NAME[type(obj)])}, "
                f"not {_a(_KIND_NAME[kind])}",
                UnknownReferenceError,
            )

    def refs(path: str, owner: str, targets: Iterable[str], kind: type[Any], verb: str) -> None:
        for j, target in enumerate(targets):
            ref(f"{path}[{j}]", owner, target, kind, verb)

    for i, t in enumerate(p.technologies):
        owner = f"technology {t.id!r}"
        ref(f"technologies[{i}].parent", owner, t.parent, Technology, "has parent")
        refs(f"technologies[{i}].depends_on", owner, t.depends_on, Technology, "depends on")
    for i, m in enumerate(p.missions):
        path, owner = f"missions[{i}]", f"mission {m.id!r}"
        for j, r in enumerate(m.requires):
            ref(f"{path}.requires[{j}].technology", owner, r.technology, Technology, "requires")
        refs(f"{path}.owners", owner, m.owners, Actor, "is owned by")
        ref(f"{path}.parent", owner, m.parent, Mission, "has parent")
        if m.kind is not MissionKind.MISSION and m.parent is None:
            check.add(f"{path}.parent", f"a {m.kind.value} needs a parent mission")
    for i, ins in enumerate(p.instruments):
        path, owner = f"instruments[{i}]", f"instrument {ins.id!r}"
        refs(f"{path}.administered_by", owner, ins.administered_by, Actor, "is administered by")
        for j, s in enumerate(ins.supports):
            ref(f"{path}.supports[{j}].technology", owner, s.technology, Technology, "supports")
        refs(f"{path}.missions", owner, ins.missions, Mission, "serves")
        refs(f"{path}.incentives", owner, ins.incentives, Incentive, "offers")
        ref(f"{path}.part_of", owner, ins.part_of, Instrument, "is part of")
        for j, o in enumerate(ins.overlaps):
            ref(f"{path}.overlaps[{j}].instrument", owner, o.instrument, Instrument, "overlaps")
    for i, inc in enumerate(p.incentives):
        owner = f"incentive {inc.id!r}"
        refs(f"incentives[{i}].technologies", owner, inc.technology_ids, Technology, "applies to")
    for i, a in enumerate(p.actors):
        owner = f"actor {a.id!r}"
        ref(f"actors[{i}].parent", owner, a.parent, Actor, "has parent")
        for j, succ in enumerate(a.successors):
            spath = f"actors[{i}].successors[{j}]"
            ref(f"{spath}.actor", owner, succ.actor, Actor, "is succeeded by")
            refs(f"{spath}.instruments", owner, succ.instruments, Instrument, "hands over")
    for i, rm in enumerate(p.roadmaps):
        for j, ms in enumerate(rm.milestones):
            path, owner = f"roadmaps[{i}].milestones[{j}]", f"milestone {ms.id!r}"
            refs(f"{path}.missions", owner, ms.missions, Mission, "advances")
            refs(f"{path}.technologies", owner, ms.technologies, Technology, "concerns")
    if not check.problems:
        _check_parent_cycles(p, check)
    if not check.problems:
        _check_budget_parts(p, check)
        _check_overlaps(p, check)


def _check_parent_cycles(p: Portfolio, check: Checker) -> None:
    for field, attr in (
        ("technologies", "parent"),
        ("missions", "parent"),
        ("actors", "parent"),
        ("instruments", "part_of"),
    ):
        items = getattr(p, field)
        parent = {o.id: getattr(o, attr) for o in items}
        for i, obj in enumerate(items):
            seen = {obj.id}
            cur = parent.get(obj.id)
            while cur is not None:
                if cur in seen:
                    check.add(
                        f"{field}[{i}].{attr}",
                        f"{obj.id!r} is its own ancestor (a cycle through {attr})",
                        ValidationError,
                    )
                    break
                seen.add(cur)
                cur = parent.get(cur)


def _check_budget_parts(p: Portfolio, check: Checker) -> None:
    """The budgets of an instrument's parts must not add up to more than its own, per year.

    Each budget entry of the instrument is compared with each part's entry of the same
    year and stage, or, when a part has none of that stage, its most final entry of the
    year (a strategic-technology R&D plan inside both the R&D proposal and the enacted R&D
    budget).
    """
    parts: dict[str, list[Instrument]] = {}
    for ins in p.instruments:
        if ins.part_of is not None:
            parts.setdefault(ins.part_of, []).append(ins)
    for i, ins in enumerate(p.instruments):
        for entry in ins.budget:
            total = None
            for part in parts.get(ins.id, ()):
                same = part.budget_entry(entry.year, entry.stage) if entry.stage else None
                chosen = same or part.budget_entry(entry.year)
                if chosen is None:
                    continue
                amount = chosen.amount
                if currency_of(amount) != currency_of(entry.amount):
                    check.add(
                        f"instruments[{i}].budget",
                        f"part {part.id!r} has its {entry.year} budget in "
                        f"{currency_of(amount)}, {ins.id!r} in {currency_of(entry.amount)}; "
                        "convert one of them with an ExchangeRates table",
                        CurrencyError,
                    )
                    continue
                total = amount if total is None else total + amount
            if total is not None and total > entry.amount:
                check.add(
                    f"instruments[{i}].budget",
                    f"the parts of {ins.id!r} have {format_amount(total.to(entry.amount.units))} "
                    f"in {entry.year}, more than its budget of {format_amount(entry.amount)}",
                )


def _check_overlaps(p: Portfolio, check: Checker) -> None:
    """An overlap's amount must fit in both budgets of its year (of its stage, if given)."""
    for i, ins in enumerate(p.instruments):
        for j, o in enumerate(ins.overlaps):
            if o.amount is None:
                continue
            path = f"instruments[{i}].overlaps[{j}].amount"
            for holder in (ins, p.instrument(o.instrument)):
                entry = holder.budget_entry(o.year, o.stage) if o.stage else None
                entry = entry or holder.budget_entry(o.year)
                if entry is None:
                    check.add(path, f"{holder.id!r} has no budget for {o.year} to overlap")
                    continue
                if currency_of(entry.amount) != currency_of(o.amount):
                    check.add(
                        path,
                        f"the overlap is in {currency_of(o.amount)}, the {o.year} budget of "
                        f"{holder.id!r} in {currency_of(entry.amount)}",
                        CurrencyError,
                    )
                elif o.amount > entry.amount:
                    check.add(
                        path,
                        f"{format_amount(o.amount)} is more than the {o.year} budget of "
                        f"{holder.id!r} ({format_amount(entry.amount)}, {entry.stage_label})",
                    )
