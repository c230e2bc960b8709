"""The ``cchc`` command: finds its project, parses, delegates, prints one line per outcome.

The project is the nearest folder, from the current one upwards, holding ``_quarto.yml``
and ``notebooks/`` (as Quarto and git find theirs), or ``--project DIR`` / ``CCHC_PROJECT``.
``data/``, ``params/``, ``reports/`` and ``_site/`` default to the project's own.

Exit codes: 0 all done; 1 some agency failed or an input has errors; 2 wrong usage or
configuration; 3 nothing to do (every agency unchanged since its last successful run, or
no data). A user's mistake gets one Vietnamese line, never a traceback; an unexpected
error gets one line and the path of the log that holds its traceback.
"""

from __future__ import annotations

import gettext as _gettext
import logging
import os
import sys
import tempfile
import traceback
from datetime import datetime
from pathlib import Path

import click

from . import __version__
from .params import UsageError

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_NOTHING = 0, 1, 2, 3
MARKERS = ("_quarto.yml", "notebooks")


# click's own words (usage lines, help headings, the errors of a mistyped command) in
# Vietnamese, whatever the machine's locale (a cron job runs under LANG=C). click asks
# ``gettext`` for each; a message without a translation here stays click's English.
CLICK_VI: dict[str, str] = {
    # usage and help
    "Usage:": "Cách dùng:",
    "Options": "Tùy chọn",
    "Commands": "Lệnh",
    "Positional arguments": "Tham số",
    "Show this message and exit.": "Hiện hướng dẫn này rồi thoát.",
    "Show the version and exit.": "Hiện phiên bản rồi thoát.",
    "%(prog)s, version %(version)s": "%(prog)s, phiên bản %(version)s",
    "default: {default}": "mặc định: {default}",
    "required": "bắt buộc",
    "env var: {var}": "biến môi trường: {var}",
    "Try '{command} {option}' for help.": "Xem hướng dẫn: {command} {option}",
    "Aborted!": "Đã dừng.",
    # errors
    "Error: {message}": "Lỗi: {message}",
    "Invalid value for {param_hint}: {message}": "Giá trị không hợp lệ cho {param_hint}: {message}",
    "Invalid value: {message}": "Giá trị không hợp lệ: {message}",
    "Missing option": "Thiếu tùy chọn",
    "Missing argument": "Thiếu tham số",
    "Missing parameter": "Thiếu tham số",
    "Missing command.": "Thiếu lệnh.",
    "Missing {param_type}": "Thiếu {param_type}",
    "Missing parameter: {param_name}": "Thiếu tham số: {param_name}",
    "No such command {name!r}.": "Không có lệnh {name!r}.",
    "No such option {name!r}.": "Không có tùy chọn {name!r}.",
    "Did you mean {possibility}?": "Có phải ý bạn là {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Có phải ý bạn là một trong: {possibilities}?)",
    "Option {name!r} does not take a value.": "Tùy chọn {name!r} không nhận giá trị.",
    "Option {name!r} requires an argument.": "Tùy chọn {name!r} cần một giá trị.",
    "Option {name!r} requires {nargs} arguments.": "Tùy chọn {name!r} cần {nargs} giá trị.",
    "Got unexpected extra argument ({args})": "Thừa tham số ({args})",
    "Got unexpected extra arguments ({args})": "Thừa tham số ({args})",
    "{value!r} is not {choice}.": "{value!r} không phải {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} không phải một trong {choices}.",
    "{value!r} is not a valid {number_type}.": "{value!r} không phải một số hợp lệ.",
    "integer": "số nguyên",
    "float": "số thực",
    "{value} is not in the range {range}.": "{value} nằm ngoài khoảng {range}.",
    "{value!r} does not match the format {format}.": "{value!r} không đúng dạng {format}.",
    "{value!r} does not match the formats {formats}.": "{value!r} không đúng các dạng {formats}.",
    "{value!r} is not a valid boolean. Recognized values: {states}":
        "{value!r} không phải giá trị đúng/sai. Các giá trị nhận: {states}",
    "file": "tệp",
    "directory": "thư mục",
    "path": "đường dẫn",
    "{name} {filename!r} does not exist.": "{name} {filename!r} không tồn tại.",
    "{name} {filename!r} is a file.": "{name} {filename!r} là một tệp.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} là một thư mục.",
    "{name} {filename!r} is not readable.": "Không đọc được {name} {filename!r}.",
    "{name} {filename!r} is not writable.": "Không ghi được {name} {filename!r}.",
    "Could not open file {filename!r}: {message}": "Không mở được tệp {filename!r}: {message}",
}

