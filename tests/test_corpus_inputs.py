"""Awkward inputs users hand over: each is read right or refused clearly, and counted.

Every test writes its own small files. Classes: encodings, files that are not text,
boilerplate-only files, HTML, other languages, typed text columns, JSON shapes, Parquet
columns, dates, labels, folders (recursion and every skipped path), single files, separators,
and option checks.
"""

from __future__ import annotations

import json
import os

import pandas as pd
import pytest

from utils.corpus import CorpusError, decode_bytes, load_corpus, load_report
from utils.corpus.decoding import NotTextError
from utils.pipeline import analyse_corpus

BODY = ("The minister said on Monday that the talks in Geneva had gone well. "
        '"We are close to an agreement," she told reporters after the meeting.')
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def write(folder, files: dict) -> object:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


def article(title: str = "Café title", body: str = BODY) -> str:
    return f"{title}\n\n{body}\n"


# ---------------------------------------------------------------------------------------------
# encodings


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig"])
def test_unicode_files_with_and_without_a_byte_order_mark_read_right(tmp_path, encoding):
    raw = article().encode(encoding)
    folder = write(tmp_path / "c", {"a.txt": raw})
    corpus = load_corpus(folder)
    assert corpus.loc[0, "title"] == "Café title"
    assert corpus.loc[0, "text"] == BODY
    assert "\ufffd" not in corpus.loc[0, "text"]


def test_legacy_code_pages_are_detected_and_named_in_the_report(tmp_path):
    folder = write(tmp_path / "c", {
        "west.txt": article("Naïve café", BODY + " Über façade.").encode("cp1252"),
        "russian.txt": ("Президент заявил\n\nПрезидент заявил, что война окончена, и солдаты "
                        "скоро вернутся домой к своим семьям.").encode("cp1251"),
    })
    corpus = load_corpus(folder).set_index("doc_id")
    assert corpus.loc["west", "title"] == "Naïve café"
    assert corpus.loc["russian", "title"] == "Президент заявил"
    report = load_report(corpus)
    assert report.examples["not UTF-8: decoded as cp1252 (detected)"] == ["west.txt"]
    assert report.examples["not UTF-8: decoded as cp1251 (detected)"] == ["russian.txt"]


def test_utf16_csv_is_decoded_by_its_byte_order_mark(tmp_path):
    path = tmp_path / "t.csv"
    pd.DataFrame({"title": ["Café title"], "text": [BODY]}).to_csv(path, index=False,
                                                                    encoding="utf-16")
    corpus = load_corpus(path)
    assert corpus.loc[0, "title"] == "Café title"
    assert "table decoded as UTF-16-LE (byte-order mark)" in load_report(corpus).warnings
    assert load_corpus(path, encoding="utf-16").loc[0, "text"] == BODY


def test_files_that_are_not_text_are_refused_by_name(tmp_path):
    folder = write(tmp_path / "c", {
        "good.txt": article(), "image.txt": PNG, "noise.txt": os.urandom(2000) + b"\x00" * 50,
    })
    corpus = load_corpus(folder)
    assert corpus["doc_id"].tolist() == ["good"]
    report = load_report(corpus)
    assert report.read == 3 and report.dropped["not a text file"] == 2
    examples = report.examples["not a text file"]
    assert examples[0] == "image.txt (a PNG image)"
    assert examples[1].startswith("noise.txt")
    assert "image.txt (a PNG image)" in str(report)
    with pytest.raises(NotTextError):
        decode_bytes(PNG)


# ---------------------------------------------------------------------------------------------
# boilerplate and HTML


def test_a_file_of_only_boilerplate_is_dropped(tmp_path):
    folder = write(tmp_path / "c", {
        "good.txt": article(), "junk.txt": "Stay Connected\n\nShare this\nFollow us on Twitter\n",
    })
    corpus = load_corpus(folder)
    assert corpus["doc_id"].tolist() == ["good"]
    assert load_report(corpus).examples["only site boilerplate"] == ["junk.txt"]


HTML = ("<html><head><style>p {color: red}</style><script>var x = 1; alert('x');</script>"
        "</head><body><h1>Talks end</h1><p>The minister said the talks went well.</p>"
        "<p>&ldquo;We agree,&rdquo; she told reporters.<br>More&nbsp;text.</p></body></html>")


