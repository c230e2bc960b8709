"""Write notebooks/*.ipynb from the cell lists below (clean: no outputs).

The notebooks are the source of truth once written; this script exists so that their
structure is reviewable as Python and can be regenerated after a deliberate change.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parent.parent


def md(text: str):
    return new_markdown_cell(text.strip())


def code(text: str, tags: list[str] | None = None):
    cell = new_code_cell(text.strip())
    if tags:
        cell.metadata["tags"] = tags
    return cell


AGENCY_REPORT = [
    code('''
# Tham số: papermill thay các giá trị này khi chạy theo lịch (cchc run)
agency = "so-vhtt-tphcm"
period = "2019-9M"
data_dir = "../data"
params_dir = "../params"
out_dir = "../reports"
store_dir = ""
''', tags=["parameters"]),
    code('''
from helpers import report

r = report.build(agency, period, data_dir=data_dir, params_dir=params_dir,
                 out_dir=out_dir, store_dir=store_dir or None)
r.cover()
'''),
    md("## Tóm tắt kết quả"),
    code("r.summary()"),
    code("r.headline_table()"),
    md("## 1. Tình hình tiếp nhận và giải quyết thủ tục hành chính"),
    code("r.dossier_table()"),
    code("r.chart_on_time()"),
    md("## 2. Dịch vụ công trực tuyến, bưu chính công ích và số hóa"),
    code("r.online_text()"),
    code("r.chart_channels()"),
    code("r.unit_targets_table()"),
    md("## 3. Mức độ hài lòng của người dân, doanh nghiệp"),
    code("r.satisfaction_table()"),
    code("r.chart_satisfaction()"),
    md("## 4. Tiếp nhận, xử lý phản ánh, kiến nghị"),
    code("r.feedback_text()"),
    md("## 5. Tiến độ thực hiện nhiệm vụ của kế hoạch CCHC"),
    code("r.tasks_summary()"),
    code("r.chart_tasks()"),
    code("r.tasks_by_lead()"),
    md("## 6. Kinh phí thực hiện"),
    code("r.budget_table()"),
    md("## 7. Chỉ số tự đánh giá"),
    code("r.self_assessed_table()"),
    md("## Phụ lục: kết quả thực hiện các nhiệm vụ"),
    code("r.tasks_appendix()"),
    md("## Chất lượng dữ liệu"),
    code("r.quality_section()"),
    md("## Tải về"),
    code("r.save()"),
    code("r.downloads()"),
]

PROVINCE_OVERVIEW = [
    code('''
# Tham số: papermill thay các giá trị này khi chạy theo lịch (cchc run)
period = "2019-9M"
params_dir = "../params"
out_dir = "../reports"
''', tags=["parameters"]),
    code('''
from helpers import overview

o = overview.build(period, params_dir=params_dir, out_dir=out_dir)
o.heading()
'''),
    md("## Xếp hạng theo điểm tổng hợp"),
    code("o.ranking_table()"),
    code("o.score_note()"),
    md("## Chỉ số chính của từng cơ quan so với chỉ tiêu"),
    code("o.headline_table()"),
    code("o.chart_on_time()"),
    md("## Cơ quan chưa có báo cáo trong kỳ"),
    code("o.missing()"),
    code("o.save()"),
]


def write(name: str, cells: list) -> None:
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    path = ROOT / "notebooks" / name
    nbformat.write(nb, path)
    print(path)


if __name__ == "__main__":
    write("agency_report.ipynb", AGENCY_REPORT)
    write("province_overview.ipynb", PROVINCE_OVERVIEW)
