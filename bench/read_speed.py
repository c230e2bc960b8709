"""Reading Excel: openpyxl against python-calamine, on a large one-stop-shop export.

Generates a ``ho_so`` export with the seeded generator (``sample/synthetic.py``), writes it
with openpyxl in write-only mode (a plain sheet ``ho_so``, spec headers in row 1, real
dates, "Có"/"Không" booleans), then times reading it back:

- openpyxl: ``load_workbook(read_only=True, data_only=True)``, iterating the rows;
- python-calamine: ``CalamineWorkbook.from_path(...).get_sheet_by_name(...).to_python()``;
- pandas ``read_excel`` with ``engine="calamine"`` and ``engine="openpyxl"``;

best of 3 (``--quick``: one run each), checks that openpyxl and calamine return the same
values cell by cell, and times ``helpers.ingest.agency.read_agency`` on the same file against
calamine's raw read in the same run (their ratio is the ingestion figure). Results go
to ``bench/results/read_speed.json`` and to the section "Reading Excel: openpyxl vs
python-calamine" of ``docs/benchmarks.md`` (other sections of that file are left alone).

    .venv/bin/python bench/read_speed.py [--rows 200000] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "sample"))  # the seeded generator lives outside the package
RESULTS = ROOT / "bench" / "results" / "read_speed.json"
DOC = ROOT / "docs" / "benchmarks.md"
HEADING = "## Reading Excel: openpyxl vs python-calamine"
SHEET = "ho_so"
YEAR = 2019
AGENCY = "bench-agency"


# ---------------------------------------------------------------- data

def make_rows(rows: int) -> list[dict[str, object]]:
    """``rows`` dossiers of one synthetic agency (seeded: the same rows every run)."""
    import synthetic

    shape = synthetic.AgencyShape(
        "so-bench-tinh-mau", "Tỉnh mẫu", synthetic.FIELDS_VHTT, {YEAR: rows}, {YEAR: (70, 24)},
        {YEAR: 0.2}, style="per_table_xlsx", text_dates=False)
    procs = synthetic.procedures(shape, YEAR)
    return synthetic.dossiers(shape, YEAR, procs, count=rows)


def _excel_value(value: object) -> object:
    if isinstance(value, bool):
        return "Có" if value else "Không"
    return value


def write_export(path: Path, rows: list[dict[str, object]]) -> Path:
    """A plain ``ho_so`` sheet: spec headers in row 1, one dossier per row."""
    from openpyxl import Workbook

    from helpers.ingest.spec import TABLES

    fields = TABLES[SHEET].fields
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET)
    ws.append([f.header for f in fields])
    for r in rows:
        ws.append([_excel_value(r.get(f.name)) for f in fields])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


# ---------------------------------------------------------------- readers

def read_openpyxl(path: Path) -> list[list[object]]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        return [list(row) for row in wb[SHEET].iter_rows(values_only=True)]
    finally:
        wb.close()


def read_calamine(path: Path) -> list[list[object]]:
    from python_calamine import CalamineWorkbook

    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(SHEET).to_python()


def read_pandas(path: Path, engine: str):
    import pandas as pd

    return pd.read_excel(path, sheet_name=SHEET, engine=engine)


# ---------------------------------------------------------------- comparison

def normalise(value: object) -> object:
    """One form per value: midnight datetimes as dates, whole floats as ints, "" as None."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def compare(a: list[list[object]], b: list[list[object]], limit: int = 10) -> dict[str, object]:
    """Cell-by-cell comparison after ``normalise``; trailing empty cells do not count."""
    examples: list[dict[str, object]] = []
    cells = mismatches = 0
    for i in range(max(len(a), len(b))):
        ra = a[i] if i < len(a) else []
        rb = b[i] if i < len(b) else []
        for j in range(max(len(ra), len(rb))):
            va = normalise(ra[j] if j < len(ra) else None)
            vb = normalise(rb[j] if j < len(rb) else None)
            cells += 1
            if va != vb or type(va) is not type(vb):
                mismatches += 1
                if len(examples) < limit:
                    examples.append({"row": i + 1, "column": j + 1, "a": repr(va), "b": repr(vb)})
    return {"equal": mismatches == 0, "cells": cells, "rows": [len(a), len(b)],
            "mismatches": mismatches, "examples": examples}


# ---------------------------------------------------------------- timing

