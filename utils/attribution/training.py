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

The content end corrector (:mod:`utils.attribution.content_ends`) is fitted after the tagger,
on the contents the finished extractor finds in the same articles (:func:`end_examples`,
:func:`fit_end_weights`); its weights are stored in the same file.

The model file is written byte for byte the same for the same data and settings (fixed zip
timestamps, float16 weights): ``scripts/train_attribution.py`` rebuilds it.
"""

from __future__ import annotations

import dataclasses
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


def _e2e(model: TaggerModel, articles: pd.DataFrame, gold: pd.DataFrame) -> float:
    from utils.attribution.frames import extract_attributions

    extractor = partial(extract_attributions, method="learned", model=model)
    return evaluate(articles, gold, extractor).all.e2e_f1


def split_train(articles: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(fit, held out)``: every fifth article by sorted file name is held out."""
    names = sorted(articles["filename"])
    held = set(names[4::5])
    mask = articles["filename"].isin(held)
    return articles[~mask].reset_index(drop=True), articles[mask].reset_index(drop=True)


def choose_settings(
    articles: pd.DataFrame, gold: pd.DataFrame, log=print
) -> tuple[float, dict, list[dict]]:
    """``(C, settings, trials)`` with the best end-to-end F1 on the held-out fifth of train
    (sum over its normal and comma-free forms; ties to the smaller ``C``)."""
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
            normal = _e2e(model, held_articles, held_gold)
            comma_free = _e2e(model, *stripped)
            trial = {"C": c, "cue_threshold": threshold, "fallback": fallback,
                     "source_threshold": source_threshold, "e2e_f1_normal": round(normal, 4),
                     "e2e_f1_stripped": round(comma_free, 4)}  # fmt: skip
            log(trial)
            trials.append(trial)
    best = max(trials, key=lambda t: (t["e2e_f1_normal"] + t["e2e_f1_stripped"], -t["C"]))
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
    arrays = {"weights": weights, "cue_words": cue_words}
    end_feats, end_labels, end_groups = end_examples(
        *both_forms(articles, gold), _model(weights, cue_words, settings))
    if end_groups:
        log(f"fitting the end corrector on {end_groups[-1] + 1:,} contents")
        arrays["end_weights"] = fit_end_weights(end_feats, end_labels, end_groups)
    write_npz(Path(model_file), arrays)
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
        "end_corrector": "conditional logit over the candidate ends of each content "
        "(utils.attribution.content_ends), L-BFGS from zero, L2 "
        f"{END_L2}, fitted on the extractor's own contents over the same data"
        if "end_weights" in arrays else "none (no content to fit it on)",
        "end_contents": int(end_groups[-1] + 1) if end_groups else 0,
        "settings": settings,
        "tuning": "every fifth train article (sorted file names) held out; mean end-to-end F1 "
        "of its normal and comma-free forms",
        "trials": trials,
        "sha256": file_sha256(Path(model_file)),
    }
    Path(card_file).write_text(json.dumps(card, indent=1, sort_keys=True) + "\n")
    return read_model(Path(model_file), Path(card_file))



def end_examples(
    articles: pd.DataFrame, gold: pd.DataFrame, model: TaggerModel
) -> tuple[list[list[str]], list[int], list[int]]:
    """``(features, labels, groups)`` of the end corrector (:mod:`~.content_ends`): the
    candidate ends of every content the learned extractor (``model``, without its end
    corrector) finds in ``articles`` whose cue overlaps a gold cue and whose start is that
    gold content's start; a candidate is positive when it is (trimmed as the scoring trims)
    the gold end (contents whose gold end is not a candidate are left out); ``groups`` numbers
    the content of each candidate."""
    from utils.attribution.content_ends import _limits, _scored_end, end_rows
    from utils.attribution.evaluation import trimmed_span
    from utils.attribution.model import learned_attributions
    from utils.attribution.rules import rule_candidates

    plain = dataclasses.replace(model, end_weights=None)
    by_file = {name: rows for name, rows in gold.groupby("filename", sort=False)}
    feats: list[list[str]] = []
    labels: list[int] = []
    groups: list[int] = []
    for name, text in zip(articles["filename"], articles["text"], strict=True):
        rows = by_file.get(name)
        if rows is None or not isinstance(text, str) or not text.strip():
            continue
        golds = []
        for cue, content in zip(rows["cue_spans"], rows["content_spans"], strict=True):
            k, c = parse_spans(cue), trimmed_span(text, parse_spans(content))
            if k and c:
                golds.append((k, c))
        doc = _Doc(text)
        atts = learned_attributions(doc, rule_candidates(doc), plain)
        for att, limit in zip(atts, _limits(atts), strict=True):
            if att.extra.get("cue_in_content"):
                continue
            found = end_rows(doc, att, limit)
            if found is None:
                continue
            start, cands, rows_feats = found
            own = trimmed_span(text, [max(att.pieces, key=lambda p: p[1])])
            if own is None:
                continue
            target = [c for k, c in golds if c[0] == own[0] and any(
                s < att.cue[1] and att.cue[0] < e for s, e in k)]  # fmt: skip
            if not target:
                continue
            hits = [int(_scored_end(doc.norm, start, p) == target[0][1]) for p, _ in cands]
            if not any(hits):
                continue
            groups.extend([groups[-1] + 1 if groups else 0] * len(hits))
            feats.extend(rows_feats)
            labels.extend(hits)
    return feats, labels, groups


#: L2 penalty of the end corrector. On the held-out fifth (the tagger and the corrector fitted
#: on the other four fifths) 3 with a margin of 1 (:data:`utils.attribution.model.
#: DEFAULT_SETTINGS`) was best; 1, 10 and 30, and margins 0, 2 and 4, gave less.
END_L2 = 3.0


def fit_end_weights(
    feats: list[list[str]], labels: list[int], groups: list[int], l2: float = END_L2
) -> np.ndarray:
    """``(END_BUCKETS,)`` float16 weights of the end corrector: a conditional logit (a softmax
    over the candidates of each content, the gold ones sharing the target) with an L2
    penalty, fitted by L-BFGS from zero (deterministic)."""
    from scipy.optimize import minimize
    from scipy.sparse import csr_matrix

    from utils.attribution.content_ends import END_BUCKETS, _hash

    indices = [_hash(f) for row in feats for f in row]
    indptr = np.r_[0, np.cumsum([len(row) for row in feats])]
    matrix = csr_matrix(
        (np.ones(len(indices)), np.asarray(indices, dtype=np.int64), indptr),
        shape=(len(feats), END_BUCKETS),
    )
    matrix.sum_duplicates()
    group = np.asarray(groups, dtype=np.int64)
    target = np.asarray(labels, dtype=np.float64)
    target /= np.bincount(group, weights=target)[group]
    n_groups = int(group.max()) + 1 if len(group) else 0

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = matrix @ w
        top = np.full(n_groups, -np.inf)
        np.maximum.at(top, group, z)
        e = np.exp(z - top[group])
        total = np.bincount(group, weights=e, minlength=n_groups)
        p = e / total[group]
        value = -(target * (z - top[group] - np.log(total[group]))).sum() + 0.5 * l2 * w @ w
        return value, matrix.T @ (p - target) + l2 * w

    result = minimize(loss, np.zeros(END_BUCKETS), jac=True, method="L-BFGS-B",
                      options={"maxiter": 300})  # fmt: skip
    return result.x.astype(np.float16)