def test_html_is_converted_to_text_with_paragraphs_and_without_scripts(tmp_path):
    path = tmp_path / "t.csv"
    pd.DataFrame({"text": [HTML, BODY]}).to_csv(path, index=False)
    corpus = load_corpus(path)
    text = corpus.loc[0, "text"]
    assert text == ("Talks end\n\nThe minister said the talks went well.\n\n"
                    "“We agree,” she told reporters.\nMore text.")
    for junk in ("<", "var", "alert", "color"):
        assert junk not in text
    assert load_report(corpus).warnings["HTML converted to plain text"] == 1
    attributions = analyse_corpus(corpus, cache=False).attributions
    assert not attributions["source"].str.contains("<|script|alert", regex=True).any()
    # plain text that merely mentions a tag is not HTML
    plain = tmp_path / "p.csv"
    pd.DataFrame({"text": ["He wrote a < b and b > c, then said <p> is a tag name."]}).to_csv(
        plain, index=False)
    assert "HTML converted to plain text" not in load_report(load_corpus(plain)).warnings


def test_html_text_file_is_converted(tmp_path):
    folder = write(tmp_path / "c", {"page.txt": HTML})
    corpus = load_corpus(folder)
    assert pd.isna(corpus.loc[0, "title"])  # no <title>: every block is text
    assert corpus.loc[0, "text"].startswith("Talks end\n\nThe minister said")


# ---------------------------------------------------------------------------------------------
# languages

OTHER_LANGUAGES = {
    "ar": "قال الرئيس إن الحرب انتهت وإن الجنود سيعودون قريبا إلى ديارهم وعائلاتهم في المدينة",
    "zh": "总统说战争已经结束了，士兵们很快就会回家与家人团聚，人们在街头欢呼庆祝",
    "ru": "Президент заявил, что война окончена, и солдаты скоро вернутся домой к своим семьям.",
    "fr": "Le président a dit que la guerre était finie et que les soldats rentreraient bientôt.",
}


def test_articles_in_other_languages_are_kept_counted_and_not_analysed(tmp_path):
    files = {f"{code}.txt": article(f"Title {code}", text) for code, text in
             OTHER_LANGUAGES.items()}
    files["en.txt"] = article("English", BODY)
    corpus = load_corpus(write(tmp_path / "c", files)).set_index("doc_id", drop=False)
    assert corpus["language"].to_dict() == {"ar": "ar", "en": "en", "fr": "fr", "ru": "ru",
                                            "zh": "zh"}
    report = load_report(corpus)
    reason = next(r for r in report.warnings if r.startswith("not English"))
    assert report.warnings[reason] == 4 and "zh 1" in reason
    results = analyse_corpus(corpus.reset_index(drop=True), cache=False)
    articles = results.articles.set_index("doc_id")
    assert articles.loc["en", "analysed"] and articles.loc["en", "words"] > 0
    for code in OTHER_LANGUAGES:
        row = articles.loc[code]
        assert not row["analysed"]
        assert pd.isna(row["mean_compound"]) and pd.isna(row["words"])
        assert pd.isna(row["attributions"]) and pd.isna(row["headline_compound"])
    assert set(results.terms["doc_id"]) == {"en"}
    assert set(results.sentences["doc_id"]) == {"en"}


# ---------------------------------------------------------------------------------------------
# typed columns


def test_a_numeric_column_mapped_as_text_is_refused_naming_the_column(tmp_path):
    path = tmp_path / "t.csv"
    pd.DataFrame({"unit_id": range(100, 110), "text": [f"{BODY} {i}" for i in range(10)]}) \
        .to_csv(path, index=False)
    with pytest.raises(CorpusError, match="'unit_id'.*holds no text"):
        load_corpus(path, columns={"text": "unit_id"})


def test_missing_value_markers_are_missing_not_articles(tmp_path):
    path = tmp_path / "t.csv"
    plain = "The minister said the talks went well"
    path.write_text(f"text,source,label\n{plain},NA,null\nNA,X,1\nnull,Y,0\nN/A,Z,1\n",
                    encoding="utf-8")
    corpus = load_corpus(path)
    assert len(corpus) == 1
    assert pd.isna(corpus.loc[0, "source"]) and pd.isna(corpus.loc[0, "label"])
    report = load_report(corpus)
    assert report.warnings["text: missing-value markers ('NA', 'null', ...) read as missing"] == 3
    assert report.read == report.kept + report.dropped_total


