"""The normalised store: accepted rows as Parquet, partitioned by agency and year.

Layout: ``<store>/<agency>/<table>/year=<Y>/part-0.parquet`` plus ``<store>/<agency>/
ingest.json`` (input hashes, row accounting, issues). An agency's directory is written
beside its final place and swapped in whole, so a reader never sees half an ingest.
Personal-data columns never reach this point: ``ingest`` does not read them.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pandas as pd

from .atomic import swap_dir, write_json_atomic
from .config import Agency, Params
from .ingest import AgencyInputs, read_agency
from .manifest import current_fingerprint, fingerprint, sha256_text
from .readers import year_from_path
from .spec import TABLES
from .text import checked_id


def agency_dir(store: Path, agency: str) -> Path:
    return store / checked_id(agency, "agency id")


def read_meta(store: Path, agency: str) -> dict[str, Any] | None:
    path = agency_dir(store, agency) / "ingest.json"
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def ingest_agency(data_root: Path, store: Path, agency: str, mapping=None,
                  extra: dict[str, Any] | None = None, force: bool = False
                  ) -> tuple[dict[str, Any], bool]:
    """Ingest one agency into the store unless its inputs are unchanged.

    Returns (ingest metadata, whether it was read anew)."""
    extra = extra or {}
    want = current_fingerprint(data_root, agency, extra)
    meta = read_meta(store, agency)
    if not force and meta is not None and meta.get("fingerprint") == want:
        return meta, False
    inputs = read_agency(agency, data_root / agency, mapping=mapping, root=data_root)
    meta = write_agency(store, inputs, fingerprint(inputs.files, extra))
    return meta, True


def _partition_year(table: str, frame: pd.DataFrame) -> pd.Series:
    spec = TABLES[table]
    if spec.year_from:
        return frame[spec.year_from].dt.year.astype("int64")
    return frame["_file"].map(lambda f: year_from_path(f) or 0).astype("int64")


def write_agency(store: Path, inputs: AgencyInputs, fp: dict[str, Any]) -> dict[str, Any]:
    final = agency_dir(store, inputs.agency)
    store.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=store, prefix=f".{inputs.agency}."))
    try:
        for table, frame in inputs.tables().items():
            frame = frame.copy()
            frame["year"] = _partition_year(table, frame)
            for year, part in frame.groupby("year"):
                out = tmp / table / f"year={int(year)}"
                out.mkdir(parents=True, exist_ok=True)
                part.drop(columns=["year"]).to_parquet(out / "part-0.parquet", index=False)
        rejected = [{"file": r.file, "sheet": r.sheet, "table": r.table.code, "row": row,
                     "reason": why} for r in inputs.reads for row, why in r.rejected]
        meta = {
            "agency": inputs.agency,
            "fingerprint": fp,
            "ok": not inputs.errors,
            "accounting": inputs.accounting(),
            "rejected": rejected,
            "issues": [asdict(i) for i in inputs.issues],
            "personal_columns_dropped": sorted({h for r in inputs.reads
                                                for h in r.dropped_personal}),
        }
        write_json_atomic(tmp / "ingest.json", meta)
        swap_dir(tmp, final)
        return meta
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def load_table(store: Path, agency: str, table: str, years: list[int] | None = None
               ) -> pd.DataFrame:
    """One table of one agency, only the years asked for; an empty frame with the
    table's columns when there is none."""
    base = agency_dir(store, agency) / table
    cols = [f.name for f in TABLES[table].fields]
    if not base.is_dir():
        return pd.DataFrame(columns=cols)
    parts = []
    for ydir in sorted(base.glob("year=*")):
        year = int(ydir.name.split("=")[1])
        if years is None or year in years:
            part = pd.read_parquet(ydir)
            part["year"] = year
            parts.append(part)
    if not parts:
        return pd.DataFrame(columns=cols)
    return pd.concat(parts, ignore_index=True)


def ingest_for(params: Params, agency: Agency, data_dir: Path, store: Path) -> dict[str, Any]:
    """Ingest an agency's ``<data_dir>/raw/<id>`` with its source-system mapping (the
    mapping's content is part of the fingerprint: a changed mapping re-reads the files)."""
    mapping = params.mapping(agency)
    extra = {"mapping": sha256_text(json.dumps(mapping.__dict__, sort_keys=True, default=str))
             if mapping else None}
    meta, _ = ingest_agency(data_dir / "raw", store, agency.id, mapping=mapping, extra=extra)
    return meta
