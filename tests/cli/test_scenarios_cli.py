"""``stratpolicy compare`` and ``stratpolicy experiments run``: exit codes, no traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from stratpolicy.cli import main

HEADER = (
    "firm_size,rsta_field,nst_rd_expense,revenue,prior_3yr_avg_sales,"
    "prior_year_general_rd_expense,prior_4yr_avg_general_rd_expense,prior_3yr_avg_investment,"
    "weight"
)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def firms(tmp_path: Path, *rows: str, header: str = HEADER) -> str:
    path = tmp_path / "firms.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8-sig")
    return str(path)


def test_compare_text_and_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # an SME with 1 bn KRW of semiconductor NST R&D, revenue 100 bn KRW, standing for 10
    # firms: 53 % instead of 43 % in 2026 under the reform: +100 m KRW each, +1 bn in all
    path = firms(
        tmp_path,
        "sme,semiconductors,1e9,1e11,1e11,1e9,1e9,0,10",
        "large,semiconductors,1e9,1e11,1e11,1e9,1e9,0,2",
    )
    code, out, err = run(
        capsys,
        "compare",
        "kr_tax_credits",
        "kr_sme_nst_rd_50",
        path,
        "--on",
        "2026-06-30",
        "--by",
        "firm_size",
    )
    assert code == 0, err
    assert "Reform kr_sme_nst_rd_50 (hypothetical)" in out
    assert "nst_rd_credit" in out and "1 billion KRW" in out
    assert "winners 10 firms (1 rows)" in out
    assert "Assumptions:" in out
    assert max(len(line) for line in out.splitlines()) <= 100
    rows = tmp_path / "rows.parquet"
    code, out, _ = run(
        capsys,
        "compare",
        "kr_tax_credits",
        "kr_sme_nst_rd_50",
        path,
        "--on",
        "2026-06-30",
        "--format",
        "json",
        "--rows",
        str(rows),
    )
    data = json.loads(out)
    nst = next(o for o in data["outputs"] if o["output"] == "nst_rd_credit")
    assert nst["delta"] == pytest.approx(1e9, rel=1e-9)
    assert data["hypothetical"] is True and data["population"]["firms"] == 12
    assert pq.read_table(rows).num_rows == 2


def test_compare_synthetic_and_reform_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from stratpolicy.scenarios import examples

    reform = tmp_path / "reform.yaml"
    reform.write_text(examples.path("kr_rsta_nst_12_areas").read_text("utf-8"), encoding="utf-8")
    code, out, err = run(
        capsys,
        "compare",
        "kr_tax_credits",
        str(reform),
        "synthetic:300:2",
        "--on",
        "2027-06-30",
        "--output",
        "nst_rd_credit",
    )
    assert code == 0, err
    assert "SYNTHETIC" in out and "nst_rd_credit" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["kr_tax_credits", "no_such_reform", "synthetic:100"], "no such file or shipped reform"),
        (["kr_tax_credits", "kr_sme_nst_rd_50", "missing.csv"], "no such file"),
        (["kr_tax_credits", "kr_sme_nst_rd_50", "synthetic:x"], "synthetic:ROWS"),
        (["kr_rd_matching", "kr_sme_nst_rd_50", "synthetic:100"], "written for"),
    ],
)
def test_compare_errors(capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    code, out, err = run(capsys, "compare", *args, "--on", "2026-06-30")
    assert code == 1
    assert message in err and "Traceback" not in err
    assert out == ""


def test_compare_population_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = firms(
        tmp_path,
        "sme,semiconductors,1e9,1e11,1e11,0,0,0,1",
        "sme,semiconductors,lots,1e11,1e11,0,0,0,1",
        "sme,semiconductors,1e9,1e11,1e11,0,0,0,1",
        "smee,semiconductors,1e9,1e11,1e11,0,0,0,1",
        header=HEADER,
    )
    code, _, err = run(
        capsys, "compare", "kr_tax_credits", "kr_sme_nst_rd_50", bad, "--on", "2026-06-30"
    )
    assert code == 1 and "line 3" in err and "line 5" in err and "Traceback" not in err
    misspelt = firms(
        tmp_path,
        "sme,semiconductors,1e9,1e11,1e11,0,0,0,1",
        header=HEADER.replace("revenue", "revenu"),
    )
    code, _, err = run(
        capsys, "compare", "kr_tax_credits", "kr_sme_nst_rd_50", misspelt, "--on", "2026-06-30"
    )
    assert code == 1 and "did you mean 'revenue'" in err
    code, _, err = run(
        capsys,
        "compare",
        "kr_tax_credits",
        "kr_sme_nst_rd_50",
        misspelt,
        "--on",
        "2026-06-30",
        "--column",
        "revenu=revenue",
    )
    assert code == 0, err


def test_compare_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["compare", "kr_tax_credits", "kr_sme_nst_rd_50"])
    assert exit_.value.code == 2
    code, _, err = run(
        capsys,
        "compare",
        "kr_tax_credits",
        "kr_sme_nst_rd_50",
        "synthetic:50",
        "--on",
        "2026-13-01",
    )
    assert code == 1 and "YYYY-MM-DD" in err


SPEC = """
schema_version: 1
document: experiments
id: caps
on: 2026-06-30
rule_set: kr_rd_matching
population:
  file: projects.csv
