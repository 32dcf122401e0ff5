"""The naive notebook pipeline: the baseline of ``benchmarks/pipeline.py`` (not a benchmark
itself: running it prints nothing but a one-line usage note).

What an analyst typically writes in a notebook, row by row with ``DataFrame.apply``: for every
article, split it into sentences (plain NLTK Punkt paragraph by paragraph,
:func:`utils.text.reference_sentence_spans`, with the project's parameters since
``nltk.sent_tokenize`` would need NLTK's downloadable punkt data), tokenize every sentence with
``nltk.word_tokenize`` (emulated exactly: NLTK's function runs Punkt on its input, here the
sentence, then its word tokenizer on each piece; the emulation only swaps in the project's
Punkt parameters, as NLTK's punkt data is not available offline), count the lower-cased
words that are not stopwords with ``nltk.FreqDist``, score every sentence with NLTK's port of VADER
(``nltk.sentiment.vader.SentimentIntensityAnalyzer``, lexicon from the project-local NLTK data
directory, :func:`utils.resources.use_project_nltk_data`), and find quotations with a regular
expression. It does less than :mod:`utils.pipeline` (no attribution of a quote to a speaker, no
offsets), so a speed-up over it understates the work saved.
"""

from __future__ import annotations

import re

import pandas as pd

#: A double-quoted passage (straight or typographic quotes).
QUOTE = re.compile(r"[\"\u201c]([^\"\u201c\u201d]{3,}?)[\"\u201d]")


def naive_analyse(corpus: pd.DataFrame) -> pd.DataFrame:
    """One row per article: ``sentences, words, top_word, mean_compound, quotes`` computed row
    by row (``DataFrame.apply``) with plain NLTK."""
    import nltk
    from nltk.sentiment.vader import SentimentIntensityAnalyzer
    from nltk.tokenize import NLTKWordTokenizer

    from utils.resources import english_stopwords, use_project_nltk_data
    from utils.text import reference_sentence_spans

    def split_sentences(text: str) -> list[str]:  # plain NLTK Punkt, paragraph by paragraph
        return [text[start:end] for start, end in reference_sentence_spans(text)]

    use_project_nltk_data()
    analyzer = SentimentIntensityAnalyzer()
    tokenizer = NLTKWordTokenizer()
    stopwords = english_stopwords()

    def word_tokenize(sentence: str) -> list[str]:  # nltk.word_tokenize, offline Punkt
        return [token for piece in split_sentences(sentence)
                for token in tokenizer.tokenize(piece)]

    def one(row) -> pd.Series:
        sentences = split_sentences(row["text"])
        freq = nltk.FreqDist()
        compounds = []
        for sentence in sentences:
            words = [w.lower() for w in word_tokenize(sentence) if w.isalpha()]
            freq.update(w for w in words if w not in stopwords)
            compounds.append(analyzer.polarity_scores(sentence)["compound"])
        top = freq.max() if freq else ""
        return pd.Series({
            "sentences": len(sentences), "words": freq.N(), "top_word": top,
            "mean_compound": sum(compounds) / len(compounds) if compounds else float("nan"),
            "quotes": len(QUOTE.findall(row["text"])),
        })

    return corpus.apply(one, axis=1)


if __name__ == "__main__":
    print("naive_pipeline.py is the baseline of benchmarks/pipeline.py (imported, not run).")
