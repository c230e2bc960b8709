"""The blank input templates: headers and lists follow the spec, and a filled template ingests."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.cell_range import MultiCellRange

from helpers.ingest.agency import read_agency
from helpers.ingest.spec import TABLES
from helpers.ingest.templates import BOOL_VALUES, GUIDE_SHEET, LAST_ROW, write_templates


@pytest.fixture(scope="module")
def templates(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("templates")
    paths = write_templates(out)
    return {p.stem: p for p in paths}


def _list_values(formula: str) -> list[str]:
    assert formula.startswith('"') and formula.endswith('"'), formula
    return formula[1:-1].split(",")


def test_one_template_per_table(templates):
    assert sorted(templates) == sorted(TABLES)
    for code, path in templates.items():
        assert path.name == f"{code}.xlsx" and path.is_file()
    # atomic writes leave no temporary files behind
    folder = next(iter(templates.values())).parent
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{c}.xlsx" for c in TABLES)


@pytest.mark.parametrize("code", list(TABLES))
def test_template_matches_spec(templates, code):
    table = TABLES[code]
    wb = load_workbook(templates[code])
    assert wb.sheetnames == [code, GUIDE_SHEET]
    ws = wb[code]
    headers = [c.value for c in ws[1]]
    assert headers == [f.header for f in table.fields]
    assert ws.freeze_panes == "A2"
    for j, f in enumerate(table.fields, start=1):
        cell = ws.cell(row=1, column=j)
        assert bool(cell.font.b) == f.required, f.name
        assert cell.comment is not None and cell.comment.text.startswith(f"{f.name} · ")
        assert ("bắt buộc" in cell.comment.text) and (
            ("không bắt buộc" in cell.comment.text) != f.required)
        letter = cell.column_letter
        assert ws.column_dimensions[letter].width >= len(f.header)
        if f.kind == "date":
            assert ws.cell(row=2, column=j).number_format == "DD/MM/YYYY"
            assert ws.cell(row=LAST_ROW, column=j).number_format == "DD/MM/YYYY"

    validations = ws.data_validations.dataValidation
    for j, f in enumerate(table.fields, start=1):
        if f.kind not in ("enum", "bool"):
            continue
        expected = list(f.values) if f.kind == "enum" else list(BOOL_VALUES)
        letter = ws.cell(row=1, column=j).column_letter
        found = [dv for dv in validations
                 if dv.type == "list" and _list_values(dv.formula1) == expected
                 and f"{letter}2" in dv.sqref and f"{letter}{LAST_ROW}" in dv.sqref]
        assert found, f"no drop-down list for {code}.{f.name}"
        dv = found[0]
        assert dv.showErrorMessage and dv.errorStyle in (None, "stop")
        assert dv.error and "giá trị" in dv.error
        assert dv.sqref == MultiCellRange(f"{letter}2:{letter}{LAST_ROW}")
    # no list on a free column
    listed = {str(dv.sqref)[0] for dv in validations}
    free = {ws.cell(row=1, column=j).column_letter for j, f in enumerate(table.fields, start=1)
            if f.kind not in ("enum", "bool")}
    assert not listed & free

    guide = wb[GUIDE_SHEET]
    text = "\n".join(str(c) for row in guide.iter_rows(values_only=True) for c in row if c)
    for f in table.fields:
        assert f.header in text and f.name in text
    assert "data/raw/" in text and "dd/mm/yyyy" in text and "CCCD" in text


HO_SO_ROWS = [
    {"dossier_id": "HS-2019-000001", "procedure_code": "1.000123", "procedure_name": "Cấp phép A",
     "field": "Văn hóa cơ sở", "unit": "VP", "channel": "Trực tiếp",
     "received_on": date(2019, 3, 1), "due_on": date(2019, 3, 8), "resolved_on": date(2019, 3, 5),
     "status": "Đã giải quyết", "apology_sent": False, "paid_online": True, "digitized": True,
     "e_result": False},
    {"dossier_id": "HS-2019-000002", "procedure_code": "2.001230", "procedure_name": None,
     "field": "Gia đình", "unit": None, "channel": "Trực tuyến",
     "received_on": date(2019, 6, 14), "due_on": date(2019, 6, 24), "resolved_on": date(2019, 6, 26),
     "status": "Đã giải quyết", "apology_sent": True, "paid_online": None, "digitized": False,
     "e_result": True},
    {"dossier_id": "HS-2019-000003", "procedure_code": "1.000123", "procedure_name": "Cấp phép A",
     "field": "Văn hóa cơ sở", "unit": "QLVH", "channel": "Bưu chính công ích",
     "received_on": date(2019, 12, 30), "due_on": date(2020, 1, 9), "resolved_on": None,
     "status": "Đang giải quyết", "apology_sent": None, "paid_online": False, "digitized": False,
     "e_result": None},
]


def _excel(value: object) -> object:
    if isinstance(value, bool):
        return "Có" if value else "Không"
    return value


@pytest.fixture()
def filled_agency(templates, tmp_path) -> Path:
    wb = load_workbook(templates["ho_so"])
    ws = wb["ho_so"]
    names = [f.name for f in TABLES["ho_so"].fields]
    for i, row in enumerate(HO_SO_ROWS, start=2):
        for j, name in enumerate(names, start=1):
            value = _excel(row[name])
            if value is not None:
                ws.cell(row=i, column=j, value=value)
    target = tmp_path / "raw" / "test-agency" / "2019" / "ho_so.xlsx"
    target.parent.mkdir(parents=True)
    wb.save(target)
    return tmp_path / "raw"


def test_filled_template_round_trip(filled_agency):
    inputs = read_agency("test-agency", filled_agency / "test-agency", root=filled_agency)
    data_reads = [r for r in inputs.reads if r.sheet == "ho_so"]
    assert len(data_reads) == 1
    read = data_reads[0]
    assert read.rows_read == 3 and read.rows_accepted == 3 and read.rows_rejected == 0
    assert read.header_row == 1
    assert not read.dropped_personal
    # no problem at all with the data sheet (the guide sheet: see the next test)
    assert [str(i) for i in inputs.issues if i.sheet != GUIDE_SHEET] == []

    frame = read.frame.sort_values("_row")
    assert frame["_row"].tolist() == [2, 3, 4]
    for (_, got), want in zip(frame.iterrows(), HO_SO_ROWS, strict=True):
        for name, value in want.items():
            cell = got[name]
            if value is None:
                assert pd.isna(cell), (name, cell)
            elif isinstance(value, date):
                assert isinstance(cell, datetime) and cell.date() == value, (name, cell)
            elif isinstance(value, bool):
                assert not pd.isna(cell) and bool(cell) is value, (name, cell)
            else:
                assert cell == value, (name, cell)


def test_guide_sheet_is_not_read_as_data(filled_agency):
    inputs = read_agency("test-agency", filled_agency / "test-agency", root=filled_agency)
    assert [str(i) for i in inputs.issues if i.sheet == GUIDE_SHEET] == []
    assert all(r.sheet != GUIDE_SHEET for r in inputs.reads)


def test_cli_template(tmp_path):
    out = tmp_path / "mau"
    proc = subprocess.run([sys.executable, "-m", "helpers.cli", "template", "--out", str(out)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{c}.xlsx" for c in TABLES)
    for code in TABLES:
        assert f"{code}.xlsx" in proc.stdout
