"""Build a rule set's evaluation plan: resolve names, check types, order rules, combine.

Everything that can be wrong with a rule set is found here, when it is built: bad or
clashing names, unsafe or ill-typed expressions, undefined names, dependency cycles,
outputs set by several rules without a combination policy.

**Reforms reuse the plan.** A plan depends on a rule set's *structure* -- its inputs,
rules, outputs, Python rules, and each parameter's name, kind and unit -- and not on the
parameters' values: compiled code reads parameters as data. Built plans are kept per
process (:data:`STRUCTURES_KEPT`, least recently used first out); a rule set of the same
structure (a reform made with :meth:`RuleSet.with_parameters` or ``attrs.evolve``, a rule
set unpickled or loaded again) gets a *view* of the plan with its own parameters, and
shares its compiled scalar and vector code. Only two things are checked again: that the
new parameters' keys and members still pass the type checks recorded on the plan
(:data:`._check.Constraint`), and where values may stop being finite, an interval
analysis that reads parameter intervals widened to powers of two (so a reform that moves
a rate within its binade finds the analysis, and the code, already made).
"""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import heapq
import math
import threading
import types
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from stratpolicy.errors import DataError, ExpressionError, Problem, RuleSetError
from stratpolicy.rules import _ir as ir
from stratpolicy.rules._check import Checker as TypeChecker
from stratpolicy.rules._check import Constraint
from stratpolicy.rules._parameters import Parameter
from stratpolicy.rules._parse import parse
from stratpolicy.rules._ranges import FULL, Interval, Ranges, hull, is_finite_interval
from stratpolicy.rules._spec import Combine, Input, Output, PythonRule, Rule, ValueType
from stratpolicy.rules._types import (
    RATIO,
    BoolT,
    CatT,
    DateT,
    KeyedT,
    NumT,
    SetT,
    Type,
    describe,
    dim_of_unit,
    dim_text,
)

if TYPE_CHECKING:
    from stratpolicy.rules._ruleset import RuleSet

__all__ = [
    "STRUCTURES_KEPT",
    "InputInfo",
    "OutputInfo",
    "ParamInfo",
    "Plan",
    "RuleInfo",
    "Shared",
    "build_plan",
    "plan_cache_info",
]

STRUCTURES_KEPT = 64
"""How many rule-set structures (with their compiled code) a process keeps for reuse."""


@dataclass(eq=False)
class InputInfo:
    """A declared input, as the engine uses it."""

    index: int
    name: str
    vtype: ValueType
    unit: str
    type: Type
    categories: tuple[str, ...]
    default: Any  # None: required
    low: float | None = None  # declared bounds (numbers only)
    high: float | None = None


@dataclass(eq=False)
class ParamInfo:
    """A parameter, as the engine uses it."""

    index: int
    name: str
    param: Parameter
    type: Type


@dataclass(eq=False)
class OutputInfo:
    """An output with its writers in combination order."""

    index: int
    name: str
    vtype: ValueType
    unit: str
    type: Type
    categories: tuple[str, ...]
    combine: Combine | None
    default: Any  # None: unset when no rule sets it
    declared: bool
    writers: list[tuple[int, int]] = field(default_factory=list)  # (rule index, slot)
    order: list[tuple[int, int]] = field(default_factory=list)  # writers in policy order


@dataclass(eq=False)
class RuleInfo:
    """A rule with its parsed expressions and the names it reads."""

    index: int
    id: str
    rule: Rule | PythonRule
    path: str
    condition: ir.Node | None
    condition_text: str
    outputs: list[tuple[int, ir.Node | None, str]]  # (output index, expression, text)
    reads: list[str]

    @property
    def is_python(self) -> bool:
        return isinstance(self.rule, PythonRule)

    def in_force(self, on: dt.date) -> bool:
        return self.rule.in_force(on)


class Shared:
    """What every rule set of one structure shares: compiled code and analyses.

    Keyed by the rules in force and the set of checked nodes (see :mod:`._ranges`), so a
    reform whose parameters need the same checks runs the same code objects.
    """

    def __init__(self) -> None:
        self.scalar: dict[tuple[tuple[bool, ...], frozenset[int]], Any] = {}
        self.vector: dict[tuple[tuple[bool, ...], frozenset[int]], Any] = {}
        self.finiteness: dict[tuple[Any, ...], tuple[frozenset[int], frozenset[int]]] = {}
        self.helpers: dict[str, Any] | None = None


