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
alpha) * vader``, where VADER's valence sum also counts the words of :data:`NEWS_LEXICON`
(news events missing from VADER's lexicon: "plunged", "layoffs", "slaughtered", "surge"). The
lexicon is needed because NewsMTSC's labels are the tone toward people, not the tone of the
events: trained on them alone, the model learns that "killed" and "crisis" go with sentences
positive toward someone (the one who responds), and the model alone correlates less with
people's ratings of other news than the blend. ``alpha`` is chosen on a fixed half of the VADER
paper's NYT editorial snippets (the editorials with an even number; the odd ones are left for
reporting). The blend is then mapped piecewise-linearly so that the neutral band chosen by
cross-validation on NewsMTSC train, ``|blend| < band``, becomes VADER's ``|compound| < 0.05``:
every threshold of the toolkit (share positive, the 3-class scheme) then means the same for
both engines. A text of several sentences (by :func:`utils.text.sentence_spans`) gets the mean
of its sentences' scores, so long texts do not saturate.
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


#: Words of news events missing from VADER's lexicon, with a valence on VADER's scale (-4..4),
#: written for this project (not learned, not tuned on any data set). Words whose tone hangs on
#: their context in news ("record", "deal", "rally", "sink", "probe") are left out; "surge" and
#: "soar" are mildly positive ("layoffs surge" still comes out negative).
NEWS_LEXICON = {
    **dict.fromkeys(("plunge", "plunged", "plunges", "plunging"), -1.8),
    **dict.fromkeys(("plummet", "plummeted", "plummets", "plummeting"), -2.0),
    **dict.fromkeys(("slump", "slumped", "slumps", "slumping"), -1.5),
    **dict.fromkeys(("tumble", "tumbled", "tumbles", "tumbling"), -1.3),
    "sank": -1.0, "slid": -0.8, "layoff": -2.0, "layoffs": -2.0, "redundancies": -1.5,
    "bankruptcy": -2.2, "bankruptcies": -2.2, "downturn": -1.6, "jobless": -1.8,
    "inflation": -0.8, "famine": -2.8, "drought": -1.8,
    "slaughter": -3.0, "slaughtered": -3.2, "massacre": -3.2, "massacred": -3.2,
    "massacres": -3.2, "deaths": -2.5, "casualties": -2.3, "wounded": -2.2,
    "bombing": -2.6, "bombings": -2.6, "bombed": -2.6, "shelling": -2.3, "airstrike": -2.0,
    "airstrikes": -2.0, "explosion": -1.8, "explosions": -1.8, "invasion": -2.2,
    "invaded": -2.0, "clashes": -1.8, "militants": -1.3, "hostage": -2.0, "hostages": -2.0,
    "kidnapped": -2.6, "indicted": -2.0, "indictment": -1.8, "convicted": -2.0,
    "corruption": -2.4, "bribery": -2.4, "sued": -1.2, "allegations": -1.3, "fined": -1.3,
    "crashed": -1.8, "flood": -1.8, "floods": -1.8, "flooding": -1.8, "earthquake": -2.0,
    "wildfire": -2.0, "wildfires": -2.0, "hurricane": -1.6, "outbreak": -1.8,
    "epidemic": -2.0, "pandemic": -2.0, "refugees": -1.0, "evacuated": -1.2,
    "displaced": -1.4,
    **dict.fromkeys(("surge", "surged", "surges", "surging"), 0.8),
    **dict.fromkeys(("soar", "soared", "soars", "soaring"), 1.2),
    "rallied": 1.0, "rebound": 1.0, "rebounded": 1.0, "boom": 1.2, "booming": 1.2,
    "recovery": 1.3, "recovered": 1.2, "breakthrough": 1.8, "ceasefire": 1.2, "truce": 1.2,
    "victory": 2.0, "hired": 1.0, "hiring": 0.8, "reopened": 0.8,
}
#: VADER's normalisation constant: compound = s / sqrt(s^2 + 15) of the valence sum s.
_VADER_ALPHA = 15.0
_NEGATIONS = frozenset(("not", "no", "never", "without", "nor", "neither", "none", "nothing",
                        "didn't", "don't", "doesn't", "isn't", "wasn't", "weren't", "aren't",
                        "won't", "can't", "cannot", "couldn't", "wouldn't", "shouldn't",
                        "hasn't", "haven't", "hadn't"))


@functools.cache
def _lexicon() -> dict[str, float]:
    return get_engine("vader").lexicon


def news_lexicon_sum(sentence: str) -> float:
    """Sum of the :data:`NEWS_LEXICON` valences of the words of ``sentence`` (a word after a
    negation within three words counts -0.74 times, VADER's negation factor)."""
    words = [m.group().lower() for m in _TOKEN.finditer(sentence)]
    total = 0.0
    for j, word in enumerate(words):
        value = NEWS_LEXICON.get(word)
        if value is not None:
            if any(w in _NEGATIONS for w in words[max(0, j - 3):j]):
                value *= -0.74
            total += value
    return total


def with_news_lexicon(vader_compound, extra) -> np.ndarray:
    """VADER's compound with the news words' valences added to its valence sum: the sum is
    recovered from the compound (``s = c * sqrt(15 / (1 - c^2))``), ``extra`` added and the
    result normalised again, so a sentence without a news word keeps VADER's compound."""
    c = np.clip(np.asarray(vader_compound, dtype="float64"), -0.9999, 0.9999)
    extra = np.asarray(extra, dtype="float64")
    s = c * np.sqrt(_VADER_ALPHA / (1.0 - c * c)) + extra
    out = s / np.sqrt(s * s + _VADER_ALPHA)
    return np.where(extra == 0, np.asarray(vader_compound, dtype="float64"), out)


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
    (weight ``alpha`` of the header; ``vader_compound`` already holds the news lexicon, see
    :func:`with_news_lexicon`), rescaled so that its neutral band maps onto +/-0.05."""
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
        vader_compound = with_news_lexicon([scores[3] for scores in vader_scores],
                                           [news_lexicon_sum(sentences[k]) for k in keep])
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
