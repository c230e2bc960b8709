"""A report's files beside its notebook: ``indicators.json``, ``tables.xlsx``,
``dossier_flow.csv`` and ``quality.xlsx``.

``write`` is the notebook's quiet last cell: it prints nothing onto the page. Every file is
written whole and is the same bytes for the same inputs (no clock time inside).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from ..atomic import write_bytes_atomic
from ..indicators import catalogue, dossiers
from ..indicators.official_form import CODES
from ..indicators.periods import Window
from ..indicators.tasks import STATE_LABELS
from ..text import checked_id
from . import export, official_form
from . import vnformat as vn

FLOW_COLUMNS = ("field", *dossiers.FLOW_CODES)


def flow_headers() -> list[str]:
    return ["Lĩnh vực", *[catalogue.label(f"dossiers.{c}") for c in dossiers.FLOW_CODES]]


def _report_dir(out_dir: str | Path, figures: dict[str, Any]) -> Path:
    d = Path(out_dir) / figures["period"] / checked_id(figures["agency"], "agency id")
    d.mkdir(parents=True, exist_ok=True)
    return d


def _write_json(d: Path, figures: dict[str, Any], about: dict[str, Any]) -> None:
    data = {**figures, "report": about}
    write_bytes_atomic(d / "indicators.json", (json.dumps(data, ensure_ascii=False, indent=2,
                                                          default=str) + "\n").encode("utf-8"))


def _window(figures: dict[str, Any]) -> Window:
    w = figures["window"]
    return Window(date.fromisoformat(w["start"]), date.fromisoformat(w["end"]))


def write(out_dir: str | Path, figures: dict[str, Any], about: dict[str, Any],
          flow: pd.DataFrame | None, states: pd.DataFrame, budget: pd.DataFrame,
          meta: dict[str, Any], form: pd.DataFrame | None = None, receiver: str = "") -> None:
    """Write the report's files under ``<out_dir>/<period>/<agency>/``. ``figures`` is
    ``values.report``; ``about`` describes the agency for the documents made from it;
    ``form`` (``official_form.form``) and ``receiver`` make the "Biểu 06" sheet."""
    d = _report_dir(out_dir, figures)
    _write_json(d, figures, about)
    table = dossiers.table(flow) if flow is not None and not flow.empty else None
    tables_workbook(d / "tables.xlsx", figures, about, table, states, budget, form, receiver)
    if table is not None:
        csv = table[list(FLOW_COLUMNS)].map(export.neutralise)
        csv.columns = flow_headers()
        write_bytes_atomic(d / "dossier_flow.csv", csv.to_csv(index=False).encode("utf-8-sig"))
    quality_workbook(d / "quality.xlsx", meta)


def _indicator_sheet(wb, figures: dict[str, Any], about: dict[str, Any]) -> None:
    ind = figures["indicators"]
    rows = pd.DataFrame([
        {"code": c, "name": catalogue.label(c, i.get("name")), "value": i["value"],
         "shown": vn.indicator(c, i["value"]), "numerator": i["numerator"],
         "denominator": i["denominator"], "target": i["target"],
         "met": {True: "Đạt", False: "Không đạt", None: ""}[i["met"]],
         "comparable": i["comparable"], "points": i.get("points"), "max": i.get("max")}
        for c, i in ind.items()])
    export.add_sheet(wb, "Chỉ số", rows, ["Mã", "Chỉ số", "Giá trị", "Hiển thị", "Tử số",
                                          "Mẫu số", "Chỉ tiêu", "Đánh giá", "Cùng kỳ",
                                          "Điểm (QĐ 766)", "Điểm tối đa"],
                     heading=f"{about.get('name', figures['agency'])} – {figures['period_label']}")


def tables_workbook(path: Path, figures: dict[str, Any], about: dict[str, Any],
                    table: pd.DataFrame | None, states: pd.DataFrame, budget: pd.DataFrame,
                    form: pd.DataFrame | None = None, receiver: str = "") -> None:
    wb = export.new_workbook()
    _indicator_sheet(wb, figures, about)
    w = figures["window"]
    span = f"{vn.day(pd.Timestamp(w['start']))} – {vn.day(pd.Timestamp(w['end']))}"
    if form is not None:
        official_form.add_sheet(wb, form, about.get("name", figures["agency"]), receiver,
                                _window(figures))
    if table is not None:
        export.add_sheet(wb, "Giải quyết TTHC", table[list(FLOW_COLUMNS)], flow_headers(),
                         heading=f"Tình hình, kết quả giải quyết TTHC – "
                                 f"{figures['period_label']} ({span})")
    if not states.empty:
        t = states[["task_id", "group", "task", "product", "lead", "deadline", "deadline_on",
                    "status", "completed_on", "evidence"]].copy()
        t["state"] = states["state"].map(STATE_LABELS)
        export.add_sheet(wb, "Nhiệm vụ", t, ["STT", "Nhóm", "Nhiệm vụ", "Sản phẩm", "Chủ trì",
                                             "Thời gian (văn bản)", "Hạn (ngày)", "Tiến độ",
                                             "Ngày hoàn thành", "Kết quả, văn bản",
                                             "Trạng thái tại cuối kỳ"])
    if not budget.empty:
        export.add_sheet(wb, "Kinh phí", budget, ["Nhiệm vụ chung", "Số nhiệm vụ", "Dự kiến (đ)",
                                                  "Đã thực hiện (đ)"],
                         number_formats={"planned_vnd": "#,##0", "spent_vnd": "#,##0"})
    export.save(wb, path)


CHILD_HEADS = {"name": "Cơ quan", "section": "Khối", "level": "Cấp", "rule": "Quy tắc chốt số liệu",
               "start": "Từ ngày", "end": "Đến ngày", "reported": "Đã có báo cáo",
               "status": "Tình trạng", **{f"dossiers.{c}": f"({n}) {catalogue.label('dossiers.' + c)}"
                                          for n, c in CODES.items()},
               "rate.on_time": "Tỷ lệ đã giải quyết đúng hạn", "index766.tien_do": "Tiến độ (QĐ 766)",
               "index766.points": "Điểm QĐ 766 (/100)",
               "index766.measured_max": "Tối đa đo được"}


def write_compiled(out_dir: str | Path, figures: dict[str, Any], about: dict[str, Any],
                   form: pd.DataFrame, receiver: str) -> None:
    """A parent's compiled report files (``indicators.rollup.report``): ``indicators.json``
    and ``tables.xlsx`` with the indicators, the compiled "Biểu 06" and a row per child."""
    d = _report_dir(out_dir, figures)
    _write_json(d, figures, about)
    wb = export.new_workbook()
    _indicator_sheet(wb, figures, about)
    official_form.add_sheet(wb, form, about.get("name", figures["agency"]), receiver,
                            _window(figures))
    rows = pd.DataFrame([{**r, "start": date.fromisoformat(r["window"]["start"]),
                          "end": date.fromisoformat(r["window"]["end"]),
                          "reported": "Có" if r["reported"] else "Chưa"}
                         for r in figures["tables"]["children"]])
    rows = rows.reindex(columns=list(CHILD_HEADS))
    export.add_sheet(wb, "Cơ quan trực thuộc", rows, list(CHILD_HEADS.values()))
    export.save(wb, d / "tables.xlsx")


ACCOUNTING_HEADS = {"file": "Tệp", "sheet": "Trang tính", "table": "Bảng",
                    "recognised_by": "Nhận bảng theo", "header_row": "Dòng tiêu đề",
                    "rows_total": "Số dòng của trang tính",
                    "rows_read": "Dòng dữ liệu đọc", "rows_accepted": "Dòng nhận",
                    "rows_rejected": "Dòng loại", "skipped_blank": "Dòng trống bỏ qua",
                    "skipped_total": "Dòng tổng bỏ qua", "skipped_footer": "Dòng chữ ký bỏ qua",
                    "skipped_numbering": "Dòng đánh số cột bỏ qua"}


def quality_workbook(path: Path, meta: dict[str, Any]) -> None:
    """Row accounting, rejected rows with reasons, and every issue (file, sheet, Excel
    row, column)."""
    wb = export.new_workbook()
    acc = pd.DataFrame(meta["accounting"], columns=list(ACCOUNTING_HEADS))
    export.add_sheet(wb, "Đối soát dòng", acc, list(ACCOUNTING_HEADS.values()))
    export.add_sheet(wb, "Dòng bị loại", pd.DataFrame(
        meta["rejected"], columns=["file", "sheet", "table", "row", "reason"]),
        ["Tệp", "Trang tính", "Bảng", "Dòng", "Lý do"])
    issues = pd.DataFrame(meta["issues"], columns=["file", "sheet", "row", "column", "field",
                                                   "severity", "message"])
    issues["severity"] = issues["severity"].map({"error": "Lỗi", "warning": "Cảnh báo"})
    export.add_sheet(wb, "Lỗi và cảnh báo", issues,
                     ["Tệp", "Trang tính", "Dòng", "Cột", "Trường", "Mức", "Nội dung"])
    export.save(wb, path)
