"""Every registry view against method, anonymity, role and scope (DESIGN.md §6)."""

import pytest
from django.urls import reverse

from tests_support.factories import make_document

pytestmark = pytest.mark.django_db


def _urls(b, member=None, document=None):
    urls = {
        "list": (reverse("beneficiaries:list"), "read"),
        "create": (reverse("beneficiaries:create"), "edit"),
        "detail": (reverse("beneficiaries:detail", args=[b.public_id]), "read"),
        "edit": (reverse("beneficiaries:edit", args=[b.public_id]), "edit"),
        "member_add": (reverse("beneficiaries:member_add", args=[b.public_id]), "edit"),
        "income_add": (reverse("beneficiaries:income_add", args=[b.public_id]), "edit"),
        "obligation_add": (reverse("beneficiaries:obligation_add", args=[b.public_id]), "edit"),
        "document_add": (reverse("beneficiaries:document_add", args=[b.public_id]), "upload"),
        "consent_add": (reverse("beneficiaries:consent_add", args=[b.public_id]), "edit"),
    }
    if document:
        urls["document"] = (
            reverse("beneficiaries:document_file", args=[document.public_id]),
            "sensitive",
        )
    return urls


def test_anonymous_is_sent_to_login(client, beneficiary):
    for name, (url, _) in _urls(beneficiary).items():
        response = client.get(url)
        assert response.status_code == 302, name
        assert response.url.startswith(reverse("accounts:login")), name


def test_read_only_views_reject_post(client, officer, beneficiary):
    client.force_login(officer)
    for url in (
        reverse("beneficiaries:list"),
        reverse("beneficiaries:detail", args=[beneficiary.public_id]),
    ):
        assert client.post(url).status_code == 405


def test_remove_views_reject_get(client, officer, beneficiary):
    from beneficiaries import services

    member = services.member_save(
        actor=officer,
        beneficiary=beneficiary,
        data={
            "relation": "son",
            "full_name": "سعد محمد",
            "gender": "male",
            "birth_date": beneficiary.birth_date.replace(year=2010),
        },
    )
    url = reverse("beneficiaries:member_remove", args=[beneficiary.public_id, member.public_id])
    client.force_login(officer)
    assert client.get(url).status_code == 405


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("officer", {"read", "edit", "upload", "sensitive"}),
        ("representative", {"read", "edit", "upload", "sensitive"}),
        ("researcher", {"read", "upload", "sensitive"}),
        ("committee", {"read", "sensitive"}),
        ("service_officer", {"read"}),
        ("quality", {"read"}),
        ("manager", {"read", "edit", "upload", "sensitive"}),
        ("admin_user", {"read", "edit", "upload", "sensitive"}),
        ("volunteer", set()),
        ("no_role", set()),
    ],
)
def test_each_role_gets_what_its_role_allows(client, request, persona, allowed, beneficiary):
    user = request.getfixturevalue(persona)
    document = make_document(request.getfixturevalue("officer"), beneficiary)
    client.force_login(user)
    for name, (url, needs) in _urls(beneficiary, document=document).items():
        status = client.get(url).status_code
        if needs in allowed:
            assert status == 200, (persona, name, status)
        else:
            assert status == 403, (persona, name, status)


def test_representative_of_another_branch_gets_404_on_every_file_url(
    client, other_rep, officer, beneficiary
):
    document = make_document(officer, beneficiary)
    client.force_login(other_rep)
    for name, (url, _) in _urls(beneficiary, document=document).items():
        if name in {"list", "create"}:
            continue
        assert client.get(url).status_code == 404, name


def test_other_branch_list_does_not_show_the_file(client, other_rep, beneficiary):
    client.force_login(other_rep)
    response = client.get(reverse("beneficiaries:list"))
    assert beneficiary.full_name not in response.content.decode()
    response = client.get(reverse("beneficiaries:list"), {"q": beneficiary.first_name})
    assert beneficiary.full_name not in response.content.decode()


def test_unknown_uuid_is_404(client, officer):
    client.force_login(officer)
    url = reverse("beneficiaries:detail", args=["00000000-0000-0000-0000-000000000000"])
    assert client.get(url).status_code == 404


def test_service_officer_sees_no_sensitive_sections(client, service_officer, beneficiary):
    client.force_login(service_officer)
    html = client.get(reverse("beneficiaries:detail", args=[beneficiary.public_id])).content
    assert b'id="documents"' not in html
    assert b'id="money"' not in html


def test_htmx_list_request_gets_the_partial(client, officer, beneficiary):
    client.force_login(officer)
    response = client.get(reverse("beneficiaries:list"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert beneficiary.full_name in html
