"""Seeded synthetic exports: the bundled sample data and the benchmark province.

Dossiers, ratings and feedback are generated (a fixed seed per agency and year) with the
messiness of real exports: title rows and merged cells above the header, text dates,
Có/Không and "x" booleans, and personal-data columns filled with invented names and ID
numbers that ingestion must drop. Plan tasks come from the seed documents transcribed in
``sample/plans/``: a progress report's statuses and evidence as written, a plan's progress
generated. Budgets are transcribed where a seed gives amounts, else invented. TP. Hồ Chí
Minh's 2019 data is shaped so that period 2019-10M reproduces the figures of its real
progress report; Sở Nội vụ Đồng Nai's catalogue has the lĩnh vực and sizes of its 2022
plan's Phụ lục II, each lĩnh vực handled by the unit the appendix assigns it.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from helpers.indicators.tasks import resolve_deadline

FIELDS_VHTT = ("Văn hóa cơ sở", "Gia đình", "Thể thao", "Di sản văn hóa",
               "Nghệ thuật biểu diễn", "Mỹ thuật, nhiếp ảnh và triển lãm",
               "Xuất nhập khẩu văn hóa phẩm", "Quảng cáo")
FIELDS_DL = ("Du lịch", "Lữ hành", "Cơ sở lưu trú du lịch")
FIELDS_NV = ("Tổ chức hành chính, sự nghiệp nhà nước", "Công chức, viên chức",
             "Thi đua, khen thưởng", "Tôn giáo", "Văn thư, lưu trữ", "Chính quyền địa phương",
             "Tổ chức phi chính phủ")
# Sở Nội vụ Đồng Nai, Kế hoạch CCHC 2022, Phụ lục II: lĩnh vực as written, number of
# procedures, and the unit (params/agencies.yml) that handles them
NV_2022_FIELDS = {"Lĩnh vực thuộc phòng CCVC": (5, "CCVC"),
                  "Lĩnh vực thuộc Phòng TCCQ": (44, "TCCQ"),
                  "Lĩnh vực TĐKT": (22, "TDKT"),
                  "Lĩnh vực VTLT": (3, "VTLT"),
                  "Lĩnh vực tín ngưỡng, tôn giáo": (53, "BTG")}
SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
            "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý")
MIDDLE = ("Văn", "Thị", "Minh", "Ngọc", "Hữu", "Thanh", "Quốc", "Đức", "Hoài", "Kim")
GIVEN = ("An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hùng", "Khánh", "Lan",
         "Linh", "Long", "Mai", "Nam", "Nga", "Phong", "Phúc", "Quân", "Sơn", "Tâm", "Thảo",
         "Trang", "Trung", "Tuấn", "Vân", "Yến")
STREETS = ("Lê Lợi", "Nguyễn Huệ", "Hai Bà Trưng", "Trần Hưng Đạo", "Cách Mạng Tháng Tám",
           "Phạm Văn Thuận", "Đồng Khởi", "Võ Thị Sáu", "3 Tháng 2", "Hùng Vương")
RATING_CHANNELS = ("Cổng/Trang thông tin", "Quầy/Kiosk", "Phiếu khảo sát", "Zalo/SMS")


@dataclass
class AgencyShape:
    """How one synthetic agency's exports look and how big they are."""

    id: str
    province: str
    fields: tuple[str, ...]
    dossiers_per_year: dict[int, int]
    procedures_per_year: dict[int, tuple[int, int]]  # year → (total, online)
    online_share: dict[int, float]
    style: str = "per_table_xlsx"  # per_table_xlsx | one_workbook | csv_semicolon | igate
    text_dates: bool = True
    plans: dict[int, str] = field(default_factory=dict)  # year → sample/plans csv name
    budget: dict[int, str] = field(default_factory=dict)
    late_share: float = 0.01
    units: tuple[str, ...] = ("VP", "QLVH", "QLTT")
    # lĩnh vực → (number of procedures, handling unit): a catalogue of given sizes whose
    # dossiers go to their lĩnh vực's unit (else fields take turns and units are drawn)
    field_units: dict[str, tuple[int, str]] = field(default_factory=dict)

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted(self.dossiers_per_year))


