"""The "Quarterly run" and "Memory per worker" sections of docs/benchmarks.md, from the
results of ``bench/run_speed.py`` (the other sections of the file are left alone)."""

from __future__ import annotations

from pathlib import Path


def _loads(runs: list[dict]) -> str:
    values = [x for r in runs for x in (r["load_before"], r["load_after"])]
    return f"{min(values):.1f}–{max(values):.1f}"


def _stages(stages: dict[str, float], job_mean: float) -> str:
    """The compute-only job's stages, the largest first, the small cells summed."""
    rows, small = [], 0.0
    for label, s in sorted(stages.items(), key=lambda kv: -kv[1]):
        if s < 0.01:
            small += s
            continue
        rows.append(f"| `{label.replace('|', '/')}` | {s:.3f} | {s / job_mean:.0%} |")
    rows.append(f"| {sum(1 for s in stages.values() if s < 0.01)} other cells (tables, text) "
                f"| {small:.3f} | {small / job_mean:.0%} |")
    return "\n".join(rows)


def _charts(c: dict) -> str:
    return (f"Charts ({c['charts_per_report']} per report; the notebook's own chart cells on "
            f"{c['reports']} reports, medians of CPU seconds): building the figures takes "
            f"{c['build_s_per_report']} s per report; their PNGs took "
            f"{c['png_before_s_per_report']} s with `savefig(bbox_inches=\"tight\")` (each text "
            "shaped three times: measured by one renderer, measured again and drawn by another) "
            f"and take {c['png_after_s_per_report']} s with one Agg draw laid out by the figure's "
            f"layout engine: **{c['before_s_per_report']} → {c['after_s_per_report']} s per report**"
            f" ({c['speedup']}× faster).")


def _goal(ok: bool) -> str:
    return "met" if ok else "**missed**"


def goals(r: dict) -> str:
    """Issue 13's goals for the run, against this sitting's figures."""
    sc, c = r["scaling"], r["charts"]
    per_run = sc[-1]["run"]["seconds"] / r["agencies"]
    naive = r["naive"]["seconds_per_agency"] / per_run
    lines = ["Goals (issue 13):", ""]
    for s in sc:
        lines.append(f"- `cchc run` within 1,3× the compute-only pool at `--jobs {s['jobs']}`: "
                     f"{s['ratio']}× — {_goal(s['ratio'] <= 1.3)}.")
    lines.append(f"- ≥ 10× the naive loop at `--jobs {sc[-1]['jobs']}` on {r['machine']['cpus']} "
                 f"cores: {naive:.1f}× — {_goal(naive >= 10)}.")
    lines.append(f"- Charts ≤ 0,15 s per report: {c['after_s_per_report']} s — "
                 f"{_goal(c['after_s_per_report'] <= 0.15)}"
                 + ("" if c["after_s_per_report"] <= 0.15 else
                    f" by {c['after_s_per_report'] / 0.15:.1f}×: most of a draw is matplotlib "
                    "shaping and rasterising text (about a millisecond per Vietnamese label, "
                    "measured and drawn once each now, three times before)") + ".")
    return "\n".join(lines)


