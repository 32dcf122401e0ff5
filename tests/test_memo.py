"""Evaluations kept on disk (utils.memo): computed once per code, data and arguments."""

from __future__ import annotations

import pandas as pd
import pytest

from utils import memo


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setattr(memo, "EVALUATIONS_DIR", tmp_path / "evaluations")
    monkeypatch.delenv("NEWS_EVALUATION_CACHE", raising=False)
    return tmp_path


def counted(data_file):
    calls = []

    @memo.kept_on_disk(files=lambda n, **k: [data_file])
    def table(n, *, scale=1):
        calls.append(n)
        frame = pd.DataFrame({"n": [n * scale], "data": [data_file.read_text()]})
        frame.attrs["skipped"] = ["nothing"]
        return frame

    return table, calls


def test_a_result_is_computed_once_and_read_back_equal(store):
    data = store / "data.txt"
    data.write_text("one")
    table, calls = counted(data)
    first = table(2, scale=3)
    again = table(2, scale=3)
    assert calls == [2]
    pd.testing.assert_frame_equal(first, again)
    assert again.attrs == {"skipped": ["nothing"]}
    table(2, scale=4)
    table(5)
    assert calls == [2, 2, 5]


def test_a_changed_data_file_or_code_computes_again(store, monkeypatch):
    data = store / "data.txt"
    data.write_text("one")
    table, calls = counted(data)
    table(1)
    data.write_text("two")
    assert table(1)["data"].iloc[0] == "two"
    monkeypatch.setattr(memo, "code_version", lambda: "another version of the code")
    table(1)
    assert calls == [1, 1, 1]


def test_the_store_can_be_turned_off_and_a_damaged_entry_is_computed_again(store, monkeypatch):
    data = store / "data.txt"
    data.write_text("one")
    table, calls = counted(data)
    monkeypatch.setenv("NEWS_EVALUATION_CACHE", "0")
    table(1)
    table(1)
    assert calls == [1, 1]
    monkeypatch.delenv("NEWS_EVALUATION_CACHE")
    table(1)
    for entry in (store / "evaluations").rglob("output.pkl"):
        entry.write_bytes(b"not a pickle")
    assert table(1)["n"].iloc[0] == 1
    assert calls == [1, 1, 1, 1]


def test_the_code_version_covers_the_package_and_its_models():
    memo.code_version.cache_clear()
    version = memo.code_version()
    assert len(version) == 64 and version == memo.code_version()
