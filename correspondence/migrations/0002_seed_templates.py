"""The letter templates every install starts with (managers edit them in the admin), and the
e-mail that tells a staff member a letter was referred to them.

Templates hold only the letter's own text: the letterhead, the addressee block, the greeting,
the closing and the signature block come from the letter's layout. A full identity number
never goes in a letter: {beneficiary_id_masked} prints it masked (1*******08).
"""

from django.db import migrations

LETTER_TEMPLATES = [
    {
        "code": "inquiry_reply",
        "name_ar": "رد على خطاب استفسار",
        "name_en": "Reply to a letter of inquiry",
        "description": "جواب خطاب وارد يستفسر عن خدمات الوقف وإجراءات التقديم.",
        "sort_order": 1,
        "subject_ar": "الرد على خطابكم رقم {their_reference}",
        "body_ar": (
            "إشارةً إلى خطابكم رقم {their_reference} وتاريخ {their_date} بشأن الاستفسار عن "
            "خدمات الوقف وإجراءات التقديم عليها، نفيدكم بأن الوقف يستقبل طلبات الدعم بالحضور "
            "إلى مقره أو أحد مكاتبه الفرعية، أو عبر موقعه الإلكتروني، أو من خلال مندوبي "
            "المكاتب الفرعية.\n\n"
            "ويُرفق بالطلب صورة الهوية الوطنية أو الإقامة، وسجل الأسرة، وما يثبت الدخل "
            "والالتزامات الشهرية، ثم تتولى لجنة البحث دراسة الطلب، ويُبلَّغ مقدِّمه بالقرار "
            "ورقم طلبه وموعد الرد المتوقع.\n\n"
            "ونسعد بالإجابة عن أي استفسار آخر عبر قنوات التواصل المعتمدة لدى الوقف."
        ),
    },
    {
        "code": "missing_documents",
        "name_ar": "طلب استكمال مستندات",
        "name_en": "Request for missing documents",
        "description": "إلى مقدِّم طلب الدعم: المستندات التي ما زال طلبه ينتظرها.",
        "sort_order": 2,
        "subject_ar": "استكمال مستندات طلب الدعم رقم {request_reference}",
        "body_ar": (
            "إشارةً إلى طلب الدعم المقدَّم منكم برقم {request_reference}، وبعد مراجعة "
            "المستندات المرفقة به، نأمل تزويدنا بما يلي لاستكمال دراسة الطلب:\n\n"
            "{missing_documents}\n\n"
            "ويمكنكم تسليمها بالحضور إلى {branch_name} أو عبر البوابة الإلكترونية للوقف، "
            "علماً بأن الطلب لا يُعرض على لجنة البحث قبل استكمالها."
        ),
    },
    {
        "code": "beneficiary_to_body",
        "name_ar": "خطاب إلى جهة بشأن مستفيد",
        "name_en": "Letter to another body about a beneficiary",
        "description": "إلى جهة حكومية أو خيرية بشأن حالة مستفيد مسجَّل (بعد موافقته).",
        "sort_order": 3,
        "subject_ar": "بشأن {beneficiary_title} / {beneficiary_name}",
        "body_ar": (
            "نهديكم أطيب التحيات، ونفيدكم بأن {beneficiary_title} / {beneficiary_name}، "
            "هوية رقم ({beneficiary_id_masked})، من المسجَّلين لدى الوقف ضمن المستفيدين من "
            "خدماته.\n\n"
            "وبناءً على طلب صاحب الشأن، نأمل التكرم بالنظر في الحالة وتقديم ما ترونه مناسباً "
            "من العون وفق الأنظمة المتبعة لديكم.\n\n"
            "شاكرين لكم حسن تعاونكم."
        ),
    },
]

SIGNATURE_AR = "وقف مفاتيح الخير"
SIGNATURE_EN = "Waqf Mafatih Al-Khair"

# To staff, not to beneficiaries: the reference and a link, never the subject or a name.
REFERRAL_MESSAGE = {
    "code": "letter.referred",
    "channel": "email",
    "description": (
        "To a staff member when an incoming letter is referred to them: its reference and "
        "a link, never its subject or a name."
    ),
    "subject_ar": "أُحيل إليك الخطاب الوارد {reference}",
    "subject_en": "Incoming letter {reference} has been referred to you",
    "body_ar": (
        "السلام عليكم،\n\n"
        "أُحيل إليك الخطاب الوارد رقم {reference} في سجل المراسلات للاطلاع واتخاذ اللازم.\n\n"
        "لفتحه: {url}\n\n"
        "مستفيد — " + SIGNATURE_AR
    ),
    "body_en": (
        "Hello,\n\n"
        "Incoming letter {reference} in the correspondence register has been referred to you "
        "for action.\n\n"
        "Open it: {url}\n\n"
        "Mustafid — " + SIGNATURE_EN
    ),
}


def seed(apps, schema_editor):
    LetterTemplate = apps.get_model("correspondence", "LetterTemplate")
    MessageTemplate = apps.get_model("notify", "MessageTemplate")
    for row in LETTER_TEMPLATES:
        fields = {k: v for k, v in row.items() if k != "code"}
        # Seeded once: a manager's later edits are kept if the seed runs again.
        LetterTemplate.objects.get_or_create(code=row["code"], defaults=fields)
    fields = {k: v for k, v in REFERRAL_MESSAGE.items() if k != "code"}
    MessageTemplate.objects.get_or_create(code=REFERRAL_MESSAGE["code"], defaults=fields)


def unseed(apps, schema_editor):
    apps.get_model("correspondence", "LetterTemplate").objects.filter(
        code__in=[row["code"] for row in LETTER_TEMPLATES]
    ).delete()
    apps.get_model("notify", "MessageTemplate").objects.filter(
        code=REFERRAL_MESSAGE["code"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("correspondence", "0001_initial"),
        ("notify", "0003_info_reminder"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
