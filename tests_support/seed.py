"""Re-apply the configuration the data migrations seed (channels, cities, the head office,
categories, document types, aid types, message templates…).

A transactional test (browser tests, concurrency tests) ends with a flush that empties every
table, so the next one starts from nothing. Django's serialized_rollback would restore it but
collides on PostgreSQL with content types re-created by an earlier flush; the seed functions
are idempotent, so running them again is simpler and exact.
"""

import importlib

from django.apps import apps

SEED_MIGRATIONS = [
    "core.migrations.0002_seed_and_append_only",
    "accounts.migrations.0003_head_office",
    "beneficiaries.migrations.0003_configuration",
    "beneficiaries.migrations.0008_privacy_templates",
    "notify.migrations.0002_seed_templates",
    "notify.migrations.0003_info_reminder",
    "notify.migrations.0004_portal_otp",
    "notify.migrations.0005_erase_after_sending",
    "assistance.migrations.0002_configuration",
    "assistance.migrations.0005_rejection_reasons",
    "correspondence.migrations.0002_seed_templates",
    "contact.migrations.0003_configuration",
    "contact.migrations.0006_person_wrote_template",
    "knowledge.migrations.0003_seed_categories",
    "knowledge.migrations.0004_relations_policy",
    "knowledge.migrations.0005_review_templates",
    "outreach.migrations.0002_seed",
    "surveys.migrations.0002_seed_surveys",
]


def reseed() -> None:
    for module in SEED_MIGRATIONS:
        importlib.import_module(module).seed(apps, None)