CLICK_MODULES = ("click.core", "click.exceptions", "click.formatting", "click.types",
                 "click.decorators", "click.parser", "click.termui", "click.utils")


def _click_gettext(message: str) -> str:
    return CLICK_VI.get(message, message)


def _click_ngettext(singular: str, plural: str, n: int) -> str:
    return _click_gettext(singular if n == 1 else plural)


def _install_click_vi() -> None:
    """Answer click's ``gettext`` and ``ngettext`` calls from ``CLICK_VI``. click binds them per
    module (``from gettext import gettext as _``); only those bindings are replaced, and
    only where they are still the standard library's, so installing twice is harmless."""
    for name in CLICK_MODULES:
        module = sys.modules.get(name)
        if module is None:
            continue
        if getattr(module, "_", None) is _gettext.gettext:
            module._ = _click_gettext  # type: ignore[attr-defined]
        if getattr(module, "ngettext", None) is _gettext.ngettext:
            module.ngettext = _click_ngettext  # type: ignore[attr-defined]


_install_click_vi()


class CommandError(Exception):
    """A mistake the user can fix: the message says how; ``code`` is the exit code."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


def find_project(start: Path) -> Path | None:
    for d in (start, *start.parents):
        if all((d / m).exists() for m in MARKERS):
            return d
    return None


def project() -> Path:
    """The project root of this invocation (``--project``, ``CCHC_PROJECT``, or found)."""
    ctx = click.get_current_context()
    root = ctx.find_root().obj
    if root is None:
        raise CommandError("không tìm thấy dự án cchc-reports (thư mục có _quarto.yml và "
                        f"notebooks/) từ {Path.cwd()} trở lên: chạy trong thư mục dự án hoặc "
                        "dùng --project THƯ_MỤC")
    return root


def _path(value: str | None, default: str) -> Path:
    """A folder option: as given (relative to the current folder), else the project's."""
    return Path(value).resolve() if value else project() / default


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cchc")
@click.option("--project", "project_dir", envvar="CCHC_PROJECT", default=None,
              help="Thư mục dự án (mặc định: tìm từ thư mục hiện tại trở lên).")
@click.pass_context
def cli(ctx: click.Context, project_dir: str | None) -> None:
    """Báo cáo cải cách hành chính (CCHC) tái lập được, từ tệp xuất Excel/CSV."""
    import signal

    # SIGTERM (systemd stop, kill) unwinds like Ctrl-C: staging is removed, kernels stopped
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    if project_dir is not None:
        root = Path(project_dir).resolve()
        if find_project(root) != root:
            raise CommandError(f"{root} không phải thư mục dự án cchc-reports (cần có "
                            "_quarto.yml và notebooks/)")
        ctx.obj = root
    else:
        ctx.obj = find_project(Path.cwd().resolve())


def _params(params_dir: Path):
    from .params import load_params

    return load_params(params_dir)


@cli.command()
@click.option("--data", "data_dir", default=None, help="Thư mục dữ liệu (mặc định: data/).")
@click.option("--params", "params_dir", default=None, help="Thư mục tham số (mặc định: params/).")
@click.option("--agency", "agencies", multiple=True, help="Chỉ kiểm tra cơ quan này.")
@click.option("--period", "period_id", default=None, help="Kỳ báo cáo (vd. 2019-10M): cảnh báo "
              "thêm nhiệm vụ có ngày hoàn thành sau kỳ hoặc tiến độ trái với ngày văn bản.")
