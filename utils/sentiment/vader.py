"""Exact VADER: a re-implementation of ``vaderSentiment==3.3.2``'s rules that gives the
reference's scores to the last bit, faster (see :class:`ExactVader`)."""

from __future__ import annotations

import heapq
import math
import string

from vaderSentiment.vaderSentiment import (
    BOOSTER_DICT,
    C_INCR,
    N_SCALAR,
    NEGATE,
    SPECIAL_CASES,
    SentimentIntensityAnalyzer,
    normalize,
    scalar_inc_dec,
)

#: Score columns, in the reference's order.
SCORE_COLUMNS = ("neg", "neu", "pos", "compound")

_PUNCTUATION = string.punctuation
_NEGATE = frozenset(NEGATE)
_SO_THIS = ("so", "this")


# ---------------------------------------------------------------------------------------------
# the engine


def _negated(word_lower: str) -> bool:
    # vaderSentiment.negated([w]) for one already lower-cased word (str.lower is idempotent)
    return word_lower in _NEGATE or "n't" in word_lower


class ExactVader(SentimentIntensityAnalyzer):
    """vaderSentiment 3.3.2's analyzer with its per-word rules evaluated in linear time.

    The reference lower-cases the whole sentence inside each negation and idiom check (several
    times per sentiment word) and rebuilds the text character by character to replace emoji.
    This subclass lower-cases once, looks emoji up only when the text holds one, and otherwise
    applies the same rules in the same order with the same float operations, so its scores are
    identical (tests compare it with the reference on the VADER paper's four data sets). No
    library offers this: NLTK's port is a different, slower variant.
    """

    def __init__(self) -> None:
        super().__init__()
        self._emoji_chars = frozenset(key for key in self.emojis if len(key) == 1)

    # -- public -------------------------------------------------------------------------------
    def polarity_scores(self, text: str) -> dict[str, float]:
        return dict(zip(SCORE_COLUMNS, self.score_tuple(text), strict=True))

    def token_valences(self, text: str) -> list[tuple[str, float]]:
        """``(lower-cased token, valence)`` for each token of ``text``, after every rule.

        These are the per-token values whose sum, normalised, is the compound score.
        """
        sentiments, lower, _clean = self._sentiments(text)
        return [(word, float(value)) for word, value in zip(lower, sentiments, strict=True)]

    def score_and_valences(
        self, text: str
    ) -> tuple[tuple[float, float, float, float], list[tuple[str, float]]]:
        """``(score_tuple(text), valences)`` from one pass of the rules: the scores, and the
        ``(lower-cased token, valence)`` pairs of :meth:`token_valences` whose valence is not 0
        (the tokens that move the score), in token order."""
        sentiments, lower, clean = self._sentiments(text)
        pairs = [(lower[i], float(value)) for i, value in enumerate(sentiments) if value]
        return self._scores(sentiments, clean), pairs

    # -- internals ----------------------------------------------------------------------------
    def _replace_emojis(self, text: str) -> str:
        if self._emoji_chars.isdisjoint(text):
            return text
        pieces = []
        prev_space = True
        for char in text:
            if char in self.emojis:
                if not prev_space:
                    pieces.append(" ")
                pieces.append(self.emojis[char])
                prev_space = False
            else:
                pieces.append(char)
                prev_space = char == " "
        return "".join(pieces)

    def _sentiments(self, text: str) -> tuple[list, list[str], str]:
        """``(valence of each token, the lower-cased tokens, the cleaned text)``."""
        clean = self._replace_emojis(text).strip()
        # SentiText._strip_punc_if_word, inlined
        words = [
            w if len(stripped := w.strip(_PUNCTUATION)) <= 2 else stripped for w in clean.split()
        ]
        lower = [w.lower() for w in words]
        n_words = len(words)
        # allcap_differential: some but not all words are ALL CAPS
        is_cap_diff = 0 < n_words - sum(map(str.isupper, words)) < n_words
        lexicon = self.lexicon
        # Words outside the lexicon, boosters and the "kind" of "kind of" all get 0 (an int, as
        # in the reference); only lexicon words go through the rules.
        sentiments: list = [0] * n_words
        for i, item_lower in enumerate(lower):
            if item_lower not in lexicon or item_lower in BOOSTER_DICT:
                continue
            if item_lower == "kind" and i < n_words - 1 and lower[i + 1] == "of":
                continue
            sentiments[i] = self._valence(words, lower, i, is_cap_diff)
        if "but" in lower:
            sentiments = but_check(lower, sentiments)
        return sentiments, lower, clean

    def _scores(self, sentiments: list, text: str) -> tuple[float, float, float, float]:
        """``score_valence`` of the reference as a tuple (neg, neu, pos, compound); the
        per-word sums skip the zeros, which add nothing."""
        if not sentiments:
            return (0.0, 0.0, 0.0, 0.0)
        sum_s = float(sum(sentiments))
        # _punctuation_emphasis: exclamation marks (up to 4) and question marks (2 or more)
        ep_count = min(text.count("!"), 4)
        qm_count = text.count("?")
        qm_amplifier = 0
        if qm_count > 1:
            qm_amplifier = qm_count * 0.18 if qm_count <= 3 else 0.96
        punct_emph_amplifier = ep_count * 0.292 + qm_amplifier
        if sum_s > 0:
            sum_s += punct_emph_amplifier
        elif sum_s < 0:
            sum_s -= punct_emph_amplifier
        compound = normalize(sum_s)
        pos_sum = 0.0
        neg_sum = 0.0
        nonzero = [score for score in sentiments if score]
        neu_count = len(sentiments) - len(nonzero)
        for score in nonzero:
            if score > 0:
                pos_sum += float(score) + 1
            else:
                neg_sum += float(score) - 1
        if pos_sum > math.fabs(neg_sum):
            pos_sum += punct_emph_amplifier
        elif pos_sum < math.fabs(neg_sum):
            neg_sum -= punct_emph_amplifier
        total = pos_sum + math.fabs(neg_sum) + neu_count
        return (
            round(math.fabs(neg_sum / total), 3),
            round(math.fabs(neu_count / total), 3),
            round(math.fabs(pos_sum / total), 3),
            round(compound, 4),
        )

    def score_tuple(self, text: str) -> tuple[float, float, float, float]:
        """``(neg, neu, pos, compound)`` of ``text``, equal to the reference's dict values."""
        sentiments, _lower, clean = self._sentiments(text)
        return self._scores(sentiments, clean)

    def _valence(self, words: list[str], lower: list[str], i: int, is_cap_diff: bool) -> float:
        lexicon = self.lexicon
        item_lower = lower[i]
        valence = lexicon[item_lower]
        if item_lower == "no" and i != len(words) - 1 and lower[i + 1] in lexicon:
            valence = 0.0
        if (
            (i > 0 and lower[i - 1] == "no")
            or (i > 1 and lower[i - 2] == "no")
            or (i > 2 and lower[i - 3] == "no" and lower[i - 1] in ["or", "nor"])
        ):
            valence = lexicon[item_lower] * N_SCALAR
        if words[i].isupper() and is_cap_diff:
            if valence > 0:
                valence += C_INCR
            else:
                valence -= C_INCR
        for start_i in range(0, 3):
            if i > start_i and lower[i - (start_i + 1)] not in lexicon:
                # scalar_inc_dec is 0.0 for a word that is no booster: skip the call then
                if lower[i - (start_i + 1)] in BOOSTER_DICT:
                    s = scalar_inc_dec(words[i - (start_i + 1)], valence, is_cap_diff)
                else:
                    s = 0.0
                if start_i == 1 and s != 0:
                    s = s * 0.95
                if start_i == 2 and s != 0:
                    s = s * 0.9
                valence = valence + s
                valence = _negation_check(valence, lower, start_i, i)
                if start_i == 2:
                    valence = _special_idioms_check(valence, lower, i)
        return _least_check(valence, lower, i, lexicon)