SAMPLE_AGENCIES = (
    AgencyShape("so-vhttdl-dong-nai", "Đồng Nai", FIELDS_VHTT[:6] + FIELDS_DL,
                {2018: 3600, 2019: 4200}, {2018: (92, 14), 2019: (95, 31)},
                {2018: 0.08, 2019: 0.19}, style="per_table_xlsx",
                plans={2018: "so-vhttdl-dong-nai-2019.csv", 2019: "so-vhttdl-dong-nai-2019.csv"},
                budget={2018: "so-vhttdl-dong-nai-2019-budget.csv",
                        2019: "so-vhttdl-dong-nai-2019-budget.csv"},
                late_share=0.012, units=("VP", "QLVH", "QLTDTT", "QLDL")),
    AgencyShape("so-vhttdl-hau-giang", "Hậu Giang", FIELDS_VHTT[:4] + FIELDS_DL[:2],
                {2018: 1900, 2019: 2300}, {2018: (80, 10), 2019: (82, 24)},
                {2018: 0.05, 2019: 0.14}, style="csv_semicolon",
                plans={2018: "so-vhttdl-hau-giang.csv", 2019: "so-vhttdl-hau-giang.csv"},
                late_share=0.02, units=("VP", "QLVH", "QLDL")),
    AgencyShape("so-vhtt-tphcm", "TP. Hồ Chí Minh", FIELDS_VHTT,
                {2018: 7600, 2019: 9000}, {2018: (70, 18), 2019: (70, 35)},
                {2018: 0.10, 2019: 0.22}, style="one_workbook", text_dates=False,
                plans={2018: "so-vhtt-tphcm-nd61-2018.csv", 2019: "so-vhtt-tphcm-2019.csv"},
                late_share=0.0, units=("VP", "QLVH", "QLTDTT", "QLNT", "KTVHP")),
    # plan tasks only for 2022, the one year with a real plan; 82 of 127 procedures online
    # at the plan's writing (Phụ lục II) is the 2021 catalogue, the other counts are made up
    AgencyShape("so-noi-vu-dong-nai", "Đồng Nai", tuple(NV_2022_FIELDS),
                {2018: 2800, 2019: 3100, 2021: 3300, 2022: 3600},
                {2018: (127, 20), 2019: (127, 46), 2021: (127, 82), 2022: (127, 104)},
                {2018: 0.06, 2019: 0.17, 2021: 0.3, 2022: 0.4}, style="igate",
                plans={2022: "so-noi-vu-dong-nai-2022.csv"}, late_share=0.008,
                units=tuple(u for _, u in NV_2022_FIELDS.values()), field_units=NV_2022_FIELDS),
)

# TP. Hồ Chí Minh, period 2019-10M (decree09: 15/12/2018 – 14/10/2019): the progress report
HCM_2019 = {"received_total": 6981, "late": 9, "apology": 7,
            "ratings": {"Cổng/Trang thông tin": (1311, 1310), "Quầy/Kiosk": (437, 437),
                        "Phiếu khảo sát": (1451, 1451)},
            "ratings_window": (date(2018, 12, 15), date(2019, 9, 8))}


def _person(rng: random.Random) -> dict[str, str]:
    name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    return {
        "Họ tên người nộp": name,
        "Số CCCD/CMND": f"0{rng.randint(10, 99)}{rng.randint(100000000, 999999999)}",
        "Địa chỉ": f"{rng.randint(1, 300)} {rng.choice(STREETS)}",
        "Số điện thoại": f"09{rng.randint(10000000, 99999999)}",
        "Email": f"nguoinop{rng.randint(1000, 99999)}@example.vn",
    }


def _rand_day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


