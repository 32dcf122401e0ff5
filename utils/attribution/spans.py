"""Span finders used by the rules: the source before or after a cue, the subject of a sentence,
the reported clause after a cue, quotes that follow a quote.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
import string

from utils.attribution.document import _Doc
from utils.attribution.lexicons import (
    _ABBREVIATIONS,
    _ASIDE_WORDS,
    _AUX_ADVERBS,
    _BE_FORMS,
    _CAP_FUNCTION,
    _COMMA_OR_PAREN,
    _CONTENT_CUT,
    _DETERMINERS,
    _INFINITIVE_VERBS,
    _LEADING_ADVERBIAL,
    _LY_NOUNS,
    _MODIFIER_START,
    _NAME_PARTICLES,
    _NOT_SUBJECT_START,
    _NOUN_OBJECT_VERBS,
    _OBJECT,
    _OBJECT_VERBS,
    _PARTICIPLES,
    _RIGHT_SOURCE,
    _SENT_END_PUNCT,
    _SITE_DATE_LEAD,
    _THAT,
    DAYS,
)
from utils.attribution.source_types import _ANON_HEADS, _PERSON_NOUNS, _head_noun

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
    return words[-1].strip(",()")[:1].isupper()  # "Gov. John Kasich (R-OH)"


_WORD_LETTERS = frozenset(string.ascii_letters + "'")


#: A time adverbial between a subject and its verb ("X last week said", "X on Monday told").
_TRAILING_TIME = re.compile(
    r"(?:(?:(?:last|this|this past|earlier this|later that|that|next)\s+(?:week|weekend|month|"
    r"year|spring|summer|fall|autumn|winter|morning|afternoon|evening|night))|yesterday|today|"
    r"tonight|on\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|"
    r"(?:(?:less|more) than\s+)?(?:a|an|one|two|three|four|five|six|several|a few|\d+)\s+"
    r"(?:days?|weeks?|months?|years?)\s+ago)$"
)


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
        when = _TRAILING_TIME.search(norm, max(s, e - 40), e)
        if when and (when.start() == s or norm[when.start() - 1].isspace()):
            end = when.start()  # "Reince Priebus, the GOP chairman, this past week announced"
            continue
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


def _adverbial_word(chunk: str) -> bool:
    """A lone adverb or adverbial opener ("Significantly", "However", "Meanwhile")."""
    low = chunk.strip().lower()
    return " " not in low and (
        low in _LEADING_ADVERBIAL or (low.endswith("ly") and low not in _LY_NOUNS))


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
        if stop is None and len(norm[earliest[0] : earliest[1]].split()) > 12:
            return None  # 'A variety of factors impact ..., said X': a clause, not a subject
        return _trim_clause(doc, *(stop if stop is not None else earliest))
    last = next(parts)
    last_text = norm[last[0] : last[1]]
    if re.match(r"(?:a|an|the|A|An|The)\s+[a-z]", last_text):
        prev = next(parts, None)
        prev_text = norm[prev[0] : prev[1]] if prev is not None else ""
        if prev is not None and _is_name(prev_text) and not _adverbial_word(prev_text):
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
    head = _head_noun(chunk)
    if len(words) <= 20 and (head in _PERSON_NOUNS or head in _ANON_HEADS or (
            head.endswith("s") and head[:-1] in _PERSON_NOUNS)):  # fmt: skip
        return True  # "South Carolina director for Sanders", "the parents whose ..."
    first = words[0].lower()
    return (
        first in _ASIDE_WORDS
        or bool(re.match(r"[a-z]+ing$", words[0]))
        or (len(words) <= 3 and chunk.islower())
        or bool(_PARTICIPLE_ASIDE.match(chunk))
    )


#: An aside opened by a past participle and its preposition ("clad in a red cape", "flanked by
#: his wife", "elected in 2010").
_PARTICIPLE_ASIDE = re.compile(
    r"(?:[a-z]+ed|clad|known|seen|shown|born|chosen|driven)\s+(?:by|in|at|with|for|from|as|on|"
    r"into|to|after|over)\s"
)


def _is_description(chunk: str) -> bool:
    """An apposition-like description ("a Democrat", "the former ambassador", "65",
    "Mr. Obama's deputy", "R-Ky.")."""
    words = chunk.split()
    if not words or len(words) > 12:
        return False
    if re.match(r"(?:a|an|the|who|whose|one of|\d+)\b", chunk) or words[0].endswith(("'s", "s'")):
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


_MONTHS_DAYS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
)
#: An adverbial of time or place opening a subject candidate with no comma after it, as in
#: text whose commas were lost: a preposition and up to three words before a determiner ("In
#: late September the coalition"), or a date before a capitalised word ("On Monday Russian
#: officials").
_TIME_PLACE_LEAD = re.compile(
    r"(?:(?i:In|On|At|During|After|Before|Since|Earlier|Later|Last)\s+(?:[\w'.-]+\s+){0,3}?"
    r"(?=(?:the|a|an|its|his|her|their|this|these|those)\s)"
    rf"|(?i:In|On|During|Since|By|Last|Early|Late)\s+(?:(?:late|early|mid)[\s-]+)?"
    rf"(?:{_MONTHS_DAYS})(?:\s+\d{{1,2}})?(?:\s+\d{{4}})?\s+(?=[A-Z]))"
)
#: A parenthesis of at most three words opening a subject candidate ("(Reuters)", "(AFP)"),
#: or a photo credit, an agency in capitals, a slash and a name ("REUTERS/Bassam Khabieh We").
_PAREN_LEAD = re.compile(
    r"(?:\((?:[^()\s]+\s?){1,3}\)|[A-Z]{2,}/[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,2})\s+(?=[A-Z])"
)
#: Words that cannot be a subject on their own.
_DETERMINERS_ALONE = _DETERMINERS - {"that"}
#: No answer remembered yet (``None`` is an answer of :func:`_trim_span`).
_UNKNOWN = object()


_SUBJECT_PRONOUNS = frozenset("he she they we I".split())
#: Words after which an "-ing" or "-ed" word is a noun ("people familiar with her thinking").
_BEFORE_A_NOUN = frozenset("with of for about on in her his their its the a an my our".split())
#: A subject with a relative clause: a short noun phrase, then "who" ("Another Muslim who
#: worshiped at the Islamic Center ...").
_RELATIVE_SUBJECT = re.compile(
    r"(?:[A-Z][\w.'-]*|the|a|an|another|one|some)(?:\s+[\w.'-]+){0,5}?\s+who\s"
)
#: Words that open a time or place adverbial ("in September", "at the town hall").
_ADVERBIAL_OPENERS = frozenset(
    "in on at during after before since last this earlier later".split()
)
#: A share of a poll's respondents as a source ("42% say ...", "58%-33%").
_SHARE = re.compile(r"\d+(?:\.\d+)?%(?:\s*-\s*\d+(?:\.\d+)?%)?")
#: Words that open a group of people described by a participle ("those surveyed", "voters
#: polled", "people questioned").
_PEOPLE_WHO = frozenset("those voters people respondents adults americans residents".split())


def _trim_span(doc: _Doc, start: int, end: int) -> tuple[int, int] | None:
    norm = doc.norm
    text = norm[start:end]
    best = 0
    for m in re.finditer(
        r"\b(?:that|but|because|while|when|whereas|although|though|since|if|as|so|where|whether|"
        r"until|unless|which|what|why|how|than|and|or|yet|after|before|then)\b\s+",
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
    paren = _PAREN_LEAD.match(norm, start, end)
    if paren and paren.end() < end:
        start = paren.end()  # "(Reuters) The Syrian Observatory": a credit before the subject
    dated = _SITE_DATE_LEAD.match(norm, start, end)
    if dated and dated.end() < end:
        start = dated.end()  # "Date of publication 3 October 2017 The Islamic State group"
    lead = _TIME_PLACE_LEAD.match(norm, start, end)
    adverbial = norm[start:end].split(None, 1)[0].lower() in _ADVERBIAL_OPENERS
    if lead and lead.end() < end:
        start = lead.end()  # "In late September the coalition" (no comma after the adverbial)
    text = norm[start:end]
    words = text.split()
    low = text.lower()
    if len(words) > 1 and words[-1] in _SUBJECT_PRONOUNS and adverbial:
        # "at the town hall this week she", "in September she": an adverbial before it
        return (end - len(words[-1]), end)
    if low in ("who", "which", "that", "what"):
        return (start, end) if low == "who" else None
    if low in _DETERMINERS_ALONE:
        return None  # "The claims came ...": a determiner, not a subject
    if words[0].lower() in ("and", "but", "or") and len(words) > 1:
        start += len(words[0]) + 1  # "..., and people familiar with her thinking say"
        start, end = _strip_punct(norm, start, end)
        text = norm[start:end]
        words = text.split()
    if len(words) > 14 and _RELATIVE_SUBJECT.match(text):
        return (start, end)  # "Another Muslim who worshiped here and who ... said"
    if len(words) > 14:
        # too long to be a subject: keep its last words
        cut = text.rfind(" ", 0, len(text) - len(" ".join(words[-8:])))
        start = start + cut + 1 if cut >= 0 else start
    if not re.search(r"[A-Za-z]", norm[start:end]) and not _SHARE.fullmatch(norm, start, end):
        return None  # but "42% say ..." has a source
    words = norm[start:end].split()
    if len(words) == 1 and words[0].lower() in _LEADING_ADVERBIAL:
        return None  # "Since announcing ...": an adverbial alone
    if words[0] in _NOT_SUBJECT_START or (
        all(w[:1].islower() for w in words) and words[-1].endswith(("ed", "ing"))
        and words[0].lower() not in _PEOPLE_WHO  # "those surveyed say"
        and (len(words) < 2 or words[-2].lower() not in _BEFORE_A_NOUN)  # "... her thinking"
    ):
        return None
    # a lowercase verb-like last word ("the plan is") is no subject
    last_word = words[-1].lower()
    if last_word in ("to", "of", "in", "on", "at", "for", "by", "with", "not", "and", "or", "but",
                     "because", "than", "if", "while", "although", "though", "whether"):
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
    last = doc.norm[s:e].rsplit(None, 1)[-1].lower()
    if last in _ROLE_TO_NOUNS:
        m = _TO_WHOM.match(doc.norm, e, limit)
        if m:  # "said a senior adviser to Mr. Trump"
            e = m.end()
            word = doc.norm[s:e].rsplit(None, 1)[-1]
            if word.endswith(".") and word[:-1].lower() not in _ABBREVIATIONS:
                e -= 1  # the sentence's full stop
    return (s, e)


#: Role nouns whose "to" phrase names whom the source serves ("an adviser to the senator").
_ROLE_TO_NOUNS = frozenset(
    "adviser advisers advisor advisors aide aides assistant assistants counsel consultant "
    "consultants spokesman spokeswoman spokesperson envoy ambassador secretary close".split()
)
_TO_WHOM = re.compile(
    r"\s+to\s+(?:(?:both|the|his|her|their|Mr\.|Mrs\.|Ms\.|Sen\.|Gov\.|Rep\.|Dr\.)\s+)*"
    r"(?:[A-Z][\w.'&-]*(?:\s+(?:of\s+)?[A-Z][\w.'&-]*)*|(?<=the )[a-z]+)"
)


#: Words that end a two-word subject ("The company says ..."), not a noun of it.
_NOT_NOUN_AFTER_SUBJECT = frozenset(
    "says has had have is was are were will would can could may might also then still now "
    "again just already often never met made took gave went came got left won lost ran held "
    "sent spent kept brought thought told said wrote began became saw knew".split()
)


#: A determiner or object pronoun right after a two-word subject: its second word was a verb.
_OBJECT_AFTER = re.compile(r"\s+(?:the|a|an|his|her|their|its|him|them|it|this|that)\b")


#: A dateline opening a sentence: a place in capitals, maybe its state and the agency, a dash.
_DATELINE = re.compile(
    r"\s*[A-Z][A-Z .,'-]+(?:,\s+[A-Z][a-z]*\.?(?:\s+[A-Z][a-z]*\.?)?)?(?:\s*\([^)]*\))?"
    r"\s*[-\u2014\u2013]+\s+"
)


#: A participle phrase opening a sentence before its subject ("Continuing to explain his
#: perspective, Carson ...", "Responding to the report, ..."): an -ing word and a lower-case one.
_PARTICIPLE_OPENING = re.compile(r"[A-Z][a-z]{2,}ing\s+[a-z]")


#: A conjunction opening a sentence before its subject.
_LINK_WORD = re.compile(r"\s*(?:But|And|Yet|Still|Then)\s+(?=[A-Za-z])")


def _sentence_subject(doc: _Doc, sent_start: int, limit: int) -> tuple[int, int] | None:
    """The subject at the start of a sentence: a pronoun, a name or a short noun phrase."""
    norm = doc.norm
    s = sent_start
    q = doc.quote_at(s + 1)
    if q:
        s = q[1]
    dateline = _DATELINE.match(norm, s, limit)
    if dateline:
        s = dateline.end()  # "WASHINGTON (Reuters) - ...", "BUENA PARK, Calif. - ..."
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
            or _PARTICIPLE_OPENING.match(piece)
            or (_is_name(piece) and len(piece.split()) <= 2 and s > sent_start)
        ):
            s += m.end()
            continue
        break
    link = _LINK_WORD.match(norm, s, limit)
    if link:
        s = link.end()  # "But the former president ... and described ..."
    region = norm[s:limit]
    m = re.match(
        r"\s*((?:[Hh]e|[Ss]he|[Tt]hey|[Ww]e|I|[Ii]t)\b|(?:(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er|[Tt]heir|"
        r"[Ii]ts)\s+)?(?:[\d]+-year-old\s+)?(?!(?:The|An?|His|Her|Their|Its)\s+[a-z])"
        r"(?:[A-Z][\w.'&-]*|al-[\w'-]+)"
        r"(?:\s+(?:[A-Z][\w.'&-]*|al-[\w'-]+|of|the|bin|de|van|von)\b)*"
        r"|(?:[Tt]he|[Aa]n?)\s+[a-z-]+(?:\s+[a-z-]+)?)",
        region,
    )
    if not m:
        return None
    a, b = s + m.start(1), s + m.end(1)
    words = norm[a:b].split()
    if words[0].lower() in _LEADING_ADVERBIAL and words[0].lower() not in ("this", "last"):
        return None  # "Since announcing ...", "Amid what ...": an adverbial, no subject
    if len(words) == 3 and words[0].lower() in ("the", "a", "an") and words[2].islower() and (
        words[2] in _NOT_NOUN_AFTER_SUBJECT
        or words[2].endswith(("ed", "ly"))
        or _OBJECT_AFTER.match(norm, b, limit)
    ):
        # "The company says", "The ad then", "The group met the governor": two words
        b = a + len(" ".join(words[:2]))
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
    if cut is not None and _RELATIVE_AFTER_SUBJECT.match(norm, cut) and (
        len(norm[s:cut].split()) <= 5
    ):
        # "He argued the Islamic State, which has been ..., is in retreat": the relative
        # clause belongs to the reported clause's subject when a comma closes it
        close = norm.find(",", cut + 1, e)
        if close != -1:
            cut = _first_cut(doc, close, e)
    if cut is not None:
        s, e = _strip_punct(norm, s, cut)
    if e - s < 3 or not _WORD_CHAR.search(norm, s, e):
        return None
    return (s, e)


#: A relative clause after a comma (which may describe the reported clause's subject).
_RELATIVE_AFTER_SUBJECT = re.compile(r",\s+(?:which|where)\b")

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


def _reads_as_title(quoted: str) -> bool:
    """Whether the words inside a quote's marks read as a title: at most six words, no
    punctuation closing them ("This Week", "Good Morning America")."""
    return len(quoted.split()) <= 6 and not quoted.rstrip().endswith((",", ".", "?", "!"))


def _titles_only(between: str) -> bool:
    """Whether the quotes of a modifier are short titles only ('on ABC's "This Week" that
    ...'): a modifier opening, no comma outside the quotes, quotes of at most 6 words each not
    ending in punctuation, all closed."""
    pieces = between.replace("''", '"').replace("``", '"').split('"')
    return (
        _MODIFIER_START.match(between) is not None
        and len(pieces) % 2 == 1
        and not any("," in outside for outside in pieces[::2])
        and all(_reads_as_title(quoted) for quoted in pieces[1::2])
    )


#: "called on X to ...", "calls upon X to ...": an appeal; whom and what to do follow "on".
_APPEAL_VERBS = frozenset("call calls called calling".split())
_APPEAL = re.compile(rf"\s+(?:on|upon)\s+(?=[^.;:!?]*?\bto\s+[a-z])(?!(?:{DAYS}|the\s+phone|air|"
                     r"camera)\b)", re.IGNORECASE)  # fmt: skip


def _after_cue(doc: _Doc, pos: int, sent_end: int, verb: str) -> tuple[str, int]:
    """Classify what follows a cue: ('quote', q_start), ('that', start), ('clause', start),
    ('end', pos) when only modifiers follow up to the sentence end."""
    norm = doc.norm
    start_pos = pos
    if verb in _OBJECT_VERBS:
        m = _OBJECT.match(norm, pos, sent_end)
        if m and m.end() > pos:
            obj = norm[m.start() : m.end()].strip()
            if obj.lower() not in ("that",) and not re.match(r"(?:that)\b", obj):
                pos = m.end()
    rest = norm[pos:sent_end]
    if verb in _NOUN_OBJECT_VERBS:
        prep = _NOUN_OBJECT_VERBS[verb]
        m = re.match(rf"\s+{prep}\b" if prep else r"\s+", rest)
        return ("object", pos + m.end()) if m else ("end", pos)
    if verb in ("asked", "asks", "asking", "ask", "wondered", "questioned"):
        wh = re.match(
            r"[\s,]*(?:[\w.'-]+\s+){0,3}?(whether|if|how|what|why|who|when|where|which)\b", rest
        )
        if wh:
            return "that", pos + wh.start(1)
    if verb in _APPEAL_VERBS:
        m = _APPEAL.match(rest)
        if m:
            return "appeal", pos + m.end()
    q = doc.next_quote_start(pos)
    stripped = rest.strip()
    if verb in _INFINITIVE_VERBS and stripped.startswith("to "):
        return "clause", pos + rest.index("to ")  # "vowed to ban ...": the intention
    if not stripped or _SENT_END_PUNCT.fullmatch(stripped):
        return "end", pos
    if stripped.endswith(":") and len(stripped) <= 160 and '"' not in stripped:
        # "Cruz continued:" / "he told reporters:" closing its paragraph, a quote opening the next
        q_next = doc.next_quote_start(sent_end)
        para_end = doc.paragraph_of(pos)[1]
        if q_next < len(norm) and norm[para_end:q_next].strip() == "":
            return "quote", q_next
    if _PARTICIPLE_NEXT.match(rest) or (doc.comma_free and _PARTICIPLE_AFTER.match(rest)):
        return "end", pos  # "..., Spicer said, adding, ...": the participle has its own content
    # immediate quote (after optional comma/colon)
    m = re.match(r"[\s,:\u2014\u2013-]*", rest)
    lead = pos + m.end()
    if q == lead:
        title = doc.quote_starting_at(q) if verb in _OBJECT_VERBS else None
        if title is not None and pos > start_pos and _reads_as_title(
                norm[title[0] : title[1]].strip("\"'` ")):  # fmt: skip
            # 'told ABC's "Good Morning America" that ...': the show is where it was said
            t = _THAT.search(norm, title[1], min(sent_end, title[1] + 40))
            if t and not re.search(r"[,.;:\"]", norm[title[1] : t.start()]):
                return "that", t.start()
        return "quote", q
    # "that" soon after modifiers
    t = _THAT.search(norm, pos, min(sent_end, pos + 90))
    if t:
        between = norm[pos : t.start()].strip(" ,")
        loose = verb in _OBJECT_VERBS and not re.search(r"[\",.;:]", between)
        if not between or _MODIFIER_START.match(between) or len(between.split()) <= 2 or loose:
            if q >= t.start() or _titles_only(between):
                return "that", t.start()
    if rest.lstrip().startswith(":"):
        return "clause", lead
    # modifiers then a quote: said on Saturday, "..."
    if q < sent_end + 1:
        between = norm[pos:q].strip(" ,:")
        if between and _MODIFIER_START.match(between) and norm[pos:q].rstrip().endswith((",", ":")):
            return "quote", q
    # a quantity opens the reported clause: "said at least 140 people were wounded"
    if _QUANTITY_START.match(norm, pos, sent_end):
        return "clause", lead
    # a short modifier, then a clause whose subject is a pronoun: "said on Thursday he ...",
    # "wrote in both listings he was ..."
    if _MODIFIER_START.match(stripped):
        sub = _MODIFIER_THEN_PRONOUN.match(norm, pos, sent_end)
        if sub:
            return "clause", sub.start("subject")
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


#: Where the noun phrase a cue takes ends: a clause mark, a dash or a parenthesis.
_NOUN_OBJECT_END = re.compile(r"[,;:()\u2014\u2013]|\s-\s|\s+(?:who|which|where|when)\b")


def _noun_object(doc: _Doc, start: int, sent_end: int) -> tuple[int, int] | None:
    """The noun phrase from ``start`` to the first clause mark or the sentence end."""
    norm = doc.norm
    cut = _NOUN_OBJECT_END.search(norm, start, sent_end)
    s, e = _strip(norm, start, cut.start() if cut else sent_end)
    if not cut and e > s and norm[e - 1] in ".!?" and not doc.quote_at(e - 1):
        while e > s and norm[e - 1] in ".!?":
            e -= 1  # the sentence's own end, not a closing quote's
    s, e = _strip_punct(norm, s, e)
    return (s, e) if e > s else None


#: A comma and a participle of speech right after a cue.
_PARTICIPLE_NEXT = re.compile(r"\s*,\s*(?:" + "|".join(sorted(_PARTICIPLES)) + r")\b")
#: A participle of speech right after a cue, in text without commas ("... said adding ...").
_PARTICIPLE_AFTER = re.compile(r"\s+(?:" + "|".join(sorted(_PARTICIPLES)) + r")\b")
#: A quantity at the start of a reported clause ("at least 140 people", "about 20 rebels").
_QUANTITY_START = re.compile(
    r"\s*(?:at least|at most|about|around|nearly|almost|more than|over|some|up to|fewer than|"
    r"less than|roughly|approximately)\s+(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|"
    r"nine|ten|a dozen|dozens|hundreds|thousands|half)\b"
)
#: A modifier of up to four words without punctuation, then a subject pronoun and a word.
_MODIFIER_THEN_PRONOUN = re.compile(
    r"\s*(?:[\w'.-]+\s+){1,4}?(?P<subject>(?:he|she|they|we|I|it)(?:'(?:s|re|d|ll|ve|m))?\s+"
    r"(?:\"|[a-z]\w*))"
)
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
