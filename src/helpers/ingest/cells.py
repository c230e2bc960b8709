"""Cell values as exports write them: text dates, Excel serials, Có/Không, "1.800.000".

Each parser returns the value or raises ``CellError`` with a message in Vietnamese that the
ingestion report shows next to the file, row and column. A message never quotes the cell:
the column may hold personal data (a misaligned export puts phone numbers under a date
header); only enumerated values, which hold none, are quoted (``parse_enum``).

A sheet is parsed column by column (``parse_column``): each *distinct* value of a column
is parsed once and the result is spread over the rows, so a column of 200 000 dossiers
with 365 dates or 3 channels costs 365 or 3 parses, not 200 000.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd

from ..text import fold


class CellError(ValueError):
    pass


EXCEL_EPOCH = date(1899, 12, 30)
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:\s*[AaPp][Mm])?)?"
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})" + _TIME + r"$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME + r"(?:Z|[+\-]\d{2}:?\d{2})?$")
_TIME_FIRST = re.compile(r"^\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp][Mm])?\s+(.+)$")
_WORDS = re.compile(r"^(?:ngay\s*)?(\d{1,2})\s*thang\s*(\d{1,2})\s*nam\s*(\d{4})$")
DATE_FORM = "không đọc được thành ngày (cần dạng dd/mm/yyyy)"


def is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip() == ""


def parse_date(value: object) -> date | None:
    """Excel dates, Excel serial numbers and the text forms ``dd/mm/yyyy``, ``d/m/yy``,
    ``yyyy-mm-dd`` and "ngày 05 tháng 3 năm 2019", with or without a time of day (the day
    counts, as the official form counts days). Day first, always: Vietnamese usage."""
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise CellError("ô Đúng/Sai không phải là ngày")
    if isinstance(value, int | float):
        if 1 <= value < 2958466:
            return EXCEL_EPOCH + timedelta(days=int(value))
        raise CellError("số không phải là ngày Excel hợp lệ")
    text = str(value).strip()
    if m := _TIME_FIRST.match(text):  # "08:30 15/07/2025"
        text = m[1]
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
        raise CellError("không phải là ngày có thật") from exc
    if re.fullmatch(r"\d+(\.0+)?", text):
        return parse_date(float(text))
    raise CellError(DATE_FORM)


_TRUE = {"co", "x", "1", "true", "yes", "y", "dung", "da", "da gui", "roi"}
_FALSE = {"khong", "0", "false", "no", "n", "sai", "chua", "-"}
BOOL_FORM = "không phải Có/Không (cần Có/Không, x hoặc để trống, 1/0)"


def parse_bool(value: object) -> bool | None:
    """Có/Không, x (ticked) or empty, 1/0, True/False."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        if value in (0, 1):
            return bool(value)
        raise CellError(BOOL_FORM)
    key = fold(value)
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise CellError(BOOL_FORM)


def parse_number(value: object) -> float | None:
    """Numbers with Vietnamese separators: "1.800.000" (thousands), "12,5" (decimal)."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError("không phải là số")
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
        raise CellError("không phải là số") from exc


def parse_money(value: object) -> int | None:
    """Whole đồng: "1.800.000" is one million eight hundred thousand."""
    number = parse_number(value)
    if number is None:
        return None
    if number != int(number):
        raise CellError("không phải số tiền nguyên (đồng)")
    if number < 0:
        raise CellError("số tiền âm")
    return int(number)


def parse_text(value: object) -> str | None:
    if isinstance(value, str):
        if value.isascii():  # ids, codes: only the spaces to tidy
            text = " ".join(value.split())
            return text or None
    elif is_blank(value):
        return None
    elif isinstance(value, float) and value.is_integer():
        return str(int(value))
    elif isinstance(value, datetime | date):
        return f"{value:%d/%m/%Y}"
    text = " ".join(str(value).split())
    if not text:
        return None
    # NFC: Windows-1258 files and some keyboards write tone marks as combining characters,
    # and "Văn hóa" must be one lĩnh vực however it was typed
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
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


def enum_key(value: object) -> str:
    """The matching key of an enumerated cell: folded text; a whole number as itself
    (the status code 9 written as the number 9.0 or the text "09")."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    key = fold(value)
    return str(int(key)) if key.isdigit() else key


