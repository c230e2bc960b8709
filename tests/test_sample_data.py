"""The bundled sample tells the truth about its seeds, through the real command.

TP. Hồ Chí Minh 2019: the appendix of Báo cáo 4317/BC-SVHTT (seeds/
bao-cao-tien-do-cchc-2019-so-vhtt-tphcm.txt) has no status column and no completion
dates; its "Ghi chú" holds the evidence and, for 11 tasks, a status phrase. The report's
self-assessed figures: "Tỷ lệ Lãnh đạo Sở sử dụng thư điện tử đạt 100%, tỷ lệ công chức …
đạt trên 91,5%" (task 35), "59 TTHC thực hiện dịch vụ … bưu chính công ích" (task 12),
"Tổng số TTHC được công khai tại Sở gồm 79 thủ tục" (task 13), "Cử hơn 98 lượt công chức,
viên chức" (task 22).

Sở Nội vụ Đồng Nai 2022 (seeds/ke-hoach-cchc-2022-so-noi-vu-dong-nai.txt), Phụ lục II:
127 procedures in five lĩnh vực (CCVC 5, TCCQ 44, TĐKT 22, VTLT 3, tín ngưỡng tôn giáo 53);
"102/127 TTHC" online apportioned 5·80% = 4, 44·80% = 35, 22·80% = 18, 3·80% = 2,
53·80% = 43; "62/102" apportioned 4·60% = 3, 35·60% = 21, 18·60% = 11, 2·60% = 1,
43·60% = 26. By the apportionment rule (floor, then the largest remainders): 80% of 127 =
101,6 → 102; floors 4+35+17+2+42 = 100; remainders ,0 ,2 ,6 ,4 ,4 → TĐKT (,6), then the
tie at ,4 to the larger unit, Tôn giáo. 60% of 102 = 61,2 → 62; floors 2+21+10+1+25 = 59;
remainders ,4 ,0 ,8 ,2 ,8 → TĐKT, Tôn giáo (,8), CCVC (,4).
"""

from __future__ import annotations

import json

import nbformat
import pytest
from conftest import HCM, cchc
from openpyxl import load_workbook

pytestmark = pytest.mark.slow

NV = "so-noi-vu-dong-nai"


