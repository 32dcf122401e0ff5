"""The out-of-core partitioning (utils.scale.partition_corpus) loads exactly what load_corpus
loads: the same rows, doc_ids, dates, labels and load report, whatever the partition size."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from utils import scale
from utils.corpus import CorpusError, load_corpus, load_report

SENTENCES = [
    "The minister said the plan would fail, and critics agreed with him.",
    "Markets rose sharply on Monday after the announcement of new rules.",
    "The storm destroyed dozens of homes along the northern coast.",
    "Talks will resume next week in Geneva, officials said on Friday.",
    "The company reported record profits for the third quarter running.",
    "Residents were angry and afraid after the night of violence.",
    "Troops withdrew from the northern province after the agreement.",
    "Prices fell for a third month as demand for oil weakened.",
    "The park reopened to happy crowds after a long renovation.",
    "Police arrested two men after a chase through the city centre.",
    "The court ruled that the law was against the constitution.",
    "Farmers protested outside parliament against the new taxes.",
]
SIZES = (1, 2, 3, None)  # None: the whole table in one partition


@pytest.fixture(autouse=True)
def _no_memory_release(monkeypatch):
    """A garbage collection after every partition (scale.release_memory) is most of the time
    of these many tiny partitions, and nothing the loading depends on."""
    monkeypatch.setattr(scale, "release_memory", lambda: None)


def texts(n: int) -> list[str]:
    """``n`` distinct English texts of two sentences."""
    return [f"{SENTENCES[i % len(SENTENCES)]} {SENTENCES[(i * 5 + 1) % len(SENTENCES)]} "
            f"Story number {i}." for i in range(n)]


def write(frame: pd.DataFrame, path) -> None:
    if path.suffix == ".csv":
        frame.to_csv(path, index=False)
    elif path.suffix == ".jsonl":
        records = [{k: None if pd.isna(v) else v for k, v in row.items()}  # null
                   for row in frame.to_dict("records")]
        path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    else:
        frame.to_parquet(path, index=False)


def partitioned(source, out, size: int, **options) -> tuple[pd.DataFrame, dict]:
    manifest = scale.partition_corpus(source, out, partition_size=size, overwrite=True,
                                      **options)
    parts = [pd.read_parquet(out / "corpus" / f"{p['name']}.parquet")
             for p in manifest["partitions"]]
    return pd.concat(parts, ignore_index=True), manifest


def assert_loads_alike(source, tmp_path, sizes=SIZES, **options) -> pd.DataFrame:
    """The partitioned corpus and its report equal load_corpus's for every partition size."""
    load_options = {k: options.pop(k) for k in ("dayfirst", "sep", "encoding", "format")
                    if k in options}
    whole = load_corpus(source, **options, **load_options)
    expected = load_report(whole).as_dict()
    for size in sizes:
        size = size or len(whole) + 5
        got, manifest = partitioned(source, tmp_path / f"out-{size}", size,
                                    load_options=load_options, **options)
        assert_same_frame(got, whole, f"partition_size={size}")
        assert manifest["report"] == expected, f"partition_size={size}"
    return whole


def assert_same_frame(got: pd.DataFrame, whole: pd.DataFrame, what: str) -> None:
    """Same columns, rows and values; same types, except that a column of texts read back
    from Parquet has pandas' string type where the loaded frame holds them as objects, and
    Parquet keeps one missing value (None) where an object column held None or NaN."""
    got, whole = got.copy(), whole.copy()
    for column in [c for c in whole.columns if whole[c].dtype == object and c in got]:
        for frame in (got, whole):
            values = frame[column].astype(object)
            frame[column] = values.where(values.notna(), None)
    pd.testing.assert_frame_equal(got, whole, check_dtype=False, obj=what)
    for column in whole.columns:
        if got[column].dtype != whole[column].dtype:
            assert pd.api.types.is_string_dtype(got[column]), (what, column)
            assert pd.api.types.is_string_dtype(whole[column]), (what, column)


def reproduction_frame() -> pd.DataFrame:
    return pd.DataFrame({"id": ["2", "a", "a", "b"],
                         "date": ["15/03/2015", "03/04/2015", "04/05/2015", "03/13/2015"],
                         "label": ["Fake", "fake", "real", "Real"], "text": texts(4)})


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".parquet"])
def test_the_reproduction_loads_alike(tmp_path, suffix):
    source = tmp_path / f"r{suffix}"
    write(reproduction_frame(), source)
    whole = assert_loads_alike(source, tmp_path)
    assert whole["doc_id"].tolist() == ["0", "1", "2", "3"]
    assert whole["date"].tolist()[1:] == [pd.Timestamp("2015-03-04"), pd.Timestamp("2015-04-05"),
                                          pd.Timestamp("2015-03-13")]
    report = load_report(whole)
    assert report.warnings["ids in column 'id' not unique; doc_id is the row number"] == 1
    assert "doc_id" not in report.column_mapping
    assert report.warnings["label values differing only in case or spacing (kept apart: "
                           "'Fake', 'fake', 'Real', 'real')"] == 4


