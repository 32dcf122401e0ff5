"""Word-frequency tables read from a results store: the tables of :mod:`utils.frequencies`
computed by DuckDB reductions over the store's ``terms``, ``bigrams``, ``articles`` and
``corpus`` tables (:mod:`utils.results`), so their memory grows with the vocabulary and the
groups, not with the number of articles.

Each function returns the same columns, values, order and types as the function of
:mod:`utils.frequencies` of the same name run on the corpus frame (tests compare them)::

    frequency_summary(store)                 -> articles, sentences, words, terms, distinct_terms
    term_counts(store)                       -> term, count, per_10k, doc_freq
    collocations(store, measure=, min_freq=) -> ngram, count, score
    distinctive_terms(store, top_n=, doc_ids=)
                                             -> doc_id, rank, term, count, tf, idf, tf_idf
    choose_grouping(store, group_by, target) -> (column, target), or a sentence saying why not
    keyness(store, grouping, target, reference=None, min_count=)
                                             -> term, target_count, reference_count, ...
    keyness_problem / keyness_or_reason      -> why a group cannot be compared / the table or why
    terms_over_time(store, terms, freq="M")  -> period, term, count, words, per_10k
    concordance(store, term, width=)         -> doc_id, start, end, left, match, right

and, for the report and the notebook's overview of groups:

    key_terms_by_group(store, grouping)      -> the most key terms of every group against the rest
    top_terms_reason(store, counts)          -> why a top-terms plot has nothing to draw, or None
    words_summary(store, grouping=None)      -> {"lines": [...], "table": frame}

Term options. The store holds the project's terms (case folded; stopwords, punctuation and pure
numbers removed). Two options of :class:`utils.frequencies.TermOptions` can still be applied
when reading it:

- ``stem=True``: each distinct term is stemmed (NLTK's English Snowball stemmer, as the
  tokenizer does after filtering) and the counts of the terms sharing a stem are summed. The
  tokenizer stems a term after its stopword check, so the sums are exactly the counts of
  ``tokenize_corpus(stem=True)``, bigrams included;
- ``extra_stopwords``: terms listed are removed (matched lower-cased, before stemming, as the
  tokenizer matches them). Term counts, keyness, TF-IDF and trends are then exactly those of
  ``extra_stopwords=`` on the corpus. Two figures cannot be: the tokenizer forms bigrams after
  removing the words, so "a X b" with X removed gives the bigram ``a b``, while the store's
  bigrams were formed with X; :func:`collocations` leaves out every bigram holding an extra
  stopword and forms no new ones. And :func:`frequency_summary` counts the sentences holding a
  term before the extra stopwords are removed.

Other options (no case folding, stopwords or numbers kept) need the tokens, which the store does
not hold: they raise :class:`~utils.frequencies.FrequencyError` saying so.

Groups come from :func:`utils.results.group_articles` (articles without a value left out and
counted, multi-valued columns split), so an article with ``topics`` ``earn;acq`` is in the group
``earn`` and in the group ``acq``; the reference of a target group is every other grouped article
(an article in the target group is never in its reference). Values are compared with their
spaces trimmed, and an empty value is no group (the frame functions of
:mod:`utils.frequencies` count an empty text as a value of its own).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import fields

import numpy as np
import pandas as pd

from utils import frequencies
from utils.frequencies import FrequencyError, TermOptions
from utils.results import Grouping, ResultsStore, StoreError, group_articles
from utils.tables.overview import not_analysed_languages

#: Runs of whitespace in a concordance line's context, shown as one space.
_WHITESPACE_RUN = re.compile(r"\s+")
#: Term options that can be applied to the terms of a store.
STORE_TERM_OPTIONS = ("stem", "extra_stopwords")
#: Groups whose key term :func:`words_summary` gives (the largest).
MAX_SUMMARY_GROUPS = 10
#: Columns of :func:`key_terms_by_group`.
KEY_TERM_COLUMNS = ["group", "articles", "words", "rank", "term", "target_count",
                    "reference_count", "target_per_10k", "reference_per_10k", "g2",
                    "significance", "log_ratio"]


# ---------------------------------------------------------------------------------------------
# SQL helpers


def _text(value) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def _options(options: TermOptions | None, settings: dict) -> TermOptions:
    """The term options asked for, checked to be ones a store's terms can follow."""
    opts = frequencies.term_options(options, **settings)
    default = TermOptions()
    other = [f.name for f in fields(TermOptions)
             if f.name not in STORE_TERM_OPTIONS and getattr(opts, f.name) != getattr(default,
                                                                                      f.name)]
    if other:
        raise FrequencyError(
            f"A results store holds the project's terms (case folded; stopwords, punctuation "
            f"and numbers removed), so {', '.join(other)} cannot be changed when reading it; "
            "only stem and extra_stopwords can. Use utils.frequencies on the corpus frame.")
    return opts


#: Stems of the terms of the stores read in this process, by store folder and manifest.
_STEMS: dict[tuple[str, str], pd.DataFrame] = {}


def _stems(store: ResultsStore) -> pd.DataFrame:
    """``term, stem`` for every distinct term of the store (computed once per store; a store
    written again in the same folder has another manifest, so its stems are computed again)."""
    from nltk.stem.snowball import SnowballStemmer

    key = (str(store.folder.resolve()), json.dumps(store.manifest, sort_keys=True, default=str))
    if key not in _STEMS:
        stem = SnowballStemmer("english").stem
        terms = store.sql("SELECT DISTINCT term FROM terms")["term"].astype(object).tolist()
        if len(_STEMS) >= 4:
            _STEMS.pop(next(iter(_STEMS)))
        _STEMS[key] = pd.DataFrame({"term": pd.Series(terms, dtype="string"),
                                    "stem": pd.Series([stem(t) for t in terms],
                                                      dtype="string")})
    return _STEMS[key]


