"""The five seasons, the messages outreach rules send, and example rules (all switched off:
a manager previews a rule's audience before it reaches anyone)."""

from django.db import migrations

SIGNATURE_AR = "وقف مفاتيح الخير"
SIGNATURE_EN = "Waqf Mafatih Al-Khair"

SEASONS = [
    # (code, Arabic, English, calendar, start month, start day, end month, end day)
    ("ramadan", "شهر رمضان", "Ramadan", "hijri", 9, 1, 9, 30),
    ("eid_fitr", "عيد الفطر", "Eid al-Fitr", "hijri", 10, 1, 10, 3),
    ("eid_adha", "عيد الأضحى", "Eid al-Adha", "hijri", 12, 10, 12, 13),
    # The Ministry of Education's calendar moves it every year: a manager sets the real date.
    ("school_year", "العام الدراسي", "The school year", "gregorian", 8, 24, 6, 30),
    ("winter", "الشتاء", "Winter", "gregorian", 12, 1, 2, 29),
]

TEMPLATES = [
    {
        "code": "outreach.document_expiring",
        "description": "Outreach: a document of the file expires soon.",
        "body_ar": (
            "السلام عليكم {name}، نذكّركم بأن {document} ينتهي في {expires_on}. نأمل رفع "
            "المستند المجدَّد عبر بوابة المستفيد: {url} " + SIGNATURE_AR
        ),
        "body_en": (
            "Dear {name}, your {document} expires on {expires_on}. Please upload the renewed "
            "document on the beneficiary portal: {url} " + SIGNATURE_EN
        ),
    },
    {
        "code": "outreach.info_pending",
        "description": "Outreach: information asked of the applicant has not been given.",
        "body_ar": (
            "السلام عليكم {name}، ما زال طلبكم رقم {reference} بانتظار: {missing}. نأمل "
            "تزويدنا بذلك في أقرب وقت ليُستكمل النظر في الطلب. " + SIGNATURE_AR
        ),
        "body_en": (
            "Dear {name}, your request {reference} is still waiting for: {missing}. Please "
            "send it to us soon so the request can go ahead. " + SIGNATURE_EN
        ),
    },
    {
        "code": "outreach.no_contact",
        "description": "Outreach: no contact with the family for months.",
        "body_ar": (
            "السلام عليكم {name}، نطمئن عليكم ونسعد بتواصلكم معنا متى احتجتم إلى أي خدمة، "
            "في الفرع أو بالهاتف أو عبر بوابة المستفيد. " + SIGNATURE_AR
        ),
        "body_en": (
            "Dear {name}, we hope you are well. We are glad to hear from you whenever you need "
            "any service, at the branch, by phone or on the beneficiary portal. " + SIGNATURE_EN
        ),
    },
    {
        "code": "outreach.orphan_adult",
        "description": "Outreach: an orphan of the household turns 18.",
        "body_ar": (
            "السلام عليكم {name}، يبلغ {member} الثامنة عشرة في {turns_18_on}. نأمل التواصل "
            "مع الفرع لتحديث بيانات الأسرة والتعرف على الخدمات المتاحة. " + SIGNATURE_AR
        ),
        "body_en": (
            "Dear {name}, {member} turns 18 on {turns_18_on}. Please contact the branch to "
            "update the household's details and learn about the services available. "
            + SIGNATURE_EN
        ),
    },
    {
        "code": "outreach.season",
        "description": "Outreach: a season is coming (Ramadan, the Eids, school, winter).",
        "body_ar": (
            "السلام عليكم {name}، يقترب موسم {season} (يبدأ في {starts_on})، ويسرّ "
            + SIGNATURE_AR
            + " أن يكون معكم فيه. ترقّبوا رسائلنا بمواعيد برامج الموسم."
        ),
        "body_en": (
            "Dear {name}, {season} is coming (it starts on {starts_on}), and "
            + SIGNATURE_EN
            + " is glad to be with you in it. Watch for our messages about the season's "
            "programmes."
        ),
    },
]

