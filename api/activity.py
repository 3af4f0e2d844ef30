"""Sentences for the integration clients' action codes (translated when shown)."""

from django.utils.translation import gettext_lazy as _

from core.activity import register

register("api.client.created", _("{actor} created the API client {name} ({source})."))
register("api.client.rotated", _("{actor} issued new credentials to the API client {name}."))
