"""The rule-based detector: cues of the lexicon matched outside quotes, each with its source and
content (:func:`_find`), plus "according to", "asked", polls (their readings in
:mod:`utils.attribution.phrase_cues`), readings for text without commas
(:mod:`utils.attribution.comma_free`) and headline colons, and the final clean-up of
overlapping candidates (:func:`_finalise`).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace

from utils.attribution.colons import _colon_quotes, _headline_colons
from utils.attribution.comma_free import (
    _NAME_THEN_ROLE,
    _comma_free_end,
    _comma_free_inverted,
)
from utils.attribution.document import _Attribution, _Doc
from utils.attribution.lexicons import (
    _CUE_RE,
    _DESCRIBE_VERBS,
    _DETERMINERS,
    _INFINITIVE_VERBS,
    _LEADING_ADVERBIAL,
    _NEEDS_COMPLEMENT,
    _NOT_BEFORE_CUE,
    _PARTICIPLES,
    _QUOTE_MARK,
    DAYS,
    _passive_form,
)
from utils.attribution.phrase_cues import (
    _AS_REPORTED,
    _WHEN_BEFORE,
    _according_to,
    _as_reported_by,
    _asked,
    _in_polls,
    _when_asked,
)
from utils.attribution.source_types import classify_source
from utils.attribution.spans import (
    _JOINED_BY_AND,
    _JOINED_CLAUSE,
    _after_cue,
    _clause_content,
    _followers,
    _last_part,
    _left_source,
    _next_quotes,
    _noun_object,
    _quote_paragraphs_after,
    _right_source,
    _sentence_subject,
    _strip_aux,
    _strip_punct,
    _tail,
    _trim_clause,
)


def _find(doc: _Doc, cues=None) -> list[_Attribution]:
    """Attributions at every cue of the lexicon (``cues``: other cue matches instead, objects
    with ``span()`` and ``group(name)`` like those of :data:`_CUE_RE`)."""
    found: list[_Attribution] = []
    for m in _CUE_RE.finditer(doc.norm) if cues is None else cues:
        att = _at_cue(doc, m, found)
        if att is not None:
            found.append(att)
    return found


def _at_cue(doc: _Doc, m, found: list[_Attribution]) -> _Attribution | None:
    """The attribution at one cue match, or ``None``; ``found``: those found before it."""
    norm = doc.norm
    cue_start, cue_end = m.span()
    if doc.quote_at(cue_start):
        return None
    verb = m.group("verb")
    sent_start, sent_end = doc.sentence_of(cue_start)
    if sent_end <= cue_start:
        return None
    para_start, para_end = doc.paragraph_of(cue_start)
    if found and _inside_reported_clause(doc, found[-1], cue_start) and not (
            doc.comma_free and verb in _INVERTIBLE_VERBS
            and _NAME_THEN_ROLE.match(norm, cue_end, sent_end)):  # fmt: skip
        return None  # (but "I think ... said Doug Schoen a former adviser" lost its comma)
    if m.group("asked"):
        return _asked(doc, cue_start, cue_end, sent_start, sent_end)
    if verb == "asked" and _WHEN_BEFORE.search(norm, max(0, cue_start - 20), cue_start):
        return _when_asked(doc, cue_start, cue_end, sent_end)
    if m.group("acc"):
        return _according_to(doc, cue_start, cue_end, sent_start, sent_end)
    if verb and _AS_REPORTED.fullmatch(norm, sent_start, cue_start):
        return _as_reported_by(doc, cue_start, cue_end, sent_end)
    if verb:
        prev_word = re.search(r"([\w'\u2019]+)(\W*)$", norm[max(0, cue_start - 30) : cue_start])
        prev_low = prev_word.group(1).lower() if prev_word else ""
        if (
            # "the said", "declined said": a determiner right before; not '...the A.C.A.," said'
            (prev_low in _NOT_BEFORE_CUE and prev_word.group(2).isspace())
            or (prev_low.endswith(("'s", "s'")) and prev_low.strip("'"))
            or norm[cue_end : cue_end + 1] == "-"
            or norm[cue_start - 1 : cue_start] == "-"  # "so-called", "US-backed"
            or re.match(r"\s+to\s+(?:be|have)\b", norm[cue_end : cue_end + 12])
            or (
                verb in ("add", "adds", "added", "adding")
                and norm[cue_end : cue_end + 4] == " to "
                and not _after_quote(doc, cue_start)  # '"...," Trump added to People.'
            )
        ):
            return None
        if verb in ("claimed", "claims", "claiming") and re.match(
            r"\s+(?:more than|at least|nearly|almost|about|over|some|up to|the lives|lives|"
            r"\d|hundreds|thousands|dozens|millions)",
            norm[cue_end : cue_end + 14],
        ):
            return None  # "the war has claimed 250,000 lives"
        if verb in ("wrote", "writes", "writing", "posted", "tweeted") and re.match(
            r"\s+(?:a|an)\s", norm[cue_end : cue_end + 5]
        ):
            return None
    # the clause the source lives in: after the last quote or sentence start
    lo = max(sent_start, doc.last_quote_end_before(cue_start), para_start)
    lo = norm.rfind(";", lo, cue_start) + 1 or lo  # "...; 26 percent of Democrats say"
    src_end, passive, negated = _strip_aux(norm, lo, cue_start)
    if negated:
        return None
    if passive and verb and verb.endswith("ing"):
        passive = False  # "is seeking", "was telling": progressive, not passive
    if passive and verb and not _passive_form(verb.split()[0]):
        # "loyalists were adamant that ...", "are optimistic": an adjective, the subject holds
        # the view (but "it is clear that ...": nobody's)
        subject = norm[lo:src_end].strip(" ,").lower()
        passive = subject.rsplit(None, 1)[-1:] in (["it"], ["there"]) if subject else True
    # borrowed: a participle's source taken from earlier in the sentence (its subject or the
    # source of the attribution before)
    source = borrowed = None
    participle = verb in _PARTICIPLES if verb else False
    if m.group("quoted"):
        source = _left_source(doc, lo, cue_start)
    elif _JOINED_CLAUSE.search(tail := _tail(norm, lo, src_end)) and (
        participle or _JOINED_BY_AND.search(tail)
    ):
        # a participle continues the attribution before it in the sentence, if any ("...,
        # Spicer said, adding ..."), else the sentence's subject
        source = (participle and _previous_source(found, sent_start, cue_start)) or (
            _sentence_subject(doc, sent_start, cue_start))
        if participle:
            borrowed = source  # ", adding ...": its content follows it, never the quote before
    elif participle and (with_np := _WITH_SUBJECT.search(norm, lo, src_end)):
        # "..., with Senator John McCain telling reporters ...": the noun after "with"
        source = _left_source(doc, with_np.start(1), src_end)
        if source is None:
            return None
    elif participle and (previous := _previous_source(found, sent_start, cue_start)) and (
        not norm[previous[1] : cue_start].strip()
        or (doc.comma_free and not norm[found[-1].cue[1] : cue_start].strip())  # "said adding"
    ):
        # "... said the Observatory adding that ...": right after the source of the attribution
        # before it (text without commas), the participle continues that attribution
        source = borrowed = previous
    elif participle:
        # "Putin returned the compliment hailing ...": the subject of the sentence
        source = _sentence_subject(doc, sent_start, cue_start)
        if source is not None and src_end > lo:
            # "An opposition monitoring group citing ...": the whole noun phrase before it
            left = _left_source(doc, lo, src_end)
            more = norm[source[1] : left[1]].split() if left and left[0] == source[0] else []
            if 0 < len(more) <= 2 and not any(
                w.lower() in _DETERMINERS or w.endswith("ed") for w in more
            ):
                source = left
        if source is None and src_end > lo:
            source = _left_source(doc, lo, src_end)
        if source is None:
            source = borrowed = _previous_source(found, sent_start, cue_start)
        if source is None:
            return None
        source = _nearer_pronoun(norm, source, cue_start)
    elif passive and src_end > lo:
        by = re.match(r"\s+by\s+", norm[cue_end:sent_end])
        source = _right_source(doc, cue_end + by.end(), sent_end) if by else None
    elif src_end > lo:
        source = _left_source(doc, lo, src_end)
        if (
            source is not None
            and _PREPOSITION_START.match(norm, *source)
            and norm[lo:src_end].rstrip().endswith(",")
            and doc.last_quote_end_before(cue_start) > sent_start
        ):
            source = None  # '"We're extremely happy" about the decision, said X': no subject
        elif (
            source is not None
            and verb in _INVERTIBLE_VERBS
            and norm[lo:src_end].rstrip().endswith(",")
            and _FINITE_WORD.search(norm, source[0], _first_comma(norm, *source))
            and _closing_speaker_end(doc, cue_end, sent_end) is not None
        ):
            source = None  # 'The plant is under pressure, said its chief executive, J. Doe.'
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
                return None
            inverted = True
            after_pos = source[1]
            # skip an apposition after an inverted name
            rest = norm[after_pos:sent_end]
            ap = _INVERTED_APPOSITION.match(rest)
            if ap:
                after_pos += ap.end()
            closing = None
            if left and _after_cue(doc, after_pos, sent_end, "")[0] not in ("end", "quote"):
                closing = _closing_speaker_end(doc, cue_end, sent_end)
            if closing is not None:
                after_pos = closing  # "..., said the chief executive, John J. Ferriola."
            elif left and _after_cue(doc, after_pos, sent_end, "")[0] not in ("end", "quote"):
                # a clause follows: not "said Smith" but "X, a director, said the ..."
                inverted = False
                after_pos = cue_end
                source = _trim_clause(doc, *_last_part(doc, lo, cue_start))
                if source is None:
                    return None
        elif doc.comma_free and src_end > lo:
            # "... on the district of Midane the Observatory said.": no subject reading of the
            # whole, but a clause and its speaker
            return _comma_free_closing(doc, m, lo, src_end, sent_end)
        else:
            return None
    verb_low = (verb or "").lower()
    what, where = _after_cue(doc, after_pos, sent_end, verb_low)
    if (what == "clause" and source is not None and not inverted and not passive
            and not participle and not m.group("quoted")):  # fmt: skip
        late = None if verb_low not in _INVERTIBLE_VERBS else _comma_free_inverted(
            doc, lo, cue_start, cue_end, sent_end)
        if late is not None:
            return late
    quote_before = None
    # is there a quote right before the source/cue? ('"...," he said')
    anchor = source[0] if source and not inverted else cue_start
    if source is not None and source[0] < cue_start and not inverted:
        anchor = source[0]
    gap_start = -1 if borrowed else doc.last_quote_end_before(anchor)
    if gap_start >= 0 and _DESCRIPTION_BEFORE_NAME.fullmatch(norm, gap_start, anchor):
        anchor = gap_start  # '"...," the White House press secretary, Josh Earnest, said'
    if gap_start >= 0 and norm[gap_start:anchor].strip(" ,\u2014\u2013-") == "":
        quote_before = doc.quote_ending_at(gap_start)
        if (
            quote_before
            and norm[quote_before[0] : quote_before[1]].rstrip("\"'`").endswith(".")
            and norm[gap_start:anchor].strip() == ""
            and what not in ("end", "prep", "quote")
        ):
            quote_before = None  # '"... end." He added that ...': a new attribution
        elif (
            quote_before
            and source is not None
            and not inverted
            and norm[gap_start:anchor].strip() == ""
            and norm[anchor : anchor + 1].islower()
            and not _SPEAKER_LEAD.match(norm, anchor)
            and _short_title(norm[quote_before[0] : quote_before[1]])
        ):
            # '"Ted Cruz" campaign pins, ... said': a short quoted title, not speech (a longer
            # quote without closing punctuation is speech in text that lost its commas)
            quote_before = None
    if (quote_before and what in ("that", "clause", "quote") and not inverted
            and _TITLE_LEAD.search(norm, sent_start, quote_before[0])):  # fmt: skip
        quote_before = None  # 'Sunday on ABC's "This Week," Carson said ...': a show's title
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
            return None
        qs, qe = q
        rest = norm[qe:sent_end].strip(" .,!?")
        if (
            rest
            and len(rest.split()) > 2
            and not doc.quote_at(sent_end - 1)
            and not _NEW_CLAUSE.match(rest)  # '"... a mistake," but in fact Clinton used ...'
        ):
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
                return None
        if source is None and not passive:
            return None
        if passive and what != "that":
            return None  # "nothing was said here": no reported clause
        span = _clause_content(doc, where, sent_end)
        if span is None:
            return None
        before = None if borrowed else _parenthetical_lead(doc, source, inverted, cue_start,
                                                           after_pos, sent_start)
        if before is not None:
            # "The industry, she said, is doing better": both sides are the content; "...,
            # the monitor said, according to Reuters": only the side before it
            pieces.append(before)
            if not _ACCORDING_AFTER.match(norm, span[0]):
                pieces.append(span)
            return _Attribution(cue=(cue_start, cue_end), source=source, pieces=pieces)
        if verb_low in _CALL_VERBS or verb_low in _DESCRIBING:
            cut = _LABEL_END.search(norm, span[0], span[1])
            if cut is not None:
                span = _strip_punct(norm, span[0], cut.start())
        content_text = norm[span[0] : span[1]]
        if re.match(r"(?:was|is|were|are|would|will|has|had|have)\b", content_text):
            return None  # "what analysts said was a sign": a relative clause, not speech
        if not _plausible(verb_low, source and norm[source[0] : source[1]], content_text):
            return None
        pieces.append(span)
        # quote-only sentences right after a content that ends in a quote
        q = doc.quote_ending_at(span[1])
        if q:
            pieces.extend(_followers(doc, q, para_end))
    elif what == "appeal":
        # "called on Congress to pass a deal": whom and what to do are the content, "on" is
        # part of the cue
        span = _clause_content(doc, where, sent_end)
        if span is None or source is None:
            return None
        cue_end = where
        while norm[cue_end - 1].isspace():
            cue_end -= 1  # the cue ends after "on" (no copy of the text before it)
        pieces.append(span)
    elif what == "object":
        # "..., referring to X", "..., citing X": the noun phrase is the content
        span = _noun_object(doc, where, sent_end)
        if span is None or source is None:
            return None
        pieces.append(span)
    elif what == "end":
        # 'Content, he said.' : the clause before the source
        if verb_low in _NEEDS_COMPLEMENT or verb_low in _CALL_VERBS:
            return None  # "called" names or appeals, it never closes what was said
        head = source[0] if source and not inverted else cue_start
        region = norm[sent_start:head].rstrip()
        if not region and source and not inverted:
            # "Sam Lau said in a statement." closing its paragraph (or followed by quotes in
            # it): the quote-only sentences opening the next paragraph are what was said
            pieces = _quote_opening_next_paragraph(doc, sent_end, para_end) or (
                _next_quotes(doc, sent_end, para_end))  # fmt: skip
            if pieces:
                return _Attribution(cue=(cue_start, cue_end), source=source, pieces=pieces)
        if source and not inverted and (not region or doc.comma_free) and (
                doc.quote_at(source[0]) is None):  # fmt: skip
            # text without commas: "The strikes killed 12 people a monitor said."
            start = max(sent_start, doc.last_quote_end_before(cue_start))
            split = _comma_free_end(norm, start, src_end) if start < src_end else None
            if split is not None:
                content, speaker = split
                return _Attribution(cue=(cue_start, cue_end), source=speaker, pieces=[content])
        if not region.endswith(","):
            return None
        if source and not inverted and _ADVERBIAL_REGION.fullmatch(region):
            return None  # "In a scathing opinion piece, the Journal called on ...": where, not what
        cs = max(sent_start, doc.last_quote_end_before(sent_start + 1))
        cs = sent_start if cs > head else cs
        span = _strip_punct(norm, cs, sent_start + len(region))
        if len(norm[span[0] : span[1]].split()) < 4:
            return None  # "As it happens, ...": an adverbial, not a reported clause
        if source and len(norm[source[0] : source[1]].split()) > 10:
            return None
        pieces.append(span)
    if not pieces:
        return None
    return _Attribution(cue=(cue_start, cue_end), source=source, pieces=pieces, passive=passive)


#: Words that open a speaker's noun phrase ('"..." he said', '"..." the senator said').
_SPEAKER_LEAD = re.compile(
    r"(?:he|she|they|we|i|it|you|who|the|a|an|his|her|their|its|our|this|that|these|those|"
    r"one|some|many|most|all|both|several|former|then|senior|top|chief)\b"
)


#: A preposition and up to five words right before a quote: the quote is a title ("on Fox
#: News Channel's "Hannity,"", "in an interview with "Meet the Press"").
_TITLE_LEAD = re.compile(r"\b(?:on|to|in|at|with|of|from)\s+(?:[^\s\"]+\s+){0,5}$")


#: "according to" opening what follows a source and its cue: another attribution, not more
#: content.
_ACCORDING_AFTER = re.compile(r"according\s+to\b", re.IGNORECASE)


def _closing_speaker_end(doc: _Doc, cue_end: int, sent_end: int) -> int | None:
    """Where the speaker after an inverted cue ends, with its apposition, when the two end the
    sentence ("..., said Angie Holan, Politifact's editor."), whatever precedes the comma
    before the cue; else ``None``."""
    norm = doc.norm
    source = _right_source(doc, cue_end, sent_end)
    if (source is None or _FINITE_WORD.search(norm, *source)
            or not _SPEAKER_START.match(norm, *source)):  # fmt: skip
        return None  # "Smith, a senator, said [the bill would pass]": a clause, not a speaker
    after = source[1]
    ap = _CLOSING_APPOSITION.match(norm, after, sent_end)
    if ap and not _FINITE_WORD.search(norm, *ap.span()):
        after = ap.end()
    return after if not norm[after:sent_end].strip(" .") else None


def _first_comma(norm: str, start: int, end: int) -> int:
    """The first comma in ``norm[start:end]``, else ``end``."""
    comma = norm.find(",", start, end)
    return end if comma < 0 else comma


#: How a speaker after an inverted cue starts: a capitalised word that is not a day or a month,
#: or a determiner ("said simply", "said Sunday" name no speaker).
_SPEAKER_START = re.compile(
    rf"(?!(?:{DAYS}|january|february|march|april|may|june|july|august|september|october|"
    r"november|december|today|yesterday)\b)"
    r"(?:(?-i:[A-Z])|(?:the|a|an|one|another)\s)", re.IGNORECASE
)
#: An auxiliary or modal: a phrase holding one is a clause, not a speaker.
_FINITE_WORD = re.compile(
    r"\b(?:is|are|was|were|would|will|has|have|had|can|could|should|may|might|must|did|does|"
    r"do)\b", re.IGNORECASE
)
#: An apposition closing the sentence after an inverted speaker, a name or a role ("said the
#: chief executive, John J. Ferriola.", "said Angie Holan, Politifact's editor.").
_CLOSING_APPOSITION = re.compile(r",\s+[^\",;:]*?(?=[.]?\s*$)")


#: An apposition after an inverted speaker ("said Smith, a senator from Ohio.").
_INVERTED_APPOSITION = re.compile(
    r",\s+(?:a|an|the|who|whose|[a-z]+)\b[^\"]*?(?=[.,]\s*$|,\s+\"|$)"
)


def _short_title(quote: str) -> bool:
    """Whether a quote (marks included) reads as a title: at most five words, no closing
    punctuation inside its marks."""
    inner = quote.strip("\"'` ")
    return len(inner.split()) <= 5 and not re.search(r"[,.!?;:\u2026\u2014\u2013-]$", inner)


#: "with" and a short noun phrase closing the clause before a participle ("with Republican
#: Senator John McCain telling ...", "with 56 percent of Americans saying ...").
_WITH_SUBJECT = re.compile(r"\bwith\s+((?:[\w.'\u2019&-]+\s+){0,7}[\w.'\u2019&-]+)\s*$")


#: A pronoun subject of a later clause of the sentence ("..., and he has battled with ...").
_CLAUSE_PRONOUN = re.compile(
    r"\b(?:and|but|as|while|when|where|after|before|because|since|though|although|so)\s+"
    r"(he|she|they|He|She|They)\s+(?:[a-z]+ly\s+)?(?!said\b|says\b|told\b)[a-z]+"
)


def _nearer_pronoun(norm: str, source: tuple[int, int] | None, cue: int):
    """The subject pronoun of the last clause between ``source`` and a participle cue, when
    there is one, else ``source``: the participle continues the clause nearest to it ("Christie
    has battled with Guardian, and he has called ..., at one point calling the mayor a liar":
    "he", as PolNeAR marks it)."""
    if source is None:
        return None
    found = list(_CLAUSE_PRONOUN.finditer(norm, source[1], cue))
    return found[-1].span(1) if found else source


#: A phrase that opens with a preposition: an adverbial, never a subject.
_PREPOSITION_START = re.compile(r"(?:about|of|in|on|for|with|from|at|by|into|over|after)\s")


#: A clause before a source that is only an adverbial ("In a scathing opinion piece, ...").
_ADVERBIAL_REGION = re.compile(
    r"(?:in|on|at|during|after|before|with|from|for|by|through|over|under|amid|despite)\s"
    r"(?!(?:[^,]*\s)?(?:is|are|was|were|has|have|had|would|will)\s)[^,]*,",
    re.IGNORECASE,
)


#: A description between a quote and the name it describes: ', the White House press
#: secretary, ' of '"...," the White House press secretary, Josh Earnest, said'.
_DESCRIPTION_BEFORE_NAME = re.compile(r"[ ,]*(?:the|a|an|his|her|its|their)\s[^\".!?\n]{0,80},\s*")


#: A conjunction that opens a new clause after a quote.
_NEW_CLAUSE = re.compile(r"(?:but|and|while|whereas|although|though|yet|so)\s")


def _after_quote(doc: _Doc, cue_start: int) -> bool:
    """Whether the cue's clause opens right after a quote closed by a comma, "?" or "!" and
    holds at most four words before the cue ('"...," Trump added to People.')."""
    end = doc.last_quote_end_before(cue_start)
    if end < doc.sentence_of(cue_start)[0] - 1 or end < 2:
        return False
    closing = doc.norm[end - 3 : end].rstrip("\"'")
    return closing.endswith((",", "?", "!")) and len(doc.norm[end:cue_start].split()) <= 4


def _previous_source(
    found: list[_Attribution], sent_start: int, cue_start: int
) -> tuple[int, int] | None:
    """The source of the attribution found last when its cue is earlier in the same sentence:
    the speaker of a participle that continues it ('"...," she said, adding that ...')."""
    if found and found[-1].source and sent_start <= found[-1].cue[0] < cue_start:
        return found[-1].source
    return None


def _quote_opening_next_paragraph(
    doc: _Doc, sent_end: int, para_end: int
) -> list[tuple[int, int]]:
    """The quote-only sentences that open the paragraph after a cue sentence closing its own
    paragraph (and the quote paragraphs after them), or ``[]``."""
    norm = doc.norm
    if norm[sent_end:para_end].strip() or para_end >= len(norm):
        return []
    next_start, next_end = doc.paragraph_of(doc.next_quote_start(para_end))
    if next_start < para_end or norm[para_end:next_start].strip():
        return []
    pieces = _next_quotes(doc, next_start, next_end)
    if pieces and pieces[0][0] == next_start:
        return [*pieces, *_quote_paragraphs_after(doc, pieces[-1][1])]
    return []


_BELIEF_VERBS = frozenset("think thinks thought believe believes believed".split())
_EVIDENCE_VERBS = frozenset(
    "show shows showed shown found finds indicate indicates indicated".split()
)
_CALL_VERBS = frozenset("called calls calling".split())
_DESCRIBING = frozenset(_DESCRIBE_VERBS)
#: What "called" takes without a quote: an object and a label ("called him a pragmatic
#: strategist", "calling them rapists", "calling Senate Majority Leader Mitch McConnell a
#: liar"); not "called for", "called an emergency session", "a group called the Foundation".
_CALLED_LABEL = re.compile(
    r"(?:him|her|them|it|himself|herself|themselves|[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,4})"
    r"\s+(?:(?:a|an|the|his|her|their)\s+)?[a-z][\w-]*(?:\s+(?:and\s+)?[a-z][\w-]*){0,5}"
)
#: Where the label of a naming verb ends: another verb of the subject ("called her 'third-rate'
#: and boycotted", "calling them rapists and vowing", "called Cruz a hypocrite, linking to").
_LABEL_END = re.compile(r"\s+and\s+[a-z]+(?:ed|ing)\b|,\s+[a-z]+ing\b")


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
        return bool(_QUOTE_MARK.search(content)) or (
            bool(source) and bool(_CALLED_LABEL.fullmatch(content)))
    if verb in _DESCRIBING:
        return bool(_QUOTE_MARK.search(content) or re.search(r"\bas\b", content))
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


def _inside_reported_clause(doc: _Doc, previous: _Attribution, pos: int) -> bool:
    """Whether ``pos`` lies in the reported clause of ``previous`` with no comma or quote
    between the clause start and ``pos`` ("X said the winner has predicted ...")."""
    if previous.acc:
        return False
    for s, e in previous.pieces:
        if s <= pos < e and previous.cue[1] <= s:
            return not re.search(r"[,;:\"]", doc.norm[s:pos])
    return False


def _comma_free_closing(doc: _Doc, m, lo: int, src_end: int, sent_end: int):
    """In text without commas, the attribution of a sentence-final cue whose words before are
    a reported clause and its speaker (:func:`_comma_free_end`), else ``None``."""
    verb = (m.group("verb") or "").lower()
    cue_start, cue_end = m.span()
    if (verb in _NEEDS_COMPLEMENT or verb in _CALL_VERBS
            or _after_cue(doc, cue_end, sent_end, verb)[0] != "end"):  # fmt: skip
        return None
    split = _comma_free_end(doc.norm, lo, src_end)
    if split is None:
        return None
    content, speaker = split
    return _Attribution(cue=(cue_start, cue_end), source=speaker, pieces=[content])


#: Speech verbs that put a speaker after them ("..., said X"); not "called X", "told X".
_INVERTIBLE_VERBS = frozenset(
    "said says added adds noted notes explained stated reported claimed warned wrote writes "
    "insisted confirmed stressed asserted argued declared announced continued concluded "
    "tweeted".split()
)
def _holds_other_cue(att: _Attribution, sorted_cues: list[int]) -> bool:
    """Whether a content piece of ``att`` contains the cue of another attribution."""
    for s, e in att.pieces:
        i = bisect.bisect_left(sorted_cues, s)
        while i < len(sorted_cues) and sorted_cues[i] < e:
            if sorted_cues[i] != att.cue[0]:
                return True
            i += 1
    return False


_NESTED_BREAK = re.compile(r"[,;:\"()\u2014\u2013]|\s-\s")


def _nested(doc: _Doc, start: int, mark: int) -> bool:
    """Whether an attribution whose source or cue starts at ``mark`` sits inside the reported
    clause starting at ``start`` ("X said that Y told Z that ..."): in its sentence, with no
    punctuation between, the clause starting with "that" or a question word. The outer
    content then runs on over it (PolNeAR's nested attributions)."""
    if doc.sentence_of(start) != doc.sentence_of(mark):
        return False
    if not re.match(r"(?:that|whether|if|how|what|why)\s", doc.norm[start : start + 8]):
        return False
    return _NESTED_BREAK.search(doc.norm, start, mark) is None


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
                if marks[i] not in own and not doc.quote_at(marks[i]) and not _nested(
                    doc, s, marks[i]
                ):
                    cut = marks[i]
                    break
                i += 1
            if cut < e:
                # back up over the joining words of the next attribution ("..., but he")
                region = norm[s:cut]
                m = re.search(r"(?:[,;]?\s*(?:and|but|while|as|so|then|, and)?\s*)$", region)
                cut = s + (m.start() if m else len(region))
                s, cut = _strip_punct(norm, s, cut)
                if cut - s < 3 or norm[s:cut].lower() in _DETERMINERS:
                    continue  # "renewed [his] push for ...": the next attribution's source
            pieces.append((s, cut))
        # the content must not contain its own cue (unless the cue is part of the clause:
        # "X seems to ...", see utils.attribution.model)
        if not att.extra.get("cue_in_content"):
            pieces = [
                (s, e) for s, e in pieces
                if not (s <= att.cue[0] < e and not doc.quote_at(att.cue[0]))
            ]  # fmt: skip
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


class CueMatch:
    """A cue found by other means (the learned tagger), in the shape of a :data:`_CUE_RE`
    match: ``span()`` and ``group("verb")`` (the cue's words, lower-cased)."""

    __slots__ = ("start", "end", "verb")

    def __init__(self, start: int, end: int, verb: str):
        self.start, self.end, self.verb = start, end, verb

    def span(self) -> tuple[int, int]:
        return (self.start, self.end)

    def group(self, name: str) -> str | None:
        if self.verb == "according to":  # read as the rules read it (source after, both sides)
            return self.verb if name == "acc" else None
        return self.verb if name == "verb" else None


def rule_candidates(doc: _Doc) -> list[_Attribution]:
    """The rules' attributions before :func:`_finalise` (cues of the lexicon, headline colons,
    polls)."""
    found = _find(doc) + _headline_colons(doc)
    return found + _colon_quotes(doc, found) + _in_polls(doc)


def finalised(doc: _Doc, candidates: list[_Attribution]) -> list[_Attribution]:
    """:func:`_finalise` of copies of ``candidates`` (which stay as they are), in text order."""
    atts = _finalise(doc, [replace(a, pieces=list(a.pieces)) for a in candidates])
    atts.sort(key=lambda a: (min(a.pieces)[0], a.cue[0]))
    return atts


def rule_attributions(doc: _Doc) -> list[_Attribution]:
    """Every attribution the rules find in a prepared text, in text order."""
    atts = _finalise(doc, rule_candidates(doc))
    atts.sort(key=lambda a: (min(a.pieces)[0], a.cue[0]))
    return atts
