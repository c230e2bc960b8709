"""The texts of the signed report's form (Nghị định 30/2020/NĐ-CP), from its ``report`` block.

The report's ``indicators.json`` carries what ``params/`` says of the agency and of this
report (number, date, signer, recipients, "Căn cứ"); this module turns it into the lines
of the header, the opening, the closing, "Nơi nhận", the signature and the appendix
heading. What is not configured is left blank with dotted lines for the office to fill in:
a number or a date is never invented.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

DOTS = "……"
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


def day_line(on: date | None) -> str:
    """"ngày 09 tháng 10 năm 2019": days under 10 and the months 1 and 2 take a leading
    zero (Nghị định 30/2020, Phụ lục I); unset, dotted."""
    if on is None:
        return f"ngày {DOTS} tháng {DOTS} năm {DOTS}"
    month = f"{on.month:02d}" if on.month < 3 else str(on.month)
    return f"ngày {on.day:02d} tháng {month} năm {on.year}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text and not text.startswith("Quý") else text


@dataclass(frozen=True)
class Form:
    parent: str  # cơ quan chủ quản, upper case
    issuer: str  # cơ quan ban hành, upper case
    number_line: str  # "Số: 4317/BC-SVHTT"
    place_date: str  # "Thành phố Hồ Chí Minh, ngày 09 tháng 10 năm 2019"
    kind: str  # "BÁO CÁO"
    subject: str
    bases: tuple[str, ...]
    intro: str
    closing: str
    recipients: tuple[str, ...]  # each "- …;", the last "- Lưu: ….")
    sign_for: str
    signer_title: str
    signer_name: str
    attachment: str  # "(Kèm theo Báo cáo số … ngày … của …)"

    def appendix_label(self, index: int, count: int) -> str:
        return "PHỤ LỤC" if count == 1 else f"PHỤ LỤC {ROMAN[index] if index < 10 else index + 1}"


def form(about: dict[str, Any], period_label: str) -> Form:
    """The form's texts for a report of ``period_label`` from its ``report`` block."""
    doc = about.get("document") or {}
    name = str(about.get("name") or "")
    symbol = str(about.get("symbol") or "")
    number = str(doc.get("number") or DOTS)
    on = date.fromisoformat(doc["date"]) if doc.get("date") else None
    number_line = f"Số: {number}/BC-{symbol}" if symbol else f"Số: {number}/BC"
    place = str(about.get("place") or about.get("province") or DOTS)
    what = f"kết quả thực hiện công tác cải cách hành chính {_lower_first(period_label)}"
    recipients = [str(r) for r in (doc.get("recipients") or [about.get("parent_name") or ""])
                  if str(r).strip()]
    archive = str(doc.get("archive") or "VT").rstrip(".")
    return Form(
        parent=str(about.get("parent_name") or "").upper(),
        issuer=name.upper(),
        number_line=number_line,
        place_date=f"{place}, {day_line(on)}",
        kind="BÁO CÁO",
        subject=what[:1].upper() + what[1:],
        bases=tuple(str(b) for b in doc.get("bases") or ()),
        intro=f"{name} báo cáo {what} như sau:",
        closing=f"Trên đây là báo cáo {what} của {name}./.",
        recipients=tuple(f"- {r.rstrip(';.')};" for r in recipients) + (f"- Lưu: {archive}.",),
        sign_for=str(doc.get("sign_for") or "").upper(),
        signer_title=str(doc.get("signer_title") or "").upper(),
        signer_name=str(doc.get("signer_name") or DOTS * 4),
        attachment=f"(Kèm theo Báo cáo số {number}/BC-{symbol} {day_line(on)} của {name})",
    )
