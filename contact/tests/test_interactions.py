"""Logging contacts on the eight channels (P4), and what each channel must carry."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from beneficiaries.models import Beneficiary
from contact import services
from contact.forms import CallDurationField
from contact.models import Interaction
from core.models import ActivityLog, Channel
from tests_support.factories import UserFactory


def log(actor, **overrides):
    data = {
        "actor": actor,
        "channel": "interview",
        "subject": "الاستفسار عن المساعدات",
        "summary": "سأل عن مواعيد صرف السلال الغذائية",
        "person_name": "نورة القحطاني",
        "person_phone": "0559876543",
    }
    data.update(overrides)
    return services.interaction_log(**data)


def test_the_eight_channels_of_the_policy_exist(db):
    codes = set(Channel.objects.values_list("code", flat=True))
    assert {
        "interview",
        "phone",
        "social_media",
        "letter",
        "help_request",
        "volunteer",
        "website",
        "branch_representative",
    } <= codes


def test_a_contact_with_a_file_is_on_its_timeline(officer, beneficiary):
    interaction = log(officer, beneficiary=beneficiary, person_name="", person_phone="")
    assert interaction.branch == beneficiary.branch
    entry = ActivityLog.objects.get(action="contact.interaction.logged")
    assert entry.subject_type == ContentType.objects.get_for_model(Beneficiary)
    assert entry.subject_id == str(beneficiary.pk)
    assert "الاستفسار عن المساعدات" in entry.sentence


def test_an_unidentified_person_s_phone_is_stored_in_e164(officer):
    interaction = log(officer)
    assert interaction.person_phone == "+966559876543"
    assert interaction.beneficiary is None


def test_someone_must_be_named(officer):
    with pytest.raises(ValidationError) as caught:
        log(officer, person_name="", person_phone="")
    assert "person_name" in caught.value.message_dict


def test_a_phone_call_needs_its_duration(officer):
    with pytest.raises(ValidationError) as caught:
        log(officer, channel="phone")
    assert "duration_seconds" in caught.value.message_dict
    assert log(officer, channel="phone", duration_seconds=270).duration_seconds == 270


def test_social_media_needs_platform_and_handle(officer):
    with pytest.raises(ValidationError) as caught:
        log(officer, channel="social_media", platform="myspace")
    assert {"platform", "handle"} <= set(caught.value.message_dict)
    interaction = log(officer, channel="social_media", platform="x", handle="@noura_q")
    assert (interaction.platform, interaction.handle) == ("x", "@noura_q")


def test_a_letter_needs_its_reference(officer):
    with pytest.raises(ValidationError) as caught:
        log(officer, channel="letter")
    assert "letter_reference" in caught.value.message_dict
    assert log(officer, channel="letter", letter_reference="و/1447/233").letter_reference


def test_a_representative_logs_as_themselves(representative, officer):
    assert log(representative, channel="branch_representative").representative == representative
    with pytest.raises(ValidationError) as caught:
        log(officer, channel="branch_representative", representative=officer)
    assert "representative" in caught.value.message_dict


def test_staff_name_the_volunteer_who_relayed_it(officer, volunteer):
    with pytest.raises(ValidationError):
        log(officer, channel="volunteer")
    assert log(officer, channel="volunteer", volunteer=volunteer).volunteer == volunteer


def test_fields_of_other_channels_are_dropped(officer):
    interaction = log(officer, channel="letter", letter_reference="123", duration_seconds=60)
    assert interaction.duration_seconds is None


def test_a_time_in_the_future_is_refused(officer):
    with pytest.raises(ValidationError) as caught:
        log(officer, occurred_at=timezone.now() + datetime.timedelta(hours=2))
    assert "occurred_at" in caught.value.message_dict


def test_a_branch_logs_only_its_own_files(other_rep, beneficiary):
    with pytest.raises(PermissionDenied):
        log(other_rep, beneficiary=beneficiary)


def test_the_committee_logs_no_contacts(committee):
    with pytest.raises(PermissionDenied):
        log(committee)


# --- Volunteers -------------------------------------------------------------------------


def test_a_volunteer_logs_their_channel_with_name_and_phone(volunteer):
    interaction = log(volunteer, channel="volunteer")
    assert interaction.volunteer == volunteer
    assert interaction.recorded_by == volunteer


def test_a_volunteer_logs_no_other_channel(volunteer):
    with pytest.raises(ValidationError) as caught:
        log(volunteer, channel="phone", duration_seconds=60)
    assert "channel" in caught.value.message_dict


def test_a_volunteer_never_picks_a_file(volunteer, beneficiary):
    with pytest.raises(PermissionDenied):
        log(volunteer, channel="volunteer", beneficiary=beneficiary)


def test_a_volunteer_gives_both_name_and_phone(volunteer):
    with pytest.raises(ValidationError) as caught:
        log(volunteer, channel="volunteer", person_phone="")
    assert "person_phone" in caught.value.message_dict


# --- Identifying a contact later --------------------------------------------------------


def test_staff_link_a_contact_to_its_file(officer, volunteer, beneficiary):
    interaction = log(volunteer, channel="volunteer")
    services.interaction_identify(actor=officer, interaction=interaction, beneficiary=beneficiary)
    interaction.refresh_from_db()
    assert interaction.beneficiary == beneficiary
    assert ActivityLog.objects.filter(
        action="contact.interaction.identified", subject_id=str(beneficiary.pk)
    ).exists()
    with pytest.raises(ValidationError):
        services.interaction_identify(
            actor=officer, interaction=interaction, beneficiary=beneficiary
        )


def test_a_volunteer_cannot_identify(volunteer, beneficiary):
    interaction = log(volunteer, channel="volunteer")
    with pytest.raises(PermissionDenied):
        services.interaction_identify(
            actor=volunteer, interaction=interaction, beneficiary=beneficiary
        )


def test_the_database_refuses_a_contact_with_nobody(officer):
    interaction = log(officer)
    with pytest.raises(Exception):  # noqa: B017 - IntegrityError on either database
        Interaction.objects.filter(pk=interaction.pk).update(person_name="", person_phone="")


# --- Call duration as typed -------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "seconds"),
    [("4:30", 270), ("04:30", 270), ("٤:٣٠", 270), ("1:02:15", 3735), ("5", 300), ("0:45", 45)],
)
def test_call_durations_as_staff_type_them(typed, seconds):
    assert CallDurationField().clean(typed) == seconds


@pytest.mark.parametrize("typed", ["4:75", "four", "1:2:3:4", "-3"])
def test_unreadable_durations_are_refused(typed):
    with pytest.raises(ValidationError):
        CallDurationField().clean(typed)


def test_other_users_cannot_be_representatives(officer):
    clerk = UserFactory(username="clerk", role="service")
    with pytest.raises(ValidationError):
        log(officer, channel="branch_representative", representative=clerk)
