"""Experiments: specs, designs, seeds, outcomes, executors, streaming and resuming.

Most studies here use the small cost-sharing rule set (kr_rd_matching), whose outcomes are
worked out by hand: ``max_government_contribution = government_share_max[size] x
total_rd_cost``; the decree's caps are 50 % (large), 70 % (mid-sized), 75 % (SME).
"""

from __future__ import annotations

import concurrent.futures as cf
import datetime as dt
import multiprocessing

import attrs
import numpy as np
import pytest

from stratpolicy import io
from stratpolicy.catalogs import korea
from stratpolicy.errors import DataError, ValidationError
from stratpolicy.scenarios import (
    ExperimentSpec,
    Factor,
    Outcome,
    Population,
    _runner,
    examples,
    read_results,
    run_experiments,
)

ON = dt.date(2026, 6, 30)
SIZES = ["sme", "mid_sized", "large", "other"]


@pytest.fixture(scope="module")
def projects() -> Population:
    rng = np.random.default_rng(3)
    n = 40
    cost = rng.uniform(1e8, 1e10, n)
    return Population.from_columns(
        {
            "firm_size": np.asarray([SIZES[i % 4] for i in range(n)], dtype=object),
            "total_rd_cost": cost,
            "government_contribution": cost * 0.4,
            "own_cash_contribution": cost * 0.2,
            "weight": rng.uniform(1, 5, n),
        },
        korea.rd_matching(),
    )


def spec(**changes: object) -> ExperimentSpec:
    base = ExperimentSpec(
        id="caps",
        on=ON,
        levers=[
            Factor(path="government_share_max[sme]", low=0.75, high=0.9, name="sme_cap"),
            Factor(path="government_share_max[large]", low=0.5, high=0.75, name="large_cap"),
        ],
        outcomes=[
            Outcome(name="extra", output="max_government_contribution"),
            Outcome(name="extra_by_size", output="max_government_contribution", by="firm_size"),
            Outcome(
                name="sme_extra", output="max_government_contribution", where={"firm_size": ["sme"]}
            ),
            Outcome(name="base", output="max_government_contribution", statistic="baseline"),
        ],
        sampler="lhs",
        n=30,
        seed=42,
    )
    return attrs.evolve(base, **changes)


# -- specs and designs ------------------------------------------------------------------------


def test_spec_checks() -> None:
    with pytest.raises(ValidationError, match="use 1024 or 512"):
        spec(sampler="sobol", n=1000)
    with pytest.raises(ValidationError, match="needs n"):
        spec(n=None)
    with pytest.raises(ValidationError, match="either low and high, or choices"):
        Factor(path="x", low=0.1, high=0.2, choices=[0.1])
    with pytest.raises(ValidationError, match="expected 'parameter'"):
        Factor(path="x.y[z", low=0.1, high=0.2)
    with pytest.raises(ValidationError, match="not one of"):
        Outcome(name="o", output="x", statistic="mean")
    bad = spec(
        levers=[
            Factor(path="government_share_max", low=0.5, high=0.6),
            Factor(path="no_such[sme]", low=0.5, high=0.6),
        ],
        outcomes=[
            Outcome(name="o", output="nothing"),
            Outcome(name="p", output="compliant", where={"firm_size": ["huge"]}),
        ],
    )
    with pytest.raises(DataError) as err:
        bad.check_against(korea.rd_matching())
    paths = [p.path for p in err.value.problems]
    assert paths == [
        "levers[0].path",
        "levers[1].path",
        "outcomes[0].output",
        "outcomes[1].where.firm_size",
    ]


def test_design_is_seeded_stratified_and_recorded() -> None:
    s = spec(n=50)
    a, b = s.design(), s.design()
    assert np.array_equal(a.values, b.values) and np.array_equal(a.seeds, b.seeds)
    assert not np.array_equal(spec(n=50, seed=43).design().values, a.values)
    # Latin hypercube: each factor has exactly one value in each of the n strata
    for j, (low, high) in enumerate([(0.75, 0.9), (0.5, 0.75)]):
        strata = np.floor((a.values[:, j] - low) / (high - low) * 50).astype(int)
        assert sorted(strata.tolist()) == list(range(50))
    # the documented seed of experiment i
    seq = np.random.SeedSequence(42).spawn(2)[1].spawn(50)
    assert a.seeds.tolist() == [int(x.generate_state(1, np.uint64)[0]) for x in seq]
    assert len(set(a.seeds.tolist())) == 50
    frame = a.to_pandas()
    assert list(frame.columns) == ["experiment", "seed", "sme_cap", "large_cap"]


