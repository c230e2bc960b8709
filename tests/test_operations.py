"""Operations: interrupted runs resume without half-written reports, one run per period,
`--period previous`, and the Dask executor on a LocalCluster bound to loopback."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import cchc

pytestmark = pytest.mark.slow
AGENCIES = {"xa-an-binh", "xa-binh-an", "xa-tan-hoa"}
OUTPUTS = {"report.ipynb", "indicators.json", "tables.xlsx", "dossier_flow.csv", "quality.xlsx"}


def manifest(out: Path, period: str = "2019-9M") -> dict:
    path = out / period / "manifest.json"
    if not path.is_file():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError:  # being replaced right now: read again later
        return {}


def report_dirs(out: Path, period: str = "2019-9M") -> list[Path]:
    return [d for d in (out / period).iterdir() if d.is_dir() and d.name in AGENCIES]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL],
                         ids=["SIGINT", "SIGTERM", "SIGKILL"])
def test_killed_run_leaves_no_half_report_and_resumes(tiny, tmp_path, sig):
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "helpers.cli", "run", "--period", "2019-9M",
                             "--out", str(out), "--jobs", "1"], cwd=tiny,
                            start_new_session=True, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    deadline = time.monotonic() + 180
    done: set[str] = set()
    while time.monotonic() < deadline and not done:
        done = {a for a, e in manifest(out).get("agencies", {}).items() if e["status"] == "ok"}
        time.sleep(0.05)
    assert done, "the first agency never finished"
    os.killpg(proc.pid, sig)
    proc.wait(timeout=60)
    assert proc.returncode != 0
    # whatever is in place is whole
    for d in report_dirs(out):
        assert OUTPUTS <= {p.name for p in d.iterdir()}, d
    before = {a for a, e in manifest(out).get("agencies", {}).items() if e["status"] == "ok"}
    assert 1 <= len(before) < len(AGENCIES), "the kill came too late to test anything"
    assert {d.name for d in report_dirs(out)} == before
    # a new run finishes the rest and skips what was done
    again = cchc("run", "--period", "2019-9M", "--out", str(out), "--jobs", "1", cwd=tiny)
    assert again.returncode == 0, again.stdout + again.stderr
    m = manifest(out)["agencies"]
    assert {a for a, e in m.items() if e["status"] == "ok"} == AGENCIES
    for a in before:
        assert m[a]["status_last_run"] == "skipped"
    assert not (out / "2019-9M" / ".staging").exists()
    for d in report_dirs(out):
        assert OUTPUTS <= {p.name for p in d.iterdir()}


def test_second_run_on_the_same_period_refuses_naming_the_owner(tiny, tmp_path):
    from helpers.run.lock import period_lock

    out = tmp_path / "out"
    with period_lock(out / "2019-9M"):
        proc = cchc("run", "--period", "2019-9M", "--out", str(out), cwd=tiny)
    assert proc.returncode == 1
    assert f"pid {os.getpid()}" in proc.stderr and "--wait" in proc.stderr


def test_lock_of_a_killed_run_is_taken_over(tiny, tmp_path):
    out = tmp_path / "out"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; "
         "from helpers.run.lock import period_lock\n"
         f"with period_lock(Path({str(out / '2019-9M')!r})):\n"
         "    print('held', flush=True); time.sleep(600)"],
        stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    busy = cchc("run", "--period", "2019-9M", "--agency", "xa-an-binh", "--out", str(out),
                cwd=tiny)
    assert busy.returncode == 1 and f"pid {holder.pid}" in busy.stderr
    holder.kill()
    holder.wait()
    ok = cchc("run", "--period", "2019-9M", "--agency", "xa-an-binh", "--out", str(out),
              cwd=tiny)
    assert ok.returncode == 0, ok.stdout + ok.stderr


def test_period_previous_resolves_under_the_cut_off_rule(tiny, tmp_path):
    """Run on 16/09/2019 under decree09, the report that has just closed is 2019-9M
    (window 15/12/2018–14/09/2019); on 14/09/2019 it is still 2019-H1."""
    out = tmp_path / "out"
    proc = cchc("run", "--period", "previous", "--agency", "xa-binh-an", "--out", str(out),
                cwd=tiny, env={"CCHC_TODAY": "2019-09-16"})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Kỳ 2019-9M" in proc.stdout
    assert (out / "2019-9M" / "xa-binh-an" / "indicators.json").is_file()
    early = cchc("run", "--period", "previous", "--agency", "xa-binh-an", "--out", str(out),
                 cwd=tiny, env={"CCHC_TODAY": "2019-09-14"})
    assert "Kỳ 2019-H1" in early.stdout


def test_dask_local_cluster_runs_three_agencies(tiny, tmp_path):
    from distributed import LocalCluster

    out = tmp_path / "out"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        proc = cchc("run", "--period", "2019-9M", "--out", str(out), "--executor", "dask",
                    "--scheduler", cluster.scheduler_address, cwd=tiny)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    m = manifest(out)["agencies"]
    assert {a for a, e in m.items() if e["status"] == "ok"} == AGENCIES
    for a in AGENCIES:
        d = json.loads((out / "2019-9M" / a / "indicators.json").read_text(encoding="utf-8"))
        assert d["agency"] == a and d["period"] == "2019-9M"
    assert (out / "2019-9M" / "overview.ipynb").is_file()