@dataclass(eq=False)
class Plan:
    """Everything the evaluators need, computed once per rule set structure.

    ``params``, ``checked`` and ``sum_checked`` belong to one rule set (its parameters);
    everything else, and ``shared``, to every rule set of the same structure.
    """

    inputs: list[InputInfo]
    params: list[ParamInfo]
    outputs: list[OutputInfo]
    rules: list[RuleInfo]
    order: list[int]  # rule indices in dependency order
    combine_after: dict[int, list[int]]  # rule index -> outputs to combine after it
    combine_first: list[int]  # outputs no rule sets
    symbols: dict[str, tuple[str, int]]  # name -> ("input" | "param" | "output", index)
    vocab: tuple[str, ...]
    codes: dict[str, int]
    checked: frozenset[int] = frozenset()  # ids of the nodes checked for NaN and infinity
    sum_checked: frozenset[int] = frozenset()  # outputs whose sum of rules may overflow
    shared: Shared = field(default_factory=Shared)
    constraints: tuple[tuple[int, str, frozenset[str]], ...] = ()  # (param, what, values)

    def param_reads(self, rule: RuleInfo) -> list[int]:
        """Indices of the parameters a rule reads."""
        out = []
        for name in rule.reads:
            kind, index = self.symbols.get(name, ("", -1))
            if kind == "param":
                out.append(index)
        return out


def _input_type(vtype: ValueType, unit: str, categories: Sequence[str]) -> Type:
    if vtype is ValueType.MONEY:
        return NumT(((unit, 1),))
    if vtype is ValueType.NUMBER:
        return NumT(dim_of_unit(unit))
    if vtype is ValueType.BOOL:
        return BoolT()
    if vtype is ValueType.DATE:
        return DateT()
    return CatT(frozenset(categories))


def _param_type(p: Parameter) -> Type:
    if p.kind == "keyed":
        return KeyedT(p.keys(), dim_of_unit(p.unit))
    if p.kind == "set":
        return SetT(p.members())
    if p.kind == "date":
        return DateT()
    return NumT(dim_of_unit(p.unit))


def _overlap(a: Rule | PythonRule, b: Rule | PythonRule) -> bool:
    a_from = a.valid_from or dt.date.min
    b_from = b.valid_from or dt.date.min
    a_to = a.valid_to or dt.date.max
    b_to = b.valid_to or dt.date.max
    return a_from <= b_to and b_from <= a_to


def _compatible(declared: Type, got: Type) -> bool:
    if isinstance(declared, NumT) and isinstance(got, NumT):
        return got.dim is None or got.dim == declared.dim
    if isinstance(declared, BoolT):
        return isinstance(got, BoolT)
    if isinstance(declared, CatT) and isinstance(got, CatT):
        return got.values <= declared.values
    return False


def _find_cycle(edges: dict[int, set[int]], left: set[int]) -> list[int]:
    """One cycle among the rules Kahn's algorithm could not order, in forward order.

    Every such rule has a predecessor among them, so walking backwards must repeat.
    """
    preds = {i: sorted(w for w in left if i in edges[w]) for i in left}
    current = min(left)
    seen: dict[int, int] = {}
    path: list[int] = []
    while current not in seen:
        seen[current] = len(path)
        path.append(current)
        current = preds[current][0]
    cycle = path[seen[current] :]
    cycle.reverse()
    return cycle


