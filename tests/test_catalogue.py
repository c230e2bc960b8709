"""One catalogue of indicator codes (src/helpers/indicators/catalogue.yml): every code the
figures compute on the sample data has an entry, and every entry is a code the figures
compute — so a label, a unit or a direction can never be missing or stale."""

from __future__ import annotations

import fnmatch

import pytest
from conftest import ROOT

from helpers.indicators import catalogue
from helpers.indicators.periods import parse_period
from helpers.indicators.values import report
from helpers.ingest import store
from helpers.params import load_params

PERIODS = ("2019-9M", "2019-FY", "2019-Q3")


@pytest.fixture(scope="module")
def computed(tmp_path_factory) -> set[str]:
    params = load_params(ROOT / "params")
    st = tmp_path_factory.mktemp("store")
    codes: set[str] = set()
    for a in params.agencies.values():
        if not (ROOT / "data" / "raw" / a.id).is_dir():  # a parent compiles, has no exports
            continue
        meta = store.ingest(params, a, ROOT / "data" / "raw", st)
        assert meta["ok"], a.id
        for pid in PERIODS:
            p = parse_period(pid)
            frames = store.load(st, a.id, p.years_needed(a.rule),
                                since=p.comparable.window(a.rule).start)
            figures = report(frames, p, a.rule, a.id, params.targets_for(a.id, p.year),
                             params.apportioned_targets(p.year),
                             index_config=params.index766.model_dump())
            codes |= set(figures["indicators"])
    return codes


def test_every_computed_code_has_an_entry(computed):
    missing = sorted(c for c in computed if catalogue.entry(c) is None)
    assert missing == []


def test_every_entry_is_computed(computed):
    unused = [e.code for e in catalogue.entries()
              if not any(fnmatch.fnmatchcase(c, e.code) for c in computed)]
    assert unused == []


def test_entries_are_well_formed():
    seen = set()
    for e in catalogue.entries():
        assert e.code not in seen, e.code
        seen.add(e.code)
        assert e.label and e.definition, e.code
        assert e.kind in catalogue.KINDS and e.direction in ("higher", "lower", "none")
    headline = [e.headline for e in catalogue.entries() if e.headline is not None]
    assert sorted(headline) == list(range(1, len(headline) + 1))  # a place each, no gap


def test_family_labels_take_the_member_name():
    assert catalogue.label("rate.satisfaction.quay_kiosk", "Quầy/Kiosk") == \
        "Tỷ lệ hài lòng qua kênh Quầy/Kiosk"
    assert catalogue.label("rate.self.vb", "Tỷ lệ văn bản điện tử") == "Tỷ lệ văn bản điện tử"
    assert catalogue.kind("rate.satisfaction.quay_kiosk") == "rate"
    assert catalogue.kind("self.tap_huan") == "number"
