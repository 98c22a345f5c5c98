"""Compile a whole rule set into one straight-line Python function (the scalar path).

The generated function takes the facts mapping and returns the :class:`Decision`, a
flat tuple of the context, the bit mask of the inputs not given, the coerced inputs, the
outputs, and one fired flag per rule. Every value that may be NaN or infinite (the sites
:mod:`._ranges` finds) is checked where it is computed, with two float comparisons. One
code object is made per set of rules in force (a few per rule set); each date's parameter
values are bound through the function's globals. See :mod:`._codegen` for why this is safe.
"""

from __future__ import annotations

import ast
import datetime as dt
import types
from typing import Any

from stratpolicy.rules import _ir as ir
from stratpolicy.rules._codegen import assign, attr_free_call, build_function, const, load
from stratpolicy.rules._plan import OutputInfo, Plan, RuleInfo
from stratpolicy.rules._spec import Combine, ValueType

__all__ = ["compile_scalar"]

_BINOPS: dict[str, ast.operator] = {
    "+": ast.Add(),
    "-": ast.Sub(),
    "*": ast.Mult(),
    "/": ast.Div(),
}
_CMPOPS: dict[str, ast.cmpop] = {
    "==": ast.Eq(),
    "!=": ast.NotEq(),
    "<": ast.Lt(),
    "<=": ast.LtE(),
    ">": ast.Gt(),
    ">=": ast.GtE(),
}
_INF = float("inf")


