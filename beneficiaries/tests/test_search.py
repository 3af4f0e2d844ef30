"""One search box: any name part in any spelling (DOMAIN.md §4), identity number, phone in any
format; ranked; scoped to the user's branch."""

import pytest

from beneficiaries import selectors
from tests_support.factories import make_beneficiary

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(officer):
    return {
        "ibrahim": make_beneficiary(
            officer,
            first_name="إبراهيم",
            father_name="عبدُ اللهِ",
            grandfather_name="محمد",
            family_name="آل سعود",
            mobile="+966551234567",
            id_number="1000000008",
        ),
        "fatima": make_beneficiary(
            officer,
            first_name="فاطِمة",
            father_name="أحمد",
            grandfather_name="علي",
            family_name="العتيبي",
            gender="female",
        ),
        "mustafa": make_beneficiary(
            officer, first_name="مصطفى", father_name="سالم", family_name="الحربي"
        ),
        "ibrahim2": make_beneficiary(
            officer,
            first_name="محمد",
            father_name="ابراهيم",
            grandfather_name="سعد",
            family_name="الدوسري",
        ),
    }


def _search(user, q):
    return selectors.beneficiary_search(user, q)


@pytest.mark.parametrize(
    ("query", "who"),
    [
        ("ابراهيم السعود", "ibrahim"),
        ("إبراهيم عبد الله", "ibrahim"),
        ("عبدالله آل سعود", "ibrahim"),
        ("فاطمه", "fatima"),
        ("فاطمة بنت احمد", "fatima"),
        ("عتيبي", "fatima"),
        ("العتيب", "fatima"),
        ("مصطفي", "mustafa"),
        ("مُصْطَفَى الحربي", "mustafa"),
    ],
)
def test_finds_a_name_in_any_spelling(officer, people, query, who):
    assert people[who].pk in _search(officer, query)


def test_every_word_must_match(officer, people):
    assert _search(officer, "فاطمة الحربي") == []


@pytest.mark.parametrize(
    "phone",
    [
        "0551234567",
        "551234567",
        "966551234567",
        "+966551234567",
        "00966551234567",
        "٠٥٥١٢٣٤٥٦٧",
        "055 123 4567",
    ],
)
def test_finds_by_phone_in_any_format(officer, people, phone):
    assert _search(officer, phone) == [people["ibrahim"].pk]


def test_finds_by_identity_number_in_any_digits(officer, people):
    assert _search(officer, "1000000008") == [people["ibrahim"].pk]
    assert _search(officer, "١٠٠٠٠٠٠٠٠٨") == [people["ibrahim"].pk]


def test_first_name_match_ranks_before_father_name_match(officer, people):
    results = _search(officer, "ابراهيم")
    assert results.index(people["ibrahim"].pk) < results.index(people["ibrahim2"].pk)


def test_search_is_scoped_to_the_branch(other_rep, representative):
    mine = make_beneficiary(representative, first_name="خالد")
    assert _search(other_rep, "خالد") == []
    assert _search(representative, "خالد") == [mine.pk]


def test_a_one_letter_query_finds_nothing_rather_than_everything(officer, people):
    assert _search(officer, "م") == []


def test_search_page_shows_ranked_results(client, officer, people):
    client.force_login(officer)
    response = client.get("/beneficiaries/", {"q": "ابراهيم"})
    rows = list(response.context["page"].object_list)
    assert rows[0] == people["ibrahim"]
