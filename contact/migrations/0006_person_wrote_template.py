"""The e-mail telling a ticket's owner that the person wrote a follow-up on the portal
(contact.services.ticket_person_message): reference and link only, never the text or a name."""

from django.db import migrations

SIGNATURE_AR = "وقف مفاتيح الخير"
SIGNATURE_EN = "Waqf Mafatih Al-Khair"

TEMPLATE = {
    "code": "ticket.person_wrote",
    "channel": "email",
    "description": "To a ticket's owner when the person adds a message on the portal.",
    "subject_ar": "رسالة جديدة من صاحب التذكرة {reference}",
    "subject_en": "A new message on ticket {reference}",
    "body_ar": (
        "السلام عليكم،\n\nأضاف صاحب التذكرة {reference} رسالة جديدة من البوابة.\n\n"
        "للاطلاع: {url}\n\nمستفيد — " + SIGNATURE_AR
    ),
    "body_en": (
        "Hello,\n\nThe person who opened ticket {reference} has added a message on the "
        "portal.\n\nOpen it: {url}\n\nMustafid — " + SIGNATURE_EN
    ),
}


def seed(apps, schema_editor):
    MessageTemplate = apps.get_model("notify", "MessageTemplate")
    fields = {k: v for k, v in TEMPLATE.items() if k != "code"}
    MessageTemplate.objects.get_or_create(code=TEMPLATE["code"], defaults=fields)


def unseed(apps, schema_editor):
    apps.get_model("notify", "MessageTemplate").objects.filter(code=TEMPLATE["code"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contact", "0005_ticket_about_staff_from_category"),
        ("notify", "0004_portal_otp"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
