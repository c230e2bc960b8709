"""Running a period: ingest, execute the agency notebook per agency, compile each declared
parent's report from its children's outputs, then the overview.

Each agency's outputs are produced in a staging directory and moved into
``<out>/<period>/<agency>/`` only when whole; one agency failing does not stop the
others. A refused attempt (inputs with errors, a notebook that failed) never replaces
the report already there: the last good report stays published, marked stale in the
manifest, and what the attempt left (``quality.xlsx``, the failed notebook) goes to
``<out>/<period>/_failed/<agency>/``. An agency whose inputs, parameters, notebook and
package version are unchanged since its last successful run is skipped.
``<out>/<period>/manifest.json`` records, per agency, the status, why it ran or was
skipped, seconds, input hashes, parameters and package versions.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
import traceback
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..atomic import os_error_text, sha256_file, swap_dir
from ..indicators.periods import parse_period
from ..params import load_params
from ..text import checked_id
from . import executors, manifest
from .fingerprints import job_fingerprint, params_fingerprint, what_changed
from .manifest import JobResult

log = logging.getLogger("cchc")

AGENCY_NOTEBOOK = "agency_report.ipynb"
COMPILED_NOTEBOOK = "compiled_report.ipynb"
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
    kernel: str = "inprocess"  # where the notebook's cells run: one of KERNELS


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
    """Run one agency's report: ingest (unless unchanged), check there is something to
    report, execute the notebook into staging and move the outputs in whole. Runs in a
    worker process or on a Dask worker."""
    from ..ingest import store  # pandas: in the worker, not in the command's process

    t0 = time.perf_counter()
    out = Path(job.out_dir)
    period = parse_period(job.period)
    agency = checked_id(job.agency, "agency id")
    final = out / period.id / agency
    # one folder per agency (the period's lock keeps runs apart): the same path every run,
    # so the executed notebook's parameters are the same bytes on a rerun
    staging_root = out / period.id / STAGING / agency
    shutil.rmtree(staging_root, ignore_errors=True)
    staged = staging_root / period.id / agency
    result = JobResult(agency, "failed", fingerprint=job.fingerprint,
                       inputs=job.fingerprint.get("inputs", {}))
    try:
        params = load_params(job.params_dir)
        a = params.agency(agency)
        meta = store.ingest(params, a, Path(job.data_dir) / "raw", Path(job.store_dir),
                            hashes=job.fingerprint.get("inputs"))
        if not meta["ok"]:
            return _refused(result, meta, staged, out / period.id)
        window = period.window(a.rule)  # type: ignore[arg-type]
        if not _has_data(Path(job.store_dir), agency, period, a.rule):
            result.status = "no_data"
            result.error = (f"không có dữ liệu cho kỳ {period.label} "
                            f"({window.start:%d/%m/%Y}–{window.end:%d/%m/%Y})")
            return result
        staged.mkdir(parents=True, exist_ok=True)
        execute(Path(job.root) / "notebooks" / AGENCY_NOTEBOOK, staged / "report.ipynb",
                {"agency": agency, "period": period.id, "data_dir": job.data_dir,
                 "params_dir": job.params_dir, "out_dir": str(staging_root),
                 "store_dir": job.store_dir}, cwd=Path(job.root) / "notebooks",
                kernel=job.kernel)
        result.outputs = {p.name: sha256_file(p) for p in sorted(staged.iterdir()) if p.is_file()}
        swap_dir(staged, final)
        shutil.rmtree(out / period.id / FAILED / agency, ignore_errors=True)  # fixed now
        result.status = "ok"
    except Exception as exc:  # one agency's failure must not stop the others
        _failed(result, exc, staged, out / period.id)
    finally:
        shutil.rmtree(staging_root, ignore_errors=True)
        result.seconds = round(time.perf_counter() - t0, 3)
    return result


FAILED = "_failed"


def _failed(result: JobResult, exc: Exception, staged: Path, period_dir: Path) -> None:
    """A job that raised: the error in one line, the cell it stopped in, the published
    report kept (marked stale), and the notebook as far as it ran kept for the analyst
    under ``_failed/`` (never at the cost of the rest)."""
    agency = result.agency
    result.status = "failed"
    result.failing_cell = _failing_cell(exc)
    result.error = os_error_text(exc) if isinstance(exc, OSError) else \
        f"{exc.__class__.__name__}: {str(exc).strip().splitlines()[-1][:500]}" \
        if str(exc).strip() else exc.__class__.__name__
    result.stale = _published(period_dir / agency)
    nb = staged / "report.ipynb"
    try:
        if nb.is_file():
            keep = staged.with_name(f"{agency}.failed")
            keep.mkdir()
            shutil.copy(nb, keep / "report.ipynb")
            result.attempt = str(_keep_attempt(keep, period_dir, agency) / "report.ipynb")
    except OSError as keep_exc:
        log.warning("%s: could not keep the failed notebook: %s", agency, keep_exc)
    log.debug("job %s failed: %s", agency, traceback.format_exc())


def _published(final: Path) -> bool:
    """Whether a whole report of an earlier run is in place (and stays there)."""
    return all((final / f).is_file() for f in ("report.ipynb", "indicators.json"))


def _keep_attempt(staged: Path, period_dir: Path, agency: str) -> Path:
    """Move what a refused attempt left to ``_failed/<agency>/`` (whole, replacing the
    previous attempt's), never over the published report."""
    where = period_dir / FAILED / agency
    swap_dir(staged, where)
    return where


def _refused(result: JobResult, meta: dict[str, Any], staged: Path, period_dir: Path
             ) -> JobResult:
    """Inputs with errors: no report from part of the data. The quality workbook says
    why; the report published before (if any) stays, marked stale."""
    from ..present.outputs import quality_workbook

    staged.mkdir(parents=True, exist_ok=True)
    quality_workbook(staged / "quality.xlsx", meta)
    where = _keep_attempt(staged, period_dir, result.agency) / "quality.xlsx"
    errors = [i for i in meta["issues"] if i["severity"] == "error"]
    result.status = "input_error"
    result.stale = _published(period_dir / result.agency)
    result.attempt = str(where)
    first = errors[0] if errors else {"file": "?", "row": None, "column": None,
                                      "message": "đối soát dòng không khớp"}
    result.error = (f"{len(errors)} lỗi dữ liệu; đầu tiên: {first['file']}, dòng "
                    f"{first['row']}, cột {first['column']}: {first['message']}")
    return result


def _has_data(store_dir: Path, agency: str, period, rule: str) -> bool:
    """Whether the period has anything to report, from the frames the notebook loads (the
    same call, so with the in-process engine the notebook gets them without a read: see
    ``store.load``). Every dossier of the window is among them: they keep all dossiers
    of the plan years and those still open at the comparable window's start."""
    from ..indicators.values import has_data, of_year
    from ..ingest import store

    frames = store.load(store_dir, agency, period.years_needed(rule),
                        period.comparable.window(rule).start)
    return has_data(frames.ho_so, of_year(frames.nhiem_vu, period.year), period.window(rule))


KERNELS = ("inprocess", "jupyter", "fresh")  # where a notebook's cells run (kernels.py)
# what the report notebooks import: imported once per process, before the first report
WARM_UP = ("pandas", "matplotlib", "papermill", "helpers.ingest.store",
           "helpers.indicators.values", "helpers.indicators.index766", "helpers.present.charts",
           "helpers.present.tables", "helpers.present.narrative", "helpers.present.outputs",
           "helpers.present.index766", "helpers.present.official_form")


def prestart(cwd: Path, kernel: str) -> None:
    """Get this process ready to run notebooks while it does other work (fingerprints,
    ingestion, waiting for its workers): the report's modules imported in the background
    (``inprocess``), or a warm kernel started (``jupyter``)."""
    if kernel == "jupyter":
        from . import kernels

        kernels.POOL.prestart(str(cwd), WARM_UP)
    elif kernel == "inprocess":
        import threading

        threading.Thread(target=_import_warm_up, daemon=True, name="warm-up imports").start()


def _import_warm_up() -> None:
    import importlib

    for name in WARM_UP:
        try:
            importlib.import_module(name)
        except Exception as exc:  # the notebook imports it again and fails loudly there
            log.debug("warm-up import %s: %s", name, exc)


def execute(notebook: Path, output: Path, parameters: dict[str, Any], cwd: Path,
            kernel: str = "inprocess") -> None:
    """Run a notebook with papermill: in this process (``inprocess``), on this process's
    warm Jupyter kernel (``jupyter``) or on a new one (``fresh``); then save it without
    clock times. The notebook is written once, when whole (not after every cell)."""
    import papermill as pm

    args = {"parameters": parameters, "progress_bar": False, "cwd": str(cwd),
            "request_save_on_cell_execute": False}
    if kernel == "inprocess":
        from . import engine

        engine.warm_up(WARM_UP)
        nb = pm.execute_notebook(str(notebook), str(output), engine_name=engine.ENGINE_NAME,
                                 **args)
    elif kernel == "fresh":
        from . import kernels

        nb = pm.execute_notebook(str(notebook), str(output),
                                 kernel_name=kernels.ensure_kernelspec(), **args)
    else:
        nb = _execute_on_warm_kernel(pm, notebook, output, cwd, args)
    write_notebook(nb, output)


def _execute_on_warm_kernel(pm, notebook: Path, output: Path, cwd: Path, args: dict[str, Any]):
    from papermill.exceptions import PapermillExecutionError

    from . import kernels

    km = kernels.POOL.kernel(str(cwd), WARM_UP)
    try:
        return pm.execute_notebook(str(notebook), str(output), kernel_name=kernels.KERNEL_NAME,
                                   km=km, **args)
    except PapermillExecutionError:
        raise  # a cell failed (papermill saved the notebook as far as it ran): kernel is fine
    except BaseException:
        kernels.POOL.discard(str(cwd))  # timed out or died: never reuse it
        raise
    finally:
        km.close_clients()  # nbclient leaves the channels of its client open


def write_notebook(nb, output: Path) -> None:
    """Rewrite the executed notebook without clock times (they live in the run manifest) and with
    execution counts from 1, so the same inputs give the same bytes."""
    import nbformat

    from ..atomic import write_bytes_atomic

    nb.metadata.get("papermill", {}).update(start_time=None, end_time=None, duration=None)
    count = 0
    for cell in nb.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.id = "injected-parameters"  # papermill draws a random id
        cell.metadata.pop("execution", None)
        pm_meta = cell.metadata.get("papermill")
        if pm_meta is not None:
            pm_meta.update(start_time=None, end_time=None, duration=None)
        if cell.cell_type == "code":
            count += 1
            cell.execution_count = count
            for out in cell.get("outputs", []):
                if "execution_count" in out:
                    out["execution_count"] = count
    write_bytes_atomic(output, nbformat.writes(nb).encode("utf-8"))


# ---------------------------------------------------------------- the period run

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
               overview: bool = True, kernel: str = "inprocess") -> RunSummary:
    t_start = time.perf_counter()
    p = parse_period(period)
    params = load_params(params_dir)
    for a in agencies or []:
        params.agency(a)  # unknown ids fail here, before any work
    ids, parents = plan(params, agencies)
    root, data_dir, params_dir, out_dir = (x.resolve() for x in (root, data_dir, params_dir,
                                                                   out_dir))
    period_dir = out_dir / p.id
    period_dir.mkdir(parents=True, exist_ok=True)
    if clean_leftovers(period_dir):
        log.info("removed leftovers of an interrupted run in %s", period_dir)
    manifest_path = period_dir / "manifest.json"
    previous = manifest.read(manifest_path).get("agencies", {})
    store_dir = out_dir / "_store"
    notebook = root / "notebooks" / AGENCY_NOTEBOOK
    params_hash = params_fingerprint(params_dir)
    todo: list[Job] = []
    results: list[JobResult] = []
    for a in ids:
        fp = job_fingerprint(notebook, data_dir / "raw", params_hash, a, p.id)
        kept = None if force else _unchanged(a, fp, previous.get(a, {}), period_dir)
        if kept is not None:
            results.append(kept)
        else:
            todo.append(Job(a, p.id, str(root), str(data_dir), str(params_dir), str(out_dir),
                            str(store_dir), fp, kernel=kernel))
    if overview and executor != "dask" and (
            todo or force or not (period_dir / "overview.ipynb").is_file()):
        # the overview (and a lone job) run in this process: get ready meanwhile
        prestart(root / "notebooks", kernel)
    log.info("%d to run, %d unchanged (fingerprints in %.2fs)", len(todo), len(results),
             time.perf_counter() - t_start)
    reasons = {j.agency: _why(j, previous.get(j.agency, {}), force) for j in todo}
    started = datetime.now(UTC)
    try:
        _run_jobs(todo, results, reasons, executor, jobs, scheduler, progress, manifest_path,
                  p.id, started, previous, params_dir)
    finally:
        # every job is done with it, or the run stops (a fault, a signal): never left behind
        shutil.rmtree(period_dir / STAGING, ignore_errors=True)
    for parent in parents:  # compiled from the children's outputs, deepest parents first
        res = run_compiled(parent, p.id, params, root, params_dir, out_dir, previous,
                           params_hash, force, kernel)
        results.append(res)
        log.info("%s %s %.1fs %s", res.agency, res.status, res.seconds, res.error or "")
        manifest.write(manifest_path, p.id, started, results, previous, params_dir)
    ov = None
    reports_there = any(r.status in ("ok", "skipped") for r in results)
    if overview and reports_there and (any(r.status == "ok" for r in results) or force
                                       or not (period_dir / "overview.ipynb").is_file()):
        log.info("agencies done at %.2fs", time.perf_counter() - t_start)
        ov = run_overview(p.id, root, params_dir, out_dir, kernel=kernel)
        log.info("overview %s at %.2fs", ov, time.perf_counter() - t_start)
    return RunSummary(p.id, results, ov, manifest_path)


