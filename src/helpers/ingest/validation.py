"""Row rules of the contract, declared as pandera schemas.

Cell parsing (``cells``) has already turned text into typed values; these schemas hold the
rules that look at a whole row or column: dates in order, plausible dates. pandera reports
every failing row at once (``lazy=True``), which we turn back into Excel row numbers.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pandera.pandas as pa

from .spec import Table

EARLIEST = pd.Timestamp(2000, 1, 1)


def _latest() -> pd.Timestamp:
    return pd.Timestamp(date.today() + timedelta(days=366 * 2))


def _plausible(col: str) -> pa.Column:
    return pa.Column(
        "datetime64[ns]", nullable=True, required=False, name=col,
        checks=pa.Check(lambda s: s.isna() | ((s >= EARLIEST) & (s <= _latest())),
                        error=f"ngày không hợp lý (ngoài khoảng {EARLIEST:%Y}–{_latest():%Y})"),
    )


def _order(a: str, b: str, message: str) -> pa.Check:
    """Row check: b is on or after a wherever both are given."""
    return pa.Check(lambda df: df[a].isna() | df[b].isna() | (df[b] >= df[a]),
                    error=message, name=f"{b}>={a}")


SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "ho_so": pa.DataFrameSchema(
        {c: _plausible(c) for c in ("received_on", "due_on", "resolved_on")},
        checks=[
            _order("received_on", "due_on", "ngày hẹn trả trước ngày tiếp nhận"),
            _order("received_on", "resolved_on", "ngày có kết quả trước ngày tiếp nhận"),
        ]),
    "pakn": pa.DataFrameSchema(
        {c: _plausible(c) for c in ("received_on", "due_on", "resolved_on")},
        checks=[
            _order("received_on", "due_on", "hạn xử lý trước ngày tiếp nhận"),
            _order("received_on", "resolved_on", "ngày xử lý xong trước ngày tiếp nhận"),
        ]),
    "danh_gia": pa.DataFrameSchema({"rated_on": _plausible("rated_on")}),
    "nhiem_vu": pa.DataFrameSchema({"completed_on": _plausible("completed_on")}),
}

# the column whose header a row-level failure is reported under
_ROW_CHECK_COLUMN = {"due_on>=received_on": "due_on", "resolved_on>=received_on": "resolved_on"}


def validate(frame: pd.DataFrame, table: Table
             ) -> tuple[pd.DataFrame, list[tuple[int, str, str]]]:
    """(rows that pass, failures as (Excel row, field, message))."""
    schema = SCHEMAS.get(table.code)
    if schema is None or frame.empty:
        return frame, []
    try:
        schema.validate(frame, lazy=True)
        return frame, []
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    failures: list[tuple[int, str, str]] = []
    bad_index: set[int] = set()
    for _, case in cases.iterrows():
        idx = case["index"]
        if idx is None or pd.isna(idx):
            continue
        idx = int(idx)
        column, message = _resolve(schema, case)
        failures.append((int(frame.at[idx, "_row"]), column, message))
        bad_index.add(idx)
    failures = sorted(set(failures))
    return frame.drop(index=sorted(bad_index)), failures


def _resolve(schema: pa.DataFrameSchema, case: pd.Series) -> tuple[str, str]:
    """(field, message) of one failure case. pandera names a check by its name or by its
    error text depending on the version, and reports a row-level (DataFrameSchema) check once
    for every column of the row: such a failure belongs to the column in _ROW_CHECK_COLUMN."""
    check = str(case["check"])
    column = case["column"] if isinstance(case["column"], str) else ""
    if case.get("schema_context") != "DataFrameSchema" and column in schema.columns:
        for c in schema.columns[column].checks:
            if check in (c.name, c.error):
                return column, c.error or check
        return column, check
    for c in schema.checks:
        if check in (c.name, c.error):
            return _ROW_CHECK_COLUMN.get(c.name, column), c.error or check
    return column, check
