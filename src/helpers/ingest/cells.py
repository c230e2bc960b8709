"""Cell values as exports write them: text dates, Excel serials, Có/Không, "1.800.000".

Each parser returns the value or raises ``CellError`` with a message in Vietnamese that the
ingestion report shows next to the file, row and column.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, timedelta

from ..text import fold


class CellError(ValueError):
    pass


EXCEL_EPOCH = date(1899, 12, 30)
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_WORDS = re.compile(r"^(?:ngay\s*)?(\d{1,2})\s*thang\s*(\d{1,2})\s*nam\s*(\d{4})$")


def is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip() == ""


def parse_date(value: object) -> date | None:
    """Excel dates, Excel serial numbers and the text forms ``dd/mm/yyyy``, ``d/m/yy``,
    ``yyyy-mm-dd`` and "ngày 05 tháng 3 năm 2019". Day first, always: Vietnamese usage."""
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise CellError(f"“{value}” không phải là ngày")
    if isinstance(value, int | float):
        if 1 <= value < 2958466:
            return EXCEL_EPOCH + timedelta(days=int(value))
        raise CellError(f"số {value} không phải là ngày Excel hợp lệ")
    text = str(value).strip()
    try:
        if m := _DMY.match(text):
            d, mth, y = int(m[1]), int(m[2]), int(m[3])
            if y < 100:
                y += 2000
            return date(y, mth, d)
        if m := _YMD.match(text):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _WORDS.match(fold(text).replace(",", " ")):
            return date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError as exc:
        raise CellError(f"“{text}” không phải là ngày có thật") from exc
    if re.fullmatch(r"\d+(\.0+)?", text):
        return parse_date(float(text))
    raise CellError(f"“{text}” không đọc được thành ngày (dạng dd/mm/yyyy)")


_TRUE = {"co", "x", "1", "true", "yes", "y", "dung", "da", "da gui", "roi"}
_FALSE = {"khong", "0", "false", "no", "n", "sai", "chua", "-"}


def parse_bool(value: object) -> bool | None:
    """Có/Không, x (ticked) or empty, 1/0, True/False."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        if value in (0, 1):
            return bool(value)
        raise CellError(f"“{value}” không phải Có/Không")
    key = fold(value)
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise CellError(f"“{value}” không phải Có/Không")


def parse_number(value: object) -> float | None:
    """Numbers with Vietnamese separators: "1.800.000" (thousands), "12,5" (decimal)."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(f"“{value}” không phải là số")
    if isinstance(value, int | float):
        return float(value)
    text = re.sub(r"\s|đồng|đ|vnd|VNĐ|VND", "", str(value), flags=re.IGNORECASE)
    if text in ("-", "–", "—"):  # how Vietnamese tables write a zero
        return 0.0
    if text.endswith("%"):  # "95%", "12,5%": a share, stored as a fraction
        share = parse_number(text[:-1])
        return None if share is None else share / 100
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?", text):
        text = text.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", text):
        text = text.replace(",", "")
    elif re.fullmatch(r"-?\d+,\d+", text):
        text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError as exc:
        raise CellError(f"“{value}” không phải là số") from exc


def parse_money(value: object) -> int | None:
    """Whole đồng: "1.800.000" is one million eight hundred thousand."""
    number = parse_number(value)
    if number is None:
        return None
    if number != int(number):
        raise CellError(f"“{value}” không phải số tiền nguyên (đồng)")
    if number < 0:
        raise CellError(f"số tiền “{value}” âm")
    return int(number)


def parse_text(value: object) -> str | None:
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return f"{value:%d/%m/%Y}"
    # NFC: Windows-1258 files and some keyboards write tone marks as combining characters,
    # and "Văn hóa" must be one lĩnh vực however it was typed
    text = unicodedata.normalize("NFC", re.sub(r"\s+", " ", str(value)).strip())
    return _new_tone_placement(text)


# Old and new tone placement ("hoá"/"hóa", "thuỷ"/"thủy") are the same word: keep the one
# the spec and the national procedure database use, so a lĩnh vực is not split in two.
_TONES = {"óa": "oá", "òa": "oà", "ỏa": "oả", "õa": "oã", "ọa": "oạ",
          "óe": "oé", "òe": "oè", "ỏe": "oẻ", "õe": "oẽ", "ọe": "oẹ",
          "úy": "uý", "ùy": "uỳ", "ủy": "uỷ", "ũy": "uỹ", "ụy": "uỵ"}
_OLD_TO_NEW = {old: new for new, old in _TONES.items()}
_OLD_TONE = re.compile(r"(?<![qQ])(" + "|".join(sorted(_OLD_TO_NEW, key=len, reverse=True))
                       + r")(?![a-zà-ỹ])", flags=re.IGNORECASE)


def _new_tone_placement(text: str) -> str:
    def swap(m: re.Match[str]) -> str:
        new = _OLD_TO_NEW[m[0].lower()]
        return new.upper() if m[0].isupper() else (new[0].upper() + new[1:]
                                                   if m[0][0].isupper() else new)
    return _OLD_TONE.sub(swap, text)


def parse_enum(value: object, allowed: tuple[str, ...]) -> str | None:
    if is_blank(value):
        return None
    key = fold(value)
    for option in allowed:
        if fold(option) == key:
            return option
    raise CellError(f"“{value}” không thuộc các giá trị cho phép: {', '.join(allowed)}")


PARSERS = {
    "date": parse_date,
    "bool": parse_bool,
    "float": parse_number,
    "int": lambda v: None if (n := parse_number(v)) is None else int(n),
    "money": parse_money,
    "text": parse_text,
}
