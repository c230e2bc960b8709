"""Benchmark the quarterly run on a synthetic province, against its baselines.

    .venv/bin/python bench/run_speed.py [--agencies 100] [--dossiers 5000] [--jobs 1,2]
                                        [--naive 20] [--jupyter]
    .venv/bin/python bench/run_speed.py --memory 100,1000 --dossiers 200 --jobs 2

Speed (one sitting, the same province, ratios against baselines measured in that run):
  1. the compute-only limit: ``bench/compute_limit.py``, the reports' pure work in a plain
     process pool, at each ``--jobs``;
  2. ``cchc run --jobs N`` from scratch at each ``--jobs`` (and with ``--kernel jupyter``
     at the largest, with ``--jupyter``);
  3. naive: a shell loop calling the ``papermill`` CLI once per agency, on the first
     ``--naive`` agencies (seconds per agency);
  4. a rerun after one agency's export changed;
  5. peak memory of each process (the command, each worker, each kernel), sampled every
     0.2 s; the machine's load average around each measurement;
  6. where a report's time goes: the compute-only run's per-stage times (papermill's per-cell
     durations are stripped from the saved notebooks), the run's per-job seconds from its
     manifest, and the charts' seconds per report before and after ``Chart.png`` changed.
Memory (``--memory N1,N2``): ``cchc run`` on provinces of N1 and N2 agencies, each worker's
resident memory against the number of reports done.
Results go to ``bench/results/run_speed.json`` (or ``run_memory.json``) and to the sections
"Quarterly run" and "Memory per worker" of ``docs/benchmarks.md``.
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
from collections.abc import Callable
from pathlib import Path

import psutil
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "sample"))  # the seeded generator lives outside the package
sys.path.insert(0, str(ROOT / "bench"))
PERIOD = "2019-9M"
RESULTS = ROOT / "bench" / "results"
DOC = ROOT / "docs" / "benchmarks.md"
SPEED_HEADING = "## Quarterly run"
MEMORY_HEADING = "## Memory per worker"


def build_province(base: Path, n: int, dossiers: int) -> list[str]:
    from synthetic import province

    shutil.copytree(ROOT / "notebooks", base / "notebooks")
    shutil.copytree(ROOT / "params", base / "params")
    (base / "_quarto.yml").write_text("project:\n  type: website\n", encoding="utf-8")
    ids = province(base / "data" / "raw", n, dossiers)
    agencies = [{"id": a, "name": f"UBND xã mẫu {i + 1}", "short_name": f"Xã mẫu {i + 1}",
                 "province": "Tỉnh mẫu", "level": "xã", "parent": "UBND huyện mẫu",
                 "rule": "decree09" if i % 2 else "calendar", "symbol": "UBND"}
                for i, a in enumerate(ids)]
    (base / "params" / "agencies.yml").write_text(
        yaml.safe_dump({"agencies": agencies}, allow_unicode=True), encoding="utf-8")
    for name in ("targets.yml", "reports.yml"):  # the sample's overrides name its agencies,
        path = base / "params" / name               # not declared here: params would refuse them
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        data.pop("agencies", None)
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return ids


def role(p: psutil.Process) -> str:
    """main, worker (a pool worker), kernel (a Jupyter kernel) or other."""
    try:
        cmd = " ".join(p.cmdline())
    except psutil.Error:
        return "other"
    if "ipykernel_launcher" in cmd:
        return "kernel"
    if "resource_tracker" in cmd:
        return "other"
    if "multiprocessing" in cmd or "spawn_main" in cmd:
        return "worker"
    return "other"


class Sampler:
    """Every 0.2 s: the resident memory of each process of a tree (peak per process, by
    role) and, with ``done``, a series of (reports done, largest worker) points."""

    def __init__(self, pid: int, done: Callable[[], int] | None = None) -> None:
        self.pid, self.done = pid, done
        self.peak: dict[int, tuple[str, int]] = {}
        self.total = 0
        self.series: list[tuple[int, int]] = []
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        root = psutil.Process(self.pid)
        total, workers = 0, 0
        for p in [root, *root.children(recursive=True)]:
            try:
                rss = p.memory_info().rss
            except psutil.Error:
                continue
            r = "main" if p.pid == self.pid else self.peak.get(p.pid, (role(p), 0))[0]
            self.peak[p.pid] = (r, max(rss, self.peak.get(p.pid, (r, 0))[1]))
            total += rss
            if r == "worker":
                workers = max(workers, rss)
        self.total = max(self.total, total)
        if self.done is not None and workers:
            self.series.append((self.done(), workers))

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._sample()
            except psutil.Error:
                pass
            time.sleep(0.2)

    def by_role(self, r: str) -> int:
        return max((rss for kind, rss in self.peak.values() if kind == r), default=0)

    def __enter__(self) -> Sampler:
        self._t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._t.join()


def timed(cmd: list[str], cwd: Path, done: Callable[[], int] | None = None) -> dict:
    """Run a command: seconds, exit code, peak memory (MB) by role, load averages."""
    load0 = os.getloadavg()[0]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)
    with Sampler(proc.pid, done) as mem:
        _, err = proc.communicate()
    seconds = time.perf_counter() - t0
    if proc.returncode not in (0, 3):
        print(err[-3000:], file=sys.stderr)
    mb = 2 ** 20
    return {"seconds": round(seconds, 2), "exit": proc.returncode,
            "load_before": round(load0, 2), "load_after": round(os.getloadavg()[0], 2),
            "peak_mb": {"tree": round(mem.total / mb), "main": round(mem.by_role("main") / mb),
                        "worker": round(mem.by_role("worker") / mb),
                        "kernel": round(mem.by_role("kernel") / mb)},
            "series": [(d, round(w / mb)) for d, w in mem.series]}


def naive_loop(base: Path, ids: list[str]) -> dict:
    papermill = Path(sys.executable).parent / "papermill"
    out = base / "naive"
    lines = [f'for a in {" ".join(ids)}; do',
             f'  "{papermill}" notebooks/agency_report.ipynb "{out}/$a.ipynb" --cwd notebooks '
             f'-p agency "$a" -p period {PERIOD} -p data_dir "{base}/data" '
             f'-p params_dir "{base}/params" -p out_dir "{out}" || exit 1',
             "done"]
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    r = timed(["bash", "-c", "\n".join(lines)], base)
    r["agencies"] = len(ids)
    return r


def reports_done(out: Path) -> Callable[[], int]:
    def done() -> int:
        try:
            m = json.loads((out / PERIOD / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return 0
        return sum(e.get("status") == "ok" and e.get("status_last_run") != "skipped"
                   for e in m.get("agencies", {}).values())
    return done


def cchc_run(base: Path, out: Path, jobs: int, kernel: str = "inprocess",
             series: bool = False) -> dict:
    r = timed([sys.executable, "-m", "helpers.cli", "run", "--period", PERIOD, "--jobs",
               str(jobs), "--out", str(out), "--kernel", kernel], base,
              reports_done(out) if series else None)
    m = json.loads((out / PERIOD / "manifest.json").read_text(encoding="utf-8"))["agencies"]
    this_run = {a: e for a, e in m.items() if e.get("status_last_run") != "skipped"}
    ran = sorted(e["seconds"] for e in this_run.values())
    r.update(jobs=jobs, kernel=kernel, agencies_ok=sum(e["status"] == "ok" for e in m.values()),
             ran=sorted(this_run) if len(this_run) <= 5 else len(this_run))
    if ran:
        r["job_seconds"] = {"mean": round(statistics.mean(ran), 3),
                            "median": round(statistics.median(ran), 3),
                            "p90": round(ran[int(0.9 * (len(ran) - 1))], 3)}
    return r


def compute_only(base: Path, jobs: int) -> dict:
    """``bench/compute_limit.py`` as a command of its own (interpreter start included, as
    for ``cchc run``)."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        path = Path(f.name)
    r = timed([sys.executable, str(ROOT / "bench" / "compute_limit.py"), "--province", str(base),
               "--jobs", str(jobs), "--json", str(path)], base)
    pool = json.loads(path.read_text(encoding="utf-8"))
    pool["pool_seconds"] = pool.pop("seconds")  # "seconds": the command's, start-up included
    r.update(pool)
    path.unlink()
    return r


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


