"""The cchc command's small verbs and its usage errors."""

from __future__ import annotations

from conftest import HCM, cchc


def test_periods_table_shows_windows_and_deadlines():
    proc = cchc("periods", "--year", "2019")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    hcm = lines.index(next(ln for ln in lines if ln.startswith(HCM)))
    block = "\n".join(lines[hcm:hcm + 8])
    # decree09: 15/12/2018–14/03/2019; deadline style units-to-office: Q1 by 12/03
    assert "2019-Q1" in block and "15/12/2018 – 14/03/2019" in block and "12/03/2019" in block
    assert "Quý III/2019" in block and "15/06/2019 – 14/09/2019" in block
    assert "9 tháng đầu năm 2019" in block and "12/09/2019" in block
    hg = next(i for i, ln in enumerate(lines) if ln.startswith("so-vhttdl-hau-giang"))
    # calendar months for Hậu Giang
    assert "01/07/2019 – 30/09/2019" in "\n".join(lines[hg:hg + 8])


def test_check_passes_on_the_sample_data_and_counts_rows():
    proc = cchc("check")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"== {HCM}: 2 tệp" in proc.stdout
    assert "0 lỗi" in proc.stdout.splitlines()[-1]


def test_unknown_agency_and_bad_period_are_usage_errors(tmp_path):
    bad = cchc("run", "--period", "2019-9M", "--agency", "khong-co", "--out", str(tmp_path))
    assert bad.returncode == 2 and "khong-co" in bad.stderr and "Traceback" not in bad.stderr
    period = cchc("run", "--period", "2019-Q5", "--out", str(tmp_path))
    assert period.returncode == 2 and "2019-Q5" in period.stderr
    path = cchc("run", "--period", "2019-9M", "--agency", "../etc", "--out", str(tmp_path))
    assert path.returncode == 2 and "Traceback" not in path.stderr


def test_click_usage_errors_and_help_speak_vietnamese(tmp_path):
    """A mistyped command gets Vietnamese from click's own messages too, under the C locale
    a cron job has: no 'Usage', 'Error', 'Missing', 'Options' reaches the user."""
    env = {"LANG": "C", "LC_ALL": "C"}
    cases = [
        (("run",), "Thiếu tùy chọn '--period'"),
        (("run", "--period", "2019-Q3", "--kernel", "x"),
         "Giá trị không hợp lệ cho '--kernel': 'x' không phải một trong 'inprocess'"),
        (("run", "--period", "2019-Q3", "--jobs", "hai"), "'hai' không phải một số hợp lệ"),
        (("run", "--period"), "Tùy chọn '--period' cần một giá trị"),
        (("chay",), "Không có lệnh 'chay'"),
        (("run", "--bogus"), "Không có tùy chọn '--bogus'"),
    ]
    for args, said in cases:
        proc = cchc(*args, "--out", str(tmp_path), env=env) if args[-1] != "--period" \
            else cchc(*args, env=env)
        assert proc.returncode == 2, (args, proc.stderr)
        assert said in proc.stderr, (args, proc.stderr)
        assert "Lỗi:" in proc.stderr
        for english in ("Usage", "Error", "Missing", "Invalid", "No such", "Try "):
            assert english not in proc.stderr, (args, proc.stderr)
    helped = cchc("run", "--help", env=env)
    assert helped.returncode == 0
    assert "Cách dùng: cchc run [TÙY_CHỌN]" in helped.stdout and "Tùy chọn:" in helped.stdout
    assert "[bắt buộc]" in helped.stdout and "--jobs SỐ" in helped.stdout
    for english in ("Usage", "Options:", "required", "Show this message", "TEXT", "INTEGER"):
        assert english not in helped.stdout, english
