"""Compile a rule set into one numpy kernel over columns (the population path).

The kernel computes every rule for every row at once: conditions become boolean masks,
``x if c else y`` becomes :func:`numpy.where`, categories are small integer codes into
the rule set's vocabulary (keyed parameters are looked up with :func:`numpy.take`,
membership with a boolean table). Because both branches of a choice are computed for all
rows, errors are tracked as *poison masks* -- the rows where a division by zero, a
missing key, an unset value or a value that is not finite (at the sites :mod:`._ranges`
finds) would be *reached* by the scalar path. The kernel
does not stop at the first one: every poisoned row is collected in ``BAD``, so the caller
reports the failing rows in order, and the kernel fails exactly where
:meth:`RuleSet.evaluate` would.

See :mod:`._codegen` for how the generated tree becomes a function safely.
"""

from __future__ import annotations

import ast
import datetime as dt
import math
import types
from typing import Any

from stratpolicy.rules import _ir as ir
from stratpolicy.rules._codegen import assign, attr_free_call, build_function, const, load
from stratpolicy.rules._plan import OutputInfo, Plan, RuleInfo
from stratpolicy.rules._spec import Combine, ValueType

__all__ = ["EPOCH", "VectorCode", "compile_vector"]

EPOCH = dt.date(1970, 1, 1).toordinal()
"""Dates in the kernels are days since 1970-01-01 (numpy's ``datetime64[D]`` as int64)."""

_ARITH: dict[str, ast.operator] = {"+": ast.Add(), "-": ast.Sub(), "*": ast.Mult()}
_CMPOPS: dict[str, ast.cmpop] = {
    "==": ast.Eq(),
    "!=": ast.NotEq(),
    "<": ast.Lt(),
    "<=": ast.LtE(),
    ">": ast.Gt(),
    ">=": ast.GtE(),
}

Value = tuple[ast.expr, ast.expr | None]  # (value, poison or None when it cannot fail)


def _is_zero(value: ast.expr) -> bool:
    """Whether ``value`` is the number literal +0.0 (a float, not -0.0, a bool or a code)."""
    return (
        isinstance(value, ast.Constant)
        and type(value.value) is float
        and value.value == 0.0
        and math.copysign(1.0, value.value) > 0
    )


class VectorCode:
    """A compiled kernel with the lookup sites whose tables depend on the date."""

    def __init__(
        self,
        code: types.CodeType,
        constants: dict[str, Any],
        key_sites: list[tuple[str, int, ir.Name | ir.Text]],
    ) -> None:
        self.code = code
        self.constants = constants
        self.key_sites = key_sites  # (site name, parameter index, key)


