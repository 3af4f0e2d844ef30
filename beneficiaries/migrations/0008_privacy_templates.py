"""The SMS notices of data-subject requests and of expiring documents."""

from django.db import migrations

SIGNATURE_AR = "وقف مفاتيح الخير"
SIGNATURE_EN = "Waqf Mafatih Al-Khair"

TEMPLATES = [
    {
        "code": "privacy.dsr_received",
        "channel": "sms",
        "description": "A request about the beneficiary's personal data was received (PDPL).",
        "body_ar": (
            "استلمنا طلبك بشأن بياناتك الشخصية ({kind}). سنرد عليك في موعد أقصاه {due_date}. "
            + SIGNATURE_AR
        ),
        "body_en": (
            "We have received your request about your personal data ({kind}). We will answer "
            "by {due_date}. " + SIGNATURE_EN
        ),
    },
    {
        "code": "privacy.dsr_extended",
        "channel": "sms",
        "description": "The answer to a personal-data request was postponed once, with a reason.",
        "body_ar": (
            "نحتاج وقتًا إضافيًا للرد على طلبك بشأن بياناتك الشخصية ({kind})، وسنرد عليك في "
            "موعد أقصاه {due_date}. السبب: {reason}. " + SIGNATURE_AR
        ),
        "body_en": (
            "We need more time to answer your request about your personal data ({kind}); we "
            "will answer by {due_date}. Reason: {reason}. " + SIGNATURE_EN
        ),
    },
    {
        "code": "privacy.dsr_completed",
        "channel": "sms",
        "description": "A personal-data request was carried out.",
        "body_ar": (
            "تم تنفيذ طلبك بشأن بياناتك الشخصية ({kind}). تجد الرد في صفحة «بياناتي» على بوابة "
            "المستفيدين. " + SIGNATURE_AR
        ),
        "body_en": (
            "Your request about your personal data ({kind}) has been carried out. The answer is "
            "on the “My data” page of the beneficiary portal. " + SIGNATURE_EN
        ),
    },
    {
        "code": "privacy.dsr_refused",
        "channel": "sms",
        "description": "A personal-data request was refused, with reasons.",
        "body_ar": (
            "نعتذر، لم نتمكن من تنفيذ طلبك بشأن بياناتك الشخصية ({kind}). تجد الأسباب في صفحة "
            "«بياناتي» على بوابة المستفيدين، ويمكنك تقديم شكوى إن لم تقتنع بها. " + SIGNATURE_AR
        ),
        "body_en": (
            "We are sorry: we could not carry out your request about your personal data "
            "({kind}). The reasons are on the “My data” page of the beneficiary portal; you may "
            "file a complaint if you disagree. " + SIGNATURE_EN
        ),
    },
    {
        "code": "documents.expiring",
        "channel": "sms",
        "description": "A beneficiary's document expires soon: upload the renewed one.",
        "body_ar": (
            "تنتهي صلاحية وثيقتك ({document}) في {expires_on}. نرجو رفع الوثيقة المجددة عبر بوابة "
            "المستفيدين: {url} " + SIGNATURE_AR
        ),
        "body_en": (
            "Your document ({document}) expires on {expires_on}. Please upload the renewed one "
            "on the beneficiary portal: {url} " + SIGNATURE_EN
        ),
    },
]


def seed(apps, schema_editor):
    MessageTemplate = apps.get_model("notify", "MessageTemplate")
    for template in TEMPLATES:
        fields = {k: v for k, v in template.items() if k != "code"}
        MessageTemplate.objects.get_or_create(code=template["code"], defaults=fields)


def unseed(apps, schema_editor):
    codes = [template["code"] for template in TEMPLATES]
    apps.get_model("notify", "MessageTemplate").objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("beneficiaries", "0007_data_subject_requests"),
        ("notify", "0004_portal_otp"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
