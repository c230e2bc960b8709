"""Attacks on the project's promises, each a test named ``test_attack_…`` and listed in
docs/reliability.md: a published report survives a refused rerun, ``--period previous``
on the dates the README schedules it, faults (read-only or full disk, two publishes at
once, kill -9) end in one Vietnamese line and a clean state.

The runs go through the real command on small generated projects (conftest ``tiny``);
one run of the period is shared by the tests of this module and copied where changed."""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import yaml
from conftest import CANARIES, ROOT, cchc

pytestmark = pytest.mark.slow
PERIOD = "2019-9M"
AGENCIES = ("xa-an-binh", "xa-binh-an", "xa-tan-hoa")
BAD_ROW = ("Mã hồ sơ;Mã thủ tục;Lĩnh vực;Hình thức nộp;Ngày tiếp nhận;Ngày hẹn trả;"
           "Ngày có kết quả\n"
           "BS-1;1.000001;Tôn giáo;Trực tiếp;05/03/2019;12/03/2019;\n"
           "BS-2;1.000001;Tôn giáo;Trực tiếp;31/02/2019;12/03/2019;\n")


@pytest.fixture(scope="module")
def reports(tiny, tmp_path_factory) -> Path:
    """The tiny project's 2019-9M reports, run once for this module."""
    out = tmp_path_factory.mktemp("trust") / "reports"
    cchc("run", "--period", PERIOD, "--out", str(out), "--jobs", "2", cwd=tiny, check=True)
    return out


