"""The letters' lives: incoming registered → referred → answered by an issued reply, or
filed; outgoing drafted → issued → sent. Each step is guarded, logged on the letter and, for a
letter about a beneficiary, on the beneficiary's timeline."""

import datetime
import random

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from core.activity import entries_for
from core.models import ActivityLog
from correspondence import services
from correspondence.demo import seed_demo
from correspondence.models import Letter, LetterStatus
from correspondence.tests.conftest import draft, register
from notify.models import Message

pytestmark = pytest.mark.django_db


def test_an_incoming_letter_is_referred_then_answered_by_the_issued_reply(
    officer, manager, incoming, beneficiary
):
    services.letter_refer(actor=officer, letter=incoming, to=manager, note="للرد")
    incoming.refresh_from_db()
    assert incoming.status == LetterStatus.REFERRED and incoming.referral_note == "للرد"

    reply = draft(
        manager,
        code="inquiry_reply",
        party_name=incoming.party_name,
        beneficiary=beneficiary,
        in_reply_to=incoming,
    )
    incoming.refresh_from_db()
    assert incoming.status == LetterStatus.REFERRED  # a draft answers nothing yet
    reply = services.letter_issue(actor=manager, letter=reply)
    incoming.refresh_from_db()
    assert incoming.status == LetterStatus.ANSWERED and incoming.answer == reply

    with translation.override("en"):
        sentences = [e.sentence for e in entries_for(beneficiary)]
    assert f"Letter {incoming.reference} was answered by {reply.reference}." in sentences
    assert any(s.endswith(f"issued letter {reply.reference}: {reply.subject}.") for s in sentences)
    assert any(f"registered incoming letter {incoming.reference}" in s for s in sentences)


def test_an_answered_or_filed_letter_is_closed(officer, manager, incoming, english):
    services.letter_file(actor=officer, letter=incoming, note="للعلم")
    with pytest.raises(ValidationError, match="closed"):
        services.letter_refer(actor=officer, letter=incoming, to=manager)
    with pytest.raises(ValidationError):
        services.letter_file(actor=officer, letter=incoming)


def test_a_second_reply_leaves_the_first_answer(officer, incoming, beneficiary):
    first = draft(officer, beneficiary=beneficiary, in_reply_to=incoming)
    second = draft(officer, beneficiary=beneficiary, in_reply_to=incoming)
    first = services.letter_issue(actor=officer, letter=first)
    services.letter_issue(actor=officer, letter=second)
    incoming.refresh_from_db()
    assert incoming.answer == first


def test_only_incoming_letters_are_referred_or_answered(officer, manager, issued):
    with pytest.raises(ValidationError):
        services.letter_refer(actor=officer, letter=issued, to=manager)
    with pytest.raises(ValidationError):
        draft(officer, beneficiary=issued.beneficiary, in_reply_to=issued)


def test_the_referral_email_carries_no_subject_or_name(officer, manager, incoming):
    manager.email = "m@example.org"
    manager.save()
    services.letter_refer(actor=officer, letter=incoming, to=manager)
    message = Message.objects.get(template_code="letter.referred")
    assert message.channel == "email" and incoming.reference in message.subject
    assert f"/letters/{incoming.public_id}/" in message.body
    assert incoming.subject not in message.body + message.subject
    assert incoming.beneficiary.full_name not in message.body


def test_a_colleague_without_email_is_still_referred(officer, manager, incoming):
    manager.email = ""
    manager.save()
    services.letter_refer(actor=officer, letter=incoming, to=manager)
    incoming.refresh_from_db()
    assert incoming.status == LetterStatus.REFERRED
    assert Message.objects.get(template_code="letter.referred").status == "failed"


def test_dispatch_guards(officer, beneficiary, issued, english):
    today = timezone.localdate()
    other_draft = draft(officer, beneficiary=beneficiary)
    with pytest.raises(ValidationError, match="issued letter"):
        services.letter_mark_sent(actor=officer, letter=other_draft, method="post", sent_on=today)
    with pytest.raises(ValidationError) as exc:
        services.letter_mark_sent(
            actor=officer, letter=issued, method="post", sent_on=today + datetime.timedelta(1)
        )
    assert set(exc.value.message_dict) == {"sent_on"}
    with pytest.raises(ValidationError) as exc:
        services.letter_mark_sent(
            actor=officer, letter=issued, method="post", sent_on=today - datetime.timedelta(1)
        )
    assert set(exc.value.message_dict) == {"sent_on"}
    with pytest.raises(ValidationError) as exc:
        services.letter_mark_sent(actor=officer, letter=issued, method="pigeon", sent_on=today)
    assert set(exc.value.message_dict) == {"method"}
    issued.refresh_from_db()
    assert issued.status == LetterStatus.ISSUED


def test_issue_guards(officer, manager, representative, letter_draft, english):
    with pytest.raises(PermissionDenied):
        services.letter_issue(actor=representative, letter=letter_draft)
    Letter.objects.filter(pk=letter_draft.pk).update(body="  ")
    with pytest.raises(ValidationError) as exc:
        services.letter_issue(actor=manager, letter=letter_draft)
    assert set(exc.value.message_dict) == {"body"}
    letter_draft.refresh_from_db()
    assert letter_draft.status == LetterStatus.DRAFT and not letter_draft.pdf


def test_a_failed_issue_leaves_no_number_and_no_file(officer, letter_draft, monkeypatch, settings):
    def broken(*args, **kwargs):
        raise RuntimeError("layout failed")

    monkeypatch.setattr("correspondence.services.log_action", broken)
    with pytest.raises(RuntimeError):
        services.letter_issue(actor=officer, letter=letter_draft)
    letter_draft.refresh_from_db()
    assert letter_draft.status == LetterStatus.DRAFT and letter_draft.reference is None
    assert not list((settings.PRIVATE_MEDIA_ROOT / "letters").glob("*.pdf"))


def test_every_step_is_logged_on_the_letter(officer, manager, incoming):
    services.letter_refer(actor=officer, letter=incoming, to=manager)
    services.letter_file(actor=manager, letter=incoming)
    actions = list(
        ActivityLog.objects.filter(
            target_type=ContentType.objects.get_for_model(Letter), target_id=str(incoming.pk)
        )
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "correspondence.letter.registered",
        "correspondence.letter.referred",
        "correspondence.letter.filed",
    ]


def test_a_letter_without_a_beneficiary_logs_about_itself(officer):
    letter = register(officer)
    entry = ActivityLog.objects.get(action="correspondence.letter.registered")
    assert entry.subject_id == str(letter.pk)


def test_volunteers_write_nothing(volunteer, beneficiary):
    with pytest.raises(PermissionDenied):
        register(volunteer)
    with pytest.raises(PermissionDenied):
        draft(volunteer, beneficiary=beneficiary)


def test_the_demo_letters_are_seeded_once(officer, manager, beneficiary):
    summary = seed_demo(rng=random.Random(1), actor=officer)
    count = Letter.objects.count()
    assert count >= 4 and "added" in summary
    assert Letter.objects.filter(status=LetterStatus.SENT).exists()
    assert Letter.objects.filter(status=LetterStatus.ANSWERED).exists()
    assert Letter.objects.filter(status=LetterStatus.REFERRED).exists()
    assert "already" in seed_demo(rng=random.Random(1), actor=officer)
    assert Letter.objects.count() == count
