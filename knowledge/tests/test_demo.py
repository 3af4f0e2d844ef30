"""The demo articles: published through the services, findable, and seeded once."""

import random

import pytest

from knowledge import demo, selectors
from knowledge.models import Article

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_searchable(manager, officer):
    summary = demo.seed_demo(rng=random.Random(1), actor=manager)
    assert str(len(demo.ARTICLES)) in summary
    demo.seed_demo(rng=random.Random(1), actor=manager)
    assert Article.objects.count() == len(demo.ARTICLES)
    assert not Article.objects.exclude(status="published").exists()

    by_public = [a.title for a in selectors.article_search(None, "المستندات المطلوبه")]
    assert by_public[0] == "ما المستندات المطلوبة لتقديم طلب الدعم؟"
    assert selectors.article_search(None, "القرار المتوقع")[0].title == "متى أعرف نتيجة طلبي؟"
    misconception = selectors.article_search(None, "الوساطه")[0]
    assert misconception.category.code == "misconceptions"
    # The front-desk scripts are for staff only.
    assert selectors.article_search(None, "استقبال") == []
    assert selectors.article_search(officer, "استقبال المراجع")[0].kind == "script"
