"""A tracing interpreter of the intermediate representation.

It computes exactly what the compiled code computes (same float operations, same
helpers from :mod:`._runtime`), but slowly and carefully: it records every name an
expression reads and the truth value of every clause of a condition (for
:meth:`Decision.explain`), and it turns a failure -- a required input that is missing,
a division by zero, a keyed parameter without the key -- into a clear error naming the
rule and quoting the expression (for error reports of both evaluation paths).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from stratpolicy.errors import EvaluationError, Problem, ValidationError
from stratpolicy.rules import _ir as ir
from stratpolicy.rules._check import segment
from stratpolicy.rules._parameters import ResolvedParameter
from stratpolicy.rules._plan import Plan, RuleInfo
from stratpolicy.rules._runtime import (
    UNSET,
    clip,
    days_between,
    fmax,
    fmin,
    round_half_even,
    shown,
)
from stratpolicy.rules._spec import Combine

__all__ = ["Failure", "Read", "RuleRun", "Run", "nonfinite_message", "run_rules"]

_INF = float("inf")


class Failure(Exception):
    """Evaluating an expression failed; ``message`` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Read:
    """One value an expression read."""

    name: str
    kind: str  # input | parameter | output
    value: Any
    key: str | None = None


@dataclass
class RuleRun:
    """What happened to one rule."""

    index: int
    status: str  # fired | not_fired | not_in_force
    condition: bool | None = None
    clauses: list[tuple[str, bool | None]] = field(default_factory=list)
    values: list[Any] = field(default_factory=list)  # one per output slot (UNSET if not run)
    reads: list[Read] = field(default_factory=list)


@dataclass
class Run:
    """The result of interpreting a whole rule set on one case."""

    outputs: list[Any]
    rules: list[RuleRun]


