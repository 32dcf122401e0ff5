"""Exact VADER: a re-implementation of ``vaderSentiment==3.3.2``'s rules that gives the
reference's scores to the last bit, several times faster (see :class:`ExactVader`).

Why our own code: the reference re-lower-cases the whole sentence inside every negation and
idiom check (several times per sentiment word, so quadratic in the sentence length), rebuilds
the text character by character to replace emoji, and its "but" rule is quadratic too. NLTK's
port is a different, slower variant with other scores, and no library gives exact VADER fast.

Design (every step gives the reference's floats, compared with ``==`` in the tests):

- Emoji are replaced only when the text holds one (``str.isascii``, else one set test).
- Tokens are ``str.split()`` as in the reference. Each distinct token is analysed once, when
  first met, and remembered in bounded per-engine tables: its lower-cased punctuation-stripped
  word, its valence (the lexicon's for a *scorable* word: a lexicon word that is no booster;
  else 0) and whether it is *special*: a context word (negation, booster, "no", "so", "this",
  "least", any word with "n't", "kind"), one word of each multi-word idiom or booster, "but",
  or a scorable word in capitals. A sentence then costs one ``map`` over the valence table.
- A sentence without a scorable word scores ``(0.0, 1.0, 0.0, 0.0)`` (``(0.0, 0.0, 0.0, 0.0)``
  when empty) at once: punctuation emphasis and "but" only rescale sentiment that exists.
- A sentence without a special token (most news sentences) needs no rule: its valences are the
  lexicon's, scored at once.
- Otherwise a scorable word with no context word among the three tokens before it gets only
  the capitals and idiom rules (the idiom rule only where an idiom's word pair can start); the
  others go through every rule in the reference's order (:meth:`ExactVader._rule_valence`).
- "but" rescales the valences with the reference's first-equal-value quirk in O(n log n)
  (:func:`but_check`), on the scorable positions only (zeros never interact with non-zero
  valences).
- The scores sum the non-zero valences in token order, which gives the reference's floats
  (adding its zeros changes no partial sum).

The engine itself is single-threaded; ``utils.sentiment.scoring.score_sentences`` spreads texts
over forked processes that inherit it.
"""

from __future__ import annotations

import heapq
import math
from itertools import compress

from vaderSentiment.vaderSentiment import (
    BOOSTER_DICT,
    C_INCR,
    N_SCALAR,
    NEGATE,
    SPECIAL_CASES,
    SentimentIntensityAnalyzer,
    SentiText,
)

#: Score columns, in the reference's order.
SCORE_COLUMNS = ("neg", "neu", "pos", "compound")

_NEGATE = frozenset(NEGATE)
_SO_THIS = ("so", "this")
_EMPTY = (0.0, 0.0, 0.0, 0.0)  # no token at all
_NEUTRAL = (0.0, 1.0, 0.0, 0.0)  # tokens, none of them with a valence
#: Preceding words that can change a valence through the negation, booster, "no", "never so",
#: "this" or "least" rules (words with "n't" are added as the engine meets them).
_CONTEXT_WORDS = frozenset(
    [w for w in BOOSTER_DICT if " " not in w] + NEGATE + ["no", "so", "this", "least"]
)
#: Word pairs that start a multi-word idiom or booster (``SPECIAL_CASES``, ``BOOSTER_DICT``),
#: and their first words: only they can make the idiom rule change a valence.
_IDIOM_PAIRS = frozenset(
    tuple(key.split()[:2]) for key in (*SPECIAL_CASES, *BOOSTER_DICT) if " " in key
)
_IDIOM_FIRST = frozenset(first for first, _ in _IDIOM_PAIRS)
#: One word of each pair, the rarer in news ("shit" of "the shit", "die" of "to die"...): no
#: idiom can match in a sentence without one.
_IDIOM_WORDS = frozenset(
    second if first in ("the", "to", "just", "bad") else first
    for first, second in _IDIOM_PAIRS
)
#: Distinct tokens remembered before the tables are emptied (about 250 bytes a token).
_TOKEN_CACHE_SIZE = 200_000


