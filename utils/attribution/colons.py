"""Attributions a colon marks: 'Name: content' paragraphs (headlines, debate transcripts),
'... - Carl Bialik: "..."' inside a paragraph, and a clause with a subject and no cue of the
lexicon ended by a colon right before a quote ('Mr. Christie gloated: "I told you ..."').
"""

from __future__ import annotations

import bisect
import re

from utils.attribution.document import _Attribution, _Doc
from utils.attribution.lexicons import (
    _COLON_BEFORE_QUOTE,
    _COLON_LABELS,
    _COLON_LINE,
    _COLON_QUOTE,
)
from utils.attribution.spans import (
    _clause_content,
    _followers,
    _is_name,
    _left_source,
    _strip_aux,
)


def _colon_speaker(name: str, transcript: bool = False) -> bool:
    """Whether the words before a colon can be a speaker ("Bernie Sanders: ..."), not a label
    ("UPDATE:", "Contributing:") or a title-case headline ("Big Win For Bernie: ...").
    ``transcript``: the article is a transcript ("KATE BOULDUAN: ..."), where names in capitals
    are speakers too."""
    words = name.split()
    if name.lower() in _COLON_LABELS or not (transcript or _is_name(name)):
        return False
    if name.isupper() and not (transcript and len(words) >= 2):
        return False
    return not any(
        w in ("For", "To", "In", "Of", "The", "And", "On", "At", "With") for w in words[1:]
    )


def _headline_colons(doc: _Doc) -> list[_Attribution]:
    """'Name: content' paragraphs (headlines, debate transcripts)."""
    norm = doc.norm
    found = []
    lines = [(m, span) for span in doc.paragraphs if (m := _COLON_LINE.match(norm, *span))]
    # a transcript: two paragraphs or more open with a name in capitals and a colon
    capitals = [m.group("name") for m, _ in lines if m.group("name").isupper()]
    transcript = sum(len(n.split()) >= 2 and n.lower() not in _COLON_LABELS
                     for n in capitals) >= 2  # fmt: skip
    for m, (_, para_end) in lines:
        name = m.group("name")
        if not _colon_speaker(name, transcript):
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


#: Subjects a colon clause does not take as a source ("It gets better:", "This is the line:").
_NOT_COLON_SUBJECTS = frozenset("it this that there here what which".split())

#: Verbs of a colon clause that do not end in "-ed" ("He tells the crowd:", "Trump put it:").
_COLON_VERBS = frozenset(
    "told tells tell put puts wrote writes made makes gave gives took takes sent sends went goes "
    "set read spoke speaks came comes began begins held holds kept left got says said has had "
    "could would will can did does may might should must offers notes adds asks".split()
)


def _colon_verb(norm: str, lo: int, hi: int) -> re.Match | None:
    """The first word of ``norm[lo:hi]`` after its first that reads as a verb: lower case,
    ending in "-ed" or one of :data:`_COLON_VERBS`."""
    words = list(re.finditer(r"[A-Za-z][\w'-]*", norm[lo:hi]))
    for w in words[1:]:
        word = w.group()
        if word.islower() and (word.endswith("ed") or word in _COLON_VERBS):
            return w
    return None


def _colon_quotes(doc: _Doc, found: list[_Attribution]) -> list[_Attribution]:
    """'Mr. Christie gloated: "I told you ..."', 'He then listed the qualities ...:' and the
    quote paragraph below it: a clause of 3 to 20 words with a subject and no attribution of
    its own, ended by a colon right before a quote no attribution holds. The source is the
    noun phrase before the clause's first verb, the cue its words from that verb to the colon
    (PolNeAR's cue: "fired back forcefully:"), the content the quote and the quotes right after
    it in its paragraph."""
    norm = doc.norm
    cue_starts = sorted(a.cue[0] for a in found)
    taken = [p for a in found for p in a.pieces]
    out: list[_Attribution] = []
    for colon in _COLON_BEFORE_QUOTE.finditer(norm):
        c = colon.start()
        quote = doc.quote_starting_at(colon.end() - 1)
        if quote is None or doc.quote_at(c):
            continue
        lo = max(doc.sentence_of(c)[0], doc.paragraph_of(c)[0], doc.last_quote_end_before(c))
        i = bisect.bisect_left(cue_starts, lo)
        if (i < len(cue_starts) and cue_starts[i] <= c) or any(
            s < quote[1] and quote[0] < e for s, e in taken
        ):
            continue  # the clause has a cue of its own, or the quote is someone's already
        if not 3 <= len(norm[lo:c].split()) <= 20:
            continue
        verb = _colon_verb(norm, lo, c)
        if verb is None:
            continue
        cue_start = lo + verb.start()
        src_end, passive, negated = _strip_aux(norm, lo, cue_start)
        source = None if passive or negated else _left_source(doc, lo, src_end)
        if source is None or len(norm[source[0] : source[1]].split()) > 8:
            continue
        if norm[source[0] : source[1]].split()[0].lower() in _NOT_COLON_SUBJECTS:
            continue
        cue_start = src_end + len(norm[src_end:c]) - len(norm[src_end:c].lstrip())
        pieces = [quote, *_followers(doc, quote, doc.paragraph_of(quote[0])[1])]
        out.append(_Attribution(cue=(cue_start, c + 1), source=source, pieces=pieces))
        taken.extend(pieces)
        cue_starts.insert(bisect.bisect_left(cue_starts, cue_start), cue_start)
    return out
