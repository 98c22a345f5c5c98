from __future__ import annotations

from importlib import resources

import yaml

from stratpolicy import InstrumentKind
from stratpolicy.catalogs import international, korea


def test_list_sizes_match_their_sources() -> None:
    # counts stated in the sources: US CET 2024 18, 2022 19; EU 10; Japan 20 and 16
    assert len(international.us_cet_2024().technologies) == 18
    assert len(international.us_cet_2022().technologies) == 19
    assert len(international.eu_2023().technologies) == 10
    assert len(international.jp_2022().technologies) == 20
    assert len(international.jp_2025().technologies) == 16
    aspi = international.aspi_tracker()
    assert len(aspi.areas()) == 9  # 8 domains + the AUKUS group
    assert len(aspi.key_technologies()) == 64


def test_unverified_items_are_marked() -> None:
    eu = international.eu_2023()
    assert {t.id for t in eu.technologies if not t.verified} == {
        "advanced_sensing",
        "energy",
        "materials_manufacturing_recycling",
    }
    assert not any(t.verified for t in international.aspi_tracker().technologies)
    assert all(t.source for t in international.jp_2022().technologies)


def test_crosswalk_is_derived_and_resolves_both_ways() -> None:
    cw = international.crosswalk_kr12()
    assert cw.derived and not cw.verified
    kr = korea.strategic_technologies()
    lists = {
        "us_cet_2024": international.us_cet_2024(),
        "eu_2023": international.eu_2023(),
        "aspi_tracker": international.aspi_tracker(),
        "jp_2022": international.jp_2022(),
    }
    for link in cw.links:
        assert link.from_id in kr
        assert link.to_id in lists[link.to_list]
    assert set(cw.targets("artificial_intelligence", "us_cet_2024")) == {
        "artificial_intelligence",
        "advanced_computing",
    }
    assert set(cw.sources("clean_energy", "kr_strategic_technologies")) == {
        "secondary_batteries",
        "next_gen_nuclear",
        "hydrogen",
    }
    # Japan 2022 items are linked by their order in the reference: item 9 is quantum information science
    assert cw.targets("quantum", "jp_2022") == ("quantum_information_science",)


def test_stip_enum_matches_the_sourced_table() -> None:
    rows = international.stip_instrument_types()
    assert len(rows) == 28
    assert {(r["code"], r["label"], r["category"]) for r in rows} == {
        (k.code, k.label, k.category.value) for k in InstrumentKind
    }
    raw = (
        resources.files("stratpolicy.catalogs")
        .joinpath("data")
        .joinpath("stip_instrument_types.yaml")
    )
    assert yaml.safe_load(raw.read_text("utf-8"))["edition"].startswith("2023")
