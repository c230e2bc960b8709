"""One run per period at a time.

The lock is an OS file lock (``filelock``), released by the kernel when its process dies,
so a lock left by a killed run is taken over by the next one. Beside it, ``.lock.owner``
names the holder's pid, host and start time for the message a second run prints.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from filelock import FileLock, Timeout


class LockBusy(RuntimeError):
    pass


@contextmanager
def period_lock(period_dir: Path, wait: bool = False, timeout: float = 6 * 3600
                ) -> Iterator[None]:
    period_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(period_dir / ".lock"))
    owner = period_dir / ".lock.owner"
    try:
        lock.acquire(timeout=timeout if wait else 0)
    except Timeout:
        who = "?"
        if owner.is_file():
            try:
                o = json.loads(owner.read_text(encoding="utf-8"))
                who = f"pid {o['pid']} trên {o['host']}, bắt đầu {o['started']}"
            except (ValueError, KeyError):
                pass
        raise LockBusy(f"kỳ {period_dir.name} đang được chạy bởi tiến trình khác ({who}); "
                       "dùng --wait để chờ") from None
    try:
        owner.write_text(json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                                     "started": datetime.now().isoformat(timespec="seconds")}),
                         encoding="utf-8")
        yield
    finally:
        owner.unlink(missing_ok=True)
        lock.release()
