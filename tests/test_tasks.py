"""Plan tasks (data-spec.md, ``nhiem_vu``): deadlines as plans write them, and each task's
state at a window's end.

Rule of the spec: "A deadline that names a date or period resolves to its last day;
recurring or open-ended ones are kept as such and reported as continuing work, never as
overdue."

Readings where the spec is silent (documented here):

- A cell naming several dates ("trước ngày 11/6; trước ngày 19/11", or the reporting
  calendar "quý I (5/3), 6 tháng (5/6), 9 tháng (5/9) và báo cáo năm(15/11)") resolves to
  the *last* of them — the day by which all of it must be done — and is marked as repeating.
- A yearly deadline first set in an earlier year ("Quý IV/2018 và hằng năm") falls in the
  plan's year (31/12/2019 in a 2019 plan).
- A dated deadline from an earlier year without "hằng năm" ("Tháng 10/2018" in a 2019 plan,
  as transcribed) is kept as written: 31/10/2018.
- "Tháng 11" without a year is November of the plan year.
- A task marked "Hoàn thành" whose completion date is after its deadline is done *late*.
- A task finished after the window's end was not finished at the end: it is in progress
  (deadline still ahead) or overdue (deadline passed).
- A status is read as written ("Đang thực hiện đúng tiến độ" is work in progress, on
  time): ``WRITTEN_STATUSES`` is the vocabulary. A task with no status and no completion
  date takes as its completion date the date of the latest document of its own that its
  evidence cites, if its deadline is dated (a document cited for recurring work records
  it, it does not end it); a document cited as the basis ("… của Ủy ban nhân dân Thành
  phố", a Nghị định) does not count. With no status, evidence text means work in progress.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from helpers.indicators.tasks import (
    DONE,
    LATE,
    NOT_STARTED,
    NOTHING_WRITTEN,
    ON_TIME,
    ONGOING,
    STATES,
    WRITTEN_STATUSES,
    evidence_date,
    read_status,
    resolve_deadline,
    summary_by,
    task_counts,
    task_states,
    task_warnings,
)
from helpers.text import fold

ROOT = Path(__file__).resolve().parents[1]
FORMS_FILE = ROOT / "sample" / "plans" / "deadline_forms.txt"
D = date

DATE, RECURRING, OPEN = "date", "recurring", "open"

# Every line of sample/plans/deadline_forms.txt, resolved by hand for a 2019 plan:
# (kind, last day or None, repeats)
FORMS_2019 = {
    # four dates → the last one, 15/11/2019; a reporting calendar, so it repeats
    "Báo cáo quý I (5/3), 6 tháng (5/6), 9 tháng (5/9) và báo cáo năm(15/11)":
        (DATE, D(2019, 11, 15), True),
    "Hàng năm": (RECURRING, None, True),
    "Hàng tháng": (RECURRING, None, True),
    "Khi có yêu cầu của Thành phố": (OPEN, None, False),
    "Quý I/2019": (DATE, D(2019, 3, 31), False),
    "Quý I/2019 và hằng năm": (DATE, D(2019, 3, 31), True),
    "Quý II/2019": (DATE, D(2019, 6, 30), False),
    "Quý III/2019": (DATE, D(2019, 9, 30), False),
    # yearly, first set in 2018 → falls in the plan year
    "Quý IV/2018 và hằng năm": (DATE, D(2019, 12, 31), True),
    "Sau khi Bộ Nội vụ ban hành Thông tư": (OPEN, None, False),
    "Sau khi Bộ Thông tin và Truyền thông ban hành quy chuẩn": (OPEN, None, False),
    "Sau khi Bộ Tài chính ban hành Thông tư": (OPEN, None, False),
    "Sau khi Văn phòng Chính phủ ban hành Thông tư": (OPEN, None, False),
    "Theo Kế hoạch": (OPEN, None, False),
    "Theo Kế hoạch của Thành phố, của Bộ Văn hóa, Thể thao và Du lịch": (OPEN, None, False),
    "Theo tiến độ": (OPEN, None, False),
    "Theo tiến độ Kế hoạch": (OPEN, None, False),
    # "theo định kỳ báo cáo" makes it periodic: recurring (either way: continuing, undated)
    "Theo tiến độ của Kế hoạch; Báo cáo tiến độ kết quả thực hiện theo định kỳ báo cáo "
    "công tác kiểm soát thủ tục hành chính": (RECURRING, None, True),
    "Theo tiến độ của Thành phố": (OPEN, None, False),
    "Theo tiến độ phê duyệt": (OPEN, None, False),
    "Theo tiến độ Đề án, Kế hoạch của Thành phố": (OPEN, None, False),
    "Theo yêu cầu": (OPEN, None, False),
    "Tháng 01 năm 2019": (DATE, D(2019, 1, 31), False),
    "Tháng 02 năm 2019": (DATE, D(2019, 2, 28), False),
    "Tháng 10/2018": (DATE, D(2018, 10, 31), False),
    "Tháng 10/2019": (DATE, D(2019, 10, 31), False),
    "Tháng 11": (DATE, D(2019, 11, 30), False),
    "Tháng 11/2018": (DATE, D(2018, 11, 30), False),
    "Tháng 12/2018": (DATE, D(2018, 12, 31), False),
    "Thường xuyên": (RECURRING, None, True),
    "Trong năm 2019": (DATE, D(2019, 12, 31), False),
    "chậm nhất là 20 ngày sau khi có QĐ của Bộ": (OPEN, None, False),
    "hàng tuần": (RECURRING, None, True),
    "ngay khi có QĐ của Chủ tịch UBND tỉnh": (OPEN, None, False),
    "theo thời hạn đã đăng ký với UBND tỉnh": (OPEN, None, False),
    "thường xuyên": (RECURRING, None, True),
    "trong quý I": (DATE, D(2019, 3, 31), False),
    "trong quý II": (DATE, D(2019, 6, 30), False),
    "trong quý III": (DATE, D(2019, 9, 30), False),
    "trong tháng 1/2019": (DATE, D(2019, 1, 31), False),
    # two dates → the last: 19/11/2019
    "trước ngày 11/6; trước ngày 19/11": (DATE, D(2019, 11, 19), True),
    "trước ngày 11/6; trước ngày 5/11/2019": (DATE, D(2019, 11, 5), True),
    "định kỳ": (RECURRING, None, True),
}

# The forms the spec lists, in a 2019 plan.
SPEC_FORMS_2019 = {
    "Tháng 01/2019": (DATE, D(2019, 1, 31)),
    "Quý II": (DATE, D(2019, 6, 30)),
    "Quý I/2019 và hằng năm": (DATE, D(2019, 3, 31)),
    "Trong năm 2019": (DATE, D(2019, 12, 31)),
    "trước ngày 11/6": (DATE, D(2019, 6, 11)),
    "Tháng 10/2019": (DATE, D(2019, 10, 31)),
    "Thường xuyên": (RECURRING, None),
    "Hàng tháng": (RECURRING, None),
    "Định kỳ": (RECURRING, None),
    "Theo tiến độ": (OPEN, None),
    "Khi có yêu cầu": (OPEN, None),
}


def _read_forms() -> list[str]:
    return [line.rstrip("\n") for line in FORMS_FILE.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def test_inline_list_covers_the_file():
    """The inline table above lists exactly the lines of deadline_forms.txt."""
    lines = _read_forms()
    assert len(lines) == 43
    assert set(lines) == set(FORMS_2019)


@pytest.mark.parametrize("line", _read_forms())
def test_every_line_of_the_forms_file(line):
    kind, on, repeats = FORMS_2019[line]
    d = resolve_deadline(line, 2019)
    assert (d.kind, d.on, d.repeats) == (kind, on, repeats)
    assert d.kind != "unknown"
    assert d.text == line


@pytest.mark.parametrize(("text", "expected"), list(SPEC_FORMS_2019.items()))
def test_spec_forms(text, expected):
    d = resolve_deadline(text, 2019)
    assert (d.kind, d.on) == expected
    # undated ones are never dated
    assert d.dated is (expected[1] is not None)


@pytest.mark.parametrize(
    ("text", "year", "on"),
    [
        ("Quý II", 2020, D(2020, 6, 30)),       # no year: the plan year
        ("Quý IV", 2019, D(2019, 12, 31)),
        ("Quý 1", 2019, D(2019, 3, 31)),          # budget timing writes arabic numbers
        ("quý 2 năm 2019", 2020, D(2019, 6, 30)),
        ("trước ngày 11/6", 2020, D(2020, 6, 11)),
        ("Tháng 02/2020", 2020, D(2020, 2, 29)),  # leap year
        ("tháng 5 năm 2019", 2019, D(2019, 5, 31)),
        ("6 tháng đầu năm", 2019, D(2019, 6, 30)),
        ("Năm 2019", 2019, D(2019, 12, 31)),
        ("Trong năm", 2019, D(2019, 12, 31)),
        ("05/03/2019", 2019, D(2019, 3, 5)),
        ("", 2019, D(2019, 12, 31)),              # no time given: a task of the plan year
    ],
)
def test_more_dated_forms(text, year, on):
    assert resolve_deadline(text, year).on == on


def test_missing_deadline_cell():
    assert resolve_deadline(None, 2019).on == D(2019, 12, 31)
    assert resolve_deadline(float("nan"), 2019).on == D(2019, 12, 31)


def test_impossible_date_is_unknown():
    assert resolve_deadline("trước ngày 31/2", 2019).kind == "unknown"


# ---------------------------------------------------------------------------- task states

END = D(2019, 9, 14)  # 2019-9M under decree09: 15/12/2018–14/09/2019


def tasks_frame() -> pd.DataFrame:
    rows = [
        # id, group, lead, deadline, status, completed_on → expected state (due?)
        ("T1", "I", "VP", "Quý I/2019", "Hoàn thành", "2019-03-20"),        # done (due)
        ("T2", "I", "VP", "Quý II", "Hoàn thành", "2019-07-10"),            # done_late (due):
        #                                                   finished 10/07 > deadline 30/06
        ("T3", "I", "QLVH", "Tháng 01/2019", "Hoàn thành trễ hạn", "2019-02-10"),  # done_late
        ("T4", "I", "QLVH", "Tháng 10/2019", "Đang thực hiện", None),     # in_progress
        ("T5", "II", "VP", "Quý IV", "Chưa thực hiện", None),             # not_started
        ("T6", "II", "VP", "Thường xuyên", "Đang thực hiện", None),       # continuing
        ("T7", "II", "QLVH", "Theo tiến độ", "Chưa thực hiện", None),     # continuing,
        #                                                         never overdue
        ("T8", "II", "QLVH", "trước ngày 11/6", "Đang thực hiện", None),  # overdue (due)
        ("T9", "III", "VP", "Quý III/2019", "Hoàn thành", "2019-09-20"),  # in_progress:
        #                              finished after END, deadline 30/09 still ahead
        ("T10", "III", "VP", "Tháng 01/2019", "Hoàn thành", None),        # done (due):
        #                                                 no completion date, status says done
        ("T11", "III", "QLVH", "Hàng tháng", "Hoàn thành", "2019-08-01"),  # done, not due
        ("T12", "III", "QLVH", "Tháng 12/2019", None, None),              # not_started
    ]
    df = pd.DataFrame(rows, columns=["task_id", "group", "lead", "deadline", "status",
                                     "completed_on"])
    df["completed_on"] = pd.to_datetime(df["completed_on"]).astype("datetime64[ns]")
    return df


EXPECTED_STATES = {
    "T1": "done", "T2": "done_late", "T3": "done_late", "T4": "in_progress",
    "T5": "not_started", "T6": "continuing", "T7": "continuing", "T8": "overdue",
    "T9": "in_progress", "T10": "done", "T11": "done", "T12": "not_started",
}
# due by END (dated, deadline ≤ 14/09/2019): T1 31/03, T2 30/06, T3 31/01, T8 11/06,
# T10 31/01 → 5; done among them: T1 T2 T3 T10 → 4; rate = 4/5 = 0.8
EXPECTED_DUE = {"T1", "T2", "T3", "T8", "T10"}


def test_task_states_each_task_one_state():
    st = task_states(tasks_frame(), END, 2019)
    assert dict(zip(st["task_id"], st["state"], strict=True)) == EXPECTED_STATES
    assert set(st["state"]) <= set(STATES)
    assert set(st.loc[st["due"], "task_id"]) == EXPECTED_DUE
    # resolved deadlines are kept next to the tasks
    assert st.set_index("task_id").loc["T2", "deadline_on"] == D(2019, 6, 30)
    assert st.set_index("task_id").loc["T6", "deadline_kind"] == "recurring"


def test_recurring_and_open_tasks_are_never_overdue():
    """Even long after the year, an undated task that is not done is continuing."""
    st = task_states(tasks_frame(), D(2020, 12, 31), 2019)
    s = dict(zip(st["task_id"], st["state"], strict=True))
    assert s["T6"] == "continuing" and s["T7"] == "continuing"
    # …while the dated ones still open are overdue by then
    assert s["T4"] == "overdue" and s["T5"] == "overdue" and s["T12"] == "overdue"
    # T9 was finished 20/09/2019, before its deadline 30/09 → done on time by then
    assert s["T9"] == "done"


def test_task_counts_and_rate():
    counts = task_counts(task_states(tasks_frame(), END, 2019))
    assert counts == {
        "tasks.done": 3,         # T1 T10 T11
        "tasks.done_late": 2,    # T2 T3
        "tasks.overdue": 1,      # T8
        "tasks.in_progress": 2,  # T4 T9
        "tasks.not_started": 2,  # T5 T12
        "tasks.continuing": 2,   # T6 T7
        "tasks.total": 12,
        "tasks.due": 5,
        "tasks.due_done": 4,
    }
    # every task in exactly one state
    assert sum(counts[f"tasks.{s}"] for s in STATES) == counts["tasks.total"]
    assert counts["tasks.due_done"] / counts["tasks.due"] == 0.8


def test_summary_by_group():
    table = summary_by(task_states(tasks_frame(), END, 2019), "group")
    # I:   T1 done, T2 T3 done_late, T4 in_progress; due T1 T2 T3 (3), all done
    # II:  T5 not_started, T6 T7 continuing, T8 overdue; due T8 (1), none done
    # III: T9 in_progress, T10 T11 done, T12 not_started; due T10 (1), done 1
    want = {
        "I": dict(done=1, done_late=2, overdue=0, in_progress=1, not_started=0,
                  continuing=0, total=4, due=3, due_done=3),
        "II": dict(done=0, done_late=0, overdue=1, in_progress=0, not_started=1,
                   continuing=2, total=4, due=1, due_done=0),
        "III": dict(done=2, done_late=0, overdue=0, in_progress=1, not_started=1,
                    continuing=0, total=4, due=1, due_done=1),
    }
    got = {g: {k: int(v) for k, v in row.items()} for g, row in table.iterrows()}
    assert got == want


def test_summary_by_lead():
    table = summary_by(task_states(tasks_frame(), END, 2019), "lead")
    # VP:   T1 done, T2 done_late, T5 not_started, T6 continuing, T9 in_progress, T10 done
    #       due T1 T2 T10 = 3, all done
    # QLVH: T3 done_late, T4 in_progress, T7 continuing, T8 overdue, T11 done,
    #       T12 not_started; due T3 T8 = 2, done 1
    want = {
        "VP": dict(done=2, done_late=1, overdue=0, in_progress=1, not_started=1,
                   continuing=1, total=6, due=3, due_done=3),
        "QLVH": dict(done=1, done_late=1, overdue=1, in_progress=1, not_started=1,
                     continuing=1, total=6, due=2, due_done=1),
    }
    got = {g: {k: int(v) for k, v in row.items()} for g, row in table.iterrows()}
    assert got == want
    assert list(table.columns) == [*STATES, "total", "due", "due_done"]


# ------------------------------------------------- written statuses and evidence dates
#
# Hand-worked on the rows of the real appendix (Báo cáo 4317/BC-SVHTT, transcribed in
# sample/plans/so-vhtt-tphcm-2019.csv): it has no completion-date column, so a task's
# completion date is that of the document its "Ghi chú" cites as its result.

HCM_PLAN = ROOT / "sample" / "plans" / "so-vhtt-tphcm-2019.csv"
NV_PLAN = ROOT / "sample" / "plans" / "so-noi-vu-dong-nai-2022.csv"
END_10M = D(2019, 10, 14)  # 2019-10M under decree09: 15/12/2018–14/10/2019


def hcm_rows() -> pd.DataFrame:
    """The appendix as the sample writes it: status and evidence as written, no date."""
    df = pd.read_csv(HCM_PLAN, dtype=str, keep_default_na=False).replace("", None)
    df = df.rename(columns={"status_text": "status"})
    df["completed_on"] = pd.NaT
    return df


def hcm_row(task_id: str) -> dict:
    return hcm_rows().set_index("task_id").loc[task_id].to_dict() | {"task_id": task_id}


def test_the_vocabulary_reads_the_specs_statuses_and_the_seeds_phrases():
    """The spec's four statuses and every phrase the seed appendix writes have a reading;
    no two phrases fold to the same key."""
    from helpers.params import TASK_STATUSES

    seed = set(hcm_rows()["status"].dropna())
    assert len(seed) == 4
    assert set(TASK_STATUSES) | seed <= set(WRITTEN_STATUSES)
    assert all(read_status(s) is not None for s in seed)
    assert len({fold(k) for k in WRITTEN_STATUSES}) == len(WRITTEN_STATUSES)


@pytest.mark.parametrize(("text", "progress", "timing"), [
    ("Đang thực hiện đúng tiến độ.", ONGOING, ON_TIME),  # task 10, with its full stop
    ("Đang thực hiện đúng tiến độ, đúng quy định", ONGOING, ON_TIME),  # tasks 19, 29, 38…
    ("Thực hiện đúng quy định", ONGOING, None),  # task 21
    ("Thực hiện thường xuyên, đúng quy định", ONGOING, None),  # task 30
    ("HOÀN THÀNH", DONE, None),
    ("Hoàn thành trễ hạn", DONE, LATE),
    ("Chưa thực hiện", NOT_STARTED, None),
])
def test_read_status(text, progress, timing):
    r = read_status(text)
    assert (r.progress, r.timing) == (progress, timing)


def test_read_status_empty_and_unknown():
    assert read_status(None) == NOTHING_WRITTEN and read_status(" ") == NOTHING_WRITTEN
    assert read_status(float("nan")) == NOTHING_WRITTEN and read_status(pd.NA) == NOTHING_WRITTEN
    assert read_status("Xong rồi") is None


@pytest.mark.parametrize(("task_id", "on"), [
    ("7", D(2019, 1, 8)),    # "Kế hoạch số 100/KH-SVHTT-TCPC ngày 08 tháng 01 năm 2019"
    ("1", D(2018, 1, 31)),   # "Kế hoạch số 438/KH-SVHTT ngày 31 tháng 01 năm 2018", as written
    ("8", D(2019, 3, 12)),   # "Kế hoạch số 805/KH-SVHTT ngày 12 tháng 3 năm 2019"
    # 624/KH-UBND of 22/02 "của Ủy ban nhân dân Thành phố" is the basis; the Sở's own
    # Công văn 993 of 25/3 and 1575 of 06/5/2019: the later one
    ("5", D(2019, 5, 6)),
    # QĐ 03/2019/QĐ-UBND of 21/02 "của Ủy ban…" is the basis; Tờ trình 2366 of 28/6,
    # QĐ 3169 of 29/7, Tờ trình 4012 of 26/9/2019: the latest
    ("11", D(2019, 9, 26)),
    ("13", None),            # only UBND decisions cited "của Ủy ban nhân dân Thành phố"
    ("26", None),            # Nghị định số 130/2005/NĐ-CP … của Chính phủ: the basis
    ("37", None),            # "Từ ngày 21 tháng 11 năm 2018 đến ngày 08 tháng 9 năm 2019": no document
    ("36", D(2019, 5, 17)),  # Thông báo 1746/TB-SVHTT-VP … "của Sở Văn hóa và Thể thao": its own
    ("10", None),            # "Đang thực hiện đúng tiến độ."
])
def test_evidence_date_of_the_seed_rows(task_id, on):
    assert evidence_date(hcm_row(task_id)["evidence"]) == on


def test_evidence_date_other_forms():
    assert evidence_date("Kế hoạch số 438/KH-SVHTT ngày 31/01/2019") == D(2019, 1, 31)  # the spec's
    # a decree (ký hiệu NĐ-CP) is never the agency's result (Sở Nội vụ 2022, Phụ lục I, III.3)
    assert evidence_date("theo Nghị định số 108/2014/NĐ-CP ngày 20/11/2014, Nghị định số "
                         "113/2018/NĐ-CP ngày 31/8/2018 sửa đổi") is None
    assert evidence_date("Thông tư số 12/2012/TT-BTC ngày 06/12/2012") is None
    assert evidence_date("Công văn số 5/SNV ngày 31/02/2022") is None  # no such day
    assert evidence_date(None) is None and evidence_date(float("nan")) is None


# The states of the 42 tasks at the end of 2019-10M, worked by hand from the appendix:
# - dated deadlines due by 14/10/2019: 1 (Tháng 02 năm 2019 → 28/02), 7 and 8 (Tháng 01 năm
#   2019 → 31/01); no written status, so the cited document's date completes them:
#   1 on 31/01/2018 and 7 on 08/01/2019 → done; 8 on 12/03/2019 > 31/01 → done late.
# - "Trong năm 2019" (31/12) with no status and an own document: 3 (14/02), 11 (26/09),
#   22 (26/12/2018), 23 (09/09), 24 (21/08), 41 (17/05) → done.
# - open or recurring deadlines → continuing: 5, 6, 16, 21, 27, 30, 31, 33, 34, 35, 36,
#   37, 38, 39 (14).
# - the other 19, due 31/12/2019 and not done → in progress; none overdue.
HCM_10M = {**{t: "done" for t in ("1", "3", "7", "11", "22", "23", "24", "41")},
           "8": "done_late",
           **{t: "continuing" for t in ("5", "6", "16", "21", "27", "30", "31", "33", "34",
                                        "35", "36", "37", "38", "39")}}


def test_hcm_appendix_states_at_10m():
    st = task_states(hcm_rows(), END_10M, 2019)
    states = dict(zip(st["task_id"], st["state"], strict=True))
    assert {t: s for t, s in states.items() if s != "in_progress"} == HCM_10M
    assert sum(s == "in_progress" for s in states.values()) == 42 - 8 - 1 - 14 == 19
    row7 = st.set_index("task_id").loc["7"]
    assert row7["completed_on"] == pd.Timestamp(2019, 1, 8)
    assert row7["completed_from"] == "evidence"
    # a written "in progress" is honoured: task 9 cites plans of 25/3 and 02/5/2019 but is
    # "Đang thực hiện đúng tiến độ" → in progress, no completion date
    row9 = st.set_index("task_id").loc["9"]
    assert row9["state"] == "in_progress" and pd.isna(row9["completed_on"])
    counts = task_counts(st)
    assert (counts["tasks.overdue"], counts["tasks.due"], counts["tasks.due_done"]) == (0, 3, 3)
    assert task_warnings(st, END_10M) == []


def test_hcm_appendix_at_9m_warns_of_a_completion_after_the_window():
    """2019-9M ends 14/09/2019: task 11's Tờ trình of 26/09 is after it."""
    st = task_states(hcm_rows().assign(_file="x.xlsx", _sheet="nhiem_vu", _row=range(5, 47)),
                     END, 2019)
    assert st.set_index("task_id").loc["11", "state"] == "in_progress"  # 31/12 still ahead
    warnings = task_warnings(st, END)
    assert len(warnings) == 1
    w = warnings[0]
    assert (w["file"], w["sheet"], w["row"], w["column"], w["severity"]) == (
        "x.xlsx", "nhiem_vu", 15, "Kết quả, văn bản", "warning")  # task 11 is the 11th row from 5
    assert "26/09/2019" in w["message"] and "14/09/2019" in w["message"]


