"""Timeline sentences for the outbox's action codes (translated when shown)."""

from django.utils.translation import gettext_lazy as _

from core.activity import register

register("notify.message.queued", _("{actor} queued a message ({channel}, {template})."))
register(
    "notify.message.suppressed",
    _("{actor} did not send a message ({channel}, {template}): its template is inactive."),
)
register("notify.message.failed", _("A message ({channel}, {template}) could not be sent."))
register("notify.message.retried", _("{actor} sent a message again ({channel}, {template})."))
register("notify.message.cancelled", _("{actor} cancelled a message ({channel}, {template})."))
