"""Turn page bytes into text: BOM, then the charset declared outside or inside the page, then
detection. A page in latin-1 or windows-1251 with no declaration must still come out right."""

from __future__ import annotations

import codecs
import re

import charset_normalizer

__all__ = ["decode_html", "looks_binary"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE
)
# Browsers (WHATWG Encoding) read these labels as windows-1252; pages rely on it.
_WHATWG_ALIASES = {
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
    "latin1": "cp1252",
    "ascii": "cp1252",
}
# How far into the page a <meta charset> is looked for (browsers use 1024 bytes; pages stray).
_META_SCAN_BYTES = 8192
# Detection looks at a prefix: enough to decide, bounded in cost for huge pages.
_DETECT_BYTES = 65536


# Control bytes that text never holds (tab, newlines, form feed and escape are allowed).
_CONTROL_BYTES = bytes(set(range(32)) - {9, 10, 12, 13, 27})


def looks_binary(data: bytes, sample: int = 8192) -> bool:
    """True when the start of `data` is not text: many control bytes, and no UTF-16/32 BOM."""
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return False
    head = data[:sample]
    if not head:
        return False
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls / len(head) > 0.05


def _codec(label: str | None) -> str | None:
    """A Python codec name for a charset label, or None when the label is unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _WHATWG_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def declared_charset(data: bytes) -> str | None:
    """The codec named by a `<meta charset>` or `http-equiv` tag near the top of the page."""
    match = _META_CHARSET.search(data[:_META_SCAN_BYTES])
    return _codec(match.group(1).decode("ascii", "ignore")) if match else None


def decode_html(data: bytes, http_charset: str | None = None) -> tuple[str, str]:
    """Decode page bytes; returns (text, codec used).

    Order: a byte-order mark; valid UTF-8 (no single-byte page of real text is also valid UTF-8,
    so this beats a wrong declaration); the HTTP charset; the `<meta>` charset; detection by
    charset-normalizer; windows-1252 with replacement characters as the last resort.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data.decode(codec, errors="replace"), codec
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    for codec in (_codec(http_charset), declared_charset(data)):
        if codec and codec not in ("utf-8", "utf-16", "utf-32"):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                continue
    best = charset_normalizer.from_bytes(data[:_DETECT_BYTES]).best()
    codec = _codec(best.encoding) if best is not None else None
    if codec:
        return data.decode(codec, errors="replace"), codec
    return data.decode("cp1252", errors="replace"), "cp1252"