def _one(task_id: str, status: str | None) -> pd.DataFrame:
    return pd.DataFrame([hcm_row(task_id) | {"status": status}])


def test_a_generated_status_contradicting_its_evidence_is_warned():
    """The issue's case: task 7 marked in progress, its Kế hoạch dated 08/01/2019 before
    its deadline 31/01/2019 → overdue as written, with a warning naming both dates."""
    st = task_states(_one("7", "Đang thực hiện"), END_10M, 2019)
    assert st["state"].tolist() == ["overdue"]
    [w] = task_warnings(st, END_10M)
    assert w["column"] == "Tiến độ"
    assert "08/01/2019" in w["message"] and "31/01/2019" in w["message"]


def test_an_on_time_claim_after_the_deadline_is_warned_and_counted_late():
    # task 8: "Hoàn thành đúng hạn" but its Kế hoạch is of 12/03/2019, deadline 31/01/2019
    st = task_states(_one("8", "Hoàn thành đúng hạn"), END_10M, 2019)
    assert st["state"].tolist() == ["done_late"]
    [w] = task_warnings(st, END_10M)
    assert "12/03/2019" in w["message"] and "31/01/2019" in w["message"]


def test_a_late_claim_before_the_deadline_is_warned_and_honoured():
    # task 7: "Hoàn thành trễ hạn" but its Kế hoạch of 08/01/2019 is before 31/01/2019
    st = task_states(_one("7", "Hoàn thành trễ hạn"), END_10M, 2019)
    assert st["state"].tolist() == ["done_late"]
    [w] = task_warnings(st, END_10M)
    assert "08/01/2019" in w["message"]


