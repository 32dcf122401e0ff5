"""Training the learned attribution tagger (:mod:`utils.attribution.model`) on PolNeAR train.

The examples are the tokens of every PolNeAR train article (first annotator), twice: as given
and with every comma and apostrophe deleted (the form of the FA-KES corpus; offsets remapped,
:func:`utils.attribution.evaluation.strip_corpus`), so the model does not lean on commas. A
token's label is the component of a gold attribution holding it (cue over source over content).
The classifier is a logistic regression (scikit-learn's ``SGDClassifier`` with log loss, one
against the rest, fixed seed) over the hashed features of :mod:`utils.attribution.features`;
only its weight table ships (numpy). The settings (regularisation, the cue threshold) are chosen
on a split of train (every fifth article, by file name, held out), never on dev; the model is
then refitted on all of train.

The model file is written byte for byte the same for the same data and settings (fixed zip
timestamps, float16 weights): ``scripts/train_attribution.py`` rebuilds it.
"""

from __future__ import annotations

import io
import itertools
import json
import warnings
import zipfile
from collections import Counter
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

from utils.attribution.document import _Doc
from utils.attribution.evaluation import (
    evaluate,
    load_polnear,
    parse_spans,
    strip_corpus,
)
from utils.attribution.features import (
    BUCKETS,
    CONTENT,
    CUE,
    SOURCE,
    TAGS,
    TEMPLATES,
    TOKEN,
    Tokens,
    feature_buckets,
    rule_labels,
    tag_spans,
    word_hash,
)
from utils.attribution.model import (
    CARD_FILE,
    DEFAULT_SETTINGS,
    MODEL_FILE,
    TaggerModel,
    file_sha256,
    read_model,
)
from utils.attribution.rules import rule_attributions

#: A word is a cue word when it is inside a gold cue at least this many times ...
CUE_WORD_MIN_COUNT = 3
#: ... and at least this share of its occurrences.
CUE_WORD_MIN_SHARE = 0.1
#: Regularisation strengths tried on the split of train (``alpha = 1 / (C * examples)``).
C_GRID = (1.0, 3.0)
#: Thresholds of the ``B-CUE`` probability for a cue handed to the rules, tried on the split.
CUE_THRESHOLD_GRID = (0.5, 0.3)
#: ``(fallback, source_threshold)`` pairs tried on the split (see
#: :data:`utils.attribution.model.DEFAULT_SETTINGS`): the rules' handler alone, with the
#: fallback reading, and with the tagger's source test at two strengths.
LINKING_GRID = ((0, 0.0), (1, 0.0), (1, 0.05), (1, 0.1))
#: Speaker accuracy (the share of matched attributions whose source is right) that the chosen
#: settings must reach on the held-out fifth as given, when any trial reaches it: a wrong
#: speaker misleads a reader more than a missed attribution, so among the settings that reach
#: it the best end-to-end F1 wins (see :func:`best_trial`).
SPEAKER_ACCURACY_FLOOR = 0.95
#: Passes of stochastic gradient descent.
MAX_ITER = 15


def gold_tags(tokens: Tokens, annotations: pd.DataFrame) -> np.ndarray:
    """Token tags (:data:`TAGS`) of one article's gold rows (contents, then sources, then cues
    on top)."""
    content = [(CONTENT, parse_spans(v)) for v in annotations["content_spans"]]
    source = [(SOURCE, parse_spans(v)) for v in annotations["source_spans"]]
    cue = [(CUE, parse_spans(v)) for v in annotations["cue_spans"]]
    return tag_spans(tokens, content + source + cue)


def cue_word_set(articles: pd.DataFrame, gold: pd.DataFrame) -> np.ndarray:
    """Sorted hashes of the lower-cased words often inside a gold cue (see the thresholds)."""
    by_file = {name: rows for name, rows in gold.groupby("filename", sort=False)}
    total: Counter = Counter()
    in_cue: Counter = Counter()
    for name, text in zip(articles["filename"], articles["text"], strict=True):
        for m in TOKEN.finditer(text):
            total[m.group().lower()] += 1
        rows = by_file.get(name)
        if rows is None:
            continue
        for value in rows["cue_spans"]:
            for s, e in parse_spans(value):
                for m in TOKEN.finditer(text, s, e):
                    in_cue[m.group().lower()] += 1
    words = [
        w for w, c in in_cue.items()
        if c >= CUE_WORD_MIN_COUNT and c >= CUE_WORD_MIN_SHARE * total[w] and w[0].isalpha()
    ]  # fmt: skip
    return np.unique(np.asarray([word_hash(w) for w in words], dtype=np.uint64))