def _negated(word_lower: str) -> bool:
    # vaderSentiment.negated([w]) for one already lower-cased word (str.lower is idempotent)
    return word_lower in _NEGATE or "n't" in word_lower


def _cap_differential(tokens: list[str]) -> bool:
    # allcap_differential: some but not all words are ALL CAPS. Stripping punctuation (uncased)
    # never changes str.isupper, so the raw tokens give the same answer as the words.
    n_words = len(tokens)
    return 0 < n_words - sum(map(str.isupper, tokens)) < n_words


class ExactVader(SentimentIntensityAnalyzer):
    """vaderSentiment 3.3.2's analyzer with its per-word rules evaluated in linear time and only
    where they can change a valence (see the module docstring); scores identical to the
    reference's (tests compare them on the VADER paper's four data sets and on random text).
    """

    def __init__(self) -> None:
        super().__init__()
        self._emoji_chars = frozenset(key for key in self.emojis if len(key) == 1)
        # lexicon words that get a valence (boosters get 0 even when in the lexicon)
        self._scorable = frozenset(self.lexicon.keys() - BOOSTER_DICT.keys())
        if not all(self.lexicon[word] for word in self._scorable):
            raise ValueError("a lexicon valence of 0 would be taken for a word outside it")
        # Per distinct token (as split from the text), filled by _learn: its lower-cased word
        # and its valence (the lexicon's when scorable, else 0); the tokens whose word is a
        # context word (or "kind"), may be part of an idiom, or is "but"; and the tokens any
        # rule beyond the lexicon look-up may act on (those, and scorable words in capitals).
        self._lower: dict[str, str] = {}
        self._valence_of: dict[str, float] = {}
        self._context_tokens: set[str] = set()
        self._idiom_tokens: set[str] = set()
        self._but_tokens: set[str] = set()
        self._special_tokens: set[str] = set()
        self._cache_size = _TOKEN_CACHE_SIZE
        # bound once (the tables are emptied in place, never replaced)
        self._valence_get = self._valence_of.__getitem__
        self._special_in = self._special_tokens.intersection

    # -- public -------------------------------------------------------------------------------
    def polarity_scores(self, text: str) -> dict[str, float]:
        return dict(zip(SCORE_COLUMNS, self.score_tuple(text), strict=True))

    def score_tuple(self, text: str) -> tuple[float, float, float, float]:
        """``(neg, neu, pos, compound)`` of ``text``, equal to the reference's dict values."""
        if not text.isascii() and not self._emoji_chars.isdisjoint(text):
            text = self._replace_emojis(text)
        tokens = text.split()
        try:
            valences = list(map(self._valence_get, tokens))
        except KeyError:
            self._learn(tokens)
            valences = list(map(self._valence_get, tokens))
        values = list(filter(None, valences))
        if not values:
            return _NEUTRAL if tokens else _EMPTY
        special = self._special_in(tokens)
        if not special:
            # no rule can act: the valences are the lexicon's
            return _scores(values, len(tokens), text)
        hits = list(compress(range(len(tokens)), valences))
        return _scores(self._valences(tokens, hits, None, special), len(tokens), text)

    def token_valences(self, text: str) -> list[tuple[str, float]]:
        """``(lower-cased token, valence)`` for each token of ``text``, after every rule.

        These are the per-token values whose sum, normalised, is the compound score.
        """
        _clean, _tokens, lower, hits, values = self._analyse(text)
        valences = [0.0] * len(lower)
        for i, value in zip(hits, values, strict=True):
            valences[i] = float(value)
        return list(zip(lower, valences, strict=True))

    def score_and_valences(
        self, text: str
    ) -> tuple[tuple[float, float, float, float], list[tuple[str, float]]]:
        """``(score_tuple(text), valences)`` from one pass of the rules: the scores, and the
        ``(lower-cased token, valence)`` pairs of :meth:`token_valences` whose valence is not 0
        (the tokens that move the score), in token order."""
        clean, tokens, lower, hits, values = self._analyse(text)
        if not hits:
            return (_NEUTRAL if tokens else _EMPTY), []
        pairs = [(lower[i], float(value)) for i, value in zip(hits, values, strict=True) if value]
        return _scores(values, len(tokens), clean), pairs

    # -- internals ----------------------------------------------------------------------------
    def _analyse(self, text: str):
        """``(cleaned text, tokens, lower-cased words, scorable positions, their valences)``,
        every rule applied (no shortcut of :meth:`score_tuple`)."""
        if not text.isascii() and not self._emoji_chars.isdisjoint(text):
            text = self._replace_emojis(text)
        tokens = text.split()
        self._learn(tokens)
        lower = list(map(self._lower.__getitem__, tokens))
        hits = list(compress(range(len(tokens)), map(self._valence_of.__getitem__, tokens)))
        special = self._special_tokens.intersection(tokens)
        values = self._valences(tokens, hits, lower, special) if hits else []
        return text, tokens, lower, hits, values

    def _replace_emojis(self, text: str) -> str:
        # the reference's loop, with a list instead of repeated string concatenation
        emojis = self.emojis
        pieces = []
        prev_space = True
        for char in text:
            if char in emojis:
                if not prev_space:
                    pieces.append(" ")
                pieces.append(emojis[char])
                prev_space = False
            else:
                pieces.append(char)
                prev_space = char == " "
        return "".join(pieces)

    def _learn(self, tokens: list[str]) -> None:
        """Analyse the tokens not met before: their lower-cased words
        (``SentiText._strip_punc_if_word``, then ``str.lower``), valences and specialness."""
        cache = self._lower
        if len(cache) > self._cache_size:
            for table in (cache, self._valence_of, self._context_tokens, self._idiom_tokens,
                          self._but_tokens, self._special_tokens):
                table.clear()
        strip = SentiText._strip_punc_if_word
        for token in set(tokens).difference(cache):
            word = strip(token).lower()
            scorable = word in self._scorable
            special = scorable and token.isupper()
            if word in _CONTEXT_WORDS or word == "kind" or "n't" in word:
                self._context_tokens.add(token)
                special = True
            if word in _IDIOM_WORDS:
                self._idiom_tokens.add(token)
                special = True
            if word == "but":
                self._but_tokens.add(token)
                special = True
            if special:
                self._special_tokens.add(token)
            self._valence_of[token] = self.lexicon[word] if scorable else 0
            cache[token] = word

    def _valences(
        self, tokens: list[str], hits: list[int], lower: list[str] | None, special: set[str]
    ) -> list:
        """The valence of each scorable position in ``hits``, after every rule and "but";
        ``lower`` (the lower-cased words) is built here when a rule needs it; ``special``: the
        sentence's special tokens."""
        context = self._context_tokens
        valence_of = self._valence_of
        n_words = len(tokens)
        is_cap_diff = None  # computed when a capitalised word needs it
        near_context = not context.isdisjoint(special)
        near_idiom = not self._idiom_tokens.isdisjoint(special)
        values: list = []
        for i in hits:
            if near_context and (
                tokens[i] in context
                or (i > 0 and tokens[i - 1] in context)
                or (i > 1 and tokens[i - 2] in context)
                or (i > 2 and tokens[i - 3] in context)
            ):
                # "no", "kind (of)", or a negation, booster, "so", "this" or "least" nearby
                if lower is None:
                    lower = list(map(self._lower.__getitem__, tokens))
                if lower[i] == "kind" and i < n_words - 1 and lower[i + 1] == "of":
                    values.append(0)  # "kind of" is a dampener, its "kind" is neutral
                    continue
                if is_cap_diff is None:
                    is_cap_diff = _cap_differential(tokens)
                values.append(self._rule_valence(tokens, lower, i, is_cap_diff))
                continue
            # nothing nearby for the negation, booster, "no" and "least" rules to act on
            valence = valence_of[tokens[i]]
            if tokens[i].isupper():
                if is_cap_diff is None:
                    is_cap_diff = _cap_differential(tokens)
                if is_cap_diff:
                    if valence > 0:
                        valence += C_INCR
                    else:
                        valence -= C_INCR
            if near_idiom and i > 2:
                if lower is None:
                    lower = list(map(self._lower.__getitem__, tokens))
                if lower[i - 3] not in self.lexicon and _may_start_idiom(lower, i, n_words):
                    valence = _special_idioms_check(valence, lower, i)
            values.append(valence)
        if not self._but_tokens.isdisjoint(special):
            if lower is None:
                lower = list(map(self._lower.__getitem__, tokens))
            values = _but_rescale(hits, values, lower.index("but"))
        return values

    def _rule_valence(
        self, tokens: list[str], lower: list[str], i: int, is_cap_diff: bool
    ) -> float:
        """``sentiment_valence`` of the reference for the scorable word at ``i``, every rule in
        its order (``word.isupper()`` equals ``token.isupper()``: see :func:`_cap_differential`).
        """
        lexicon = self.lexicon
        item_lower = lower[i]
        valence = lexicon[item_lower]
        if item_lower == "no" and i != len(lower) - 1 and lower[i + 1] in lexicon:
            valence = 0.0
        if (
            (i > 0 and lower[i - 1] == "no")
            or (i > 1 and lower[i - 2] == "no")
            or (i > 2 and lower[i - 3] == "no" and lower[i - 1] in ["or", "nor"])
        ):
            valence = lexicon[item_lower] * N_SCALAR
        if tokens[i].isupper() and is_cap_diff:
            if valence > 0:
                valence += C_INCR
            else:
                valence -= C_INCR
        for start_i in range(0, 3):
            j = i - (start_i + 1)
            if i > start_i and lower[j] not in lexicon:
                # scalar_inc_dec, with the lower-cased word at hand
                s = 0.0
                if lower[j] in BOOSTER_DICT:
                    s = BOOSTER_DICT[lower[j]]
                    if valence < 0:
                        s *= -1
                    if tokens[j].isupper() and is_cap_diff:
                        if valence > 0:
                            s += C_INCR
                        else:
                            s -= C_INCR
                if start_i == 1 and s != 0:
                    s = s * 0.95
                if start_i == 2 and s != 0:
                    s = s * 0.9
                valence = valence + s
                valence = _negation_check(valence, lower, start_i, i)
                if start_i == 2 and _may_start_idiom(lower, i, len(lower)):
                    valence = _special_idioms_check(valence, lower, i)
        return _least_check(valence, lower, i, lexicon)


