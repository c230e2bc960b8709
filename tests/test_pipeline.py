"""End to end: the notebook executed by papermill on the sample data, and the run command.

The TP. HCM figures come from its real 2019 progress report (seeds/): "09 hồ sơ trễ
hạn/6981 tổng số hồ sơ tiếp nhận (chiếm 0.13%)", "07 thư xin lỗi/09 hồ sơ trễ hạn (đạt
77.78%)", "3198 lượt “Hài lòng”/3199 lượt đánh giá (99.97%)" with 1311 web, 437 kiosk and
1451 paper ratings, and 35 of 70 procedures online against 18 in 2018 (+94,4%).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import nbformat
import pytest
from conftest import HCM, ROOT, cchc

pytestmark = pytest.mark.slow


def _ind(out, period, agency):
    return json.loads((out / period / agency / "indicators.json").read_text(encoding="utf-8"))


def test_hcm_indicators_reproduce_the_progress_report(hcm_run):
    d = _ind(hcm_run, "2019-10M", HCM)
    i = d["indicators"]
    assert d["agency"] == HCM and d["period"] == "2019-10M" and d["rule"] == "decree09"
    # Nghị định 09: 15th of the month before the period to the 14th of its last month
    assert d["window"] == {"start": "2018-12-15", "end": "2019-10-14"}
    assert i["dossiers.received_total"]["value"] == 6981
    assert i["dossiers.resolved_late"]["value"] == 9
    late = i["rate.late_of_received"]
    assert (late["numerator"], late["denominator"]) == (9, 6981)
    assert round(late["value"] * 100, 2) == 0.13  # 9/6981 = 0,1289…%
    ap = i["rate.apology"]
    assert (ap["numerator"], ap["denominator"]) == (7, 9)
    assert round(ap["value"] * 100, 2) == 77.78  # 7/9 = 77,777…%
    s = i["rate.satisfaction"]
    assert (s["numerator"], s["denominator"]) == (3198, 3199)
    assert round(s["value"] * 100, 2) == 99.97  # 3198/3199 = 99,968…%
    assert i["ratings.cong_trang_thong_tin"]["value"] == 1311
    assert i["ratings.quay_kiosk"]["value"] == 437
    assert i["ratings.phieu_khao_sat"]["value"] == 1451
    assert i["rate.satisfaction.cong_trang_thong_tin"]["numerator"] == 1310
    o = i["rate.online_procedures"]
    assert (o["numerator"], o["denominator"], o["value"]) == (35, 70, 0.5)
    g = i["growth.online_procedures"]
    assert (g["numerator"], g["denominator"]) == (35, 18)
    assert round(g["value"] * 100, 1) == 94.4  # (35 − 18)/18 = 94,44…%
    # every indicator has the spec's fields
    for code, item in i.items():
        assert set(item) >= {"value", "numerator", "denominator", "target", "met",
                             "comparable"}, code
    # the dossier table's total row is the indicators' figures, and the identity holds
    rows = d["tables"]["dossier_flow"]
    assert rows[-1]["field"] == "Tổng cộng"
    assert rows[-1]["dossiers.received_total"] == 6981
    for row in rows:
        assert row["dossiers.received_total"] == (row["dossiers.resolved_total"]
                                                  + row["dossiers.pending_total"])
    assert sum(r["dossiers.received_total"] for r in rows[:-1]) == 6981


def test_executed_notebook_has_no_errors_and_manifest_traces_inputs(hcm_run):
    nb = nbformat.read(hcm_run / "2019-10M" / HCM / "report.ipynb", as_version=4)
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            assert out["output_type"] != "error", cell.source
            assert not (out["output_type"] == "stream" and out["name"] == "stderr"), out["text"]
    params_cell = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert '"2019-10M"' in params_cell.source
    m = json.loads((hcm_run / "2019-10M" / "manifest.json").read_text(encoding="utf-8"))
    entry = m["agencies"][HCM]
    assert entry["status"] == "ok"
    assert entry["parameters"] == {"agency": HCM, "period": "2019-10M"}
    files = entry["inputs"]
    assert set(files) == {f"{HCM}/2018/du_lieu_cchc_2018.xlsx", f"{HCM}/2019/du_lieu_cchc_2019.xlsx"}
    from helpers.atomic import sha256_file

    for rel, digest in files.items():
        assert digest == sha256_file(ROOT / "data" / "raw" / rel)
    assert m["versions"]["pandas"] and m["versions"]["papermill"]
    assert entry["outputs"]["indicators.json"] == sha256_file(
        hcm_run / "2019-10M" / HCM / "indicators.json")


def test_rerun_skips_unchanged_agency_and_says_nothing_to_do(hcm_run):
    proc = cchc("run", "--period", "2019-10M", "--agency", HCM, "--out", str(hcm_run))
    assert proc.returncode == 3, proc.stdout + proc.stderr  # nothing to do
    m = json.loads((hcm_run / "2019-10M" / "manifest.json").read_text(encoding="utf-8"))
    assert m["agencies"][HCM]["status_last_run"] == "skipped"
    assert "không đổi" in m["agencies"][HCM]["reason"]


def test_plain_papermill_cli_runs_the_notebook(tmp_path):
    out = tmp_path / "reports"
    nb_out = tmp_path / "run.ipynb"
    proc = subprocess.run(
        [sys.executable, "-m", "papermill", str(ROOT / "notebooks" / "agency_report.ipynb"),
         str(nb_out), "-p", "agency", "so-vhttdl-hau-giang", "-p", "period", "2019-Q3",
         "-p", "data_dir", str(ROOT / "data"), "-p", "params_dir", str(ROOT / "params"),
         "-p", "out_dir", str(out), "--cwd", str(ROOT / "notebooks")],
        capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    d = _ind(out, "2019-Q3", "so-vhttdl-hau-giang")
    # Hậu Giang uses calendar months: Quý III = 01/07–30/09
    assert d["window"] == {"start": "2019-07-01", "end": "2019-09-30"}
    flow = d["tables"]["dossier_flow"][-1]
    assert flow["dossiers.received_total"] == d["indicators"]["dossiers.received_total"]["value"]


def test_agency_without_data_is_reported_not_rendered_empty(tmp_path):
    proc = cchc("run", "--period", "2016-Q1", "--agency", HCM, "--out", str(tmp_path))
    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert "không có dữ liệu" in proc.stdout
    assert not (tmp_path / "2016-Q1" / HCM).exists()


def test_one_failing_agency_does_not_stop_the_others(tiny, tmp_path):
    """A cell that fails for one agency: the others finish, the summary names the cell."""
    nb_path = tiny / "notebooks" / "agency_report.ipynb"
    work = tmp_path / "proj"
    shutil.copytree(tiny, work)
    nb = nbformat.read(nb_path, as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell(
        'if agency == "xa-binh-an":\n    raise RuntimeError("hỏng có chủ ý")'))
    nbformat.write(nb, work / "notebooks" / "agency_report.ipynb")
    proc = cchc("run", "--period", "2019-9M", "--out", str(tmp_path / "out"), "--jobs", "2",
                cwd=work)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert 'tại ô 4 (`if agency == "xa-binh-an":`)' in proc.stdout  # after papermill's cell
    assert "hỏng có chủ ý" in proc.stdout
    assert (tmp_path / "out" / "2019-9M" / "xa-an-binh" / "indicators.json").is_file()
    assert not (tmp_path / "out" / "2019-9M" / "xa-binh-an").exists()
    m = json.loads((tmp_path / "out" / "2019-9M" / "manifest.json").read_text(encoding="utf-8"))
    assert m["agencies"]["xa-binh-an"]["status"] == "failed"
    assert m["agencies"]["xa-an-binh"]["status"] == "ok"


def test_notebooks_run_top_to_bottom_with_their_defaults(tmp_path):
    """As an analyst would in JupyterLab: open the notebook, run all, default parameters,
    on the sample data (in a copy of the repository's layout)."""
    from nbclient import NotebookClient

    for d in ("notebooks", "data", "params"):
        shutil.copytree(ROOT / d, tmp_path / d)
    for name in ("agency_report.ipynb", "province_overview.ipynb"):
        nb = nbformat.read(tmp_path / "notebooks" / name, as_version=4)
        NotebookClient(nb, timeout=300, resources={"metadata": {"path": str(tmp_path / "notebooks")}}
                       ).execute()
        errors = [o for c in nb.cells for o in c.get("outputs", []) if o["output_type"] == "error"]
        assert errors == [], name
    # run by hand, the notebooks write under reports/_scratch, never over a scheduled run
    d = _ind(tmp_path / "reports" / "_scratch", "2019-9M", HCM)
    assert d["window"] == {"start": "2018-12-15", "end": "2019-09-14"}
    assert (tmp_path / "reports" / "_scratch" / "2019-9M" / "overview.json").is_file()
    assert not (tmp_path / "reports" / "2019-9M").exists()


def test_bad_export_stops_that_agency_and_leaves_no_report(tiny, tmp_path):
    """One agency's export gains a bad row: its report is not produced (no figures from
    part of the data), the refused attempt's quality.xlsx (under _failed/) names the row,
    the other agencies are done."""
    from openpyxl import load_workbook

    work = tmp_path / "proj"
    shutil.copytree(tiny, work)
    bad = work / "data" / "raw" / "xa-an-binh" / "2019" / "ho_so_bo_sung_2019.csv"
    bad.write_text("Mã hồ sơ;Mã thủ tục;Lĩnh vực;Hình thức nộp;Ngày tiếp nhận;Ngày hẹn trả;"
                   "Ngày có kết quả\n"
                   "BS-1;1.000001;Tôn giáo;Trực tiếp;05/03/2019;12/03/2019;\n"
                   "BS-2;1.000001;Tôn giáo;Trực tiếp;31/02/2019;12/03/2019;\n", encoding="utf-8")
    out = tmp_path / "out"
    proc = cchc("run", "--period", "2019-9M", "--out", str(out), cwd=work)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "LỖI DỮ LIỆU" in proc.stdout and "ho_so_bo_sung_2019.csv, dòng 3" in proc.stdout
    assert not (out / "2019-9M" / "xa-an-binh").exists()  # no report, not even a partial one
    attempt = out / "2019-9M" / "_failed" / "xa-an-binh" / "quality.xlsx"
    assert f"xem {attempt}" in proc.stdout
    wb = load_workbook(attempt)
    rejected = [r for r in wb["Dòng bị loại"].iter_rows(min_row=2, values_only=True)]
    assert ("xa-an-binh/2019/ho_so_bo_sung_2019.csv", None, "ho_so", 3) in [r[:4] for r in rejected]
    for other in ("xa-binh-an", "xa-tan-hoa"):
        assert (out / "2019-9M" / other / "indicators.json").is_file()
    check = cchc("check", "--agency", "xa-an-binh", cwd=work)
    assert check.returncode == 1 and "dòng 3" in check.stdout and "Traceback" not in check.stderr


def test_row_accounting_holds_on_the_sample_data():
    from helpers.ingest.agency import read_agency
    from helpers.ingest.mappings import for_agency
    from helpers.params import load_params

    params = load_params(ROOT / "params")
    raw = ROOT / "data" / "raw"
    total = 0
    for a in params.agencies.values():
        if params.children(a.id):
            continue  # a declared parent: compiled from its children's reports, no exports
        inputs = read_agency(a.id, raw / a.id, mapping=for_agency(params, a), root=raw)
        assert inputs.errors == [], [str(i) for i in inputs.errors[:3]]
        for r in inputs.reads:
            assert r.rows_read == r.rows_accepted + r.rows_rejected, r.file
            total += r.rows_read
        # personal columns were found and dropped in every dossier export
        assert any(r.dropped_personal for r in inputs.reads if r.table.code == "ho_so")
        for r in inputs.reads:
            assert not ({"Họ tên người nộp", "Email"} & set(r.frame.columns))
    assert total > 40_000