def examples(
    articles: pd.DataFrame, gold: pd.DataFrame, cue_words: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """``(buckets, labels)`` of every token of ``articles`` (stacked, text order)."""
    by_file = {name: rows for name, rows in gold.groupby("filename", sort=False)}
    empty = gold.iloc[0:0]
    all_buckets, all_labels = [], []
    for name, text in zip(articles["filename"], articles["text"], strict=True):
        doc = _Doc(text)
        tokens = Tokens(doc)
        if not len(tokens):
            continue
        rules = rule_labels(tokens, rule_attributions(doc))
        all_buckets.append(feature_buckets(tokens, rules, cue_words))
        all_labels.append(gold_tags(tokens, by_file.get(name, empty)))
    return np.concatenate(all_buckets), np.concatenate(all_labels)


def fit_weights(buckets: np.ndarray, labels: np.ndarray, c: float) -> np.ndarray:
    """``(BUCKETS, tags)`` float16 weights of a logistic regression (one against the rest,
    stochastic gradient descent, fixed seed, one thread); ``c`` is the inverse of the L2
    penalty per example (``alpha = 1 / (c * examples)``)."""
    from scipy.sparse import csr_matrix
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import SGDClassifier

    n, t = buckets.shape
    matrix = csr_matrix(
        (np.ones(n * t, dtype=np.float64), buckets.ravel(), np.arange(0, n * t + 1, t)),
        shape=(n, BUCKETS),
    )
    matrix.sum_duplicates()
    classifier = SGDClassifier(
        loss="log_loss", alpha=1.0 / (c * n), max_iter=MAX_ITER, tol=1e-4,
        fit_intercept=False, random_state=0, n_jobs=None, average=False,
    )  # fmt: skip
    with warnings.catch_warnings():
        # a fixed number of passes is the setting, not a failure to converge
        warnings.simplefilter("ignore", ConvergenceWarning)
        classifier.fit(matrix, labels)
    weights = np.zeros((BUCKETS, len(TAGS)), dtype=np.float64)
    weights[:, classifier.classes_] = classifier.coef_.T
    return weights.astype(np.float16)


def both_forms(articles: pd.DataFrame, gold: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The articles as given and without commas and apostrophes (file names suffixed)."""
    s_articles, s_gold = strip_corpus(articles, gold)
    s_articles["filename"] = s_articles["filename"] + "#stripped"
    s_gold = s_gold.assign(filename=s_gold["filename"] + "#stripped")
    return pd.concat([articles, s_articles], ignore_index=True), pd.concat(
        [gold, s_gold], ignore_index=True
    )


def _model(weights: np.ndarray, cue_words: np.ndarray, settings: dict) -> TaggerModel:
    return TaggerModel(weights=weights.astype(np.float32), cue_words=cue_words, settings=settings)


def _scores(model: TaggerModel, articles: pd.DataFrame, gold: pd.DataFrame) -> tuple[float, float]:
    """``(end-to-end F1, speaker accuracy)`` of the learned extractor on a scored set."""
    from utils.attribution.frames import extract_attributions

    extractor = partial(extract_attributions, method="learned", model=model)
    scores = evaluate(articles, gold, extractor).all
    return scores.e2e_f1, scores.speaker_accuracy


def best_trial(trials: list[dict], floor: float = SPEAKER_ACCURACY_FLOOR) -> dict:
    """The trial with the best end-to-end F1 (sum over the normal and comma-free forms; ties to
    the smaller ``C``) among those whose speaker accuracy on the normal form reaches ``floor``;
    among all trials when none does."""
    eligible = [t for t in trials if t["speaker_accuracy_normal"] >= floor] or trials
    return max(eligible, key=lambda t: (t["e2e_f1_normal"] + t["e2e_f1_stripped"], -t["C"]))


def split_train(articles: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(fit, held out)``: every fifth article by sorted file name is held out."""
    names = sorted(articles["filename"])
    held = set(names[4::5])
    mask = articles["filename"].isin(held)
    return articles[~mask].reset_index(drop=True), articles[mask].reset_index(drop=True)


def choose_settings(
    articles: pd.DataFrame, gold: pd.DataFrame, log=print
) -> tuple[float, dict, list[dict]]:
    """``(C, settings, trials)``: every setting of the grids scored on the held-out fifth of
    train (normal and comma-free forms), the one of :func:`best_trial` chosen."""
    fit_articles, held_articles = split_train(articles)
    fit_gold = gold[gold["filename"].isin(set(fit_articles["filename"]))]
    held_gold = gold[gold["filename"].isin(set(held_articles["filename"]))]
    cue_words = cue_word_set(fit_articles, fit_gold)
    buckets, labels = examples(*both_forms(fit_articles, fit_gold), cue_words)
    stripped = strip_corpus(held_articles, held_gold)
    trials = []
    for c in C_GRID:
        weights = fit_weights(buckets, labels, c)
        for threshold, (fallback, source_threshold) in itertools.product(
            CUE_THRESHOLD_GRID, LINKING_GRID
        ):
            settings = {**DEFAULT_SETTINGS, "cue_threshold": threshold, "fallback": fallback,
                        "source_threshold": source_threshold}  # fmt: skip
            model = _model(weights, cue_words, settings)
            normal, speaker_normal = _scores(model, held_articles, held_gold)
            comma_free, speaker_stripped = _scores(model, *stripped)
            trial = {"C": c, "cue_threshold": threshold, "fallback": fallback,
                     "source_threshold": source_threshold, "e2e_f1_normal": round(normal, 4),
                     "e2e_f1_stripped": round(comma_free, 4),
                     "speaker_accuracy_normal": round(speaker_normal, 4),
                     "speaker_accuracy_stripped": round(speaker_stripped, 4)}  # fmt: skip
            log(trial)
            trials.append(trial)
    best = best_trial(trials)
    settings = {**DEFAULT_SETTINGS, **{k: best[k] for k in ("cue_threshold", "fallback",
                                                            "source_threshold")}}  # fmt: skip
    return best["C"], settings, trials


def write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """An ``.npz`` readable by :func:`numpy.load`, byte for byte the same for the same arrays
    (entries in name order with a fixed timestamp)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as archive:
        for name in sorted(arrays):
            buffer = io.BytesIO()
            np.save(buffer, arrays[name], allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, buffer.getvalue(), compresslevel=9)


def train(
    folder: Path | None = None,
    model_file: Path = MODEL_FILE,
    card_file: Path = CARD_FILE,
    compartment: str = "train",
    tune: bool = True,
    log=print,
    data: tuple[pd.DataFrame, pd.DataFrame] | None = None,
) -> TaggerModel:
    """Train on PolNeAR ``compartment`` (train) and write the model and its card.

    ``data``: ``(articles, gold)`` in the form of :func:`load_polnear` instead of reading the
    corpus (the tests train on a small synthetic set). ``tune=False`` skips the search and uses
    the first regularisation strength and the default linking settings."""
    articles, gold = data if data is not None else load_polnear(compartment, folder)
    if tune:
        c, settings, trials = choose_settings(articles, gold, log)
    else:
        c, settings, trials = C_GRID[0], dict(DEFAULT_SETTINGS), []
    cue_words = cue_word_set(articles, gold)
    buckets, labels = examples(*both_forms(articles, gold), cue_words)
    log(f"fitting on {len(labels):,} tokens (C={c})")
    weights = fit_weights(buckets, labels, c)
    write_npz(Path(model_file), {"weights": weights, "cue_words": cue_words})
    card = {
        "model": "logistic regression token tagger, B/I tags of source, cue and content "
        "(scikit-learn SGDClassifier, log loss, one against the rest, L2, random_state 0) over "
        "hashed features; weights float16; its cues are handed to the rules (with a fallback "
        "reading and the tagger's source test when the settings say so)",
        "training_data": f"PolNeAR {compartment} compartment, first annotator of each article: "
        f"{len(articles)} articles as given plus the same articles without commas and "
        "apostrophes",
        "tokens": int(len(labels)),
        "tag_counts": {TAGS[k]: int(v) for k, v in sorted(Counter(labels.tolist()).items())},
        "buckets": BUCKETS,
        "templates": list(TEMPLATES),
        "cue_words": int(len(cue_words)),
        "C": c,
        "max_iter": MAX_ITER,
        "settings": settings,
        "tuning": "every fifth train article (sorted file names) held out; the best mean "
        "end-to-end F1 of its normal and comma-free forms among the settings whose speaker "
        f"accuracy on the normal form reaches {SPEAKER_ACCURACY_FLOOR} (among all when none does)",
        "trials": trials,
        "sha256": file_sha256(Path(model_file)),
    }
    Path(card_file).write_text(json.dumps(card, indent=1, sort_keys=True) + "\n")
    return read_model(Path(model_file), Path(card_file))