def _why(job: Job, prev: dict[str, Any], force: bool) -> str:
    """Why an agency runs, for the manifest: forced, never succeeded, or what changed."""
    if force:
        return "--force"
    if prev.get("status") != "ok":
        return "chưa có lần chạy thành công"
    return what_changed(prev.get("fingerprint", {}), job.fingerprint)


def _unchanged(agency: str, fp: dict[str, Any], prev: dict[str, Any], period_dir: Path
               ) -> JobResult | None:
    """The agency skipped, when its last run succeeded with the same fingerprint and its
    report is in place; else None (it runs)."""
    outputs_there = all((period_dir / agency / f).is_file() for f in ("report.ipynb",
                                                                       "indicators.json"))
    if prev.get("status") != "ok" or prev.get("fingerprint") != fp or not outputs_there:
        return None
    return JobResult(agency, "skipped", reason="đầu vào, tham số, notebook và phiên bản không "
                     "đổi kể từ lần chạy thành công trước", inputs=prev.get("inputs", {}),
                     outputs=prev.get("outputs", {}), fingerprint=fp, seconds=0.0)


def _run_jobs(todo: list[Job], results: list[JobResult], reasons: dict[str, str], executor: str,
              jobs: int, scheduler: str | None, progress: bool, manifest_path: Path,
              period: str, started: datetime, previous: dict[str, Any], params_dir: Path
              ) -> None:
    """Run the jobs, recording each result in the manifest as it comes."""
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
        manifest.write(manifest_path, period, started, results, previous, params_dir)
    if bar is not None:
        bar.close()
    manifest.write(manifest_path, period, started, results, previous, params_dir)