class _Context:
    def __init__(
        self,
        plan: Plan,
        params: Sequence[ResolvedParameter | None],
        inputs: Sequence[Any],
        outputs: list[Any],
        on: dt.date,
    ) -> None:
        self.plan = plan
        self.params = params
        self.inputs = inputs
        self.outputs = outputs
        self.on = on
        self.reads: list[Read] | None = None
        self.text = ""
        self.root: ir.Node | None = None  # the expression being evaluated
        self.checked = plan.checked

    def _record(self, read: Read) -> None:
        if self.reads is not None and not any(
            r.name == read.name and r.key == read.key for r in self.reads
        ):
            self.reads.append(read)

    def read(self, name: str) -> Any:
        kind, index = self.plan.symbols[name]
        if kind == "input":
            value = self.inputs[index]
            if value is UNSET:
                raise Failure(f"input {name!r} is needed but was not given (it has no default)")
            self._record(Read(name, "input", value))
            return value
        if kind == "param":
            resolved = self.params[index]
            if resolved is None:  # pragma: no cover - regimes refuse this before running
                raise Failure(f"parameter {name!r} has no value on {self.on.isoformat()}")
            if not isinstance(resolved.value, Mapping):
                self._record(Read(name, "parameter", resolved.value))
            return resolved.value
        value = self.outputs[index]
        if value is UNSET:
            raise Failure(f"output {name!r} is needed but no rule set it (and it has no default)")
        self._record(Read(name, "output", value))
        return value

    def quote(self, node: ir.Node) -> str:
        part = segment(self.text, node.pos) if self.text else ""
        return part or ir.to_source(node)

    def value(self, node: ir.Node) -> Any:
        result = self._value(node)
        if id(node) in self.checked and not -_INF < result < _INF:
            what = "the result" if node is self.root else repr(self.quote(node))
            raise Failure(nonfinite_message(what, result))
        return result

    def _value(self, node: ir.Node) -> Any:
        if isinstance(node, ir.Num | ir.Text | ir.Truth | ir.Day):
            return node.value
        if isinstance(node, ir.Name):
            return self.read(node.id)
        if isinstance(node, ir.Lookup):
            table = self.read(node.table)
            key = self.value(node.key)
            if key not in table:
                keys = ", ".join(sorted(table))
                resolved = self.params[self.plan.symbols[node.table][1]]
                since = ""
                if resolved is not None and resolved.start is not None:
                    since = f", in force from {resolved.start.isoformat()}"
                raise Failure(
                    f"parameter {node.table!r} has no value for {key!r} on "
                    f"{self.on.isoformat()} (its keys then: {keys}{since})"
                )
            self._record(Read(node.table, "parameter", table[key], key))
            return table[key]
        if isinstance(node, ir.Unary):
            operand = self.value(node.operand)
            return (not operand) if node.op == "not" else -operand
        if isinstance(node, ir.Binary):
            left = self.value(node.left)
            right = self.value(node.right)
            if node.op == "+":
                return left + right
            if node.op == "-":
                return left - right
            if node.op == "*":
                return left * right
            if right == 0:
                raise Failure(f"division by zero: {self.quote(node.right)!r} is {right!r}")
            return left / right
        if isinstance(node, ir.Power):
            if node.exponent == 0:
                return 1.0
            base = self.value(node.base)
            result = base
            for _ in range(node.exponent - 1):
                result = result * base
            return result
        if isinstance(node, ir.Compare):
            left = self.value(node.left)
            right = self.value(node.right)
            op = node.op
            if op == "==":
                return left == right
            if op == "!=":
                return left != right
            if op == "<":
                return left < right
            if op == "<=":
                return left <= right
            if op == ">":
                return left > right
            return left >= right
        if isinstance(node, ir.Member):
            item = self.value(node.item)
            if node.options is not None:
                found = item in node.options
            else:
                assert node.table is not None
                found = item in self.read(node.table)
            return not found if node.negate else found
        if isinstance(node, ir.Logic):
            if node.op == "and":  # short-circuit, like the compiled code
                return all(self.value(operand) for operand in node.operands)
            return any(self.value(operand) for operand in node.operands)
        if isinstance(node, ir.Cond):
            return self.value(node.body) if self.value(node.test) else self.value(node.orelse)
        assert isinstance(node, ir.Call)
        args = [self.value(a) for a in node.args]
        if node.func in ("min", "max"):
            helper = fmin if node.func == "min" else fmax
            result = args[0]
            for arg in args[1:]:
                result = helper(result, arg)
            return result
        if node.func == "abs":
            return abs(args[0])
        if node.func == "clip":
            return clip(args[0], args[1], args[2])
        if node.func == "days_between":
            return days_between(args[0], args[1])
        digits = int(args[1]) if len(args) == 2 else 0
        return round_half_even(args[0], digits)

    def clauses(self, node: ir.Node) -> list[tuple[str, bool | None]]:
        """Truth values of the top-level clauses of a condition (``None``: not evaluated)."""
        if not isinstance(node, ir.Logic):
            return []
        out: list[tuple[str, bool | None]] = []
        decided = False
        for operand in node.operands:
            if decided:
                out.append((self.quote(operand), None))
                continue
            value = bool(self.value(operand))
            out.append((self.quote(operand), value))
            decided = (not value) if node.op == "and" else value
        return out


def nonfinite_message(what: str, value: float) -> str:
    """Why a value that is not finite is refused."""
    if value != value:
        return (
            f"{what} is nan (not a number): a value on the way overflowed the float range "
            "(about 1.8e308) and was then combined with another (inf - inf, 0 * inf)"
        )
    return f"{what} is {value!r}: it overflows the float range (about 1.8e308)"


def _combine(plan: Plan, k: int, runs: list[RuleRun], active: Sequence[bool]) -> Any:
    out = plan.outputs[k]
    default = out.default if out.default is not None else UNSET
    writers = [(r, s) for r, s in out.order if active[r]]
    if out.combine in (Combine.SUM, Combine.MAX, Combine.MIN):
        acc: Any = UNSET
        for r, s in writers:
            if runs[r].status != "fired":
                continue
            value = runs[r].values[s]
            if acc is UNSET:
                acc = value
            elif out.combine is Combine.SUM:
                acc = acc + value
            elif out.combine is Combine.MAX:
                acc = fmax(acc, value)
            else:
                acc = fmin(acc, value)
        if acc is not UNSET and not -_INF < acc < _INF:
            fired = ", ".join(
                repr(plan.rules[r].id) for r, _ in writers if runs[r].status == "fired"
            )
            what = f"output {out.name!r}: the sum of the values of rules {fired}"
            message = nonfinite_message(what, acc)
            raise EvaluationError([Problem(f"outputs[{k}]", message, EvaluationError)])
        return default if acc is UNSET else acc
    for r, s in writers:
        if runs[r].status == "fired":
            return runs[r].values[s]
    return default


