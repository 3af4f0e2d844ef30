from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboxConfig(AppConfig):
    name = "inbox"
    verbose_name = _("Inbound messages")

    def ready(self) -> None:
        from inbox import activity  # noqa: F401  (registers timeline sentences)
