"""Running a period: ingest, execute the agency notebook per agency, then the overview.

Each agency's outputs are produced in a staging directory and moved into
``<out>/<period>/<agency>/`` only when whole; one agency failing does not stop the
others. An agency whose inputs, parameters, notebook and package version are unchanged
since its last successful run is skipped. ``<out>/<period>/manifest.json`` records, per
agency, the status, why it ran or was skipped, seconds, input hashes, parameters and
package versions.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
import traceback
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import __version__, executors
from .atomic import swap_dir, write_json_atomic
from .config import load_params
from .manifest import current_fingerprint, sha256_file, sha256_text, versions
from .periods import parse_period
from .text import checked_id

log = logging.getLogger("cchc")

AGENCY_NOTEBOOK = "agency_report.ipynb"
OVERVIEW_NOTEBOOK = "province_overview.ipynb"
STAGING = ".staging"


@dataclass
class Job:
    agency: str
    period: str
    root: str  # repository root: notebooks/ live here
    data_dir: str
    params_dir: str
    out_dir: str
    store_dir: str
    fingerprint: dict[str, Any] = field(default_factory=dict)
    warm_kernel: bool = True  # reuse this worker's kernel (kernels.warm_kernel)


@dataclass
class JobResult:
    agency: str
    status: str  # ok | failed | input_error | no_data | skipped
    seconds: float = 0.0
    error: str | None = None
    failing_cell: str | None = None
    reason: str = ""
    inputs: dict[str, str] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)
    fingerprint: dict[str, Any] = field(default_factory=dict)


def _failing_cell(exc: BaseException) -> str | None:
    """"cell 3: `r = report.build(...)` → KeyError: 'x'" from a papermill error."""
    cell_index = getattr(exc, "cell_index", None)
    if cell_index is None:
        return None
    source = (getattr(exc, "source", "") or "").strip().splitlines()
    first = next((ln for ln in source if ln and not ln.startswith("#")), "")
    return (f"ô {cell_index} (`{first[:80]}`): {getattr(exc, 'ename', '')}: "
            f"{str(getattr(exc, 'evalue', ''))[:300]}")


def run_job(job: Job) -> JobResult:
    """Run one agency's report. Runs in a worker process or on a Dask worker."""
    from .indicators import AgencyData
    from .quality import write_quality
    from .store import ingest_for

    t0 = time.perf_counter()
    out = Path(job.out_dir)
    period = parse_period(job.period)
    agency = checked_id(job.agency, "agency id")
    final = out / period.id / agency
    staging_root = out / period.id / STAGING / uuid.uuid4().hex
    staged = staging_root / period.id / agency
    result = JobResult(agency, "failed", fingerprint=job.fingerprint)
    try:
        params = load_params(job.params_dir)
        a = params.agency(agency)
        meta = ingest_for(params, a, Path(job.data_dir), Path(job.store_dir))
        result.inputs = meta["fingerprint"]["files"]
        if not meta["ok"]:
            staged.mkdir(parents=True, exist_ok=True)
            write_quality(staged / "quality.xlsx", meta)
            swap_dir(staged, final)
            errors = [i for i in meta["issues"] if i["severity"] == "error"]
            result.status = "input_error"
            result.error = (f"{len(errors)} lỗi dữ liệu; đầu tiên: {errors[0]['file']}, dòng "
                            f"{errors[0]['row']}, cột {errors[0]['column']}: "
                            f"{errors[0]['message']}")
            return result
        data = AgencyData.load(Path(job.store_dir), agency, [period.year - 1, period.year])
        window = period.window(a.rule)  # type: ignore[arg-type]
        if not data.has_data(window, period.year):
            result.status = "no_data"
            result.error = (f"không có dữ liệu cho kỳ {period.label} "
                            f"({window.start:%d/%m/%Y}–{window.end:%d/%m/%Y})")
            return result
        staged.mkdir(parents=True, exist_ok=True)
        execute(Path(job.root) / "notebooks" / AGENCY_NOTEBOOK, staged / "report.ipynb",
                {"agency": agency, "period": period.id, "data_dir": job.data_dir,
                 "params_dir": job.params_dir, "out_dir": str(staging_root),
                 "store_dir": job.store_dir}, cwd=Path(job.root) / "notebooks",
                warm=job.warm_kernel)
        result.outputs = {p.name: sha256_file(p) for p in sorted(staged.iterdir()) if p.is_file()}
        swap_dir(staged, final)
        result.status = "ok"
    except Exception as exc:  # one agency's failure must not stop the others
        result.status = "failed"
        result.failing_cell = _failing_cell(exc)
        result.error = f"{exc.__class__.__name__}: {str(exc).strip().splitlines()[-1][:500]}" \
            if str(exc).strip() else exc.__class__.__name__
        failed = out / period.id / "_failed"
        nb = staged / "report.ipynb"
        if nb.is_file():
            failed.mkdir(parents=True, exist_ok=True)
            shutil.copy(nb, failed / f"{agency}.ipynb")
        log.debug("job %s failed: %s", agency, traceback.format_exc())
    finally:
        shutil.rmtree(staging_root, ignore_errors=True)
        result.seconds = round(time.perf_counter() - t0, 3)
    return result


