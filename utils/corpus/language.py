"""Language of each article, so that English-only analyses skip what they cannot read.

The toolkit's tokenizer, stopwords, sentiment lexicon and attribution rules are English. The
loader marks every article with an ISO 639-1 code in a ``language`` column, identified by
py3langid (langid.py's model, shipped inside its wheel: offline and deterministic) on
:data:`SAMPLE_CHARACTERS` characters: half from the start, half from the middle of a long
article (an English article opening with a French quotation stays English). Short texts are
where identifiers err (a headline such as "Trump Putin Assad" reads as Swedish), so:

- a text with fewer than :data:`MIN_LETTERS` letters (:data:`MIN_LETTERS_OTHER_SCRIPTS` when
  most of its letters are not Latin: a Chinese character carries about a word) is ``"und"``
  (undetermined; analysed as English);
- an article is English unless the identifier gives English a normalised probability below
  :data:`MAX_ENGLISH_PROBABILITY`; it is then the identifier's first choice. (The first
  choice's own probability is a poor test: Arabic splits it among its dialects.)
- a sample in which English function words ("the", "of", "that", "said", ...:
  :data:`ENGLISH_FUNCTION_WORDS`) make at least :data:`ENGLISH_WORD_SHARE` of the words, "the"
  among them, is English without asking the identifier. The identifier is pure Python (a third
  of a millisecond per article, most of the loading time of a large corpus); on every article
  of the shared corpora (Reuters-21578, BBC, FA-KES, PolNeAR, five fake-news sets: 27,571
  texts) the identifier agreed with this test wherever it applied (two articles in three), and
  a text in another language does not reach the share.

The per-article analysis (:mod:`utils.pipeline`) analyses the languages of
:data:`ANALYSED_LANGUAGES` and marks every other article as not analysed (missing values,
never 0.0).
"""

from __future__ import annotations

import functools
import re

#: Characters of an article given to the identifier (its start; enough for a stable answer).
SAMPLE_CHARACTERS = 500
#: Letters below which a text is too short to identify.
MIN_LETTERS = 40
#: The same for texts written mostly in other scripts than Latin.
MIN_LETTERS_OTHER_SCRIPTS = 10
#: Probability of English below which an article is another language.
MAX_ENGLISH_PROBABILITY = 0.05
#: Languages the identifier chooses among: the major written languages of the news. Without
#: this, the tables of figures in business news ("Shr 75 cts vs 52 cts") read as pidgin,
#: Volapuk or "no linguistic content".
CANDIDATE_LANGUAGES = (
    "af", "ar", "bg", "bn", "ca", "cs", "da", "de", "el", "en", "es", "et", "eu", "fa", "fi",
    "fr", "gl", "he", "hi", "hr", "hu", "id", "it", "ja", "ko", "lt", "lv", "mr", "ms", "nl",
    "no", "pl", "pt", "ro", "ru", "sk", "sl", "sq", "sr", "sv", "sw", "ta", "te", "th", "tl",
    "tr", "uk", "ur", "vi", "zh",
)
#: Languages the analyses handle; ``"und"`` (undetermined) is analysed as English.
ANALYSED_LANGUAGES = frozenset({"en", "und"})


#: Words that make a good share of every English text (some, such as "is" or "was", are Dutch
#: or German too: the test also needs "the", and a share no other language reaches).
ENGLISH_FUNCTION_WORDS = frozenset(
    "the of and that for with said from by which this has have were would their been is are "
    "it its was will be".split())
#: Share of a sample's words that English function words must reach (with at least
#: :data:`MIN_FUNCTION_WORDS` of them) for the sample to be English without the identifier.
ENGLISH_WORD_SHARE = 0.15
MIN_FUNCTION_WORDS = 8

_WORD = re.compile(r"[a-z]+")
_LETTER = re.compile(r"[^\W\d_]")
_OTHER_SCRIPT_LETTER = re.compile(r"[^\W\d_\u0000-\u024f]")


@functools.cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(CANDIDATE_LANGUAGES)
    return identifier


def language_sample(text: str) -> str:
    """The :data:`SAMPLE_CHARACTERS` characters of ``text`` its language is read from: all of
    a short text, half from the start and half from the middle of a long one."""
    if len(text) <= 2 * SAMPLE_CHARACTERS:
        return text[:SAMPLE_CHARACTERS]
    half, middle = SAMPLE_CHARACTERS // 2, len(text) // 2
    return f"{text[:half]}\n{text[middle:middle + half]}"


def detect_language(text: str) -> str:
    """ISO 639-1 code of ``text``'s language, ``"en"`` when not confidently another, or
    ``"und"`` when too short to tell (see the module docstring)."""
    sample = language_sample(text)
    letters = len(_LETTER.findall(sample))
    other_script = len(_OTHER_SCRIPT_LETTER.findall(sample))
    needed = MIN_LETTERS_OTHER_SCRIPTS if other_script * 2 > letters else MIN_LETTERS
    if letters < needed:
        return "und"
    if _plainly_english(sample):
        return "en"
    ranking = _identifier().rank(sample.lower())
    english = next((p for code, p in ranking if code == "en"), 0.0)
    if english < MAX_ENGLISH_PROBABILITY:
        return str(ranking[0][0])
    return "en"


def _plainly_english(sample: str) -> bool:
    words = _WORD.findall(sample.lower())
    hits = sum(word in ENGLISH_FUNCTION_WORDS for word in words)
    return hits >= MIN_FUNCTION_WORDS and hits >= ENGLISH_WORD_SHARE * len(words) and (
        "the" in words)


def is_analysed(language) -> bool:
    """Whether an article of this ``language`` code goes through the English analyses
    (a missing code counts as English)."""
    return language is None or language != language or str(language) in ANALYSED_LANGUAGES


def analysed_mask(corpus) -> list[bool]:
    """Per article of a corpus frame, whether the English analyses read it (every article
    when the frame has no ``language`` column)."""
    if "language" not in corpus:
        return [True] * len(corpus)
    return [is_analysed(language) for language in corpus["language"].tolist()]
