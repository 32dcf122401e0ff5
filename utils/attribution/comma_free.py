"""Readings for text without commas (the form of FA-KES, whose commas and apostrophes were
stripped when the data set was made): a reported clause followed by its speaker before a
sentence-final "said" (:func:`_comma_free_end`), "Content said Name role ..." after an
inverted cue (:func:`_comma_free_inverted`) and "According to X content" with no comma closing
the source (:func:`_according_to_comma_free`). The rules of :mod:`utils.attribution.rules` call
them when the text holds no comma; each is a bounded number of regular-expression searches over
one sentence, so the work stays linear in the text's length.
"""

from __future__ import annotations

import re

from utils.attribution.document import _Attribution, _Doc
from utils.attribution.lexicons import _DETERMINERS, _PARTICIPLES, DAYS, TITLE_WORDS
from utils.attribution.source_types import _PERSON_NOUNS
from utils.attribution.spans import _clause_content, _strip_punct

#: Where a source after a sentence-opening "according to" ends in text without commas: a
#: quote, a subject pronoun, or a capitalised word after a lowercase one that is no preposition
#: ("According to a recent poll of Indiana voters Trump garnered 30%").
_ACCORDING_END = re.compile(
    r"\s(?=\")|\s(?=(?:he|she|they|it|we|I)\s)|"
    r"(?<=[a-z])(?<!\bof)(?<!\bfor)(?<!\bin)(?<!\bat)(?<!\bon)(?<!\bby)(?<!\bfrom)(?<!\bto)"
    r"(?<!\bwith)(?<!\bthe)\s(?=[A-Z])"
)


def _according_to_comma_free(
    doc: _Doc, cue_start: int, cue_end: int, source_start: int, sent_end: int
) -> _Attribution | None:
    """'According to X content' in text without commas: the source up to
    :data:`_ACCORDING_END` (at least one word after the cue), the rest the content."""
    norm = doc.norm
    cut = _ACCORDING_END.search(norm, source_start + 1, sent_end)
    if cut is None:
        return None
    if len(norm[source_start : cut.start()].split()) > 10:
        return None  # a clause, not a source
    source = _strip_punct(norm, source_start, cut.start())
    content = _clause_content(doc, cut.end(), sent_end)
    if source[1] <= source[0] or content is None or len(norm[content[0]:content[1]].split()) < 3:
        return None
    return _Attribution(cue=(cue_start, cue_end), source=source, pieces=[content], acc=True)



#: The speaker closing a clause that lost its comma before "said": a name ("... in the raid
#: Rami Abdel Rahman"), with "the" before it ("the Syrian Observatory for Human Rights"), or a
#: noun phrase opened by a determiner ("a monitor", "the Britain-based monitor").
_END_NAME = re.compile(
    rf"(?<=[a-z0-9%]\s)(?!(?i:{DAYS})\b)"
    r"(?:the\s+)?[A-Z][\w.'-]*(?:\s+(?:[A-Z][\w.'-]*|of|for|the|al-[\w'-]+))*"
    r"(?:\s+\([A-Z][\w-]{1,8}\))?$"
)
_END_NOUN_PHRASE = re.compile(
    r"(?<=\s)(?:a|an|the|one|two|three|several|some|many)\s+"
    r"(?:(?!(?:a|an|the|is|are|was|were|has|have|had|and)\s)[\w'.-]+\s+){0,5}[\w'.-]+"
    r"(?:\s+and\s+(?:(?:a|an|the)\s+)?(?:(?!(?:a|an|the|is|are|was|were|has|have|had|and)\s)"
    r"[\w'.-]+\s+){0,3}[\w'.-]+)?$"
)


_END_PRONOUN = re.compile(r"(?<=[a-z0-9%]\s)(?:he|she|they|we|I)$")
#: A group named by a plural noun, with a determiner and up to three modifiers ("... in the
#: strikes activists said", "... local residents said", "... Syrian state television said").
_END_GROUP = re.compile(
    r"(?<=[a-z0-9%]\s)(?:(?:the|some|many|several|other)\s+)?"
    rf"(?:(?:(?!(?i:{DAYS})\b)"
    r"[A-Z][\w'-]*|local|rebel|security|medical|military|opposition|"
    r"government|senior|western|foreign|regional|hospital|police|intelligence|state|"
    r"official|news|rights|aid|activist|armed|human|civil|defense|defence|[A-Z]{2,5})\s+){0,3}"
    r"(?:activists|officials|sources|residents|witnesses|police|medics|rebels|analysts|experts|"
    r"observers|monitors|authorities|doctors|paramedics|investigators|prosecutors|diplomats|"
    r"lawmakers|aides|organizers|organisers|officers|campaigners|spokesmen|insurgents|"
    r"militants|fighters|survivors|villagers|locals|media|television|TV|radio|groups|"
    r"agencies|organizations|organisations|channel)$"
)


