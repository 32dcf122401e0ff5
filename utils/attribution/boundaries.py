"""The span conventions of the reported attributions: where a cue, a source and a content
begin and end.

The rules and the tagger find an attribution around its core words (the reporting verb, the
head of the source); the spans an attribution is reported with follow the conventions of
hand-annotated attribution corpora (PolNeAR, PARC), counted on PolNeAR train (the fit part,
every fifth article held out) and kept when they raised the exact-span F1 on the held-out part:

- **cue**: the auxiliaries, modals and adverbs right before the verb belong to it ("has
  said", "also said", "is expected", "would later say"): in PolNeAR train a gold cue starts
  with "has" 590 times and leaves a "has" right before it out 6 times (:func:`cue_start`); so
  does "in a statement" right after it, and so does a preposition between the cue and a
  noun-phrase content ("talked about [the economy]", "referring to [X]", "offered his
  condolences for [X]": :func:`cue_preposition`).
- **source**: an apposition describing the source belongs to it ("Jane Smith, a senator from
  Ohio, said", "Sen. John Doe (D-Conn.) said", "said Jane Smith, a senator from Ohio."): a
  noun phrase after a comma (starting with a determiner, a capital, a number, or a role noun
  followed by "of"/"for"/"at") is inside the gold source about 600 times and outside it about
  15 times; an aside ("however", "in particular", a participle) stays outside
  (:func:`source_end`). A linking word or a time phrase before the source, a time phrase or
  aside after it and a lead-in before a pronoun are not part of it (:func:`_trim_source`:
  "Even the mayor", "On Tuesday Smith", "Smith on Tuesday", "The last time he"; text without
  commas leaves many of these inside the source).
- **content**: a linking word opening it is not part of it ("And ...", "However, ...";
  :func:`content_pieces`); a reported clause inside a subordinate clause that opens the
  sentence ends at that clause's comma ("While the president has said he opposes X, his
  administration ...": :func:`subordinate_end`); a lead-in of a few words and a comma before
  a quote that runs to the content's end is left out ("told host Matt Boyle, ["..."]":
  :func:`quote_after_lead_in`).

The appositions and the cue words are added to the final attributions after the speakers are
resolved (which read the name), the trimming of the source before: they change what a row
reports, never which attributions are found.
"""

from __future__ import annotations

import re
from dataclasses import replace

from utils.attribution.document import _Attribution, _Doc
from utils.attribution.lexicons import _LY_NOUNS, _SITE_DATE_LEAD, DAYS

#: Words taken into a cue from before its verb (lower case; a capitalised word is not taken:
#: it starts the sentence or a name).
CUE_LEAD_WORDS = frozenset(
    "has have had also is was are were will would could can may might must should shall did "
    "does do later previously repeatedly reportedly recently once often again further earlier "
    "publicly privately simply flatly openly bluntly quickly immediately frequently "
    "subsequently initially first finally only even just already still now since long "
    "ultimately eventually never not".split()
)

_CUE_LEAD = re.compile(r"([A-Za-z']+)\s+$")


def cue_start(doc: _Doc, att: _Attribution) -> int:
    """The start of ``att``'s cue with the auxiliaries and adverbs right before it (each
    separated by spaces only; never into the source or a quote)."""
    norm = doc.norm
    start = att.cue[0]
    floor = att.source[1] if att.source is not None and att.source[1] <= start else 0
    floor = max(floor, doc.sentence_of(start)[0])
    while start > floor:
        m = _CUE_LEAD.search(norm, max(floor, start - 40), start)
        if m is None or m.start() < floor:
            break
        word = m.group(1)
        low = word.lower()
        if word[0].isupper() or not (
            low in CUE_LEAD_WORDS or low.endswith("n't") or (
                low.endswith("ly") and low not in _LY_NOUNS and len(low) > 4)
        ):  # fmt: skip
            break
        if doc.quote_at(m.start()):
            break
        start = m.start()
    return start


#: An apposition: a determiner, a number, a capitalised word, "one of", or a role noun of up
#: to three words followed by "of", "for", "at", "to" or "with" ("chief economist at ...").
_APPOSITION = re.compile(
    r"(?:(?:a|an|the|one|two|three|both)\s|\d|[A-Z]|(?:[a-z-]+\s+){1,3}(?:of|for|at|to|with)\s)"
)
#: First words of an aside, never taken into a source.
_ASIDE_START = frozenset(
    "who whose which that however meanwhile though although also too for in on at during "
    "after before while when if as like including".split()
)
_PART = re.compile(r"\s*,\s*([^,;:\"()]+?)(?=\s*,)")
_LAST_PART = re.compile(r"\s*,\s*([^,;:\"()]+?)\s*$")
_PARENS = re.compile(r"\s*(\([^()\"]{1,40}\))")


