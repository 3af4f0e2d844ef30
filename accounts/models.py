"""Staff accounts, their roles and branches.

A user has exactly one role (DESIGN.md §1). A user tied to a branch sees only that branch's
beneficiaries; a user without one works across the organisation. Branch representatives must
have a branch (a database constraint).
"""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.choices import Gender
from core.models import BilingualNameModel


class Branch(BilingualNameModel):
    city = models.ForeignKey(
        "core.City", verbose_name=_("city"), null=True, blank=True, on_delete=models.PROTECT
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)

    class Meta(BilingualNameModel.Meta):
        verbose_name = _("branch")
        verbose_name_plural = _("branches")


class Role(models.TextChoices):
    RELATIONS_OFFICER = "officer", _("Relations officer")
    BRANCH_REPRESENTATIVE = "representative", _("Branch representative")
    SOCIAL_RESEARCHER = "researcher", _("Social researcher")
    COMMITTEE_MEMBER = "committee", _("Research committee member")
    SERVICE_OFFICER = "service", _("Service officer")
    QUALITY_OFFICER = "quality", _("Quality officer")
    MANAGER = "manager", _("Manager")
    VOLUNTEER = "volunteer", _("Volunteer")
    ADMIN = "admin", _("System administrator")


class User(AbstractUser):
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    branch = models.ForeignKey(
        Branch,
        verbose_name=_("branch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    mobile = models.CharField(_("mobile"), max_length=16, blank=True)

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="representative") | Q(branch__isnull=False),
                name="representative_has_branch",
            ),
        ]

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username
