"""Knowledge-base screens: each view's happy path, wrong method (405), wrong role (403),
what a reader may not see (404), and htmx partials."""

import uuid

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from core.models import ActivityLog
from knowledge.models import Article, ArticleStatus

pytestmark = pytest.mark.django_db


def _ar(msgid: str) -> str:
    """The text as an Arabic page shows it (before and after the catalogue is merged)."""
    with translation.override("ar"):
        return gettext(msgid)


def _url(name, article=None):
    return reverse(f"knowledge:{name}", args=[article.public_id] if article else [])


# --- List and search ----------------------------------------------------------------------


def test_the_list_searches_in_any_spelling(client, officer, make_article):
    article = make_article("إجراءات تقديم الطلب")
    make_article("موضوع آخر")
    client.force_login(officer)
    response = client.get(_url("article_list"), {"q": "اجراءات"})
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [article]
    assert "إجراءات تقديم الطلب" in response.text
    assert "موضوع آخر" not in response.text


def test_the_list_renders_a_partial_for_htmx(client, officer, make_article):
    make_article()
    client.force_login(officer)
    response = client.get(_url("article_list"), {"q": "طلب"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.templates[0].name == "knowledge/_article_results.html"


def test_the_list_filters_and_shows_drafts_to_writers_only(
    client, officer, researcher, make_article
):
    make_article("مسودة", publish=False)
    make_article("منشور")
    client.force_login(researcher)
    response = client.get(_url("article_list"), {"status": "draft"})
    assert [a.title for a in response.context["page"].object_list] == ["منشور"]
    client.force_login(officer)
    response = client.get(_url("article_list"), {"status": "draft"})
    assert [a.title for a in response.context["page"].object_list] == ["مسودة"]


def test_the_list_says_when_nothing_matches(client, officer):
    client.force_login(officer)
    response = client.get(_url("article_list"), {"q": "لاشيء"})
    assert _ar("No article matches this search") in response.text


def test_the_list_refuses_post(client, officer):
    client.force_login(officer)
    assert client.post(_url("article_list")).status_code == 405


def test_the_list_needs_a_role(client, no_role):
    client.force_login(no_role)
    assert client.get(_url("article_list")).status_code == 403


def test_the_list_needs_signing_in(client):
    response = client.get(_url("article_list"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_list_reads_in_fixed_queries(
    client, officer, make_article, django_assert_max_num_queries
):
    for i in range(12):
        make_article(f"سؤال رقم {i}")
    client.force_login(officer)
    with django_assert_max_num_queries(12):
        client.get(_url("article_list"), {"q": "سؤال"})
    with django_assert_max_num_queries(12):
        client.get(_url("article_list"))


# --- Article page -------------------------------------------------------------------------


def test_the_article_page_counts_a_view(client, volunteer, make_article):
    article = make_article(audience="staff", body="نص الجواب الكامل")
    client.force_login(volunteer)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "نص الجواب الكامل" in response.text
    article.refresh_from_db()
    assert article.view_count == 1


def test_drafts_are_hidden_from_readers(client, officer, researcher, make_article):
    draft = make_article(publish=False)
    client.force_login(researcher)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(officer)
    assert client.get(draft.get_absolute_url()).status_code == 200
    draft.refresh_from_db()
    assert draft.view_count == 0  # drafts are not counted


def test_an_unknown_article_is_404(client, officer):
    client.force_login(officer)
    url = reverse("knowledge:article_detail", args=[uuid.uuid4()])
    assert client.get(url).status_code == 404


def test_the_article_page_refuses_post(client, officer, make_article):
    client.force_login(officer)
    assert client.post(make_article().get_absolute_url()).status_code == 405


def test_the_article_page_needs_a_role(client, no_role, make_article):
    client.force_login(no_role)
    assert client.get(make_article().get_absolute_url()).status_code == 403


# --- Create and edit ----------------------------------------------------------------------


def _form(category, **kw):
    return {
        "title": "  كيف   أحدّث رقم جوالي؟ ",
        "kind": "faq",
        "category": category.pk,
        "audience": "public",
        "summary": "",
        "body": "أبلغ موظف علاقات المستفيدين أو حدّثه من البوابة.",
        **kw,
    }


def test_an_officer_creates_a_draft(client, officer, category):
    client.force_login(officer)
    assert "publish" not in client.get(_url("article_create")).context["form"].fields
    response = client.post(_url("article_create"), _form(category, publish="on"))
    article = Article.objects.get(author=officer)
    assert response.status_code == 302
    assert response["Location"] == article.get_absolute_url()
    assert article.status == ArticleStatus.DRAFT  # the publish box is not theirs to tick
    assert article.title == "كيف أحدّث رقم جوالي؟"


def test_a_publisher_publishes_at_once(client, quality, category):
    client.force_login(quality)
    client.post(_url("article_create"), _form(category, publish="on"))
    assert Article.objects.get(author=quality).status == ArticleStatus.PUBLISHED


def test_errors_show_at_the_field(client, officer, category):
    client.force_login(officer)
    response = client.post(_url("article_create"), _form(category, body=""))
    assert response.status_code == 200
    assert response.context["form"].errors["body"]
    assert not Article.objects.filter(author=officer).exists()


def test_create_refuses_other_methods_and_roles(client, officer, researcher):
    client.force_login(officer)
    assert client.put(_url("article_create")).status_code == 405
    client.force_login(researcher)
    assert client.get(_url("article_create")).status_code == 403


def test_edit(client, manager, make_article, category):
    article = make_article()
    client.force_login(manager)
    assert client.get(_url("article_edit", article)).status_code == 200
    response = client.post(_url("article_edit", article), _form(category, title="عنوان جديد"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "عنوان جديد"
    assert ActivityLog.objects.filter(action="knowledge.article.updated").exists()


def test_an_officer_cannot_edit_what_is_published(client, officer, make_article):
    client.force_login(officer)
    assert client.get(_url("article_edit", make_article())).status_code == 403


def test_edit_refuses_other_methods_readers_and_unknown(client, manager, researcher, make_article):
    article = make_article()
    client.force_login(manager)
    assert client.delete(_url("article_edit", article)).status_code == 405
    assert client.get(reverse("knowledge:article_edit", args=[uuid.uuid4()])).status_code == 404
    client.force_login(researcher)
    assert client.get(_url("article_edit", article)).status_code == 403


# --- Status -------------------------------------------------------------------------------


def test_publish_and_archive(client, quality, make_article):
    draft = make_article(publish=False)
    client.force_login(quality)
    response = client.post(_url("article_status", draft), {"status": "published"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ArticleStatus.PUBLISHED


def test_a_wrong_move_is_a_message(client, quality, make_article):
    article = make_article()
    client.force_login(quality)
    response = client.post(_url("article_status", article), {"status": "published"}, follow=True)
    assert _ar("This article cannot move to that status.") in response.text


def test_status_refuses_get_officers_and_unknown(client, quality, officer, make_article):
    article = make_article()
    client.force_login(quality)
    assert client.get(_url("article_status", article)).status_code == 405
    unknown = reverse("knowledge:article_status", args=[uuid.uuid4()])
    assert client.post(unknown, {"status": "archived"}).status_code == 404
    client.force_login(officer)
    assert client.post(_url("article_status", article), {"status": "archived"}).status_code == 403


# --- Votes --------------------------------------------------------------------------------


def test_vote_without_javascript(client, officer, make_article):
    article = make_article()
    client.force_login(officer)
    response = client.post(_url("article_vote", article), {"helpful": "1"})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.helpful_count == 1


def test_vote_with_htmx_returns_the_box(client, officer, make_article):
    article = make_article()
    client.force_login(officer)
    response = client.post(
        _url("article_vote", article), {"helpful": "0"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="vote"' in response.text
    assert 'aria-pressed="true"' in response.text
    article.refresh_from_db()
    assert article.unhelpful_count == 1


def test_a_bad_vote_changes_nothing(client, officer, make_article):
    article = make_article()
    client.force_login(officer)
    response = client.post(
        _url("article_vote", article), {"helpful": "maybe"}, headers={"HX-Request": "true"}
    )
    assert 'role="alert"' in response.text
    article.refresh_from_db()
    assert (article.helpful_count, article.unhelpful_count) == (0, 0)


def test_vote_refuses_get_no_role_and_hidden(client, officer, researcher, no_role, make_article):
    article = make_article()
    client.force_login(officer)
    assert client.get(_url("article_vote", article)).status_code == 405
    client.force_login(no_role)
    assert client.post(_url("article_vote", article), {"helpful": "1"}).status_code == 403
    client.force_login(researcher)
    draft = make_article(publish=False)
    assert client.post(_url("article_vote", draft), {"helpful": "1"}).status_code == 404