def execute(notebook: Path, output: Path, parameters: dict[str, Any], cwd: Path,
            warm: bool = True) -> None:
    """papermill on a warm kernel of this process (or a fresh one with ``warm=False``)."""
    from . import kernels

    pm = kernels.import_papermill()
    from papermill.exceptions import PapermillExecutionError

    if not warm:
        pm.execute_notebook(str(notebook), str(output), parameters=parameters,
                            kernel_name=kernels.ensure_kernelspec(), progress_bar=False,
                            cwd=str(cwd), request_save_on_cell_execute=False)
        return
    km = kernels.warm_kernel(str(cwd))
    try:
        # the notebook is written once, when whole (not after every cell): short reports
        pm.execute_notebook(str(notebook), str(output), parameters=parameters,
                            kernel_name=kernels.KERNEL_NAME, progress_bar=False, cwd=str(cwd),
                            km=km, request_save_on_cell_execute=False)
    except PapermillExecutionError:
        raise  # a cell failed: the kernel itself is fine
    except BaseException:
        kernels.discard(str(cwd))  # timed out or died: never reuse it
        raise


# ---------------------------------------------------------------- the period run

def params_fingerprint(params_dir: Path, agency: str) -> str:
    """Hash of every params file that can change an agency's report."""
    parts = []
    for p in sorted(params_dir.rglob("*.yml")):
        parts.append(f"{p.relative_to(params_dir)}:{sha256_file(p)}")
    return sha256_text("\n".join(parts) + agency)


def job_fingerprint(root: Path, data_dir: Path, params_dir: Path, agency: str, period: str
                    ) -> dict[str, Any]:
    return {
        "inputs": current_fingerprint(data_dir / "raw", agency, {})["files"],
        "params": params_fingerprint(params_dir, agency),
        "notebook": sha256_file(root / "notebooks" / AGENCY_NOTEBOOK),
        "version": __version__,
        "period": period,
    }


def read_manifest(path: Path) -> dict[str, Any]:
    if path.is_file():
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            return {}
    return {}


@dataclass
class RunSummary:
    period: str
    results: list[JobResult]
    overview: str | None
    manifest: Path

    @property
    def failed(self) -> list[JobResult]:
        return [r for r in self.results if r.status in ("failed", "input_error")]

    @property
    def ran(self) -> list[JobResult]:
        return [r for r in self.results if r.status != "skipped"]