sampler: lhs
n: 12
seed: 3
levers:
  - {path: "government_share_max[sme]", low: 0.75, high: 0.9, name: sme_cap}
outcomes:
  - {name: extra, output: max_government_contribution}
"""


def test_experiments_run_and_resume(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "projects.csv").write_text(
        "firm_size,total_rd_cost,government_contribution\nsme,1e9,5e8\nlarge,2e9,5e8\n",
        encoding="utf-8",
    )
    spec = tmp_path / "study.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    out = tmp_path / "results.parquet"
    code, text, err = run(
        capsys,
        "experiments",
        "run",
        str(spec),
        "--out",
        str(out),
        "--batch-size",
        "5",
        "--no-progress",
    )
    assert code == 0, err
    assert "Study caps: 12 of 12 experiments (lhs, seed 3)" in text
    code, text, _ = run(
        capsys, "experiments", "run", str(spec), "--out", str(out), "--format", "json"
    )
    data = json.loads(text)
    assert data["timings"]["resumed"] == 12 and data["timings"]["experiments"] == 0
    # each outcome: (cap - 0.75) x 1 bn KRW, the one SME project
    from stratpolicy.scenarios import read_results

    table = read_results(out).table
    assert table["extra"].tolist() == pytest.approx(((table["sme_cap"] - 0.75) * 1e9).tolist())
    # another study into the same folder is refused
    spec.write_text(SPEC.replace("seed: 3", "seed: 4"), encoding="utf-8")
    code, _, err = run(capsys, "experiments", "run", str(spec), "--out", str(out))
    assert code == 1 and "another study" in err


def test_experiments_on_a_process_pool(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "projects.csv").write_text(
        "firm_size,total_rd_cost,government_contribution\nsme,1e9,5e8\n", encoding="utf-8"
    )
    spec = tmp_path / "study.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    out = tmp_path / "r"
    code, text, err = run(
        capsys,
        "experiments",
        "run",
        str(spec),
        "--out",
        str(out),
        "--executor",
        "process",
        "--workers",
        "1",
        "--format",
        "json",
    )
    assert code == 0, err
    data = json.loads(text)
    assert data["timings"]["executor"] == "futures" and data["done"] == 12
    code, _, err = run(capsys, "experiments", "run", str(spec), "--out", str(out), "--workers", "0")
    assert code == 1 and "--workers" in err


def test_experiments_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    spec = tmp_path / "study.yaml"
    spec.write_text(SPEC.replace("kr_rd_matching", "nowhere.yaml"), encoding="utf-8")
    code, _, err = run(capsys, "experiments", "run", str(spec), "--out", str(tmp_path / "o"))
    assert code == 1 and "nowhere.yaml" in err
    spec.write_text(SPEC.replace("n: 12", "n: many"), encoding="utf-8")
    code, _, err = run(capsys, "experiments", "run", str(spec), "--out", str(tmp_path / "o"))
    assert code == 1 and "n: expected a whole number" in err
    with pytest.raises(SystemExit) as exit_:
        main(["experiments", "run", str(spec)])
    assert exit_.value.code == 2
    with pytest.raises(SystemExit) as exit_:
        main(["experiments", "run", str(spec), "--out", "x", "--executor", "cluster"])
    assert exit_.value.code == 2


def test_validate_reads_reform_and_experiment_documents(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from stratpolicy.scenarios import examples

    path = tmp_path / "easing.yaml"
    path.write_text(examples.path("kr_matching_easing_2025").read_text("utf-8"), encoding="utf-8")
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 0 and "valid reform" in out
    study = tmp_path / "study.yaml"
    study.write_text(examples.path("kr_rd_credit_rates_lhs").read_text("utf-8"), encoding="utf-8")
    code, out, _ = run(capsys, "validate", str(study))
    assert code == 0 and "valid experiments" in out
