"""Every optional input may be missing: generated from the spec's own field list.

For each field of ``helpers.ingest.spec.TABLES`` with ``required=False`` and for each table
other than ``ho_so``, one small generated agency lacks it (the column, or the whole
table). One real ``cchc run --jobs 2`` over all of them, beside a complete agency, must
make every report, with no error in any notebook, and the figures that need the missing
input must be null ("không có dữ liệu") or absent, never 0, where the complete agency
has them. A new optional field in the spec is tested without touching this file.
"""

from __future__ import annotations

import csv
import json
import shutil
from datetime import date
from pathlib import Path

import nbformat
import pytest
import yaml
from conftest import ROOT, cchc, declare

from helpers.ingest.spec import TABLES

pytestmark = pytest.mark.slow
PERIOD = "2019-Q3"
BASE = "v-day-du"

# the indicators (and tables of indicators.json) each optional input feeds
NEEDS: dict[tuple[str, str | None], tuple[str, ...]] = {
    ("ho_so", "unit"): ("table:targets_by_unit",),
    ("ho_so", "status"): ("dossiers.withdrawn",),
    ("ho_so", "apology_sent"): ("rate.apology",),
    ("ho_so", "paid_online"): ("rate.paid_online",),
    ("ho_so", "digitized"): ("rate.digitized",),
    ("ho_so", "e_result"): ("rate.e_result",),
    ("thu_tuc", "postal"): ("procedures.postal",),
    ("thu_tuc", "published"): ("rate.published_procedures",),
    ("nhiem_vu", "status"): ("tasks.done", "tasks.overdue", "rate.tasks_done"),
    ("nhiem_vu", "deadline"): ("tasks.due", "tasks.overdue", "rate.tasks_done"),
    ("kinh_phi", "spent_vnd"): ("budget.spent", "rate.budget_spent"),
    ("chi_so", "numerator"): ("rate.self.vb_dien_tu", "rate.self.chu_ky_so"),
    ("chi_so", "denominator"): ("rate.self.vb_dien_tu", "rate.self.chu_ky_so"),
    ("chi_so", "value"): ("self.dao_tao", "self.kiem_tra"),
    ("thu_tuc", None): ("procedures.total", "rate.online_procedures"),
    ("danh_gia", None): ("ratings.total", "rate.satisfaction", "rate.rating_coverage"),
    ("pakn", None): ("feedback.received", "feedback.due", "rate.feedback_on_time"),
    ("nhiem_vu", None): ("tasks.total", "rate.tasks_done"),
    ("kinh_phi", None): ("budget.planned", "budget.spent", "rate.budget_spent"),
    ("chi_so", None): ("self.dao_tao", "rate.self.vb_dien_tu"),
}

VARIANTS: list[tuple[str, str | None]] = [
    (t.code, f.name) for t in TABLES.values() for f in t.fields if not f.required
] + [(code, None) for code in TABLES if code != "ho_so"]


def _id(table: str, fld: str | None) -> str:
    return f"v-{table}-{fld or 'khong-co-bang'}".replace("_", "-")


def test_the_dependencies_name_optional_inputs_of_the_spec() -> None:
    assert set(NEEDS) <= set(VARIANTS), set(NEEDS) - set(VARIANTS)


def _cell(value: object) -> object:
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return "" if value is None else value


def _tables(year: int) -> dict[str, list[dict]]:
    import synthetic as syn

    shape = syn.AgencyShape("so-tn-tinh", "Tỉnh mẫu", syn.FIELDS_NV[:3], {2018: 160, 2019: 200},
                            {2018: (14, 4), 2019: (14, 7)}, {2018: 0.2, 2019: 0.3},
                            plans={2018: "so-vhttdl-hau-giang.csv",
                                   2019: "so-vhttdl-hau-giang.csv"},
                            late_share=0.15, units=("VP", "QLVH"))
    procs = syn.procedures(shape, year)
    dossiers = syn.dossiers(shape, year, procs)
    for d in dossiers[::25]:  # some withdrawn dossiers, so their count is not zero
        d["status"] = "Rút hồ sơ"
    resolved = sum(1 for d in dossiers if d["resolved_on"] is not None)
    plans = ROOT / "sample" / "plans"
    return {"thu_tuc": procs, "ho_so": dossiers, "danh_gia": syn.ratings(shape, year, resolved),
            "pakn": syn.feedback(shape, year), "nhiem_vu": syn.plan_tasks(shape, year, plans),
            "kinh_phi": syn.budget_rows(shape, year, plans),
            "chi_so": syn.self_assessed(shape, year)}