def test_non_text_values_in_jsonl_and_parquet_are_refused_row_by_row(tmp_path):
    rows = [{"id": "a", "text": BODY}, {"id": "b", "text": ["a", "list"]},
            {"id": "c", "text": {"a": "dict"}}, {"id": "d", "text": 12345},
            {"id": "e", "text": None}]
    path = tmp_path / "t.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    corpus = load_corpus(path)
    assert corpus["doc_id"].tolist() == ["a"]
    report = load_report(corpus)
    assert report.dropped["text is a list or mapping, not article text"] == 2
    assert report.dropped["text is a number, not article text"] == 1
    assert report.examples["text is a number, not article text"] == ["d"]
    assert report.read == report.kept + report.dropped_total
    parquet = tmp_path / "t.parquet"
    pd.DataFrame({"id": ["a", "b"], "text": [BODY, "7"]}).to_parquet(parquet)
    assert load_corpus(parquet)["doc_id"].tolist() == ["a"]


def test_json_shapes(tmp_path):
    columns = tmp_path / "columns.json"
    columns.write_text(json.dumps({"title": {"0": "A", "1": "B"},
                                   "text": {"0": BODY, "1": BODY + " Again."}}))
    corpus = load_corpus(columns)
    assert corpus["title"].tolist() == ["A", "B"]
    assert "column-oriented JSON read as one row per key" in load_report(corpus).warnings
    records = tmp_path / "records.jsonl"
    records.write_text(json.dumps([{"text": BODY}, {"text": BODY + " Two."}]))  # one line
    assert len(load_corpus(records)) == 2
    wrapped = tmp_path / "wrapped.json"
    wrapped.write_text(json.dumps({"status": "ok", "articles": [{"text": BODY}]}))
    assert len(load_corpus(wrapped)) == 1
    arrays = tmp_path / "arrays.json"
    arrays.write_text(json.dumps([["a", "b"], ["c", "d"]]))
    with pytest.raises(CorpusError, match="no field names"):
        load_corpus(arrays)