class _Builder:
    def __init__(self, rs: RuleSet) -> None:
        self.rs = rs
        self.problems: list[Problem] = []
        self.symbols: dict[str, tuple[str, int]] = {}
        self.inputs: list[InputInfo] = []
        self.params: list[ParamInfo] = []
        self.outputs: list[OutputInfo] = []
        self.out_index: dict[str, int] = {}
        self.rules: list[RuleInfo] = []
        self.order: list[int] = []
        self.constraints: list[Constraint] = []

    def fail(self, path: str, message: str, kind: type[DataError] = RuleSetError) -> None:
        self.problems.append(Problem(path, message, kind))

    def raise_if_any(self) -> None:
        if self.problems:
            raise DataError.from_problems(self.problems)

    def declare(self, name: str, kind: str, index: int, path: str) -> None:
        if name in self.symbols:
            other = self.symbols[name][0]
            self.fail(path, f"name {name!r} is declared twice (as {other} and as {kind})")
            return
        self.symbols[name] = (kind, index)

    def build(self) -> Plan:
        """Build the plan in stages; each stage reports every problem it finds, then stops."""
        self.declare_names()
        self.read_rules()
        self.raise_if_any()
        self.order_rules()
        self.raise_if_any()
        self.check_types()
        self.raise_if_any()
        self.check_combinations()
        self.raise_if_any()
        combine_after, combine_first = self.schedule_combinations()
        vocab = self.vocabulary()
        constraints = {
            (self.symbols[name][1], what, values) for name, what, values in self.constraints
        }
        plan = Plan(
            inputs=self.inputs,
            params=self.params,
            outputs=self.outputs,
            rules=self.rules,
            order=self.order,
            combine_after=combine_after,
            combine_first=combine_first,
            symbols=self.symbols,
            vocab=vocab,
            codes={v: n for n, v in enumerate(vocab)},
            constraints=tuple(sorted(constraints, key=lambda c: (c[0], c[1], sorted(c[2])))),
        )
        plan.checked, plan.sum_checked = _finiteness(plan, self.params)
        return plan

    # -- stage 1: names ---------------------------------------------------------------

    def declare_names(self) -> None:
        """Inputs, parameters and declared outputs, each name declared once."""
        rs = self.rs
        for i, inp in enumerate(rs.inputs):
            assert isinstance(inp, Input)
            self.declare(inp.name, "input", i, f"inputs[{i}].name")
            self.inputs.append(
                InputInfo(
                    i,
                    inp.name,
                    inp.type,
                    inp.unit,
                    _input_type(inp.type, inp.unit, inp.categories),
                    inp.categories,
                    inp.default,
                    inp.min,
                    inp.max,
                )
            )
        for j, param in enumerate(rs.parameters.parameters):
            self.declare(param.name, "param", j, f"parameters.parameters[{j}].name")
            self.params.append(ParamInfo(j, param.name, param, _param_type(param)))
        for k, decl in enumerate(rs.outputs):
            assert isinstance(decl, Output)
            self.declare(decl.name, "output", k, f"outputs[{k}].name")
            self.out_index.setdefault(decl.name, k)
            self.outputs.append(
                OutputInfo(
                    k,
                    decl.name,
                    decl.type,
                    decl.unit,
                    _input_type(decl.type, decl.unit, decl.categories),
                    decl.categories,
                    decl.combine,
                    decl.default,
                    True,
                )
            )

    # -- stage 2: rules -----------------------------------------------------------------

    def read_rules(self) -> None:
        """Rule ids, expressions parsed, the outputs each rule sets and the names it reads."""
        rs = self.rs
        all_rules: list[Rule | PythonRule] = [*rs.rules, *rs.python_rules]
        seen_ids: dict[str, int] = {}
        for r, rule in enumerate(all_rules):
            path = f"rules[{r}]" if r < len(rs.rules) else f"python_rules[{r - len(rs.rules)}]"
            if rule.id in seen_ids:
                self.fail(f"{path}.id", f"rule id {rule.id!r} is used twice")
            seen_ids.setdefault(rule.id, r)
            info = RuleInfo(r, rule.id, rule, path, None, "", [], [])
            if isinstance(rule, Rule):
                self._read_expression_rule(info, rule)
            else:
                self._read_python_rule(info, rule)
            for slot, (k, _, _) in enumerate(info.outputs):
                self.outputs[k].writers.append((r, slot))
            self.rules.append(info)

    def _read_expression_rule(self, info: RuleInfo, rule: Rule) -> None:
        names: dict[str, None] = {}
        try:
            info.condition = parse(rule.condition, f"{info.path}.condition")
            info.condition_text = rule.condition.strip()
            names.update(dict.fromkeys(ir.names(info.condition)))
        except ExpressionError as exc:
            self.problems.extend(
                Problem(p.path, f"rule {rule.id!r}, condition: {p.message}", p.kind)
                for p in exc.problems
            )
        for out_name, text in rule.outputs.items():
            node: ir.Node | None = None
            try:
                node = parse(text, f"{info.path}.outputs.{out_name}")
                names.update(dict.fromkeys(ir.names(node)))
            except ExpressionError as exc:
                self.problems.extend(
                    Problem(
                        p.path,
                        f"rule {rule.id!r}, output {out_name!r}: {p.message}",
                        p.kind,
                    )
                    for p in exc.problems
                )
            k = self._output_slot(out_name, f"{info.path}.outputs")
            if k >= 0:
                info.outputs.append((k, node, text.strip() if isinstance(text, str) else ""))
        info.reads = list(names)

    def _read_python_rule(self, info: RuleInfo, rule: PythonRule) -> None:
        for out_name in rule.sets:
            k = self.out_index.get(out_name, -1)
            if k < 0:
                kind = self.symbols.get(out_name, ("",))[0]
                why = f"is a {kind}" if kind else "is not declared in outputs"
                self.fail(
                    f"{info.path}.sets",
                    f"python rule {rule.id!r} sets {out_name!r}, which {why}",
                )
                continue
            info.outputs.append((k, None, ""))
        info.reads = list(rule.reads)
        for name in rule.reads:
            if name not in self.symbols:
                self.fail(
                    f"{info.path}.reads", f"python rule {rule.id!r} reads unknown name {name!r}"
                )

    # -- stage 3: order -----------------------------------------------------------------

    def order_rules(self) -> None:
        """Data-dependency order (a rule after every rule setting what it reads); a cycle fails."""
        edges: dict[int, set[int]] = {r.index: set() for r in self.rules}
        indegree = {r.index: 0 for r in self.rules}
        for reader in self.rules:
            for name in reader.reads:
                kind, k = self.symbols.get(name, ("", -1))
                if kind != "output":
                    continue
                for writer, _ in self.outputs[k].writers:
                    if reader.index not in edges[writer]:
                        edges[writer].add(reader.index)
                        indegree[reader.index] += 1
        heap = [i for i, d in indegree.items() if d == 0]
        heapq.heapify(heap)
        order: list[int] = []
        while heap:
            current = heapq.heappop(heap)
            order.append(current)
            for nxt in sorted(edges[current]):
                indegree[nxt] -= 1
                if indegree[nxt] == 0:
                    heapq.heappush(heap, nxt)
        if len(order) != len(self.rules):
            left = {i for i, d in indegree.items() if d > 0}
            cycle = _find_cycle(edges, left)
            steps = []
            for a, b in zip(cycle, [*cycle[1:], cycle[0]], strict=True):
                shared = [
                    self.outputs[k].name
                    for k, _, _ in self.rules[a].outputs
                    if self.outputs[k].name in self.rules[b].reads
                ]
                steps.append(
                    f"{self.rules[a].id!r} sets {shared[0]!r}, read by {self.rules[b].id!r}"
                )
            self.fail(
                "rules",
                "rules depend on each other in a cycle: " + "; ".join(steps),
            )
        self.order = order

    # -- stage 4: types -----------------------------------------------------------------

    def check_types(self) -> None:
        """Every expression type-checked in dependency order; undeclared outputs inferred."""
        env: dict[str, Type] = {info.name: info.type for info in self.inputs}
        env.update({info.name: info.type for info in self.params})
        for out in self.outputs:
            if out.declared:
                env[out.name] = out.type
        inferred: dict[int, NumT] = {}
        for r in self.order:
            if isinstance(self.rules[r].rule, Rule):
                self._check_rule_types(self.rules[r], env, inferred)

    def _check_rule_types(
        self, info: RuleInfo, env: dict[str, Type], inferred: dict[int, NumT]
    ) -> None:
        """One rule's condition and outputs; an inferred output's type joins ``env``."""
        checker = TypeChecker(env, self.constraints)
        where = f"rule {info.id!r}"
        if info.condition is not None:
            try:
                t = checker.check(
                    info.condition,
                    info.condition_text,
                    f"{where}, condition",
                    f"{info.path}.condition",
                )
                if not isinstance(t, BoolT):
                    self.fail(
                        f"{info.path}.condition",
                        f"{where}, condition: must be true/false, got {describe(t)} in "
                        f"{info.condition_text!r}",
                        ExpressionError,
                    )
            except ExpressionError as exc:
                self.problems.extend(exc.problems)
        for k, node, text in info.outputs:
            out = self.outputs[k]
            if node is None:
                continue
            opath = f"{info.path}.outputs.{out.name}"
            owhere = f"{where}, output {out.name!r}"
            try:
                t = checker.check(node, text, owhere, opath)
            except ExpressionError as exc:
                self.problems.extend(exc.problems)
                continue
            if out.declared:
                if not _compatible(out.type, t):
                    self.fail(
                        opath,
                        f"{owhere}: declared as {describe(out.type)}, but the expression "
                        f"is {describe(t)} in {' '.join(text.split())!r}",
                        ExpressionError,
                    )
                continue
            if isinstance(t, DateT):
                self.fail(
                    opath,
                    f"{owhere}: the expression is a date, and an output cannot be a date: "
                    "compare it (a bool output) or measure it with days_between (a number)",
                    ExpressionError,
                )
                continue
            if not isinstance(t, NumT):
                self.fail(
                    opath,
                    f"{owhere}: the expression is {describe(t)}; declare {out.name!r} in "
                    "outputs with its type and a default",
                    ExpressionError,
                )
                continue
            previous = inferred.get(k)
            if (
                previous is not None
                and t.dim is not None
                and previous.dim is not None
                and previous.dim != t.dim
            ):
                self.fail(
                    opath,
                    f"{owhere}: other rules set {out.name!r} to {describe(previous)}, "
                    f"this one to {describe(t)}",
                    ExpressionError,
                )
                continue
            if previous is None or previous.dim is None:
                inferred[k] = t
                dim = t.dim if t.dim is not None else RATIO
                out.type = NumT(dim)
                out.unit = dim_text(dim) if dim else ""
                env[out.name] = out.type

    # -- stage 5: combination -----------------------------------------------------------

    def check_combinations(self) -> None:
        """Outputs set by several rules in force together need a policy; policies fit types."""
        for out in self.outputs:
            if not out.writers:
                continue
            if out.combine is None and len(out.writers) > 1:
                for x, (a, _) in enumerate(out.writers):
                    for b, _ in out.writers[x + 1 :]:
                        if a != b and _overlap(self.rules[a].rule, self.rules[b].rule):
                            self.fail(
                                f"outputs.{out.name}",
                                f"output {out.name!r} is set by rules {self.rules[a].id!r} and "
                                f"{self.rules[b].id!r}, which are in force at the same time: "
                                "declare how to combine them (combine: first, priority, max, "
                                "min, sum)",
                            )
                            break
                    else:
                        continue
                    break
            if out.combine is Combine.PRIORITY:
                out.order = sorted(
                    out.writers, key=lambda w: (-self.rules[w[0]].rule.priority, w[0])
                )
            else:
                out.order = list(out.writers)
            if out.combine in (Combine.MAX, Combine.MIN, Combine.SUM) and not isinstance(
                out.type, NumT
            ):
                self.fail(f"outputs.{out.name}", f"{out.combine.value!r} combines numbers only")

    def schedule_combinations(self) -> tuple[dict[int, list[int]], list[int]]:
        """Where each output is combined: after its last writer in order, or first."""
        position = {r: n for n, r in enumerate(self.order)}
        combine_after: dict[int, list[int]] = {}
        combine_first: list[int] = []
        for out in self.outputs:
            if not out.writers:
                combine_first.append(out.index)
                continue
            last = max((w for w, _ in out.writers), key=lambda w: position[w])
            combine_after.setdefault(last, []).append(out.index)
        return combine_after, combine_first

    # -- stage 6: categories --------------------------------------------------------------

    def vocabulary(self) -> tuple[str, ...]:
        """Every category text the rules can meet, sorted: the codes of categories.

        The categories of inputs and outputs and the texts written in expressions. The
        keys and members of parameters are not part of it (they are values: a reform may
        change them); a key no category value can equal is never looked up.
        """
        vocab_set: set[str] = set()
        for input_info in self.inputs:
            vocab_set.update(input_info.categories)
        for out in self.outputs:
            vocab_set.update(out.categories)
        for info in self.rules:
            nodes = [info.condition] + [n for _, n, _ in info.outputs]
            for node in nodes:
                if node is None:
                    continue
                for n in ir.walk(node):
                    if isinstance(n, ir.Text):
                        vocab_set.add(n.value)
                    elif isinstance(n, ir.Member) and n.options is not None:
                        vocab_set.update(n.options)
        return tuple(sorted(vocab_set))

    def _output_slot(self, name: str, path: str) -> int:
        """The slot of an output a rule sets; an undeclared number output gets a new one."""
        outputs = self.outputs
        k = self.out_index.get(name)
        if k is not None:
            return k
        kind = self.symbols.get(name, ("",))[0]
        if kind:
            self.fail(path, f"{name!r} is a {kind}; a rule cannot set it")
            return -1
        from stratpolicy.rules._parse import check_name

        why = check_name(name)
        if why is not None:
            self.fail(path, why)
            return -1
        k = len(outputs)
        outputs.append(
            OutputInfo(k, name, ValueType.NUMBER, "", NumT(RATIO), (), None, None, False)
        )
        self.out_index[name] = k
        self.symbols[name] = ("output", k)
        return k


