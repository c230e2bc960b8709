"""Targets and their apportionment (data-spec.md, "Targets and their apportionment").

"at least r of N" needs ceil(r·N); apportioning across units with n_i each gives every
unit floor(r·n_i) and hands the remaining ones to the largest fractional parts (ties to the
larger unit), so the shares add up exactly to the total; the same rule applies when a
second target applies to the first one's result.

Where two units tie on both the fractional part and the size, the unit whose code sorts
first gets the extra one (the spec is silent; this keeps the result deterministic).
"""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.indicators.targets import apportion, apportion_chain, met, required


@pytest.mark.parametrize(
    ("total", "rate", "need"),
    [
        (70, 0.3, 21),   # 0.3 × 70 = 21 exactly (a float product would be 21.000…004 → 22)
        (35, 0.5, 18),   # 17.5 → 18
        (10, 0.95, 10),  # 9.5 → 10
        (100, 0.95, 95),
        (7, 0.1, 1),     # 0.7 → 1
        (0, 0.3, 0),
        (18, 1.0, 18),
    ],
)
def test_required_is_ceil(total, rate, need):
    assert required(total, rate) == need


def test_apportion_tie_goes_to_the_larger_unit():
    # 30% of A 30, B 25, C 15 (N = 70) → need ceil(21) = 21
    #   r·n: A 9.0, B 7.5, C 4.5 → floors 9, 7, 4 = 20, one left
    #   fractions: A 0, B .5, C .5 → tie B/C → the larger unit B
    assert apportion({"A": 30, "B": 25, "C": 15}, 0.3) == {"A": 9, "B": 8, "C": 4}


def test_apportion_largest_fractions():
    # 30% of P1 12, P2 9, P3 4 (N = 25) → need ceil(7.5) = 8
    #   r·n: 3.6, 2.7, 1.2 → floors 3, 2, 1 = 6, two left
    #   fractions .6, .7, .2 → P2 then P1
    assert apportion({"P1": 12, "P2": 9, "P3": 4}, 0.3) == {"P1": 4, "P2": 3, "P3": 1}


def test_apportion_tie_same_size_by_code():
    # 50% of A 7, B 7, C 6 (N = 20) → need 10
    #   r·n: 3.5, 3.5, 3.0 → floors 3, 3, 3 = 9, one left
    #   A and B tie on fraction and size → A (first code)
    assert apportion({"B": 7, "A": 7, "C": 6}, 0.5) == {"A": 4, "B": 3, "C": 3}


def test_apportion_rounds_the_total_up():
    # 30% of A 5, B 5 (N = 10) → need 3; r·n 1.5, 1.5 → floors 1, 1; one left → A
    assert apportion({"A": 5, "B": 5}, 0.3) == {"A": 2, "B": 1}
    # 10% of three units of 3 (N = 9) → need ceil(0.9) = 1; floors 0, 0, 0 → one to "a"
    assert apportion({"a": 3, "b": 3, "c": 3}, 0.1) == {"a": 1, "b": 0, "c": 0}


def test_apportion_chain():
    # step 1: 30% of A 30, B 25, C 15 → A 9, B 8, C 4 (21), as above
    # step 2: 50% of that result (N = 21) → need ceil(10.5) = 11
    #   r·n: 4.5, 4.0, 2.0 → floors 4, 4, 2 = 10, one left → A (the only fraction)
    steps = apportion_chain({"A": 30, "B": 25, "C": 15}, [0.3, 0.5])
    assert steps == [{"A": 9, "B": 8, "C": 4}, {"A": 5, "B": 4, "C": 2}]
    assert sum(steps[1].values()) == required(21, 0.5) == 11


def test_met():
    assert met(0.96, 0.95) is True
    assert met(0.95, 0.95) is True
    assert met(0.5, 0.95) is False
    assert met(0.002, 0.01, higher_is_better=False) is True
    assert met(0.02, 0.01, higher_is_better=False) is False
    assert met(None, 0.95) is None
    assert met(0.5, None) is None


RATES = st.sampled_from([0.05, 0.1, 0.2, 0.25, 0.3, 0.33, 0.5, 0.6, 0.7, 0.75, 0.8, 0.9,
                         0.95, 1.0])
UNITS = st.dictionaries(st.text("abcdefgh", min_size=1, max_size=3),
                        st.integers(0, 200), min_size=1, max_size=8)


@settings(max_examples=300, deadline=None)
@given(UNITS, RATES)
def test_property_shares_sum_to_the_total(counts, rate):
    shares = apportion(counts, rate)
    assert set(shares) == set(counts)
    assert sum(shares.values()) == required(sum(counts.values()), rate)
    r = Fraction(str(rate))
    for u, n in counts.items():
        low = math.floor(r * n)
        assert low <= shares[u] <= low + 1
        assert shares[u] <= n


@settings(max_examples=200, deadline=None)
@given(UNITS, RATES, RATES)
def test_property_chain_sums(counts, r1, r2):
    first, second = apportion_chain(counts, [r1, r2])
    assert sum(first.values()) == required(sum(counts.values()), r1)
    assert sum(second.values()) == required(sum(first.values()), r2)
    assert all(second[u] <= first[u] for u in counts)
