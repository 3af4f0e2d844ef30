"""The templates the request workflow sends. Staff edit the texts in the admin; the codes are
what the code looks up. SMS texts stay short (Arabic is 70 characters per SMS segment) and carry
no decision or amount: the details are told in the portal or in person."""

from django.db import migrations

SIGNATURE_AR = "وقف مفاتيح الخير"
SIGNATURE_EN = "Waqf Mafatih Al-Khair"

TEMPLATES = [
    {
        "code": "request.submitted",
        "channel": "sms",
        "description": "When a support request is submitted: reference and expected decision date.",
        "body_ar": f"تم استلام طلبك رقم {{reference}}، وموعد الرد المتوقع {{decision_date}}. {SIGNATURE_AR}",
        "body_en": (
            f"We have received your request {{reference}}. Expect our answer by "
            f"{{decision_date}}. {SIGNATURE_EN}"
        ),
    },
    {
        "code": "request.info_requested",
        "channel": "sms",
        "description": "When staff ask the applicant for missing information or documents.",
        "body_ar": (
            f"طلبك رقم {{reference}} يحتاج إلى استكمال: {{missing}}. نرجو تزويدنا به قبل "
            f"{{due_date}} عبر البوابة أو بزيارة الفرع. {SIGNATURE_AR}"
        ),
        "body_en": (
            f"Your request {{reference}} needs: {{missing}}. Please provide it by {{due_date}} "
            f"through the portal or at the branch. {SIGNATURE_EN}"
        ),
    },
    {
        "code": "request.visit_booked",
        "channel": "sms",
        "description": "When the social researcher books a home visit.",
        "body_ar": (
            f"موعد زيارة الباحث الاجتماعي لطلبك رقم {{reference}} يوم {{visit_date}} "
            f"الساعة {{visit_time}}. للتعديل اتصل على {{contact_phone}}. {SIGNATURE_AR}"
        ),
        "body_en": (
            f"A social researcher will visit you about request {{reference}} on {{visit_date}} "
            f"at {{visit_time}}. To change it call {{contact_phone}}. {SIGNATURE_EN}"
        ),
    },
    {
        "code": "request.decided",
        "channel": "sms",
        "description": "When the committee's decision on a request is final (no outcome in the text).",
        "body_ar": (
            f"صدر قرار اللجنة في طلبك رقم {{reference}}. تفاصيل القرار في البوابة أو لدى "
            f"الفرع. {SIGNATURE_AR}"
        ),
        "body_en": (
            f"The committee has decided on your request {{reference}}. See the details in the "
            f"portal or at the branch. {SIGNATURE_EN}"
        ),
    },
    {
        "code": "digest.overdue",
        "channel": "email",
        "description": (
            "Daily e-mail to managers: requests past their expected decision date. Reference "
            "numbers only, never beneficiaries' names."
        ),
        "subject_ar": "طلبات تجاوزت موعد القرار: {count}",
        "subject_en": "Requests past their decision date: {count}",
        "body_ar": (
            "السلام عليكم،\n\n"
            "عدد الطلبات التي تجاوزت موعد القرار المتوقع حتى {date}: {count}.\n\n"
            "{items}\n\n"
            "للمراجعة: {url}\n\n"
            "مستفيد — " + SIGNATURE_AR
        ),
        "body_en": (
            "Hello,\n\n"
            "Requests past their expected decision date as of {date}: {count}.\n\n"
            "{items}\n\n"
            "Review them: {url}\n\n"
            "Mustafid — " + SIGNATURE_EN
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
    dependencies = [("notify", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
