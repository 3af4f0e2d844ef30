"""Reference numbers: one sequence per direction and Hijri year, fixed at registration
(incoming) or issue (outgoing), never repeated, never skipped by a refused write."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from core.hijri import to_hijri
from correspondence import services
from correspondence.models import Letter, LetterSequence
from correspondence.tests.conftest import draft, register

pytestmark = pytest.mark.django_db


def _year() -> int:
    return to_hijri(timezone.localdate()).year


def test_incoming_and_outgoing_letters_have_their_own_sequences(officer, beneficiary):
    first = register(officer)
    second = register(officer)
    outgoing = services.letter_issue(actor=officer, letter=draft(officer, beneficiary=beneficiary))

    year = _year()
    assert first.reference == f"IN-{year}-000001"
    assert second.reference == f"IN-{year}-000002"
    assert outgoing.reference == f"OUT-{year}-000001"
    assert {(s.direction, s.last) for s in LetterSequence.objects.all()} == {("in", 2), ("out", 1)}


def test_a_draft_has_no_number_until_it_is_issued(officer, letter_draft):
    assert letter_draft.reference is None and letter_draft.letter_date is None
    assert not LetterSequence.objects.filter(direction="out").exists()


def test_each_hijri_year_starts_again_at_one():
    # 1 Muharram 1448 is 16/06/2026: the day before is still 1447.
    last_of_1447, first_of_1448 = datetime.date(2026, 6, 15), datetime.date(2026, 6, 16)
    assert (to_hijri(last_of_1447).year, to_hijri(first_of_1448).year) == (1447, 1448)
    with transaction.atomic():
        assert services.next_reference("in", last_of_1447) == "IN-1447-000001"
        assert services.next_reference("in", last_of_1447) == "IN-1447-000002"
        assert services.next_reference("in", first_of_1448) == "IN-1448-000001"
        assert services.next_reference("out", first_of_1448) == "OUT-1448-000001"


def test_a_refused_registration_uses_no_number(officer):
    with pytest.raises(ValidationError):
        register(officer, subject="x" * 201)  # too long: refused after numbering
    assert register(officer).reference.endswith("-000001")


def test_the_reference_prefix_must_match_the_direction(officer):
    from django.db import IntegrityError

    letter = register(officer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Letter.objects.filter(pk=letter.pk).update(reference="OUT-1448-000099")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded")
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_desks_registering_at_once_get_consecutive_numbers(officer):
    from django.db import connections

    results, barrier = [], threading.Barrier(2)

    def register_one():
        try:
            barrier.wait()
            results.append(register(officer).reference)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register_one) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    year = _year()
    assert sorted(results) == [f"IN-{year}-000001", f"IN-{year}-000002"]
    assert LetterSequence.objects.get(direction="in").last == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded")
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_desks_issuing_the_same_draft_issue_it_once(officer, manager, beneficiary):
    from django.db import connections

    letter = draft(officer, beneficiary=beneficiary)
    results, barrier = [], threading.Barrier(2)

    def issue(actor):
        try:
            barrier.wait()
            services.letter_issue(actor=actor, letter=letter)
            results.append("issued")
        except ValidationError:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(u,)) for u in (officer, manager)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["issued", "refused"]
    letter.refresh_from_db()
    assert letter.reference == f"OUT-{_year()}-000001"
    assert LetterSequence.objects.get(direction="out").last == 1