def _register(store: ResultsStore, prefix: str, frame: pd.DataFrame) -> str:
    """Register ``frame`` on the store's connection under a name of its content; the name."""
    digest = hashlib.sha1(pd.util.hash_pandas_object(frame, index=False).to_numpy()
                          .tobytes()).hexdigest()[:12]
    name = f"{prefix}_{digest}"
    store.connection.register(name, frame)
    return name


def _stopword_filter(store: ResultsStore, opts: TermOptions, columns: Sequence[str]) -> str:
    """A SQL condition keeping rows whose ``columns`` are not extra stopwords ('' for none)."""
    if not opts.extra_stopwords:
        return ""
    table = _register(store, "extra_stopwords", pd.DataFrame(
        {"word": pd.Series(sorted(opts.extra_stopwords), dtype="string")}))
    return " AND ".join(f"{c} NOT IN (SELECT word FROM {table})" for c in columns)


def _terms_sql(store: ResultsStore, opts: TermOptions) -> str:
    """SQL of the relation ``doc_id, term, count`` of the store's terms under ``opts`` (one row
    per article and term)."""
    where = _stopword_filter(store, opts, ["term"])
    source = f"(SELECT * FROM terms WHERE {where})" if where else "terms"
    if not opts.stem:
        return source
    stems = _register(store, "stems", _stems(store))
    return (f"(SELECT t.doc_id, m.stem AS term, sum(t.count) AS count FROM {source} AS t "
            f"JOIN {stems} AS m USING (term) GROUP BY t.doc_id, m.stem)")


def _bigrams_sql(store: ResultsStore, opts: TermOptions) -> str:
    """SQL of the relation ``first, second, count`` of the corpus's bigrams under ``opts``."""
    where = _stopword_filter(store, opts, ["first", "second"])
    source = f"(SELECT * FROM bigrams WHERE {where})" if where else "bigrams"
    if not opts.stem:
        return f"(SELECT first, second, sum(count) AS count FROM {source} GROUP BY ALL)"
    stems = _register(store, "stems", _stems(store))
    return (f"(SELECT a.stem AS first, b.stem AS second, sum(g.count) AS count FROM {source} "
            f"AS g JOIN {stems} AS a ON g.first = a.term JOIN {stems} AS b ON g.second = b.term "
            "GROUP BY ALL)")


def _scalar(store: ResultsStore, query: str, parameters: list | None = None):
    return store.connection.execute(query, parameters or []).fetchall()[0]


def _total_words(store: ResultsStore) -> int:
    return int(_scalar(store, "SELECT coalesce(sum(words), 0) FROM articles")[0])


def _article_order(store: ResultsStore) -> str:
    """SQL of ``doc_id, ordinal``: every article's position in the corpus."""
    files = ", ".join(_text(p.as_posix()) for p in store.files("articles"))
    return (f"(SELECT doc_id, row_number() OVER (ORDER BY filename, file_row_number) AS "
            f"ordinal FROM read_parquet([{files}], filename = true, file_row_number = true))")


# ---------------------------------------------------------------------------------------------
# counts


def frequency_summary(store: ResultsStore, *, options: TermOptions | None = None,
                      **settings) -> pd.DataFrame:
    """One-row overview (:func:`utils.frequencies.frequency_summary`): ``articles`` (every
    article of the store), ``sentences`` (sentences holding a term), ``words`` (tokens holding
    a letter or digit), ``terms`` (occurrences of terms), ``distinct_terms``. Articles not
    analysed (other languages) count as articles with no sentence, word or term."""
    opts = _options(options, settings)
    row = _scalar(store, f"""
        SELECT (SELECT count(*) FROM articles),
               (SELECT coalesce(sum(term_sentences), 0) FROM articles),
               (SELECT coalesce(sum(words), 0) FROM articles),
               coalesce(sum(count), 0), count(DISTINCT term)
        FROM {_terms_sql(store, opts)}""")
    return pd.DataFrame([tuple(int(v) for v in row)],
                        columns=["articles", "sentences", "words", "terms", "distinct_terms"])


def term_counts(store: ResultsStore, *, options: TermOptions | None = None,
                **settings) -> pd.DataFrame:
    """Corpus-wide term counts (:func:`utils.frequencies.term_counts`): ``term``, ``count``
    (occurrences), ``per_10k`` (occurrences per 10,000 words of the corpus), ``doc_freq``
    (articles holding the term); most frequent first, equal counts alphabetical."""
    opts = _options(options, settings)
    # one row per article and term: count(*) is the document frequency, with no set of ids
    frame = store.sql(f"SELECT term, sum(count) AS count, count(*) AS doc_freq "
                      f"FROM {_terms_sql(store, opts)} GROUP BY term")
    if frame.empty:
        return frequencies._empty(frequencies.TERM_COUNT_COLUMNS)
    counts = frame["count"].to_numpy(dtype=np.int64)
    result = pd.DataFrame({
        "term": pd.Series(frame["term"].to_numpy(dtype=object), dtype=object),
        "count": counts,
        "per_10k": frequencies._per_10k(counts, _total_words(store)),
        "doc_freq": frame["doc_freq"].to_numpy(dtype=np.int64),
    })
    return frequencies._sort_counts(result, "term")


def top_terms_reason(store: ResultsStore, counts: pd.DataFrame) -> str | None:
    """Why a top-terms plot of ``counts`` (:func:`term_counts`) has nothing to draw, or
    ``None``: the sentence of :func:`utils.frequency_plots.top_terms_reason`, saying how many
    articles are not English, so not analysed."""
    if not counts.empty:
        return None
    total, skipped = _scalar(store, "SELECT count(*), count(*) FILTER (WHERE NOT analysed) "
                                    "FROM articles")
    languages = not_analysed_languages(store)
    if total and skipped == total:
        return (f"No top-terms plot: this corpus has no terms; none of its {total:,} "
                f"articles is English, so none is analysed ({languages}).")
    if skipped:
        return (f"No top-terms plot: this corpus has no terms ({skipped:,} of its {total:,} "
                f"articles are not English, so not analysed: {languages}; the words of the "
                "others are all stopwords or numbers).")
    return ("No top-terms plot: this corpus has no terms (all its words are stopwords or "
            "numbers).")


