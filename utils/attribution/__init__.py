"""Source attribution: who is quoted or cited, saying what, with character offsets.

:func:`extract_attributions` finds attributions in one article and returns one row per
attribution with ``content``, ``cue`` and ``source`` spans (offsets into the text exactly as
given), the ``speaker`` resolved to a name where possible, a ``source_type`` and a ``kind``
(direct, mixed, indirect, according-to). Two extractors: ``method="learned"`` (the default,
:mod:`utils.attribution.model`: a token tagger trained on PolNeAR train finds the cues the rules'
lexicon misses, and the rules find their sources and contents) and ``method="rules"`` (the
rules alone, described below). :func:`quote_spans` returns the quoted stretches of a text.
The corpus-level functions (:func:`corpus_attributions`, :func:`most_cited_sources`,
:func:`source_type_shares`, :func:`quotes_per_1000_words`, :func:`sourcing_by_group`,
:func:`cocitation_edges`) take the frame returned by :func:`utils.corpus.load_corpus`.

Why it is written here rather than taken from a library
-------------------------------------------------------
The public tools for quotation extraction are either built on a dependency parser (spaCy-based
extractors such as the GenderGapTracker's or textacy's ``direct_quotations``) or are research
code for one corpus. spaCy is not a project dependency, a parser runs at about 33,000
characters/s (ten times below the project's target) and, measured with the project's scoring on
PolNeAR dev, those tools reach an end-to-end F1 of 0.17-0.40. Attribution in news
prose is highly conventional, so a careful rule-based extractor does better and faster:

1. **Quotes** (:func:`quote_spans`): straight, typographic and doubled-apostrophe (``''``)
   double quotes are paired paragraph by paragraph; a quote left open at the end of a paragraph
   continues when the next paragraph opens with a quote mark (the news convention), otherwise it
   ends with its paragraph, so an unbalanced mark costs at most that paragraph.
2. **Cues**: a lexicon of reporting verbs (said, told, added, wrote, tweeted, argued, warned,
   insisted, ...), "according to" and "was quoted as saying", matched outside quotes.
3. **Sources**: the noun phrase before the cue (after auxiliaries and adverbs: "has also
   said"), with appositions ("Sir Tony Brenton, the former British ambassador, says") reduced to
   the name; after the cue for inverted order ("said Smith") and "according to X"; the subject of
   the sentence for participles (", saying ..."); none for passives ("it was reported").
   The spans reported follow the annotation conventions of PolNeAR
   (:mod:`~utils.attribution.boundaries`): a cue with its auxiliaries and adverbs ("has also
   said"), a source with its apposition ("Jane Smith, a senator from Ohio"); the speaker is
   still read from the name.
4. **Contents**: the quote right before the source and cue (``"...," he said``), or the quote or
   clause right after the cue ("said that ...", ``said, "..."``, "vowed to ...", "asked
   whether ..."), or the clause before a final ", he said.", or both sides of a cue set off by
   commas ("The industry, she said, is doing better"); a quote split around the cue (``"A," he
   added, "B."``) and the following quote-only sentences of the paragraph are joined to the same
   attribution (``content_spans`` lists the pieces; ``content_start``/``content_end`` cover them
   all). Reported clauses end before an afterthought (", which ...", "; ...").
5. **Speakers**: person names are folded (titles such as President, Sir, Sen., Dr. and words
   before them dropped, a bare surname mapped to the full name seen in the article);
   organization short forms map to the full name seen earlier ("the Observatory"); pronouns
   and descriptions ("the senator") resolve to the nearest earlier compatible named source.
   :func:`canonical_speakers` then merges names across articles.
6. **Source types** (:func:`classify_source`): from the head noun of the source and whether it
   holds a proper name ("a Kremlin transcript" -> document, "officials" -> anonymous).

Quality (``scripts/evaluate_attribution.py``, the scoring of :mod:`utils.attribution.evaluation`):
on PolNeAR dev, the rules reach end-to-end F1 about 0.59 (direct quotes about 0.81), speaker
accuracy about 0.95; the rules were developed on PolNeAR train only. The figures of the learned
extractor are in the README. Speed: ``benchmarks/attribution.py``.

Limits: English only (other scripts give an empty or quote-only result, never an error);
beliefs and evaluations expressed without a reporting verb ("his reluctance to ...") are not
found; the speaker of a pronoun is the nearest earlier named *source*, not any earlier name.

Sentences come from :func:`utils.text.sentence_spans` (NLTK Punkt with the project's
abbreviations; a "sentence" longer than :data:`MAX_SENTENCE_CHARS` is cut into pieces);
everything else is regular expressions over the quote-normalised text (the mapping of
:data:`utils.text.TYPOGRAPHIC_TO_ASCII`, one character for one, so offsets hold). The time
grows linearly with the length of an article, whatever its shape (one paragraph, one sentence,
an unclosed quotation mark): ``benchmarks/long_articles.py`` measures it.


Modules, imports flowing one way (each reads only modules above it, except that
``evaluation`` and ``training`` read the whole package):

- :mod:`~utils.attribution.lexicons`: word lists and regular expressions;
- :mod:`~utils.attribution.quotes`: quote normalisation and pairing;
- :mod:`~utils.attribution.document`: one text's sentences, paragraphs and quotes;
- :mod:`~utils.attribution.source_types`: names folded, :func:`classify_source`;
- :mod:`~utils.attribution.spans`: span finders (source, subject, reported clause);
- :mod:`~utils.attribution.colons`: attributions a colon marks (headlines, transcripts,
  'X gloated: "..."');
- :mod:`~utils.attribution.comma_free`: readings for text without commas (FA-KES);
- :mod:`~utils.attribution.phrase_cues`: "according to", "as reported by", "asked", polls;
- :mod:`~utils.attribution.rules`: the rule-based detector;
- :mod:`~utils.attribution.speakers`: speaker resolution and the kind of an attribution;
- :mod:`~utils.attribution.boundaries`: the reported spans of cues and sources;
- :mod:`~utils.attribution.features`: hashed token features of the learned tagger;
- :mod:`~utils.attribution.model`: the learned extractor (the shipped model, its checks);
- :mod:`~utils.attribution.frames`: :func:`attribution_rows`, :func:`extract_attributions`;
- :mod:`~utils.attribution.corpus_tables`: corpus-level tables and canonical speakers;
- :mod:`~utils.attribution.evaluation`: the PolNeAR scoring;
- :mod:`~utils.attribution.training`: training the tagger (scikit-learn; not imported here);
- :mod:`~utils.attribution.plots`: plots of the corpus tables (imports matplotlib; not
  imported here).
"""