def procedures(shape: AgencyShape, year: int) -> list[dict[str, object]]:
    rng = random.Random(f"{shape.id}/thu_tuc")  # the same codes every year
    total, online = shape.procedures_per_year[year]
    most = max(shape.procedures_per_year.values())[0]
    codes = [f"{rng.randint(1, 2)}.{n:06d}" for n in rng.sample(range(1000, 9999), most)]
    rows = []
    yr = random.Random(f"{shape.id}/thu_tuc/{year}")
    online_idx = set(yr.sample(range(total), online))
    sized = [f for f, (n, _) in shape.field_units.items() for _ in range(n)]
    for i in range(total):
        f = sized[i] if sized else shape.fields[i % len(shape.fields)]
        name = f"TTHC số {i + 1} – {f}" if sized else f"Thủ tục {f.lower()} số {i + 1}"
        level = ("Toàn trình" if yr.random() < 0.3 else "Một phần") if i in online_idx else "Không"
        rows.append({"procedure_code": codes[i], "procedure_name": name,
                     "field": f, "online_level": level, "postal": yr.random() < 0.8,
                     "published": yr.random() < 0.97, "sample_dossier": yr.random() < 0.6})
    return rows


def dossiers(shape: AgencyShape, year: int, procs: list[dict[str, object]],
             count: int | None = None, late_share: float | None = None,
             start: date | None = None, end: date | None = None, prefix: str = "",
             seed: str = "") -> list[dict[str, object]]:
    """Dossiers received between ``start`` and ``end`` (default: the year)."""
    rng = random.Random(f"{shape.id}/ho_so/{year}/{seed}")
    start = start or date(year, 1, 1)
    end = end or date(year, 12, 31)
    n = count if count is not None else shape.dossiers_per_year[year]
    late_share = shape.late_share if late_share is None else late_share
    rows = []
    for i in range(n):
        p = rng.choice(procs)
        if shape.field_units and i < len(procs):  # every procedure has its dossiers
            p = procs[i]
        received = _rand_day(rng, start, end)
        online_ok = p["online_level"] != "Không"
        r = rng.random()
        channel = ("Trực tuyến" if online_ok and r < shape.online_share[year] * 2.2 else
                   "Bưu chính công ích" if r > 0.96 else "Trực tiếp")
        due = received + timedelta(days=rng.choice((3, 5, 7, 10, 12, 15, 20)))
        status = "Đã giải quyết"
        u = rng.random()
        if u < late_share:
            resolved = due + timedelta(days=rng.randint(1, 6))
        elif u < 0.80:
            resolved = received + timedelta(days=rng.randint(0, max((due - received).days - 1, 0)))
        else:
            resolved = due
        if rng.random() < 0.006:
            status = rng.choice(("Rút hồ sơ", "Từ chối"))
            resolved = received + timedelta(days=rng.randint(0, 3))
        if resolved > date(year, 12, 31) and rng.random() < 0.5:
            resolved, status = None, "Đang giải quyết"
        late = resolved is not None and resolved > due
        fee = rng.random() < 0.7
        unit = rng.choice(shape.units)
        if shape.field_units:
            unit = shape.field_units[str(p["field"])][1]
        rows.append({
            "dossier_id": f"{prefix}{shape.id.split('-')[1].upper()}-{year}-{i + 1:06d}",
            "procedure_code": p["procedure_code"], "procedure_name": p["procedure_name"],
            "field": p["field"], "unit": unit, "channel": channel,
            "received_on": received, "due_on": due, "resolved_on": resolved, "status": status,
            "apology_sent": late and rng.random() < 0.7,
            "paid_online": (channel == "Trực tuyến" and rng.random() < 0.6) if fee else None,
            "digitized": rng.random() < (0.55 if year >= 2019 else 0.3),
            "e_result": rng.random() < (0.35 if year >= 2019 else 0.15),
            **_person(rng),
        })
    return rows


