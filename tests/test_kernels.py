"""Warm kernels: reused between notebooks with a clean namespace, replaced when dead."""

from __future__ import annotations

import pytest

from helpers.run import kernels


@pytest.fixture
def notebooks_dir(root):
    yield str(root / "notebooks")
    kernels.shutdown_all()


def test_warm_kernel_is_reused_with_a_clean_namespace(notebooks_dir):
    km = kernels.warm_kernel(notebooks_dir)
    pid = km.provisioner.pid
    kernels._run(km, "leftover = 42", wait=False)
    again = kernels.warm_kernel(notebooks_dir)
    assert again is km and again.provisioner.pid == pid  # the same process, kept warm
    kernels._run(again, "assert 'leftover' not in dir()\nimport sys\n"
                        "assert 'helpers.present.tables' in sys.modules", wait=False)
    with pytest.raises(RuntimeError):
        kernels._run(again, "assert 'leftover' in dir()", wait=False)


def test_dead_kernel_is_replaced(notebooks_dir):
    km = kernels.warm_kernel(notebooks_dir)
    km.shutdown_kernel(now=True)
    fresh = kernels.warm_kernel(notebooks_dir)
    assert fresh is not km and fresh.is_alive()
