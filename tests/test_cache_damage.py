"""A damaged per-article cache (utils.pipeline.ResultCache) is moved aside and rebuilt."""

from __future__ import annotations

import hashlib
import pickle
import random
import sqlite3

import pandas as pd
import pytest

from utils.pipeline import ResultCache, analyse_corpus

TEXTS = [
    'The minister said the plan was "a disaster for everyone." Critics agreed.',
    "According to officials, the talks will resume on Monday. Markets rose sharply.",
    "Nothing quoted here. Just a calm, happy story about a lovely park.",
    '"We will win," Smith told reporters. He added that the team was ready.',
    "Prices fell. Analysts warned that the decline could continue into next year.",
]


@pytest.fixture(scope="module")
def corpus():
    texts = [f"{text} Story {number} of the day." for number in range(8) for text in TEXTS]
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))],
                         "title": [f"Title {i}" for i in range(len(texts))], "text": texts})


@pytest.fixture(scope="module")
def clean(corpus):
    return analyse_corpus(corpus, cache=False)


@pytest.fixture
def cache_file(corpus, tmp_path):
    """A cache holding every article of ``corpus``, closed (its WAL checkpointed)."""
    path = tmp_path / "cache" / "pipeline.sqlite"
    analyse_corpus(corpus, cache=path)
    assert not path.with_name("pipeline.sqlite-wal").exists()
    return path


def assert_same_tables(results, clean):
    for name, table in clean.tables().items():
        pd.testing.assert_frame_equal(results.tables()[name], table, check_exact=True)


def warnings(capsys) -> list[str]:
    return [line for line in capsys.readouterr().err.splitlines() if line.strip()]


def assert_rebuilt(path, corpus, clean, capsys):
    """A run on the damaged ``path`` warns once, moves it aside, analyses everything again and
    gives the clean tables; the next run takes everything from the new cache, silently."""
    capsys.readouterr()
    results = analyse_corpus(corpus, cache=path)
    lines = warnings(capsys)
    aside = path.with_name("pipeline.sqlite.damaged-1")
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"warning: the per-article cache {path} was damaged (")
    assert lines[0].endswith(f"); moved aside to {aside}, rebuilding")
    assert aside.exists()
    assert results.stats["analysed"] == len(corpus)
    assert_same_tables(results, clean)
    again = analyse_corpus(corpus, cache=path)
    assert again.stats["from_cache"] == len(corpus)
    assert_same_tables(again, clean)
    assert warnings(capsys) == []


