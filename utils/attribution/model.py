"""The learned attribution extractor: learned cue detection, the rules' source and content.

The design follows BBC's Citron (a learned cue classifier, then sources and contents for each
cue), with the project's rules as the source and content finders:

1. **Cues**: every token of the article gets a tag (``O``, ``B-``/``I-`` of source, cue,
   content) from a logistic regression over the hashed features of
   :mod:`utils.attribution.features`, which include the rules' own decisions (without such
   features a CRF reaches 0.29 exact content F1 on PolNeAR test, CofeNet's Table 6). At run
   time the model is only a weight table (numpy): a token's scores are the sum of the rows of
   its feature buckets.
2. **Sources and contents**: each cue the tagger finds that the rules did not use ("hopes",
   "expressed", "endorsed", "is expected", a headline colon) is handed to the rules' cue
   handler (:func:`utils.attribution.rules._at_cue`), which finds its source (the noun phrase
   before it, or after it when inverted) and its content (the quote or clause next to it)
   exactly as for a cue of the lexicon; when the handler turns it down, a plain reading
   (:func:`_fallback_at_cue`: the noun phrase before, the clause after) is used instead; the
   rules' clean-up then runs over all of them. A cue of appearance or expectation ("seems",
   "is expected") is read as PolNeAR reads it, without a source and with the whole clause as
   the content (:func:`_raising_at_cue`); a cue of adverbs only ("also") starts at the verb
   after them.
3. **The source test**: an attribution, the rules' or a learned cue's, is kept only when the
   tagger gives its source tokens a mean source probability of at least ``source_threshold``:
   the rules' source finder sometimes takes a stray phrase ("Despite", "Significantly"), and
   those attributions are the ones with a wrong speaker.

Measured on a held-out fifth of PolNeAR train (never on dev), the two other ways to use the
tagger did not pay: spans read off the tags (runs of one tag, linked to the
nearest cue) fragment long contents (three predicted runs per gold content; exact content F1
0.28-0.30, end-to-end F1 0.42-0.48), and adding such spans to the rules' attributions gained at
most 0.01 end-to-end F1. Feeding the learned cues to the rules gained 0.03-0.04 (normal and
comma-free text), so that is the extractor. On the same fifth the fallback and the source test
together added 0.010 (normal) and 0.018 (comma-free) end-to-end F1 and raised speaker accuracy
from 0.923 to 0.937 (comma-free 0.889 to 0.928); the fallback alone gained 0.003-0.007 at a
cost of about 0.02 in speaker accuracy; a source test at 0.1 instead of 0.05 gave higher
speaker accuracy (0.944) and 0.001-0.004 less end-to-end F1. Lowering the cue threshold
(0.2, 0.12) or dropping the cue-word filter changed end-to-end F1 by less than 0.003.

With the span conventions of :mod:`utils.attribution.boundaries` and the rules' changes that
came with them (nested attributions, clause ends) the tagger was retrained and the same
settings chosen (held-out fifth end-to-end F1 0.571 normal, 0.499 comma-free, from 0.565 and
0.497); reading appearance and expectation cues ("seems", "is expected") by their words as
well as from the tagger gained 0.0003 (normal) and lost 0.0004 (comma-free) with 0.001 less
speaker accuracy, so only the tagger's are read.

With the later reading rules of :mod:`utils.attribution.rules` (participles that continue an
attribution, a colon before a quote paragraph, quantities, short quoted titles) the tagger was
retrained and the same settings chosen again (held-out fifth 0.576 normal, 0.502 comma-free);
with the third round (infinitive intentions, -ing cues, "referring to" and "citing", speakers
after "with", comma-free inverted speakers, and the source clean-ups listed in the README)
again (0.586 normal, 0.512 comma-free); with the fourth (clauses ended by a colon before a
quote, quote marks typed the wrong way round, and the others listed in the README) again
(0.589 normal, 0.515 comma-free); with the round for text without commas (photo credits,
hyphenated compounds, "said the Observatory") again (0.589 normal, 0.514 comma-free). The
search now takes the best end-to-end F1 among the settings whose speaker accuracy reaches 0.95
(:func:`utils.attribution.training.best_trial`), which chose the source test at 0.1: speaker
accuracy 0.946 -> 0.951 (comma-free 0.934 -> 0.939), end-to-end F1 0.589 -> 0.586
(comma-free 0.514 -> 0.510). Ending a content inside an opening subordinate clause at its comma
(:func:`utils.attribution.boundaries.subordinate_end`) changes reported spans only; the search,
run again, chose the same settings and weights (0.588 normal, speaker accuracy 0.952). With
the cue prepositions ("talked about [X]"), the role phrases of sources and the verbs of
speaking listed in the README it was retrained and chose the same settings (0.590 normal,
0.512 comma-free, speaker accuracy 0.951); with the round of reading rules for sources,
questions and text without commas again (0.598 normal, 0.532 comma-free, speaker accuracy
0.953); with the further round (inverted speakers after a clause, appeals, datelines,
possessive sources, groups in text without commas) again (0.600 normal, 0.535 comma-free,
speaker accuracy 0.954); with no-break spaces read as spaces and participle openings skipped
again (0.601 normal, 0.536 comma-free, speaker accuracy 0.952).

A learned corrector of content ends was tried and not kept: a conditional logit (L-BFGS, L2)
over each content's candidate ends (clause marks, conjunctions, closing quotes, sentence ends
up to the next sentence; the rules' end among them), about 23 hashed features each (the mark,
the words after and before it, the step from the rules' end, inside a quote, the cue word),
fitted on the extractor's own contents, moving an end when the best candidate beat the rules'
by a margin of 1. On the held-out fifth it raised exact content F1 from 0.489 to 0.493
(comma-free 0.412 to 0.415) with end-to-end F1 0.571 -> 0.570 (comma-free 0.499 -> 0.501);
of the contents whose start was right and whose gold end was a candidate the rules already
had 992 of 1,135 and the corrector 1,004. Without the margin it cut more than it fixed
(end-to-end -0.005); a binary logistic regression over the same candidates lost 0.03 exact
content F1. On dev it gave 0.619 end-to-end (direct 0.808, content 0.526) against 0.617
(0.801, 0.522) but cost a quarter to a third of the learned extractor's speed (the features
are built in Python for every candidate), with no target newly met.

Only the tokens that could start a learned cue (a cue word, or function words before one;
about one token in ten) and the tokens after them are tagged (:func:`cue_tags`), with the
features hashed for those rows alone (:class:`~utils.attribution.features.FeatureTable`): the
same cues as tagging every token, for a fraction of the work.

The weights ship as ``model/attribution_tagger.npz``; its sha256 and the training settings are
in ``model/attribution_tagger.json`` (the model card). :func:`read_model` checks the sha256 and
names ``scripts/train_attribution.py`` when the file is missing or does not match.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import itertools
import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from utils.attribution.boundaries import CUE_LEAD_WORDS
from utils.attribution.document import _Attribution, _Doc
from utils.attribution.features import (
    TAGS,
    TEMPLATES,
    FeatureTable,
    Tokens,
    cue_word_marks,
    feature_buckets,
    rule_labels,
    word_hash,
)
from utils.attribution.lexicons import LEARNED_CUE_SKIP
from utils.attribution.rules import CueMatch, _at_cue, finalised
from utils.attribution.spans import _clause_content, _left_source, _strip_aux

MODEL_DIR = Path(__file__).resolve().parent / "model"
MODEL_FILE = MODEL_DIR / "attribution_tagger.npz"
CARD_FILE = MODEL_DIR / "attribution_tagger.json"
TRAIN_SCRIPT = "scripts/train_attribution.py"

#: Settings used when a model card does not give them: the ``B-CUE`` probability from which
#: a token starts a cue for the rules (a token tagged ``B-CUE`` always does), and whether a
#: learned cue must start with one of the model's cue words (words inside at least 3 training
#: cues and 10% of their occurrences). On the held-out fifth of train that filter cost 0.003
#: end-to-end F1 and raised precision by 0.013; it is on because it keeps the tagger from
#: taking verbs of other topics ("Markets rose sharply") for cues on text unlike PolNeAR.
#: ``fallback``: a learned cue the rules' handler turns down still gets the plain reading of
#: :func:`_fallback_at_cue`; ``source_threshold``: an attribution (the rules' or a learned
#: cue's) is kept only when its source has at least this mean source probability from the
#: tagger (0: no test). Both are off for a model
#: card that does not give them (models trained before they existed).
DEFAULT_SETTINGS = {
    "cue_threshold": 0.5, "known_cue_words": 1, "fallback": 0, "source_threshold": 0.0,
}  # fmt: skip


class ModelFileError(RuntimeError):
    """The model file is missing, or its sha256 is not the one of its model card."""


@dataclass(frozen=True)
class TaggerModel:
    """Weights ``(buckets, labels)``, sorted cue-word hashes and the linking settings."""

    weights: np.ndarray
    cue_words: np.ndarray
    settings: dict


def file_sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def read_model(model_file: Path, card_file: Path) -> TaggerModel:
    """The model in ``model_file``, checked against the sha256 of ``card_file``."""
    rebuild = f"rebuild it with `python {TRAIN_SCRIPT}` (needs ../shared/corpora)"
    if not Path(model_file).exists() or not Path(card_file).exists():
        raise ModelFileError(
            f"attribution model file {Path(model_file).name} or its card {Path(card_file).name} "
            f"is missing: {rebuild}, or use method='rules'"
        )
    card = json.loads(Path(card_file).read_text())
    digest = file_sha256(model_file)
    if digest != card.get("sha256"):
        raise ModelFileError(
            f"attribution model file {Path(model_file).name} does not match the sha256 of its "
            f"card (found {digest[:12]}..., expected {str(card.get('sha256'))[:12]}...): "
            f"{rebuild}, or use method='rules'"
        )
    with np.load(model_file) as data:
        weights = data["weights"].astype(np.float32)
        cue_words = data["cue_words"].astype(np.uint64)
    if weights.shape[1] != len(TAGS) or list(card.get("templates", TEMPLATES)) != list(TEMPLATES):
        raise ModelFileError(
            f"attribution model file {Path(model_file).name} was built for other features: "
            f"{rebuild}"
        )
    settings = {**DEFAULT_SETTINGS, **card.get("settings", {})}
    return TaggerModel(weights=weights, cue_words=cue_words, settings=settings)


@functools.cache
def load_model() -> TaggerModel:
    """The shipped model (read once per process)."""
    return read_model(MODEL_FILE, CARD_FILE)


def scores(model: TaggerModel, buckets: np.ndarray) -> np.ndarray:
    """``(tokens, labels)`` scores: the sum of the weight rows of each token's buckets."""
    if not len(buckets):
        return np.zeros((0, model.weights.shape[1]), dtype=np.float32)
    return np.take(model.weights, buckets, axis=0).sum(axis=1)


