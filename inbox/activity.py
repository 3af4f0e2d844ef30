"""Timeline sentences for the inbox's action codes (translated when shown)."""

from django.utils.translation import gettext_lazy as _

from core.activity import register

register("inbox.item.received", _("A message arrived by {source}."))
register("inbox.item.identified", _("{actor} linked a message received by {source} to this file."))
register(
    "inbox.item.unlinked", _("{actor} unlinked a message received by {source} from this file.")
)
register(
    "inbox.item.ticket",
    _("{actor} opened ticket {reference} from a message received by {source}."),
)
register(
    "inbox.item.request",
    _("{actor} opened a support request from a message received by {source}."),
)
register("inbox.item.closed", _("{actor} closed a message received by {source}: {reason}."))
