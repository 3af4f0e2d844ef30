"""The demo runs the example task rules once, so a new user finds tasks and runs."""

import datetime
import random

from django.utils import timezone

from outreach.demo import seed_demo
from outreach.models import Run, Task
from outreach.selectors import years_before
from tests_support.factories import make_beneficiary, make_document
from tests_support.outreach import category, make_member


def test_the_demo_runs_the_example_task_rules_once(manager, officer):
    today = timezone.localdate()
    person = make_beneficiary(officer)
    make_document(officer, person, expires_on=today + datetime.timedelta(days=10))
    orphans = make_beneficiary(officer, categories=[category("orphans")])
    make_member(orphans, birth_date=years_before(today, 18) + datetime.timedelta(days=3))

    summary = seed_demo(rng=random.Random(1447), actor=manager)

    assert summary == "Outreach: 2 example rules run, 2 follow-up tasks created."
    assert set(Task.objects.values_list("beneficiary_id", flat=True)) == {person.pk, orphans.pk}
    assert set(Run.objects.values_list("triggered_by", flat=True)) == {manager.pk}
    assert seed_demo(rng=random.Random(1447), actor=manager).startswith("Outreach: 0 example")
    assert Task.objects.count() == 2
