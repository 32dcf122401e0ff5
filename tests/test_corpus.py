"""The corpus loader (utils.corpus) on small files the tests write themselves."""

from __future__ import annotations

import gzip
import json

import pandas as pd
import pytest

from utils.corpus import (
    BOILERPLATE_PATTERNS,
    CORE_COLUMNS,
    CorpusError,
    corpus_name,
    load_corpus,
    load_nyt_sentences,
    load_report,
    recognise_columns,
    split_plain_text_article,
    strip_trailing_boilerplate,
)

ARTICLE = """Big News Today

Big News Today

The mayor said the bridge will reopen. Officials agreed.

A second paragraph follows here.

Stay Connected"""


def write_folder(tmp_path, articles: dict[str, bytes | str]):
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, content in articles.items():
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


TABLE = pd.DataFrame(
    {
        "id": ["a1", "a2", "a3"],
        "article_title": ["One", "Two", "Three"],
        "article_content": ["First text here.", "Second text, longer.", "Third one."],
        "publisher": ["Daily A", "Daily B", "Daily A"],
        "publication_date": ["2020-01-05", "2020-02-10", "not a date"],
        "labels": ["1", "0", "1"],
        "extra_info": ["x", "y", "z"],
    }
)


# ---------------------------------------------------------------------------------------------
# formats


def test_text_folder_title_repeated_title_and_boilerplate(tmp_path):
    folder = write_folder(tmp_path, {"001_story.txt": ARTICLE, "notes.md": "ignored"})
    corpus = load_corpus(folder)
    assert list(corpus.columns[:7]) == list(CORE_COLUMNS)
    row = corpus.iloc[0]
    assert row["doc_id"] == "001_story"
    assert row["title"] == "Big News Today"
    assert row["text"].startswith("The mayor said")
    assert row["text"].endswith("A second paragraph follows here.")
    assert "Stay Connected" not in row["text"]
    report = load_report(corpus)
    assert (report.read, report.kept, report.dropped_total) == (1, 1, 0)
    assert report.warnings["trailing boilerplate lines removed"] == 1
    assert report.warnings["skipped: files that are not articles (.txt, .html)"] == 1
    assert report.examples["skipped: files that are not articles (.txt, .html)"] == ["notes.md"]


def test_seed_loads_as_one_article_with_the_headline_as_title():
    corpus = load_corpus("seed")
    assert len(corpus) == 1
    article = corpus.iloc[0]
    assert article["title"] == (
        "Bashar al-Assad Makes First Foreign Visit Since 2011 To Personally Thank Putin For "
        "Airstrikes"
    )
    assert article["text"].startswith("Syrian President")
    assert article["text"].endswith("reinforced by this meeting.”")
    assert "Stay Connected" not in article["text"]


@pytest.mark.parametrize("suffix", [".csv", ".csv.gz", ".tsv", ".jsonl", ".jsonl.gz", ".parquet"])
def test_tables_in_every_format_with_recognised_columns(tmp_path, suffix):
    path = tmp_path / f"corpus{suffix}"
    if suffix.startswith(".csv"):
        TABLE.to_csv(path, index=False)
    elif suffix == ".tsv":
        TABLE.to_csv(path, index=False, sep="\t")
    elif suffix.startswith(".jsonl"):
        TABLE.to_json(path, orient="records", lines=True)
    else:
        TABLE.to_parquet(path, index=False)
    corpus = load_corpus(path)
    assert list(corpus.columns) == [*CORE_COLUMNS, "extra_info"]
    assert corpus["doc_id"].tolist() == ["a1", "a2", "a3"]
    assert corpus["title"].tolist() == ["One", "Two", "Three"]
    assert corpus["source"].tolist() == ["Daily A", "Daily B", "Daily A"]
    assert corpus["label"].tolist() == ["1", "0", "1"]
    assert corpus["date"].iloc[0] == pd.Timestamp("2020-01-05")
    assert pd.isna(corpus["date"].iloc[2])
    report = load_report(corpus)
    assert report.warnings["dates without a year (set to NaT)"] == 1  # "not a date"
    assert report.column_mapping["text"] == "article_content"


def test_explicit_mapping_overrides_recognition(tmp_path):
    path = tmp_path / "t.csv"
    TABLE.assign(text="decoy").to_csv(path, index=False)
    corpus = load_corpus(path, columns={"text": "article_content", "label": "extra_info"},
                         drop_duplicates=False)
    assert corpus["text"].tolist() == TABLE["article_content"].tolist()
    assert corpus["label"].tolist() == ["x", "y", "z"]
    assert "labels" in corpus.columns  # not mapped any more: kept as an extra column