def test_day_and_month_first_dates_in_different_partitions(tmp_path):
    # the first partitions prove day-first, the later ones (the majority) month-first
    dates = ["15/03/2015", "20/04/2015", "03/04/2015", "05/06/2015", "04/13/2015",
             "06/14/2015", "07/15/2015", "01/02/2015", "2015-03-01", "", "March 2015", "2015"]
    frame = pd.DataFrame({"doc_id": [f"d{i}" for i in range(12)], "date": dates,
                          "text": texts(12)})
    for suffix in (".csv", ".jsonl", ".parquet"):
        source = tmp_path / f"dates{suffix}"
        write(frame, source)
        whole = assert_loads_alike(source, tmp_path)
        assert whole.loc[2, "date"] == pd.Timestamp("2015-03-04")  # month-first by majority
        assert pd.isna(whole.loc[0, "date"])  # proven day-first: contradicts, NaT
        assert load_report(whole).warnings[
            "date columns with both day-first and month-first dates (read month-first by "
            "majority)"] == 1
        assert_loads_alike(source, tmp_path, sizes=(2, None), dayfirst=True)


def test_ambiguous_dates_only(tmp_path):
    frame = pd.DataFrame({"date": ["03/04/2015", "05/06/2015", "07/07/2015", "08/09/2015"],
                          "text": texts(4)})
    write(frame, tmp_path / "a.csv")
    whole = assert_loads_alike(tmp_path / "a.csv", tmp_path)
    assert load_report(whole).examples[
        "ambiguous day/month dates (read month-first; pass dayfirst=True for day-first)"] == [
        "0: '03/04/2015'", "1: '05/06/2015'", "3: '08/09/2015'"]


def test_ids_repeated_across_partitions_become_row_numbers_everywhere(tmp_path):
    frame = pd.DataFrame({"id": ["x", "y", "z", "w", "x", "v"], "text": texts(6)})
    for suffix in (".csv", ".jsonl", ".parquet"):
        source = tmp_path / f"ids{suffix}"
        write(frame, source)
        whole = assert_loads_alike(source, tmp_path)
        assert whole["doc_id"].tolist() == ["0", "1", "2", "3", "4", "5"]
        assert whole["original_id"].tolist() == frame["id"].tolist()


def test_unique_ids_are_kept_and_blank_ids_give_row_numbers(tmp_path):
    frame = pd.DataFrame({"id": [f"n{i}" for i in range(7)], "text": texts(7)})
    write(frame, tmp_path / "unique.csv")
    whole = assert_loads_alike(tmp_path / "unique.csv", tmp_path)
    assert whole["doc_id"].tolist() == frame["id"].tolist()
    frame.loc[5, "id"] = " "
    write(frame, tmp_path / "blank.csv")
    whole = assert_loads_alike(tmp_path / "blank.csv", tmp_path)
    assert whole["doc_id"].tolist() == [str(i) for i in range(7)]


def test_duplicate_texts_within_and_across_partitions(tmp_path):
    body = texts(9)
    body[4] = body[0]  # across partitions for sizes 1-3
    body[5] = body[4]
    body[7] = body[6]  # next to each other
    body[8] = "  ...  "  # no letters
    frame = pd.DataFrame({"doc_id": [f"a{i}" for i in range(9)], "text": body})
    for suffix in (".csv", ".jsonl", ".parquet"):
        source = tmp_path / f"dups{suffix}"
        write(frame, source)
        whole = assert_loads_alike(source, tmp_path)
        report = load_report(whole)
        assert report.dropped["exact duplicate text (first kept)"] == 3
        assert report.examples["exact duplicate text (first kept)"] == ["a4", "a5", "a7"]
    assert_loads_alike(tmp_path / "dups.csv", tmp_path, sizes=(2,), drop_duplicates=False)


