from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Beneficiary portal")

    def ready(self) -> None:
        from portal import activity  # noqa: F401  (registers timeline sentences)