class _Gen:
    def __init__(self, plan: Plan, active: tuple[bool, ...]) -> None:
        self.plan = plan
        self.active = active
        self.constants: dict[str, Any] = {}
        self.temp = 0
        self.option_sets: dict[tuple[str, ...], str] = {}
        self.checked = plan.checked
        self.root: ir.Node | None = None  # the output expression being generated

    # -- finiteness ----------------------------------------------------------------------

    @staticmethod
    def _is_finite(first: ast.expr, var: str) -> ast.expr:
        """``first > -inf and var < inf``, ``first`` being ``var`` or the walrus storing it.

        Two float comparisons, which CPython runs fast; NaN fails both.
        """
        return ast.BoolOp(
            op=ast.And(),
            values=[
                ast.Compare(left=first, ops=[ast.Gt()], comparators=[const(-_INF)]),
                ast.Compare(left=load(var), ops=[ast.Lt()], comparators=[const(_INF)]),
            ],
        )

    def finite(self, value: ast.expr) -> ast.expr:
        """``t if (t := value) > -inf and t < inf else NF()``: the value, refused if not finite."""
        self.temp += 1
        t = f"t{self.temp}"
        stored = ast.NamedExpr(target=ast.Name(id=t, ctx=ast.Store()), value=value)
        return ast.IfExp(test=self._is_finite(stored, t), body=load(t), orelse=attr_free_call("NF"))

    def check_var(self, var: str, maybe_unset: bool) -> ast.stmt:
        """``if not (var > -inf and var < inf): NF()`` (skipped while ``var`` is unset)."""
        test: ast.expr = ast.UnaryOp(op=ast.Not(), operand=self._is_finite(load(var), var))
        if maybe_unset:
            unset = ast.Compare(left=load(var), ops=[ast.IsNot()], comparators=[load("U")])
            test = ast.BoolOp(op=ast.And(), values=[unset, test])
        return ast.If(test=test, body=[ast.Expr(value=attr_free_call("NF"))], orelse=[])

    # -- names ---------------------------------------------------------------------------

    def guarded(self, var: str, kind: str, index: int) -> ast.expr:
        """``var if var is not U else MISS(kind, index)``."""
        return ast.IfExp(
            test=ast.Compare(left=load(var), ops=[ast.IsNot()], comparators=[load("U")]),
            body=load(var),
            orelse=attr_free_call("MISS", const(kind), const(index)),
        )

    def name(self, name: str, passed_on: bool) -> ast.expr:
        """Read a name; guard an unset value only where it would pass on unchanged.

        Every operation on the unset marker raises, so a guard is needed only where the
        value itself becomes a result: an output, a branch of ``x if c else y``, an
        argument of a Python rule (``passed_on``).
        """
        kind, index = self.plan.symbols[name]
        if kind == "input":
            if passed_on and self.plan.inputs[index].default is None:
                return self.guarded(f"x{index}", "input", index)
            return load(f"x{index}")
        if kind == "param":
            return load(f"p{index}")
        if passed_on and self.plan.outputs[index].default is None:
            return self.guarded(f"o{index}", "output", index)
        return load(f"o{index}")

    # -- expressions ---------------------------------------------------------------------

    def expr(self, node: ir.Node, passed_on: bool = False) -> ast.expr:
        value = self._expr(node, passed_on)
        if node is not self.root and id(node) in self.checked:
            return self.finite(value)
        return value

    def _expr(self, node: ir.Node, passed_on: bool = False) -> ast.expr:
        if isinstance(node, ir.Num | ir.Text | ir.Truth):
            return const(node.value)
        if isinstance(node, ir.Day):  # a date is no constant of the syntax tree: a global
            name = f"DAY{node.value.toordinal()}"
            self.constants[name] = node.value
            return load(name)
        if isinstance(node, ir.Name):
            return self.name(node.id, passed_on)
        if isinstance(node, ir.Lookup):
            return ast.Subscript(
                value=self.name(node.table, False), slice=self.expr(node.key), ctx=ast.Load()
            )
        if isinstance(node, ir.Unary):
            op: ast.unaryop = ast.Not() if node.op == "not" else ast.USub()
            return ast.UnaryOp(op=op, operand=self.expr(node.operand))
        if isinstance(node, ir.Binary):
            return ast.BinOp(
                left=self.expr(node.left), op=_BINOPS[node.op], right=self.expr(node.right)
            )
        if isinstance(node, ir.Power):
            if node.exponent == 0:
                return const(1.0)
            base = self.expr(node.base, passed_on and node.exponent == 1)
            if node.exponent == 1:
                return base
            self.temp += 1
            t = f"t{self.temp}"
            result: ast.expr = ast.NamedExpr(target=ast.Name(id=t, ctx=ast.Store()), value=base)
            for _ in range(node.exponent - 1):
                result = ast.BinOp(left=result, op=ast.Mult(), right=load(t))
            return result
        if isinstance(node, ir.Compare):
            return ast.Compare(
                left=self.expr(node.left),
                ops=[_CMPOPS[node.op]],
                comparators=[self.expr(node.right)],
            )
        if isinstance(node, ir.Member):
            if node.options is not None:
                key = node.options
                if key not in self.option_sets:
                    self.option_sets[key] = f"K{len(self.option_sets)}"
                    self.constants[self.option_sets[key]] = frozenset(key)
                target: ast.expr = load(self.option_sets[key])
            else:
                assert node.table is not None
                target = self.name(node.table, False)
            op_in: ast.cmpop = ast.NotIn() if node.negate else ast.In()
            return ast.Compare(left=self.expr(node.item), ops=[op_in], comparators=[target])
        if isinstance(node, ir.Logic):
            bool_op: ast.boolop = ast.And() if node.op == "and" else ast.Or()
            return ast.BoolOp(op=bool_op, values=[self.expr(v) for v in node.operands])
        if isinstance(node, ir.Cond):
            return ast.IfExp(
                test=self.expr(node.test),
                body=self.expr(node.body, passed_on),
                orelse=self.expr(node.orelse, passed_on),
            )
        assert isinstance(node, ir.Call)
        args = [self.expr(a) for a in node.args]
        if node.func in ("min", "max"):
            helper = "FMIN" if node.func == "min" else "FMAX"
            result = args[0]
            for arg in args[1:]:
                result = attr_free_call(helper, result, arg)
            return result
        if node.func == "abs":
            return attr_free_call("ABS", args[0])
        if node.func == "clip":
            return attr_free_call("CLIP", *args)
        if node.func == "days_between":
            return attr_free_call("DAYS", *args)
        if len(node.args) == 2:
            digits = node.args[1]
            assert isinstance(digits, ir.Num)
            return attr_free_call("ROUND", args[0], const(int(digits.value)))
        return attr_free_call("ROUND", args[0], const(0))

    # -- statements ----------------------------------------------------------------------

    def inputs(self) -> list[ast.stmt]:
        """Read and check every fact; count the missing ones (``have``) and mark them (``gone``).

        A fact that is absent (or masked: its checker raises a ``KeyError``) takes the
        input's default. With ``strict``, a mapping with more keys than inputs found holds
        an unknown name: ``EXTRA`` names it.
        """
        plan = self.plan
        body: list[ast.stmt] = [assign("gone", const(0)), assign("have", const(len(plan.inputs)))]
        for info in plan.inputs:
            var = f"x{info.index}"
            default = info.default
            missing_value: ast.expr = const(default) if default is not None else load("U")
            if isinstance(default, dt.date):  # not a constant of the syntax tree: a global
                self.constants[f"DEF{info.index}"] = default
                missing_value = load(f"DEF{info.index}")
            if info.vtype in (ValueType.NUMBER, ValueType.MONEY):
                # type(x) is not float or not (low <= x <= high), with -inf < x < inf unbounded
                low_op: ast.cmpop = ast.LtE() if info.low is not None else ast.Lt()
                high_op: ast.cmpop = ast.LtE() if info.high is not None else ast.Lt()
                bad: ast.expr = ast.BoolOp(
                    op=ast.Or(),
                    values=[
                        ast.Compare(
                            left=ast.Attribute(value=load(var), attr="__class__", ctx=ast.Load()),
                            ops=[ast.IsNot()],
                            comparators=[load("FLOAT")],
                        ),
                        ast.UnaryOp(
                            op=ast.Not(),
                            operand=ast.Compare(
                                left=const(info.low if info.low is not None else -_INF),
                                ops=[low_op, high_op],
                                comparators=[
                                    load(var),
                                    const(info.high if info.high is not None else _INF),
                                ],
                            ),
                        ),
                    ],
                )
                fix = "CNUM"
            elif info.vtype is ValueType.BOOL:
                bad = ast.Compare(
                    left=ast.Attribute(value=load(var), attr="__class__", ctx=ast.Load()),
                    ops=[ast.IsNot()],
                    comparators=[load("BOOL")],
                )
                fix = "CBOOL"
            elif info.vtype is ValueType.DATE:
                bad = ast.Compare(
                    left=ast.Attribute(value=load(var), attr="__class__", ctx=ast.Load()),
                    ops=[ast.IsNot()],
                    comparators=[load("DATE")],
                )
                fix = "CDATE"
            else:
                # a value that is not an allowed string (or is unhashable) goes to CCAT
                self.constants[f"CATS{info.index}"] = frozenset(info.categories)
                bad = ast.Compare(
                    left=load(var), ops=[ast.NotIn()], comparators=[load(f"CATS{info.index}")]
                )
                fix = "CCAT"
            coerce = ast.If(
                test=bad,
                body=[assign(var, attr_free_call(fix, load(var), const(info.index)))],
                orelse=[],
            )
            body.append(
                ast.Try(
                    body=[
                        assign(
                            var,
                            ast.Subscript(
                                value=load("facts"), slice=const(info.name), ctx=ast.Load()
                            ),
                        ),
                        coerce,
                    ],
                    handlers=[
                        ast.ExceptHandler(
                            type=load("KEYERROR"),
                            name=None,
                            body=[
                                assign(var, missing_value),
                                assign(
                                    "gone",
                                    ast.BinOp(
                                        left=load("gone"),
                                        op=ast.BitOr(),
                                        right=ast.Constant(value=1 << info.index),
                                    ),
                                ),
                                assign(
                                    "have",
                                    ast.BinOp(left=load("have"), op=ast.Sub(), right=const(1)),
                                ),
                            ],
                        )
                    ],
                    orelse=[],
                    finalbody=[],
                )
            )
        # strict: more keys than inputs found means a name that is not an input
        body.append(
            ast.If(
                test=ast.BoolOp(
                    op=ast.And(),
                    values=[
                        load("strict"),
                        ast.Compare(
                            left=attr_free_call("LEN", load("facts")),
                            ops=[ast.NotEq()],
                            comparators=[load("have")],
                        ),
                    ],
                ),
                body=[ast.Expr(value=attr_free_call("EXTRA", load("facts")))],
                orelse=[],
            )
        )
        return body

    def rule(self, info: RuleInfo) -> list[ast.stmt]:
        r = info.index
        flag = f"f{r}"
        if info.is_python:
            keywords = [ast.keyword(arg=name, value=self.name(name, True)) for name in info.reads]
            call = ast.Call(func=load(f"PY{r}"), args=[], keywords=keywords)
            fired: list[ast.stmt] = [assign(flag, const(True))]
            for slot, _ in enumerate(info.outputs):
                fired.append(
                    assign(
                        f"r{r}_{slot}",
                        attr_free_call("PYO", load("res"), const(r), const(slot)),
                    )
                )
            return [
                assign(flag, const(False)),
                assign("res", call),
                ast.If(
                    test=ast.Compare(
                        left=load("res"), ops=[ast.IsNot()], comparators=[const(None)]
                    ),
                    body=fired,
                    orelse=[],
                ),
            ]
        before: list[ast.stmt] = []
        outputs: list[ast.stmt] = [assign(flag, const(True))]
        cond = info.condition
        always = isinstance(cond, ir.Truth) and cond.value
        for slot, (k, node, _) in enumerate(info.outputs):
            assert node is not None
            self.root = node
            value = self.expr(node, True)
            self.root = None
            var = f"o{k}" if self.sole_writer(k) else f"r{r}_{slot}"
            if self.sole_writer(k):
                # the only rule in force that sets this output: assign it directly
                before.append(assign(var, self.missing(self.plan.outputs[k])))
            outputs.append(assign(var, value))
            if id(node) in self.checked:
                outputs.append(self.check_var(var, False))
        if always:
            return outputs
        assert cond is not None
        return [
            *before,
            assign(flag, const(False)),
            ast.If(test=self.expr(cond), body=outputs, orelse=[]),
        ]

    def sole_writer(self, k: int) -> bool:
        """Whether exactly one rule in force sets output ``k`` (an expression rule)."""
        writers = [r for r, _ in self.plan.outputs[k].order if self.active[r]]
        return len(writers) == 1 and not self.plan.rules[writers[0]].is_python

    @staticmethod
    def missing(out: OutputInfo) -> ast.expr:
        return const(out.default) if out.default is not None else load("U")

    def combine(self, out: OutputInfo) -> list[ast.stmt]:
        var = f"o{out.index}"
        writers = [(r, s) for r, s in out.order if self.active[r]]
        missing = self.missing(out)
        if not writers:
            return [assign(var, missing)]
        if self.sole_writer(out.index):
            return []  # assigned by the rule itself
        if out.combine in (Combine.SUM, Combine.MAX, Combine.MIN):
            body: list[ast.stmt] = [assign(var, load("U"))]
            for r, s in writers:
                value = load(f"r{r}_{s}")
                if out.combine is Combine.SUM:
                    merged: ast.expr = ast.BinOp(left=load(var), op=ast.Add(), right=value)
                else:
                    helper = "FMAX" if out.combine is Combine.MAX else "FMIN"
                    merged = attr_free_call(helper, load(var), value)
                body.append(
                    ast.If(
                        test=load(f"f{r}"),
                        body=[
                            assign(
                                var,
                                ast.IfExp(
                                    test=ast.Compare(
                                        left=load(var), ops=[ast.Is()], comparators=[load("U")]
                                    ),
                                    body=load(f"r{r}_{s}"),
                                    orelse=merged,
                                ),
                            )
                        ],
                        orelse=[],
                    )
                )
            if out.default is not None:
                body.append(
                    ast.If(
                        test=ast.Compare(left=load(var), ops=[ast.Is()], comparators=[load("U")]),
                        body=[assign(var, const(out.default))],
                        orelse=[],
                    )
                )
            if (
                out.combine is Combine.SUM
                and len(writers) > 1
                and out.index in self.plan.sum_checked
            ):
                body.append(self.check_var(var, out.default is None))  # a sum may overflow
            return body
        # first / priority / single writer: an if-elif chain
        chain: list[ast.stmt] = [assign(var, missing)]
        for r, s in reversed(writers):
            chain = [
                ast.If(test=load(f"f{r}"), body=[assign(var, load(f"r{r}_{s}"))], orelse=chain)
            ]
        return chain

    def function(self) -> types.CodeType:
        plan = self.plan
        inputs = self.inputs()
        body: list[ast.stmt] = []
        for k in plan.combine_first:
            body.extend(self.combine(plan.outputs[k]))
        for r in plan.order:
            if self.active[r]:
                body.extend(self.rule(plan.rules[r]))
            for k in plan.combine_after.get(r, []):
                body.extend(self.combine(plan.outputs[k]))
        body = inputs + body + self.decision()
        return build_function("rules", ["facts", "strict"], body, "<stratpolicy rules>")

    def may_be_unset(self, out: OutputInfo) -> bool:
        """Whether output ``out`` may be unset at the end (no default, no rule always sets it)."""
        if out.default is not None:
            return False
        for r, _ in out.order:
            info = self.plan.rules[r]
            if not self.active[r] or info.is_python:
                continue
            cond = info.condition
            if isinstance(cond, ir.Truth) and cond.value and out.combine is not Combine.SUM:
                return False  # a rule in force that always fires sets it
        return True

    def decision(self) -> list[ast.stmt]:
        """Build the :class:`Decision`: a dict of the outputs set, then its one slot.

        ``d = {name: o0, ...}``, minus the outputs left unset; ``r = DECISION(d)`` (the
        dict is copied by ``dict.__init__``, a C-level clone); ``r._state = (CTX, gone,
        x0, ..., f0, ...)``. The attribute is our own and the object of our own class, as
        every name in this function.
        """
        plan = self.plan
        body: list[ast.stmt] = [
            assign(
                "d",
                ast.Dict(
                    keys=[const(o.name) for o in plan.outputs],
                    values=[load(f"o{o.index}") for o in plan.outputs],
                ),
            )
        ]
        for out in plan.outputs:
            if self.may_be_unset(out):
                body.append(
                    ast.If(
                        test=ast.Compare(
                            left=load(f"o{out.index}"), ops=[ast.Is()], comparators=[load("U")]
                        ),
                        body=[
                            ast.Delete(
                                targets=[
                                    ast.Subscript(
                                        value=load("d"), slice=const(out.name), ctx=ast.Del()
                                    )
                                ]
                            )
                        ],
                        orelse=[],
                    )
                )
        state: list[ast.expr] = [load("CTX"), load("gone")]
        state += [load(f"x{i.index}") for i in plan.inputs]
        state += [load(f"f{r.index}") if self.active[r.index] else const(False) for r in plan.rules]
        body += [
            assign("r", attr_free_call("DECISION", load("d"))),
            ast.Assign(
                targets=[ast.Attribute(value=load("r"), attr="_state", ctx=ast.Store())],
                value=ast.Tuple(elts=state, ctx=ast.Load()),
            ),
            ast.Return(value=load("r")),
        ]
        return body


def compile_scalar(plan: Plan, active: tuple[bool, ...]) -> tuple[types.CodeType, dict[str, Any]]:
    """Compile the rules in force into a code object; return it with its constant globals."""
    gen = _Gen(plan, active)
    code = gen.function()
    return code, gen.constants