def copy_of(tiny: Path, reports: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A project and reports of one's own to change (a copy is cheap: small files)."""
    proj, out = tmp_path / "proj", tmp_path / "reports"
    shutil.copytree(tiny, proj, ignore=shutil.ignore_patterns("_publish", "_site", "._*"))
    shutil.copytree(reports, out)
    return proj, out


def digest(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def words(page: Path) -> str:
    """A page's text with its line breaks as spaces (pandoc wraps long lines)."""
    return " ".join(page.read_text(encoding="utf-8").split())


def manifest(out: Path, period: str = PERIOD) -> dict:
    return json.loads((out / period / "manifest.json").read_text(encoding="utf-8"))


def no_canary(*texts: str) -> None:
    for text in texts:
        for column, canary in CANARIES.items():
            assert canary not in text, column


# ------------------------------------------------------------ the last good report stays

def test_attack_refused_rerun_keeps_the_published_report(tiny, reports, tmp_path):
    """A rerun whose new export has one bad cell: the published report stays byte for
    byte, the run exits 1 naming the bad file and where the refused attempt went, the
    manifest marks the report stale, the site says "số liệu kỳ này chưa cập nhật do lỗi
    đầu vào"; once the input is fixed, a new report replaces it and the mark goes."""
    from openpyxl import load_workbook

    proj, out = copy_of(tiny, reports, tmp_path)
    site = tmp_path / "_site"
    before = digest(out / PERIOD / "xa-an-binh")
    bad = proj / "data" / "raw" / "xa-an-binh" / "2019" / "ho_so_bo_sung_2019.csv"
    bad.write_text(BAD_ROW, encoding="utf-8")
    proc = cchc("build", "--period", PERIOD, "--out", str(out), "--site", str(site),
                "--engine", "pandoc", cwd=proj)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "xa-an-binh/2019/ho_so_bo_sung_2019.csv, dòng 3" in proc.stdout
    attempt = out / PERIOD / "_failed" / "xa-an-binh" / "quality.xlsx"
    assert f"xem {attempt}" in proc.stdout
    assert digest(out / PERIOD / "xa-an-binh") == before  # the good report, untouched
    rejected = list(load_workbook(attempt)["Dòng bị loại"].iter_rows(min_row=2, values_only=True))
    assert ("xa-an-binh/2019/ho_so_bo_sung_2019.csv", None, "ho_so", 3) in [r[:4] for r in rejected]
    m = manifest(out)["agencies"]
    entry = m["xa-an-binh"]
    assert (entry["status"], entry["stale"], entry["attempt"]) == ("input_error", True, str(attempt))
    # what the stale report was made from is still recorded: the outputs in place
    assert entry["last_good"]["outputs"] == manifest(reports)["agencies"]["xa-an-binh"]["outputs"]
    assert m["xa-tan-hoa"]["status"] == "ok" and not m["xa-tan-hoa"].get("stale")
    # the site still has the report, and says its figures are not this run's
    pages = {a: words(site / PERIOD / a / "report.html") for a in AGENCIES}
    assert "Số liệu kỳ này chưa cập nhật do lỗi đầu vào" in pages["xa-an-binh"]
    assert all("chưa cập nhật" not in pages[a] for a in ("xa-binh-an", "xa-tan-hoa"))
    index = words(site / PERIOD / "index.html")
    assert index.count("số liệu kỳ này chưa cập nhật do lỗi đầu vào") == 1
    assert (site / PERIOD / "xa-an-binh" / "report.pdf").is_file()
    no_canary(proc.stdout, proc.stderr, (out / PERIOD / "manifest.json").read_text("utf-8"),
              *(str(c) for ws in load_workbook(attempt) for row in ws.iter_rows(values_only=True)
                for c in row))

    # fixed: a new report replaces the old, the refused attempt and the mark are gone
    bad.unlink()
    again = cchc("build", "--period", PERIOD, "--out", str(out), "--site", str(site),
                 "--engine", "pandoc", cwd=proj)
    assert again.returncode == 0, again.stdout + again.stderr
    entry = manifest(out)["agencies"]["xa-an-binh"]
    assert entry["status"] == "ok" and not entry["stale"]
    assert not (out / PERIOD / "_failed" / "xa-an-binh").exists()
    assert "chưa cập nhật" not in words(site / PERIOD / "index.html")


def test_attack_failed_notebook_keeps_the_published_report(tiny, reports, tmp_path):
    """A rerun whose notebook fails for one agency: its published report stays, the
    manifest marks it stale (status failed), the notebook as far as it ran is kept under
    ``_failed/``, and the pages made from it say "chưa cập nhật do lỗi khi lập báo cáo"."""
    import nbformat

    proj, out = copy_of(tiny, reports, tmp_path)
    before = digest(out / PERIOD / "xa-binh-an")
    nb_path = proj / "notebooks" / "agency_report.ipynb"
    nb = nbformat.read(nb_path, as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell('raise RuntimeError("hỏng có chủ ý")'))
    nbformat.write(nb, nb_path)
    proc = cchc("run", "--period", PERIOD, "--agency", "xa-binh-an", "--out", str(out), cwd=proj)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    kept = out / PERIOD / "_failed" / "xa-binh-an" / "report.ipynb"
    assert "hỏng có chủ ý" in proc.stdout and f"xem {kept}" in proc.stdout
    assert digest(out / PERIOD / "xa-binh-an") == before
    entry = manifest(out)["agencies"]["xa-binh-an"]
    assert (entry["status"], entry["stale"], entry["attempt"]) == ("failed", True, str(kept))
    assert any(o.get("output_type") == "error" for c in nbformat.read(kept, as_version=4).cells
               for o in c.get("outputs", []))
    site = tmp_path / "_site"
    pub = cchc("publish", "--period", PERIOD, "--engine", "pandoc", "--out", str(out), "--site",
               str(site), "--jobs", "1", cwd=proj)
    assert pub.returncode == 0, pub.stdout + pub.stderr
    assert "Số liệu kỳ này chưa cập nhật do lỗi khi lập báo cáo" in words(
        site / PERIOD / "xa-binh-an" / "report.html")
    assert "chưa cập nhật" not in words(site / PERIOD / "xa-an-binh" / "report.html")


# ------------------------------------------------------------ the README's schedule

def _readme_schedule() -> tuple[str, set[tuple[int, int]], set[tuple[int, int]], set[int]]:
    """(command, (month, day) of the cron line, of the systemd timer, success codes)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    cron = re.search(r"^(\d+) (\d+) (\d+) ([\d,]+) \* .*?(cchc build [^>]*?)\s*>>", text, re.M)
    timer = re.search(r"^OnCalendar=\*-([\d,]+)-(\d+) (\d\d):(\d\d)$", text, re.M)
    service = re.search(r"^ExecStart=\S*?(cchc build .*)$", text, re.M)
    success = re.search(r"^SuccessExitStatus=([\d ]+)$", text, re.M)
    assert cron and timer and service and success, "the README's schedule changed shape"
    assert cron[5].strip() == service[1].strip() == "cchc build --period previous"
    assert (cron[1], cron[2]) == (timer[4].lstrip("0") or "0", timer[3].lstrip("0"))  # 02:00
    cron_days = {(int(m), int(cron[3])) for m in cron[4].split(",")}
    timer_days = {(int(m), int(timer[2])) for m in timer[1].split(",")}
    return cron[5].strip(), cron_days, timer_days, {0, *map(int, success[1].split())}


# each date the schedule fires in 2019 → the period built per agency, worked out by hand:
# calendar (xa-an-binh) closes on the month's last day, decree09 (xa-binh-an) on the 14th
#  16/03: calendar's last closed report is năm 2018 (31/12/2018); decree09's quý I (14/03)
#  16/06: calendar quý I (31/03; 6 tháng closes 30/06);             decree09 6 tháng (14/06)
#  16/09: calendar 6 tháng (30/06; 9 tháng closes 30/09);          decree09 9 tháng (14/09)
#  16/12: calendar 9 tháng (30/09; năm closes 31/12);              decree09 năm (14/12)
EXPECTED = {(3, 16): {"xa-an-binh": "2018-FY", "xa-binh-an": "2019-Q1"},
            (6, 16): {"xa-an-binh": "2019-Q1", "xa-binh-an": "2019-H1"},
            (9, 16): {"xa-an-binh": "2019-H1", "xa-binh-an": "2019-9M"},
            (12, 16): {"xa-an-binh": "2019-9M", "xa-binh-an": "2019-FY"}}


def test_attack_readme_schedule_on_the_dates_it_fires(tiny, tmp_path):
    """The README's cron line and systemd timer, run on each date they fire in 2019 on a
    project whose agencies follow both cut-off rules: each agency's own previous period
    is built in one invocation (one publish), exit 0 or 3 (SuccessExitStatus), never 2;
    the same date again has nothing new: exit 3."""
    command, cron_days, timer_days, success = _readme_schedule()
    assert cron_days == timer_days == set(EXPECTED)
    assert success == {0, 3}
    proj = tmp_path / "proj"
    shutil.copytree(tiny, proj, ignore=shutil.ignore_patterns("_publish", "_site", "._*"))
    agencies = proj / "params" / "agencies.yml"
    data = yaml.safe_load(agencies.read_text(encoding="utf-8"))
    data["agencies"] = [a for a in data["agencies"] if a["id"] in ("xa-an-binh", "xa-binh-an")]
    agencies.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    args = command.split()[1:]
    for (month, day), periods in sorted(EXPECTED.items()):
        env = {"CCHC_TODAY": f"2019-{month:02d}-{day:02d}"}
        proc = cchc(*args, "--engine", "pandoc", cwd=proj, env=env)
        assert proc.returncode in success and proc.returncode == 0, proc.stdout + proc.stderr
        assert proc.stdout.count("Đã xuất bản") == 1  # one publish for every period
        sections = dict(re.findall(r"^Kỳ (\S+):\n((?:  .*\n)+)", proc.stdout, re.M))
        assert set(sections) == set(periods.values()), proc.stdout
        for agency, period in periods.items():
            # this agency, and only it, in its period's section of the run's summary
            assert re.findall(r"^  ([a-z0-9-]+) +", sections[period], re.M) == [agency], proc.stdout
            assert manifest(proj / "reports", period)["agencies"][agency]["status"] == "ok"
            assert (proj / "_site" / period / agency / "report.html").is_file()
    again = cchc(*args, "--engine", "pandoc", cwd=proj, env={"CCHC_TODAY": "2019-12-16"})
    assert again.returncode == 3, again.stdout + again.stderr
    assert again.stdout.count("bỏ qua (không đổi)") == 2


def test_previous_resolves_each_agency_under_its_rule(tiny, monkeypatch):
    """The grouping itself, for the dates of the schedule (no run)."""
    from helpers.params import load_params
    from helpers.run.schedule import resolve

    params = load_params(tiny / "params")
    for (month, day), periods in EXPECTED.items():
        monkeypatch.setenv("CCHC_TODAY", f"2019-{month:02d}-{day:02d}")
        groups = dict(resolve("previous", params, ["xa-an-binh", "xa-binh-an", "xa-tan-hoa"]))
        assert groups == {periods["xa-an-binh"]: ["xa-an-binh"],
                          periods["xa-binh-an"]: ["xa-binh-an", "xa-tan-hoa"]}


# ------------------------------------------------------------ faults

def _one_line(stderr: str) -> str:
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def _without_root_powers() -> None:
    """In the child before exec: give up root's right to ignore file permissions
    (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH), so a 0555 folder is read-only to it too."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2):
        if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def test_attack_out_is_read_only(tiny, tmp_path):
    """``--out`` (and ``--site``) a read-only folder: one line naming it, exit 1, nothing
    started. Tests run as root here, where permissions do not stop writes: the command
    then runs without the capability that lets root ignore them."""
    ro = tmp_path / "chi-doc"
    ro.mkdir()
    ro.chmod(0o555)
    root = os.geteuid() == 0
    if root and not sys.platform.startswith("linux"):
        pytest.skip("root elsewhere than Linux: no way to make a folder read-only to it")
    try:
        for args in (["run", "--period", PERIOD, "--out", str(ro / "reports")],
                     ["publish", "--period", PERIOD, "--out", str(tiny / "reports"),
                      "--site", str(ro / "_site"), "--engine", "pandoc"]):
            proc = subprocess.run([sys.executable, "-m", "helpers.cli", *args], cwd=tiny,
                                  capture_output=True, text=True,
                                  preexec_fn=_without_root_powers if root else None)
            assert proc.returncode == 1, proc.stdout + proc.stderr
            line = _one_line(proc.stderr)
            assert f"không có quyền ghi vào {ro}" in line, line
            assert list(ro.iterdir()) == []
    finally:
        ro.chmod(0o755)


def test_attack_out_under_a_regular_file(tmp_path):
    """``--out`` whose parent is a file (a typo, a mount not there): one line, exit 1."""
    blocker = tmp_path / "ban-sao.txt"
    blocker.write_text("không phải thư mục", encoding="utf-8")
    proc = cchc("run", "--period", PERIOD, "--agency", "so-vhtt-tphcm", "--out",
                str(blocker / "reports"))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "đi qua một tệp, không phải thư mục" in _one_line(proc.stderr)


FULL_DISK = """
import errno, os, sys
real = os.fsync
def full(fd):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
os.fsync = full  # every file written whole (atomic.write_bytes_atomic) meets a full disk
from helpers.cli import main
main(sys.argv[1:])
"""


def test_attack_disk_full_during_a_run(tiny, reports, tmp_path):
    """The disk fills while the report is written and while the manifest is updated: one
    line naming the file, exit 1, no staging and no temporary file left, the published
    report and the manifest as they were."""
    proj, out = copy_of(tiny, reports, tmp_path)
    before = digest(out / PERIOD)
    proc = subprocess.run([sys.executable, "-c", FULL_DISK, "run", "--period", PERIOD,
                           "--agency", "xa-an-binh", "--force", "--executor", "serial",
                           "--out", str(out)], cwd=proj, capture_output=True, text=True)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    line = _one_line(proc.stderr)
    assert f"hết chỗ trống trên đĩa khi ghi {out / PERIOD / 'manifest.json'}" in line, line
    assert not (out / PERIOD / ".staging").exists()
    assert [p for p in out.rglob("*") if p.name.endswith(".tmp")] == []
    after = digest(out / PERIOD)
    for rel, body in before.items():
        if not rel.startswith("logs/"):
            assert after.get(rel) == body, rel


def test_attack_error_handler_on_a_full_disk(monkeypatch):
    """The handler that logs an unexpected error's traceback must not fail itself when
    nothing can be written (no project, no temporary folder): it says so."""
    from helpers import cli

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "write_text", full)
    monkeypatch.setattr(tempfile, "gettempdir", lambda: (_ for _ in ()).throw(
        FileNotFoundError("No usable temporary directory found")))
    assert str(cli._error_log(RuntimeError("x"))) == "(không ghi được nhật ký)"


def test_attack_two_publishes_at_once(tiny, reports, tmp_path):
    """A second publish of the same site while one holds it: refused naming the owner's
    pid; with --wait it waits its turn and publishes."""
    from helpers.atomic import exclusive

    site = tmp_path / "_site"
    lock = site.with_name("._site.lock")
    with exclusive(lock, lambda who: who):
        busy = cchc("publish", "--period", PERIOD, "--out", str(reports), "--site", str(site),
                    "--engine", "pandoc", cwd=tiny)
        assert busy.returncode == 1, busy.stdout + busy.stderr
        line = _one_line(busy.stderr)
        assert f"{site} đang được xuất bản bởi tiến trình khác (pid {os.getpid()}" in line
        assert "--wait" in line
        waiting = subprocess.Popen([sys.executable, "-m", "helpers.cli", "publish", "--period",
                                    PERIOD, "--out", str(reports), "--site", str(site),
                                    "--engine", "pandoc", "--wait"], cwd=tiny,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        said = waiting.stdout.readline()  # it says it waits, then waits for the lock
        assert f"(pid {os.getpid()}" in said and "đang chờ" in said, said
        assert waiting.poll() is None
        assert not site.exists() and not list(tmp_path.glob("._site.new-*"))
    out, err = waiting.communicate(timeout=600)
    assert waiting.returncode == 0, out + err
    assert (site / PERIOD / "xa-an-binh" / "report.html").is_file()


def test_attack_kill_9_during_publish_then_publish_again(tiny, reports, tmp_path):
    """kill -9 of a publish half way: no half site in place; the next publish removes the
    half-built ``._site.new-*`` and publishes."""
    site = tmp_path / "_site"
    proc = subprocess.Popen([sys.executable, "-m", "helpers.cli", "publish", "--period", PERIOD,
                             "--out", str(reports), "--site", str(site), "--engine", "pandoc"],
                            cwd=tiny, start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not any(
            p.is_file() for p in tmp_path.glob("._site.new-*/*/*/report.html")):
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert list(tmp_path.glob("._site.new-*")), "the kill came too late to test anything"
    assert not site.exists()  # never a half site in place
    again = cchc("publish", "--period", PERIOD, "--out", str(reports), "--site", str(site),
                 "--engine", "pandoc", cwd=tiny)
    assert again.returncode == 0, again.stdout + again.stderr
    assert list(tmp_path.glob("._site.new-*")) == []
    assert (site / PERIOD / "xa-tan-hoa" / "report.pdf").is_file()


def _descendants(pid: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            try:
                ppid = int((p / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            parents.setdefault(ppid, []).append(int(p.name))
    out, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("kernel,expected_kernels", [("inprocess", 0), ("jupyter", 3)])
def test_attack_kill_9_of_the_run_leaves_no_orphans(tiny, tmp_path, kernel, expected_kernels):
    """kill -9 of the ``cchc run`` process alone (not its group, as an OOM killer or an
    operator would): its pool workers and the kernels they own die with it; the next run
    removes the staging it left. With the default engine a worker runs its notebooks
    itself (no kernel); with ``--kernel jupyter`` each worker, and the run, owns one."""
    out = tmp_path / "reports"
    proc = subprocess.Popen([sys.executable, "-m", "helpers.cli", "run", "--period", "2019-Q3",
                             "--out", str(out), "--jobs", "2", "--kernel", kernel], cwd=tiny,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    workers: list[int] = []
    kernels: list[int] = []
    while time.monotonic() < deadline and (len(workers) < 2 or len(kernels) < expected_kernels):
        family = _descendants(proc.pid)
        workers = [p for p in family if b"spawn_main" in _cmdline(p)]
        kernels = [p for p in family if b"ipykernel" in _cmdline(p)]
        time.sleep(0.05)
    # two pool workers (each with its kernel, and the run's own for the overview, on jupyter)
    assert len(workers) == 2 and len(kernels) == expected_kernels, (workers, kernels)
    family = _descendants(proc.pid)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and any(_alive(p) for p in family):
        time.sleep(0.1)
    assert [p for p in family if _alive(p)] == [], "orphans of the killed run"
    again = cchc("run", "--period", "2019-Q3", "--agency", "xa-an-binh", "--out", str(out),
                 cwd=tiny)
    assert again.returncode == 0, again.stdout + again.stderr
    assert not (out / "2019-Q3" / ".staging").exists()
