"""The guides' enumeration tables are the code's enumerations (``scripts/docs_enums.py``)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from stratpolicy.model import ActorKind, FirmSize, InstrumentKind

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("docs_enums", ROOT / "scripts" / "docs_enums.py")
assert _spec is not None and _spec.loader is not None
docs_enums = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(docs_enums)


def test_every_marked_table_is_what_the_code_says() -> None:
    for page in docs_enums.PAGES:
        text = page.read_text(encoding="utf-8")
        assert docs_enums.update(text) == text, (
            f"{page.name}: an enumeration table differs from the code; "
            "run python scripts/docs_enums.py"
        )


def test_every_table_is_in_a_guide() -> None:
    found = {
        name
        for page in docs_enums.PAGES
        for name in re.findall(r"<!-- enum: (\w+) -->", page.read_text(encoding="utf-8"))
    }
    assert found == set(docs_enums.TABLES)


def test_the_instrument_table_has_the_28_stip_types_with_their_codes() -> None:
    table = docs_enums.TABLES["InstrumentKind"]()
    rows = [line for line in table.splitlines()[2:] if line.startswith("| `")]
    assert len(rows) == len(InstrumentKind) == 28
    # two rows checked against the STIP Compass taxonomy (2023 edition) by hand
    assert "| `grants_business_rd` | `PI008` | Direct financial support |" in table
    assert "| `research_infrastructures` | `PI022` |" in table
    codes = re.findall(r"`(PI\d{3})`", table)
    assert len(set(codes)) == 28


def test_a_stale_table_is_rewritten() -> None:
    stale = "<!-- enum: FirmSize -->\n| value |\n|---|\n| `sme` |\n<!-- /enum -->"
    fresh = docs_enums.update(stale)
    assert all(f"`{size.value}`" in fresh for size in FirmSize)
    assert fresh != stale
    assert "financial_institution" in docs_enums.TABLES["ActorKind"]()
    assert len(ActorKind) == 8