def check(data_dir: str | None, params_dir: str | None, agencies: tuple[str, ...],
          period_id: str | None) -> None:
    """Kiểm tra tham số và mọi tệp đầu vào; in từng lỗi với tệp, trang tính, dòng, cột."""
    from .ingest.agency import read_agency
    from .ingest.mappings import for_agency

    params = _params(_path(params_dir, "params"))
    ids = list(agencies) or list(params.agencies)
    for a in ids:
        params.agency(a)
    period_of: dict[str, str] = {}
    if period_id:
        from .run import schedule

        period_of = {a: pid for pid, group in schedule.resolve(period_id, params, ids)
                     for a in group}
    raw = _path(data_dir, "data") / "raw"
    errors = warnings = rows = 0
    for aid in ids:
        agency = params.agency(aid)
        inputs = read_agency(aid, raw / aid, mapping=for_agency(params, agency), root=raw,
                             limits=params.limits)
        inputs.issues.extend(inputs.unaccounted())
        if aid in period_of:
            inputs.issues += _task_issues(inputs, agency.rule, period_of[aid])
        n_read = sum(r.rows_read for r in inputs.reads)
        rows += n_read
        status = "OK" if not inputs.errors else f"{len(inputs.errors)} lỗi"
        click.echo(f"== {aid}: {len(inputs.files)} tệp, {n_read} dòng dữ liệu, {status}, "
                   f"{len(inputs.warnings)} cảnh báo")
        if not inputs.files and not inputs.issues:
            click.echo(f"   (không có tệp nào trong {raw / aid})")
        _echo_inputs(inputs)
        errors += len(inputs.errors)
        warnings += len(inputs.warnings)
    click.echo(f"Tổng: {rows} dòng, {errors} lỗi, {warnings} cảnh báo.")
    sys.exit(EXIT_FAILED if errors else EXIT_OK)


def _task_issues(inputs, rule: str, period_id: str) -> list:
    """Warnings about the tasks of the period's plan year: a completion date after the
    period's data window, a status its own evidence date contradicts."""
    from .indicators.periods import parse_period
    from .indicators.tasks import task_states, task_warnings
    from .ingest.accounting import Issue
    from .ingest.readers import year_from_path

    plan = inputs.tables().get("nhiem_vu")
    if plan is None:
        return []
    period = parse_period(period_id)
    plan = plan[[year_from_path(f) == period.year for f in plan["_file"]]]
    end = period.window(rule).end
    return [Issue(**w) for w in task_warnings(task_states(plan, end, period.year), end)]


SKIPPED = {"blank": "trống", "total": "tổng cộng", "footer": "chữ ký",
           "numbering": "đánh số cột"}


def _echo_inputs(inputs) -> None:
    """Per file: which table each sheet was taken for and why, its rows, its issues."""
    from .ingest.accounting import group_by_file

    issues = group_by_file(inputs.issues)
    for file in dict.fromkeys([*inputs.files, *issues]):
        click.echo(f"  {file}")
        for r in (r for r in inputs.reads if r.file == file):
            sheet = f"trang tính “{r.sheet}” " if r.sheet else ""
            skipped = ", ".join(f"{n} dòng {SKIPPED.get(k, k)}" for k, n in r.skipped.items() if n)
            click.echo(f"    {sheet}→ bảng {r.table.code} ({r.table.title}), nhận theo "
                       f"{r.recognised_by or 'tên'}; tiêu đề ở dòng {r.header_row}: "
                       f"{r.rows_read} dòng dữ liệu, nhận {r.rows_accepted}, loại "
                       f"{r.rows_rejected}" + (f"; bỏ qua {skipped}" if skipped else ""))
        for i in issues.get(file, []):
            where = ", ".join(x for x in (f"trang tính “{i.sheet}”" if i.sheet else "",
                                          f"dòng {i.row}" if i.row else "",
                                          f"cột “{i.column}”" if i.column else "") if x)
            tag = "LỖI" if i.severity == "error" else "cảnh báo"
            fld = f" [{i.field}]" if i.field else ""
            click.echo(f"    {tag}: {where}{fld}: {i.message}" if where or fld
                       else f"    {tag}: {i.message}")


