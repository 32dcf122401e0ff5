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
    grid = grid or {"mask_names": [True], "window": [3, 5], "c": [0.1, 0.3, 1.0],
                    "class_weight": [None, "balanced"]}
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


def news_rows(texts: Sequence[str], settings: dict) -> list[Features]:
    from utils.sentiment.news import news_features
    from utils.sentiment.scoring import get_engine

    vader = get_engine("vader")
    return [news_features(text, settings, vader.score_tuple(text)) for text in texts]


def choose_band(difference: np.ndarray, labels: np.ndarray) -> float:
    """The neutral band ``|pos - neg| < band`` maximising macro-F1 (grid 0.01..0.60)."""
    best = (-1.0, 0.05)
    for band in np.round(np.arange(0.01, 0.61, 0.01), 2):
        predicted = np.where(difference >= band, 2, np.where(difference <= -band, 0, 1))
        score = macro_f1(labels, predicted)
        if score > best[0] + 1e-9:
            best = (score, float(band))
    return best[1]


def choose_news_model(frame: pd.DataFrame, *, grid: dict | None = None, n_folds: int = 5,
                      seed: int = 0, log=print) -> tuple[dict, pd.DataFrame]:
    """Cross-validate the news scorer on the sentences of NewsMTSC-style targets (class: the
    sign of the mean target polarity): macro-F1 with the neutral band chosen on the
    cross-validated scores and Pearson r with the mean polarity, per combination of ``grid``
    (``mask_names``, ``bigrams``, ``c``); the best by macro-F1 wins."""
    from utils.sentiment.newsmtsc import sentence_labels

    grid = grid or {"mask_names": [True], "bigrams": [True, False], "c": [0.1, 0.3, 1.0]}
    sentences = sentence_labels(frame)
    labels = sentences["label"].to_numpy()
    mean_polarity = sentences["mean_polarity"].to_numpy()
    results = []
    best = None
    cached_rows: dict[tuple, list] = {}
    for mask_names, bigrams, c in itertools.product(grid["mask_names"], grid["bigrams"],
                                                    grid["c"]):
        settings = {"mask_names": bool(mask_names), "bigrams": bool(bigrams)}
        key = (settings["mask_names"], settings["bigrams"])
        if key not in cached_rows:
            cached_rows[key] = news_rows(sentences["text"].tolist(), settings)
        probabilities = cross_validated_probabilities(
            cached_rows[key], labels, sentences["sentence_id"], c=c, n_folds=n_folds, seed=seed)
        difference = probabilities[:, 2] - probabilities[:, 0]
        band = choose_band(difference, labels)
        predicted = np.where(difference >= band, 2, np.where(difference <= -band, 0, 1))
        row = {**settings, "c": c, "neutral_band": band,
               "cv_macro_f1": macro_f1(labels, predicted),
               "cv_pearson_r": float(np.corrcoef(difference, mean_polarity)[0, 1])}
        results.append(row)
        log(f"  news scorer CV {row}")
        if best is None or row["cv_macro_f1"] > best["cv_macro_f1"]:
            best = {"settings": settings, "c": c, "neutral_band": band,
                    "cv_macro_f1": row["cv_macro_f1"], "cv_pearson_r": row["cv_pearson_r"]}
    return best, pd.DataFrame(results)


def nyt_halves() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The VADER paper's NYT editorial snippets split by editorial: ``(tuning, held_out)``,
    editorials with an even number for tuning, odd for reporting (fixed, no randomness)."""
    from utils.corpus import load_nyt_sentences

    snippets = load_nyt_sentences()
    even = snippets["editorial_id"].astype(int) % 2 == 0
    return snippets[even].reset_index(drop=True), snippets[~even].reset_index(drop=True)


def choose_alpha(model: LinearModel, texts: Sequence[str], human_mean) -> tuple[float, float]:
    """The weight of the model in the news compound (grid 0, 0.05, .., 1) maximising Pearson r
    with human ratings of ``texts``; returns ``(alpha, r)``."""
    from utils.sentiment.news import (
        blended_score,
        news_features,
        news_lexicon_sum,
        with_news_lexicon,
    )
    from utils.sentiment.scoring import get_engine

    settings = model.header.get("settings", {})
    vader = get_engine("vader")
    scores = [vader.score_tuple(t) for t in texts]
    probabilities = model.probabilities([news_features(t, settings, s)
                                         for t, s in zip(texts, scores, strict=True)])
    compound = with_news_lexicon([s[3] for s in scores], [news_lexicon_sum(t) for t in texts])
    human = np.asarray(human_mean, dtype="float64")
    best = (-2.0, 1.0)
    for alpha in np.round(np.arange(0.0, 1.001, 0.05), 2):
        r = float(np.corrcoef(blended_score(probabilities, compound, alpha), human)[0, 1])
        if r > best[0] + 1e-9:
            best = (r, float(alpha))
    return best[1], best[0]


def news_band(frame: pd.DataFrame, choice: dict, alpha: float, *, n_folds: int = 5,
              seed: int = 0) -> tuple[float, float]:
    """The neutral band of the blended news score maximising the cross-validated macro-F1 on
    the train sentences; returns ``(band, macro_f1)``."""
    from utils.sentiment.news import blended_score, news_lexicon_sum, with_news_lexicon
    from utils.sentiment.newsmtsc import sentence_labels
    from utils.sentiment.scoring import get_engine

    sentences = sentence_labels(frame)
    labels = sentences["label"].to_numpy()
    rows = news_rows(sentences["text"].tolist(), choice["settings"])
    probabilities = cross_validated_probabilities(rows, labels, sentences["sentence_id"],
                                                  c=choice["c"], n_folds=n_folds, seed=seed)
    vader = get_engine("vader")
    texts = sentences["text"].tolist()
    compound = with_news_lexicon([vader.score_tuple(t)[3] for t in texts],
                                 [news_lexicon_sum(t) for t in texts])
    blend = blended_score(probabilities, compound, alpha)
    band = choose_band(blend, labels)
    predicted = np.where(blend >= band, 2, np.where(blend <= -band, 0, 1))
    return band, macro_f1(labels, predicted)


def train_news_model(frame: pd.DataFrame, choice: dict) -> LinearModel:
    """Fit the news scorer on every sentence of ``frame`` with a choice from
    :func:`choose_news_model`."""
    from utils.sentiment.newsmtsc import sentence_labels

    sentences = sentence_labels(frame)
    if sentences.empty:
        raise SentimentError("No sentences to train on.")
    rows = news_rows(sentences["text"].tolist(), choice["settings"])
    header = {
        "model": "news_scorer",
        "settings": choice["settings"],
        "c": choice["c"],
        "neutral_band": float(choice["neutral_band"]),
        "alpha": float(choice.get("alpha", 1.0)),
        "cv_macro_f1": float(choice.get("cv_macro_f1", float("nan"))),
        "cv_pearson_r": float(choice.get("cv_pearson_r", float("nan"))),
        "n_sentences": int(len(sentences)),
    }
    return fit_linear(rows, sentences["label"].to_numpy(), c=choice["c"], header=header)
