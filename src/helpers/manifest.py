"""Manifests: what went into an output (inputs' hashes, parameters, versions), so a
published figure can be traced back to the rows and code that produced it."""

from __future__ import annotations

import hashlib
import platform
from importlib import metadata
from pathlib import Path
from typing import Any

from . import __version__
from .readers import input_files

TRACKED_PACKAGES = ("cchc-reports", "pandas", "numpy", "matplotlib", "papermill",
                    "openpyxl", "python-calamine", "pyarrow", "pandera")


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in TRACKED_PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def fingerprint(files: dict[str, str], extra: dict[str, Any]) -> dict[str, Any]:
    return {"files": files, "version": __version__, **extra}


def current_fingerprint(data_root: Path, agency: str, extra: dict[str, Any]) -> dict[str, Any]:
    adir = data_root / agency
    files = {p.relative_to(data_root).as_posix(): sha256_file(p)
             for p in input_files(adir)} if adir.is_dir() else {}
    return fingerprint(files, extra)