@cli.command("map")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--system", default=None, help="Tên hệ thống (mặc định: theo tên tệp).")
@click.option("--table", default=None, help="Mã bảng (mặc định: đoán theo các cột).")
@click.option("--sheet", default=None, help="Trang tính (mặc định: trang có nhiều dữ liệu nhất).")
@click.option("--params", "params_dir", default=None, help="Thư mục tham số (mặc định: params/).")
@click.option("--force", is_flag=True, help="Ghi đè tệp ánh xạ đã có.")
def map_command(file: str, system: str | None, table: str | None, sheet: str | None,
                params_dir: str | None, force: bool) -> None:
    """Viết bản nháp params/mappings/<hệ-thống>.yml cho tệp xuất có tiêu đề cột lạ."""
    from .ingest.draft import DraftError, write_draft
    from .ingest.readers import ReadError
    from .params import load_limits

    path = Path(file)
    if not path.is_file():
        raise CommandError(f"không có tệp {path}")
    pdir = _path(params_dir, "params")
    try:
        out, code, guessed, total = write_draft(path, pdir, system, table, sheet, force,
                                                load_limits(pdir))
    except (DraftError, ReadError) as exc:
        raise CommandError(f"{path}: {exc}") from None
    click.echo(f"Đã ghi {out}: bảng {code}, đoán được {guessed}/{total} cột. Mở tệp, xác nhận "
               f"từng dòng ghi “XÁC NHẬN”, rồi ghi `source_system: {out.stem}` cho cơ quan trong "
               "params/agencies.yml và chạy `cchc check`.")


def _setup_log(out_dir: Path, period: str) -> tuple[Path, logging.Handler]:
    logs = out_dir / period / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    path = logs / f"run-{datetime.now():%Y%m%d-%H%M%S}.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger = logging.getLogger("cchc")
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    return path, handler


STATUS = {"ok": "xong", "skipped": "bỏ qua (không đổi)", "failed": "LỖI",
          "input_error": "LỖI DỮ LIỆU", "no_data": "không có dữ liệu"}


def _writable(folder: Path) -> None:
    """Fail before any work (and any kernel) when ``folder`` cannot be written: a
    read-only or full ``--out`` is one line, not a traceback half way."""
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile(dir=folder):
        pass


def _run(period: str, agencies: tuple[str, ...], jobs: int | None, data_dir: str | None,
         params_dir: str | None, out_dir: str | None, executor: str, scheduler: str | None,
         force: bool, wait: bool, kernel: str = "inprocess", fresh_kernel: bool = False) -> int:
    """Run every (period, agencies) group of ``--period``: ``previous`` gives each agency
    its own rule's period, so one invocation may run several. Exit 1 if any agency
    failed, 3 if nothing at all was new, else 0."""
    from .run import schedule

    root = project()
    params_path = _path(params_dir, "params")
    params = _params(params_path)  # first: a wrong params/ is exit 2 before anything starts
    ids = list(agencies) or list(params.agencies)
    for a in ids:
        params.agency(a)
    groups = schedule.resolve(period, params, ids)
    out = _path(out_dir, "reports")
    _writable(out)
    kernel = "fresh" if fresh_kernel else kernel
    if executor != "dask":
        from .run.runner import prestart

        # the overview (and a lone agency) run in this process: its imports (or kernel)
        # overlap with checking what changed and ingesting it
        prestart(root / "notebooks", kernel)
    summaries = [_run_group(pid, group, root, out, params_path, data_dir, jobs, executor,
                            scheduler, force, wait, kernel) for pid, group in groups]
    if any(s.failed for s in summaries):
        return EXIT_FAILED
    if not any(r.status == "ok" for s in summaries for r in s.results):
        return EXIT_NOTHING
    return EXIT_OK


