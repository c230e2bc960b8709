"""Write notebooks/*.ipynb from the cell lists below (clean: no outputs).

The notebooks are the source of truth once written; this script exists so that their
structure is reviewable as Python and can be regenerated after a deliberate change.
"""

from __future__ import annotations

import hashlib
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
from helpers.indicators import budget, dossiers, index766, official_form, rates, tasks, values
from helpers.indicators.periods import parse_period
from helpers.ingest import store
from helpers.params import load_params
from helpers.present import charts, narrative, outputs, tables
from helpers.present import index766 as index_tables
from helpers.present import official_form as form_tables

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
index_config = params.index766.model_dump()  # Chỉ số QĐ 766: params/index766.yml
figures = values.report(frames, p, a.rule, a.id, params.targets_for(a.id, p.year),
                        params.apportioned_targets(p.year), flow=flow, index_config=index_config)
ind = figures["indicators"]
'''),
    code("tables.cover(a.name, p, a.rule)"),
    md("## Tóm tắt kết quả"),
    md("_Phần tóm tắt được lập tự động từ số liệu của kỳ; văn bản trình ký do chuyên viên rà "
       "soát, bổ sung._", tags=SITE_ONLY),
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
    md("## 8. Chỉ số phục vụ người dân, doanh nghiệp (QĐ 766)"),
    code('''
#| tbl-cap: Điểm theo nhóm và chỉ số thành phần (Quyết định 766/QĐ-TTg)
index_tables.group_table(ind, index_config)
'''),
    code("index_tables.progress_note(ind)"),
    code("index_tables.channels_note(ind)"),
    md("### Những thủ tục làm mất nhiều điểm nhất"),
    code('''
# Mỗi chỉ số thành phần: 10 TTHC (hoặc nội dung phản ánh) có nhiều hồ sơ bị trừ điểm nhất
ratios = index766.measure(values.index_inputs(frames, window, p.year, flow))
index_tables.costs(index766.costs(ratios, ind, index_config), index_config)
'''),
    md("## Phụ lục: Biểu số 06/VPCP/KSTT", tags=APPENDIX),
    code('''
# Biểu số 06/VPCP/KSTT (Thông tư 01/2020/TT-VPCP). Các đẳng thức (3)=(4)+(5)+(6),
# (7)=(8)+(9)+(10), (11)=(12)+(13), (3)=(7)+(11) được kiểm tra trên từng dòng.
form = official_form.form(dossiers.table(flow))
receiver = form_tables.receiving_unit(params.parent_name(a) if a.parent or a.parent_name else None)
form_tables.markdown(form, a.name, receiver, window)
''', tags=APPENDIX),
    md("## Phụ lục: kết quả thực hiện các nhiệm vụ", tags=APPENDIX),
    code('''
#| tbl-cap: Kết quả thực hiện các nhiệm vụ của kế hoạch
tables.tasks_appendix(states)
''', tags=APPENDIX),
    md("## Chất lượng dữ liệu", tags=SITE_ONLY),
    code('''
# Cảnh báo về nhiệm vụ: ngày hoàn thành sau thời gian lấy số liệu, tiến độ trái với ngày văn bản
meta["issues"] = meta["issues"] + tasks.task_warnings(states, window.end)
tables.data_quality(meta)
''', tags=SITE_ONLY),
    md("## Tải về", tags=SITE_ONLY),
    code("tables.downloads()", tags=SITE_ONLY),
    code('''
# Ghi indicators.json, tables.xlsx, dossier_flow.csv, quality.xlsx (không in gì ra trang)
outputs.write(out_dir, figures, params.about(a, p.id), flow, states, by_area, meta, form,
              receiver)
'''),
]

COMPILED_REPORT = [
    code('''
# Tham số: papermill thay các giá trị này khi chạy theo lịch (cchc run), sau báo cáo của
# các cơ quan trực thuộc. Chạy tay: đọc các báo cáo trong reports/, ghi vào reports/_scratch/.
agency = "ubnd-tinh-dong-nai"
period = "2019-9M"
params_dir = "../params"
reports_dir = "../reports"
out_dir = "../reports/_scratch"
''', tags=["parameters"]),
    code('''
from helpers.indicators import official_form, rollup
from helpers.indicators.periods import parse_period
from helpers.params import load_params
from helpers.present import outputs, overview, tables
from helpers.present import index766 as index_tables
from helpers.present import official_form as form_tables
from helpers.present import rollup as rollup_tables

