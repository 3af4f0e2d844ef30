"""Tests of the Arabic matching key (DOMAIN.md §4) and digit normalisation."""

from hypothesis import given
from hypothesis import strategies as st

from core.text import name_key, normalize_arabic, normalize_digits, search_tokens

# Arabic letters, including the folded forms and the hamza-seat letters (U+0621–U+064A), the
# alef wasla and Persian yeh/kaf, spaces and a hyphen: enough to build realistic names.
ARABIC_LETTERS = [chr(c) for c in range(0x0621, 0x063B)] + [chr(c) for c in range(0x0641, 0x064B)]
ARABIC_LETTERS += ["ٱ", "ی", "ک", " ", "-"]
arabic_text = st.text(alphabet=st.sampled_from(ARABIC_LETTERS), max_size=40)

# Marks a writer may add to a word: harakat, tanween, shadda, sukun, superscript alef, Quranic
# marks and tatweel. Madda and hamza above/below (U+0653–U+0655) are left out on purpose: they
# combine with the letter (ا + ٔ = أ, ي + ٔ = ئ), so they write a different letter, not a
# diacritic on the same one.
ADDED_MARKS = (
    [chr(c) for c in range(0x064B, 0x0653)]
    + [chr(c) for c in range(0x0656, 0x0660)]
    + ["\u0670", "\u0640"]
    + [chr(c) for c in range(0x0610, 0x061B)]
    + [chr(c) for c in range(0x06D6, 0x06EE)]
)
STRIPPED = {
    *range(0x064B, 0x0660),
    0x0670,
    *range(0x0610, 0x061B),
    *range(0x06D6, 0x06EE),
    0x0640,
}


def test_domain_pairs_have_equal_keys() -> None:
    pairs = [
        ("عبدُ اللهِ بن محمد آل سعود", "عبدالله محمد السعود"),
        ("فاطِمة بنت أحمد", "فاطمه احمد"),
        ("مصطفى", "مصطفي"),
        ("إبراهيم", "ابراهيم"),
    ]
    for left, right in pairs:
        assert normalize_arabic(left) == normalize_arabic(right), (left, right)


def test_key_values() -> None:
    assert normalize_arabic("عبدُ اللهِ بن محمد آل سعود") == "عبدالله محمد السعود"
    assert normalize_arabic("فاطِمة بنت أحمد") == "فاطمه احمد"
    assert normalize_arabic("  أحمـــد   ابن  علي ") == "احمد علي"
    assert normalize_arabic("آمنة") == "امنه"
    assert normalize_arabic("ٱلرحمن") == "الرحمن"
    assert normalize_arabic("ی ک") == "ي ك"


def test_key_folds_punctuation_digits_latin_and_invisible_marks() -> None:
    assert normalize_arabic("Ahmed AL-Otaibi") == "ahmed al otaibi"
    assert normalize_arabic("محمد،علي") == "محمد علي"
    assert normalize_arabic("\u200fمحمد\u200e") == "محمد"
    assert normalize_arabic("١٢٣ ۴۵۶") == "123 456"
    # Presentation forms (from old PDFs) become ordinary letters under NFKC.
    assert normalize_arabic("\ufefb") == normalize_arabic("لا")


def test_abd_compounds_and_al_family_names() -> None:
    assert normalize_arabic("عبد الرحمن") == normalize_arabic("عبدالرحمن") == "عبدالرحمن"
    assert normalize_arabic("عبد العزيز") == "عبدالعزيز"
    # عبد followed by a word without the article stays separate.
    assert normalize_arabic("عبد ربه") == "عبد ربه"
    assert normalize_arabic("آل الشيخ") == "الالشيخ"
    assert normalize_arabic("آل عبد الله") == normalize_arabic("آل عبدالله") == "العبدالله"
    # Particles are dropped only as whole words.
    assert normalize_arabic("بنان بنتن") == "بنان بنتن"


def test_canonically_equivalent_spellings_match() -> None:
    # أ typed as one code point or as alef + combining hamza.
    assert normalize_arabic("أحمد") == normalize_arabic("ا\u0654حمد") == "احمد"
    assert normalize_arabic("آمنه") == normalize_arabic("ا\u0653منه")


def test_empty_and_blank() -> None:
    assert normalize_arabic("") == ""
    assert normalize_arabic("  \u0640 \u064e ") == ""
    assert normalize_arabic("بن") == ""


def test_normalize_digits() -> None:
    assert normalize_digits("٠١٢٣٤٥٦٧٨٩") == "0123456789"
    assert normalize_digits("۰۱۲۳۴۵۶۷۸۹") == "0123456789"
    assert normalize_digits("١٢٬٥٠٠٫٧٥") == "12500.75"
    assert normalize_digits("abc 123") == "abc 123"


def test_name_key() -> None:
    assert name_key("عبدُ الله", "محمد", "", "آل سعود") == "عبدالله محمد السعود"
    assert name_key("فاطِمة", "أحمد", "علي", "العتيبي") == "فاطمه احمد علي العتيبي"
    assert name_key("", "") == ""
    assert name_key("عبدالله", "بن", "محمد") == "عبدالله محمد"


def test_search_tokens() -> None:
    assert search_tokens("عبدالله بن محمد العتيبي") == ["عبدالله", "محمد", "العتيبي", "عتيبي"]
    assert search_tokens("آل سعود") == ["السعود", "سعود"]
    # «الله» is four letters: not split into «له».
    assert search_tokens("الله الله") == ["الله"]
    assert search_tokens("محمد محمد") == ["محمد"]
    assert search_tokens("") == []


@given(st.text())
def test_key_is_idempotent_on_any_text(text: str) -> None:
    key = normalize_arabic(text)
    assert normalize_arabic(key) == key


@given(arabic_text)
def test_key_is_idempotent_on_arabic(text: str) -> None:
    key = normalize_arabic(text)
    assert normalize_arabic(key) == key


@given(arabic_text, st.data())
def test_diacritics_and_tatweel_do_not_change_the_key(text: str, data: st.DataObject) -> None:
    decorated = []
    for char in text:
        decorated.append(char)
        decorated.extend(data.draw(st.lists(st.sampled_from(ADDED_MARKS), max_size=3)))
    assert normalize_arabic("".join(decorated)) == normalize_arabic(text)


@given(st.text())
def test_key_never_contains_stripped_characters(text: str) -> None:
    assert not any(ord(ch) in STRIPPED for ch in normalize_arabic(text))


@given(st.text(alphabet=st.sampled_from([*ARABIC_LETTERS, *ADDED_MARKS]), max_size=40))
def test_key_of_decorated_arabic_never_contains_stripped_characters(text: str) -> None:
    assert not any(ord(ch) in STRIPPED for ch in normalize_arabic(text))
