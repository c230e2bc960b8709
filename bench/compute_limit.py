"""The compute-only limit of a quarterly run: the pure work of the reports, nothing else.

    .venv/bin/python bench/compute_limit.py --province DIR [--jobs 2] [--json OUT]
    .venv/bin/python bench/compute_limit.py --agencies 20 --dossiers 5000 --jobs 2

Per agency, in a plain ``ProcessPoolExecutor`` (spawned workers, no papermill, no IPython,
no Jupyter kernel, no notebook written): ingest its exports into a Parquet store
(``store.ingest``, hashing included), then run the agency notebook's code cells with
``exec`` in a fresh namespace — the same functions the notebook calls, read from
``notebooks/agency_report.ipynb`` so they never drift from it — and render each cell's
value to what the notebook shows (the chart PNGs, the Markdown, the text): loading the
frames, figures, tables, charts and the output files. That is what ``cchc run`` cannot do
with less; ``bench/run_speed.py`` runs this beside ``cchc run`` on the same province and
reports the ratio. Each job is timed by stage (ingestion, each cell); the means say where a
report's time goes.
"""

from __future__ import annotations

import argparse
import ast
import concurrent.futures as cf
import json
import multiprocessing
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PERIOD = "2019-9M"


@dataclass(frozen=True)
class Job:
    agency: str
    base: str  # the province: data/, params/, notebooks/
    work: str  # this run's store and outputs


def report_cells(notebook: Path) -> list[tuple[str, str]]:
    """(label, source) of the notebook's code cells, without its parameters cell; the label
    is the cell's first line of code (its comment lines and Quarto options skipped)."""
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    out = []
    for cell in nb.cells:
        if cell.cell_type != "code" or "parameters" in cell.metadata.get("tags", []):
            continue
        first = next((ln for ln in cell.source.splitlines() if ln.strip() and not
                      ln.lstrip().startswith("#")), "")
        out.append((first.strip()[:48], cell.source))
    return out


def run_cell(source: str, ns: dict[str, Any]) -> Any:
    """Run a cell as a kernel would: its statements, then the value of its last expression."""
    tree = ast.parse(source)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, "<cell>", "exec"), ns)
    if last is None:
        return None
    return eval(compile(ast.Expression(last.value), "<cell>", "eval"), ns)


def render(value: Any) -> int:
    """What the notebook would show of ``value`` (as IPython's formatter asks it: the rich
    representations and the text); the size in bytes, so nothing is optimised away."""
    if value is None:
        return 0
    size = len(repr(value))
    if hasattr(value, "_repr_mimebundle_"):
        data, _ = value._repr_mimebundle_()
        return size + sum(len(v) for v in data.values())
    for name in ("_repr_markdown_", "_repr_html_", "_repr_png_"):
        if hasattr(value, name):
            size += len(getattr(value, name)() or "")
    return size


def warm() -> None:
    """A worker imports what a report needs once, before its first job, and freezes it out
    of the garbage collector's way (as ``cchc run``'s workers do): the limit is a tuned pool."""
    import gc
    import importlib

    import matplotlib

    matplotlib.use("Agg")
    for name in ("pandas", "helpers.ingest.store", "helpers.indicators.values",
                 "helpers.indicators.index766", "helpers.present.charts", "helpers.present.tables",
                 "helpers.present.narrative", "helpers.present.outputs",
                 "helpers.present.index766", "helpers.present.official_form"):
        importlib.import_module(name)
    gc.collect()
    gc.freeze()


def compute_report(job: Job) -> dict[str, float]:
    """One agency's report, compute only: seconds per stage."""
    from helpers.ingest import store
    from helpers.params import load_params

    base, work = Path(job.base), Path(job.work)
    times: dict[str, float] = {}
    t0 = time.perf_counter()
    params = load_params(base / "params")
    meta = store.ingest(params, params.agency(job.agency), base / "data" / "raw", work / "_store")
    times["ingest (read, validate, write Parquet)"] = time.perf_counter() - t0
    if not meta["ok"]:
        raise RuntimeError(f"{job.agency}: input errors")
    out = work / PERIOD / job.agency
    out.mkdir(parents=True, exist_ok=True)
    ns: dict[str, Any] = {"__name__": "__main__", "agency": job.agency, "period": PERIOD,
                          "data_dir": str(base / "data"), "params_dir": str(base / "params"),
                          "out_dir": str(work), "store_dir": str(work / "_store")}
    cwd = os.getcwd()
    os.chdir(base / "notebooks")  # where the notebook runs
    try:
        for label, source in report_cells(base / "notebooks" / "agency_report.ipynb"):
            t = time.perf_counter()
            render(run_cell(source, ns))
            times[label] = times.get(label, 0.0) + time.perf_counter() - t
    finally:
        os.chdir(cwd)
    times["total"] = time.perf_counter() - t0
    return times


