"""The rule set: declared inputs and outputs, dated parameters, rules; evaluation."""

from __future__ import annotations

import collections
import datetime as dt
import hashlib
import pickle
import threading
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from stratpolicy._checks import Checker, as_tuple, describe
from stratpolicy.errors import DataError
from stratpolicy.model import Citation
from stratpolicy.rules._decision import Decision, Explanation
from stratpolicy.rules._engine import Engine, unexpected
from stratpolicy.rules._parameters import ParameterSet
from stratpolicy.rules._plan import build_plan
from stratpolicy.rules._spec import Input, Output, PythonRule, Rule

if TYPE_CHECKING:
    from stratpolicy.rules._population import PopulationResult

__all__ = ["BUILT_CACHE_SIZE", "RuleSet", "built_cache_info"]

BUILT_CACHE_SIZE = 32
"""How many rule sets a process keeps, built, after unpickling them (least recently used
first out): a worker that receives the same rule set in every task builds it once."""


def _inputs(value: Iterable[Input]) -> tuple[Input, ...]:
    return as_tuple(value)


def _rules(value: Iterable[Rule]) -> tuple[Rule, ...]:
    return as_tuple(value)


def _outputs(value: Iterable[Output]) -> tuple[Output, ...]:
    return as_tuple(value)


def _python_rules(value: Iterable[PythonRule]) -> tuple[PythonRule, ...]:
    return as_tuple(value)