# ---------------------------------------------------------------------------------------------
# collocations


#: Bigrams ranked by DuckDB beyond ``top`` that numpy scores again (see :func:`collocations`).
_RESCORED_MARGIN = 1_000
#: The association scores of :func:`utils.frequencies.bigram_association` in SQL, over the
#: contingency cells of a bigram (used only to rank; the returned scores are numpy's).
_G2_TERM = "{o} * ln({o} / (({o} + {a}) * ({o} + {b}) / total + 1e-20) + 1e-20)"
_ASSOCIATION_SQL = {
    "likelihood_ratio": "2 * (" + " + ".join(
        _G2_TERM.format(o=o, a=a, b=b) for o, a, b in (
            ("n_ii", "n_oi", "n_io"), ("n_oi", "n_ii", "n_oo"),
            ("n_io", "n_oo", "n_ii"), ("n_oo", "n_io", "n_oi"))) + ")",
    "pmi": "log2(n_ii * total) - log2(first_count::DOUBLE * second_count)",
}


def collocations(store: ResultsStore, n: int = 2, *, measure: str = "likelihood_ratio",
                 min_freq: int = 3, top: int | None = None, options: TermOptions | None = None,
                 **settings) -> pd.DataFrame:
    """Bigram collocations of terms within sentences (:func:`utils.frequencies.collocations`):
    ``ngram`` (the two terms), ``count`` (occurrences of the bigram), ``score`` (likelihood
    ratio or PMI), best first, equal scores alphabetical; bigrams seen fewer than ``min_freq``
    times left out, at most ``top`` rows.

    Scored as :func:`utils.frequencies.collocations` scores them: with
    :func:`~utils.frequencies.bigram_association` given each bigram's count, the corpus counts
    of its first and its second term (their totals over the ``terms`` table: every occurrence,
    not only those inside a bigram) and the number of terms of the corpus. Trigrams need the
    token stream (:func:`utils.frequencies.collocations` on the corpus frame)."""
    if n != 2:
        raise FrequencyError(f"A results store holds bigrams (n=2), not n={n!r}; trigram "
                             "collocations need utils.frequencies.collocations on the corpus.")
    if measure not in ("likelihood_ratio", "pmi"):
        raise FrequencyError(f"Unknown measure {measure!r}; use 'likelihood_ratio' or 'pmi'.")
    opts = _options(options, settings)
    # with ``top``, DuckDB ranks the bigrams by the same score and hands over only the best
    # (plus a margin far wider than any rounding difference), which numpy then scores exactly:
    # the frame no longer grows with the number of bigrams seen min_freq times
    ranked = (f"ORDER BY {_ASSOCIATION_SQL[measure]} DESC, p.first, p.second "
              f"LIMIT {int(top) + _RESCORED_MARGIN}") if top is not None else ""
    frame = store.sql(f"""
        WITH unigrams AS (SELECT term, sum(count) AS count FROM {_terms_sql(store, opts)}
                          GROUP BY term),
             pairs AS (SELECT * FROM {_bigrams_sql(store, opts)} WHERE count >= ?),
             total AS (SELECT sum(count)::DOUBLE AS n FROM unigrams),
             cells AS (SELECT p.first, p.second, p.count, a.count AS first_count,
                              b.count AS second_count, total.n AS total,
                              p.count::DOUBLE AS n_ii, (b.count - p.count)::DOUBLE AS n_oi,
                              (a.count - p.count)::DOUBLE AS n_io,
                              total.n - a.count - b.count + p.count AS n_oo
                       FROM pairs AS p JOIN unigrams AS a ON p.first = a.term
                       JOIN unigrams AS b ON p.second = b.term, total)
        SELECT first, second, count, first_count, second_count, total FROM cells AS p
        {ranked}""", [int(min_freq)])
    if frame.empty:
        return frequencies._empty(frequencies.COLLOCATION_COLUMNS)
    bigram_count = frame["count"].to_numpy(dtype=np.int64)
    scores = frequencies.bigram_association(
        bigram_count, frame["first_count"].to_numpy(dtype=np.int64),
        frame["second_count"].to_numpy(dtype=np.int64), int(frame["total"].iloc[0]), measure)
    result = pd.DataFrame({
        "ngram": pd.Series((frame["first"].astype(object) + " "
                            + frame["second"].astype(object)).to_numpy(dtype=object),
                           dtype=object),
        "count": bigram_count,
        "score": scores,
    })
    result = result.sort_values(["score", "ngram"], ascending=[False, True], kind="mergesort")
    result = result.reset_index(drop=True)
    return result.head(top).reset_index(drop=True) if top is not None else result


# ---------------------------------------------------------------------------------------------
# distinctive terms


