"""Ingestion under attack: personal data planted wherever a message could quote it,
links leading out of the agency's folder, zip bombs and oversized sheets, broken row
accounting. Each test is the attack it defends against (issue 14)."""

from __future__ import annotations

import io
import json
import struct
import zipfile
from datetime import date
from pathlib import Path

import pytest
import yaml
from conftest import cchc
from openpyxl import Workbook, load_workbook

from helpers.ingest import store
from helpers.ingest.accounting import AgencyInputs
from helpers.ingest.agency import read_agency
from helpers.ingest.mappings import for_agency
from helpers.ingest.readers import input_hashes
from helpers.params import ConfigError, Limits, load_params

AGENCY = "xa-thu-nghiem"
HEAD = ["Mã hồ sơ", "Mã thủ tục", "Lĩnh vực", "Hình thức nộp", "Ngày tiếp nhận", "Ngày hẹn trả",
        "Ngày có kết quả", "Trạng thái", "Số hóa hồ sơ"]
# planted in every position that can produce a message; none may come out anywhere
CANARIES = ["CANARY-TITLE-Q1", "CANARY-DATE-Q2", "0912345671", "CANARY-BOOL-Q3",
            "0912345672", "canary-q4@example.invalid", "CANARY-ID-Q5", "0912345673",
            "CANARY-PERSON-Q6", "CANARY-MAPPED-Q7", "CANARY-CONTACT-Q8", "0912345674",
            "CANARY-GARBAGE-Q9", "CANARY-NUM-Q10", "CANARY-NOHEADER-Q11", "CANARY-AMBIG-Q12",
            "CANARY-MISSING-Q13", "CANARY-SIGN-Q14", "CANARY-DUE-Q15"]


def _row(i: int, **change: object) -> list[object]:
    r = {"Mã hồ sơ": f"HS-{i:03d}", "Mã thủ tục": "1.000954", "Lĩnh vực": "Văn hóa",
         "Hình thức nộp": "Trực tiếp", "Ngày tiếp nhận": date(2019, 3, i),
         "Ngày hẹn trả": date(2019, 3, i + 7), "Ngày có kết quả": None,
         "Trạng thái": "Đang xử lý", "Số hóa hồ sơ": "Có"}
    r.update(change)
    return [r[h] for h in HEAD]