def savefig_tight(chart) -> bytes:
    """How a chart became a PNG before (for the before/after comparison): ``savefig`` with
    ``bbox_inches="tight"`` at the same DPI."""
    import io

    from helpers.present.charts import DPI

    buf = io.BytesIO()
    chart.figure.savefig(buf, format="png", dpi=DPI, bbox_inches="tight")
    return buf.getvalue()


def chart_seconds(base: Path, agencies: list[str], work: Path, rounds: int = 3
                  ) -> dict[str, Any]:
    """Seconds per report for its charts, building the figures and making their PNGs, with
    ``Chart.png`` as it is and with the former ``savefig(bbox_inches="tight")``, in turns on
    the same charts: the notebook's own chart cells, rerun on each agency's namespace
    (medians over agencies and rounds). CPU seconds of this process: the work itself, less
    disturbed than the clock by other processes on a shared machine."""
    from helpers.present.charts import Chart

    warm()
    sums: dict[str, list[float]] = {"build": [], "before": [], "after": []}
    charts = 0
    for agency in agencies:
        ns, made = namespace(Job(agency, str(base), str(work)), Chart)
        charts += len(made)
        for _ in range(rounds):
            for how, png in (("before", savefig_tight), ("after", Chart.png)):
                build = render = 0.0
                for src in made:
                    t = time.process_time()
                    chart = run_cell(src, ns)
                    build += time.process_time() - t
                    t = time.process_time()
                    png(chart)
                    render += time.process_time() - t
                sums["build"].append(build)
                sums[how].append(render)
    build, before, after = (statistics.median(sums[k]) for k in ("build", "before", "after"))
    return {"reports": len(agencies), "charts_per_report": round(charts / len(agencies), 2),
            "build_s_per_report": round(build, 3), "png_before_s_per_report": round(before, 3),
            "png_after_s_per_report": round(after, 3),
            "before_s_per_report": round(build + before, 3),
            "after_s_per_report": round(build + after, 3),
            "speedup": round((build + before) / (build + after), 2)}


def namespace(job: Job, kind: type) -> tuple[dict[str, Any], list[str]]:
    """The namespace of an agency's notebook after all its cells ran (ingesting first), and
    the cells whose value is a ``kind``."""
    from helpers.ingest import store
    from helpers.params import load_params

    base, work = Path(job.base), Path(job.work)
    params = load_params(base / "params")
    store.ingest(params, params.agency(job.agency), base / "data" / "raw", work / "_store")
    ns: dict[str, Any] = {"__name__": "__main__", "agency": job.agency, "period": PERIOD,
                          "data_dir": str(base / "data"), "params_dir": str(base / "params"),
                          "out_dir": str(work), "store_dir": str(work / "_store")}
    made = []
    for _, source in report_cells(base / "notebooks" / "agency_report.ipynb"):
        if isinstance(run_cell(source, ns), kind):
            made.append(source)
    return ns, made


def pool(base: Path, agencies: list[str], jobs: int, work: Path) -> dict[str, Any]:
    """Every agency's report in a pool of ``jobs`` spawned workers: wall seconds and the
    per-stage means."""
    t0 = time.perf_counter()
    todo = [Job(a, str(base), str(work)) for a in agencies]
    ctx = multiprocessing.get_context("spawn")
    with cf.ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=warm) as ex:
        per_job = list(ex.map(compute_report, todo))
    wall = time.perf_counter() - t0
    stages = {k: round(statistics.mean(t.get(k, 0.0) for t in per_job), 4) for k in per_job[0]}
    return {"jobs": jobs, "agencies": len(agencies), "seconds": round(wall, 2),
            "seconds_per_report": round(wall / len(agencies), 3),
            "job_seconds_mean": stages.pop("total"), "stages_mean": stages}


def agencies_of(base: Path) -> list[str]:
    import yaml

    declared = yaml.safe_load((base / "params" / "agencies.yml").read_text(encoding="utf-8"))
    return [a["id"] for a in declared["agencies"] if (base / "data" / "raw" / a["id"]).is_dir()]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--province", type=Path, help="a province made by bench/run_speed.py")
    ap.add_argument("--agencies", type=int, default=20, help="without --province: generate")
    ap.add_argument("--dossiers", type=int, default=5000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--json", type=Path, help="write the result here")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="cchc-limit-"))
    try:
        base = args.province
        if base is None:
            sys.path.insert(0, str(ROOT / "bench"))
            from run_speed import build_province

            base = tmp / "province"
            build_province(base, args.agencies, args.dossiers)
        result = pool(base.resolve(), agencies_of(base), args.jobs, tmp / "work")
        print(json.dumps(result, indent=2, ensure_ascii=False))
        if args.json:
            args.json.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