def test_grid_and_sobol_designs() -> None:
    grid = spec(
        sampler="grid",
        n=None,
        levers=[
            Factor(path="government_share_max[sme]", low=0.7, high=0.9, levels=3),
            Factor(path="cash_ratio_min[sme]", choices=[0.05, 0.1]),
        ],
    ).design()
    assert grid.values.ravel().tolist() == pytest.approx(
        [0.7, 0.05, 0.7, 0.1, 0.8, 0.05, 0.8, 0.1, 0.9, 0.05, 0.9, 0.1]
    )
    sobol = spec(sampler="sobol", n=16).design()
    assert sobol.values.shape == (16, 2)
    assert ((sobol.values[:, 0] >= 0.75) & (sobol.values[:, 0] <= 0.9)).all()


# -- outcomes, by hand ------------------------------------------------------------------------


def test_outcomes_by_hand(projects) -> None:  # type: ignore[no-untyped-def]
    results = run_experiments(spec(), korea.rd_matching(), projects)
    size = projects.column("firm_size")
    w, cost = projects.weight, projects.column("total_rd_cost")
    caps = {"sme": 0.75, "mid_sized": 0.70, "large": 0.50}
    base = sum(float(np.sum((w * cost)[size == k])) * v for k, v in caps.items())
    table = results.table
    assert table["base"].tolist() == pytest.approx([base] * 30, rel=1e-12)
    sme_wc = float(np.sum((w * cost)[size == "sme"]))
    large_wc = float(np.sum((w * cost)[size == "large"]))
    expected_sme = (table["sme_cap"] - 0.75) * sme_wc
    expected = expected_sme + (table["large_cap"] - 0.50) * large_wc
    assert table["sme_extra"].tolist() == pytest.approx(expected_sme.tolist(), rel=1e-9)
    assert table["extra"].tolist() == pytest.approx(expected.tolist(), rel=1e-9)
    assert table["extra_by_size[sme]"].tolist() == pytest.approx(expected_sme.tolist(), rel=1e-9)
    assert table["extra_by_size[mid_sized]"].tolist() == [0.0] * 30
    assert table["extra_by_size[other]"].tolist() == [0.0] * 30
    # a fresh result per experiment: no two experiments share their outcomes
    assert table["extra"].nunique() == 30
    assert results.complete and len(results) == 30
    meta = results.metadata
    assert meta["stratpolicy_version"] and meta["root_seed"] == 42
    assert meta["spec"]["id"] == "caps" and meta["levers"] == ["sme_cap", "large_cap"]


def test_population_uncertainty_moves_the_baseline(projects) -> None:  # type: ignore[no-untyped-def]
    s = spec(
        levers=[Factor(path="government_share_max[sme]", choices=[0.8])],
        uncertainties=[Factor(path="population.total_rd_cost", choices=[1.0, 1.2], name="scale")],
        sampler="grid",
        n=None,
    )
    table = run_experiments(s, korea.rd_matching(), projects).table
    assert table["scale"].tolist() == [1.0, 1.2]
    assert table["base"][1] == pytest.approx(1.2 * table["base"][0], rel=1e-12)
    assert table["sme_extra"][1] == pytest.approx(1.2 * table["sme_extra"][0], rel=1e-12)


