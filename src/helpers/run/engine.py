"""The ``"inprocess"`` papermill engine: a notebook's cells run in *this* process.

papermill's default engine drives a Jupyter kernel: a second interpreter per worker, reached
over ZeroMQ, which doubles a worker's memory, must be started (seconds, under contention)
and, reused, leaked a client per notebook. This engine runs each code cell with one IPython
``InteractiveShell`` living in the worker and turns what the cell prints and displays into
the outputs an IPython kernel would have sent: ``display()`` → ``display_data``, the last
expression → ``execute_result``, ``print``/``sys.stderr`` → ``stream``, an exception →
``error`` (with IPython's traceback). The notebook stays a real papermill execution:
papermill injects the parameters cell, records its metadata and raises
``PapermillExecutionError`` (with the failing cell's index) from the error output.

Between notebooks the user namespace and IPython's per-cell caches are emptied; imported
modules stay imported (no kernel start, no re-import of pandas and matplotlib). One notebook
runs at a time per process: the standard streams, ``__main__`` and the working folder are
the process's. Output written by C code straight to file descriptors 1 and 2 is not captured;
library state (pandas options, matplotlib rcParams) is shared between notebooks, as it is in
a reused kernel. The engine's state lives on the shell (IPython keeps one per process).
"""

from __future__ import annotations

import datetime as _dt
import gc
import io
import json
import linecache
import os
import platform
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

import nbformat
from IPython.core.displayhook import DisplayHook
from IPython.core.displaypub import DisplayPublisher
from IPython.core.error import StdinNotImplementedError
from IPython.core.interactiveshell import InteractiveShell
from jupyter_client.jsonutil import json_default
from nbclient.exceptions import CellTimeoutError
from nbformat import NotebookNode
from papermill.engines import Engine, NotebookExecutionManager, papermill_engines
from papermill.exceptions import PapermillException
from papermill.log import logger
from traitlets import Type
from traitlets.config import Config

ENGINE_NAME = "inprocess"
LANGUAGE_INFO: dict[str, Any] = {  # what ipykernel reports in its kernel_info_reply
    "name": "python", "version": platform.python_version(), "mimetype": "text/x-python",
    "codemirror_mode": {"name": "ipython", "version": 3}, "pygments_lexer": "ipython3",
    "nbconvert_exporter": "python", "file_extension": ".py",
}


def _jsonable(obj: Any) -> Any:
    """A bundle as a kernel message carries it (PNG bytes as base64 text, tuples as lists):
    the same JSON round trip with jupyter_client's encoder gives the kernel's outputs."""
    return json.loads(json.dumps(obj, default=json_default))


