"""Article writes: who may write, publish and edit; the audit rows; usage and view counters;
helpful votes, one per staff member or anonymous session."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from core.models import ActivityLog
from knowledge import services
from knowledge.models import Article, ArticleKind, ArticleStatus, ArticleToken, ArticleVote

pytestmark = pytest.mark.django_db


def _fields(category, **kw):
    return {
        "kind": ArticleKind.FAQ,
        "category": category,
        "audience": "public",
        "title": "عنوان",
        "body": "نص الجواب",
        **kw,
    }


def test_an_officer_writes_a_draft_and_it_is_logged(officer, category):
    article = services.article_create(actor=officer, **_fields(category))
    assert article.status == ArticleStatus.DRAFT
    assert article.published_at is None
    assert ArticleToken.objects.filter(article=article).exists()
    row = ActivityLog.objects.get(action="knowledge.article.created")
    assert row.actor == officer
    assert row.target_id == str(article.pk)


def test_an_officer_cannot_publish(officer, category):
    with pytest.raises(PermissionDenied):
        services.article_create(actor=officer, publish=True, **_fields(category))
    assert not Article.objects.exists()


@pytest.mark.parametrize("persona", ["researcher", "committee", "service_officer", "volunteer"])
def test_other_roles_cannot_write(request, persona, category):
    with pytest.raises(PermissionDenied):
        services.article_create(actor=request.getfixturevalue(persona), **_fields(category))


def test_the_quality_officer_publishes(quality, category):
    article = services.article_create(actor=quality, publish=True, **_fields(category))
    assert article.status == ArticleStatus.PUBLISHED
    assert article.published_at is not None
    assert list(
        ActivityLog.objects.filter(target_id=str(article.pk))
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["knowledge.article.created", "knowledge.article.published"]


def test_a_published_article_needs_its_date(make_article):
    article = make_article()
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(published_at=None)


def test_an_empty_body_is_refused_at_its_field(manager, category):
    with pytest.raises(ValidationError) as exc:
        services.article_create(actor=manager, **_fields(category, body=""))
    assert "body" in exc.value.error_dict


def test_writers_edit_drafts_only(officer, make_article):
    draft = make_article(publish=False, actor=officer)
    services.article_update(actor=officer, article=draft, title="عنوان أوضح")
    draft.refresh_from_db()
    assert draft.title == "عنوان أوضح"
    row = ActivityLog.objects.get(action="knowledge.article.updated")
    assert row.data["fields"] == ["title"]

    published = make_article()
    with pytest.raises(PermissionDenied):
        services.article_update(actor=officer, article=published, title="تغيير")


def test_an_edit_without_change_logs_nothing(manager, make_article):
    article = make_article()
    services.article_update(actor=manager, article=article, title=article.title)
    assert not ActivityLog.objects.filter(action="knowledge.article.updated").exists()


def test_status_moves(manager, officer, make_article):
    article = make_article()
    with pytest.raises(PermissionDenied):
        services.article_set_status(actor=officer, article=article, status="archived")
    services.article_set_status(actor=manager, article=article, status=ArticleStatus.ARCHIVED)
    article.refresh_from_db()
    assert article.status == ArticleStatus.ARCHIVED
    assert ActivityLog.objects.filter(action="knowledge.article.archived").count() == 1
    with pytest.raises(ValidationError):
        services.article_set_status(actor=manager, article=article, status="archived")
    with pytest.raises(ValidationError):
        services.article_set_status(actor=manager, article=article, status="nonsense")


def test_article_used_counts_and_logs(officer, make_article):
    article = make_article()
    services.article_used(actor=officer, article=article)
    services.article_used(actor=officer, article=article)
    article.refresh_from_db()
    assert article.use_count == 2
    rows = ActivityLog.objects.filter(action="knowledge.article.used", actor=officer)
    assert rows.count() == 2


def test_article_used_refuses_drafts_and_outsiders(officer, no_role, make_article):
    with pytest.raises(ValidationError):
        services.article_used(actor=officer, article=make_article(publish=False))
    with pytest.raises(PermissionDenied):
        services.article_used(actor=no_role, article=make_article())
    with pytest.raises(PermissionDenied):
        services.article_used(actor=None, article=make_article())


def test_viewing_counts_without_logging(make_article):
    article = make_article()
    before = ActivityLog.objects.count()
    services.article_viewed(article=article)
    article.refresh_from_db()
    assert article.view_count == 1
    assert ActivityLog.objects.count() == before


# --- Votes --------------------------------------------------------------------------------


def _counts(article):
    article.refresh_from_db()
    return article.helpful_count, article.unhelpful_count


def test_one_vote_per_staff_member_which_can_change(officer, make_article):
    article = make_article()
    services.article_vote(actor=officer, article=article, helpful=True)
    services.article_vote(actor=officer, article=article, helpful=True)
    assert _counts(article) == (1, 0)
    services.article_vote(actor=officer, article=article, helpful=False)
    assert _counts(article) == (0, 1)
    assert ArticleVote.objects.filter(article=article).count() == 1
    # The repeated identical vote was not logged again.
    assert ActivityLog.objects.filter(action="knowledge.article.voted").count() == 2


def test_staff_votes_add_up(officer, researcher, make_article):
    article = make_article()
    services.article_vote(actor=officer, article=article, helpful=True)
    services.article_vote(actor=researcher, article=article, helpful=True)
    assert _counts(article) == (2, 0)


def test_the_public_votes_once_per_session_and_anonymously(make_article):
    article = make_article()
    services.article_vote(actor=None, article=article, helpful=False, session_key="s1")
    services.article_vote(actor=None, article=article, helpful=False, session_key="s1")
    services.article_vote(actor=None, article=article, helpful=True, session_key="s2")
    assert _counts(article) == (1, 1)
    assert not ActivityLog.objects.filter(action="knowledge.article.voted").exists()
    with pytest.raises(ValidationError):
        services.article_vote(actor=None, article=article, helpful=True)


def test_drafts_cannot_be_rated(officer, make_article):
    with pytest.raises(ValidationError):
        services.article_vote(actor=officer, article=make_article(publish=False), helpful=True)


def test_the_database_keeps_one_vote_per_user(officer, make_article):
    article = make_article()
    ArticleVote.objects.create(article=article, voter=officer, helpful=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleVote.objects.create(article=article, voter=officer, helpful=False)


def test_the_database_keeps_one_vote_per_session(make_article):
    article = make_article()
    ArticleVote.objects.create(article=article, session_key="abc", helpful=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleVote.objects.create(article=article, session_key="abc", helpful=False)


def test_a_vote_has_exactly_one_voter(officer, make_article):
    article = make_article()
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleVote.objects.create(article=article, voter=officer, session_key="x", helpful=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleVote.objects.create(article=article, helpful=True)
