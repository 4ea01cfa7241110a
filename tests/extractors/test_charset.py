"""Text decoding as browsers do it: BOM, HTTP charset, <meta>, UTF-8, then windows-1252."""

from __future__ import annotations

import codecs

import pytest

from config.errors import ExtractionError
from extractors.charset import decode

FRENCH = "Voilà déjà l’IA : « 5 € » pour une tâche, après l’été, où ça coûte moins cher."


def _page(text: str, meta: str = "") -> str:
    return f"<!DOCTYPE html><html><head>{meta}<title>t</title></head><body><p>{text}</p></body></html>"


def test_latin1_page_without_charset_is_windows_1252_not_a_statistical_guess() -> None:
    text = "Voilà déjà à l'été, où ça coûte très cher : l'élève préfère être là."
    decoded = decode(_page(text).encode("latin-1"), "text/html")
    assert text in decoded.text and decoded.source == "fallback"
    assert "ą" not in decoded.text and "č" not in decoded.text


def test_windows_1252_page_without_charset_keeps_quotes_and_euro() -> None:
    decoded = decode(_page(FRENCH).encode("cp1252"), None)
    assert FRENCH in decoded.text and decoded.encoding == "windows-1252"


def test_valid_utf8_without_charset_is_utf8() -> None:
    decoded = decode(_page(FRENCH).encode("utf-8"), "text/html")
    assert FRENCH in decoded.text and decoded.source == "utf-8"


def test_the_http_header_wins_over_a_contradicting_meta() -> None:
    body = _page(FRENCH, '<meta charset="utf-8">').encode("cp1252")
    decoded = decode(body, "text/html; charset=windows-1252")
    assert FRENCH in decoded.text and decoded.source == "http"
    latin = _page("déjà", '<meta charset="utf-8">').encode("latin-1")
    assert "déjà" in decode(latin, "text/html; charset=ISO-8859-1").text  # read as windows-1252


@pytest.mark.parametrize(
    "meta",
    ['<meta charset="iso-8859-1">', "<meta http-equiv='Content-Type' content='text/html; charset=windows-1252'>"],
)
def test_meta_charset_without_header(meta: str) -> None:
    decoded = decode(_page(FRENCH, meta).encode("cp1252"), "text/html")
    assert FRENCH in decoded.text and decoded.source == "meta"


def test_a_meta_content_without_http_equiv_is_not_a_declaration() -> None:
    body = _page(FRENCH, '<meta name="x" content="text/html; charset=koi8-r">').encode("utf-8")
    assert decode(body).source == "utf-8"


def test_bom_wins_over_everything() -> None:
    body = codecs.BOM_UTF8 + _page(FRENCH, '<meta charset="iso-8859-1">').encode("utf-8")
    decoded = decode(body, "text/html; charset=iso-8859-1")
    assert FRENCH in decoded.text and decoded.source == "bom"
    utf16 = codecs.BOM_UTF16_LE + _page(FRENCH).encode("utf-16-le")
    assert FRENCH in decode(utf16).text


def test_xml_declaration_of_a_feed() -> None:
    body = '<?xml version="1.0" encoding="ISO-8859-1"?><rss><channel><title>été</title></channel></rss>'.encode("latin-1")
    decoded = decode(body, "application/rss+xml")
    assert "été" in decoded.text and decoded.source == "xml"


def test_undefined_windows_1252_bytes_become_c1_controls_like_browsers() -> None:
    assert decode(b"a\x81b\x9db").text == "a\x81b\x9db"


def test_strict_refuses_to_fall_back() -> None:
    with pytest.raises(ExtractionError, match="no charset declared and not UTF-8"):
        decode(_page(FRENCH).encode("cp1252"), strict=True, where="page.html")
    with pytest.raises(ExtractionError, match="not valid utf-8 as declared"):
        decode(_page(FRENCH, '<meta charset="utf-8">').encode("cp1252"), strict=True)
    assert FRENCH in decode(_page(FRENCH).encode("utf-8"), strict=True).text