class _Gen:
    def __init__(self, plan: Plan, active: tuple[bool, ...]) -> None:
        self.plan = plan
        self.active = active
        self.body: list[ast.stmt] = []
        self.count = 0
        self.constants: dict[str, Any] = {}
        self.luts: dict[tuple[str, ...], str] = {}
        self.key_sites: list[tuple[str, int, ir.Name | ir.Text]] = []
        self.checked = plan.checked
        self.root: ir.Node | None = None  # the output expression being generated
        self.all_flags: set[int] = set()  # rules whose condition is always true
        # common subexpressions: how often each is generated, the step of its last use,
        # its variables once made, and the variables to free after each step
        self.repeats: dict[ir.Node, int] = {}
        self.last_step: dict[ir.Node, int] = {}
        self.made: dict[ir.Node, Value] = {}
        self.free_after: dict[int, list[str]] = {}
        self.step = 0

    def plan_repeats(self) -> None:
        """Count the subexpressions the kernel will compute, in the order it computes them.

        A subexpression met again (``o6 > 0.0`` in five conditions) is computed once, kept
        in a variable, and freed after the step (rule) that uses it last. Its children are
        not counted again: the kept value stands for them.
        """
        plan = self.plan
        step = 0

        def visit(node: ir.Node) -> None:
            stack = [node]
            while stack:
                current = stack.pop()
                if isinstance(current, ir.Num | ir.Text | ir.Truth | ir.Day | ir.Name):
                    continue
                if isinstance(current, ir.Lookup) and isinstance(current.key, ir.Text):
                    continue  # a constant of the date
                seen = self.repeats.get(current, 0)
                self.repeats[current] = seen + 1
                self.last_step[current] = step
                if seen:
                    continue
                if isinstance(current, ir.Power) and current.exponent == 0:
                    continue
                stack.extend(reversed(ir.children(current)))

        steps: list[RuleInfo | None] = [None for _ in plan.combine_first]
        for r in plan.order:
            if self.active[r]:
                steps.append(plan.rules[r])
            steps.extend(None for _ in plan.combine_after.get(r, []))
        for info in steps:
            if info is not None and not info.is_python:
                assert info.condition is not None
                visit(info.condition)
                for _, node, _ in info.outputs:
                    assert node is not None
                    visit(node)
            step += 1

    def temp(self, value: ast.expr) -> ast.expr:
        if isinstance(value, ast.Name | ast.Constant):
            return value
        self.count += 1
        name = f"t{self.count}"
        self.body.append(assign(name, value))
        return load(name)

    @staticmethod
    def por(a: ast.expr | None, b: ast.expr | None) -> ast.expr | None:
        if a is None:
            return b
        if b is None:
            return a
        return attr_free_call("POR", a, b)

    def name(self, name: str) -> Value:
        kind, index = self.plan.symbols[name]
        if kind == "input":
            poison = load(f"mx{index}") if self.plan.inputs[index].default is None else None
            return load(f"x{index}"), poison
        if kind == "param":
            return load(f"p{index}"), None
        poison = load(f"mo{index}") if self.plan.outputs[index].default is None else None
        return load(f"o{index}"), poison

    def expr(self, node: ir.Node) -> Value:
        found = self.made.get(node) if self.repeats.get(node, 0) > 1 else None
        if found is not None:
            value, poison = found
        else:
            value, poison = self._expr(node)
            if self.repeats.get(node, 0) > 1:  # met again later: keep it in a variable
                n = len(self.made)
                names = [f"c{n}"]
                self.body.append(assign(f"c{n}", value))
                value = load(f"c{n}")
                if poison is not None:
                    names.append(f"cp{n}")
                    self.body.append(assign(f"cp{n}", poison))
                    poison = load(f"cp{n}")
                self.made[node] = (value, poison)
                self.free_after.setdefault(self.last_step[node], []).extend(names)
        if node is not self.root and id(node) in self.checked:
            value = self.temp(value)
            poison = self.por(poison, attr_free_call("NFP", value))
        return value, poison

    def _expr(self, node: ir.Node) -> Value:
        value: ast.expr
        poison: ast.expr | None
        if isinstance(node, ir.Num | ir.Truth):
            return const(node.value), None
        if isinstance(node, ir.Text):
            return const(self.plan.codes[node.value]), None
        if isinstance(node, ir.Day):  # dates are days since 1970-01-01 (int64)
            return const(node.value.toordinal() - EPOCH), None
        if isinstance(node, ir.Name):
            return self.name(node.id)
        if isinstance(node, ir.Lookup):
            j = self.plan.symbols[node.table][1]
            site = f"s{len(self.key_sites)}"
            self.key_sites.append((site, j, node.key))
            if isinstance(node.key, ir.Text):
                return load(f"LK{site}"), load(f"MK{site}")
            key, key_poison = self.expr(node.key)
            key = self.temp(key)
            value = attr_free_call("TAKE", load(f"T{j}"), key)
            poison = self.por(key_poison, attr_free_call("PTAKE", load(f"MK{site}"), key))
            return value, poison
        if isinstance(node, ir.Unary):
            operand, poison = self.expr(node.operand)
            if node.op == "not":
                return attr_free_call("NOT", operand), poison
            return ast.UnaryOp(op=ast.USub(), operand=operand), poison
        if isinstance(node, ir.Binary):
            left, lp = self.expr(node.left)
            right, rp = self.expr(node.right)
            if node.op == "/":
                den = self.temp(right)
                zero = attr_free_call("DIVP", den)
                return attr_free_call("DIV", left, den), self.por(self.por(lp, rp), zero)
            return ast.BinOp(left=left, op=_ARITH[node.op], right=right), self.por(lp, rp)
        if isinstance(node, ir.Power):
            if node.exponent == 0:
                return const(1.0), None
            base, poison = self.expr(node.base)
            if node.exponent == 1:
                return base, poison
            base = self.temp(base)
            result: ast.expr = base
            for _ in range(node.exponent - 1):
                result = ast.BinOp(left=result, op=ast.Mult(), right=base)
            return result, poison
        if isinstance(node, ir.Compare):
            left, lp = self.expr(node.left)
            right, rp = self.expr(node.right)
            value = ast.Compare(left=left, ops=[_CMPOPS[node.op]], comparators=[right])
            return value, self.por(lp, rp)
        if isinstance(node, ir.Member):
            item, poison = self.expr(node.item)
            if node.options is not None:
                if len(node.options) == 1:
                    code = self.plan.codes[node.options[0]]
                    value = ast.Compare(
                        left=item,
                        ops=[ast.NotEq() if node.negate else ast.Eq()],
                        comparators=[const(code)],
                    )
                    return value, poison
                options = tuple(sorted(set(node.options)))
                if options not in self.luts:
                    self.luts[options] = f"LUT{len(self.luts)}"
                    self.constants[self.luts[options]] = frozenset(
                        self.plan.codes[o] for o in options
                    )
                value = attr_free_call("TAKE", load(self.luts[options]), item)
            else:
                assert node.table is not None
                j = self.plan.symbols[node.table][1]
                value = attr_free_call("TAKE", load(f"S{j}"), item)
            if node.negate:
                value = attr_free_call("NOT", value)
            return value, poison
        if isinstance(node, ir.Logic):
            return self.logic(node)
        if isinstance(node, ir.Cond):
            chosen = self.choice(node)
            if chosen is not None:
                return chosen
            test, tp = self.expr(node.test)
            body, bp = self.expr(node.body)
            orelse, op = self.expr(node.orelse)
            if bp is not None or op is not None:
                test = self.temp(test)
            if _is_zero(orelse):  # a number or +0.0: a bitwise selection
                value = attr_free_call("ZSEL", test, body)
            elif _is_zero(body):
                value = attr_free_call("ZSEL", attr_free_call("NOT", test), orelse)
            else:
                value = attr_free_call("WHERE", test, body, orelse)
            if bp is None and op is None:
                return value, tp
            branch = attr_free_call(
                "PIF",
                test,
                bp if bp is not None else const(None),
                op if op is not None else const(None),
            )
            return value, self.por(tp, branch)
        assert isinstance(node, ir.Call)
        values = [self.expr(a) for a in node.args]
        poison = None
        for _, p in values:
            poison = self.por(poison, p)
        args = [v for v, _ in values]
        if node.func in ("min", "max"):
            helper = "FMIN" if node.func == "min" else "FMAX"
            result = args[0]
            for arg in args[1:]:
                result = attr_free_call(helper, result, arg)
            return result, poison
        if node.func == "abs":
            return attr_free_call("ABS", args[0]), poison
        if node.func == "clip":
            return attr_free_call("FMIN", attr_free_call("FMAX", args[0], args[1]), args[2]), poison
        if node.func == "days_between":
            return attr_free_call("DAYS", args[0], args[1]), poison
        digits = 0
        if len(node.args) == 2:
            places = node.args[1]
            assert isinstance(places, ir.Num)
            digits = int(places.value)
        return attr_free_call("ROUND", args[0], const(digits)), poison

    def is_scalar(self, node: ir.Node) -> bool:
        """Whether ``node``'s value is one number (or code, truth, day) for every row."""
        if isinstance(node, ir.Num | ir.Text | ir.Truth | ir.Day):
            return True
        if isinstance(node, ir.Lookup):
            return isinstance(node.key, ir.Text)
        if isinstance(node, ir.Name):
            kind, index = self.plan.symbols[node.id]
            return kind == "param" and self.plan.params[index].param.kind in ("number", "date")
        return False

    def choice(self, node: ir.Cond) -> Value | None:
        """``a if c1 else (b if c2 else c)`` over single values, as one table look-up.

        Nested choices whose every branch is one value for all rows (a literal, a
        parameter, ``table['key']``) pick, for each row, the value its tests lead to:
        the tests' truth values make an index (bit ``i``: test ``i``), and a table of the
        values, laid out for every combination of the tests, is indexed with it -- the
        same values :func:`numpy.where` would choose, without its mispredicted branches.
        """
        tests: list[ir.Node] = []
        leaves: list[ir.Node] = []

        def collect(current: ir.Node) -> bool:
            if isinstance(current, ir.Cond):
                if current.test not in tests:
                    tests.append(current.test)
                return collect(current.body) and collect(current.orelse)
            if not self.is_scalar(current):
                return False
            if current not in leaves:
                leaves.append(current)
            return True

        if not collect(node) or len(tests) > 6:
            return None

        def walk(current: ir.Node, bits: int) -> int:
            while isinstance(current, ir.Cond):
                taken = bits >> tests.index(current.test) & 1
                current = current.body if taken else current.orelse
            return leaves.index(current)

        pattern = tuple(walk(node, bits) for bits in range(1 << len(tests)))
        test_values = {t: self.expr(t) for t in tests}
        test_vars = {t: self.temp(v) for t, (v, _) in test_values.items()}
        leaf_values = {leaf: self.expr(leaf) for leaf in leaves}

        def poison(current: ir.Node) -> ast.expr | None:
            if not isinstance(current, ir.Cond):
                return leaf_values[current][1]
            body, orelse = poison(current.body), poison(current.orelse)
            branch = None
            if body is not None or orelse is not None:
                branch = attr_free_call(
                    "PIF",
                    test_vars[current.test],
                    body if body is not None else const(None),
                    orelse if orelse is not None else const(None),
                )
            return self.por(test_values[current.test][1], branch)

        value = attr_free_call(
            "PICK",
            attr_free_call("BITS", *(test_vars[t] for t in tests)),
            ast.Tuple(elts=[leaf_values[leaf][0] for leaf in leaves], ctx=ast.Load()),
            ast.Tuple(elts=[ast.Constant(value=i) for i in pattern], ctx=ast.Load()),
        )
        return value, poison(node)

    def logic(self, node: ir.Logic) -> Value:
        parts = [self.expr(o) for o in node.operands]
        helper = "AND" if node.op == "and" else "OR"
        if all(p is None for _, p in parts):
            result = parts[0][0]
            for value, _ in parts[1:]:
                result = attr_free_call(helper, result, value)
            return result, None
        # poison of a later operand counts only where the earlier ones did not decide
        acc = self.temp(parts[0][0])
        poison = parts[0][1]
        for value, p in parts[1:]:
            if p is not None:
                reach = acc if node.op == "and" else attr_free_call("NOT", acc)
                poison = self.por(poison, attr_free_call("PAND", reach, p))
            acc = self.temp(attr_free_call(helper, acc, value))
        return acc, poison

    # -- statements ----------------------------------------------------------------------

    def check(self, poison: ast.expr | None) -> None:
        """Record the rows where ``poison`` is true as failing (``BAD`` collects them)."""
        if poison is not None:
            self.body.append(ast.Expr(value=attr_free_call("CHECK", load("BAD"), poison)))

    def scoped(self, step: Any, item: Any) -> None:
        """Generate one rule or combination, then free its temporaries.

        A temporary array lives until it is deleted: freeing each rule's at once keeps the
        kernel's memory (and its page faults) to what the rules in flight need.
        """
        first = self.count
        step(item)
        names = [f"t{i}" for i in range(first + 1, self.count + 1)]
        names += self.free_after.pop(self.step, [])
        if names:
            self.body.append(ast.Delete(targets=[ast.Name(id=n, ctx=ast.Del()) for n in names]))
        self.step += 1

    def rule(self, info: RuleInfo) -> None:
        r = info.index
        if info.is_python:
            self.body.append(
                ast.Assign(
                    targets=[
                        ast.Tuple(
                            elts=[
                                ast.Name(id=name, ctx=ast.Store())
                                for name in [f"f{r}"]
                                + [f"r{r}_{s}" for s in range(len(info.outputs))]
                            ],
                            ctx=ast.Store(),
                        )
                    ],
                    value=attr_free_call(
                        "PYRULE",
                        const(r),
                        ast.Dict(
                            keys=[const(n) for n in info.reads],
                            values=[self.name(n)[0] for n in info.reads],
                        ),
                        ast.Dict(
                            keys=[const(n) for n in info.reads],
                            values=[self.name(n)[1] or const(None) for n in info.reads],
                        ),
                        load("ALL"),
                        load("BAD"),
                    ),
                )
            )
            return
        cond = info.condition
        assert cond is not None
        if isinstance(cond, ir.Truth) and cond.value:
            self.body.append(assign(f"f{r}", load("ALL")))
            self.all_flags.add(r)
        else:
            value, poison = self.expr(cond)
            self.check(poison)
            self.body.append(assign(f"f{r}", attr_free_call("MASK", value, load("ALL"))))
        for slot, (_, node, _) in enumerate(info.outputs):
            assert node is not None
            self.root = node
            value, poison = self.expr(node)
            self.root = None
            if id(node) in self.checked:
                value = self.temp(value)
                poison = self.por(poison, attr_free_call("NFP", value))
            if poison is not None:
                self.check(
                    poison if r in self.all_flags else attr_free_call("PAND", load(f"f{r}"), poison)
                )
            self.body.append(assign(f"r{r}_{slot}", value))

    def select(self, out: OutputInfo, r: int, value: ast.expr, other: ast.expr) -> ast.expr:
        """``value`` on the rows where rule ``r`` fired, ``other`` on the others.

        A rule that always fires gives ``value``. Booleans are selected with logical
        operations, several times faster than :func:`numpy.where` (whose branches a
        random mask makes the processor mispredict), and exact.
        """
        if r in self.all_flags:
            return value
        flag = load(f"f{r}")
        if out.vtype is ValueType.BOOL:
            if isinstance(other, ast.Constant) and other.value is False:
                return attr_free_call("AND", flag, value)
            if isinstance(value, ast.Constant) and value.value is True:
                return attr_free_call("OR", flag, other)
            return attr_free_call(
                "OR",
                attr_free_call("AND", flag, value),
                attr_free_call("AND", attr_free_call("NOT", flag), other),
            )
        if _is_zero(other):
            return attr_free_call("ZSEL", flag, value)
        return attr_free_call("WHERE", flag, value, other)

    def combine(self, out: OutputInfo) -> None:
        var = f"o{out.index}"
        writers = [(r, s) for r, s in out.order if self.active[r]]
        if out.vtype is ValueType.CATEGORY:
            fill: ast.expr = const(self.plan.codes[str(out.default)])
        elif out.default is not None:
            fill = const(out.default)
        else:
            fill = load("NAN")
        unset = out.default is None
        if not writers:
            self.body.append(assign(var, fill))
            if unset:
                self.body.append(assign(f"mo{out.index}", const(True)))
            return
        always = any(r in self.all_flags for r, _ in writers)  # some rule always fires
        any_fired: ast.expr = load(f"f{writers[0][0]}")
        for r, _ in writers[1:]:
            any_fired = attr_free_call("OR", any_fired, load(f"f{r}"))
        if out.combine in (Combine.SUM, Combine.MAX, Combine.MIN):
            acc = f"a{out.index}"
            first, *rest = writers
            if first[0] in self.all_flags:
                self.body.append(assign(acc, load(f"r{first[0]}_{first[1]}")))
            else:
                rest = writers
                start = const(0.0) if out.combine is Combine.SUM else load("NAN")
                self.body.append(assign(acc, start))
            for r, s in rest:
                value = load(f"r{r}_{s}")
                if out.combine is Combine.SUM:
                    step: ast.expr = ast.BinOp(
                        left=load(acc), op=ast.Add(), right=self.select(out, r, value, const(0.0))
                    )
                else:
                    helper = "FMAX" if out.combine is Combine.MAX else "FMIN"
                    merged = attr_free_call(helper, load(acc), value)
                    step = self.select(out, r, merged, load(acc))
                self.body.append(assign(acc, step))
            if (
                out.combine is Combine.SUM
                and len(writers) > 1
                and out.index in self.plan.sum_checked
            ):
                self.check(attr_free_call("NFP", load(acc)))  # a sum may overflow
            if always:
                self.body.append(assign(var, load(acc)))
                any_var: ast.expr = load("ALL")
            else:
                any_var = self.temp(any_fired)
                self.body.append(assign(var, attr_free_call("WHERE", any_var, load(acc), fill)))
        else:
            # the first writer that fires wins: one that always fires hides those after it
            chain = list(writers)
            for i, (r, _) in enumerate(chain):
                if r in self.all_flags:
                    del chain[i + 1 :]
                    break
            current: ast.expr = fill
            for r, s in reversed(chain):
                self.body.append(assign(var, self.select(out, r, load(f"r{r}_{s}"), current)))
                current = load(var)
            any_var = any_fired
        if unset:
            mask = const(None) if always else attr_free_call("NOT", any_var)
            self.body.append(assign(f"mo{out.index}", mask))
        # the rules' values are in the output now: free them (their memory, not the output's)
        spent = [f"r{r}_{s}" for r, s in writers]
        if out.combine in (Combine.SUM, Combine.MAX, Combine.MIN):
            spent.append(f"a{out.index}")
        self.body.append(ast.Delete(targets=[ast.Name(id=n, ctx=ast.Del()) for n in spent]))

    def function(self) -> types.CodeType:
        plan = self.plan
        self.plan_repeats()
        for info in plan.inputs:
            self.body.append(
                assign(
                    f"x{info.index}",
                    ast.Subscript(value=load("X"), slice=const(info.index), ctx=ast.Load()),
                )
            )
            if info.default is None:
                self.body.append(
                    assign(
                        f"mx{info.index}",
                        ast.Subscript(value=load("M"), slice=const(info.index), ctx=ast.Load()),
                    )
                )
        for k in plan.combine_first:
            self.scoped(self.combine, plan.outputs[k])
        for r in plan.order:
            if self.active[r]:
                self.scoped(self.rule, plan.rules[r])
            for k in plan.combine_after.get(r, []):
                self.scoped(self.combine, plan.outputs[k])
        outs: list[ast.expr] = [load(f"o{o.index}") for o in plan.outputs]
        masks: list[ast.expr] = [
            load(f"mo{o.index}") if o.default is None else const(None) for o in plan.outputs
        ]
        flags: list[ast.expr] = [
            load(f"f{r.index}") if self.active[r.index] else const(None) for r in plan.rules
        ]
        self.body.append(
            ast.Return(
                value=ast.Tuple(
                    elts=[
                        ast.List(elts=outs, ctx=ast.Load()),
                        ast.List(elts=masks, ctx=ast.Load()),
                        ast.List(elts=flags, ctx=ast.Load()),
                    ],
                    ctx=ast.Load(),
                )
            )
        )
        return build_function("kernel", ["X", "M", "ALL", "BAD"], self.body, "<stratpolicy kernel>")


def compile_vector(plan: Plan, active: tuple[bool, ...]) -> VectorCode:
    """Compile the rules in force into a numpy kernel."""
    gen = _Gen(plan, active)
    code = gen.function()
    return VectorCode(code, gen.constants, gen.key_sites)
