"""Shared fixtures: the repository, the sample data, and runs that several tests read.

Runs go through the real command (``python -m helpers.cli``) in temporary folders, so the
tests exercise what a user runs; the expensive ones are session-scoped and run once.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
HCM = "so-vhtt-tphcm"
sys.path.insert(0, str(ROOT / "sample"))  # the seeded generator lives outside the package


def cchc(*args: str, cwd: Path = ROOT, check: bool = False, env: dict | None = None
         ) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "helpers.cli", *args], cwd=cwd,
                          capture_output=True, text=True, env={**os.environ, **(env or {})})
    if check and proc.returncode != 0:
        raise AssertionError(f"cchc {' '.join(args)} → {proc.returncode}\n{proc.stdout}\n"
                             f"{proc.stderr}")
    return proc


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def hcm_run(tmp_path_factory) -> Path:
    """TP. HCM, period 2019-10M, run through papermill: the out folder."""
    out = tmp_path_factory.mktemp("hcm") / "reports"
    cchc("run", "--period", "2019-10M", "--agency", HCM, "--out", str(out), "--jobs", "1",
         check=True)
    return out


@pytest.fixture(scope="session")
def hcm_site(hcm_run, tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("site") / "_site"
    cchc("publish", "--period", "2019-10M", "--engine", "pandoc", "--out", str(hcm_run),
         "--site", str(site), check=True)
    return site


CANARIES = {
    "Họ tên người nộp": "Canary Hoten QXZ71",
    "Số CCCD/CMND": "079999123456789",
    "Địa chỉ": "Canary Duong QXZ72",
    "Số điện thoại": "0999888777666",
    "Email": "canary-qxz73@example.invalid",
}
HOSTILE_FIELD = "<script>alert('x')</script> *Văn hóa* | cơ sở"
FORMULA_FIELD = "=HYPERLINK(\"http://evil.invalid\",\"bấm\")"


def declare(params: Path, agencies: list[dict]) -> None:
    """Make ``agencies`` the agencies of a copied ``params/``: the sample's own overrides
    (targets, report numbers) name agencies no longer declared and would be refused."""
    (params / "agencies.yml").write_text(yaml.safe_dump({"agencies": agencies},
                                                        allow_unicode=True), encoding="utf-8")
    ids = {a["id"] for a in agencies}
    for name in ("targets.yml", "reports.yml"):
        path = params / name
        if path.is_file():
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            data["agencies"] = {k: v for k, v in (data.get("agencies") or {}).items() if k in ids}
            path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


@pytest.fixture(scope="session")
def tiny(tmp_path_factory) -> Path:
    """A small project of two agencies made with the generator, with hostile text in a
    lĩnh vực, a formula-like lĩnh vực and canary values in every personal column."""
    import synthetic as syn

    base = tmp_path_factory.mktemp("tiny")
    shutil.copytree(ROOT / "notebooks", base / "notebooks")
    shutil.copy(ROOT / "_quarto.yml", base / "_quarto.yml")
    params = base / "params"
    shutil.copytree(ROOT / "params", params)
    agencies = {"agencies": [
        {"id": "xa-an-binh", "name": "UBND xã An Bình", "short_name": "Xã An Bình",
         "province": "Đồng Nai", "level": "xã", "parent": "UBND huyện Mẫu", "rule": "calendar",
         "symbol": "UBND"},
        {"id": "xa-binh-an", "name": "UBND xã Bình An", "short_name": "Xã Bình An",
         "province": "Đồng Nai", "level": "xã", "parent": "UBND huyện Mẫu", "rule": "decree09",
         "symbol": "UBND"},
        {"id": "xa-tan-hoa", "name": "UBND xã Tân Hòa", "short_name": "Xã Tân Hòa",
         "province": "Đồng Nai", "level": "xã", "parent": "UBND huyện Mẫu", "rule": "decree09",
         "symbol": "UBND"},
    ]}
    declare(params, agencies["agencies"])
    raw = base / "data" / "raw"
    for i, aid in enumerate(("xa-an-binh", "xa-binh-an", "xa-tan-hoa")):
        shape = syn.AgencyShape(aid, "Đồng Nai", syn.FIELDS_NV[:3], {2018: 120, 2019: 150},
                                {2018: (12, 3), 2019: (12, 6)}, {2018: 0.1, 2019: 0.2},
                                style="per_table_xlsx" if i == 0 else "one_workbook")
        for year in (2018, 2019):
            procs = syn.procedures(shape, year)
            if i == 0:
                procs[0]["field"] = HOSTILE_FIELD
                procs[1]["field"] = FORMULA_FIELD
            dossiers = syn.dossiers(shape, year, procs)
            for d in dossiers:
                d.update(CANARIES)
            resolved = sum(1 for d in dossiers if d["resolved_on"] is not None)
            tables = {"thu_tuc": procs, "ho_so": dossiers,
                      "danh_gia": syn.ratings(shape, year, resolved),
                      "pakn": syn.feedback(shape, year),
                      "kinh_phi": syn.budget_rows(shape, year, ROOT / "sample" / "plans"),
                      "chi_so": syn.self_assessed(shape, year)}
            syn.write_agency_year(shape, agencies["agencies"][i]["name"], year, raw, tables)
    return base


@pytest.fixture(scope="session")
def tiny_built(tiny, tmp_path_factory):
    """The tiny project built (run, then published with the pandoc engine on two
    processes): (project, reports, site, the command's output)."""
    out = tmp_path_factory.mktemp("tiny-out")
    site = out / "_site"
    proc = cchc("build", "--period", "2019-9M", "--out", str(out / "reports"), "--site",
                str(site), "--engine", "pandoc", "--jobs", "2", cwd=tiny)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return tiny, out / "reports", site, proc


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright, offline (the browser and escaping tests)."""
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield b
        b.close()
