"""One run per period at a time.

The lock is an OS file lock (``atomic.exclusive``), released by the kernel when its
process dies, so a lock left by a killed run is taken over by the next one. Beside it,
``.lock.owner`` names the holder's pid, host and start time for the message a second run
prints.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

from ..atomic import Busy, exclusive


class LockBusy(Busy):
    pass


def period_lock(period_dir: Path, wait: bool = False, timeout: float = 6 * 3600,
                waiting: Callable[[str], None] | None = None) -> AbstractContextManager[None]:
    period_dir.mkdir(parents=True, exist_ok=True)
    return exclusive(period_dir / ".lock",
                     lambda who: f"kỳ {period_dir.name} đang được chạy bởi tiến trình khác "
                                 f"({who}); " + ("đang chờ…" if wait else "dùng --wait để chờ"),
                     wait=wait, timeout=timeout, error=LockBusy, waiting=waiting)
