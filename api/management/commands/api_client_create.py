"""`manage.py api_client_create --name "Website" --source web_form [--channel website]`

Creates an integration client and prints its token (and, for webhooks, its signing secret)
once: neither is stored in readable form, so copy them from this output.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from api import credentials, services
from api.models import ENDPOINTS, ApiClient
from core.models import Channel
from inbox.models import Source
from inbox.services import DEFAULT_CHANNEL


class Command(BaseCommand):
    help = "Create an API client for the website or a webhook sender; prints its token once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help="A name people recognise.")
        parser.add_argument(
            "--source",
            required=True,
            choices=[s.value for s in Source if s in ENDPOINTS],
            help="What it sends: web_form, social, sms or whatsapp.",
        )
        parser.add_argument(
            "--channel",
            help="Code of the P4 channel its messages are filed under "
            "(default: website, social_media, phone, social_media by source).",
        )

    def handle(self, *args: Any, name: str, source: str, channel: str | None, **options: Any):
        code = channel or DEFAULT_CHANNEL[source]
        channel_row = Channel.objects.filter(code=code).first()
        if channel_row is None:
            known = ", ".join(Channel.objects.values_list("code", flat=True))
            raise CommandError(f"Unknown channel {code!r}; one of: {known}.")
        client = ApiClient(name=name.strip(), source=source, channel=channel_row)
        try:
            issued = services.api_client_create(actor=None, client=client)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc

        out = self.stdout.write
        out(self.style.SUCCESS(f"Created API client {client.name!r} ({source}, key {client.key})."))
        out("Copy these now: they are not stored and will not be shown again.")
        out(f"  token:          {issued.token}")
        if source != Source.WEB_FORM:
            out(f"  webhook secret: {issued.webhook_secret}")
        out(f"  endpoint:       POST {reverse(ENDPOINTS[source])}")
        out(f"  header:         Authorization: Bearer {issued.token}")
        if source != Source.WEB_FORM:
            out(f"  headers:        {credentials.TIMESTAMP_HEADER}: <unix seconds>")
            out(
                f"                  {credentials.SIGNATURE_HEADER}: sha256=<hex HMAC-SHA256 of "
                '"<timestamp>.<raw body>" with the webhook secret>'
            )
