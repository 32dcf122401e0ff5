"""Random bytes, encodings and table shapes thrown at the loader and the per-article analysis.

Each outcome must be either a frame whose load report accounts for every input (read = kept +
dropped, one row per kept article) that the analysis then runs on, or the project's own
:class:`~utils.corpus.CorpusError` with a message: never a library's traceback, never an
uncounted drop.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from utils.corpus import CorpusError, load_corpus, load_report
from utils.pipeline import analyse_corpus

ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1252",
             "cp1251", "latin-1")
WORDS = st.sampled_from([
    "The", "minister", "said", "talks", "went", "well", "Café", "naïve", "Президент", "总统",
    "قال", "according", "to", "officials", '"We agree,"', "he", "told", "Reuters.", "<p>",
    "</p>", "<script>x</script>", "NA", "null", "12", "3.5", "\n", "\n\n", ";", ",", "|", "\t",
    "Stay Connected", "&amp;", "\ufffd", "\x00", "é", "’s",
])
TEXTS = st.one_of(st.lists(WORDS, max_size=30).map(" ".join), st.text(max_size=80))
CELLS = st.one_of(TEXTS, st.none(), st.integers(-5, 10**6), st.floats(allow_nan=True),
                  st.booleans(), st.lists(st.integers(), max_size=2))
#: FUZZ_EXAMPLES=400 in the environment runs a longer search.
SETTINGS = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", 40)), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def check_outcome(source, expected_inputs: int | None = None, **options) -> None:
    """The loader either refuses with its own error or accounts for every input; the
    analysis then runs on what was kept."""
    try:
        corpus = load_corpus(source, **options)
    except CorpusError as error:
        assert str(error).strip()
        return
    report = load_report(corpus)
    assert report.kept == len(corpus)
    assert report.read == report.kept + report.dropped_total, str(report)
    if expected_inputs is not None:
        assert report.read == expected_inputs, str(report)
    assert corpus["doc_id"].is_unique
    assert corpus["text"].map(lambda t: isinstance(t, str) and t != "").all()
    str(report).encode("utf-8")  # printable
    results = analyse_corpus(corpus, cache=False)
    assert results.articles["doc_id"].tolist() == corpus["doc_id"].astype(str).tolist()
    assert results.failures.empty, results.failures.to_dict("records")
    for row in results.attributions.itertuples():
        text = corpus.set_index("doc_id").loc[row.doc_id, "text"]
        assert 0 <= row.content_start <= row.content_end <= len(text)


@SETTINGS
@given(files=st.lists(
    st.tuples(st.one_of(st.binary(max_size=300), st.tuples(TEXTS, st.sampled_from(ENCODINGS))),
              st.sampled_from([".txt", ".TXT", ".md", ".txt"])),
    min_size=1, max_size=5))
def test_folders_of_random_files(files):
    with tempfile.TemporaryDirectory() as folder:
        articles = 0
        for index, (content, suffix) in enumerate(files):
            if isinstance(content, tuple):
                text, encoding = content
                try:
                    content = text.encode(encoding)
                except UnicodeEncodeError:
                    content = text.encode("utf-8")
            (Path(folder) / f"f{index}{suffix}").write_bytes(content)
            articles += suffix.lower() == ".txt"
        check_outcome(folder, expected_inputs=articles if articles else None)


@SETTINGS
@given(rows=st.lists(st.dictionaries(st.sampled_from(["text", "title", "label", "date", "id",
                                                      "body", "x"]), CELLS, max_size=5),
                     min_size=1, max_size=6),
       encoding=st.sampled_from(ENCODINGS), sep=st.sampled_from([",", ";", "\t", "|"]))
def test_csv_tables_of_random_shapes_and_encodings(rows, encoding, sep):
    frame = pd.DataFrame(rows)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.csv"
        try:
            frame.to_csv(path, index=False, sep=sep, encoding=encoding)
        except UnicodeEncodeError:
            frame.to_csv(path, index=False, sep=sep, encoding="utf-8")
        check_outcome(path)


@SETTINGS
@given(rows=st.lists(st.dictionaries(st.sampled_from(["text", "title", "label", "date", "id"]),
                                     CELLS, max_size=5), min_size=0, max_size=6),
       shape=st.sampled_from(["lines", "array", "columns", "garbage"]))
def test_json_of_random_shapes(rows, shape):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("t.jsonl" if shape == "lines" else "t.json")
        clean = [{k: (None if isinstance(v, float) and v != v else v) for k, v in r.items()}
                 for r in rows]
        if shape == "lines":
            path.write_text("\n".join(json.dumps(r) for r in clean), encoding="utf-8")
        elif shape == "array":
            path.write_text(json.dumps(clean), encoding="utf-8")
        elif shape == "columns":
            path.write_text(pd.DataFrame(clean).to_json(orient="columns"), encoding="utf-8")
        else:
            path.write_text(json.dumps(clean)[:-1] + "{", encoding="utf-8")
        check_outcome(path)


@SETTINGS
@given(texts=st.lists(CELLS, min_size=1, max_size=6))
def test_parquet_with_random_cells(texts):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.parquet"
        try:
            pd.DataFrame({"text": pd.Series(texts, dtype=object)}).to_parquet(path)
        except Exception:  # pyarrow refuses mixed types: the file cannot exist, nothing to test
            return
        check_outcome(path, expected_inputs=len(texts))