def _scores(values: list, n_words: int, text: str) -> tuple[float, float, float, float]:
    """``score_valence`` of the reference as a tuple (neg, neu, pos, compound), from the
    valences of the scorable positions (the other ``n_words - len(values)`` are zeros, which
    add nothing to the sums: the same floats come out)."""
    sum_s = float(sum(values))
    # _punctuation_emphasis: exclamation marks (up to 4) and question marks (2 or more)
    ep_count = text.count("!")
    if ep_count > 4:
        ep_count = 4
    qm_count = text.count("?")
    qm_amplifier = 0
    if qm_count > 1:
        qm_amplifier = qm_count * 0.18 if qm_count <= 3 else 0.96
    punct_emph_amplifier = ep_count * 0.292 + qm_amplifier
    if sum_s > 0:
        sum_s += punct_emph_amplifier
    elif sum_s < 0:
        sum_s -= punct_emph_amplifier
    # normalize(sum_s), inlined
    compound = sum_s / math.sqrt((sum_s * sum_s) + 15)
    if compound < -1.0:
        compound = -1.0
    elif compound > 1.0:
        compound = 1.0
    # _sift_sentiment_scores; a valence is a float or a small int (float(v) + 1 == v + 1)
    pos_sum = 0.0
    neg_sum = 0.0
    neu_count = n_words
    for score in values:
        if score > 0:
            pos_sum += score + 1
            neu_count -= 1
        elif score < 0:
            neg_sum += score - 1
            neu_count -= 1
    abs_neg = math.fabs(neg_sum)
    if pos_sum > abs_neg:
        pos_sum += punct_emph_amplifier
    elif pos_sum < abs_neg:
        neg_sum -= punct_emph_amplifier
    total = pos_sum + math.fabs(neg_sum) + neu_count
    return (
        _round3(math.fabs(neg_sum / total)),
        _round3(math.fabs(neu_count / total)),
        _round3(math.fabs(pos_sum / total)),
        _round4(compound),
    )


