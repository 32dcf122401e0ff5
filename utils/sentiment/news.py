"""The news scorer (engine ``"news"``): is this sentence negative news?

Why a scorer of its own: VADER was built on social media. It lacks much of the vocabulary of
news ("plunge", "layoffs", "surge", "slaughtered") and its compound saturates at +/-1 on long
texts. The news scorer is a multinomial logistic regression (negative / neutral / positive
news) over hashed features of the sentence (:func:`news_features`): its lower-cased words and
word pairs (name-like words masked by design, so that it learns events rather than the
training set's view of particular people), VADER's scores of the sentence and the sums of the
positive and negative lexicon valences. It is trained on the sentences of NewsMTSC train (a
sentence's class is the sign of the mean polarity of its targets around neutral) with the
regularisation chosen by cross-validation on train (``scripts/train_sentiment_models.py``).

Scores have VADER's columns. ``neg, neu, pos`` are the class probabilities. ``compound`` blends
the model's ``pos - neg`` with VADER's compound of the sentence, ``alpha * (pos - neg) + (1 -
alpha) * vader`` (the model alone transfers less well to other news than the blend: ``alpha``
is chosen on a fixed half of the VADER paper's NYT editorial snippets, the editorials with an
even number, and the other half is left for reporting), then maps it piecewise-linearly so that
the neutral band chosen by cross-validation on NewsMTSC train, ``|blend| < band``, becomes
VADER's ``|compound| < 0.05``: every threshold of the toolkit (share positive, the 3-class
scheme) then means the same for both engines. A text of
several sentences (by :func:`utils.text.sentence_spans`) gets the mean of its sentences'
scores, so long texts do not saturate.
"""

from __future__ import annotations

import functools
import re

import numpy as np

from utils.sentiment.linear import MODELS_DIR, Features, LinearModel, load_model
from utils.sentiment.scoring import NEUTRAL_THRESHOLD, get_engine

#: The shipped model file.
NEWS_MODEL_FILE = MODELS_DIR / "news_scorer.npz"
#: Feature settings used when a model header names none.
DEFAULT_SETTINGS = {"mask_names": True, "bigrams": True}

_TOKEN = re.compile(r"\w+(?:['’]\w+)*|[!?]")


@functools.cache
def _lexicon() -> dict[str, float]:
    return get_engine("vader").lexicon


def news_features(sentence: str, settings: dict | None = None,
                  vader: tuple[float, float, float, float] | None = None) -> Features:
    """The hashed-feature list of one sentence (see the module docstring)."""
    settings = DEFAULT_SETTINGS if settings is None else settings
    mask_names = bool(settings.get("mask_names", True))
    lexicon = _lexicon()
    words = []
    positive = negative = 0.0
    for k, match in enumerate(_TOKEN.finditer(sentence)):
        token = match.group()
        lower = token.lower()
        value = lexicon.get(lower, 0.0)
        if value > 0:
            positive += value
        elif value < 0:
            negative -= value
        if mask_names and k and token[:1].isupper() and not value:
            if words and words[-1] == "<p>":
                continue
            lower = "<p>"
        words.append(lower)
    features: Features = [("bias", 1.0)]
    features += [("w:" + w, 1.0) for w in words]
    if settings.get("bigrams", True):
        features += [("b:" + a + " " + b, 1.0) for a, b in zip(words, words[1:], strict=False)]
    if vader is None:
        vader = get_engine("vader").score_tuple(sentence)
    neg, _neu, pos, compound = vader
    features += [("v_pos", pos), ("v_neg", neg), ("v_positive_sum", positive / 4.0),
                 ("v_negative_sum", negative / 4.0), ("v_compound", compound)]
    return features


