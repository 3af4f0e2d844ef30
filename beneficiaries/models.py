"""The beneficiary registry: applicants (heads of household), their households, money,
documents and consent.

Names are always displayed as typed; the `*_key` columns hold the matching keys of
core.text (DOMAIN.md §4) and `NameToken` rows index every name part for prefix search, because
neither SQLite nor PostgreSQL normalises Arabic by itself (DESIGN.md §6).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.choices import Gender, MessageChannel
from core.models import BilingualNameModel, PublicIdModel, TimeStampedModel
from core.storage import PrivateStorage


class IdType(models.TextChoices):
    NATIONAL_ID = "national_id", _("National ID")
    IQAMA = "iqama", _("Iqama (residence permit)")
    BORDER_NUMBER = "border", _("Border number")
    PASSPORT = "passport", _("Passport")
    GCC_ID = "gcc", _("GCC national ID")
    DISPLACED = "displaced", _("Displaced person's card")
    OTHER = "other", _("Other document")


CHECKSUMMED_ID_TYPES = (IdType.NATIONAL_ID, IdType.IQAMA)


class MaritalStatus(models.TextChoices):
    SINGLE = "single", _("Single")
    MARRIED = "married", _("Married")
    DIVORCED = "divorced", _("Divorced")
    WIDOWED = "widowed", _("Widowed")


class HousingType(models.TextChoices):
    OWNED = "owned", _("Owned")
    RENTED = "rented", _("Rented")
    FAMILY = "family", _("Lives with relatives")
    CHARITY = "charity", _("Charitable housing")
    GOVERNMENT = "government", _("Government housing")
    OTHER = "other", _("Other")


class HousingCondition(models.TextChoices):
    GOOD = "good", _("Good")
    FAIR = "fair", _("Fair")
    POOR = "poor", _("Poor")
    UNFIT = "unfit", _("Unfit to live in")


class Disability(models.TextChoices):
    NONE = "", _("None")
    PHYSICAL = "physical", _("Physical")
    VISUAL = "visual", _("Visual")
    HEARING = "hearing", _("Hearing")
    INTELLECTUAL = "intellectual", _("Intellectual")
    PSYCHOLOGICAL = "psychological", _("Psychological")
    MULTIPLE = "multiple", _("Multiple")


class Category(BilingualNameModel):
    """Who is served (DOMAIN.md §5): configurable, a beneficiary may be in several."""

    requires_note = models.BooleanField(
        _("requires a note"), default=False, help_text=_("For “other”: staff must describe it.")
    )
    is_sensitive = models.BooleanField(
        _("sensitive"),
        default=False,
        help_text=_("Membership itself is sensitive data (e.g. prisoners' families)."),
    )

    class Meta(BilingualNameModel.Meta):
        verbose_name = _("beneficiary category")
        verbose_name_plural = _("beneficiary categories")


class DocumentType(BilingualNameModel):
    has_expiry = models.BooleanField(_("has an expiry date"), default=False)
    max_age_days = models.PositiveIntegerField(
        _("maximum age in days"),
        null=True,
        blank=True,
        help_text=_("A document issued longer ago than this is too old (e.g. 90 for income)."),
    )

    class Meta(BilingualNameModel.Meta):
        verbose_name = _("document type")
        verbose_name_plural = _("document types")


class Beneficiary(PublicIdModel, TimeStampedModel):
    """An applicant and head of household."""

    first_name = models.CharField(_("first name"), max_length=60)
    father_name = models.CharField(_("father's name"), max_length=60)
    grandfather_name = models.CharField(_("grandfather's name"), max_length=60)
    family_name = models.CharField(_("family name"), max_length=60)
    latin_name = models.CharField(_("name in Latin letters"), max_length=150, blank=True)

    id_type = models.CharField(
        _("identity type"), max_length=20, choices=IdType.choices, default=IdType.NATIONAL_ID
    )
    id_number = models.CharField(_("identity number"), max_length=20)
    id_expiry = models.DateField(_("identity expiry date"), null=True, blank=True)
    nationality = CountryField(_("nationality"), default="SA")
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"))
    marital_status = models.CharField(
        _("marital status"), max_length=10, choices=MaritalStatus.choices
    )

    mobile = models.CharField(_("mobile"), max_length=16, db_index=True)
    alt_mobile = models.CharField(_("other mobile"), max_length=16, blank=True, db_index=True)
    landline = models.CharField(_("landline"), max_length=16, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    # How the person wants to hear from us, and what they agreed to receive beyond the notices
    # about their own requests (surveys P3.5, outreach P2); both can be withdrawn at any time.
    preferred_channel = models.CharField(
        _("preferred channel"),
        max_length=10,
        choices=MessageChannel.choices,
        default=MessageChannel.SMS,
    )
    accepts_surveys = models.BooleanField(
        _("accepts satisfaction surveys"),
        default=True,
        help_text=_("Untick when the person asks not to be sent surveys."),
    )
    accepts_outreach = models.BooleanField(
        _("accepts reminders and seasonal messages"),
        default=True,
        help_text=_("Untick when the person asks not to be sent outreach messages."),
    )

    city = models.ForeignKey("core.City", verbose_name=_("city"), on_delete=models.PROTECT)
    district = models.CharField(_("district"), max_length=80, blank=True)
    address_short = models.CharField(_("short national address"), max_length=8, blank=True)
    building_number = models.CharField(_("building number"), max_length=4, blank=True)
    street = models.CharField(_("street"), max_length=100, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)
    additional_number = models.CharField(_("additional number"), max_length=4, blank=True)

    iban = models.CharField(_("IBAN"), max_length=24, blank=True)
    categories = models.ManyToManyField(
        Category, verbose_name=_("categories"), blank=True, related_name="beneficiaries"
    )
    category_note = models.CharField(_("category note"), max_length=200, blank=True)
    branch = models.ForeignKey(
        "accounts.Branch",
        verbose_name=_("branch"),
        on_delete=models.PROTECT,
        related_name="beneficiaries",
    )

    housing_type = models.CharField(
        _("housing"), max_length=12, choices=HousingType.choices, blank=True
    )
    housing_condition = models.CharField(
        _("housing condition"), max_length=8, choices=HousingCondition.choices, blank=True
    )
    # Sensitive (PDPL): shown only to roles in accounts.permissions.SENSITIVE_READERS.
    health_notes = models.TextField(_("health"), blank=True)
    disability = models.CharField(
        _("disability"), max_length=15, choices=Disability.choices, blank=True
    )

    name_key = models.CharField(max_length=255, editable=False, db_index=True)
    first_key = models.CharField(max_length=60, editable=False)
    family_key = models.CharField(max_length=60, editable=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("beneficiary")
        verbose_name_plural = _("beneficiaries")
        ordering = ["-created_at"]
        constraints = [
            # The exact duplicate check is a database rule, not only a form check.
            models.UniqueConstraint(fields=["id_number", "id_type"], name="unique_identity"),
            models.CheckConstraint(condition=Q(mobile__startswith="+9665"), name="mobile_e164"),
            models.CheckConstraint(
                condition=Q(iban="") | Q(iban__startswith="SA"), name="iban_saudi"
            ),
            models.CheckConstraint(
                condition=Q(id_expiry__isnull=True) | Q(id_expiry__gt=models.F("birth_date")),
                name="id_expiry_after_birth",
            ),
        ]
        indexes = [
            # Candidate search for the fuzzy duplicate check.
            models.Index(fields=["first_key", "family_key"], name="beneficiary_dup_idx"),
            models.Index(fields=["birth_date", "first_key"], name="beneficiary_birth_idx"),
            # The registry list, newest first, whole organisation or one branch.
            models.Index(fields=["-created_at"], name="beneficiary_created_idx"),
            models.Index(fields=["branch", "-created_at"], name="beneficiary_branch_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        parts = (self.first_name, self.father_name, self.grandfather_name, self.family_name)
        return " ".join(p for p in parts if p)

    @property
    def masked_id(self) -> str:
        from core.validators import mask_identity

        return mask_identity(self.id_number)

    @property
    def age(self) -> int:
        return age_on(self.birth_date, timezone.localdate())

    @property
    def id_expired(self) -> bool:
        return bool(self.id_expiry and self.id_expiry < timezone.localdate())


def age_on(birth_date: date, on: date) -> int:
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


class NameToken(models.Model):
    """One row per normalised name part (and its form without «ال»), for indexed prefix search."""

    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="+")
    # Compared by code point (COLLATE "C" on PostgreSQL, see migration 0005) for prefix ranges;
    # the unique (token, beneficiary) index serves every search.
    token = models.CharField(max_length=60)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "beneficiary"], name="unique_name_token")
        ]

    def __str__(self) -> str:
        return self.token


class DuplicateDecision(models.Model):
    """Staff confirmed that a new or edited file is a different person from a candidate."""

    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.CASCADE, related_name="duplicate_decisions"
    )
    candidate = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["beneficiary", "candidate"], name="unique_dup_decision")
        ]

    def __str__(self) -> str:
        return f"{self.beneficiary_id} ≠ {self.candidate_id}"


class Relation(models.TextChoices):
    SPOUSE = "spouse", _("Spouse")
    SON = "son", _("Son")
    DAUGHTER = "daughter", _("Daughter")
    FATHER = "father", _("Father")
    MOTHER = "mother", _("Mother")
    BROTHER = "brother", _("Brother")
    SISTER = "sister", _("Sister")
    GRANDCHILD = "grandchild", _("Grandchild")
    OTHER = "other", _("Other relative")


class Schooling(models.TextChoices):
    NOT_APPLICABLE = "", _("Not applicable")
    KINDERGARTEN = "kindergarten", _("Kindergarten")
    PRIMARY = "primary", _("Primary school")
    INTERMEDIATE = "intermediate", _("Intermediate school")
    SECONDARY = "secondary", _("Secondary school")
    UNIVERSITY = "university", _("University")
    NOT_ENROLLED = "not_enrolled", _("Of school age, not enrolled")
    GRADUATE = "graduate", _("Graduated")


class HouseholdMember(PublicIdModel, TimeStampedModel):
    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="members")
    relation = models.CharField(_("relation"), max_length=12, choices=Relation.choices)
    full_name = models.CharField(_("full name"), max_length=150)
    id_type = models.CharField(
        _("identity type"), max_length=20, choices=IdType.choices, blank=True
    )
    id_number = models.CharField(_("identity number"), max_length=20, blank=True)
    birth_date = models.DateField(_("birth date"))
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    schooling = models.CharField(
        _("schooling"), max_length=15, choices=Schooling.choices, blank=True
    )
    # Sensitive (PDPL).
    health_notes = models.TextField(_("health"), blank=True)
    disability = models.CharField(
        _("disability"), max_length=15, choices=Disability.choices, blank=True
    )

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        ordering = ["birth_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["beneficiary", "id_type", "id_number"],
                condition=~Q(id_number=""),
                name="unique_member_identity",
            ),
            models.CheckConstraint(
                condition=Q(id_number="") | ~Q(id_type=""), name="member_id_has_type"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def age(self) -> int:
        return age_on(self.birth_date, timezone.localdate())


class IncomeKind(models.TextChoices):
    SALARY = "salary", _("Salary")
    SOCIAL_SECURITY = "social_security", _("Social security")
    PENSION = "pension", _("Retirement pension")
    GOSI = "gosi", _("GOSI (social insurance)")
    CITIZEN_ACCOUNT = "citizen_account", _("Citizen Account")
    ALIMONY = "alimony", _("Alimony")
    FAMILY_SUPPORT = "family_support", _("Support from relatives")
    CHARITY = "charity", _("Another charity")
    BUSINESS = "business", _("Own work or business")
    OTHER = "other", _("Other")


class ObligationKind(models.TextChoices):
    RENT = "rent", _("Rent")
    LOAN = "loan", _("Loan instalment")
    UTILITIES = "utilities", _("Electricity and water bills")
    MEDICAL = "medical", _("Medical costs")
    EDUCATION = "education", _("Education costs")
    COURT_DEBT = "court_debt", _("Debt by court judgment")
    OTHER = "other", _("Other")


class IncomeSource(PublicIdModel, TimeStampedModel):
    """A monthly income of the household, in SAR."""

    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="incomes")
    member = models.ForeignKey(
        HouseholdMember,
        verbose_name=_("household member"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="incomes",
        help_text=_("Empty: the applicant's own income."),
    )
    kind = models.CharField(_("source"), max_length=20, choices=IncomeKind.choices)
    monthly_amount = models.DecimalField(_("monthly amount (SAR)"), max_digits=10, decimal_places=2)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("income source")
        verbose_name_plural = _("income sources")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(monthly_amount__gt=0), name="income_positive")
        ]


class Obligation(PublicIdModel, TimeStampedModel):
    """A monthly obligation of the household, in SAR."""

    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.CASCADE, related_name="obligations"
    )
    kind = models.CharField(_("obligation"), max_length=20, choices=ObligationKind.choices)
    monthly_amount = models.DecimalField(_("monthly amount (SAR)"), max_digits=10, decimal_places=2)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(monthly_amount__gt=0), name="obligation_positive")
        ]


def _document_path(instance: Document, filename: str) -> str:
    # The stored name is random; the original name is kept only as data.
    return f"documents/{instance.public_id.hex[:2]}/{instance.public_id.hex}.{instance.extension}"


class DocumentState(models.TextChoices):
    VALID = "valid", _("Valid")
    EXPIRING = "expiring", _("Expiring soon")
    EXPIRED = "expired", _("Expired")
    TOO_OLD = "too_old", _("Older than allowed")


class Document(PublicIdModel, TimeStampedModel):
    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="documents")
    member = models.ForeignKey(
        HouseholdMember,
        verbose_name=_("household member"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    doc_type = models.ForeignKey(
        DocumentType, verbose_name=_("document type"), on_delete=models.PROTECT
    )
    file = models.FileField(_("file"), storage=PrivateStorage(), upload_to=_document_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=10)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    issued_on = models.DateField(_("issue date"), null=True, blank=True)
    expires_on = models.DateField(_("expiry date"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    # Empty when the beneficiary uploaded it themselves on the portal.
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(issued_on__isnull=True)
                | Q(expires_on__gte=models.F("issued_on")),
                name="document_expiry_after_issue",
            ),
            models.CheckConstraint(condition=Q(size__gt=0), name="document_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.doc_type} — {self.original_name}"

    @cached_property
    def state(self) -> str:
        return self.state_on(timezone.localdate())

    def state_on(self, today: date) -> str:
        if self.expires_on and self.expires_on < today:
            return DocumentState.EXPIRED
        max_age = self.doc_type.max_age_days
        if max_age and self.issued_on and self.issued_on + timedelta(days=max_age) < today:
            return DocumentState.TOO_OLD
        warning = timedelta(days=settings.MUSTAFID["DOCUMENT_EXPIRY_WARNING_DAYS"])
        if self.expires_on and self.expires_on <= today + warning:
            return DocumentState.EXPIRING
        return DocumentState.VALID

    def get_state_display(self) -> str:
        return DocumentState(self.state).label


class PrivacyNotice(TimeStampedModel):
    """A version of the privacy notice shown before personal data is collected (PDPL)."""

    version = models.CharField(_("version"), max_length=20, unique=True)
    text_ar = models.TextField(_("Arabic text"))
    text_en = models.TextField(_("English text"), blank=True)
    effective_from = models.DateField(_("effective from"))

    class Meta:
        verbose_name = _("privacy notice")
        verbose_name_plural = _("privacy notices")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return self.version


class Consent(TimeStampedModel):
    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="consents")
    notice = models.ForeignKey(
        PrivacyNotice, verbose_name=_("privacy notice"), on_delete=models.PROTECT
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), default=timezone.now)
    channel = models.ForeignKey("core.Channel", verbose_name=_("channel"), on_delete=models.PROTECT)
    # Empty when the beneficiary acknowledged the notice themselves on the portal.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-acknowledged_at"]
        constraints = [
            models.UniqueConstraint(fields=["beneficiary", "notice"], name="unique_consent")
        ]


class DsrKind(models.TextChoices):
    ACCESS = "access", _("Access to my data")
    COPY = "copy", _("A copy of my data")
    CORRECTION = "correction", _("Correction of my data")
    DESTRUCTION = "destruction", _("Destruction of my data")


class DsrStatus(models.TextChoices):
    OPEN = "open", _("Open")
    COMPLETED = "completed", _("Completed")
    REFUSED = "refused", _("Refused, with reasons")


class DataSubjectRequest(PublicIdModel, TimeStampedModel):
    """A request under the PDPL about the beneficiary's own data, answered within 30 days,
    extendable once by 30 (DOMAIN.md §6). Recorded whatever the channel, oral ones included;
    a correction carries the proposed change, field by field."""

    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.CASCADE, related_name="data_requests"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=DsrKind.choices)
    channel = models.ForeignKey("core.Channel", verbose_name=_("channel"), on_delete=models.PROTECT)
    details = models.TextField(_("details"), blank=True)
    # {field name: {"label": ..., "current": ..., "proposed": ...}} for a correction.
    proposed_changes = models.JSONField(_("proposed changes"), default=dict, blank=True)
    # A guardian acting for a minor, or a representative: their name, else empty.
    requested_by = models.CharField(
        _("requested by (if not the beneficiary)"), max_length=150, blank=True
    )
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    # Fixed when received; an extension sets `extended_to` once and never moves `due_date`.
    due_date = models.DateField(_("due date"))
    extended_to = models.DateField(_("extended to"), null=True, blank=True)
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DsrStatus.choices, default=DsrStatus.OPEN
    )
    response = models.TextField(_("response"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Empty when the beneficiary made the request themselves on the portal.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("data-subject request")
        verbose_name_plural = _("data-subject requests")
        ordering = ["-received_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(extended_to__isnull=True) | Q(extended_to__gt=models.F("due_date")),
                name="dsr_extension_after_due",
            ),
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | (~Q(status="open") & Q(closed_at__isnull=False)),
                name="dsr_closed_when_done",
            ),
        ]
        indexes = [
            # The staff queue: open requests by deadline.
            models.Index(fields=["status", "due_date"], name="dsr_queue_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.beneficiary}"

    @property
    def deadline(self) -> date:
        return self.extended_to or self.due_date

    @property
    def is_overdue(self) -> bool:
        return self.status == DsrStatus.OPEN and self.deadline < timezone.localdate()


def household_totals(beneficiary: Beneficiary, members, incomes, obligations) -> dict:
    """Monthly totals and income per person, from already-loaded rows (no query)."""
    income = sum((i.monthly_amount for i in incomes), Decimal(0))
    obligation = sum((o.monthly_amount for o in obligations), Decimal(0))
    size = 1 + len(members)
    return {
        "size": size,
        "income": income,
        "obligations": obligation,
        "net": income - obligation,
        "per_capita": ((income - obligation) / size).quantize(Decimal("0.01")),
    }
