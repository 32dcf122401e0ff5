"""Bytes to text, by evidence: byte-order marks, UTF-8, UTF-16/32 without a mark, then
charset-normalizer for legacy code pages; files that are not text are refused by name.

The order of the evidence:

1. a known binary signature (PNG, JPEG, GIF, PDF, ZIP/Office, gzip, Parquet, SQLite, ELF) is
   refused (:class:`NotTextError`);
2. a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE) names the encoding;
3. valid UTF-8 is UTF-8;
4. NUL bytes at three positions in four are UTF-32, at every other position UTF-16, without
   a mark (LE or BE by their side); more than :data:`MAX_NUL_SHARE` of other NUL bytes mean
   binary data (refused), fewer are stray bytes (removed by the repair step);
5. bytes that are mostly valid UTF-8 (its multi-byte characters outnumber the bytes it cannot
   decode: a line pasted from another encoding) are UTF-8, the rest replaced with U+FFFD and
   counted, so one stray line does not turn every "café" of the file into "cafÃ©";
6. otherwise charset-normalizer (a well-kept detector) chooses among the legacy code pages,
   trusted when its reading is mostly in another script than Latin (Cyrillic, Greek, Arabic).
   For Latin text, Windows-1252 is taken whenever it reads the bytes plausibly (every byte
   defined, no Latin-1 symbol inside a word): it is Windows' Western default, and a detector
   guessing among Latin pages for English news often picks one that turns "naïve" into
   "naďve" or "€7" into "Ä7".
   Mostly-ASCII bytes with a few stray ones (at most :data:`MAX_STRAY_SHARE` of them, or
   :data:`MAX_STRAY_BYTES`) are read as
   Windows-1252 too, bytes it does not define replaced with U+FFFD (counted): a detector
   guessing from one byte picks a code page at random;
7. a decoded text in which more than :data:`MAX_CONTROL_SHARE` of the characters are control
   characters or U+FFFD is refused as not text.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

#: File signatures of common binary formats and what they are.
BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx/.xlsx/.odt document)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"PAR1", "a Parquet file"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x7fELF", "an executable"),
)
#: Byte-order marks, longest first (a UTF-32 LE mark starts like a UTF-16 LE one).
BYTE_ORDER_MARKS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
#: Share of control characters and U+FFFD above which decoded bytes are not text.
MAX_CONTROL_SHARE = 0.05
#: Share of NUL bytes up to which they are stray bytes in a text (above: binary data).
MAX_NUL_SHARE = 0.01
_LETTER = re.compile(r"[^\W\d_]")
_SYMBOL_IN_WORD = re.compile(r"[^\W\d_][\u00a1-\u00bf\u02c6\u02dc\u2030][^\W\d_]")
#: Share of non-ASCII bytes up to which a text that is not UTF-8 is read as Windows-1252
#: (undefined bytes replaced with U+FFFD and counted) without asking the detector.
MAX_STRAY_SHARE = 0.01
#: ... or up to this many non-ASCII bytes in all (too few for any detector to weigh).
MAX_STRAY_BYTES = 2
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")
#: Bytes looked at to choose the encoding of a table (the rest is decoded with that choice).
SAMPLE_BYTES = 1 << 20


class NotTextError(ValueError):
    """Bytes that are not text in any encoding the loader knows; the message says what."""


@dataclass(frozen=True)
class Decoded:
    """A decoded text, the encoding used, whether a byte-order mark named it, and whether
    undecodable bytes were replaced with U+FFFD."""

    text: str
    encoding: str
    by_mark: bool = False
    replaced: bool = False

    @property
    def is_utf8(self) -> bool:
        return self.encoding == "utf-8"


def binary_kind(raw: bytes) -> str | None:
    """What binary format ``raw`` starts with, or ``None``."""
    for signature, kind in BINARY_SIGNATURES:
        if raw.startswith(signature):
            return kind
    return None


def _mark(raw: bytes) -> tuple[str, int] | None:
    for mark, encoding in BYTE_ORDER_MARKS:
        if raw.startswith(mark):
            return encoding, len(mark)
    return None


def _wide_without_mark(sample: bytes) -> str | None:
    """``utf-32-le``/``utf-32-be`` when three bytes in four are NUL (ASCII-range text in
    UTF-32), ``utf-16-le``/``utf-16-be`` when every other byte is, else ``None``."""
    if len(sample) < 8:
        return None
    quarters = [sample[i::4] for i in range(4)]
    zero = [q.count(0) / max(len(q), 1) for q in quarters]
    if min(zero[1:]) > 0.9 and zero[0] < 0.1:
        return "utf-32-le"
    if min(zero[:3]) > 0.9 and zero[3] < 0.1:
        return "utf-32-be"
    even, odd = sample[0::2], sample[1::2]
    odd_zero = odd.count(0) / max(len(odd), 1)
    even_zero = even.count(0) / max(len(even), 1)
    if odd_zero > 0.3 and even_zero < 0.05:
        return "utf-16-le"
    if even_zero > 0.3 and odd_zero < 0.05:
        return "utf-16-be"
    return None


def _mostly_utf8(raw: bytes) -> bool:
    """Whether valid UTF-8 multi-byte characters outnumber the bytes UTF-8 cannot decode (a
    UTF-8 file with a line pasted from another encoding, or a cut character)."""
    decoded = raw.decode("utf-8", errors="replace")
    invalid = decoded.count("\ufffd") - raw.count("\ufffd".encode())
    multibyte = sum(1 for c in decoded if c > "\x7f" and c != "\ufffd")
    return invalid > 0 and multibyte >= invalid


def _mostly_other_script(text: str) -> bool:
    """Whether most letters of ``text`` are outside the Latin script (Cyrillic, Greek ...)."""
    letters = _LETTER.findall(text)
    return sum(1 for c in letters if c > "\u024f") * 2 > len(letters)


def plausible_cp1252(raw: bytes) -> bool:
    """Whether ``raw`` reads as Windows-1252 text: every byte defined, and no Latin-1 symbol
    (``¿ ³ ¹ ¶`` ...) inside a word, which is how other code pages' letters look in it."""
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return not _SYMBOL_IN_WORD.search(text)