def shape_hcm_2019(rows_2018: list[dict], rows_2019: list[dict]) -> None:
    """Make TP. HCM's 2019-10M window hold exactly the report's figures (in place)."""
    s, e = date(2018, 12, 15), date(2019, 10, 14)
    withdrawn = ("Rút hồ sơ", "Từ chối")

    def in_table(d: dict) -> bool:
        return d["received_on"] <= e and not (d["resolved_on"] is not None
                                              and d["resolved_on"] < s)

    # nothing resolved late inside the window except the 9 we plant
    for d in rows_2018 + rows_2019:
        if d["resolved_on"] is not None and s <= d["resolved_on"] <= e and \
                d["resolved_on"] > d["due_on"]:
            d["resolved_on"] = d["due_on"]
        d["apology_sent"] = False
    counted = [d for d in rows_2018 + rows_2019 if in_table(d) and d["status"] not in withdrawn]
    excess = len(counted) - HCM_2019["received_total"]
    if excess < 0:
        raise ValueError("not enough 2019 dossiers to shape TP. HCM's window")
    # drop surplus dossiers received inside the window in 2019 (newest first)
    drop = sorted((d for d in counted if d["received_on"] >= date(2019, 1, 1)),
                  key=lambda d: d["dossier_id"])[-excess:] if excess else []
    ids = {d["dossier_id"] for d in drop}
    rows_2019[:] = [d for d in rows_2019 if d["dossier_id"] not in ids]
    planted = [d for d in rows_2019 if d["status"] not in withdrawn and d["resolved_on"]
               is not None and date(2019, 2, 1) <= d["received_on"] <= date(2019, 9, 1)][::97][:9]
    for i, d in enumerate(planted):
        d["resolved_on"] = d["due_on"] + timedelta(days=1 + i % 3)
        d["apology_sent"] = i < HCM_2019["apology"]


def ratings(shape: AgencyShape, year: int, resolved: int) -> list[dict[str, object]]:
    rng = random.Random(f"{shape.id}/danh_gia/{year}")
    rows = []
    if shape.id == "so-vhtt-tphcm" and year == 2019:
        a, b = HCM_2019["ratings_window"]
        # December 2018 ratings of the window live in the 2019 file: exports span years
        for channel, (n, ok) in HCM_2019["ratings"].items():
            for i in range(n):
                result = rng.choice(("Rất hài lòng", "Hài lòng")) if i < ok else "Bình thường"
                rows.append({"rated_on": _rand_day(rng, a, b), "channel": channel,
                             "result": result})
        for _ in range(700):  # after the report's window
            rows.append({"rated_on": _rand_day(rng, date(2019, 10, 15), date(2019, 12, 31)),
                         "channel": rng.choice(RATING_CHANNELS[:3]),
                         "result": rng.choices(("Rất hài lòng", "Hài lòng", "Bình thường"),
                                               (50, 48, 2))[0]})
        rows.sort(key=lambda r: r["rated_on"])
        return rows
    n = int(resolved * rng.uniform(0.35, 0.6))
    end = date(year, 12, 14) if shape.id == "so-vhtt-tphcm" else date(year, 12, 31)
    for _ in range(n):
        rows.append({"rated_on": _rand_day(rng, date(year, 1, 1), end),
                     "channel": rng.choices(RATING_CHANNELS, (40, 20, 30, 10))[0],
                     "result": rng.choices(("Rất hài lòng", "Hài lòng", "Bình thường",
                                            "Không hài lòng"), (45, 48, 5, 2))[0]})
    rows.sort(key=lambda r: r["rated_on"])
    return rows


def feedback(shape: AgencyShape, year: int) -> list[dict[str, object]]:
    if shape.id == "so-vhtt-tphcm" and year == 2019:
        return []  # the report: "không tiếp nhận nội dung phản ánh, kiến nghị nào"
    rng = random.Random(f"{shape.id}/pakn/{year}")
    rows = []
    for i in range(rng.randint(6, 25)):
        last = date(year, 11, 10) if shape.id == "so-vhtt-tphcm" else date(year, 12, 20)
        received = _rand_day(rng, date(year, 1, 1), last)
        due = received + timedelta(days=rng.choice((10, 15, 30)))
        resolved = received + timedelta(days=rng.randint(2, 40))
        if shape.id == "so-vhtt-tphcm":
            resolved = min(resolved, due)
        if resolved > date(year, 12, 31):
            resolved = None
        rows.append({"feedback_id": f"PAKN-{year}-{i + 1:03d}", "received_on": received,
                     "due_on": due, "resolved_on": resolved,
                     "channel": rng.choice(("Hệ thống PAKN", "Trực tiếp", "Điện thoại",
                                            "Thư điện tử")),
                     "topic": rng.choice(("Thời gian giải quyết", "Thái độ phục vụ",
                                          "Thành phần hồ sơ", "Phí, lệ phí"))})
    return rows