def test_shipped_study_agrees_with_compare() -> None:
    """The shipped RSTA study, 4 experiments: each outcome equals a comparison made by hand
    through the public compare() with the experiment's levers as a reform."""
    from stratpolicy.scenarios import ParameterOverride, Reform, compare, synthetic_firms

    rs = korea.tax_credits()
    pop = synthetic_firms(60, seed=5)
    s = attrs.evolve(examples.rd_credit_study(), n=4, uncertainties=())
    results = run_experiments(s, rs, pop)
    for _, row in results.table.iterrows():
        overrides = [
            ParameterOverride(
                parameter="nst_rd_base_rate",
                key=key,
                value=row[col],
                start=dt.date(2026, 1, 1),
                end=dt.date(2029, 12, 31),
            )
            for key, col in (
                ("sme", "sme_rate"),
                ("mid_sized", "mid_sized_rate"),
                ("large", "large_rate"),
            )
        ] + [
            ParameterOverride(
                parameter="rd_addon_cap",
                value=row["addon_cap"],
                start=dt.date(2026, 1, 1),
                end=dt.date(2029, 12, 31),
            )
        ]
        c = compare(
            rs, Reform(id="e", name="e", hypothetical=True, parameters=overrides), pop, on=s.on
        )
        assert row["cost"] == c.total("rd_credit")
        by = c.by("firm_size", "rd_credit")
        assert row["cost_by_size[sme]"] == pytest.approx(by.loc["sme", "delta"], rel=1e-12)
        assert row["winners"] == c.winners_losers("rd_credit", tolerance=1.0)["winners"]


# -- executors --------------------------------------------------------------------------------


def _bits(table) -> np.ndarray:  # type: ignore[no-untyped-def]
    return table.drop(columns=["seed"]).to_numpy(dtype=np.float64).view(np.int64)


def test_identical_on_threads_and_a_process_pool(projects) -> None:  # type: ignore[no-untyped-def]
    """The 200-experiment LHS study: identical on threads and on a process pool."""
    s = spec(n=200)
    serial = run_experiments(s, korea.rd_matching(), projects).table
    with cf.ThreadPoolExecutor(2) as pool:
        threads = run_experiments(s, korea.rd_matching(), projects, executor=pool, batch_size=7)
    context = multiprocessing.get_context("spawn")
    with cf.ProcessPoolExecutor(2, mp_context=context) as pool:
        processes = run_experiments(s, korea.rd_matching(), projects, executor=pool, batch_size=5)
    for other in (threads.table, processes.table):
        assert np.array_equal(_bits(serial), _bits(other))
        assert serial["seed"].tolist() == other["seed"].tolist()
    assert processes.timings["tasks"] == 40 and processes.timings["executor"] == "futures"


def test_identical_on_a_dask_local_cluster() -> None:
    """200 Latin-hypercube experiments on two Dask worker processes equal the serial run."""
    distributed = pytest.importorskip("distributed")
    rng = np.random.default_rng(9)
    n = 30
    cost = rng.uniform(1e8, 1e10, n)
    projects = Population.from_columns(
        {
            "firm_size": [SIZES[i % 4] for i in range(n)],
            "total_rd_cost": cost,
            "government_contribution": cost * 0.6,
            "weight": rng.uniform(1, 5, n),
        },
        korea.rd_matching(),
    )
    s = spec(n=200, seed=7)
    serial = run_experiments(s, korea.rd_matching(), projects).table
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        on_dask = run_experiments(s, korea.rd_matching(), projects, executor=client)
        with pytest.raises(ValidationError, match="at least 10"):
            run_experiments(s, korea.rd_matching(), projects, executor=client, batch_size=5)
    assert on_dask.timings["executor"] == "dask" and on_dask.timings["batch_size"] >= 10
    assert np.array_equal(_bits(serial), _bits(on_dask.table))
    assert serial["experiment"].tolist() == list(range(200))


def test_unknown_executor_is_refused(projects) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TypeError, match="executor must be"):
        run_experiments(spec(), korea.rd_matching(), projects, executor=object())


# -- streaming and resuming -------------------------------------------------------------------


