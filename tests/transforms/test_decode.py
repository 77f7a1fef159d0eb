"""decode_html: byte-order marks, declared charsets (HTTP and <meta>), and detection of pages that
declare nothing or declare the wrong thing."""

# Russian and full-width text is the point of these tests, not a look-alike typo.

from __future__ import annotations

import codecs

from hypothesis import given
from hypothesis import strategies as st

from newsbeam.transforms.decode import decode_html

# Written for these tests: a short local-news story in Russian, long enough for detection.
RUSSIAN_BODY = (
    "Вчера вечером в центре города открылась новая районная библиотека. "
    "Жители соседних улиц давно ждали этого события и пришли на праздник целыми семьями. "
    "Директор библиотеки рассказал, что в фонде уже более двадцати тысяч книг, "
    "а зимой здесь будут проходить бесплатные лекции для школьников и пенсионеров. "
    "Городские власти обещают к весне отремонтировать и соседний сквер."
)
RUSSIAN_PAGE = (
    "<html><head><title>Новая библиотека</title></head>"
    f"<body><h1>Новая библиотека открылась</h1><p>{RUSSIAN_BODY}</p></body></html>"
)

GERMAN_BODY = (
    "Die Bürger der Stadt feierten am Wochenende ein großes Straßenfest am Flussufer. "
    "Über tausend Gäste genossen Musik, würzigen Käse und frische Brötchen vom Bäcker. "
    "Der Bürgermeister äußerte sich sehr zufrieden und möchte das Fest jährlich wiederholen."
)
GERMAN_PAGE = (
    f"<html><head><title>Straßenfest</title></head><body><p>{GERMAN_BODY}</p></body></html>"
)


def _same_codec(name: str, label: str) -> bool:
    return codecs.lookup(name).name == codecs.lookup(label).name


def test_plain_utf8():
    page = "<p>Crème brûlée, Ελληνικά, Кириллица, 漢字</p>"
    text, codec = decode_html(page.encode("utf-8"))
    assert text == page
    assert _same_codec(codec, "utf-8")


def test_utf8_with_bom_drops_the_bom():
    page = "<p>naïve café</p>"
    text, _codec = decode_html(codecs.BOM_UTF8 + page.encode("utf-8"))
    assert text == page
    assert not text.startswith("\ufeff")


def test_utf16_with_bom():
    page = "<p>Grüße aus Köln, привет</p>"
    data = page.encode("utf-16")  # Python writes the BOM for the platform's byte order
    assert data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    text, codec = decode_html(data)
    assert text == page
    assert _same_codec(codec, "utf-16")


def test_utf16_big_endian_with_bom():
    page = "<p>Grüße</p>"
    text, _codec = decode_html(codecs.BOM_UTF16_BE + page.encode("utf-16-be"))
    assert text == page


def test_cp1251_without_any_declaration_is_detected():
    data = RUSSIAN_PAGE.encode("cp1251")
    assert b"charset" not in data
    text, _codec = decode_html(data)
    assert text == RUSSIAN_PAGE
    assert "районная библиотека" in text


def test_latin1_without_declaration_keeps_umlauts_and_eszett():
    data = GERMAN_PAGE.encode("latin-1")
    text, _codec = decode_html(data)
    assert text == GERMAN_PAGE
    for word in ("Bürger", "großes", "Straßenfest", "Über", "Käse", "Brötchen", "äußerte"):
        assert word in text


def test_meta_charset_windows_1251():
    page = (
        '<html><head><meta charset="windows-1251"><title>Погода</title></head>'
        "<body><p>Завтра ожидается снег.</p></body></html>"
    )
    text, codec = decode_html(page.encode("cp1251"))
    assert text == page
    assert _same_codec(codec, "windows-1251")


def test_meta_http_equiv_charset():
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=koi8-r">'
        "</head><body><p>Короткая заметка о погоде.</p></body></html>"
    )
    text, codec = decode_html(page.encode("koi8-r"))
    assert text == page
    assert _same_codec(codec, "koi8-r")


def test_http_charset_argument_is_used():
    # Short, undeclared: detection alone could guess wrong; the HTTP header settles it.
    page = "<p>Ёж и щука</p>"
    text, codec = decode_html(page.encode("koi8-r"), http_charset="KOI8-R")
    assert text == page
    assert _same_codec(codec, "koi8-r")


def test_http_charset_wins_over_meta():
    page = '<html><head><meta charset="iso-8859-1"></head><body><p>Ёлка в парке</p></body></html>'
    text, _codec = decode_html(page.encode("cp1251"), http_charset="windows-1251")
    assert "Ёлка в парке" in text


def test_meta_utf8_but_bytes_are_cp1251():
    page = (
        '<html><head><meta charset="utf-8"><title>Новая библиотека</title></head>'
        f"<body><p>{RUSSIAN_BODY}</p></body></html>"
    )
    text, _codec = decode_html(page.encode("cp1251"))
    assert text == page
    assert "\ufffd" not in text


def test_unknown_charset_label_falls_back_to_detection():
    page = f'<html><head><meta charset="no-such-charset"></head><body><p>{RUSSIAN_BODY}</p>'
    text, _codec = decode_html(page.encode("cp1251"))
    assert text == page


def test_a_leading_utf8_bom_is_read_as_a_bom():
    # Which is why the property below leaves out text that starts with U+FEFF.
    text, _codec = decode_html("\ufeff<p>x</p>".encode())
    assert text == "<p>x</p>"


@given(st.text().filter(lambda s: not s.startswith("\ufeff")))
def test_any_utf8_text_decodes_to_itself(text):
    decoded, _codec = decode_html(text.encode("utf-8"))
    assert decoded == text