def _widen(number: float, up: bool) -> float:
    """``number`` moved away from zero (``up``) or towards it to a power of two (or 0)."""
    if number == 0.0:
        return 0.0
    mantissa, exponent = math.frexp(abs(number))  # abs(number) = mantissa * 2**exponent
    if mantissa == 0.5:  # a power of two already
        return number
    away = (number > 0) == up
    try:
        bound = math.ldexp(1.0, exponent if away else exponent - 1)
    except OverflowError:  # past the float range: keep the number itself
        return number
    return bound if number > 0 else -bound


def _param_interval(param: Parameter) -> Interval | None:
    """Every value of a number or keyed parameter on any date, widened to powers of two.

    Widening keeps the interval analysis sound (the true interval lies inside) and makes
    its result, and so the compiled code, the same for a reform that moves a value within
    its binade.
    """
    numbers: list[float] = []
    for entry in param.values:
        if entry.value is not None:
            numbers.append(entry.value)
        elif entry.by_key is not None:
            numbers.extend(entry.by_key.values())
    if not numbers:
        return None
    return (_widen(min(numbers), False), _widen(max(numbers), True))


def _finiteness(plan: Plan, params: list[ParamInfo]) -> tuple[frozenset[int], frozenset[int]]:
    """The nodes to check for NaN and infinity, and the sums of rules that may overflow.

    An interval analysis in dependency order (see :mod:`._ranges`): inputs within their
    bounds, parameters within their (widened) values on every date, outputs within the
    values of the rules that set them. Cached on the plan's shared part by the parameters'
    widened intervals.
    """
    intervals = tuple(_param_interval(p.param) for p in params)
    cache = plan.shared.finiteness
    found = cache.get(intervals)
    if found is None:
        checked, sums = _analyse(plan, params, intervals)
        found = (frozenset(checked), frozenset(sums))
        cache[intervals] = found
    return found