def plan_tasks(shape: AgencyShape, year: int, plans_dir: Path) -> list[dict[str, object]]:
    """The seed's tasks for ``year``. A progress report's rows (a status or evidence
    written) keep them as written, with no completion date: the report gives none. A
    plan's rows get a generated progress snapshot taken at the end of ``year``."""
    name = shape.plans.get(year)
    if not name:
        return []
    with open(plans_dir / name, encoding="utf-8") as fh:
        source = list(csv.DictReader(fh))
    reported = any(row["status_text"] or row["evidence"] for row in source)
    rng = random.Random(f"{shape.id}/nhiem_vu/{year}")
    out = []
    for row in source:
        deadline_text = row["deadline"]
        if year == 2018 and "2019" in name:
            deadline_text = deadline_text.replace("2019", "2018")
        if reported:
            status, completed = row["status_text"] or None, None
        else:
            status, completed = _generated_progress(resolve_deadline(deadline_text, year), rng,
                                                    date(year, 12, 31))
        out.append({"task_id": row["task_id"], "group": row["group"], "task": row["task"],
                    "product": row["product"], "lead": row["lead"], "partners": row["partners"],
                    "deadline": deadline_text, "requirement": row["requirement"],
                    "status": status, "completed_on": completed, "evidence": row["evidence"]})
    return out


def _generated_progress(d, rng: random.Random, snapshot: date) -> tuple[str, date | None]:
    """A made-up status and completion date that agree with the deadline ``d`` and with
    the day the snapshot is taken (nothing is finished after it)."""
    if d.on is None:
        return "Đang thực hiện", None
    u = rng.random()
    if u < 0.80:
        return "Hoàn thành", d.on - timedelta(days=rng.randint(0, 25))
    if u < 0.88:
        done = d.on + timedelta(days=rng.randint(3, 40))
        return ("Hoàn thành trễ hạn", done) if done <= snapshot else ("Đang thực hiện", None)
    if u < 0.96:
        return "Đang thực hiện", None
    return "Chưa thực hiện", None


