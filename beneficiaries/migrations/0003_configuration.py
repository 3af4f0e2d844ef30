import datetime

from django.db import migrations

CATEGORIES = [
    # (code, Arabic, English, requires_note, sensitive) — DOMAIN.md §5
    ("orphans", "الأيتام وأسرهم", "Orphans and their families", False, False),
    ("widows", "الأرامل", "Widows", False, False),
    ("divorced", "المطلقات", "Divorced women", False, False),
    ("families_in_need", "الأسر المتعففة", "Families in need", False, False),
    ("prisoners_families", "أسر السجناء", "Prisoners' families", False, True),
    ("disabled", "ذوو الإعاقة", "People with disabilities", False, True),
    ("elderly", "كبار السن", "The elderly", False, False),
    ("sick", "المرضى", "The sick", False, True),
    ("debtors", "الغارمون", "Debtors", False, True),
    ("students", "الطلاب", "Students", False, False),
    ("other", "أخرى", "Other", True, False),
]

DOCUMENT_TYPES = [
    # (code, Arabic, English, has_expiry, max_age_days)
    ("national_id", "الهوية الوطنية / الإقامة", "National ID / Iqama", True, None),
    ("family_register", "سجل الأسرة", "Family register", False, None),
    ("death_certificate", "شهادة وفاة الأب", "Father's death certificate", False, None),
    ("guardianship_deed", "صك الإعالة", "Guardianship deed", False, None),
    ("custody_deed", "صك الحضانة", "Custody deed", False, None),
    ("divorce_deed", "صك الطلاق", "Divorce deed", False, None),
    ("birth_certificate", "شهادة الميلاد", "Birth certificate", False, None),
    ("school_letter", "خطاب المدرسة", "School letter", False, 180),
    ("social_security", "تعريف الضمان الاجتماعي", "Social security statement", False, 90),
    ("pension", "تعريف التقاعد", "Pension statement", False, 90),
    ("gosi", "برنت التأمينات الاجتماعية", "GOSI statement", False, 90),
    ("salary_letter", "تعريف بالراتب", "Salary letter", False, 90),
    ("iban_certificate", "شهادة الآيبان", "IBAN certificate", False, 365),
    ("lease", "عقد الإيجار", "Lease contract", True, None),
    ("ownership_deed", "صك الملكية", "Ownership deed", False, None),
    ("utility_bill", "فاتورة الكهرباء أو الماء", "Utility bill", False, 90),
    ("medical_report", "تقرير طبي", "Medical report", False, 180),
    ("quote", "عرض سعر", "Quotation", False, 60),
]

NOTICE_AR = """إشعار الخصوصية — وقف مفاتيح الخير

يجمع الوقف بياناتك الشخصية وبيانات أفراد أسرتك (الاسم، الهوية، التواصل، العنوان، الدخل والالتزامات، الحالة الصحية عند الحاجة، والمستندات) لغرض واحد هو دراسة طلبات الدعم وتقديم الخدمة لك ومتابعتها، وفق نظام حماية البيانات الشخصية.

- لا يطّلع على بياناتك إلا الموظفون المختصون بخدمتك، ويُسجَّل كل اطلاع على ملفك أو مستنداتك.
- لا نفصح عن بياناتك لأي جهة أخرى (جمعية أو متبرع) إلا بموافقتك، ويرى المتبرعون ملخصات لا تكشف هويتك.
- لك الحق في الاطلاع على بياناتك والحصول على نسخة منها وطلب تصحيحها أو إتلافها، ونرد على طلبك خلال ثلاثين يومًا.
- نحتفظ بسجلات الصرف المالية عشر سنوات على الأقل كما تقتضي الأنظمة، ونتلف ما عداها أو نجعله غير معرِّف عند انتهاء الحاجة إليه.
- للتواصل بشأن بياناتك: أي قناة من قنوات الوقف، أو مكتب علاقات المستفيدين."""

NOTICE_EN = """Privacy notice — Waqf Mafatih Al-Khair

The waqf collects your personal data and that of your household (name, identity, contact details, address, income and obligations, health where needed, and documents) for one purpose: to study support requests and to serve you and follow up, under the Personal Data Protection Law.

- Only the staff who serve you see your data, and every view of your file or documents is recorded.
- We disclose your data to no other party (another charity or a donor) without your consent; donors see summaries that do not identify you.
- You may see your data, get a copy, and ask for it to be corrected or destroyed; we answer within thirty days.
- We keep financial disbursement records for at least ten years as the law requires, and destroy or de-identify everything else when no longer needed.
- To ask about your data: any of the waqf's channels, or the beneficiary relations office."""


def seed(apps, schema_editor):
    Category = apps.get_model("beneficiaries", "Category")
    DocumentType = apps.get_model("beneficiaries", "DocumentType")
    PrivacyNotice = apps.get_model("beneficiaries", "PrivacyNotice")
    for order, (code, ar, en, note, sensitive) in enumerate(CATEGORIES, start=1):
        Category.objects.update_or_create(
            code=code,
            defaults={
                "name_ar": ar,
                "name_en": en,
                "requires_note": note,
                "is_sensitive": sensitive,
                "sort_order": order,
            },
        )
    for order, (code, ar, en, expiry, max_age) in enumerate(DOCUMENT_TYPES, start=1):
        DocumentType.objects.update_or_create(
            code=code,
            defaults={
                "name_ar": ar,
                "name_en": en,
                "has_expiry": expiry,
                "max_age_days": max_age,
                "sort_order": order,
            },
        )
    PrivacyNotice.objects.get_or_create(
        version="1.0",
        defaults={
            "text_ar": NOTICE_AR,
            "text_en": NOTICE_EN,
            "effective_from": datetime.date(2025, 9, 15),
        },
    )


class Migration(migrations.Migration):
    dependencies = [("beneficiaries", "0002_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