# ---------------------------------------------------------------- compiled reports of parents

def plan(params, asked: list[str] | None) -> tuple[list[str], list[str]]:
    """(agencies reported from their own data, parents compiled after them). A parent is a
    declared agency others name in ``parent``: asking for it asks for its children too;
    asking for a child recompiles its parents (skipped when nothing they read changed).
    Parents come deepest first, so a district is compiled before its province."""
    heads = {a.parent for a in params.agencies.values() if a.parent in params.agencies}

    def below(aid: str) -> list[str]:
        return [aid] + [x for c in params.children(aid) for x in below(c.id)]

    def above(aid: str) -> list[str]:
        up = params.agencies[aid].parent
        return [up] + above(up) if up in params.agencies else []

    wanted = list(dict.fromkeys(x for a in (asked or list(params.agencies)) for x in below(a)))
    ids = [a for a in wanted if a not in heads]
    parents = {x for a in wanted for x in ([a] if a in heads else []) + above(a)}
    return ids, sorted(parents, key=lambda x: (-len(above(x)), x))


def compiled_fingerprint(params, parent: str, period_dir: Path, notebook: Path,
                         params_hash: str) -> dict[str, Any]:
    """What a compiled report reads: its children's ``indicators.json`` and run status."""
    from .. import __version__

    status = manifest.read(period_dir / "manifest.json").get("agencies", {})
    kids = {}
    for c in params.children(parent):
        f = period_dir / c.id / "indicators.json"
        kids[c.id] = [sha256_file(f) if f.is_file() else None, status.get(c.id, {}).get("status")]
    return {"children": kids, "params": params_hash, "notebook": sha256_file(notebook),
            "version": __version__, "period": period_dir.name}


