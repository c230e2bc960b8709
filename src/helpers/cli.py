"""The ``cchc`` command: check inputs, run a period, publish the site.

Exit codes: 0 all done; 1 some agency failed or an input has errors; 2 wrong usage or
configuration; 3 nothing to do (every agency unchanged since its last successful run, or
no data).
"""

from __future__ import annotations

import logging
import os
import sys
from datetime import date, datetime
from pathlib import Path

import click

from . import __version__

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_NOTHING = 0, 1, 2, 3


def _root() -> Path:
    """The project root: the nearest folder upwards holding notebooks/ and params/."""
    here = Path.cwd()
    for d in (here, *here.parents):
        if (d / "notebooks").is_dir() and (d / "params").is_dir():
            return d
    return here


def _fail(message: str, code: int = EXIT_USAGE) -> None:
    click.echo(f"Lỗi: {message}", err=True)
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cchc")
def main() -> None:
    """Báo cáo cải cách hành chính (CCHC) tái lập được, từ tệp xuất Excel/CSV."""
    import signal

    # SIGTERM (systemd stop, kill) unwinds like Ctrl-C: staging is removed, kernels stopped
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))


@main.command()
@click.option("--data", "data_dir", default="data", show_default=True, type=click.Path())
@click.option("--params", "params_dir", default="params", show_default=True, type=click.Path())
@click.option("--agency", "agencies", multiple=True, help="Chỉ kiểm tra cơ quan này.")
def check(data_dir: str, params_dir: str, agencies: tuple[str, ...]) -> None:
    """Kiểm tra mọi tệp đầu vào; in từng lỗi với tệp, sheet, dòng, cột."""
    from .config import ConfigError, load_params
    from .ingest import group_by_file, read_agency

    try:
        params = load_params(params_dir)
        ids = list(agencies) or list(params.agencies)
        for a in ids:
            params.agency(a)
    except (ConfigError, ValueError) as exc:
        _fail(str(exc))
    raw = Path(data_dir) / "raw"
    errors = warnings = rows = 0
    for aid in ids:
        agency = params.agency(aid)
        inputs = read_agency(aid, raw / aid, mapping=params.mapping(agency), root=raw)
        n_read = sum(r.rows_read for r in inputs.reads)
        rows += n_read
        status = "OK" if not inputs.errors else f"{len(inputs.errors)} lỗi"
        click.echo(f"== {aid}: {len(inputs.files)} tệp, {n_read} dòng dữ liệu, {status}, "
                   f"{len(inputs.warnings)} cảnh báo")
        if not inputs.files:
            click.echo(f"   (không có tệp nào trong {raw / aid})")
        for file, issues in group_by_file(inputs.issues).items():
            click.echo(f"  {file}")
            for i in issues:
                where = ", ".join(x for x in (f"sheet “{i.sheet}”" if i.sheet else "",
                                              f"dòng {i.row}" if i.row else "",
                                              f"cột “{i.column}”" if i.column else "") if x)
                tag = "LỖI" if i.severity == "error" else "cảnh báo"
                fld = f" [{i.field}]" if i.field else ""
                click.echo(f"    {tag}: {where}{fld}: {i.message}" if where or fld
                           else f"    {tag}: {i.message}")
        for r in inputs.reads:
            if r.rows_read != r.rows_accepted + r.rows_rejected:
                click.echo(f"    LỖI đối soát dòng {r.file}: {r.rows_read} ≠ "
                           f"{r.rows_accepted} + {r.rows_rejected}")
                errors += 1
        errors += len(inputs.errors)
        warnings += len(inputs.warnings)
    click.echo(f"Tổng: {rows} dòng, {errors} lỗi, {warnings} cảnh báo.")
    sys.exit(EXIT_FAILED if errors else EXIT_OK)


