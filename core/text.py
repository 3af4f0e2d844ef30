"""Arabic text helpers: digit normalisation and the name matching key (DOMAIN.md §4).

The matching key exists only to *find* people (search, duplicate detection). It is lossy on
purpose: staff type names with or without diacritics, with any alef form, with ة or ه, with
"بن" or without. The original spelling is always what the system displays.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["name_key", "normalize_arabic", "normalize_digits", "search_tokens"]

# Arabic-Indic (U+0660–U+0669) and Extended Arabic-Indic / Persian (U+06F0–U+06F9) digits to
# ASCII; the Arabic decimal separator becomes "." and the Arabic thousands separator vanishes,
# so "١٢٬٥٠٠٫٧٥" reads as "12500.75".
_DIGITS = {0x0660 + i: str(i) for i in range(10)} | {0x06F0 + i: str(i) for i in range(10)}
_DIGITS |= {0x066B: ".", 0x066C: ""}

# Diacritic ranges of DOMAIN.md §4 plus tatweel (U+0640).
_STRIPPED_RANGES: tuple[tuple[int, int], ...] = (
    (0x064B, 0x065F),
    (0x0670, 0x0670),
    (0x0610, 0x061A),
    (0x06D6, 0x06ED),
    (0x0640, 0x0640),
)
_STRIPPED = frozenset(c for lo, hi in _STRIPPED_RANGES for c in range(lo, hi + 1))

# Madda and hamza above/below (U+0653–U+0655) *compose* with a preceding letter under NFKC
# (ا + ٓ → آ, ي + ٔ → ئ), so they must survive until after NFKC to keep canonically equivalent
# spellings equal. Every other stripped mark can go before NFKC, which also keeps it from
# blocking such a composition when it sits between the letter and the hamza.
_COMPOSING_MARKS = frozenset({0x0653, 0x0654, 0x0655})
_PRE_STRIPPED = _STRIPPED - _COMPOSING_MARKS

# Letter folds of DOMAIN.md §4: alef forms, taa marbuta, alef maqsura, Persian yeh and kaf.
_FOLDS = {
    0x0623: "ا",  # أ
    0x0625: "ا",  # إ
    0x0622: "ا",  # آ
    0x0671: "ا",  # ٱ
    0x0629: "ه",  # ة
    0x0649: "ي",  # ى
    0x06CC: "ي",  # ی
    0x06A9: "ك",  # ک
}

# Particles that appear in free-text names ("عبدالله بن محمد") but are not name parts.
_PARTICLES = frozenset({"بن", "ابن", "بنت"})
_ARTICLE = "ال"
_ABD = "عبد"

_SPACES = re.compile(r"\s+")


def normalize_digits(value: str) -> str:
    """Convert Arabic-Indic and Persian digits (and Arabic separators) to ASCII.

    Arabic keyboards and phones type ٠-٩ or ۰-۹; validators, parsers and the database expect
    ASCII, so every user-typed number goes through here first.
    """
    return value.translate(_DIGITS)


def _drop_invisible_and_marks(value: str, marks: frozenset[int]) -> str:
    """Remove format characters (RLM, ZWNJ, …) and the given combining marks.

    Text pasted from Arabic documents often carries invisible direction marks, which would
    otherwise make two identical-looking names differ.
    """
    return "".join(ch for ch in value if ord(ch) not in marks and unicodedata.category(ch) != "Cf")


def _is_separator(ch: str) -> bool:
    """Punctuation (incl. hyphens, Arabic comma) separates words in a name."""
    return unicodedata.category(ch).startswith("P")


def _merge_tokens(tokens: list[str]) -> list[str]:
    """Join «عبد ال…» compounds first, then a standalone article (آل folded to ال) with its word.

    عبد compounds go first so that «آل عبد الله» and «آل عبدالله» both end as «العبدالله».
    """
    joined: list[str] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok == _ABD and i + 1 < len(tokens) and tokens[i + 1].startswith(_ARTICLE):
            joined.append(tok + tokens[i + 1])
            i += 2
        else:
            joined.append(tok)
            i += 1

    merged: list[str] = []
    i = 0
    while i < len(joined):
        tok = joined[i]
        if tok == _ARTICLE and i + 1 < len(joined):
            merged.append(tok + joined[i + 1])
            i += 2
        else:
            merged.append(tok)
            i += 1
    return merged


def normalize_arabic(value: str) -> str:
    """Return the matching key of a name or free text (DOMAIN.md §4).

    Equal keys mean "probably the same name": «عبدُ اللهِ بن محمد آل سعود» and
    «عبدالله محمد السعود» both give «عبدالله محمد السعود». The function is idempotent, so a
    stored key can be compared with the key of a fresh query.
    """
    if not value:
        return ""
    text = _drop_invisible_and_marks(value, _PRE_STRIPPED)
    text = unicodedata.normalize("NFKC", text)
    # NFKC may itself produce marks or tatweel (presentation forms such as U+FE71).
    text = "".join(ch for ch in text if ord(ch) not in _STRIPPED)
    # Removing marks can unblock a composition (Latin e + mark + acute): recompose so that a
    # second pass finds nothing left to do.
    text = unicodedata.normalize("NFC", text)
    text = normalize_digits(text.translate(_FOLDS)).lower()
    text = "".join(" " if _is_separator(ch) else ch for ch in text)
    tokens = [tok for tok in text.split() if tok not in _PARTICLES]
    return " ".join(_merge_tokens(tokens))


def name_key(*parts: str) -> str:
    """Key of a multi-part name (first, father, grandfather, family), one space between parts.

    Parts are normalised one by one so that an empty or particle-only part leaves no gap.
    """
    keys = (normalize_arabic(part) for part in parts if part)
    return " ".join(key for key in keys if key)


def search_tokens(text: str) -> list[str]:
    """Tokens under which a name is indexed for prefix search.

    The distinct tokens of the matching key, in order; a token with the article (longer than
    four letters, so «الله» stays whole) is also indexed without it, so that «عتيبي» finds
    «العتيبي» and «سعود» finds «آل سعود».
    """
    result: list[str] = []
    seen: set[str] = set()
    for token in normalize_arabic(text).split():
        candidates = [token]
        if token.startswith(_ARTICLE) and len(token) > 4:
            candidates.append(token[len(_ARTICLE) :])
        for candidate in candidates:
            if candidate not in seen:
                seen.add(candidate)
                result.append(candidate)
    return result


def part_key(value: str) -> str:
    """The key of one name part with its inner spaces removed («ضيف الله» → «ضيفالله»), so a
    compound given or family name is one indexed value however it was typed."""
    return normalize_arabic(value).replace(" ", "")[:60]


# A run of at least nine digits, possibly spaced or dashed, with an optional + or 00: identity
# numbers, mobiles in any of their forms, the digits of an IBAN.
_LONG_NUMBER = re.compile(r"(?:\+|\b00)?\d(?:[\s\-]?\d){8,}")
_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")


def mask_personal(text: str) -> str:
    """Free text with identity numbers, phones, IBAN digits and e-mail addresses masked, for
    comments shown to people who must not see who wrote them (survey results). Arabic-Indic
    digits are masked too; everything else is left as written. Only the last two digits of a
    number stay, enough to tell two numbers apart, never to find the person."""

    def number(match: re.Match) -> str:
        digits = [c for c in match.group(0) if c.isdigit()]
        return "*" * (len(digits) - 2) + "".join(digits[-2:])

    text = normalize_digits(text)
    text = _EMAIL.sub("***@***", text)
    return _LONG_NUMBER.sub(number, text)