def test_label_names(tmp_path):
    path = tmp_path / "t.csv"
    TABLE.to_csv(path, index=False)
    corpus = load_corpus(path, label_names={1: "credible", 0: "fake"})
    assert corpus["label"].tolist() == ["credible", "fake", "credible"]


def test_recognise_columns_prefers_earlier_candidates_and_is_case_insensitive():
    mapping = recognise_columns(["Body", "Text", "Headline", "Domain"], {})
    assert mapping == {"text": "Text", "title": "Headline", "source": "Domain"}


# ---------------------------------------------------------------------------------------------
# bad input


def test_missing_path_is_a_clear_error(tmp_path):
    with pytest.raises(CorpusError, match="No corpus at .*built-in corpus"):
        load_corpus(tmp_path / "nope.csv")


def test_unknown_format_is_a_clear_error(tmp_path):
    path = tmp_path / "corpus.xlsx"
    path.write_bytes(b"PK")
    with pytest.raises(CorpusError, match="Unknown corpus format"):
        load_corpus(path)


def test_table_without_text_column_lists_the_columns(tmp_path):
    path = tmp_path / "t.csv"
    pd.DataFrame({"headline": ["a"], "words": ["b"]}).to_csv(path, index=False)
    with pytest.raises(CorpusError, match=r"Columns found: \['headline', 'words'\]"):
        load_corpus(path)


def test_mapping_to_a_missing_column_is_a_clear_error(tmp_path):
    path = tmp_path / "t.csv"
    TABLE.to_csv(path, index=False)
    with pytest.raises(CorpusError, match="no such column"):
        load_corpus(path, columns={"text": "missing"})
    with pytest.raises(CorpusError, match="not core columns"):
        load_corpus(path, columns={"body": "article_content"})