def _apposition(part: str, who: bool) -> bool:
    """Whether ``part`` (the text between two commas after a source) describes the source."""
    words = part.split()
    if not words:
        return False
    first = words[0].lower()
    if who and first == "who":
        return True
    if first in _ASIDE_START or first.endswith("ing") or not _APPOSITION.match(part):
        return False
    return not (first.endswith("ly") and first not in _LY_NOUNS)


def _appositions_after(norm: str, pos: int, limit: int, who: bool, to_limit: bool) -> int:
    """The end of the run of parentheses and appositions (", a senator from Ohio") from
    ``pos``, each part ending at a comma (or at ``limit`` when ``to_limit``)."""
    while True:
        m = _PARENS.match(norm, pos, limit)
        if m:
            pos = m.end()
            continue
        m = _PART.match(norm, pos, limit)
        if m is None and to_limit:
            m = _LAST_PART.match(norm, pos, limit)
        if m is None or not _apposition(m.group(1), who):
            return pos
        pos = m.end()


def source_end(doc: _Doc, att: _Attribution, cue_begin: int) -> int:
    """The end of ``att``'s source with the appositions and parentheses after it taken in:
    between it and its cue (which starts at ``cue_begin``; ``"Jane Smith, a senator from
    Ohio, said"``), or after it when it follows its cue (``said Jane Smith, a senator from
    Ohio.``) up to the end of the sentence or the content."""
    if att.source is None:
        return 0
    norm = doc.norm
    end = att.source[1]
    if att.source[0] >= att.cue[1] and not att.acc:
        # inverted: up to the sentence end (without its final punctuation) or the content
        limit = doc.sentence_of(end)[1]
        limit = min([limit] + [s for s, _ in att.pieces if s >= end])
        while limit > end and norm[limit - 1] in " .!?\"'\n":
            limit -= 1
        if norm.find('"', end, limit) >= 0:
            limit = norm.find('"', end, limit)
        return _appositions_after(norm, end, limit, True, True)
    if end > cue_begin:
        return end
    gap = norm[end:cue_begin]
    if '"' in gap or len(gap) > 200:
        return end
    pos = _appositions_after(norm, end, cue_begin, True, False)
    # the rest up to the cue must be the comma closing the apposition (and spaces)
    if pos == end or norm[pos:cue_begin].strip(" ,") != "":
        return end
    return pos


#: A conjunction or linking adverb opening a content, left out of it ("And the party is ...",
#: "However, that news will ..."): in PolNeAR train a gold content starts with "and" or "but"
#: 58 times and leaves one right before it out 113 times.
_LEADING_LINK = re.compile(
    r"(?:(?:and|but|yet|so)\s+(?![,;:.])|(?:however|still|meanwhile|instead|also|"
    r"in contrast|moreover|furthermore|indeed|nevertheless|nonetheless|by contrast),\s+)",
    re.IGNORECASE,
)


#: A preposition between a cue and a noun-phrase content belongs to the cue ("talked about
#: [the economy]", "concern over [the bill]", "voted against [it]"). In PolNeAR train a gold
#: cue ends with one of these words about 1,600 times and a gold content starts with one about
#: 240 times. Not taken before a number or a quantity ("said about 40 people died", "said at
#: least 140 were wounded": there the word opens the reported clause).
_CUE_PREPOSITION = re.compile(
    r"\s*(about|of|for|on|against|over|with|at|into|toward|towards)\s+"
    r"(?!\d|(?:least|most|once|half|one|two|three|four|five|six|seven|eight|nine|ten|"
    r"dozens?|hundreds?|thousands?|millions?|billions?)\b)(?=\w)",
    re.IGNORECASE,
)


#: A preposition alone between a cue and its content ("referring to [X]", "known as [X]",
#: "responded with [X]"): part of the cue.
_GAP_PREPOSITION = re.compile(
    r"\s+(to|as|about|of|for|on|against|over|with|at|into|toward|towards)\s*"
)


def cue_preposition(doc: _Doc, att: _Attribution, start: int, end: int) -> tuple[int, int] | None:
    """``(cue end, content start)`` when a preposition that belongs to ``att``'s cue opens its
    content ``[start, end)`` right after the cue (see :data:`_CUE_PREPOSITION`) or stands
    alone between the two (:data:`_GAP_PREPOSITION`), else ``None``."""
    if att.acc or start < att.cue[1]:
        return None
    if doc.norm[att.cue[1] : start].strip():
        gap = _GAP_PREPOSITION.fullmatch(doc.norm, att.cue[1], start)
        return (gap.end(1), start) if gap else None
    m = _CUE_PREPOSITION.match(doc.norm, start, end)
    if m is None and doc.norm[att.cue[0] : att.cue[1]].split()[-1].lower() in LIGHT_VERBS:
        m = _NOUN_PREPOSITION.match(doc.norm, start, end)
    if m is None or m.end() >= end:
        return None
    return m.end(1), m.end()


