"""The store's memory of the last frames loaded (``store.load``): the batch's check for data
and the notebook share one read, and a changed store is never served from memory."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers.ingest import store
from helpers.params import load_params

AGENCY = "xa-an-binh"  # conftest's tiny project: 120 dossiers in 2018, 150 in 2019


@pytest.fixture
def copy(tiny, tmp_path) -> tuple[Path, Path]:
    """(raw folder with a copy of the agency's exports, store folder), ingested once."""
    raw = tmp_path / "raw"
    shutil.copytree(tiny / "data" / "raw" / AGENCY, raw / AGENCY)
    params = load_params(tiny / "params")
    meta = store.ingest(params, params.agency(AGENCY), raw, tmp_path / "store")
    assert meta["ok"]
    return raw, tmp_path / "store"


def test_second_load_reads_nothing(copy, monkeypatch):
    _, st = copy
    first = store.load(st, AGENCY, [2018, 2019])
    assert len(first.ho_so) == 120 + 150

    def no_read(*args, **kwargs):
        raise AssertionError("the store was read again")

    monkeypatch.setattr(pd, "read_parquet", no_read)
    again = store.load(st, AGENCY, [2018, 2019])
    assert len(again.ho_so) == 270
    with pytest.raises(AssertionError):  # other years: not what is remembered
        store.load(st, AGENCY, [2019])


def test_each_load_gets_frames_of_its_own(copy):
    _, st = copy
    first = store.load(st, AGENCY, [2018, 2019])
    first.ho_so.loc[0, "field"] = "changed by a notebook"
    first.ho_so["extra"] = 1
    again = store.load(st, AGENCY, [2018, 2019])
    assert again.ho_so is not first.ho_so
    assert "extra" not in again.ho_so and again.ho_so.loc[0, "field"] != "changed by a notebook"


def test_reingested_store_is_read_afresh(tiny, copy):
    """A corrected export (here: the 2018 dossiers withdrawn) ingested between two loads in
    the same process: the second load has the new rows, not the remembered ones."""
    raw, st = copy
    assert len(store.load(st, AGENCY, [2018, 2019]).ho_so) == 270
    withdrawn = [p for p in (raw / AGENCY / "2018").iterdir() if "ho_so" in p.name.lower()
                 or "ho-so" in p.name.lower() or "hồ sơ" in p.name.lower()]
    assert len(withdrawn) == 1, sorted(p.name for p in (raw / AGENCY / "2018").iterdir())
    withdrawn[0].unlink()
    params = load_params(tiny / "params")
    store.ingest(params, params.agency(AGENCY), raw, st)
    assert len(store.load(st, AGENCY, [2018, 2019]).ho_so) == 150  # 2019's only


def test_file_rewritten_in_place_within_a_clock_tick_is_read_afresh(copy):
    """The same inode and the old modification time (a file system with a coarse clock):
    the size, or the ingest metadata, still tells the memory it is stale."""
    _, st = copy
    assert len(store.load(st, AGENCY, [2019]).ho_so) == 150
    part = st / AGENCY / "ho_so" / "year=2019" / "part-0.parquet"
    before = part.stat()
    frame = pd.read_parquet(part)
    frame.iloc[:100].to_parquet(part, index=False)  # in place: same inode
    os.utime(part, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert part.stat().st_ino == before.st_ino and part.stat().st_mtime_ns == before.st_mtime_ns
    assert len(store.load(st, AGENCY, [2019]).ho_so) == 100