def _resolve_period(period: str, params_dir: str, agencies: tuple[str, ...]) -> str:
    if period != "previous":
        from .periods import PeriodError, parse_period

        try:
            return parse_period(period).id
        except PeriodError as exc:
            _fail(str(exc))
    from .config import load_params
    from .periods import previous_period

    params = load_params(params_dir)
    ids = list(agencies) or list(params.agencies)
    rules = {params.agency(a).rule for a in ids}
    today = date.fromisoformat(os.environ["CCHC_TODAY"]) if os.environ.get("CCHC_TODAY") \
        else date.today()  # CCHC_TODAY: run "previous" as of another day (backfills)
    found = {previous_period(today, r).id for r in rules}  # type: ignore[arg-type]
    if len(found) > 1:
        _fail(f"'previous' is {', '.join(sorted(found))} under the agencies' different cut-off "
              "rules: run them separately with --agency")
    return found.pop()


def _setup_log(out_dir: Path, period: str) -> Path:
    logs = out_dir / period / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    path = logs / f"run-{datetime.now():%Y%m%d-%H%M%S}.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger = logging.getLogger("cchc")
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    return path


def _run(period: str, agencies: tuple[str, ...], jobs: int | None, data_dir: str,
         params_dir: str, out_dir: str, executor: str, scheduler: str | None, force: bool,
         wait: bool, fresh_kernel: bool = False) -> int:
    from .config import ConfigError
    from .locking import LockBusy, period_lock
    from .runner import run_period

    if not fresh_kernel and executor != "dask":
        from .kernels import prestart

        # the overview (and a lone agency) run in this process: the kernel's start-up and
        # imports overlap with checking what changed and ingesting it
        prestart(str(_root() / "notebooks"))
    period = _resolve_period(period, params_dir, agencies)
    out = Path(out_dir)
    try:
        with period_lock(out / period, wait=wait):
            log_path = _setup_log(out, period)
            summary = run_period(period, list(agencies) or None, _root(), Path(data_dir),
                                 Path(params_dir), out, jobs=jobs or os.cpu_count() or 1,
                                 executor=executor, scheduler=scheduler, force=force,
                                 progress=sys.stderr.isatty(), warm=not fresh_kernel)
    except LockBusy as exc:
        _fail(str(exc), EXIT_FAILED)
    except (ConfigError, ValueError) as exc:
        _fail(str(exc))
    names = {"ok": "xong", "skipped": "bỏ qua (không đổi)", "failed": "LỖI",
             "input_error": "LỖI DỮ LIỆU", "no_data": "không có dữ liệu"}
    click.echo(f"Kỳ {summary.period}:")
    for r in sorted(summary.results, key=lambda r: r.agency):
        line = f"  {r.agency:28} {names[r.status]:20} {r.seconds:6.1f}s"
        if r.error:
            line += f"  {r.error}"
        click.echo(line)
        if r.failing_cell:
            click.echo(f"      tại {r.failing_cell}")
    if summary.overview:
        click.echo(f"  tổng hợp toàn tỉnh: {summary.overview}")
    click.echo(f"Manifest: {summary.manifest}\nNhật ký: {log_path}")
    if summary.failed:
        return EXIT_FAILED
    if not any(r.status == "ok" for r in summary.results):
        return EXIT_NOTHING
    return EXIT_OK


_run_options = [
    click.option("--period", required=True, help="Mã kỳ: 2019-Q1, 2019-H1, 2019-9M, 2019-FY, "
                 "2019-10 hoặc 'previous' (kỳ vừa kết thúc)."),
    click.option("--agency", "agencies", multiple=True, help="Cơ quan (lặp lại được)."),
    click.option("--jobs", type=int, default=None, help="Số báo cáo chạy song song "
                 "(mặc định: số lõi CPU)."),
    click.option("--data", "data_dir", default="data", show_default=True),
    click.option("--params", "params_dir", default="params", show_default=True),
    click.option("--out", "out_dir", default="reports", show_default=True),
    click.option("--executor", default="local", show_default=True,
                 type=click.Choice(["local", "serial", "dask"])),
    click.option("--scheduler", default=None, help="Địa chỉ Dask scheduler, tcp://HOST:8786."),
    click.option("--force", is_flag=True, help="Chạy lại cả cơ quan không đổi."),
    click.option("--wait", is_flag=True, help="Chờ nếu kỳ này đang được chạy bởi tiến trình khác."),
    click.option("--fresh-kernel", is_flag=True,
                 help="Khởi động kernel mới cho từng báo cáo (mặc định: dùng lại kernel đã nạp sẵn)."),
]


