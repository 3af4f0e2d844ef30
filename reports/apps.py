from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports and dashboards")

    def ready(self) -> None:
        from reports import activity  # noqa: F401  (registers the timeline sentence)
