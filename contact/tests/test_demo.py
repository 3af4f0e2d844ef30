"""The demo data for `make run`: realistic, through the services, and safe to run twice."""

import random

from beneficiaries import demo as registry_demo
from contact import selectors
from contact.demo import seed_demo
from contact.models import Interaction, ReceptionVisit, Ticket, TicketStatus
from tests_support.factories import make_beneficiary


def test_the_demo_seeds_a_month_of_contact_work_once(db):
    branches = registry_demo.ensure_branches()
    registry_demo.ensure_users(branches)
    from accounts.models import User

    officer = User.objects.get(username="officer")
    representative = User.objects.get(username="representative")
    for _ in range(3):
        make_beneficiary(representative)
    make_beneficiary(officer)

    summary = seed_demo(rng=random.Random(1447), actor=officer)
    assert summary.startswith("contact:")
    contacts = Interaction.objects.count()
    assert contacts > 60
    assert {"phone", "letter", "social_media", "volunteer", "interview"} <= set(
        Interaction.objects.values_list("channel__code", flat=True)
    )
    assert ReceptionVisit.objects.filter(served_at__isnull=True).count() == 2
    statuses = set(Ticket.objects.values_list("status", flat=True))
    assert {TicketStatus.NEW, TicketStatus.RESOLVED, TicketStatus.CLOSED} <= statuses
    # The complaint about the representative is hidden from them and from the officer.
    complaint = Ticket.objects.get(about_staff=True)
    assert not selectors.tickets_for(representative).filter(pk=complaint.pk).exists()
    assert not selectors.tickets_for(officer).filter(pk=complaint.pk).exists()
    assert (
        selectors.tickets_for(User.objects.get(username="quality")).filter(pk=complaint.pk).exists()
    )

    assert "already" in seed_demo(rng=random.Random(1447), actor=officer)
    assert Interaction.objects.count() == contacts
