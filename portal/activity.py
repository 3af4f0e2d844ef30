"""Timeline sentences for the portal's own action codes (translated when shown)."""

from django.utils.translation import gettext_lazy as _

from core.activity import register

register("portal.signed_in", _("{actor} signed in."))
