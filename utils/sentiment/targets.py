"""Tone toward a person: the sentiment of a sentence toward one mention in it.

Why a model of its own: a sentence's tone and its tone toward a person differ ("X rescued the
hostages from the terrorists" is negative news, positive toward X), and VADER's sentence label
used as the label of every person in the sentence gets a macro-F1 of only about 0.50 on
NewsMTSC's sentences naming two or more people. The model here is a multinomial logistic
regression over hashed features of the sentence seen from the mention
(:func:`target_features`), trained on NewsMTSC train (``scripts/train_sentiment_models.py``;
settings chosen by cross-validation on train, grouped by sentence):

- the words of the sentence with the mention masked as one token, each also marked with its
  side of the mention (left/right) and, within three tokens, as a near neighbour; the two words
  on each side as bigrams; the words of the mention's clause (between commas, semicolons,
  dashes, brackets and quotation marks);
- VADER's valences of the words (lexicon valence, flipped after a negation) weighted by
  ``1 / (1 + distance)`` to the mention on each side and summed in the mention's clause, the
  sentence's VADER scores, and whether the mention looks like the grammatical subject (the
  first name-like span, before any clause break), alone and crossed with the valences;
- the other name-like spans (capitalised words not starting the sentence, outside VADER's
  lexicon) masked as one "other person" token, by design: the model should learn roles and
  events, not the training set's view of particular people (which would carry NewsMTSC's
  portrayal of, say, one politician into every corpus scored). Cross-validation on train
  costs this about 0.003 macro-F1.

It runs on numpy alone (the weights ship in ``models/target_tone.npz``, checked by sha256).
"""

from __future__ import annotations

import functools
import math
import numbers
import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from utils.sentiment.linear import CLASSES, MODELS_DIR, Features, LinearModel, load_model
from utils.sentiment.scoring import SentimentError, get_engine

#: The shipped model file.
TARGET_MODEL_FILE = MODELS_DIR / "target_tone.npz"
#: Columns of :func:`target_sentiment`.
TARGET_COLUMNS = ("compound", "label", "p_negative", "p_neutral", "p_positive")
#: Feature settings used when a model header names none (and by the training script's default).
DEFAULT_SETTINGS = {"mask_names": True, "window": 3}

_TOKEN = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]")
_CLAUSE_BREAKS = frozenset(",;:()[]—–-\"“”‘’")
_NEGATIONS = frozenset(
    "aint arent cannot cant couldnt darent didnt doesnt dont hadnt hasnt havent isnt mightnt "
    "mustnt neither never none nope nor not nothing nowhere oughtnt shant shouldnt uhuh wasnt "
    "werent without wont wouldnt rarely seldom despite no".split()
) | frozenset(
    w.replace("nt", "n't") for w in "aint arent couldnt didnt doesnt dont hadnt hasnt "
    "havent isnt wasnt werent wont wouldnt shouldnt cant".split()
)


@functools.cache
def _lexicon() -> dict[str, float]:
    return get_engine("vader").lexicon


def _tokens(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]


def _negated(lower: list[str], j: int) -> bool:
    return any(lower[k] in _NEGATIONS for k in range(max(0, j - 3), j))


def _vader_scores(sentence: str) -> tuple[float, float, float, float]:
    return get_engine("vader").score_tuple(sentence)