def distinctive_terms(store: ResultsStore, *, top_n: int = 10,
                      doc_ids: Sequence[str] | None = None, options: TermOptions | None = None,
                      **settings) -> pd.DataFrame:
    """The ``top_n`` terms of each article by TF-IDF (:func:`utils.frequencies.
    distinctive_terms`): ``doc_id, rank, term, count`` (in the article), ``tf`` (count / terms
    of the article), ``idf`` (``ln((1 + N) / (1 + df)) + 1``, N articles of the store, df
    articles holding the term), ``tf_idf`` (tf × idf). Document frequencies are a reduction
    over the whole store; the articles' own terms are read for ``doc_ids`` only (every article,
    in corpus order, when ``None``). Unknown ids raise :class:`FrequencyError`."""
    if not isinstance(top_n, int) or top_n < 1:
        raise FrequencyError(f"top_n must be a positive integer, got {top_n!r}")
    opts = _options(options, settings)
    wanted = None
    if doc_ids is not None:
        if isinstance(doc_ids, str):
            doc_ids = [doc_ids]
        wanted = [str(d) for d in doc_ids]
        known = set(store.sql("SELECT doc_id FROM articles WHERE list_contains(?, doc_id)",
                              [sorted(set(wanted))])["doc_id"].astype(str))
        missing = [d for d in doc_ids if str(d) not in known]
        if missing:
            raise FrequencyError(f"doc_ids not in the corpus: {missing[:10]}")
    terms = _terms_sql(store, opts)
    chosen = "" if wanted is None else "WHERE list_contains(?, doc_id)"
    frame = store.sql(f"""
        WITH df AS (SELECT term, count(*) AS df FROM {terms} GROUP BY term),
             mine AS (SELECT doc_id, term, count, sum(count) OVER (PARTITION BY doc_id) AS size
                      FROM {terms} {chosen}),
             scored AS (
                SELECT m.doc_id, m.term, m.count, m.count / m.size AS tf,
                       ln((1 + (SELECT count(*) FROM articles)) / (1 + df.df)) + 1 AS idf
                FROM mine AS m JOIN df USING (term))
        SELECT doc_id, term, count, tf, idf, tf * idf AS tf_idf,
               row_number() OVER (PARTITION BY doc_id ORDER BY tf * idf DESC, term) AS rank
        FROM scored QUALIFY rank <= ?""",
                      ([sorted(set(wanted))] if wanted is not None else []) + [top_n])
    if frame.empty:
        return frequencies._empty(frequencies.DISTINCTIVE_COLUMNS)
    frame["doc_id"] = frame["doc_id"].astype(object)
    frame["term"] = frame["term"].astype(object)
    if wanted is None:
        order = store.sql(f"SELECT doc_id, ordinal FROM {_article_order(store)}")
    else:
        order = pd.DataFrame({"doc_id": wanted, "ordinal": np.arange(len(wanted))})
    order["doc_id"] = order["doc_id"].astype(object)
    frame = order.merge(frame, on="doc_id").sort_values(["ordinal", "rank"], kind="mergesort")
    rows = list(zip(frame["doc_id"], frame["rank"].astype(int), frame["term"],
                    frame["count"].astype(int), frame["tf"], frame["idf"], frame["tf_idf"],
                    strict=True))
    return pd.DataFrame(rows, columns=frequencies.DISTINCTIVE_COLUMNS)


# ---------------------------------------------------------------------------------------------
# groups and keyness


def _grouping(store: ResultsStore, grouping: Grouping | str, split: str | None) -> Grouping:
    if isinstance(grouping, Grouping):
        return grouping
    try:
        return group_articles(store, grouping, split)
    except StoreError as error:
        raise FrequencyError(str(error)) from None


def _group_sizes(store: ResultsStore, grouping: Grouping) -> pd.DataFrame:
    """``group, articles`` of ``grouping``, most articles first, ties alphabetical."""
    sizes = store.sql(f'SELECT "group", count(*) AS articles FROM {grouping.view} GROUP BY 1')
    sizes["group"] = sizes["group"].astype(object)
    return sizes.sort_values(["articles", "group"], ascending=[False, True],
                             kind="mergesort").reset_index(drop=True)


def choose_grouping(store: ResultsStore, group_by: str | None = None, target=None,
                    candidates: Sequence[str] = ("label", "source"),
                    split: str | None = None) -> tuple[str, str] | str:
    """The grouping for :func:`keyness` (:func:`utils.frequencies.choose_grouping`):
    ``(column, target)``, or a sentence saying why there is none and what to set.

    ``group_by`` (a column of the articles, or ``"month"``) is used when given; otherwise the
    first of ``candidates`` with two or more groups. ``target`` defaults to the group with the
    most articles (ties: alphabetical first). ``split``: the separator of a multi-valued column
    (:func:`utils.results.group_articles`)."""
    from utils.results import group_columns

    available = group_columns(store)
    columns = [group_by] if group_by else list(candidates)
    for column in columns:
        if column not in available:
            if group_by:
                return f"No column {group_by!r}; columns found: {available}."
            continue
        sizes = _group_sizes(store, group_articles(store, column, split))
        if len(sizes) < 2:
            if group_by:
                return f"Column {group_by!r} has fewer than two groups; keyness needs two."
            continue
        if target is None:
            return column, str(sizes["group"].iloc[0])
        if str(target) not in set(sizes["group"]):
            return (f"No article has {column} == {target!r}; groups: "
                    f"{sorted(sizes['group'])[:20]}.")
        return column, str(target)
    return (
        f"No grouping column: none of {list(candidates)} has two or more groups in this corpus. "
        "Set GROUP_BY to a column of the corpus that holds groups (e.g. 'label' for fake vs "
        "credible, 'source' for publishers) and TARGET to one of its values."
    )


def _sides(store: ResultsStore, grouping: Grouping, target, reference) -> tuple[str, str, str]:
    """SQL of ``doc_id, is_target`` (the two sides :func:`keyness` compares) and the names of
    the target and reference groups; :class:`FrequencyError` for a group with no article or
    identical groups, as :func:`utils.frequencies.keyness` raises."""
    column = grouping.column
    groups = sorted(store.sql(f'SELECT DISTINCT "group" FROM {grouping.view}')["group"]
                    .astype(str))

    def check(group) -> None:
        if str(group) not in groups:
            shown = groups[:20] + (["..."] if len(groups) > 20 else [])
            raise FrequencyError(f"No article has {column} == {group!r}. Values present: "
                                 f"{shown or 'none (all missing)'}")

    check(target)
    in_target = f'(SELECT doc_id FROM {grouping.view} WHERE "group" = {_text(target)})'
    if reference is None:
        sides = (f"(SELECT DISTINCT doc_id, doc_id IN {in_target} AS is_target "
                 f"FROM {grouping.view})")
        reference_name = "rest"
        rest = _scalar(store, f"SELECT count(*) FROM {sides} WHERE NOT is_target")[0]
        if not rest:
            raise FrequencyError(
                f"Every article with a {column!r} value is in the target group {target!r}: "
                "there is no reference group to compare with.")
    else:
        if str(reference) == str(target):
            raise FrequencyError("target and reference are the same group.")
        check(reference)
        sides = (f"(SELECT DISTINCT doc_id, \"group\" = {_text(target)} AS is_target FROM "
                 f"{grouping.view} WHERE \"group\" = {_text(target)} OR (\"group\" = "
                 f"{_text(reference)} AND doc_id NOT IN {in_target}))")
        reference_name = str(reference)
        rest = _scalar(store, f"SELECT count(*) FROM {sides} WHERE NOT is_target")[0]
        if not rest:
            raise FrequencyError(f"Every article of {column} == {reference!r} is also in "
                                 f"{target!r}: there is no reference group to compare with.")
    target_name = str(target)
    if target_name == reference_name:
        reference_name = f"{reference_name} (reference)"
    return sides, target_name, reference_name


