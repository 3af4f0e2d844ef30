"""The escalation sweep's schedule column and its partial index; the suggestion-outcome event;
ticket history made insert-only in the database, as core.ActivityLog is."""

from django.db import migrations, models

TRIGGERS = {
    "sqlite": (
        [
            "CREATE TRIGGER contact_ticketevent_insert_only BEFORE UPDATE ON contact_ticketevent "
            "BEGIN SELECT RAISE(ABORT, 'ticket history is insert-only'); END;"
        ],
        ["DROP TRIGGER IF EXISTS contact_ticketevent_insert_only;"],
    ),
    "postgresql": (
        [
            "CREATE OR REPLACE FUNCTION contact_ticketevent_insert_only() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION 'ticket history is insert-only'; END; $$ LANGUAGE plpgsql;",
            "CREATE TRIGGER contact_ticketevent_insert_only BEFORE UPDATE ON contact_ticketevent "
            "FOR EACH ROW EXECUTE FUNCTION contact_ticketevent_insert_only();",
        ],
        [
            "DROP TRIGGER IF EXISTS contact_ticketevent_insert_only ON contact_ticketevent;",
            "DROP FUNCTION IF EXISTS contact_ticketevent_insert_only();",
        ],
    ),
}


def add_trigger(apps, schema_editor):
    for sql in TRIGGERS.get(schema_editor.connection.vendor, ([], []))[0]:
        schema_editor.execute(sql)


def drop_trigger(apps, schema_editor):
    for sql in TRIGGERS.get(schema_editor.connection.vendor, ([], []))[1]:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("contact", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="ticket",
            name="next_escalation_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AlterField(
            model_name="ticketevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("opened", "Opened"),
                    ("note", "Internal note"),
                    ("reply", "Reply to the person"),
                    ("status", "Status changed"),
                    ("assigned", "Assigned"),
                    ("escalated", "Escalated"),
                    ("outcome", "Outcome of the suggestion"),
                ],
                max_length=10,
            ),
        ),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(
                condition=models.Q(("next_escalation_at__isnull", False)),
                fields=["next_escalation_at"],
                name="ticket_escalation_due_idx",
            ),
        ),
        migrations.RunPython(add_trigger, drop_trigger),
    ]