def test_truncated_cache_is_moved_aside_and_rebuilt(cache_file, corpus, clean, capsys):
    data = cache_file.read_bytes()
    cache_file.write_bytes(data[: len(data) // 2])
    assert_rebuilt(cache_file, corpus, clean, capsys)
    assert cache_file.with_name("pipeline.sqlite.damaged-1").read_bytes() == data[: len(data) // 2]


def test_cache_cut_to_a_few_bytes_is_rebuilt(cache_file, corpus, clean, capsys):
    cache_file.write_bytes(cache_file.read_bytes()[:50])
    assert_rebuilt(cache_file, corpus, clean, capsys)


def test_cache_overwritten_with_random_bytes_is_rebuilt(cache_file, corpus, clean, capsys):
    data = bytearray(cache_file.read_bytes())
    assert len(data) > 3 * 4096
    rng = random.Random(0)
    for start in range(4096, len(data), 8192):  # the start of every other page
        data[start : start + 200] = rng.randbytes(200)
    cache_file.write_bytes(bytes(data))
    assert_rebuilt(cache_file, corpus, clean, capsys)


def test_cache_file_of_random_bytes_is_rebuilt(cache_file, corpus, clean, capsys):
    cache_file.write_bytes(random.Random(1).randbytes(20_000))
    assert_rebuilt(cache_file, corpus, clean, capsys)


def test_wal_and_shm_files_move_with_the_damaged_file(cache_file, corpus, clean, capsys):
    cache_file.write_bytes(b"not a database at all" * 100)
    wal = cache_file.with_name("pipeline.sqlite-wal")
    shm = cache_file.with_name("pipeline.sqlite-shm")
    wal.write_bytes(b"old wal")
    shm.write_bytes(b"old shm")
    assert_rebuilt(cache_file, corpus, clean, capsys)
    assert cache_file.with_name("pipeline.sqlite.damaged-1-wal").read_bytes() == b"old wal"
    # the -shm file is SQLite's index of the -wal file, which opening the file rewrites
    assert cache_file.with_name("pipeline.sqlite.damaged-1-shm").exists()


def test_second_damage_gets_the_next_number(cache_file, capsys):
    cache_file.write_bytes(b"x" * 5000)
    ResultCache(cache_file).close()
    cache_file.write_bytes(b"y" * 5000)
    cache = ResultCache(cache_file)
    assert cache.moved_aside == [cache_file.with_name("pipeline.sqlite.damaged-2")]
    assert len(cache) == 0
    cache.close()
    assert cache_file.with_name("pipeline.sqlite.damaged-1").read_bytes() == b"x" * 5000
    assert cache_file.with_name("pipeline.sqlite.damaged-2").read_bytes() == b"y" * 5000
    assert len(warnings(capsys)) == 2


def _rows(path) -> dict[str, bytes]:
    with sqlite3.connect(path) as connection:
        return dict(connection.execute("SELECT key, payload FROM results"))


def _checksummed(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest() + data


def _set_payloads(path, payloads: dict[str, bytes]) -> None:
    connection = sqlite3.connect(path)
    connection.executemany("UPDATE results SET payload = ? WHERE key = ?",
                           [(payload, key) for key, payload in payloads.items()])
    connection.commit()
    connection.close()


@pytest.mark.parametrize("damage", ["garbage", "flipped byte", "wrong shape", "short"])
def test_bad_payload_is_a_miss_deleted_and_counted(cache_file, corpus, clean, capsys, damage):
    rows = _rows(cache_file)
    key = sorted(rows)[3]
    payload = rows[key]
    bad, reason = {
        "garbage": (_checksummed(b"\x80\x05garbage"), "unpickling failed"),
        "flipped byte": (payload[:-20] + bytes([payload[-20] ^ 0xFF]) + payload[-19:],
                         "checksum mismatch"),
        "wrong shape": (_checksummed(pickle.dumps({"counts": (1, 2)})),
                        "not the expected results of an article"),
        "short": (b"\x00", "payload too short"),
    }[damage]
    _set_payloads(cache_file, {key: bad})
    capsys.readouterr()
    cache = ResultCache(cache_file)
    results = analyse_corpus(corpus, cache=cache)
    lines = warnings(capsys)
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"warning: 1 entries of the per-article cache {cache_file} were "
                               f"damaged ({reason}")
    assert cache.damaged_entries == 1
    assert cache.moved_aside == []
    assert (results.stats["from_cache"], results.stats["analysed"]) == (len(corpus) - 1, 1)
    assert_same_tables(results, clean)
    assert len(cache) == len(corpus)  # the article was analysed again and stored again
    cache.close()
    stored = _rows(cache_file)[key]  # the same results again (pickle may share objects
    assert pickle.loads(stored[16:]) == pickle.loads(payload[16:])  # differently)
    assert not list(cache_file.parent.glob("*.damaged-*"))


def test_several_bad_payloads_give_one_warning(cache_file, corpus, clean, capsys):
    rows = _rows(cache_file)
    _set_payloads(cache_file, {key: b"\x00" * 40 for key in sorted(rows)[:5]})
    capsys.readouterr()
    results = analyse_corpus(corpus, cache=cache_file)
    lines = warnings(capsys)
    assert len(lines) == 1 and lines[0].startswith("warning: 5 entries of the per-article cache")
    assert results.stats["analysed"] == 5
    assert_same_tables(results, clean)


def test_a_sound_cache_opens_silently(cache_file, corpus, clean, capsys):
    capsys.readouterr()
    results = analyse_corpus(corpus, cache=cache_file)
    assert results.stats["from_cache"] == len(corpus)
    assert_same_tables(results, clean)
    assert warnings(capsys) == []
    assert not list(cache_file.parent.glob("*.damaged-*"))


def test_an_empty_file_is_a_valid_empty_cache(tmp_path, capsys):
    path = tmp_path / "pipeline.sqlite"
    path.write_bytes(b"")
    cache = ResultCache(path)
    assert len(cache) == 0 and cache.moved_aside == []
    cache.close()
    assert warnings(capsys) == []


def test_damage_found_while_reading_moves_the_file_aside(cache_file, corpus, clean, capsys):
    keys = sorted(_rows(cache_file))
    cache = ResultCache(cache_file)  # sound when opened
    data = bytearray(cache_file.read_bytes())
    rng = random.Random(2)
    for start in range(4096, len(data), 4096):  # every page but the first
        data[start : start + 4096] = rng.randbytes(4096)
    cache_file.write_bytes(bytes(data))
    capsys.readouterr()
    assert cache.get_many(keys) == {}
    lines = warnings(capsys)
    assert len(lines) == 1 and "was damaged (" in lines[0], lines
    assert cache.moved_aside == [cache_file.with_name("pipeline.sqlite.damaged-1")]
    results = analyse_corpus(corpus, cache=cache)
    assert results.stats["analysed"] == len(corpus)
    assert_same_tables(results, clean)
    assert len(cache) == len(corpus)
    cache.close()
