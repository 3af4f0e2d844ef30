"""From an event to a message: invitations are created after the survey's delay, once per
event, sent on the person's channel, reminded once and expired."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import ActivityLog
from notify.models import Message
from surveys import services
from surveys.models import Event, Invitation, InvitationStatus, SkipReason
from surveys.tokens import token_for

pytestmark = pytest.mark.django_db


def later(hours: float):
    return timezone.now() + timedelta(hours=hours)


def test_a_delivery_is_surveyed_after_the_delay_and_only_once(delivered, delivery_version):
    survey = delivery_version.survey
    assert services.invitations_create(now=later(survey.delay_hours - 0.5)) == 0
    assert services.invitations_create(now=later(survey.delay_hours + 0.1)) == 1
    assert services.invitations_create(now=later(survey.delay_hours + 1)) == 0

    invitation = Invitation.objects.get()
    request = delivered.enrolment.request
    assert invitation.event == Event.DELIVERY
    assert invitation.event_key == f"delivery:{delivered.pk}"
    assert invitation.beneficiary_id == request.beneficiary_id
    assert invitation.branch_id == request.branch_id
    assert invitation.service_channel_id == request.channel_id
    assert invitation.aid_type_id == delivered.enrolment.aid_type_id
    assert invitation.staff_id == delivered.recorded_by_id
    assert invitation.subject_reference == request.reference
    assert invitation.status == InvitationStatus.PENDING


def test_the_invitation_goes_by_sms_with_a_working_link(delivered, delivery_version, settings):
    settings.SITE_URL = "https://mustafid.example"
    when = later(delivery_version.survey.delay_hours + 0.1)
    services.invitations_create(now=when)
    assert services.invitations_send(now=when) == 1
    invitation = Invitation.objects.get()
    assert invitation.status == InvitationStatus.SENT
    assert invitation.send_channel == "sms"
    message = Message.objects.get(template_code="survey.invite")
    assert message.recipient == invitation.beneficiary.mobile
    link = f"https://mustafid.example/surveys/a/{token_for(invitation.public_id)}/"
    assert link in message.body
    assert "تقييمك حق لك" in message.body
    assert ActivityLog.objects.filter(action="surveys.invitation.sent").count() == 1
    # A second run sends nothing more.
    assert services.invitations_send(now=when) == 0
    assert Message.objects.filter(template_code="survey.invite").count() == 1


def test_the_persons_preferred_channel_is_used(delivered, delivery_version):
    person = delivered.enrolment.request.beneficiary
    person.preferred_channel = "whatsapp"
    person.save(update_fields=["preferred_channel"])
    when = later(delivery_version.survey.delay_hours + 0.1)
    services.invitations_create(now=when)
    services.invitations_send(now=when)
    message = Message.objects.get(template_code="survey.invite")
    assert message.channel == "whatsapp"
    assert Invitation.objects.get().send_channel == "whatsapp"


def test_someone_who_opted_out_is_not_asked(delivered, delivery_version):
    person = delivered.enrolment.request.beneficiary
    person.accepts_surveys = False
    person.save(update_fields=["accepts_surveys"])
    when = later(delivery_version.survey.delay_hours + 0.1)
    services.invitations_create(now=when)
    assert services.invitations_send(now=when) == 0
    invitation = Invitation.objects.get()
    assert (invitation.status, invitation.skip_reason) == (
        InvitationStatus.SKIPPED,
        SkipReason.OPTED_OUT,
    )
    assert not Message.objects.filter(template_code="survey.invite").exists()


def test_an_opt_out_after_the_invitation_was_created_still_stops_it(delivered, delivery_version):
    when = later(delivery_version.survey.delay_hours + 0.1)
    services.invitations_create(now=when)
    person = delivered.enrolment.request.beneficiary
    person.accepts_surveys = False
    person.save(update_fields=["accepts_surveys"])
    assert services.invitations_send(now=when) == 0
    assert Invitation.objects.get().skip_reason == SkipReason.OPTED_OUT


def test_a_person_asked_recently_is_not_asked_again(delivered, delivery_version, beneficiary):
    from surveys.tests.conftest import invite

    invite(delivery_version, beneficiary, status=InvitationStatus.ANSWERED)
    services.invitations_create(now=later(delivery_version.survey.delay_hours + 0.1))
    fresh = Invitation.objects.get(event_key=f"delivery:{delivered.pk}")
    assert (fresh.status, fresh.skip_reason) == (InvitationStatus.SKIPPED, SkipReason.RECENT)


def test_an_inactive_survey_sends_nothing(delivered, delivery_version):
    delivery_version.survey.is_active = False
    delivery_version.survey.save(update_fields=["is_active"])
    assert services.invitations_create(now=later(48)) == 0


def test_one_reminder_then_expiry(delivered, delivery_version):
    survey = delivery_version.survey
    start = later(survey.delay_hours + 0.1)
    services.invitations_create(now=start)
    services.invitations_send(now=start)
    sent_at = Invitation.objects.get().sent_at
    assert services.invitations_remind(now=sent_at + timedelta(hours=1)) == 0
    after = sent_at + timedelta(hours=survey.reminder_after_hours, minutes=1)
    assert services.invitations_remind(now=after) == 1
    assert services.invitations_remind(now=after + timedelta(hours=30)) == 0
    assert Message.objects.filter(template_code="survey.reminder").count() == 1

    invitation = Invitation.objects.get()
    assert services.invitations_expire(now=invitation.expires_at - timedelta(minutes=1)) == 0
    assert services.invitations_expire(now=invitation.expires_at) == 1
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.EXPIRED


def test_each_event_of_a_request_is_its_own_invitation_but_a_person_is_asked_once(delivered):
    """The seeded surveys are all active: the decision is asked about; the delivery right after
    it is recorded as skipped (asked recently), so the person gets one message, not two."""
    services.invitations_create(now=later(48))
    decision = Invitation.objects.get(event=Event.DECISION)
    delivery = Invitation.objects.get(event=Event.DELIVERY)
    assert decision.status == InvitationStatus.PENDING
    assert (delivery.status, delivery.skip_reason) == (InvitationStatus.SKIPPED, SkipReason.RECENT)


def test_a_resolved_ticket_is_surveyed_with_its_owner(officer, beneficiary):
    from contact import services as contact_services
    from contact.models import Kind, TicketCategory
    from core.models import Channel

    ticket = contact_services.ticket_open(
        actor=officer,
        kind=Kind.INQUIRY,
        category=TicketCategory.objects.filter(is_active=True).first(),
        subject="موعد الصرف",
        description="متى يصرف المبلغ؟",
        channel=Channel.objects.get(code="phone"),
        beneficiary=beneficiary,
    )
    contact_services.ticket_take(actor=officer, ticket=ticket)
    contact_services.ticket_resolve(actor=officer, ticket=ticket, resolution="يصرف في أول الشهر")
    services.invitations_create(now=later(48))
    invitation = Invitation.objects.get(event=Event.TICKET)
    assert invitation.subject_reference == ticket.reference
    assert invitation.staff_id == officer.pk
    assert invitation.beneficiary_id == beneficiary.pk
