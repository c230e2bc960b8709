"""Row rules of the contract, as vectorised checks over a sheet's typed frame.

Cell parsing (``cells``) has already turned text into typed values; these rules look at a
whole row or column: dates plausible, dates in order. Every failing row is reported at
once, with its Excel row number. (They were pandera schemas; pandera's import alone cost
more than checking 200 000 rows, in every process that read a file, so the same rules are
plain pandas comparisons. The configuration is validated by a schema library: pydantic,
in ``params.py``.)
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from .spec import Table

EARLIEST = pd.Timestamp(2000, 1, 1)


def latest() -> pd.Timestamp:
    return pd.Timestamp(date.today() + timedelta(days=366 * 2))


# table → (date columns that must be plausible, (earlier, later, message) pairs)
RULES: dict[str, tuple[tuple[str, ...], tuple[tuple[str, str, str], ...]]] = {
    "ho_so": (("received_on", "due_on", "resolved_on"), (
        ("received_on", "due_on", "ngày hẹn trả trước ngày tiếp nhận"),
        ("received_on", "resolved_on", "ngày có kết quả trước ngày tiếp nhận"))),
    "pakn": (("received_on", "due_on", "resolved_on"), (
        ("received_on", "due_on", "hạn xử lý trước ngày tiếp nhận"),
        ("received_on", "resolved_on", "ngày xử lý xong trước ngày tiếp nhận"))),
    "danh_gia": (("rated_on",), ()),
    "nhiem_vu": (("completed_on",), ()),
}


def validate(frame: pd.DataFrame, table: Table
             ) -> tuple[pd.DataFrame, list[tuple[int, str, str]]]:
    """(rows that pass, failures as (Excel row, field, message)), failures sorted."""
    rules = RULES.get(table.code)
    if rules is None or frame.empty:
        return frame, []
    plausible, order = rules
    bad = pd.Series(False, index=frame.index)
    failures: set[tuple[int, str, str]] = set()
    low, high = EARLIEST, latest()
    message = f"ngày không hợp lý (ngoài khoảng {low:%Y}–{high:%Y})"
    for col in plausible:
        s = frame[col]
        hit = (s.notna() & ((s < low) | (s > high))).to_numpy(dtype=bool)
        failures.update((int(r), col, message) for r in frame["_row"].to_numpy()[hit])
        bad |= hit
    for a, b, text in order:
        hit = (frame[a].notna() & frame[b].notna() & (frame[b] < frame[a])).to_numpy(dtype=bool)
        failures.update((int(r), b, text) for r in frame["_row"].to_numpy()[hit])
        bad |= hit
    return frame[~bad.to_numpy()], sorted(failures)
