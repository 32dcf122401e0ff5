"""Cues that are phrases rather than a speech verb after its subject: "according to X" (before
or after its content, :func:`_according_to`), "as reported by X" (:func:`_as_reported_by`),
"Asked whether ..." and "..., he said when asked ..." (:func:`_asked`, :func:`_when_asked`),
and "In a new poll, ..." (:func:`_in_polls`). Each builds the attribution of one cue the rules
of :mod:`utils.attribution.rules` matched, or of one sentence opening.
"""

from __future__ import annotations

import re

from utils.attribution.comma_free import _according_to_comma_free
from utils.attribution.document import _Attribution, _Doc
from utils.attribution.spans import _clause_content, _followers, _right_source, _strip_punct

# ---------------------------------------------------------------------------------------------
# asked

def _asked(
    doc: _Doc, cue_start: int, cue_end: int, sent_start: int, sent_end: int
) -> _Attribution | None:
    """'Asked whether/about X, he said ...': the question, with no source (the asker is
    unnamed); 'Asked by Matt Lauer whether ...': the asker is the source."""
    norm = doc.norm
    if norm[sent_start:cue_start].strip(" \"'`") != "":
        return None
    comma = norm.find(",", cue_end, sent_end)
    if comma < 0:
        return None
    source, content_start = None, cue_end
    by = _ASKED_BY.match(norm, cue_end, comma)
    if by:
        source, content_start = by.span("asker"), by.end()
    span = _strip_punct(norm, content_start, comma)
    if span[1] - span[0] < 3:
        return None
    # the asker is no antecedent of the pronoun that answers ("..., she said")
    return _Attribution(cue=(cue_start, cue_end), source=source, pieces=[span],
                        passive=source is None, extra={"asker": True} if by else {})  # fmt: skip


#: "Asked by Matt Lauer whether ...": the asker, a capitalised name of up to six words, before
#: the question.
_ASKED_BY = re.compile(
    r"\s+by\s+(?P<asker>(?:[A-Z][\w.'\u2019-]*\s+){0,5}[A-Z][\w.'\u2019-]*)(?=\s+(?:whether|if|"
    r"about|to|what|why|how|who|when|where|which)\b)"
)


#: "when", "if", "once" or a form of "be" right before "asked": a question put to the
#: sentence's subject ("he said when asked ...", "Cruz has been asked about ...").
_WHEN_BEFORE = re.compile(r"\b(?:[Ww]hen|if|once|being|been|was|were|is|are)\s+$")
#: What follows "when asked": modifiers (an asker after "by"), then the question.
_WHEN_ASKED = re.compile(
    r"(?P<mod>[^,;:\"]{0,80}?)(?<![\w'])(?P<q>whether|if|how|what|why|who|which|when|where|about|"
    r"to)\b"
)


def _when_asked(doc: _Doc, cue_start: int, cue_end: int, sent_end: int) -> _Attribution | None:
    """'..., he said when asked whether ...', 'When asked about X, she ...': the question
    (to the next comma or the sentence end), its asker after "by" as the source, else none."""
    norm = doc.norm
    m = _WHEN_ASKED.match(norm, cue_end, sent_end)
    if m is None:
        return None
    end = sent_end
    cut = re.search(r"[,;:]|\s[\u2014\u2013-]\s", norm[m.start("q") : sent_end])
    if cut:
        end = m.start("q") + cut.start()
    content = _clause_content(doc, m.start("q"), end)
    if content is None:
        return None
    source = None
    by = re.search(r"\bby\s+((?:[\w.'-]+\s+){0,5}?[\w.'-]+)\s*$", m.group("mod"))
    if by:
        source = _strip_punct(norm, cue_end + by.start(1), cue_end + by.end(1))
    return _Attribution(cue=(cue_start, cue_end), source=source, pieces=[content],
                        passive=source is None)  # fmt: skip


# ---------------------------------------------------------------------------------------------
# polls

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



# ---------------------------------------------------------------------------------------------
# according to, as reported by

#: A sentence opening that is only a linking word ("But", "And yet", "However,").
_LINK_ONLY = re.compile(r"(?:(?:and|but|yet|so|and yet|but also)|(?:however|still|meanwhile|"
                        r"instead|also|moreover|indeed),?)", re.IGNORECASE)  # fmt: skip


#: What opens a clause of its own after "..., according to X,": a conjunction or a participle
#: ("..., according to the Labor Department, taking a step toward ..."), not more content.
_CLAUSE_AFTER_SOURCE = re.compile(r"(?:and|but|or|so|yet|while|whereas|\w+ing)\b")


def _according_to(
    doc: _Doc, cue_start: int, cue_end: int, sent_start: int, sent_end: int
) -> _Attribution | None:
    norm = doc.norm
    source = _right_source(doc, cue_end, sent_end)
    if source is None:
        return None
    after = source[1]
    before = norm[sent_start:cue_start].strip()
    if _LINK_ONLY.fullmatch(before):
        before = ""  # "But according to X, content."
    if not before or before.endswith(("(",)) and len(before) < 3:
        # "According to X, content."
        rest = norm[after:sent_end]
        m = re.match(r"[^,]*,\s*", rest)
        if not m and doc.comma_free:
            # "According to the results Clinton increases her lead": no comma ends the source
            return _according_to_comma_free(doc, cue_start, cue_end, source[0], sent_end)
        if not m:
            return None
        if m.end() > 1 and not doc.quote_at(after):
            # the whole noun phrase up to the comma ("According to early results of exit polls
            # conducted for the Associated Press by Edison Research, ...")
            whole = _strip_punct(norm, source[0], after + m.end())
            if len(norm[whole[0] : whole[1]].split()) <= 20:
                source = whole
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
    if m and len(rest[m.end() :].split()) >= 3 and not _CLAUSE_AFTER_SOURCE.match(rest, m.end()):
        tail = _clause_content(doc, after + m.end(), sent_end)
        if tail:
            pieces.append(tail)
    if not pieces:
        return None
    return _Attribution(cue=(cue_start, cue_end), source=source, pieces=pieces, acc=True)



#: "As reported by X, ...", "As first reported by X, ...": a sentence opening before a cue.
_AS_REPORTED = re.compile(r"(?:[\"(]\s*)?(?:As|as)\s+(?:(?:first|previously|originally|also)\s+)?")


def _as_reported_by(doc: _Doc, cue_start: int, cue_end: int, sent_end: int):
    """'As reported by X, content.': X is the source and the clause after the comma the
    content, as for "According to X, content"."""
    norm = doc.norm
    by = re.match(r"\s+by\s+", norm[cue_end:sent_end])
    if not by:
        return None
    after = cue_end + by.end()
    comma = norm.find(",", after, sent_end)
    if comma < 0 or len(norm[after:comma].split()) > 12:
        return None
    source = _strip_punct(norm, after, comma)
    content = _clause_content(doc, comma + 1, sent_end)
    if content is None or source[1] <= source[0]:
        return None
    return _Attribution(cue=(cue_start, cue_end), source=source, pieces=[content], acc=True)
