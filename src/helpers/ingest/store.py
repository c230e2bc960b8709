"""The normalised store: accepted rows as Parquet, partitioned by agency and year.

Layout: ``<store>/<agency>/<table>/year=<Y>/part-0.parquet`` plus ``<store>/<agency>/
ingest.json`` (the inputs' hashes, row accounting, issues). A table with no dates and no
year in its path (a catalogue, a plan: ``Danh muc TTHC.xlsx``) is stored as ``year=0``,
"every year": ``load`` gives it for each year asked for, unless that year has a dated
copy of its own, and marks those rows ``_every_year``. An agency's folder is written
beside its place and swapped in whole, so a reader never sees half an ingest. Personal
data never reaches this point: ingestion does not read those columns.

``ingest`` reads an agency's exports unless their hashes are unchanged; ``load`` gives the
frames of the years a report needs. A batch ingests once, before the notebooks; a notebook
only loads.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass, fields
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from .. import __version__
from ..atomic import swap_dir, write_json_atomic
from ..params import Agency, Params
from ..text import checked_id
from .accounting import AgencyInputs, InputError
from .agency import read_agency
from .mappings import for_agency
from .readers import input_hashes, year_from_path
from .spec import TABLES

META = "ingest.json"


@dataclass(frozen=True)
class Frames:
    """One agency's normalised tables (the years a report needs), one frame per input
    table, named by its code; an absent table is an empty frame with the table's columns."""

    ho_so: pd.DataFrame
    thu_tuc: pd.DataFrame
    danh_gia: pd.DataFrame
    pakn: pd.DataFrame
    nhiem_vu: pd.DataFrame
    kinh_phi: pd.DataFrame
    chi_so: pd.DataFrame

    def __getitem__(self, table: str) -> pd.DataFrame:
        return getattr(self, table)


def agency_dir(store: Path, agency: str) -> Path:
    return store / checked_id(agency, "agency id")


def read_meta(store: Path, agency: str) -> dict[str, Any] | None:
    path = agency_dir(store, agency) / META
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def ingest(params: Params, agency: Agency, raw: Path, store: Path,
           hashes: dict[str, str] | None = None, force: bool = False) -> dict[str, Any]:
    """Read an agency's ``raw/<id>`` into the store unless its inputs (by ``hashes``, taken
    by the caller or here), its source-system mapping and this package's version are those
    of the last ingest. Returns the ingest metadata."""
    mapping = for_agency(params, agency)
    limits = getattr(params, "limits", None)
    want = {"files": input_hashes(raw, agency.id) if hashes is None else dict(hashes),
            "mapping": mapping.digest() if mapping else None, "version": __version__,
            "limits": limits.model_dump() if limits is not None else None}
    meta = read_meta(store, agency.id)
    if not force and meta is not None and meta.get("fingerprint") == want:
        return meta
    inputs = read_agency(agency.id, raw / agency.id, mapping=mapping, root=raw, limits=limits)
    return write_agency(store, inputs, want)


def _partition_year(table: str, frame: pd.DataFrame) -> pd.Series:
    spec = TABLES[table]
    if spec.year_from:
        return frame[spec.year_from].dt.year.astype("int64")
    return frame["_file"].map(lambda f: year_from_path(f) or 0).astype("int64")


def write_agency(store: Path, inputs: AgencyInputs, fingerprint: dict[str, Any]
                 ) -> dict[str, Any]:
    final = agency_dir(store, inputs.agency)
    # rows that do not add up are an error: no report is made from them
    inputs.issues.extend(inputs.unaccounted())
    store.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=store, prefix=f".{inputs.agency}."))
    try:
        tables = inputs.tables()
        for table, frame in tables.items():
            frame = frame.copy()
            frame["year"] = _partition_year(table, frame)
            for year, part in frame.groupby("year"):
                out = tmp / table / f"year={int(year)}"
                out.mkdir(parents=True, exist_ok=True)
                part.drop(columns=["year"]).to_parquet(out / "part-0.parquet", index=False)
        for read in inputs.reads:  # a table read without rows is there, and empty
            code = read.table.code
            if code not in tables and not (tmp / code).exists():
                out = tmp / code / f"year={EVERY_YEAR}"
                out.mkdir(parents=True)
                read.frame.assign(_file=read.file, _sheet=read.sheet or "").to_parquet(
                    out / "part-0.parquet", index=False)
        rejected = [{"file": r.file, "sheet": r.sheet, "table": r.table.code, "row": row,
                     "reason": why} for r in inputs.reads for row, why in r.rejected]
        meta = {
            "agency": inputs.agency,
            "fingerprint": fingerprint,
            "ok": not inputs.errors,
            "accounting": inputs.accounting(),
            "rejected": rejected,
            "issues": [asdict(i) for i in inputs.issues],
            "personal_columns_dropped": sorted({h for r in inputs.reads
                                                for h in r.dropped_personal}),
            "absent_columns": inputs.absent_columns(),
        }
        write_json_atomic(tmp / META, meta)
        swap_dir(tmp, final)
        return meta
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _empty(table: str, columns: list[str] | None = None) -> pd.DataFrame:
    return pd.DataFrame(columns=columns or [f.name for f in TABLES[table].fields] + ["year"])


EVERY_YEAR = 0  # the partition of a table that applies to every year


