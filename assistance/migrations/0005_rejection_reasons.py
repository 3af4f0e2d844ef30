from django.db import migrations

REASONS = [
    ("income_above_line", "الدخل يتجاوز حد الكفاية", "Income above the sufficiency line"),
    ("outside_area", "السكن خارج نطاق خدمة الوقف", "Lives outside the service area"),
    ("not_a_served_category", "لا ينطبق عليه أي من فئات المستفيدين", "Not in a category served"),
    ("incorrect_data", "ثبت عدم صحة البيانات المقدمة", "The data given proved incorrect"),
    ("similar_aid", "يتلقى دعمًا مماثلًا من جهة أخرى", "Already receives similar aid elsewhere"),
    ("no_need_found", "لم تثبت الحاجة في البحث الاجتماعي", "The research found no need"),
    ("other", "سبب آخر (يُذكر في النص)", "Another reason (given in the text)"),
]


def seed(apps, schema_editor):
    RejectionReason = apps.get_model("assistance", "RejectionReason")
    for order, (code, ar, en) in enumerate(REASONS, start=1):
        RejectionReason.objects.update_or_create(
            code=code, defaults={"name_ar": ar, "name_en": en, "sort_order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("assistance", "0004_committee")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
