"""The composite score (data-spec.md, last paragraph): weighted groups of indicators; a
group scores the mean of its indicators that have a value, and a group with no value leaves
the score, the remaining weights being renormalised."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from helpers.indicators.score import score

CONFIG = {"groups": [
    {"name": "Tiến độ", "weight": 20, "indicators": ["rate.on_time"]},
    {"name": "Trực tuyến", "weight": 30, "indicators": ["rate.online_dossiers",
                                                       "rate.paid_online"]},
    {"name": "Số hóa", "weight": 50, "indicators": ["rate.digitized"]},
]}


def ind(**values):
    return {k.replace("_", ".", 1): {"value": v} for k, v in values.items()}


def test_score_all_groups():
    indicators = ind(rate_on_time=0.9, rate_online_dossiers=0.8, rate_paid_online=0.6,
                     rate_digitized=0.5)
    total, detail = score(indicators, CONFIG)
    # groups: 0.9; (0.8 + 0.6)/2 = 0.7; 0.5
    # 100 × (20·0.9 + 30·0.7 + 50·0.5) / 100 = 18 + 21 + 25 = 64
    assert total == 64.0
    assert [g["value"] for g in detail] == [0.9, pytest.approx(0.7), 0.5]
    assert [g["weight"] for g in detail] == [20.0, 30.0, 50.0]


def test_missing_indicator_inside_a_group_is_skipped():
    # paid_online has no value (no fee) → the group is 0.8 alone, not (0.8 + 0)/2
    indicators = ind(rate_on_time=0.9, rate_online_dossiers=0.8, rate_paid_online=None,
                     rate_digitized=0.5)
    total, detail = score(indicators, CONFIG)
    # 20·0.9 + 30·0.8 + 50·0.5 = 18 + 24 + 25 = 67
    assert total == 67.0
    assert detail[1]["value"] == 0.8


def test_group_without_value_renormalises():
    # Số hóa has no value at all → weights 20 and 30 are renormalised over 50:
    # 100 × (20·0.9 + 30·0.8) / 50 = 100 × 42 / 50 = 84
    indicators = ind(rate_on_time=0.9, rate_online_dossiers=0.8, rate_digitized=None)
    total, detail = score(indicators, CONFIG)
    assert total == 84.0
    assert detail[2]["value"] is None


def test_no_value_at_all_gives_no_score():
    total, detail = score({}, CONFIG)
    assert total is None
    assert all(g["value"] is None for g in detail)


def test_rounding_to_two_decimals():
    # 100 × (20·(2/3)) / 20 = 66.666… → 66.67
    total, _ = score(ind(rate_on_time=2 / 3), CONFIG)
    assert total == 66.67


def test_default_config_has_the_five_groups():
    cfg = yaml.safe_load((Path(__file__).resolve().parents[1] / "params" / "score.yml")
                         .read_text(encoding="utf-8"))
    assert len(cfg["groups"]) == 5
    everything = {c: {"value": 1.0} for g in cfg["groups"] for c in g["indicators"]}
    assert score(everything, cfg)[0] == 100.0
