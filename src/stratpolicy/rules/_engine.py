"""Evaluation machinery of a built rule set: regimes, compiled functions, diagnosis.

A *regime* is what is in force on a date: which rules, and which value of each
parameter. Dates with the same regime share one compiled function; the function for a
date is found with one dictionary look-up after the first call.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import types
from collections.abc import Mapping
from typing import Any

from stratpolicy._checks import describe, parse_iso_date
from stratpolicy.errors import DataError, EvaluationError, Problem, ValidationError
from stratpolicy.rules._codegen import make_function
from stratpolicy.rules._decision import Decision
from stratpolicy.rules._facts import input_value, make_coercers
from stratpolicy.rules._interp import Run, run_rules
from stratpolicy.rules._parameters import ResolvedParameter
from stratpolicy.rules._plan import Plan
from stratpolicy.rules._runtime import (
    UNSET,
    clip,
    days_between,
    fmax,
    fmin,
    missing,
    round_half_even,
    shown,
)
from stratpolicy.rules._scalar import compile_scalar

__all__ = ["Context", "Engine", "Regime", "as_date"]

_MAX_DATES = 100_000


def as_date(on: object) -> dt.date:
    """Normalise an evaluation date.

    A ``date``; a ``datetime`` or a pandas ``Timestamp`` (its date); a
    ``numpy.datetime64`` (its day); ISO text ``YYYY-MM-DD`` (strictly: one spelling of a
    date, as everywhere in the library).
    """
    if isinstance(on, dt.datetime):
        if on == on:  # not pandas' NaT
            return on.date()
    elif isinstance(on, dt.date):
        return on
    elif isinstance(on, str):
        day = parse_iso_date(str(on))
        if day is not None:
            return day
    elif type(on).__name__ == "datetime64" and type(on).__module__.startswith("numpy"):
        item = on.astype("datetime64[D]").item()  # type: ignore[attr-defined]
        if isinstance(item, dt.date):  # None for NaT, an int past year 9999
            return item
    raise ValidationError(
        [Problem("on", f"must be a date (a datetime.date or text YYYY-MM-DD), got {shown(on)}")]
    )


class Regime:
    """The rules and parameter values in force on some dates, with the compiled function."""

    __slots__ = ("active", "error", "fn", "params", "vector")

    def __init__(
        self,
        active: tuple[bool, ...],
        params: tuple[ResolvedParameter | None, ...],
        error: str | None,
    ) -> None:
        self.active = active
        self.params = params
        self.error = error
        self.fn: Any = None
        self.vector: Any = None


class Context:
    """One evaluation date of one rule set: the regime in force and its function."""

    __slots__ = ("fn", "on", "regime", "rule_set")

    def __init__(self, rule_set: Any, on: dt.date, regime: Regime) -> None:
        self.rule_set = rule_set
        self.on = on
        self.regime = regime
        self.fn: Any = None
        if regime.fn is not None:  # the regime's function, bound to this date's context
            globals_ = dict(regime.fn.__globals__)
            globals_["CTX"] = self
            self.fn = types.FunctionType(regime.fn.__code__, globals_, "rules")


class Engine:
    """Holds a plan, its compiled code per set of rules in force, and its regimes."""

    def __init__(self, plan: Plan, rule_set: Any) -> None:
        self.plan = plan
        self.rule_set = rule_set
        self.by_date: dict[dt.date, Context] = {}
        self.functions: dict[object, Any] = {}  # date as given -> its compiled function
        self.regimes: dict[tuple[tuple[bool, ...], tuple[int, ...]], Regime] = {}
        self._breakpoints: list[dt.date] | None = None
        shared = plan.shared
        helpers = shared.helpers
        if helpers is None:
            helpers = shared.helpers = _helpers(plan)
        self.helpers: dict[str, Any] = helpers

    # -- regimes -------------------------------------------------------------------------

    def context(self, on: object) -> Context:
        """The evaluation context of a date (cached by the date as given, too)."""
        day = as_date(on)
        ctx = self.by_date.get(day)
        if ctx is None:
            ctx = Context(self.rule_set, day, self.regime(day))
            if ctx.fn is None:
                ctx.fn = self._refuse(ctx.regime)
            if len(self.by_date) >= _MAX_DATES:
                self.by_date.clear()
                self.functions.clear()
            self.by_date[day] = ctx
        with contextlib.suppress(TypeError):  # an unhashable date-like value
            self.functions[on] = ctx.fn
        return ctx

    def breakpoints(self) -> list[dt.date]:
        """The days on which the regime may change, sorted.

        Between two of them (and before the first, and from the last on) every day has
        the same regime.
        """
        found = self._breakpoints
        if found is None:
            days: set[dt.date] = set()
            for info in self.plan.rules:
                rule = info.rule
                if rule.valid_from is not None:
                    days.add(rule.valid_from)
                if rule.valid_to is not None and rule.valid_to < dt.date.max:
                    days.add(rule.valid_to + dt.timedelta(days=1))
            for p in self.plan.params:
                days.update(v.start for v in p.param.values if v.start is not None)
                if p.param.end is not None and p.param.end < dt.date.max:
                    days.add(p.param.end + dt.timedelta(days=1))
            found = self._breakpoints = sorted(days)
        return found

    @staticmethod
    def _refuse(regime: Regime) -> Any:
        message = regime.error or ""

        def refuse(facts: object, strict: bool) -> Any:
            raise ValidationError([Problem("on", message)])

        return refuse

    def regime(self, day: dt.date) -> Regime:
        """The regime of a date."""
        plan = self.plan
        active = tuple(info.in_force(day) for info in plan.rules)
        indices = tuple(p.param.index_at(day) for p in plan.params)
        key = (active, indices)
        regime = self.regimes.get(key)
        if regime is None:
            params = tuple(
                p.param.resolve(day) if i >= 0 else None
                for p, i in zip(plan.params, indices, strict=True)
            )
            error = None
            for info in plan.rules:
                if not active[info.index]:
                    continue
                for j in plan.param_reads(info):
                    if params[j] is None:
                        param = plan.params[j].param
                        starts = [v.start for v in param.values if v.start is not None]
                        span = ""
                        if starts:
                            span = f" (its schedule starts {min(starts).isoformat()}"
                            span += f", ends {param.end.isoformat()})" if param.end else ")"
                        error = (
                            f"rule {info.id!r} is in force on {day.isoformat()} but reads "
                            f"parameter {param.name!r}, which has no value then{span}"
                        )
                        break
                if error:
                    break
            regime = Regime(active, params, error)
            if error is None:
                regime.fn = self._function(regime)
            self.regimes[key] = regime
        return regime

    def _function(self, regime: Regime) -> Any:
        plan = self.plan
        key = (regime.active, plan.checked)
        compiled = plan.shared.scalar.get(key)
        if compiled is None:
            compiled = compile_scalar(plan, regime.active)
            plan.shared.scalar[key] = compiled
        code, constants = compiled
        namespace = dict(self.helpers)
        namespace.update(constants)
        for p, resolved in zip(self.plan.params, regime.params, strict=True):
            if resolved is None:
                continue
            value = resolved.value
            namespace[f"p{p.index}"] = dict(value) if isinstance(value, Mapping) else value
        return make_function(code, namespace)

    # -- evaluation ----------------------------------------------------------------------

    def raise_regime(self, regime: Regime) -> None:
        """Raise the error of a regime in which a rule reads a parameter not in force."""
        raise ValidationError([Problem("on", regime.error or "")])

    def coerce_inputs(self, facts: Mapping[str, object], strict: bool) -> list[Any]:
        """Check and convert facts one by one (the careful path)."""
        values: list[Any] = []
        helpers = self.helpers
        for info in self.plan.inputs:
            if info.name in facts:
                values.append(input_value(info, facts[info.name], helpers))
            else:
                values.append(info.default if info.default is not None else UNSET)
        if strict:
            helpers["EXTRA"](facts)
        return values

    def diagnose(
        self, facts: Mapping[str, object], on: dt.date, regime: Regime, strict: bool
    ) -> None:
        """Re-run a failed case carefully and raise the precise error."""
        if not isinstance(facts, Mapping):
            raise ValidationError([Problem("facts", f"must be a mapping, got {describe(facts)}")])
        inputs = self.coerce_inputs(facts, strict)
        run_rules(self.plan, regime.active, regime.params, inputs, on, trace=False)

    def interpret(self, inputs: list[Any], on: dt.date, regime: Regime, trace: bool) -> Run:
        """Interpret the rules on coerced inputs (for explanations)."""
        return run_rules(self.plan, regime.active, regime.params, inputs, on, trace=trace)


def _helpers(plan: Plan) -> dict[str, Any]:
    """The globals every compiled function of a plan's structure shares (read-only)."""
    helpers: dict[str, Any] = {
        "U": UNSET,
        "MISS": missing,
        "FMIN": fmin,
        "FMAX": fmax,
        "ABS": abs,
        "CLIP": clip,
        "DAYS": days_between,
        "DATE": dt.date,
        "ROUND": round_half_even,
        "FLOAT": float,
        "BOOL": bool,
        "STR": str,
        "LEN": len,
        "KEYERROR": KeyError,
        "DECISION": Decision,
    }
    helpers.update(make_coercers(plan))
    for info in plan.rules:
        if info.is_python:
            helpers[f"PY{info.index}"] = info.rule.function  # type: ignore[union-attr]
    return helpers


def unexpected(exc: BaseException) -> DataError:  # pragma: no cover - a bug if reached
    """Wrap an error the careful path could not reproduce."""
    message = f"evaluation failed: {type(exc).__name__}: {exc}"
    return EvaluationError([Problem("", message, EvaluationError)])