def _legacy_encoding(raw: bytes) -> str | None:
    from charset_normalizer import from_bytes

    non_ascii = sum(1 for b in raw if b > 0x7F)
    if non_ascii <= max(MAX_STRAY_BYTES, MAX_STRAY_SHARE * len(raw)):
        return "cp1252"  # a few stray bytes in ASCII text: too few for a detector to weigh
    best = from_bytes(raw).best()
    if best is not None and _mostly_other_script(str(best)):
        return best.encoding  # Cyrillic, Greek, Arabic ... code pages
    if plausible_cp1252(raw):
        return "cp1252"
    return best.encoding if best is not None else None


def detect_encoding(sample: bytes, complete: bool = True) -> tuple[str, bool]:
    """The encoding of ``sample`` and whether a byte-order mark named it (see the module
    docstring for the order of evidence). ``complete=False``: ``sample`` is the start of a
    longer stream (a multi-byte character may be cut at its end). Raises
    :class:`NotTextError`."""
    kind = binary_kind(sample)
    if kind:
        raise NotTextError(f"not a text file: {kind}")
    marked = _mark(sample)
    if marked:
        return marked[0], True
    if b"\x00" in sample:
        wide = _wide_without_mark(sample[: 1 << 16])
        if wide:
            return wide, False
        if sample.count(0) > MAX_NUL_SHARE * len(sample):
            raise NotTextError("not a text file: binary data (NUL bytes)")
        # a few stray NUL bytes in text: decoded as they are, removed by the repair step
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=complete)
        return "utf-8", False
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(sample):
        return "utf-8", False  # a few bytes of another encoding: replaced, counted
    legacy = _legacy_encoding(sample)
    if legacy is None:
        raise NotTextError("not a text file: the bytes fit no known text encoding")
    return legacy, False


def control_share(text: str) -> float:
    """Share of the characters of ``text`` that are control characters (other than
    whitespace) or U+FFFD."""
    if not text:
        return 0.0
    bad = sum(1 for c in text if (c < " " and c not in _ALLOWED_CONTROLS) or c == "\ufffd"
              or "\x7f" <= c <= "\x9f")
    return bad / len(text)


def decode_bytes(raw: bytes) -> Decoded:
    """Decode the bytes of one text file (see the module docstring). Raises
    :class:`NotTextError` for bytes that are not text."""
    if not raw:
        return Decoded("", "utf-8")
    encoding, by_mark = detect_encoding(raw)
    marked = _mark(raw) if by_mark else None
    body = raw[marked[1]:] if marked else raw
    try:
        text, replaced = body.decode(encoding), False
    except UnicodeDecodeError:
        text, replaced = body.decode(encoding, errors="replace"), True
    if control_share(text) > MAX_CONTROL_SHARE:
        raise NotTextError("not a text file: mostly control characters once decoded "
                           f"as {encoding}")
    return Decoded(text, encoding, by_mark, replaced)
