"""The row types of the graph analyses' result tables, and the funding-flow result."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

import attrs

from stratpolicy.graph._table import Table

__all__ = [
    "Allocation",
    "BottleneckRow",
    "CentralityRow",
    "CoverageRow",
    "CrosswalkRow",
    "FundingFlow",
    "FundingTotalRow",
    "GapRow",
    "InstrumentFlowRow",
    "LinkageRow",
    "LinkageTimelineRow",
    "MissionFlowRow",
    "OverlapFlowRow",
    "OverlapRow",
    "PipelineRow",
    "ProvenanceRow",
    "RankRow",
    "RequirementRow",
    "SupportRow",
    "TechnologyFlowRow",
    "UnallocatedRow",
]

_MONEY = {"fmt": ",.0f"}

#: The three statuses of a technology's (or a requirement's) support.
STATUSES = ("targeted", "envelope_only", "none")


class Allocation(StrEnum):
    """How a funding flow splits money that has no published split (an assumption).

    * ``equal``: an envelope's money in equal parts across its technologies; a
      technology's money in equal parts across the missions that need it;
    * ``by_weight``: both in proportion to the missions' requirement weights.

    Without one (``allocation=None``) such money is reported as unallocated. A result that
    used one carries it (:attr:`FundingFlow.allocation`).
    """

    EQUAL = "equal"
    BY_WEIGHT = "by_weight"

    @property
    def label(self) -> str:
        """The allocation in words: ``"split equally"``, ``"split by requirement weight"``."""
        return "split equally" if self is Allocation.EQUAL else "split by requirement weight"


@attrs.frozen(kw_only=True)
class SupportRow:
    """How well one technology is supported by the instruments in force.

    Attributes:
        technology: Id of the technology.
        name: Its name.
        kind: ``"area"`` or ``"key_technology"``.
        support: The support counted (targeted supports only, unless envelopes were
            included): 1 or 0 for a key technology; for an area 1 if an instrument supports
            the area itself, else the share of its key technologies that are supported.
        supported: Whether ``support`` is above 0.
        status: ``"targeted"`` (targeted support above 0), ``"envelope_only"`` (supported
            only as part of an unallocated envelope) or ``"none"``.
        targeted: The support by targeted supports alone.
        with_envelopes: The support counting envelopes too.
        instruments: The instruments whose targeted supports reach it (it, its area, or for
            an area one of its key technologies).
        envelopes: The instruments whose envelopes reach it.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> g = korea.summit_2025().graph()
        >>> row = g.support()["quantum_sensing"]  # its area, quantum, is in an envelope
        >>> row.status, row.support, row.with_envelopes, row.envelopes
        ('envelope_only', 0.0, 1.0, ('nst_rd_investment',))
    """

    technology: str
    name: str
    kind: str
    support: float
    supported: bool
    status: str
    targeted: float
    with_envelopes: float
    instruments: tuple[str, ...]
    envelopes: tuple[str, ...]


@attrs.frozen(kw_only=True)
class CoverageRow:
    """The coverage of one mission.

    Attributes:
        mission: Id of the mission.
        name: Its name.
        kind: ``"mission"``, ``"sub_mission"`` or ``"challenge"``.
        parent: Id of its parent mission, if any.
        requirements: How many technologies it requires, counting its sub-missions'.
        coverage: The requirement-weighted mean of the support counted (targeted only,
            unless envelopes were included), in [0, 1]; ``None`` when the mission (with its
            sub-missions) requires nothing.
        coverage_with_envelopes: The same, counting envelopes.
        gaps: The required technologies whose counted support is 0, in portfolio order.
        envelope_only: The required technologies supported only by envelopes.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> g = korea.summit_2025().graph()
        >>> row = g.coverage()["industrial_ax"]
        >>> row.parent, row.requirements, row.coverage, row.gaps
        ('ai_transformation', 3, 0.75, ('virtual_manufacturing_digital_twin_factories',))
    """

    mission: str
    name: str
    kind: str
    parent: str | None
    requirements: int
    coverage: float | None = attrs.field(metadata={"fmt": ".3f"})
    coverage_with_envelopes: float | None = attrs.field(metadata={"fmt": ".3f"})
    gaps: tuple[str, ...]
    envelope_only: tuple[str, ...]


@attrs.frozen(kw_only=True)
class RequirementRow:
    """One technology in a mission's requirements (its own and its sub-missions').

    Attributes:
        mission: Id of the mission.
        technology: Id of the technology.
        weight: The largest weight with which the mission or one of its sub-missions
            requires it.
        support: The technology's counted support.
        contribution: ``weight * support``.
        status: ``"targeted"``, ``"envelope_only"`` or ``"none"`` (see :class:`SupportRow`).

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> g = korea.summit_2025().graph()
        >>> row = g.mission_requirements("industrial_ax")[0]
        >>> row.technology, row.weight, row.contribution, row.status
        ('efficient_learning_and_advanced_ai_infrastructure', 0.5, 0.5, 'targeted')
    """

    mission: str
    technology: str
    weight: float
    support: float = attrs.field(metadata={"fmt": ".3f"})
    contribution: float = attrs.field(metadata={"fmt": ".3f"})
    status: str


@attrs.frozen(kw_only=True)
class GapRow:
    """A technology that missions require and no instrument in force supports (as counted).

    Attributes:
        technology: Id of the technology.
        name: Its name.
        kind: ``"area"`` or ``"key_technology"``.
        missions: The missions that require it directly, in portfolio order.
        weight: The sum of those missions' requirement weights for it.
        status: ``"none"`` (nothing supports it) or ``"envelope_only"`` (only an unallocated
            envelope does: a gap unless envelopes are included).
        envelopes: The instruments whose envelopes reach it.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> g = korea.summit_2025().graph()
        >>> row = g.gaps()[0]
        >>> row.technology, row.missions, row.weight, row.status
        ('semiconductors_displays', ('trade_security',), 1.0, 'envelope_only')
    """

    technology: str
    name: str
    kind: str
    missions: tuple[str, ...]
    weight: float
    status: str
    envelopes: tuple[str, ...]


@attrs.frozen(kw_only=True)
class BottleneckRow:
    """A technology ranked by how many missions depend on it.

    Attributes:
        technology: Id of the technology.
        name: Its name.
        kind: ``"area"`` or ``"key_technology"``.
        score: Missions that require it directly or require a technology that depends on
            it, transitively.
        direct: Missions that require it directly.
        support: Its counted support (see :class:`SupportRow`).
        supported: Whether its support is above 0; unsupported bottlenecks are the risks.
        status: ``"targeted"``, ``"envelope_only"`` or ``"none"``.
        rank: Its rank; technologies with the same score share a rank (a tie).

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> g = korea.summit_2025().graph()
        >>> row = g.bottlenecks(1)[0]
        >>> row.technology, row.score, row.direct, row.supported, row.rank
        ('advanced_ai_modelling_and_decision_making', 2, 2, True, 1)
    """

    technology: str
    name: str
    kind: str
    score: int
    direct: int
    support: float = attrs.field(metadata={"fmt": ".3f"})
    supported: bool
    status: str
    rank: int


@attrs.frozen(kw_only=True)
class RankRow:
    """A technology's PageRank over the requirement and dependency edges.

    Attributes:
        technology: Id of the technology.
        name: Its name.
        kind: ``"area"`` or ``"key_technology"``.
        score: Its PageRank (the scores of all missions and technologies add up to 1).

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> g = korea.summit_2025().graph()
        >>> round(g.rank_technologies(1)[0].score, 4)
        0.0211
    """

    technology: str
    name: str
    kind: str
    score: float = attrs.field(metadata={"fmt": ".5f"})


@attrs.frozen(kw_only=True)
class CentralityRow:
    """A technology's betweenness centrality in the mission–technology graph.

    Attributes:
        technology: Id of the technology.
        name: Its name.
        betweenness: Normalised betweenness centrality.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> g = korea.summit_2025().graph()
        >>> round(g.betweenness(1)[0].betweenness, 3)
        0.276
    """

    technology: str
    name: str
    betweenness: float = attrs.field(metadata={"fmt": ".5f"})


@attrs.frozen(kw_only=True)
class OverlapRow:
    """Two instruments supporting similar sets of key technologies.

    Attributes:
        instrument_a: Id of the first instrument (earlier in the portfolio).
        instrument_b: Id of the second.
        shared: Key technologies both support.
        union: Key technologies either supports.
        jaccard: ``shared / union``.
        ministries_a: Ministries administering the first.
        ministries_b: Ministries administering the second.
        cross_ministry: Both are run by ministries, and no ministry runs both.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> g = korea.summit_2025().graph()
        >>> row = g.overlap(0.2)[0]
        >>> row.instrument_a, row.instrument_b, row.jaccard, row.cross_ministry
        ('ai_budget_2026', 'national_ai_computing_center', 0.25, False)
    """

    instrument_a: str
    instrument_b: str
    shared: int
    union: int
    jaccard: float = attrs.field(metadata={"fmt": ".3f"})
    ministries_a: tuple[str, ...]
    ministries_b: tuple[str, ...]
    cross_ministry: bool


@attrs.frozen(kw_only=True)
class PipelineRow:
    """The actors whose instruments reach one mission (the cross-ministerial pipeline).

    Attributes:
        mission: Id of the mission.
        name: Its name.
        kind: ``"mission"``, ``"sub_mission"`` or ``"challenge"``.
        instruments: Instruments in force that reach it.
        actors: Actors administering those instruments.
        ministries: Those actors that are ministries.
        single_ministry: Exactly one ministry reaches it.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> g = korea.summit_2025().graph()
        >>> row = g.pipeline()["industrial_ax"]
        >>> row.instruments
        ('nst_rd_investment', 'ai_budget_2026', 'national_ai_computing_center',
         'nst_tax_incentives')
        >>> row.ministries, row.single_ministry
        (('msit', 'moef', 'motie', 'mss'), False)
    """

    mission: str
    name: str
    kind: str
    instruments: tuple[str, ...]
    actors: tuple[str, ...]
    ministries: tuple[str, ...]
    single_ministry: bool


@attrs.frozen(kw_only=True)
class LinkageRow:
    """Whether a designated technology is linked to an incentive of a given kind.

    Attributes:
        technology: Id of the technology.
        name: Its name.
        kind: ``"area"`` or ``"key_technology"``.
        support: Its support by incentives of that kind in force (as for instruments).
        linked: Whether ``support`` is above 0.
        incentives: The incentives that name it, its area, or one of its key technologies.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> g = korea.summit_2025().graph()
        >>> g.linkage(kind="tax_credit")["hydrogen"].incentives
        ('rsta_nst_rd_credit', 'rsta_nst_facility_credit')
    """

    technology: str
    name: str
    kind: str
    support: float = attrs.field(metadata={"fmt": ".3f"})
    linked: bool
    incentives: tuple[str, ...]


@attrs.frozen(kw_only=True)
class LinkageTimelineRow:
    """When a designated technology was linked to incentives of a given kind.

    Attributes:
        technology: Id of the technology.
        name: Its name.
        kind: ``"area"`` or ``"key_technology"``.
        linked: Whether it is linked on some date.
        first_linked: The first day it is linked; ``None`` when never linked, or linked
            from an open start (an undated link: see ``periods``).
        periods: The periods it is linked, as ISO ranges ``"2021-07-01.."`` (``..`` alone
            for always; an open side has no date).
        incentives: The incentives that link it at some date, in order of their first day.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> g = korea.summit_2025().graph()
        >>> row = g.linkage_timeline()["artificial_intelligence"]
        >>> row.first_linked, row.periods
        (datetime.date(2025, 1, 1), ('2025-01-01..',))
    """

    technology: str
    name: str
    kind: str
    linked: bool
    first_linked: dt.date | None
    periods: tuple[str, ...]
    incentives: tuple[str, ...]


@attrs.frozen(kw_only=True)
class InstrumentFlowRow:
    """An instrument's money in one year.

    Attributes:
        instrument: Id of the instrument.
        currency: Currency code of the amounts.
        stage: The budget stage of the figure used (``"enacted"``...; ``"stage not given"``).
        budget: Its budget for the year, at that stage.
        overlap: Money of its budget that another counted instrument's budget also holds
            (a known :class:`~stratpolicy.model.BudgetOverlap`), left to that one.
        own: Its budget minus its counted budget lines (``part_of``) and ``overlap``.
        to_technologies: The part of ``own`` that reaches technologies.
        envelope: The part of ``own`` for its envelope (see
            :class:`~stratpolicy.model.Support`); unallocated unless an allocation was asked.
        unallocated: The part of ``own`` that reaches no technology.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> g = korea.summit_2025().graph()
        >>> row = g.funding_flow(2026).instruments["rd_budget_2026"]
        >>> row.stage, row.budget, row.own  # 35.5 trillion KRW less its 8.6 NST R&D line
        ('enacted', 35500000000000.0, 26900000000000.0)
    """

    instrument: str
    currency: str
    stage: str
    budget: float = attrs.field(metadata=_MONEY)
    overlap: float = attrs.field(metadata=_MONEY)
    own: float = attrs.field(metadata=_MONEY)
    to_technologies: float = attrs.field(metadata=_MONEY)
    envelope: float = attrs.field(metadata=_MONEY)
    unallocated: float = attrs.field(metadata=_MONEY)


@attrs.frozen(kw_only=True)
class TechnologyFlowRow:
    """The money reaching one technology in one year.

    Attributes:
        technology: Id of the technology.
        currency: Currency code.
        inflow: Money from the instruments supporting it (envelope money only with an
            allocation).
        to_missions: The part passed on to missions.
        unallocated: The part no mission receives: no related requirement, or several
            missions need it and no allocation was asked.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> g = korea.summit_2025().graph()
        >>> row = g.funding_flow(2026, allocation="equal").technologies["quantum"]
        >>> round(row.inflow)  # 8.6 trillion KRW / 12 areas, split equally by assumption
        716666666667
    """

    technology: str
    currency: str
    inflow: float = attrs.field(metadata=_MONEY)
    to_missions: float = attrs.field(metadata=_MONEY)
    unallocated: float = attrs.field(metadata=_MONEY)


@attrs.frozen(kw_only=True)
class MissionFlowRow:
    """The money reaching one mission in one year.

    Attributes:
        mission: Id of the mission.
        currency: Currency code.
        inflow: Money allocated to it through its own requirements (without an allocation,
            only money at technologies that it alone needs).
        inflow_with_sub: ``inflow`` plus that of its sub-missions, transitively.
        reachable: Money at the technologies related to its requirements and its
            sub-missions', not split: no assumption, but it does not add up across
            missions (money several missions need counts for each).

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> g = korea.summit_2025().graph()
        >>> row = g.funding_flow(2026).missions[0]
        >>> row.mission, row.inflow, round(row.reachable / 1e12, 4)  # 9.9334 - 2.3 to AI
        ('ai_transformation', 0.0, 7.6334)
    """

    mission: str
    currency: str
    inflow: float = attrs.field(metadata=_MONEY)
    inflow_with_sub: float = attrs.field(metadata=_MONEY)
    reachable: float = attrs.field(metadata=_MONEY)


@attrs.frozen(kw_only=True)
class UnallocatedRow:
    """Money that reaches no mission.

    Attributes:
        source: Id of the instrument or technology where it stops.
        source_type: ``"instrument"`` or ``"technology"``.
        reason: ``"no_technology"`` (an instrument's money no support receives),
            ``"envelope"`` (an instrument's envelope, not split without an allocation),
            ``"shared"`` (a technology's money that several missions need, not split
            without an allocation) or ``"no_mission"`` (a technology no requirement names).
        currency: Currency code.
        amount: The amount.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> g = korea.summit_2025().graph()
        >>> [(r.source, r.reason) for r in g.funding_flow(2026).unallocated]
        [('rd_budget_2026', 'no_technology'), ('nst_rd_investment', 'envelope'),
         ('national_growth_fund', 'no_technology'), ('artificial_intelligence', 'shared')]
    """

    source: str
    source_type: str
    reason: str
    currency: str
    amount: float = attrs.field(metadata=_MONEY)


@attrs.frozen(kw_only=True)
class FundingTotalRow:
    """The funding flow's balance for one currency.

    Attributes:
        currency: Currency code.
        budget: Money counted once: the sum of every instrument's own money.
        to_technologies: Money reaching technologies.
        to_missions: Money reaching missions.
        unallocated: Money reaching no mission; ``to_missions + unallocated == budget``.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> g = korea.summit_2025().graph()
        >>> t = g.funding_flow(2026).total("KRW")
        >>> abs(t.to_missions + t.unallocated - t.budget) < 0.01
        True
    """

    currency: str
    budget: float = attrs.field(metadata=_MONEY)
    to_technologies: float = attrs.field(metadata=_MONEY)
    to_missions: float = attrs.field(metadata=_MONEY)
    unallocated: float = attrs.field(metadata=_MONEY)


@attrs.frozen(kw_only=True)
class OverlapFlowRow:
    """A budget overlap between two counted instruments, and how the flow treated it.

    Attributes:
        instrument: Id of the instrument that declares the overlap.
        other: Id of the instrument whose budget also holds the money.
        currency: Currency code of ``amount``.
        amount: The money in both budgets; ``None`` when it is not known.
        subtracted: Whether it was subtracted from ``instrument``'s own money (known
            amounts are; unknown ones cannot be, so a total may count up to ``at_most``
            twice).
        at_most: For an unknown amount, the most it can be (the smaller of the two
            budgets); else the amount.
        stage: The budget stage the amount belongs to (``""`` when not given).
        stage_matches: Whether that stage is the stage of both budgets used; when not, the
            amount of one stage was applied to figures of another (an assumption).

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> g = korea.summit_2025().graph()
        >>> row = g.funding_flow(2026).overlaps[0]
        >>> row.other, row.amount, row.stage, row.stage_matches
        ('rd_budget_2026', 2300000000000.0, 'proposal', False)
    """

    instrument: str
    other: str
    currency: str
    amount: float | None = attrs.field(metadata=_MONEY)
    subtracted: bool
    at_most: float = attrs.field(metadata=_MONEY)
    stage: str
    stage_matches: bool


@attrs.frozen(kw_only=True)
class FundingFlow:
    """Where one year's money goes: instruments to technologies to missions.

    Amounts are plain ``float`` (float64) in whole currency units (won, dollars), with the
    currency code beside them; ``stratpolicy.units.money(row.inflow, row.currency)`` makes a
    pint quantity of one.

    Attributes:
        year: The budget year.
        on: The date instruments had to be in force on (``None``: dates ignored).
        currency: The single currency everything was converted to, if one was asked for.
        stage: The budget stage asked for; ``None``: each instrument's most final stage.
        allocation: The allocation assumption used, or ``None`` (unsplit money stays
            unallocated).
        instruments: Every counted instrument's money.
        technologies: Every technology that receives money (keyed by technology id when the
            flow has one currency).
        missions: Every mission, per currency (keyed by mission id when the flow has one
            currency).
        unallocated: Money reaching no mission, by where it stops.
        overlaps: The budget overlaps between counted instruments.
        totals: The balance per currency.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> g = korea.summit_2025().graph()
        >>> flow = g.funding_flow(2026, allocation="by_weight")
        >>> round(flow.to_mission("industrial_ax") / 1e12, 2)
        3.86
        >>> flow.assumptions()[0]
        "allocation 'by_weight': money without a published split is split by requirement weight"
    """

    year: int
    on: dt.date | None
    currency: str | None
    stage: str | None
    allocation: Allocation | None
    instruments: Table[InstrumentFlowRow]
    technologies: Table[TechnologyFlowRow]
    missions: Table[MissionFlowRow]
    unallocated: Table[UnallocatedRow]
    overlaps: Table[OverlapFlowRow]
    totals: Table[FundingTotalRow]

    def to_mission(self, mission: str, currency: str | None = None) -> float:
        """The money reaching ``mission`` directly (0.0 if none), in one currency.

        Args:
            mission: Id of the mission.
            currency: The currency; may be left out when the flow has only one.
        """
        currency = self._currency(currency)
        for row in self.missions:
            if row.mission == mission and row.currency == currency:
                return row.inflow
        return 0.0

    def total(self, currency: str | None = None) -> FundingTotalRow:
        """The balance for one currency (may be left out when the flow has only one)."""
        currency = self._currency(currency)
        for row in self.totals:
            if row.currency == currency:
                return row
        return FundingTotalRow(
            currency=currency, budget=0.0, to_technologies=0.0, to_missions=0.0, unallocated=0.0
        )

    def _currency(self, currency: str | None) -> str:
        if currency is not None:
            return currency
        found = self.totals.column("currency")
        if len(found) != 1:
            raise ValueError(f"the flow has currencies {list(found)}: name one")
        return str(found[0])

    def assumptions(self) -> tuple[str, ...]:
        """Every assumption the flow's figures rest on, in words (with ids).

        The allocation (if any); the stage rule; stages that differ between counted
        instruments; overlaps whose amount belongs to another stage; overlaps whose amount
        is not known (a total may count that money twice).
        """
        out: list[str] = []
        if self.allocation is not None:
            out.append(
                f"allocation {self.allocation.value!r}: money without a published split is "
                f"{self.allocation.label}"
            )
        if self.stage is None:
            stages = sorted({r.stage for r in self.instruments})
            if len(stages) > 1:
                out.append(
                    "budget stages differ between instruments (each instrument's most final "
                    f"stage recorded for {self.year}): {', '.join(stages)}"
                )
        for o in self.overlaps:
            if o.amount is None:
                out.append(
                    f"{o.instrument!r} and {o.other!r} share money of unknown amount: "
                    f"the total may count up to {o.at_most:,.0f} {o.currency} twice"
                )
            elif not o.stage_matches:
                out.append(
                    f"the overlap of {o.instrument!r} with {o.other!r} is a {o.stage} figure, "
                    "applied to budgets of another stage"
                )
        return tuple(out)

    def to_dict(self) -> dict[str, object]:
        """The flow as plain data."""
        return {
            "year": self.year,
            "on": self.on.isoformat() if self.on else None,
            "currency": self.currency,
            "stage": self.stage,
            "allocation": self.allocation.value if self.allocation is not None else None,
            "assumptions": list(self.assumptions()),
            "totals": self.totals.to_records(),
            "missions": self.missions.to_records(),
            "technologies": self.technologies.to_records(),
            "instruments": self.instruments.to_records(),
            "unallocated": self.unallocated.to_records(),
            "overlaps": self.overlaps.to_records(),
        }


@attrs.frozen(kw_only=True)
class CrosswalkRow:
    """One link between items of two technology lists, oriented from one list to the other.

    Attributes:
        from_list: Id of the list read from.
        from_id: Item of that list.
        to_list: Id of the list mapped to.
        to_id: Item of that list.
        confidence: How sure the mapping is, in [0, 1]; ``None`` when not assessed.
        note: Why the items match.

    Examples:
        >>> from stratpolicy.catalogs import international
        >>> from stratpolicy.graph import crosswalk_table
        >>> crosswalk_table(international.crosswalk_kr12())[0].to_id
        'semiconductors_microelectronics'
    """

    from_list: str
    from_id: str
    to_list: str
    to_id: str
    confidence: float | None
    note: str


@attrs.frozen(kw_only=True)
class ProvenanceRow:
    """One fact a portfolio does not vouch for, or one assumption an analysis rests on.

    Attributes:
        kind: ``"unverified"`` (an entry marked ``verified: false``), ``"editorial"`` (a
            field of a verified entry that is the editors' choice: see ``editorial``),
            ``"context"`` (an object the portfolio's own source does not name) or
            ``"assumption"`` (a rule an analysis applied to the data).
        path: Where it is: a document path (``missions[3].requires[0]``), or for an
            assumption the analysis (``funding_flow``).
        subject: What it is about, in words (a name).
        statement: What is unverified or assumed.
        source: The source given, if any.
        note: The note given (whose choice it is), if any.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> from stratpolicy.graph import provenance
        >>> rows = provenance(korea.summit_2025())
        >>> row = rows[0]
        >>> row.kind, row.path
        ('editorial', 'missions[0].owners')
    """

    kind: str
    path: str
    subject: str
    statement: str
    source: str
    note: str
