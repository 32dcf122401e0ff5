"""Bootstrap intervals computed from histograms, so that they need memory bounded by the
number of distinct values, not by the number of articles or sentences.

A percentile bootstrap of a mean resamples the ``n`` observations with replacement. Drawing
``n`` observations with replacement is the same as drawing how many times each *distinct
value* is taken: a multinomial draw of ``n`` over the distinct values with probabilities
``count / n``. So a histogram of the values (a DuckDB ``GROUP BY`` over a store, or
:func:`histogram` over an array) gives exactly the bootstrap distribution of the raw values,
whatever their number. Values are first put on a grid of :data:`RESOLUTION` (``1e-4``, the
precision VADER reports its compounds with), so that a mean of sentence scores per article
also has at most ``2 / RESOLUTION + 1`` distinct values; the interval moves by less than the
grid step. The mean itself is computed exactly, from the raw values.

Two samplers draw the same bootstrap distribution, and which one runs depends only on the
histogram (so a store and the values in memory always take the same one, with the same
draws): with few distinct values for many observations (``4 * distinct <= n``, e.g. sentence
scores), a multinomial draw over the distinct values per replicate (cost ``n_boot * distinct``,
whatever ``n``); otherwise the observations are expanded from the histogram (at most
``4 * distinct`` of them, so bounded by the grid) and drawn by index, which is several times
faster per draw than numpy's multinomial.

Large samples with many distinct values (more than :data:`MAX_DISTINCT`, e.g. six million
sentence scores in one slice of the articles) would still cost ``n_boot`` times 20,001
binomial draws. Their histogram is then coarsened for the draws to a grid of
``COARSENING_ERROR * sqrt(12 n)`` (at least one step): rounding each observation moves a
replicate's mean by an error of standard deviation ``grid / sqrt(12 n)``, at most
:data:`COARSENING_ERROR` (1e-5, below the three decimals shown), and the interval is shifted by
the difference between the fine and the coarse means, so it stays centred where the fine one
is.

Why not a library: SciPy's and scikit-learn's bootstraps resample raw arrays (memory and time
grow with ``n``); none takes a histogram.
"""

from __future__ import annotations

import numpy as np

#: Grid the values are put on before their histogram is taken.
RESOLUTION = 1e-4
#: Replicates drawn at a time (bounds the memory of one multinomial block).
_BLOCK = 256


def grid(values) -> np.ndarray:
    """``values`` put on the grid of :data:`RESOLUTION`, as whole grid steps (int64)."""
    return np.rint(np.asarray(values, dtype="float64") / RESOLUTION).astype("int64")


def histogram(values) -> tuple[np.ndarray, np.ndarray]:
    """``(steps, counts)``: the distinct grid steps of ``values`` (missing values left out),
    sorted, and how many values fall on each."""
    values = np.asarray(values, dtype="float64")
    values = values[~np.isnan(values)]
    return np.unique(grid(values), return_counts=True)


#: Above this many distinct grid values a histogram is coarsened for the draws (see below).
MAX_DISTINCT = 2_000
#: Standard deviation allowed for the error coarsening adds to a replicate's mean.
COARSENING_ERROR = 1e-5
#: Index draws held at a time by the expanding sampler (bounds its memory: 8 bytes each).
_INDEX_BLOCK = 4_000_000


def _use_multinomial(counts: np.ndarray) -> bool:
    return 4 * len(counts) <= int(counts.sum())


def _draws(counts: np.ndarray, n_boot: int, seed):
    """Blocks of replicates as counts per distinct value (multinomial sampler)."""
    rng = np.random.default_rng(seed)
    total = int(counts.sum())
    p = counts / total
    for start in range(0, n_boot, _BLOCK):
        yield rng.multinomial(total, p, size=min(_BLOCK, n_boot - start))


def _coarsen(steps: np.ndarray, counts: np.ndarray, factor: int):
    """The histogram on a grid ``factor`` times coarser (values rounded to the nearest
    multiple of ``factor`` steps, halves to even), counts added up."""
    coarse = np.rint(steps / factor).astype("int64") * factor
    merged, inverse = np.unique(coarse, return_inverse=True)
    return merged, np.bincount(inverse, weights=counts, minlength=len(merged)).astype("int64")


