"""Reading the catalogs' package data (with importlib.resources, so it works from a wheel)."""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

import stratpolicy.rules  # noqa: F401  (registers the rule_set and parameter_set kinds)
from stratpolicy import io

__all__ = ["read_data", "read_document"]


def read_data(name: str) -> Any:
    """The plain data of a package data file (parsed YAML)."""
    text = (
        resources.files("stratpolicy.catalogs").joinpath("data").joinpath(name).read_text("utf-8")
    )
    return io.parse_data(text, "yaml", source=f"stratpolicy/catalogs/data/{name}")


@functools.cache
def read_document(name: str) -> Any:
    """The object a package data document holds; read once, then cached (objects are frozen)."""
    return io.from_document(read_data(name), source=f"stratpolicy/catalogs/data/{name}")
