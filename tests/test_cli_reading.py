"""The reading options of the command line reach the loader, the main job and out-of-core runs."""

from __future__ import annotations

from utils import analyze, scale
from utils.results import open_results

BODY = "The minister said on Monday that the talks in Geneva had gone well for both sides"


def test_reading_options_reach_the_main_job(tmp_path, capsys):
    path = tmp_path / "t.csv"
    path.write_text(f"title|text|date\nA|{BODY}.|03/04/2015\nB|{BODY} again.|01/02/2015\n",
                    encoding="cp1252")
    out = tmp_path / "report"
    code = analyze.main([str(path), "--sep", "|", "--encoding", "cp1252", "--dayfirst",
                         "--notebooks", "none", "--no-cache", "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    articles = open_results(out / "results").read("articles")
    assert articles["date"].dt.strftime("%Y-%m-%d").tolist() == ["2015-04-03", "2015-02-01"]


def test_flat_and_format_options(tmp_path, capsys):
    folder = tmp_path / "c"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text(f"A\n\n{BODY}.", encoding="utf-8")
    (folder / "sub" / "b.txt").write_text(f"B\n\n{BODY} again.", encoding="utf-8")
    out = tmp_path / "report"
    assert analyze.main([str(folder), "--flat", "--notebooks", "none", "--no-cache", "--out",
                         str(out)]) == 0
    assert open_results(out / "results").read("articles")["doc_id"].tolist() == ["a"]
    printed = capsys.readouterr().out
    assert "skipped: subfolders (not read: flat load)" in printed
    table = tmp_path / "table.dat"
    table.write_text(f"text\n{BODY}.\n", encoding="utf-8")
    assert scale.main([str(table), str(tmp_path / "run"), "--format", "csv"]) == 0


def test_bad_reading_options_exit_2(tmp_path, capsys):
    for options, message in ((["--sep", ";;"], "argument --sep"),
                             (["--encoding", "klingon"], "argument --encoding"),
                             (["--dayfirst", "--monthfirst"], "not allowed with")):
        code = analyze.main(["seed", "--out", str(tmp_path / "o"), *options])
        assert code == 2
        assert message in capsys.readouterr().err
