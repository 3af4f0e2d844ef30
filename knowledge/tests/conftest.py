"""Helpers for the knowledge tests: articles and policies made through the services."""

import pytest

from knowledge import services
from knowledge.models import ArticleCategory, ArticleKind, Audience


@pytest.fixture
def category(db):
    return ArticleCategory.objects.get(code="applying")


@pytest.fixture
def make_article(manager, category):
    def make(title="كيف أقدم طلب مساعدة؟", *, body="قدّم طلبك من البوابة أو في الفرع.", **kw):
        fields = {
            "kind": ArticleKind.FAQ,
            "category": category,
            "audience": Audience.PUBLIC,
            "title": title,
            "summary": "",
            "body": body,
        }
        fields.update(kw)
        publish = fields.pop("publish", True)
        actor = fields.pop("actor", manager)
        return services.article_create(actor=actor, publish=publish, **fields)

    return make


@pytest.fixture
def relations_policy(db):
    """The record the data migration loads: the beneficiary-relations policy."""
    from knowledge.models import PolicyDocument

    return PolicyDocument.objects.get(kind="relations_policy")


@pytest.fixture
def make_policy(manager):
    from knowledge.models import PolicyKind

    def make(title="دليل خدمات البحث الاجتماعي", **kw):
        actor = kw.pop("actor", manager)
        fields = {"kind": PolicyKind.RESEARCH_GUIDE, "title": title, "audience": "staff"}
        fields.update(kw)
        return services.policy_create(actor=actor, **fields)

    return make


@pytest.fixture
def approve(manager):
    import datetime

    def run(version, *, on=datetime.date(2025, 9, 15), **kw):
        fields = {
            "approving_body": "مجلس الإدارة",
            "meeting_number": "162",
            "approval_date": on,
            "effective_date": on,
        }
        fields.update(kw)
        return services.policy_version_approve(actor=manager, version=version, **fields)

    return run
