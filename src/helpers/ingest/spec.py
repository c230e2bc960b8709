"""The input contract of ``data-spec.md``: tables, their fields, Vietnamese headers and types.

Everything that reads, validates or writes templates works from these definitions, so a
field is declared once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from ..params import (
    CHANNELS,
    ONLINE_LEVELS,
    PENDING_STATUSES,
    RATING_RESULTS,
    RESOLVED_STATUSES,
    TASK_STATUSES,
    WITHDRAWN_STATUSES,
)
from ..text import fold


@dataclass(frozen=True)
class Field:
    name: str
    header: str
    kind: str  # text | date | bool | int | money | enum | float
    required: bool = True
    values: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    help: str = ""

    def keys(self) -> frozenset[str]:
        return _keys(self.name, self.header, self.aliases)


@dataclass(frozen=True)
class Table:
    code: str
    title: str
    fields: tuple[Field, ...]
    year_from: str | None = None  # date field giving a row's year; None: year from the path
    key: str | None = None  # field that must be unique per agency
    names: tuple[str, ...] = field(default=())

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    @property
    def required(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.required)


@cache
def _keys(name: str, header: str, aliases: tuple[str, ...]) -> frozenset[str]:
    return frozenset({fold(name), fold(header), *(fold(a) for a in aliases)})


F = Field

HO_SO = Table("ho_so", "Hồ sơ TTHC", (
    F("dossier_id", "Mã hồ sơ", "text", aliases=("Số hồ sơ", "Ma HS")),
    F("procedure_code", "Mã thủ tục", "text", aliases=("Mã TTHC",)),
    F("procedure_name", "Tên thủ tục", "text", required=False, aliases=("Tên TTHC",)),
    F("field", "Lĩnh vực", "text"),
    F("unit", "Đơn vị xử lý", "text", required=False),
    F("channel", "Hình thức nộp", "enum", values=CHANNELS, aliases=("Kênh nộp",)),
    F("received_on", "Ngày tiếp nhận", "date", aliases=("Ngày nhận",)),
    F("due_on", "Ngày hẹn trả", "date", aliases=("Hẹn trả",)),
    F("resolved_on", "Ngày có kết quả", "date", required=False, aliases=("Ngày trả kết quả",)),
    F("status", "Trạng thái", "enum", required=False, values=WITHDRAWN_STATUSES + RESOLVED_STATUSES
      + PENDING_STATUSES),
    F("apology_sent", "Thư xin lỗi", "bool", required=False),
    F("paid_online", "Thanh toán trực tuyến", "bool", required=False),
    F("digitized", "Số hóa hồ sơ", "bool", required=False),
    F("e_result", "Kết quả điện tử", "bool", required=False),
), year_from="received_on", key="dossier_id", names=("Hồ sơ", "Ho so TTHC"))

THU_TUC = Table("thu_tuc", "Danh mục TTHC", (
    F("procedure_code", "Mã thủ tục", "text", aliases=("Mã TTHC",)),
    F("procedure_name", "Tên thủ tục", "text"),
    F("field", "Lĩnh vực", "text"),
    F("online_level", "Mức độ DVCTT", "enum", values=ONLINE_LEVELS),
    F("postal", "Bưu chính công ích", "bool", required=False),
    F("published", "Công khai", "bool", required=False),
    F("sample_dossier", "Có hồ sơ mẫu", "bool", required=False),
), key="procedure_code", names=("Thủ tục", "Danh muc thu tuc"))

DANH_GIA = Table("danh_gia", "Đánh giá sự hài lòng", (
    F("rated_on", "Ngày đánh giá", "date"),
    F("channel", "Kênh đánh giá", "text"),
    F("result", "Kết quả", "enum", values=RATING_RESULTS, aliases=("Mức độ hài lòng",)),
    F("dossier_id", "Mã hồ sơ", "text", required=False),
), year_from="rated_on", names=("Đánh giá",))

PAKN = Table("pakn", "Phản ánh, kiến nghị", (
    F("feedback_id", "Mã phản ánh", "text", aliases=("Số PAKN",)),
    F("received_on", "Ngày tiếp nhận", "date"),
    F("due_on", "Hạn xử lý", "date", aliases=("Ngày hẹn trả",)),
    F("resolved_on", "Ngày xử lý xong", "date", required=False, aliases=("Ngày có kết quả",)),
    F("channel", "Kênh tiếp nhận", "text", required=False),
    F("topic", "Nội dung", "text", required=False),
), year_from="received_on", key="feedback_id", names=("Phản ánh",))

NHIEM_VU = Table("nhiem_vu", "Nhiệm vụ kế hoạch CCHC", (
    F("task_id", "STT", "text"),
    F("group", "Nhóm nhiệm vụ", "text"),
    F("task", "Nhiệm vụ", "text", aliases=("Nội dung nhiệm vụ", "Nội dung")),
    F("product", "Sản phẩm", "text", required=False, aliases=("Kết quả/sản phẩm",)),
    F("lead", "Đơn vị chủ trì", "text", required=False, aliases=("Chủ trì", "Phụ trách")),
    F("partners", "Đơn vị phối hợp", "text", required=False, aliases=("Phối hợp",)),
    F("deadline", "Thời gian hoàn thành", "text", required=False,
      aliases=("Thời gian", "Thời hạn")),
    F("requirement", "Yêu cầu", "text", required=False),
    # progress as the appendix writes it ("Đang thực hiện đúng tiến độ"): free text, read
    # through helpers.indicators.tasks.WRITTEN_STATUSES; a phrase outside it is a warning
    F("status", "Tiến độ", "text", required=False,
      help="Ghi như phụ lục: " + ", ".join(TASK_STATUSES) + ", Đang thực hiện đúng tiến độ, …"),
    F("completed_on", "Ngày hoàn thành", "date", required=False),
    F("evidence", "Kết quả, văn bản", "text", required=False, aliases=("Kết quả",)),
), names=("Nhiệm vụ", "Phụ lục"))

KINH_PHI = Table("kinh_phi", "Dự toán kinh phí", (
    F("area", "Nhiệm vụ chung", "text"),
    F("item", "Nhiệm vụ cụ thể", "text"),
    F("product", "Sản phẩm", "text", required=False),
    F("timing", "Thời gian", "text", required=False),
    F("planned_vnd", "Dự kiến kinh phí", "money"),
    F("spent_vnd", "Đã thực hiện", "money", required=False),
    F("note", "Ghi chú", "text", required=False),
), names=("Kinh phí",))

CHI_SO = Table("chi_so", "Chỉ số tự đánh giá", (
    F("code", "Mã chỉ số", "text"),
    F("name", "Tên chỉ số", "text"),
    F("numerator", "Tử số", "float", required=False),
    F("denominator", "Mẫu số", "float", required=False),
    F("value", "Giá trị", "float", required=False),
    F("unit", "Đơn vị tính", "text", required=False),
    F("target", "Chỉ tiêu", "float", required=False),
    F("note", "Ghi chú", "text", required=False),
), key="code", names=("Chỉ số",))

TABLES: dict[str, Table] = {t.code: t for t in
                            (HO_SO, THU_TUC, DANH_GIA, PAKN, NHIEM_VU, KINH_PHI, CHI_SO)}

# Personal data: recognised by header, dropped at ingestion, never stored.
PERSONAL_HEADERS = (
    "Họ tên", "Họ và tên", "Họ tên người nộp", "Người nộp", "Tên người nộp", "Số CCCD",
    "CCCD", "CMND", "Số CMND", "Số CCCD/CMND", "Số định danh", "Địa chỉ", "Số điện thoại",
    "Điện thoại", "SĐT", "Email", "E-mail", "Thư điện tử", "Ngày sinh",
)
_PERSONAL_KEYS = {fold(h) for h in PERSONAL_HEADERS}


def is_personal(header: object) -> bool:
    key = fold(header)
    if not key:
        return False
    return key in _PERSONAL_KEYS or any(
        key.startswith(p) for p in ("ho ten", "ho va ten", "so cccd", "so cmnd", "dia chi",
                                    "so dien thoai", "email", "cccd", "cmnd")
    )


def table_for(name: str) -> Table | None:
    """The table a sheet or file name denotes, longest matching prefix first."""
    key = fold(name)
    best: tuple[int, Table] | None = None
    for t in TABLES.values():
        for k in {fold(t.code), fold(t.title), *(fold(n) for n in t.names)}:
            if k and key.startswith(k) and (best is None or len(k) > best[0]):
                best = (len(k), t)
    return best[1] if best else None