def but_check(lower: list[str], sentiments: list) -> list:
    """vaderSentiment's ``_but_check`` in O(n log n) instead of O(n²), with the same result.

    The reference visits the valences in order and, for each value ``v``, rescales the *first*
    position holding a value equal to ``v`` (``list.index``): by 0.5 before the first "but", by
    1.5 after it. Here the first position of each value comes from a heap of positions per value
    (equal numbers share a dict key, as they compare equal for ``list.index``).
    """
    if "but" not in lower:
        return sentiments
    but_index = lower.index("but")
    values = list(sentiments)
    positions: dict = {}
    for index, value in enumerate(values):
        positions.setdefault(value, []).append(index)  # ascending: already a heap
    for k in range(len(values)):
        value = values[k]
        heap = positions[value]
        first = heap[0]
        if first < but_index:
            new_value = value * 0.5
        elif first > but_index:
            new_value = value * 1.5
        else:
            continue
        heapq.heappop(heap)
        if not heap:
            del positions[value]
        heapq.heappush(positions.setdefault(new_value, []), first)
        values[first] = new_value
    return values


def _negation_check(valence: float, lower: list[str], start_i: int, i: int) -> float:
    if start_i == 0:
        if _negated(lower[i - 1]):
            valence = valence * N_SCALAR
    if start_i == 1:
        if lower[i - 2] == "never" and (lower[i - 1] == "so" or lower[i - 1] == "this"):
            valence = valence * 1.25
        elif lower[i - 2] == "without" and lower[i - 1] == "doubt":
            pass
        elif _negated(lower[i - 2]):
            valence = valence * N_SCALAR
    if start_i == 2:
        if (lower[i - 3] == "never" and lower[i - 2] in _SO_THIS) or lower[i - 1] in _SO_THIS:
            valence = valence * 1.25
        elif lower[i - 3] == "without" and (lower[i - 2] == "doubt" or lower[i - 1] == "doubt"):
            pass
        elif _negated(lower[i - 3]):
            valence = valence * N_SCALAR
    return valence


