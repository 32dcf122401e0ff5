"""Sentence splitting and word tokenization (utils.text)."""

from __future__ import annotations

from utils import paths
from utils.text import (
    count_words,
    normalize_quotes,
    paragraph_spans,
    sentence_spans,
    split_sentences,
    tokenize_text,
    tokenize_words,
    word_spans,
)

SEED_FILE = paths.SEED_DIR / "000_438747ce390c668c.txt"


def test_typographic_apostrophe_gives_no_stray_s_token():
    tokens = tokenize_words("The visit is Assad’s first overseas visit; he isn’t alone.")
    assert "Assad" in tokens and "'s" in tokens
    assert "s" not in tokens and "’" not in tokens
    assert "n't" in tokens and "t" not in tokens


def test_typographic_quotes_tokenized_like_ascii_ones():
    curly = tokenize_words("He said “we will win” today.")
    straight = tokenize_words('He said "we will win" today.')
    assert curly == straight
    assert "“" not in curly


def test_normalize_quotes_keeps_length_and_offsets():
    text = "“Assad’s” ‘visit’ «now»"
    normalized = normalize_quotes(text)
    assert len(normalized) == len(text)
    assert normalized == "\"Assad's\" 'visit' \"now\""


def test_news_abbreviations_do_not_end_sentences():
    text = (
        "Mr. Smith met Dr. Jones and Gov. Brown in the U.S. Capitol on Dec. 19. "
        "Sen. Warren was not there. It rained."
    )
    assert split_sentences(text) == [
        "Mr. Smith met Dr. Jones and Gov. Brown in the U.S. Capitol on Dec. 19.",
        "Sen. Warren was not there.",
        "It rained.",
    ]


def test_paragraphs_split_separately_so_a_headline_never_joins_the_body():
    text = "A Headline Without A Period\n\nThe body starts here. It goes on."
    assert split_sentences(text) == [
        "A Headline Without A Period",
        "The body starts here.",
        "It goes on.",
    ]


def test_sentence_and_word_spans_index_the_text_as_given():
    text = "  “Hello,” she said.\n\nAssad’s visit — a first.  "
    for start, end in sentence_spans(text):
        assert text[start:end] == text[start:end].strip()
        assert text[start:end]
    for start, end in word_spans(text):
        assert 0 <= start < end <= len(text)
        assert not text[start:end].isspace()
    words = [text[s:e] for s, e in word_spans(text)]
    assert "Assad" in words and "’s" in words


def test_seed_article_splits_title_repeated_title_and_body():
    raw = SEED_FILE.read_text(encoding="utf-8")
    sentences = split_sentences(raw)
    title = (
        "Bashar al-Assad Makes First Foreign Visit Since 2011 To Personally Thank Putin For "
        "Airstrikes"
    )
    assert sentences[0] == title
    assert sentences[1] == title
    assert sentences[2].startswith("Syrian President Bashar al-Assad has arrived in Moscow")
    assert sentences[2].endswith("military intervention in Syria.")
    assert sentences[-1] == "Stay Connected"
    assert any(s.startswith("According to a Kremlin transcript") for s in sentences)


def test_empty_and_whitespace_texts():
    assert sentence_spans("") == []
    assert sentence_spans("  \n\n ") == []
    assert paragraph_spans("\n\n") == []
    assert tokenize_text("") == []
    assert count_words("... !!") == 0


def test_count_words_ignores_punctuation():
    assert count_words("Hello, world! It's 2011.") == 5  # Hello world It 's 2011