def test_malformed_jsonl_lines_are_dropped_by_line_number(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text('{"text": "fine words"}\n{"text": broken\n')
    corpus = load_corpus(path)
    assert corpus["text"].tolist() == ["fine words"]
    assert load_report(corpus).examples["JSON Lines: lines that are not valid JSON"] == ["line 2"]
    path.write_text('{"text": broken\n{"text": "also broken\n')
    with pytest.raises(CorpusError, match="(?s)no articles.*line 1, line 2"):
        load_corpus(path)


def test_undecodable_bytes_in_text_files_are_decoded_and_counted(tmp_path):
    folder = write_folder(
        tmp_path,
        {
            "a.txt": "Caf\xe9 Title\n\nThe caf\xe9 opened.".encode("cp1252"),
            "b.txt": b"Title\n\nBad byte \x81 here, with more words.",
        },
    )
    corpus = load_corpus(folder)
    assert corpus.set_index("doc_id").loc["a", "text"] == "The café opened."
    report = load_report(corpus)
    assert report.warnings["not UTF-8: decoded as cp1252 (detected)"] == 2
    assert report.warnings["undecodable bytes replaced with U+FFFD"] == 1
    assert report.examples["undecodable bytes replaced with U+FFFD"] == ["b.txt"]
    assert report.warnings["texts holding U+FFFD (characters lost before loading)"] == 1


def test_undecodable_bytes_in_a_csv_are_replaced_and_counted(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(b"text\nGood text one\nBad \xff\xfe text two\n")
    corpus = load_corpus(path)
    assert len(corpus) == 2
    report = load_report(corpus)
    assert report.warnings["table decoded as CP1252 (detected)"] == 1


def test_empty_and_duplicate_texts_are_dropped_and_counted(tmp_path):
    path = tmp_path / "t.csv"
    pd.DataFrame(
        {"text": ["Same words.", "", "  ", "Same words.", "--- !!", None, "Other words."]}
    ).to_csv(path, index=False)
    corpus = load_corpus(path)
    assert corpus["text"].tolist() == ["Same words.", "Other words."]
    report = load_report(corpus)
    assert report.read == 7 and report.kept == 2
    assert report.dropped["text has no letters (empty, a number or symbols only)"] == 4
    assert report.dropped["exact duplicate text (first kept)"] == 1
    assert report.read == report.kept + report.dropped_total
    assert "dropped 4: text has no letters" in str(report)
    assert load_corpus(path, drop_duplicates=False)["text"].tolist().count("Same words.") == 2


def test_a_corpus_with_nothing_left_is_a_clear_error(tmp_path):
    path = tmp_path / "t.csv"
    pd.DataFrame({"text": ["", "   "]}).to_csv(path, index=False)
    with pytest.raises(CorpusError, match="No article left"):
        load_corpus(path)


def test_non_unique_ids_fall_back_to_row_numbers(tmp_path):
    path = tmp_path / "t.csv"
    pd.DataFrame({"id": ["x", "x"], "text": ["One.", "Two."]}).to_csv(path, index=False)
    corpus = load_corpus(path)
    assert corpus["doc_id"].tolist() == ["0", "1"]
    assert corpus["original_id"].tolist() == ["x", "x"]
    assert "not unique" in str(load_report(corpus))


def test_mojibake_is_repaired_and_raw_mode_keeps_text(tmp_path):
    path = tmp_path / "t.jsonl"
    broken = "The president\u00e2\u20ac\u2122s speech &amp; the crowd.\r\nNext line."
    with gzip.open(tmp_path / "t.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.write(json.dumps({"text": broken}) + "\n")
    path.write_text(json.dumps({"text": broken}) + "\n", encoding="utf-8")
    repaired = load_corpus(path)["text"].iloc[0]
    assert repaired == "The president\u2019s speech & the crowd.\nNext line."
    assert load_corpus(path, fix_text=False)["text"].iloc[0] == broken
    assert load_corpus(tmp_path / "t.jsonl.gz")["text"].iloc[0] == repaired


def test_trailing_boilerplate_patterns_are_extendable():
    text = "Real sentence here.\n\nShare this article\nSubscribe to our newsletter\nPowered by X"
    stripped, removed = strip_trailing_boilerplate(text, boilerplate=[r"powered by .*"])
    assert stripped == "Real sentence here." and removed == 3
    assert strip_trailing_boilerplate(text)[1] == 0  # "Powered by X" blocks the default list
    assert strip_trailing_boilerplate("We must stay connected.")[1] == 0
    assert any("stay connected" in p for p in BOILERPLATE_PATTERNS)


def test_split_plain_text_article_edge_cases():
    assert split_plain_text_article("") == ("", "", 0)
    assert split_plain_text_article("\n\nOnly A Title\n") == ("Only A Title", "", 0)
    title, body, _ = split_plain_text_article("T\r\n\r\nt\r\n\r\nBody.")
    assert (title, body) == ("T", "Body.")  # repeated title matched case-insensitively


def test_corpus_name():
    assert corpus_name("nyt-editorials") == "nyt-editorials"
    assert corpus_name("../x/fa_kes_syria_804.csv.gz") == "fa_kes_syria_804"
    assert corpus_name("some/folder/") == "folder"


# ---------------------------------------------------------------------------------------------
# built-in NYT editorials


def test_nyt_editorials_group_the_rated_snippets():
    sentences = load_nyt_sentences()
    assert len(sentences) == 5190
    assert sentences["snippet_id"].is_unique
    assert sentences["human_mean"].between(-4, 4).all()
    assert sentences["ratings"].map(len).min() >= 20
    corpus = load_corpus("nyt-editorials")
    assert len(corpus) == sentences["editorial_id"].nunique()
    assert 450 <= len(corpus) <= 510
    assert corpus["sentences"].sum() == 5190
    first = sentences[sentences["editorial_id"] == 1].sort_values("sentence_index")
    assert corpus.iloc[0]["text"] == " ".join(first["text"])
    assert corpus["source"].unique().tolist() == ["The New York Times"]
    assert set(corpus["human_tone"]) == {"negative", "neutral", "positive"}


def test_human_tone_bands():
    from utils.corpus import human_tone

    tones = human_tone(pd.Series([-1.0, -0.05, 0.0, 0.05, 0.2, None]))
    assert tones.tolist()[:5] == ["negative", "neutral", "neutral", "neutral", "positive"]
    assert pd.isna(tones.iloc[5])


def test_a_long_line_starting_like_boilerplate_is_kept():
    from utils.corpus.cleaning import is_boilerplate_line, strip_trailing_boilerplate

    article = "Print this page " + " ".join(["The monitor reported more shelling."] * 8)
    assert strip_trailing_boilerplate(article) == (article, 0)
    assert not is_boilerplate_line(article)
    assert strip_trailing_boilerplate("Text of the story.\nPrint this page") == (
        "Text of the story.", 1)
