from django.db import migrations

FORWARD = 'ALTER TABLE knowledge_articletoken ALTER COLUMN token TYPE varchar(60) COLLATE "C"'
BACKWARD = "ALTER TABLE knowledge_articletoken ALTER COLUMN token TYPE varchar(60)"


def _run(sql):
    def apply(apps, schema_editor):
        # SQLite compares text by code point already; PostgreSQL follows the database's
        # collation unless told otherwise, which would break prefix ranges (core.db.prefix_q).
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
