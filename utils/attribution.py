"""Source attribution: who is quoted or cited, saying what, with character offsets.

:func:`extract_attributions` finds attributions in one article and returns one row per
attribution with ``content``, ``cue`` and ``source`` spans (offsets into the text exactly as
given), the ``speaker`` resolved to a name where possible, a ``source_type`` and a ``kind``
(direct, mixed, indirect, according-to). :func:`quote_spans` returns the quoted stretches of a
text. The corpus-level functions (:func:`corpus_attributions`, :func:`most_cited_sources`,
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

Quality (``scripts/evaluate_attribution.py``, the scoring of :mod:`utils.attribution_eval`):
on PolNeAR dev, end-to-end F1 about 0.56 (direct quotes about 0.78), speaker accuracy about
0.95; the rules were developed on PolNeAR train only. Speed: ``benchmarks/attribution.py``.

Limits: English only (other scripts give an empty or quote-only result, never an error);
beliefs and evaluations expressed without a reporting verb ("his reluctance to ...") are not
found; the speaker of a pronoun is the nearest earlier named *source*, not any earlier name.

Sentences come from :func:`utils.text.sentence_spans` (NLTK Punkt with the project's
abbreviations; a "sentence" longer than :data:`MAX_SENTENCE_CHARS` is cut into pieces);
everything else is regular expressions over the quote-normalised text (the mapping of
:data:`utils.text.TYPOGRAPHIC_TO_ASCII`, one character for one, so offsets hold). The time
grows linearly with the length of an article, whatever its shape (one paragraph, one sentence,
an unclosed quotation mark): ``benchmarks/long_articles.py`` measures it.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
import string
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from utils.text import (
    TYPOGRAPHIC_TO_ASCII,
    append_stripped_span,
    paragraph_spans,
    sentence_spans,
)

#: Columns of :func:`extract_attributions`, in order.
COLUMNS = (
    "content",
    "content_start",
    "content_end",
    "cue",
    "cue_start",
    "cue_end",
    "source",
    "source_start",
    "source_end",
    "speaker",
    "source_type",
    "kind",
    "content_spans",
)

#: Longest stretch of text the rules treat as one sentence. Most rules read from a cue to the
#: start or the end of its sentence, so a "sentence" of n characters holding a cue every few
#: hundred characters would cost n²; text without sentence punctuation (a table, a transcript,
#: a feed stripped of its periods) is therefore cut at a space into pieces of at most this many
#: characters. News sentences are far shorter (the longest of the about 29,000 articles of the
#: shared corpora has 2,271 characters), so their attributions do not change.
MAX_SENTENCE_CHARS = 5_000

#: The values of ``source_type``.
SOURCE_TYPES = ("person", "organization", "media", "document", "anonymous", "unknown")
#: The values of ``kind``.
KINDS = ("direct", "mixed", "indirect", "according-to")

# ---------------------------------------------------------------------------------------------
# lexicons

#: Reporting verbs (surface forms). Forms marked in :data:`_NEEDS_COMPLEMENT` also name things
#: ("reports", "claims") and count as cues only before "that", a quote or a colon.
CUE_VERBS = (
    "said says say saying told tells tell telling added adds adding wrote writes writing "
    "asked asks asking noted notes noting reported reports reporting announced announces "
    "announcing explained explains explaining stated argued argues arguing claimed "
    "claims claiming warned warns warning insisted insists insisting continued continues "
    "declared declares acknowledged acknowledges acknowledging recalled recalls recalling "
    "concluded concludes responded responds replied replies agreed agrees admitted admits "
    "admitting conceded concedes predicted predicts predicting promised promises vowed vows "
    "maintained maintains contended contends asserted asserts emphasized emphasizes stressed "
    "stresses observed observes remarked testified confirmed confirms denied denies alleged "
    "alleges complained complains countered counters quipped joked boasted boasts suggested "
    "suggests suggesting tweeted tweets tweeting posted cautioned cautions charged charges "
    "revealed reveals disclosed mused shouted yelled exclaimed wondered thinks believes pledged "
    "pledges threatened threatens refused refuses declaring promising vowing describing show "
    "shows showed shown found finds indicate praised praising praises hailed hailing hails "
    "criticized criticizing criticizes accused accusing accuses blamed blaming blames condemned "
    "condemning condemns welcomed welcoming denounced denouncing slammed slamming "
    "indicates indicated called calls calling acknowledge reiterated reiterates repeated echoed "
    "concede insist predicted explain recommend recommended proposed proposes demanded demands "
    "believed thought think believe hopes hoped fears feared estimated estimates "
    "explained announced assured reassured informed reminded urged urges"
).split()
_NEEDS_COMPLEMENT = frozenset(
    "reports states claims notes charges counters posted continued continues echoed repeated "
    "maintained maintains pledged pledges refused refuses thought "
    "hopes hoped fears feared estimates estimated confirmed confirms denied denies "
    "revealed reveals disclosed observed observes wondered urged urges charged reminded "
    "informed asks asked asking promises promised boasts boasted".split()
)
#: Verbs that take the listener as object before the content ("told reporters that").
#: Verbs whose "to" infinitive is the attributed intention ("vowed to ban ...").
_INFINITIVE_VERBS = frozenset(
    "vowed vows promised promises pledged pledges threatened threatens agreed agrees refused "
    "refuses".split()
)
_OBJECT_VERBS = frozenset(
    "told tells tell telling asked asks asking assured reassured informed reminded warned "
    "warns warning urged urges promised promises".split()
)
#: Participles: the source is the subject of the sentence (", saying ...").
_PARTICIPLES = frozenset(
    "saying adding noting telling writing arguing claiming warning insisting explaining "
    "asking announcing acknowledging recalling admitting predicting suggesting tweeting "
    "reporting declaring promising vowing calling describing praising hailing criticizing "
    "accusing blaming condemning welcoming denouncing slamming".split()
)

_AUX_ADVERBS = (
    "has have had also later then previously repeatedly reportedly recently once often again "
    "further earlier publicly privately simply flatly openly bluntly quickly immediately "
    "frequently subsequently initially first finally only even just already still now since "
    "long ultimately eventually notably famously correctly falsely wrongly angrily sharply "
    "softly quietly loudly proudly firmly emphatically confidently candidly pointedly directly "
    "explicitly specifically clearly plainly unequivocally essentially basically would will "
    "could might may did does do is was were are been be being has' himself herself "
    "themselves itself both all too"
).split()
_LY_NOUNS = frozenset(
    "family ally rally assembly supply reply bully belly jelly italy july monopoly anomaly "
    "only early daily weekly monthly".split()
)
_BE_FORMS = frozenset("is was were are been be being".split())

_PRONOUNS = {
    "he": "male",
    "she": "female",
    "him": "male",
    "her": "female",
    "i": "self",
    "we": "plural",
    "they": "plural",
    "it": "thing",
    "you": "plural",
}

#: Title words dropped from names when resolving speakers ("President", "Sen.", "Sir", ...).
TITLE_WORDS = frozenset(
    "president vice sir dame lord lady sen senator rep representative gov governor dr doctor "
    "mr mrs ms miss mister prof professor gen general adm admiral col colonel lt capt captain "
    "maj major sgt secretary minister prime premier chancellor king queen prince princess "
    "sheikh pope rev reverend father judge justice mayor ambassador chairman chairwoman chair "
    "director commissioner chief former candidate nominee leader speaker spokesman spokeswoman "
    "spokesperson attorney state foreign defense defence deputy acting senior gop democratic "
    "republican democrat presidential hon honorable ceo founder host anchor editor author "
    "columnist analyst correspondent reporter economist officer commander sheriff detective "
    "agent congressman congresswoman councilman councilwoman assemblyman assemblywoman "
    "frontrunner front-runner businessman billionaire mogul activist lawyer pastor bishop "
    "cardinal imam rabbi the u.s. us federal".split()
)
_NAME_PARTICLES = frozenset(
    "al al- bin ibn de del della der van von la le du da di dos ben abu".split()
)
#: Capitalised words that start clauses or phrases, never names.
_CAP_FUNCTION = frozenset(
    "a an and as at after before but by during for from if in into of on or since so that the "
    "then this these those though through to under until when where whether which while who "
    "with without yet although because despite however meanwhile also last next earlier "
    "later still even not no yes it its he she they we i you his her their our my monday "
    "tuesday wednesday thursday friday saturday sunday today yesterday tonight asked again "
    "here there instead indeed thus hence now soon perhaps maybe only just nor neither either "
    "both all many most some such every each".split()
)

_MEDIA_WORDS = re.compile(
    r"\b(?:times|post|news|cnn|fox|nbc|abc|cbs|msnbc|npr|pbs|reuters|ap|associated press|"
    r"afp|bloomberg|journal|politico|breitbart|bbc|tv|television|radio|newspaper|magazine|"
    r"outlet|network|agency|tass|sputnik|ria|interfax|sana|al jazeera|guardian|telegraph|"
    r"tribune|herald|gazette|daily|weekly|huffington|huffpost|buzzfeed|axios|hill|atlantic|"
    r"newsweek|time|usa today|wire|broadcaster|channel|media|press|reporter|reporters|"
    r"journalist|columnist|editorial|anchor|blog|website|site)\b",
    re.IGNORECASE,
)
_DOCUMENT_WORDS = re.compile(
    r"\b(?:report|reports|transcript|statement|statements|study|studies|poll|polls|survey|"
    r"surveys|document|documents|letter|memo|filing|filings|data|records|record|book|analysis|"
    r"complaint|lawsuit|tweet|tweets|post|release|press release|email|emails|indictment|"
    r"ruling|order|bill|law|resolution|report's|paper|article|study's|review|audit|estimate|"
    r"estimates|figures|numbers|census|assessment|testimony|platform|ad|advertisement|video|"
    r"footage|message|note|speech|op-ed|interview|website|page|account|findings|results)\b",
    re.IGNORECASE,
)
_ORG_WORDS = re.compile(
    r"\b(?:department|ministry|kremlin|white house|party|committee|campaign|council|agency|"
    r"inc|corp|company|university|association|institute|foundation|pentagon|congress|senate|"
    r"house|government|administration|police|fbi|cia|nsa|dhs|army|military|navy|court|"
    r"group|groups|organization|organisation|office|bureau|commission|union|coalition|"
    r"embassy|state department|un|united nations|nato|eu|european union|board|firm|bank|"
    r"center|centre|league|alliance|movement|network|federation|authority|authorities|"
    r"regime|cabinet|ministry|opposition|rebels|forces|city|state|country|county|team|"
    r"caucus|club|society|council|gop|rnc|dnc|isis|isil|taliban|hezbollah|hamas)\b",
    re.IGNORECASE,
)
_ANONYMOUS = re.compile(
    r"^(?:(?:a|an|one|two|three|several|some|many|other|senior|top|unnamed|anonymous|"
    r"the)\s+)*(?:[a-z-]+\s+){0,4}(?:officials?|sources?|aides?|people|persons?|insiders?|"
    r"advisers?|advisors?|experts?|analysts?|critics?|observers?|diplomats?|staffers?|"
    r"members?|residents?|witnesses?|activists?|supporters?|opponents?|democrats|republicans|"
    r"lawmakers|legislators|strategists?|operatives?|investigators?|authorities|someone|"
    r"spokesman|spokeswoman|spokesperson|representatives?|voters|others|many|some|"
    r"observers|economists?|scientists?|researchers?|scholars?)\b",
    re.IGNORECASE,
)

_ABBREVIATIONS = frozenset(
    "gov sen rep dr mr mrs ms st jr sr gen lt col sgt capt prof rev u.s d.c u.n adm maj cmdr "
    "gen atty supt insp amb pres sec ft mt no vs inc corp co ltd".split()
)
#: Words that make a following cue word a noun or an adjective ("a reported $1m", "some
#: explaining to do", "to say").
_NOT_BEFORE_CUE = frozenset(
    "to a an the some his her their its our my your this these those no any every each "
    "declined refused other very more most less so too".split()
)
_NOT_SUBJECT_START = frozenset(
    "were was is are has have had been be would will could can to of in on at for by with from "
    "that which than not did does do".split()
)
_ASIDE_WORDS = frozenset(
    "for in at on however meanwhile though too also who whose which like including now then "
    "once after before during according speaking writing appearing citing asked when while "
    "in a as of r-ky. d-calif.".split()
)
_LEADING_ADVERBIAL = frozenset(
    "in on at after before during for from with without since when while as by under over "
    "following amid despite although though because if last this earlier later yesterday "
    "today meanwhile however still also instead now then asked speaking monday tuesday "
    "wednesday thursday friday saturday sunday tonight once but and so".split()
)
_WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split()

# ---------------------------------------------------------------------------------------------
# regular expressions

_QUOTE_MARK = re.compile(r"''|``|\"")


def _trie_pattern(words) -> str:
    """A regular expression matching exactly ``words``, as a prefix tree ("sa(?:id|ys|y)...").

    Python's ``re`` tries the branches of a flat alternation one by one at every position; a
    tree shares prefixes, which makes scanning for the 250 cue words about a third faster.
    """
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


_CUE_RE = re.compile(
    r"\b(?:(?P<acc>[Aa]ccording to)|(?P<quoted>(?:is|was|were|are|been) quoted as saying)"
    r"|(?P<point>pointed out|points out|point out|pointing out)|(?P<asked>(?<![\w,] )Asked)"
    r"|(?P<verb>" + _trie_pattern(set(CUE_VERBS)) + r"))\b"
)
_WORD = re.compile(r"[^\W\d_][\w'.&-]*|\d[\w.,-]*")
_TRAILING_SPACE_PUNCT = re.compile(r"[\s,;:\u2014\u2013-]+$")
_LEADING_SPACE_PUNCT = re.compile(r"^[\s,;:\u2014\u2013-]+")
_CLAUSE_WORDS = re.compile(
    r"\b(?:that|but|because|while|when|whereas|although|though|since|if|after|before|as|so|"
    r"and then|where|whether|until|unless|once|which|than)\s+$",
)
_MODIFIER_START = re.compile(
    r"^(?:on|in|at|during|last|this|earlier|later|late|early|before|after|to|with|via|over|"
    r"from|through|yesterday|today|tonight|again|also|recently|repeatedly|publicly|privately|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|in a statement|as|while|when|"
    r"about|afterward|afterwards|then|once|twice)\b",
    re.IGNORECASE,
)
_CONTENT_CUT = re.compile(
    r"(?:;|,\s+(?:which|whose|when|where|while|whereas|although|"
    r"though|even as|with|without|suggesting|saying|adding|noting|including|according to|"
    r"highlighting|a (?:claim|swipe|reference|move|nod|sign|statement|comment|remark)|"
    r"and (?:he|she|they|it|we|i|the|his|her|their|this|then|also)\b))"
)
_COLON_LINE = re.compile(
    r"(?P<name>[A-Z][\w.'&-]*(?:\s+(?:[A-Z][\w.'&-]*|al-[\w'-]+|de|van|von)){0,3})(?P<colon>:)"
    r"\s+(?P<content>\S[^\n]*)"
)
_COMMA_OR_PAREN = re.compile(r"[,()]")
_COLON_BEFORE_QUOTE = re.compile(r":[\s\xa0]*\"")
_COLON_QUOTE = re.compile(
    r"(?:(?<=\n)|(?<=^)|(?<=\s[-\u2014\u2013]\s)|(?<=\bfrom\s))"
    r"(?P<name>[A-Z][\w.'&-]*(?:\s+(?:[A-Z][\w.'&-]*|al-[\w'-]+|de|van|von|and)){0,4})"
    r"(?P<colon>:)[\s\xa0]*(?=\")"
)
_COLON_LABELS = frozenset(
    "update updated watch exclusive breaking video photos photo related note editor's note "
    "source sources read more correction clarification listen also live poll q a "
    "transcript full text abstract twitter facebook email follow contact credit wow audio "
    "opinion analysis editorial commentary report poll warning alert quiz contributing "
    "bombshell exclusive breaking watch video".split()
)
_THAT = re.compile(r"\bthat\b")
_SENT_END_PUNCT = re.compile(r"[.!?]+$")
_OBJECT = re.compile(
    r"\s*(?:(?:him|her|them|us|me|you|reporters|supporters|voters|listeners|viewers|"
    r"journalists|the crowd|the audience|an audience|a crowd|a reporter|an interviewer|"
    r"members|lawmakers|congress|students|attendees|the group)\b"
    r"|(?:(?:the|a|an|his|her|their|its)\s+)?[A-Z][\w.'&-]*(?:\s+(?:[A-Z][\w.'&-]*|of|the|and|&))*)"
)
_NAME_TOKEN = re.compile(r"^(?:[A-Z][\w.'&-]*|al-[\w'-]+|[A-Z]\.)$")
_RIGHT_SOURCE = re.compile(
    r"\s*(?!(?:in|on|at|during|to|for|with|from|by|of|after|before|about|as|that|this|last|"
    r"when|while|if|because)\b)(?!(?:he|she|they|it|we|i|you)\s+[a-z])"
    r"(?P<src>(?:(?:the|a|an|one|two|several|some|another|many|his|her|their|its)\s+)"
    r"?(?:[\w.'&/-]+)(?:\s+(?!(?:in|on|at|during|who|which|after|before|when|while|that|to|"
    r"as|last|this|about|from|told|said|says|adding|and\s+(?:said|added|that)|but)\b)"
    r"[\w.'&/-]+){0,7})"
)


# ---------------------------------------------------------------------------------------------
# quotes


def _mark_class(text: str, norm: str, pos: int, length: int) -> str:
    """'open', 'close' or 'amb' for a double quote mark at ``pos``."""
    original = text[pos]
    if original in "\u201c\u201e\u00ab" or norm[pos : pos + length] == "``":
        return "open"
    if original in "\u201d\u00bb":
        return "close"
    before = norm[pos - 1] if pos > 0 else " "
    after = norm[pos + length] if pos + length < len(norm) else " "
    opens = before.isspace() or before in "([{\u2014\u2013-/"
    closes = after.isspace() or after in ".,;:!?)]}\u2014\u2013-/'"
    if opens and not closes:
        return "open"
    if closes and not opens:
        return "close"
    return "amb"


def _normalize_quotes(text: str) -> str:
    """Same result as :func:`utils.text.normalize_quotes` (typographic quotes to ASCII, one
    character for one), several times faster on long texts: ``str.replace`` per mapped
    character, skipping characters absent from the text, instead of ``str.translate``."""
    for code, replacement in _QUOTE_MAP:
        if code in text:
            text = text.replace(code, replacement)
    return text


_QUOTE_MAP = tuple((chr(code), value) for code, value in sorted(TYPOGRAPHIC_TO_ASCII.items()))


def _quote_spans(
    text: str, norm: str, paragraphs: list[tuple[int, int]] | None = None
) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    if paragraphs is None:
        paragraphs = paragraph_spans(text)
    carry: int | None = None  # position of an open quote carried from the previous paragraph
    previous_end = 0
    for para_start, para_end in paragraphs:
        marks = [
            (m.start(), m.end(), _mark_class(text, norm, m.start(), m.end() - m.start()))
            for m in _QUOTE_MARK.finditer(norm, para_start, para_end)
        ]
        index = 0
        open_at: int | None = None
        if carry is not None:
            if marks and marks[0][0] == para_start and marks[0][2] != "close":
                open_at = carry  # continued quote: the opening mark repeats the quote
                index = 1
            else:
                spans.append((carry, previous_end))  # left open: ends with its paragraph
            carry = None
        for start, end, cls in marks[index:]:
            if open_at is None:
                if cls != "close":
                    open_at = start
            elif cls == "open" and start > open_at:
                # a second opening mark: the first was never closed; restart here
                open_at = start
            else:
                spans.append((open_at, end))
                open_at = None
        if open_at is not None:
            carry = open_at
        previous_end = para_end
    if carry is not None:
        spans.append((carry, previous_end))
    return sorted(s for s in spans if s[1] > s[0])


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the quoted material of ``text``, quotation marks included.

    Double quotes in any style are recognised: straight ``"``, typographic ``“ ”``, low-9 ``„``,
    guillemets ``« »`` and the doubled apostrophes ``''``/``````` of some archives. Marks are paired
    paragraph by paragraph; a quote that runs over several paragraphs (an opening mark at the
    start of each continued paragraph, no closing mark before the break) is one span; a quote
    left open at a paragraph end otherwise ends there. Single quotes are not treated as quotes
    (they are mostly apostrophes or quotes nested inside a quote).

    Returns ``[(start, end), ...]`` sorted, non-overlapping, such that ``text[start:end]`` is the
    quote with its marks. Used by the sentiment module to separate quoted from authorial text.

    >>> quote_spans('He said "no" twice.')
    [(8, 12)]
    """
    if not isinstance(text, str) or not text:
        return []
    return _quote_spans(text, _normalize_quotes(text))