def test_label_case_variants_and_names_across_partitions(tmp_path):
    labels = ["Fake", "real", "REAL", "fake ", "satire", "Real", "1.0", "1", None, "NA"]
    frame = pd.DataFrame({"doc_id": [f"l{i}" for i in range(10)], "label": labels,
                          "text": texts(10)})
    for suffix in (".csv", ".jsonl", ".parquet"):
        source = tmp_path / f"labels{suffix}"
        write(frame, source)
        whole = assert_loads_alike(source, tmp_path)
        reasons = [r for r in load_report(whole).warnings if r.startswith("label values")]
        assert reasons == ["label values differing only in case or spacing (kept apart: "
                           "'Fake', 'fake', 'REAL', 'Real', 'real')"]
        assert_loads_alike(source, tmp_path, sizes=(1, 3),
                           label_names={"fake": "false", "real": "true", "1": "one"})


def test_missing_values(tmp_path):
    frame = pd.DataFrame({
        "id": [f"m{i}" for i in range(8)],
        "title": ["A title", None, "null", "", "Another", None, "-", "Last"],
        "date": ["2015-03-04", None, "", "NA", "03/15/2015", "2016-01-02", None, "12:30"],
        "source": ["Daily A", None, "n/a", "Daily B", "", "Daily A", None, "Daily C"],
        "label": ["x", None, "y", "NA", "", "x", None, "y"],
        "text": texts(8),
    })
    frame.loc[3, "text"] = None  # a missing text: dropped
    frame.loc[6, "text"] = "null"  # a missing-value marker: dropped
    for suffix in (".csv", ".jsonl", ".parquet"):
        source = tmp_path / f"missing{suffix}"
        write(frame, source)
        assert_loads_alike(source, tmp_path)


def test_json_lines_fields_missing_from_some_lines_and_numbers_with_gaps(tmp_path):
    rows = [{"text": t} for t in texts(7)]
    rows[0]["label"] = 1
    rows[1]["label"] = 0
    rows[4]["label"] = 1  # labels missing from some lines: a float column in the whole file
    rows[5]["label"] = None
    rows[3]["score"] = 2  # a field only in a later line
    rows[6]["flag"] = True
    rows[2]["flag"] = None
    for i in range(3, 7):
        rows[i]["id"] = f"late{i}"  # ids missing from the first lines: row numbers
    path = tmp_path / "fields.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    whole = assert_loads_alike(path, tmp_path)
    assert whole["label"].tolist()[:2] == ["1", "0"]
    assert list(whole.columns[7:]) == ["flag", "score", "original_id"]


def test_json_lines_with_bad_lines_and_a_cell_that_is_not_text(tmp_path):
    lines = [json.dumps({"id": "a", "date": "13/02/2015", "text": 12}),  # refused: no vote
             json.dumps({"id": "b", "date": "02/13/2015", "text": texts(1)[0]}),
             "{not json",
             json.dumps({"id": "c", "date": "03/04/2015", "text": texts(2)[1]}),
             "[1, 2]",
             json.dumps({"id": "d", "date": "13/04/2015", "text": ["a", "list"]}),
             json.dumps({"id": "e", "date": "05/06/2015", "text": texts(3)[2]})]
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    whole = assert_loads_alike(path, tmp_path)
    assert whole["date"].tolist()[1] == pd.Timestamp("2015-03-04")  # month-first: 1 vote to 0


def test_parquet_with_gaps_in_numbers_and_true_false_and_an_index(tmp_path):
    frame = pd.DataFrame({"text": texts(6), "label": [1, 0, None, 1, 0, 1],
                          "flag": [True, False, None, True, True, False],
                          "count": pd.array([1, 2, None, 4, 5, 6], dtype="Int64")})
    frame.index = pd.Index([f"p{i}" for i in range(6)], name="doc_id")
    frame.to_parquet(tmp_path / "indexed.parquet")
    whole = assert_loads_alike(tmp_path / "indexed.parquet", tmp_path)
    assert whole["doc_id"].tolist() == [f"p{i}" for i in range(6)]
    named = frame.reset_index(drop=True).rename_axis("row")
    named.to_parquet(tmp_path / "ranged.parquet")
    whole = assert_loads_alike(tmp_path / "ranged.parquet", tmp_path)
    assert whole["row"].tolist() == list(range(6))
    # ids in an index without a name, or in a named row-number index, named by columns=
    unnamed = frame.reset_index(drop=True)
    unnamed.index = pd.Index([f"u{i}" for i in range(6)])
    unnamed.to_parquet(tmp_path / "unnamed.parquet")
    whole = assert_loads_alike(tmp_path / "unnamed.parquet", tmp_path,
                               columns={"doc_id": "index"})
    assert whole["doc_id"].tolist() == [f"u{i}" for i in range(6)]
    whole = assert_loads_alike(tmp_path / "ranged.parquet", tmp_path, sizes=(4,),
                               columns={"doc_id": "row"})
    assert whole["doc_id"].tolist() == [str(i) for i in range(6)]
    assert "ids in column 'row' not unique; doc_id is the row number" not in (
        load_report(whole).warnings)


