from django.db import migrations

SIGNATURE_AR = "وقف مفاتيح الخير"
SIGNATURE_EN = "Waqf Mafatih Al-Khair"

REMINDER = {
    "code": "request.info_reminder",
    "channel": "sms",
    "description": "Reminder when the information asked of the applicant is due.",
    "body_ar": (
        "تذكير: طلبك رقم {reference} ما زال ينتظر: {missing}. آخر موعد {due_date}. "
        + SIGNATURE_AR
    ),
    "body_en": (
        "Reminder: your request {reference} is still waiting for: {missing}. Due by {due_date}. "
        + SIGNATURE_EN
    ),
}


def seed(apps, schema_editor):
    MessageTemplate = apps.get_model("notify", "MessageTemplate")
    fields = {k: v for k, v in REMINDER.items() if k != "code"}
    MessageTemplate.objects.get_or_create(code=REMINDER["code"], defaults=fields)


def unseed(apps, schema_editor):
    apps.get_model("notify", "MessageTemplate").objects.filter(code=REMINDER["code"]).delete()


class Migration(migrations.Migration):
    dependencies = [("notify", "0002_seed_templates")]

    operations = [migrations.RunPython(seed, unseed)]


