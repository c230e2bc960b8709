"""The ingestion corpus: every bad or awkward input file in tests/corpus/ gives the outcome
written down for it in tests/corpus/cases.yml (see the header of that file).

The files are committed; tests/corpus/make_corpus.py only regenerates them.
"""

from __future__ import annotations

import math
import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import yaml

from helpers.ingest.accounting import AgencyInputs, Issue
from helpers.ingest.agency import read_agency
from helpers.ingest.spec import TABLES
from helpers.params import Limits

CORPUS = Path(__file__).resolve().parent / "corpus"
PARAMS = CORPUS / "params"
AGENCY = "corpus-agency"
CASES: list[dict] = yaml.safe_load((CORPUS / "cases.yml").read_text(encoding="utf-8"))["cases"]
BY_NAME = {c["name"]: c for c in CASES}


def _param(case: dict):
    marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if case.get("xfail") else []
    return pytest.param(case, id=case["name"], marks=marks)


def _read(name: str) -> AgencyInputs:
    raw = CORPUS / name / "raw"
    limits = Limits(**BY_NAME[name]["limits"]) if "limits" in BY_NAME[name] else None
    return read_agency(AGENCY, raw / AGENCY, root=raw, limits=limits)


def _show(issues: list[Issue]) -> str:
    return "\n".join(str(i) for i in issues) or "(none)"


def _matches(issue: Issue, want: dict) -> bool:
    contains = want["contains"]
    contains = [contains] if isinstance(contains, str) else contains
    return (issue.file == want["file"] and issue.sheet == want["sheet"]
            and issue.row == want["row"] and issue.column == want["column"]
            and all(s in issue.message for s in contains))


def _check_issues(kind: str, actual: list[Issue], expected: list[dict]) -> None:
    """Every expected issue is there, and nothing else: a spurious error (wrong column,
    reported twice) fails the case as surely as a missing one."""
    for want in expected:
        assert any(_matches(i, want) for i in actual), \
            f"expected {kind} not found: {want}\nactual {kind}s:\n{_show(actual)}"
    assert len(actual) == len(expected), \
        f"{len(actual)} {kind}s, expected {len(expected)}:\n{_show(actual)}"


def _same(actual: object, want: object) -> bool:
    if want is None:
        return actual is None or actual is pd.NaT or bool(pd.isna(actual))
    if actual is None or actual is pd.NaT or bool(pd.isna(actual)):
        return False
    if isinstance(want, bool):  # a boolean column, not the text "True"
        return str(actual) in ("True", "False") and not isinstance(actual, str) \
            and (str(actual) == "True") is want
    if isinstance(want, date):
        return pd.Timestamp(actual).date() == want
    if isinstance(want, int):
        return float(actual) == want and float(actual).is_integer()
    if isinstance(want, float):
        return math.isclose(float(actual), want, rel_tol=1e-9)
    return str(actual) == want


