"""Write notebooks/*.ipynb from the cell lists below (clean: no outputs).

The notebooks are the source of truth once written; this script exists so that their
structure is reviewable as Python and can be regenerated after a deliberate change.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parent.parent


def md(text: str, tags: list[str] | None = None):
    cell = new_markdown_cell(text.strip())
    if tags:
        cell.metadata["tags"] = tags
    return cell


# Cell tags publishing honours: ``appendix`` goes into the signed report's appendix section
# (after the signature; landscape when wide), ``site-only`` stays on the site and out of the
# PDF and DOCX (data quality, hashes, downloads).
APPENDIX, SITE_ONLY = ["appendix"], ["site-only"]


def code(text: str, tags: list[str] | None = None):
    cell = new_code_cell(text.strip())
    if tags:
        cell.metadata["tags"] = tags
    return cell


AGENCY_REPORT = [
    code('''
# Tham số: papermill thay các giá trị này khi chạy theo lịch (cchc run).
# Chạy tay với giá trị mặc định, kết quả ghi vào reports/_scratch/, không đè báo cáo đã lập.
agency = "so-vhtt-tphcm"
period = "2019-9M"
data_dir = "../data"
params_dir = "../params"
out_dir = "../reports/_scratch"
store_dir = ""
''', tags=["parameters"]),
    code('''
from helpers.indicators import budget, dossiers, rates, tasks, values
from helpers.indicators.periods import parse_period
from helpers.ingest import store
from helpers.params import load_params
from helpers.present import charts, narrative, outputs, tables

params = load_params(params_dir)
a = params.agency(agency)
p = parse_period(period)
window, comparable = p.window(a.rule), p.comparable.window(a.rule)
frames, meta = store.frames(params, a, p.years_needed(a.rule), comparable.start,
                            data_dir, store_dir, scratch_dir=out_dir)
'''),
    code('''
# Hồ sơ của kỳ, mỗi dòng một hồ sơ với ô của nó trong bảng chính thức.
# Lọc ở đây (theo lĩnh vực, đơn vị, thủ tục …): bảng, biểu đồ và chỉ số phía dưới theo bộ lọc.
flow = dossiers.flow(frames.ho_so, window)
figures = values.report(frames, p, a.rule, a.id, params.targets_for(a.id, p.year),
                        params.apportioned_targets(p.year), flow=flow)
ind = figures["indicators"]
'''),
    code("tables.cover(a.name, p, a.rule)"),
    md("## Tóm tắt kết quả"),
    code('''
by_channel = rates.satisfaction_by_channel(frames.danh_gia, window)
narrative.summary(ind, a.short_name, p, window, by_channel)
'''),
    code("tables.headline(ind, p)"),
    md("## 1. Tình hình tiếp nhận và giải quyết thủ tục hành chính"),
    code('''
#| tbl-cap: Tình hình, kết quả giải quyết TTHC theo lĩnh vực
tables.dossier_flow(flow)
'''),
    code('''
#| fig-cap: Tỷ lệ giải quyết đúng hạn theo lĩnh vực
charts.on_time(flow, target=ind.get("rate.on_time", {}).get("target"))
'''),
    md("## 2. Dịch vụ công trực tuyến, bưu chính công ích và số hóa"),
    code("narrative.online(ind, p)"),
    code('''
#| fig-cap: Hồ sơ mới tiếp nhận theo hình thức nộp
charts.channels(ind, p.label, p.comparable.label)
'''),
    code('''
#| tbl-cap: Chỉ tiêu TTHC trực tuyến phân bổ cho các đơn vị
tables.unit_targets(figures["tables"].get("targets_by_unit"), params.apportioned_targets(p.year),
                    {u.code: u.name for u in a.units})
'''),
    md("## 3. Mức độ hài lòng của người dân, doanh nghiệp"),
    code('''
#| tbl-cap: Đánh giá sự hài lòng theo kênh
tables.satisfaction(by_channel)
'''),
    code('''
#| fig-cap: Tỷ lệ hài lòng theo kênh đánh giá
charts.satisfaction(by_channel, target=ind.get("rate.satisfaction", {}).get("target"))
'''),
    md("## 4. Tiếp nhận, xử lý phản ánh, kiến nghị"),
    code("narrative.feedback(ind)"),
    md("## 5. Tiến độ thực hiện nhiệm vụ của kế hoạch CCHC"),
    code('''
#| tbl-cap: Tiến độ nhiệm vụ theo nhóm, tính đến ngày cuối kỳ
states = tasks.task_states(values.of_year(frames.nhiem_vu, p.year), window.end, p.year)
tables.tasks_by_group(states)
'''),
    code('''
#| fig-cap: Tiến độ nhiệm vụ theo nhóm
charts.tasks(tasks.summary_by(states, "group"))
'''),
    code('''
#| tbl-cap: Tiến độ nhiệm vụ theo đơn vị chủ trì
tables.tasks_by_lead(states)
'''),
    md("## 6. Kinh phí thực hiện"),
    code('''
#| tbl-cap: Dự toán và thực hiện kinh phí theo nhiệm vụ chung
by_area = budget.by_area(values.of_year(frames.kinh_phi, p.year))
tables.budget(by_area)
'''),
    md("## 7. Chỉ số tự đánh giá"),
    code("tables.self_assessed(ind)"),
    md("## Phụ lục: kết quả thực hiện các nhiệm vụ", tags=APPENDIX),
    code('''
#| tbl-cap: Kết quả thực hiện các nhiệm vụ của kế hoạch
tables.tasks_appendix(states)
''', tags=APPENDIX),
    md("## Chất lượng dữ liệu", tags=SITE_ONLY),
    code("tables.data_quality(meta)", tags=SITE_ONLY),
    md("## Tải về", tags=SITE_ONLY),
    code("tables.downloads()", tags=SITE_ONLY),
    code('''
# Ghi indicators.json, tables.xlsx, dossier_flow.csv, quality.xlsx (không in gì ra trang)
outputs.write(out_dir, figures, params.about(a, p.id), flow, states, by_area, meta)
'''),
]

PROVINCE_OVERVIEW = [
    code('''
# Tham số: papermill thay các giá trị này khi chạy theo lịch (cchc run).
# Chạy tay: đọc các báo cáo trong reports/, ghi overview.json vào reports/_scratch/.
period = "2019-9M"
params_dir = "../params"
reports_dir = "../reports"
out_dir = "../reports/_scratch"
''', tags=["parameters"]),
    code('''
from helpers.indicators.periods import parse_period
from helpers.params import load_params
from helpers.present import overview
from helpers.present.markdown import Md

params = load_params(params_dir)
p = parse_period(period)
names = {a.id: a.short_name for a in params.agencies.values()}
reports = overview.load_reports(reports_dir, p.id, list(params.agencies))
Md(f"# Tổng hợp kết quả CCHC các cơ quan – {p.label}\\n\\n"
   f"{len(reports)}/{len(params.agencies)} cơ quan có báo cáo trong kỳ.")
'''),
    md("## Xếp hạng theo điểm tổng hợp"),
    code("overview.ranking(reports, params.score.model_dump(), names)"),
    md("## Chỉ số chính của từng cơ quan so với chỉ tiêu"),
    code("overview.headline(reports, names)"),
    code('''
#| fig-cap: Tỷ lệ giải quyết đúng hạn theo cơ quan
overview.chart_on_time(reports, names, params.targets_for("", p.year).get("rate.on_time"))
'''),
    md("## Cơ quan chưa có báo cáo trong kỳ"),
    code("overview.missing(list(params.agencies), reports, overview.run_status(reports_dir, p.id), names)"),
    code('''
# Ghi overview.json (không in gì ra trang)
overview.write(out_dir, p.id, reports, params.score.model_dump())
'''),
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
