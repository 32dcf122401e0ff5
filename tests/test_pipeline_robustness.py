"""The per-article pipeline on awkward input: repeated doc_ids, caches it cannot use, corpora
whose articles are not English (summary, keyness, comparisons, notebooks and the main job),
and one long sentence holding thousands of attributions."""

from __future__ import annotations

import json
import random
import re
import sqlite3
import time
import warnings
from pathlib import Path

import pandas as pd
import pytest
from conftest import load_benchmark

from utils import analyze, attribution, compare, paths, pipeline
from utils import frequencies as freq
from utils import frequency_plots as fplots
from utils import text as text_utils
from utils.attribution import document as attribution_document
from utils.corpus import CorpusError, load_corpus
from utils.pipeline import CacheError, ResultCache, analyse_corpus

ENGLISH = [
    "The president said the war was over and that the soldiers would soon come home.",
    "According to the minister, the negotiations are moving slowly but surely in Paris.",
    '"We will not give in," the government spokeswoman said on Tuesday evening.',
    "Energy prices rose again this month across the whole region, officials said.",
    "Unions called for another day of strikes next Thursday, their leader told reporters.",
    "The city announced that schools would close because of the bad weather.",
]
FRENCH = [
    "Le président a dit que la guerre était finie et que les soldats rentreraient bientôt.",
    "Selon le ministre, les négociations avancent lentement mais sûrement à Paris.",
    "« Nous ne céderons pas », a déclaré la porte-parole du gouvernement mardi soir.",
    "Les prix de l'énergie ont encore augmenté ce mois-ci dans toute la région.",
    "Les syndicats appellent à une nouvelle journée de grève pour jeudi prochain.",
    "La municipalité a annoncé la fermeture des écoles en raison des intempéries.",
    "D'après les experts, la croissance économique restera faible l'année prochaine.",
]


def _article(pool: list[str], rng: random.Random) -> str:
    return " ".join(rng.sample(pool, 6))


def _write_csv(path: Path, languages: list[str], labels: list[str]) -> Path:
    rng = random.Random(0)
    pd.DataFrame({
        "title": [f"Article {i}" for i in range(len(labels))],
        "text": [_article(FRENCH if lang == "fr" else ENGLISH, rng) for lang in languages],
        "label": labels,
    }).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    """Three CSV corpora of 30 articles: all French (labels a/b); half English and half French
    (labels a/b, both with English articles); three labels, "c" only French."""
    root = tmp_path_factory.mktemp("languages")
    return {
        "french": _write_csv(root / "french.csv", ["fr"] * 30, ["a", "b"] * 15),
        "mixed": _write_csv(root / "mixed.csv", ["en", "fr"] * 15,
                            ["a", "a", "b", "b", "a", "b"] * 5),
        "three": _write_csv(root / "three.csv", ["en", "fr"] * 15,
                            [("a" if i % 4 == 0 else "b") if i % 2 == 0 else "c"
                             for i in range(30)]),
    }


@pytest.fixture(scope="module")
def corpora(tables):
    return {name: load_corpus(path) for name, path in tables.items()}


SMALL = pd.DataFrame({
    "doc_id": ["d0", "d1", "d2"],
    "title": ["One", "Two", "Three"],
    "text": ['"We will win," Smith told reporters.', "Officials said the talks failed.",
             "Prices fell sharply on Monday."],
})


# ---------------------------------------------------------------------------------------------
# repeated doc_ids


def test_repeated_doc_ids_are_refused_before_any_work(tmp_path):
    twice = pd.concat([SMALL, SMALL.iloc[:2]], ignore_index=True)
    cache = tmp_path / "cache.sqlite"
    with pytest.raises(ValueError) as raised:
        analyse_corpus(twice, cache=cache)
    message = str(raised.value)
    assert "unique doc_id" in message and "2 ids repeat ('d0', 'd1')" in message
    assert "concatenating corpora" in message
    assert not cache.exists()  # nothing was opened or analysed
    # ids equal as text are the same id; more than five repeats are elided
    mixed_types = pd.DataFrame({"doc_id": [1, "1"], "text": ["A text.", "Another text."]})
    with pytest.raises(ValueError, match=r"1 id repeat \('1'\)"):
        analyse_corpus(mixed_types, cache=False)
    many = pd.concat([SMALL.assign(doc_id=[f"x{i}" for i in range(3)])] * 2 + [
        SMALL.assign(doc_id=[f"y{i}" for i in range(3)])] * 2, ignore_index=True)
    with pytest.raises(ValueError, match=r"6 ids repeat \('x0', 'x1', 'x2', 'y0', 'y1', \.\.\.\)"):
        analyse_corpus(many, cache=False)