@attrs.frozen(kw_only=True)
class RuleSet:
    """Rules with their inputs, outputs and dated parameters, checked when built.

    Building a rule set parses and type-checks every expression, orders the rules by data
    dependency (a rule that reads an output runs after every rule that sets it) and checks
    how outputs set by several rules are combined. Any problem is raised at once:
    :class:`~stratpolicy.errors.ExpressionError` for an unsafe, ill-typed expression or an
    unknown name, :class:`~stratpolicy.errors.RuleSetError` for a cycle, clashing names or
    a missing combination policy.

    Attributes:
        id: The rule set's id, cited in explanations.
        inputs: The facts the rules read.
        rules: The rules (expressions).
        outputs: Declarations of outputs (type, unit, combination policy, default).
            Optional for number outputs set by one rule.
        parameters: The dated parameters the rules read.
        python_rules: Rules written as Python functions (not saved to YAML/JSON).
        title: A human-readable name.
        description: What the rule set decides.
        citation: The legal text the rule set implements as a whole.

    Examples:
        >>> import datetime as dt
        >>> rs = RuleSet(
        ...     id="demo",
        ...     inputs=[Input(name="revenue", type="money", unit="KRW")],
        ...     rules=[Rule(id="fee", condition="revenue > 0", outputs={"fee": "0.01 * revenue"})],
        ... )
        >>> rs.evaluate({"revenue": 1000.0}, on=dt.date(2025, 1, 1))["fee"]
        10.0
    """

    id: str
    inputs: tuple[Input, ...] = attrs.field(converter=_inputs)
    rules: tuple[Rule, ...] = attrs.field(default=(), converter=_rules)
    outputs: tuple[Output, ...] = attrs.field(default=(), converter=_outputs)
    parameters: ParameterSet = attrs.field(factory=ParameterSet)
    python_rules: tuple[PythonRule, ...] = attrs.field(default=(), converter=_python_rules)
    title: str = ""
    description: str = ""
    citation: Citation | None = None
    _engine: Engine = attrs.field(init=False, repr=False, eq=False)
    _dates: dict[object, Any] = attrs.field(init=False, repr=False, eq=False)
    _digest: str | None = attrs.field(init=False, repr=False, eq=False, default=None)

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.shapes(self)
        check.non_empty("id", self.id)
        for name, items, cls in (
            ("inputs", self.inputs, Input),
            ("rules", self.rules, Rule),
            ("outputs", self.outputs, Output),
            ("python_rules", self.python_rules, PythonRule),
        ):
            for i, item in enumerate(items):
                if not isinstance(item, cls):
                    check.add(f"{name}[{i}]", f"must be a {cls.__name__}, got {describe(item)}")
        if not isinstance(self.parameters, ParameterSet):
            check.add("parameters", f"must be a ParameterSet, got {describe(self.parameters)}")
        check.done()
        engine = Engine(build_plan(self), self)
        object.__setattr__(self, "_engine", engine)
        object.__setattr__(self, "_dates", engine.functions)

    # -- pickling -------------------------------------------------------------------------

    def _spec(self) -> tuple[Any, ...]:
        return tuple(getattr(self, a.name) for a in attrs.fields(RuleSet) if a.init)

    @property
    def digest(self) -> str:
        """A content hash of the rule set's declarations (SHA-256 of their pickle, hex).

        Two rule sets with the same digest are built from the same declarations. Pickling
        sends the declarations with the digest; the receiving process builds the rule set
        once and reuses it for every later copy with that digest (see
        :data:`BUILT_CACHE_SIZE`), so a worker does not rebuild it for each task.
        """
        digest = self._digest
        if digest is None:
            data = pickle.dumps(self._spec(), protocol=pickle.HIGHEST_PROTOCOL)
            digest = hashlib.sha256(data).hexdigest()
            object.__setattr__(self, "_digest", digest)
        return digest

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.digest, self._spec()))

    def __dask_tokenize__(self) -> tuple[str, str]:
        """Dask's token for the rule set: its content hash (no pickling to tokenise it)."""
        return ("stratpolicy rule set", self.digest)

    # -- introspection --------------------------------------------------------------------

    @property
    def input_names(self) -> tuple[str, ...]:
        """Names of the declared inputs."""
        return tuple(i.name for i in self.inputs)

    @property
    def output_names(self) -> tuple[str, ...]:
        """Names of every output, declared or not, in plan order."""
        return tuple(o.name for o in self._engine.plan.outputs)

    def unit_of(self, name: str) -> str:
        """The unit of an input or an output: ``"KRW"``, ``"count"``, ``""`` for a ratio.

        An output that is not declared has the unit its expressions give it. Bool and
        category values have no unit (``""``).

        Raises:
            KeyError: ``name`` is neither an input nor an output.

        Examples:
            >>> rs = RuleSet(
            ...     id="demo",
            ...     inputs=[Input(name="revenue", type="money", unit="KRW")],
            ...     rules=[Rule(id="fee", outputs={"fee": "0.01 * revenue"})],
            ... )
            >>> rs.unit_of("fee"), rs.unit_of("revenue")
            ('KRW', 'KRW')
        """
        plan = self._engine.plan
        kind, index = plan.symbols.get(name, ("", -1))
        if kind == "input":
            return plan.inputs[index].unit
        if kind == "output":
            return plan.outputs[index].unit
        raise KeyError(f"{name!r} is neither an input nor an output of rule set {self.id!r}")

    @property
    def rule_ids(self) -> tuple[str, ...]:
        """Ids of every rule, in declaration order (expression rules, then Python rules)."""
        return tuple(r.id for r in self._engine.plan.rules)

    @property
    def evaluation_order(self) -> tuple[str, ...]:
        """Rule ids in the order they are evaluated (a topological order of dependencies)."""
        plan = self._engine.plan
        return tuple(plan.rules[r].id for r in plan.order)

    def with_parameters(self, parameters: ParameterSet) -> RuleSet:
        """A copy with other parameters (a reform), checked again."""
        return attrs.evolve(self, parameters=parameters)

    # -- evaluation -----------------------------------------------------------------------

    def evaluate(
        self, facts: Mapping[str, object], *, on: dt.date, strict: bool = True
    ) -> Decision:
        """Evaluate the rules for one case on a date.

        Args:
            facts: Input name -> value. Numbers are plain numbers in the declared unit or
                pint quantities (converted; another currency is an error); categories are
                strings (or ``str`` enum members); booleans are ``True``/``False``; dates
                are ``datetime.date`` objects or ISO text ``YYYY-MM-DD``. A number outside
                its input's ``min``/``max``, NaN, an infinity or a number too large for a
                float is refused; a masked value (``numpy.ma.masked``) counts as not given.
            on: The evaluation date: it selects the rules and parameter values in force
                (a ``date``, a ``datetime``, ``numpy.datetime64`` or text ``YYYY-MM-DD``).
            strict: Refuse facts that are not declared inputs (catches typos: the error
                names the closest input).

        Returns:
            The decision: a read-only ``dict`` of the outputs that are set, and a
            snapshot -- changing ``facts`` afterwards changes neither it nor its
            explanation. Call :meth:`Decision.explain` for the explanation.

        Raises:
            SchemaError: A fact that is not an input (``strict``).
            ValidationError: A fact is of the wrong type, out of its bounds, or needed but
                missing; or a rule cannot be evaluated (division by zero, a keyed
                parameter without the key, a result that is not a finite number -- the
                error names the rule); or a rule in force reads a parameter that has no
                value on the date.
            UnitError: A quantity of the wrong dimension (``CurrencyError``: another currency).
        """
        try:  # the date's compiled function, found with one dictionary look-up
            decision: Decision = self._dates[on](facts, strict)
        except DataError:
            raise
        except Exception as exc:
            return self._evaluate_slowly(facts, on, strict, exc)
        return decision

    def _evaluate_slowly(
        self, facts: Mapping[str, object], on: object, strict: bool, exc: Exception
    ) -> Decision:
        """A date not seen yet (or not hashable), or a case the compiled function refused."""
        try:
            seen = on in self._dates
        except TypeError:  # an unhashable date-like value
            seen = False
        if seen:  # the compiled function failed: find the precise error
            ctx = self._engine.context(on)
            self._engine.diagnose(facts, ctx.on, ctx.regime, strict)
            raise unexpected(exc) from exc
        fn = self._engine.context(on).fn
        try:
            decision: Decision = fn(facts, strict)
        except DataError:
            raise
        except Exception as inner:
            ctx = self._engine.context(on)
            self._engine.diagnose(facts, ctx.on, ctx.regime, strict)
            raise unexpected(inner) from inner
        return decision

    def explain(
        self, facts: Mapping[str, object], *, on: dt.date, strict: bool = True
    ) -> Explanation:
        """Shortcut for ``evaluate(facts, on=on).explain()``."""
        return self.evaluate(facts, on=on, strict=strict).explain()

    def evaluate_many(
        self,
        table: Any,
        *,
        on: dt.date | str,
        columns: Mapping[str, str] | None = None,
        extra: str = "error",
    ) -> PopulationResult:
        """Evaluate the rules over a population at once, vectorised with numpy.

        The results are identical to :meth:`evaluate` row by row: the same numbers, NaN
        where an output is not set, and the same errors. When rows fail, the error lists
        them in order, each with the error :meth:`evaluate` raises for it, up to
        :data:`~stratpolicy.rules.MAX_REPORTED_ROWS` rows (then how many more fail): its
        first problem is that of the first failing row.

        Args:
            table: A mapping of column name -> array-like, a pandas ``DataFrame`` or a
                pyarrow ``Table``. Category columns hold strings (a pandas categorical or
                an arrow dictionary column is fastest); number columns are in the declared
                unit; date columns hold ``datetime64`` values (midnight), ``datetime.date``
                objects or ISO text ``YYYY-MM-DD``. A missing column means every row lacks
                that fact; a masked entry of a numpy masked array (``numpy.ma``) means that
                row lacks it (its default applies, or it is an error when a rule needs it).
                NaN, NaT, ``None`` and pandas' ``NA`` are not missing values but errors.
            on: The evaluation date; or the name of a column of dates, one per row: each
                row is then evaluated on its own date (the rules and parameter values in
                force then), as :meth:`evaluate` would be with ``on=`` that row's date. The
                column may be an input too; if it is not, it is not an unknown column.
            columns: Column name -> input name, for columns named otherwise than their
                input (``{"R&D": "nst_rd_expense"}``, like pandas' ``rename``).
            extra: What to do with a column that is neither an input nor mapped to one:
                ``"error"`` (the default: a misspelt column is caught, and the error names
                the closest input) or ``"ignore"``.

        Returns:
            A mapping of output name -> numpy array (float64 for numbers, bool for
            booleans, object arrays of strings for categories), with ``fired`` masks per
            rule and :meth:`~PopulationResult.to_pandas`. Each array is made when first
            read.

        Raises:
            SchemaError: An unknown column, a bad ``columns`` mapping, a column that is
                not one-dimensional or of another length than the others; an ``on`` that
                is neither a date nor a column.
            ValidationError: Some rows cannot be evaluated (a bad value, a value out of
                its input's bounds, a division by zero, a result that is not finite, a
                row's date that is no date or on which a rule reads a parameter without
                a value...): every failing row up to the limit, first failing row first.

        Examples:
            >>> import datetime as dt
            >>> rs = RuleSet(
            ...     id="demo",
            ...     inputs=[Input(name="placed_in_service", type="date")],
            ...     rules=[Rule(
            ...         id="new",
            ...         condition="placed_in_service > date('2025-12-31')",
            ...         outputs={"age": "days_between(date('2025-12-31'), placed_in_service)"},
            ...     )],
            ... )
            >>> rs.evaluate_many({"placed_in_service": ["2026-01-10", "2026-03-01"]},
            ...                  on=dt.date(2026, 6, 30))["age"]
            array([10., 60.])
        """
        from stratpolicy.rules._population import evaluate_many

        return evaluate_many(self, table, on=on, columns=columns, extra=extra)


# -- the per-process cache of rule sets built from pickles ---------------------------------

_built: collections.OrderedDict[str, RuleSet] = collections.OrderedDict()
_built_lock = threading.Lock()
_built_counts = {"hits": 0, "builds": 0}


def _rebuild(digest: str, spec: tuple[Any, ...]) -> RuleSet:
    """Unpickle a rule set: the one already built in this process, or build it once."""
    with _built_lock:
        found = _built.get(digest)
        if found is not None:
            _built.move_to_end(digest)
            _built_counts["hits"] += 1
            return found
    names = [a.name for a in attrs.fields(RuleSet) if a.init]
    rule_set = RuleSet(**dict(zip(names, spec, strict=True)))
    object.__setattr__(rule_set, "_digest", digest)
    with _built_lock:
        _built_counts["builds"] += 1
        _built[digest] = rule_set
        while len(_built) > BUILT_CACHE_SIZE:
            _built.popitem(last=False)
    return rule_set


def built_cache_info() -> dict[str, int]:
    """This process's cache of unpickled rule sets: ``hits``, ``builds`` and ``size``.

    Examples:
        >>> sorted(built_cache_info())
        ['builds', 'hits', 'size']
    """
    with _built_lock:
        return {**_built_counts, "size": len(_built)}
