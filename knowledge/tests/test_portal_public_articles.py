"""What the public portal reads of the knowledge base: published public articles only."""

import pytest

from knowledge import selectors, services
from knowledge.models import ArticleCategory, Audience

pytestmark = pytest.mark.django_db


@pytest.fixture
def base(make_article, manager):
    public = make_article("كيف أطلب تحديث بيانات أسرتي؟", body="اطلب التحديث من البوابة.")
    staff = make_article("نص رد على تحديث البيانات", audience=Audience.STAFF)
    draft = make_article("مسودة عن تحديث البيانات", publish=False)
    archived = make_article("قديم: تحديث البيانات")
    services.article_set_status(actor=manager, article=archived, status="archived")
    rights = make_article(
        "ما حقوقي؟", category=ArticleCategory.objects.get(code="rights"), body="لك حقوق."
    )
    return {
        "public": public,
        "staff": staff,
        "draft": draft,
        "archived": archived,
        "rights": rights,
    }


def test_public_articles_never_include_staff_draft_or_archived(base):
    for query in ("", "تحديث البيانات", "بيانات"):
        found = selectors.public_articles(query=query)
        assert base["public"] in found
        assert not {base["staff"], base["draft"], base["archived"]} & set(found)


def test_public_articles_narrow_to_a_category(base):
    rights = ArticleCategory.objects.get(code="rights")
    assert selectors.public_articles(category=rights) == [base["rights"]]
    assert selectors.public_articles(query="تحديث", category=rights) == []
    assert selectors.public_articles(query="حقوقي", category=rights) == [base["rights"]]


def test_public_categories_offer_only_those_with_public_answers(base, make_article):
    make_article(
        "عبارة استقبال",
        audience=Audience.STAFF,
        category=ArticleCategory.objects.get(code="reception"),
    )
    make_article(
        "مسودة مفاهيم",
        publish=False,
        category=ArticleCategory.objects.get(code="misconceptions"),
    )
    codes = [c.code for c in selectors.public_categories()]
    assert codes == ["applying", "rights"]


def test_public_articles_cost_a_fixed_number_of_queries(base, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        articles = selectors.public_articles()
        [a.category.name for a in articles]