def budget_rows(shape: AgencyShape, year: int, plans_dir: Path) -> list[dict[str, object]]:
    rng = random.Random(f"{shape.id}/kinh_phi/{year}")
    name = shape.budget.get(year)
    if name:
        with open(plans_dir / name, encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
    else:
        rows = [{"area": a, "item": i, "product": "", "timing": "Trong năm",
                 "planned_vnd": f"{rng.randint(2, 30) * 1_000_000:,}".replace(",", "."),
                 "note": ""}
                for a, i in (("Tuyên truyền CCHC", "Tuyên truyền trên Trang thông tin điện tử"),
                             ("Tuyên truyền CCHC", "In tờ rơi hướng dẫn TTHC"),
                             ("Kiểm tra CCHC", "Kiểm tra tại các phòng, đơn vị"),
                             ("Hiện đại hóa hành chính", "Bảo trì phần mềm một cửa"),
                             ("Khảo sát sự hài lòng", "In phiếu và tổng hợp kết quả"))]
    for r in rows:
        planned = int(str(r["planned_vnd"]).replace(".", "") or 0)
        r["spent_vnd"] = f"{int(planned * rng.choice((0, 0.5, 0.8, 1.0)) // 1000 * 1000):,}" \
            .replace(",", ".")
    return rows


# TP. Hồ Chí Minh's 2019 progress report (Báo cáo 4317/BC-SVHTT) states these figures: the
# percentages are written in the name's unit, as the report gives no counts behind them.
HCM_2019_SELF = (
    {"code": "EMAIL_LANH_DAO", "name": "Tỷ lệ Lãnh đạo Sở sử dụng thư điện tử (%)",
     "value": 100, "unit": "%", "note": "“đạt 100%” (nhiệm vụ 35)"},
    {"code": "EMAIL_CONG_CHUC",
     "name": "Tỷ lệ công chức sử dụng thư điện tử trong công việc (%, “đạt trên”)",
     "value": 91.5, "unit": "%", "note": "“đạt trên 91,5%” (nhiệm vụ 35)"},
    {"code": "TTHC_BUU_CHINH",
     "name": "TTHC thực hiện dịch vụ nhận và chuyển phát hồ sơ qua bưu chính công ích",
     "value": 59, "unit": "TTHC", "note": "nhiệm vụ 12"},
    {"code": "TTHC_CONG_KHAI", "name": "Tổng số TTHC được công khai tại Sở", "value": 79,
     "unit": "thủ tục", "note": "nhiệm vụ 13"},
    {"code": "DAO_TAO",
     "name": "Lượt công chức, viên chức được cử tham dự các khóa đào tạo, bồi dưỡng (“hơn”)",
     "value": 98, "unit": "lượt", "note": "“Cử hơn 98 lượt” (nhiệm vụ 22)"},
)


def self_assessed(shape: AgencyShape, year: int) -> list[dict[str, object]]:
    """The figures a seed report states, else made-up ones."""
    if shape.id == "so-vhtt-tphcm" and year == 2019:
        return [dict(r) for r in HCM_2019_SELF]
    rng = random.Random(f"{shape.id}/chi_so/{year}")
    docs = rng.randint(3000, 9000)
    leaders = rng.randint(4, 9)
    staff = rng.randint(40, 160)
    return [
        {"code": "VB_DIEN_TU", "name": "Tỷ lệ văn bản trao đổi dưới dạng điện tử",
         "numerator": int(docs * rng.uniform(0.8, 0.98)), "denominator": docs,
         "unit": "%", "target": 0.9},
        {"code": "CHU_KY_SO", "name": "Lãnh đạo sử dụng chữ ký số",
         "numerator": rng.randint(2, leaders), "denominator": leaders, "unit": "%",
         "target": 1.0},
        {"code": "DAO_TAO", "name": "Công chức, viên chức được đào tạo, bồi dưỡng",
         "value": int(staff * rng.uniform(0.3, 0.7)), "unit": "người"},
        {"code": "KIEM_TRA", "name": "Số cuộc kiểm tra công tác CCHC",
         "value": rng.randint(1, 6), "unit": "cuộc"},
    ]


# ---------------------------------------------------------------- writers

SPEC_HEADERS = {
    "ho_so": {"dossier_id": "Mã hồ sơ", "procedure_code": "Mã thủ tục",
              "procedure_name": "Tên thủ tục", "field": "Lĩnh vực", "unit": "Đơn vị xử lý",
              "channel": "Hình thức nộp", "received_on": "Ngày tiếp nhận",
              "due_on": "Ngày hẹn trả", "resolved_on": "Ngày có kết quả", "status": "Trạng thái",
              "apology_sent": "Thư xin lỗi", "paid_online": "Thanh toán trực tuyến",
              "digitized": "Số hóa hồ sơ", "e_result": "Kết quả điện tử"},
    "thu_tuc": {"procedure_code": "Mã thủ tục", "procedure_name": "Tên thủ tục",
                "field": "Lĩnh vực", "online_level": "Mức độ DVCTT",
                "postal": "Bưu chính công ích", "published": "Công khai",
                "sample_dossier": "Có hồ sơ mẫu"},
    "danh_gia": {"rated_on": "Ngày đánh giá", "channel": "Kênh đánh giá", "result": "Kết quả"},
    "pakn": {"feedback_id": "Mã phản ánh", "received_on": "Ngày tiếp nhận",
             "due_on": "Hạn xử lý", "resolved_on": "Ngày xử lý xong",
             "channel": "Kênh tiếp nhận", "topic": "Nội dung"},
    "nhiem_vu": {"task_id": "STT", "group": "Nhóm nhiệm vụ", "task": "Nhiệm vụ",
                 "product": "Sản phẩm", "lead": "Đơn vị chủ trì", "partners": "Đơn vị phối hợp",
                 "deadline": "Thời gian hoàn thành", "requirement": "Yêu cầu",
                 "status": "Tiến độ", "completed_on": "Ngày hoàn thành",
                 "evidence": "Kết quả, văn bản"},
    "kinh_phi": {"area": "Nhiệm vụ chung", "item": "Nhiệm vụ cụ thể", "product": "Sản phẩm",
                 "timing": "Thời gian", "planned_vnd": "Dự kiến kinh phí",
                 "spent_vnd": "Đã thực hiện", "note": "Ghi chú"},
    "chi_so": {"code": "Mã chỉ số", "name": "Tên chỉ số", "numerator": "Tử số",
               "denominator": "Mẫu số", "value": "Giá trị", "unit": "Đơn vị tính",
               "target": "Chỉ tiêu", "note": "Ghi chú"},
}
PERSONAL = ("Họ tên người nộp", "Số CCCD/CMND", "Địa chỉ", "Số điện thoại", "Email")
# the "igate" source system: another one-stop-shop product's headers (params/mappings/igate.yml)
IGATE_HEADERS = {"dossier_id": "Số biên nhận", "procedure_code": "Mã TTHC quốc gia",
                 "procedure_name": "Tên TTHC", "field": "Lĩnh vực TTHC",
                 "unit": "Phòng xử lý", "channel": "Kênh nộp hồ sơ",
                 "received_on": "Ngày nhận hồ sơ", "due_on": "Ngày hẹn trả kết quả",
                 "resolved_on": "Ngày hoàn thành xử lý", "status": "Tình trạng",
                 "apology_sent": "Đã gửi thư xin lỗi", "paid_online": "Thanh toán online",
                 "digitized": "Đã số hóa", "e_result": "Trả kết quả điện tử"}
TITLES = {"ho_so": "DANH SÁCH HỒ SƠ THỦ TỤC HÀNH CHÍNH", "thu_tuc": "DANH MỤC THỦ TỤC HÀNH CHÍNH",
          "danh_gia": "KẾT QUẢ ĐÁNH GIÁ SỰ HÀI LÒNG", "pakn": "SỔ THEO DÕI PHẢN ÁNH, KIẾN NGHỊ",
          "nhiem_vu": "PHỤ LỤC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH",
          "kinh_phi": "DỰ TOÁN KINH PHÍ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH",
          "chi_so": "CHỈ SỐ TỰ ĐÁNH GIÁ"}


def _cell(value: object, kind_text_dates: bool, bool_style: str) -> object:
    if isinstance(value, bool):
        if bool_style == "x":
            return "x" if value else ""
        if bool_style == "10":
            return 1 if value else 0
        return "Có" if value else "Không"
    if isinstance(value, date) and kind_text_dates:
        return f"{value:%d/%m/%Y}"
    return value


def _table_rows(table: str, rows: list[dict], headers: dict[str, str], personal: bool,
                text_dates: bool, bool_style: str) -> tuple[list[str], list[list[object]]]:
    head = list(headers.values()) + (list(PERSONAL) if personal else [])
    body = [[_cell(r.get(k), text_dates, bool_style) for k in headers]
            + ([r.get(p, "") for p in PERSONAL] if personal else []) for r in rows]
    return head, body


def _write_sheet(ws, agency_name: str, table: str, year: int, head: list[str],
                 body: list[list[object]]) -> None:
    width = len(head)
    ws.append([agency_name.upper()])
    ws.append([f"{TITLES[table]} NĂM {year}"])
    ws.append([])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=min(width, 6))
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=min(width, 8))
    ws["A1"].font = Font(bold=True)
    ws["A2"].font = Font(bold=True, size=13)
    ws["A2"].alignment = Alignment(horizontal="center")
    ws.append(head)
    for c in ws[4]:
        c.font = Font(bold=True)
    for i, row in enumerate(body, start=5):
        ws.append(row)
        for j, value in enumerate(row, start=1):  # text that merely starts with "=" stays text
            if isinstance(value, str) and value.startswith("="):
                ws.cell(i, j).data_type = "s"
    if table == "kinh_phi":
        total = sum(int(str(r[4]).replace(".", "") or 0) for r in body)
        ws.append(["Tổng cộng", None, None, None, f"{total:,}".replace(",", ".")])
    ws.freeze_panes = "A5"


