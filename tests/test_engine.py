"""The "inprocess" papermill engine (helpers.run.engine) against a real Jupyter kernel.

The kernel side runs on one warm kernel of ``kernels.POOL`` (the ``--kernel jupyter`` path),
so the comparisons start one kernel for the whole module."""

from __future__ import annotations

import gc
import re
import signal
import sys
import types
from pathlib import Path

import nbformat
import papermill as pm
import pytest
from papermill.exceptions import PapermillExecutionError

from helpers.run import engine, kernels, runner

ANSI = re.compile(r"\x1b\[[0-9;]*m")
COUNT = re.compile(r"In\[\d+\]")  # a warm kernel counts on across notebooks


def frame_lines(traceback: list[str]) -> list[str]:
    """A traceback's header, the first line of each frame and the exception, without
    colours or the execution count."""
    return [COUNT.sub("In[N]", ANSI.sub("", line).splitlines()[0]) for line in traceback]


def notebook(*cells: tuple[str, ...]) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    for kind, src, *tags in cells:
        cell = nbformat.v4.new_code_cell(src) if kind == "code" else \
            nbformat.v4.new_markdown_cell(src)
        if tags:
            cell.metadata["tags"] = list(tags)
        nb.cells.append(cell)
    return nb


class Runner:
    """run(nb, name, kernel, **papermill options) → the executed notebook as papermill returns
    it; ``kernel`` "inprocess" or "jupyter" (a warm kernel of the pool, clients closed)."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp

    def path(self, name: str, kernel: str) -> Path:
        return self.tmp / f"{name}.{kernel}.out.ipynb"

    def __call__(self, nb, name: str, kernel: str = "inprocess", **kw) -> nbformat.NotebookNode:
        src = self.tmp / f"{name}.ipynb"
        nbformat.write(nb, src)
        out = self.path(name, kernel)
        kw.setdefault("progress_bar", False)
        kw.setdefault("request_save_on_cell_execute", False)
        if kernel == "inprocess":
            return pm.execute_notebook(str(src), str(out), engine_name=engine.ENGINE_NAME, **kw)
        km = kernels.POOL.kernel(str(self.tmp))
        try:
            return pm.execute_notebook(str(src), str(out), km=km,
                                       kernel_name=kernels.ensure_kernelspec(), **kw)
        finally:
            km.close_clients()


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    yield Runner(tmp_path_factory.mktemp("engine"))
    kernels.POOL.shutdown()


def shape(output: dict) -> dict:
    """An output without what differs between two processes: a traceback is compared by
    its header and the first line of each frame, without colours."""
    o = dict(output)
    o.pop("execution_count", None)  # a warm kernel counts on; write_notebook renumbers
    if o.get("output_type") == "error":
        o["traceback"] = frame_lines(o["traceback"])
    return o


EVERY_KIND = notebook(
    ("code", 'name = "default"\nrepeat = 1', "parameters"),
    ("markdown", "Outputs of every kind"),
    ("code", "print('hello', name)\nimport sys\nprint('to stderr', file=sys.stderr)\nprint('last')"),
    ("code", "from helpers.present.markdown import Md\nMd('**bold** ' + name)"),
    ("code", "import io\nfrom matplotlib.figure import Figure\n"
             "from helpers.present.charts import Chart\n"
             "fig = Figure(figsize=(2, 1.5))\nfig.subplots().bar(['a', 'b'], [1, repeat])\n"
             "from IPython.display import display\n"
             "display(Chart(fig, 'Biểu đồ cột: a 1, b 2', 'thử'))\nprint('after the image')"),
    ("code", "class Bundle:\n"
             "    def _repr_mimebundle_(self, include=None, exclude=None):\n"
             "        return ({'text/plain': 'bundle', 'text/html': '<b>bundle</b>',\n"
             "                 'application/json': {'a': [1, 2]}}, {'text/html': {'isolated': True}})\n"
             "Bundle()"),
    ("code", "x = 5;"),  # a trailing semicolon hides the result
    ("code", "import pandas as pd\npd.DataFrame({'a': [1, 2], 'b': ['x', 'y']})"),
)


def test_outputs_are_those_of_a_jupyter_kernel(run):
    params = {"name": "so-a", "repeat": 2}
    ours = run(EVERY_KIND, "kinds", "inprocess", parameters=params)
    theirs = run(EVERY_KIND, "kinds", "jupyter", parameters=params)
    injected = [c for c in ours.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and 'name = "so-a"' in injected[0].source
    assert ours.metadata.papermill.parameters == params
    kinds = set()
    for a, b in zip(ours.cells, theirs.cells, strict=True):
        assert a.source == b.source
        if a.cell_type != "code":
            continue
        # the same output types and mime keys, and (reprs being deterministic) equal data
        assert [(o.output_type, sorted(o.get("data", {}))) for o in a.outputs] == \
               [(o.output_type, sorted(o.get("data", {}))) for o in b.outputs]
        assert [shape(o) for o in a.outputs] == [shape(o) for o in b.outputs]
        assert a.metadata.papermill.status == b.metadata.papermill.status == "completed"
        kinds |= {(o.output_type, k) for o in a.outputs for k in o.get("data", {"-": 0})}
    assert {("stream", "-"), ("execute_result", "text/markdown"), ("display_data", "image/png"),
            ("execute_result", "text/html"), ("execute_result", "application/json")} <= kinds
    png = next(o for c in ours.cells if c.cell_type == "code" for o in c.outputs
               if "image/png" in o.get("data", {}))
    assert png.metadata == {"image/png": {"alt": "Biểu đồ cột: a 1, b 2"}}  # the alt text
    assert ours.metadata.language_info == theirs.metadata.language_info
    nbformat.validate(ours)


FAILING = notebook(
    ("code", "n = 1", "parameters"),
    ("code", "print('before the error')"),
    ("markdown", "text"),
    ("code", "# a comment first\ndef f(d):\n    return d['missing']\n\nf({'n': n})"),
    ("code", "print('never run')"),
)


def test_failing_cell_raises_as_with_a_kernel_and_names_the_cell(run):
    errors = {}
    for kernel in ("inprocess", "jupyter"):
        with pytest.raises(PapermillExecutionError) as info:
            run(FAILING, "fail", kernel)
        errors[kernel] = info.value
    ours, theirs = errors["inprocess"], errors["jupyter"]
    # (not exec_count: a warm kernel counts on across notebooks; write_notebook renumbers)
    for attr in ("cell_index", "source", "ename", "evalue"):
        assert getattr(ours, attr) == getattr(theirs, attr), attr
    assert ours.cell_index == 3 and ours.ename == "KeyError" and ours.evalue == "'missing'"
    assert frame_lines(ours.traceback) == frame_lines(theirs.traceback)
    # the run summary's line: the cell's index, its first line of code, the error
    assert runner._failing_cell(ours) == "ô 3 (`def f(d):`): KeyError: 'missing'"


EDGE_CASES = {
    "sys_exit_0": [("code", "import sys\nsys.exit(0)"), ("code", "print('after')")],
    "repr_error_in_result": [
        ("code", "class B:\n    def _repr_markdown_(self):\n        raise ValueError('bad')\n"
                 "    def __repr__(self):\n        return 'B()'\nB()"),
        ("code", "print('after')")],
    "interleaved_streams": [("code", "import sys\nprint('a')\nsys.stderr.write('b\\n')\n"
                                     "print('c')\ndisplay('d')\nprint('e')")],
    "syntax_error": [("code", "x = (1,")],
}


WORKER = """
import json, sys
import papermill as pm
from papermill.exceptions import PapermillExecutionError
from helpers.run import engine
raised = {}
for src in sys.argv[1:]:
    try:
        pm.execute_notebook(src, src.replace(".ipynb", ".inprocess.out.ipynb"),
                            engine_name=engine.ENGINE_NAME, progress_bar=False)
        raised[src] = None
    except PapermillExecutionError as exc:
        raised[src] = [exc.cell_index, exc.ename, exc.evalue]