def _with_run_options(fn):
    for opt in reversed(_run_options):
        fn = opt(fn)
    return fn


@main.command()
@_with_run_options
def run(**kw) -> None:
    """Lập báo cáo của một kỳ cho mọi cơ quan (hoặc các cơ quan chỉ định)."""
    sys.exit(_run(**kw))


@main.command()
@click.option("--period", required=True)
@click.option("--engine", type=click.Choice(["auto", "quarto", "pandoc"]), default="auto",
              show_default=True)
@click.option("--out", "out_dir", default="reports", show_default=True)
@click.option("--params", "params_dir", default="params", show_default=True)
@click.option("--site", "site_dir", default="_site", show_default=True)
def publish(period: str, engine: str, out_dir: str, params_dir: str, site_dir: str) -> None:
    """Xuất bản trang web, PDF và DOCX của các báo cáo vào _site/."""
    sys.exit(_publish(period, engine, out_dir, params_dir, site_dir))


def _publish(period: str, engine: str, out_dir: str, params_dir: str, site_dir: str) -> int:
    from .publish import PublishError, publish_site

    period = _resolve_period(period, params_dir, ())
    try:
        result = publish_site(_root(), Path(out_dir), Path(params_dir), Path(site_dir),
                              engine=engine, echo=click.echo)
    except PublishError as exc:
        _fail(str(exc), EXIT_FAILED)
    click.echo(f"Đã xuất bản {result.pages} trang, {result.pdfs} PDF, {result.docx} DOCX vào "
               f"{site_dir}/ (engine {result.engine}; kỳ {period}).")
    return EXIT_OK


@main.command()
@_with_run_options
@click.option("--engine", type=click.Choice(["auto", "quarto", "pandoc"]), default="auto")
@click.option("--site", "site_dir", default="_site", show_default=True)
def build(engine: str, site_dir: str, **kw) -> None:
    """Chạy (run) rồi xuất bản (publish)."""
    code = _run(**kw)
    if code == EXIT_FAILED:
        click.echo("Một số cơ quan lỗi; vẫn xuất bản các báo cáo đã có.", err=True)
    pcode = _publish(kw["period"], engine, kw["out_dir"], kw["params_dir"], site_dir)
    sys.exit(code if code == EXIT_FAILED else pcode)


@main.command()
@click.option("--year", type=int, required=True)
@click.option("--params", "params_dir", default="params", show_default=True)
def periods(year: int, params_dir: str) -> None:
    """In bảng thời gian lấy số liệu và hạn nộp của các kỳ báo cáo trong năm."""
    from . import vnformat as vn
    from .config import load_params
    from .periods import deadline, parse_period

    params = load_params(params_dir)
    ids = [f"{year}-Q1", f"{year}-Q2", f"{year}-Q3", f"{year}-Q4", f"{year}-H1", f"{year}-9M",
           f"{year}-FY"]
    for a in params.agencies.values():
        click.echo(f"{a.id} ({a.short_name}) — quy tắc {a.rule}")
        for pid in ids:
            p = parse_period(pid)
            w = p.window(a.rule)  # type: ignore[arg-type]
            dl = deadline(p, params.deadline_style(a))
            click.echo(f"  {p.id:8} {p.label:24} {vn.day(w.start)} – {vn.day(w.end)}"
                       f"   hạn nộp: {vn.day(dl) if dl else '–'}")


@main.command()
@click.option("--out", "out_dir", required=True, type=click.Path())
def template(out_dir: str) -> None:
    """Tạo các mẫu nhập liệu Excel trống theo đặc tả."""
    from .templates import write_templates

    for path in write_templates(Path(out_dir)):
        click.echo(path)


if __name__ == "__main__":
    main()