def _output(output_type: str, **fields: Any) -> NotebookNode:
    """An output as ``nbformat.v4.new_output`` makes it, without validating each one: the
    notebook is validated once, when it is written."""
    return nbformat.from_dict({"output_type": output_type, **fields})


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class Outputs:
    """The outputs of the cell being run, built as nbclient builds them from a kernel's
    messages (``clear_output`` and display-id updates included)."""

    def __init__(self, log_output: bool = False, stdout_file: TextIO | None = None,
                 stderr_file: TextIO | None = None) -> None:
        self.outputs: list[NotebookNode] | None = None  # None: no notebook running
        self.execution_count: int | None = None
        self.clear_pending = self.error_in_displayhook = False
        self.display_ids: dict[str, list[NotebookNode]] = {}
        self.log_output, self.stdout_file, self.stderr_file = log_output, stdout_file, stderr_file
        self.real_streams = sys.stdout, sys.stderr  # the worker's own

    def start_cell(self, outputs: list[NotebookNode], execution_count: int) -> None:
        self.outputs, self.execution_count = outputs, execution_count
        self.clear_pending = self.error_in_displayhook = False

    def close(self) -> None:
        """Drop every reference to the notebook's outputs."""
        self.outputs = None
        self.display_ids.clear()

    def _append(self, out: NotebookNode) -> None:
        assert self.outputs is not None
        if self.clear_pending:  # clear_output(wait=True): cleared when the next output comes
            self.outputs[:] = []
            self.clear_pending = False
        self.outputs.append(out)

    def stream(self, name: str, text: str) -> None:
        if self.outputs is None:  # written between notebooks: the worker's
            (self.real_streams[0] if name == "stdout" else self.real_streams[1]).write(text)
            return
        # ipykernel buffers stdout and stderr apart and flushes both before any display:
        # text joins this stream's output unless something other than a stream followed it
        target = None
        if not self.clear_pending:
            for out in reversed(self.outputs):
                if out.output_type != "stream":
                    break
                if out.name == name:
                    target = out
                    break
        if target is not None:
            target.text += text
        else:
            self._append(_output("stream", name=name, text=text))
        self._echo_stream(name, text)

    def display(self, data: dict[str, Any], metadata: dict[str, Any] | None,
                transient: dict[str, Any] | None, update: bool) -> None:
        if self.outputs is None:
            return
        data, metadata = _jsonable(data), _jsonable(metadata or {})
        display_id = (transient or {}).get("display_id")
        if display_id:  # as nbclient: every output showing this id shows the new data
            for out in self.display_ids.get(display_id, []):
                out.data, out.metadata = nbformat.from_dict(data), nbformat.from_dict(metadata)
        if update:
            return
        out = _output("display_data", data=data, metadata=metadata)
        if display_id:
            self.display_ids.setdefault(display_id, []).append(out)
        self._append(out)
        self._echo_data(out)

    def execute_result(self, data: dict[str, Any], metadata: dict[str, Any] | None) -> None:
        out = _output("execute_result", data=_jsonable(data), metadata=_jsonable(metadata or {}),
                      execution_count=self.execution_count)
        self._append(out)
        self._echo_data(out)

    def error(self, ename: str, evalue: str, traceback: list[str]) -> None:
        if self.outputs is not None:
            self._append(_output("error", ename=ename, evalue=evalue, traceback=list(traceback)))

    def clear(self, wait: bool) -> None:
        if self.outputs is None:
            return
        if wait:
            self.clear_pending = True
        else:
            self.outputs[:] = []
            self.clear_pending = False

    def _echo_stream(self, name: str, text: str) -> None:
        """papermill's ``log_output``, ``stdout_file`` and ``stderr_file``."""
        target = self.stdout_file if name == "stdout" else self.stderr_file
        if not (self.log_output or target):
            return
        with self._real_streams():  # a logging handler must not write back into the cell
            if self.log_output:
                (logger.info if name == "stdout" else logger.warning)(text)
            if target:
                target.write(text)
                target.flush()

    def _echo_data(self, out: NotebookNode) -> None:
        if self.log_output and "text/plain" in out.get("data", {}):
            with self._real_streams():
                logger.info(out.data["text/plain"])

    @contextmanager
    def _real_streams(self) -> Iterator[None]:
        saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = self.real_streams
        try:
            yield
        finally:
            sys.stdout, sys.stderr = saved


class _Stream(io.TextIOBase):
    """``sys.stdout``/``sys.stderr`` while a notebook runs: text goes into the cell's
    outputs. Like ipykernel's stream it has no file descriptor."""

    def __init__(self, name: str, sink: Outputs) -> None:
        super().__init__()
        self._name, self._sink = name, sink

    @property
    def name(self) -> str:
        return f"<{self._name}>"

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        raise io.UnsupportedOperation("fileno")

    def write(self, s: str) -> int:
        if not isinstance(s, str):
            raise TypeError(f"write() argument must be str, not {type(s).__name__}")
        if s:
            self._sink.stream(self._name, s)
        return len(s)

    def flush(self) -> None:
        pass


