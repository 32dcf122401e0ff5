"""Speakers: each source resolved to a name (titles folded, surnames mapped to the full name
seen in the article, pronouns and descriptions to the nearest earlier compatible named
source) and the kind of an attribution (direct, mixed, indirect, according-to).
"""

from __future__ import annotations

import re

from utils.attribution.document import _Attribution, _Doc
from utils.attribution.lexicons import _PRONOUNS, _QUOTE_MARK
from utils.attribution.source_types import (
    _DOCUMENT_HEADS,
    _LEADING_MODIFIER,
    _MEDIA_HEADS,
    _ORG_HEADS,
    _head_noun,
    _name_chunk,
    _surname,
    classify_source,
    fold_name,
)


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
            if speaker and not att.extra.get("asker"):
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