def _analyse(
    plan: Plan, params: list[ParamInfo], intervals: tuple[Interval | None, ...]
) -> tuple[set[int], set[int]]:
    inputs, outputs, rules = plan.inputs, plan.outputs, plan.rules
    order, combine_after = plan.order, plan.combine_after
    env: dict[str, Interval] = {}
    for i in inputs:
        if i.vtype in (ValueType.NUMBER, ValueType.MONEY):
            env[i.name] = (
                i.low if i.low is not None else FULL[0],
                i.high if i.high is not None else FULL[1],
            )
    for p, interval in zip(params, intervals, strict=True):
        if interval is not None:
            env[p.name] = interval
    ranges = Ranges(env)
    written: dict[tuple[int, int], Interval] = {}
    sums: set[int] = set()

    def settle(k: int) -> None:
        out = outputs[k]
        if out.vtype not in (ValueType.NUMBER, ValueType.MONEY):
            return
        values = [written.get(w, FULL) for w in out.writers]
        if out.combine is Combine.SUM and len(values) > 1:
            total = (sum(min(v[0], 0.0) for v in values), sum(max(v[1], 0.0) for v in values))
            if not is_finite_interval(total):
                sums.add(k)
                total = FULL
            values = [total]
        if out.default is not None:
            values.append((out.default, out.default))
        if values:
            ranges.env[out.name] = hull(values)

    for k in [*(k for k in range(len(outputs)) if not outputs[k].writers)]:
        settle(k)
    for r in order:
        info = rules[r]
        for slot, (_, node, _) in enumerate(info.outputs):
            if node is None:  # a Python rule: its values are checked finite
                written[(r, slot)] = FULL
        if not info.is_python:
            if info.condition is not None:
                ranges.condition(info.condition)
            for slot, (_, node, _) in enumerate(info.outputs):
                assert node is not None
                written[(r, slot)] = ranges.output(node)
        for k in combine_after.get(r, []):
            settle(k)
    return ranges.sites, sums