def _run_group(period: str, agencies: list[str], root: Path, out: Path, params_path: Path,
               data_dir: str | None, jobs: int | None, executor: str, scheduler: str | None,
               force: bool, wait: bool, kernel: str):
    """One period's run under its lock; prints one line per agency."""
    from .run.lock import LockBusy, period_lock
    from .run.runner import run_period

    try:
        with period_lock(out / period, wait=wait, waiting=lambda m: click.echo(m, err=True)):
            log_path, handler = _setup_log(out, period)
            try:
                summary = run_period(period, agencies, root, _path(data_dir, "data"),
                                     params_path, out, jobs=jobs or os.cpu_count() or 1,
                                     executor=executor, scheduler=scheduler, force=force,
                                     progress=sys.stderr.isatty(), kernel=kernel)
            finally:
                logging.getLogger("cchc").removeHandler(handler)
                handler.close()
    except LockBusy as exc:
        raise CommandError(str(exc), EXIT_FAILED) from None
    click.echo(f"Kỳ {summary.period}:")
    for r in sorted(summary.results, key=lambda r: r.agency):
        line = f"  {r.agency:28} {STATUS[r.status]:20} {r.seconds:6.1f}s"
        if r.error:
            line += f"  {r.error}"
        click.echo(line)
        if r.failing_cell:
            click.echo(f"      tại {r.failing_cell}")
        if r.attempt:
            click.echo(f"      xem {r.attempt}")
        if r.stale:
            click.echo("      báo cáo đã có của kỳ được giữ nguyên (số liệu kỳ này chưa cập "
                       "nhật, trang web ghi rõ)")
    if summary.overview:
        click.echo(f"  tổng hợp: {summary.overview}")
    click.echo(f"Sổ tổng hợp lần chạy: {summary.manifest}\nNhật ký: {log_path}")
    return summary


_run_options = [
    click.option("--period", required=True, help="Mã kỳ: 2019-Q1, 2019-H1, 2019-9M, 2019-FY, "
                 "2019-10 hoặc 'previous' (kỳ vừa kết thúc)."),
    click.option("--agency", "agencies", multiple=True, help="Cơ quan (lặp lại được)."),
    click.option("--jobs", type=int, default=None, help="Số báo cáo chạy song song "
                 "(mặc định: số lõi CPU)."),
    click.option("--data", "data_dir", default=None, help="Thư mục dữ liệu (mặc định: data/)."),
    click.option("--params", "params_dir", default=None,
                 help="Thư mục tham số (mặc định: params/)."),
    click.option("--out", "out_dir", default=None,
                 help="Thư mục báo cáo (mặc định: reports/)."),
    click.option("--executor", default="local", show_default=True,
                 type=click.Choice(["local", "serial", "dask"])),
    click.option("--scheduler", default=None, help="Địa chỉ Dask scheduler, tcp://HOST:8786."),
    click.option("--force", is_flag=True, help="Chạy lại cả cơ quan không đổi."),
    click.option("--wait", is_flag=True, help="Chờ nếu kỳ này đang được chạy bởi tiến trình khác."),
    click.option("--kernel", type=click.Choice(["inprocess", "jupyter", "fresh"]),
                 default="inprocess", show_default=True,
                 help="Nơi chạy các ô của notebook: inprocess — ngay trong tiến trình làm việc "
                 "(nhanh nhất, không khởi động kernel); jupyter — một kernel Jupyter riêng cho "
                 "mỗi tiến trình, dùng lại giữa các báo cáo; fresh — một kernel Jupyter mới cho "
                 "từng báo cáo (chậm nhất, tách biệt hoàn toàn)."),
    click.option("--fresh-kernel", is_flag=True, hidden=True,
                 help="Như --kernel fresh (giữ cho các lịch chạy cũ)."),
]


def _with_run_options(fn):
    for opt in reversed(_run_options):
        fn = opt(fn)
    return fn


