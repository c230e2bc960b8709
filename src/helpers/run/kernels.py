"""Jupyter kernels for report notebooks (``cchc run --kernel jupyter`` or ``fresh``).

By default a notebook runs in the worker itself (``engine.py``). With ``--kernel jupyter``
each worker keeps one kernel per notebook folder warm between notebooks (the report's
modules imported, the namespace cleared with ``%reset -f``), for notebooks that must not
share the worker's process; ``fresh`` gives each notebook a new kernel started by papermill.

A warm kernel is handed to papermill, whose client (nbclient) makes a kernel client per
notebook and, not owning the kernel, never stops its channels: each old client kept a
socket receiving every later notebook's messages (+8 MB per report in the worker).
``ClosingKernelManager`` stops them after each notebook. The warm kernels of a process are
its one ``POOL``.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import tempfile
import threading
from pathlib import Path

from jupyter_client.manager import KernelManager

log = logging.getLogger("cchc")

KERNEL_NAME = "cchc-python"


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


class ClosingKernelManager(KernelManager):
    """A kernel manager that remembers the clients made on it, so they can be closed after a
    notebook: nbclient leaves the channels of a client on a kernel it does not own open."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.clients: list = []

    def client(self, **kwargs):
        kc = super().client(**kwargs)
        self.clients.append(kc)
        return kc

    def close_clients(self) -> None:
        while self.clients:
            kc = self.clients.pop()
            try:
                kc.stop_channels()
            except Exception as exc:  # a dead kernel's client: nothing left to stop
                log.debug("kernel client: %s", exc)


def run_code(km: KernelManager, code: str, timeout: float = 120, wait: bool = True) -> None:
    """Run ``code`` in a kernel; RuntimeError when it fails."""
    kc = km.blocking_client()
    kc.start_channels()
    try:
        if wait:  # a kernel just started; a warm one is known to be ready
            kc.wait_for_ready(timeout=timeout)
        reply = kc.execute_interactive(code, timeout=timeout, store_history=False,
                                       output_hook=lambda msg: None)
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"kernel code failed: {reply['content'].get('evalue')}")
    finally:
        kc.stop_channels()


class Pool:
    """This process's warm Jupyter kernels, one per notebook folder, and the threads
    starting them (``--kernel jupyter``). Shut down at exit, also in pool workers."""

    def __init__(self) -> None:
        self.warm: dict[str, ClosingKernelManager] = {}
        self.starting: dict[str, threading.Thread] = {}
        self.booting: dict[str, ClosingKernelManager] = {}  # started, still importing
        self.exit_registered = False

    def prestart(self, cwd: str, modules: tuple[str, ...]) -> None:
        """Start the kernel in the background, so its start-up and imports of ``modules``
        overlap with fingerprinting and ingestion instead of adding to them."""
        if cwd not in self.warm and cwd not in self.starting:
            t = threading.Thread(target=self._start, args=(cwd, modules), daemon=True,
                                 name=f"kernel:{cwd}")
            self.starting[cwd] = t
            t.start()

    def _start(self, cwd: str, modules: tuple[str, ...]) -> None:
        try:
            km = ClosingKernelManager(kernel_name=ensure_kernelspec())
            km.client_class = "jupyter_client.asynchronous.AsyncKernelClient"
            self._register_exit()
            km.start_kernel(cwd=cwd)
            self.booting[cwd] = km
            run_code(km, "import " + ", ".join(modules) if modules else "pass")
            self.warm[cwd] = km
            self.booting.pop(cwd, None)
        except Exception as exc:  # the caller starts one itself
            log.warning("kernel start failed: %s", exc)

    def kernel(self, cwd: str, modules: tuple[str, ...] = ()) -> ClosingKernelManager:
        """The warm kernel for ``cwd`` (started on first use with ``modules`` imported),
        namespace cleared."""
        pending = self.starting.pop(cwd, None)
        if pending is not None:
            pending.join()
            km = self.warm.get(cwd)
            if km is not None and km.is_alive():
                return km  # just started: its namespace holds only the warm-up imports
        km = self.warm.get(cwd)
        if km is not None and not km.is_alive():
            self.discard(cwd)
            km = None
        if km is None:
            self._start(cwd, modules)
            km = self.warm.get(cwd)
            if km is None:
                raise RuntimeError("could not start a kernel for the report notebooks")
        else:
            run_code(km, "%reset -f", wait=False)
        return km

    def discard(self, cwd: str) -> None:
        """Shut a kernel down (dead, timed out, interrupted): it is never reused."""
        km = self.warm.pop(cwd, None) or self.booting.pop(cwd, None)
        if km is not None:
            km.close_clients()
            try:
                km.shutdown_kernel(now=True)
            except Exception as exc:  # already gone
                log.debug("kernel shutdown: %s", exc)

    def shutdown(self) -> None:
        for cwd in [*self.warm, *self.booting]:
            self.discard(cwd)

    def _register_exit(self) -> None:
        """Pool workers leave through ``os._exit`` and skip ``atexit``: a multiprocessing
        finalizer shuts their kernels down too."""
        if self.exit_registered:
            return
        import atexit
        from multiprocessing import util

        atexit.register(self.shutdown)
        util.Finalize(None, self.shutdown, exitpriority=10)
        self.exit_registered = True


POOL = Pool()