def _side_sizes(store: ResultsStore, sides: str) -> dict[bool, tuple[int, int, int]]:
    """Per side: (articles, words, articles not analysed)."""
    rows = store.connection.execute(
        f"SELECT s.is_target, count(*), coalesce(sum(a.words), 0), count(*) FILTER (WHERE NOT "
        f"a.analysed) FROM {sides} AS s JOIN articles AS a USING (doc_id) GROUP BY 1").fetchall()
    sizes = {True: (0, 0, 0), False: (0, 0, 0)}
    sizes.update({bool(r[0]): (int(r[1]), int(r[2]), int(r[3])) for r in rows})
    return sizes


def _obstacles(store: ResultsStore, sides: str, sizes, names) -> list[str]:
    """Why each side has no words (:func:`utils.frequencies.keyness_problem`'s sentences)."""
    reasons = []
    for is_target, name in ((True, names[0]), (False, names[1])):
        n, words, skipped = sizes[is_target]
        if words:
            continue
        reason = f"the group {name!r} has no words"
        if skipped:
            side = "is_target" if is_target else "NOT is_target"
            languages = not_analysed_languages(store, f"SELECT doc_id FROM {sides} WHERE {side}")
            if skipped == n:
                whose = "its article is" if n == 1 else f"its {n:,} articles are"
                reason = f"{reason}: {whose} not English, so not analysed ({languages})"
            else:
                reason = (f"{reason}: {skipped:,} of its {n:,} articles are not English, so "
                          f"not analysed ({languages}), and the others have no words")
        reasons.append(reason)
    return reasons


def keyness_problem(store: ResultsStore, grouping: Grouping | str, target, reference=None, *,
                    split: str | None = None) -> str | None:
    """Why :func:`keyness` cannot compare ``target`` with ``reference`` because a group has no
    words (:func:`utils.frequencies.keyness_problem`), or ``None``."""
    grouping = _grouping(store, grouping, split)
    sides, target_name, reference_name = _sides(store, grouping, target, reference)
    sizes = _side_sizes(store, sides)
    return "; ".join(_obstacles(store, sides, sizes, (target_name, reference_name))) or None


def keyness_or_reason(store: ResultsStore, grouping: Grouping | str, target, reference=None,
                      *, split: str | None = None, min_count: int = 1,
                      options: TermOptions | None = None, **settings) -> pd.DataFrame | str:
    """:func:`keyness`, or the sentence saying why a group has no words
    (:func:`utils.frequencies.keyness_or_reason`)."""
    grouping = _grouping(store, grouping, split)
    problem = keyness_problem(store, grouping, target, reference)
    if problem:
        return f"No keyness table or plot: {problem}; keyness needs words in both groups."
    return keyness(store, grouping, target, reference, min_count=min_count, options=options,
                   **settings)


def _keyness_frame(terms, a, b, target_words: int, reference_words: int, target_name: str,
                   reference_name: str) -> pd.DataFrame:
    """The columns of :func:`utils.frequencies.keyness` from the counts of each term."""
    g2 = frequencies.log_likelihood(a, b, target_words, reference_words)
    ratio = frequencies.log_ratio(a, b, target_words, reference_words)
    target_rel = a / target_words
    reference_rel = b / reference_words
    key_for = np.where(target_rel > reference_rel, target_name,
                       np.where(target_rel < reference_rel, reference_name, "neither"))
    return pd.DataFrame({
        "term": pd.Series(terms, dtype=object),
        "target_count": a,
        "reference_count": b,
        "target_per_10k": frequencies._per_10k(a, target_words),
        "reference_per_10k": frequencies._per_10k(b, reference_words),
        "g2": g2,
        "significance": frequencies.significance_label(g2),
        "log_ratio": ratio,
        "key_for": pd.Series(key_for, dtype=object),
    })