def _write(agency_dir: Path, data: dict[int, dict[str, list[dict]]], table: str,
           fld: str | None) -> None:
    """The agency's exports, one ";" CSV per table and year, spec headers, without the
    dropped column or table."""
    for year, tables in data.items():
        for code, rows in tables.items():
            if code == table and fld is None:
                continue
            fields = [f for f in TABLES[code].fields if not (code == table and f.name == fld)]
            path = agency_dir / str(year) / f"{code}_{year}.csv"
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "w", encoding="utf-8-sig", newline="") as fh:
                w = csv.writer(fh, delimiter=";")
                w.writerow([f.header for f in fields])
                w.writerows([[_cell(r.get(f.name)) for f in fields] for r in rows])


@pytest.fixture(scope="module")
def variants_run(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("optional")
    shutil.copytree(ROOT / "notebooks", base / "notebooks")
    shutil.copy(ROOT / "_quarto.yml", base / "_quarto.yml")
    params = base / "params"
    shutil.copytree(ROOT / "params", params)
    targets = yaml.safe_load((params / "targets.yml").read_text(encoding="utf-8"))
    targets.pop("agencies", None)
    (params / "targets.yml").write_text(yaml.safe_dump(targets, allow_unicode=True),
                                        encoding="utf-8")
    ids = [BASE] + [_id(t, f) for t, f in VARIANTS]
    agencies = [{"id": aid, "name": f"Cơ quan thử {aid}", "province": "Tỉnh mẫu",
                 "rule": "calendar", "units": [{"code": "VP", "name": "Văn phòng"},
                                               {"code": "QLVH", "name": "Phòng Văn hóa"}]}
                for aid in ids]
    declare(params, agencies)
    data = {year: _tables(year) for year in (2018, 2019)}
    raw = base / "data" / "raw"
    _write(raw / BASE, data, "", None)
    for t, f in VARIANTS:
        _write(raw / _id(t, f), data, t, f)
    proc = cchc("run", "--period", PERIOD, "--jobs", "2", "--out", str(base / "reports"),
                cwd=base)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return base / "reports" / PERIOD


def _indicators(out: Path, aid: str) -> dict:
    return json.loads((out / aid / "indicators.json").read_text(encoding="utf-8"))


def _missing(ind: dict, tables: dict, code: str) -> bool:
    if code.startswith("table:"):
        return code[6:] not in tables
    i = ind.get(code)
    return i is None or (i["value"] is None and i["numerator"] is None
                         and i["denominator"] is None)


@pytest.mark.parametrize(("table", "fld"), VARIANTS,
                         ids=[_id(t, f) for t, f in VARIANTS])
def test_report_made_without_the_input_and_its_figures_null(variants_run: Path, table: str,
                                                            fld: str | None) -> None:
    aid = _id(table, fld)
    manifest = json.loads((variants_run / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["agencies"][aid]["status"] == "ok", manifest["agencies"][aid]
    nb = nbformat.read(variants_run / aid / "report.ipynb", as_version=4)
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert errors == [], errors[:1]
    got, full = _indicators(variants_run, aid), _indicators(variants_run, BASE)
    for code in NEEDS.get((table, fld), ()):
        # the complete agency has the figure; without its input it is null, never 0
        assert not _missing(full["indicators"], full["tables"], code), (BASE, code)
        assert _missing(got["indicators"], got["tables"], code), (code, got["indicators"].get(code))
    # nothing else is lost: the other figures are the complete agency's
    lost = {c for c, i in full["indicators"].items() if i["value"] is not None
            and _missing(got["indicators"], got["tables"], c)}
    allowed = set(NEEDS.get((table, fld), ()))
    if (table, fld) == ("chi_so", None):
        allowed |= {c for c in lost if c.startswith(("self.", "rate.self."))}
    if table == "chi_so" and fld in ("numerator", "denominator"):
        allowed |= {c for c in lost if c.startswith("rate.self.")}
    if (table, fld) == ("thu_tuc", None):
        allowed |= {c for c in lost if c.startswith("procedures.")} | {
            "rate.published_procedures", "growth.online_procedures"}
    if (table, fld) == ("danh_gia", None):
        allowed |= {c for c in lost if c.startswith(("ratings.", "rate.satisfaction."))}
    if (table, fld) == ("nhiem_vu", None) or (table, fld) in (("nhiem_vu", "status"),
                                                              ("nhiem_vu", "deadline")):
        allowed |= {c for c in lost if c.startswith("tasks.")}
    assert lost <= allowed, lost - allowed
