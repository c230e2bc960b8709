"""Attacks through the XML inside a workbook: an external entity (XXE) that would read a
file of the server into a report, and nested entities (billion laughs) that would
expand to gigabytes. Both are refused as an unreadable file, named, with nothing of the
entity in the message."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from helpers.ingest.agency import read_agency

SECRET = "SECRET-XXE-CANARY-7731"


def _workbook_with(path: Path, doctype: str, reference: str) -> None:
    """A dossier workbook whose sheet XML declares ``doctype`` and holds ``reference``
    in a cell (written inline, as openpyxl does)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "ho_so"
    ws.append(["Mã hồ sơ", "Mã thủ tục", "Lĩnh vực", "Hình thức nộp", "Ngày tiếp nhận",
               "Ngày hẹn trả"])
    ws.append(["HS-1", "1.000001", "PLACEHOLDER", "Trực tiếp", "05/03/2019", "12/03/2019"])
    buf = io.BytesIO()
    wb.save(buf)
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(path, "w") as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = data.decode("utf-8").replace("PLACEHOLDER", reference)
                data = ('<?xml version="1.0" encoding="UTF-8"?>' + doctype + text).encode("utf-8")
            out.writestr(info, data)


def _read(raw: Path):
    inputs = read_agency("xa-xml", raw / "xa-xml", root=raw)
    messages = [str(i) for i in inputs.issues]
    cells = [str(v) for r in inputs.reads for v in r.frame.astype(str).to_numpy().ravel()]
    return inputs, messages, cells


@pytest.mark.parametrize("kind", ["xxe", "billion-laughs"])
def test_attack_xml_entities_in_a_workbook_are_refused(tmp_path, kind):
    raw = tmp_path / "raw"
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    if kind == "xxe":
        doctype = f'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
        ref = "&xxe;"
    else:  # 10 × 10⁶ "A" once expanded
        doctype = ('<!DOCTYPE worksheet [<!ENTITY a "AAAAAAAAAA">'
                   + "".join(f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">'
                             for i in range(6)) + "]>")
        ref = "&g;"
    _workbook_with(raw / "xa-xml" / "2019" / "ho_so_2019.xlsx", doctype, ref)
    inputs, messages, cells = _read(raw)
    assert inputs.errors, "the workbook was read"
    assert inputs.errors[0].file == "xa-xml/2019/ho_so_2019.xlsx"
    assert not any(SECRET in m or "AAAAAAAAAA" * 10 in m for m in messages)
    assert not any(SECRET in c or "AAAAAAAAAA" * 10 in c for c in cells)
