"""Benchmark the quarterly run on a synthetic province, against the naive baseline.

    .venv/bin/python bench/run_speed.py [--agencies 100] [--dossiers 5000] [--jobs 2]

Measured in one run, on the same machine and the same inputs:
  1. naive: a shell loop calling the ``papermill`` CLI once per agency (same notebook,
     same parameters; each notebook ingests its agency, as ``cchc run`` does);
  2. ``cchc run --jobs N`` from scratch;
  3. the same after one agency's export changed (incremental rerun);
  4. ingestion alone, seconds per 100 000 dossier rows;
  5. peak memory (resident set of the whole process tree, sampled every 0.1 s);
  6. where a notebook's time goes (papermill's per-cell durations, kernel start-up).
Results go to ``bench/results/run_speed.json`` and the "Quarterly run" section of
``docs/benchmarks.md``. Ratios are against the baseline measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat
import psutil
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "sample"))  # the seeded generator lives outside the package
PERIOD = "2019-9M"


def build_province(base: Path, n: int, dossiers: int) -> list[str]:
    from synthetic import province

    shutil.copytree(ROOT / "notebooks", base / "notebooks")
    shutil.copytree(ROOT / "params", base / "params")
    ids = province(base / "data" / "raw", n, dossiers)
    agencies = [{"id": a, "name": f"UBND xã mẫu {i + 1}", "short_name": f"Xã mẫu {i + 1}",
                 "province": "Tỉnh mẫu", "level": "xã", "parent": "UBND huyện mẫu",
                 "rule": "decree09" if i % 2 else "calendar", "symbol": "UBND"}
                for i, a in enumerate(ids)]
    (base / "params" / "agencies.yml").write_text(
        yaml.safe_dump({"agencies": agencies}, allow_unicode=True), encoding="utf-8")
    targets = yaml.safe_load((base / "params" / "targets.yml").read_text(encoding="utf-8"))
    targets.pop("agencies", None)  # overrides for the sample's agencies, not declared here
    (base / "params" / "targets.yml").write_text(yaml.safe_dump(targets, allow_unicode=True),
                                                 encoding="utf-8")
    return ids


class PeakMemory:
    """Peak resident memory of a process and all its descendants."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self._stop = pid, 0, threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                root = psutil.Process(self.pid)
                procs = [root, *root.children(recursive=True)]
                rss = 0
                for p in procs:
                    try:
                        rss += p.memory_info().rss
                    except psutil.Error:
                        pass
                self.peak = max(self.peak, rss)
            except psutil.Error:
                pass
            time.sleep(0.1)

    def __enter__(self) -> PeakMemory:
        self._t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._t.join()