def _replicate_sums(counts: np.ndarray, columns: list[np.ndarray], n_boot: int, seed):
    """For each replicate, the sum of each of ``columns`` (values per distinct entry) over
    the observations drawn; a list of arrays of length ``n_boot``."""
    sums = [[] for _ in columns]
    if _use_multinomial(counts):
        for draw in _draws(counts, n_boot, seed):
            for out, column in zip(sums, columns, strict=True):
                out.append(draw @ column)
        return [np.concatenate(out) for out in sums]
    # expanding sampler: the observations rebuilt from the histogram, drawn by index
    rng = np.random.default_rng(seed)
    total = int(counts.sum())
    expanded = [np.repeat(column, counts) for column in columns]
    block = max(1, _INDEX_BLOCK // max(total, 1))
    for start in range(0, n_boot, block):
        picks = rng.integers(0, total, size=(min(block, n_boot - start), total))
        for out, values in zip(sums, expanded, strict=True):
            out.append(values[picks].sum(axis=1))
    return [np.concatenate(out) for out in sums]


def _interval(replicates: np.ndarray, confidence: float) -> tuple[float, float]:
    alpha = (1.0 - confidence) / 2.0
    low, high = np.quantile(replicates, [alpha, 1.0 - alpha])
    return float(low), float(high)


def _check(n_boot: int, confidence: float) -> None:
    if not isinstance(n_boot, int | np.integer) or n_boot < 1:
        raise ValueError(f"n_boot must be a whole number of 1 or more, not {n_boot!r}.")
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be between 0 and 1, not {confidence!r}.")


def bootstrap_mean_from_histogram(steps, counts, *, n_boot: int = 2000,
                                  confidence: float = 0.95, seed=0) -> tuple[float, float]:
    """``(ci_low, ci_high)`` of the percentile bootstrap of the mean of the values whose
    histogram is ``steps`` (grid steps, :func:`grid`) and ``counts``; ``(nan, nan)`` with
    fewer than two values. ``seed``: anything :func:`numpy.random.default_rng` takes."""
    _check(n_boot, confidence)
    steps = np.asarray(steps, dtype="int64")
    counts = np.asarray(counts, dtype="int64")
    order = np.argsort(steps, kind="stable")  # the same draws whatever the input order
    steps, counts = steps[order], counts[order]
    total = int(counts.sum())
    if total < 2:
        return float("nan"), float("nan")
    shift = 0.0
    if len(steps) > MAX_DISTINCT:  # many distinct values and so many observations: coarsen
        factor = max(1, int(COARSENING_ERROR * np.sqrt(12.0 * total) / RESOLUTION))
        if factor > 1:
            fine_mean = float(steps @ counts) / total
            steps, counts = _coarsen(steps, counts, factor)
            shift = (fine_mean - float(steps @ counts) / total) * RESOLUTION
    values = steps * RESOLUTION
    (sums,) = _replicate_sums(counts, [values], n_boot, seed)
    low, high = _interval(sums / total, confidence)
    return low + shift, high + shift


def bootstrap_mean_ci(values, *, n_boot: int = 2000, confidence: float = 0.95,
                      seed=0) -> tuple[float, float, float]:
    """``(mean, ci_low, ci_high)`` of ``values`` (missing values left out): the exact mean,
    and the interval of :func:`bootstrap_mean_from_histogram` over their histogram."""
    values = np.asarray(values, dtype="float64")
    values = values[~np.isnan(values)]
    if not len(values):
        return float("nan"), float("nan"), float("nan")
    steps, counts = histogram(values)
    low, high = bootstrap_mean_from_histogram(steps, counts, n_boot=n_boot,
                                              confidence=confidence, seed=seed)
    return float(values.mean()), low, high


def bootstrap_ratio_from_pairs(numerators, denominators, counts, *, scale: float = 1.0,
                               n_boot: int = 2000, confidence: float = 0.95,
                               seed=0) -> tuple[float, float, float]:
    """``(ratio, ci_low, ci_high)`` of ``scale * sum(numerator) / sum(denominator)`` over
    articles, with a percentile bootstrap over articles, from the distinct
    ``(numerator, denominator)`` pairs and how many articles have each (e.g. attributions
    and words per article: ``GROUP BY attributions, words``). Pairs are sorted first, so the
    draws do not depend on the input order."""
    _check(n_boot, confidence)
    a = np.asarray(numerators, dtype="float64")
    b = np.asarray(denominators, dtype="float64")
    counts = np.asarray(counts, dtype="int64")
    order = np.lexsort((b, a))
    a, b, counts = a[order], b[order], counts[order]
    total_b = float((b * counts).sum())
    if not len(counts) or total_b <= 0:
        return float("nan"), float("nan"), float("nan")
    ratio = scale * float((a * counts).sum()) / total_b
    if int(counts.sum()) < 2:
        return ratio, float("nan"), float("nan")
    numerator, denominator = _replicate_sums(counts, [a, b], n_boot, seed)
    with np.errstate(invalid="ignore", divide="ignore"):
        values = scale * numerator / denominator
    values = values[np.isfinite(values)]
    low, high = _interval(values, confidence) if len(values) else (float("nan"),) * 2
    return ratio, low, high