class _NoStdin(io.TextIOBase):
    """``sys.stdin`` while a notebook runs: papermill gives kernels no stdin, so ``input()``
    fails the same way instead of waiting on the worker's terminal."""

    def readable(self) -> bool:
        return True

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        raise StdinNotImplementedError(
            "raw_input was called, but this frontend does not support input requests.")

    read = readline


class _DisplayPublisher(DisplayPublisher):
    """``display()`` → ``display_data`` (IPython's own prints the text and keeps bundles)."""

    def publish(self, data: dict[str, Any], metadata: dict[str, Any] | None = None,
                source: Any = None, *, transient: dict[str, Any] | None = None,
                update: bool = False, **kwargs: Any) -> None:
        self.shell.sink.display(data, metadata, transient, update)

    def clear_output(self, wait: bool = False) -> None:
        self.shell.sink.clear(wait)


class _DisplayHook(DisplayHook):
    """A cell's last value → ``execute_result`` (no ``Out[n]:`` prompt, no history)."""

    def write_output_prompt(self) -> None:
        pass

    def write_format_data(self, format_dict: dict[str, Any],
                          md_dict: dict[str, Any] | None = None) -> None:
        self.shell.sink.execute_result(format_dict, md_dict)

    def log_output(self, format_dict: dict[str, Any]) -> None:
        pass

    def finish_displayhook(self) -> None:
        self._is_active = False


class ZMQCompatibleShell(InteractiveShell):
    """The in-process shell. "zmq" is in its name on purpose: pandas renders for a Jupyter
    frontend (not the worker's terminal width) when ``"zmq"`` is in the shell's type name.
    Nothing here uses ZeroMQ. ``sink`` receives the running cell's outputs; ``lock`` keeps
    notebooks one at a time; ``warm`` says the modules were imported and frozen."""

    displayhook_class = Type(_DisplayHook)
    display_pub_class = Type(_DisplayPublisher)
    system = InteractiveShell.system_piped  # `!cmd` output captured, as ipykernel does

    def __init__(self, **kwargs: Any) -> None:
        self.sink = Outputs()
        super().__init__(**kwargs)
        self.lock = threading.Lock()
        self.running_in: int | None = None
        self.warm = False

    def _showtraceback(self, etype: type, evalue: BaseException, stb: list[str]) -> None:
        """A traceback becomes an ``error`` output. An error while formatting the last value
        fails the cell, as in ipykernel; one inside ``display()`` is only recorded."""
        if self.displayhook.is_active:
            self.sink.error_in_displayhook = True
        self.sink.error(str(etype.__name__), str(evalue), stb)


def _config() -> Config:
    c = Config()
    c.HistoryManager.enabled = False  # no sqlite file, no history thread
    c.InteractiveShell.cache_size = 0  # no Out/_N cache keeping every result alive
    return c


def shell() -> ZMQCompatibleShell:
    """This process's shell, made on first use (0.1–0.3 s)."""
    if ZMQCompatibleShell.initialized():
        return ZMQCompatibleShell.instance()
    if InteractiveShell.initialized():
        raise PapermillException(
            "the inprocess engine needs its own IPython shell, but this process already has "
            "one (a Jupyter kernel or IPython): run with a Jupyter kernel here")
    os.environ["MPLBACKEND"] = "Agg"  # never a GUI window or the inline backend
    main = sys.modules.get("__main__")
    sh = ZMQCompatibleShell.instance(config=_config())
    if main is not None:  # the worker keeps its own __main__ (multiprocessing pickles by it)
        sys.modules["__main__"] = main
    return sh


def warm_up(modules: tuple[str, ...] = ()) -> None:
    """Make the shell and import ``modules`` once per process, then freeze what exists
    (``gc.freeze``): the collection that ends each notebook then scans only what the
    notebook made (milliseconds instead of 0.1–0.2 s with pandas and matplotlib loaded).
    Objects alive now are frozen for good, so this runs once: a fixed cost, not per report."""
    import importlib

    sh = shell()
    if sh.warm:
        return
    for name in modules:
        importlib.import_module(name)
    gc.collect()
    gc.freeze()
    sh.warm = True