def timed(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, int, int]:
    """(seconds, exit code, peak bytes) of a command."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env={**os.environ, **(env or {})},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    with PeakMemory(proc.pid) as mem:
        _, err = proc.communicate()
    seconds = time.perf_counter() - t0
    if proc.returncode not in (0, 3):
        print(err[-3000:], file=sys.stderr)
    return seconds, proc.returncode, mem.peak


def naive_loop(base: Path, ids: list[str]) -> tuple[float, int, int]:
    papermill = Path(sys.executable).parent / "papermill"
    out = base / "naive"
    lines = [f'for a in {" ".join(ids)}; do',
             f'  "{papermill}" notebooks/agency_report.ipynb "{out}/$a.ipynb" --cwd notebooks '
             f'-p agency "$a" -p period {PERIOD} -p data_dir "{base}/data" '
             f'-p params_dir "{base}/params" -p out_dir "{out}" || exit 1',
             "done"]
    out.mkdir()
    return timed(["bash", "-c", "\n".join(lines)], base)


def cchc_run(base: Path, out: Path, jobs: int) -> tuple[float, int, int]:
    return timed([sys.executable, "-m", "helpers.cli", "run", "--period", PERIOD,
                  "--jobs", str(jobs), "--out", str(out)], base)


def change_one(base: Path, agency: str) -> None:
    """A corrected export for one agency: one more dossier, differently seeded."""
    import synthetic as syn

    shape = syn.AgencyShape(agency, "Tỉnh mẫu", syn.FIELDS_NV[:4], {2019: 0},
                            {2019: (40, 12)}, {2019: 0.15}, style="one_workbook")
    path = next((base / "data" / "raw" / agency).rglob("*.xlsx"))
    procs = syn.procedures(shape, 2019)
    rows = syn.dossiers(shape, 2019, procs, count=len(list(_rows(path))) + 1, seed="corrected")
    resolved = sum(1 for d in rows if d["resolved_on"] is not None)
    tables = {"thu_tuc": procs, "ho_so": rows, "danh_gia": syn.ratings(shape, 2019, resolved)}
    shutil.rmtree(base / "data" / "raw" / agency)
    syn.write_agency_year(shape, "UBND xã mẫu (sửa)", 2019, base / "data" / "raw", tables)


def _rows(path: Path):
    from python_calamine import CalamineWorkbook

    yield from CalamineWorkbook.from_path(str(path)).get_sheet_by_name("ho_so").to_python()[5:]


def ingestion_rate(base: Path, ids: list[str]) -> dict[str, float]:
    from helpers.ingest.agency import read_agency

    raw = base / "data" / "raw"
    t0 = time.perf_counter()
    rows = 0
    for a in ids[:20]:
        inputs = read_agency(a, raw / a, root=raw)
        rows += sum(r.rows_read for r in inputs.reads if r.table.code == "ho_so")
    seconds = time.perf_counter() - t0
    return {"dossier_rows": rows, "seconds": round(seconds, 2),
            "seconds_per_100k_rows": round(seconds / rows * 100_000, 2)}


def where_time_goes(out: Path) -> dict[str, float]:
    """Mean seconds per cell (papermill's own timings) over the executed notebooks."""
    per_cell: dict[str, list[float]] = {}
    for nb_path in out.glob(f"{PERIOD}/*/report.ipynb"):
        nb = nbformat.read(nb_path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            d = cell.metadata.get("papermill", {}).get("duration")
            if d is None:
                continue
            first = next((ln for ln in cell.source.splitlines() if ln and not ln.startswith("#")),
                         "")
            tags = cell.metadata.get("tags", [])
            key = ("injected parameters" if "injected-parameters" in tags else
                   "parameters" if "parameters" in tags else first[:40])
            per_cell.setdefault(key, []).append(float(d))
    return {k: round(statistics.mean(v), 3) for k, v in per_cell.items()}


def kernel_start_cost() -> dict[str, float]:
    """Seconds to start a kernel and import what the report needs: what the warm kernel
    saves on every notebook after the first."""
    from helpers.run import kernels

    t0 = time.perf_counter()
    km = kernels.warm_kernel(str(ROOT / "notebooks"))
    started = time.perf_counter() - t0
    t0 = time.perf_counter()
    kernels._run(km, "%reset -f", wait=False)
    reset = time.perf_counter() - t0
    kernels.shutdown_all()
    return {"start_and_imports": round(started, 2), "reset_between_notebooks": round(reset, 3)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--agencies", type=int, default=100)
    ap.add_argument("--dossiers", type=int, default=5000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    ap.add_argument("--no-doc", action="store_true", help="do not update docs/benchmarks.md")
    args = ap.parse_args()
    base = Path(tempfile.mkdtemp(prefix="cchc-bench-"))
    try:
        print(f"province of {args.agencies} agencies × {args.dossiers} dossiers in {base}")
        t0 = time.perf_counter()
        ids = build_province(base, args.agencies, args.dossiers)
        print(f"  generated in {time.perf_counter() - t0:.0f}s")
        ingest = ingestion_rate(base, ids)
        print(f"  ingestion: {ingest}")
        naive_s, naive_rc, naive_mem = naive_loop(base, ids)
        print(f"  naive papermill loop: {naive_s:.1f}s (exit {naive_rc})")
        out = base / "reports"
        full_s, full_rc, full_mem = cchc_run(base, out, args.jobs)
        print(f"  cchc run --jobs {args.jobs}: {full_s:.1f}s (exit {full_rc})")
        statuses = json.loads((out / PERIOD / "manifest.json").read_text())["agencies"]
        ok = sum(1 for e in statuses.values() if e["status"] == "ok")
        change_one(base, ids[len(ids) // 2])
        re_s, re_rc, re_mem = cchc_run(base, out, args.jobs)
        m = json.loads((out / PERIOD / "manifest.json").read_text())["agencies"]
        reran = [a for a, e in m.items() if e.get("status_last_run") != "skipped"]
        print(f"  rerun with one agency changed: {re_s:.1f}s (exit {re_rc}); ran {reran}")
        result = {
            "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                        "python": platform.python_version()},
            "agencies": args.agencies, "dossiers_per_agency": args.dossiers, "jobs": args.jobs,
            "naive_papermill_loop_s": round(naive_s, 1),
            "cchc_run_s": round(full_s, 1), "cchc_run_agencies_ok": ok,
            "rerun_one_changed_s": round(re_s, 1), "rerun_ran": reran,
            "speedup_vs_naive": round(naive_s / full_s, 2),
            "rerun_speedup_vs_full": round(full_s / re_s, 2),
            "peak_memory_mb": {"naive": round(naive_mem / 2**20), "cchc_run": round(full_mem / 2**20),
                               "rerun": round(re_mem / 2**20)},
            "ingestion": ingest,
            "notebook_cell_seconds": where_time_goes(out),
            "kernel": kernel_start_cost(),
        }
        results = ROOT / "bench" / "results"
        results.mkdir(parents=True, exist_ok=True)
        (results / "run_speed.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
        print(json.dumps(result, indent=2, ensure_ascii=False))
        if not args.no_doc:
            write_doc(result)
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)


def write_doc(r: dict) -> None:
    cells = "\n".join(f"| `{k}` | {v:.3f} |" for k, v in r["notebook_cell_seconds"].items())
    section = f"""## Quarterly run: {r['agencies']} agencies × {r['dossiers_per_agency']} dossiers

`bench/run_speed.py --agencies {r['agencies']} --dossiers {r['dossiers_per_agency']} --jobs {r['jobs']}`
on {r['machine']['cpus']} CPUs ({r['machine']['platform']}, Python {r['machine']['python']}).
Every figure below was measured in the same run; ratios are against the naive baseline
of that run.

| run | seconds | ratio | peak memory (process tree) |
|---|---:|---:|---:|
| naive: shell loop calling the `papermill` CLI per agency | {r['naive_papermill_loop_s']} | 1× | {r['peak_memory_mb']['naive']} MB |
| `cchc run --jobs {r['jobs']}` (from scratch, {r['cchc_run_agencies_ok']} agencies ok) | {r['cchc_run_s']} | **{r['speedup_vs_naive']}× faster** | {r['peak_memory_mb']['cchc_run']} MB |
| rerun after one agency's export changed (ran: {', '.join(r['rerun_ran'])}) | {r['rerun_one_changed_s']} | **{r['rerun_speedup_vs_full']}× faster than the full run** | {r['peak_memory_mb']['rerun']} MB |

Ingestion alone (`helpers.ingest.agency.read_agency`, {r['ingestion']['dossier_rows']} dossier rows):
**{r['ingestion']['seconds_per_100k_rows']} s per 100 000 rows**.

Where the time goes. Starting a kernel and importing pandas, matplotlib and `helpers`
costs {r['kernel']['start_and_imports']} s; clearing a warm kernel between notebooks costs
{r['kernel']['reset_between_notebooks']} s. The naive loop pays the start-up, plus the
papermill CLI's own start, on every agency; `cchc run` pays it once per worker
(`helpers.kernels`), ingests in the worker before the notebook, runs agencies in
parallel, and skips unchanged agencies by their inputs' hashes. Mean seconds per
notebook cell in the `cchc run` (papermill's per-cell durations):

| cell | mean seconds |
|---|---:|
{cells}
"""
    doc = ROOT / "docs" / "benchmarks.md"
    text = doc.read_text(encoding="utf-8") if doc.is_file() else "# Benchmarks\n"
    start = text.find("## Quarterly run")
    if start >= 0:
        end = text.find("\n## ", start + 3)
        text = text[:start] + section + (text[end + 1:] if end >= 0 else "")
    else:
        text = text.rstrip() + "\n\n" + section
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