RULES = [
    {
        "name": "وثيقة تنتهي خلال 14 يومًا — اتصال من الفرع",
        "trigger": "document_expiring",
        "days": 14,
        "action": "task",
        "task_text": (
            "الاتصال بـ{full_name}: {document} ينتهي في {expires_on}؛ مساعدته على تجديده ورفعه."
        ),
        "categories": [],
    },
    {
        "name": "معلومات مطلوبة لم تُقدَّم منذ 7 أيام",
        "trigger": "info_pending",
        "days": 7,
        "action": "message",
        "template": "outreach.info_pending",
        "categories": [],
    },
    {
        "name": "لا تواصل منذ 6 أشهر — اتصال اطمئنان",
        "trigger": "no_contact",
        "months": 6,
        "action": "task",
        "task_text": "الاتصال بـ{full_name} للاطمئنان على الأسرة (آخر تواصل: {last_contact}).",
        "categories": ["orphans", "widows", "elderly"],
    },
    {
        "name": "يتيم يبلغ 18 عامًا خلال 60 يومًا",
        "trigger": "orphan_adult",
        "days": 60,
        "action": "task",
        "task_text": (
            "مراجعة ملف {full_name}: يبلغ {member} الثامنة عشرة في {turns_18_on}؛ تحديث بيانات "
            "الأسرة واستحقاق اليتيم."
        ),
        "categories": [],
    },
    {
        "name": "تهنئة بقرب رمضان قبل 14 يومًا",
        "trigger": "season",
        "season": "ramadan",
        "days": 14,
        "action": "message",
        "template": "outreach.season",
        "categories": ["families_in_need", "orphans", "widows"],
    },
    {
        "name": "قرب العام الدراسي قبل 14 يومًا",
        "trigger": "season",
        "season": "school_year",
        "days": 14,
        "action": "message",
        "template": "outreach.season",
        "categories": ["orphans", "students"],
    },
    {
        "name": "قرب الشتاء قبل 21 يومًا",
        "trigger": "season",
        "season": "winter",
        "days": 21,
        "action": "message",
        "template": "outreach.season",
        "categories": ["families_in_need", "elderly"],
    },
]


def seed(apps, schema_editor):
    Season = apps.get_model("outreach", "Season")
    Rule = apps.get_model("outreach", "Rule")
    MessageTemplate = apps.get_model("notify", "MessageTemplate")
    Category = apps.get_model("beneficiaries", "Category")
    for order, (code, ar, en, calendar, sm, sd, em, ed) in enumerate(SEASONS, start=1):
        Season.objects.get_or_create(
            code=code,
            defaults={
                "name_ar": ar,
                "name_en": en,
                "calendar": calendar,
                "start_month": sm,
                "start_day": sd,
                "end_month": em,
                "end_day": ed,
                "sort_order": order,
            },
        )
    for template in TEMPLATES:
        fields = {k: v for k, v in template.items() if k != "code"}
        MessageTemplate.objects.get_or_create(
            code=template["code"], defaults={**fields, "channel": "sms", "quiet_hours": True}
        )
    for spec in RULES:
        spec = dict(spec)
        codes = spec.pop("categories")
        if "template" in spec:
            spec["template"] = MessageTemplate.objects.get(code=spec["template"])
        if "season" in spec:
            spec["season"] = Season.objects.get(code=spec["season"])
        rule, created = Rule.objects.get_or_create(
            name=spec.pop("name"), defaults={**spec, "is_active": False}
        )
        if created and codes:
            rule.categories.set(Category.objects.filter(code__in=codes))


def unseed(apps, schema_editor):
    apps.get_model("outreach", "Rule").objects.filter(name__in=[r["name"] for r in RULES]).delete()
    apps.get_model("notify", "MessageTemplate").objects.filter(
        code__in=[t["code"] for t in TEMPLATES]
    ).delete()
    apps.get_model("outreach", "Season").objects.filter(code__in=[s[0] for s in SEASONS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0001_initial"),
        ("notify", "0006_whatsapp_quiet_hours"),
        ("beneficiaries", "0003_configuration"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