def _save(wb: Workbook, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def write_agency_year(shape: AgencyShape, agency_name: str, year: int, out: Path,
                      tables: dict[str, list[dict]]) -> list[Path]:
    """Write one agency-year's exports in the agency's style; returns the files written."""
    ydir = out / shape.id / str(year)
    written: list[Path] = []
    bool_style = {"one_workbook": "x", "igate": "10"}.get(shape.style, "co")
    if shape.style == "one_workbook":
        wb = Workbook()
        wb.remove(wb.active)
        for table, rows in tables.items():
            head, body = _table_rows(table, rows, SPEC_HEADERS[table], table == "ho_so",
                                     shape.text_dates, bool_style)
            _write_sheet(wb.create_sheet(table), agency_name, table, year, head, body)
        notes = wb.create_sheet("ghi_chu_noi_bo")
        notes.append(["Sheet ẩn của người lập biểu, không phải dữ liệu"])
        notes.sheet_state = "hidden"
        path = ydir / f"du_lieu_cchc_{year}.xlsx"
        _save(wb, path)
        return [path]
    for table, rows in tables.items():
        headers = IGATE_HEADERS if (shape.style == "igate" and table == "ho_so") \
            else SPEC_HEADERS[table]
        head, body = _table_rows(table, rows, headers, table == "ho_so", shape.text_dates,
                                 bool_style)
        if shape.style == "csv_semicolon" and table in ("ho_so", "danh_gia"):
            path = ydir / f"{table}_{year}.csv"
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "w", encoding="utf-8-sig", newline="") as fh:
                w = csv.writer(fh, delimiter=";")
                w.writerow(head)
                w.writerows(body)
        else:
            wb = Workbook()
            ws = wb.active
            ws.title = table if shape.style != "igate" else "Sheet1"
            _write_sheet(ws, agency_name, table, year, head, body)
            path = ydir / f"{table}_{year}.xlsx"
            _save(wb, path)
        written.append(path)
    return written


