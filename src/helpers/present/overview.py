"""The period's overview (the period page's body): the agencies of a period, grouped by
the body that compiles their reports, never ranked across provinces or cut-off rules.

A declared parent (``parent`` naming an agency of ``params/agencies.yml``) has its own
compiled report, where its children are summed into the official form and ranked by the
national index; the overview links to it and lists the children under it. An agency with
no declared parent is listed under its province and cut-off rule, with its window, and is
not ranked: there is no body here that compiles it with others.

Reads the agencies' ``indicators.json`` (never recomputes), so it shows exactly what the
reports show.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..atomic import write_bytes_atomic
from ..indicators.periods import Period
from . import vnformat as vn
from .markdown import Md, escape

Reports = dict[str, dict[str, Any]]
Agencies = list[dict[str, Any]]  # id, rule, parent (a declared id or None), name, short_name, province
RULES = {"decree09": "Nghị định 09/2019/NĐ-CP", "calendar": "tháng dương lịch"}


def load_reports(out: str | Path, period: str, agencies: list[str]) -> Reports:
    """The ``indicators.json`` of each agency that has one for the period."""
    found = {}
    for aid in agencies:
        path = Path(out) / period / aid / "indicators.json"
        if path.is_file():
            found[aid] = json.loads(path.read_text(encoding="utf-8"))
    return found


def run_status(out: str | Path, period: str) -> dict[str, str]:
    """Each agency's status in the period's run manifest, in words."""
    path = Path(out) / period / "manifest.json"
    if not path.is_file():
        return {}
    m = json.loads(path.read_text(encoding="utf-8"))
    return {a: STATUS_WORDS.get(v.get("status"), str(v.get("status")))
            for a, v in (m.get("agencies") or {}).items()}


STATUS_WORDS = {"ok": "đã có báo cáo", "failed": "lỗi khi lập báo cáo",
                "input_error": "lỗi dữ liệu đầu vào", "no_data": "không có dữ liệu trong kỳ"}
# a report in place although the last run failed: the earlier run's, kept and marked
NOT_UPDATED = {STATUS_WORDS["failed"], STATUS_WORDS["input_error"]}


def _line(a: dict[str, Any], reports: Reports, status: dict[str, str], period: Period) -> str:
    """An agency's line: its report (linked) or why it has none, and its data window."""
    w = period.window(a["rule"])
    name = escape(a["short_name"])
    said = status.get(a["id"], "chưa có báo cáo")
    shown = (f"[{name}]({a['id']}/report.html)" if a["id"] in reports
             else f"{name}: {escape(said)}")
    if a["id"] in reports and said in NOT_UPDATED:
        shown += f" · **số liệu kỳ này chưa cập nhật ({said})**"
    return f"{shown} (số liệu từ {vn.day(w.start)} đến {vn.day(w.end)}, {RULES[a['rule']]})"


def parents(agencies: Agencies, reports: Reports, status: dict[str, str], period: Period) -> Md:
    """Each declared parent: its compiled report and its children under it."""
    by_id = {a["id"]: a for a in agencies}
    heads = sorted({a["parent"] for a in agencies if a.get("parent") in by_id})
    if not heads:
        return Md("_Chưa khai báo cơ quan tổng hợp nào (khóa `parent` trong "
                  "params/agencies.yml ghi mã của một cơ quan đã khai báo)._")
    out = []
    for pid in heads:
        kids = [a for a in agencies if a.get("parent") == pid]
        done = sum(1 for a in kids if a["id"] in reports)
        out.append(f"- **{_line(by_id[pid], reports, status, period)}**: báo cáo tổng hợp "
                   f"{done}/{len(kids)} cơ quan trực thuộc")
        out += [f"    - {_line(a, reports, status, period)}" for a in kids]
    return Md("\n".join(out))


def unparented(agencies: Agencies, reports: Reports, status: dict[str, str], period: Period
               ) -> Md:
    """Agencies no declared parent compiles: per province, with their windows; unranked."""
    heads = {a.get("parent") for a in agencies}
    alone = [a for a in agencies if not a.get("parent") and a["id"] not in heads]
    if not alone:
        return Md("Mọi cơ quan đều thuộc một báo cáo tổng hợp.")
    out = []
    for province in sorted({a.get("province") or "" for a in alone}):
        out.append(f"- {escape(province or '(không ghi tỉnh)')}")
        out += [f"    - {_line(a, reports, status, period)}" for a in alone
                if (a.get("province") or "") == province]
    return Md("\n".join(out) + "\n\nCác cơ quan này không được xếp hạng chung với nhau (khác "
              "tỉnh, khác quy tắc chốt số liệu): xếp hạng theo Chỉ số phục vụ người dân, doanh "
              "nghiệp có trong báo cáo tổng hợp của cơ quan cấp trên, khi cơ quan đó được khai "
              "báo.")


def write(out: str | Path, period: str, agencies: Agencies, reports: Reports) -> None:
    """``overview.json`` beside the period's reports (quiet: prints nothing): per parent its
    children, and the agencies without one, with whether each has a report."""
    ids = {a["id"] for a in agencies}
    data = {"period": period,
            "parents": {p: [a["id"] for a in agencies if a.get("parent") == p]
                        for p in sorted({a.get("parent") for a in agencies} & ids)},
            "reported": sorted(a for a in reports if a in ids)}
    write_bytes_atomic(Path(out) / period / "overview.json",
                       (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