@cli.command()
@_with_run_options
def run(**kw) -> None:
    """Lập báo cáo của một kỳ cho mọi cơ quan (hoặc các cơ quan chỉ định)."""
    sys.exit(_run(**kw))


_publish_options = [
    click.option("--engine", type=click.Choice(["auto", "quarto", "pandoc"]), default="auto",
                 show_default=True, help="Công cụ dựng trang web: quarto, pandoc, hoặc auto "
                 "(quarto nếu có)."),
    click.option("--site", "site_dir", default=None,
                 help="Thư mục trang web (mặc định: _site/)."),
]


@cli.command()
@click.option("--period", required=True, help="Mã kỳ (như cchc run) hoặc 'previous'.")
@_publish_options[0]
@click.option("--out", "out_dir", default=None, help="Thư mục báo cáo (mặc định: reports/).")
@click.option("--params", "params_dir", default=None,
              help="Thư mục tham số (mặc định: params/).")
@_publish_options[1]
@click.option("--jobs", type=int, default=None, help="Số việc xuất bản chạy song song "
              "(mặc định: số lõi CPU).")
@click.option("--executor", default="local", show_default=True,
              type=click.Choice(["local", "serial", "dask"]),
              help="Nơi chạy: local (nhiều tiến trình), serial (lần lượt), dask (cụm máy).")
@click.option("--scheduler", default=None, help="Địa chỉ Dask scheduler, tcp://HOST:8786.")
@click.option("--wait", is_flag=True, help="Chờ nếu trang web đang được xuất bản bởi tiến trình khác.")
def publish(period: str, engine: str, out_dir: str | None, params_dir: str | None,
            site_dir: str | None, jobs: int | None, executor: str, scheduler: str | None,
            wait: bool) -> None:
    """Xuất bản trang web, PDF và DOCX của các báo cáo vào _site/ (chỉ làm lại phần đã đổi)."""
    sys.exit(_publish(period, engine, out_dir, params_dir, site_dir, jobs, executor, scheduler,
                      wait))


def _publish(period: str, engine: str, out_dir: str | None, params_dir: str | None,
             site_dir: str | None, jobs: int | None = None, executor: str = "local",
             scheduler: str | None = None, wait: bool = False) -> int:
    import functools

    from .publish import PublishError, publish_site
    from .run import executors, schedule

    params = _params(_path(params_dir, "params"))
    periods = [pid for pid, _ in schedule.resolve(period, params, list(params.agencies))]
    site = _path(site_dir, "_site")
    run_on = functools.partial(executors.get(executor), scheduler=scheduler)
    try:
        result = publish_site(project(), _path(out_dir, "reports"), site, engine=engine,
                              echo=click.echo, jobs=jobs or os.cpu_count() or 1, executor=run_on,
                              wait=wait)
    except PublishError as exc:
        raise CommandError(str(exc), EXIT_FAILED) from None
    click.echo(f"Đã xuất bản {result.pages} trang, {result.pdfs} PDF, {result.docx} DOCX vào "
               f"{site}/ (bằng {result.engine}; kỳ {', '.join(periods)}; lập mới "
               f"{result.rendered} báo cáo, dùng lại {result.reused}).")
    return EXIT_OK


@cli.command()
@_with_run_options
@_publish_options[0]
@_publish_options[1]
def build(engine: str, site_dir: str | None, **kw) -> None:
    """Chạy (run) rồi xuất bản (publish) một lần cho mọi kỳ của lần chạy, trên cùng các
    tiến trình song song."""
    code = _run(**kw)
    if code == EXIT_FAILED:
        click.echo("Một số cơ quan lỗi; vẫn xuất bản các báo cáo đã có.", err=True)
    pcode = _publish(kw["period"], engine, kw["out_dir"], kw["params_dir"], site_dir,
                     kw["jobs"], kw["executor"], kw["scheduler"], kw["wait"])
    sys.exit(code if code in (EXIT_FAILED, EXIT_NOTHING) and pcode == EXIT_OK else pcode)


