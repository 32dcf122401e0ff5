"""Every real corpus in ../shared/corpora loads with no mapping (skipped when it is absent)."""

from __future__ import annotations

import pytest

from utils.corpus import CorpusError, load_corpus, load_report

# file -> (articles read, minimum kept, columns that must be recognised)
EXPECTED = {
    "bbc_news_2225.csv.gz": (2225, 2090, {"text", "title", "label", "doc_id"}),
    "fa_kes_syria_804.csv.gz": (804, 785, {"text", "title", "source", "date", "label"}),
    "fake_or_real_news_partial_355.csv.gz": (355, 345, {"text", "title", "label", "doc_id"}),
    "fakenewscorpus_news_sample_250.csv.gz": (250, 235, {"text", "title", "source", "label"}),
    "fakenewsnet_v1_content_422.csv.gz": (422, 400, {"text", "title", "source", "date", "label"}),
    "golbeck_fake_vs_satire_486.csv.gz": (486, 480, {"text", "source", "label"}),
    "horne2017_fakenewsdata1.csv.gz": (326, 320, {"text", "title", "label"}),
    "polnear_articles.csv.gz": (928, 920, {"text", "title", "source", "date", "doc_id"}),
    "reuters21578.csv.gz": (21578, 21000, {"text", "title", "date", "doc_id"}),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_shared_corpus_loads_without_mapping(shared_corpora, name):
    read, min_kept, recognised = EXPECTED[name]
    corpus = load_corpus(shared_corpora / name)
    report = load_report(corpus)
    assert report.read == read
    assert report.read == report.kept + report.dropped_total
    assert min_kept <= report.kept == len(corpus)
    assert recognised <= set(report.column_mapping)
    assert corpus["text"].map(len).gt(0).all()
    assert corpus["doc_id"].is_unique
    assert not corpus["text"].duplicated().any()


def test_fakes_dates_and_reuters_boilerplate(shared_corpora):
    fakes = load_corpus(shared_corpora / "fa_kes_syria_804.csv.gz")
    assert fakes["date"].notna().all()
    assert fakes["date"].min().year == 2011 and fakes["date"].max().year == 2018
    assert fakes["source"].nunique() == 15
    reuters = load_corpus(shared_corpora / "reuters21578.csv.gz")
    # the closing "Reuter" line is boilerplate; one body has it glued to its last sentence
    assert reuters["text"].str.rstrip().str.endswith("Reuter").sum() <= 5
    assert reuters["date"].notna().mean() > 0.99


def test_annotation_table_is_refused_with_a_clear_message(shared_corpora):
    with pytest.raises(CorpusError, match="annotation table"):
        load_corpus(shared_corpora / "polnear_attributions.csv.gz")


def test_polnear_raw_mode_keeps_the_annotated_text(shared_corpora):
    import pandas as pd

    raw = pd.read_csv(shared_corpora / "polnear_articles.csv.gz", dtype=str, keep_default_na=False)
    corpus = load_corpus(shared_corpora / "polnear_articles.csv.gz", fix_text=False,
                         drop_duplicates=False)
    assert corpus["text"].tolist() == raw["text"].tolist()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_english_fast_path_agrees_with_the_identifier(shared_corpora, name):
    """Wherever the function-word test calls a sample English, the identifier does too."""
    from utils.corpus import language

    corpus = load_corpus(shared_corpora / name, drop_duplicates=False)
    identifier = language._identifier()
    taken = 0
    for text in corpus["text"]:
        sample = language.language_sample(text)
        if language._plainly_english(sample):
            taken += 1
            ranking = dict(identifier.rank(sample.lower()))
            assert ranking.get("en", 0.0) >= language.MAX_ENGLISH_PROBABILITY, sample[:200]
    assert taken >= 0.3 * len(corpus)
