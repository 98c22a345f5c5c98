"""Hypothesis strategies that generate valid model objects and portfolios."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from stratpolicy import (
    Actor,
    ActorKind,
    BudgetEntry,
    BudgetOverlap,
    BudgetStage,
    Citation,
    FirmSize,
    Incentive,
    IncentiveKind,
    IndicatorPoint,
    IndicatorSeries,
    Instrument,
    InstrumentKind,
    Milestone,
    Mission,
    MissionKind,
    Portfolio,
    Requirement,
    Roadmap,
    Successor,
    Support,
    Target,
    Technology,
    TechnologyCode,
    TechnologyKind,
    TechnologyLink,
)
from stratpolicy.units import quantity

text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20
).filter(lambda s: s.strip() != "")
ids = st.from_regex(r"[a-z][a-z0-9_]{0,11}", fullmatch=True)
dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31))
unit_floats = st.floats(min_value=0.0, max_value=1.0, exclude_min=True, allow_nan=False)
magnitudes = st.one_of(
    st.integers(min_value=0, max_value=10**15),
    st.floats(min_value=0.0, max_value=1e15, allow_nan=False),
)
money = st.builds(
    quantity,
    magnitudes,
    st.sampled_from(["KRW", "trillion KRW", "billion USD", "EUR", "JPY", "CNY"]),
)
amounts = st.one_of(
    money,
    st.builds(quantity, magnitudes, st.sampled_from(["GPU", "GW", "TWh", "exaFLOP/s", "%"])),
)


@st.composite
def date_pairs(draw: st.DrawFn) -> tuple[dt.date | None, dt.date | None]:
    start = draw(st.none() | dates)
    end = draw(st.none() | dates)
    if start and end and end < start:
        start, end = end, start
    return start, end


@st.composite
def citations(draw: st.DrawFn) -> Citation:
    start, end = draw(date_pairs())
    return Citation(
        act=draw(text),
        article=draw(st.sampled_from(["", "10(1)2", "24"])),
        effective_from=start,
        effective_to=end,
        url=draw(st.sampled_from(["", "https://www.law.go.kr/"])),
    )


targets = st.one_of(
    st.builds(Target, metric=text, rank=st.integers(1, 10), due=st.none() | dates, source=text),
    st.builds(Target, metric=text, value=amounts, verified=st.booleans()),
    st.builds(Target, metric=text, description=text),
)


@st.composite
def portfolios(draw: st.DrawFn) -> Portfolio:
    """A valid portfolio whose references all resolve."""
    names = draw(st.lists(ids, min_size=4, max_size=30, unique=True))
    n_areas = draw(st.integers(1, max(1, len(names) // 4)))
    rest = names[n_areas:]
    n_keys = draw(st.integers(0, len(rest) // 2))
    n_missions = draw(st.integers(0, len(rest[n_keys:]) // 2))
    area_ids, key_ids = names[:n_areas], rest[:n_keys]
    mission_ids = rest[n_keys : n_keys + n_missions]
    others = rest[n_keys + n_missions :]
    actor_ids, instrument_ids = others[: len(others) // 2], others[len(others) // 2 :]
    tech_ids = area_ids + key_ids
    techs = [
        Technology(
            id=a,
            name=draw(text),
            kind=TechnologyKind.AREA,
            name_local=draw(st.sampled_from(["", "인공지능", "量子"])),
            codes=tuple(
                draw(
                    st.lists(
                        st.builds(TechnologyCode, scheme=ids, code=ids),
                        max_size=2,
                        unique_by=lambda c: c.scheme,
                    )
                )
            ),
            source=draw(st.sampled_from(["", "https://example.org/a"])),
            verified=draw(st.booleans()),
        )
        for a in area_ids
    ]
    for k in key_ids:
        series = draw(
            st.lists(
                st.builds(
                    IndicatorSeries,
                    metric=text,
                    unit=st.sampled_from(["%", "years"]),
                    points=st.lists(
                        st.builds(IndicatorPoint, on=dates, value=st.floats(0, 100)), max_size=3
                    ).map(lambda ps: tuple(sorted(ps, key=lambda p: p.on))),
                ),
                max_size=1,
            )
        )
        techs.append(
            Technology(
                id=k,
                name=draw(text),
                parent=draw(st.sampled_from(area_ids)),
                aliases=tuple(draw(st.lists(text, max_size=2))),
                indicators=tuple(series),
            )
        )
    actors = []
    for n, a in enumerate(actor_ids):
        start, end = draw(date_pairs())
        later = actor_ids[n + 1 :]
        successors = (
            [Successor(actor=s, remit=draw(st.sampled_from(["", "tax"]))) for s in later[:1]]
            if later and draw(st.booleans())
            else []
        )
        actors.append(
            Actor(
                id=a,
                name=draw(text),
                kind=(kind := draw(st.sampled_from(list(ActorKind)))),
                firm_size=draw(st.sampled_from(list(FirmSize))) if kind is ActorKind.FIRM else None,
                start=start,
                end=end,
                successors=tuple(successors),
            )
        )
    missions: list[Mission] = []
    for i, m in enumerate(mission_ids):
        parent = draw(st.none() | st.sampled_from(mission_ids[:i])) if i else None
        required = draw(st.lists(st.sampled_from(tech_ids), unique=True, max_size=4))
        start, due = draw(date_pairs())
        missions.append(
            Mission(
                id=m,
                name=draw(text),
                kind=MissionKind.MISSION
                if parent is None
                else draw(st.sampled_from([MissionKind.SUB_MISSION, MissionKind.CHALLENGE])),
                parent=parent,
                goal=draw(st.sampled_from(["", "A goal"])),
                targets=tuple(draw(st.lists(targets, max_size=2))),
                requires=tuple(
                    Requirement(
                        technology=t,
                        weight=draw(unit_floats),
                        verified=draw(st.booleans()),
                        note=draw(st.sampled_from(["", "editors' choice"])),
                    )
                    for t in required
                ),
                editorial=tuple(draw(st.sampled_from([(), ("goal",), ("parent", "owners")]))),
                owners=tuple(draw(st.lists(st.sampled_from(actor_ids), unique=True, max_size=2)))
                if actor_ids
                else (),
                start=start,
                due=due,
            )
        )
    incentive_ids = [f"inc_{i}" for i in range(draw(st.integers(0, 2)))]
    incentives = [
        Incentive(
            id=i,
            name=draw(text),
            kind=draw(st.sampled_from(list(IncentiveKind))),
            technologies=tuple(
                t if draw(st.booleans()) else TechnologyLink(technology=t, start=s, end=e)
                for t in draw(st.lists(st.sampled_from(tech_ids), unique=True, max_size=3))
                for s, e in [draw(date_pairs())]
            ),
            beneficiaries=tuple(
                draw(st.lists(st.sampled_from(list(FirmSize)), unique=True, max_size=2))
            ),
            citation=draw(st.none() | citations()),
        )
        for i in incentive_ids
    ]
    instruments = []
    for i in instrument_ids:
        supported = draw(st.lists(st.sampled_from(tech_ids), unique=True, max_size=4))
        shares = [
            draw(st.none() | st.floats(0.01, 1.0 / max(1, len(supported)))) for _ in supported
        ]
        years = draw(st.lists(st.integers(2000, 2040), unique=True, max_size=3))
        stages = [draw(st.none() | st.sampled_from(list(BudgetStage))) for _ in years]
        start, end = draw(date_pairs())
        instruments.append(
            Instrument(
                id=i,
                name=draw(text),
                kind=draw(st.sampled_from(list(InstrumentKind))),
                budget=tuple(
                    BudgetEntry(year=y, amount=draw(money), stage=st_)
                    for y, st_ in zip(years, stages, strict=True)
                ),
                administered_by=tuple(
                    draw(st.lists(st.sampled_from(actor_ids), unique=True, max_size=2))
                )
                if actor_ids
                else (),
                supports=tuple(
                    Support(
                        technology=t,
                        share=s,
                        envelope=s is None and draw(st.booleans()),
                        start=draw(st.none() | dates),
                        verified=draw(st.booleans()),
                    )
                    for t, s in zip(supported, shares, strict=True)
                ),
                overlaps=tuple(
                    BudgetOverlap(instrument=o, year=draw(st.integers(2000, 2040)))
                    for o in draw(
                        st.lists(
                            st.sampled_from([x for x in instrument_ids if x != i] or [None]),
                            unique=True,
                            max_size=1,
                        )
                    )
                    if o is not None
                ),
                context=draw(st.booleans()),
                editorial=tuple(draw(st.sampled_from([(), ("kind",)]))),
                missions=tuple(
                    draw(st.lists(st.sampled_from(mission_ids), unique=True, max_size=2))
                )
                if mission_ids
                else (),
                incentives=tuple(
                    draw(st.lists(st.sampled_from(incentive_ids), unique=True, max_size=2))
                )
                if incentive_ids
                else (),
                legal_basis=tuple(draw(st.lists(citations(), max_size=1))),
                start=start,
                end=end,
            )
        )
    milestones = sorted(
        draw(
            st.lists(
                st.builds(Milestone, id=ids, name=text, due=dates),
                max_size=3,
                unique_by=lambda m: m.id,
            )
        ),
        key=lambda m: m.due,
    )
    roadmaps = (
        [Roadmap(id="roadmap_x", name="Roadmap", milestones=tuple(milestones))]
        if draw(st.booleans())
        else []
    )
    return Portfolio(
        id="generated",
        name=draw(text),
        country=draw(st.sampled_from(["", "KR", "DE"])),
        as_of=draw(st.none() | dates),
        technologies=tuple(techs),
        missions=tuple(missions),
        instruments=tuple(instruments),
        incentives=tuple(incentives),
        actors=tuple(actors),
        roadmaps=tuple(roadmaps),
        verified=draw(st.booleans()),
    )