class _Structure:
    """A built plan with the declarations it was built from, for reuse."""

    __slots__ = ("inputs", "outputs", "plan", "python_rules", "rules")

    def __init__(self, rs: RuleSet, plan: Plan) -> None:
        self.inputs = rs.inputs
        self.rules = rs.rules
        self.outputs = rs.outputs
        self.python_rules = rs.python_rules
        self.plan = plan

    def matches(self, rs: RuleSet) -> bool:
        """Whether ``rs`` has this structure (identical or equal declarations)."""
        if not (
            self.inputs == rs.inputs
            and self.outputs == rs.outputs
            and len(self.rules) == len(rs.rules)
            and len(self.python_rules) == len(rs.python_rules)
        ):
            return False
        for a, b in zip(self.rules, rs.rules, strict=True):
            # equal rules, with their outputs in the same order (the plan's slots)
            if a is not b and (a != b or list(a.outputs) != list(b.outputs)):
                return False
        for pa, pb in zip(self.python_rules, rs.python_rules, strict=True):
            if pa is not pb and (
                pa != pb
                or pa.function is not pb.function
                or pa.vector_function is not pb.vector_function
            ):
                return False
        return True

    def view(self, rs: RuleSet) -> Plan | None:
        """The plan for ``rs``'s parameters, or ``None`` if they fail a recorded type check."""
        parameters = rs.parameters.parameters
        for j, what, values in self.plan.constraints:
            param = parameters[j]
            if what == "has":
                ok = values <= param.keys()
            elif what == "keys_within":
                ok = param.keys() <= values
            else:
                ok = param.members() <= values
            if not ok:
                return None
        params = [ParamInfo(j, p.name, p, _param_type(p)) for j, p in enumerate(parameters)]
        plan = dataclasses.replace(self.plan, params=params)
        plan.checked, plan.sum_checked = _finiteness(plan, params)
        return plan


