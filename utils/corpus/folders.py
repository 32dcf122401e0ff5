"""Article files: one ``.txt`` (or ``.html``) file, or a folder of them (recursive by default).

An ``.html``/``.htm`` file is an article saved from a web page: its ``<title>`` (when it has
one) is the title line, its text is converted from HTML (:mod:`utils.corpus.cleaning`); a
page without ``<title>`` has no title and keeps all its text. A file of one line is an
article without a title (the line is its text).

Every path met in a folder is either read or counted with the reason it was skipped: hidden
files and folders, files that are not articles, subfolders of a flat load, dangling symbolic
links, symbolic link loops, links to folders outside the corpus (not followed: a link to
``..`` would read everything beside it), FIFOs, sockets and devices (never opened: a FIFO
would block).
A file that cannot be read (``OSError``) or is not text (:mod:`utils.corpus.decoding`) is
dropped by name. ``doc_id`` is the path relative to the folder without its suffix
(``sub/article``); where two names differ only in the suffix (``a.txt``, ``a.TXT``,
``a.html``), both keep their suffix. File names that are not valid UTF-8 are shown with
``\\x`` escapes.
"""

from __future__ import annotations

import os
import stat
from collections import Counter
from pathlib import Path

import pandas as pd

from utils.corpus.cleaning import (
    html_title,
    html_to_text,
    looks_like_html,
    split_plain_text_article,
    strip_trailing_boilerplate,
)
from utils.corpus.decoding import NotTextError, decode_bytes
from utils.corpus.report import CorpusError, LoadReport

#: Suffixes of article files (compared case-insensitively).
ARTICLE_SUFFIXES = (".txt", ".html", ".htm")
HTML_SUFFIXES = (".html", ".htm")


def display_name(name: str) -> str:
    """A file name as text that can always be printed and stored (invalid UTF-8 bytes of the
    name as ``\\xNN``)."""
    return os.fsencode(name).decode("utf-8", errors="backslashreplace")


def list_article_files(folder: Path, report: LoadReport, recursive: bool = True
                       ) -> list[tuple[Path, str]]:
    """``(path, relative name)`` of every ``.txt`` article under ``folder``, sorted by name,
    counting every skipped path into ``report``."""
    found: list[tuple[Path, str]] = []
    visited = set()

    def skip(reason: str, relative: str, article: bool = False) -> None:
        if article:  # a would-be article: counted as read and dropped
            report.read += 1
            report.drop(reason, 1, [relative])
        else:
            report.warn(f"skipped: {reason}", 1, [relative])

    def walk(directory: Path, prefix: str) -> None:
        try:
            info = directory.stat()
        except OSError as error:
            skip(f"folder that cannot be read ({error.strerror})", prefix or ".")
            return
        if (info.st_dev, info.st_ino) in visited:
            skip("symbolic link loop (folder already read)", prefix.rstrip("/"))
            return
        visited.add((info.st_dev, info.st_ino))
        try:
            # real entries before symbolic links, so a folder is read under its own path and a
            # link to it is the one reported as the loop
            entries = sorted(os.scandir(directory),
                             key=lambda e: (e.is_symlink(), display_name(e.name)))
        except OSError as error:
            skip(f"folder that cannot be read ({error.strerror})", prefix or ".")
            return
        for entry in entries:
            shown = display_name(entry.name)
            if shown != entry.name:
                report.warn("file names not valid UTF-8 (shown with \\x escapes)", 1,
                            [prefix + shown])
            relative = prefix + shown
            is_article_name = entry.name.lower().endswith(ARTICLE_SUFFIXES)
            if entry.name.startswith("."):
                skip("hidden files and folders", relative)
                continue
            try:
                mode = entry.stat(follow_symlinks=True).st_mode
            except FileNotFoundError:
                skip("dangling symbolic link", relative, article=is_article_name)
                continue
            except OSError as error:
                reason = ("symbolic link loop" if error.errno == 40
                          else f"cannot be examined ({error.strerror})")
                skip(reason, relative, article=is_article_name)
                continue
            if stat.S_ISDIR(mode):
                if recursive and entry.is_symlink() and not _inside(Path(entry.path), root):
                    skip("symbolic link to a folder outside the corpus (not followed)",
                         relative)
                elif recursive:
                    walk(Path(entry.path), relative + "/")
                elif is_article_name:
                    skip("folder named like an article", relative)
                else:
                    skip("subfolders (not read: flat load)", relative)
            elif not stat.S_ISREG(mode):
                skip("not a regular file (FIFO, socket or device)", relative,
                     article=is_article_name)
            elif is_article_name:
                found.append((Path(entry.path), relative))
            else:
                skip("files that are not articles (.txt, .html)", relative)

    root = folder.resolve()
    walk(folder, "")
    return found


