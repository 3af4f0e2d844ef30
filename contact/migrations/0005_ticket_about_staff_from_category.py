"""Tickets carry their own confidentiality: every ticket of a category about staff is marked
about staff, so the queues filter on the ticket row alone (no join to the categories, which
made SQLite drive the count from the category table: 300–430 ms at 300,000 tickets)."""

from django.db import migrations


def mark(apps, schema_editor):
    Ticket = apps.get_model("contact", "Ticket")
    Ticket.objects.filter(category__about_staff=True, about_staff=False).update(about_staff=True)


class Migration(migrations.Migration):
    dependencies = [("contact", "0004_queue_indexes")]

    operations = [migrations.RunPython(mark, migrations.RunPython.noop)]