def agency_tables(shape: AgencyShape, plans_dir: Path, years: tuple[int, ...] | None = None
                  ) -> dict[int, dict[str, list[dict]]]:
    """Every table of one agency for ``years`` (default: the years it has dossiers for)."""
    years = years or shape.years
    out: dict[int, dict[str, list[dict]]] = {}
    for year in years:
        procs = procedures(shape, year)
        out[year] = {"thu_tuc": procs, "ho_so": dossiers(shape, year, procs)}
    if shape.id == "so-vhtt-tphcm" and 2018 in out and 2019 in out:
        shape_hcm_2019(out[2018]["ho_so"], out[2019]["ho_so"])
    for year in years:
        resolved = sum(1 for d in out[year]["ho_so"] if d["resolved_on"] is not None)
        out[year].update({
            "danh_gia": ratings(shape, year, resolved),
            "pakn": feedback(shape, year),
            "nhiem_vu": plan_tasks(shape, year, plans_dir),
            "kinh_phi": budget_rows(shape, year, plans_dir),
            "chi_so": self_assessed(shape, year),
        })
        out[year] = {k: v for k, v in out[year].items() if v or k == "pakn"}
    return out


def write_sample(out: Path, plans_dir: Path, names: dict[str, str]) -> list[Path]:
    written = []
    for shape in SAMPLE_AGENCIES:
        for year, tables in agency_tables(shape, plans_dir).items():
            written += write_agency_year(shape, names[shape.id], year, out, tables)
    return written


def province(out: Path, n_agencies: int, dossiers_per_agency: int, year: int = 2019,
             plans_dir: Path | None = None) -> list[str]:
    """A synthetic province for benchmarks: ``n_agencies`` communes, one workbook each."""
    ids = []
    for i in range(n_agencies):
        aid = f"xa-{i + 1:03d}"
        shape = AgencyShape(aid, "Tỉnh mẫu", FIELDS_NV[:4], {year: dossiers_per_agency},
                            {year: (40, 12)}, {year: 0.15}, style="one_workbook")
        procs = procedures(shape, year)
        tables = {"thu_tuc": procs, "ho_so": dossiers(shape, year, procs)}
        resolved = sum(1 for d in tables["ho_so"] if d["resolved_on"] is not None)
        tables["danh_gia"] = ratings(shape, year, resolved)
        write_agency_year(shape, f"UBND xã mẫu {i + 1}", year, out, tables)
        ids.append(aid)
    return ids

