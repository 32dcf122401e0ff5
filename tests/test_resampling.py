"""Bootstrap intervals from histograms (utils.tables.resampling)."""

from __future__ import annotations

import numpy as np
import pytest

from utils.tables import resampling
from utils.tables.resampling import (
    bootstrap_mean_ci,
    bootstrap_mean_from_histogram,
    bootstrap_ratio_from_pairs,
    histogram,
)


def raw_interval(values, n_boot=4000, seed=1):
    rng = np.random.default_rng(seed)
    means = rng.choice(values, size=(n_boot, len(values))).mean(axis=1)
    return np.quantile(means, [0.025, 0.975])


@pytest.mark.parametrize("n", [40, 3000])  # the expanding and the multinomial sampler
def test_the_interval_is_the_bootstrap_of_the_values(n):
    rng = np.random.default_rng(n)
    values = np.round(rng.normal(0.1, 0.3, n).clip(-1, 1), 2)  # few distinct values at 3000
    steps, counts = histogram(values)
    assert resampling._use_multinomial(counts) == (n == 3000)
    mean, low, high = bootstrap_mean_ci(values, n_boot=4000, seed=0)
    assert mean == pytest.approx(values.mean(), abs=1e-12)
    expected = raw_interval(values)
    width = expected[1] - expected[0]
    assert low == pytest.approx(expected[0], abs=0.06 * width)
    assert high == pytest.approx(expected[1], abs=0.06 * width)


def test_the_draws_depend_on_the_histogram_only():
    values = np.array([0.1, -0.2, 0.1, 0.3, 0.30004, -0.2, 0.5])
    first = bootstrap_mean_ci(values, seed=3)
    shuffled = bootstrap_mean_ci(values[::-1], seed=3)
    assert first == shuffled
    steps, counts = histogram(values)
    assert bootstrap_mean_from_histogram(steps[::-1], counts[::-1], seed=3) == first[1:]
    assert bootstrap_mean_ci(values, seed=4) != first  # the seed matters
    assert np.isnan(bootstrap_mean_ci([0.5])[1])  # one value: no interval
    assert all(np.isnan(bootstrap_mean_ci([])))
    with pytest.raises(ValueError, match="n_boot"):
        bootstrap_mean_ci(values, n_boot=0)
    with pytest.raises(ValueError, match="confidence"):
        bootstrap_mean_ci(values, confidence=1.5)


def test_many_distinct_values_are_coarsened_within_the_stated_error(monkeypatch):
    rng = np.random.default_rng(5)
    values = np.round(rng.normal(0.0, 0.4, 200_000).clip(-1, 1), 4)
    steps, counts = histogram(values)
    assert len(steps) > resampling.MAX_DISTINCT
    coarse = bootstrap_mean_from_histogram(steps, counts, n_boot=4000, seed=0)
    monkeypatch.setattr(resampling, "MAX_DISTINCT", 10**9)  # the fine grid, slowly
    fine = bootstrap_mean_from_histogram(steps, counts, n_boot=4000, seed=0)
    width = fine[1] - fine[0]
    # different draws, same distribution: the bounds agree within Monte Carlo noise
    assert coarse[0] == pytest.approx(fine[0], abs=0.05 * width)
    assert coarse[1] == pytest.approx(fine[1], abs=0.05 * width)
    assert coarse[0] < values.mean() < coarse[1]


def test_ratio_of_sums_over_articles():
    attributions = np.array([0, 2, 5, 1, 3])
    words = np.array([100, 300, 400, 250, 350])
    counts = np.array([3, 2, 1, 4, 2])
    ratio, low, high = bootstrap_ratio_from_pairs(attributions, words, counts, scale=1000,
                                                  seed=0)
    assert ratio == pytest.approx(1000 * (attributions @ counts) / (words @ counts))
    assert low < ratio < high
    order = [4, 2, 0, 3, 1]
    assert bootstrap_ratio_from_pairs(attributions[order], words[order], counts[order],
                                      scale=1000, seed=0) == (ratio, low, high)
    assert all(np.isnan(bootstrap_ratio_from_pairs([], [], [])))
