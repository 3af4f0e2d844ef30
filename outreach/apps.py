from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "outreach"
    verbose_name = _("Proactive outreach")

    def ready(self) -> None:
        from outreach import activity  # noqa: F401  (registers timeline sentences)