def best_of(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    """The fastest of ``repeat`` runs (seconds) and the last result."""
    best, result = float("inf"), None
    for _ in range(max(repeat, 1)):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def ingest_time(path: Path, workdir: Path, repeat: int = 1) -> dict[str, object]:
    """``read_agency`` on the export, placed as data/raw/<agency>/<year>/ho_so.xlsx, against
    calamine's raw read of the same file in the same run: the two are timed in turns
    (calamine, ingestion, calamine, …), best of ``repeat`` each, so a busy machine slows
    both alike. The ratio ingestion / raw read is the figure (goal: at most 2, i.e.
    ingestion at 50% or more of the reader's speed)."""
    from helpers.ingest.agency import read_agency

    raw = workdir / "raw"
    target = raw / AGENCY / str(YEAR) / "ho_so.xlsx"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, target)
    read_agency(AGENCY, raw / AGENCY, root=raw)  # imports and caches warm, as in a worker
    best_raw = best_ingest = float("inf")
    inputs = None
    for _ in range(max(repeat, 1)):
        t0 = time.perf_counter()
        read_calamine(target)
        best_raw = min(best_raw, time.perf_counter() - t0)
        t0 = time.perf_counter()
        inputs = read_agency(AGENCY, raw / AGENCY, root=raw)
        best_ingest = min(best_ingest, time.perf_counter() - t0)
    accepted = sum(r.rows_accepted for r in inputs.reads)
    read = sum(r.rows_read for r in inputs.reads)
    return {"seconds": best_ingest, "calamine_seconds": best_raw,
            "ratio_to_calamine": best_ingest / best_raw,
            "rows_read": read, "rows_accepted": accepted, "errors": len(inputs.errors),
            "unaccounted": len(inputs.unaccounted()), "repeat": max(repeat, 1),
            "seconds_per_100k_rows": best_ingest / read * 100_000 if read else None}


def machine() -> dict[str, object]:
    return {"cpu_count": os.cpu_count(), "platform": platform.platform(),
            "machine": platform.machine(), "python": platform.python_version(),
            "versions": {p: version(p) for p in ("openpyxl", "python-calamine", "pandas")}}


def run(rows: int, repeat: int, workdir: Path, ingest: bool = True) -> dict[str, object]:
    """Generate, write, read four ways, compare and (optionally) ingest; returns the results."""
    t0 = time.perf_counter()
    data = make_rows(rows)
    generate_s = time.perf_counter() - t0
    path = workdir / "ho_so_bench.xlsx"
    t0 = time.perf_counter()
    write_export(path, data)
    write_s = time.perf_counter() - t0
    del data

    timings: dict[str, float] = {}
    timings["openpyxl"], by_openpyxl = best_of(lambda: read_openpyxl(path), repeat)
    timings["calamine"], by_calamine = best_of(lambda: read_calamine(path), repeat)
    check = compare(by_openpyxl, by_calamine)
    del by_openpyxl, by_calamine
    timings["pandas_calamine"], df_c = best_of(lambda: read_pandas(path, "calamine"), repeat)
    timings["pandas_openpyxl"], df_o = best_of(lambda: read_pandas(path, "openpyxl"), repeat)
    pandas_shapes = {"calamine": list(df_c.shape), "openpyxl": list(df_o.shape)}
    del df_c, df_o

    base = timings["openpyxl"]
    result: dict[str, object] = {
        "benchmark": "read_speed", "rows": rows, "repeat": repeat,
        "generated_at": datetime.now().isoformat(timespec="seconds"),
        "machine": machine(), "file_bytes": path.stat().st_size,
        "generate_seconds": generate_s, "write_seconds": write_s,
        "seconds": timings,
        "speedup_vs_openpyxl": {k: base / v for k, v in timings.items()},
        "pandas_calamine_vs_pandas_openpyxl": timings["pandas_openpyxl"] / timings["pandas_calamine"],
        "values_equal": check["equal"], "comparison": check, "pandas_shapes": pandas_shapes,
    }
    if ingest:
        result["ingest"] = ingest_time(path, workdir, repeat)
    return result


# ---------------------------------------------------------------- report

LABELS = {"openpyxl": "openpyxl (read-only, iterating rows)",
          "calamine": "python-calamine (`to_python()`)",
          "pandas_calamine": "pandas `read_excel(engine=\"calamine\")`",
          "pandas_openpyxl": "pandas `read_excel(engine=\"openpyxl\")`"}


def _num(x: float, digits: int = 2) -> str:
    return f"{x:,.{digits}f}"