def run_compiled(parent: str, period: str, params, root: Path, params_dir: Path, out_dir: Path,
                 previous: dict[str, Any], params_hash: str, force: bool, kernel: str
                 ) -> JobResult:
    """Compile a parent's report from its children's outputs, in this process: staged and
    moved in whole like an agency's; skipped when nothing it reads changed."""
    t0 = time.perf_counter()
    period_dir = out_dir / period
    notebook = root / "notebooks" / COMPILED_NOTEBOOK
    fp = compiled_fingerprint(params, parent, period_dir, notebook, params_hash)
    inputs = {f"{c}/indicators.json": h for c, (h, _) in fp["children"].items() if h}
    prev = previous.get(parent, {})
    result = JobResult(parent, "failed", fingerprint=fp, inputs=inputs)
    changed = [k for k in fp if prev.get("fingerprint", {}).get(k) != fp[k]]
    result.reason = ("--force" if force else "chưa có lần chạy thành công" if prev.get("status")
                     != "ok" else "thay đổi: " + ", ".join(COMPILED_CHANGES.get(k, k) for k in changed))
    if not force and prev.get("status") == "ok" and not changed and \
            (period_dir / parent / "indicators.json").is_file():
        return JobResult(parent, "skipped", reason="báo cáo của các cơ quan trực thuộc, tham số "
                         "và notebook không đổi", inputs=inputs, outputs=prev.get("outputs", {}),
                         fingerprint=fp)
    if not inputs:
        result.status, result.error = "no_data", "chưa có báo cáo của cơ quan trực thuộc nào"
        return result
    staging_root = period_dir / STAGING / parent  # the same path every run (see run_job)
    shutil.rmtree(staging_root, ignore_errors=True)
    staged = staging_root / period / parent
    try:
        staged.mkdir(parents=True)
        execute(notebook, staged / "report.ipynb",
                {"agency": parent, "period": period, "params_dir": str(params_dir),
                 "reports_dir": str(out_dir), "out_dir": str(staging_root)},
                cwd=root / "notebooks", kernel=kernel)
        result.outputs = {p.name: sha256_file(p) for p in sorted(staged.iterdir()) if p.is_file()}
        swap_dir(staged, period_dir / parent)
        result.status = "ok"
    except Exception as exc:  # the other parents and the overview still run
        result.failing_cell = _failing_cell(exc)
        result.error = f"{exc.__class__.__name__}: {str(exc).strip()[-300:]}"
        log.debug("compiled %s failed: %s", parent, traceback.format_exc())
    finally:
        shutil.rmtree(staging_root, ignore_errors=True)
        result.seconds = round(time.perf_counter() - t0, 3)
    return result


