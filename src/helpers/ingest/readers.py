"""File readers: each turns one input file into raw sheets (a grid of cell values from A1).

Readers are registered by file extension, the way papermill registers its I/O handlers,
so a new export format is one function and one registry line. Every reader works within
``params/limits.yml``: a file's size, a zip's declared unpacked size and compression
ratio, and a sheet's rows are checked before the sheet is materialised, so a hostile or
runaway export is refused in milliseconds, not after it has filled the memory.

Only files under the agency's own folder are read: a symbolic link that leads out of it
is refused (``confined_files``).
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..params import Limits
from .html_table import looks_like_html, read_html_tables

MB = 1024 * 1024


@dataclass
class RawSheet:
    name: str | None  # None for CSV
    rows: list[list[object]]  # rows[i][j] is the cell at Excel row i+1, column j+1
    hidden: bool = False


@dataclass
class Refused:
    """A sheet that was not read at all, and why (a limit, most often)."""

    sheet: str | None
    why: str


@dataclass
class FileRead:
    sheets: list[RawSheet] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)


class ReadError(Exception):
    """A file that cannot be opened at all (corrupt, wrong format, unreadable encoding,
    above a limit)."""


Reader = Callable[[Path, Limits], FileRead]
READERS: dict[str, Reader] = {}


def register(*extensions: str) -> Callable[[Reader], Reader]:
    def deco(fn: Reader) -> Reader:
        for ext in extensions:
            READERS[ext] = fn
        return fn
    return deco


def read_file(path: Path, limits: Limits | None = None) -> FileRead:
    limits = limits or Limits()
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise ReadError(f"định dạng tệp {path.suffix!r} không được hỗ trợ (xlsx, xls, csv)")
    size = path.stat().st_size
    if size > limits.max_file_mb * MB:
        raise ReadError(f"tệp lớn {_n(size / MB)} MB, quá giới hạn {limits.max_file_mb:g} MB "
                        "(max_file_mb trong params/limits.yml): tách tệp theo năm hoặc quý")
    try:
        return reader(path, limits)
    except ReadError:
        raise
    except Exception as exc:  # corrupt workbooks raise many kinds of errors
        # the exception's text may quote the file's content: only its kind is shown
        raise ReadError(f"không đọc được tệp ({exc.__class__.__name__}): tệp hỏng hoặc không "
                        "đúng định dạng theo đuôi tên tệp") from exc


# ---------------------------------------------------------------- workbooks

@register(".xlsx", ".xlsm", ".xls", ".ods")
def read_workbook(path: Path, limits: Limits) -> FileRead:
    """Excel through python-calamine (Rust): formula cells come back as their cached values,
    merged cells as their top-left value; hidden sheets are flagged. An ``.xls`` that is
    really an HTML table (web portals export so) is read as one."""
    if path.suffix.lower() == ".xls" and looks_like_html(path):
        return _read_html(path, limits)
    declared: dict[str, int] = {}
    if zipfile.is_zipfile(path):
        declared = check_zip(path, limits)
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    out = FileRead()
    for meta in wb.sheets_metadata:
        hidden = str(meta.visible).lower().split(".")[-1] != "visible"
        rows = declared.get(meta.name)
        if rows is not None and rows > limits.max_rows_per_sheet:
            out.refused.append(Refused(meta.name, _too_many(rows, limits)))
            continue
        sheet = wb.get_sheet_by_name(meta.name)
        if sheet.height > limits.max_rows_per_sheet:
            out.refused.append(Refused(meta.name, _too_many(sheet.height, limits)))
            continue
        out.sheets.append(RawSheet(meta.name, sheet.to_python(skip_empty_area=False),
                                   hidden=hidden))
    return out


def _n(n: float) -> str:
    """A count as Vietnamese writes it: 3.000.000."""
    return f"{n:,.0f}".replace(",", ".")


def _too_many(rows: int, limits: Limits) -> str:
    return (f"sheet có {_n(rows)} dòng, quá giới hạn {_n(limits.max_rows_per_sheet)} dòng "
            "(max_rows_per_sheet trong params/limits.yml): không đọc")


_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"(?:[A-Z]+\d+:)?[A-Z]+(\d+)\"")
_SHEET = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?\bname=\"([^\"]*)\"[^>]*?\br:id=\"([^\"]+)\"")
_SHEET_ID_FIRST = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?\br:id=\"([^\"]+)\"[^>]*?\bname=\"([^\"]*)\"")
_REL = re.compile(rb"<Relationship\b[^>]*?\bId=\"([^\"]+)\"[^>]*?\bTarget=\"([^\"]+)\"")
_REL_TARGET_FIRST = re.compile(rb"<Relationship\b[^>]*?\bTarget=\"([^\"]+)\"[^>]*?\bId=\"([^\"]+)\"")


def check_zip(path: Path, limits: Limits) -> dict[str, int]:
    """Refuse a zip whose directory declares more than the limits allow (a zip bomb)
    before anything is unpacked; return each xlsx sheet's row count as its ``<dimension>``
    declares it (read from the first bytes of the sheet), by sheet name."""
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
        total = sum(i.file_size for i in infos)
        if total > limits.max_unpacked_mb * MB:
            raise ReadError(f"tệp nén chứa {_n(total / MB)} MB khi giải nén, quá giới hạn "
                            f"{limits.max_unpacked_mb:g} MB (max_unpacked_mb trong "
                            "params/limits.yml): không mở")
        for i in infos:
            ratio = i.file_size / max(i.compress_size, 1)
            if i.file_size > MB and ratio > limits.max_compression_ratio:
                raise ReadError(f"tệp nén bất thường: một thành phần giải nén gấp {_n(ratio)} "
                                f"lần (giới hạn {limits.max_compression_ratio:g}, "
                                "max_compression_ratio trong params/limits.yml): không mở")
        return _declared_rows(zf)


def _declared_rows(zf: zipfile.ZipFile) -> dict[str, int]:
    names = set(zf.namelist())
    if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
        return {}
    book = zf.read("xl/workbook.xml")
    rels = zf.read("xl/_rels/workbook.xml.rels")
    sheets = {rid: name for name, rid in _SHEET.findall(book)}
    sheets.update({rid: name for rid, name in _SHEET_ID_FIRST.findall(book)})
    targets = dict(_REL.findall(rels))
    targets.update({rid: t for t, rid in _REL_TARGET_FIRST.findall(rels)})
    out: dict[str, int] = {}
    for rid, raw_name in sheets.items():
        target = targets.get(rid, b"").decode("utf-8", "replace").lstrip("/")
        member = target if target.startswith("xl/") else f"xl/{target}"
        if member not in names:
            continue
        with zf.open(member) as fh:
            head = fh.read(4096)
        if m := _DIMENSION.search(head):
            name = _xml_text(raw_name.decode("utf-8", "replace"))
            out[name] = int(m[1])
    return out


def _xml_text(text: str) -> str:
    from html import unescape

    return unescape(text)


# ---------------------------------------------------------------- HTML saved as .xls

def _read_html(path: Path, limits: Limits) -> FileRead:
    text = decode_text(path.read_bytes())
    tables = read_html_tables(text, limits.max_rows_per_sheet)
    if not tables:
        raise ReadError("tệp .xls là trang HTML nhưng không có bảng (<table>) nào")
    out = FileRead()
    for i, (rows, truncated) in enumerate(tables, start=1):
        name = "Bảng 1" if len(tables) == 1 else f"Bảng {i}"
        if truncated:
            out.refused.append(Refused(name, _too_many(len(rows), limits)))
        else:
            out.sheets.append(RawSheet(name, rows))
    return out


# ---------------------------------------------------------------- CSV

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
def read_csv(path: Path, limits: Limits) -> FileRead:
    """CSV with ``;`` (Excel on a Vietnamese-locale Windows), ``,`` or tab separators."""
    text = decode_text(path.read_bytes())
    delim = sniff_delimiter("\n".join(text.splitlines()[:30]))
    rows: list[list[object]] = []
    for r in csv.reader(io.StringIO(text), delimiter=delim):
        if len(rows) >= limits.max_rows_per_sheet:
            return FileRead(refused=[Refused(None, _too_many(len(rows) + 1, limits))])
        rows.append(r)  # type: ignore[arg-type]
    return FileRead([RawSheet(None, rows)])


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


# ---------------------------------------------------------------- the agency's folder

INPUT_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".csv", ".ods"}
OUTSIDE = "liên kết ra ngoài thư mục"


def _is_input(name: str) -> bool:
    return Path(name).suffix.lower() in INPUT_SUFFIXES and not name.startswith(("~$", "."))


def confined_files(agency_dir: Path, root: Path | None = None
                   ) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The input files under ``agency_dir`` (any depth), and the entries refused with the
    reason: a symbolic link (to a file or a folder) that leads out of the agency's folder
    is never followed; one that stays inside is read as the file it names."""
    inside = agency_dir.resolve()
    if root is not None and agency_dir.is_symlink() and \
            not inside.is_relative_to(root.resolve()):
        return [], [(agency_dir, f"thư mục cơ quan là {OUTSIDE} dữ liệu: không đọc")]
    files: list[Path] = []
    refused: list[tuple[Path, str]] = []
    for folder, dirs, names in os.walk(agency_dir, followlinks=False):
        base = Path(folder)
        for d in sorted(dirs):
            p = base / d
            if p.is_symlink():
                why = (f"thư mục là {OUTSIDE} của cơ quan: không đọc"
                       if not p.resolve().is_relative_to(inside)
                       else "thư mục là liên kết tượng trưng: không đọc hai lần")
                refused.append((p, why))
        dirs[:] = sorted(d for d in dirs if not (base / d).is_symlink())
        for n in sorted(names):
            p = base / n
            if not _is_input(n):
                continue
            if p.is_symlink():
                target = p.resolve()
                if not target.is_relative_to(inside):
                    refused.append((p, f"tệp là {OUTSIDE} của cơ quan: không đọc"))
                    continue
                if not target.is_file():
                    refused.append((p, "liên kết tượng trưng không trỏ tới tệp nào"))
                    continue
            if p.is_file():
                files.append(p)
    return sorted(files), sorted(refused)


def input_files(agency_dir: Path) -> list[Path]:
    return confined_files(agency_dir)[0]


def input_hashes(raw: Path, agency: str) -> dict[str, str]:
    """SHA-256 of every input file of an agency, by path relative to ``raw``; a refused
    link is listed with its reason instead (adding one changes the fingerprint)."""
    from ..atomic import sha256_file

    adir = raw / agency
    if not adir.is_dir():
        return {}
    files, refused = confined_files(adir, raw)
    out = {p.relative_to(raw).as_posix(): sha256_file(p) for p in files}
    out.update({p.relative_to(raw).as_posix(): f"refused: {why}" for p, why in refused})
    return out


def year_from_path(rel: str) -> int | None:
    years = re.findall(r"(?<!\d)(20\d{2})(?!\d)", rel)
    return int(years[-1]) if years else None
