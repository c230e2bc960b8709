"""Kernels for executing report notebooks, kept warm between agencies.

Starting a Jupyter kernel and importing pandas, matplotlib and ``helpers`` costs seconds
per notebook: most of a small agency's report. A worker therefore keeps one kernel alive
with those modules imported, clears the user namespace (``%reset -f``) before each
notebook, and hands the running kernel to papermill (nbclient accepts a kernel manager it
does not own and leaves it running). A kernel that died or timed out is replaced.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import tempfile
import threading
from pathlib import Path

log = logging.getLogger("cchc")

KERNEL_NAME = "cchc-python"
WARM_UP = ("import pandas, matplotlib, helpers.ingest.store, helpers.indicators.values, "
           "helpers.present.tables, helpers.present.charts, helpers.present.outputs")
_warm: dict[str, object] = {}


def ensure_kernelspec() -> str:
    """A kernel spec for *this* interpreter, so papermill never picks a stray user-level
    ``python3`` kernel from another environment; ipykernel's start-up notices stay out of
    the run's output (errors still show)."""
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


def _run(km, code: str, timeout: float = 120, wait: bool = True) -> None:
    kc = km.blocking_client()
    kc.start_channels()
    try:
        if wait:  # a kernel just started; a warm one is known to be ready
            kc.wait_for_ready(timeout=timeout)
        reply = kc.execute_interactive(code, timeout=timeout, store_history=False,
                                       output_hook=lambda msg: None)
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"kernel warm-up failed: {reply['content'].get('evalue')}")
    finally:
        kc.stop_channels()


_starting: dict[str, threading.Thread] = {}


def import_papermill():
    import papermill

    return papermill


def prestart(cwd: str) -> None:
    """Start this process's warm kernel in the background, so its start-up and imports
    overlap with ingestion and fingerprinting instead of adding to them."""
    if cwd in _warm or cwd in _starting:
        return
    t = threading.Thread(target=_start, args=(cwd,), daemon=True, name=f"kernel:{cwd}")
    _starting[cwd] = t
    t.start()
    # papermill's import takes a while: do it meanwhile
    threading.Thread(target=import_papermill, daemon=True).start()


_booting: dict[str, object] = {}  # started, still warming up: shut down at exit too


def _start(cwd: str) -> None:
    from jupyter_client.manager import KernelManager

    try:
        km = KernelManager(kernel_name=ensure_kernelspec())
        km.client_class = "jupyter_client.asynchronous.AsyncKernelClient"
        _register_shutdown()
        km.start_kernel(cwd=cwd)
        _booting[cwd] = km
        _run(km, WARM_UP)
        _warm[cwd] = km
        _booting.pop(cwd, None)
    except Exception as exc:  # the caller starts one itself
        log.warning("background kernel start failed: %s", exc)


def warm_kernel(cwd: str):
    """This process's warm kernel (started on first use), namespace cleared."""
    pending = _starting.pop(cwd, None)
    if pending is not None:
        pending.join()
        km = _warm.get(cwd)
        if km is not None and km.is_alive():
            return km  # just started: its namespace holds only the warm-up imports
    km = _warm.get(cwd)
    if km is not None and not km.is_alive():
        discard(cwd)
        km = None
    if km is None:
        _start(cwd)
        km = _warm.get(cwd)
        if km is None:
            raise RuntimeError("could not start a kernel for the report notebooks")
    else:
        _run(km, "%reset -f", wait=False)
    return km


def discard(cwd: str) -> None:
    km = _warm.pop(cwd, None)
    if km is not None:
        try:
            km.shutdown_kernel(now=True)
        except Exception as exc:  # already gone
            log.debug("kernel shutdown: %s", exc)


def shutdown_all() -> None:
    for cwd in list(_warm):
        discard(cwd)
    for cwd, km in list(_booting.items()):
        _booting.pop(cwd, None)
        try:
            km.shutdown_kernel(now=True)  # type: ignore[attr-defined]
        except Exception as exc:
            log.debug("kernel shutdown: %s", exc)


_registered = False


def _register_shutdown() -> None:
    """Shut warm kernels down at exit, also in multiprocessing workers (which leave
    through ``os._exit`` and skip ``atexit``)."""
    global _registered
    if _registered:
        return
    import atexit
    from multiprocessing import util

    atexit.register(shutdown_all)
    util.Finalize(None, shutdown_all, exitpriority=10)
    _registered = True
