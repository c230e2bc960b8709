"""Attacks on ``params/``: every mistake a person makes editing the YAML by hand is refused
at ``cchc check`` and at the start of ``run``, ``publish`` and ``build`` with exit 2 and
one Vietnamese line naming the file, the key path and the expected form; nothing starts
(no output folder, no kernel) and no traceback is shown.

The commands run in this process (``helpers.cli.main``) on a minimal project: the same
code path as the console script, without an interpreter start per case."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

from helpers.cli import main

Edit = Callable[[Path], None]


def _yaml(name: str, change: Callable[[dict], None]) -> Edit:
    def edit(params: Path) -> None:
        path = params / name
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return edit


def _text(name: str, text: str) -> Edit:
    def edit(params: Path) -> None:
        (params / name).write_text(text, encoding="utf-8")
    return edit


def _set(*path: object, value: object) -> Callable[[dict], None]:
    def change(d: dict) -> None:
        for k in path[:-1]:
            d = d[k]
        d[path[-1]] = value
    return change


def _drop(*path: object) -> Callable[[dict], None]:
    def change(d: dict) -> None:
        for k in path[:-1]:
            d = d[k]
        del d[path[-1]]
    return change


def _as_mapping(d: dict) -> None:
    d["agencies"] = {a["id"]: a for a in d["agencies"]}


# (id, file, edit, key path the message names, what it says)
ATTACKS = [
    ("target-95-not-0.95", "targets.yml", _yaml("targets.yml", _set("years", 2019, "rate.on_time",
                                                                    value=95)),
     "years.2019.rate.on_time", "viết 0,95 thay vì 95"),
    ("negative-target", "targets.yml", _yaml("targets.yml", _set("years", 2019, "rate.on_time",
                                                                 value=-0.5)),
     "years.2019.rate.on_time", "tỷ lệ không được âm"),
    ("negative-count-target", "targets.yml",
     _yaml("targets.yml", _set("years", 2019, "dossiers.received_total", value=-3)),
     "years.2019.dossiers.received_total", "chỉ tiêu không được âm"),
    ("agency-override-rate-above-1", "targets.yml",
     _yaml("targets.yml", _set("agencies", "so-vhtt-tphcm", 2019, "rate.online_procedures",
                               value=50)),
     "agencies.so-vhtt-tphcm.2019.rate.online_procedures", "viết 0,5 thay vì 50"),
    ("apportion-rate-above-1", "targets.yml",
     _yaml("targets.yml", lambda d: d["apportion"][2019][0].update(rate=30)),
     "apportion[2019][0].rate", "viết 0,3 thay vì 30"),
    ("unknown-indicator-code", "targets.yml",
     _yaml("targets.yml", _set("years", 2019, "rate.khong_co", value=0.5)),
     "years.2019.rate.khong_co", "không có trong danh mục chỉ số"),
    ("unknown-score-indicator", "score.yml",
     _yaml("score.yml", lambda d: d["groups"][0]["indicators"].append("rate.khong_co")),
     "groups[0].indicators", "không có trong danh mục chỉ số"),
    ("deadline-31-02", "periods.yml",
     _yaml("periods.yml", _set("deadline_styles", "units-to-office", "Q1", value="31/02")),
     "deadline_styles.units-to-office.Q1", "“31/02” không phải ngày/tháng có thật"),
    ("deadline-not-dd-mm", "periods.yml",
     _yaml("periods.yml", _set("deadline_styles", "units-to-office", "H1", value="giữa tháng 6")),
     "deadline_styles.units-to-office.H1", "dd/mm"),
    ("agency-without-name", "agencies.yml", _yaml("agencies.yml", _drop("agencies", 1, "name")),
     "agencies[1].name", "thiếu khóa bắt buộc"),
    ("agencies-as-mapping", "agencies.yml", _yaml("agencies.yml", _as_mapping),
     "agencies", "cần một danh sách"),
    ("unit-without-code", "agencies.yml",
     _yaml("agencies.yml", _drop("agencies", 1, "units", 1, "code")),
     "agencies[1].units[1].code", "thiếu khóa bắt buộc"),
    ("unknown-source-system", "agencies.yml",
     _yaml("agencies.yml", _set("agencies", 2, "source_system", value="vnpt")),
     "agencies[2].source_system", "chưa có tệp ánh xạ"),
    ("unknown-rule", "agencies.yml", _yaml("agencies.yml", _set("agencies", 0, "rule",
                                                                value="nghi-dinh-9")),
     "agencies[0].rule", "phải là một trong"),
    ("agency-id-a-path", "agencies.yml", _yaml("agencies.yml", _set("agencies", 0, "id",
                                                                    value="../etc")),
     "agencies[0].id", "chữ thường không dấu"),
    ("escape-sequence-in-a-name", "agencies.yml",
     _yaml("agencies.yml", _set("agencies", 0, "short_name", value="Sở \x1b[2J\x1b[31mVH")),
     "agencies[0].short_name", "ký tự điều khiển"),
    ("empty-agencies-yml", "agencies.yml", _text("agencies.yml", ""),
     "agencies.yml", "tệp trống"),
    ("yaml-syntax-error", "agencies.yml",
     _text("agencies.yml", "agencies:\n  - id: a\n    name: [không đóng\n"),
     "agencies.yml, dòng", "không phải YAML hợp lệ"),
]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with the repository's params and no data: enough for every command to
    reach (and stop at) reading its configuration."""
    proj = tmp_path / "proj"
    (proj / "notebooks").mkdir(parents=True)
    shutil.copy(ROOT / "_quarto.yml", proj / "_quarto.yml")
    shutil.copytree(ROOT / "params", proj / "params")
    (proj / "data" / "raw").mkdir(parents=True)
    return proj


