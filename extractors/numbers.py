"""Numbers as written in French and English news: digits, words, scales, ranges, vague amounts.

``find_numbers(text, lang)`` returns every number in ``text`` with its character span and its
value interval. It knows nothing about units; :mod:`extractors.quantities` attaches those.

Conventions read here:

* French digits: thousands grouped by a space, U+00A0 or U+202F (``100 000``) or by dots in
  groups of three (``100.000``); decimal comma (``1,5``). English: ``100,000``, ``1.5``.
  The digit-group rule for a dot in French text: when every group after a dot has exactly three
  digits the dots are thousands separators (``2.900 milliards`` = 2 900 milliards,
  ``294.000 dollars``, ``1.000.000``); one or two digits after a single dot make a decimal
  point, the English habit some French pages keep (``1.5 milliard``, ``2.25``). English text
  reads every dot as a decimal point.
* Number words go through ``text_to_num.text2num`` (the library's lexicon, not ours): each word
  is tested once (cached) and runs of number words are converted together (``cinq``,
  ``vingt et un``, ``twenty-two``). ``un``/``une``/``a``/``an``/``one`` alone are articles, not
  figures, unless a scale word follows (``un million``).
* Scale words and suffixes: ``mille``/``thousand``/``k``, ``million``/``M``/``mn``,
  ``milliard``/``Md``/``Mds``/``billion``/``bn``/``B``, ``trillion``/``tn``/``T``. French
  takes ``B``/``T``/``bn`` only glued to the digits, as tech pages write parameter counts
  (``400B de paramètres``, ``Llama 4 Scout, 109B``); ``Md$``, ``Mds$``, ``M€`` are read the same.
* ``un demi-milliard``/``half a billion`` (half the scale), ``2 milliards et demi``/``a billion
  and a half`` (plus half the scale), ``deux douzaines de millions``/``two dozen`` (twelve
  times, kind ``approx``), ``le trillion de dollars``/``the trillion dollars`` (one of the
  scale; French tech press means 10^12 by ``trillion``, see :mod:`extractors.quantities`).
* ``X ou Y``, ``X à Y``, ``entre X et Y``, ``X to Y``, ``between X and Y``, ``X-Y`` make a
  range; a scale written only after the second number applies to both (``5 ou 6 millions``).
* Scientific notation, as compute budgets are written: ``3.8 x 10^25``, ``10^25``, ``10²⁵``, ``1e25``.
* ``des centaines de milliers``, ``hundreds of millions`` … are vague amounts: the interval of
  the order of magnitude (10^5 to 10^6; 10^8 to 10^9).
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

from text_to_num import text2num

_MAX_DIGITS = 16
"""A run of more digits is a serial number or junk, never a figure we can trust."""

SHORT_SCALE = {
    "thousand": 1e3, "thousands": 1e3, "k": 1e3, "K": 1e3, "mille": 1e3,
    "million": 1e6, "millions": 1e6, "mn": 1e6, "M": 1e6, "m": 1e6,
    "milliard": 1e9, "milliards": 1e9, "md": 1e9, "mds": 1e9, "mrd": 1e9, "mrds": 1e9,
    "billion": 1e9, "billions": 1e9, "bn": 1e9, "B": 1e9, "b": 1e9,
    "trillion": 1e12, "trillions": 1e12, "tn": 1e12, "T": 1e12,
}
_VAGUE_BASE = {
    "dizaines": 10.0, "centaines": 100.0, "milliers": 1e3, "millions": 1e6, "milliards": 1e9,
    "tens": 10.0, "hundreds": 100.0, "thousands": 1e3, "millions_en": 1e6, "billions": 1e9,
    "trillions": 1e12,
}
_DENOMINATORS = {
    "half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4,
    "fifth": 5, "fifths": 5, "tenth": 10, "tenths": 10,
    "moitié": 2, "tiers": 3, "quart": 4, "quarts": 4, "cinquième": 5, "cinquièmes": 5,
    "dixième": 10, "dixièmes": 10,
}
_PLURAL_SCALES = {"hundreds", "thousands", "millions", "billions", "trillions", "dozens", "tens",
                  "centaines", "milliers", "dizaines", "milliards"}
_ARTICLES = {"un", "une", "a", "an", "one"}
_NOT_NUMBER_WORDS = {"neuf", "cent"}  # "neuf" is also "new", "cent" a coin: only inside a run
_ONE_POWER_UNIT = re.compile(r"[ \u00a0]+(?:gigawatts?|GW|mégawatts?|megawatts?|MW)(?![\w-])")
_SEP = "[ \u00a0\u202f]"

_DIGITS = {
    "fr": re.compile(
        rf"(?<![\w.,\u00a0\u202f])(?:\d{{1,3}}(?:{_SEP}\d{{3}})+(?:,\d+)?|\d{{1,3}}(?:\.\d{{3}})+(?![.,]?\d)|\d+(?:,\d+)?|\d+\.\d{{1,2}}(?!\d))(?![.,]?\d)",
        re.ASCII,
    ),
    "en": re.compile(
        r"(?<![\w.,])(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![.,]?\d)",
        re.ASCII,
    ),
}
_SCALE_AFTER = {
    "fr": re.compile(
        rf"(?:(?P<sfx2>B|T|bn)(?![\w])|{_SEP}?(?P<sfx>k|K|M|Md|Mds|Mrd|G)(?![\w])|{_SEP}+(?P<word>(?i:mille|millions?|milliards?|billions?|trillions?))\b"
        # « 6,6 mds de dollars », « 15 md€ »: the abbreviation in lower case, only before a currency
        rf"|{_SEP}?(?P<sfx3>mds?|mrd)(?=[ \u00a0]*(?:[$€£]|d(?:e|['’])[ \u00a0]*(?:dollars|euros)|dollars|euros)))"
    ),
    "en": re.compile(
        rf"(?:(?P<sfx>k|K|M|mn|bn|B|tn|T)(?![\w])|{_SEP}?(?P<sfx2>bn|mn|tn)\b|[ \u00a0\u202f-]+(?P<word>(?i:thousand|million|billion|trillion))s?\b)"
    ),
}
_SCIENTIFIC = re.compile(
    r"(?<![\w.,^])(?:(?P<m>\d{1,3}(?:[.,]\d+)?)[ \u00a0]*[x×*][ \u00a0]*)?10"
    r"(?:\^[ \u00a0]?(?P<e>[-−]?\d{1,3})|(?P<sup>⁻?[⁰¹²³⁴⁵⁶⁷⁸⁹]+))(?![\d⁰¹²³⁴⁵⁶⁷⁸⁹])"
)
_E_NOTATION = re.compile(r"(?<![\w.,])(?P<m>\d(?:\.\d+)?)[eE]\+?(?P<e>\d{1,2})(?![\w.,])")
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
_MONEY_SIGN_BEFORE = re.compile(r"[$€£][ \u00a0]?$")
_LOWER_SUFFIX = re.compile(r"(?P<sfx2>m|b)(?![\w])")
_GLUED_UNIT = re.compile(r"(?:[kMGT]Wh|[MGT]W)\+?(?![\w])")
"""Units written against the digits that still make a figure (``1GW``, ``2GW+``, ``11GWh``)."""
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_RANGE_OPENER = {
    "fr": re.compile(r"(?:entre|de|d[’'])\s*[$€£]?\s*$", re.IGNORECASE),
    "en": re.compile(r"(?:between|from)\s*[$€£]?\s*$", re.IGNORECASE),
}
_CHANGE_VERB = (r"(?:port\w*|pass\w*|augment\w*|grimp\w*|bondi\w*|relev\w*|abaiss\w*|ramen\w*|rédui\w*|réduit|"
                r"baiss\w*|chut\w*|recul\w*|doubl\w*|tripl\w*|progress\w*|gonfl\w*|étendre|étend\w*|"
                r"increas\w*|grow\w*|grew|grown|expand\w*|boost\w*|rais\w*|ris\w*|rose|climb\w*|jump\w*|"
                r"fell|fall\w*|drop\w*|cut\w*|lower\w*|reduc\w*|narrow\w*|widen\w*|hik\w*|bring\w*|brought|"
                r"went|go(?:es|ing)?|mov\w*|scal\w*|doubl\w*|tripl\w*|upgrad\w*)")
_FROM_TO = {
    "fr": re.compile(rf"\b{_CHANGE_VERB}\b[^.;:!?]{{0,60}}\b(?:de|d['’])\s*[$€£]?\s*$", re.IGNORECASE),
    "en": re.compile(rf"\b{_CHANGE_VERB}\b[^.;:!?]{{0,60}}\bfrom\s*[$€£]?\s*$", re.IGNORECASE),
}
_ABOUT_N = re.compile(r"\b(?:une?\s+)?(?P<w>dizaine|quinzaine|vingtaine|trentaine|quarantaine|cinquantaine|soixantaine|centaine)(?P<plural>s)?"
                      r"(?:\s+(?:de|d['’])\s*(?P<scale>milliers|millions|milliards))?\b", re.IGNORECASE)
_DOZEN = {
    "fr": re.compile(r"\b(?P<n>une?|[^\W\d_]+|\d+)[ \u00a0]+douzaines?(?:[ \u00a0]+(?:de|d['’])[ \u00a0]*(?P<scale>milliers|millions|milliards))?\b",
                     re.IGNORECASE),
    "en": re.compile(r"\b(?P<n>a|[^\W\d_]+|\d+)[ \u00a0]+dozen(?:[ \u00a0]+(?P<scale>thousand|million|billion))?\b", re.IGNORECASE),
}
_HALF_SCALE = {
    "fr": re.compile(r"\b(?:une?[ \u00a0]+)?demi[- \u00a0]?(?P<scale>millions?|milliards?)\b", re.IGNORECASE),
    "en": re.compile(r"\b(?:half[ \u00a0]+an?|an?[ \u00a0]+half)[- \u00a0]?(?P<scale>thousand|million|billion|trillion)\b", re.IGNORECASE),
}
_AND_A_HALF = {
    "fr": re.compile(r"[ \u00a0]+et[ \u00a0]+demie?\b", re.IGNORECASE),
    "en": re.compile(r"[ \u00a0]+and[ \u00a0]+a[ \u00a0]+half\b", re.IGNORECASE),
}
_THE_SCALE = {
    "fr": re.compile(r"\b(?:le|du)[ \u00a0]+(?P<scale>million|milliard|trillion)\b(?=[ \u00a0]+(?:de|d['’])[ \u00a0]*(?:dollars|euros))",
                     re.IGNORECASE),
    "en": re.compile(r"\bthe[ \u00a0]+(?P<scale>million|billion|trillion)\b(?=[ \u00a0]+(?:dollars|euros|pounds))", re.IGNORECASE),
}
_ABOUT_VALUES = {"dizaine": 10, "quinzaine": 15, "vingtaine": 20, "trentaine": 30, "quarantaine": 40,
                 "cinquantaine": 50, "soixantaine": 60, "centaine": 100}
_VAGUE = {
    "fr": re.compile(
        r"\b(?:(?P<det>des|de|plusieurs|quelques|par|aux|les)\s+)?(?P<base>dizaines|centaines|milliers|millions|milliards)"
        r"(?:\s+(?:de\s+|d[’'])(?P<scale>milliers|millions|milliards))?"
        r"(?:\s+et\s+des\s+(?P=base))?\b",
        re.IGNORECASE,
    ),
    "en": re.compile(
        r"\b(?P<base>tens|hundreds|thousands|millions|billions|trillions)(?:\s+(?:and|or)\s+(?P=base))?"
        r"(?:\s+of\s+(?P<scale>thousands|millions|billions)\b)?\b",
        re.IGNORECASE,
    ),
}
_FRACTION = {
    "fr": re.compile(r"\b(?P<num>un|une|deux|trois|quatre|cinq|neuf)[\s-]+(?P<den>tiers|quarts?|cinquièmes?|dixièmes?)\b", re.IGNORECASE),
    "en": re.compile(r"\b(?P<num>a|one|two|three|four|five|nine)[\s-]+(?P<den>half|halves|thirds?|quarters?|fifths?|tenths?)\b", re.IGNORECASE),
}


@dataclass(frozen=True, slots=True)
class Number:
    """A number in the text: ``low == high`` for a point or an ``approx`` count (``une trentaine``);
    ``kind`` ``point``/``approx``/``range``/``vague``."""

    start: int
    end: int
    low: float
    high: float
    kind: str
    scale: str | None = None
    """The scale word or suffix as written (``milliard``, ``bn``), lowercased; None if none."""
    bare_integer: bool = False
    """Digits only, no decimals, separators or scale: a year or an ordinal is possible."""


def find_numbers(text: str, lang: str) -> list[Number]:
    """Every number in ``text`` (``lang`` ``fr``/``en``), in text order, spans not overlapping."""
    atoms = (_scientific(text) + _half_scales(text, lang) + _dozens(text, lang) + _the_scale(text, lang) + _digit_atoms(text, lang)
             + _word_atoms(text, lang) + _fractions(text, lang) + _about_n(text, lang))
    atoms.sort(key=lambda n: (n.start, -n.end))
    atoms = _drop_overlaps([_and_a_half(text, lang, a) for a in _drop_overlaps(atoms)])
    numbers = _join_ranges(text, lang, atoms)
    vague = [v for v in _vague(text, lang) if not any(v.start < n.end and n.start < v.end for n in numbers)]
    out = numbers + vague
    out.sort(key=lambda n: n.start)
    return out


def scale_value(word: str, lang: str) -> float:
    """Value of a scale word or suffix (short scale; French ``billion`` is decided by the caller)."""
    if word in SHORT_SCALE:
        return SHORT_SCALE[word]
    return SHORT_SCALE.get(word.lower(), 1.0)


def _digit_atoms(text: str, lang: str) -> list[Number]:
    out: list[Number] = []
    scale_rx = _SCALE_AFTER[lang]
    for m in _DIGITS[lang].finditer(text):
        raw = m.group()
        value = _parse_digits(raw, lang)
        if value is None:
            continue
        end, scale = m.end(), None
        sm = scale_rx.match(text, end)
        if sm is None and _MONEY_SIGN_BEFORE.search(text, max(0, m.start() - 4), m.start()):
            sm = _LOWER_SUFFIX.match(text, end)  # "$5m", "£2b": lower case only after a currency sign
        if sm is not None:
            groups = sm.groupdict()
            scale = groups.get("sfx") or groups.get("sfx2") or groups.get("sfx3") or str(groups.get("word")).lower()
            mult = scale_value(scale if scale in ("M", "B", "T", "K", "G") else scale.lower(), lang)
            if scale == "G":
                mult = 1e9
            value *= mult
            end = sm.end()
            scale = scale if scale in ("M", "B", "T", "K", "G") else scale.lower()
        elif end < len(text) and (text[end].isalpha() or text[end] == "_") and not _multiplier_suffix(text, end):
            continue  # "4o", "3D", "2nd": part of a word, not a figure
        bare = scale is None and raw.isdigit()
        if not math.isfinite(value):
            continue
        out.append(Number(m.start(), end, value, value, "point", scale, bare))
    return out


def _multiplier_suffix(text: str, end: int) -> bool:
    """"10x", "2GW", "500MW": a unit written against the number, which stays a figure."""
    if text[end] in "x×":
        return end + 1 >= len(text) or not text[end + 1].isalnum()
    return _GLUED_UNIT.match(text, end) is not None


def _parse_digits(raw: str, lang: str) -> float | None:
    digits = sum(c.isdigit() for c in raw)
    if digits > _MAX_DIGITS:
        return None
    s = re.sub(_SEP, "", raw)
    if lang == "fr":
        if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", s):
            s = s.replace(".", "")
        s = s.replace(",", ".")
    else:
        s = s.replace(",", "")
    try:
        return float(s)
    except ValueError:
        return None


def word_number(word: str, lang: str) -> int | None:
    """One whole number written in digits or as one word ("5", "cinq", "fifteen"), else None."""
    if word.isdigit():
        return int(word)
    return _word_value(word, lang)


@functools.lru_cache(maxsize=4096)
def _word_value(word: str, lang: str) -> int | None:
    w = word.lower()
    if w in ("et", "and") or w in _PLURAL_SCALES or (len(w) < 2 and w != "a"):
        return None
    try:
        return int(text2num(w, lang))
    except (ValueError, IndexError, TypeError, AssertionError):
        return None


def _is_scale_word(w: str) -> bool:
    return w.lower() in ("mille", "million", "millions", "milliard", "milliards", "billion", "billions",
                         "trillion", "trillions", "thousand", "thousands")


_ELIDED = re.compile(r"(?:[dl]|qu)['’](?=[^\W\d_])", re.IGNORECASE)


def _unelided(start: int, end: int, word: str) -> tuple[int, int, str]:
    """« d'un » is « un » after an elided « de » (« plus d'un million de GPU », « près d'un
    milliard »): the word read as a number starts after the apostrophe."""
    m = _ELIDED.match(word)
    return (start + m.end(), end, word[m.end():]) if m else (start, end, word)


def _word_atoms(text: str, lang: str) -> list[Number]:
    out: list[Number] = []
    words = [_unelided(m.start(), m.end(), m.group()) if lang == "fr" else (m.start(), m.end(), m.group())
             for m in _WORD.finditer(text)]
    i = 0
    n = len(words)
    while i < n:
        s, e, w = words[i]
        lw = w.lower()
        if not (_word_value(w, lang) is not None or (lw in ("a", "an") and lang == "en")):
            i += 1
            continue
        j = i
        run: list[str] = []
        while j < n:
            ws, we, ww = words[j]
            if j > i and text[words[j - 1][1]:ws].strip(" \u00a0\u202f-") != "":
                break
            lww = ww.lower()
            if _word_value(ww, lang) is not None or (j == i and lww in ("a", "an")):
                run.append(ww)
                j += 1
            elif run and _is_scale_word(ww):
                run.append(ww)  # "cinq milliards", "Treize milliards": a plural scale ends the run
                j += 1
                break
            elif lww in ("et", "and") and run and j + 1 < n and _word_value(words[j + 1][2], lang) is not None \
                    and not _is_scale_word(words[j + 1][2]) and text[we:words[j + 1][0]].strip() == "" \
                    and _joins(run[-1], words[j + 1][2]):
                run.append(ww)
                j += 1
            else:
                break
        start, end = s, words[j - 1][1]
        scale = None
        if run and _is_scale_word(run[-1]):
            scale = run[-1].lower()
            run = run[:-1]
        core = " ".join(run)
        if not run:
            i = j
            continue
        if scale is None and (core.lower() in _ARTICLES or core.lower() in _NOT_NUMBER_WORDS) \
                and not (core.lower() in _ARTICLES and _ONE_POWER_UNIT.match(text, end)):
            i = j  # « un gigawatt », "one gigawatt of capacity": the article counts one of the unit
            continue
        if core.lower() in _ARTICLES:
            value = 1.0
        else:
            try:
                value = float(text2num(core.lower(), lang))
            except (ValueError, IndexError, TypeError, AssertionError):
                i = j
                continue
        if scale is not None:
            value *= SHORT_SCALE[scale] if scale in SHORT_SCALE else 1.0
        out.append(Number(start, end, value, value, "point", scale, False))
        i = j
    return out


def _joins(before: str, after: str) -> bool:
    """Whether "et"/"and" between two number words makes one number: « vingt et un », « soixante
    et onze », "a hundred and five"; not « entre dix et cent milliards », "ten and twenty"."""
    return after.lower() in ("un", "une", "onze") or before.lower() in ("hundred", "thousand")


def _fractions(text: str, lang: str) -> list[Number]:
    out = []
    for m in _FRACTION[lang].finditer(text):
        num_word = m.group("num").lower()
        num = 1 if num_word in _ARTICLES else _word_value(num_word, lang)
        den = _DENOMINATORS.get(m.group("den").lower())
        if num and den:
            out.append(Number(m.start(), m.end(), num / den, num / den, "point"))
    return out


def _about_n(text: str, lang: str) -> list[Number]:
    """French approximate counts: "une trentaine de millions" is about 3×10^7 (kind ``approx``)."""
    if lang != "fr":
        return []
    out = []
    for m in _ABOUT_N.finditer(text):
        if m.group("plural"):
            continue  # "des centaines de milliers" is a vague amount, read by _vague
        value = float(_ABOUT_VALUES[m.group("w").lower()])
        scale = m.group("scale")
        if scale:
            value *= SHORT_SCALE[{"milliers": "mille", "millions": "millions", "milliards": "milliards"}[scale.lower()]]
        out.append(Number(m.start(), m.end(), value, value, "approx", scale.lower() if scale else None))
    return out


def _scientific(text: str) -> list[Number]:
    """``3.8 x 10^25``, ``3,8 × 10^25``, ``10^25``, ``10²⁵``, ``1e25`` (compute budgets in FLOP)."""
    out: list[Number] = []
    for m in _SCIENTIFIC.finditer(text) if "10" in text else ():
        exponent = int((m.group("e") or m.group("sup")).translate(_SUPERSCRIPTS).replace("−", "-"))
        mantissa = float(m.group("m").replace(",", ".")) if m.group("m") else 1.0
        value = mantissa * 10.0 ** exponent
        out.append(Number(m.start(), m.end(), value, value, "point"))
    for m in _E_NOTATION.finditer(text):
        if int(m.group("e")) >= 6:  # "1e25 FLOPS"; a small exponent is more often a code or a name
            value = float(m.group("m")) * 10.0 ** int(m.group("e"))
            out.append(Number(m.start(), m.end(), value, value, "point"))
    return out


def _half_scales(text: str, lang: str) -> list[Number]:
    """``un demi-milliard``, ``half a billion``: half the scale word."""
    out: list[Number] = []
    low = text.lower()
    if "demi" not in low and "half" not in low:
        return out
    for m in _HALF_SCALE[lang].finditer(text):
        scale = m.group("scale").lower()
        value = 0.5 * scale_value(scale, lang)
        out.append(Number(m.start(), m.end(), value, value, "point", scale))
    return out


def _dozens(text: str, lang: str) -> list[Number]:
    """``deux douzaines de millions`` (about 24 million), ``a dozen``: twelve times the count."""
    out: list[Number] = []
    low = text.lower()
    if "douzaine" not in low and "dozen" not in low:
        return out
    for m in _DOZEN[lang].finditer(text):
        word = m.group("n")
        count = 1 if word.lower() in _ARTICLES else int(word) if word.isdigit() else _word_value(word, lang)
        if count is None:
            continue
        scale = m.group("scale")
        value = 12.0 * count * (scale_value(_SCALE_OF_VAGUE.get(scale.lower(), scale), lang) if scale else 1.0)
        out.append(Number(m.start(), m.end(), value, value, "approx", scale.lower() if scale else None))
    return out


_SCALE_OF_VAGUE = {"milliers": "mille", "millions": "millions", "milliards": "milliards"}


def _the_scale(text: str, lang: str) -> list[Number]:
    """``le trillion de dollars``, ``the trillion dollars``: one of the scale (French tech press
    writes ``trillion`` for 10^12, the English way; :mod:`extractors.quantities` keeps it short
    scale)."""
    out = []
    for m in _THE_SCALE[lang].finditer(text):
        scale = m.group("scale").lower()
        value = scale_value(scale, lang)
        out.append(Number(m.start("scale"), m.end(), value, value, "point", scale))
    return out


def _and_a_half(text: str, lang: str, n: Number) -> Number:
    """``1 milliard et demi``, ``deux millions et demi``, ``a billion and a half``: plus half the scale."""
    if n.kind != "point" or n.scale is None:
        return n
    m = _AND_A_HALF[lang].match(text, n.end)
    if m is None:
        return n
    value = n.low + 0.5 * scale_value(n.scale, lang)
    return Number(n.start, m.end(), value, value, "point", n.scale)


def _drop_overlaps(atoms: list[Number]) -> list[Number]:
    out: list[Number] = []
    for a in atoms:
        if out and a.start < out[-1].end:
            continue
        out.append(a)
    return out


def _join_ranges(text: str, lang: str, atoms: list[Number]) -> list[Number]:
    out: list[Number] = []
    i = 0
    while i < len(atoms):
        a = atoms[i]
        if i + 1 < len(atoms):
            b = atoms[i + 1]
            gap = text[a.end:b.start]
            joined = _range_of(text, lang, a, b, gap)
            if joined is not None:
                out.append(joined)
                i += 2
                continue
            a = _shared_scale(text, lang, a, b, gap)
        out.append(a)
        i += 1
    return out


def _shared_scale(text: str, lang: str, a: Number, b: Number, gap: str) -> Number:
    """In a change from one figure to another the scale written after the second is the first's
    too: « passant de 1 000 à 4 000 milliards de dollars », "from 5 to 7 billion"."""
    g = gap.strip(" \u00a0\u202f").lower()
    if a.scale is not None or b.scale is None or a.kind != "point" or g not in ("à", "to"):
        return a
    if not _FROM_TO[lang].search(text[max(0, a.start - 80):a.start]):
        return a
    mult = scale_value(b.scale, lang)
    if not 0 < a.low < b.low / mult * 10:
        return a
    return Number(a.start, a.end, a.low * mult, a.high * mult, "point", b.scale, False)


def _range_of(text: str, lang: str, a: Number, b: Number, gap: str) -> Number | None:
    if len(gap) > 8:
        return None
    g = gap.strip(" \u00a0\u202f").lower()
    g_currency = re.sub(r"^[$€£]|[$€£]$", "", g).strip()
    ok = {"fr": ("ou", "à", "-", "–", "—"), "en": ("or", "to", "-", "–", "—")}[lang]
    if g_currency not in ok and g_currency not in ("et", "and"):
        return None
    if g_currency in ("et", "and") and not _RANGE_OPENER[lang].search(text[max(0, a.start - 12):a.start]):
        return None
    if g_currency in ("à", "to") and _FROM_TO[lang].search(text[max(0, a.start - 80):a.start]):
        return None  # "porter Colossus de 100 000 à 200 000 GPU": a change from one figure to another, not a range
    if g_currency in ("-", "–", "—") and (a.bare_integer and b.bare_integer and a.low >= 1900):
        return None
    if a.bare_integer and 1900 <= a.low <= 2100 and (b.scale is not None or g != g_currency):
        return None  # "since 2023 to $8 billion": a year, then an amount
    low, high = a.low, b.low
    if a.scale is None and b.scale is not None and low < high / scale_value(b.scale, lang) * 10:
        low = a.low * scale_value(b.scale, lang)
    if not low < high:
        return None
    return Number(a.start, b.end, low, high, "range", b.scale, False)


def _vague(text: str, lang: str) -> list[Number]:
    out = []
    for m in _VAGUE[lang].finditer(text):
        base_word = m.group("base").lower()
        if lang == "en" and base_word == "millions":
            base_word = "millions_en"
        base = _VAGUE_BASE[base_word]
        if lang == "fr" and m.group("det") is None and base_word in ("millions", "milliards"):
            continue  # "5 millions" is a scale, handled as a digit atom; bare "millions" alone is not
        scale_word = m.group("scale")
        scale = _VAGUE_BASE[scale_word.lower()] if scale_word else 1.0
        if lang == "en" and scale_word and scale_word.lower() == "millions":
            scale = 1e6
        low = base * scale
        out.append(Number(m.start("base"), m.end(), low, low * 10, "vague", scale_word.lower() if scale_word else base_word))
    return out