def _round3(x: float) -> float:
    """``round(x, 3)`` for ``-1 <= x <= 1``, bit for bit, without its decimal conversion.

    ``round`` rounds the exact binary value of ``x`` to 3 decimals (half to even) and returns
    the double nearest that decimal, which is what ``r / 1000`` gives for the integer ``r``
    (true division is correctly rounded); a zero keeps the sign of ``x``. ``x * 1000.0`` is off
    the exact product by less than 1e-12, so its fraction decides ``r`` unless it is within
    1e-9 of one half: then ``round`` itself decides.
    """
    return _round_places(x, 3, 1000)


def _round4(x: float) -> float:
    """``round(x, 4)`` for ``-1 <= x <= 1``, bit for bit, as :func:`_round3`."""
    return _round_places(x, 4, 10000)


def _round_places(x: float, places: int, scale: int) -> float:
    """``round(x, places)`` with ``scale = 10 ** places``, as :func:`_round3` explains."""
    y = x * scale
    f = math.floor(y)
    d = y - f
    if -1e-9 < d - 0.5 < 1e-9:
        return round(x, places)
    r = f + 1 if d > 0.5 else f
    return r / scale if r else math.copysign(0.0, x)


def _may_start_idiom(lower: list[str], i: int, n_words: int) -> bool:
    """Whether a word pair starting at ``i - 3`` .. ``i`` begins a multi-word idiom or booster:
    otherwise :func:`_special_idioms_check` leaves the valence unchanged (tokens hold no space,
    so ``"a b" == key`` only when the words are the key's words)."""
    for p in range(i - 3, i + 1):
        if (
            lower[p] in _IDIOM_FIRST
            and p + 1 < n_words
            and (lower[p], lower[p + 1]) in _IDIOM_PAIRS
        ):
            return True
    return False