#: Verbs whose noun says what kind of statement it is, the noun and its preposition being
#: part of the cue ("expressed [astonishment at] X", "offered his condolences for X").
LIGHT_VERBS = frozenset(
    "expressed expresses expressing voiced voices voicing offered offers offering signaled "
    "signals signaling signalled conveyed conveys registered".split()
)
_NOUN_PREPOSITION = re.compile(
    r"(?:(?:his|her|their|its|our|my|own|the|a|an|some|deep|strong|new|grave|serious)\s+){0,3}"
    r"[a-z][\w-]*\s+(about|at|for|of|over|with|on|against|in|to)\s+(?=\w)"
)


#: A short lead-in before the quote that makes up the rest of a content ("told Breitbart News
#: host Matt Boyle, "..."", "stated a day earlier, "...""): the quote alone is the content.
_LEAD_IN_BEFORE_QUOTE = re.compile(
    r"(?!(?:that|if|when|while|because|whether|how|what|who|why|where|as|and|but|so)\b)"
    r"[^\"\n,;:.]{1,60},\s*(?=\")",
    re.IGNORECASE,
)


def quote_after_lead_in(doc: _Doc, start: int, end: int) -> int:
    """Where the content ``[start, end)`` starts when it is a lead-in of at most five words
    and a comma before a quote running to its end (:data:`_LEAD_IN_BEFORE_QUOTE`); else
    ``start``."""
    m = _LEAD_IN_BEFORE_QUOTE.match(doc.norm, start, end)
    if m is None or len(doc.norm[start : m.end()].split()) > 5:
        return start
    quote = doc.quote_starting_at(m.end())
    if quote is None or quote[1] < end - 2:
        return start
    return m.end()


def content_pieces(doc: _Doc, att: _Attribution) -> list[tuple[int, int]]:
    """The content pieces of ``att`` as reported: the first without a linking word before its
    clause (:data:`_LEADING_LINK`; a quote is kept whole), and a reported clause inside a
    subordinate clause that opens the sentence ended at its comma (:func:`subordinate_end`)."""
    pieces = list(att.pieces)
    s, e = pieces[0]
    m = _LEADING_LINK.match(doc.norm, s, e)
    if m and e - m.end() >= 3 and not att.extra.get("cue_in_content"):
        pieces[0] = (m.end(), e)
    s, e = pieces[0]
    m = _SITE_DATE_LEAD.match(doc.norm, s, e)
    if m and e - m.end() >= 3:
        pieces[0] = (m.end(), e)  # "Published July 5 2015 [U.S.-led aircraft struck ...]"
    if len(pieces) == 1:
        pieces[0] = (pieces[0][0], subordinate_end(doc, att, *pieces[0]))
        pieces[0] = (quote_after_lead_in(doc, *pieces[0]), pieces[0][1])
    s, e = pieces[-1]
    m = _DANGLING_END.search(doc.norm, s, e)
    if m and m.start() - s >= 3:
        pieces[-1] = (s, m.start())
    return pieces


#: A linking word or preposition ending a content, with nothing after it ("his position of not
#: allowing Muslims to enter the United States by", "..., because"): the clause it opens is not
#: part of the content. In PolNeAR train a predicted content ends in one of these words 86
#: times with a wrong span and 3 times with the right one (fit part).
_DANGLING_END = re.compile(
    r"(?:\s*,)?\s+(?:by|because|after|when|which|where|than|from|and|or|but)$", re.IGNORECASE
)


#: A sentence that opens with a subordinate clause ("While the president has said he opposes
#: ..., his administration ..."): the clause runs to the first comma, and a reported clause
#: inside it ends there. In PolNeAR train ending such contents at the comma cut about 50 of
#: them on the fit part and turned 16 into matches, losing none (held-out part: 11 cut, 5
#: more matches).
_SUBORDINATE_OPENING = re.compile(
    r"\s*(?:while|although|though|even as|even though|whereas|because|since|if|even if|as|"
    r"when|after|before|unless|until)\s+[^,.;:!?\n\"]*$",
    re.IGNORECASE,
)
_QUOTE_OR_DOUBLED = re.compile(r"\"|''")


def subordinate_end(doc: _Doc, att: _Attribution, start: int, end: int) -> int:
    """Where the reported clause ``[start, end)`` of ``att`` ends: at the first comma in it
    when its source and cue sit in a subordinate clause opening the sentence (see
    :data:`_SUBORDINATE_OPENING`) and it holds no quotation mark; else at ``end``."""
    norm = doc.norm
    lead = min(att.source[0], att.cue[0]) if att.source else att.cue[0]
    if att.acc or lead > start or _QUOTE_OR_DOUBLED.search(norm, start, end):
        return end
    sentence_start = doc.sentence_of(lead)[0]
    if not _SUBORDINATE_OPENING.fullmatch(norm, sentence_start, lead):
        return end
    comma = norm.find(",", start, end)
    if comma < 0 or len(norm[start:comma].split()) < 2:
        return end
    return comma