def test_not_started_with_a_dated_document_is_warned():
    # task 3: "Chưa thực hiện" but it cites Kế hoạch 487 of 14/02/2019; due 31/12/2019
    st = task_states(_one("3", "Chưa thực hiện"), END_10M, 2019)
    assert st["state"].tolist() == ["not_started"]
    [w] = task_warnings(st, END_10M)
    assert "14/02/2019" in w["message"]


def test_an_explicit_completion_date_after_the_window_is_warned():
    df = pd.DataFrame([{"task_id": "A", "deadline": "Tháng 12/2019", "status": "Hoàn thành",
                        "completed_on": pd.Timestamp(2019, 11, 2), "evidence": None}])
    st = task_states(df, END_10M, 2019)
    assert st["state"].tolist() == ["in_progress"]  # finished after 14/10, due 31/12
    [w] = task_warnings(st, END_10M)
    assert w["column"] == "Ngày hoàn thành" and "02/11/2019" in w["message"]


def test_unknown_status_is_warned_and_read_as_nothing_written():
    st = task_states(_one("7", "Xong rồi"), END_10M, 2019)
    assert st["state"].tolist() == ["done"]  # as with no status: its document of 08/01
    [w] = task_warnings(st, END_10M)
    assert "Xong rồi" in w["message"]


