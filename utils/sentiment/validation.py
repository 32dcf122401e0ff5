"""Validation against human ratings (the VADER paper's three-class scheme)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from utils.memo import kept_on_disk
from utils.sentiment.scoring import NEUTRAL_THRESHOLD, SentimentError, score_sentences

_CLASSES = ("negative", "neutral", "positive")


def _classes(values: np.ndarray, threshold: float) -> np.ndarray:
    return np.where(values >= threshold, 2, np.where(values <= -threshold, 0, 1))


def _paired(compound, human_mean) -> tuple[np.ndarray, np.ndarray]:
    c = np.asarray(compound, dtype="float64")
    h = np.asarray(human_mean, dtype="float64")
    if c.shape != h.shape or c.ndim != 1:
        raise SentimentError(f"compound and human_mean must be two lists of the same length "
                             f"(got {c.shape} and {h.shape}).")
    keep = ~(np.isnan(c) | np.isnan(h))
    return c[keep], h[keep]


def class_report(compound, human_mean, *, threshold: float = NEUTRAL_THRESHOLD) -> pd.DataFrame:
    """Per-class ``precision, recall, f1, support`` of the VADER paper's 3-class scheme.

    Gold class: the sign of the human mean rating (0 is neutral). Predicted class: compound
    >= ``threshold`` positive, <= ``-threshold`` negative, else neutral. A class never predicted
    has precision 0 (and F1 0).
    """
    c, h = _paired(compound, human_mean)
    gold = np.sign(h).astype(int) + 1
    predicted = _classes(c, threshold)
    rows = []
    for k, name in enumerate(_CLASSES):
        tp = int(((predicted == k) & (gold == k)).sum())
        n_pred = int((predicted == k).sum())
        support = int((gold == k).sum())
        precision = tp / n_pred if n_pred else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        rows.append((name, precision, recall, f1, support))
    return pd.DataFrame(rows, columns=["class", "precision", "recall", "f1", "support"])


def validation_metrics(
    compound, human_mean, *, threshold: float = NEUTRAL_THRESHOLD
) -> pd.DataFrame:
    """One row: ``n, pearson_r, precision, recall, f1`` (support-weighted over the three
    classes, as in the VADER paper), ``macro_f1`` and ``accuracy``. Pairs with a NaN are
    dropped; fewer than two pairs (or a constant series) give NaN for r."""
    c, h = _paired(compound, human_mean)
    report = class_report(c, h, threshold=threshold)
    support = report["support"].to_numpy()
    total = support.sum()

    def weighted(column: str) -> float:
        return float((report[column] * support).sum() / total) if total else math.nan

    if len(c) >= 2 and c.std() > 0 and h.std() > 0:
        r = float(np.corrcoef(c, h)[0, 1])
    else:
        r = math.nan
    accuracy = float((_classes(c, threshold) == np.sign(h).astype(int) + 1).mean()) if len(c) \
        else math.nan
    return pd.DataFrame(
        [
            {
                "n": int(len(c)),
                "pearson_r": r,
                "precision": weighted("precision"),
                "recall": weighted("recall"),
                "f1": weighted("f1"),
                "macro_f1": float(report["f1"].mean()),
                "accuracy": accuracy,
            }
        ]
    )


def human_ceiling(ratings) -> float:
    """Mean Pearson r between each rater's column of ratings and the mean rating (the VADER
    paper's "individual human raters" figure, r = 0.745 for the NYT snippets).

    ``ratings`` is a sequence of equally long lists of ratings (the ``ratings`` column of
    :func:`utils.corpus.load_vader_ratings`).
    """
    lengths = {len(r) for r in ratings}
    if len(lengths) != 1:
        raise SentimentError("Every snippet needs the same number of ratings.")
    matrix = np.asarray(list(ratings), dtype="float64")
    if matrix.shape[0] < 2:
        return math.nan
    mean = matrix.mean(axis=1)
    return float(np.mean([np.corrcoef(matrix[:, k], mean)[0, 1] for k in range(matrix.shape[1])]))


def nyt_validation(*, engine: str = "vader") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Score the VADER paper's 5,190 NYT editorial snippets and compare with human ratings.

    Returns ``(snippets, metrics)``: the snippets (``snippet_id, editorial_id, text, human_mean,
    compound``) and :func:`validation_metrics` plus a ``human_ceiling`` column.
    """
    from utils.corpus import load_nyt_sentences

    snippets = load_nyt_sentences()
    scores = score_sentences(snippets["text"].tolist(), engine=engine)
    snippets = snippets[["snippet_id", "editorial_id", "text", "human_mean", "ratings"]].copy()
    snippets["compound"] = scores["compound"].to_numpy()
    metrics = validation_metrics(snippets["compound"], snippets["human_mean"])
    metrics["human_ceiling"] = human_ceiling(snippets["ratings"].tolist())
    return snippets.drop(columns="ratings"), metrics


# --- every engine on every labelled set -----------------------------------------------------