COMPILED_CHANGES = {"children": "báo cáo của cơ quan trực thuộc", "params": "tham số",
                    "notebook": "notebook", "version": "phiên bản phần mềm", "period": "kỳ"}


def _progress(total: int, enabled: bool):
    if not enabled or total == 0:
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="cơ quan", desc="Lập báo cáo", dynamic_ncols=True)


def run_overview(period: str, root: Path, params_dir: Path, out_dir: Path,
                 kernel: str = "inprocess") -> str:
    """Execute the provincial overview notebook for the period; returns its status."""
    final = out_dir / period / "overview.ipynb"
    # a fixed name (the period's lock keeps runs apart): papermill records it in the
    # notebook, which then stays the same bytes on a rerun
    tmp = final.with_name(".overview.running.ipynb")
    try:
        execute(root / "notebooks" / OVERVIEW_NOTEBOOK, tmp,
                {"period": period, "params_dir": str(params_dir), "reports_dir": str(out_dir),
                 "out_dir": str(out_dir)},
                cwd=root / "notebooks", kernel=kernel)
        os.replace(tmp, final)
        return "ok"
    except Exception as exc:
        tmp.unlink(missing_ok=True)
        return f"failed: {_failing_cell(exc) or exc}"


def clean_leftovers(period_dir: Path) -> int:
    """Remove what a killed run left (staging folders, half-swapped ``.old`` folders,
    temporary files). Only called while holding the period's lock."""
    n = 0
    for p in [period_dir / STAGING, *period_dir.glob(".*.old-*"), *period_dir.glob(".overview.*"),
              *(period_dir / FAILED).glob(".*.old-*")]:
        if p.is_dir():
            shutil.rmtree(p, ignore_errors=True)
            n += 1
        elif p.exists():
            p.unlink(missing_ok=True)
            n += 1
    return n