print(json.dumps(raised))
"""


def in_a_worker(nbs: dict[str, nbformat.NotebookNode], tmp: Path) -> tuple[dict, str]:
    """Run notebooks in-process in a plain Python process, as a pool worker does (pytest
    would catch the warnings a notebook shows): (name → raised error or None, its stderr)."""
    import json
    import subprocess

    paths = {}
    for name, nb in nbs.items():
        paths[name] = tmp / f"{name}.ipynb"
        nbformat.write(nb, paths[name])
    proc = subprocess.run([sys.executable, "-c", WORKER, *map(str, paths.values())],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    raised = json.loads(proc.stdout.strip().splitlines()[-1])
    return {n: raised[str(p)] for n, p in paths.items()}, proc.stderr


def outcome(raised, nb) -> str:
    cells = [(c.execution_count is not None, [shape(o) for o in c.outputs])
             for c in nb.cells if c.cell_type == "code"]
    # a SyntaxError names the cell's file differently ("<ipython-input-…>" / "123.py")
    return re.sub(r"<ipython-input-[0-9a-f-]+>|[0-9]+\.py", "CELL", str((raised, cells)))


def test_edge_cases_end_as_with_a_kernel(run):
    ours, worker_stderr = in_a_worker({n: notebook(*c) for n, c in EDGE_CASES.items()}, run.tmp)
    for case, cells in EDGE_CASES.items():
        try:
            run(notebook(*cells), case, "jupyter")
            raised = None
        except PapermillExecutionError as exc:
            raised = [exc.cell_index, exc.ename, exc.evalue]
        theirs = outcome(raised, nbformat.read(run.path(case, "jupyter"), 4))
        assert outcome(ours[case], nbformat.read(run.path(case, "inprocess"), 4)) == theirs, case
    assert worker_stderr == ""  # what the notebooks wrote went into their outputs


def test_prints_warnings_and_logs_go_into_the_outputs(run):
    nb = notebook(("code", "import logging, warnings\nprint('MARK-out')\n"
                           "warnings.warn('MARK-warn')\nlogging.getLogger('x').warning('MARK-log')"))
    _, stderr = in_a_worker({"worker": nb}, run.tmp)
    assert "MARK" not in stderr
    out = nbformat.read(run.path("worker", "inprocess"), 4)
    text = "".join(o.text for o in out.cells[0].outputs)
    for mark in ("MARK-out", "MARK-warn", "MARK-log"):
        assert mark in text


def test_namespace_is_cleared_between_notebooks_and_nothing_survives(run):
    probe = types.ModuleType("engine_probe")
    sys.modules["engine_probe"] = probe
    try:
        first = notebook(("code", "import weakref, engine_probe, colorsys\n"
                                  "class Big:\n    pass\n"
                                  "big = Big()\nengine_probe.ok = weakref.ref(big)\nbig"),
                         ("code", "def f():\n    local = Big()\n"
                                  "    engine_probe.failed = weakref.ref(local)\n"
                                  "    raise ValueError('boom')\nf()"))
        with pytest.raises(PapermillExecutionError):
            run(first, "first")
        gc.collect()
        assert probe.ok() is None  # a value shown as a result: no Out cache keeps it
        assert probe.failed() is None  # a local of the failing frame: no sys.last_* keeps it
        second = run(notebook(("code", "import sys\n"
                                       "assert 'big' not in globals() and 'Big' not in globals()\n"
                                       "assert 'colorsys' in sys.modules  # modules stay\n"
                                       "print('clean')")), "second")
        assert second.cells[0].outputs[0].text == "clean\n"
        assert second.cells[0].execution_count == 1  # the counter restarts, as in a new kernel
        sh = engine.shell()
        assert not sh.compile._filename_map and not sh.history_manager.db_input_cache
    finally:
        del sys.modules["engine_probe"]


def test_stdout_is_captured_and_the_process_streams_restored(run, capfd):
    before = sys.stdout, sys.stderr, sys.stdin
    nb = notebook(("code", "import sys\nprint('MARK-out')\n_ = sys.stderr.write('MARK-err\\n')"))
    out = run(nb, "capture")
    seen = capfd.readouterr()  # this process's file descriptors 1 and 2
    assert "MARK" not in seen.out and "MARK" not in seen.err
    streams = {o.name: o.text for o in out.cells[0].outputs}
    assert streams["stdout"] == "MARK-out\n"
    assert streams["stderr"] == "MARK-err\n"
    assert (sys.stdout, sys.stderr, sys.stdin) == before


def test_stopping_the_worker_is_not_a_cell_error(run):
    """The CLI turns SIGTERM into sys.exit(143): in-process the signal lands in the cell's
    frame, and must still stop the run; Ctrl-C too."""
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    try:
        nb = notebook(("code", "import os, signal, time\n"
                               "os.kill(os.getpid(), signal.SIGTERM)\ntime.sleep(5)"))
        with pytest.raises(SystemExit) as info:
            run(nb, "sigterm")
        assert info.value.code == 143
    finally:
        signal.signal(signal.SIGTERM, previous)
    with pytest.raises(KeyboardInterrupt):
        run(notebook(("code", "raise KeyboardInterrupt")), "ctrl-c")
    assert not isinstance(sys.stdout, engine._Stream)  # process state restored


@pytest.mark.slow
def test_agency_report_is_byte_identical_on_both_engines(tiny, tmp_path):
    """The real agency notebook through runner.execute: the saved notebook (outputs, PNG
    charts, metadata) is the same bytes whether its cells ran here or in a kernel."""
    from helpers.ingest import store
    from helpers.params import load_params

    params = load_params(tiny / "params")
    a = params.agency("xa-an-binh")
    store.ingest(params, a, tiny / "data" / "raw", tmp_path / "store")
    saved = {}
    for kernel in ("inprocess", "jupyter"):
        out = tmp_path / "out"  # the same path both times: the parameters are the same bytes
        runner.execute(tiny / "notebooks" / runner.AGENCY_NOTEBOOK, out / "report.ipynb",
                       {"agency": a.id, "period": "2019-9M", "data_dir": str(tiny / "data"),
                        "params_dir": str(tiny / "params"), "out_dir": str(out),
                        "store_dir": str(tmp_path / "store")}, cwd=tiny / "notebooks",
                       kernel=kernel)
        saved[kernel] = (out / "report.ipynb").read_bytes()
    kernels.POOL.shutdown()
    assert saved["inprocess"] == saved["jupyter"]
    nb = nbformat.reads(saved["inprocess"].decode("utf-8"), 4)
    assert sum("image/png" in o.get("data", {}) for c in nb.cells if c.cell_type == "code"
               for o in c.outputs) >= 3