#: Columns of :func:`engine_validation`.
ENGINE_VALIDATION_COLUMNS = (
    "dataset", "role", "engine", "unit", "n", "pearson_r", "pearson_r_low", "pearson_r_high",
    "macro_f1", "macro_f1_low", "macro_f1_high", "note",
)
#: Sentence engines compared by :func:`engine_validation` (``"target"`` adds target tone).
VALIDATED_ENGINES = ("vader", "nltk", "news")


def _weighted_r(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Pearson r of ``x`` and ``y`` under each row of weights ``w`` (replicates x rows)."""
    total = w.sum(axis=1)
    mx = w @ x / total
    my = w @ y / total
    sxy = w @ (x * y) / total - mx * my
    sxx = w @ (x * x) / total - mx * mx
    syy = w @ (y * y) / total - my * my
    with np.errstate(invalid="ignore", divide="ignore"):
        return sxy / np.sqrt(sxx * syy)


def _weighted_macro_f1(gold: np.ndarray, predicted: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Macro-F1 (three classes) under each row of weights ``w``."""
    scores = np.zeros(w.shape[0])
    for k in range(3):
        tp = w @ ((gold == k) & (predicted == k)).astype("float64")
        n_pred = w @ (predicted == k).astype("float64")
        n_gold = w @ (gold == k).astype("float64")
        with np.errstate(invalid="ignore", divide="ignore"):
            f1 = np.where(n_pred + n_gold > 0, 2 * tp / (n_pred + n_gold), 0.0)
        scores += f1
    return scores / 3


def clustered_bootstrap_weights(clusters, *, n_boot: int, seed: int) -> np.ndarray:
    """``(n_boot, n_rows)`` how many times each row is drawn when whole clusters (e.g. the
    targets of one sentence, the snippets of one editorial) are resampled with replacement."""
    codes, _ = pd.factorize(pd.Series(list(clusters)), sort=True)
    n_clusters = int(codes.max()) + 1 if len(codes) else 0
    rng = np.random.default_rng(seed)
    weights = np.empty((n_boot, len(codes)))
    for b in range(n_boot):
        drawn = np.bincount(rng.integers(0, n_clusters, n_clusters), minlength=n_clusters)
        weights[b] = drawn[codes]
    return weights


def _metric_row(compound, gold_value, gold_class, predicted_class, clusters, *, n_boot: int,
                seed: int, confidence: float) -> dict:
    compound = np.asarray(compound, dtype="float64")
    gold_value = np.asarray(gold_value, dtype="float64")
    gold_class = np.asarray(gold_class)
    predicted_class = np.asarray(predicted_class)
    ones = np.ones((1, len(compound)))
    r = float(_weighted_r(compound, gold_value, ones)[0])
    f1 = float(_weighted_macro_f1(gold_class, predicted_class, ones)[0])
    tail = (1 - confidence) / 2
    row = {"n": int(len(compound)), "pearson_r": r, "macro_f1": f1}
    if n_boot and len(compound) >= 2:
        weights = clustered_bootstrap_weights(clusters, n_boot=n_boot, seed=seed)
        rs = _weighted_r(compound, gold_value, weights)
        f1s = _weighted_macro_f1(gold_class, predicted_class, weights)
        rs = rs[~np.isnan(rs)]
        row["pearson_r_low"], row["pearson_r_high"] = (
            (float(np.quantile(rs, tail)), float(np.quantile(rs, 1 - tail))) if len(rs)
            else (math.nan, math.nan))
        row["macro_f1_low"] = float(np.quantile(f1s, tail))
        row["macro_f1_high"] = float(np.quantile(f1s, 1 - tail))
    else:
        row.update(pearson_r_low=math.nan, pearson_r_high=math.nan, macro_f1_low=math.nan,
                   macro_f1_high=math.nan)
    return row


def _tone_classes(labels) -> np.ndarray:
    return pd.Series(labels).map({c: k for k, c in enumerate(_CLASSES)}).to_numpy()


def _validation_files(*, newsmtsc_folder=None, newsmtsc_splits=("devtest_mt", "train"),
                      **_options) -> list:
    """The data files :func:`engine_validation` reads (the VADER paper's data is checked by
    its sha256, part of the code)."""
    from utils.sentiment.newsmtsc import newsmtsc_path

    return [newsmtsc_path(split, newsmtsc_folder) for split in newsmtsc_splits]


@kept_on_disk(files=_validation_files)
def engine_validation(
    *,
    engines: tuple[str, ...] = VALIDATED_ENGINES,
    targets: bool = True,
    n_boot: int = 1000,
    seed: int = 0,
    confidence: float = 0.95,
    nyt: pd.DataFrame | None = None,
    newsmtsc_folder=None,
    newsmtsc_splits: tuple[str, ...] = ("devtest_mt", "train"),
) -> pd.DataFrame:
    """How far to trust each engine: every engine on every labelled set, with percentile
    bootstrap intervals (``n_boot`` resamples, fixed ``seed``).

    Rows (columns :data:`ENGINE_VALIDATION_COLUMNS`):

    - the VADER paper's NYT editorial snippets, split by editorial: the odd editorials (held out
      from every choice) and all of them (the news scorer's blend weight was chosen on the even
      ones, see ``note``): Pearson r of the compound with the mean human rating and the 3-class
      macro-F1 of the VADER paper (compound +/-0.05; the sign of the human mean); bootstrap by
      editorial;
    - NewsMTSC devtest_mt and train (``role`` says ``training data`` for train: the learned
      engines were fitted on it): every target is labelled with its sentence's engine label
      (compound +/-0.05), target tone (``engine="target tone"``) with its own label; macro-F1
      over targets, r of the compound with the target's polarity (-1, 0, 1); bootstrap by
      sentence.

    ``nyt`` swaps in another frame of snippets (``text, human_mean, editorial_id``, default the
    built-in NYT snippets); ``newsmtsc_folder`` is where ``newsmtsc_<split>.jsonl.gz`` are
    (default ``../shared/corpora``). A NewsMTSC split that is absent is skipped: the table's
    ``.attrs["skipped"]`` lists what was skipped and why.

    The table is the same for every corpus: it is kept on disk (:mod:`utils.memo`) and computed
    again only when the code, a model, a library or a data file changes.
    """
    from utils.sentiment.newsmtsc import load_newsmtsc, newsmtsc_available

    for engine in engines:
        if engine not in ("vader", "reference", "nltk", "news"):
            raise SentimentError(f"Unknown engine {engine!r} for engine_validation; use some "
                                 f"of {list(VALIDATED_ENGINES)}.")
    options = {"n_boot": n_boot, "seed": seed, "confidence": confidence}
    rows: list[dict] = []
    skipped: list[str] = []
    if nyt is None:
        from utils.corpus import load_nyt_sentences

        nyt = load_nyt_sentences()
    snippets = nyt.reset_index(drop=True)
    odd = snippets["editorial_id"].astype(int) % 2 == 1
    nyt_parts = [("NYT editorial snippets, odd editorials", "held out", odd.to_numpy()),
                 ("NYT editorial snippets, all", "includes the news tuning half",
                  np.ones(len(snippets), dtype=bool))]
    for engine in engines:
        compound = score_sentences(snippets["text"].tolist(), engine=engine)["compound"]
        compound = compound.to_numpy()
        for name, role, mask in nyt_parts:
            if not mask.any():
                continue
            human = snippets["human_mean"].to_numpy()[mask]
            row = _metric_row(compound[mask], human, np.sign(human).astype(int) + 1,
                              _classes(compound[mask], NEUTRAL_THRESHOLD),
                              snippets["editorial_id"].to_numpy()[mask], **options)
            note = ("blend weight chosen on the even editorials"
                    if engine == "news" and role != "held out" else "")
            rows.append({"dataset": name, "role": role, "engine": engine,
                         "unit": "snippet", **row, "note": note})
    for split in newsmtsc_splits:
        if not newsmtsc_available(split, newsmtsc_folder):
            skipped.append(f"NewsMTSC {split}: newsmtsc_{split}.jsonl.gz not in the shared "
                           "corpora folder (../shared/corpora)")
            continue
        frame = load_newsmtsc(split, newsmtsc_folder)
        role = "training data" if split == "train" else "held out"
        gold_class = frame["label"].to_numpy()
        gold_value = gold_class.astype("float64") - 1
        sentences = frame.drop_duplicates("sentence_id")
        for engine in engines:
            scores = score_sentences(sentences["text"].tolist(), engine=engine)["compound"]
            by_sentence = dict(zip(sentences["sentence_id"], scores.to_numpy(), strict=True))
            compound = frame["sentence_id"].map(by_sentence).to_numpy()
            row = _metric_row(compound, gold_value, gold_class,
                              _classes(compound, NEUTRAL_THRESHOLD), frame["sentence_id"],
                              **options)
            note = "sentence label for every target"
            if engine == "news" and split == "train":
                note += "; fitted on these sentences"
            rows.append({"dataset": f"NewsMTSC {split}", "role": role, "engine": engine,
                         "unit": "target", **row, "note": note})
        if targets:
            from utils.sentiment.targets import target_sentiment

            tone = target_sentiment(list(zip(frame["text"], frame["start"], frame["end"],
                                             strict=True)))
            row = _metric_row(tone["compound"], gold_value, gold_class,
                              _tone_classes(tone["label"]), frame["sentence_id"], **options)
            note = "tone toward the person"
            if split == "train":
                note += "; fitted on these targets"
            rows.append({"dataset": f"NewsMTSC {split}", "role": role, "engine": "target tone",
                         "unit": "target", **row, "note": note})
    table = pd.DataFrame(rows, columns=list(ENGINE_VALIDATION_COLUMNS))
    table.attrs["skipped"] = skipped
    return table