def test_results_stream_to_parquet_and_resume(projects, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    s = spec(n=30)
    full = run_experiments(s, korea.rd_matching(), projects).table
    out = tmp_path / "results.parquet"
    calls = {"n": 0}
    real = _runner._Study.run_batch

    def interrupted(self, batch):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real(self, batch)

    monkeypatch.setattr(_runner._Study, "run_batch", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run_experiments(s, korea.rd_matching(), projects, out=out, batch_size=4)
    partial = read_results(out)
    assert len(partial) == 8 and not partial.complete
    assert sorted(p.name for p in out.iterdir())[:3] == [
        "_stratpolicy.json",
        "part-000000000-000000003.parquet",
        "part-000000004-000000007.parquet",
    ]
    calls["n"] = -100  # no more interruptions
    resumed = run_experiments(s, korea.rd_matching(), projects, out=out, batch_size=4)
    assert resumed.timings["resumed"] == 8 and resumed.timings["experiments"] == 22
    assert calls["n"] == -100 + 6  # 22 experiments in batches of 4
    assert resumed.complete
    assert np.array_equal(_bits(full), _bits(resumed.table))
    # a finished run has nothing left to do
    again = run_experiments(s, korea.rd_matching(), projects, out=out)
    assert again.timings["experiments"] == 0 and len(again) == 30
    # one file, with the metadata
    single = tmp_path / "one.parquet"
    again.to_parquet(single)
    back = read_results(single)
    assert np.array_equal(_bits(back.table), _bits(full))
    assert back.metadata["study_key"] == again.metadata["study_key"]


def test_an_output_folder_of_another_study_is_refused(projects, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "r"
    run_experiments(spec(n=10), korea.rd_matching(), projects, out=out)
    with pytest.raises(ValidationError, match="another study"):
        run_experiments(spec(n=10, seed=1), korea.rd_matching(), projects, out=out)
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    with pytest.raises(ValidationError, match="other files"):
        run_experiments(spec(n=10), korea.rd_matching(), projects, out=other)


def test_a_lever_that_conflicts_with_the_spec_reform_is_one_clear_error(projects) -> None:  # type: ignore[no-untyped-def]
    from stratpolicy.scenarios import ParameterOverride, Reform

    base_reform = Reform(
        id="base",
        name="base",
        hypothetical=True,
        parameters=[
            ParameterOverride(
                parameter="government_share_max", key="sme", value=0.8, start=dt.date(2026, 1, 1)
            )
        ],
    )
    with pytest.raises(ValidationError, match="conflicts with reform 'base'"):
        run_experiments(spec(reform=base_reform), korea.rd_matching(), projects)


def test_spec_documents_round_trip() -> None:
    s = examples.rd_credit_study()
    for fmt in ("yaml", "json", "toml"):
        assert io.loads(io.dumps(s, fmt), fmt, ExperimentSpec) == s
    assert s.size == 1000 and s.sampler == "lhs"


def test_resampling_uses_each_experiments_recorded_seed(projects) -> None:  # type: ignore[no-untyped-def]
    s = spec(
        n=6,
        resample=True,
        outcomes=[Outcome(name="firms", output="compliant", statistic="firms")],
    )
    results = run_experiments(s, korea.rd_matching(), projects)
    table = results.table
    for seed, firms in zip(table["seed"].tolist(), table["firms"].tolist(), strict=True):
        draws = np.random.default_rng(int(seed)).poisson(1.0, projects.n)
        assert firms == float(np.sum(projects.weight * draws))
    assert table["firms"].nunique() == 6  # each experiment its own sample
    with cf.ThreadPoolExecutor(2) as pool:
        again = run_experiments(s, korea.rd_matching(), projects, executor=pool, batch_size=2)
    assert np.array_equal(_bits(table), _bits(again.table))


def test_local_dask_client_tunes_malloc_in_its_workers(projects) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("distributed")
    import os

    from stratpolicy.scenarios import MALLOC_SETTINGS, local_dask_client

    def settings() -> tuple[str | None, str | None]:
        return (
            os.environ.get("MALLOC_MMAP_THRESHOLD_"),
            os.environ.get("MALLOC_TRIM_THRESHOLD_"),
        )

    # 32 MiB and 256 MiB, written out: glibc reads the variables as bytes
    expected = {
        "MALLOC_MMAP_THRESHOLD_": str(32 * 1024 * 1024),
        "MALLOC_TRIM_THRESHOLD_": str(256 * 1024 * 1024),
    }
    assert expected == MALLOC_SETTINGS
    s = spec(n=20)
    with local_dask_client(1) as client:
        assert list(client.run(settings).values()) == [("33554432", "268435456")]
        on_dask = run_experiments(s, korea.rd_matching(), projects, executor=client)
    with local_dask_client(1, tune=False) as client:
        # glibc's defaults: neither variable (Dask's own MALLOC_TRIM_THRESHOLD_=65536 removed)
        assert list(client.run(settings).values()) == [(None, None)]
    serial = run_experiments(s, korea.rd_matching(), projects)
    assert np.array_equal(_bits(serial.table), _bits(on_dask.table))