def but_check(lower: list[str], sentiments: list) -> list:
    """vaderSentiment's ``_but_check`` in O(n log n) instead of O(n²), with the same result."""
    if "but" not in lower:
        return sentiments
    return _but_rescale(range(len(sentiments)), sentiments, lower.index("but"))


def _but_rescale(positions, values: list, but_index: int) -> list:
    """The reference's "but" rule on the valences ``values`` at token ``positions`` (ascending).

    The reference visits the valences in order and, for each value ``v``, rescales the *first*
    position holding a value equal to ``v`` (``list.index``): by 0.5 before the first "but", by
    1.5 after it. Here the first position of each value comes from a heap of positions per value
    (equal numbers share a dict key, as they compare equal for ``list.index``). Positions left
    out must hold zeros: a zero only ever rescales a zero, so they change nothing else.
    """
    values = list(values)
    firsts: dict = {}
    for k, value in enumerate(values):
        firsts.setdefault(value, []).append(k)  # ascending: already a heap
    for k in range(len(values)):
        value = values[k]
        heap = firsts[value]
        first = heap[0]
        position = positions[first]
        if position < but_index:
            new_value = value * 0.5
        elif position > but_index:
            new_value = value * 1.5
        else:
            continue
        heapq.heappop(heap)
        if not heap:
            del firsts[value]
        heapq.heappush(firsts.setdefault(new_value, []), first)
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
