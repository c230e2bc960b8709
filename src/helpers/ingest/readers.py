"""File readers: each turns one input file into raw sheets (a grid of cell values from A1).

Readers are registered by file extension, the way papermill registers its I/O handlers,
so a new export format is one function and one registry line.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass
class RawSheet:
    name: str | None  # None for CSV
    rows: list[list[object]]  # rows[i][j] is the cell at Excel row i+1, column j+1
    hidden: bool = False


class ReadError(Exception):
    """A file that cannot be opened at all (corrupt, wrong format, unreadable encoding)."""


Reader = Callable[[Path], list[RawSheet]]
READERS: dict[str, Reader] = {}


def register(*extensions: str) -> Callable[[Reader], Reader]:
    def deco(fn: Reader) -> Reader:
        for ext in extensions:
            READERS[ext] = fn
        return fn
    return deco


def read_file(path: Path) -> list[RawSheet]:
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise ReadError(f"định dạng tệp {path.suffix!r} không được hỗ trợ (xlsx, xls, csv)")
    try:
        return reader(path)
    except ReadError:
        raise
    except Exception as exc:  # corrupt workbooks raise many kinds of errors
        raise ReadError(f"không đọc được tệp: {exc.__class__.__name__}: {exc}") from exc


@register(".xlsx", ".xlsm", ".xls", ".ods")
def read_workbook(path: Path) -> list[RawSheet]:
    """Excel through python-calamine (Rust): formula cells come back as their cached values,
    merged cells as their top-left value; hidden sheets are flagged."""
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    out = []
    for meta in wb.sheets_metadata:
        sheet = wb.get_sheet_by_name(meta.name)
        rows = sheet.to_python(skip_empty_area=False)
        hidden = str(meta.visible).lower().split(".")[-1] != "visible"
        out.append(RawSheet(meta.name, [list(r) for r in rows], hidden=hidden))
    return out


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) and UTF-16 (with BOM); Windows-1258 as a last resort."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    if len(data) >= 4 and data[1] == 0 and data[3] == 0:
        return data.decode("utf-16-le")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1258")
        except UnicodeDecodeError as exc:
            raise ReadError("không nhận ra bảng mã của tệp (cần UTF-8 hoặc UTF-16)") from exc


@register(".csv", ".txt")
def read_csv(path: Path) -> list[RawSheet]:
    """CSV with ``;`` (Excel on a Vietnamese-locale Windows), ``,`` or tab separators."""
    text = decode_text(path.read_bytes())
    delim = sniff_delimiter("\n".join(text.splitlines()[:30]))
    rows = [list(r) for r in csv.reader(io.StringIO(text), delimiter=delim)]
    return [RawSheet(None, rows)]


def sniff_delimiter(sample: str) -> str:
    """The separator that cuts the most lines into the same number (> 1) of fields, wider
    on a tie. Counting characters is not enough: Vietnamese text and amounts such as
    "1,800,000" put more commas than separators in a ``;`` file."""
    best, best_key = ",", (0, 0)
    for d in (";", ",", "\t"):
        widths = Counter(len(r) for r in csv.reader(io.StringIO(sample), delimiter=d)
                         if len(r) > 1)
        if widths:
            key = max((n, width) for width, n in widths.items())
            if key > best_key:
                best, best_key = d, key
    return best


INPUT_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".csv", ".ods"}


def input_files(agency_dir: Path) -> list[Path]:
    return sorted(p for p in agency_dir.rglob("*")
                  if p.is_file() and p.suffix.lower() in INPUT_SUFFIXES
                  and not p.name.startswith(("~$", ".")))


def input_hashes(raw: Path, agency: str) -> dict[str, str]:
    """SHA-256 of every input file of an agency, by path relative to ``raw``."""
    from ..atomic import sha256_file

    adir = raw / agency
    if not adir.is_dir():
        return {}
    return {p.relative_to(raw).as_posix(): sha256_file(p) for p in input_files(adir)}


def year_from_path(rel: str) -> int | None:
    years = re.findall(r"(?<!\d)(20\d{2})(?!\d)", rel)
    return int(years[-1]) if years else None