def _inside(path: Path, root: Path) -> bool:
    resolved = path.resolve()
    return resolved == root or root in resolved.parents


def _doc_ids(relatives: list[str], report: LoadReport) -> list[str]:
    stems = [r.rsplit(".", 1)[0] for r in relatives]
    clashes = Counter(stems)
    ids = [r if clashes[s] > 1 else s for r, s in zip(relatives, stems, strict=True)]
    clashing = [r for r, s in zip(relatives, stems, strict=True) if clashes[s] > 1]
    report.warn("file names differing only in the suffix's case (doc_id keeps the suffix)",
                len(clashing), clashing)
    return ids


def read_text_article(path: Path, relative: str, report: LoadReport,
                      boilerplate=()) -> dict | None:
    """One plain-text article as ``{"title", "text"}``, or ``None`` when the file cannot be
    read or is not text (dropped into ``report`` by name)."""
    report.read += 1
    try:
        raw = path.read_bytes()
    except OSError as error:
        report.drop("files that could not be read", 1, [f"{relative} ({error.strerror})"])
        return None
    try:
        decoded = decode_bytes(raw)
    except NotTextError as error:
        report.drop("not a text file", 1, [f"{relative} ({str(error).split(': ', 1)[-1]})"])
        return None
    if decoded.by_mark and not decoded.is_utf8:
        report.warn(f"decoded as {decoded.encoding.upper()} (byte-order mark)", 1, [relative])
    elif not decoded.is_utf8:
        report.warn(f"not UTF-8: decoded as {decoded.encoding} (detected)", 1, [relative])
    if decoded.replaced:
        report.warn("undecodable bytes replaced with U+FFFD", 1, [relative])
    content = decoded.text
    untitled = False
    if relative.lower().endswith(HTML_SUFFIXES) or looks_like_html(content):
        title = html_title(content)
        content = html_to_text(content)
        if title:  # a first line repeating the <title> is then removed as a repeated title
            content = f"{title}\n\n{content}"
        else:
            untitled = True  # no <title>: every block is text, none is taken for a title
        report.warn("HTML converted to plain text", 1, [relative])
    if untitled:
        title = ""
        body, removed = strip_trailing_boilerplate(content, boilerplate)
    else:
        title, body, removed = split_plain_text_article(content, boilerplate)
    report.warn("trailing boilerplate lines removed", removed, [relative])
    if not body.strip() and removed:
        report.drop("only site boilerplate", 1, [relative])
        return None
    if not body.strip() and title:  # one line: an article without a title, not an empty one
        title, body = "", title
        report.warn("files of one line read as text without a title", 1, [relative])
    return {"title": title, "text": body}


def load_text_articles(source: Path, label: str, boilerplate=(), recursive: bool = True
                       ) -> tuple[pd.DataFrame, LoadReport]:
    """A ``.txt`` file or a folder of them as a frame (``doc_id``, ``title``, ``text``) and
    its report (text not yet repaired)."""
    if source.is_dir():
        report = LoadReport(source=label, format="folder of article files")
        files = list_article_files(source, report, recursive=recursive)
        if not files and not report.read:
            seen = ", ".join(f"{n} {r}" for r, n in sorted(report.warnings.items()))
            raise CorpusError(
                f"The folder {label!r} holds no articles (.txt or .html files)"
                + (f" ({seen})." if seen else ".")
                + (" Pass recursive=True to read subfolders." if not recursive else ""))
    else:
        report = LoadReport(source=label, format="one article file")
        files = [(source, display_name(source.name))]
    ids = _doc_ids([relative for _, relative in files], report)
    rows = []
    for (path, relative), doc_id in zip(files, ids, strict=True):
        article = read_text_article(path, relative, report, boilerplate)
        if article is not None:
            rows.append({"doc_id": doc_id, **article})
    frame = pd.DataFrame(rows, columns=["doc_id", "title", "text"])
    return frame, report