@contextmanager
def _notebook_process_state(sh: ZMQCompatibleShell) -> Iterator[None]:
    """What differs between a kernel process and the worker, swapped in for the notebook:
    the standard streams, stdin, ``__main__`` (classes defined in cells live there) and
    ``''`` on ``sys.path`` (a kernel imports from its working folder)."""
    saved = sys.stdout, sys.stderr, sys.stdin, sys.modules.get("__main__")
    add_cwd = "" not in sys.path
    sys.stdout, sys.stderr = _Stream("stdout", sh.sink), _Stream("stderr", sh.sink)
    sys.stdin = _NoStdin()
    sys.modules["__main__"] = sh.user_module
    if add_cwd:
        sys.path.insert(0, "")
    try:
        yield
    finally:
        sys.stdout, sys.stderr, sys.stdin = saved[:3]
        if saved[3] is not None:
            sys.modules["__main__"] = saved[3]
        if add_cwd and "" in sys.path:
            sys.path.remove("")


@contextmanager
def _deadline(seconds: float | None) -> Iterator[None]:
    """papermill's ``execution_timeout`` per cell, by SIGALRM (main thread, POSIX only;
    elsewhere ignored with a warning)."""
    on_main = threading.current_thread() is threading.main_thread()
    if not seconds or not on_main or not hasattr(signal, "setitimer"):
        if seconds:
            logger.warning("inprocess engine: execution_timeout needs the main thread; ignored")
        yield
        return

    def expired(signum: int, frame: Any) -> None:
        raise CellTimeoutError(f"A cell timed out after {seconds} seconds (inprocess engine)")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _raised_by_signal_handler(error: BaseException) -> bool:
    """Whether ``error`` came out of a Python signal handler (the CLI turns SIGTERM into
    ``sys.exit``): with a kernel the signal hits the driver; here it lands in the cell's
    frame, and IPython would make it an ordinary cell error."""
    codes = set()
    for signum in signal.valid_signals():
        try:
            handler = signal.getsignal(signum)
        except (OSError, ValueError):
            continue
        code = getattr(getattr(handler, "__func__", handler), "__code__", None)
        if code is not None:
            codes.add(code)
    tb = error.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code in codes:
            return True
        tb = tb.tb_next
    return False


def _must_propagate(error: BaseException) -> bool:
    """Ctrl-C, a timeout, what a signal handler raised: they stop the run, not the
    notebook (a cell's own ``sys.exit()`` ends the notebook, as in a kernel)."""
    return isinstance(error, KeyboardInterrupt | CellTimeoutError) or \
        _raised_by_signal_handler(error)


def _release(sh: InteractiveShell, collect: bool = True) -> None:
    """Empty the namespace and every cache that would keep a notebook's objects or grow with
    each notebook; before each notebook and after (cycles such as figures freed now)."""
    sh.reset(new_session=True)  # user_ns, In/Out, history lists, counter back to 1
    hm = sh.history_manager
    if hm is not None:  # a disabled history never flushes these lists
        with hm.db_input_cache_lock:
            hm.db_input_cache.clear()
        with hm.db_output_cache_lock:
            hm.db_output_cache.clear()
    for name in sh.compile._filename_map:  # each cell's source, kept for tracebacks
        linecache.cache.pop(name, None)
    sh.compile._filename_map.clear()
    sh.InteractiveTB.tb = None  # the last traceback holds the failing cell's frames
    for attr in ("last_type", "last_value", "last_traceback", "last_exc"):
        if hasattr(sys, attr):
            delattr(sys, attr)
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None:  # pyplot keeps every figure until closed
        plt.close("all")
    if collect:
        gc.collect()