def _ind(out, period, agency):
    return json.loads((out / period / agency / "indicators.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def nv_runs(tmp_path_factory):
    out = tmp_path_factory.mktemp("nv") / "reports"
    for period in ("2022-FY", "2019-FY"):
        cchc("run", "--period", period, "--agency", NV, "--out", str(out), "--jobs", "1",
             check=True)
    return out


def test_hcm_10m_shows_the_appendix_statuses(hcm_run):
    i = _ind(hcm_run, "2019-10M", HCM)["indicators"]
    # worked in tests/test_tasks.py (HCM_10M): 8 done, task 8 done late (its Kế hoạch of
    # 12/03/2019 after "Tháng 01 năm 2019"), 14 continuing, 19 in progress, none overdue
    got = {k: i[f"tasks.{k}"]["value"] for k in ("total", "done", "done_late", "overdue",
                                                 "in_progress", "not_started", "continuing")}
    assert got == {"total": 42, "done": 8, "done_late": 1, "overdue": 0, "in_progress": 19,
                   "not_started": 0, "continuing": 14}
    # due by 14/10/2019: tasks 1, 7, 8; all three done → 3/3
    r = i["rate.tasks_done"]
    assert (r["numerator"], r["denominator"]) == (3, 3)
    ws = load_workbook(hcm_run / "2019-10M" / HCM / "tables.xlsx")["Nhiệm vụ"]
    head = [c.value for c in ws[1]]
    rows = {r[0]: dict(zip(head, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["7"]["Trạng thái tại cuối kỳ"] == "Hoàn thành"
    assert f"{rows['7']['Ngày hoàn thành']:%d/%m/%Y}" == "08/01/2019"
    # the status as written, beside the state it gives
    assert rows["10"]["Tiến độ"] == "Đang thực hiện đúng tiến độ"
    assert rows["10"]["Trạng thái tại cuối kỳ"] == "Đang thực hiện"
    assert rows["30"]["Tiến độ"] == "Thực hiện thường xuyên, đúng quy định"


def test_hcm_10m_shows_the_reports_self_assessed_figures(hcm_run):
    i = _ind(hcm_run, "2019-10M", HCM)["indicators"]
    assert i["self.email_lanh_dao"]["value"] == 100
    assert i["self.email_cong_chuc"]["value"] == 91.5
    assert i["self.tthc_buu_chinh"]["value"] == 59
    assert i["self.tthc_cong_khai"]["value"] == 79
    assert i["self.dao_tao"]["value"] == 98
    nb = nbformat.read(hcm_run / "2019-10M" / HCM / "report.ipynb", as_version=4)
    text = "\n".join(o.get("data", {}).get("text/markdown", "") for c in nb.cells
                     for o in c.get("outputs", []))
    assert "Tổng số TTHC được công khai tại Sở" in text
    # the data-quality section says there is nothing to warn of in the tasks
    assert "Không có cảnh báo khi đọc dữ liệu." in text


def test_noi_vu_2022_per_unit_targets_reproduce_phu_luc_ii(nv_runs):
    d = _ind(nv_runs, "2022-FY", NV)
    rows = {r["unit"]: r for r in d["tables"]["targets_by_unit"]}
    order = ("CCVC", "TCCQ", "TDKT", "VTLT", "BTG")
    assert set(rows) == set(order)  # every procedure has its unit: none "(chưa xác định)"
    assert [rows[u]["procedures"] for u in order] == [5, 44, 22, 3, 53]
    assert [rows[u]["procedures.online.required"] for u in order] == [4, 35, 18, 2, 43]
    assert sum(rows[u]["procedures.online.required"] for u in order) == 102
    assert [rows[u]["procedures.online_full.required"] for u in order] == [3, 21, 11, 1, 26]
    assert sum(rows[u]["procedures.online_full.required"] for u in order) == 62
    i = d["indicators"]
    assert i["procedures.total"]["value"] == 127
    # 82/127 online when the plan was written (Phụ lục II): the 2021 catalogue
    assert i["procedures.online"]["comparable"] == 82
    assert i["tasks.total"]["value"] == 28  # the rows of Phụ lục I


def test_noi_vu_has_no_tasks_where_it_has_no_plan(nv_runs):
    i = _ind(nv_runs, "2019-FY", NV)["indicators"]
    assert not any(k.startswith("tasks.") for k in i) and "rate.tasks_done" not in i
    assert i["dossiers.received_total"]["value"] > 0  # the year still has its dossiers
    nb = nbformat.read(nv_runs / "2019-FY" / NV / "report.ipynb", as_version=4)
    text = "\n".join(o.get("data", {}).get("text/markdown", "") for c in nb.cells
                     for o in c.get("outputs", []))
    assert "Không có dữ liệu nhiệm vụ" in text


def test_check_with_a_period_warns_of_tasks_after_its_window():
    # 2019-9M ends 14/09/2019 for TP. HCM; task 11's Tờ trình 4012 is of 26/09/2019 and
    # it is the 11th task, on Excel row 15 (header on row 4)
    proc = cchc("check", "--agency", HCM, "--period", "2019-9M")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = [ln for ln in proc.stdout.splitlines() if "nhiệm vụ 11" in ln]
    assert len(lines) == 1
    assert "dòng 15" in lines[0] and "26/09/2019" in lines[0] and "14/09/2019" in lines[0]
    assert "1 cảnh báo" in proc.stdout
    # 2019-10M ends 14/10/2019: nothing to warn of
    proc = cchc("check", "--agency", HCM, "--period", "2019-10M")
    assert proc.returncode == 0 and "0 cảnh báo" in proc.stdout.splitlines()[-1]
    bad = cchc("check", "--agency", HCM, "--period", "2019-Q5")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
