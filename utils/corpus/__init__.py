"""Load an article corpus into one tidy DataFrame, with a report of what was read and dropped.

``load_corpus(source, **options)`` accepts

- a **``.txt`` article** or a **folder** of them (subfolders too, unless ``recursive=False``)
  in the seed's format (``data/seed/``): first line the title, the title repeated as the first
  body line, body paragraphs, trailing site boilerplate such as "Stay Connected" (removed by
  :data:`BOILERPLATE_PATTERNS`, extend with ``boilerplate=``);
- a **table**: CSV (also ``.csv.gz``/``.csv.bz2``/``.csv.zip``/``.csv.xz``, ``.tsv``), JSON
  Lines (``.jsonl``/``.ndjson``), JSON (``.json``) or Parquet. Common column names are
  recognised (:data:`COLUMN_CANDIDATES`); ``columns={"text": "my_body", ...}`` overrides them;
  ``sep=``, ``encoding=``, ``orient=`` and ``format=`` override the reader's choices;
- the name of a **built-in corpus** (:data:`BUILTIN_CORPORA`): ``"fa-kes"``, ``"seed"`` or
  ``"nyt-editorials"``.

The result has one row per article with the columns ``doc_id, title, text, source, date,
label, language`` (strings, ``date`` as ``datetime64``; missing metadata is ``<NA>``/``NaT``)
followed by any other columns of the input. Its load report (:class:`LoadReport`) is in
``frame.attrs["load_report"]`` and returned by :func:`load_report`: every input is counted as
kept or dropped with its reason, every repair and guess as a warning, each with a few of the
files or rows it concerns.

What the loader does, by subject (one module each):

- :mod:`~utils.corpus.decoding`: bytes to text by evidence (byte-order marks, UTF-8, UTF-16,
  charset-normalizer for legacy code pages); files that are not text are refused by name;
- :mod:`~utils.corpus.folders`: ``.txt`` files and folders; every skipped path counted;
- :mod:`~utils.corpus.tables`: CSV, JSON and Parquet reading; typed checks of the text column;
- :mod:`~utils.corpus.cleaning`: HTML to text, ftfy repair, site boilerplate;
- :mod:`~utils.corpus.dates`: the stated rule for day/month order and partial dates;
- :mod:`~utils.corpus.language`: each article's language (the analyses are English-only and
  mark other languages as not analysed);
- :mod:`~utils.corpus.builtin`: the built-in corpora;
- :mod:`~utils.corpus.loader`: ``load_corpus`` and the finish every load shares.

Text repair and offsets: with ``fix_text=True`` (the default) HTML is converted to text, each
text is repaired by ftfy (mojibake, HTML entities, control characters) and line endings are
normalised to ``\\n`` *at load time*. Every later offset (sentences, tokens, attributions)
refers to the loaded ``text`` column, never to the raw file. Pass ``fix_text=False`` to keep
table texts exactly as read (needed when external annotations index the raw text, e.g.
PolNeAR).
"""

from utils.corpus.builtin import (
    BUILTIN_CORPORA,
    HUMAN_TONE_THRESHOLD,
    human_tone,
    load_nyt_sentences,
    load_vader_ratings,
)
from utils.corpus.cleaning import (
    BOILERPLATE_PATTERNS,
    html_to_text,
    looks_like_html,
    repair_text,
    split_plain_text_article,
    strip_trailing_boilerplate,
)
from utils.corpus.decoding import NotTextError, decode_bytes
from utils.corpus.language import detect_language, is_analysed
from utils.corpus.loader import check_load_options, corpus_name, finish_frame, load_corpus
from utils.corpus.report import CorpusError, LoadReport, load_report
from utils.corpus.tables import (
    COLUMN_CANDIDATES,
    COMPRESSION_SUFFIXES,
    CORE_COLUMNS,
    FORMATS,
    MAPPABLE_COLUMNS,
    TABLE_SUFFIXES,
    recognise_columns,
    source_format,
    tidy_table,
)

__all__ = [
    "BOILERPLATE_PATTERNS", "BUILTIN_CORPORA", "COLUMN_CANDIDATES", "COMPRESSION_SUFFIXES",
    "CORE_COLUMNS", "HUMAN_TONE_THRESHOLD", "MAPPABLE_COLUMNS", "TABLE_SUFFIXES", "CorpusError",
    "FORMATS", "LoadReport",
    "NotTextError", "check_load_options", "corpus_name", "decode_bytes", "detect_language",
    "finish_frame", "html_to_text", "human_tone", "is_analysed", "load_corpus",
    "load_nyt_sentences", "load_report", "load_vader_ratings", "looks_like_html",
    "recognise_columns", "repair_text", "source_format", "split_plain_text_article",
    "strip_trailing_boilerplate", "tidy_table",
]