def machine() -> dict:
    return {"cpus": os.cpu_count(), "platform": platform.platform(),
            "python": platform.python_version()}


def speed(args: argparse.Namespace, base: Path) -> dict:
    import compute_limit

    jobs = [int(j) for j in args.jobs.split(",")]
    t0 = time.perf_counter()
    ids = build_province(base, args.agencies, args.dossiers)
    print(f"province of {len(ids)} agencies × {args.dossiers} dossiers in {base} "
          f"({time.perf_counter() - t0:.0f}s)", flush=True)
    scaling = []
    for j in jobs:  # the limit and the run side by side, at each pool size
        limit = compute_only(base, j)
        print(f"  compute-only --jobs {j}: {limit['seconds']}s", flush=True)
        run = cchc_run(base, base / f"reports-{j}", j)
        print(f"  cchc run --jobs {j}: {run['seconds']}s (exit {run['exit']})", flush=True)
        scaling.append({"jobs": j, "limit": limit, "run": run,
                        "ratio": round(run["seconds"] / limit["seconds"], 2)})
    top = jobs[-1]
    out = base / f"reports-{top}"
    result: dict = {"machine": machine(), "agencies": len(ids), "dossiers": args.dossiers,
                    "scaling": scaling}
    if args.jupyter:
        result["jupyter"] = cchc_run(base, base / "reports-jupyter", top, kernel="jupyter")
        print(f"  cchc run --jobs {top} --kernel jupyter: {result['jupyter']['seconds']}s",
              flush=True)
    naive = naive_loop(base, ids[:args.naive])
    naive["seconds_per_agency"] = round(naive["seconds"] / len(ids[:args.naive]), 3)
    result["naive"] = naive
    print(f"  naive loop, {args.naive} agencies: {naive['seconds']}s", flush=True)
    change_one(base, ids[len(ids) // 2])
    result["rerun"] = cchc_run(base, out, top)
    print(f"  rerun after one changed: {result['rerun']['seconds']}s", flush=True)
    result["charts"] = compute_limit.chart_seconds(base, ids[:args.chart_reports],
                                                   base / "charts")
    print(f"  charts: {result['charts']}", flush=True)
    return result


def memory(args: argparse.Namespace, base: Path) -> dict:
    sizes = [int(n) for n in args.memory.split(",")]
    jobs = int(args.jobs.split(",")[-1])
    runs = []
    for n in sizes:
        province = base / f"province-{n}"
        t0 = time.perf_counter()
        build_province(province, n, args.dossiers)
        print(f"province of {n} × {args.dossiers} generated in {time.perf_counter() - t0:.0f}s",
              flush=True)
        r = cchc_run(province, province / "reports", jobs, series=True)
        print(f"  cchc run --jobs {jobs}: {r['seconds']}s, worker peak {r['peak_mb']['worker']} MB",
              flush=True)
        r["agencies"] = n
        runs.append(r)
        shutil.rmtree(province, ignore_errors=True)
    return {"machine": machine(), "dossiers": args.dossiers, "jobs": jobs, "runs": runs,
            "ratio": round(runs[-1]["peak_mb"]["worker"] / runs[0]["peak_mb"]["worker"], 3)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--agencies", type=int, default=100)
    ap.add_argument("--dossiers", type=int, default=5000)
    ap.add_argument("--jobs", default="1,2", help="pool sizes, comma-separated")
    ap.add_argument("--naive", type=int, default=20, help="agencies in the naive loop")
    ap.add_argument("--chart-reports", type=int, default=10)
    ap.add_argument("--jupyter", action="store_true", help="also --kernel jupyter")
    ap.add_argument("--memory", help="agency counts for the memory series, e.g. 100,1000")
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    ap.add_argument("--no-doc", action="store_true", help="do not update docs/benchmarks.md")
    args = ap.parse_args()
    base = Path(tempfile.mkdtemp(prefix="cchc-bench-"))
    try:
        import report_run

        result = memory(args, base) if args.memory else speed(args, base / "province")
        name = "run_memory.json" if args.memory else "run_speed.json"
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / name).write_text(json.dumps(result, indent=1, ensure_ascii=False),
                                    encoding="utf-8")
        if not args.no_doc:
            section = report_run.memory(result) if args.memory else report_run.speed(result)
            report_run.update_doc(DOC, MEMORY_HEADING if args.memory else SPEED_HEADING, section)
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
