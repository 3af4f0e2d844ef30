"""The public knowledge base: published public articles only, searchable, by topic, with a
helpful/unhelpful vote per browser session."""

import pytest
from django.urls import reverse

from core.models import ActivityLog
from knowledge import services
from knowledge.models import Article, ArticleCategory, ArticleKind, ArticleVote, Audience

pytestmark = pytest.mark.django_db


@pytest.fixture
def make(manager):
    def make(title, *, audience=Audience.PUBLIC, publish=True, category="applying", **kw):
        return services.article_create(
            actor=manager,
            publish=publish,
            kind=ArticleKind.FAQ,
            category=ArticleCategory.objects.get(code=category),
            audience=audience,
            title=title,
            summary=kw.pop("summary", ""),
            body=kw.pop("body", "نص الإجابة عن موعد صرف السلال الغذائية."),
        )

    return make


@pytest.fixture
def articles(make, manager):
    public = make("متى تصرف السلال الغذائية؟")
    staff = make("عبارة الرد على سؤال السلال الغذائية", audience=Audience.STAFF)
    draft = make("مسودة عن السلال الغذائية", publish=False)
    archived = make("جواب قديم عن السلال الغذائية")
    services.article_set_status(actor=manager, article=archived, status="archived")
    other_topic = make("ما حقوقي عند التقديم؟", category="rights", body="لك أن تعرف موعد الرد.")
    return {
        "public": public,
        "staff": staff,
        "draft": draft,
        "archived": archived,
        "other_topic": other_topic,
    }


HIDDEN = ("staff", "draft", "archived")


def test_it_lists_only_published_public_articles(client, articles):
    html = client.get(reverse("portal:kb")).content.decode()
    assert articles["public"].title in html
    assert articles["other_topic"].title in html
    for key in HIDDEN:
        assert articles[key].title not in html


def test_it_finds_by_search_in_any_spelling_and_never_a_hidden_article(client, articles):
    # «السلال» typed with a hamza-less alif and without «ال» still finds the article.
    html = client.get(reverse("portal:kb"), {"q": "سلال غذائيه"}).content.decode()
    assert articles["public"].title in html
    assert articles["other_topic"].title not in html
    for key in HIDDEN:
        assert articles[key].title not in html


def test_it_filters_by_topic_and_offers_only_topics_with_public_answers(client, articles, make):
    make("سؤال للموظفين فقط", audience=Audience.STAFF, category="reception")
    response = client.get(reverse("portal:kb"), {"category": "rights"})
    html = response.content.decode()
    assert articles["other_topic"].title in html
    assert articles["public"].title not in html
    assert "?category=applying" in html
    assert "?category=reception" not in html  # a staff-only topic is not offered


def test_it_searches_within_a_topic(client, articles):
    html = client.get(reverse("portal:kb"), {"q": "السلال", "category": "rights"}).content.decode()
    assert articles["public"].title not in html


@pytest.mark.parametrize("key", HIDDEN)
def test_it_answers_404_for_a_hidden_article(client, articles, key):
    url = reverse("portal:kb_article", args=[articles[key].public_id])
    assert client.get(url).status_code == 404
    assert (
        client.post(
            reverse("portal:kb_vote", args=[articles[key].public_id]), {"helpful": "1"}
        ).status_code
        == 404
    )


def test_it_shows_a_public_article_and_counts_the_reading(client, articles):
    article = articles["public"]
    response = client.get(reverse("portal:kb_article", args=[article.public_id]))
    assert response.status_code == 200
    assert article.body in response.content.decode()
    article.refresh_from_db()
    assert article.view_count == 1


def test_it_rejects_post_on_the_list_and_the_article(client, articles):
    assert client.post(reverse("portal:kb")).status_code == 405
    assert (
        client.post(reverse("portal:kb_article", args=[articles["public"].public_id])).status_code
        == 405
    )
    assert (
        client.get(reverse("portal:kb_vote", args=[articles["public"].public_id])).status_code
        == 405
    )


def test_it_records_one_anonymous_vote_per_session_and_lets_it_change(client, articles):
    article = articles["public"]
    url = reverse("portal:kb_vote", args=[article.public_id])
    logged = ActivityLog.objects.count()
    response = client.post(url, {"helpful": "1"})
    assert response.status_code == 302
    assert response.url.endswith("#vote")
    client.post(url, {"helpful": "1"})
    client.post(url, {"helpful": "0"})
    article.refresh_from_db()
    assert (article.helpful_count, article.unhelpful_count) == (0, 1)
    vote = ArticleVote.objects.get(article=article)
    assert vote.voter is None and vote.session_key
    # Public votes are anonymous: nothing in the activity log.
    assert ActivityLog.objects.count() == logged
    page = client.get(reverse("portal:kb_article", args=[article.public_id])).content.decode()
    assert 'value="0" aria-pressed="true"' in page


def test_it_refuses_a_vote_without_a_choice(client, articles):
    article = articles["public"]
    response = client.post(reverse("portal:kb_vote", args=[article.public_id]), {"helpful": "x"})
    assert response.status_code == 302
    assert not ArticleVote.objects.exists()
    article.refresh_from_db()
    assert article.helpful_count == article.unhelpful_count == 0


def test_it_never_shows_hidden_articles_among_the_common_questions(client, articles):
    html = client.get(reverse("portal:index")).content.decode()
    assert articles["public"].title in html
    for key in HIDDEN:
        assert articles[key].title not in html
    assert Article.objects.count() == 5
