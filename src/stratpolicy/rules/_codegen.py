"""Build Python functions from syntax trees that *we* generate.

How rule expressions become fast functions, and why that is safe
----------------------------------------------------------------
No text a user wrote is ever handed to Python's ``eval``/``exec``, nor compiled as
source. A rule expression is parsed with :func:`ast.parse`, checked against a whitelist
and converted into our own intermediate nodes (:mod:`._ir`); the user's :mod:`ast` nodes
are then thrown away. The code generators (:mod:`._scalar`, :mod:`._vector`) build a
*fresh* :mod:`ast` tree from those intermediate nodes, in which

* every identifier is one we made up (``x0``, ``o3``, ``f2``): user names never become
  Python identifiers, they only appear as string constants (dictionary keys);
* the only callables are the fixed helper functions we put in the function's globals;
* the globals dictionary is ``{"__builtins__": {}, ...helpers}``: no builtins at all;
* there are no attribute accesses, imports, loops or definitions besides the one function.

That tree is passed to :func:`compile` (``mode="exec"``), which yields a module code
object; the function's code object is taken from the module code's ``co_consts`` and
turned into a function with :class:`types.FunctionType`. The module code itself is never
run. This is what the project's NOTES measure as "validated ast -> Python closure".
"""

from __future__ import annotations

import ast
import sys
import types
from collections.abc import Sequence
from typing import Any

__all__ = [
    "assign",
    "attr_free_call",
    "build_function",
    "const",
    "load",
    "make_function",
]


def load(name: str) -> ast.Name:
    """A read of the generated identifier ``name``."""
    return ast.Name(id=name, ctx=ast.Load())


def const(value: float | bool | str | None) -> ast.Constant:
    """A constant (a float, a bool, a string, ``None``)."""
    return ast.Constant(value=value)


def attr_free_call(func: str, *args: ast.expr) -> ast.Call:
    """A call of the helper ``func`` (a global of the generated function)."""
    return ast.Call(func=load(func), args=list(args), keywords=[])


def assign(target: str, value: ast.expr) -> ast.Assign:
    """``target = value``."""
    return ast.Assign(targets=[ast.Name(id=target, ctx=ast.Store())], value=value)


def build_function(
    name: str, args: Sequence[str], body: list[ast.stmt], filename: str
) -> types.CodeType:
    """Compile a generated function definition; return the function's code object.

    Args:
        name: The function's name.
        args: Its positional parameters (generated identifiers).
        body: Its statements.
        filename: A label shown in tracebacks.
    """
    arguments = ast.arguments(
        posonlyargs=[],
        args=[ast.arg(arg=a) for a in args],
        vararg=None,
        kwonlyargs=[],
        kw_defaults=[],
        kwarg=None,
        defaults=[],
    )
    extra: dict[str, Any] = {"type_params": []} if sys.version_info >= (3, 12) else {}
    func = ast.FunctionDef(
        name=name,
        args=arguments,
        body=body or [ast.Pass()],
        decorator_list=[],
        returns=None,
        **extra,
    )
    module = ast.Module(body=[func], type_ignores=[])
    ast.fix_missing_locations(module)
    code = compile(module, filename, "exec", dont_inherit=True, optimize=2)
    for item in code.co_consts:
        if isinstance(item, types.CodeType) and item.co_name == name:
            return item
    raise AssertionError("generated function not found")  # pragma: no cover


def make_function(code: types.CodeType, globals_: dict[str, Any]) -> types.FunctionType:
    """Bind a generated code object to its globals (which hold no builtins)."""
    namespace: dict[str, Any] = {"__builtins__": {}}
    namespace.update(globals_)
    return types.FunctionType(code, namespace, code.co_name)