def test_parquet_with_two_columns_of_one_name_is_refused(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_arrays([pa.array([BODY]), pa.array(["x"])], names=["text", "text"])
    path = tmp_path / "t.parquet"
    pq.write_table(table, path)
    with pytest.raises(CorpusError, match="more than one column named 'text'"):
        load_corpus(path)


# ---------------------------------------------------------------------------------------------
# dates and labels


def dated(tmp_path, dates, **options):
    path = tmp_path / "d.csv"
    pd.DataFrame({"text": [f"{BODY} {i}" for i in range(len(dates))], "date": dates}) \
        .to_csv(path, index=False)
    corpus = load_corpus(path, **options)
    return corpus["date"].dt.strftime("%Y-%m-%d").tolist(), load_report(corpus)


def test_day_month_order_is_one_rule_per_column(tmp_path):
    days, report = dated(tmp_path, ["03/04/2015", "15/03/2015", "01/02/2015"])
    assert days == ["2015-04-03", "2015-03-15", "2015-02-01"]  # the column proves day-first
    days, report = dated(tmp_path, ["03/04/2015", "01/02/2015"])
    assert days == ["2015-03-04", "2015-01-02"]
    assert report.warnings["ambiguous day/month dates (read month-first; pass dayfirst=True "
                           "for day-first)"] == 2
    days, _ = dated(tmp_path, ["03/04/2015", "01/02/2015"], dayfirst=True)
    assert days == ["2015-04-03", "2015-02-01"]
    days, report = dated(tmp_path, ["03/04/2015", "15/03/2015", "16/03/2015", "03/20/2015"])
    assert days[:3] == ["2015-04-03", "2015-03-15", "2015-03-16"] and days[3] != days[3]
    assert report.warnings["dates contradicting the column's day/month order (set to NaT)"] == 1


def test_partial_dates_follow_the_stated_rule(tmp_path):
    days, report = dated(tmp_path, ["2015", "March 2015", "2015-03", "2015-03-04", "soon"])
    assert days[1:4] == ["2015-03-01", "2015-03-01", "2015-03-04"]
    assert pd.isna(days[0]) and pd.isna(days[4])
    assert report.warnings["dates with only a year (set to NaT: too coarse for a month)"] == 1
    assert report.warnings["dates with no day (set to the 1st of the month)"] == 2
    assert report.warnings["dates without a year (set to NaT)"] == 1  # "soon"


def test_label_names_match_decimals_and_unnamed_values_are_counted(tmp_path):
    path = tmp_path / "t.csv"
    pd.DataFrame({"text": [f"{BODY} {i}" for i in range(4)],
                  "label": ["1.0", "0.0", "1", "2"]}).to_csv(path, index=False)
    corpus = load_corpus(path, label_names={1: "credible", "0": "fake"})
    assert corpus["label"].tolist() == ["credible", "fake", "credible", "2"]
    report = load_report(corpus)
    assert report.warnings["labels written as decimals read as whole numbers (1.0 as 1)"] == 2
    assert report.warnings["label values with no name in label_names (kept as they are: "
                           "'2')"] == 1
    jsonl = tmp_path / "t.jsonl"
    jsonl.write_text("\n".join(json.dumps({"text": f"{BODY} {i}", "label": v})
                               for i, v in enumerate([1, "1", 1.0, 0])))
    assert load_corpus(jsonl)["label"].tolist() == ["1", "1", "1", "0"]


# ---------------------------------------------------------------------------------------------
# folders and files


def test_subfolders_are_read_and_every_skipped_path_is_counted(tmp_path):
    folder = write(tmp_path / "c", {
        "a.txt": article("A"), "sub/b.txt": article("B", BODY + " B."),
        "sub/deeper/c.txt": article("C", BODY + " C."), "notes.md": "x", ".hidden.txt": "x",
        "x.txt/inside.txt": article("D", BODY + " D."),
    })
    os.symlink(folder / "missing.txt", folder / "dangling.txt")
    os.symlink(folder, folder / "sub" / "loop")
    os.mkfifo(folder / "pipe.txt")
    corpus = load_corpus(folder)
    assert corpus["doc_id"].tolist() == ["a", "sub/b", "sub/deeper/c", "x.txt/inside"]
    report = load_report(corpus)
    assert report.dropped["dangling symbolic link"] == 1
    assert report.dropped["not a regular file (FIFO, socket or device)"] == 1
    assert report.warnings["skipped: symbolic link loop (folder already read)"] == 1
    assert report.warnings["skipped: hidden files and folders"] == 1
    assert report.warnings["skipped: files that are not articles (.txt, .html)"] == 1
    assert report.read == report.kept + report.dropped_total
    flat = load_corpus(folder, recursive=False)
    assert flat["doc_id"].tolist() == ["a"]
    flat_report = load_report(flat)
    assert flat_report.warnings["skipped: subfolders (not read: flat load)"] == 1
    assert flat_report.warnings["skipped: folder named like an article"] == 1


def test_names_differing_in_suffix_case_and_invalid_utf8_names(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "a.txt").write_text(article("A"), encoding="utf-8")
    (folder / "a.TXT").write_text(article("B", BODY + " Other."), encoding="utf-8")
    with open(os.path.join(os.fsencode(folder), b"caf\xe9.txt"), "wb") as handle:
        handle.write(article("C", BODY + " Third.").encode())
    corpus = load_corpus(folder)
    assert sorted(corpus["doc_id"]) == ["a.TXT", "a.txt", "caf\\xe9"]
    report = load_report(corpus)
    assert report.warnings["file names not valid UTF-8 (shown with \\x escapes)"] == 1
    print(report)  # printable
    analyse_corpus(corpus, cache=False).articles.to_parquet(tmp_path / "a.parquet")


def test_unreadable_file_is_dropped_by_name(tmp_path, monkeypatch):
    folder = write(tmp_path / "c", {"a.txt": article(), "b.txt": article("B", BODY + " B.")})
    real = type(folder).read_bytes

    def failing(path):
        if path.name == "b.txt":
            raise OSError(5, "Input/output error")
        return real(path)

    monkeypatch.setattr(type(folder), "read_bytes", failing)
    corpus = load_corpus(folder)
    assert corpus["doc_id"].tolist() == ["a"]
    assert load_report(corpus).examples["files that could not be read"] == [
        "b.txt (Input/output error)"]


def test_one_txt_article_is_a_corpus(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(article("One story") + "Stay Connected\n", encoding="utf-8")
    corpus = load_corpus(path)
    assert corpus[["doc_id", "title", "text"]].values.tolist() == [["story", "One story", BODY]]
    assert load_report(corpus).format == "one article file"


def test_separators_other_than_commas(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(f"title;text;source\nA;{BODY};X\n", encoding="utf-8")
    corpus = load_corpus(path)
    assert corpus.loc[0, "source"] == "X"
    assert load_report(corpus).warnings[
        "separator ';' recognised from the header (pass sep= to choose another)"] == 1
    piped = tmp_path / "p.csv"
    piped.write_text(f"title,text\nA,{BODY.replace(',', '')}\n", encoding="utf-8")
    assert load_corpus(piped, sep=",").loc[0, "title"] == "A"


@pytest.mark.parametrize("options, message", [
    ({"columns": ["text"]}, "columns= must map"),
    ({"columns": {"body": "text"}}, "not core columns"),
    ({"label_names": ["a"]}, "label_names= must map"),
    ({"label_names": "1=a"}, "label_names= must map"),
    ({"dayfirst": "yes"}, "dayfirst="),
    ({"sep": ";;"}, "sep= must be one character"),
    ({"encoding": "klingon"}, "not an encoding"),
    ({"format": "xls"}, "format="),
    ({"orient": "rows"}, "orient="),
    ({"boilerplate": "abc"}, "boilerplate= must be a list"),
    ({"boilerplate": ["("]}, "not a regular expression"),
])
def test_options_are_checked_before_reading(tmp_path, options, message):
    with pytest.raises(CorpusError, match=message):
        load_corpus(tmp_path / "does-not-matter.csv", **options)


def test_a_table_saved_as_txt_is_read_as_a_table(tmp_path):
    path = tmp_path / "export.txt"
    path.write_text(f"id\ttitle\ttext\n1\tA\t{BODY}\n2\tB\t{BODY} Two.\n", encoding="utf-8")
    corpus = load_corpus(path)
    assert corpus["title"].tolist() == ["A", "B"]
    assert load_report(corpus).warnings[
        "a .txt file with a table header read as a table (pass format='txt' for one article)"] == 1
    assert len(load_corpus(path, format="txt")) == 1


def test_html_pages_in_a_folder_are_articles(tmp_path):
    page = ("<html><head><title>Talks end</title><script>var x;</script></head><body>"
            "<nav>Home | World</nav><h1>Talks end</h1><p>The minister said the talks went "
            "well.</p><p>Second paragraph.</p></body></html>")
    folder = write(tmp_path / "c", {"story.html": page, "story.txt": article("Other")})
    corpus = load_corpus(folder).set_index("doc_id")
    assert sorted(corpus.index) == ["story.html", "story.txt"]
    assert corpus.loc["story.html", "title"] == "Talks end"
    assert corpus.loc["story.html", "text"] == ("The minister said the talks went well.\n\n"
                                                "Second paragraph.")


def test_json_lines_with_bad_lines_keep_the_good_ones_and_count_the_rest(tmp_path):
    from utils.scale import partition_corpus

    lines = [json.dumps({"text": f"{BODY} {i}"}) for i in range(4)]
    lines[1] = '{"text": "broken'
    lines[2] = "[1, 2]"
    path = tmp_path / "t.jsonl"
    path.write_text("\n".join(lines) + "\n\n", encoding="utf-8")
    corpus = load_corpus(path)
    assert corpus["doc_id"].tolist() == ["0", "1"]
    report = load_report(corpus)
    assert report.examples["JSON Lines: lines that are not valid JSON"] == ["line 2"]
    assert report.examples["JSON Lines: lines that are not JSON objects"] == ["line 3"]
    assert report.read == 4 == report.kept + report.dropped_total
    manifest = partition_corpus(path, tmp_path / "run", partition_size=2)
    assert manifest["report"]["read"] == 4 and manifest["report"]["kept"] == 2


def test_empty_tables_repeated_headers_and_label_case_variants(tmp_path):
    empty = tmp_path / "e.json"
    empty.write_text("[]", encoding="utf-8")
    with pytest.raises(CorpusError, match="no articles"):
        load_corpus(empty)
    path = tmp_path / "t.csv"
    path.write_text(f"text,label,text\n{BODY.replace(',', '')},Fake,x\nOther words here,fake,y\n",
                    encoding="utf-8")
    report = load_report(load_corpus(path))
    assert report.examples["columns sharing a name (the later ones renamed name.1, name.2 ...; "
                           "the first is used)"] == ["text"]
    reason = next(r for r in report.warnings if r.startswith("label values differing"))
    assert report.warnings[reason] == 2 and "'Fake', 'fake'" in reason


def test_links_to_folders_outside_the_corpus_are_not_followed(tmp_path):
    outside = write(tmp_path / "elsewhere", {"x.txt": article("X", BODY + " X.")})
    folder = write(tmp_path / "c", {"a.txt": article("A")})
    os.symlink(outside, folder / "link")
    os.symlink(tmp_path, folder / "up")
    corpus = load_corpus(folder)
    assert corpus["doc_id"].tolist() == ["a"]
    assert load_report(corpus).warnings[
        "skipped: symbolic link to a folder outside the corpus (not followed)"] == 2


def test_dates_without_a_year_are_not_given_the_year_of_the_run(tmp_path):
    days, report = dated(tmp_path, ["12:30", "10:00 AM", "now", "today", "March 3",
                                    "March 3, 2015", "20150304", "Tue, 03 Mar 2015 10:00:00 GMT"])
    assert all(pd.isna(d) for d in days[:5])
    assert days[5:] == ["2015-03-03", "2015-03-04", "2015-03-03"]
    assert report.warnings["dates without a year (set to NaT)"] == 5


@pytest.mark.parametrize("raw, encoding, start", [
    ('Costs: £5, €7, ¥9 — ±2%. "Fine", said Ms Ødegaard.'.encode("cp1252"), "cp1252",
     "Costs: £5, €7, ¥9 —"),
    (b"caf\xe9" * 30 + b" economy", "cp1252", "cafécafé"),
    ("Zażółć gęślą jaźń, powiedział minister w poniedziałek".encode("cp1250"), "cp1250",
     "Zażółć gęślą"),
    ("Ο πρόεδρος είπε ότι ο πόλεμος τελείωσε και οι στρατιώτες.".encode("cp1253"), "cp1253",
     "Ο πρόεδρος"),
    ("Hello café world, the mayor said.".encode("utf-32-le"), "utf-32-le", "Hello café"),
    ("Hello café world, the mayor said.".encode("utf-32-be"), "utf-32-be", "Hello café"),
    (("The mayor said the café opened. " * 10).encode() + b"\x00", "utf-8", "The mayor"),
])
def test_decoding_by_evidence(raw, encoding, start):
    decoded = decode_bytes(raw)
    assert (decoded.encoding, decoded.text[: len(start)]) == (encoding, start)


def test_mostly_utf8_with_a_stray_line_stays_utf8_and_counts_the_loss(tmp_path):
    raw = ("title,text\n" + "A,Café au lait and a naïve résumé said the mayor\n" * 5).encode()
    raw += "B,A last line about the café\n".encode("cp1252")
    path = tmp_path / "mixed.csv"
    path.write_bytes(raw)
    corpus = load_corpus(path, drop_duplicates=False)
    assert corpus["text"].iloc[0] == "Café au lait and a naïve résumé said the mayor"
    lost = "texts holding U+FFFD (characters lost before loading)"
    assert load_report(corpus).warnings[lost] == 1
    folder = write(tmp_path / "c", {"a.txt": raw.replace(b",", b" ")})
    text = load_corpus(folder).loc[0, "text"]
    assert "naïve" in text and "\ufffd" in text


@pytest.mark.parametrize("text, is_html", [
    ("The variable a<b and c>d, also x <i> y.", False),
    ("Use the <p> tag and the <br> tag for layout.", False),
    ("<p>Hello</p><p>World</p>", True),
    ("line<br>two<br>three<br>four", True),
    ("First paragraph<br>Second paragraph<br/>Third, said Jones.", True),
    ("<p>Unclosed para one<p>Unclosed para two said officials", True),
    ("<!-- comment -->Hidden? The mayor said yes.", True),
    ('[<a href=”https://example.com/a” target=”_blank”>A rally</a>.]', True),
    ("<!DOCTYPE html><html><body>x</body></html>", True),
])
def test_html_detection(text, is_html):
    from utils.corpus import looks_like_html

    assert looks_like_html(text) is is_html


def test_table_cells_stay_apart():
    from utils.corpus import html_to_text

    assert html_to_text("<table><tr><td>A</td><td>B</td></tr></table>") == "A B"


def test_one_line_files_and_untitled_html_keep_all_their_text(tmp_path):
    folder = write(tmp_path / "c", {
        "line.txt": BODY * 3, "frag.html": "<p>First paragraph here.</p><p>Second one.</p>",
        "br.txt": "Line one<br>line two<br>line three<br>line four",
    })
    corpus = load_corpus(folder).set_index("doc_id")
    assert corpus.loc["line", "text"] == BODY * 3 and pd.isna(corpus.loc["line", "title"])
    assert corpus.loc["frag", "text"] == "First paragraph here.\n\nSecond one."
    assert pd.isna(corpus.loc["frag", "title"])
    assert corpus.loc["br", "text"] == "Line one\nline two\nline three\nline four"
    assert load_report(corpus).examples["files of one line read as text without a title"] == [
        "line.txt"]


def test_an_article_whose_title_looks_like_a_header_stays_an_article(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text("Content, Context\n\nQuickly, officials said it was over.\nA second "
                    "paragraph, with one comma.\n", encoding="utf-8")
    corpus = load_corpus(path)
    assert corpus[["title", "text"]].values.tolist() == [[
        "Content, Context", "Quickly, officials said it was over.\nA second paragraph, with "
        "one comma."]]


def test_parquet_index_dates_and_json_layouts(tmp_path):
    frame = pd.DataFrame({"text": [BODY, BODY + " Two."]},
                         index=pd.Index(["x1", "x2"], name="id"))
    frame.to_parquet(tmp_path / "indexed.parquet")
    assert load_corpus(tmp_path / "indexed.parquet")["doc_id"].tolist() == ["x1", "x2"]
    split = tmp_path / "split.json"
    frame.reset_index().to_json(split, orient="split", index=False)
    assert load_corpus(split)["doc_id"].tolist() == ["x1", "x2"]
    records = tmp_path / "records.json"
    frame.reset_index().to_json(records, orient="records")
    for orient in ("index", "split", "table", "columns"):
        try:
            load_corpus(records, orient=orient)
        except CorpusError as error:
            assert "orient=" in str(error)


def test_parquet_dates_out_of_range_are_counted_not_fatal(tmp_path):
    import datetime

    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({"text": [BODY, BODY + " Two."],
                      "date": pa.array([datetime.date(1, 1, 1), datetime.date(2015, 3, 4)],
                                       type=pa.date32())})
    pq.write_table(table, tmp_path / "d.parquet")
    corpus = load_corpus(tmp_path / "d.parquet")
    assert pd.isna(corpus["date"].iloc[0])
    assert corpus["date"].iloc[1] == pd.Timestamp("2015-03-04")


@pytest.mark.parametrize("source", [None, 123, b"path", "", "  "])
def test_a_source_that_is_not_a_path_is_refused(source):
    with pytest.raises(CorpusError, match="must be a path or a built-in name"):
        load_corpus(source)


def test_special_files_as_the_source_are_refused_without_blocking(tmp_path):
    fifo = tmp_path / "f.txt"
    os.mkfifo(fifo)
    with pytest.raises(CorpusError, match="not a regular file"):
        load_corpus(fifo)
    device = tmp_path / "zero.txt"
    os.symlink("/dev/zero", device)
    with pytest.raises(CorpusError, match="not a regular file"):
        load_corpus(device)


def test_whole_number_labels_with_gaps_need_no_warning(tmp_path):
    path = tmp_path / "t.parquet"
    pd.DataFrame({"text": [BODY, BODY + " Two.", BODY + " Three."],
                  "label": [1, None, 0]}).to_parquet(path)
    corpus = load_corpus(path, label_names={"1": "credible", "0": "fake"})
    assert corpus["label"].tolist()[::2] == ["credible", "fake"]
    assert not any(r.startswith("labels written as decimals")
                   for r in load_report(corpus).warnings)


def test_an_english_article_opening_in_french_is_english():
    from utils.corpus import detect_language

    french = OTHER_LANGUAGES["fr"] + " " + OTHER_LANGUAGES["fr"]
    assert detect_language(french * 4) == "fr"
    assert detect_language(french * 2 + " " + BODY * 12) == "en"


def test_a_link_to_a_folder_is_the_loop_not_the_folder(tmp_path):
    folder = write(tmp_path / "c", {"sub/a.txt": article("A")})
    os.symlink(folder / "sub", folder / "a_link")  # sorts before "sub"
    corpus = load_corpus(folder)
    assert corpus["doc_id"].tolist() == ["sub/a"]
    assert load_report(corpus).examples["skipped: symbolic link loop (folder already read)"] == [
        "a_link"]


def test_pretty_printed_objects_one_after_another(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text("\n".join(json.dumps({"id": f"x{i}", "text": f"{BODY} {i}"}, indent=2)
                              for i in range(3)), encoding="utf-8")
    assert load_corpus(path)["doc_id"].tolist() == ["x0", "x1", "x2"]


def test_sourcing_rates_of_a_group_not_analysed_are_missing(tmp_path):
    from utils.attribution import corpus_attributions, quotes_per_1000_words

    path = tmp_path / "t.csv"
    pd.DataFrame({"text": [BODY, OTHER_LANGUAGES["fr"] * 2], "label": ["en", "fr"]}).to_csv(
        path, index=False)
    corpus = load_corpus(path)
    rates = quotes_per_1000_words(corpus, corpus_attributions(corpus), by="label")
    by_group = rates.set_index("group")
    assert by_group.loc["en", "attributions_per_1000_words"] > 0
    assert pd.isna(by_group.loc["fr", "attributions_per_1000_words"])
    assert by_group.loc["fr", "words"] == 0


def test_a_first_row_with_an_extra_field_is_refused_not_shifted(tmp_path):
    from utils.scale import partition_corpus

    path = tmp_path / "t.csv"
    path.write_text("title,text,date\nT1,Story one, said Smith about the roads.,2020-01-01\n"
                    "T2,Story two said Jones about schools.,2020-02-01\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="one field more than the header"):
        load_corpus(path)
    with pytest.raises(CorpusError, match="one field more than the header"):
        partition_corpus(path, tmp_path / "run")


def test_dayfirst_leaves_iso_dates_alone(tmp_path):
    days, _ = dated(tmp_path, ["13/04/2020", "2020-06-05", "2020-01-05", "2020-06-05T10:00:00"],
                    dayfirst=True)
    assert days == ["2020-04-13", "2020-06-05", "2020-01-05", "2020-06-05"]


def test_group_sizes_say_how_many_articles_have_no_group(tmp_path):
    from utils.compare import group_sizes, left_out_note

    path = tmp_path / "t.csv"
    pd.DataFrame({"text": [f"{BODY} {i}" for i in range(4)],
                  "date": ["2015-03-04", "2015-04-01", None, "soon"]}).to_csv(path, index=False)
    sizes = group_sizes(load_corpus(path), "month")
    assert sizes["articles"].sum() == 2
    assert left_out_note(sizes) == ("2 articles without a month value left out of every "
                                    "comparison below.")


# a paragraph each of the languages that share short words with English ("a", "in", "is",
# "was", "will", "die", "on", "to")
EUROPEAN = {
    "de": "Der Präsident sagte am Montag, dass der Krieg vorbei sei und die Soldaten bald nach "
          "Hause kommen würden. Was die Regierung jetzt will, ist eine Einigung mit den "
          "Nachbarn, die in der Stadt an einem Tisch sitzen. Es ist ein langer Weg.",
    "nl": "De president zei maandag dat de oorlog voorbij is en dat de soldaten snel naar huis "
          "komen. Het is een lange weg, maar de regering wil een akkoord met de buren in de "
          "stad. Dat was het plan van het kabinet.",
    "es": "El presidente dijo el lunes que la guerra ha terminado y que los soldados volverán "
          "a casa. Es un camino largo, pero el gobierno quiere un acuerdo con los vecinos de "
          "la ciudad a partir de la próxima semana.",
    "pl": "Prezydent powiedział w poniedziałek, że wojna się skończyła i żołnierze wkrótce "
          "wrócą do domu. To jest długa droga, ale rząd chce porozumienia z sąsiadami.",
}


def test_the_english_fast_path_takes_english_and_no_other_language():
    from utils.corpus import detect_language
    from utils.corpus.language import _plainly_english

    assert _plainly_english(BODY * 3)
    for code, text in {**EUROPEAN, **OTHER_LANGUAGES}.items():
        assert not _plainly_english(text * 3), code
    for code, text in EUROPEAN.items():
        assert detect_language(text * 3) == code
    # a few words of English in a German text do not make it English
    mixed = EUROPEAN["de"] + " He said that the war was over. " + EUROPEAN["de"]
    assert not _plainly_english(mixed) and detect_language(mixed) == "de"


def test_dates_read_by_the_columns_format_equal_those_read_one_by_one():
    from utils.corpus import dates

    columns = [
        ["26-FEB-1987 15:01:01.79", "9-APR-1987 00:00:00.00    # guess", "1-MAR-1987 01:02:03.04",
         "March 3, 2015", None, "31-MAR-1987 605:12:19.12"],
        ["2015-03-04", "2015-03-04T10:00:00Z", "2016-02-29 12:00",
         "Tue, 03 Mar 2015 10:00:00 +0100"],
        ["March 3, 2015", "April 30, 2016", "3 March 2015", "2015-03-04"],
        ["03/04/2015", "04/03/2015", "13/01/2015"],  # a %m/%d guess is ambiguous: not used
    ]
    for values in columns:
        series = pd.Series(values, dtype="string")
        one_by_one = pd.to_datetime(series, errors="coerce", utc=True, format="mixed")
        assert dates._read_mixed(series).equals(one_by_one), values
    assert dates._column_format(pd.Series(columns[0])) == "%d-%b-%Y %H:%M:%S.%f"
    assert dates._column_format(pd.Series(columns[3])) is None
    assert not dates._unambiguous("%d/%m/%Y") and dates._unambiguous("%Y-%m-%d %H:%M")