def _special_idioms_check(valence: float, lower: list[str], i: int) -> float:
    onezero = f"{lower[i - 1]} {lower[i]}"
    twoonezero = f"{lower[i - 2]} {lower[i - 1]} {lower[i]}"
    twoone = f"{lower[i - 2]} {lower[i - 1]}"
    threetwoone = f"{lower[i - 3]} {lower[i - 2]} {lower[i - 1]}"
    threetwo = f"{lower[i - 3]} {lower[i - 2]}"
    for seq in (onezero, twoonezero, twoone, threetwoone, threetwo):
        if seq in SPECIAL_CASES:
            valence = SPECIAL_CASES[seq]
            break
    if len(lower) - 1 > i:
        zeroone = f"{lower[i]} {lower[i + 1]}"
        if zeroone in SPECIAL_CASES:
            valence = SPECIAL_CASES[zeroone]
    if len(lower) - 1 > i + 1:
        zeroonetwo = f"{lower[i]} {lower[i + 1]} {lower[i + 2]}"
        if zeroonetwo in SPECIAL_CASES:
            valence = SPECIAL_CASES[zeroonetwo]
    for n_gram in (threetwoone, threetwo, twoone):
        if n_gram in BOOSTER_DICT:
            valence = valence + BOOSTER_DICT[n_gram]
    return valence


def _least_check(valence: float, lower: list[str], i: int, lexicon: dict) -> float:
    if i > 1 and lower[i - 1] not in lexicon and lower[i - 1] == "least":
        if lower[i - 2] != "at" and lower[i - 2] != "very":
            valence = valence * N_SCALAR
    elif i > 0 and lower[i - 1] not in lexicon and lower[i - 1] == "least":
        valence = valence * N_SCALAR
    return valence


