"""Bytes to text as browsers decode a page (WHATWG Encoding and HTML specs, simplified).

One decoder for every way a page comes in: the fetcher (with the HTTP ``Content-Type``) and
``veille extract`` (a file, no header). In order, the first that applies wins:

1. a byte-order mark (UTF-8, UTF-16 LE/BE);
2. the ``charset`` of the HTTP ``Content-Type`` header;
3. ``<meta charset=...>`` or ``<meta http-equiv="Content-Type" content="...; charset=...">``
   in the first 1024 bytes, or an XML declaration's ``encoding`` (feeds);
4. the whole body is valid UTF-8;
5. windows-1252 (what browsers read ``iso-8859-1`` and undeclared Western pages as).

No statistical guess: a French page in Latin-1 without a charset is windows-1252, never
Polish or Czech. With ``strict``, step 5 and any undecodable byte raise
:class:`config.errors.ExtractionError` instead.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from config.errors import ExtractionError

_PRESCAN_BYTES = 1024
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_META = re.compile(rb"<meta\s[^>]*>", re.IGNORECASE)
_ATTR = re.compile(rb"""([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+)""")
_CONTENT_CHARSET = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)["']""")
# WHATWG labels whose decoder is not the Python codec of the same name
_LABELS = {
    **dict.fromkeys(
        ("ascii", "us-ascii", "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "cp819",
         "ibm819", "iso-ir-100", "csisolatin1", "x-cp1252", "cp1252", "windows-1252", "ansi_x3.4-1968"),
        "windows-1252",
    ),
    **dict.fromkeys(("iso-8859-9", "iso8859-9", "latin5", "l5", "iso-ir-148"), "windows-1254"),
    **dict.fromkeys(("tis-620", "iso-8859-11", "iso8859-11"), "cp874"),
    **dict.fromkeys(("gb2312", "gb_2312", "chinese", "csgb2312", "x-gbk"), "gbk"),
}
_FALLBACK = "windows-1252"


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    """The encoding used, as its WHATWG/Python name (``utf-8``, ``windows-1252`` ...)."""
    source: str
    """Why: ``bom``, ``http``, ``meta``, ``xml``, ``utf-8`` (valid UTF-8) or ``fallback``."""


def decode(body: bytes, content_type: str | None = None, *, strict: bool = False, where: str = "input") -> Decoded:
    """Decode ``body`` by the rules of the module docstring; ``where`` names it in errors."""
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return _decode(body[len(bom):], encoding, "bom", strict, where)
    if content_type:
        match = _HEADER_CHARSET.search(content_type)
        header = _encoding(match.group(1)) if match else None
        if header:
            return _decode(body, header, "http", strict, where)
    declared = _declared(body[:_PRESCAN_BYTES])
    if declared is not None:
        return _decode(body, declared[0], declared[1], strict, where)
    try:
        return Decoded(body.decode("utf-8"), "utf-8", "utf-8")
    except UnicodeDecodeError as exc:
        if strict:
            raise ExtractionError(
                where, f"no charset declared and not UTF-8 (byte 0x{body[exc.start]:02x} at offset {exc.start})"
            ) from None
    return Decoded(_windows_1252(body), _FALLBACK, "fallback")


def _declared(head: bytes) -> tuple[str, str] | None:
    xml = _XML_ENCODING.search(head)
    if xml:
        encoding = _encoding(xml.group(1).decode("ascii", errors="ignore"))
        if encoding:
            return encoding, "xml"
    for tag in _META.finditer(head):
        attrs = {k.lower(): v.strip(b"\"'") for k, v in _ATTR.findall(tag.group(0))}
        label = attrs.get(b"charset")
        if label is None and attrs.get(b"http-equiv", b"").lower() == b"content-type":
            found = _CONTENT_CHARSET.search(attrs.get(b"content", b""))
            label = found.group(1) if found else None
        encoding = _encoding(label.decode("ascii", errors="ignore")) if label else None
        if encoding:
            # a page cannot declare UTF-16 in ASCII bytes and mean it (WHATWG: read as UTF-8)
            return ("utf-8" if encoding.startswith("utf-16") else encoding), "meta"
    return None


def _encoding(label: str) -> str | None:
    label = label.strip().lower()
    if label in _LABELS:
        return _LABELS[label]
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return _LABELS.get(name, name)


def _decode(body: bytes, encoding: str, source: str, strict: bool, where: str) -> Decoded:
    if encoding == _FALLBACK:
        return Decoded(_windows_1252(body), encoding, source)
    try:
        return Decoded(body.decode(encoding), encoding, source)
    except UnicodeDecodeError as exc:
        if strict:
            raise ExtractionError(where, f"not valid {encoding} as declared ({source}): byte offset {exc.start}") from None
    return Decoded(body.decode(encoding, errors="replace"), encoding, source)


def _windows_1252(body: bytes) -> str:
    # The five bytes windows-1252 leaves undefined decode to the C1 controls, as in browsers.
    return body.decode("cp1252", errors="veille-c1")


def _c1(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeDecodeError)
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error("veille-c1", _c1)
