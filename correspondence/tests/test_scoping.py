"""Who sees which letters: a user tied to a branch sees that branch's letters only; letters
about a complaint against staff only for the quality officer and managers; volunteers
nothing. Links are looked up in the user's own scope."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from correspondence import selectors, services
from correspondence.forms import IncomingLetterForm
from correspondence.tests.conftest import draft, make_ticket, register
from tests_support.factories import make_beneficiary

pytestmark = pytest.mark.django_db


@pytest.fixture
def letters(officer, branch, other_branch, beneficiary):
    """One letter in the representative's branch, one in another, one at the head office."""
    return {
        "jeddah": register(officer, beneficiary=beneficiary),
        "dammam": register(officer, branch=other_branch, subject="خطاب الدمام"),
        "head": register(officer, subject="خطاب المقر"),
    }


def test_a_branch_user_sees_their_branch_only(representative, officer, letters):
    assert set(selectors.letters_for(representative)) == {letters["jeddah"]}
    assert set(selectors.letters_for(officer)) == set(letters.values())


def test_the_register_and_the_letter_page_follow_the_scope(client, representative, letters):
    client.force_login(representative)
    page = client.get(reverse("correspondence:list")).context["page"]
    assert list(page.object_list) == [letters["jeddah"]]
    other = reverse("correspondence:detail", args=[letters["dammam"].public_id])
    assert client.get(other).status_code == 404


def test_a_letter_about_a_beneficiary_takes_the_branch_of_their_file(officer, beneficiary, branch):
    letter = register(officer, beneficiary=beneficiary)
    assert letter.branch == branch == beneficiary.branch


def test_a_representative_writes_in_their_own_branch(representative, head_office, branch):
    letter = register(representative, branch=head_office)
    assert letter.branch == branch


def test_volunteers_and_users_without_a_role_see_nothing(client, volunteer, no_role, letters):
    for user in (volunteer, no_role):
        assert not selectors.letters_for(user).exists()
        client.force_login(user)
        assert client.get(reverse("correspondence:list")).status_code == 403


def test_letters_about_a_complaint_against_staff_are_confidential(
    officer, manager, quality, representative, branch
):
    ticket = make_ticket(branch, about_staff=True)
    letter = register(manager, ticket=ticket, subject="شكوى بحق موظف")
    assert letter.branch == branch
    assert letter in selectors.letters_for(manager)
    assert letter in selectors.letters_for(quality)
    assert letter not in selectors.letters_for(officer)
    assert letter not in selectors.letters_for(representative)
    # Letters without a ticket are not hidden by the rule.
    plain = register(officer)
    assert plain in selectors.letters_for(officer)


def test_an_officer_cannot_link_a_confidential_ticket(officer, branch):
    ticket = make_ticket(branch, about_staff=True)
    with pytest.raises(PermissionDenied):
        register(officer, ticket=ticket)
    form = IncomingLetterForm(data={"ticket": ticket.reference}, user=officer)
    form.is_valid()
    assert "ticket" in form.errors


def test_a_ticket_links_its_beneficiary(officer, beneficiary, branch):
    ticket = make_ticket(branch, beneficiary=beneficiary)
    letter = register(officer, ticket=ticket)
    assert letter.beneficiary == beneficiary and letter.ticket == ticket


def test_links_outside_the_users_files_are_refused(representative, other_rep):
    stranger = make_beneficiary(other_rep)
    form = IncomingLetterForm(data={"beneficiary": stranger.id_number}, user=representative)
    form.is_valid()
    assert "beneficiary" in form.errors
    with pytest.raises(PermissionDenied):
        register(representative, beneficiary=stranger)
    with pytest.raises(PermissionDenied):
        draft(representative, beneficiary=stranger)


def test_a_request_and_a_beneficiary_must_agree(officer, beneficiary, representative):
    from django.core.exceptions import ValidationError

    from assistance.tests.conftest import make_draft

    request = make_draft(officer, beneficiary)
    someone_else = make_beneficiary(representative)
    with pytest.raises(ValidationError) as exc:
        register(officer, beneficiary=someone_else, support_request=request)
    assert set(exc.value.message_dict) == {"support_request"}


def test_referral_goes_only_to_staff_who_can_read_the_letter(
    officer, representative, other_rep, volunteer, incoming
):
    candidates = set(selectors.referral_candidates(incoming))
    assert {officer, representative} <= candidates
    assert other_rep not in candidates and volunteer not in candidates
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.letter_refer(actor=officer, letter=incoming, to=other_rep)


def test_services_refuse_letters_outside_the_actors_scope(other_rep, incoming, letters):
    with pytest.raises(PermissionDenied):
        services.letter_file(actor=other_rep, letter=incoming)
    with pytest.raises(PermissionDenied):
        services.attachment_add(actor=other_rep, letter=incoming, uploads=[])
