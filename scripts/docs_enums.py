"""Write the enumeration tables of the guides from the code's enumerations.

The guides list every value an enumeration field accepts (the 28 STIP instrument types
with their codes, actor kinds, firm sizes, budget stages ...). Each table sits between
``<!-- enum: NAME -->`` and ``<!-- /enum -->`` and is generated here, so it cannot drift
from the code: ``tests/test_enum_tables.py`` fails when a table differs from what this
script writes. Run ``python scripts/docs_enums.py`` after changing an enumeration.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path

from stratpolicy.model import (
    ActorKind,
    BudgetStage,
    FirmSize,
    IncentiveKind,
    InstrumentKind,
    MissionKind,
    TechnologyKind,
)
from stratpolicy.rules import Combine, ValueType

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "docs" / "guides" / "portfolio.md", ROOT / "docs" / "guides" / "rules.md"]
BLOCK = re.compile(r"(<!-- enum: (\w+) -->\n)(.*?)(<!-- /enum -->)", re.S)


def _values(enum: type[Enum]) -> str:
    rows = "\n".join(f"| `{m.value}` | `{m.name}` |" for m in enum)
    return f"| value | member |\n|---|---|\n{rows}\n"


def _instrument_kinds() -> str:
    rows = "\n".join(
        f"| `{k.value}` | `{k.code}` | {k.category.value} | {k.label} |"
        for k in sorted(InstrumentKind, key=lambda k: k.code)
    )
    return f"| value | STIP code | category | official label |\n|---|---|---|---|\n{rows}\n"


def _budget_stages() -> str:
    rows = "\n".join(
        f"| `{s.value}` | {s.finality} |" for s in sorted(BudgetStage, key=lambda s: s.finality)
    )
    return f"| value | finality (higher is more final) |\n|---|---|\n{rows}\n"


TABLES: dict[str, Callable[[], str]] = {
    "InstrumentKind": _instrument_kinds,
    "BudgetStage": _budget_stages,
    "TechnologyKind": lambda: _values(TechnologyKind),
    "MissionKind": lambda: _values(MissionKind),
    "ActorKind": lambda: _values(ActorKind),
    "FirmSize": lambda: _values(FirmSize),
    "IncentiveKind": lambda: _values(IncentiveKind),
    "ValueType": lambda: _values(ValueType),
    "Combine": lambda: _values(Combine),
}
"""Each table's name (as written in the page's marker) and how it is written."""


def update(text: str) -> str:
    """``text`` with every marked table rewritten from the code."""

    def write(match: re.Match[str]) -> str:
        return match.group(1) + TABLES[match.group(2)]() + match.group(4)

    return BLOCK.sub(write, text)


def main() -> int:
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        new = update(text)
        if new != text:
            page.write_text(new, encoding="utf-8")
            print(f"updated {page.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