from utils.attribution.corpus_tables import (
    DOMINANT_NAME_SHARE,
    NAMED_TYPES,
    canonical_speaker_mapping,
    canonical_speakers,
    cocitation_edges,
    corpus_attributions,
    most_cited_sources,
    quotes_per_1000_words,
    source_type_shares,
    sourcing_by_group,
)
from utils.attribution.frames import (
    COLUMNS,
    attribution_frame,
    attribution_rows,
    extract_attributions,
)
from utils.attribution.lexicons import (
    CUE_VERBS,
    KINDS,
    MAX_SENTENCE_CHARS,
    SOURCE_TYPES,
    TITLE_WORDS,
)
from utils.attribution.quotes import quote_spans
from utils.attribution.source_types import classify_source, fold_name

__all__ = [
    "COLUMNS",
    "CUE_VERBS",
    "DOMINANT_NAME_SHARE",
    "KINDS",
    "MAX_SENTENCE_CHARS",
    "NAMED_TYPES",
    "SOURCE_TYPES",
    "TITLE_WORDS",
    "attribution_frame",
    "attribution_rows",
    "canonical_speaker_mapping",
    "canonical_speakers",
    "classify_source",
    "cocitation_edges",
    "corpus_attributions",
    "extract_attributions",
    "fold_name",
    "most_cited_sources",
    "quote_spans",
    "quotes_per_1000_words",
    "source_type_shares",
    "sourcing_by_group",
]