def _xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def _hostile_agency(raw: Path) -> None:
    d = raw / AGENCY / "2019"
    personal = ["Họ tên người nộp", "Người nộp", "Tình trạng liên hệ SĐT"]
    body = [
        _row(1),
        _row(2, **{"Ngày tiếp nhận": "CANARY-DATE-Q2"}),            # bad date
        _row(3, **{"Ngày tiếp nhận": "0912345671"}),                # a phone under a date
        _row(4, **{"Số hóa hồ sơ": "CANARY-BOOL-Q3"}),              # bad boolean
        _row(5, **{"Trạng thái": "0912345672"}),                    # a phone under an enum
        _row(6, **{"Trạng thái": "canary-q4@example.invalid"}),     # an e-mail under an enum
        _row(7, **{"Mã hồ sơ": "CANARY-ID-Q5"}),
        _row(8, **{"Mã hồ sơ": "CANARY-ID-Q5"}),                    # duplicate id
        _row(9, **{"Mã thủ tục": "0912345673"}),                    # unknown procedure
        _row(10, **{"Ngày hẹn trả": "CANARY-DUE-Q15"}),
    ]
    rows = [["CANARY-TITLE-Q1"], [], HEAD + personal]
    rows += [r + ["CANARY-PERSON-Q6", "CANARY-MAPPED-Q7", "0912345674"] for r in body]
    rows += [[], ["CANARY-SIGN-Q14"]]  # under the table: a stray line
    _xlsx(d / "ho_so_2019.xlsx", {
        "ho_so": rows,
        "Danh bạ": [["Họ tên", "SĐT", "Email"], ["CANARY-CONTACT-Q8", "0912345674",
                                                   "canary-q4@example.invalid"]],
        "Sheet3": [["CANARY-GARBAGE-Q9", 1, 2], ["CANARY-GARBAGE-Q9"]],
    })
    _xlsx(d / "thu_tuc_2019.xlsx", {"thu_tuc": [
        ["Mã thủ tục", "Tên thủ tục", "Lĩnh vực", "Mức độ DVCTT"],
        ["1.000954", "Cấp giấy phép", "Văn hóa", "Toàn trình"]]})
    _xlsx(d / "kinh_phi_2019.xlsx", {"kinh_phi": [
        ["Nhiệm vụ chung", "Nhiệm vụ cụ thể", "Dự kiến kinh phí", "Đã thực hiện"],
        ["Tuyên truyền", "In tờ rơi", "CANARY-NUM-Q10", "0912345674"]]})
    _xlsx(d / "pakn_2019.xlsx", {"pakn": [["CANARY-NOHEADER-Q11", "0912345674"],
                                          ["CANARY-NOHEADER-Q11"]]})
    _xlsx(d / "tong_hop_2019.xlsx", {"Sheet1": [
        ["Mã chỉ số", "Tên chỉ số", "Đơn vị tính", "Chỉ tiêu", "Ngày đánh giá",
         "Kênh đánh giá", "Kết quả", "Mã hồ sơ"], ["CANARY-AMBIG-Q12"] * 8]})
    _xlsx(d / "danh_gia_2019.xlsx", {"danh_gia": [
        ["Ngày đánh giá", "Kết quả"], ["CANARY-MISSING-Q13", "Hài lòng"]]})


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    params = tmp_path / "params"
    (params / "mappings").mkdir(parents=True)
    (params / "agencies.yml").write_text(yaml.safe_dump({"agencies": [
        {"id": AGENCY, "name": "UBND xã Thử Nghiệm", "source_system": "phan-mem-x"}]},
        allow_unicode=True), encoding="utf-8")
    # a mapping that names a personal column as the status: the column is still dropped
    (params / "mappings" / "phan-mem-x.yml").write_text(yaml.safe_dump(
        {"columns": {"ho_so": {"Người nộp": "status"}}}, allow_unicode=True), encoding="utf-8")
    _hostile_agency(tmp_path / "data" / "raw")
    return tmp_path


def _assert_clean(text: str, where: str) -> None:
    for c in CANARIES:
        assert c.lower() not in text.lower(), f"{c!r} leaked into {where}"


def test_canaries_reach_no_message_store_quality_workbook_or_check(hostile: Path) -> None:
    from helpers.present.outputs import quality_workbook

    params = load_params(hostile / "params")
    agency = params.agency(AGENCY)
    raw = hostile / "data" / "raw"
    inputs = read_agency(AGENCY, raw / AGENCY, mapping=for_agency(params, agency), root=raw)
    messages = "\n".join(str(i) for i in inputs.issues)
    # the attacks were seen: every position produced its message
    for expected in ("không đọc được thành ngày", "không phải là ngày Excel", "không phải Có/Không",
                     "không thuộc các giá trị cho phép", "mã hồ sơ trùng với dòng",
                     "không có trong danh mục TTHC", "không phải là số",
                     "không tìm thấy dòng tiêu đề", "khớp với nhiều bảng",
                     "thiếu cột bắt buộc", "không nhận ra bảng"):
        assert expected in messages, expected
    _assert_clean(messages, "messages")
    for r in inputs.reads:  # (the accepted rows are data: ids and codes are kept there)
        _assert_clean(" ".join(why for _, why in r.rejected), "rejection reasons")
        assert not {"Họ tên người nộp", "Người nộp"} & set(r.frame.columns)

    meta = store.ingest(params, agency, raw, hostile / "store")
    assert meta["ok"] is False
    _assert_clean((hostile / "store" / AGENCY / "ingest.json").read_text(encoding="utf-8"),
                  "ingest.json")
    quality_workbook(hostile / "quality.xlsx", meta)
    wb = load_workbook(hostile / "quality.xlsx")
    cells = " ".join(str(c) for ws in wb for row in ws.iter_rows(values_only=True) for c in row)
    _assert_clean(cells, "quality.xlsx")

    proc = cchc("check", "--data", str(hostile / "data"), "--params", str(hostile / "params"))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    _assert_clean(proc.stdout + proc.stderr, "cchc check")


# ---------------------------------------------------------------- inputs confined

