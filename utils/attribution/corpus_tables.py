"""Corpus-level tables of attributions: :func:`corpus_attributions`, :func:`most_cited_sources`,
:func:`source_type_shares`, :func:`quotes_per_1000_words`, :func:`sourcing_by_group`,
:func:`cocitation_edges`, and speaker canonicalisation across articles
(:func:`canonical_speakers`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

import pandas as pd

from utils.attribution.frames import attribution_frame, attribution_rows
from utils.attribution.lexicons import SOURCE_TYPES
from utils.attribution.source_types import _surname

# ---------------------------------------------------------------------------------------------
# corpus level

#: Source types counted as named sourcing by :func:`sourcing_by_group`.
NAMED_TYPES = ("person", "organization", "media", "document")


#: Share of a surname's full-name mentions one person must hold for the bare surname to be
#: mapped to them when several people share the surname (see :func:`canonical_speakers`).
DOMINANT_NAME_SHARE = 0.75


def canonical_speaker_mapping(
    counts: Mapping[tuple[str, str], int],
) -> dict[tuple[str, str], str]:
    """The rules of :func:`canonical_speakers` from counts alone: ``counts`` maps each
    ``(speaker, source_type)`` pair to its number of mentions; returns each pair's canonical
    name (empty speakers map to ""). Reductions over partitions use it so that memory grows with
    the number of distinct speakers, not of attributions."""
    persons: Counter = Counter()
    others: Counter = Counter()
    for (name, kind), count in counts.items():
        if name:
            (persons if kind == "person" else others)[name] += count
    person_name: dict[str, str] = {}
    by_surname: dict[str, list[str]] = {}
    for name in persons:
        by_surname.setdefault(_surname(name), []).append(name)
    for names in by_surname.values():
        full = [n for n in names if len(n.split()) > 1]
        firsts = {n.split()[0].lower().strip(".") for n in full}
        best = sorted(full, key=lambda n: (-persons[n], n))[0] if full else None
        if len(firsts) <= 1 and full:
            person_name.update((name, best) for name in names)
            continue
        person_name.update((name, name) for name in names)
        # a bare surname goes to a clearly dominant full name ("Trump")
        if full and persons[best] >= DOMINANT_NAME_SHARE * sum(persons[n] for n in full):
            person_name.update((name, best) for name in names if len(name.split()) == 1)
    spelling: dict[str, str] = {}
    for name in sorted(others, key=lambda n: (-others[n], n)):
        spelling.setdefault(name.lower(), name)
    holding: dict[str, list[str]] = {}  # lower-cased word -> the names holding it
    for name in others:
        for word in set(name.lower().split()):
            holding.setdefault(word, []).append(name)
    for name in sorted(others, key=lambda n: (-others[n], n)):
        if len(name.split()) == 1 and not name.isupper():
            longer = [n for n in holding.get(name.lower(), ()) if n != name]
            if longer:
                spelling[name.lower()] = sorted(longer, key=lambda n: (-others[n], n))[0]
    mapping = {}
    for name, kind in counts:
        if not name:
            mapping[(name, kind)] = ""
        elif kind == "person":
            mapping[(name, kind)] = person_name.get(name, name)
        else:
            mapping[(name, kind)] = spelling.get(name.lower(), name)
    return mapping


def canonical_speakers(speakers: pd.Series, source_types: pd.Series | None = None) -> pd.Series:
    """Canonical speaker names across articles.

    Person names are grouped by surname: when every multi-word name with that surname shares its
    first word (no two different people, e.g. "Bill Clinton" and "Hillary Clinton"), all of them,
    and the bare surname, become the most frequent multi-word form (ties alphabetical). When
    several people share it, the full names stay apart and the bare surname goes to the most
    frequent full name only if that name holds at least :data:`DOMINANT_NAME_SHARE` of the
    full-name mentions ("Trump" -> "Donald Trump" beside a few "Ivanka Trump"); otherwise it
    stays as written. Other
    speakers are matched case-insensitively (the most frequent spelling wins), and a one-word
    name that is not an acronym ("Observatory") becomes the most frequent longer name holding
    that word ("Syrian Observatory for Human Rights"). Empty speakers stay empty.
    """
    speakers = speakers.fillna("").astype(str)
    types = (
        source_types.fillna("unknown").astype(str)
        if source_types is not None
        else pd.Series("person", index=speakers.index)
    )
    pairs = list(zip(speakers, types, strict=True))
    mapping = canonical_speaker_mapping(Counter(pairs))
    values = [mapping.get(pair, pair[0]) for pair in pairs]
    return pd.Series(values, index=speakers.index, dtype="str", name="speaker")


def corpus_attributions(corpus: pd.DataFrame, text_column: str = "text") -> pd.DataFrame:
    """Attributions of every article of a corpus as one tidy table.

    ``corpus`` is a frame from :func:`utils.corpus.load_corpus` (``doc_id`` and ``text``
    columns). Returns ``doc_id`` followed by the columns of :func:`extract_attributions`, rows
    in corpus order then text order, with ``speaker`` canonicalised across articles
    (:func:`canonical_speakers`). Offsets refer to each article's ``text`` as loaded.
    """
    if text_column not in corpus.columns or "doc_id" not in corpus.columns:
        raise ValueError(
            f"corpus_attributions needs 'doc_id' and {text_column!r} columns (a load_corpus "
            f"frame); got {list(corpus.columns)}"
        )
    rows: list[tuple] = []
    doc_ids: list[str] = []
    from utils.corpus.language import analysed_mask

    for doc_id, text, ok in zip(corpus["doc_id"], corpus[text_column], analysed_mask(corpus),
                                strict=True):
        # the rules are English: other languages have no attributions
        found = attribution_rows(text if isinstance(text, str) and ok else "")
        rows.extend(found)
        doc_ids.extend([str(doc_id)] * len(found))
    table = attribution_frame(rows, doc_ids)
    if table.empty:
        return table
    table["speaker"] = canonical_speakers(table["speaker"], table["source_type"])
    return table


def most_cited_sources(attributions: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The ``n`` speakers with most attributions: ``speaker, source_type, attributions,
    articles`` (most attributions first, ties alphabetical). Unresolved (empty) speakers are
    left out; a speaker's type is its most frequent one."""
    named = attributions[attributions["speaker"].fillna("") != ""]
    if named.empty:
        return pd.DataFrame(
            {
                "speaker": pd.Series([], dtype="str"),
                "source_type": pd.Series([], dtype="str"),
                "attributions": pd.Series([], dtype="int64"),
                "articles": pd.Series([], dtype="int64"),
            }
        )
    grouped = named.groupby("speaker", sort=True)
    table = pd.DataFrame(
        {
            "attributions": grouped.size(),
            "articles": grouped["doc_id"].nunique() if "doc_id" in named else 1,
            "source_type": grouped["source_type"].agg(
                lambda s: sorted(Counter(s).items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
            ),
        }
    ).reset_index()
    table = table.sort_values(["attributions", "speaker"], ascending=[False, True])
    table = table[["speaker", "source_type", "attributions", "articles"]].head(n)
    return table.reset_index(drop=True).astype({"attributions": "int64", "articles": "int64"})


def source_type_shares(attributions: pd.DataFrame, digits: int = 3) -> pd.DataFrame:
    """Attributions and their share per source type, in :data:`SOURCE_TYPES` order (all six
    types listed, zero when absent; shares are 0 for an empty table)."""
    counts = Counter(attributions["source_type"]) if len(attributions) else Counter()
    total = sum(counts.values())
    return pd.DataFrame(
        {
            "source_type": list(SOURCE_TYPES),
            "attributions": [int(counts.get(t, 0)) for t in SOURCE_TYPES],
            "share": [
                round(counts.get(t, 0) / total, digits) if total else 0.0 for t in SOURCE_TYPES
            ],
        }
    )


def _group_values(corpus: pd.DataFrame, by: str | None) -> pd.Series:
    """The group of every article as text: ``"all"`` without ``by``, ``YYYY-MM`` of ``date``
    for ``by="month"`` (unless the corpus has a ``month`` column), ``"(missing)"`` for none."""
    if by is None:
        return pd.Series("all", index=corpus.index, dtype="str")
    if by == "month" and "month" not in corpus.columns and "date" in corpus.columns:
        months = pd.to_datetime(corpus["date"], errors="coerce").dt.strftime("%Y-%m")
        return months.astype("object").where(months.notna(), "(missing)").astype("str")
    if by not in corpus.columns:
        raise ValueError(f"no column {by!r} in the corpus; columns: {list(corpus.columns)} "
                         "(or 'month', the month of 'date')")
    return corpus[by].astype("str").fillna("(missing)").replace("<NA>", "(missing)")


def quotes_per_1000_words(
    corpus: pd.DataFrame,
    attributions: pd.DataFrame,
    by: str | None = None,
    digits: int = 3,
) -> pd.DataFrame:
    """Attribution density: per group (or overall when ``by`` is None) the number of
    articles, words (:func:`utils.text.count_words`), attributions and direct quotes, and both
    per 1,000 words. Groups are sorted alphabetically; a group with no words has rate 0, and
    one whose articles are all in languages the rules cannot read (not analysed) has missing
    rates (its words are not counted)."""
    from utils.corpus.language import analysed_mask
    from utils.text import count_words

    groups = _group_values(corpus, by)
    analysed = analysed_mask(corpus)
    words = pd.Series(
        [count_words(t) if isinstance(t, str) and ok else 0
         for t, ok in zip(corpus["text"], analysed, strict=True)], index=corpus.index
    )
    analysed = pd.Series(analysed, index=corpus.index)
    doc_group = dict(zip(corpus["doc_id"].astype(str), groups, strict=True))
    att_groups = attributions["doc_id"].astype(str).map(doc_group)
    direct = attributions["kind"] == "direct"
    rows = []
    for group in sorted(set(groups)):
        in_group = groups == group
        n_words = int(words[in_group].sum())
        n_att = int((att_groups == group).sum())
        n_direct = int(((att_groups == group) & direct).sum())
        unread = not analysed[in_group].any()  # none of its articles could be analysed
        empty_rate = float("nan") if unread else 0.0
        rows.append(
            {
                "group": group,
                "articles": int(in_group.sum()),
                "words": n_words,
                "attributions": n_att,
                "direct_quotes": n_direct,
                "attributions_per_1000_words": round(1000 * n_att / n_words, digits)
                if n_words
                else empty_rate,
                "direct_quotes_per_1000_words": round(1000 * n_direct / n_words, digits)
                if n_words
                else empty_rate,
            }
        )
    return pd.DataFrame(rows)


def sourcing_by_group(
    corpus: pd.DataFrame, attributions: pd.DataFrame, by: str = "source", digits: int = 3
) -> pd.DataFrame:
    """Named versus anonymous sourcing per group (publisher, label, ...).

    Per group (alphabetical): ``articles``, ``attributions``, ``named`` (source type person,
    organization, media or document), ``anonymous``, ``unattributed`` (no or unknown source)
    and the shares ``named_share`` and ``anonymous_share`` of the group's attributions.
    """
    groups = _group_values(corpus, by)
    doc_group = dict(zip(corpus["doc_id"].astype(str), groups, strict=True))
    att_groups = attributions["doc_id"].astype(str).map(doc_group)
    rows = []
    for group in sorted(set(groups)):
        mine = attributions[att_groups == group]
        total = len(mine)
        named = int(mine["source_type"].isin(NAMED_TYPES).sum())
        anonymous = int((mine["source_type"] == "anonymous").sum())
        rows.append(
            {
                "group": group,
                "articles": int((groups == group).sum()),
                "attributions": total,
                "named": named,
                "anonymous": anonymous,
                "unattributed": total - named - anonymous,
                "named_share": round(named / total, digits) if total else 0.0,
                "anonymous_share": round(anonymous / total, digits) if total else 0.0,
            }
        )
    return pd.DataFrame(rows)


def cocitation_edges(attributions: pd.DataFrame, min_articles: int = 1) -> pd.DataFrame:
    """Who is quoted together: one row per pair of named speakers cited in the same article.

    Returns ``speaker_a, speaker_b, articles`` (``speaker_a < speaker_b``; ``articles`` = the
    number of articles citing both), keeping pairs with at least ``min_articles``, most shared
    articles first, ties alphabetical.
    """
    from itertools import combinations

    counts: Counter = Counter()
    named = attributions[attributions["speaker"].fillna("") != ""]
    for _doc, speakers in named.groupby("doc_id", sort=True)["speaker"]:
        for a, b in combinations(sorted(set(speakers)), 2):
            counts[(a, b)] += 1
    rows = [
        {"speaker_a": a, "speaker_b": b, "articles": n}
        for (a, b), n in counts.items()
        if n >= min_articles
    ]
    if not rows:
        return pd.DataFrame(
            {
                "speaker_a": pd.Series([], dtype="str"),
                "speaker_b": pd.Series([], dtype="str"),
                "articles": pd.Series([], dtype="int64"),
            }
        )
    table = pd.DataFrame(rows).sort_values(
        ["articles", "speaker_a", "speaker_b"], ascending=[False, True, True]
    )
    return table.reset_index(drop=True)
