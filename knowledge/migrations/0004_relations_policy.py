"""The first record of the policy registry (P7): the beneficiary-relations policy as the board
approved it — meeting 161 of the board of directors, 23/03/1447 AH = 15/09/2025.

The text is `knowledge/data/beneficiary-relations-policy.ar.txt`, a copy of the approved
Arabic text with only the artefacts of its PDF extraction repaired (a word split by a space,
two items cut by a page break, stray spaces and Western digits in one numbered list). It is
read here, at migration time, and never again: later edits are new versions.
"""

from datetime import date
from pathlib import Path

from django.db import migrations

TEXT_FILE = Path(__file__).resolve().parent.parent / "data" / "beneficiary-relations-policy.ar.txt"
APPROVED_ON = date(2025, 9, 15)  # 23/03/1447 AH


def seed(apps, schema_editor):
    PolicyDocument = apps.get_model("knowledge", "PolicyDocument")
    PolicyVersion = apps.get_model("knowledge", "PolicyVersion")
    if PolicyDocument.objects.filter(kind="relations_policy").exists():
        return
    document = PolicyDocument.objects.create(
        kind="relations_policy",
        title="سياسة تنظيم العلاقة مع المستفيدين",
        audience="public",
        description=(
            "تنظم علاقة وقف مفاتيح الخير بالمستفيدين: الأهداف، وقنوات التواصل، والأدوات "
            "المتاحة لموظف علاقات المستفيدين، وخطوات التعامل مع المستفيد حتى إنهاء معاملته."
        ),
        next_review_date=date(2026, 9, 15),
    )
    PolicyVersion.objects.create(
        document=document,
        number=1,
        label="الإصدار الأول",
        text=TEXT_FILE.read_text(encoding="utf-8"),
        changes_summary="الإصدار الأول المعتمد من مجلس الإدارة.",
        status="approved",
        approving_body="مجلس الإدارة",
        meeting_number="161",
        approval_date=APPROVED_ON,
        effective_date=APPROVED_ON,
    )


def unseed(apps, schema_editor):
    PolicyDocument = apps.get_model("knowledge", "PolicyDocument")
    PolicyDocument.objects.filter(kind="relations_policy", created_by__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0003_seed_categories")]

    operations = [migrations.RunPython(seed, unseed)]