def tag(doc: _Doc, tokens: Tokens, rule_atts: list[_Attribution], model: TaggerModel):
    """``(tags, probabilities)``: the tag (:data:`~utils.attribution.features.TAGS`) of every
    token and the ``(tokens, tags)`` probabilities (softmax of the scores)."""
    buckets = feature_buckets(tokens, rule_labels(tokens, rule_atts), model.cue_words)
    return _softmax_tags(scores(model, buckets))


def _softmax_tags(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    values = np.exp(values - values.max(axis=1, keepdims=True))
    values /= values.sum(axis=1, keepdims=True)
    return values.argmax(axis=1), values


#: Word hashes of :data:`~utils.attribution.lexicons.LEARNED_CUE_SKIP`, sorted.
_SKIP_HASHES = np.unique(np.asarray([word_hash(w) for w in LEARNED_CUE_SKIP], dtype=np.uint64))


def _could_start_cue(tokens: Tokens, is_cue_word: np.ndarray) -> np.ndarray:
    """Whether a learned cue could begin at each token when cues must start with a cue word:
    the first token at or after it that is not a skipped function word
    (:data:`~utils.attribution.lexicons.LEARNED_CUE_SKIP`, matched by hash, so a superset) is
    a cue word. Only these tokens need the tagger (about one in ten)."""
    n = len(tokens)
    skip = cue_word_marks(tokens.words, _SKIP_HASHES)
    index = np.arange(n)
    # the first non-skipped token at or after each token (n when none)
    nxt = np.where(skip, n, index)
    nxt = np.minimum.accumulate(nxt[::-1])[::-1]
    padded = np.r_[is_cue_word, False]
    return padded[nxt]


def cue_tags(
    tokens: Tokens, rule_atts: list[_Attribution], model: TaggerModel
) -> tuple[np.ndarray, np.ndarray, FeatureTable]:
    """``(begins, tags, table)``: the tokens where a learned cue begins (tagged ``B-CUE`` or
    with a ``B-CUE`` probability of at least the model's threshold), the tags of the tokens the
    cues need (``-1`` for tokens never tagged) and the text's :class:`FeatureTable`.

    The same cues as tagging every token (:func:`tag`), for a fraction of the work: with the
    known-cue-word setting only tokens that :func:`_could_start_cue` are tagged, then the
    tokens after each begin, a step at a time, for as long as they are ``I-CUE``."""
    n = len(tokens)
    is_cue_word = cue_word_marks(tokens.words, model.cue_words)
    table = FeatureTable(tokens, rule_labels(tokens, rule_atts), model.cue_words, is_cue_word)
    threshold = model.settings["cue_threshold"]
    tags = np.full(n, -1, dtype=np.int64)

    def tag_rows(rows: np.ndarray) -> np.ndarray:
        found, probs = _softmax_tags(scores(model, table.buckets(rows)))
        tags[rows] = found
        return probs

    if model.settings["known_cue_words"]:
        starts = np.flatnonzero(_could_start_cue(tokens, is_cue_word))
    else:
        starts = np.arange(n)
    if not len(starts):
        return starts, tags, table
    # the token after each possible start too: most cues are one or two tokens, so one call
    # usually tags all that is needed
    rows = np.union1d(starts, starts[starts + 1 < n] + 1)
    probs = tag_rows(rows)
    is_start = np.isin(rows, starts)
    begins = rows[is_start & ((tags[rows] == 3) | (probs[:, 3] >= threshold))]
    frontier = begins + 1
    while len(frontier):
        frontier = frontier[frontier < n]
        todo = np.unique(frontier[tags[frontier] < 0])
        if len(todo):
            tag_rows(todo)
        frontier = frontier[tags[frontier] == 4] + 1
    return begins, tags, table


def learned_cues(
    doc: _Doc,
    tokens: Tokens,
    begins: np.ndarray,
    tags: np.ndarray,
    rule_atts: list[_Attribution],
    model_cue_words: np.ndarray | None = None,
) -> list[CueMatch]:
    """The tagger's cues that the rules did not use, as cue matches for the rules, in text
    order: from each token of ``begins`` (see :func:`cue_tags`) over the ``I-CUE`` tokens
    after it; with ``model_cue_words`` (sorted word hashes), only cues whose first word is one
    of them."""
    if not len(begins):
        return []
    taken = sorted(att.cue for att in rule_atts)
    taken_starts = [s for s, _ in taken]
    # the furthest end among the first i cues, so overlap is one bisection
    reach = list(itertools.accumulate((e for _, e in taken), max))
    text = doc.norm
    out = []
    n = len(tags)
    for a in begins.tolist():
        b = a + 1
        while b < n and tags[b] == 4:
            b += 1
        # leading auxiliaries and function words are left to the rules ("was said" -> "said",
        # so a passive stays a passive); a cue of such words only is dropped
        while a < b and text[tokens.starts[a] : tokens.ends[a]].lower() in LEARNED_CUE_SKIP:
            a += 1
        # nor does a cue end with a determiner ("said this [week]"): it opens the content
        while b > a + 1 and text[tokens.starts[b - 1] : tokens.ends[b - 1]].lower() in (
                _CUE_END_SKIP):  # fmt: skip
            b -= 1
        if a == b:
            continue
        if all(_lead_word(text[tokens.starts[i] : tokens.ends[i]]) for i in range(a, b)):
            # adverbs only ("also", "reportedly"): the cue is the verb after them (the reported
            # cue takes the adverbs back, utils.attribution.boundaries)
            a = b
            while a < n and _lead_word(text[tokens.starts[a] : tokens.ends[a]]):
                a += 1
            b = a + 1
            if b > n or not text[tokens.starts[a] : tokens.ends[a]].isalpha():
                continue
        start, stop = int(tokens.starts[a]), int(tokens.ends[b - 1])
        if not text[start].isalpha() or _in_contraction(text, start, stop):
            continue
        if model_cue_words is not None and not _known(model_cue_words, tokens.words[a]):
            continue  # a cue starts with a word seen in the training cues
        i = bisect.bisect_left(taken_starts, stop)
        if i and reach[i - 1] > start:
            continue  # overlaps a cue of the rules
        out.append(CueMatch(start, stop, text[start:stop].lower()))
    return out


#: Words a learned cue does not end with: they open what follows it.
_CUE_END_SKIP = frozenset("this that these those the a an his her their its last next".split())


def _in_contraction(text: str, start: int, stop: int) -> bool:
    """Whether ``text[start:stop]`` begins or ends inside a contraction ("didn'" of "didn't",
    "t" or "s" after an apostrophe): not a cue of its own."""
    ends_inside = text[stop - 1] == "'" and text[stop : stop + 1].isalpha()
    starts_inside = start >= 2 and text[start - 1] == "'" and text[start - 2].isalpha()
    return ends_inside or starts_inside


def _lead_word(word: str) -> bool:
    """Whether ``word`` is an auxiliary or adverb that leads a cue ("also", "has")."""
    low = word.lower()
    return word.islower() and (low in CUE_LEAD_WORDS or low in LEARNED_CUE_SKIP or (
        low.endswith("ly") and len(low) > 4))  # fmt: skip


def _known(sorted_hashes: np.ndarray, value) -> bool:
    i = int(np.searchsorted(sorted_hashes, value))
    return i < len(sorted_hashes) and sorted_hashes[i] == value


def _fallback_at_cue(doc: _Doc, cue: CueMatch) -> _Attribution | None:
    """For a learned cue the rules' handler turned down: the noun phrase before it as the
    source (required) and the clause after it to the end of its sentence as the content (at
    least :data:`FALLBACK_MIN_WORDS` words). The handler is strict because a lexicon verb alone
    is weak evidence ("claimed 250,000 lives"); a cue the tagger found is stronger, so a plain
    "source cue clause" reading is kept (then checked by the source test of
    :func:`learned_attributions`)."""
    cue_start, cue_end = cue.span()
    if doc.quote_at(cue_start) or doc.norm[cue_start - 1 : cue_start] == "-":
        return None  # in a quote, or the end of a compound ("so-called", "US-backed")
    sent_start, sent_end = doc.sentence_of(cue_start)
    if sent_end <= cue_start:
        return None
    lo = max(sent_start, doc.last_quote_end_before(cue_start), doc.paragraph_of(cue_start)[0])
    src_end, passive, negated = _strip_aux(doc.norm, lo, cue_start)
    if negated or passive or src_end <= lo:
        return None  # a passive's source is not before it ("Nothing was said here")
    owner = _POSSESSIVE_BEFORE.search(doc.norm, lo, src_end)
    # a noun cue after a possessive ("renewed [his] push for ..."): the possessive is the
    # source, the speakers resolve it
    source = owner.span(1) if owner else _left_source(doc, lo, src_end)
    if source is None:
        return None
    content = _clause_content(doc, cue_end, sent_end)
    if content is None:
        return None
    words = doc.norm[content[0] : content[1]].split()
    if len(words) < FALLBACK_MIN_WORDS or words[0].lower() in _NOT_A_CLAUSE_START:
        return None  # "News reports of the crash spread": a noun, not a reporting verb
    return _Attribution(cue=(cue_start, cue_end), source=source, pieces=[content])


#: A possessive determiner right before a cue.
_POSSESSIVE_BEFORE = re.compile(r"(?<![\w'])(his|her|their|its|our|my)\s*$", re.IGNORECASE)

#: Words that start a prepositional phrase or a list, not a reported clause.
_NOT_A_CLAUSE_START = frozenset("of in on at for with from by into over and or".split())

#: Words a fallback content needs (2 and 4 gave the same figures on the held-out fifth).
FALLBACK_MIN_WORDS = 3


#: Verbs of appearance and expectation ("X seems to ...", "X is expected to ..."): PolNeAR
#: gives them no source, and their content is the whole clause, subject and verb included (in
#: PolNeAR train about 190 times, the other way about 25).
RAISING_VERBS = frozenset("seem seems seemed appear appears appeared".split())
RAISING_PASSIVES = frozenset("expected".split())


def _raising_at_cue(doc: _Doc, cue: CueMatch) -> _Attribution | None:
    """For a learned cue of :data:`RAISING_VERBS` (or a passive of
    :data:`RAISING_PASSIVES`), the attribution with no source whose content runs from the
    subject before the cue to the end of the reported clause; ``None`` for other cues."""
    words = cue.verb.split()
    if not words or words[0] not in RAISING_VERBS | RAISING_PASSIVES:
        return None
    cue_start, cue_end = cue.span()
    if doc.quote_at(cue_start):
        return None
    sent_start, sent_end = doc.sentence_of(cue_start)
    lo = max(sent_start, doc.last_quote_end_before(cue_start), doc.paragraph_of(cue_start)[0])
    src_end, passive, negated = _strip_aux(doc.norm, lo, cue_start)
    if words[0] in RAISING_PASSIVES and not passive:
        return None  # "most insiders expected ...": a source of its own
    if src_end <= lo:
        return None
    subject = _left_source(doc, lo, src_end)
    after = _clause_content(doc, cue_end, sent_end)
    if subject is None or after is None:
        return None
    if doc.norm[subject[0] : subject[1]].lower() in ("it", "there"):
        return _Attribution(cue=(cue_start, cue_end), source=None, pieces=[after], passive=True)
    return _Attribution(cue=(cue_start, cue_end), source=None, pieces=[(subject[0], after[1])],
                        passive=True, extra={"cue_in_content": True})  # fmt: skip


def _at_learned_cues(doc: _Doc, cues: list[CueMatch], fallback: bool) -> list[_Attribution]:
    """The rules' attribution at each learned cue (:func:`~utils.attribution.rules._at_cue`),
    else, with ``fallback``, :func:`_fallback_at_cue`'s."""
    found: list[_Attribution] = []
    for cue in cues:
        att = _raising_at_cue(doc, cue)
        if att is not None:
            found.append(att)
            continue
        att = _at_cue(doc, cue, found)
        if att is None and fallback:
            att = _fallback_at_cue(doc, cue)
        if att is not None:
            found.append(att)
    return found


def _source_verdicts(
    tokens: Tokens, table: FeatureTable, model: TaggerModel, sources: list[tuple[int, int]]
) -> dict[tuple[int, int], bool]:
    """For each source span, whether the tagger's mean source probability (``B-`` plus
    ``I-SOURCE``) over its tokens reaches the model's ``source_threshold`` (a span holding no
    whole token passes), all spans tagged in one call. The rules' source finder sometimes
    takes a stray phrase ("Despite", "Significantly", "With former New York City Mayor ..."),
    most often at a cue the rules did not choose: those are the attributions whose speaker is
    wrong, and the tagger, which reads the words around the phrase, rarely calls them sources."""
    spans = sorted(set(sources))
    if not spans:
        return {}
    bounds = np.asarray(spans, dtype=np.int64)
    lo = np.searchsorted(tokens.starts, bounds[:, 0], side="left")
    hi = np.searchsorted(tokens.ends, bounds[:, 1], side="right")
    sizes = np.maximum(hi - lo, 0)
    verdicts = {span: True for span, size in zip(spans, sizes.tolist(), strict=True) if not size}
    tagged = np.flatnonzero(sizes)
    if len(tagged):
        rows = np.concatenate([np.arange(lo[i], hi[i]) for i in tagged.tolist()])
        _, probs = _softmax_tags(scores(model, table.buckets(rows)))
        offsets = np.r_[0, np.cumsum(sizes[tagged])[:-1]]
        means = np.add.reduceat(probs[:, 1] + probs[:, 2], offsets) / sizes[tagged]
        threshold = model.settings["source_threshold"]
        for i, mean in zip(tagged.tolist(), means.tolist(), strict=True):
            verdicts[spans[i]] = mean >= threshold
    return verdicts


def learned_attributions(
    doc: _Doc, candidates: list[_Attribution], model: TaggerModel | None = None
) -> list[_Attribution]:
    """The attributions of the learned extractor for a prepared text; ``candidates``: the
    rules' (:func:`~utils.attribution.rules.rule_candidates`)."""
    model = model or load_model()
    rule_atts = finalised(doc, candidates)
    tokens = Tokens(doc)
    if not len(tokens):
        return rule_atts
    settings = model.settings
    begins, tags, table = cue_tags(tokens, rule_atts, model)
    known = model.cue_words if settings["known_cue_words"] else None
    cues = learned_cues(doc, tokens, begins, tags, rule_atts, known)
    found = _at_learned_cues(doc, cues, bool(settings["fallback"])) if cues else []
    if settings["source_threshold"] <= 0:
        return finalised(doc, candidates + found) if found else rule_atts
    sources = [att.source for att in rule_atts + found if att.source is not None]
    verdicts = _source_verdicts(tokens, table, model, sources)

    def plausible(att: _Attribution) -> bool:
        if att.source is None:
            return True
        if att.source not in verdicts:  # never seen: a candidate the first clean-up dropped
            verdicts.update(_source_verdicts(tokens, table, model, [att.source]))
        return verdicts[att.source]

    # the learned ones before the clean-up (a dropped one then trims no other content), then
    # every attribution
    found = [att for att in found if plausible(att)]
    atts = finalised(doc, candidates + found) if found else rule_atts
    return [att for att in atts if plausible(att)]
