"""The input contract of ``data-spec.md``: tables, their fields, Vietnamese headers and types.

Everything that reads, validates or writes templates works from these definitions, so a
field is declared once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache

from ..params import (
    CHANNELS,
    DIRECT,
    ONLINE,
    ONLINE_LEVELS,
    PENDING_STATUSES,
    POSTAL,
    RATING_RESULTS,
    RESOLVED_STATUSES,
    TASK_STATUSES,
    WITHDRAWN_STATUSES,
)
from ..text import fold

# ---------------------------------------------------------------- vocabularies of real systems
# What one-stop-shop systems write → the canonical value of ``params.py``. One dict per
# field, matched on the folded text (case, diacritics, spaces ignored); a source system's
# own words go in the ``values`` section of ``params/mappings/<system>.yml``.

CHANNEL_WORDS: dict[str, str] = {
    "BCCI": POSTAL,
    "Bưu chính": POSTAL,
    "Dịch vụ bưu chính công ích": POSTAL,
    "Nộp trực tuyến": ONLINE,
    "Trực tuyến toàn trình": ONLINE,
    "Trực tuyến một phần": ONLINE,
    "Nộp trực tiếp": DIRECT,
    "Trực tiếp tại Bộ phận Một cửa": DIRECT,
}
_RESOLVED, _RETURNED = RESOLVED_STATUSES  # "Đã giải quyết", "Đã trả kết quả"
_PROCESSING = PENDING_STATUSES[1]  # "Đang xử lý"
_WITHDRAWN, _REFUSED = WITHDRAWN_STATUSES  # "Rút hồ sơ", "Từ chối"
STATUS_WORDS: dict[str, str] = {
    # resolved
    "Đã xử lý xong": _RESOLVED,
    "Hoàn thành": _RESOLVED,
    # pending
    "Chờ bổ sung hồ sơ": _PROCESSING,
    "Yêu cầu bổ sung": _PROCESSING,
    "Chờ thực hiện nghĩa vụ tài chính": _PROCESSING,
    # withdrawn or refused: counted in dossiers.withdrawn, out of the flow
    "Đã rút hồ sơ": _WITHDRAWN,
    "Công dân yêu cầu rút hồ sơ": _WITHDRAWN,
    "Không được tiếp nhận": _REFUSED,
    "Dừng xử lý": _REFUSED,
}
# the national public-service portal's status codes (1–10)
NATIONAL_STATUS_CODES: dict[str, str] = {
    "1": _PROCESSING, "2": _PROCESSING, "3": _REFUSED, "4": _PROCESSING, "5": _PROCESSING,
    "6": _PROCESSING, "7": _WITHDRAWN, "8": _REFUSED, "9": _RESOLVED, "10": _RETURNED,
}

# Personal data: recognised by header (or by a header that contains one of these words),
# dropped at ingestion whatever else the header or a mapping says, never stored or quoted.
PERSONAL_HEADERS = (
    "Họ tên", "Họ và tên", "Họ tên người nộp", "Người nộp", "Tên người nộp", "Chủ hồ sơ",
    "Tên tổ chức, cá nhân", "Số giấy tờ tùy thân", "CMND/CCCD/Hộ chiếu", "Số CCCD", "CCCD",
    "CMND", "Hộ chiếu", "Số CMND", "Số CCCD/CMND", "Số định danh", "Địa chỉ",
    "Địa chỉ thường trú", "Số điện thoại", "Điện thoại", "Điện thoại liên hệ", "SĐT",
    "Email", "E-mail", "Email người nộp", "Thư điện tử", "Ngày sinh", "Mã số thuế",
)


@dataclass(frozen=True)
class Field:
    """One column of a table. ``required``: the export must have the column;
    ``cells_required`` (default: as ``required``): every row must fill it; ``blank``: the
    value an empty cell stands for; ``synonyms``: the words real systems write for the
    canonical ``values``; ``quotable``: its values hold no personal data, so a message
    may quote them."""

    name: str
    header: str
    kind: str  # text | date | bool | int | money | enum | float
    required: bool = True
    values: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    help: str = ""
    cells_required: bool | None = None
    blank: str | None = None
    synonyms: tuple[tuple[str, str], ...] = ()
    quotable: bool = False

    def keys(self) -> frozenset[str]:
        return _keys(self.name, self.header, self.aliases)

    @property
    def must_fill(self) -> bool:
        return self.required if self.cells_required is None else self.cells_required

    @property
    def may_quote(self) -> bool:
        return self.quotable or self.kind == "enum"


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
    F("procedure_code", "Mã thủ tục", "text", aliases=("Mã TTHC",), quotable=True),
    F("procedure_name", "Tên thủ tục", "text", required=False, aliases=("Tên TTHC",)),
    F("field", "Lĩnh vực", "text"),
    F("unit", "Đơn vị xử lý", "text", required=False),
    # an empty channel is a dossier handed in at the desk
    F("channel", "Hình thức nộp", "enum", values=CHANNELS, aliases=("Kênh nộp",),
      cells_required=False, blank=DIRECT, synonyms=tuple(CHANNEL_WORDS.items())),
    F("received_on", "Ngày tiếp nhận", "date", aliases=("Ngày nhận",)),
    F("due_on", "Ngày hẹn trả", "date", aliases=("Hẹn trả",)),
    # the column is needed (without it every dossier would look pending); empty = pending
    F("resolved_on", "Ngày có kết quả", "date", cells_required=False,
      aliases=("Ngày trả kết quả",)),
    F("status", "Trạng thái", "enum", required=False, values=WITHDRAWN_STATUSES + RESOLVED_STATUSES
      + PENDING_STATUSES, synonyms=tuple(STATUS_WORDS.items())
      + tuple(NATIONAL_STATUS_CODES.items())),
    F("apology_sent", "Thư xin lỗi", "bool", required=False),
    F("paid_online", "Thanh toán trực tuyến", "bool", required=False),
    F("digitized", "Số hóa hồ sơ", "bool", required=False),
    F("e_result", "Kết quả điện tử", "bool", required=False),
), year_from="received_on", key="dossier_id", names=("Hồ sơ", "Ho so TTHC"))

THU_TUC = Table("thu_tuc", "Danh mục TTHC", (
    F("procedure_code", "Mã thủ tục", "text", aliases=("Mã TTHC",), quotable=True),
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
    F("resolved_on", "Ngày xử lý xong", "date", cells_required=False,
      aliases=("Ngày có kết quả",)),
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
    F("code", "Mã chỉ số", "text", quotable=True),
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

def _words(text: object) -> str:
    """Folded, letters and digits only, padded: " ten to chuc ca nhan "."""
    return " " + re.sub(r"[^a-z0-9]+", " ", fold(text)).strip() + " "


_PERSONAL_WORDS = tuple(sorted({_words(h) for h in PERSONAL_HEADERS}))


def looks_personal(value: object) -> bool:
    """A value shaped like personal data (an e-mail address, a phone or ID number, a long
    text): never quoted in a message, even from a column whose values may be quoted, since
    a misaligned export can put any column's values under any header."""
    text = str(value)
    return ("@" in text or len(text) > 60
            or (re.fullmatch(r"[\d\s.\-+()/]+", text) is not None
                and sum(c.isdigit() for c in text) >= 9))


def shown(value: object) -> str:
    """A quotable value as a message shows it, or "" when it looks personal."""
    return "" if looks_personal(value) else f"“{' '.join(str(value).split())}” "


# bounded: header detection asks it of data cells too, and a worker's memory must not grow
# with every value it has seen (an unbounded cache grew 0,12 MB per report)
@lru_cache(maxsize=1 << 12)
def is_personal(header: object) -> bool:
    """A header naming personal data, or containing such a header's words: "Email người
    nộp", "Số CMND/CCCD/Hộ chiếu", "SĐT liên hệ" are all dropped unread."""
    words = _words(header)
    return words.strip() != "" and any(p in words for p in _PERSONAL_WORDS)


def table_for(name: str) -> Table | None:
    """The table a sheet or file name denotes, longest matching prefix first."""
    key = fold(name)
    best: tuple[int, Table] | None = None
    for t in TABLES.values():
        for k in {fold(t.code), fold(t.title), *(fold(n) for n in t.names)}:
            if k and key.startswith(k) and (best is None or len(k) > best[0]):
                best = (len(k), t)
    return best[1] if best else None