def keyness(store: ResultsStore, grouping: Grouping | str, target, reference=None, *,
            split: str | None = None, min_count: int = 1, options: TermOptions | None = None,
            **settings) -> pd.DataFrame:
    """Key terms of one group of articles against the others (:func:`utils.frequencies.
    keyness`): ``term``, ``target_count`` / ``reference_count`` (occurrences in each),
    ``target_per_10k`` / ``reference_per_10k`` (per 10,000 words of each), ``g2``
    (log-likelihood), ``significance`` (its Rayson & Garside threshold), ``log_ratio``
    (Hardie's, zero counts taken as 0.5), ``key_for`` (the group where the term is relatively
    more frequent). Strongest G2 first, ties alphabetical; terms seen fewer than ``min_count``
    times in both groups together left out. ``attrs`` name the groups and their sizes.

    ``grouping``: a :class:`~utils.results.Grouping` or a column (with ``split``). The target is
    the articles of the group ``target``; the reference the articles of ``reference``, or, when
    ``None``, every other grouped article (``"rest"``). Raises :class:`FrequencyError` as
    :func:`utils.frequencies.keyness` does (a group with no article or no words)."""
    opts = _options(options, settings)
    grouping = _grouping(store, grouping, split)
    sides, target_name, reference_name = _sides(store, grouping, target, reference)
    sizes = _side_sizes(store, sides)
    obstacles = _obstacles(store, sides, sizes, (target_name, reference_name))
    if obstacles:
        first = obstacles[0][0].upper() + obstacles[0][1:]
        raise FrequencyError(f"{first}; keyness needs text in both.")
    target_words, reference_words = sizes[True][1], sizes[False][1]
    attrs = dict(target=target_name, reference=reference_name, target_words=target_words,
                 reference_words=reference_words, target_articles=sizes[True][0],
                 reference_articles=sizes[False][0], group_column=grouping.column,
                 min_count=min_count)
    counts = store.sql(f"""
        SELECT t.term, coalesce(sum(t.count) FILTER (WHERE s.is_target), 0) AS a,
               coalesce(sum(t.count) FILTER (WHERE NOT s.is_target), 0) AS b
        FROM {_terms_sql(store, opts)} AS t JOIN {sides} AS s USING (doc_id)
        GROUP BY t.term HAVING sum(t.count) >= ?""", [max(int(min_count), 1)])
    if counts.empty:
        empty = frequencies._empty(frequencies.KEYNESS_COLUMNS)
        empty.attrs.update(attrs)
        return empty
    result = _keyness_frame(counts["term"].to_numpy(dtype=object),
                            counts["a"].to_numpy(dtype=np.int64),
                            counts["b"].to_numpy(dtype=np.int64), target_words,
                            reference_words, target_name, reference_name)
    result.attrs.update(attrs)
    return frequencies._sort_counts(result, "term", "g2")


def key_terms_by_group(store: ResultsStore, grouping: Grouping | str, *,
                       split: str | None = None, top: int = 1, min_count: int = 1,
                       max_groups: int | None = None, options: TermOptions | None = None,
                       **settings) -> pd.DataFrame:
    """The ``top`` most key terms of every group against the rest of the grouped articles, in
    one pass: ``group``, ``articles`` and ``words`` (of the group), ``rank``, then the columns
    of :func:`keyness` for that term (each row equals the row of ``keyness(store, grouping,
    group, min_count=min_count)`` among the terms key for the group, the strongest G2 first).

    Groups with the most articles first (ties alphabetical), at most ``max_groups``; a group
    without words, or when the rest has none, is left out (``attrs["not_compared"]`` lists
    them); a group where no term is key has no row."""
    opts = _options(options, settings)
    grouping = _grouping(store, grouping, split)
    view = grouping.view
    sizes = store.sql(f"""
        SELECT g."group", count(*) AS articles, coalesce(sum(a.words), 0) AS words
        FROM {view} AS g JOIN articles AS a USING (doc_id) GROUP BY 1""")
    sizes["group"] = sizes["group"].astype(object)
    sizes = sizes.sort_values(["articles", "group"], ascending=[False, True], kind="mergesort")
    if max_groups is not None:
        sizes = sizes.head(max_groups)
    grouped_words = int(_scalar(store, f"SELECT coalesce(sum(words), 0) FROM articles WHERE "
                                       f"doc_id IN (SELECT doc_id FROM {view})")[0])
    rest_words = grouped_words - sizes["words"].to_numpy(dtype=np.int64)
    compared = (sizes["words"].to_numpy() > 0) & (rest_words > 0)
    not_compared = sizes.loc[~compared, "group"].tolist()
    sizes = sizes[compared]
    empty = frequencies._empty(KEY_TERM_COLUMNS)
    empty.attrs["not_compared"] = not_compared
    if sizes.empty:
        return empty
    names = _register(store, "key_groups", pd.DataFrame(
        {"group": pd.Series(sizes["group"].tolist(), dtype="string")}))
    terms = _terms_sql(store, opts)
    counts = store.sql(f"""
        WITH grouped AS (SELECT t.term, t.count, t.doc_id FROM {terms} AS t
                         WHERE t.doc_id IN (SELECT doc_id FROM {view})),
             totals AS (SELECT term, sum(count) AS total FROM grouped GROUP BY term
                        HAVING sum(count) >= ?)
        SELECT g."group", t.term, sum(t.count) AS a, totals.total
        FROM grouped AS t JOIN totals USING (term) JOIN {view} AS g USING (doc_id)
        WHERE g."group" IN (SELECT "group" FROM {names})
        GROUP BY ALL""", [max(int(min_count), 1)])
    if counts.empty:
        return empty
    counts["group"] = counts["group"].astype(object)
    counts = counts.merge(sizes, on="group")
    a = counts["a"].to_numpy(dtype=np.int64)
    b = counts["total"].to_numpy(dtype=np.int64) - a
    target_words = counts["words"].to_numpy(dtype=np.int64)
    reference_words = grouped_words - target_words
    g2 = _g2(a, b, target_words, reference_words)
    key = (a / target_words) > (b / reference_words)
    table = pd.DataFrame({
        "group": pd.Series(counts["group"].to_numpy(dtype=object), dtype=object),
        "articles": counts["articles"].to_numpy(dtype=np.int64),
        "words": target_words,
        "term": pd.Series(counts["term"].to_numpy(dtype=object), dtype=object),
        "target_count": a,
        "reference_count": b,
        "target_per_10k": a.astype(float) * 10_000.0 / target_words,
        "reference_per_10k": b.astype(float) * 10_000.0 / reference_words,
        "g2": g2,
        "significance": frequencies.significance_label(g2),
        "log_ratio": _log_ratio(a, b, target_words, reference_words),
    })[key]
    order = {group: i for i, group in enumerate(sizes["group"])}
    table = table.assign(_order=table["group"].map(order))
    table = table.sort_values(["_order", "g2", "term"], ascending=[True, False, True],
                              kind="mergesort")
    table["rank"] = table.groupby("_order").cumcount().astype(np.int64) + 1
    table = table[table["rank"] <= top].drop(columns="_order")[KEY_TERM_COLUMNS]
    table = table.reset_index(drop=True)
    table.attrs["not_compared"] = not_compared
    return table