_structures: collections.OrderedDict[tuple[Any, ...], list[_Structure]] = collections.OrderedDict()
_structures_lock = threading.Lock()
_counts = {"reused": 0, "built": 0}


def _structure_key(rs: RuleSet) -> tuple[Any, ...]:
    return (
        tuple(i.name for i in rs.inputs),
        tuple(r.id for r in rs.rules),
        tuple(o.name for o in rs.outputs),
        tuple(r.id for r in rs.python_rules),
        tuple((p.name, p.kind, p.unit) for p in rs.parameters.parameters),
    )


def build_plan(rs: RuleSet) -> Plan:
    """Check a rule set and compute its evaluation plan (reused across reforms).

    A rule set of a structure already built in this process (see the module docstring)
    gets a view of that plan with its own parameters, without parsing, checking or
    compiling again.

    Raises:
        ExpressionError: An expression is unsafe or ill-typed, or reads an unknown name.
        RuleSetError: Names clash, rules form a cycle, or an output is set by several
            rules without a combination policy.
    """
    key = _structure_key(rs)
    with _structures_lock:
        candidates = _structures.get(key)
        if candidates is not None:
            _structures.move_to_end(key)
            candidates = list(candidates)
    for structure in candidates or ():
        if structure.matches(rs):
            view = structure.view(rs)
            if view is not None:
                _counts["reused"] += 1
                return view
            break  # a keyed parameter lost a key, a set gained a member: check it all
    plan = _Builder(rs).build()
    _counts["built"] += 1
    with _structures_lock:
        kept = _structures.setdefault(key, [])
        kept.insert(0, _Structure(rs, plan))
        del kept[4:]  # a few structures per key (rules that differ only in their text)
        _structures.move_to_end(key)
        while len(_structures) > STRUCTURES_KEPT:
            _structures.popitem(last=False)
    return plan


def plan_cache_info() -> types.MappingProxyType[str, int]:
    """How many plans this process built and reused, and how many structures it keeps."""
    with _structures_lock:
        return types.MappingProxyType({**_counts, "kept": len(_structures)})