def load_table(store: Path, agency: str, table: str, years: list[int] | None = None,
               columns: list[str] | None = None) -> pd.DataFrame:
    """One table of one agency, only the years (all when None) and columns (all when None)
    asked for; an empty frame with the table's columns when there is none. A table kept
    for every year is given for each year asked for that has no dated copy of its own,
    with ``year`` set to that year and ``_every_year`` true."""
    base = agency_dir(store, agency) / table
    if not base.is_dir():
        return _empty(table, columns)
    stored = {int(d.name.split("=")[1]): d for d in sorted(base.glob("year=*"))}
    parts = []
    for year in sorted(stored) if years is None else sorted(set(years)):
        ydir = stored.get(year)
        every = ydir is None and EVERY_YEAR in stored and year != EVERY_YEAR
        if every:
            ydir = stored[EVERY_YEAR]
        if ydir is None:
            continue
        part = pd.read_parquet(ydir, columns=columns)
        part["year"] = year
        if every:
            part["_every_year"] = True
        parts.append(part)
    if not parts:
        return _empty(table, columns)
    out = pd.concat(parts, ignore_index=True)
    if "_every_year" in out:
        out["_every_year"] = out["_every_year"].fillna(False).astype(bool)
    return out


def load(store: Path, agency: str, years: list[int], since: date | None = None) -> Frames:
    """The frames of the plan years ``years``; dossiers and feedback also from earlier
    years when still open on ``since`` (they are carried over into the windows).

    Remembered per process for the last (agency folder, years, since) asked, with the size,
    time and inode of every file in the agency's folder: the batch loads an agency's frames
    once (to check there is data) and the notebook, run in the same worker, gets them without
    reading the store again, while a changed store (re-ingested, swapped in, a file rewritten)
    is read afresh. Each call gets its own frames: with pandas' copy-on-write, changing one
    never changes what another call, or the memory, holds."""
    folder = agency_dir(store, agency)
    kept = _load_once(str(folder.resolve()), tuple(years), since, _signature(folder))
    return Frames(**{f.name: getattr(kept, f.name).copy(deep=False) for f in fields(Frames)})


def _signature(folder: Path) -> tuple[object, ...]:
    """What ``load``'s memory is valid for: (path, size, mtime in ns, inode) of every file
    under ``folder`` (a stat per file, no hash), and the ingest metadata's bytes, which name
    the inputs' hashes the files were made from (a rewrite within the file system's clock
    tick, same size, same inode, still differs there)."""
    out: list[object] = []
    for dirpath, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            st = os.stat(os.path.join(dirpath, name))
            out.append((os.path.join(dirpath, name), st.st_size, st.st_mtime_ns, st.st_ino))
    meta = folder / META
    out.append(meta.read_bytes() if meta.is_file() else b"")
    return tuple(out)


@functools.lru_cache(maxsize=1)  # one agency at a time per worker: memory stays flat
def _load_once(folder: str, years: tuple[int, ...], since: date | None,
               signature: tuple[object, ...]) -> Frames:
    store, agency = Path(folder).parent, Path(folder).name
    out = {}
    absent_columns = (read_meta(store, agency) or {}).get("absent_columns", {})
    for f in fields(Frames):
        table = f.name
        if table in ("ho_so", "pakn") and since is not None:
            frame = load_table(store, agency, table)
            frame = frame[(frame["year"] <= max(years))
                          & (frame["year"].isin(years) | frame["resolved_on"].isna()
                             | (frame["resolved_on"] >= pd.Timestamp(since)))]
            out[table] = frame.reset_index(drop=True)
        else:
            out[table] = load_table(store, agency, table, list(years))
        # a table no export holds, as opposed to one read without rows: figures are null
        out[table].attrs["absent"] = not (agency_dir(store, agency) / table).is_dir()
        out[table].attrs["absent_columns"] = tuple(absent_columns.get(table, ()))
    return Frames(**out)


def frames(params: Params, agency: Agency, years: list[int], since: date, data_dir: str | Path,
           store_dir: str | Path | None = None, scratch_dir: str | Path = "."
           ) -> tuple[Frames, dict[str, Any]]:
    """An agency's frames and ingest metadata, for a notebook.

    In a batch, ``store_dir`` holds what the batch has just ingested: it is only loaded.
    Run by hand (no ``store_dir``), the exports are ingested into ``<scratch_dir>/_store``
    first, unless unchanged. Inputs with errors give no frames: no report is made from
    part of the data."""
    if store_dir:
        store = Path(store_dir)
        meta = read_meta(store, agency.id)
        if meta is None:
            raise InputError(f"{agency.id}: chưa có dữ liệu đã nạp trong {store}")
    else:
        store = Path(scratch_dir) / "_store"
        meta = ingest(params, agency, Path(data_dir) / "raw", store)
    if not meta["ok"]:
        errors = [i for i in meta["issues"] if i["severity"] == "error"]
        first = errors[0] if errors else {"file": "", "message": "đối soát dòng không khớp"}
        where = ", ".join(x for x in (first.get("file"),
                                      f"sheet “{first['sheet']}”" if first.get("sheet") else "",
                                      f"dòng {first['row']}" if first.get("row") else "",
                                      f"cột “{first['column']}”" if first.get("column") else "")
                          if x)
        raise InputError(f"{agency.id}: {len(errors)} lỗi dữ liệu đầu vào, không lập báo cáo từ "
                         f"một phần dữ liệu. Lỗi đầu tiên: {where}: {first['message']} "
                         "(chạy `cchc check`)")
    return load(store, agency.id, years, since), meta
