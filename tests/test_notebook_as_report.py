"""The notebook is the report: an analyst's edit of one cell reaches the published page,
and the same inputs give the same bytes on every rerun."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from conftest import cchc

pytestmark = pytest.mark.slow
AGENCY = "xa-an-binh"
PERIOD = "2019-9M"


def _build(project: Path, out: Path) -> Path:
    site = out / "_site"
    proc = cchc("build", "--period", PERIOD, "--agency", AGENCY, "--out", str(out / "reports"),
                "--site", str(site), "--engine", "pandoc", "--jobs", "1", cwd=project)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return site


def _flow_rows(html: str) -> dict[str, int]:
    """Lĩnh vực → "Tổng tiếp nhận" of the dossier table on a report page."""
    table = next(t for t in re.findall(r"<table.*?</table>", html, flags=re.S)
                 if "Tổng tiếp nhận" in t)
    heads = [re.sub(r"<.*?>", "", h, flags=re.S).strip()
             for h in re.findall(r"<th.*?</th>", table, re.S)]
    col = heads.index("Tổng tiếp nhận")
    rows = {}
    for tr in re.findall(r"<tr.*?</tr>", table, flags=re.S)[1:]:
        cells = [re.sub(r"<.*?>", "", c, flags=re.S).strip()
                 for c in re.findall(r"<td.*?</td>", tr, re.S)]
        rows[cells[1]] = int(cells[col].replace(".", ""))
    return rows


def test_an_edited_cell_reaches_the_published_page(tiny, tmp_path):
    before = _flow_rows((_build(tiny, tmp_path / "a") / PERIOD / AGENCY / "report.html")
                        .read_text(encoding="utf-8"))
    # a plain lĩnh vực (the tiny project also has hostile ones, shown escaped)
    dropped = next(f for f in before if f != "Tổng cộng" and re.fullmatch(r"[\w ,]+", f))
    assert len(before) >= 3  # at least two lĩnh vực and the total: the filter can show
    # the analyst filters the flow frame in its own cell
    project = tmp_path / "proj"
    shutil.copytree(tiny, project)
    nb_path = project / "notebooks" / "agency_report.ipynb"
    nb = nbformat.read(nb_path, as_version=4)
    cell = next(c for c in nb.cells if "flow = dossiers.flow(" in c.source)
    cell.source = cell.source.replace(
        "flow = dossiers.flow(frames.ho_so, window)",
        "flow = dossiers.flow(frames.ho_so, window)\n"
        f"flow = flow[flow[\"field\"] != {json.dumps(dropped, ensure_ascii=False)}]")
    nbformat.write(nb, nb_path)
    after = _flow_rows((_build(project, tmp_path / "b") / PERIOD / AGENCY / "report.html")
                       .read_text(encoding="utf-8"))
    assert dropped not in after
    kept = {f: n for f, n in before.items() if f not in (dropped, "Tổng cộng")}
    assert {f: n for f, n in after.items() if f != "Tổng cộng"} == kept
    # the total row and the indicators follow the filter: total − the dropped lĩnh vực
    assert after["Tổng cộng"] == before["Tổng cộng"] - before[dropped]
    figures = json.loads((tmp_path / "b" / "reports" / PERIOD / AGENCY / "indicators.json")
                         .read_text(encoding="utf-8"))
    assert figures["indicators"]["dossiers.received_total"]["value"] == after["Tổng cộng"]


DATA = ("indicators.json", "dossier_flow.csv", "tables.xlsx", "quality.xlsx")


def _run(project: Path, out: Path, *extra: str) -> dict:
    proc = cchc("run", "--period", PERIOD, "--agency", AGENCY, "--out", str(out), "--jobs", "1",
                *extra, cwd=project)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    entry = json.loads((out / PERIOD / "manifest.json").read_text(encoding="utf-8"))
    return entry["agencies"][AGENCY]


def test_reruns_give_byte_identical_outputs(tiny, tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    entry = _run(tiny, first)
    files = {n: (first / PERIOD / AGENCY / n).read_bytes() for n in (*DATA, "report.ipynb")}
    again = _run(tiny, first, "--force")  # the same run again, in place
    for name, data in files.items():
        assert (first / PERIOD / AGENCY / name).read_bytes() == data, name
    for e in (entry, again):  # the clock lives in the run manifest and only there
        e.pop("seconds")
        e.pop("reason", None)  # "chưa có lần chạy thành công" vs "--force": why, not what
    assert entry == again
    assert entry["outputs"]["indicators.json"]  # the outputs' hashes are recorded
    # another output folder: the notebook names its own paths, the data files are the same
    _run(tiny, second)
    for name in DATA:
        assert (second / PERIOD / AGENCY / name).read_bytes() == files[name], name
