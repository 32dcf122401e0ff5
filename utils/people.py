"""The people an article names, and the tone toward each of them and of what each says.

For one article (its text, its sentences and its attributions, as the pipeline computes them),
:func:`people_rows` finds the named persons and returns one row per

- **mention** (``role = "mentioned"``): a place where the article names the person; its
  ``compound`` and ``label`` are the tone of the sentence *toward that mention*
  (:func:`utils.sentiment.target_sentiment`), not the sentence's overall tone;
- **statement** (``role = "speaking"``): an attribution whose speaker is the person; its
  ``compound`` is the tone of the attributed content (:data:`STATEMENT_ENGINE`), so that the
  tone of what X says can be read beside the tone toward X.

Who counts as a person. An article's people are the names that follow a person's title
("President Bashar al-Assad", "Foreign Minister Sergei Lavrov", "Mr. Trump", "spokesman
Dmitry Peskov") and the speakers the attribution extractor typed as persons ("said Zakaria
Malahifji"). Every later mention of such a person by full name or by surname ("Assad",
"al-Assad", "Lavrov") is a mention of that person. A capitalised phrase without such evidence
("Aleppo", "Free Syrian Army") is never taken for a person. Why this and not a named-entity
model: NLTK's chunker and spaCy's or Stanza's models are downloaded at run time (this project
installs nothing that way), and a name list would not know "Malahifji"; titles and attributed
speech are what news text gives for people, in any spelling, with or without commas.

``person`` is the longest form of the name the article gives; ``person_key`` is the folded
surname (accents and case folded, an Arabic article such as "al-" dropped: "Bashar al-Assad"
and "Assad" share the key ``assad``), which joins the same person across articles. Two people
with one surname in the same article keep their full names and their surname alone is then
not taken as a mention of either.

Public functions
----------------
``person_names(text, attributions=())`` -> ``{full name: person_key}`` of the article.
``people_rows(text, sentences, attributions=())`` -> rows :data:`PEOPLE_COLUMNS` (plain
    tuples, in text order, mentions then statements).
``people_frame(rows, doc_ids=None)`` -> the rows as a DataFrame.
``people_mapping(counts)`` -> ``{person_key: (canonical key, display name)}`` across a corpus,
    from the number of rows of each ``(person_key, person)`` pair: a key that is another key
    with a possessive "s" whose apostrophe was lost (``assads``) joins it (``assad``), and a
    person's display name is the most frequent name of two words or more given to the key
    (ties alphabetical; a one-word name when the corpus never gives a longer one).
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Sequence

import pandas as pd

#: Columns of :func:`people_rows`, in order.
PEOPLE_COLUMNS = ("person", "person_key", "role", "start", "end", "sentence_index",
                  "compound", "label")
#: The values of ``role``.
ROLES = ("mentioned", "speaking")
#: The engine scoring what a person says (the attributed content), see
#: :func:`utils.sentiment.score_sentences`.
STATEMENT_ENGINE = "vader"
#: Characters of a sentence read on each side of a mention (news sentences are shorter; the
#: rest of a longer "sentence" says little about the person).
CONTEXT_CHARS = 400
#: Compound at or beyond which a statement is positive or negative (the VADER paper's).
STATEMENT_THRESHOLD = 0.05

#: Titles after which one capitalised word is already a person ("President Obama").
STRONG_TITLES = (
    "President", "Vice President", "Prime Minister", "Minister", "Mr", "Mrs", "Ms", "Dr",
    "Senator", "Sen", "Rep", "Representative", "Congressman", "Congresswoman", "Gov",
    "Governor", "General", "Gen", "Lt", "Lieutenant", "Colonel", "Col", "Major", "Maj",
    "Captain", "Capt", "Sgt", "Sergeant", "Admiral", "Adm", "King", "Queen", "Prince",
    "Princess", "Crown Prince", "Pope", "Sheikh", "Emir", "Sultan", "Secretary", "Chancellor",
    "Ambassador", "Envoy", "Commander", "Judge", "Justice", "Mayor", "Rev", "Reverend",
    "Imam", "Ayatollah", "Cardinal", "Archbishop", "Bishop", "Sir", "Lord", "Lady", "Dame",
    "Professor", "Prof", "Speaker", "Chairman", "Chairwoman", "Director", "Leader",
)
#: Lower-case role nouns after which a name of two words or more is a person ("spokesman
#: Dmitry Peskov", "leader Abu Bakr al-Baghdadi").
WEAK_TITLES = (
    "president", "minister", "spokesman", "spokeswoman", "spokesperson", "leader", "envoy",
    "commander", "director", "chief", "head", "chairman", "official", "ambassador", "secretary",
    "senator", "governor", "mayor", "candidate", "nominee", "founder", "activist", "analyst",
    "journalist", "correspondent", "reporter", "lawyer", "attorney", "judge", "general",
    "colonel", "officer", "adviser", "advisor", "aide", "researcher", "professor", "doctor",
    "surgeon", "manager", "coordinator", "member", "resident", "witness", "brother", "sister",
    "father", "mother", "son", "daughter", "wife", "husband", "cleric", "preacher", "sheikh",
    "businessman", "tycoon", "dictator", "strongman", "king", "prince", "emir", "imam",
)
#: Words that are not (part of) a person's name even in capitals after a title: institutions,
#: places and other nouns that titles also precede ("General Assembly", "Minister of State").
NOT_NAMES = frozenset("""
assembly council army forces force staff command house office ministry department state states
nations union party committee security government republic kingdom court parliament congress
senate administration authority authorities agency organization organisation front brigade
brigades battalion division group groups coalition alliance observatory network media news
television radio press times post daily agency university school hospital city province
district region village town street square airport base camp international national united
arab islamic syrian syria russian russia american america iranian iran iraqi iraq turkish
turkey israeli israel lebanese lebanon kurdish jordanian saudi egyptian french british german
chinese european western eastern northern southern east west north south monday tuesday
wednesday thursday friday saturday sunday january february march april may june july august
september october november december the a an of in on at for and or but to by with from his
her their its this that these those who which while when after before during general
secretary minister president spokesman leader chief official officials affairs foreign
defence defense interior justice finance health education energy trade economy rights watch
helmets committee committees coordination commission according based led backed moscow
executive deputy senior former acting regional assistant associate general
washington damascus aleppo beirut ankara tehran baghdad london paris cairo riyadh geneva
""".split())

_PARTICLES = ("al", "el", "ad", "as", "ash", "an", "ar", "at", "az", "abu", "bin", "ibn", "bint")
_SPACED_PARTICLES = ("bin", "ibn", "abu", "abd", "de", "del", "della", "der", "van", "von",
                     "da", "di", "du", "la", "le", "dos", "al")
_CAP_WORD = r"[A-Z][a-z\u00df-\u00ff]+(?:-[A-Za-z][a-z\u00df-\u00ff]+)*"
_NAME_WORD = rf"(?:(?:{'|'.join(_PARTICLES)})-)?{_CAP_WORD}"
_NAME = (rf"{_NAME_WORD}(?:[ \t]+(?:(?:{'|'.join(_SPACED_PARTICLES)})[ \t]+)?{_NAME_WORD}){{0,3}}")


def _alternation(words: Sequence[str]) -> str:
    """A regex matching any of ``words`` (spaces match runs of blanks), as a trie of their
    characters, so that each position of the text is tried once per character, not once per
    word (Python's ``re`` tries the branches of a plain alternation one by one)."""
    trie: dict = {}
    for word in set(words):
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:
        ends = "" in node
        branches = [(r"[ \t]+" if c == " " else re.escape(c)) + build(child)
                    for c, child in sorted(node.items()) if c != ""]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return build(trie)


#: A person's title (strong, with an optional period, or a lower-case role noun), then a name.
_TITLED = re.compile(
    rf"\b(?:(?P<strong>(?:{_alternation(STRONG_TITLES)})\.?)|(?P<weak>{_alternation(WEAK_TITLES)}))"
    rf"[ \t]+(?P<name>{_NAME})")
_TITLE_WORDS = frozenset(w.lower() for t in STRONG_TITLES + WEAK_TITLES for w in t.split())


@functools.lru_cache(maxsize=65_536)
def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _without_particle(word: str) -> str:
    head, dash, rest = word.partition("-")
    if dash and head.lower() in _PARTICLES and rest:
        return rest
    return word


def person_key(name: str) -> str:
    """The folded surname of a name: ``"Bashar al-Assad"`` -> ``"assad"``."""
    words = name.split()
    while len(words) > 1 and words[-1].lower().strip(".") in ("jr", "sr", "ii", "iii"):
        words = words[:-1]
    return _fold(_without_particle(words[-1])) if words else ""


def _clean_name(name: str) -> str | None:
    """The name without title words at its start and without non-name words, or ``None``."""
    words = name.split()
    while words and words[0].lower().strip(".") in _TITLE_WORDS:
        words = words[1:]
    cut = next((i for i, w in enumerate(words) if _fold(_without_particle(w)) in NOT_NAMES
                or _fold(w) in NOT_NAMES or _fold(w).strip(".") in _TITLE_WORDS), None)
    if cut is not None:
        words = words[:cut]
    while words and words[-1].lower() in _SPACED_PARTICLES:
        words = words[:-1]
    if not words or len(person_key(" ".join(words))) < 2:
        return None
    return " ".join(words)


def _speaker_name(speaker: str) -> str | None:
    """A person speaker's name as a candidate (names only: capitalised words)."""
    words = [w for w in str(speaker or "").split() if w]
    if not words or not all(re.fullmatch(_NAME_WORD, w) or w.lower() in _SPACED_PARTICLES
                            for w in words):
        return None
    return _clean_name(" ".join(words))


def _unpossessed(name: str, words: set[str]) -> str:
    """``name`` without a possessive "s" whose apostrophe was lost ("Bashar al-Assads
    forces"), when the article also names the person without it (``words``: the article's
    words, hyphenated ones whole)."""
    surname = name.split()[-1]
    if not surname.endswith("s") or len(surname) < 4:
        return name
    if _without_particle(surname)[:-1] in words:
        return name[:-1]
    return name


def person_names(text: str, attributions: Sequence[Sequence] = ()) -> dict[str, str]:
    """``{full name: person_key}`` for the people of an article (module docstring): names after
    a title and the speakers typed ``person`` in ``attributions`` (rows of
    :func:`utils.attribution.attribution_rows`). A one-word name is kept only when no longer
    name of the article has its surname."""
    from utils.attribution import COLUMNS

    speaker_at, type_at = COLUMNS.index("speaker"), COLUMNS.index("source_type")
    found: list[str] = []
    for match in _TITLED.finditer(text):
        name = _clean_name(match.group("name"))
        if name is None:
            continue
        if match.group("weak") and len(name.split()) < 2:
            continue  # "leader Assad" could be "the leader Damascus": a strong title only
        found.append(name)
    titled_keys = {person_key(name) for name in found}
    for row in attributions:
        if row[type_at] == "person":
            name = _speaker_name(row[speaker_at])
            # a one-word speaker ("Moscow said") is a person only when a title named it
            if name is not None and (len(name.split()) > 1 or person_key(name) in titled_keys):
                found.append(name)
    if any(name.endswith("s") for name in found):
        words = set(re.findall(r"[\w-]+", text))  # once: the text is read once per article
        found = [_unpossessed(name, words) for name in found]
    by_key: dict[str, set[str]] = {}
    for name in found:
        by_key.setdefault(person_key(name), set()).add(name)
    names: dict[str, str] = {}
    for key, forms in by_key.items():
        longer = [f for f in forms if len(f.split()) > 1]
        keep = longer or list(forms)
        for form in keep:
            names[form] = key
    return names


def _mention_pattern(names: dict[str, str]) -> tuple[re.Pattern | None, dict[str, str]]:
    """One pattern matching every form of the article's names (full names, surnames with and
    without their particle), longest first; and the person each form stands for."""
    people_of_key: dict[str, list[str]] = {}
    for name, key in names.items():
        people_of_key.setdefault(key, []).append(name)
    form_person: dict[str, str] = {}
    for people in people_of_key.values():
        longest = max(people, key=lambda n: (len(n), n))
        for name in people:
            form_person[name] = name
        if len(people) == 1:  # a surname stands for its person only when one person has it
            surname = longest.split()[-1]
            for form in {surname, _without_particle(surname)}:
                if len(form) >= 3 and _fold(form) not in NOT_NAMES:
                    form_person.setdefault(form, longest)
    if not form_person:
        return None, {}
    pattern = re.compile(rf"(?<![\w-])(?:{_alternation(list(form_person))})(?![\w])")
    return pattern, {re.sub(r"\s+", " ", f): p for f, p in form_person.items()}


def _label(compound: float, threshold: float = STATEMENT_THRESHOLD) -> str:
    if compound >= threshold:
        return "positive"
    if compound <= -threshold:
        return "negative"
    return "neutral"


def _found(text: str, sentences: Sequence[tuple[int, int]], attributions: Sequence[Sequence]):
    """``(mentions, items, statements, names)`` of one article, before any scoring: each
    mention ``(person, start, end, sentence index)`` with its ``(sentence, start, end)`` item
    for the target tone, and each statement ``(person, start, end)``."""
    from utils.attribution import COLUMNS

    names = person_names(text, attributions)
    pattern, form_person = _mention_pattern(names)
    if pattern is None:
        return [], [], [], names
    starts = [start for start, _ in sentences]
    mentions, items = [], []
    for match in pattern.finditer(text):
        person = form_person[re.sub(r"\s+", " ", match.group(0))]
        index = bisect.bisect_right(starts, match.start()) - 1
        if index >= 0 and match.end() <= sentences[index][1]:
            s_start, s_end = sentences[index]
        else:  # not inside a sentence (e.g. a heading): its line
            index = -1
            s_start = text.rfind("\n", 0, match.start()) + 1
            s_end = text.find("\n", match.end())
            s_end = len(text) if s_end < 0 else s_end
        # a sentence of thousands of characters (a table, a transcript without periods) is
        # read around the mention only, so the cost stays linear in the article's length
        if match.start() - s_start > CONTEXT_CHARS:
            s_start = text.find(" ", match.start() - CONTEXT_CHARS, match.start()) + 1 or \
                match.start() - CONTEXT_CHARS
        if s_end - match.end() > CONTEXT_CHARS:
            cut = text.rfind(" ", match.end(), match.end() + CONTEXT_CHARS)
            s_end = cut if cut > 0 else match.end() + CONTEXT_CHARS
        mentions.append((person, match.start(), match.end(), index))
        items.append((text[s_start:s_end], match.start() - s_start, match.end() - s_start))
    speaker_at, type_at = COLUMNS.index("speaker"), COLUMNS.index("source_type")
    start_at, end_at = COLUMNS.index("content_start"), COLUMNS.index("content_end")
    key_person: dict[str, str] = {}
    for name, key in names.items():
        if key not in key_person or len(name) > len(key_person[key]):
            key_person[key] = name
    statements = []
    for row in attributions:
        if row[type_at] != "person":
            continue
        name = _speaker_name(row[speaker_at])
        if name is None or person_key(name) not in key_person:
            continue
        start, end = int(row[start_at]), int(row[end_at])
        if end > start:
            index = bisect.bisect_right(starts, start) - 1
            statements.append((key_person[person_key(name)], start, end, index))
    return mentions, items, statements, names


def people_rows_of_articles(articles) -> list[list[tuple]]:
    """:func:`people_rows` of many articles (``(text, sentences, attributions)`` each), with
    one call of the target-tone model and one of the statement scorer for all of them."""
    from utils.sentiment import score_sentences
    from utils.sentiment.targets import target_sentiment

    found = [(text, *_found(text, sentences, attributions))
             for text, sentences, attributions in articles]
    items = [item for _, _, article_items, _, _ in found for item in article_items]
    statements = [text[s:e] for text, _, _, article_statements, _ in found
                  for _, s, e, _ in article_statements]
    tones = target_sentiment(items) if items else None
    compounds = tones["compound"].tolist() if tones is not None else []
    labels = tones["label"].tolist() if tones is not None else []
    said = (score_sentences(statements, engine=STATEMENT_ENGINE, workers=1)["compound"].tolist()
            if statements else [])
    out, m, s = [], 0, 0
    for _, mentions, _, article_statements, names in found:
        rows: list[tuple] = []
        for person, start, end, index in mentions:
            rows.append((person, names[person], "mentioned", start, end, index,
                         round(float(compounds[m]), 4), str(labels[m])))
            m += 1
        for person, start, end, index in article_statements:
            compound = said[s]
            s += 1
            rows.append((person, person_key(person), "speaking", start, end, index,
                         round(float(compound), 4), _label(compound)))
        out.append(rows)
    return out


def people_rows(text: str, sentences: Sequence[tuple[int, int]],
                attributions: Sequence[Sequence] = ()) -> list[tuple]:
    """Rows :data:`PEOPLE_COLUMNS` of one article (module docstring). ``sentences``: the
    ``(start, end)`` of each sentence, in order (the pipeline's sentence table);
    ``attributions``: rows of :func:`utils.attribution.attribution_rows`. A mention outside
    every sentence is scored on the text around it."""
    return people_rows_of_articles([(text, sentences, attributions)])[0]


def people_mapping(counts) -> dict[str, tuple[str, str]]:
    """``{person_key: (canonical key, display name)}`` from ``counts`` of ``(person_key,
    person)`` pairs (module docstring); what a results store keeps in ``people.parquet``."""
    keys = {str(key) for key, _ in counts}
    canonical = {key: key[:-1] if key.endswith("s") and key[:-1] in keys else key
                 for key in keys}
    names: dict[str, dict[str, int]] = {}
    for (key, person), n in counts.items():
        key, person = str(key), str(person)
        if canonical[key] != key and person.endswith("s"):
            person = person[:-1]  # "Bashar al-Assads" stands for "Bashar al-Assad"
        forms = names.setdefault(canonical[key], {})
        forms[person] = forms.get(person, 0) + int(n)
    display = {key: min(forms, key=lambda f: (len(f.split()) < 2, -forms[f], f))
               for key, forms in names.items()}
    return {key: (canonical[key], display[canonical[key]]) for key in sorted(keys)}


def people_frame(rows: list[tuple], doc_ids: list[str] | None = None) -> pd.DataFrame:
    """Rows of :func:`people_rows` as a DataFrame (``doc_id`` first when ``doc_ids`` gives
    one per row)."""
    frame = pd.DataFrame(rows, columns=list(PEOPLE_COLUMNS))
    frame = frame.astype({"start": "int64", "end": "int64", "sentence_index": "int64",
                          "compound": "float64"})
    if doc_ids is not None:
        frame.insert(0, "doc_id", doc_ids)
    return frame