def _kernel_like_pandas() -> None:
    """pandas sets ``display.max_columns`` on import: 20 in a Jupyter kernel, 0 ("fit the
    terminal") elsewhere, such as a worker that imported it first. Give it the kernel's."""
    pd = sys.modules.get("pandas")
    if pd is not None and hasattr(pd, "get_option") and pd.get_option("display.max_columns") == 0:
        pd.set_option("display.max_columns", 20)


def _run_cell(sh: ZMQCompatibleShell, cell: NotebookNode, timeout: float | None) -> bool:
    """Run one code cell into ``cell.outputs``; False when it failed."""
    cell.outputs = []
    count = sh.execution_count
    sh.sink.start_cell(cell.outputs, count)
    started = _now()
    _kernel_like_pandas()
    with _deadline(timeout):
        result = sh.run_cell(cell.source, store_history=True, cell_id=cell.get("id"))
    _kernel_like_pandas()
    ended = _now()
    # nbclient's timing keys (runner.write_notebook removes them from the saved notebook)
    cell.metadata["execution"] = {"iopub.execute_input": started, "iopub.status.busy": started,
                                  "iopub.status.idle": ended, "shell.execute_reply": ended}
    cell.execution_count = count
    error = result.error_before_exec or result.error_in_exec
    if error is not None and _must_propagate(error):
        raise error
    return error is None and not sh.sink.error_in_displayhook


def _run_cells(sh: ZMQCompatibleShell, nb_man: NotebookExecutionManager,
               timeout: float | None, allow_errors: bool, skip_tag: str) -> None:
    for index, cell in enumerate(nb_man.nb.cells):
        try:
            nb_man.cell_start(cell, index)
            tags = cell.metadata.get("tags", [])
            if cell.cell_type != "code" or not cell.source.strip() or skip_tag in tags:
                continue
            if not _run_cell(sh, cell, timeout) and not (allow_errors
                                                        or "raises-exception" in tags):
                nb_man.cell_exception(cell, cell_index=index)
                break
        finally:
            nb_man.cell_complete(cell, cell_index=index)


class InProcessEngine(Engine):
    """papermill engine: the notebook's cells run in this process's IPython shell."""

    @classmethod
    def nb_kernel_name(cls, nb: NotebookNode, name: str | None = None) -> str:
        # no kernel is started: the name is only recorded, no kernel spec is needed
        return name or nb.metadata.get("kernelspec", {}).get("name") or "python3"

    @classmethod
    def execute_managed_notebook(
        cls, nb_man: NotebookExecutionManager, kernel_name: str, log_output: bool = False,
        stdout_file: TextIO | None = None, stderr_file: TextIO | None = None,
        start_timeout: float = 60, execution_timeout: float | None = None,
        allow_errors: bool = False, skip_cells_with_tag: str = "skip-execution", **kwargs: Any,
    ) -> NotebookNode:
        language = cls.nb_language(nb_man.nb)
        if language != "python":
            raise PapermillException(f"the inprocess engine runs Python, not {language!r}")
        sh = shell()
        if sh.running_in == threading.get_ident():
            raise PapermillException("the inprocess engine cannot run a notebook from a "
                                     "notebook it is running")
        with sh.lock:  # one shell, one sys.stdout: one notebook at a time per process
            sh.running_in = threading.get_ident()
            sh.sink = Outputs(log_output, stdout_file, stderr_file)
            try:
                _release(sh, collect=False)  # clean even if something ran in the shell since
                with _notebook_process_state(sh):
                    _run_cells(sh, nb_man, execution_timeout, allow_errors, skip_cells_with_tag)
                nb_man.nb.metadata["language_info"] = dict(LANGUAGE_INFO)
            finally:
                sh.sink.close()
                sh.sink = Outputs()
                _release(sh)
                sh.running_in = None
        return nb_man.nb


papermill_engines.register(ENGINE_NAME, InProcessEngine)
