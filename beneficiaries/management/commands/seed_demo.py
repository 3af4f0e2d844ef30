"""`manage.py seed_demo`: demo branches, one staff account per role, beneficiary files, and
the feature apps' demo data (articles, contacts and tickets, inbound messages, letters).

Safe to run again: branches and accounts are updated in place (passwords reset to the demo
password); beneficiaries are added, never replaced, and identity numbers already in the
database are skipped.
"""

from __future__ import annotations

import importlib
import random
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from accounts.models import User
from beneficiaries import demo
from beneficiaries.models import Beneficiary

# The feature apps' demo data, in the order they build on each other: each module has
# `seed_demo(*, rng, actor) -> str` (idempotent), called with the demo account named here.
# Named as strings so the registry does not import the apps that build on it.
APP_DEMOS = [
    ("knowledge.demo", "manager"),
    ("contact.demo", "officer"),
    ("inbox.demo", "officer"),
    ("correspondence.demo", "officer"),
    ("assistance.demo", "officer"),
    ("portal.demo", "officer"),
    ("outreach.demo", "manager"),
    ("surveys.demo", "quality"),
    ("reports.demo", "manager"),  # last: recounts the figures of everything above
]


class Command(BaseCommand):
    help = "Create demo branches, staff accounts (one per role) and realistic beneficiary files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--beneficiaries", type=int, default=300, help="How many files to add (default 300)."
        )
        parser.add_argument(
            "--seed", type=int, default=1447, help="Random seed: same seed, same people."
        )
        parser.add_argument(
            "--no-users",
            action="store_true",
            help="Do not create or reset the demo staff accounts (benchmarks).",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Add beneficiaries only if there are none yet (make run, every time).",
        )

    def handle(
        self,
        *args: Any,
        beneficiaries: int,
        seed: int,
        no_users: bool,
        if_empty: bool,
        **options: Any,
    ):
        if if_empty and Beneficiary.objects.exists():
            beneficiaries = 0
        branches = demo.ensure_branches()
        users = [] if no_users else demo.ensure_users(branches)
        # Files are written by the relations officer, as at the front desk; without demo
        # accounts every file is bulk-written and has no author.
        actor = User.objects.filter(username="officer", role="officer", is_active=True).first()
        if no_users:
            actor = None

        self.stdout.write(f"Seeding {beneficiaries:,} beneficiaries (seed {seed}) …")
        seeder = demo.Seeder(seed=seed, actor=actor, progress=self.stdout.write)
        result = seeder.run(max(beneficiaries, 0))
        self.stdout.write(
            self.style.SUCCESS(
                f"Done: {result.beneficiaries:,} beneficiaries "
                f"({result.through_services} through the services), "
                f"{result.members:,} household members, {result.incomes:,} incomes, "
                f"{result.obligations:,} obligations, {result.category_links:,} category links, "
                f"{result.name_tokens:,} bulk name tokens, {result.documents} documents, "
                f"{result.consents} consents in {result.seconds:.1f} s."
            )
        )
        if not no_users:
            self._seed_apps(seed)
        if users:
            self._print_accounts(users)

    def _seed_apps(self, seed: int) -> None:
        for module_name, username in APP_DEMOS:
            if not apps.is_installed(module_name.partition(".")[0]):
                continue
            module = importlib.import_module(module_name)
            actor = User.objects.filter(username=username, is_active=True).first()
            summary = module.seed_demo(rng=random.Random(seed), actor=actor)
            self.stdout.write(summary)

    def _print_accounts(self, users: list[User]) -> None:
        self.stdout.write("")
        self.stdout.write("Demo accounts / حسابات التجربة")
        header = f"  {'username':<16} {'role':<28} {'branch':<18} الدور / الفرع"
        self.stdout.write(header)
        self.stdout.write("  " + "-" * 78)
        for user in users:
            with translation.override("en"):
                role_en = str(user.get_role_display())
            with translation.override("ar"):
                role_ar = str(user.get_role_display())
            branch_en = user.branch.name_en if user.branch else "(all branches)"
            branch_ar = user.branch.name_ar if user.branch else "جميع الفروع"
            self.stdout.write(
                f"  {user.username:<16} {role_en:<28} {branch_en:<18} {role_ar} / {branch_ar}"
            )
        self.stdout.write("")
        self.stdout.write(f"Password for every account: {demo.DEMO_PASSWORD}")
        self.stdout.write(f"كلمة المرور لجميع الحسابات: {demo.DEMO_PASSWORD}")