def markdown(res: dict[str, object]) -> str:
    m = res["machine"]
    sec, speed = res["seconds"], res["speedup_vs_openpyxl"]
    v = m["versions"]
    lines = [
        HEADING, "",
        f"One `ho_so` sheet of **{res['rows']:,} rows** × 14 columns "
        f"({res['file_bytes'] / 1e6:.1f} MB), generated with `sample/synthetic.py` and written by "
        "openpyxl in write-only mode (real dates, \"Có\"/\"Không\"). Best of "
        f"{res['repeat']} run(s) with `time.perf_counter`, file in the OS cache. Machine: "
        f"{m['cpu_count']} CPUs, {m['platform']}, Python {m['python']}; openpyxl {v['openpyxl']}, "
        f"python-calamine {v['python-calamine']}, pandas {v['pandas']}. "
        f"Run {res['generated_at']}; regenerate with `.venv/bin/python bench/read_speed.py`.",
        "",
        "| reader | seconds | vs openpyxl |",
        "|---|---:|---:|",
    ]
    for key in ("openpyxl", "calamine", "pandas_calamine", "pandas_openpyxl"):
        ratio = speed[key]
        rel = "1.0× (baseline)" if key == "openpyxl" else (
            f"{ratio:.1f}× faster" if ratio >= 1 else f"{1 / ratio:.1f}× slower")
        lines.append(f"| {LABELS[key]} | {_num(sec[key])} | {rel} |")
    lines += [
        "",
        f"- python-calamine reads the sheet **{speed['calamine']:.1f}× faster than openpyxl**; "
        f"through pandas, `engine=\"calamine\"` is "
        f"{res['pandas_calamine_vs_pandas_openpyxl']:.1f}× faster than `engine=\"openpyxl\"`.",
        "- Values: openpyxl and calamine return "
        + ("the same value in every cell" if res["values_equal"] else "**different values**")
        + f" ({res['comparison']['cells']:,} cells compared, after treating a midnight datetime "
          "as a date and a whole float as an int).",
    ]
    ing = res.get("ingest")
    if ing:
        ratio = ing["ratio_to_calamine"]
        lines += [
            "",
            "### Ingestion against the reader",
            "",
            "`helpers.ingest.agency.read_agency` (calamine read, header detection, column-wise "
            "parsing of each distinct value, row rules, duplicate checks, row accounting) on the "
            "same file, timed in turns with calamine's raw read (`from_path` + "
            "`get_sheet_by_name` + `to_python`), best of "
            f"{ing['repeat']} each, after one warm-up ingestion:",
            "",
            "| step | seconds | per 100 000 rows |",
            "|---|---:|---:|",
            f"| python-calamine raw read | {_num(ing['calamine_seconds'])} | "
            f"{_num(ing['calamine_seconds'] / ing['rows_read'] * 100_000)} |",
            f"| ingestion (`read_agency`) | {_num(ing['seconds'])} | "
            f"{_num(ing['seconds_per_100k_rows'])} |",
            "",
            f"- **Ingestion / raw read = {ratio:.2f}**: ingestion runs at "
            f"**{100 / ratio:.0f}% of calamine's raw read speed** (goal: at least 50%, a ratio of "
            f"at most 2) — {'met' if ratio <= 2 else 'missed'}. {ing['rows_accepted']:,} rows "
            f"accepted, {ing['errors']} errors, {ing['unaccounted']} accounting errors.",
        ]
    lines.append(f"- Writing the file (openpyxl write-only) took {_num(res['write_seconds'], 1)} s.")
    return "\n".join(lines) + "\n"


def replace_section(text: str, section: str) -> str:
    """``text`` with the section under ``HEADING`` (up to the next ``## `` heading) replaced
    by ``section``, or ``section`` appended when there is none."""
    lines = text.splitlines(keepends=True)
    start = next((i for i, ln in enumerate(lines) if ln.rstrip() == HEADING), None)
    if start is None:
        sep = "" if not text or text.endswith("\n\n") else ("\n" if text.endswith("\n") else "\n\n")
        return text + sep + section
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    tail = "".join(lines[end:])
    return "".join(lines[:start]) + section + ("\n" + tail if tail else "")


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)  # mkstemp makes 0600 files; give the usual mode
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def update_doc(doc: Path, section: str) -> None:
    existing = doc.read_text(encoding="utf-8") if doc.exists() else "# Benchmarks\n\n"
    _write_atomic(doc, replace_section(existing, section))


def write_results(res: dict[str, object], json_path: Path, doc: Path) -> None:
    _write_atomic(json_path, json.dumps(res, ensure_ascii=False, indent=2) + "\n")
    update_doc(doc, markdown(res))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=3, help="runs per reader, best kept")
    ap.add_argument("--quick", action="store_true", help="one run per reader")
    ap.add_argument("--no-ingest", action="store_true", help="skip the read_agency timing")
    ap.add_argument("--json", type=Path, default=RESULTS)
    ap.add_argument("--doc", type=Path, default=DOC)
    args = ap.parse_args(argv)
    repeat = 1 if args.quick else args.repeat
    with tempfile.TemporaryDirectory(prefix="read-speed-") as tmp:
        res = run(args.rows, repeat, Path(tmp), ingest=not args.no_ingest)
    write_results(res, args.json, args.doc)
    print(markdown(res))
    print(f"written: {args.json} and {args.doc}")
    if not res["values_equal"]:
        print("openpyxl and calamine disagree:", json.dumps(res["comparison"]["examples"],
                                                           ensure_ascii=False), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