def enum_lookup(allowed: tuple[str, ...], synonyms: tuple[tuple[str, str], ...] = ()
                ) -> dict[str, str]:
    """Folded key → canonical value: the allowed values themselves and their synonyms."""
    table = {enum_key(s): v for s, v in synonyms}
    table.update({enum_key(v): v for v in allowed})
    return table


def parse_enum(value: object, allowed: tuple[str, ...],
               lookup: dict[str, str] | None = None) -> str | None:
    """An allowed value, written in any case, with or without diacritics, or as one of its
    synonyms. An unknown value is quoted: enumerated columns hold no personal data."""
    if is_blank(value):
        return None
    found = (lookup or enum_lookup(allowed)).get(enum_key(value))
    if found is not None:
        return found
    from .spec import shown

    raise CellError(f"{shown(value) or 'giá trị '}không thuộc các giá trị cho phép: "
                    f"{', '.join(allowed)}")


PARSERS: dict[str, Callable[[object], object]] = {
    "date": parse_date,
    "bool": parse_bool,
    "float": parse_number,
    "int": lambda v: None if (n := parse_number(v)) is None else int(n),
    "money": parse_money,
    "text": parse_text,
}


# ---------------------------------------------------------------- whole columns

@dataclass
class Parsed:
    """A column parsed once per distinct value: row i's cell is distinct value
    ``codes[i]``, with its ``value``, its ``error`` (None when it parsed) and whether it
    was ``blank``. The last distinct value is the empty cell."""

    codes: np.ndarray
    value: np.ndarray
    error: np.ndarray
    blank: np.ndarray

    def row_blank(self) -> np.ndarray:
        return self.blank[self.codes]

    def row_error(self) -> np.ndarray:
        return self.error[self.codes]

    def row_value(self) -> np.ndarray:
        return self.value[self.codes]


def distinct(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(codes, distinct values) of an object column, None/NaN as the last distinct value.
    ``True`` and ``1.0`` hash alike; when a column could hold both, cells are told apart
    by type first."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    uniques = np.asarray(uniques, dtype=object)
    if any(u.__class__ is bool or (u.__class__ in (int, float) and u in (0, 1))
           for u in uniques):
        return _distinct_typed(values)
    return np.where(codes < 0, len(uniques), codes), np.append(uniques, None)


def _distinct_typed(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    index: dict[tuple[type, object], int] = {}
    out: list[object] = []
    codes = np.empty(len(values), dtype=np.int64)
    for i, v in enumerate(values):
        if v is None or (v.__class__ is float and math.isnan(v)):
            codes[i] = -1
            continue
        k = (v.__class__, v)
        c = index.get(k)
        if c is None:
            c = index[k] = len(out)
            out.append(v)
        codes[i] = c
    uniques = np.array([*out, None], dtype=object)
    return np.where(codes < 0, len(out), codes), uniques


def parse_column(values: np.ndarray, parse: Callable[[object], object],
                 remap: Callable[[object], object] | None = None,
                 blank_as: object = None) -> Parsed:
    """Parse an object column once per distinct value. ``remap`` is a source system's
    value mapping (applied first); ``blank_as`` the value an empty cell stands for."""
    codes, uniques = distinct(values)
    n = len(uniques)
    value = np.empty(n, dtype=object)
    error = np.empty(n, dtype=object)
    blank = np.zeros(n, dtype=bool)
    for k, raw in enumerate(uniques):
        if remap is not None:
            raw = remap(raw)
        cls = raw.__class__
        if (raw is None or (cls is str and (not raw or raw.isspace()))
                or (cls is float and raw != raw)):  # is_blank, inlined: once per value
            blank[k] = True
            value[k] = blank_as
            continue
        try:
            value[k] = parse(raw)
        except CellError as exc:
            error[k] = str(exc)
    return Parsed(codes, value, error, blank)
