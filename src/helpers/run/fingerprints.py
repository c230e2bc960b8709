"""What a report depends on, hashed once per run: an agency whose fingerprint equals that
of its last successful report is skipped.

The inputs' hashes taken here are handed to ingestion, which records them in the store
instead of reading the files a second time to hash them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import __version__
from ..atomic import sha256_file, sha256_text
from ..ingest.readers import input_hashes

NAMES = {"inputs": "dữ liệu đầu vào", "params": "tham số", "notebook": "notebook",
         "version": "phiên bản phần mềm", "period": "kỳ"}


def params_fingerprint(params_dir: Path) -> str:
    """Hash of every params file: targets, mappings and agencies all change reports."""
    parts = [f"{p.relative_to(params_dir)}:{sha256_file(p)}"
             for p in sorted(params_dir.rglob("*.yml"))]
    return sha256_text("\n".join(parts))


def job_fingerprint(notebook: Path, raw: Path, params_hash: str, agency: str, period: str
                    ) -> dict[str, Any]:
    return {
        "inputs": input_hashes(raw, agency),
        "params": params_hash,
        "notebook": sha256_file(notebook),
        "version": __version__,
        "period": period,
    }


def what_changed(before: dict[str, Any], now: dict[str, Any]) -> str:
    changed = [k for k in NAMES if before.get(k) != now.get(k)]
    return "thay đổi: " + ", ".join(NAMES[c] for c in changed) if changed else "chạy lại"