#: A time expression ending a source ("Smith on Tuesday said"), left out of it.
_TRAILING_TIME = re.compile(
    rf"\s+(?:(?:on|last|this|late|early|earlier|later)\s+(?:{DAYS}|week|month|year|night|"
    rf"morning|afternoon|evening)|yesterday|today|tonight)$",
    re.IGNORECASE,
)
#: A word opening a source that the source leaves out ("Even the organizer", "And he").
_TIME_NOUN = rf"(?:{DAYS}|week|month|year|night|morning|afternoon|evening|weekend|time)"
_LEADING_SOURCE_WORD = re.compile(
    r"(?:(?:and|but|even|only|virtually|so|yet|then|still|now|meanwhile|however|also|said|"
    r"says|"
    rf"(?-i:(?!(?:family|ally|rally|reply|supply|assembly|monopoly)\b)[a-z]{{2,}}ly))\s+|(?:on|in|at|during|by|since|after|before|for)\s+(?:the\s+)?(?:(?:first|"
    rf"last|same|next)\s+)?(?:{_TIME_NOUN}|\d{{4}})\s+|(?:last|this|next|earlier\s+this|"
    rf"later\s+that)\s+{_TIME_NOUN}\s+)+",
    re.IGNORECASE,
)
#: An aside ending a source in text without commas ("Smith however said").
_TRAILING_ASIDE = re.compile(r"\s+(?:however|for instance|for example|by contrast|in turn|"
                             r"meanwhile|too|though)$", re.IGNORECASE)  # fmt: skip
_SUBJECT_PRONOUN = re.compile(r"(?<![\w'])(?:he|she|they|we|I|it)$")


def _trim_source(norm: str, start: int, end: int) -> tuple[int, int]:
    """A source span without a leading linking word, a trailing time expression, and, when it
    ends in a subject pronoun after other words ("The last time he"), the pronoun alone."""
    m = _LEADING_SOURCE_WORD.match(norm, start, end)
    if m and m.end() < end:
        start = m.end()
    for trailing in (_TRAILING_TIME, _TRAILING_ASIDE):
        m = trailing.search(norm, start, end)
        if m and m.start() > start:
            end = m.start()
    m = _SUBJECT_PRONOUN.search(norm, start, end)
    if m and m.start() > start and _lead_in(norm[start : m.start()].split()):
        start = m.start()
    return start, end


#: Capitalised words that can open the lead-in before a pronoun ("The last time he").
_LEAD_IN_OPENERS = frozenset("the a an when what who as if then now so once while".split())


def _lead_in(words: list[str]) -> bool:
    """Whether ``words`` before a subject pronoun are a lead-in ("The last time", "Recently",
    "what"), not a subject of their own ("Trump thought", "Smith and"): at most three words,
    all in lower case but an opening function word or adverb, no "and"/"or"."""
    if not words or len(words) > 3 or words[-1].lower() in ("and", "or"):
        return False
    first = words[0]
    if not first.islower() and not (first.lower() in _LEAD_IN_OPENERS or first.endswith("ly")):
        return False
    return all(w.islower() for w in words[1:])


#: "in a statement" right after a cue belongs to it (PolNeAR train: 39 times in, 19 out; "in
#: an interview", "on Twitter" and days are left out as often or more).
_IN_A_STATEMENT = re.compile(r"\s+in\s+an?\s+(?:(?:written|joint|brief)\s+)?statement\b")


def reported_spans(doc: _Doc, att: _Attribution) -> tuple[tuple[int, int], tuple[int, int] | None]:
    """``(cue, source)`` spans of ``att`` as reported (see the module docstring)."""
    start = cue_start(doc, att)
    cue = (start, att.cue[1])
    m = _IN_A_STATEMENT.match(doc.norm, att.cue[1])
    if m and not any(s < m.end() and m.start() < e for s, e in att.pieces):
        cue = (start, m.end())
    if att.source is None:
        return cue, None
    return cue, (att.source[0], source_end(doc, att, start))


def with_trimmed_source(doc: _Doc, att: _Attribution) -> _Attribution:
    """``att`` with its source trimmed (:func:`_trim_source`: "Even the mayor" -> "the mayor",
    "Smith on Tuesday" -> "Smith"), before the speakers are read from the sources."""
    if att.source is None:
        return att
    source = _trim_source(doc.norm, *att.source)
    return att if source == att.source else replace(att, source=source)