def test_languages_counted_after_duplicates_across_partitions(tmp_path):
    french = ("Le gouvernement a annoncé hier une nouvelle réforme des retraites, qui sera "
              "présentée au parlement la semaine prochaine malgré les protestations.")
    german = ("Die Regierung hat gestern eine neue Reform angekündigt, die in der nächsten "
              "Woche dem Parlament vorgelegt werden soll, trotz der Proteste.")
    body = [french, texts(1)[0], "Short.", german, french, "Short.", "Tiny one."]
    frame = pd.DataFrame({"doc_id": [f"g{i}" for i in range(7)], "text": body})
    write(frame, tmp_path / "languages.csv")
    whole = assert_loads_alike(tmp_path / "languages.csv", tmp_path)
    assert any(r.startswith("not English") for r in load_report(whole).warnings)


def test_csv_columns_sharing_a_name_and_a_separator(tmp_path):
    body = texts(4)
    lines = ["date;text;date;id"] + [f"0{i + 1}/13/2015;{t};x;{i}" for i, t in enumerate(body)]
    (tmp_path / "semi.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    whole = assert_loads_alike(tmp_path / "semi.csv", tmp_path)
    assert "date.1" in whole.columns


def test_a_text_column_without_text_is_refused_like_load_corpus(tmp_path):
    numbers = ["123", "456", "7.5", "-", "99", "1000", "2 000", "12", "13", "14", "15", "16"]
    frame = pd.DataFrame({"text": numbers + ["Words."]})  # 1 in 12 filled cells has letters
    write(frame, tmp_path / "numbers.csv")
    with pytest.raises(CorpusError) as expected:
        load_corpus(tmp_path / "numbers.csv")
    for size in (1, 3, 20):
        with pytest.raises(CorpusError) as got:
            scale.partition_corpus(tmp_path / "numbers.csv", tmp_path / f"n{size}",
                                   partition_size=size)
        assert str(got.value) == str(expected.value)
    # a column that holds text, with a partition of numbers only: loaded as a whole
    frame = pd.DataFrame({"text": ["1", "2", "3", "4", "5", "6"] + texts(60)})
    write(frame, tmp_path / "mostly.csv")
    assert_loads_alike(tmp_path / "mostly.csv", tmp_path, sizes=(6,))


def test_the_survey_reads_only_the_id_and_date_columns(tmp_path, monkeypatch):
    write(reproduction_frame(), tmp_path / "r.csv")
    write(reproduction_frame(), tmp_path / "r.parquet")
    seen = []
    original = scale.iter_table_chunks

    def spy(*args, **kwargs):
        seen.append(kwargs.get("columns"))
        return original(*args, **kwargs)

    monkeypatch.setattr(scale, "iter_table_chunks", spy)
    for suffix in (".csv", ".parquet"):
        seen.clear()
        scale.partition_corpus(tmp_path / f"r{suffix}", tmp_path / f"o{suffix}",
                               partition_size=2)
        assert seen == [["id", "date"], None]  # the survey, then the chunks to tidy
        seen.clear()
        scale.partition_corpus(tmp_path / f"r{suffix}", tmp_path / f"d{suffix}",
                               partition_size=2, load_options={"dayfirst": False})
        assert seen == [["id"], None]


def test_json_lines_files_that_are_json_documents_are_loaded_whole(tmp_path):
    records = [{"id": f"j{i}", "text": t} for i, t in enumerate(texts(5))]
    pretty = tmp_path / "pretty.jsonl"  # objects over several lines each
    pretty.write_text("\n".join(json.dumps(r, indent=2) for r in records) + "\n",
                      encoding="utf-8")
    array = tmp_path / "array.jsonl"  # one JSON array
    array.write_text(json.dumps(records), encoding="utf-8")
    for source in (pretty, array):
        assert not scale._is_streamed(source)
        whole = assert_loads_alike(source, tmp_path, sizes=(2,))
        assert whole["doc_id"].tolist() == [f"j{i}" for i in range(5)]
    assert scale._is_streamed(tmp_path / "lines.jsonl") is False  # no such file
    write(pd.DataFrame(records), tmp_path / "lines.jsonl")
    assert scale._is_streamed(tmp_path / "lines.jsonl")