def _fail(info: RuleInfo, part: str, text: str, path: str, message: str) -> EvaluationError:
    flat = " ".join(text.split())
    quoted = f" in {flat!r}" if flat else ""
    message = f"rule {info.id!r}, {part}: {message}{quoted}"
    return EvaluationError([Problem(path, message, EvaluationError)])


def run_rules(
    plan: Plan,
    active: Sequence[bool],
    params: Sequence[ResolvedParameter | None],
    inputs: Sequence[Any],
    on: dt.date,
    *,
    trace: bool,
) -> Run:
    """Interpret every rule in force on one case.

    Args:
        plan: The rule set's plan.
        active: Whether each rule is in force on the date.
        params: Each parameter's value on the date (``None``: not in force).
        inputs: The coerced input values (``UNSET`` for missing ones).
        on: The evaluation date.
        trace: Record reads and clause values for an explanation.

    Raises:
        ValidationError: A rule cannot be evaluated on this case; the message names the
            rule, the expression and the reason.
    """
    outputs: list[Any] = [UNSET] * len(plan.outputs)
    runs = [RuleRun(r.index, "not_in_force") for r in plan.rules]
    ctx = _Context(plan, params, inputs, outputs, on)
    for k in plan.combine_first:
        outputs[k] = _combine(plan, k, runs, active)
    for r in plan.order:
        info = plan.rules[r]
        run = runs[r]
        if active[r]:
            run.values = [UNSET] * len(info.outputs)
            ctx.reads = run.reads if trace else None
            if info.is_python:
                _run_python(plan, info, run, ctx)
            else:
                assert info.condition is not None
                ctx.text = info.condition_text
                ctx.root = info.condition
                try:
                    if trace:
                        run.clauses = ctx.clauses(info.condition)
                    run.condition = bool(ctx.value(info.condition))
                except Failure as exc:
                    raise _fail(
                        info,
                        "condition",
                        info.condition_text,
                        f"{info.path}.condition",
                        exc.message,
                    ) from None
                run.status = "fired" if run.condition else "not_fired"
                if run.condition:
                    for slot, (k, node, text) in enumerate(info.outputs):
                        assert node is not None
                        ctx.text = text
                        ctx.root = node
                        name = plan.outputs[k].name
                        try:
                            run.values[slot] = ctx.value(node)
                        except Failure as exc:
                            raise _fail(
                                info,
                                f"output {name!r}",
                                text,
                                f"{info.path}.outputs.{name}",
                                exc.message,
                            ) from None
        for k in plan.combine_after.get(r, []):
            outputs[k] = _combine(plan, k, runs, active)
    return Run(outputs, runs)


def _text(exc: BaseException) -> str:
    try:
        text = str(exc)
    except Exception:  # pragma: no cover - a broken __str__
        return "(no message)"
    return text if len(text) <= 200 else text[:200] + "..."


def _run_python(plan: Plan, info: RuleInfo, run: RuleRun, ctx: _Context) -> None:
    from stratpolicy.rules._facts import coerce_output

    try:
        kwargs = {name: ctx.read(name) for name in info.reads}
    except Failure as exc:
        raise _fail(info, "arguments", "", f"{info.path}.reads", exc.message) from None
    try:
        result = info.rule.function(**kwargs)  # type: ignore[union-attr]
    except Exception as exc:
        message = f"python rule {info.id!r} raised {type(exc).__name__}: {_text(exc)}"
        raise EvaluationError([Problem(info.path, message, EvaluationError)]) from exc
    run.condition = result is not None
    run.status = "fired" if result is not None else "not_fired"
    if result is None:
        return
    for slot, (k, _, _) in enumerate(info.outputs):
        out = plan.outputs[k]
        path = f"{info.path}.sets.{out.name}"
        if not isinstance(result, Mapping):
            message = f"python rule {info.id!r} must return a mapping or None, got {shown(result)}"
            raise ValidationError([Problem(path, message)])
        if out.name not in result:
            raise ValidationError(
                [Problem(path, f"python rule {info.id!r} did not return {out.name!r}")]
            )
        run.values[slot] = coerce_output(result[out.name], out, path, info.id)