def _g2(a, b, c, d) -> np.ndarray:
    """:func:`utils.frequencies.log_likelihood` with a corpus size per row."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    c = np.asarray(c, dtype=float)
    d = np.asarray(d, dtype=float)
    e1 = c * (a + b) / (c + d)
    e2 = d * (a + b) / (c + d)
    return 2.0 * (frequencies._o_ln_o_over_e(a, e1) + frequencies._o_ln_o_over_e(b, e2))


def _log_ratio(a, b, c, d) -> np.ndarray:
    """:func:`utils.frequencies.log_ratio` with a corpus size per row."""
    zero = frequencies.LOG_RATIO_ZERO_ADJUSTMENT
    a = np.where(a == 0, zero, np.asarray(a, dtype=float))
    b = np.where(b == 0, zero, np.asarray(b, dtype=float))
    return np.log2((a / np.asarray(c, dtype=float)) / (b / np.asarray(d, dtype=float)))


# ---------------------------------------------------------------------------------------------
# terms over time


def terms_over_time(store: ResultsStore, terms: Sequence[str], *, freq: str = "M",
                    options: TermOptions | None = None, **settings) -> pd.DataFrame:
    """Counts of ``terms`` per period of the articles' dates (:func:`utils.frequencies.
    terms_over_time`): ``period`` (``"2016-03"`` for months), ``term``, ``count``
    (occurrences in the period's articles), ``words`` (words of the period's articles),
    ``per_10k`` (occurrences per 10,000 words). Only periods holding dated articles appear;
    articles without a date are left out; a store without dates gives an empty frame.
    ``freq`` is a pandas period alias (``"M"``, ``"Q"``, ``"Y"``, ``"W"``)."""
    if isinstance(terms, str):
        terms = [terms]
    opts = _options(options, settings)
    wanted = sorted({frequencies.normalize_term(t, opts) for t in terms})
    if "date" not in store.columns("articles"):
        return frequencies._empty(frequencies.TREND_COLUMNS)
    source = _terms_sql(store, opts)
    frame = store.sql(f"""
        WITH dated AS (SELECT doc_id, date, words FROM articles WHERE date IS NOT NULL)
        SELECT date, NULL AS term, coalesce(sum(words), 0) AS n FROM dated GROUP BY date
        UNION ALL
        SELECT d.date, t.term, sum(t.count) AS n FROM {source} AS t JOIN dated AS d
        USING (doc_id) WHERE list_contains(?, t.term) GROUP BY d.date, t.term""", [wanted])
    if frame.empty:
        return frequencies._empty(frequencies.TREND_COLUMNS)
    try:
        periods = pd.to_datetime(frame["date"]).dt.to_period(freq).astype(str)
    except ValueError as error:
        raise FrequencyError(f"Unknown period alias {freq!r}: {error}") from None
    frame = frame.assign(period=periods.to_numpy(), n=frame["n"].astype(np.int64))
    is_words = frame["term"].isna()
    period_words = frame[is_words].groupby("period")["n"].sum()
    counts = frame[~is_words].groupby(["period", "term"])["n"].sum()
    rows = []
    for key in sorted(period_words.index):
        words = int(period_words[key])
        for term in wanted:
            count = int(counts.get((key, term), 0))
            rows.append((key, term, count, words, count * 10_000.0 / words if words else 0.0))
    return pd.DataFrame(rows, columns=frequencies.TREND_COLUMNS)


# ---------------------------------------------------------------------------------------------
# concordance


def _loose_pattern(first: str) -> str:
    """A case-insensitive RE2 pattern matching every text whose quote-normalised, lower-cased
    form holds ``first`` (it may match more: the lines are then checked in Python)."""
    from utils.text import TYPOGRAPHIC_TO_ASCII

    variants: dict[str, set[str]] = {}
    for code, target in TYPOGRAPHIC_TO_ASCII.items():
        variants.setdefault(str(target), set()).add(chr(code))
    parts = []
    for char in first:
        if char.isascii() and char.isalnum():
            parts.append(char)
            continue
        options = sorted({char, *variants.get(char, ())})
        parts.append("[" + "".join(f"\\x{{{ord(c):x}}}" for c in options) + "]")
    return "(?i)" + "".join(parts)


def concordance(store: ResultsStore, term: str, *, width: int = 40,
                max_lines: int | None = None) -> pd.DataFrame:
    """Keyword in context (:func:`utils.frequencies.concordance`): every occurrence of
    ``term`` (matched token by token, case-insensitive) with ``width`` characters either side:
    ``doc_id, start, end`` (character offsets into the article's text), ``left``, ``match``,
    ``right``; corpus order, then offset; at most ``max_lines`` rows.

    DuckDB scans the texts partition by partition and hands over only what may hold the term.
    For a one-word term that is the sentences holding it (the ``sentences`` table has each
    sentence's offsets, the sentences the tokenizer splits an article into), and only those are
    tokenized; for a phrase, or an article without sentences in the store (not analysed), the
    whole article, as :func:`utils.frequencies.concordance` reads it. So the lines are the same
    as on the whole corpus frame, in a fraction of the time."""
    from utils.text import tokenize_words

    empty = pd.DataFrame({"doc_id": pd.Series(dtype=object), "text": pd.Series(dtype=object)})
    frequencies.concordance(empty, term, width=width, max_lines=max_lines)  # the same checks
    phrase = [t.lower() for t in tokenize_words(term.strip())]
    # every word of the term is in the text of an article holding it (quotes aside)
    patterns = [_loose_pattern(word.strip("`'\"")) for word in phrase]
    rows: list[tuple] = []
    for corpus_file, sentence_file in zip(store.files("corpus"), store.files("sentences"),
                                          strict=True):
        if max_lines is not None and len(rows) >= max_lines:
            break
        rows += _partition_lines(store, corpus_file, sentence_file, term, phrase, patterns,
                                 width, None if max_lines is None else max_lines - len(rows))
    if not rows:
        return frequencies._empty(frequencies.CONCORDANCE_COLUMNS)
    return pd.DataFrame(rows, columns=frequencies.CONCORDANCE_COLUMNS)


