"""Early warning: threshold rules over indicator series raise dated alerts.

An *indicator series* (:class:`stratpolicy.model.IndicatorSeries`) holds the observations
of one metric for one technology, e.g. the KISTEP technology level (% of the leading
country) or the gap in years, per country and assessment round. :func:`indicator_facts`
turns a technology's series into one set of facts per observation date; the alert rules
are an ordinary :class:`RuleSet` whose category output (``alert_level`` by default)
says how serious things are; :func:`early_warning` evaluates them on every date and
returns an :class:`Alert` for each rule that raised the level above its default.

Facts made from series (for the focal country, ``KR`` by default):

* ``<metric>`` -- the focal country's value on that date (``level_pct``);
* ``<metric>_change`` -- its change since the previous observation;
* ``<metric>_<country>`` -- another country's value (``level_pct_cn``);
* ``<metric>_lead_<country>`` -- that country's value minus the focal country's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from stratpolicy.model import Citation, IndicatorSeries

if TYPE_CHECKING:
    from stratpolicy.rules._ruleset import RuleSet

__all__ = ["Alert", "early_warning", "indicator_facts"]


@attrs.frozen(kw_only=True)
class Alert:
    """A dated alert raised by a threshold rule.

    Attributes:
        technology: The technology the alert is about.
        on: The observation date that triggered it.
        level: The alert level (a category of the rule set's level output).
        rule: The id of the rule that raised it.
        message: The rule's description.
        values: The facts the rule read, by name.
        citation: The rule's citation, if any.
    """

    technology: str
    on: dt.date
    level: str
    rule: str
    message: str = ""
    values: Mapping[str, Any] = attrs.field(factory=dict)
    citation: Citation | None = None

    def __str__(self) -> str:
        shown = ", ".join(
            f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in self.values.items()
        )
        head = f"{self.on.isoformat()} {self.technology}: {self.level}"
        return f"{head} ({self.rule}: {self.message}) [{shown}]"


def indicator_facts(
    series: Iterable[IndicatorSeries], *, country: str = "KR"
) -> list[tuple[dt.date, dict[str, float]]]:
    """One mapping of facts per observation date, built from indicator series.

    Args:
        series: The series of one technology (several metrics, several countries).
        country: The focal country (points without a country count as the focal one).

    Returns:
        ``(date, facts)`` pairs in date order; see the module docs for the fact names.

    Examples:
        >>> from stratpolicy.model import IndicatorPoint, IndicatorSeries
        >>> R2022, R2024 = dt.date(2022, 12, 31), dt.date(2024, 12, 31)
        >>> s = IndicatorSeries(metric="level_pct", points=[
        ...     IndicatorPoint(on=R2022, value=81.7, country="KR"),
        ...     IndicatorPoint(on=R2024, value=82.7, country="KR"),
        ...     IndicatorPoint(on=R2024, value=91.3, country="CN")])
        >>> day, facts = indicator_facts([s])[-1]
        >>> {k: round(v, 6) for k, v in facts.items()}
        {'level_pct': 82.7, 'level_pct_change': 1.0, 'level_pct_cn': 91.3, 'level_pct_lead_cn': 8.6}
    """
    by_date: dict[dt.date, dict[str, float]] = {}
    for s in series:
        previous: float | None = None
        for point in s.points:
            facts = by_date.setdefault(point.on, {})
            who = point.country or country
            if who == country:
                facts[s.metric] = point.value
                if previous is not None:
                    facts[f"{s.metric}_change"] = point.value - previous
                previous = point.value
            else:
                facts[f"{s.metric}_{who.lower()}"] = point.value
    out = []
    for day in sorted(by_date):
        facts = by_date[day]
        for name in list(facts):
            for s in series:
                prefix = f"{s.metric}_"
                rest = name[len(prefix) :] if name.startswith(prefix) else ""
                if rest and rest != "change" and "_" not in rest and s.metric in facts:
                    facts[f"{s.metric}_lead_{rest}"] = facts[name] - facts[s.metric]
        out.append((day, facts))
    return out


def early_warning(
    series: Mapping[str, Sequence[IndicatorSeries]],
    rules: RuleSet,
    *,
    country: str = "KR",
    level: str = "alert_level",
) -> list[Alert]:
    """Evaluate alert rules on every observation of every technology.

    Args:
        series: Technology id -> its indicator series.
        rules: A rule set whose inputs are fact names (see :func:`indicator_facts`;
            give inputs that may be absent a default) and which has a category output
            ``level`` whose default means "no alert".
        country: The focal country.
        level: The name of the level output.

    Returns:
        One alert per rule that set the level to something other than its default, in
        order of technology, then date, then rule.

    Raises:
        RuleSetError: The rule set has no category output ``level`` with a default.
    """
    from stratpolicy.errors import Problem, RuleSetError

    declared = {o.name: o for o in rules.outputs}
    out = declared.get(level)
    if out is None or out.type.value != "category" or out.default is None:
        raise RuleSetError(
            [
                Problem(
                    "outputs",
                    f"the rule set needs a category output {level!r} with a default",
                    RuleSetError,
                )
            ]
        )
    alerts: list[Alert] = []
    inputs = set(rules.input_names)
    for technology, tech_series in series.items():
        for day, facts in indicator_facts(tech_series, country=country):
            given = {k: v for k, v in facts.items() if k in inputs}
            decision = rules.evaluate(given, on=day)
            if decision.get(level) == out.default:
                continue
            explanation = decision.explain()
            for trace in explanation.rules:
                if trace.status != "fired":
                    continue
                for name, _, value in trace.outputs:
                    if name == level and value != out.default:
                        alerts.append(
                            Alert(
                                technology=technology,
                                on=day,
                                level=str(value),
                                rule=trace.rule,
                                message=trace.description,
                                values={u.name: u.value for u in trace.used if u.kind == "input"},
                                citation=trace.citation,
                            )
                        )
    return alerts
