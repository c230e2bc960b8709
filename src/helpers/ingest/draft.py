"""A draft source-system mapping from one export whose headers the spec does not know.

``cchc map FILE`` finds the export's header row, guesses the field of each column by its
normalised name and by the values under it (dates, Có/Không, channel and status words,
procedure-code shapes, one id per row) and writes ``params/mappings/<system>.yml`` with
every guess marked for the user to confirm. A personal-data column is named as such and
nothing under it is read; values are written only for enumerated columns (channel,
status …), and only values seen on several rows.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..params import Limits
from ..text import fold, slug
from . import cells
from .headers import HEADER_SCAN_ROWS, _headers_at, _Lookup, field_for, numbering_row, scan_keys
from .readers import RawSheet, read_file
from .spec import TABLES, Field, Table, is_personal, looks_personal

SAMPLE = 300
CONFIRM = "XÁC NHẬN"
_CODE = re.compile(r"^\d\.\d{6}(\.\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2})?$")


class DraftError(ValueError):
    """The export cannot give a draft (no sheet, no header row)."""


@dataclass
class Guess:
    header: str
    field: str | None
    why: str
    score: float = 0.0
    personal: bool = False


def system_name(path: Path) -> str:
    """A mapping name from the file name: ``DanhSachHoSo_20251016.xlsx`` →
    ``danhsachhoso-20251016``."""
    name = slug(path.stem).replace("_", "-")[:64].strip("-")
    return name or "he-thong-moi"


def _sheet(sheets: list[RawSheet], name: str | None) -> RawSheet:
    if name is not None:
        found = [s for s in sheets if s.name == name]
        if not found:
            raise DraftError(f"không có sheet “{name}”; các sheet: "
                             f"{', '.join(str(s.name) for s in sheets)}")
        return found[0]
    filled = [(sum(not cells.is_blank(v) for r in s.rows[:HEADER_SCAN_ROWS] for v in r), i)
              for i, s in enumerate(sheets) if not s.hidden]
    if not filled or max(filled)[0] == 0:
        raise DraftError("tệp không có sheet nào có dữ liệu")
    return sheets[max(filled, key=lambda x: (x[0], -x[1]))[1]]


def header_rows(rows: list[list[object]]) -> tuple[int, int]:
    """(first row, depth) of the export's header: the first wide row of text (at least
    80% as many cells as the widest of the first rows), with the text rows under it that
    fill its blanks (a merged parent's children)."""
    scan = rows[:HEADER_SCAN_ROWS]
    widths = [sum(not cells.is_blank(v) for v in r) for r in scan]
    if not widths or max(widths) < 2:
        raise DraftError("không tìm thấy dòng tiêu đề: các dòng đầu có ít hơn hai ô")
    top = next(i for i, w in enumerate(widths) if w >= 0.8 * max(widths)
               and all(isinstance(v, str) for v in scan[i] if not cells.is_blank(v)))
    depth = 1
    while depth < 3 and top + depth < len(rows):
        below = rows[top + depth]
        texts = [v for v in below if not cells.is_blank(v)]
        if not texts or not all(isinstance(v, str) for v in texts) or numbering_row(below):
            break
        above = rows[top + depth - 1]
        gaps = [j for j, v in enumerate(below) if not cells.is_blank(v)
                and (j >= len(above) or cells.is_blank(above[j]))]
        if not gaps:
            break
        depth += 1
    return top, depth


def _values(rows: list[list[object]], start: int, j: int) -> list[object]:
    out = []
    for r in rows[start:start + SAMPLE]:
        v = r[j] if j < len(r) else None
        if not cells.is_blank(v):
            out.append(v)
    return out


def _share(values: list[object], test) -> float:
    if not values:
        return 0.0
    ok = 0
    for v in values:
        try:
            ok += bool(test(v))
        except cells.CellError:
            pass
    return ok / len(values)


def _by_name(header: str, table: Table) -> list[tuple[Field, float]]:
    """Fields ranked by the words their header, name or aliases share with ``header``,
    each word weighted by how few fields use it ("kênh", "hẹn" say more than "ngày")."""
    keys = {f.name: [set(k.split()) for k in f.keys()] for f in table.fields}
    df: Counter[str] = Counter(w for ks in keys.values() for w in set().union(*ks))

    def weight(ws: set[str]) -> float:
        return sum(1 / df[w] if df[w] else 1.0 for w in ws)

    words = set(fold(header).split())
    ranked = []
    for f in table.fields:
        score = max((weight(words & k) / weight(words | k) for k in keys[f.name]
                     if words | k), default=0.0)
        if score > 0:
            ranked.append((f, score))
    return sorted(ranked, key=lambda x: -x[1])


def _fits(f: Field, kinds: dict[str, float]) -> bool:
    """Whether a column's values could be the field's (a date field needs dates)."""
    need = {"date": "date", "bool": "bool", "money": "money", "float": "money"}.get(f.kind)
    return need is None or kinds[need] >= 0.5


def _row_numbers(values: list[object]) -> bool:
    """1, 2, 3 …: the STT column of a list, not a field."""
    try:
        numbers = [int(float(str(v))) for v in values]
    except ValueError:
        return False
    return len(numbers) >= 3 and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def _date_field(header: str, table: Table) -> Field | None:
    """Which date a dated column is, by the words exports use: "hẹn"/"hạn" is the due
    date, "nhận"/"nộp" the reception, "trả"/"xong"/"hoàn thành"/"kết quả" the result."""
    words = f" {fold(header)} "
    names = {f.name: f for f in table.fields if f.kind == "date"}
    for keys, name in (((" hen ", " han "), "due_on"), ((" nhan ", " nop "), "received_on"),
                       ((" tra ", " xong ", " hoan thanh ", " ket qua "), "resolved_on"),
                       ((" danh gia ",), "rated_on")):
        if name in names and any(k in words for k in keys):
            return names[name]
    return None


def _kinds(values: list[object], f_enum: dict[str, dict[str, str]]) -> dict[str, float]:
    """How well the sampled values fit each kind (share of values that parse as it)."""
    out = {
        "date": _share(values, lambda v: not isinstance(v, int | float) and cells.parse_date(v)),
        "bool": _share(values, lambda v: cells.parse_bool(v) is not None)
        if len({cells.enum_key(v) for v in values}) <= 3 else 0.0,
        "code": _share(values, lambda v: _CODE.match(str(v).strip())),
        "money": _share(values, lambda v: cells.parse_money(v) is not None),
    }
    for name, lookup in f_enum.items():
        out[f"enum:{name}"] = _share(values, lambda v, lk=lookup: cells.enum_key(v) in lk)
    distinct = len({str(v) for v in values})
    out["id"] = 1.0 if values and distinct == len(values) and len(values) >= 5 and all(
        re.search(r"\d", str(v)) for v in values) else 0.0
    return out


def _guess_column(header: str, values: list[object], table: Table) -> Guess:
    if is_personal(header):
        return Guess(header, None, "dữ liệu cá nhân: luôn bỏ khi đọc, không dùng", personal=True)
    exact = field_for(table, header, None)
    if exact is not None:
        return Guess(header, exact.name, "tên cột khớp đặc tả", 3.0)
    if _row_numbers(values):
        return Guess(header, None, "số thứ tự dòng, không phải dữ liệu")
    enums = {f.name: cells.enum_lookup(f.values, f.synonyms) for f in table.fields
             if f.kind == "enum"}
    kinds = _kinds(values, enums)
    for name in enums:  # channel, status … words
        if kinds[f"enum:{name}"] >= 0.6:
            return Guess(header, name, "theo giá trị (từ ngữ của trường này)",
                         1.5 + kinds[f"enum:{name}"])
    if "channel" in enums and len({str(v) for v in values}) <= 12 and _share(
            values, lambda v: _value_guess(table.field("channel"), v)) >= 0.6:
        return Guess(header, "channel", "theo giá trị (giống hình thức nộp)", 1.5)
    if kinds["code"] >= 0.8 and "procedure_code" in {f.name for f in table.fields}:
        return Guess(header, "procedure_code", "theo giá trị (dạng mã thủ tục)", 1.8)
    ranked = [(f, sc) for f, sc in _by_name(header, table) if _fits(f, kinds)]
    for kind in ("date", "bool"):
        if kinds[kind] >= 0.8:
            fields = [f for f in table.fields if f.kind == kind]
            pick = next((f for f, _ in ranked if f.kind == kind), None)
            if kind == "date":
                pick = _date_field(header, table) or pick
            if pick is not None:
                return Guess(header, pick.name, f"theo tên cột và giá trị ({kind})",
                             1.0 + kinds[kind])
            return Guess(header, None if not fields else f"?{kind}",
                         f"theo giá trị ({kind}); chưa rõ trường nào", kinds[kind])
    if kinds["id"] and table.key and table.field(table.key).kind == "text":
        return Guess(header, table.key, "theo giá trị (mỗi dòng một mã)", 1.2)
    if ranked and ranked[0][1] >= 0.34:
        return Guess(header, ranked[0][0].name, "theo tên cột", ranked[0][1])
    return Guess(header, None, "chưa đoán được trường (để trống: cột bị bỏ qua)")


def _settle(guesses: list[Guess], table: Table) -> None:
    """Each field once (the best guess keeps it); date and boolean columns whose field
    could not be told from their names take the unclaimed fields of their kind in order."""
    by_field: dict[str, Guess] = {}
    for g in sorted((g for g in guesses if g.field and not g.field.startswith("?")),
                    key=lambda g: -g.score):
        if g.field in by_field:
            g.why += f"; trường {g.field} đã dùng cho cột “{by_field[g.field].header}”"
            g.field = None
        else:
            by_field[g.field] = g
    for g in guesses:
        if g.field and g.field.startswith("?"):
            kind = g.field[1:]
            free = [f.name for f in table.fields if f.kind == kind and f.name not in by_field]
            g.field = free[0] if free else None
            if g.field:
                by_field[g.field] = g
                g.why = f"theo giá trị ({kind}) và thứ tự cột"


def _table_for(guesses_by_table: dict[str, list[Guess]]) -> str:
    return max(guesses_by_table, key=lambda c: (
        sum(1 for g in guesses_by_table[c] if g.field) + sum(
            1 for g in guesses_by_table[c] if g.field and g.score >= 1),
        c == "ho_so"))


_CHANNEL_HINTS = (("buu", "Bưu chính công ích"), ("truc tuyen", "Trực tuyến"),
                  ("mang", "Trực tuyến"), ("online", "Trực tuyến"), ("dvc", "Trực tuyến"),
                  ("cong dich vu", "Trực tuyến"), ("truc tiep", "Trực tiếp"),
                  ("mot cua", "Trực tiếp"), ("quay", "Trực tiếp"))
_STATUS_HINTS = (("rut", "Rút hồ sơ"), ("tu choi", "Từ chối"), ("khong tiep nhan", "Từ chối"),
                 ("dung", "Từ chối"), ("tra ket qua", "Đã trả kết quả"), ("xong", "Đã giải quyết"),
                 ("hoan thanh", "Đã giải quyết"), ("da giai quyet", "Đã giải quyết"))


def _value_guess(f: Field, value: object) -> str | None:
    key = fold(value)
    hints = _CHANNEL_HINTS if f.name == "channel" else _STATUS_HINTS if f.name == "status" \
        else ()
    for word, target in hints:
        if word in key and target in f.values:
            return target
    return "Đang xử lý" if f.name == "status" else None


def _unknown_values(rows: list[list[object]], start: int, j: int, f: Field
                    ) -> list[tuple[str, str | None]]:
    """Values of an enumerated column the vocabulary does not know, seen on at least two
    rows (a value seen once may be a misplaced personal datum: never written)."""
    lookup = cells.enum_lookup(f.values, f.synonyms)
    seen = Counter(" ".join(str(v).split()) for v in _values(rows, start, j))
    out = []
    for text, n in sorted(seen.items()):
        if n >= 2 and not looks_personal(text) and cells.enum_key(text) not in lookup:
            out.append((text, _value_guess(f, text)))
    return out[:30]


def _line(key: str, value: str | None, comment: str, indent: int) -> str:
    pad = " " * indent
    dumped = yaml.safe_dump({key: value}, allow_unicode=True, width=1000).strip()
    return f"{pad}{dumped}  # {comment}"


def draft(path: Path, system: str, table_code: str | None = None, sheet: str | None = None,
          limits: Limits | None = None) -> tuple[str, str, int, int]:
    """The draft mapping's YAML text, the table it maps, and how many columns were
    guessed out of how many."""
    got = read_file(path, limits)
    if not got.sheets:
        raise DraftError("không đọc được sheet nào của tệp"
                         + (f": {got.refused[0].why}" if got.refused else ""))
    raw = _sheet(got.sheets, sheet)
    top, depth = header_rows(raw.rows)
    keys = scan_keys(raw.rows)
    start = top + depth
    if start < len(raw.rows) and numbering_row(raw.rows[start]):
        start += 1
    headers: list[object] = []
    for h in _headers_at(raw.rows, keys, top, depth, _Lookup())[0]:
        text = None if cells.is_blank(h) else " ".join(str(h).split())
        headers.append(None if text in headers else text)  # a header twice: the first only
    guesses_by_table: dict[str, list[Guess]] = {}
    for code in ([table_code] if table_code else list(TABLES)):
        t = TABLES[code]
        gs = [_guess_column(str(h), [] if is_personal(h) else _values(raw.rows, start, j), t)
              for j, h in enumerate(headers) if not cells.is_blank(h)]
        _settle(gs, t)
        guesses_by_table[code] = gs
    code = table_code or _table_for(guesses_by_table)
    table, guesses = TABLES[code], guesses_by_table[code]
    return (_yaml(path, system, raw, top, table, guesses, headers, start), code,
            sum(1 for g in guesses if g.field), len(guesses))


def _yaml(path: Path, system: str, raw: RawSheet, top: int, table: Table,
          guesses: list[Guess], headers: list[object], start: int) -> str:
    where = f"sheet “{raw.name}”, " if raw.name else ""
    lines = [
        f"# Bản nháp ánh xạ của hệ thống “{system}”, tạo bằng `cchc map` từ tệp {path.name}",
        f"# ({where}dòng tiêu đề {top + 1}). Mỗi dòng ghi {CONFIRM} là một phán đoán: sửa tên",
        "# trường nếu sai, xóa dòng nếu không dùng. Rồi ghi `source_system: "
        f"{system}` cho cơ quan",
        "# trong params/agencies.yml và chạy `cchc check`. Trường của từng bảng: docs/data-spec.md.",
        "columns:",
        f"  {table.code}:",
    ]
    for g in guesses:
        if g.field:
            lines.append(_line(g.header, g.field, f"{CONFIRM}: {g.why}", 4))
        else:
            lines.append(f"    # “{g.header}”: {g.why}")
    values = []
    by_name = {f.name: f for f in table.fields}
    for j, h in enumerate(headers):
        g = next((g for g in guesses if g.header == str(h)), None)
        if cells.is_blank(h) or g is None or not g.field or g.personal:
            continue
        f = by_name[g.field]
        if f.kind != "enum":
            continue
        unknown = _unknown_values(raw.rows, start, j, f)
        if unknown:
            values.append(f"    {f.name}:")
            for text, target in unknown:
                values.append(_line(text, target, f"{CONFIRM}: một trong "
                                    f"{', '.join(f.values)}", 6))
    lines += (["values:", f"  {table.code}:", *values] if values else ["values: {}"])
    return "\n".join(lines) + "\n"


def write_draft(path: Path, params_dir: Path, system: str | None = None,
                table: str | None = None, sheet: str | None = None, force: bool = False,
                limits: Limits | None = None) -> tuple[Path, str, int, int]:
    """Write the draft to ``params/mappings/<system>.yml``; never over an existing file
    unless ``force``. Returns (path written, table, columns guessed, columns)."""
    from ..atomic import write_bytes_atomic
    from ..text import SAFE_ID

    system = system or system_name(path)
    if not SAFE_ID.match(system):
        raise DraftError(f"tên hệ thống “{system}” không hợp lệ (chữ thường, số, “-”)")
    if table is not None and table not in TABLES:
        raise DraftError(f"bảng “{table}” không có; các bảng: {', '.join(TABLES)}")
    out = params_dir / "mappings" / f"{system}.yml"
    if out.exists() and not force:
        raise DraftError(f"{out} đã có: không ghi đè (thêm --force để ghi đè, hoặc đặt tên "
                         "khác bằng --system)")
    text, code, guessed, total = draft(path, system, table, sheet, limits)
    yaml.safe_load(text)  # the draft must itself be valid YAML
    out.parent.mkdir(parents=True, exist_ok=True)
    write_bytes_atomic(out, text.encode("utf-8"))
    return out, code, guessed, total