@cli.command()
@click.option("--year", type=int, required=True)
@click.option("--params", "params_dir", default=None)
def periods(year: int, params_dir: str | None) -> None:
    """In bảng thời gian lấy số liệu và hạn nộp của các kỳ báo cáo trong năm."""
    from .run.schedule import calendar

    def day(d) -> str:
        return f"{d:%d/%m/%Y}" if d else "–"

    for _aid, title, rows in calendar(_params(_path(params_dir, "params")), year):
        click.echo(title)
        for pid, label, start, end, due in rows:
            click.echo(f"  {pid:8} {label:24} {day(start)} – {day(end)}   hạn nộp: {day(due)}")


@cli.command()
@click.option("--out", "out_dir", required=True, type=click.Path())
def template(out_dir: str) -> None:
    """Tạo các mẫu nhập liệu Excel trống theo đặc tả."""
    from .ingest.templates import write_templates

    for path in write_templates(Path(out_dir)):
        click.echo(path)


def _error_log(exc: BaseException) -> Path:
    """Write an unexpected error's traceback where an operator finds it; its path. Never
    fails itself (a full disk is one of the errors it reports): no place, no log."""
    text = "".join(traceback.format_exception(exc))
    for folder in (lambda: find_project(Path.cwd().resolve()) / "reports" / "logs",
                   lambda: Path(tempfile.gettempdir())):
        path = None
        try:
            where = folder()
            where.mkdir(parents=True, exist_ok=True)
            path = where / f"loi-{datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}.log"
            path.write_text(text, encoding="utf-8")
            return path
        except (OSError, TypeError):  # TypeError: no project found (None / "reports")
            if path is not None:
                try:
                    path.unlink(missing_ok=True)  # half written: not a log
                except OSError:
                    pass
    return Path("(không ghi được nhật ký)")


def _vietnamese_metavars() -> None:
    """The placeholders of the help text in Vietnamese (click writes its type names)."""
    cli.options_metavar = "[TÙY_CHỌN]"
    cli.subcommand_metavar = "LỆNH [THAM_SỐ]..."
    for command in [cli, *cli.commands.values()]:
        command.options_metavar = "[TÙY_CHỌN]"
        for param in command.params:
            if isinstance(param, click.Option) and param.metavar is None and not param.is_flag:
                if param.type is click.INT:
                    param.metavar = "SỐ"
                elif param.type is click.STRING:
                    param.metavar = "GIÁ_TRỊ"


_vietnamese_metavars()


def main(argv: list[str] | None = None) -> None:
    """Entry point: user errors are one line and an exit code; nothing ends in a traceback."""
    logging.raiseExceptions = False  # a log that cannot be written (full disk) stays quiet
    try:
        cli.main(args=argv, prog_name="cchc", standalone_mode=False)
    except SystemExit:
        raise
    except click.exceptions.Abort:
        click.echo("Đã dừng.", err=True)
        sys.exit(130)
    except click.exceptions.ClickException as exc:
        exc.show()
        sys.exit(EXIT_USAGE if isinstance(exc, click.UsageError) else EXIT_FAILED)
    except (CommandError, UsageError) as exc:
        click.echo(f"Lỗi: {exc}", err=True)
        sys.exit(getattr(exc, "code", EXIT_USAGE))
    except KeyboardInterrupt:
        click.echo("Đã dừng.", err=True)
        sys.exit(130)
    except OSError as exc:  # a full disk, a read-only folder: the environment, not a bug
        from .atomic import os_error_text

        path = _error_log(exc)
        click.echo(f"Lỗi: {os_error_text(exc)} (chi tiết trong {path})", err=True)
        sys.exit(EXIT_FAILED)
    except Exception as exc:
        path = _error_log(exc)
        click.echo(f"Lỗi không mong đợi ({exc.__class__.__name__}); chi tiết trong {path}",
                   err=True)
        sys.exit(EXIT_FAILED)


if __name__ == "__main__":
    main()
