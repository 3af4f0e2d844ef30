"""Sign-in with lockout, Argon2, session expiry, sign-out, password change."""

import pytest
from django.conf import settings
from django.contrib.auth.hashers import get_hasher
from django.urls import reverse

from accounts.models import Role, User
from tests_support.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "pass-12345-word"


def _login(client, username, password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_login_page_is_arabic_and_rtl(client):
    html = client.get(reverse("accounts:login")).content.decode()
    assert 'dir="rtl"' in html and 'lang="ar"' in html
    assert "تسجيل الدخول" in html


def test_signs_in_and_out(client, officer):
    response = _login(client, officer.username)
    assert response.status_code == 302 and response.url == reverse("core:home")
    assert client.get(reverse("core:home")).status_code == 200
    assert client.get(reverse("accounts:logout")).status_code == 405  # sign-out is POST only
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("core:home")).status_code == 302


def test_wrong_password_gets_an_arabic_message(client, officer):
    response = _login(client, officer.username, "wrong")
    assert response.status_code == 200
    assert "كلمة المرور" in response.content.decode()


def test_locks_out_after_repeated_failures_even_with_the_right_password(client, officer):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, officer.username, "wrong")
    response = _login(client, officer.username)
    assert response.status_code == 429
    assert "مقفل" in response.content.decode() or "قفل" in response.content.decode()
    assert client.get(reverse("core:home")).status_code == 302


def test_lockout_of_one_user_does_not_lock_a_colleague(client, officer, manager):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, officer.username, "wrong")
    assert _login(client, manager.username).status_code == 302


def test_passwords_are_hashed_with_argon2(officer):
    assert officer.password.startswith("argon2")
    assert get_hasher().algorithm == "argon2"


def test_sessions_expire(client, officer):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600
    _login(client, officer.username)
    assert client.session.get_expire_at_browser_close()


def test_password_change(client, officer):
    client.force_login(officer)
    url = reverse("accounts:password_change")
    response = client.post(
        url,
        {"old_password": PASSWORD, "new_password1": "a-new-longer-pass-77", "new_password2": "x"},
    )
    assert response.status_code == 200 and response.context["form"].errors
    response = client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-longer-pass-77",
            "new_password2": "a-new-longer-pass-77",
        },
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.check_password("a-new-longer-pass-77")


def test_a_representative_must_have_a_branch(db):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="rep-without-branch", role=Role.BRANCH_REPRESENTATIVE)


def test_navigation_follows_the_role(client, volunteer, officer):
    client.force_login(volunteer)
    html = client.get(reverse("core:home")).content.decode()
    assert reverse("beneficiaries:list") not in html
    client.force_login(officer)
    html = client.get(reverse("core:home")).content.decode()
    assert reverse("beneficiaries:list") in html and reverse("beneficiaries:create") in html


def test_language_switch_to_english(client, officer):
    client.force_login(officer)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("core:home")).content.decode()
    assert 'dir="ltr"' in html and 'lang="en"' in html and "Beneficiaries" in html


def test_inactive_user_cannot_sign_in(client):
    UserFactory(username="gone", is_active=False)
    assert _login(client, "gone").status_code == 200
