from django.db import migrations

OTP = {
    "code": "portal.otp",
    "channel": "sms",
    "description": "The one-time code for the beneficiary portal (sign-in, status, signature).",
    "body_ar": "رمز التحقق: {code} — صالح {minutes} دقائق. لا تشاركه مع أحد. وقف مفاتيح الخير",
    "body_en": "Your code: {code} — valid for {minutes} minutes. Do not share it. "
    "Waqf Mafatih Al-Khair",
}


def seed(apps, schema_editor):
    MessageTemplate = apps.get_model("notify", "MessageTemplate")
    fields = {k: v for k, v in OTP.items() if k != "code"}
    MessageTemplate.objects.get_or_create(code=OTP["code"], defaults=fields)


def unseed(apps, schema_editor):
    apps.get_model("notify", "MessageTemplate").objects.filter(code=OTP["code"]).delete()


class Migration(migrations.Migration):
    dependencies = [("notify", "0003_info_reminder")]

    operations = [migrations.RunPython(seed, unseed)]
