"""Bytes to text, by evidence: byte-order marks, UTF-8, UTF-16/32 without a mark, then
charset-normalizer for legacy code pages; files that are not text are refused by name.

The order of the evidence:

1. a known binary signature (PNG, JPEG, GIF, PDF, ZIP/Office, gzip, Parquet, SQLite, ELF) is
   refused (:class:`NotTextError`);
2. a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE) names the encoding;
3. valid UTF-8 is UTF-8;
4. NUL bytes at every other position are UTF-16 without a mark (LE or BE by their side);
   other NUL bytes mean binary data (refused);
5. otherwise charset-normalizer (a well-kept detector) chooses among the legacy code pages.
   Where Windows-1252 fits the bytes as well as its best guess (both decode without "chaos"),
   Windows-1252 is taken: it is Windows' Western default, and for English news a
   Central-European page often fits the same bytes while turning "naïve" into "naďve".
   Mostly-ASCII bytes with a few stray ones (at most :data:`MAX_STRAY_SHARE` of them, or
   :data:`MAX_STRAY_BYTES`) are read as
   Windows-1252 too, bytes it does not define replaced with U+FFFD (counted): a detector
   guessing from one byte picks a code page at random;
6. a decoded text in which more than :data:`MAX_CONTROL_SHARE` of the characters are control
   characters or U+FFFD is refused as not text.
"""

from __future__ import annotations

import codecs
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


def _utf16_without_mark(sample: bytes) -> str | None:
    """``utf-16-le``/``utf-16-be`` when NUL bytes sit at every other position (ASCII-range
    text in UTF-16), else ``None``."""
    even, odd = sample[0::2], sample[1::2]
    if len(sample) < 4:
        return None
    odd_zero = odd.count(0) / max(len(odd), 1)
    even_zero = even.count(0) / max(len(even), 1)
    if odd_zero > 0.3 and even_zero < 0.05:
        return "utf-16-le"
    if even_zero > 0.3 and odd_zero < 0.05:
        return "utf-16-be"
    return None


def _legacy_encoding(raw: bytes) -> str | None:
    from charset_normalizer import from_bytes

    non_ascii = sum(1 for b in raw if b > 0x7F)
    if non_ascii <= max(MAX_STRAY_BYTES, MAX_STRAY_SHARE * len(raw)):
        return "cp1252"  # a few stray bytes in ASCII text: too few for a detector to weigh
    matches = list(from_bytes(raw))
    if not matches:
        return None
    least = min(m.chaos for m in matches)
    for match in matches:
        if match.chaos <= least and "cp1252" in match.could_be_from_charset:
            return "cp1252"
    return matches[0].encoding


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
        utf16 = _utf16_without_mark(sample[: 1 << 16])
        if utf16:
            return utf16, False
        raise NotTextError("not a text file: binary data (NUL bytes)")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=complete)
        return "utf-8", False
    except UnicodeDecodeError:
        pass
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