def speed(r: dict) -> str:
    sc, m = r["scaling"], r["machine"]
    top = sc[-1]
    runs = [x for s in sc for x in (s["limit"], s["run"])] + [r["naive"], r["rerun"]]
    lines = [
        f"## Quarterly run: {r['agencies']} agencies × {r['dossiers']} dossiers", "",
        f"`bench/run_speed.py --agencies {r['agencies']} --dossiers {r['dossiers']} --jobs "
        f"{','.join(str(s['jobs']) for s in sc)} --naive {r['naive']['agencies']}"
        f"{' --jupyter' if 'jupyter' in r else ''}` on {m['cpus']} CPUs ({m['platform']}, "
        f"Python {m['python']}). Every figure below comes from that one sitting; ratios are "
        f"against baselines measured in it. **This machine has {m['cpus']} cores**, shared with "
        f"other developers (load average {_loads(runs)} around the measurements): `--jobs` "
        f"4, 8 and 16 need a bigger machine (`--jobs 1,2,4,8,16` there).", "",
        "The compute-only limit (`bench/compute_limit.py`) is the reports' pure work in a plain "
        "process pool: ingest each agency's exports, then run the agency notebook's own code "
        "cells with `exec` and render what they show (charts to PNG, tables to Markdown), "
        "with no papermill, no IPython, no notebook written. `cchc run` adds the "
        "fingerprints, the manifest, papermill, the executed notebook and the overview.", "",
        "| `--jobs` | compute-only limit | `cchc run` | run ÷ limit | run speed-up over "
        "`--jobs 1` | peak per worker | peak, whole run |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in sc:
        lines.append(f"| {s['jobs']} | {s['limit']['seconds']} s | {s['run']['seconds']} s | "
                     f"**{s['ratio']}×** | {sc[0]['run']['seconds'] / s['run']['seconds']:.2f}× | "
                     f"{s['run']['peak_mb']['worker'] or s['run']['peak_mb']['main']} MB | "
                     f"{s['run']['peak_mb']['tree']} MB |")
    per_run = top["run"]["seconds"] / r["agencies"]
    naive = r["naive"]["seconds_per_agency"]
    lines += [
        "", f"Against the naive loop (a shell loop calling the `papermill` CLI per agency, on "
        f"the first {r['naive']['agencies']} agencies): {naive:.2f} s per agency, against "
        f"{per_run:.2f} s per agency for `cchc run --jobs {top['jobs']}`: "
        f"**{naive / per_run:.1f}× faster**.", ""]
    if "jupyter" in r:
        j = r["jupyter"]
        lines += [
            f"The same run with `--kernel jupyter` (a warm Jupyter kernel per worker, the "
            f"former default): {j['seconds']} s ({j['seconds'] / top['run']['seconds']:.2f}× "
            f"the in-process engine), peak {j['peak_mb']['worker']} MB per worker plus "
            f"{j['peak_mb']['kernel']} MB per kernel, {j['peak_mb']['tree']} MB in all.", ""]
    rr = r["rerun"]
    lines += [
        f"After one agency's export changed, the rerun (`--jobs {top['jobs']}`; ran: "
        f"{rr['ran']}) takes {rr['seconds']} s: {top['run']['seconds'] / rr['seconds']:.1f}× "
        "faster than the full run.", "",
        "### Where a report's time goes", "",
        f"Mean seconds per agency in the compute-only run at `--jobs {sc[0]['jobs']}` (the "
        "bench's own timers around each stage: the executed notebooks no longer keep "
        f"papermill's per-cell durations). A job takes {sc[0]['limit']['job_seconds_mean']:.3f} s "
        f"there and {sc[0]['run']['job_seconds']['mean']:.3f} s in `cchc run` (median "
        f"{sc[0]['run']['job_seconds']['median']:.3f}, p90 {sc[0]['run']['job_seconds']['p90']:.3f}"
        "): the difference is papermill, the in-process engine and writing the notebook.", "",
        "| stage | seconds | share |", "|---|---:|---:|",
        _stages(sc[0]["limit"]["stages_mean"], sc[0]["limit"]["job_seconds_mean"]), "",
        _charts(r["charts"]), "", goals(r), ""]
    return "\n".join(lines)


def memory(r: dict) -> str:
    runs, m = r["runs"], r["machine"]
    lines = [
        "## Memory per worker against reports done", "",
        f"`bench/run_speed.py --memory {','.join(str(x['agencies']) for x in runs)} --dossiers "
        f"{r['dossiers']} --jobs {r['jobs']}` on {m['cpus']} CPUs: `cchc run --jobs {r['jobs']}` "
        f"on provinces of {' and '.join(str(x['agencies']) for x in runs)} agencies of "
        f"{r['dossiers']} dossiers each (fewer dossiers than the speed runs, so that "
        "generating a thousand agencies' exports fits in the sitting: the claim is flatness, "
        "a ratio), each process's resident memory sampled every 0.2 s.", "",
        "| agencies | run | peak per worker | peak of the command | peak, whole run | load |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for x in runs:
        lines.append(f"| {x['agencies']} | {x['seconds']} s | {x['peak_mb']['worker']} MB | "
                     f"{x['peak_mb']['main']} MB | {x['peak_mb']['tree']} MB | "
                     f"{x['load_before']}–{x['load_after']} |")
    lines += ["", f"Peak per worker at {runs[-1]['agencies']} agencies ÷ at {runs[0]['agencies']}: "
              f"**{r['ratio']}×**.", "",
              "The largest worker's peak resident memory once so many reports were done:", "",
              "| reports done | " + " | ".join(f"{x['agencies']} agencies" for x in runs) + " |",
              "|---:|" + "---:|" * len(runs)]
    biggest = runs[-1]["agencies"]
    for done in sorted({int(biggest * f) for f in (0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 1.0)}):
        cells = []
        for x in runs:
            seen = [mb for d, mb in x["series"] if d <= done]
            cells.append(f"{max(seen)} MB" if seen and done <= x["agencies"] else "")
        lines.append(f"| {done} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def update_doc(doc: Path, heading: str, section: str) -> None:
    """Replace the section that starts with ``heading`` (up to the next ``## ``), or append."""
    text = doc.read_text(encoding="utf-8") if doc.is_file() else "# Benchmarks\n"
    start = text.find("\n" + heading)
    if start >= 0:
        end = text.find("\n## ", start + 1)
        text = text[:start + 1] + section.rstrip() + "\n" + (text[end:] if end >= 0 else "")
    else:
        text = text.rstrip() + "\n\n" + section.rstrip() + "\n"
    doc.write_text(text, encoding="utf-8")
