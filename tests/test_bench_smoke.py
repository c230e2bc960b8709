"""The read-speed benchmark's machinery on a tiny file: the readers agree; no timings asserted."""

from __future__ import annotations

import importlib.util
from datetime import date, datetime
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench" / "read_speed.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("read_speed", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readers_agree_cell_by_cell(bench, tmp_path):
    rows = bench.make_rows(300)
    assert len(rows) == 300
    path = bench.write_export(tmp_path / "ho_so.xlsx", rows)
    by_openpyxl = bench.read_openpyxl(path)
    by_calamine = bench.read_calamine(path)
    assert len(by_openpyxl) == len(by_calamine) == 301
    check = bench.compare(by_openpyxl, by_calamine)
    assert check["equal"], check["examples"]
    assert check["cells"] >= 301 * 14
    # the values are the generator's: first dossier, dates as dates, booleans as Có/Không
    first = [bench.normalise(v) for v in by_calamine[1]]
    assert first[0] == rows[0]["dossier_id"]
    assert first[6] == rows[0]["received_on"] and isinstance(first[6], date)
    assert first[13] in ("Có", "Không")


def test_compare_finds_a_difference(bench):
    a = [["x", datetime(2019, 1, 2), 3.0, ""]]
    assert bench.compare(a, [["x", date(2019, 1, 2), 3]])["equal"]
    diff = bench.compare(a, [["x", date(2019, 1, 3), 3]])
    assert not diff["equal"] and diff["mismatches"] == 1
    assert diff["examples"][0]["column"] == 2


def test_run_and_report(bench, tmp_path):
    res = bench.run(300, 1, tmp_path)
    assert res["values_equal"]
    assert res["ingest"]["rows_accepted"] == 300 and res["ingest"]["errors"] == 0
    assert set(res["seconds"]) == {"openpyxl", "calamine", "pandas_calamine", "pandas_openpyxl"}
    assert res["pandas_shapes"]["calamine"] == res["pandas_shapes"]["openpyxl"] == [300, 14]

    doc = tmp_path / "benchmarks.md"
    doc.write_text("# Benchmarks\n\n## Other section\n\nkept\n\n" + bench.HEADING
                   + "\n\nold figures\n\n## Later section\n\nalso kept\n", encoding="utf-8")
    bench.write_results(res, tmp_path / "results" / "read_speed.json", doc)
    text = doc.read_text(encoding="utf-8")
    assert "old figures" not in text and text.count(bench.HEADING) == 1
    assert "## Other section\n\nkept" in text and "## Later section\n\nalso kept" in text
    assert "faster than openpyxl" in text and "300 rows" in text
    assert (tmp_path / "results" / "read_speed.json").is_file()

    fresh = tmp_path / "new" / "benchmarks.md"
    bench.update_doc(fresh, bench.markdown(res))
    assert fresh.read_text(encoding="utf-8").startswith("# Benchmarks\n\n" + bench.HEADING)
