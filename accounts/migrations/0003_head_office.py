from django.db import migrations


def seed(apps, schema_editor):
    # Every beneficiary belongs to a branch; a new installation starts with the head office.
    Branch = apps.get_model("accounts", "Branch")
    City = apps.get_model("core", "City")
    Branch.objects.get_or_create(
        code="head-office",
        defaults={
            "name_ar": "المقر الرئيسي",
            "name_en": "Head office",
            "city": City.objects.filter(code="riyadh").first(),
        },
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial"), ("core", "0002_seed_and_append_only")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