def test_links_out_of_the_agency_folder_are_refused_not_read_nor_hashed(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "ho_so_2019.csv").write_text("Mã hồ sơ;Mã thủ tục\nX;Y\n", encoding="utf-8")
    adir = raw / AGENCY
    adir.mkdir(parents=True)
    (adir / "ho_so_2019.csv").symlink_to(secret / "ho_so_2019.csv")
    (adir / "2018").symlink_to(secret)
    (raw / "khac").symlink_to(secret, target_is_directory=True)  # a whole agency folder
    inputs = read_agency(AGENCY, adir, root=raw)
    assert inputs.files == [] and inputs.reads == []
    assert {i.file for i in inputs.errors} == {f"{AGENCY}/ho_so_2019.csv", f"{AGENCY}/2018"}
    # hashing reads nothing outside either; the refusal is part of the fingerprint
    hashes = input_hashes(raw, AGENCY)
    assert all(v.startswith("refused:") for v in hashes.values()), hashes
    escaped = read_agency("khac", raw / "khac", root=raw)
    assert escaped.reads == [] and "thư mục cơ quan" in escaped.errors[0].message


def _sheet_xml(rows: int, cols: int = 30) -> bytes:
    cells = "".join(f'<c t="n"><v>{j}</v></c>' for j in range(cols))
    row = f"<row>{cells}</row>".encode()
    return (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
            b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>' + row * rows
            + b"</sheetData></worksheet>")


def _workbook_with(sheet: bytes) -> bytes:
    """A valid xlsx whose only sheet is ``sheet`` (deflated)."""
    wb = Workbook()
    wb.active.title = "ho_so"
    buf = io.BytesIO()
    wb.save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = sheet if info.filename == "xl/worksheets/sheet1.xml" else zin.read(info)
            zout.writestr(info.filename, data, zipfile.ZIP_DEFLATED, 9)
    return out.getvalue()


@pytest.fixture
def no_calamine(monkeypatch):
    """Fail the test if the workbook is opened: the refusal must come first."""
    import python_calamine

    def opened(*args, **kwargs):
        raise AssertionError("the workbook was opened before it was refused")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", opened)


def test_zip_bomb_is_refused_by_its_compression_ratio_before_it_is_opened(tmp_path, no_calamine):
    # 50 000 rows × 30 cells unpack to ~30 MB of XML from well under 1 MB
    path = tmp_path / "raw" / AGENCY / "ho_so_2019.xlsx"
    path.parent.mkdir(parents=True)
    path.write_bytes(_workbook_with(_sheet_xml(50_000)))
    assert path.stat().st_size < 1_000_000
    inputs = read_agency(AGENCY, path.parent, root=tmp_path / "raw")
    assert inputs.reads == []
    assert [i.message for i in inputs.errors if "max_compression_ratio" in i.message]


def test_declared_unpacked_size_is_refused_before_it_is_opened(tmp_path, no_calamine):
    """3 000 000 rows × 30 columns declared in the zip's directory: refused from the
    directory alone (the declared sizes are patched in; nothing that big is written)."""
    data = bytearray(_workbook_with(_sheet_xml(10)))
    name = b"xl/worksheets/sheet1.xml"
    pos = data.find(b"PK\x01\x02")
    while pos != -1:  # central directory entries: uncompressed size at offset 24
        n = struct.unpack_from("<H", data, pos + 28)[0]
        if data[pos + 46:pos + 46 + n] == name:
            struct.pack_into("<I", data, pos + 24, 2_400_000_000)
        pos = data.find(b"PK\x01\x02", pos + 4)
    path = tmp_path / "raw" / AGENCY / "ho_so_2019.xlsx"
    path.parent.mkdir(parents=True)
    path.write_bytes(bytes(data))
    inputs = read_agency(AGENCY, path.parent, root=tmp_path / "raw")
    assert inputs.reads == []
    assert any("max_unpacked_mb" in i.message for i in inputs.errors), inputs.errors


def test_file_size_limit_from_params(tmp_path: Path) -> None:
    path = tmp_path / "raw" / AGENCY / "ho_so_2019.csv"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"x" * 2_000_000)
    inputs = read_agency(AGENCY, path.parent, root=tmp_path / "raw", limits=Limits(max_file_mb=1))
    assert inputs.reads == [] and "max_file_mb" in inputs.errors[0].message


