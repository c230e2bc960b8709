"""Files written whole, by one writer at a time, and known by their content.

Nothing is ever half written: a file goes to a temporary name beside its place and is
renamed over it; a folder is built beside its place and swapped in with two renames. A
folder that several commands write (a period's reports, the site) is held by one of them
at a time (``exclusive``). A file is identified by its SHA-256, computed in one place.
"""

from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import re
import shutil
import socket
import tempfile
import uuid
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any


def write_json_atomic(path: Path, data: Any) -> None:
    """Write JSON to a temporary file beside ``path`` and move it into place whole."""
    write_bytes_atomic(path, (json.dumps(data, ensure_ascii=False, indent=2, default=str)
                              + "\n").encode("utf-8"))


def write_bytes_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.filename is None:  # fsync/write name no file
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        raise


def swap_dir(staged: Path, final: Path) -> None:
    """Replace folder ``final`` by ``staged`` (same file system): readers see the old one
    or the new one, never a mix."""
    final.parent.mkdir(parents=True, exist_ok=True)
    old = None
    if final.exists():
        old = final.with_name(f".{final.name}.old-{uuid.uuid4().hex[:8]}")
        final.rename(old)
    staged.rename(final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


FIXED_TIME = (2000, 1, 1, 0, 0, 0)
_OOXML_TIMES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def stable_zip(data: bytes) -> bytes:
    """An Office file (xlsx, docx) with its clock times fixed: entry times and the
    created/modified properties, so the same content gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = _OOXML_TIMES.sub(rb"\g<1>2000-01-01T00:00:00Z\g<2>", body)
            entry = zipfile.ZipInfo(info.filename, FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, body)
    return out.getvalue()


class Busy(RuntimeError):
    """Another process holds the lock; the message names it and says what to do."""


@contextmanager
def exclusive(lock_file: Path, busy: Callable[[str], str], wait: bool = False,
              timeout: float = 6 * 3600, error: type[Exception] = Busy,
              waiting: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold ``lock_file`` (an OS lock: the kernel releases it when its process dies, so
    a killed holder's lock is taken over). Beside it ``<lock>.owner`` names the holder's
    pid, host and start; a second process gets ``error(busy(who))`` or, with ``wait``,
    says so through ``waiting(busy(who))`` and waits for its turn."""
    from filelock import FileLock, Timeout

    lock_file.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(lock_file))
    owner = lock_file.with_name(lock_file.name + ".owner")
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if not wait:
            raise error(busy(_owner(owner))) from None
        if waiting is not None:
            waiting(busy(_owner(owner)))
        try:
            lock.acquire(timeout=timeout)
        except Timeout:
            raise error(busy(_owner(owner))) from None
    try:
        owner.write_text(json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                                     "started": datetime.now().isoformat(timespec="seconds")}),
                         encoding="utf-8")
        yield
    finally:
        owner.unlink(missing_ok=True)
        lock.release()


def _owner(owner: Path) -> str:
    try:
        o = json.loads(owner.read_text(encoding="utf-8"))
        return f"pid {o['pid']} trên {o['host']}, bắt đầu {o['started']}"
    except (OSError, ValueError, KeyError, TypeError):
        return "?"


def os_error_text(exc: OSError) -> str:
    """A file-system fault in one Vietnamese phrase naming the path: what an operator
    reads instead of a traceback (a full disk, a read-only folder, a file in the way)."""
    where = f" {exc.filename}" if exc.filename else ""
    code = exc.errno
    if code in (errno.ENOSPC, errno.EDQUOT):
        return f"hết chỗ trống trên đĩa khi ghi{where}: giải phóng chỗ rồi chạy lại"
    if code == errno.EFBIG:
        return f"tệp vượt giới hạn kích thước cho phép khi ghi{where}"
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"không có quyền ghi vào{where} (thư mục chỉ đọc?): chọn thư mục khác"
    if code == errno.ENOTDIR:
        return f"đường dẫn{where} đi qua một tệp, không phải thư mục"
    if code == errno.ENOENT:
        return f"không tìm thấy{where}"
    return f"lỗi hệ thống tệp ({exc.strerror or exc.__class__.__name__}){where}"
