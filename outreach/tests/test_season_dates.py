"""Seasons around Hijri dates: usual Umm al-Qura starts, a manager's date for the moon
sighting, and which occurrence a rule "N days before" sees."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from core.hijri import hijri_to_gregorian
from outreach import services
from outreach.models import Season, SeasonDate
from outreach.seasons import next_occurrences, occurrence, upcoming, usual_dates

D = datetime.date
RAMADAN_1448 = D(2027, 2, 8)  # 1/9/1448 in Umm al-Qura


@pytest.fixture
def ramadan(db):
    return Season.objects.get(code="ramadan")


def test_the_five_seasons_are_seeded(db):
    assert set(Season.objects.values_list("code", flat=True)) == {
        "ramadan",
        "eid_fitr",
        "eid_adha",
        "school_year",
        "winter",
    }


def test_ramadan_starts_on_its_umm_al_qura_day(ramadan):
    starts, ends = usual_dates(ramadan, 1448)
    assert starts == RAMADAN_1448 == hijri_to_gregorian(1448, 9, 1)
    # Ramadan 1448 has 29 days in Umm al-Qura: day 30 is taken as its last day.
    assert ends == hijri_to_gregorian(1448, 9, 29) == D(2027, 3, 8)


def test_eid_al_adha_is_the_tenth_of_dhu_al_hijjah(db):
    starts, ends = usual_dates(Season.objects.get(code="eid_adha"), 1447)
    assert starts == hijri_to_gregorian(1447, 12, 10) == D(2026, 5, 27)
    assert ends == D(2026, 5, 30)


def test_winter_ends_in_the_next_gregorian_year(db):
    starts, ends = usual_dates(Season.objects.get(code="winter"), 2026)
    assert (starts, ends) == (D(2026, 12, 1), D(2027, 2, 28))
    assert usual_dates(Season.objects.get(code="winter"), 2027)[1] == D(2028, 2, 29)


def test_a_managers_date_replaces_the_usual_one(ramadan, manager):
    services.season_date_set(
        actor=manager,
        season=ramadan,
        year=1448,
        starts_on=D(2027, 2, 9),
        ends_on=D(2027, 3, 10),
        note="إعلان المحكمة العليا",
    )
    found = occurrence(ramadan, 1448)
    assert (found.starts_on, found.ends_on, found.is_set) == (D(2027, 2, 9), D(2027, 3, 10), True)
    assert occurrence(ramadan, 1449).is_set is False


@pytest.mark.parametrize(
    ("today", "days", "expected"),
    [
        (D(2027, 1, 25), 14, RAMADAN_1448),  # exactly 14 days before
        (D(2027, 1, 24), 14, None),  # 15 days before: not yet
        (RAMADAN_1448, 0, RAMADAN_1448),  # the day itself, with N = 0
        (D(2027, 2, 9), 14, None),  # started yesterday: passed
    ],
)
def test_a_rule_n_days_before_ramadan(ramadan, today, days, expected):
    found = upcoming(ramadan, today=today, days=days)
    assert (found.starts_on if found else None) == expected


def test_the_sighting_moves_the_window(ramadan, manager):
    # Computed, 1 Ramadan is 14 days after 25 January; sighted a day later, it is 15.
    assert upcoming(ramadan, today=D(2027, 1, 25), days=14) is not None
    services.season_date_set(
        actor=manager, season=ramadan, year=1448, starts_on=D(2027, 2, 9), ends_on=D(2027, 3, 9)
    )
    assert upcoming(ramadan, today=D(2027, 1, 25), days=14) is None
    assert upcoming(ramadan, today=D(2027, 1, 26), days=14).starts_on == D(2027, 2, 9)


def test_next_years_ramadan_seen_from_the_end_of_the_hijri_year(ramadan):
    # 25/12/1447 (10 June 2026): this year's Ramadan has passed; the next one is 1448's.
    today = hijri_to_gregorian(1447, 12, 25)
    found = upcoming(ramadan, today=today, days=300)
    assert (found.year, found.starts_on) == (1448, RAMADAN_1448)


def test_the_seasons_page_lists_the_coming_occurrences(ramadan):
    found = next_occurrences(ramadan, today=D(2027, 3, 1))  # during Ramadan 1448
    assert [o.year for o in found] == [1448, 1449]


def test_a_sighting_far_from_the_calendar_is_refused(ramadan, manager):
    with pytest.raises(ValidationError) as caught, translation.override("ar"):
        services.season_date_set(
            actor=manager,
            season=ramadan,
            year=1448,
            starts_on=D(2026, 2, 18),  # Ramadan 1447: the wrong year
            ends_on=D(2026, 3, 19),
        )
    assert "starts_on" in caught.value.error_dict
    assert not SeasonDate.objects.exists()


def test_a_gregorian_season_must_start_in_its_year(db, manager):
    school = Season.objects.get(code="school_year")
    with pytest.raises(ValidationError) as caught:
        services.season_date_set(
            actor=manager, season=school, year=2027, starts_on=D(2026, 8, 23), ends_on=D(2027, 6, 1)
        )
    assert "starts_on" in caught.value.error_dict
    dated = services.season_date_set(
        actor=manager, season=school, year=2027, starts_on=D(2027, 8, 22), ends_on=D(2028, 6, 8)
    )
    assert occurrence(school, 2027).starts_on == dated.starts_on


def test_the_end_cannot_precede_the_start(ramadan, manager):
    with pytest.raises(ValidationError) as caught:
        services.season_date_set(
            actor=manager, season=ramadan, year=1448, starts_on=RAMADAN_1448, ends_on=D(2027, 2, 1)
        )
    assert "ends_on" in caught.value.error_dict


def test_only_a_manager_sets_dates(ramadan, quality):
    with pytest.raises(PermissionDenied):
        services.season_date_set(
            actor=quality, season=ramadan, year=1448, starts_on=RAMADAN_1448, ends_on=RAMADAN_1448
        )


def test_setting_again_replaces_and_clearing_restores(ramadan, manager):
    for start in (D(2027, 2, 9), D(2027, 2, 7)):
        services.season_date_set(
            actor=manager, season=ramadan, year=1448, starts_on=start, ends_on=D(2027, 3, 8)
        )
    assert SeasonDate.objects.get().starts_on == D(2027, 2, 7)
    services.season_date_clear(actor=manager, season=ramadan, year=1448)
    assert occurrence(ramadan, 1448).starts_on == RAMADAN_1448
    assert not SeasonDate.objects.exists()