COMMANDS = {
    "check": ["check"],
    "run": ["run", "--period", "2019-9M", "--out", "{out}"],
    "run-previous": ["run", "--period", "previous", "--out", "{out}"],
    "publish": ["publish", "--period", "2019-9M", "--out", "{out}", "--site", "{site}"],
    "build": ["build", "--period", "previous", "--out", "{out}", "--site", "{site}"],
}


def _cchc(project: Path, args: list[str], capsys) -> tuple[int, str, str]:
    out, site = project / "reports", project / "_site"
    argv = ["--project", str(project)] + [a.format(out=out, site=site) for a in args]
    with pytest.raises(SystemExit) as done:
        main(argv)
    captured = capsys.readouterr()
    return done.value.code, captured.out, captured.err


@pytest.mark.parametrize("attack", ATTACKS, ids=[a[0] for a in ATTACKS])
def test_attack_params_refused_by_every_command(attack, project, capsys):
    """Each mistake, at each command: exit 2, one line naming file and key path, the
    expected form, no traceback; ``run``/``build`` start nothing (no reports folder)."""
    _, file, edit, key, says = attack
    edit(project / "params")
    for name, args in COMMANDS.items():
        code, out, err = _cchc(project, args, capsys)
        assert code == 2, (name, code, out, err)
        lines = [ln for ln in err.splitlines() if ln.strip()]
        assert len(lines) == 1, (name, err)
        line = lines[0]
        assert line.startswith("Lỗi: "), (name, line)
        assert str(project / "params" / file) in line, (name, line)
        assert key in line and says in line, (name, line)
        assert "Traceback" not in out + err
        assert not (project / "reports").exists(), name
        assert not (project / "_site").exists(), name


def test_attack_params_refused_by_the_console_script(project):
    """The same through the installed command in its own process (the path cron takes)."""
    from conftest import cchc

    ATTACKS[0][2](project / "params")
    proc = cchc("build", "--period", "previous", cwd=project)
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "viết 0,95 thay vì 95" in proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""


def test_sample_params_pass(project, capsys):
    """The repository's own params are valid (the attacks above change one key each)."""
    from helpers.params import load_params

    params = load_params(project / "params")
    assert params.targets_for("so-vhtt-tphcm", 2019)["rate.online_procedures"] == 0.5
