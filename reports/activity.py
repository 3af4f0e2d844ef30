"""Timeline sentence for the reports' action code (translated when shown)."""

from django.utils.translation import gettext_lazy as _

from core.activity import register

register(
    "reports.exported",
    _("{actor} exported {rows} rows of the list “{list}” ({format})."),
)