def rescale_compound(difference: np.ndarray, band: float) -> np.ndarray:
    """Map ``pos - neg`` in [-1, 1] monotonically onto [-1, 1] so that ``+/-band`` lands on
    VADER's neutral threshold ``+/-0.05`` (linear on each side of the band)."""
    d = np.clip(np.asarray(difference, dtype="float64"), -1.0, 1.0)
    band = float(min(max(band, 1e-6), 0.99))
    t = NEUTRAL_THRESHOLD
    magnitude = np.abs(d)
    inside = magnitude * (t / band)
    outside = t + (magnitude - band) * ((1.0 - t) / (1.0 - band))
    return np.sign(d) * np.where(magnitude <= band, inside, outside)


def blended_score(probabilities: np.ndarray, vader_compound: np.ndarray,
                  alpha: float) -> np.ndarray:
    """``alpha * (pos - neg) + (1 - alpha) * vader_compound``, in [-1, 1]."""
    difference = probabilities[:, 2] - probabilities[:, 0]
    return alpha * difference + (1.0 - alpha) * np.asarray(vader_compound, dtype="float64")


def compound_from(probabilities: np.ndarray, vader_compound: np.ndarray,
                  header: dict) -> np.ndarray:
    """The news compound: the blend of the model's ``pos - neg`` with VADER's compound
    (weight ``alpha`` of the header), rescaled so that its neutral band maps onto +/-0.05."""
    alpha = float(header.get("alpha", 1.0))
    band = float(header.get("neutral_band", NEUTRAL_THRESHOLD))
    return rescale_compound(blended_score(probabilities, vader_compound, alpha), band)


@functools.cache
def _shipped_model() -> LinearModel:
    return load_model(NEWS_MODEL_FILE)


def score_sentence_rows(sentences: list[str], model: LinearModel | None = None) -> np.ndarray:
    """``(neg, neu, pos, compound)`` of each single sentence (an empty text scores all zeros,
    as VADER scores ``""``)."""
    model = _shipped_model() if model is None else model
    settings = model.header.get("settings", DEFAULT_SETTINGS)
    out = np.zeros((len(sentences), 4))
    keep = [k for k, s in enumerate(sentences) if s.strip()]
    if keep:
        vader = get_engine("vader")
        vader_scores = [vader.score_tuple(sentences[k]) for k in keep]
        rows = [news_features(sentences[k], settings, scores)
                for k, scores in zip(keep, vader_scores, strict=True)]
        probabilities = model.probabilities(rows)
        out[keep, 0] = probabilities[:, 0]
        out[keep, 1] = probabilities[:, 1]
        out[keep, 2] = probabilities[:, 2]
        vader_compound = np.asarray([scores[3] for scores in vader_scores])
        out[keep, 3] = compound_from(probabilities, vader_compound, model.header)
    return out


class NewsScorer:
    """The engine object of ``"news"``: ``polarity_scores(text)`` (VADER's dict) and
    ``score_tuple(text)``; ``score_many(texts)`` scores a batch in one matrix product."""

    def __init__(self, model: LinearModel | None = None) -> None:
        self.model = _shipped_model() if model is None else model

    def score_many(self, texts: list[str]) -> list[tuple[float, float, float, float]]:
        from utils.text import sentence_spans

        pieces: list[str] = []
        owners: list[int] = []
        for k, text in enumerate(texts):
            spans = sentence_spans(text) if text.strip() else []
            if len(spans) <= 1:
                pieces.append(text)
                owners.append(k)
            else:
                for start, end in spans:
                    pieces.append(text[start:end])
                    owners.append(k)
        scores = score_sentence_rows(pieces, self.model)
        owners_array = np.asarray(owners, dtype=np.int64)
        sums = np.zeros((len(texts), 4))
        np.add.at(sums, owners_array, scores)
        counts = np.bincount(owners_array, minlength=len(texts)).astype("float64")
        means = sums / np.maximum(counts, 1.0)[:, None]
        return [tuple(float(round(v, 4)) for v in row) for row in means]

    def score_tuple(self, text: str) -> tuple[float, float, float, float]:
        return self.score_many([text])[0]

    def polarity_scores(self, text: str) -> dict[str, float]:
        neg, neu, pos, compound = self.score_tuple(text)
        return {"neg": neg, "neu": neu, "pos": pos, "compound": compound}