def _partition_lines(store: ResultsStore, corpus_file, sentence_file, term: str,
                     phrase: list[str], patterns: list[str], width: int,
                     limit: int | None) -> list[tuple]:
    """The concordance lines of one partition (:func:`concordance`), at most ``limit``."""
    from utils.text import _word_tokenizer, normalize_quotes

    corpus = f"read_parquet({_text(corpus_file.as_posix())}, file_row_number = true)"
    sentences = f"read_parquet({_text(sentence_file.as_posix())})"
    connection = store.connection
    if len(phrase) == 1:
        spans = connection.execute(
            f'SELECT doc_id, start, "end" FROM {sentences} WHERE regexp_matches(text, ?) '
            "ORDER BY doc_id, start", patterns).fetchall()
    else:
        spans = []
    by_doc: dict[str, list[tuple[int, int]]] = {}
    for doc_id, start, end in spans:
        by_doc.setdefault(str(doc_id), []).append((int(start), int(end)))
    whole = "true" if len(phrase) > 1 else f"doc_id NOT IN (SELECT doc_id FROM {sentences})"
    holds = " AND ".join(["regexp_matches(text, ?)"] * len(patterns))
    articles = connection.execute(
        f"SELECT doc_id, text, list_contains(?, doc_id) AS by_sentence FROM {corpus} "
        f"WHERE list_contains(?, doc_id) OR ({whole} AND {holds}) "
        "ORDER BY file_row_number", [list(by_doc), list(by_doc), *patterns]).fetchall()
    tokenizer = _word_tokenizer()
    rows: list[tuple] = []
    for doc_id, text, by_sentence in articles:
        if limit is not None and len(rows) >= limit:
            break
        if not by_sentence:
            frame = pd.DataFrame({"doc_id": [doc_id], "text": [text]}, dtype=object)
            lines = frequencies.concordance(frame, term, width=width,
                                            max_lines=None if limit is None
                                            else limit - len(rows))
            rows += [(str(d), int(s), int(e), left, match, right) for d, s, e, left, match, right
                     in lines.itertuples(index=False, name=None)]
            continue
        normalized = normalize_quotes(text)
        for sentence_start, sentence_end in by_doc[str(doc_id)]:
            for a, b in tokenizer.span_tokenize(normalized[sentence_start:sentence_end]):
                start, end = sentence_start + a, sentence_start + b
                if normalized[start:end].lower() != phrase[0]:
                    continue
                rows.append((str(doc_id), start, end,
                             _WHITESPACE_RUN.sub(" ", text[max(0, start - width):start]),
                             text[start:end], _WHITESPACE_RUN.sub(" ", text[end:end + width])))
                if limit is not None and len(rows) >= limit:
                    return rows
    return rows


# ---------------------------------------------------------------------------------------------
# the report's summary


def words_summary(store: ResultsStore, grouping: Grouping | str | None = None, *,
                  split: str | None = None, top: int = 5, min_freq: int = 5) -> dict:
    """Headline figures of the words of a store, for the report: ``{"lines": [...], "table":
    frame}``. Lines: the corpus's size in words and terms, its most frequent terms, its
    strongest collocation (likelihood ratio, bigrams seen ``min_freq`` times or more) and, with
    a ``grouping`` (a :class:`~utils.results.Grouping` or a column, with ``split``), the most
    key term of each of its largest groups. Table: the top 10 terms (:func:`term_counts`), or
    with a grouping each group's most key term (:func:`key_terms_by_group`). A corpus without
    terms gives the one line saying why (:func:`top_terms_reason`: e.g. no article in
    English)."""
    summary = frequency_summary(store).iloc[0]
    counts = term_counts(store)
    if counts.empty:  # no terms: say why (no article in English, or only stopwords)
        reason = top_terms_reason(store, counts).replace("No top-terms plot: this", "This")
        return {"lines": [reason], "table": counts}
    lines = [f"{int(summary['words']):,} words in {int(summary['articles']):,} articles: "
             f"{int(summary['terms']):,} terms once stopwords, punctuation and numbers are "
             f"removed, {int(summary['distinct_terms']):,} of them distinct."]
    shown = ", ".join(f"{t} ({c:,})" for t, c in
                      zip(counts["term"].head(top), counts["count"].head(top), strict=True))
    lines.append(f"Most frequent terms: {shown}.")
    best = collocations(store, min_freq=min_freq, top=1)
    if len(best):
        row = best.iloc[0]
        lines.append(f"Strongest collocation: '{row['ngram']}' ({int(row['count']):,} times, "
                     f"likelihood ratio {row['score']:,.1f}).")
    else:
        lines.append(f"No collocation: no pair of terms occurs {min_freq} times or more.")
    table = counts.head(10).round(3)
    if grouping is not None:
        grouping = _grouping(store, grouping, split)
        key = key_terms_by_group(store, grouping, top=1, min_count=min_freq,
                                 max_groups=MAX_SUMMARY_GROUPS)
        if len(key):
            shown = "; ".join(f"{g}: {t} (G2 {v:,.1f})" for g, t, v in
                              zip(key["group"], key["term"], key["g2"], strict=True))
            which = ("each group" if grouping.groups <= MAX_SUMMARY_GROUPS else
                     f"the {MAX_SUMMARY_GROUPS} largest of {grouping.groups:,} groups")
            lines.append(f"Most key term of {which} by {grouping.column} against the rest: "
                         f"{shown}.")
        else:
            lines.append(f"No key term: no group by {grouping.column} could be compared with "
                         "the rest.")
        table = key[["group", "articles", "term", "target_per_10k", "reference_per_10k", "g2",
                     "significance"]].round(3)
    return {"lines": lines, "table": table}
