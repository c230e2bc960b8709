"""Roll-up: a parent declared in params/agencies.yml gets a compiled report, run after its
children, whose figures are its children's own outputs summed; the period overview groups
agencies by their parent instead of ranking them together."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import nbformat
import pytest
import yaml
from conftest import ROOT, cchc, declare
from openpyxl import load_workbook

from helpers.indicators import rollup
from helpers.indicators.periods import parse_period
from helpers.params import ConfigError, load_params
from helpers.run.runner import plan


def _params(tmp_path: Path, agencies: list[dict]) -> Path:
    shutil.copytree(ROOT / "params", tmp_path / "params")
    declare(tmp_path / "params", agencies)
    return tmp_path / "params"


def ag(id_, level, parent=None, rule="decree09", **kw) -> dict:
    return {"id": id_, "name": f"Cơ quan {id_}", "level": level, "rule": rule,
            **({"parent": parent} if parent else {}), **kw}


# ---------------------------------------------------------------- declaring and ordering

def test_sample_declares_the_dong_nai_parent():
    params = load_params(ROOT / "params")
    parent = params.agency("ubnd-tinh-dong-nai")
    assert [c.id for c in params.children(parent.id)] == ["so-vhttdl-dong-nai",
                                                          "so-noi-vu-dong-nai"]
    # an undeclared parent stays a display name for the DOCX header
    assert params.parent_name(params.agency("so-vhtt-tphcm")) == "UBND Thành phố Hồ Chí Minh"
    assert params.parent_name(params.agency("so-vhttdl-dong-nai")) == parent.name
    # the province's People's Committee heads its own documents: no line above its name
    assert params.parent_name(parent) == ""


def test_parents_run_after_their_children_deepest_first(tmp_path):
    params = load_params(_params(tmp_path, [
        ag("tinh", "tỉnh"), ag("so-a", "tỉnh", "tinh"), ag("huyen", "huyện", "tinh"),
        ag("xa-1", "xã", "huyen"), ag("xa-2", "xã", "huyen"), ag("le", "tỉnh")]))
    # everything: the leaves' own reports, then the district, then the province
    assert plan(params, None) == (["so-a", "xa-1", "xa-2", "le"], ["huyen", "tinh"])
    # one commune: its report, then every parent above it (they read its outputs)
    assert plan(params, ["xa-1"]) == (["xa-1"], ["huyen", "tinh"])
    # asking for a parent asks for its children too
    assert plan(params, ["huyen"]) == (["xa-1", "xa-2"], ["huyen", "tinh"])
    assert plan(params, ["le"]) == (["le"], [])


def test_a_parent_cycle_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="vòng"):
        load_params(_params(tmp_path, [ag("a", "tỉnh", "b"), ag("b", "tỉnh", "a")]))


def test_sections_by_level():
    assert rollup.section_of("tỉnh") == "Sở, ban, ngành"
    assert rollup.section_of("Xã") == "UBND cấp xã"
    assert rollup.section_of("phường") == "UBND cấp xã"
    assert rollup.section_of("huyện") == "UBND cấp huyện"
    assert rollup.section_of("thị xã") == "UBND cấp huyện"  # not a xã


def _child_report(counts: dict[str, int], points: float, measured: float) -> dict:
    ind = {f"dossiers.{k}": {"value": v, "comparable": None} for k, v in counts.items()}
    ind["index766.total"] = {"value": points, "points": points, "max": 100,
                             "measured_max": measured}
    ind["index766.tien_do"] = {"value": 0.5, "numerator": 1, "denominator": 2, "points": 10,
                               "max": 20, "group": "tien_do"}
    return {"indicators": ind}


def _counts(early, on_time, late, not_due, overdue, carried, online, postal, offline_rest,
            withdrawn=0):
    received = carried + online + postal + offline_rest
    assert received == early + on_time + late + not_due + overdue
    return {"carried_over": carried, "new_online": online, "new_offline": postal + offline_rest,
            "new_postal": postal, "received_total": received, "resolved_early": early,
            "resolved_on_time": on_time, "resolved_late": late,
            "resolved_total": early + on_time + late, "pending_not_due": not_due,
            "pending_overdue": overdue, "pending_total": not_due + overdue,
            "withdrawn": withdrawn}


def test_compiled_figures_are_the_childrens_sums():
    p = parse_period("2019-Q3")
    kids = [{"id": "so-a", "name": "Sở A", "short_name": "Sở A", "level": "tỉnh",
             "rule": "decree09"},
            {"id": "xa-b", "name": "UBND xã B", "short_name": "Xã B", "level": "xã",
             "rule": "calendar"},
            {"id": "xa-c", "name": "UBND xã C", "short_name": "Xã C", "level": "xã",
             "rule": "decree09"}]
    a = _counts(5, 2, 1, 1, 1, carried=2, online=3, postal=1, offline_rest=4)  # 10 dossiers
    b = _counts(1, 1, 0, 0, 1, carried=0, online=1, postal=0, offline_rest=2)  # 3 dossiers
    reports = {"so-a": _child_report(a, 60, 80), "xa-b": _child_report(b, 45, 50)}
    cfg = load_params(ROOT / "params").index766.model_dump()
    r = rollup.report({"id": "tinh", "rule": "decree09"}, p, kids, reports,
                      {"xa-c": "không có dữ liệu trong kỳ"}, cfg)
    ind = r["indicators"]
    assert ind["dossiers.received_total"]["value"] == 10 + 3
    assert ind["dossiers.pending_overdue"]["value"] == 1 + 1
    # rate of the sums: (5 + 2 + 1 + 1)/(8 + 2) resolved on time or early
    assert (ind["rate.on_time"]["numerator"], ind["rate.on_time"]["denominator"]) == (9, 10)
    # the index of the summed numerators and denominators: Tiến độ (1 + 1)/(2 + 2)
    assert (ind["index766.tien_do"]["numerator"], ind["index766.tien_do"]["denominator"]) == (2, 4)
    rows = {x["agency"]: x for x in r["tables"]["children"]}
    assert rows["xa-c"]["reported"] is False and rows["xa-c"]["status"] == "không có dữ liệu trong kỳ"
    # Xã B's own window (calendar Quý III) is kept in its row
    assert rows["xa-b"]["window"] == {"start": "2019-07-01", "end": "2019-09-30"}
    assert r["window"] == {"start": "2019-06-15", "end": "2019-09-14"}
    sections = rollup.form_sections(r["tables"]["children"])
    assert [(s, [n for n, _ in m]) for s, m in sections] == [("Sở, ban, ngành", ["Sở A"]),
                                                             ("UBND cấp xã", ["Xã B"])]
    # ranked by points over the measurable maximum: 45/50 = 90% before 60/80 = 75%
    rank = rollup.ranking(r["tables"]["children"])
    assert list(rank["agency"]) == ["xa-b", "so-a"] and list(rank["rank"]) == [1, 2]


# ---------------------------------------------------------------- end to end

PARENT = "ubnd-tinh-mau"


@pytest.fixture(scope="module")
def province(tiny, tmp_path_factory):
    """The tiny project with a declared parent: one child in the Sở section, two xã (one
    under the calendar rule), and a xã with no data at all."""
    work = tmp_path_factory.mktemp("province") / "proj"
    shutil.copytree(tiny, work)
    agencies = yaml.safe_load((work / "params" / "agencies.yml").read_text(encoding="utf-8"))
    for a in agencies["agencies"]:
        a["parent"] = PARENT
    agencies["agencies"][1].update(level="tỉnh", short_name="Sở Bình An")
    agencies["agencies"] += [
        {"id": "xa-trong", "name": "UBND xã Trống", "short_name": "Xã Trống", "level": "xã",
         "province": "Đồng Nai", "parent": PARENT, "rule": "decree09"},
        {"id": PARENT, "name": "UBND tỉnh Mẫu", "short_name": "UBND tỉnh Mẫu", "level": "tỉnh",
         "province": "Đồng Nai", "rule": "decree09", "symbol": "UBND"}]
    (work / "params" / "agencies.yml").write_text(yaml.safe_dump(agencies, allow_unicode=True),
                                                  encoding="utf-8")
    out = work / "reports"
    proc = cchc("run", "--period", "2019-9M", "--out", str(out), "--jobs", "2", cwd=work)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return work, out / "2019-9M"


def _ind(d: Path) -> dict:
    return json.loads((d / "indicators.json").read_text(encoding="utf-8"))


def _sheet(path: Path) -> list[tuple]:
    ws = load_workbook(path)["Biểu 06"]
    rows = list(ws.iter_rows(values_only=True))
    at = next(i for i, r in enumerate(rows) if list(r[:13]) == [f"({n})" for n in range(1, 14)])
    return [r[:13] for r in rows[at + 1:] if r[1]]


@pytest.mark.slow
def test_compiled_report_sums_exactly_to_the_childrens_forms(province):
    _, pdir = province
    kids = ["xa-an-binh", "xa-binh-an", "xa-tan-hoa"]
    parent = _ind(pdir / PARENT)
    for code, item in parent["indicators"].items():
        if code.startswith("dossiers."):
            assert item["value"] == sum(_ind(pdir / k)["indicators"][code]["value"]
                                        for k in kids), code
    # the compiled form: a row per child equal to the total row of that child's own form
    rows = _sheet(pdir / PARENT / "tables.xlsx")
    totals = {k: _sheet(pdir / k / "tables.xlsx")[-1][2:] for k in kids}
    names = {"xa-an-binh": "Xã An Bình", "xa-binh-an": "Sở Bình An", "xa-tan-hoa": "Xã Tân Hòa"}
    assert [r[:2] for r in rows] == [("I", "Sở, ban, ngành"), ("1", "Sở Bình An"),
                                     ("II", "UBND cấp xã"), ("1", "Xã An Bình"),
                                     ("2", "Xã Tân Hòa"), (None, "Tổng cộng")]
    by_name = {r[1]: r[2:] for r in rows}
    for k in kids:
        assert by_name[names[k]] == totals[k], k
    assert by_name["Sở, ban, ngành"] == totals["xa-binh-an"]
    assert by_name["UBND cấp xã"] == tuple(a + b for a, b in zip(totals["xa-an-binh"],
                                                                 totals["xa-tan-hoa"],
                                                                 strict=True))
    assert by_name["Tổng cộng"] == tuple(sum(t[i] for t in totals.values()) for i in range(11))
    assert by_name["Tổng cộng"][0] == parent["indicators"]["dossiers.received_total"]["value"]
    for r in rows:  # the identities on every row
        c = dict(zip(range(3, 14), r[2:], strict=True))
        assert c[3] == c[4] + c[5] + c[6] == c[7] + c[11]
        assert c[7] == c[8] + c[9] + c[10] and c[11] == c[12] + c[13]


@pytest.mark.slow
def test_compiled_report_says_who_is_missing_and_whose_window_differs(province):
    _, pdir = province
    children = {r["agency"]: r for r in _ind(pdir / PARENT)["tables"]["children"]}
    assert set(children) == {"xa-an-binh", "xa-binh-an", "xa-tan-hoa", "xa-trong"}
    assert children["xa-trong"]["reported"] is False
    nb = nbformat.read(pdir / PARENT / "report.ipynb", as_version=4)
    text = "\n".join(o.get("data", {}).get("text/markdown", "") for c in nb.cells
                     for o in c.get("outputs", []))
    assert "Xã Trống: không có dữ liệu trong kỳ" in text
    # xa-an-binh follows calendar months: 01/01–30/09/2019, not the parent's 15/12–14/09
    assert "Xã An Bình: theo tháng dương lịch, từ ngày 01/01/2019 đến ngày 30/09/2019" in text
    assert "Tổng hợp từ báo cáo của **3/4** cơ quan" in text
    # the form cell is marked as the appendix the documents place
    tagged = [c for c in nb.cells if "appendix" in c.metadata.get("tags", [])]
    assert tagged and any("Biểu số 06" in c.source for c in tagged)
    # the period overview lists the parent with its children, no ranking across them
    ov = nbformat.read(pdir / "overview.ipynb", as_version=4)
    ov_text = "\n".join(o.get("data", {}).get("text/markdown", "") for c in ov.cells
                        for o in c.get("outputs", []))
    assert f"[UBND tỉnh Mẫu]({PARENT}/report.html)" in ov_text
    assert "báo cáo tổng hợp 3/4 cơ quan trực thuộc" in ov_text


@pytest.mark.slow
def test_parent_reruns_only_when_a_childs_outputs_change(province):
    work, pdir = province
    out = pdir.parent
    again = cchc("run", "--period", "2019-9M", "--out", str(out), cwd=work)
    assert again.returncode == 3, again.stdout + again.stderr  # nothing to do
    m = json.loads((pdir / "manifest.json").read_text(encoding="utf-8"))["agencies"]
    assert m[PARENT]["status_last_run"] == "skipped"
    # a new dossier for one child: that child and its parent run again, no other child
    extra = work / "data" / "raw" / "xa-tan-hoa" / "2019" / "ho_so_bo_sung_2019.csv"
    extra.write_text("Mã hồ sơ;Mã thủ tục;Lĩnh vực;Hình thức nộp;Ngày tiếp nhận;Ngày hẹn trả;"
                     "Ngày có kết quả\n"
                     "BS-1;1.000001;Tôn giáo;Trực tiếp;05/03/2019;12/03/2019;\n", encoding="utf-8")
    before = _ind(pdir / PARENT)["indicators"]["dossiers.received_total"]["value"]
    proc = cchc("run", "--period", "2019-9M", "--out", str(out), cwd=work)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    m = json.loads((pdir / "manifest.json").read_text(encoding="utf-8"))["agencies"]
    assert m["xa-tan-hoa"]["status"] == "ok" and "status_last_run" not in m["xa-tan-hoa"]
    assert m["xa-an-binh"]["status_last_run"] == "skipped"
    assert m[PARENT]["status"] == "ok" and "status_last_run" not in m[PARENT]
    assert "báo cáo của cơ quan trực thuộc" in m[PARENT]["reason"]
    assert _ind(pdir / PARENT)["indicators"]["dossiers.received_total"]["value"] == before + 1


@pytest.mark.slow
def test_compiled_notebook_runs_by_hand_without_children_reports(tmp_path):
    """As an analyst opens it: defaults, no reports yet → it says so and still writes."""
    from nbclient import NotebookClient

    for d in ("notebooks", "params"):
        shutil.copytree(ROOT / d, tmp_path / d)
    nb = nbformat.read(tmp_path / "notebooks" / "compiled_report.ipynb", as_version=4)
    NotebookClient(nb, timeout=300, resources={"metadata": {"path": str(tmp_path / "notebooks")}}
                   ).execute()
    text = "\n".join(o.get("data", {}).get("text/markdown", "") for c in nb.cells
                     for o in c.get("outputs", []) if o["output_type"] != "error")
    assert not [o for c in nb.cells for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert "Tổng hợp từ báo cáo của **0/2** cơ quan" in text
    d = json.loads((tmp_path / "reports" / "_scratch" / "2019-9M" / "ubnd-tinh-dong-nai"
                    / "indicators.json").read_text(encoding="utf-8"))
    assert d["indicators"]["dossiers.received_total"]["value"] == 0
    assert d["window"] == {"start": date(2018, 12, 15).isoformat(), "end": "2019-09-14"}


def test_overview_marks_a_kept_report_the_last_run_could_not_replace():
    """The overview links each agency's report; one kept from an earlier run because this
    run refused its inputs says so beside the link, one with no report says why."""
    from helpers.present import overview

    p = parse_period("2019-Q3")
    agencies = [{"id": i, "rule": "calendar", "parent": None, "name": n, "short_name": n,
                 "province": "Hậu Giang"} for i, n in (("a", "Sở A"), ("b", "Sở B"),
                                                        ("c", "Sở C"))]
    status = {"a": overview.STATUS_WORDS["ok"], "b": overview.STATUS_WORDS["input_error"],
              "c": overview.STATUS_WORDS["input_error"]}
    reports = {"a": {}, "b": {}}  # c has never had a report
    text = str(overview.unparented(agencies, reports, status, p))
    line = {k: next(ln for ln in text.splitlines() if f"Sở {k.upper()}" in ln) for k in "abc"}
    assert "[Sở A](a/report.html)" in line["a"] and "chưa cập nhật" not in line["a"]
    assert "[Sở B](b/report.html)" in line["b"]
    assert "số liệu kỳ này chưa cập nhật (lỗi dữ liệu đầu vào)" in line["b"]
    assert "report.html" not in line["c"] and "Sở C: lỗi dữ liệu đầu vào" in line["c"]