params = load_params(params_dir)
a = params.agency(agency)
p = parse_period(period)
index_config = params.index766.model_dump()
children = [{"id": c.id, "rule": c.rule, **params.about(c)} for c in params.children(a.id)]
reports = overview.load_reports(reports_dir, p.id, [c["id"] for c in children])
'''),
    code('''
# Cộng số liệu của các cơ quan trực thuộc từ indicators.json của từng cơ quan (không tính lại)
figures = rollup.report({"id": a.id, "rule": a.rule}, p, children, reports,
                        overview.run_status(reports_dir, p.id), index_config,
                        params.targets_for(a.id, p.year))
rows, ind = figures["tables"]["children"], figures["indicators"]
'''),
    code("rollup_tables.cover(a.name, p, a.rule, rows)"),
    code("rollup_tables.windows_note(a.rule, rows)"),
    md("## 1. Kết quả giải quyết TTHC của các cơ quan, đơn vị trực thuộc"),
    code('''
#| tbl-cap: Kết quả chính của từng cơ quan, đơn vị
rollup_tables.children_table(rows)
'''),
    code("index_tables.progress_note(ind)"),
    md("## 2. Xếp hạng Chỉ số phục vụ người dân, doanh nghiệp (QĐ 766)"),
    code('''
#| tbl-cap: Các cơ quan, đơn vị trực thuộc theo Chỉ số phục vụ người dân, doanh nghiệp
rollup_tables.ranking(rollup.ranking(rows), index_config)
'''),
    md("### Chỉ số của toàn khối (tử số, mẫu số cộng từ các cơ quan)"),
    code('''
#| tbl-cap: Điểm theo nhóm và chỉ số thành phần, tử số và mẫu số cộng từ các cơ quan
index_tables.group_table(ind, index_config)
'''),
    md("## 3. Cơ quan, đơn vị chưa có báo cáo trong kỳ"),
    code("rollup_tables.missing(rows)"),
    md("## Phụ lục: Biểu số 06/VPCP/KSTT tổng hợp", tags=APPENDIX),
    code('''
# Biểu 06 tổng hợp: một dòng mỗi cơ quan (dòng tổng của biểu của cơ quan), theo khối;
# các đẳng thức của biểu được kiểm tra trên từng dòng
form = official_form.sectioned(rollup.form_sections(rows))
receiver = form_tables.receiving_unit(params.parent_name(a) if a.parent or a.parent_name else None)
form_tables.markdown(form, a.name, receiver, p.window(a.rule))
''', tags=APPENDIX),
    md("## Tải về", tags=SITE_ONLY),
    code('tables.downloads(("tables.xlsx", "indicators.json"))', tags=SITE_ONLY),
    code('''
# Ghi indicators.json và tables.xlsx (không in gì ra trang)
outputs.write_compiled(out_dir, figures, params.about(a, p.id), form, receiver)
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
# mỗi cơ quan; parent chỉ giữ khi là mã một cơ quan đã khai báo (cơ quan tổng hợp)
agencies = [{"id": x.id, "rule": x.rule, **params.about(x),
             "parent": x.parent if x.parent in params.agencies else None}
            for x in params.agencies.values()]
reports = overview.load_reports(reports_dir, p.id, list(params.agencies))
status = overview.run_status(reports_dir, p.id)
Md(f"# Kết quả CCHC các cơ quan – {p.label}\\n\\n"
   f"{len(reports)}/{len(params.agencies)} cơ quan có báo cáo trong kỳ.")
'''),
    md("## Báo cáo tổng hợp theo cơ quan cấp trên"),
    code("overview.parents(agencies, reports, status, p)"),
    md("## Cơ quan chưa có cơ quan tổng hợp"),
    code("overview.unparented(agencies, reports, status, p)"),
    code('''
# Ghi overview.json (không in gì ra trang)
overview.write(out_dir, p.id, agencies, reports)
'''),
]


def write(name: str, cells: list) -> None:
    nb = new_notebook(cells=cells)
    seen: set[str] = set()
    for i, cell in enumerate(nb.cells):  # ids from content: regenerating changes what changed
        digest = hashlib.sha1(f"{name}:{cell.cell_type}:{cell.source}".encode()).hexdigest()[:8]
        cell.id = digest if digest not in seen else f"{digest}-{i}"
        seen.add(cell.id)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    path = ROOT / "notebooks" / name
    nbformat.write(nb, path)
    print(path)


if __name__ == "__main__":
    write("agency_report.ipynb", AGENCY_REPORT)
    write("compiled_report.ipynb", COMPILED_REPORT)
    write("province_overview.ipynb", PROVINCE_OVERVIEW)