@pytest.mark.parametrize(("text", "key"), [
    ("max_rows_per_sheet: -1\n", "max_rows_per_sheet"),
    ("max_file_mb: nhiều\n", "max_file_mb"),
    ("max_compression_ratio: 1\n", "max_compression_ratio"),
    ("max_rows: 10\n", "max_rows"),
])
def test_limits_file_is_validated(tmp_path: Path, text: str, key: str) -> None:
    root = Path(__file__).resolve().parent.parent / "params"
    params = tmp_path / "params"
    params.mkdir()
    (params / "agencies.yml").write_text((root / "agencies.yml").read_text(encoding="utf-8"),
                                         encoding="utf-8")
    (params / "mappings").mkdir()
    for m in (root / "mappings").iterdir():
        (params / "mappings" / m.name).write_bytes(m.read_bytes())
    for name in ("periods.yml", "targets.yml", "score.yml"):
        (params / name).write_bytes((root / name).read_bytes())
    (params / "limits.yml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_params(params)
    assert "limits.yml" in str(exc.value) and key in str(exc.value)


def test_shipped_limits_are_the_defaults() -> None:
    root = Path(__file__).resolve().parent.parent / "params"
    assert load_params(root).limits == Limits()


# ---------------------------------------------------------------- accounting before any report

def test_store_is_not_ok_when_rows_do_not_add_up(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    d = raw / AGENCY / "2019"
    _xlsx(d / "ho_so_2019.xlsx", {"ho_so": [HEAD, _row(1), _row(2), _row(3)]})
    inputs = read_agency(AGENCY, raw / AGENCY, root=raw)
    assert inputs.unaccounted() == [] and not inputs.errors
    inputs.reads[0].rows_read += 1  # a row lost between reading and accepting
    meta = store.write_agency(tmp_path / "store", inputs, {"files": {}})
    assert meta["ok"] is False
    assert any("đối soát dòng" in i["message"] for i in meta["issues"])


def test_an_agency_whose_only_workbook_has_a_hidden_sheet_is_read_whole(tmp_path: Path) -> None:
    """The attack of issue 14: 3 143 dossiers in two workbooks, one with its only sheet
    hidden. All 3 143 are read (1 675 + 1 468), with a warning, never 1 675 and exit 0."""
    raw = tmp_path / "raw"
    d = raw / AGENCY / "2019"
    rows = [_row(1 + i % 20, **{"Mã hồ sơ": f"A-{i}"}) for i in range(1675)]
    _xlsx(d / "ho_so_a_2019.xlsx", {"ho_so": [HEAD, *rows]})
    rows = [_row(1 + i % 20, **{"Mã hồ sơ": f"B-{i}"}) for i in range(1468)]
    _xlsx(d / "ho_so_b_2019.xlsx", {"ho_so": [HEAD, *rows]})
    path = d / "ho_so_b_2019.xlsx"
    buf = io.BytesIO()
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/workbook.xml":
                data = data.replace(b'state="visible"', b'state="hidden"')
            zout.writestr(info, data)
    path.write_bytes(buf.getvalue())
    inputs = read_agency(AGENCY, raw / AGENCY, root=raw)
    assert not inputs.errors
    assert sum(r.rows_accepted for r in inputs.reads) == 3143  # 1 675 + 1 468
    assert [w.file for w in inputs.warnings] == [f"{AGENCY}/2019/ho_so_b_2019.xlsx"]
    assert "đang bị ẩn" in inputs.warnings[0].message


# ---------------------------------------------------------------- year-less tables in the store

def test_year_less_table_serves_every_year_and_a_dated_copy_wins(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    head = ["Mã thủ tục", "Tên thủ tục", "Lĩnh vực", "Mức độ DVCTT"]
    _xlsx(raw / AGENCY / "Danh muc TTHC.xlsx", {"Sheet1": [
        head, ["1.000001", "A", "Văn hóa", "Toàn trình"], ["1.000002", "B", "Văn hóa", "Không"]]})
    _xlsx(raw / AGENCY / "2019" / "thu_tuc_2019.xlsx", {"thu_tuc": [
        head, ["1.000001", "A", "Văn hóa", "Một phần"]]})
    inputs: AgencyInputs = read_agency(AGENCY, raw / AGENCY, root=raw)
    assert not inputs.errors and len(inputs.warnings) == 1
    st = tmp_path / "store"
    store.write_agency(st, inputs, {"files": {}})
    assert sorted(p.name for p in (st / AGENCY / "thu_tuc").iterdir()) == ["year=0", "year=2019"]
    cat = store.load_table(st, AGENCY, "thu_tuc", [2018, 2019, 2020])
    by_year = {y: sorted(g["procedure_code"]) for y, g in cat.groupby("year")}
    # 2018 and 2020: the year-less copy (2 procedures); 2019: its own dated copy (1)
    assert by_year == {2018: ["1.000001", "1.000002"], 2019: ["1.000001"],
                       2020: ["1.000001", "1.000002"]}
    assert cat.groupby("year")["_every_year"].all().to_dict() == {2018: True, 2019: False,
                                                                  2020: True}


def test_comparable_of_a_year_less_catalogue_is_null_and_says_so(tmp_path: Path) -> None:
    from helpers.indicators.periods import parse_period
    from helpers.indicators.values import report
    from helpers.present import narrative, tables

    raw = tmp_path / "raw"
    head = ["Mã thủ tục", "Tên thủ tục", "Lĩnh vực", "Mức độ DVCTT"]
    _xlsx(raw / AGENCY / "Danh muc TTHC.xlsx", {"Sheet1": [
        head, ["1.000001", "A", "Văn hóa", "Toàn trình"], ["1.000002", "B", "Văn hóa", "Không"]]})
    _xlsx(raw / AGENCY / "ho_so_2019.xlsx", {"ho_so": [HEAD, _row(1), _row(2)]})
    st = tmp_path / "store"
    store.write_agency(st, read_agency(AGENCY, raw / AGENCY, root=raw), {"files": {}})
    p = parse_period("2019-Q1")
    frames = store.load(st, AGENCY, p.years_needed("calendar"), date(2018, 1, 1))
    ind = report(frames, p, "calendar", AGENCY, {})["indicators"]
    # this year: 1 of 2 procedures online; last year: the same file says nothing of 2018
    assert (ind["rate.online_procedures"]["value"], ind["rate.online_procedures"]["comparable"]
            ) == (0.5, None)
    assert ind["growth.online_procedures"]["value"] is None
    # no dossier of the comparable window (Q1 2018) in any export: null, not 0
    assert ind["dossiers.received_total"] == {**ind["dossiers.received_total"], "value": 2,
                                              "comparable": None}
    assert "không có số liệu cùng kỳ" in str(tables.headline(ind, p))
    assert "không có số liệu cùng kỳ" in str(narrative.online(ind, p)) or \
        "không có số liệu cùng kỳ" in "\n".join(narrative._paragraphs(ind, "X", p, p.window(
            "calendar"), frames.danh_gia))


# ---------------------------------------------------------------- cchc map

def _vendor_export(path: Path) -> None:
    head = ["STT", "Số biên nhận", "Mã TTHC", "Tên thủ tục hành chính", "Lĩnh vực giải quyết",
            "Kênh tiếp nhận hồ sơ", "Ngày nhận", "Ngày hẹn trả kết quả", "Ngày trả", "Tình trạng",
            "Họ tên người nộp", "SĐT", "Đã số hoá"]
    rows = []
    for i in range(1, 13):
        rows.append([i, f"000.00.19.H20-1903{i:02d}-0001", "1.000954", "Cấp phép", "Văn hóa",
                     ("Qua mạng", "Tại quầy", "Bưu điện")[i % 3], f"{i:02d}/03/2019 08:00",
                     f"{i + 7:02d}/03/2019", f"{i + 5:02d}/03/2019" if i % 4 else "",
                     ("Đã trả kết quả", "Đang xử lý")[i % 2], f"CANARY-NAME-{i}",
                     f"09{i:08d}", "Có" if i % 2 else "Không"])
    _xlsx(path, {"Sheet1": [["PHẦN MỀM MỘT CỬA X"], ["DANH SÁCH HỒ SƠ"], [], head, *rows]})


def test_map_drafts_a_mapping_that_check_then_uses(tmp_path: Path, root: Path) -> None:
    import shutil

    proj = tmp_path / "proj"
    shutil.copytree(root / "params", proj / "params")
    export = proj / "data" / "raw" / "xa-moi" / "2019" / "DanhSachHoSo_20251016.xlsx"
    _vendor_export(export)
    before = read_agency("xa-moi", proj / "data" / "raw" / "xa-moi", root=proj / "data" / "raw")
    assert before.reads == []  # the vendor's headers are not the spec's

    proc = cchc("map", str(export), "--params", str(proj / "params"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    draft = proj / "params" / "mappings" / "danhsachhoso-20251016.yml"
    text = draft.read_text(encoding="utf-8")
    assert "CANARY" not in text and "0900000001" not in text  # no personal values
    assert "XÁC NHẬN" in text and "dữ liệu cá nhân" in text
    data = yaml.safe_load(text)
    cols = data["columns"]["ho_so"]
    assert cols["Số biên nhận"] == "dossier_id" and cols["Mã TTHC"] == "procedure_code"
    assert (cols["Ngày nhận"], cols["Ngày hẹn trả kết quả"], cols["Ngày trả"]) == (
        "received_on", "due_on", "resolved_on")
    assert cols["Kênh tiếp nhận hồ sơ"] == "channel" and cols["Tình trạng"] == "status"
    assert cols["Đã số hoá"] == "digitized"
    assert data["values"]["ho_so"]["channel"] == {"Bưu điện": "Bưu chính công ích",
                                                  "Qua mạng": "Trực tuyến",
                                                  "Tại quầy": "Trực tiếp"}
    # never over an existing mapping without --force
    again = cchc("map", str(export), "--params", str(proj / "params"))
    assert again.returncode == 2 and "--force" in again.stderr
    assert cchc("map", str(export), "--params", str(proj / "params"), "--force").returncode == 0

    agencies = yaml.safe_load((proj / "params" / "agencies.yml").read_text(encoding="utf-8"))
    agencies["agencies"].append({"id": "xa-moi", "name": "UBND xã Mới",
                                 "source_system": "danhsachhoso-20251016"})
    (proj / "params" / "agencies.yml").write_text(yaml.safe_dump(agencies, allow_unicode=True),
                                                  encoding="utf-8")
    check = cchc("check", "--agency", "xa-moi", "--data", str(proj / "data"), "--params",
                 str(proj / "params"))
    assert check.returncode == 0, check.stdout + check.stderr
    assert "→ bảng ho_so" in check.stdout and "12 dòng dữ liệu, nhận 12" in check.stdout
    assert "CANARY" not in check.stdout


def test_map_on_a_missing_file_is_one_line() -> None:
    proc = cchc("map", "/khong/co/tep.xlsx")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "không có tệp" in proc.stderr


# ---------------------------------------------------------------- the vocabulary

def test_vocabulary_maps_onto_canonical_values_and_no_spec_header_is_personal() -> None:
    from helpers.ingest import spec
    from helpers.params import CHANNELS, PENDING_STATUSES, RESOLVED_STATUSES, WITHDRAWN_STATUSES

    assert set(spec.CHANNEL_WORDS.values()) <= set(CHANNELS)
    statuses = set(RESOLVED_STATUSES + PENDING_STATUSES + WITHDRAWN_STATUSES)
    assert set(spec.STATUS_WORDS.values()) <= statuses
    assert set(spec.NATIONAL_STATUS_CODES) == {str(i) for i in range(1, 11)}
    assert spec.NATIONAL_STATUS_CODES["7"] in WITHDRAWN_STATUSES
    for t in spec.TABLES.values():
        for f in t.fields:
            for key in (f.header, f.name, *f.aliases):
                assert not spec.is_personal(key), key
    for h in spec.PERSONAL_HEADERS:
        assert spec.is_personal(h) and spec.is_personal(f"{h} (bắt buộc)")


def test_ingest_json_names_how_each_sheet_was_recognised(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    _xlsx(raw / AGENCY / "DanhSachHoSo_20251016.xlsx", {"Sheet1": [HEAD, _row(1)]})
    meta = store.write_agency(tmp_path / "store", read_agency(AGENCY, raw / AGENCY, root=raw),
                              {"files": {}})
    acc = json.loads((tmp_path / "store" / AGENCY / "ingest.json").read_text())["accounting"]
    assert meta["ok"] and acc[0]["recognised_by"] == "dòng tiêu đề (9/14 cột khớp)"
