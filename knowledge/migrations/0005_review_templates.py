"""E-mails to managers about policy reviews (knowledge.services.policy_review_reminders).
Staff edit the texts in the admin; the codes are what the code looks up."""

from django.db import migrations

SIGNATURE_AR = "مستفيد — وقف مفاتيح الخير"
SIGNATURE_EN = "Mustafid — Waqf Mafatih Al-Khair"

TEMPLATES = [
    {
        "code": "policy.review_upcoming",
        "channel": "email",
        "description": "To managers, a set number of days before a policy's next review date.",
        "subject_ar": "اقترب موعد مراجعة: {title}",
        "subject_en": "Review coming up: {title}",
        "body_ar": (
            "السلام عليكم،\n\n"
            "يحين موعد مراجعة «{title}» في {review_date}.\n"
            "الإصدار النافذ: {version}، المعتمد في {approval_date}.\n\n"
            "للاطلاع وإضافة إصدار جديد: {url}\n\n" + SIGNATURE_AR
        ),
        "body_en": (
            "Hello,\n\n"
            "«{title}» is due for review on {review_date}.\n"
            "Version in force: {version}, approved on {approval_date}.\n\n"
            "Review it and add a new version: {url}\n\n" + SIGNATURE_EN
        ),
    },
    {
        "code": "policy.review_due",
        "channel": "email",
        "description": "To managers, on a policy's next review date.",
        "subject_ar": "حان موعد مراجعة: {title}",
        "subject_en": "Review due today: {title}",
        "body_ar": (
            "السلام عليكم،\n\n"
            "حان اليوم {review_date} موعد مراجعة «{title}».\n"
            "الإصدار النافذ: {version}، المعتمد في {approval_date}.\n\n"
            "بعد المراجعة أضيفوا إصدارًا جديدًا أو حدّدوا موعد المراجعة القادم: {url}\n\n"
            + SIGNATURE_AR
        ),
        "body_en": (
            "Hello,\n\n"
            "«{title}» is due for review today, {review_date}.\n"
            "Version in force: {version}, approved on {approval_date}.\n\n"
            "After the review, add a new version or set the next review date: {url}\n\n"
            + SIGNATURE_EN
        ),
    },
]


def seed(apps, schema_editor):
    MessageTemplate = apps.get_model("notify", "MessageTemplate")
    for row in TEMPLATES:
        MessageTemplate.objects.update_or_create(code=row["code"], defaults=row)


def unseed(apps, schema_editor):
    MessageTemplate = apps.get_model("notify", "MessageTemplate")
    MessageTemplate.objects.filter(code__in=[row["code"] for row in TEMPLATES]).delete()


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0004_relations_policy"), ("notify", "0003_info_reminder")]

    operations = [migrations.RunPython(seed, unseed)]