def target_features(sentence: str, start: int, end: int, settings: dict | None = None,
                    vader: tuple[float, float, float, float] | None = None) -> Features:
    """The hashed-feature list of the mention ``sentence[start:end]`` (see the module
    docstring). ``vader`` is the sentence's ``(neg, neu, pos, compound)`` when known."""
    settings = DEFAULT_SETTINGS if settings is None else settings
    window = int(settings.get("window", 3))
    mask_names = bool(settings.get("mask_names", True))
    lexicon = _lexicon()
    words: list[str] = []
    is_name: list[bool] = []
    m = -1
    first = True
    for t_start, t_end, token in _tokens(sentence):
        if t_end > start and t_start < end:
            if m < 0:
                m = len(words)
                words.append("<t>")
                is_name.append(True)
            first = False
            continue
        name_like = token[:1].isupper() and not first and token.lower() not in lexicon
        first = False
        if mask_names and name_like:
            if words and words[-1] == "<p>":
                continue
            words.append("<p>")
        else:
            words.append(token.lower())
        is_name.append(name_like)
    if m < 0:  # the mention holds no word character: place it where it starts
        m = sum(1 for t_start, _e, _t in _tokens(sentence) if t_start < start)
        m = min(m, len(words))
        words.insert(m, "<t>")
        is_name.insert(m, True)
    n = len(words)
    features: Features = [("bias", 1.0)]
    valences = [0.0] * n
    for j, word in enumerate(words):
        value = lexicon.get(word, 0.0)
        if value and _negated(words, j):
            value *= -0.74
        valences[j] = value
    clause_start = m
    while clause_start > 0 and words[clause_start - 1] not in _CLAUSE_BREAKS:
        clause_start -= 1
    clause_end = m
    while clause_end < n - 1 and words[clause_end + 1] not in _CLAUSE_BREAKS:
        clause_end += 1
    v_left = v_right = v_clause = 0.0
    for j, word in enumerate(words):
        if j == m:
            continue
        side = "L" if j < m else "R"
        distance = abs(j - m)
        features.append(("w:" + word, 1.0))
        features.append(("s" + side + ":" + word, 1.0))
        if distance <= window:
            features.append(("n" + side + ":" + word, 1.0))
        in_clause = clause_start <= j <= clause_end
        if in_clause:
            features.append(("c:" + word, 1.0))
        value = valences[j]
        if value:
            if side == "L":
                v_left += value / (1 + distance)
            else:
                v_right += value / (1 + distance)
            if in_clause:
                v_clause += value
    before = words[m - 1] if m >= 1 else "<s>"
    before2 = words[m - 2] if m >= 2 else "<s>"
    after = words[m + 1] if m + 1 < n else "</s>"
    after2 = words[m + 2] if m + 2 < n else "</s>"
    features += [("l1:" + before, 1.0), ("r1:" + after, 1.0),
                 ("l2:" + before2 + " " + before, 1.0), ("r2:" + after + " " + after2, 1.0)]
    subject = clause_start == 0 and not any(is_name[:m])
    if vader is None:
        vader = _vader_scores(sentence)
    neg, _neu, pos, compound = vader
    dense = {
        "v_left": v_left / 2.0, "v_right": v_right / 2.0, "v_clause": v_clause / 4.0,
        "s_compound": compound, "s_pos": pos, "s_neg": neg,
        "position": m / max(1, n - 1), "others": min(3, sum(is_name) - 1) / 3.0,
    }
    if subject:
        dense.update({"subject": 1.0, "subj_v_right": v_right / 2.0,
                      "subj_compound": compound})
    else:
        dense.update({"obj_v_left": v_left / 2.0, "obj_compound": compound})
    features += [(name, float(value)) for name, value in dense.items() if value]
    return features


@functools.cache
def _shipped_model() -> LinearModel:
    return load_model(TARGET_MODEL_FILE)


def _is_missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _check_item(position: int, item) -> tuple[str, int, int]:
    where = f"Item {position}"
    if isinstance(item, (str, bytes)) or not hasattr(item, "__len__") or len(item) != 3:
        raise SentimentError(f"{where} is {item!r}; pass (text, start, end) tuples: a text and "
                             "the character offsets of the mention in it (end exclusive).")
    text, start, end = item
    if _is_missing(text):
        raise SentimentError(f"{where} has a missing text; pass the sentence or passage holding "
                             "the mention.")
    if not isinstance(text, str):
        raise SentimentError(f"{where} has a text of type {type(text).__name__}; pass a string.")
    for name, value in (("start", start), ("end", end)):
        if _is_missing(value):
            raise SentimentError(f"{where} has a missing {name} offset; pass integer character "
                                 "offsets of the mention.")
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise SentimentError(f"{where} has {name}={value!r}; offsets must be integers.")
    start, end = int(start), int(end)
    if end <= start:
        raise SentimentError(f"{where} has end {end} <= start {start}; the mention is "
                             "text[start:end] and must not be empty.")
    if start < 0 or end > len(text):
        raise SentimentError(f"{where} has offsets {start}:{end} outside its text of "
                             f"{len(text)} characters.")
    return text, start, end


