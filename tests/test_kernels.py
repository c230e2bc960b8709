"""Warm Jupyter kernels (``--kernel jupyter``): reused between notebooks with a clean
namespace, replaced when dead, and no kernel client left listening after a notebook."""

from __future__ import annotations

import os
import threading

import pytest

from helpers.run import kernels, runner


@pytest.fixture
def notebooks_dir(root):
    yield str(root / "notebooks")
    kernels.POOL.shutdown()


def test_warm_kernel_is_reused_with_a_clean_namespace(notebooks_dir):
    km = kernels.POOL.kernel(notebooks_dir, runner.WARM_UP)
    pid = km.provisioner.pid
    kernels.run_code(km, "leftover = 42", wait=False)
    again = kernels.POOL.kernel(notebooks_dir, runner.WARM_UP)
    assert again is km and again.provisioner.pid == pid  # the same process, kept warm
    kernels.run_code(again, "assert 'leftover' not in dir()\nimport sys\n"
                            "assert 'helpers.present.tables' in sys.modules", wait=False)
    with pytest.raises(RuntimeError):
        kernels.run_code(again, "assert 'leftover' in dir()", wait=False)


def test_dead_kernel_is_replaced(notebooks_dir):
    km = kernels.POOL.kernel(notebooks_dir)
    km.shutdown_kernel(now=True)
    fresh = kernels.POOL.kernel(notebooks_dir)
    assert fresh is not km and fresh.is_alive()


def test_no_client_keeps_listening_after_a_notebook(tmp_path, notebooks_dir):
    """nbclient makes a client per notebook on a kernel it does not own and never stops its
    channels: each kept a heartbeat thread and sockets receiving every later notebook's
    messages (the worker's memory grew by ~8 MB per report). After runner.execute none is
    left, however many notebooks ran."""
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1", metadata={
        "tags": ["parameters"]}), nbformat.v4.new_code_cell("print(x)")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    src = tmp_path / "small.ipynb"
    nbformat.write(nb, src)

    def listening() -> tuple[int, int]:
        """(threads, open ZeroMQ sockets) of this process."""
        import gc

        import zmq

        gc.collect()
        return threading.active_count(), sum(isinstance(o, zmq.Socket) and not o.closed
                                             for o in gc.get_objects())

    runner.execute(src, tmp_path / "first.ipynb", {"x": 0}, cwd=tmp_path, kernel="jupyter")
    before = listening()  # the kernel started and one notebook run
    for i in range(3):
        runner.execute(src, tmp_path / f"out{i}.ipynb", {"x": i}, cwd=tmp_path, kernel="jupyter")
        out = nbformat.read(tmp_path / f"out{i}.ipynb", 4)
        assert out.cells[-1].outputs[0].text == f"{i}\n"
        km = kernels.POOL.warm[str(tmp_path)]
        assert km.clients == []
        assert listening() == before  # before the fix: +1 thread, +6 sockets per notebook


def test_fresh_kernel_per_notebook(tmp_path):
    """``--kernel fresh``: papermill starts a kernel for the notebook and stops it after."""
    import nbformat
    import psutil

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import os\nprint(os.getpid())")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, tmp_path / "pid.ipynb")
    runner.execute(tmp_path / "pid.ipynb", tmp_path / "out.ipynb", {}, cwd=tmp_path,
                   kernel="fresh")
    pid = int(nbformat.read(tmp_path / "out.ipynb", 4).cells[0].outputs[0].text)
    assert pid != os.getpid() and not psutil.pid_exists(pid)  # its own process, gone after
