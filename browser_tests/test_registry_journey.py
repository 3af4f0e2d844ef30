"""An officer registers a beneficiary typed with hamza variants and Arabic-Indic digits, finds
them again under another spelling, and sees the Hijri date — in Arabic, right to left."""

import pytest

from beneficiaries.models import Beneficiary
from browser_tests.conftest import login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seeded")]


def test_register_then_find_under_another_spelling(page, live_server, officer):
    login(page, live_server, officer.username)
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.get_attribute("html", "lang") == "ar"

    page.goto(f"{live_server.url}/beneficiaries/new/")
    page.fill("#id_first_name", "إبراهيم")
    page.fill("#id_father_name", "عبد الله")
    page.fill("#id_grandfather_name", "مصطفى")
    page.fill("#id_family_name", "آل سعود")
    page.select_option("#id_id_type", "national_id")
    page.fill("#id_id_number", "١٠٠٠٠٠٠٠٠٨")
    page.select_option("#id_gender", "male")
    page.fill("#id_birth_date", "٠١/٠٧/١٤٠٠")
    # The typed Hijri date is shown converted as the officer types (htmx).
    preview = page.locator("#id_birth_date_preview")
    preview.locator("text=15/05/1980م").wait_for()
    page.select_option("#id_marital_status", "married")
    page.fill("#id_mobile", "٠٥٥ ١٢٣ ٤٥٦٧")
    page.select_option("#id_city", label="الرياض")
    page.select_option("#id_branch", label="المقر الرئيسي")
    page.click("button[type=submit]")

    page.locator("text=تم تسجيل المستفيد").wait_for()
    b = Beneficiary.objects.get()
    assert b.id_number == "1000000008" and b.mobile == "+966551234567"
    assert page.locator("h1").inner_text() == "إبراهيم عبد الله مصطفى آل سعود"
    # Hijri first, then Gregorian.
    assert page.locator("#profile").get_by_text("01/07/1400هـ").count() == 1
    assert "15/05/1980م" in page.locator("#profile").inner_text()

    # Another spelling: no hamza, joined عبدالله, «السعود» for «آل سعود».
    page.goto(f"{live_server.url}/beneficiaries/")
    page.fill("#q", "ابراهيم عبدالله السعود")
    page.press("#q", "Enter")
    page.locator("#results").get_by_role("link", name="إبراهيم عبد الله مصطفى آل سعود").click()
    page.wait_for_url(f"**/beneficiaries/{b.public_id}/")

    # And by mobile typed in another format.
    page.goto(f"{live_server.url}/beneficiaries/?q=966551234567")
    assert page.locator("#results").get_by_text("إبراهيم عبد الله مصطفى آل سعود").count() == 1


def test_registry_is_usable_on_a_phone(phone_page, live_server, officer):
    from tests_support.factories import make_beneficiary

    make_beneficiary(officer, first_name="نورة", family_name="القحطاني")
    login(phone_page, live_server, officer.username)
    phone_page.goto(f"{live_server.url}/beneficiaries/")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"page is {width}px wide on a 360px phone"
    phone_page.locator("#results").get_by_text("نورة").first.wait_for()
