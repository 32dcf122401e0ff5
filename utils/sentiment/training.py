"""Training and cross-validation of the news scorer and of the tone toward a person (used by
``scripts/train_sentiment_models.py``; scikit-learn is needed here only, never to score).

Every choice (regularisation, feature settings, class weights, the news scorer's neutral band)
is made by cross-validation on NewsMTSC train with folds grouped by sentence (the targets of
one sentence are never split between a training and a test fold), so that NewsMTSC devtest_mt
stays untouched until the final report.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import pandas as pd

from utils.sentiment.linear import Features, LinearModel, fit_linear
from utils.sentiment.scoring import SentimentError


def macro_f1(gold, predicted, n_classes: int = 3) -> float:
    """Mean over the classes of F1 (a class never predicted nor present counts 0)."""
    gold = np.asarray(gold)
    predicted = np.asarray(predicted)
    scores = []
    for k in range(n_classes):
        tp = np.sum((predicted == k) & (gold == k))
        n_pred = np.sum(predicted == k)
        n_gold = np.sum(gold == k)
        precision = tp / n_pred if n_pred else 0.0
        recall = tp / n_gold if n_gold else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall
                      else 0.0)
    return float(np.mean(scores))


def grouped_folds(groups: Sequence, n_folds: int = 5, seed: int = 0) -> np.ndarray:
    """Fold number of each row, whole groups to one fold (groups shuffled with ``seed``)."""
    groups = pd.Series(list(groups))
    unique = np.sort(groups.unique())
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(unique))
    fold_of = dict(zip(unique[order], np.arange(len(unique)) % n_folds, strict=True))
    return groups.map(fold_of).to_numpy()


def target_rows(frame: pd.DataFrame, settings: dict) -> list[Features]:
    """Feature lists of NewsMTSC-style targets (``text, start, end``)."""
    from utils.sentiment.targets import _vader_scores, mention_sentence, target_features

    cache: dict[str, tuple] = {}
    rows = []
    for text, start, end in zip(frame["text"], frame["start"], frame["end"], strict=True):
        sentence, s, e = mention_sentence(text, int(start), int(end))
        if sentence not in cache:
            cache[sentence] = _vader_scores(sentence)
        rows.append(target_features(sentence, s, e, settings, cache[sentence]))
    return rows


def _offsets_for(probabilities: np.ndarray, labels: np.ndarray) -> list[float]:
    """Log-probability offsets added before the arg-max (a small grid search on the
    cross-validated probabilities, maximising macro-F1)."""
    log_p = np.log(probabilities + 1e-12)
    best = (macro_f1(labels, log_p.argmax(axis=1)), [0.0, 0.0, 0.0])
    grid = np.round(np.arange(-1.0, 1.01, 0.1), 2)
    for neg, pos in itertools.product(grid, grid):
        offsets = [float(neg), 0.0, float(pos)]
        score = macro_f1(labels, (log_p + offsets).argmax(axis=1))
        if score > best[0] + 1e-9:
            best = (score, offsets)
    return best[1]


def cross_validated_probabilities(rows: Sequence[Features], labels, groups, *, c: float,
                                  class_weight: str | None = None, n_folds: int = 5,
                                  seed: int = 0) -> np.ndarray:
    labels = np.asarray(labels)
    folds = grouped_folds(groups, n_folds, seed)
    out = np.zeros((len(labels), 3))
    for fold in range(n_folds):
        test = folds == fold
        train_rows = [r for r, t in zip(rows, test, strict=True) if not t]
        model = fit_linear(train_rows, labels[~test], c=c, class_weight=class_weight)
        out[test] = model.probabilities([r for r, t in zip(rows, test, strict=True) if t])
    return out


def choose_target_model(frame: pd.DataFrame, *, grid: dict | None = None, n_folds: int = 5,
                        seed: int = 0, log=print) -> tuple[dict, pd.DataFrame]:
    """Cross-validate every combination of ``grid`` (``mask_names``, ``window``, ``c``,
    ``class_weight``); returns the best choice (with its label offsets) and the table of
    cross-validated macro-F1 per combination."""
    grid = grid or {"mask_names": [True, False], "window": [3], "c": [0.3],
                    "class_weight": [None]}
    labels = frame["label"].to_numpy()
    results = []
    best = None
    cached_rows: dict[tuple, list] = {}
    for mask_names, window, c, class_weight in itertools.product(
            grid["mask_names"], grid["window"], grid["c"], grid["class_weight"]):
        settings = {"mask_names": bool(mask_names), "window": int(window)}
        key = (settings["mask_names"], settings["window"])
        if key not in cached_rows:
            cached_rows[key] = target_rows(frame, settings)
        probabilities = cross_validated_probabilities(
            cached_rows[key], labels, frame["sentence_id"], c=c, class_weight=class_weight,
            n_folds=n_folds, seed=seed)
        plain = macro_f1(labels, probabilities.argmax(axis=1))
        offsets = _offsets_for(probabilities, labels)
        tuned = macro_f1(labels, (np.log(probabilities + 1e-12) + offsets).argmax(axis=1))
        row = {"mask_names": settings["mask_names"], "window": settings["window"], "c": c,
               "class_weight": class_weight or "none", "cv_macro_f1": plain,
               "cv_macro_f1_offsets": tuned}
        results.append(row)
        log(f"  target tone CV {row}")
        if best is None or plain > best[0]:
            best = (plain, {"settings": settings, "c": c, "class_weight": class_weight,
                            "label_offsets": offsets, "cv_macro_f1": plain})
    return best[1], pd.DataFrame(results)


def train_target_model(frame: pd.DataFrame, choice: dict) -> LinearModel:
    """Fit the tone-toward-a-person model on every target of ``frame`` with a choice from
    :func:`choose_target_model`."""
    if frame.empty:
        raise SentimentError("No targets to train on.")
    rows = target_rows(frame, choice["settings"])
    header = {
        "model": "target_tone",
        "settings": choice["settings"],
        "c": choice["c"],
        "class_weight": choice["class_weight"] or "none",
        "label_offsets": [float(v) for v in choice.get("label_offsets", [0.0, 0.0, 0.0])],
        "cv_macro_f1": float(choice.get("cv_macro_f1", float("nan"))),
        "n_targets": int(len(frame)),
        "n_sentences": int(frame["sentence_id"].nunique()),
    }
    return fit_linear(rows, frame["label"].to_numpy(), c=choice["c"],
                      class_weight=choice["class_weight"], header=header)
