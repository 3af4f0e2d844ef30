from django.db import migrations

CHANNELS = [
    # P4 of the beneficiary-relations policy, in its order.
    ("interview", "المقابلة الشخصية", "In-person interview"),
    ("phone", "الاتصالات الهاتفية", "Phone call"),
    ("social_media", "وسائل التواصل الاجتماعي", "Social media"),
    ("letter", "الخطابات", "Letter"),
    ("help_request", "خدمات طلب المساعدة", "Help-request service"),
    ("volunteer", "الخدمة التطوعية", "Volunteer service"),
    ("website", "الموقع الإلكتروني للوقف", "The waqf's website"),
    ("branch_representative", "مندوبو المكاتب الفرعية", "Branch office representative"),
]

CITIES = [
    ("riyadh", "الرياض", "Riyadh", "الرياض"),
    ("jeddah", "جدة", "Jeddah", "مكة المكرمة"),
    ("makkah", "مكة المكرمة", "Makkah", "مكة المكرمة"),
    ("madinah", "المدينة المنورة", "Madinah", "المدينة المنورة"),
    ("dammam", "الدمام", "Dammam", "الشرقية"),
    ("khobar", "الخبر", "Al Khobar", "الشرقية"),
    ("ahsa", "الأحساء", "Al Ahsa", "الشرقية"),
    ("taif", "الطائف", "Taif", "مكة المكرمة"),
    ("buraydah", "بريدة", "Buraydah", "القصيم"),
    ("unaizah", "عنيزة", "Unaizah", "القصيم"),
    ("hail", "حائل", "Hail", "حائل"),
    ("tabuk", "تبوك", "Tabuk", "تبوك"),
    ("abha", "أبها", "Abha", "عسير"),
    ("khamis", "خميس مشيط", "Khamis Mushait", "عسير"),
    ("jazan", "جازان", "Jazan", "جازان"),
    ("najran", "نجران", "Najran", "نجران"),
    ("baha", "الباحة", "Al Baha", "الباحة"),
    ("arar", "عرعر", "Arar", "الحدود الشمالية"),
    ("sakaka", "سكاكا", "Sakaka", "الجوف"),
    ("kharj", "الخرج", "Al Kharj", "الرياض"),
    ("jubail", "الجبيل", "Jubail", "الشرقية"),
    ("yanbu", "ينبع", "Yanbu", "المدينة المنورة"),
]

TRIGGERS = {
    "sqlite": (
        [
            "CREATE TRIGGER core_activitylog_append_only BEFORE UPDATE ON core_activitylog "
            "BEGIN SELECT RAISE(ABORT, 'the activity log is append-only'); END;"
        ],
        ["DROP TRIGGER IF EXISTS core_activitylog_append_only;"],
    ),
    "postgresql": (
        [
            "CREATE OR REPLACE FUNCTION core_activitylog_append_only() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION 'the activity log is append-only'; END; $$ LANGUAGE plpgsql;",
            "CREATE TRIGGER core_activitylog_append_only BEFORE UPDATE ON core_activitylog "
            "FOR EACH ROW EXECUTE FUNCTION core_activitylog_append_only();",
        ],
        [
            "DROP TRIGGER IF EXISTS core_activitylog_append_only ON core_activitylog;",
            "DROP FUNCTION IF EXISTS core_activitylog_append_only();",
        ],
    ),
}


def seed(apps, schema_editor):
    Channel = apps.get_model("core", "Channel")
    City = apps.get_model("core", "City")
    for order, (code, ar, en) in enumerate(CHANNELS, start=1):
        Channel.objects.update_or_create(
            code=code, defaults={"name_ar": ar, "name_en": en, "sort_order": order}
        )
    for order, (code, ar, en, region) in enumerate(CITIES, start=1):
        City.objects.update_or_create(
            code=code, defaults={"name_ar": ar, "name_en": en, "region": region, "sort_order": order}
        )


def add_trigger(apps, schema_editor):
    for sql in TRIGGERS.get(schema_editor.connection.vendor, ([], []))[0]:
        schema_editor.execute(sql)


def drop_trigger(apps, schema_editor):
    for sql in TRIGGERS.get(schema_editor.connection.vendor, ([], []))[1]:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(add_trigger, drop_trigger),
    ]