def test_the_suggested_prefixes_make_concatenated_corpora_analysable():
    a, b = SMALL, SMALL
    joined = pd.concat([a.assign(doc_id="a:" + a["doc_id"]), b.assign(doc_id="b:" + b["doc_id"])],
                       ignore_index=True)
    results = analyse_corpus(joined, cache=False)
    assert results.articles["doc_id"].tolist() == ["a:d0", "a:d1", "a:d2", "b:d0", "b:d1", "b:d2"]
    assert results.articles["attributions"].tolist()[:3] == results.articles[
        "attributions"].tolist()[3:]


# ---------------------------------------------------------------------------------------------
# caches that cannot be used as they are


@pytest.mark.parametrize("schema", [
    "CREATE TABLE results (key TEXT PRIMARY KEY, value BLOB)",
    "CREATE TABLE results (key TEXT PRIMARY KEY, payload BLOB, checksum BLOB NOT NULL)",
    "CREATE TABLE results (key TEXT, payload BLOB)",
])
def test_a_results_table_of_another_layout_is_moved_aside_and_rebuilt(schema, tmp_path, capsys):
    path = tmp_path / "pipeline.sqlite"
    connection = sqlite3.connect(path)
    connection.execute(schema)
    connection.execute("INSERT INTO results (key) SELECT 'old' WHERE 0")  # the layout only
    connection.commit()
    connection.close()
    clean = analyse_corpus(SMALL, cache=False)
    capsys.readouterr()
    results = analyse_corpus(SMALL, cache=path)
    warnings = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(warnings) == 1
    assert warnings[0].startswith(f"warning: the per-article cache {path} was damaged (its "
                                  "results table has the columns key, ")
    assert "another version's cache" in warnings[0] and "rebuilding" in warnings[0]
    assert path.with_name("pipeline.sqlite.damaged-1").exists()
    for name, table in clean.tables().items():
        pd.testing.assert_frame_equal(results.tables()[name], table)
    again = analyse_corpus(SMALL, cache=path)
    assert again.stats["from_cache"] == 3 and capsys.readouterr().err == ""


def test_a_cache_path_that_is_a_folder_says_so(tmp_path):
    folder = tmp_path / "pipeline.sqlite"
    folder.mkdir()
    with pytest.raises(CacheError) as raised:
        ResultCache(folder)
    assert str(raised.value).startswith(f"the per-article cache {folder} is a folder, not a "
                                        "cache file; ")
    assert isinstance(raised.value, CorpusError)
    with pytest.raises(CacheError, match="is a folder"):
        analyse_corpus(SMALL, cache=folder)


