"""The run benchmarks' machinery (no timings asserted): the compute-only limit does the
report's own work, and the benchmark writes only its own sections of docs/benchmarks.md."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


def load(name: str):
    sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_compute_only_report_writes_what_cchc_run_writes(tiny, tmp_path):
    """The compute-only job runs the notebook's own cells: its indicators.json and
    dossier_flow.csv are the bytes `cchc run` writes for the same agency."""
    from helpers.run import runner
    from helpers.run.fingerprints import job_fingerprint, params_fingerprint

    limit = load("compute_limit")
    times = limit.compute_report(limit.Job("xa-binh-an", str(tiny), str(tmp_path / "limit")))
    assert times["total"] > 0 and any(k.startswith("charts.") for k in times)
    fp = job_fingerprint(tiny / "notebooks" / runner.AGENCY_NOTEBOOK, tiny / "data" / "raw",
                         params_fingerprint(tiny / "params"), "xa-binh-an", "2019-9M")
    out = tmp_path / "run"
    result = runner.run_job(runner.Job("xa-binh-an", "2019-9M", str(tiny), str(tiny / "data"),
                                       str(tiny / "params"), str(out), str(out / "_store"), fp))
    assert result.status == "ok", result.error
    for name in ("indicators.json", "dossier_flow.csv"):
        ours = (tmp_path / "limit" / "2019-9M" / "xa-binh-an" / name).read_bytes()
        assert ours == (out / "2019-9M" / "xa-binh-an" / name).read_bytes(), name


def test_cells_run_as_in_a_kernel():
    limit = load("compute_limit")
    ns: dict = {}
    assert limit.run_cell("x = 2\nx * 21", ns) == 42
    assert limit.run_cell("y = x + 1", ns) is None and ns["y"] == 3
    from helpers.present.markdown import Md

    assert limit.render(Md("**a**")) == len(repr(Md("**a**"))) + len("**a**")


def test_doc_sections_are_replaced_others_kept(tmp_path):
    report = load("report_run")
    doc = tmp_path / "benchmarks.md"
    doc.write_text("# Benchmarks\n\n## Reading Excel\n\nkept\n\n## Quarterly run: old\n\nold\n\n"
                   "## Publishing\n\nkept too\n", encoding="utf-8")
    report.update_doc(doc, "## Quarterly run", "## Quarterly run: new\n\nnew\n")
    report.update_doc(doc, "## Memory per worker", "## Memory per worker\n\nflat\n")
    text = doc.read_text(encoding="utf-8")
    assert text == ("# Benchmarks\n\n## Reading Excel\n\nkept\n\n## Quarterly run: new\n\nnew\n"
                    "\n## Publishing\n\nkept too\n\n## Memory per worker\n\nflat\n")


def test_the_benchmark_province_has_params_the_run_accepts(tmp_path):
    """The generated province replaces the sample's agencies: its params/ must still load
    (the sample's per-agency targets and report numbers would name undeclared agencies)."""
    from helpers.params import load_params

    bench = load("run_speed")
    ids = bench.build_province(tmp_path, 3, 20)
    params = load_params(tmp_path / "params")
    assert sorted(params.agencies) == sorted(ids) and len(ids) == 3
