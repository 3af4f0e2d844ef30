import datetime

from django.db import migrations

AID_TYPES = [
    # (code, Arabic, English, kind, season) — DOMAIN.md §5
    ("periodic_cash", "مساعدة نقدية دورية", "Periodic cash aid", "cash", ""),
    ("one_off_cash", "مساعدة نقدية مقطوعة", "One-off cash aid", "cash", ""),
    ("food_basket", "سلة غذائية", "Food basket", "in_kind", ""),
    ("food_voucher", "قسيمة شرائية غذائية", "Food voucher", "voucher", ""),
    ("rent", "سداد إيجار", "Rent payment", "cash", ""),
    ("bills", "سداد فواتير", "Bill payment", "cash", ""),
    ("renovation", "ترميم المسكن", "Home renovation", "service", ""),
    ("furniture", "أثاث وأجهزة", "Furniture and appliances", "in_kind", ""),
    ("medical", "مساعدة علاجية", "Medical aid", "cash", ""),
    ("education", "مساعدة تعليمية", "Education aid", "in_kind", "school"),
    ("ramadan_basket", "سلة رمضان", "Ramadan basket", "in_kind", "ramadan"),
    ("zakat_al_fitr", "زكاة الفطر", "Zakat al-Fitr", "in_kind", "eid_al_fitr"),
    ("eid_clothing", "كسوة العيد", "Eid clothing", "voucher", "eid_al_fitr"),
    ("udhiya", "الأضاحي", "Udhiya", "in_kind", "eid_al_adha"),
    ("winter_kit", "الحقيبة الشتوية", "Winter kit", "in_kind", "winter"),
    ("marriage", "مساعدة زواج", "Marriage aid", "cash", ""),
]

# (document type code, aid type code or None, category code or None, members_from_age)
REQUIREMENTS = [
    ("national_id", None, None, 15),
    ("family_register", None, None, None),
    ("iban_certificate", "periodic_cash", None, None),
    ("iban_certificate", "one_off_cash", None, None),
    ("lease", "rent", None, None),
    ("utility_bill", "bills", None, None),
    ("quote", "renovation", None, None),
    ("medical_report", "medical", None, None),
    ("death_certificate", None, "orphans", None),
    ("death_certificate", None, "widows", None),
    ("divorce_deed", None, "divorced", None),
    ("medical_report", None, "disabled", None),
]

INCOME_LIMITS = [(1, 1, 2500), (2, 3, 1800), (4, 6, 1500), (7, 99, 1200)]

DECLARATION_AR = (
    "أقر أنا مقدم الطلب بأن جميع البيانات والمعلومات والمستندات التي قدمتها في هذا الطلب "
    "صحيحة وكاملة، وأنني المسؤول مسؤولية مباشرة عن صحتها، وأتعهد بإبلاغ الوقف بأي تغيير "
    "يطرأ عليها، وأوافق على التحقق منها بما في ذلك الزيارة الميدانية، وأعلم أن تقديم بيانات "
    "غير صحيحة يترتب عليه إلغاء الطلب واسترداد ما صُرف بناءً عليها."
)
DECLARATION_EN = (
    "I, the applicant, declare that all the data, information and documents I have given in "
    "this request are correct and complete and that I am directly responsible for their "
    "correctness. I undertake to tell the waqf of any change, agree to their verification "
    "including a home visit, and know that incorrect data cancels the request and that "
    "anything paid on its basis is recovered."
)
RIGHTS_AR = (
    "حقوقك: أن تُستقبل باحترام وتُجاب عن أسئلتك، وأن يُدرس طلبك بعدل وسرية، وأن تعرف موعد الرد "
    "المتوقع وقرار لجنة البحث وأسبابه، وأن تتظلم من القرار خلال المدة المحددة، وأن تقيّم الخدمة "
    "دون أن يضرك ذلك.\n"
    "واجباتك: تقديم بيانات صحيحة وكاملة، وتحديثها عند تغيرها، والتعاون مع الباحث الاجتماعي، "
    "واستخدام المساعدة فيما خُصصت له."
)
RIGHTS_EN = (
    "Your rights: to be received with respect and have your questions answered, to have your "
    "request studied fairly and in confidence, to know the expected decision date and the "
    "research committee's decision with its reasons, to appeal within the set period, and to "
    "rate the service without it harming you.\n"
    "Your duties: to give correct and complete data and update it when it changes, to "
    "cooperate with the social researcher, and to use the aid for its purpose."
)


def seed(apps, schema_editor):
    AidType = apps.get_model("assistance", "AidType")
    RequiredDocument = apps.get_model("assistance", "RequiredDocument")
    IncomeLimit = apps.get_model("assistance", "IncomeLimit")
    EligibilityRule = apps.get_model("assistance", "EligibilityRule")
    Declaration = apps.get_model("assistance", "Declaration")
    AssistancePolicy = apps.get_model("assistance", "AssistancePolicy")
    DocumentType = apps.get_model("beneficiaries", "DocumentType")
    Category = apps.get_model("beneficiaries", "Category")

    for order, (code, ar, en, kind, season) in enumerate(AID_TYPES, start=1):
        AidType.objects.update_or_create(
            code=code,
            defaults={"name_ar": ar, "name_en": en, "kind": kind, "season": season,
                      "sort_order": order},
        )
    for doc, aid, category, from_age in REQUIREMENTS:
        RequiredDocument.objects.get_or_create(
            doc_type=DocumentType.objects.get(code=doc),
            aid_type=AidType.objects.get(code=aid) if aid else None,
            category=Category.objects.get(code=category) if category else None,
            defaults={"members_from_age": from_age},
        )
    for low, high, limit in INCOME_LIMITS:
        IncomeLimit.objects.get_or_create(
            household_size_from=low,
            household_size_to=high,
            defaults={"monthly_limit_per_person": limit},
        )
    EligibilityRule.objects.get_or_create(
        kind="income", defaults={"name": "الدخل الصافي للفرد ضمن حد الكفاية"}
    )
    EligibilityRule.objects.get_or_create(
        kind="member_max_age",
        category=Category.objects.get(code="orphans"),
        defaults={"name": "في الأسرة يتيم دون 18 سنة", "value": 18},
    )
    Declaration.objects.get_or_create(
        version="1.0",
        defaults={
            "text_ar": DECLARATION_AR,
            "text_en": DECLARATION_EN,
            "rights_ar": RIGHTS_AR,
            "rights_en": RIGHTS_EN,
            "effective_from": datetime.date(2025, 9, 15),
        },
    )
    AssistancePolicy.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [
        ("assistance", "0001_initial"),
        ("beneficiaries", "0004_list_indexes"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