def run_period(period: str, agencies: list[str] | None, root: Path, data_dir: Path,
               params_dir: Path, out_dir: Path, jobs: int = 1, executor: str = "local",
               scheduler: str | None = None, force: bool = False, progress: bool = True,
               overview: bool = True, warm: bool = True) -> RunSummary:
    t_start = time.perf_counter()
    p = parse_period(period)
    params = load_params(params_dir)
    ids = agencies or list(params.agencies)
    for a in ids:
        params.agency(a)  # unknown ids fail here, before any work
    root, data_dir, params_dir, out_dir = (x.resolve() for x in (root, data_dir, params_dir,
                                                                   out_dir))
    period_dir = out_dir / p.id
    period_dir.mkdir(parents=True, exist_ok=True)
    if clean_leftovers(period_dir):
        log.info("removed leftovers of an interrupted run in %s", period_dir)
    manifest_path = period_dir / "manifest.json"
    previous = read_manifest(manifest_path).get("agencies", {})
    store = out_dir / "_store"
    todo: list[Job] = []
    results: list[JobResult] = []
    for a in ids:
        fp = job_fingerprint(root, data_dir, params_dir, a, p.id)
        prev = previous.get(a, {})
        outputs_there = all((period_dir / a / f).is_file() for f in ("report.ipynb",
                                                                      "indicators.json"))
        if not force and prev.get("status") == "ok" and prev.get("fingerprint") == fp \
                and outputs_there:
            results.append(JobResult(a, "skipped", reason="đầu vào, tham số, notebook và phiên "
                                     "bản không đổi kể từ lần chạy thành công trước",
                                     inputs=prev.get("inputs", {}), outputs=prev.get("outputs", {}),
                                     fingerprint=fp, seconds=0.0))
            continue
        job = Job(a, p.id, str(root), str(data_dir), str(params_dir), str(out_dir), str(store), fp,
                  warm_kernel=warm)
        todo.append(job)
    if warm and overview and executor != "dask" and (
            todo or force or not (period_dir / "overview.ipynb").is_file()):
        from . import kernels

        # the overview (and a lone job) run in this process: warm its kernel meanwhile
        kernels.prestart(str(root / "notebooks"))
    log.info("%d to run, %d unchanged (fingerprints in %.2fs)", len(todo), len(results),
             time.perf_counter() - t_start)
    reasons = {j.agency: ("--force" if force else
                          "chưa có lần chạy thành công" if previous.get(j.agency, {}).get("status")
                          != "ok" else _what_changed(previous[j.agency].get("fingerprint", {}),
                                                      j.fingerprint))
               for j in todo}
    started = datetime.now(UTC)
    bar = _progress(len(todo), progress)
    done = failed = 0
    run = executors.get(executor)
    for res in run(run_job, todo, jobs_n=jobs, scheduler=scheduler):
        res.reason = reasons.get(res.agency, "")
        results.append(res)
        if res.status in ("failed", "input_error"):
            failed += 1
        else:
            done += 1
        log.info("%s %s %.1fs %s", res.agency, res.status, res.seconds, res.error or "")
        if bar is not None:
            bar.set_postfix_str(f"{res.agency} · xong {done} · lỗi {failed}")
            bar.update(1)
        _write_manifest(manifest_path, p.id, started, results, previous, params_dir)
    if bar is not None:
        bar.close()
    _write_manifest(manifest_path, p.id, started, results, previous, params_dir)
    shutil.rmtree(period_dir / STAGING, ignore_errors=True)  # every job is done with it
    ov = None
    reports_there = any(r.status in ("ok", "skipped") for r in results)
    if overview and reports_there and (any(r.status == "ok" for r in results) or force
                                       or not (period_dir / "overview.ipynb").is_file()):
        log.info("agencies done at %.2fs", time.perf_counter() - t_start)
        ov = run_overview(p.id, root, params_dir, out_dir, warm=warm)
        log.info("overview %s at %.2fs", ov, time.perf_counter() - t_start)
    return RunSummary(p.id, results, ov, manifest_path)


def _what_changed(before: dict[str, Any], now: dict[str, Any]) -> str:
    changed = [k for k in ("inputs", "params", "notebook", "version", "period")
               if before.get(k) != now.get(k)]
    names = {"inputs": "dữ liệu đầu vào", "params": "tham số", "notebook": "notebook",
             "version": "phiên bản phần mềm", "period": "kỳ"}
    return "thay đổi: " + ", ".join(names[c] for c in changed) if changed else "chạy lại"


def _progress(total: int, enabled: bool):
    if not enabled or total == 0:
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="cơ quan", desc="Lập báo cáo", dynamic_ncols=True)


def _write_manifest(path: Path, period: str, started: datetime, results: list[JobResult],
                    previous: dict[str, Any], params_dir: Path) -> None:
    agencies = dict(previous)
    for r in results:
        entry = asdict(r)
        if r.status == "skipped":
            entry = {**previous.get(r.agency, {}), "status_last_run": "skipped",
                     "reason": r.reason}
            entry["status"] = previous.get(r.agency, {}).get("status", "ok")
        agencies[r.agency] = {**entry, "parameters": {"agency": r.agency, "period": period}}
    write_json_atomic(path, {
        "period": period,
        "started_at": started.isoformat(timespec="seconds"),
        "updated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "versions": versions(),
        "params_dir": str(params_dir),
        "agencies": dict(sorted(agencies.items())),
    })


def run_overview(period: str, root: Path, params_dir: Path, out_dir: Path,
                 warm: bool = True) -> str:
    """Execute the provincial overview notebook for the period; returns its status."""
    final = out_dir / period / "overview.ipynb"
    tmp = final.with_name(f".overview.{os.getpid()}.ipynb")
    try:
        execute(root / "notebooks" / OVERVIEW_NOTEBOOK, tmp,
                {"period": period, "params_dir": str(params_dir), "out_dir": str(out_dir)},
                cwd=root / "notebooks", warm=warm)
        os.replace(tmp, final)
        return "ok"
    except Exception as exc:
        tmp.unlink(missing_ok=True)
        return f"failed: {_failing_cell(exc) or exc}"


def clean_leftovers(period_dir: Path) -> int:
    """Remove what a killed run left (staging folders, half-swapped ``.old`` folders,
    temporary files). Only called while holding the period's lock."""
    n = 0
    for p in [period_dir / STAGING, *period_dir.glob(".*.old-*"), *period_dir.glob(".overview.*")]:
        if p.is_dir():
            shutil.rmtree(p, ignore_errors=True)
            n += 1
        elif p.exists():
            p.unlink(missing_ok=True)
            n += 1
    return n