def mention_sentence(text: str, start: int, end: int) -> tuple[str, int, int]:
    """The sentence of ``text`` holding ``text[start:end]`` (the sentences it overlaps when it
    crosses a boundary) and the mention's offsets in it, by :func:`utils.text.sentence_spans`."""
    from utils.text import sentence_spans

    spans = sentence_spans(text)
    if len(spans) <= 1:
        return text, start, end
    overlapping = [(s, e) for s, e in spans if s < end and e > start]
    if not overlapping:
        return text, start, end
    s0, e0 = overlapping[0][0], overlapping[-1][1]
    return text[s0:e0], start - s0, end - s0


def _as_items(items) -> list:
    if isinstance(items, pd.DataFrame):
        missing = {"text", "start", "end"} - set(items.columns)
        if missing:
            raise SentimentError(f"A frame of mentions needs the columns text, start, end "
                                 f"(missing {sorted(missing)}).")
        return list(zip(items["text"], items["start"], items["end"], strict=True))
    if isinstance(items, (str, bytes)) or not isinstance(items, Iterable):
        raise SentimentError("target_sentiment takes a list of (text, start, end) tuples.")
    items = list(items)
    if len(items) == 3 and isinstance(items[0], str) and not isinstance(items[1], tuple):
        raise SentimentError("target_sentiment takes a list of (text, start, end) tuples; wrap "
                             "a single mention in a list: [(text, start, end)].")
    return items


def target_sentiment(items, *, model: LinearModel | None = None) -> pd.DataFrame:
    """Tone toward each mention: one row per ``(text, start, end)`` item, in order.

    ``text`` is a sentence or a longer passage (then the sentence holding the mention is used,
    see :func:`mention_sentence`); ``text[start:end]`` is the mention of the person. Columns:
    ``compound`` (``p_positive - p_negative``, in [-1, 1]), ``label`` (``negative``,
    ``neutral`` or ``positive``: the most probable class) and the class probabilities
    ``p_negative, p_neutral, p_positive``. A frame with ``text, start, end`` columns is also
    accepted. Bad items raise :class:`SentimentError` naming the item. ``model`` swaps in
    another :class:`~utils.sentiment.linear.LinearModel` (default: the shipped one).
    """
    checked = [_check_item(k, item) for k, item in enumerate(_as_items(items))]
    if not checked:
        frame = pd.DataFrame({c: pd.Series(dtype="float64") for c in TARGET_COLUMNS})
        frame["label"] = frame["label"].astype("object")
        return frame
    model = _shipped_model() if model is None else model
    settings = model.header.get("settings", DEFAULT_SETTINGS)
    vader_cache: dict[str, tuple] = {}
    rows = []
    for text, start, end in checked:
        sentence, s, e = mention_sentence(text, start, end)
        vader = vader_cache.get(sentence)
        if vader is None:
            vader = vader_cache[sentence] = _vader_scores(sentence)
        rows.append(target_features(sentence, s, e, settings, vader))
    probabilities = model.probabilities(rows)
    offsets = np.asarray(model.header.get("label_offsets", [0.0, 0.0, 0.0]))
    labels = np.argmax(np.log(probabilities + 1e-12) + offsets, axis=1)
    return pd.DataFrame({
        "compound": np.clip(probabilities[:, 2] - probabilities[:, 0], -1.0, 1.0),
        "label": np.asarray(CLASSES, dtype=object)[labels],
        "p_negative": probabilities[:, 0],
        "p_neutral": probabilities[:, 1],
        "p_positive": probabilities[:, 2],
    })