def _comma_free_end(norm: str, start: int, end: int):
    """``(content, speaker)`` spans when ``norm[start:end]`` (the words before a sentence-final
    "said") is a reported clause followed by its speaker with the comma lost, else ``None``."""
    if len(norm[start:end].split()) < 6:
        return None
    for m in _speaker_readings(norm, start, end):
        # the first reading that leaves a whole clause before the speaker ("... killed in the
        # strikes activists said": not "the strikes activists"; "... in Hama rights groups
        # said": not "Hama rights groups")
        before = norm[start : m.start()].split()
        if (before and before[-1][:1].isupper() and m.group()[:1].isupper()
                and before[-1].lower() not in _DAY_NAMES):  # fmt: skip
            return None  # "... (LISA) Sami Nader said": the name starts earlier
        content = _strip_punct(norm, start, m.start())
        words = norm[content[0] : content[1]].split()
        if len(words) >= 4 and words[-1].lower() not in _CLAUSE_CANNOT_END:
            return content, (m.start(), end)
    return None



def _speaker_readings(norm: str, start: int, end: int):
    """The match of each speaker pattern closing ``norm[start:end]``, each pattern's
    longest match first, then up to two shorter ones (a few words each: the sentence is not
    searched again and again)."""
    for pattern in (_END_NAME, _END_GROUP, _END_NOUN_PHRASE, _END_PRONOUN):
        pos = start
        for _ in range(3):
            m = pattern.search(norm, pos, end)
            if m is None:
                break
            yield m
            pos = m.start() + 1


_DAY_NAMES = frozenset(DAYS.split("|"))
#: Words a reported clause does not end with.
_CLAUSE_CANNOT_END = _DETERMINERS | {"of", "to", "in", "on", "for", "and", "or", "by", "with"}


#: After a cue, a name of two to four capitalised words, then the sentence end or a role
#: ("... said Zakaria Malahifji senior official in ...", "... said Rami Abdel Rahman.").
_NAME_THEN_ROLE = re.compile(
    r"\s+(?P<name>(?:[A-Z][\w'.-]+|al-[\w'-]+)(?:\s+(?:[A-Z][\w'.-]+|al-[\w'-]+)){1,3})"
    r"(?:\s*[.!?]?\s*$|\s+(?:\d{1,3}\s+)?(?:(?:a|an|the|its|their)\s+)?"
    r"(?P<role>(?:[a-z-]+\s+){0,2}[a-z-]+|(?:[\w-]+\s+){0,2}[a-z][\w-]*))"
)


#: "the" and up to four words ending the sentence, or before a participle of speech: the
#: speaker after an inverted cue in text without commas ("... said the Observatory adding").
_THE_SPEAKER = re.compile(
    r"\s+(?P<np>(?:the|one|another|a|an|two|three|several|some)\s+(?:[\w'-]+\s+){0,3}?[\w'-]+)"
    r"(?=\s*[.!?]?\s*$|\s+(?:adding|saying|noting|speaking|citing|stressing|referring)\b)"
)
#: A run of word characters, apostrophes and hyphens.
_WORD_RUN = re.compile(r"[\w'-]+")


#: Words of a speaker's role after a name ("senior official", "the head of the monitor").
_ROLE_WORDS = (TITLE_WORDS | _PERSON_NOUNS | frozenset(
    "official officials monitor source activist resident witness journalist expert researcher "
    "medic volunteer fighter strategist adviser advisor analyst aide spokesman spokeswoman "
    "lawmaker supporter".split()
)) - frozenset(
    "the u.s. us federal state foreign defense defence democratic republican gop presidential "
    "former acting vice".split()
)


def _comma_free_inverted(
    doc: _Doc, lo: int, cue_start: int, cue_end: int, sent_end: int
) -> _Attribution | None:
    """'Content said Name role ...' in text that lost its commas: the clause before the cue is
    the content and the name after it (with its role, to the sentence end) the source; also
    'Content said the Observatory' (a role word or capitalised words after "the", ending the
    sentence or before a participle of speech)."""
    norm = doc.norm
    left = norm[lo:cue_start].rstrip()
    if left.endswith((",", '"')) or not re.search(r"\b[a-z]{3,}\b", left):
        return None  # a comma or quote: the rules' own readings; a headline in title case
    if len(norm[lo:cue_start].split()) < 4:
        return None
    the = _THE_SPEAKER.match(norm, cue_end, sent_end)
    if the is not None:
        words = the.group("np").split()[1:]
        if not (words[-1] in _ROLE_WORDS or all(w[:1].isupper() for w in words)):
            return None  # "said the army had taken ...": a clause
        end = the.end("np")  # "... said the Observatory adding that ...", "said the resident"
        m = the
    else:
        m = _NAME_THEN_ROLE.match(norm, cue_end, sent_end)
        if m is None or '"' in norm[m.end("name") : sent_end]:
            return None
        role = m.group("role")
        place = re.match(r"\s+(?:\d{1,3}\s+)?of\s+[A-Z]", norm[m.end("name") : m.end("name") + 16])
        if role is not None and not place and not any(w in _ROLE_WORDS for w in role.split()):
            return None  # "said Syrian Army forces had taken ...": a clause, not a speaker
        end = sent_end
        for word in _WORD_RUN.finditer(norm, m.end("name"), sent_end):
            if word.group() in _PARTICIPLES or word.group() == "speaking":
                end = word.start()  # "... Fastaqim adding that ...": the role ends there
                break
        while end > m.start("name") and norm[end - 1] in " .!?":
            end -= 1
    content = _strip_punct(norm, lo, cue_start)
    if content[1] - content[0] < 3:
        return None
    start = m.start("np") if the is not None else m.start("name")
    return _Attribution(cue=(cue_start, cue_end), source=(start, end), pieces=[content])
