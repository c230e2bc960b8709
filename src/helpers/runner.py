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
from .config import load_params
from .manifest import sha256_file, sha256_text, versions, write_json_atomic
from .periods import parse_period
from .text import checked_id

log = logging.getLogger("cchc")

AGENCY_NOTEBOOK = "agency_report.ipynb"
OVERVIEW_NOTEBOOK = "province_overview.ipynb"
OUTPUTS = ("report.ipynb", "indicators.json", "tables.xlsx", "dossier_flow.csv", "quality.xlsx")


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
    kernel: str = "auto"  # "auto": a kernel spec for this interpreter (ensure_kernel)


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


def _swap_into_place(staged: Path, final: Path) -> None:
    """Replace ``final`` by ``staged`` with two renames on one file system."""
    final.parent.mkdir(parents=True, exist_ok=True)
    old = None
    if final.exists():
        old = final.with_name(f".{final.name}.old-{uuid.uuid4().hex[:8]}")
        final.rename(old)
    staged.rename(final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _failing_cell(exc: BaseException) -> str | None:
    """"cell 3: `r = report.build(...)` → KeyError: 'x'" from a papermill error."""
    cell_index = getattr(exc, "cell_index", None)
    if cell_index is None:
        return None
    source = (getattr(exc, "source", "") or "").strip().splitlines()
    first = next((ln for ln in source if ln and not ln.startswith("#")), "")
    return (f"ô {cell_index} (`{first[:80]}`): {getattr(exc, 'ename', '')}: "
            f"{str(getattr(exc, 'evalue', ''))[:300]}")


KERNEL_NAME = "cchc-python"


def ensure_kernel() -> str:
    """A kernel spec for *this* interpreter, so papermill never picks a stray user-level
    ``python3`` kernel from another environment; ipykernel's start-up notices are kept
    out of the run's output (errors still show)."""
    import sys
    import tempfile

    base = Path(tempfile.gettempdir()) / f"cchc-jupyter-{os.getuid()}-{abs(hash(sys.executable))}"
    spec = base / "kernels" / KERNEL_NAME / "kernel.json"
    if not spec.is_file():
        spec.parent.mkdir(parents=True, exist_ok=True)
        tmp = spec.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({
            "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}",
                     "--IPKernelApp.log_level=ERROR"],
            "display_name": "Python (cchc-reports)", "language": "python",
            "env": {"MPLBACKEND": "Agg"}}), encoding="utf-8")
        os.replace(tmp, spec)
    paths = os.environ.get("JUPYTER_PATH", "")
    if str(base) not in paths.split(os.pathsep):
        os.environ["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(base), paths) if p)
    return KERNEL_NAME


def run_job(job: Job) -> JobResult:
    """Run one agency's report. Runs in a worker process or on a Dask worker."""
    import papermill as pm

    from .report import InputError, NoDataError, build, ingest_for, write_quality

    t0 = time.perf_counter()
    out = Path(job.out_dir)
    period = parse_period(job.period)
    agency = checked_id(job.agency, "agency id")
    final = out / period.id / agency
    staging_root = out / ".staging" / uuid.uuid4().hex
    staged = staging_root / period.id / agency
    result = JobResult(agency, "failed", fingerprint=job.fingerprint)
    try:
        params = load_params(job.params_dir)
        meta = ingest_for(params, params.agency(agency), Path(job.data_dir), Path(job.store_dir))
        result.inputs = meta["fingerprint"]["files"]
        if not meta["ok"]:
            staged.mkdir(parents=True, exist_ok=True)
            write_quality(staged / "quality.xlsx", meta)
            _swap_into_place(staged, final)
            errors = [i for i in meta["issues"] if i["severity"] == "error"]
            result.status = "input_error"
            result.error = (f"{len(errors)} lỗi dữ liệu; đầu tiên: {errors[0]['file']}, dòng "
                            f"{errors[0]['row']}, cột {errors[0]['column']}: "
                            f"{errors[0]['message']}")
            return result
        try:
            build(agency, period.id, data_dir=job.data_dir, params_dir=job.params_dir,
                  out_dir=str(staging_root), store_dir=job.store_dir)
        except NoDataError as exc:
            result.status, result.error = "no_data", str(exc)
            return result
        except InputError as exc:
            result.status, result.error = "input_error", str(exc)
            return result
        staged.mkdir(parents=True, exist_ok=True)
        nb_out = staged / "report.ipynb"
        pm.execute_notebook(
            str(Path(job.root) / "notebooks" / AGENCY_NOTEBOOK), str(nb_out),
            parameters={"agency": agency, "period": period.id, "data_dir": job.data_dir,
                        "params_dir": job.params_dir, "out_dir": str(staging_root),
                        "store_dir": job.store_dir},
            kernel_name=ensure_kernel() if job.kernel == "auto" else job.kernel,
            progress_bar=False, log_output=False,
            cwd=str(Path(job.root) / "notebooks"))
        result.outputs = {p.name: sha256_file(p) for p in sorted(staged.iterdir()) if p.is_file()}
        _swap_into_place(staged, final)
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


# ---------------------------------------------------------------- the period run

def params_fingerprint(params_dir: Path, agency: str) -> str:
    """Hash of every params file that can change an agency's report."""
    parts = []
    for p in sorted(params_dir.rglob("*.yml")):
        parts.append(f"{p.relative_to(params_dir)}:{sha256_file(p)}")
    return sha256_text("\n".join(parts) + agency)


def job_fingerprint(root: Path, data_dir: Path, params_dir: Path, agency: str, period: str
                    ) -> dict[str, Any]:
    from .store import current_fingerprint

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
               overview: bool = True) -> RunSummary:
    p = parse_period(period)
    params = load_params(params_dir)
    ids = agencies or list(params.agencies)
    for a in ids:
        params.agency(a)  # unknown ids fail here, before any work
    root, data_dir, params_dir, out_dir = (x.resolve() for x in (root, data_dir, params_dir,
                                                                   out_dir))
    period_dir = out_dir / p.id
    period_dir.mkdir(parents=True, exist_ok=True)
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
        job = Job(a, p.id, str(root), str(data_dir), str(params_dir), str(out_dir), str(store), fp)
        todo.append(job)
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
    ov = None
    if overview and any(r.status == "ok" for r in results) or (
            overview and any(r.status == "skipped" for r in results)):
        ov = run_overview(p.id, root, params_dir, out_dir)
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


def run_overview(period: str, root: Path, params_dir: Path, out_dir: Path) -> str:
    """Execute the provincial overview notebook for the period; returns its status."""
    import papermill as pm

    final = out_dir / period / "overview.ipynb"
    tmp = final.with_name(f".overview.{os.getpid()}.ipynb")
    try:
        pm.execute_notebook(str(root / "notebooks" / OVERVIEW_NOTEBOOK), str(tmp),
                            parameters={"period": period, "params_dir": str(params_dir),
                                        "out_dir": str(out_dir)}, kernel_name=ensure_kernel(),
                            progress_bar=False, cwd=str(root / "notebooks"))
        os.replace(tmp, final)
        return "ok"
    except Exception as exc:
        tmp.unlink(missing_ok=True)
        return f"failed: {_failing_cell(exc) or exc}"
