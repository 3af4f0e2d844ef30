"""The article categories every install starts with; managers edit them in the admin.

«Correcting common misconceptions» is one of them because the policy asks for awareness
content (P3.7.1): answers to what people wrongly believe about aid and how it is decided.
"""

from django.db import migrations

CATEGORIES = [
    ("applying", "التقديم والإجراءات", "Applying and procedures", 10),
    ("documents", "المستندات المطلوبة", "Required documents", 20),
    ("decisions", "القرارات والمواعيد", "Decisions and timelines", 30),
    ("rights", "الحقوق والواجبات", "Rights and duties", 40),
    ("misconceptions", "تصحيح المفاهيم الشائعة", "Correcting common misconceptions", 50),
    ("reception", "الاستقبال وعبارات الرد", "Reception and answer scripts", 60),
    ("services", "الخدمات والبرامج", "Services and programmes", 70),
]


def seed(apps, schema_editor):
    ArticleCategory = apps.get_model("knowledge", "ArticleCategory")
    for code, name_ar, name_en, order in CATEGORIES:
        ArticleCategory.objects.get_or_create(
            code=code, defaults={"name_ar": name_ar, "name_en": name_en, "sort_order": order}
        )


def unseed(apps, schema_editor):
    ArticleCategory = apps.get_model("knowledge", "ArticleCategory")
    ArticleCategory.objects.filter(
        code__in=[c[0] for c in CATEGORIES], articles__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0002_token_collation")]

    operations = [migrations.RunPython(seed, unseed)]