@pytest.mark.parametrize("below", ["pipeline.sqlite", "deeper/pipeline.sqlite"])
def test_a_cache_path_below_a_file_says_which_file(below, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file")
    with pytest.raises(CacheError) as raised:
        ResultCache(blocker / below)
    assert str(raised.value).startswith(
        f"the per-article cache {blocker / below} cannot be created: {blocker} is a file, not "
        "a folder; ")


def test_an_unopenable_cache_file_is_a_cache_error(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(pipeline.sqlite3, "connect", refuse)
    with pytest.raises(CacheError, match=r"cannot be opened \(OperationalError: unable to open"):
        ResultCache(tmp_path / "pipeline.sqlite")


@pytest.fixture
def default_cache_is_a_folder(tmp_path, monkeypatch):
    cache_dir = tmp_path / "cache"
    (cache_dir / "pipeline.sqlite").mkdir(parents=True)
    monkeypatch.setattr(paths, "CACHE_DIR", cache_dir)
    return cache_dir / "pipeline.sqlite"


def test_the_default_cache_path_gives_the_same_clear_error(default_cache_is_a_folder):
    with pytest.raises(CacheError) as raised:
        analyse_corpus(SMALL)
    message = str(raised.value)
    assert message.startswith(
        f"the default per-article cache {default_cache_is_a_folder} is a folder")
    assert "--no-cache" in message


def test_the_main_job_reports_an_unusable_cache_as_an_error(default_cache_is_a_folder,
                                                            tmp_path, capsys):
    corpus = tmp_path / "small.csv"
    SMALL.drop(columns="doc_id").to_csv(corpus, index=False)
    status = analyze.main([str(corpus), "--notebooks", "none", "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert status == 2
    assert err.startswith(f"error: the default per-article cache {default_cache_is_a_folder} "
                          "is a folder")
    assert "Traceback" not in err
    # without the cache the same run works
    assert analyze.main([str(corpus), "--notebooks", "none", "--out", str(tmp_path / "out"),
                         "--no-cache"]) == 0


# ---------------------------------------------------------------------------------------------
# corpora whose articles are not English


def test_keyness_of_a_group_without_words_says_why(corpora):
    french = freq.tokenize_corpus(corpora["french"])
    reason = freq.keyness_or_reason(french, "label", "a", min_count=5)
    assert reason == (
        "No keyness table or plot: the group 'a' has no words: its 15 articles are not English, "
        "so not analysed (fr 15); the group 'rest' has no words: its 15 articles are not "
        "English, so not analysed (fr 15); keyness needs words in both groups.")
    assert fplots.keyness_reason(reason) == reason
    with pytest.raises(freq.FrequencyError, match="The group 'b' has no words: its 15 articles "
                                                  r"are not English, so not analysed \(fr 15\)"):
        freq.keyness(french, "label", "b")
    three = freq.tokenize_corpus(corpora["three"])
    assert freq.keyness_problem(three, "label", "a", "c") == (
        "the group 'c' has no words: its 15 articles are not English, so not analysed (fr 15)")
    table = freq.keyness_or_reason(three, "label", "a", "b")
    assert isinstance(table, pd.DataFrame) and table.attrs["target_words"] > 0
    assert freq.keyness_problem(three, "label", "a") is None  # the rest holds English
    assert fplots.top_terms_reason(freq.term_counts(french), french) == (
        "No top-terms plot: this corpus has no terms; none of its 30 articles is English, so "
        "none is analysed (fr 30).")


def test_groups_without_english_articles_cannot_be_compared(corpora):
    assert compare.grouping_problem(corpora["french"], "label") == (
        "Cannot compare groups by 'label': none of the 30 articles with a value is English, so "
        "none is analysed (fr 30); a comparison needs two or more groups with analysed articles.")
    two = corpora["three"][corpora["three"]["label"] != "b"]
    assert compare.grouping_problem(two, "label") == (
        "Cannot compare groups by 'label': only 'a' has English (analysed) articles; the 15 "
        "articles of 'c' are not English, so not analysed (fr 15); a comparison needs two or "
        "more groups with analysed articles.")
    assert compare.group_column_or_reason(corpora["french"])[0] is None  # chosen, not usable
    assert compare.grouping_problem(corpora["mixed"], "label") is None
    assert compare.grouping_problem(corpora["three"], "label") is None  # a and b are English
    key = compare.keyness_by_group(corpora["three"], "label", min_count=1)
    assert key.attrs["not_compared"] == [
        "No key terms for 'c': the group 'c' has no words: its 15 articles are not English, so "
        "not analysed (fr 15)."]
    assert set(key["group"]) <= {"a", "b"}


def test_sourcing_of_a_group_without_english_articles_is_missing_not_zero(corpora):
    results = analyse_corpus(corpora["three"], cache=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "All-NaN slice" from the bootstrap
        table = compare.sourcing_by_group(results.articles, results.attributions,
                                          corpora["three"], "label")
    row = table.set_index("group").loc["c"]
    assert row["words"] == 0 and row["attributions"] == 0
    assert pd.isna(row["per_1000_words"]) and pd.isna(row["ci_low"])
    assert compare.bootstrap_rate_ci(pd.array([2, None], dtype="Int64"),
                                     pd.array([100, None], dtype="Int64"), n_boot=50)[0] == 20.0


def _outputs(notebook: Path) -> str:
    """Every text output of an executed notebook, joined; fails on an error or on stderr."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    texts = []
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        assert cell.get("execution_count"), f"a cell did not run in {notebook.name}"
        for output in cell.get("outputs", []):
            assert output.get("output_type") != "error", (notebook.name, output.get("evalue"))
            assert output.get("name") != "stderr", (notebook.name, output.get("text"))
            text = output.get("text") or output.get("data", {}).get("text/plain", "")
            texts.append("".join(text) if isinstance(text, list) else text)
    return "\n".join(texts)


@pytest.mark.parametrize("name", ["french", "three"])
def test_the_main_job_completes_every_notebook_on_corpora_that_are_not_all_english(
        name, tables, tmp_path, capsys):
    out = tmp_path / "report"
    status = analyze.main([str(tables[name]), "--group-by", "label", "--out", str(out),
                           "--no-cache"])
    assert status == 0, capsys.readouterr().err[-3000:]
    index = (out / "index.html").read_text(encoding="utf-8")
    findings = re.search(r'<section id="corpus">(.*?)</section>', index, re.S).group(1)
    outputs = {nb.stem[:2]: _outputs(nb) for nb in sorted(out.glob("[0-9][0-9]_*.ipynb"))}
    assert sorted(outputs) == ["01", "02", "03", "04", "05"]
    if name == "french":
        assert "30 articles not analysed: not English (fr 30)" in findings
        assert "0 words" not in findings and "Sources:" not in findings
        assert "No keyness table or plot: the group 'a' has no words" in outputs["02"]
        assert "none of its 30 articles is English" in outputs["02"]
        assert "Cannot compare groups by 'label': none of the 30 articles" in outputs["05"]
        assert "No tone plot: no groups to compare" in outputs["05"]
    else:
        assert "15 articles not analysed: not English (fr 15)" in findings
        assert "No key terms for 'c': the group 'c' has no words" in outputs["05"]


# ---------------------------------------------------------------------------------------------
# one long sentence with an attribution every few words


def _long_articles():
    return load_benchmark("long_articles")


class _Forgetful(dict):
    """A memo that remembers nothing: every walk, cut and trim is computed afresh."""

    def __setitem__(self, key, value):
        pass


def test_remembered_walks_cuts_and_trims_do_not_change_results(monkeypatch):
    long_articles = _long_articles()
    texts = [long_articles.synthetic_article(size, variant, seed)
             for variant in long_articles.VARIANTS for size, seed in ((3_000, 1), (12_000, 2))]
    texts += [
        "said the minister, " * 400, "he said, " * 600, "Officials said, officials said, " * 200,
        "Smith, a spokesman, said, " * 300, "said Smith (a spokesman), " * 300,
        '"We won," said the minister, ' * 300, "The aide, who asked not to be named, said, " * 150,
        "Leaders, for instance, said that; it rained, said Jones, which was odd, " * 120,
    ]
    remembered = [attribution.attribution_rows(text) for text in texts]
    original_init = attribution_document._Doc.__init__

    def forgetful_init(self, text):
        original_init(self, text)
        self.walks, self.cuts, self.trims = _Forgetful(), _Forgetful(), _Forgetful()

    monkeypatch.setattr(attribution_document._Doc, "__init__", forgetful_init)
    for text, rows in zip(texts, remembered, strict=True):
        assert attribution.attribution_rows(text) == rows, text[:60]
    assert sum(len(rows) for rows in remembered) > 3_000


def _cpu_seconds(function, argument) -> float:
    best = float("inf")
    for _ in range(2):
        text_utils._remembered_sentence_spans.cache_clear()
        started = time.process_time()
        function(argument)
        best = min(best, time.process_time() - started)
    return best


def test_a_sentence_of_repeated_attributions_costs_about_as_much_as_news():
    """'said the minister, ' * N: one 'sentence' (cut into 5,000-character pieces) with an
    attribution every 19 characters. Each cue's subject is the run of comma-separated parts
    before it, which every cue used to read back to the piece start (0.7 ms an attribution,
    about 40 times the time of news of the same length); now each reads only its new part.
    It takes about twice the time of news per character (it holds 4-5 times the attributions);
    the limit of 10 leaves room for a noisy machine."""
    long_articles = _long_articles()
    news = long_articles.synthetic_article(200_000)
    repeated = long_articles.synthetic_article(200_000, "repeated-cue")
    attribution.attribution_rows(news[:2_000])  # warm-up
    ratio = (_cpu_seconds(attribution.attribution_rows, repeated)
             / _cpu_seconds(attribution.attribution_rows, news))
    print(f"repeated cues: {ratio:.1f}x the time of news of the same length")
    assert ratio < 10, f"repeated cues took {ratio:.1f}x the time of news"
    assert len(attribution.attribution_rows(repeated)) > 10_000
