"""The activity log: append-only at the ORM and in the database, shown as translated
sentences on the beneficiary's timeline, with every view of a file recorded."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import translation

from beneficiaries import services
from core.models import ActivityLog

pytestmark = pytest.mark.django_db


def test_log_rows_cannot_be_changed_or_deleted(beneficiary):
    entry = ActivityLog.objects.first()
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        ActivityLog.objects.all().update(action="x")
    with pytest.raises(TypeError):
        ActivityLog.objects.all().delete()


def test_database_refuses_updates_whatever_code_runs(beneficiary):
    entry = ActivityLog.objects.first()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_activitylog SET action = 'forged' WHERE id = %s", [entry.pk])


def test_opening_a_file_is_logged(client, officer, beneficiary):
    client.force_login(officer)
    client.get(reverse("beneficiaries:detail", args=[beneficiary.public_id]))
    assert ActivityLog.objects.filter(
        action="beneficiaries.beneficiary.viewed", actor=officer, subject_id=str(beneficiary.pk)
    ).exists()


def test_timeline_speaks_the_readers_language(client, officer, beneficiary):
    services.member_save(
        actor=officer,
        beneficiary=beneficiary,
        data={
            "relation": "daughter",
            "full_name": "سارة محمد",
            "gender": "female",
            "birth_date": beneficiary.birth_date.replace(year=2012),
        },
    )
    client.force_login(officer)
    html = client.get(
        reverse("beneficiaries:detail", args=[beneficiary.public_id])
    ).content.decode()
    assert ("سارة محمد" in html and "أفراد الأسرة" in html) or "الأسرة" in html
    with translation.override("en"):
        entry = ActivityLog.objects.get(action="beneficiaries.member.added")
        assert (
            entry.sentence == f"{officer.display_name} added سارة محمد (Daughter) to the household."
        )
    with translation.override("ar"):
        assert "بنت" in entry.sentence or "ابنة" in entry.sentence