# ---------------------------------------------------------------------------------------------
# the extractor


@dataclass
class _Attribution:
    cue: tuple[int, int]
    source: tuple[int, int] | None
    pieces: list[tuple[int, int]]
    acc: bool = False
    passive: bool = False
    extra: dict = field(default_factory=dict)


def _bounded_sentences(
    norm: str, sentences: list[tuple[int, int]], limit: int = MAX_SENTENCE_CHARS
) -> list[tuple[int, int]]:
    """``sentences`` with each one longer than ``limit`` characters cut into pieces of at most
    ``limit`` characters, each ending at the last space of its second half (or at ``limit``
    characters when there is none); whitespace at the cuts is left out."""
    if all(end - start <= limit for start, end in sentences):
        return sentences
    bounded: list[tuple[int, int]] = []
    for start, end in sentences:
        while end - start > limit:
            cut = norm.rfind(" ", start + limit // 2, start + limit)
            if cut < 0:
                cut = start + limit
            append_stripped_span(norm, start, cut, bounded)
            start = cut
            while start < end and norm[start].isspace():
                start += 1
        append_stripped_span(norm, start, end, bounded)
    return bounded


class _Doc:
    """Indexes over one text: sentences, paragraphs, quotes."""

    def __init__(self, text: str):
        self.text = text
        self.norm = _normalize_quotes(text)
        self.sentences = _bounded_sentences(self.norm, sentence_spans(text))
        self.sent_starts = [s for s, _ in self.sentences]
        self.paragraphs = paragraph_spans(text)
        self.para_starts = [s for s, _ in self.paragraphs]
        self.quotes = _quote_spans(text, self.norm, self.paragraphs)
        self.quote_starts = [s for s, _ in self.quotes]
        self.quote_ends = [e for _, e in self.quotes]
        #: :func:`_walk_back` outcomes, by clause start and part (see there)
        self.walks: dict[tuple[int, int, int], tuple] = {}
        #: :func:`_first_cut` answers: end -> (the start searched from, the cut found)
        self.cuts: dict[int, tuple[int, int | None]] = {}
        #: :func:`_trim_clause` answers, by span
        self.trims: dict[tuple[int, int], tuple[int, int] | None] = {}

    def sentence_of(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.sent_starts, pos) - 1
        if i < 0:
            return (0, 0)
        return self.sentences[i]

    def paragraph_of(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.para_starts, pos) - 1
        if i < 0:
            return (0, len(self.text))
        return self.paragraphs[i]

    def quote_at(self, pos: int) -> tuple[int, int] | None:
        """The quote span containing ``pos`` (strictly inside), if any."""
        i = bisect.bisect_right(self.quote_starts, pos) - 1
        if i >= 0 and self.quotes[i][0] < pos < self.quotes[i][1]:
            return self.quotes[i]
        return None

    def quote_ending_at(self, pos: int) -> tuple[int, int] | None:
        i = bisect.bisect_left(self.quote_ends, pos)
        if i < len(self.quotes) and self.quote_ends[i] == pos:
            return self.quotes[i]
        return None

    def quote_starting_at(self, pos: int) -> tuple[int, int] | None:
        i = bisect.bisect_left(self.quote_starts, pos)
        if i < len(self.quotes) and self.quote_starts[i] == pos:
            return self.quotes[i]
        return None

    def last_quote_end_before(self, pos: int) -> int:
        i = bisect.bisect_right(self.quote_ends, pos) - 1
        return self.quote_ends[i] if i >= 0 else -1

    def next_quote_start(self, pos: int) -> int:
        i = bisect.bisect_left(self.quote_starts, pos)
        return self.quote_starts[i] if i < len(self.quote_starts) else len(self.text)


_NON_SPACE = re.compile(r"\S")
_WORD_CHAR = re.compile(r"\w")
_NON_SPACE_RUN = re.compile(r"\S+")


def _has_text(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` holds a non-whitespace character (``.strip() != ""``),
    without copying the slice: the scan stops at the first such character."""
    return _NON_SPACE.search(text, start, end) is not None


def _more_words_than(text: str, start: int, end: int, limit: int) -> bool:
    """Whether ``text[start:end].split()`` has more than ``limit`` words, reading only as far
    as the word after the ``limit``-th (so the cost does not grow with the length of the
    slice)."""
    for count, _ in enumerate(_NON_SPACE_RUN.finditer(text, start, end), start=1):
        if count > limit:
            return True
    return False


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _strip_punct(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in ",;:\u2014\u2013-"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:\u2014\u2013-"):
        end -= 1
    return start, end


@functools.lru_cache(maxsize=4096)
def _is_name(chunk: str) -> bool:
    words = chunk.split()
    if not words or len(words) > 7:
        return False
    if words[0].lower().strip(".,") in _CAP_FUNCTION:
        return False
    for word in words:
        w = word.strip(",()")
        if not w:
            continue
        if w[0].isupper() or w.lower() in _NAME_PARTICLES or w.startswith("al-"):
            continue
        if w in ("of", "and", "&", "for", "the"):
            continue
        return False
    return words[-1][:1].isupper()


_WORD_LETTERS = frozenset(string.ascii_letters + "'")


def _strip_aux(norm: str, lo: int, hi: int) -> tuple[int, bool, bool]:
    """Strip auxiliaries/adverbs from the end of ``norm[lo:hi]``.

    Returns the new end, whether a form of "be" was stripped (passive) and whether a negation
    was met (``not``/``n't``: the cue is then dropped).
    """
    end = hi
    passive = False
    while True:
        s, e = _strip(norm, lo, end)
        end = e
        if e <= lo:
            return lo, passive, False
        # the last word: the run of ASCII letters and apostrophes ending at ``e`` (what
        # ``([A-Za-z']+)$`` finds), read backwards instead of searching the whole clause
        word_start = e
        while word_start > s and norm[word_start - 1] in _WORD_LETTERS:
            word_start -= 1
        if word_start == e:
            return end, passive, False
        word = norm[word_start:e]
        low = word.lower()
        if low in ("not", "never") or low.endswith("n't"):
            return end, passive, True
        if (low in _AUX_ADVERBS or (low.endswith("ly") and low not in _LY_NOUNS)) and not word[
            0
        ].isupper():
            if low in _BE_FORMS:
                passive = True
            end = e - len(word)
            continue
        return end, passive, False


def _parts_from_right(norm: str, s: int, e: int):
    """The parts of ``norm[s:e]`` between its top-level commas (not inside parentheses), each
    stripped of whitespace, from the last to the first.

    Without an opening parenthesis every comma is at the top level and the parts are found
    from the right as they are asked for (the rules read the last few); otherwise the depth of
    each comma needs a pass from the left.
    """
    if norm.find("(", s, e) < 0:
        end = e
        while (comma := norm.rfind(",", s, end)) >= 0:
            yield _strip(norm, comma + 1, end)
            end = comma
        yield _strip(norm, s, end)
        return
    parts: list[tuple[int, int]] = []
    depth = 0
    start = s
    for m in _COMMA_OR_PAREN.finditer(norm, s, e):
        ch = m.group(0)
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            parts.append((start, m.start()))
            start = m.end()
    parts.append((start, e))
    for a, b in reversed(parts):
        yield _strip(norm, a, b)


def _walk_back(doc: _Doc, s: int, parts) -> tuple:
    """Walk ``parts`` (a clause's comma-separated parts from the right, the clause starting at
    ``s``) back over the trailing run of names and asides. Returns ``(first_name, stop,
    earliest, walked)``: the run's first (leftmost) name, the part ending the run (neither a
    name nor an aside; ``None`` when the run reaches the clause start), the run's first part
    and the parts read (the run and its stop).

    What the walk finds from a part on depends only on that part and those before it, so it is
    remembered per clause start and part (:attr:`_Doc.walks`): the cues of one long clause
    ("said the minister, said the minister, ...") share their walks, and each reads only its
    new parts instead of every part back to the clause start.
    """
    norm = doc.norm
    walks = doc.walks
    read: list[tuple[tuple[int, int], bool | None]] = []  # part, is a name (None: the stop)
    outcome = (None, None, None, 0)  # what the walk finds when no part is left
    for part in parts:
        known = walks.get((s, *part))
        if known is not None:
            outcome = known
            break
        chunk = norm[part[0] : part[1]]
        if _is_name(chunk):
            read.append((part, True))
        elif _is_parenthetical(chunk):
            read.append((part, False))
        else:
            read.append((part, None))
            break
    for part, is_name in reversed(read):  # from the left: the walk from each part read
        first_name, stop, earliest, walked = outcome
        if is_name is None:
            outcome = (None, part, None, 1)
        else:
            outcome = (first_name if first_name is not None else (part if is_name else None),
                       stop, earliest if earliest is not None else part, walked + 1)
        walks[(s, *part)] = outcome
    return outcome


def _left_source(doc: _Doc, lo: int, hi: int) -> tuple[int, int] | None:
    """The subject noun phrase ending just before ``hi`` (clause bounded by ``lo``)."""
    norm = doc.norm
    s, e = _strip(norm, lo, hi)
    if e <= s:
        return None
    trailing_comma = norm[e - 1] == ","
    # the parts between top-level commas, last first
    parts = _parts_from_right(norm, s, e)
    if trailing_comma:
        last = next(parts)
        if last[1] > last[0]:  # the comma closing the clause is inside parentheses
            parts = itertools.chain([last], parts)
        # "Name, description, said" / "Leaders, for instance, said": walk back over
        # parentheticals to the subject; "Content, said Smith" has none (source after the cue)
        # the trailing run of names and asides; its first name is the subject
        first_name, stop, earliest, walked = _walk_back(doc, s, parts)
        if first_name is not None:
            return first_name
        if walked == 0 or (stop is not None and walked == 1):
            return None  # no part, or the last part is no subject
        return _trim_clause(doc, *(stop if stop is not None else earliest))
    last = next(parts)
    last_text = norm[last[0] : last[1]]
    if re.match(r"(?:a|an|the|A|An|The)\s+[a-z]", last_text):
        prev = next(parts, None)
        if prev is not None and _is_name(norm[prev[0] : prev[1]]):
            return prev  # "Sir Tony Brenton, the former ambassador says"
    return _trim_clause(doc, *last)


def _last_part(doc: _Doc, lo: int, hi: int) -> tuple[int, int]:
    """The last comma-separated part before ``hi`` that holds a word."""
    text = doc.norm[lo:hi].rstrip(" ,")
    parts = text.split(",")
    while len(parts) > 1 and not re.search(r"\w", parts[-1]):
        parts.pop()
    start = lo + len(",".join(parts[:-1])) + (1 if len(parts) > 1 else 0)
    return _strip(doc.norm, start, lo + len(",".join(parts)))


@functools.lru_cache(maxsize=4096)
def _is_parenthetical(chunk: str) -> bool:
    """An apposition or aside between a subject and its verb ("a Democrat", "65", "for
    instance", "speaking on condition of anonymity", "who ran in 2008")."""
    words = chunk.split()
    if not words or len(words) > 25:
        return False
    if _is_description(chunk):
        return True
    if len(words) <= 20 and _head_noun(chunk) in _PERSON_NOUNS | _ANON_HEADS:
        return True  # "South Carolina director for Sanders"
    first = words[0].lower()
    return (
        first in _ASIDE_WORDS
        or bool(re.match(r"[a-z]+ing$", words[0]))
        or (len(words) <= 3 and chunk.islower())
    )


def _is_description(chunk: str) -> bool:
    """An apposition-like description ("a Democrat", "the former ambassador", "65",
    "Mr. Obama's deputy", "R-Ky.")."""
    words = chunk.split()
    if not words or len(words) > 12:
        return False
    if re.match(r"(?:a|an|the|who|whose|\d+)\b", chunk) or words[0].endswith(("'s", "s'")):
        return True
    return len(words) <= 3 and all(w[:1].isupper() for w in words)


def _is_clause_start(norm: str, start: int, doc: _Doc) -> bool:
    return False


def _trim_clause(doc: _Doc, start: int, end: int) -> tuple[int, int] | None:
    """Cut a subject candidate at its last clause word ("..., but he" -> "he"); remembered per
    span (:attr:`_Doc.trims`: the cues of one long clause often share their subject)."""
    found = doc.trims.get((start, end), _UNKNOWN)
    if found is _UNKNOWN:
        found = doc.trims[(start, end)] = _trim_span(doc, start, end)
    return found


#: No answer remembered yet (``None`` is an answer of :func:`_trim_span`).
_UNKNOWN = object()


def _trim_span(doc: _Doc, start: int, end: int) -> tuple[int, int] | None:
    norm = doc.norm
    text = norm[start:end]
    best = 0
    for m in re.finditer(
        r"\b(?:that|but|because|while|when|whereas|although|though|since|if|as|so|where|whether|"
        r"until|unless|which|than|and|or|yet|after|before|then)\b\s+",
        text,
        re.IGNORECASE,
    ):
        rest = text[m.end() :]
        # keep "and" inside names/lists ("Obama and Clinton"): cut only before a pronoun/determiner
        if m.group(0).startswith(("and", "or")) and not re.match(
            r"(?:he|she|they|we|i|it|the|a|an|his|her|their)\b", rest, re.IGNORECASE
        ):
            continue
        best = m.end()
    start += best
    who = re.search(r"\bwho$", text)
    if who:
        return (start - best + who.start(), end)  # "voters who said": the relative pronoun
    dash = max(text.rfind(" - ", best), text.rfind(" \u2014 ", best), text.rfind(" \u2013 ", best))
    if dash >= 0:
        start = start - best + dash + 3
    start, end = _strip_punct(norm, start, end)
    if end <= start:
        return None
    text = norm[start:end]
    words = text.split()
    low = text.lower()
    if low in ("who", "which", "that", "what"):
        return (start, end) if low == "who" else None
    if len(words) > 14:
        # too long to be a subject: keep its last words
        cut = text.rfind(" ", 0, len(text) - len(" ".join(words[-8:])))
        start = start + cut + 1 if cut >= 0 else start
    if not re.search(r"[A-Za-z]", norm[start:end]):
        return None
    words = norm[start:end].split()
    if words[0] in _NOT_SUBJECT_START or (
        all(w[:1].islower() for w in words) and words[-1].endswith(("ed", "ing"))
    ):
        return None
    # a lowercase verb-like last word ("the plan is") is no subject
    last_word = words[-1].lower()
    if last_word in ("to", "of", "in", "on", "at", "for", "by", "with", "not", "and", "or"):
        return None
    return (start, end)


def _right_source(doc: _Doc, pos: int, limit: int) -> tuple[int, int] | None:
    """The noun phrase right after ``pos`` (inverted order, "according to X")."""
    m = _RIGHT_SOURCE.match(doc.norm, pos, limit)
    if not m:
        return None
    s, e = m.span("src")
    # stop at a comma, period or quote inside
    chunk = doc.norm[s:e]
    for cut in re.finditer(r"[,;:\"()]|\s[\u2014\u2013-]+\s|\.(?=\s|$)", chunk):
        if cut.group(0) == ".":
            word = re.search(r"([\w.]+)\.$", chunk[: cut.end()])
            if word and (word.group(1).lower() in _ABBREVIATIONS or len(word.group(1)) == 1):
                continue
        e = s + cut.start()
        break
    s, e = _strip_punct(doc.norm, s, e)
    if e <= s:
        return None
    return (s, e)


def _sentence_subject(doc: _Doc, sent_start: int, limit: int) -> tuple[int, int] | None:
    """The subject at the start of a sentence: a pronoun, a name or a short noun phrase."""
    norm = doc.norm
    s = sent_start
    q = doc.quote_at(s + 1)
    if q:
        s = q[1]
    dateline = re.match(r"\s*[A-Z][A-Z .,'-]+(?:\([^)]*\))?\s*[-\u2014\u2013]+\s+", norm[s:limit])
    if dateline:
        s += dateline.end()  # "WASHINGTON (Reuters) - ..."
    # skip leading adverbials ("On Monday, ...", "At a rally in Concord, N.H., on Tuesday, ...")
    while True:
        region = norm[s:limit]
        m = re.match(r"\s*(?:[A-Z][\w']*|[a-z]+)\b[^,]{0,80}?,\s+", region)
        if not m:
            break
        first = region[: m.end()].split()[0].lower()
        piece = region[: m.end()].strip().rstrip(",")
        if (
            first in _LEADING_ADVERBIAL
            or piece.endswith(" ago")
            or (_is_name(piece) and len(piece.split()) <= 2 and s > sent_start)
        ):
            s += m.end()
            continue
        break
    region = norm[s:limit]
    m = re.match(
        r"\s*((?:[Hh]e|[Ss]he|[Tt]hey|[Ww]e|I|[Ii]t)\b|(?:(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er|[Tt]heir|"
        r"[Ii]ts)\s+)?(?:[\d]+-year-old\s+)?(?:[A-Z][\w.'&-]*|al-[\w'-]+)"
        r"(?:\s+(?:[A-Z][\w.'&-]*|al-[\w'-]+|of|the|bin|de|van|von))*"
        r"|(?:[Tt]he|[Aa]n?)\s+[a-z-]+(?:\s+[a-z-]+)?)",
        region,
    )
    if not m:
        return None
    a, b = s + m.start(1), s + m.end(1)
    if a >= b:
        return None
    return (a, b)


def _first_cut(doc: _Doc, start: int, end: int) -> int | None:
    """Where the first :data:`_CONTENT_CUT` outside a quote starts in ``doc.norm[start:end]``
    (``None``: nowhere).

    Its matches cannot overlap (each holds a comma or semicolon only where it starts), so the
    answer is the first qualifying position at or after ``start``, the same for every start
    between a previous search's start and its answer: remembered per ``end``
    (:attr:`_Doc.cuts`), so the cues of one long sentence do not each scan it to its end.
    """
    known = doc.cuts.get(end)
    if known is not None and known[0] <= start <= (end if known[1] is None else known[1]):
        return known[1]
    found = None
    for m in _CONTENT_CUT.finditer(doc.norm, start, end):
        if not doc.quote_at(m.start()):
            found = m.start()
            break
    doc.cuts[end] = (start, found)
    return found


def _clause_content(doc: _Doc, start: int, sent_end: int) -> tuple[int, int] | None:
    """Reported clause from ``start`` to the end of its sentence (extended over a quote)."""
    norm = doc.norm
    start, _ = _strip_punct(norm, start, sent_end)
    end = sent_end
    # a quote running past the sentence end carries the content to its close
    q = doc.quote_at(end - 1) or doc.quote_at(end)
    if q and q[0] >= start and q[1] > end:
        end = q[1]
    s, e = _strip(norm, start, end)
    if e <= s:
        return None
    # drop final sentence punctuation unless it sits inside a closing quote
    if norm[e - 1] in ".!?" and not doc.quote_at(e - 1):
        while e > s and norm[e - 1] in ".!?":
            e -= 1
    s, e = _strip_punct(norm, s, e)
    # the reported clause ends before a second clause or an afterthought
    cut = _first_cut(doc, s + 12, e)
    if cut is not None:
        s, e = _strip_punct(norm, s, cut)
    if e - s < 3 or not _WORD_CHAR.search(norm, s, e):
        return None
    return (s, e)


#: A character other than spaces, tabs and punctuation between two quotes.
_GAP_TEXT = re.compile(r"[^ \t,.;:\u2014\u2013-]")


def _followers(doc: _Doc, quote: tuple[int, int], para_end: int) -> list[tuple[int, int]]:
    """Quotes after ``quote`` in its paragraph separated from it by punctuation only."""
    pieces = []
    end = quote[1]
    i = bisect.bisect_right(doc.quote_starts, quote[0])
    while i < len(doc.quotes):
        q = doc.quotes[i]
        if q[0] >= para_end:
            break
        if _GAP_TEXT.search(doc.norm, end, q[0]):
            break  # words between the two quotes
        pieces.append(q)
        end = q[1]
        i += 1
    return pieces


def _next_quotes(doc: _Doc, pos: int, para_end: int) -> list[tuple[int, int]]:
    """Quote-only sentences starting at ``pos`` (after the cue's sentence) in the paragraph."""
    norm = doc.norm
    start = doc.next_quote_start(pos)
    if start >= para_end or _has_text(norm, pos, start):
        return []
    q = doc.quote_starting_at(start)
    if q is None:
        return []
    # the quote without its closing marks ends a sentence, or nothing follows it in the
    # paragraph (read from the quote's end, never the whole quote or paragraph)
    inner_end = q[1]
    while inner_end > q[0] and norm[inner_end - 1] in "\"'`":
        inner_end -= 1
    ends_sentence = inner_end > q[0] and norm[inner_end - 1] in ".!?…"
    if not (ends_sentence or not _has_text(norm, q[1], para_end)):
        return []  # the quote goes on into a sentence of its own (maybe its own attribution)
    return [q, *_followers(doc, q, para_end)]


def _quote_paragraphs_after(doc: _Doc, end: int) -> list[tuple[int, int]]:
    """Paragraphs made only of quotes (no cue of their own) right after the paragraph in which
    an attributed quote ends at ``end``: the quote goes on in the same voice."""
    norm = doc.norm
    para_start, para_end = doc.paragraph_of(max(0, end - 1))
    if _more_words_than(norm, end, para_end, 8):
        return []  # the paragraph goes on after the attribution: the quote ends there
    pieces: list[tuple[int, int]] = []
    i = bisect.bisect_right(doc.para_starts, para_start)
    while i < len(doc.paragraphs):
        start, stop = doc.paragraphs[i]
        lo = bisect.bisect_left(doc.quote_starts, start)
        hi = bisect.bisect_left(doc.quote_starts, stop)
        quotes = doc.quotes[lo:hi]
        if not quotes or quotes[0][0] != start or quotes[-1][1] < stop:
            break
        outside = "".join(norm[a:b] for a, b in _gaps(start, stop, quotes))
        if outside.strip(" .,!?;:\u2014\u2013-") != "":
            break  # text of its own (a cue, a new speaker): not a continuation
        pieces.extend(quotes)
        i += 1
    return pieces


def _gaps(start: int, stop: int, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out, pos = [], start
    for a, b in spans:
        if a > pos:
            out.append((pos, a))
        pos = max(pos, b)
    if pos < stop:
        out.append((pos, stop))
    return out


def _after_cue(doc: _Doc, pos: int, sent_end: int, verb: str) -> tuple[str, int]:
    """Classify what follows a cue: ('quote', q_start), ('that', start), ('clause', start),
    ('end', pos) when only modifiers follow up to the sentence end."""
    norm = doc.norm
    if verb in _OBJECT_VERBS:
        m = _OBJECT.match(norm, pos, sent_end)
        if m and m.end() > pos:
            obj = norm[m.start() : m.end()].strip()
            if obj.lower() not in ("that",) and not re.match(r"(?:that)\b", obj):
                pos = m.end()
    rest = norm[pos:sent_end]
    if verb in ("asked", "asks", "asking", "ask", "wondered", "questioned"):
        wh = re.match(
            r"[\s,]*(?:[\w.'-]+\s+){0,3}?(whether|if|how|what|why|who|when|where|which)\b", rest
        )
        if wh:
            return "that", pos + wh.start(1)
    q = doc.next_quote_start(pos)
    stripped = rest.strip()
    if verb in _INFINITIVE_VERBS and stripped.startswith("to "):
        return "clause", pos + rest.index("to ")  # "vowed to ban ...": the intention
    if not stripped or _SENT_END_PUNCT.fullmatch(stripped):
        return "end", pos
    # immediate quote (after optional comma/colon)
    m = re.match(r"[\s,:\u2014\u2013-]*", rest)
    lead = pos + m.end()
    if q == lead:
        return "quote", q
    # "that" soon after modifiers
    t = _THAT.search(norm, pos, min(sent_end, pos + 90))
    if t:
        between = norm[pos : t.start()].strip(" ,")
        loose = verb in _OBJECT_VERBS and not re.search(r"[\",.;:]", between)
        if not between or _MODIFIER_START.match(between) or len(between.split()) <= 2 or loose:
            if '"' not in between:
                return "that", t.start()
    if rest.lstrip().startswith(":"):
        return "clause", lead
    # modifiers then a quote: said on Saturday, "..."
    if q < sent_end + 1:
        between = norm[pos:q].strip(" ,:")
        if between and _MODIFIER_START.match(between) and norm[pos:q].rstrip().endswith((",", ":")):
            return "quote", q
    # modifiers to the end of the sentence: "he said on Monday."
    if _MODIFIER_START.match(stripped) and not re.search(
        r",\s+(?:he|she|they|it|the|a|an|[A-Z])", stripped
    ):
        # a long modifier can still end with a clause; treat short ones as the end
        if not _more_words_than(norm, pos, sent_end, 8) or stripped.endswith(
            ("."),
        ):
            if not re.search(r"\b(?:that|he|she|they|we|it|i)\b", stripped):
                return "end", pos
    if re.fullmatch(r"[\w\s-]+ ago\W*", stripped):
        return "end", pos  # "reported ten days ago."
    first_word = _NON_SPACE_RUN.search(norm, pos, sent_end)  # stripped.split()[0], not copied
    first = first_word.group(0).lower().strip(",.;:") if first_word else ""
    if first in ("in", "on", "at"):
        return "end", pos
    if first in ("by", "of", "for", "to", "about", "with", "from", "into", "against", "over"):
        return "prep", pos  # "warned about X", "said of Y": no reported clause follows
    return "clause", lead


#: The clause before a cue ends with a comma or a conjunction: the cue joins a new clause of
#: the sentence's subject ("..., saying", "... and said").
_JOINED_CLAUSE = re.compile(
    r"(?:,|\band|\bbut|\bwhile|\bwhen|\bafter|\bbefore|\bby|\bwithout|\bsince)$"
)
_JOINED_BY_AND = re.compile(r"\b(?:and|but)$")
#: Characters of the clause before a cue that :data:`_JOINED_CLAUSE` can look at: its longest
#: alternative ("without") and the character before it (for ``\b``), with room to spare.
_TAIL_CHARS = 16


def _tail(norm: str, lo: int, end: int) -> str:
    """The last :data:`_TAIL_CHARS` characters of ``norm[lo:end].rstrip()``: end-anchored
    patterns as short as :data:`_JOINED_CLAUSE` match this exactly where they match the whole
    clause, and the clause is never copied."""
    while end > lo and norm[end - 1].isspace():
        end -= 1
    return norm[max(lo, end - _TAIL_CHARS) : end]


def _find(doc: _Doc) -> list[_Attribution]:
    norm = doc.norm
    found: list[_Attribution] = []
    for m in _CUE_RE.finditer(norm):
        cue_start, cue_end = m.span()
        if doc.quote_at(cue_start):
            continue
        verb = m.group("verb")
        sent_start, sent_end = doc.sentence_of(cue_start)
        if sent_end <= cue_start:
            continue
        para_start, para_end = doc.paragraph_of(cue_start)
        if found and _inside_reported_clause(doc, found[-1], cue_start):
            continue
        if m.group("asked"):
            att = _asked(doc, cue_start, cue_end, sent_start, sent_end)
            if att:
                found.append(att)
            continue
        if m.group("acc"):
            att = _according_to(doc, cue_start, cue_end, sent_start, sent_end)
            if att:
                found.append(att)
            continue
        if verb:
            prev_word = re.search(r"([\w'\u2019]+)\W*$", norm[max(0, cue_start - 30) : cue_start])
            prev_low = prev_word.group(1).lower() if prev_word else ""
            if (
                prev_low in _NOT_BEFORE_CUE
                or (prev_low.endswith(("'s", "s'")) and prev_low.strip("'"))
                or norm[cue_end : cue_end + 1] == "-"
                or re.match(r"\s+to\s+(?:be|have)\b", norm[cue_end : cue_end + 12])
                or (
                    verb in ("add", "adds", "added", "adding")
                    and norm[cue_end : cue_end + 4] == " to "
                )
            ):
                continue
            if verb in ("claimed", "claims", "claiming") and re.match(
                r"\s+(?:more than|at least|nearly|almost|about|over|some|up to|the lives|lives|"
                r"\d|hundreds|thousands|dozens|millions)",
                norm[cue_end : cue_end + 14],
            ):
                continue  # "the war has claimed 250,000 lives"
            if verb in ("wrote", "writes", "writing", "posted", "tweeted") and re.match(
                r"\s+(?:a|an)\s", norm[cue_end : cue_end + 5]
            ):
                continue
        # the clause the source lives in: after the last quote or sentence start
        lo = max(sent_start, doc.last_quote_end_before(cue_start), para_start)
        src_end, passive, negated = _strip_aux(norm, lo, cue_start)
        if negated:
            continue
        source = None
        participle = verb in _PARTICIPLES if verb else False
        if m.group("quoted"):
            source = _left_source(doc, lo, cue_start)
        elif _JOINED_CLAUSE.search(tail := _tail(norm, lo, src_end)) and (
            participle or _JOINED_BY_AND.search(tail)
        ):
            source = _sentence_subject(doc, sent_start, cue_start)
        elif participle:
            # "Putin returned the compliment hailing ...": the subject of the sentence
            source = _sentence_subject(doc, sent_start, cue_start)
            if source is None and src_end > lo:
                source = _left_source(doc, lo, src_end)
            if source is None:
                continue
        elif passive and src_end > lo:
            by = re.match(r"\s+by\s+", norm[cue_end:sent_end])
            source = _right_source(doc, cue_end + by.end(), sent_end) if by else None
        elif src_end > lo:
            source = _left_source(doc, lo, src_end)
        inverted = False
        after_pos = cue_end
        if source is None and not passive and not participle:
            # inverted: '"...," said Smith' / 'Content, said Smith.'
            # the text between the clause start and the cue, as far as it matters: whether it
            # is empty and whether it ends with a comma
            left_end = cue_start
            while left_end > lo and norm[left_end - 1].isspace():
                left_end -= 1
            left = norm[left_end - 1 : left_end] if left_end > lo else ""
            if left == "" or left.endswith(","):
                source = _right_source(doc, cue_end, sent_end)
                if source is None:
                    continue
                inverted = True
                after_pos = source[1]
                # skip an apposition after an inverted name
                rest = norm[after_pos:sent_end]
                ap = re.match(
                    r",\s+(?:a|an|the|who|whose|[a-z]+)\b[^\"]*?(?=[.,]\s*$|,\s+\"|$)", rest
                )
                if ap:
                    after_pos += ap.end()
                if left and _after_cue(doc, after_pos, sent_end, "")[0] not in ("end", "quote"):
                    # a clause follows: not "said Smith" but "X, a director, said the ..."
                    inverted = False
                    after_pos = cue_end
                    source = _trim_clause(doc, *_last_part(doc, lo, cue_start))
                    if source is None:
                        continue
            else:
                continue
        verb_low = (verb or "").lower()
        what, where = _after_cue(doc, after_pos, sent_end, verb_low)
        quote_before = None
        # is there a quote right before the source/cue? ('"...," he said')
        anchor = source[0] if source and not inverted else cue_start
        if source is not None and source[0] < cue_start and not inverted:
            anchor = source[0]
        gap_start = doc.last_quote_end_before(anchor)
        if gap_start >= 0 and norm[gap_start:anchor].strip(" ,\u2014\u2013-") == "":
            quote_before = doc.quote_ending_at(gap_start)
            if (
                quote_before
                and norm[quote_before[0] : quote_before[1]].rstrip("\"'`").endswith(".")
                and norm[gap_start:anchor].strip() == ""
                and what not in ("end", "prep", "quote")
            ):
                quote_before = None  # '"... end." He added that ...': a new attribution
        pieces: list[tuple[int, int]] = []
        if quote_before and sent_start < quote_before[0]:
            lead = norm[sent_start : quote_before[0]]
            if re.search(r"\w", lead) and not re.search(r"[:>]\s*$|[\"<]", lead):
                # 'calling her "leftist scum," she said': the whole clause is the content
                quote_before = (sent_start, quote_before[1])
        if quote_before:
            pieces.append(quote_before)
            if what == "quote":
                q = doc.quote_starting_at(where)
                if q and q[0] < sent_end + 1:
                    pieces.append(q)  # split quote: '"A," he added, "B."'
            pieces.extend(_followers(doc, pieces[-1], doc.paragraph_of(pieces[-1][0])[1]))
            if pieces[-1][1] <= sent_end:
                pieces.extend(_next_quotes(doc, sent_end, para_end))
            last = max([e for _, e in pieces] + [cue_end] + ([source[1]] if source else []))
            pieces.extend(_quote_paragraphs_after(doc, last))
        elif what == "quote":
            q = doc.quote_starting_at(where)
            if q is None:
                continue
            qs, qe = q
            rest = norm[qe:sent_end].strip(" .,!?")
            if rest and len(rest.split()) > 2 and not doc.quote_at(sent_end - 1):
                span = _clause_content(doc, qs, sent_end)
                if span:
                    pieces.append(span)
            else:
                pieces.append(q)
                pieces.extend(_followers(doc, q, doc.paragraph_of(qs)[1]))
                pieces.extend(_quote_paragraphs_after(doc, max(e for _, e in pieces)))
        elif what in ("that", "clause"):
            if verb_low in _NEEDS_COMPLEMENT and what != "that":
                # nouns-as-verbs and weak cues need "that" or a quote
                nxt = norm[after_pos:sent_end].lstrip(" ,")
                infinitive = verb_low in _INFINITIVE_VERBS and nxt.startswith("to ")
                if not nxt.startswith(('"', ":")) and not infinitive:
                    continue
            if source is None and not passive:
                continue
            if passive and what != "that":
                continue  # "nothing was said here": no reported clause
            span = _clause_content(doc, where, sent_end)
            if span is None:
                continue
            before = _parenthetical_lead(doc, source, inverted, cue_start, after_pos, sent_start)
            if before is not None:
                # "The industry, she said, is doing better": both sides are the content
                pieces.append(before)
                pieces.append(span)
                found.append(_Attribution(cue=(cue_start, cue_end), source=source, pieces=pieces))
                continue
            content_text = norm[span[0] : span[1]]
            if re.match(r"(?:was|is|were|are|would|will|has|had|have)\b", content_text):
                continue  # "what analysts said was a sign": a relative clause, not speech
            if not _plausible(verb_low, source and norm[source[0] : source[1]], content_text):
                continue
            pieces.append(span)
            # quote-only sentences right after a content that ends in a quote
            q = doc.quote_ending_at(span[1])
            if q:
                pieces.extend(_followers(doc, q, para_end))
        elif what == "end":
            # 'Content, he said.' : the clause before the source
            if verb_low in _NEEDS_COMPLEMENT:
                continue
            head = source[0] if source and not inverted else cue_start
            region = norm[sent_start:head].rstrip()
            if not region.endswith(","):
                continue
            cs = max(sent_start, doc.last_quote_end_before(sent_start + 1))
            cs = sent_start if cs > head else cs
            span = _strip_punct(norm, cs, sent_start + len(region))
            if len(norm[span[0] : span[1]].split()) < 4:
                continue  # "As it happens, ...": an adverbial, not a reported clause
            if source and len(norm[source[0] : source[1]].split()) > 10:
                continue
            pieces.append(span)
        if not pieces:
            continue
        found.append(
            _Attribution(cue=(cue_start, cue_end), source=source, pieces=pieces, passive=passive)
        )
    return found


_BELIEF_VERBS = frozenset("think thinks thought believe believes believed".split())
_EVIDENCE_VERBS = frozenset(
    "show shows showed shown found finds indicate indicates indicated".split()
)
_CALL_VERBS = frozenset("called calls calling".split())


def _plausible(verb: str, source: str | None, content: str) -> bool:
    """Checks for the cues that are often something else: beliefs need a subject and a clause
    ("think tank", "thought leaders" are nouns), evidence verbs need a document, outlet,
    organization or group ("Obama found himself"), "called" needs a quoted label
    ('called it a "fundamental mistake"', not "a move called the boneless")."""
    if verb in _BELIEF_VERBS:
        return bool(source) and not re.match(r"(?:tanks?|leaders?|back|pieces?|process)\b", content)
    if verb in _EVIDENCE_VERBS:
        if content.startswith("that "):
            return True
        return classify_source(source or "") in ("document", "media", "organization", "anonymous")
    if verb in _CALL_VERBS:
        return bool(_QUOTE_MARK.search(content))
    return True


def _parenthetical_lead(
    doc: _Doc,
    source: tuple[int, int] | None,
    inverted: bool,
    cue_start: int,
    after_pos: int,
    sent_start: int,
) -> tuple[int, int] | None:
    """For a cue set off by commas inside its sentence ("X, he said, Y"), the part before."""
    norm = doc.norm
    if source is None or inverted or len(norm[source[0] : source[1]].split()) > 4:
        return None
    if not re.match(r"\s*,", norm[after_pos : after_pos + 3]):
        return None
    start = max(sent_start, doc.last_quote_end_before(source[0]))
    if doc.quote_at(start) is not None:
        return None
    region = norm[start : source[0]].rstrip()
    if not region.endswith(","):
        return None
    span = _strip_punct(norm, start, start + len(region))
    words = norm[span[0] : span[1]].split()
    if len(words) < 2 or (len(words) <= 4 and words[0].lower() in _LEADING_ADVERBIAL):
        return None
    return span


def _asked(
    doc: _Doc, cue_start: int, cue_end: int, sent_start: int, sent_end: int
) -> _Attribution | None:
    """'Asked whether/about X, he said ...': the question, with no source (the asker is
    unnamed)."""
    norm = doc.norm
    if norm[sent_start:cue_start].strip(" \"'`") != "":
        return None
    comma = norm.find(",", cue_end, sent_end)
    if comma < 0:
        return None
    span = _strip_punct(norm, cue_end, comma)
    if span[1] - span[0] < 3:
        return None
    return _Attribution(cue=(cue_start, cue_end), source=None, pieces=[span], passive=True)


_IN_POLL = re.compile(
    r"(?P<cue>In)\s+(?P<src>(?:[\w'/.&-]+\s+){0,10}?(?:polls?|surveys?|average|study|report|"
    r"analysis|count|tally|estimates?|projections?|forecasts?)\b[^,;:\"]{0,80}?),\s+"
)


def _in_polls(doc: _Doc) -> list[_Attribution]:
    """'In a new Fox News poll, Trump leads with 45 percent.': the poll is the source."""
    found = []
    for sent_start, sent_end in doc.sentences:
        m = _IN_POLL.match(doc.norm, sent_start, sent_end)
        if not m:
            continue
        span = _clause_content(doc, m.end(), sent_end)
        if span is None or len(doc.norm[span[0] : span[1]].split()) < 3:
            continue
        found.append(_Attribution(cue=m.span("cue"), source=m.span("src"), pieces=[span]))
    return found


def _colon_speaker(name: str) -> bool:
    """Whether the words before a colon can be a speaker ("Bernie Sanders: ..."), not a label
    ("UPDATE:", "Contributing:") or a title-case headline ("Big Win For Bernie: ...")."""
    words = name.split()
    if name.isupper() or name.lower() in _COLON_LABELS or not _is_name(name):
        return False
    return not any(
        w in ("For", "To", "In", "Of", "The", "And", "On", "At", "With") for w in words[1:]
    )


def _headline_colons(doc: _Doc) -> list[_Attribution]:
    """'Name: content' paragraphs (headlines, debate transcripts)."""
    norm = doc.norm
    found = []
    for para_start, para_end in doc.paragraphs:
        m = _COLON_LINE.match(norm, para_start, para_end)
        if not m:
            continue
        name = m.group("name")
        if not _colon_speaker(name):
            continue
        content = m.group("content")
        if content.count(",") >= 3 and len(re.findall(r"\b[a-z]", content)) <= 2:
            continue  # "Iowa: Tim Albrecht, Brad Anderson, ...": a list of names
        sent_end = doc.sentence_of(m.start("content"))[1]
        span = _clause_content(doc, m.start("content"), min(para_end, max(sent_end, m.end())))
        if span is None:
            continue
        found.append(_Attribution(cue=m.span("colon"), source=m.span("name"), pieces=[span]))
    # "... - Carl Bialik: "One of the biggest lessons ..."" inside a paragraph
    cues = {a.cue for a in found}
    for colon in _COLON_BEFORE_QUOTE.finditer(norm):
        # the regex with look-behinds only runs where a colon precedes a quote (rare, fast)
        m = next(
            (
                c
                for c in _COLON_QUOTE.finditer(norm, max(0, colon.start() - 80), colon.end())
                if c.start("colon") == colon.start()
            ),
            None,
        )
        if m is None or not _colon_speaker(m.group("name")):
            continue
        quote = doc.quote_starting_at(m.end())
        if quote is None or m.span("colon") in cues:
            continue
        pieces = [quote, *_followers(doc, quote, doc.paragraph_of(quote[0])[1])]
        found.append(_Attribution(cue=m.span("colon"), source=m.span("name"), pieces=pieces))
        cues.add(m.span("colon"))
    return found


def _inside_reported_clause(doc: _Doc, previous: _Attribution, pos: int) -> bool:
    """Whether ``pos`` lies in the reported clause of ``previous`` with no comma or quote
    between the clause start and ``pos`` ("X said the winner has predicted ...")."""
    if previous.acc:
        return False
    for s, e in previous.pieces:
        if s <= pos < e and previous.cue[1] <= s:
            return not re.search(r"[,;:\"]", doc.norm[s:pos])
    return False


def _according_to(
    doc: _Doc, cue_start: int, cue_end: int, sent_start: int, sent_end: int
) -> _Attribution | None:
    norm = doc.norm
    source = _right_source(doc, cue_end, sent_end)
    if source is None:
        return None
    after = source[1]
    before = norm[sent_start:cue_start].strip()
    if not before or before.endswith(("(",)) and len(before) < 3:
        # "According to X, content."
        rest = norm[after:sent_end]
        m = re.match(r"[^,]*,\s*", rest)
        if not m:
            return None
        content = _clause_content(doc, after + m.end(), sent_end)
        if content is None:
            return None
        pieces = [content]
        q = doc.quote_ending_at(content[1])
        if q:
            pieces.extend(_followers(doc, q, doc.paragraph_of(q[0])[1]))
        return _Attribution(cue=(cue_start, cue_end), source=source, pieces=pieces, acc=True)
    # "Content, according to X." / "Content, according to X, more content."
    region_end = cue_start
    while region_end > sent_start and norm[region_end - 1] in " ,(\u2014\u2013-":
        region_end -= 1
    q = doc.quote_ending_at(region_end)
    if q and q[0] < sent_start:
        start = q[0]
    else:
        start = sent_start
        boundary = max(
            norm.rfind("; ", sent_start, region_end), norm.rfind(": ", sent_start, region_end)
        )
        if boundary >= 0 and not doc.quote_at(boundary):
            start = boundary + 2
    pieces = []
    span = _strip_punct(norm, start, region_end)
    if span[1] - span[0] >= 3:
        pieces.append(span)
    rest = norm[after:sent_end]
    m = re.match(r"\s*[,)\u2014\u2013-]+\s*", rest)
    if m and len(rest[m.end() :].split()) >= 3:
        tail = _clause_content(doc, after + m.end(), sent_end)
        if tail:
            pieces.append(tail)
    if not pieces:
        return None
    return _Attribution(cue=(cue_start, cue_end), source=source, pieces=pieces, acc=True)


def _holds_other_cue(att: _Attribution, sorted_cues: list[int]) -> bool:
    """Whether a content piece of ``att`` contains the cue of another attribution."""
    for s, e in att.pieces:
        i = bisect.bisect_left(sorted_cues, s)
        while i < len(sorted_cues) and sorted_cues[i] < e:
            if sorted_cues[i] != att.cue[0]:
                return True
            i += 1
    return False


def _finalise(doc: _Doc, found: list[_Attribution]) -> list[_Attribution]:
    """Trim contents at other attributions' sources/cues; drop duplicates and nested ones."""
    norm = doc.norm
    marks = sorted({a.cue[0] for a in found} | {a.source[0] for a in found if a.source is not None})
    cue_starts = sorted(a.cue[0] for a in found)
    # "According to X, Y told Z ...": the inner attribution stands; the outer one goes
    found = [a for a in found if not (a.acc and _holds_other_cue(a, cue_starts))]
    out = []
    for att in found:
        own = {att.cue[0]} | ({att.source[0]} if att.source else set())
        pieces = []
        for s, e in att.pieces:
            cut = e
            i = bisect.bisect_right(marks, s)
            while i < len(marks) and marks[i] < cut:
                if marks[i] not in own and not doc.quote_at(marks[i]):
                    cut = marks[i]
                    break
                i += 1
            if cut < e:
                # back up over the joining words of the next attribution ("..., but he")
                region = norm[s:cut]
                m = re.search(r"(?:[,;]?\s*(?:and|but|while|as|so|then|, and)?\s*)$", region)
                cut = s + (m.start() if m else len(region))
                s, cut = _strip_punct(norm, s, cut)
                if cut - s < 3:
                    continue
            pieces.append((s, cut))
        # the content must not contain its own cue
        pieces = [
            (s, e) for s, e in pieces if not (s <= att.cue[0] < e and not doc.quote_at(att.cue[0]))
        ]
        if not pieces:
            continue
        att.pieces = sorted(set(pieces))
        out.append(att)
    # drop attributions whose content covers another's cue (e.g. "According to X, Y told Z ...")
    cues = sorted(a.cue[0] for a in out)
    kept = []
    seen = set()
    for att in out:
        key = tuple(att.pieces)
        if (att.acc and _holds_other_cue(att, cues)) or key in seen:
            continue
        seen.add(key)
        kept.append(att)
    return kept


# ---------------------------------------------------------------------------------------------
# speakers and source types


def _name_tokens(name: str) -> list[str]:
    return [t for t in re.split(r"\s+", name.strip()) if t]


def fold_name(name: str) -> str:
    """A person's name without titles and descriptors: "Russian President Vladimir Putin" ->
    "Vladimir Putin", "Sir Tony Brenton" -> "Tony Brenton", "Sen. Ted Cruz (R-Texas)" -> "Ted
    Cruz", "Senator Bernie Sanders of Vermont" -> "Bernie Sanders".

    Bracketed affiliations, a trailing possessive and an "of <place>" tail are removed, and so
    is everything up to the last title word (President, Sen., Sir, Dr., Mr., former, ...).
    """
    name = re.sub(r"\([^)]*\)", " ", name or "")
    name = re.sub(r"\s+of\s+.*$", "", name.strip())
    name = re.sub(r"['\u2019]s?$", "", name.strip())
    tokens = [t.strip(",") for t in _name_tokens(name) if t.strip(",")]
    cut = 0
    for i, token in enumerate(tokens[:-1]):
        if token.lower().strip(".,") in _TITLE_ONLY:
            cut = i + 1
    return " ".join(tokens[cut:])


def _surname(folded: str) -> str:
    tokens = [t for t in folded.split() if t.lower().strip(".,") not in ("jr", "sr", "ii", "iii")]
    return tokens[-1].lower().strip(".,") if tokens else ""


_NAME_CHUNK = re.compile(
    r"(?:[A-Z][\w.'&/-]*|al-[\w'-]+)(?:\s+(?:(?:of|for|on|and|the|de|bin|van|von|al|la|del|der|"
    r"ibn|di|da|du)\s+)*(?:[A-Z][\w.'&/-]*|al-[\w'-]+))*"
)
_LEADING_MODIFIER = re.compile(
    r"^(?:(?:the|a|an)\s+|[\w-]+-(?:based|led|backed|run|funded)\s+)+", re.I
)


def _name_chunk(source_text: str) -> str | None:
    """The proper name in a source ("Paul Pillar, a former analyst" -> "Paul Pillar";
    "Ronald Reagan's former secretary William Bennett" -> "William Bennett")."""
    head = re.split(r",|\s[\u2014\u2013-]\s", source_text)[0]
    found = None
    for m in _NAME_CHUNK.finditer(head):
        chunk = _LEADING_MODIFIER.sub("", m.group(0)).strip()
        words = chunk.split()
        while words and words[0].lower().strip(".,") in _CAP_FUNCTION:
            words = words[1:]
        chunk = " ".join(words)
        if not chunk or re.search(r"['\u2019]s?$", chunk) and m.end() < len(head.rstrip()):
            continue  # a possessive modifier ("Mr. Obama's deputy")
        if all(w.lower().strip(".,") in _TITLE_ONLY for w in chunk.split()):
            continue  # "the Comptroller", "9:30 A.M."
        if sum(1 for w in chunk.split() if len(w) >= 4 and w.isupper()) >= 2:
            continue  # "NOBODY WILL LEAVE Damascus": a shouted heading, not a name
        found = chunk  # the last name wins ("Observatory director Rami Abdel Rahman")
    return found


def _head_noun(source_text: str) -> str:
    """Last word of the first noun phrase of a source ("a spokesman for X" -> "spokesman")."""
    first = re.split(
        r",|\s(?:of|for|at|with|from|in|on|close to|familiar with|who|that|to|by|"
        r"under|inside|within|among|released|published|conducted|taken|issued|out|last|this|"
        r"earlier)\b",
        source_text.strip(),
    )[0]
    words = re.findall(r"[\w'-]+", first)
    return words[-1].lower().strip("'") if words else ""


_TITLE_ONLY = TITLE_WORDS | frozenset(
    "a.m p.m am pm comptroller cardinal treasurer auditor councilor councillor premier "
    "governor-elect president-elect chancellor magistrate".split()
)
_ANON_HEADS = frozenset(
    "officials official sources source aides aide people persons person insiders insider "
    "advisers adviser advisors advisor experts expert analysts analyst critics critic observers "
    "diplomats diplomat staffers staffer members member residents resident witnesses witness "
    "activists activist supporters supporter opponents opponent lawmakers lawmaker strategists "
    "strategist operatives operative investigators investigator someone spokesman spokeswoman "
    "spokesperson representatives representative voters voter others economists economist "
    "scientists scientist researchers researcher scholars scholar employees employee officers "
    "officer soldiers soldier fighters locals americans republicans democrats conservatives "
    "liberals donors donor allies ally friends friend relatives relative neighbors neighbor "
    "observers organizers organizer".split()
)
_DOCUMENT_HEADS = frozenset(
    "report reports transcript statement statements study studies poll polls survey surveys "
    "document documents letter memo filing filings data records record book analysis complaint "
    "lawsuit tweet tweets release email emails indictment ruling order bill law resolution "
    "paper article review audit estimate estimates figures numbers census assessment testimony "
    "platform ad advertisement video footage message note speech op-ed interview website page "
    "account findings results summary excerpts transcripts sheet website polling count tally "
    "projections projection forecast model documents cable cables minutes".split()
)
_MEDIA_HEADS = frozenset(
    "times post news cnn fox nbc abc cbs msnbc npr pbs reuters ap afp bloomberg journal "
    "politico breitbart bbc tv television radio newspaper magazine outlet network agency tass "
    "sputnik sana guardian telegraph tribune herald gazette daily huffpost buzzfeed axios hill "
    "atlantic newsweek today wire broadcaster channel media press reporter reporters journalist "
    "journalists columnist editorial anchor blog site intercept register globe examiner "
    "observer economist mirror sun standard star".split()
)
_ORG_HEADS = frozenset(
    "department ministry kremlin house party committee campaign council agency inc corp company "
    "university association institute foundation pentagon congress senate government "
    "administration police fbi cia nsa army military navy court group groups organization "
    "organisation office bureau commission union coalition embassy un nato eu board firm bank "
    "center centre league alliance movement federation authority authorities regime cabinet "
    "opposition rebels forces city state country county team caucus club society gop rnc dnc "
    "isis isil taliban hezbollah hamas observatory network ministry council staff school church "
    "hospital force army jazeera fund pac legislature parliament secretariat mission management "
    "directorate command monitor watchdog".split()
)
_PERSON_NOUNS = frozenset(
    "senator president governor candidate ambassador minister mayor secretary leader nominee "
    "chairman chairwoman director lawyer attorney man woman father mother son daughter wife "
    "husband businessman congressman congresswoman judge professor author chief commander "
    "general host pastor doctor speaker manager chair founder ceo executive head nominee "
    "prosecutor sheriff king queen prince pope bishop imam rabbi actor actress singer coach "
    "player mogul billionaire veteran student teacher mom dad brother sister frontrunner "
    "front-runner".split()
)


def classify_source(source: str) -> str:
    """Source type of a source as written: ``person``, ``organization``, ``media``,
    ``document``, ``anonymous`` or ``unknown``.

    Decided by the head noun of the source's first noun phrase and by whether it holds a proper
    name: "officials", "a source close to the campaign" -> anonymous; "a Kremlin transcript" ->
    document; "Syrian state TV" -> media; "the State Department" -> organization; "Sir Tony
    Brenton", "the senator", "he" -> person; "it", "they", "" -> unknown.
    """
    text = (source or "").strip()
    if not text:
        return "unknown"
    low = text.lower()
    if low in ("he", "she", "i", "him", "her", "who", "me"):
        return "person"
    if low in ("it", "they", "we", "you", "this", "that", "which", "us", "them"):
        return "unknown"
    head = _head_noun(text)
    name = _name_chunk(text)
    first = low.split()[0]
    indefinite = first in (
        "a", "an", "one", "two", "three", "four", "several", "some", "many", "other", "another",
        "most", "few", "dozens", "numerous", "various", "multiple",
    )  # fmt: skip
    if name and name.split()[-1].lower().strip(".,'") != head and head not in _PERSON_NOUNS:
        name = None  # "Antenna owners": a capitalised modifier, not a name
    if head in _DOCUMENT_HEADS:
        return "document"
    definite = first in ("the", "this", "that", "his", "her", "their", "its") or bool(
        re.search(r"['\u2019]s?\s", text)
    )
    if head in _ANON_HEADS and (indefinite or (head.endswith("s") and head != "witness")):
        return "anonymous"
    if head in _ANON_HEADS and not name and not definite:
        return "anonymous"
    if head in _MEDIA_HEADS or (name and _MEDIA_WORDS.search(name) and head not in _PERSON_NOUNS):
        return "media"
    if head in _ORG_HEADS or (name and _ORG_WORDS.search(name) and head not in _PERSON_NOUNS):
        return "organization"
    if head in _PERSON_NOUNS:
        return "anonymous" if indefinite else "person"
    if name and re.fullmatch(r"[A-Z]{2,6}", name):
        return "organization"  # "SOHR", "UNICEF", "NATO"
    if name:
        return "anonymous" if indefinite and len(name.split()) == 1 else "person"
    if re.fullmatch(r"[a-z-]+[^su]s", head) and not definite or indefinite:
        return "anonymous"  # an unnamed group: "antenna owners", "many", "some critics"
    return "unknown"


def _speaker_name(raw: str, stype: str) -> str:
    """A display name for a named, non-person source: the proper name when it is the head
    ("state news agency SANA" -> "SANA", "the Syrian Observatory for Human Rights"), else the
    short phrase holding it ("Syrian state TV"); empty for a description ("the newspaper",
    "the Britain-based monitor")."""
    name = _name_chunk(raw)
    if not name:
        return ""
    head = _head_noun(raw)
    short = _LEADING_MODIFIER.sub("", re.split(r",|\s[\u2014\u2013-]\s", raw)[0].strip())
    phrase = len(short.split()) <= 4 and name.lower() in short.lower()
    if phrase and (stype == "document" or len(name) <= 2):
        return short  # "Kremlin transcript", "Syrian state TV"
    if stype == "document" and head in _DOCUMENT_HEADS and head not in name.lower():
        return f"{name} {head}"  # "a new Fox News poll released Thursday" -> "Fox News poll"
    if name.split()[-1].lower().strip(".,'") == head or head in _ORG_HEADS and head in name.lower():
        return name
    if phrase and head in _MEDIA_HEADS:
        return short  # keep lowercase words of the name ("Syrian state television")
    return ""


class _NamedSources:
    """The named sources met so far in an article, for resolving later references.

    The resolution rules ask for the *most recent* source satisfying a condition that depends
    only on its name and source type (and, for "he"/"she", the gender known for the name).
    Instead of walking back over every earlier source (quadratic in the number of
    attributions), each distinct ``(name, type)`` is kept once, in order of its last mention,
    so a question walks back over distinct sources only and stops at the first that fits: the
    same answer, since an older mention of a source cannot fit when a newer one does not.
    """

    def __init__(self) -> None:
        self.persons: dict[str, None] = {}  # person names, least recently mentioned first
        self.others: dict[tuple[str, str], None] = {}  # (name, type) of the other sources
        self.others_by_word: dict[str, dict[tuple[str, str], None]] = {}
        self.words: dict[str, frozenset[str]] = {}
        self.last_type: dict[str, str] = {}  # type of the last mention of each name
        self.last_of_type: dict[str, str] = {}  # name of the last source of each type

    @staticmethod
    def _touch(order: dict, key) -> None:
        order.pop(key, None)
        order[key] = None

    def add(self, name: str, kind: str) -> None:
        """Record a mention of source ``name`` of type ``kind``."""
        self.last_type[name] = kind
        self.last_of_type[kind] = name
        if kind == "person":
            self._touch(self.persons, name)
            return
        key = (name, kind)
        self._touch(self.others, key)
        words = self.words.get(name)
        if words is None:
            words = self.words[name] = frozenset(name.lower().split())
        for word in words:
            self._touch(self.others_by_word.setdefault(word, {}), key)

    def pronoun(self, want: str, gender: dict[str, str]) -> str:
        """The most recent source a pronoun of kind ``want`` can refer to ("" if none): a
        person (of a compatible gender for "he"/"she") or, for "they"/"it", another source."""
        if want in ("plural", "thing"):
            return next(reversed(self.others), ("", ""))[0]
        for name in reversed(self.persons):
            if want in ("male", "female") and gender.get(name, want) != want:
                continue
            return name
        return ""

    def containing(self, words: set[str]) -> str:
        """The most recent non-person source whose name holds every word of ``words`` and
        more ("the Observatory" -> "Syrian Observatory for Human Rights"), or ""."""
        if not words:
            return ""
        lists = [self.others_by_word.get(word, {}) for word in words]
        for name, _kind in reversed(min(lists, key=len)):
            if words < self.words[name]:
                return name
        return ""


def _resolve(doc: _Doc, atts: list[_Attribution]) -> list[tuple[str, str]]:
    """(speaker, source_type) for each attribution, in text order."""
    text = doc.text
    full_by_surname: dict[str, str] = {}
    named = _NamedSources()
    results = []
    gender: dict[str, str] = {}
    for att in atts:
        if att.source is None:
            results.append(("", "unknown" if not att.passive else "unknown"))
            continue
        raw = text[att.source[0] : att.source[1]]
        low = raw.lower().strip()
        stype = classify_source(raw)
        speaker = ""
        if low in _PRONOUNS or low == "who":
            want = _PRONOUNS.get(low, "person")
            speaker = named.pronoun(want, gender)
            if speaker and want in ("male", "female"):
                gender.setdefault(speaker, want)
            if speaker and want in ("plural", "thing"):
                stype = named.last_type[speaker]
            elif speaker:
                stype = "person"
            results.append((speaker, stype))
            continue
        name = _name_chunk(raw)
        if name and stype in ("person", "organization", "media", "document"):
            folded = fold_name(name)
            key = _surname(folded) if stype == "person" else folded.lower()
            if stype == "person" and key:
                known = full_by_surname.get(key)
                if known is None or len(folded.split()) > len(known.split()):
                    if known is None or known.split()[-1] == folded.split()[-1]:
                        full_by_surname[key] = folded
                speaker = full_by_surname[key]
                m = re.match(r"(mr|mrs|ms|miss|sir|dame|lady|lord)\b", name.lower())
                if m:
                    gender[speaker] = "male" if m.group(1) in ("mr", "sir", "lord") else "female"
            else:
                speaker = _speaker_name(raw, stype)
                # "the Observatory" after its full name
                speaker = named.containing(set(speaker.lower().split())) or speaker
            if speaker:
                named.add(speaker, stype)
        elif stype not in ("anonymous",) and low.startswith(("the ", "this ")):
            # a definite description ("the senator"): the nearest earlier compatible source
            head = low.split()[-1]
            if stype in ("person", "unknown"):
                if "person" in named.last_of_type:
                    cand = named.last_of_type["person"]
                    speaker = cand if head not in ("campaign", "group") else ""
            else:
                speaker = named.last_of_type.get(stype, "")
            if speaker and stype == "unknown":
                stype = "person"
        results.append((speaker, stype))
    # second pass: map bare surnames seen before their full name to the full form
    final = []
    for speaker, stype in results:
        if speaker and stype == "person":
            key = _surname(speaker)
            full = full_by_surname.get(key)
            if full and full.split()[-1] == speaker.split()[-1]:
                speaker = full
        final.append((speaker, stype))
    return final


def _kind(doc: _Doc, att: _Attribution) -> str:
    if att.acc:
        return "according-to"
    quoted = all(
        doc.quote_starting_at(s) is not None and doc.quote_ending_at(e) is not None
        for s, e in att.pieces
    )
    if quoted:
        return "direct"
    if any(_QUOTE_MARK.search(doc.norm, s, e) for s, e in att.pieces):
        return "mixed"
    return "indirect"


def _empty_frame() -> pd.DataFrame:
    return _empty_template().copy()


@functools.cache
def _empty_template() -> pd.DataFrame:
    data = {}
    for column in COLUMNS:
        if column.endswith(("_start", "_end")):
            data[column] = pd.Series([], dtype="int64")
        elif column == "content_spans":
            data[column] = pd.Series([], dtype="object")
        else:
            data[column] = pd.Series([], dtype="str")
    return pd.DataFrame(data)


def attribution_rows(text: str) -> list[tuple]:
    """Attributions in one article as plain tuples, one per attribution in text order, with the
    values of :data:`COLUMNS` in that order: the core of :func:`extract_attributions` without
    building a DataFrame (which costs more than the extraction on short articles), for callers
    that handle many articles, such as :mod:`utils.pipeline`. Empty or non-string input gives
    an empty list."""
    if not isinstance(text, str) or not text.strip():
        return []
    doc = _Doc(text)
    atts = _finalise(doc, _find(doc) + _headline_colons(doc) + _in_polls(doc))
    atts.sort(key=lambda a: (min(a.pieces)[0], a.cue[0]))
    if not atts:
        return []
    rows = []
    for att, (speaker, stype) in zip(atts, _resolve(doc, atts), strict=True):
        cs = min(s for s, _ in att.pieces)
        ce = max(e for _, e in att.pieces)
        ss, se = att.source if att.source else (att.cue[0], att.cue[0])
        rows.append((
            text[cs:ce], cs, ce,
            text[att.cue[0] : att.cue[1]], att.cue[0], att.cue[1],
            text[ss:se], ss, se,
            speaker, stype, _kind(doc, att), [tuple(p) for p in att.pieces],
        ))  # fmt: skip
    return rows


def attribution_frame(rows: list[tuple], doc_ids: list[str] | None = None) -> pd.DataFrame:
    """A frame of :data:`COLUMNS` (preceded by ``doc_id`` when ``doc_ids`` gives one per row)
    from rows of :func:`attribution_rows`, with the dtypes of an empty frame when there are
    none."""
    if not rows:
        frame = _empty_frame()
    else:
        frame = pd.DataFrame.from_records(rows, columns=list(COLUMNS))
        frame = frame.astype(_empty_template().dtypes.to_dict())
    if doc_ids is not None:
        frame.insert(0, "doc_id", pd.Series(doc_ids, dtype="str", index=frame.index))
    return frame


def extract_attributions(text: str) -> pd.DataFrame:
    """Attributions in one article: who (source) says (cue) what (content), with offsets.

    Returns one row per attribution, in text order, with the columns of :data:`COLUMNS`:
    ``content``/``content_start``/``content_end`` (covering all pieces of a quote split around
    its cue; ``content_spans`` lists the pieces as ``(start, end)`` tuples), ``cue``,
    ``cue_start``, ``cue_end``, ``source``/``source_start``/``source_end`` (empty with equal
    offsets when there is none, e.g. "it was reported"), ``speaker`` (the source resolved to a
    name, or ""), ``source_type`` (one of :data:`SOURCE_TYPES`) and ``kind`` (one of
    :data:`KINDS`). For every row ``text[content_start:content_end] == content`` (and the same
    for cue and source). Empty or non-string input gives an empty frame with these columns.
    """
    return attribution_frame(attribution_rows(text))


# ---------------------------------------------------------------------------------------------
# corpus level

#: Source types counted as named sourcing by :func:`sourcing_by_group`.
NAMED_TYPES = ("person", "organization", "media", "document")


#: Share of a surname's full-name mentions one person must hold for the bare surname to be
#: mapped to them when several people share the surname (see :func:`canonical_speakers`).
DOMINANT_NAME_SHARE = 0.75


def canonical_speaker_mapping(
    counts: Mapping[tuple[str, str], int],
) -> dict[tuple[str, str], str]:
    """The rules of :func:`canonical_speakers` from counts alone: ``counts`` maps each
    ``(speaker, source_type)`` pair to its number of mentions; returns each pair's canonical
    name (empty speakers map to ""). Reductions over partitions use it so that memory grows with
    the number of distinct speakers, not of attributions."""
    persons: Counter = Counter()
    others: Counter = Counter()
    for (name, kind), count in counts.items():
        if name:
            (persons if kind == "person" else others)[name] += count
    person_name: dict[str, str] = {}
    by_surname: dict[str, list[str]] = {}
    for name in persons:
        by_surname.setdefault(_surname(name), []).append(name)
    for names in by_surname.values():
        full = [n for n in names if len(n.split()) > 1]
        firsts = {n.split()[0].lower().strip(".") for n in full}
        best = sorted(full, key=lambda n: (-persons[n], n))[0] if full else None
        if len(firsts) <= 1 and full:
            person_name.update((name, best) for name in names)
            continue
        person_name.update((name, name) for name in names)
        # a bare surname goes to a clearly dominant full name ("Trump")
        if full and persons[best] >= DOMINANT_NAME_SHARE * sum(persons[n] for n in full):
            person_name.update((name, best) for name in names if len(name.split()) == 1)
    spelling: dict[str, str] = {}
    for name in sorted(others, key=lambda n: (-others[n], n)):
        spelling.setdefault(name.lower(), name)
    holding: dict[str, list[str]] = {}  # lower-cased word -> the names holding it
    for name in others:
        for word in set(name.lower().split()):
            holding.setdefault(word, []).append(name)
    for name in sorted(others, key=lambda n: (-others[n], n)):
        if len(name.split()) == 1 and not name.isupper():
            longer = [n for n in holding.get(name.lower(), ()) if n != name]
            if longer:
                spelling[name.lower()] = sorted(longer, key=lambda n: (-others[n], n))[0]
    mapping = {}
    for name, kind in counts:
        if not name:
            mapping[(name, kind)] = ""
        elif kind == "person":
            mapping[(name, kind)] = person_name.get(name, name)
        else:
            mapping[(name, kind)] = spelling.get(name.lower(), name)
    return mapping


def canonical_speakers(speakers: pd.Series, source_types: pd.Series | None = None) -> pd.Series:
    """Canonical speaker names across articles.

    Person names are grouped by surname: when every multi-word name with that surname shares its
    first word (no two different people, e.g. "Bill Clinton" and "Hillary Clinton"), all of them,
    and the bare surname, become the most frequent multi-word form (ties alphabetical). When
    several people share it, the full names stay apart and the bare surname goes to the most
    frequent full name only if that name holds at least :data:`DOMINANT_NAME_SHARE` of the
    full-name mentions ("Trump" -> "Donald Trump" beside a few "Ivanka Trump"); otherwise it
    stays as written. Other
    speakers are matched case-insensitively (the most frequent spelling wins), and a one-word
    name that is not an acronym ("Observatory") becomes the most frequent longer name holding
    that word ("Syrian Observatory for Human Rights"). Empty speakers stay empty.
    """
    speakers = speakers.fillna("").astype(str)
    types = (
        source_types.fillna("unknown").astype(str)
        if source_types is not None
        else pd.Series("person", index=speakers.index)
    )
    pairs = list(zip(speakers, types, strict=True))
    mapping = canonical_speaker_mapping(Counter(pairs))
    values = [mapping.get(pair, pair[0]) for pair in pairs]
    return pd.Series(values, index=speakers.index, dtype="str", name="speaker")


def corpus_attributions(corpus: pd.DataFrame, text_column: str = "text") -> pd.DataFrame:
    """Attributions of every article of a corpus as one tidy table.

    ``corpus`` is a frame from :func:`utils.corpus.load_corpus` (``doc_id`` and ``text``
    columns). Returns ``doc_id`` followed by the columns of :func:`extract_attributions`, rows
    in corpus order then text order, with ``speaker`` canonicalised across articles
    (:func:`canonical_speakers`). Offsets refer to each article's ``text`` as loaded.
    """
    if text_column not in corpus.columns or "doc_id" not in corpus.columns:
        raise ValueError(
            f"corpus_attributions needs 'doc_id' and {text_column!r} columns (a load_corpus "
            f"frame); got {list(corpus.columns)}"
        )
    rows: list[tuple] = []
    doc_ids: list[str] = []
    from utils.corpus.language import analysed_mask

    for doc_id, text, ok in zip(corpus["doc_id"], corpus[text_column], analysed_mask(corpus),
                                strict=True):
        # the rules are English: other languages have no attributions
        found = attribution_rows(text if isinstance(text, str) and ok else "")
        rows.extend(found)
        doc_ids.extend([str(doc_id)] * len(found))
    table = attribution_frame(rows, doc_ids)
    if table.empty:
        return table
    table["speaker"] = canonical_speakers(table["speaker"], table["source_type"])
    return table


def most_cited_sources(attributions: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The ``n`` speakers with most attributions: ``speaker, source_type, attributions,
    articles`` (most attributions first, ties alphabetical). Unresolved (empty) speakers are
    left out; a speaker's type is its most frequent one."""
    named = attributions[attributions["speaker"].fillna("") != ""]
    if named.empty:
        return pd.DataFrame(
            {
                "speaker": pd.Series([], dtype="str"),
                "source_type": pd.Series([], dtype="str"),
                "attributions": pd.Series([], dtype="int64"),
                "articles": pd.Series([], dtype="int64"),
            }
        )
    grouped = named.groupby("speaker", sort=True)
    table = pd.DataFrame(
        {
            "attributions": grouped.size(),
            "articles": grouped["doc_id"].nunique() if "doc_id" in named else 1,
            "source_type": grouped["source_type"].agg(
                lambda s: sorted(Counter(s).items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
            ),
        }
    ).reset_index()
    table = table.sort_values(["attributions", "speaker"], ascending=[False, True])
    table = table[["speaker", "source_type", "attributions", "articles"]].head(n)
    return table.reset_index(drop=True).astype({"attributions": "int64", "articles": "int64"})


def source_type_shares(attributions: pd.DataFrame, digits: int = 3) -> pd.DataFrame:
    """Attributions and their share per source type, in :data:`SOURCE_TYPES` order (all six
    types listed, zero when absent; shares are 0 for an empty table)."""
    counts = Counter(attributions["source_type"]) if len(attributions) else Counter()
    total = sum(counts.values())
    return pd.DataFrame(
        {
            "source_type": list(SOURCE_TYPES),
            "attributions": [int(counts.get(t, 0)) for t in SOURCE_TYPES],
            "share": [
                round(counts.get(t, 0) / total, digits) if total else 0.0 for t in SOURCE_TYPES
            ],
        }
    )


def _group_values(corpus: pd.DataFrame, by: str | None) -> pd.Series:
    """The group of every article as text: ``"all"`` without ``by``, ``YYYY-MM`` of ``date``
    for ``by="month"`` (unless the corpus has a ``month`` column), ``"(missing)"`` for none."""
    if by is None:
        return pd.Series("all", index=corpus.index, dtype="str")
    if by == "month" and "month" not in corpus.columns and "date" in corpus.columns:
        months = pd.to_datetime(corpus["date"], errors="coerce").dt.strftime("%Y-%m")
        return months.astype("object").where(months.notna(), "(missing)").astype("str")
    if by not in corpus.columns:
        raise ValueError(f"no column {by!r} in the corpus; columns: {list(corpus.columns)} "
                         "(or 'month', the month of 'date')")
    return corpus[by].astype("str").fillna("(missing)").replace("<NA>", "(missing)")


def quotes_per_1000_words(
    corpus: pd.DataFrame,
    attributions: pd.DataFrame,
    by: str | None = None,
    digits: int = 3,
) -> pd.DataFrame:
    """Attribution density: per group (or overall when ``by`` is None) the number of
    articles, words (:func:`utils.text.count_words`), attributions and direct quotes, and both
    per 1,000 words. Groups are sorted alphabetically; a group with no words has rate 0, and
    one whose articles are all in languages the rules cannot read (not analysed) has missing
    rates (its words are not counted)."""
    from utils.corpus.language import analysed_mask
    from utils.text import count_words

    groups = _group_values(corpus, by)
    analysed = analysed_mask(corpus)
    words = pd.Series(
        [count_words(t) if isinstance(t, str) and ok else 0
         for t, ok in zip(corpus["text"], analysed, strict=True)], index=corpus.index
    )
    analysed = pd.Series(analysed, index=corpus.index)
    doc_group = dict(zip(corpus["doc_id"].astype(str), groups, strict=True))
    att_groups = attributions["doc_id"].astype(str).map(doc_group)
    direct = attributions["kind"] == "direct"
    rows = []
    for group in sorted(set(groups)):
        in_group = groups == group
        n_words = int(words[in_group].sum())
        n_att = int((att_groups == group).sum())
        n_direct = int(((att_groups == group) & direct).sum())
        unread = not analysed[in_group].any()  # none of its articles could be analysed
        empty_rate = float("nan") if unread else 0.0
        rows.append(
            {
                "group": group,
                "articles": int(in_group.sum()),
                "words": n_words,
                "attributions": n_att,
                "direct_quotes": n_direct,
                "attributions_per_1000_words": round(1000 * n_att / n_words, digits)
                if n_words
                else empty_rate,
                "direct_quotes_per_1000_words": round(1000 * n_direct / n_words, digits)
                if n_words
                else empty_rate,
            }
        )
    return pd.DataFrame(rows)


def sourcing_by_group(
    corpus: pd.DataFrame, attributions: pd.DataFrame, by: str = "source", digits: int = 3
) -> pd.DataFrame:
    """Named versus anonymous sourcing per group (publisher, label, ...).

    Per group (alphabetical): ``articles``, ``attributions``, ``named`` (source type person,
    organization, media or document), ``anonymous``, ``unattributed`` (no or unknown source)
    and the shares ``named_share`` and ``anonymous_share`` of the group's attributions.
    """
    groups = _group_values(corpus, by)
    doc_group = dict(zip(corpus["doc_id"].astype(str), groups, strict=True))
    att_groups = attributions["doc_id"].astype(str).map(doc_group)
    rows = []
    for group in sorted(set(groups)):
        mine = attributions[att_groups == group]
        total = len(mine)
        named = int(mine["source_type"].isin(NAMED_TYPES).sum())
        anonymous = int((mine["source_type"] == "anonymous").sum())
        rows.append(
            {
                "group": group,
                "articles": int((groups == group).sum()),
                "attributions": total,
                "named": named,
                "anonymous": anonymous,
                "unattributed": total - named - anonymous,
                "named_share": round(named / total, digits) if total else 0.0,
                "anonymous_share": round(anonymous / total, digits) if total else 0.0,
            }
        )
    return pd.DataFrame(rows)


def cocitation_edges(attributions: pd.DataFrame, min_articles: int = 1) -> pd.DataFrame:
    """Who is quoted together: one row per pair of named speakers cited in the same article.

    Returns ``speaker_a, speaker_b, articles`` (``speaker_a < speaker_b``; ``articles`` = the
    number of articles citing both), keeping pairs with at least ``min_articles``, most shared
    articles first, ties alphabetical.
    """
    from itertools import combinations

    counts: Counter = Counter()
    named = attributions[attributions["speaker"].fillna("") != ""]
    for _doc, speakers in named.groupby("doc_id", sort=True)["speaker"]:
        for a, b in combinations(sorted(set(speakers)), 2):
            counts[(a, b)] += 1
    rows = [
        {"speaker_a": a, "speaker_b": b, "articles": n}
        for (a, b), n in counts.items()
        if n >= min_articles
    ]
    if not rows:
        return pd.DataFrame(
            {
                "speaker_a": pd.Series([], dtype="str"),
                "speaker_b": pd.Series([], dtype="str"),
                "articles": pd.Series([], dtype="int64"),
            }
        )
    table = pd.DataFrame(rows).sort_values(
        ["articles", "speaker_a", "speaker_b"], ascending=[False, True, True]
    )
    return table.reset_index(drop=True)