def _check_accounting(inputs: AgencyInputs) -> None:
    """Every row of every sheet read is a title, header, skipped or data row, and every
    data row is accepted or rejected, once; the agency's totals are its files' sums."""
    assert inputs.unaccounted() == [], [str(i) for i in inputs.unaccounted()]
    for r in inputs.reads:
        where = f"{r.file} sheet {r.sheet} ({r.table.code})"
        assert r.rows_read == r.rows_accepted + r.rows_rejected, \
            f"{where}: {r.rows_read} read != {r.rows_accepted} accepted + {r.rows_rejected} rejected"
        assert r.rows_total == (r.header_row - 1 + r.header_rows + sum(r.skipped.values())
                                + r.rows_read), f"{where}: rows of the sheet not accounted for"
        rejected = [row for row, _ in r.rejected]
        assert len(rejected) == len(set(rejected)), f"{where}: a row rejected twice: {rejected}"
        assert not set(rejected) & set(r.frame["_row"]), f"{where}: rows both accepted and rejected"


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_case(case: dict) -> None:
    expect = case["expect"]
    inputs = _read(case["name"])

    _check_accounting(inputs)  # every case, good or bad

    if "errors" in expect:
        assert inputs.errors, f"{case['name']}: a bad file must give errors"
        _check_issues("error", inputs.errors, expect["errors"])
    else:
        assert not inputs.errors, f"{case['name']}: unexpected errors:\n{_show(inputs.errors)}"
        _check_issues("warning", inputs.warnings, expect.get("warnings") or [])
    if "errors" in expect and "warnings" in expect:
        _check_issues("warning", inputs.warnings, expect["warnings"])

    if "accepted" in expect:
        counts = {code: sum(r.rows_accepted for r in inputs.reads if r.table.code == code)
                  for code in TABLES}
        want = {code: (expect["accepted"] or {}).get(code, 0) for code in TABLES}
        assert counts == want
    if "reads" in expect:
        assert len(inputs.reads) == expect["reads"]
    if "files" in expect:
        assert sorted(inputs.files) == sorted(expect["files"])
    if expect.get("header_row") is not None:
        assert [r.header_row for r in inputs.reads] == [expect["header_row"]] * len(inputs.reads)
    for file, how in (expect.get("recognised_by") or {}).items():
        assert [how in r.recognised_by for r in inputs.reads if r.file == file] == [True], \
            (file, [(r.file, r.recognised_by) for r in inputs.reads])
    if "skipped" in expect:
        for kind, n in expect["skipped"].items():
            assert sum(r.skipped.get(kind, 0) for r in inputs.reads) == n, kind
    if "rejected" in expect:
        assert sorted(row for r in inputs.reads for row, _ in r.rejected) == expect["rejected"]
    if "dropped_personal" in expect:
        assert sum(len(r.dropped_personal) for r in inputs.reads) == expect["dropped_personal"]

    for spec in expect.get("values") or []:
        spec = dict(spec)
        table, row, file = spec.pop("table"), spec.pop("row"), spec.pop("file", None)
        frames = [r.frame for r in inputs.reads if r.table.code == table
                  and (file is None or r.file == file)]
        hits = [f[f["_row"] == row] for f in frames]
        hits = [h for h in hits if len(h)]
        assert len(hits) == 1, f"{table} row {row} ({file or 'any file'}): {len(hits)} matches"
        got = hits[0].iloc[0]
        for fld, want in spec.items():
            assert _same(got[fld], want), f"{table} row {row} {fld}: {got[fld]!r} != {want!r}"

    personal = expect.get("personal_values") or []
    if personal:
        cells = [str(v) for r in inputs.reads for v in r.frame.astype(str).to_numpy().ravel()]
        cells += [str(c) for r in inputs.reads for c in r.frame.columns]
        messages = [str(i) for i in inputs.issues]
        for value in personal:
            assert not any(value in c for c in cells), f"personal value {value!r} kept"
            assert not any(value in m for m in messages), f"personal value {value!r} in a message"


# ---------------------------------------------------------------- the command line

CLI_CASES = [
    # (case, file named in the output, row, column header)
    ("date-implausible", "corpus-agency/2019/ho_so_2019.csv", 4, "Ngày có kết quả"),
    ("due-before-received", "corpus-agency/2019/ho_so_2019.xlsx", 7, "Ngày hẹn trả"),
    ("duplicate-id-two-files", "corpus-agency/2019/ho_so_mot_cua_2019.xlsx", 6, "Mã hồ sơ"),
    ("corrupt-xlsx", "corpus-agency/2019/ho_so_2019.xlsx", None, None),
    # the header row and the missing column's Vietnamese header, never "cột None"
    ("missing-required-column", "corpus-agency/2019/ho_so_2019.csv", 1, "Hình thức nộp"),
]


@pytest.mark.parametrize(("name", "file", "row", "column"), CLI_CASES,
                         ids=[c[0] for c in CLI_CASES])
def test_cli_check_reports_bad_case(name: str, file: str, row: int | None,
                                    column: str | None) -> None:
    assert "errors" in BY_NAME[name]["expect"]
    proc = subprocess.run(
        [sys.executable, "-m", "helpers.cli", "check", "--data", str(CORPUS / name),
         "--params", str(PARAMS)],
        capture_output=True, text=True, encoding="utf-8", timeout=300)
    out = proc.stdout
    assert "Traceback" not in out + proc.stderr, proc.stderr
    assert proc.returncode == 1, f"exit {proc.returncode}\n{out}\n{proc.stderr}"
    assert file in out, out
    if row is not None:
        assert f"dòng {row}" in out, out
    if column is not None:
        assert f"cột “{column}”" in out, out
    assert "LỖI" in out and ": :" not in out and "None" not in out, out


def test_cli_check_says_which_table_each_sheet_was_taken_for_and_why() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "helpers.cli", "check", "--data", str(CORPUS / "content-recognised"),
         "--params", str(PARAMS)],
        capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    sheet = next(ln for ln in lines if "“Sheet1” →" in ln)
    assert "bảng ho_so" in sheet and "nhận theo dòng tiêu đề (9/14 cột khớp)" in sheet
    assert "4 dòng dữ liệu, nhận 4, loại 0" in sheet
    csv_line = next(ln for ln in lines if "→ bảng danh_gia" in ln)
    assert "dòng tiêu đề (3/4 cột khớp)" in csv_line