# Sở Nội vụ Đồng Nai, Kế hoạch CCHC năm 2022, Phụ lục I: every deadline as written,
# resolved by hand for a 2022 plan.
FORMS_NV_2022 = {
    "Theo thời hạn đã đăng ký với UBND tỉnh": (OPEN, None),
    "Theo KH đào tạo, bồi dưỡng": (OPEN, None),  # KH = kế hoạch
    "Thường xuyên": (RECURRING, None),
    "Quý III/2022": (DATE, D(2022, 9, 30)),
    "Theo hướng dẫn Trung ương": (OPEN, None),
    "Theo tiến độ phê duyệt": (OPEN, None),
    "Trong quý II/2022": (DATE, D(2022, 6, 30)),
    "Theo tiến độ của tỉnh": (OPEN, None),
    "Chậm nhất quý II/2022": (DATE, D(2022, 6, 30)),
    "Theo Kế hoạch của tỉnh": (OPEN, None),
    "Tháng Quý IV/2022": (DATE, D(2022, 12, 31)),  # as written: the quarter's end
}


def test_noi_vu_2022_plan_deadlines():
    plan = pd.read_csv(NV_PLAN, dtype=str, keep_default_na=False)
    assert len(plan) == 28
    assert set(plan["deadline"]) == set(FORMS_NV_2022)
    for text, (kind, on) in FORMS_NV_2022.items():
        d = resolve_deadline(text, 2022)
        assert (d.kind, d.on) == (kind, on), text
    # rows without an STT carry the id of the numbered line above with a letter
    assert {"I.1a", "II.1.6a", "II.2a", "II.3a", "II.4a"} <= set(plan["task_id"])
    assert plan["task_id"].is_unique
