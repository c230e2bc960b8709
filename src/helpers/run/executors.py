"""Executors: where report jobs run. A small registry, like papermill's engines.

Each executor takes a list of picklable jobs and a function, and yields results as they
complete. ``serial`` runs in this process, ``local`` in a pool of processes, ``dask`` on a
Dask distributed cluster (inputs and outputs on a path every worker sees).
"""

from __future__ import annotations

import concurrent.futures as cf
import ctypes
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator
from typing import Any

Executor = Callable[..., Iterator[Any]]
EXECUTORS: dict[str, Executor] = {}


def register(name: str) -> Callable[[Executor], Executor]:
    def deco(fn: Executor) -> Executor:
        EXECUTORS[name] = fn
        return fn
    return deco


def get(name: str) -> Executor:
    try:
        return EXECUTORS[name]
    except KeyError:
        raise ValueError(f"unknown executor {name!r}; one of {', '.join(EXECUTORS)}") from None


@register("serial")
def serial(fn: Callable[[Any], Any], jobs: list[Any], jobs_n: int = 1, **_: Any
           ) -> Iterator[Any]:
    for job in jobs:
        yield fn(job)


PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """A pool worker's first act: ask Linux to kill it when the run's process dies, even
    by ``kill -9`` (which no handler sees), so no worker lives on as an orphan. Its
    kernel follows by itself: ipykernel polls its parent pid (``JPY_PARENT_PID``) and
    exits when it changes. Elsewhere (no prctl) the pool's own pipes end the workers."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)


@register("local")
def local(fn: Callable[[Any], Any], jobs: list[Any], jobs_n: int = 2, **_: Any) -> Iterator[Any]:
    """A process pool; each job starts its own kernel, so processes (not threads) keep
    event loops and matplotlib state apart."""
    if jobs_n <= 1 or len(jobs) <= 1:
        yield from serial(fn, jobs)
        return
    ctx = multiprocessing.get_context("spawn")
    pool = cf.ProcessPoolExecutor(max_workers=min(jobs_n, len(jobs)), mp_context=ctx,
                                  initializer=die_with_parent, initargs=(os.getpid(),))
    try:
        futures = [pool.submit(fn, j) for j in jobs]
        for fut in cf.as_completed(futures):
            yield fut.result()
    except BaseException:
        # interrupted (SIGINT/SIGTERM): stop the workers now; what they were building
        # stays in staging and the next run removes it and redoes those agencies
        workers = list((pool._processes or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for w in workers:
            w.terminate()
        raise
    else:
        pool.shutdown(wait=True)


@register("dask")
def dask(fn: Callable[[Any], Any], jobs: list[Any], jobs_n: int = 2,
         scheduler: str | None = None, **_: Any) -> Iterator[Any]:
    """Send the same jobs to a Dask distributed scheduler (``tcp://host:8786``)."""
    from distributed import Client, as_completed

    if not scheduler:
        raise ValueError("--executor dask needs --scheduler tcp://HOST:PORT")
    with Client(scheduler, timeout="30s") as client:
        futures = client.map(fn, jobs, pure=False)
        for fut in as_completed(futures):
            yield fut.result()
