"""An issued letter is fixed: its text, parties, links, number, date and PDF never change
(the service refuses, and a database trigger refuses whatever code runs); a correction is a
new letter. Only the status and the dispatch details move on."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from core.models import ActivityLog
from correspondence import services
from correspondence.models import Letter, LetterStatus

pytestmark = pytest.mark.django_db


def test_issuing_fixes_the_number_the_date_and_the_pdf(officer, issued):
    assert issued.status == LetterStatus.ISSUED
    assert issued.reference.startswith("OUT-")
    assert issued.letter_date == timezone.localdate()
    assert issued.issued_by == officer and issued.registered_at is not None
    with issued.pdf.open("rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF")
    assert hashlib.sha256(content).hexdigest() == issued.pdf_sha256


def test_an_issued_letter_cannot_be_edited_through_the_service(officer, issued, english):
    with pytest.raises(ValidationError, match="write a new letter"):
        services.letter_draft_update(actor=officer, letter=issued, subject="موضوع آخر")
    issued.refresh_from_db()
    assert issued.subject != "موضوع آخر"


def test_an_issued_letter_cannot_be_issued_again_or_discarded(officer, issued):
    with pytest.raises(ValidationError):
        services.letter_issue(actor=officer, letter=issued)
    with pytest.raises(ValidationError):
        services.letter_draft_discard(actor=officer, letter=issued)
    assert Letter.objects.filter(pk=issued.pk).exists()


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("subject", "موضوع آخر"),
        ("body", "نص آخر"),
        ("party_name", "شخص آخر"),
        ("reference", "OUT-1448-009999"),
        ("pdf", "letters/other.pdf"),
        ("beneficiary_id", None),
        ("status", "draft"),
    ],
)
def test_the_database_refuses_any_change_to_an_issued_letter(issued, column, value):
    with pytest.raises(DatabaseError), transaction.atomic():
        Letter.objects.filter(pk=issued.pk).update(**{column: value})


def test_the_database_refuses_a_save_that_changes_an_issued_letter(issued):
    issued.body = "نص مختلف"
    with pytest.raises(DatabaseError), transaction.atomic():
        issued.save()


def test_a_draft_is_still_free_to_change(officer, letter_draft):
    Letter.objects.filter(pk=letter_draft.pk).update(subject="موضوع معدل")
    services.letter_draft_update(actor=officer, letter=letter_draft, body="نص جديد للخطاب")
    letter_draft.refresh_from_db()
    assert (letter_draft.subject, letter_draft.body) == ("موضوع معدل", "نص جديد للخطاب")
    assert letter_draft.beneficiary is not None  # links not given are kept…
    services.letter_draft_update(actor=officer, letter=letter_draft, beneficiary=None)
    letter_draft.refresh_from_db()
    assert letter_draft.beneficiary is None  # …and None removes one


def test_the_status_and_dispatch_still_move_after_issue(officer, issued):
    services.letter_mark_sent(
        actor=officer, letter=issued, method="hand", sent_on=timezone.localdate(), note="سُلِّم"
    )
    issued.refresh_from_db()
    assert issued.status == LetterStatus.SENT and issued.dispatch_method == "hand"
    entry = ActivityLog.objects.get(action="correspondence.letter.sent")
    with translation.override("en"):
        assert entry.sentence.endswith(f"letter {issued.reference} was sent: By hand.")


def test_the_stored_pdf_is_what_every_download_returns(client, officer, issued):
    with issued.pdf.open("rb") as handle:
        stored = handle.read()
    client.force_login(officer)
    url = reverse("correspondence:pdf", args=[issued.public_id])
    first = b"".join(client.get(url).streaming_content)
    second = b"".join(client.get(url).streaming_content)
    assert first == second == stored


def test_the_edit_screen_of_an_issued_letter_sends_back_to_the_letter(client, officer, issued):
    client.force_login(officer)
    response = client.get(reverse("correspondence:edit", args=[issued.public_id]))
    assert response.status_code == 302
    assert response.url == reverse("correspondence:detail", args=[issued.public_id])


# Constraints that would let a letter into an impossible state if they were removed.


def test_an_issued_letter_without_its_pdf_is_refused(officer, letter_draft):
    with pytest.raises(IntegrityError), transaction.atomic():
        Letter.objects.filter(pk=letter_draft.pk).update(
            status="issued",
            reference="OUT-1448-000001",
            letter_date=timezone.localdate(),
            registered_at=timezone.now(),
        )


def test_a_status_of_the_other_direction_is_refused(incoming):
    with pytest.raises(IntegrityError), transaction.atomic():
        Letter.objects.filter(pk=incoming.pk).update(status="sent")


def test_an_answered_letter_needs_its_answer_and_a_sent_one_its_dispatch(incoming, issued):
    with pytest.raises(IntegrityError), transaction.atomic():
        Letter.objects.filter(pk=incoming.pk).update(status="answered")
    with pytest.raises(IntegrityError), transaction.atomic():
        Letter.objects.filter(pk=issued.pk).update(status="sent")


def test_a_referred_letter_needs_someone_and_an_incoming_letter_answers_nothing(incoming, issued):
    with pytest.raises(IntegrityError), transaction.atomic():
        Letter.objects.filter(pk=incoming.pk).update(status="referred")
    with pytest.raises(IntegrityError), transaction.atomic():
        Letter.objects.filter(pk=incoming.pk).update(in_reply_to=issued)


def test_a_letter_has_a_party(incoming):
    with pytest.raises(IntegrityError), transaction.atomic():
        Letter.objects.filter(pk=incoming.pk).update(party_name="", party_organisation="")
