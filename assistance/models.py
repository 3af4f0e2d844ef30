"""Support requests (policy P5.4, P6.1–P6.7) and the configuration a manager edits.

The request's `status` follows the state machine of DESIGN.md §4 and is assigned only in
assistance.services (one service per transition).
"""

from __future__ import annotations

import calendar
import hashlib
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import BilingualNameModel, PublicIdModel, TimeStampedModel
from core.storage import PrivateStorage

# --- Configuration ------------------------------------------------------------------------


class AidKind(models.TextChoices):
    CASH = "cash", _("Cash")
    IN_KIND = "in_kind", _("In kind")
    SERVICE = "service", _("Service")
    VOUCHER = "voucher", _("Voucher")


class Season(models.TextChoices):
    NONE = "", _("All year")
    RAMADAN = "ramadan", _("Ramadan")
    EID_AL_FITR = "eid_al_fitr", _("Eid al-Fitr")
    EID_AL_ADHA = "eid_al_adha", _("Eid al-Adha")
    SCHOOL = "school", _("School year")
    WINTER = "winter", _("Winter")


class AidType(BilingualNameModel):
    kind = models.CharField(_("kind"), max_length=10, choices=AidKind.choices)
    season = models.CharField(_("season"), max_length=12, choices=Season.choices, blank=True)

    class Meta(BilingualNameModel.Meta):
        verbose_name = _("aid type")
        verbose_name_plural = _("aid types")


class RequiredDocument(models.Model):
    """A document a request must carry: for every request, for an aid type, or for a
    beneficiary category; optionally for each household member from a given age."""

    doc_type = models.ForeignKey(
        "beneficiaries.DocumentType", verbose_name=_("document type"), on_delete=models.CASCADE
    )
    aid_type = models.ForeignKey(
        AidType,
        verbose_name=_("aid type"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("Empty: whatever the aid type."),
    )
    category = models.ForeignKey(
        "beneficiaries.Category",
        verbose_name=_("beneficiary category"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("Empty: whatever the category."),
    )
    max_age_days = models.PositiveIntegerField(
        _("maximum age in days"),
        null=True,
        blank=True,
        help_text=_("Overrides the document type's maximum age for this requirement."),
    )
    members_from_age = models.PositiveSmallIntegerField(
        _("also for each household member aged"),
        null=True,
        blank=True,
        help_text=_("E.g. 15: the identity of every member aged 15 or more."),
    )

    class Meta:
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")

    def __str__(self) -> str:
        return str(self.doc_type)


class AssistancePolicy(models.Model):
    """The organisation's procedural settings (one row)."""

    decision_period_days = models.PositiveSmallIntegerField(
        _("decision period (days)"), default=14, help_text=_("Policy P6.5: two weeks.")
    )
    decision_in_working_days = models.BooleanField(
        _("count working days"),
        default=False,
        help_text=_("Off: calendar days. On: Sunday–Thursday, without holidays."),
    )
    info_due_days = models.PositiveSmallIntegerField(
        _("days to answer a request for information"), default=7
    )
    appeal_window_days = models.PositiveSmallIntegerField(_("appeal window (days)"), default=30)
    research_days = models.PositiveSmallIntegerField(_("days for the social research"), default=5)
    female_researcher_for_women = models.BooleanField(
        _("a female researcher for a woman applicant"), default=True
    )

    class Meta:
        verbose_name = _("assistance policy")
        verbose_name_plural = _("assistance policy")

    def __str__(self) -> str:
        return str(_("Assistance policy"))

    @classmethod
    def current(cls) -> AssistancePolicy:
        policy, _created = cls.objects.get_or_create(pk=1)
        return policy


class IncomeLimit(models.Model):
    """The sufficiency line (حد الكفاية): net monthly income per person, by household size."""

    household_size_from = models.PositiveSmallIntegerField(_("household size from"))
    household_size_to = models.PositiveSmallIntegerField(_("household size to"))
    monthly_limit_per_person = models.DecimalField(
        _("monthly limit per person (SAR)"), max_digits=10, decimal_places=2
    )

    class Meta:
        verbose_name = _("income limit")
        verbose_name_plural = _("income limits")
        ordering = ["household_size_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(household_size_to__gte=models.F("household_size_from")),
                name="income_limit_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.household_size_from}–{self.household_size_to}"


class RuleKind(models.TextChoices):
    INCOME = "income", _("Net income per person within the sufficiency line")
    MIN_AGE = "min_age", _("Applicant at least this age")
    MAX_AGE = "max_age", _("Applicant at most this age")
    MEMBER_MAX_AGE = "member_max_age", _("A household member under this age (e.g. orphans)")
    SERVICE_AREA = "service_area", _("Lives in the service area")


class EligibilityRule(models.Model):
    """A rule of the pre-check. Rules inform; the committee decides (DOMAIN.md §5)."""

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=RuleKind.choices)
    value = models.PositiveIntegerField(_("value"), null=True, blank=True)
    cities = models.ManyToManyField("core.City", verbose_name=_("cities"), blank=True)
    category = models.ForeignKey(
        "beneficiaries.Category",
        verbose_name=_("only for category"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
    )
    aid_type = models.ForeignKey(
        AidType,
        verbose_name=_("only for aid type"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("eligibility rule")
        verbose_name_plural = _("eligibility rules")

    def __str__(self) -> str:
        return self.name


class Declaration(models.Model):
    """A version of the applicant's declaration (P6.4) and rights-and-duties notice (P1)."""

    version = models.CharField(_("version"), max_length=20, unique=True)
    text_ar = models.TextField(_("declaration (Arabic)"))
    text_en = models.TextField(_("declaration (English)"), blank=True)
    rights_ar = models.TextField(_("rights and duties (Arabic)"))
    rights_en = models.TextField(_("rights and duties (English)"), blank=True)
    effective_from = models.DateField(_("effective from"))

    class Meta:
        verbose_name = _("declaration")
        verbose_name_plural = _("declarations")
        ordering = ["-effective_from", "-id"]

    def __str__(self) -> str:
        return self.version

    @classmethod
    def current(cls) -> Declaration | None:
        return cls.objects.filter(effective_from__lte=timezone.localdate()).first()


# --- The request ----------------------------------------------------------------------------


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    VERIFYING = "verifying", _("Being verified")
    AWAITING_APPLICANT = "awaiting_applicant", _("Waiting for the applicant")
    IN_RESEARCH = "in_research", _("In social research")
    RESEARCHED = "researched", _("Research complete")
    IN_COMMITTEE = "in_committee", _("Before the committee")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    DEFERRED = "deferred", _("Deferred")
    APPEALED = "appealed", _("Appealed")
    ENROLLED = "enrolled", _("Enrolled")
    IN_SERVICE = "in_service", _("Receiving aid")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = frozenset(set(Status) - {Status.CLOSED, Status.WITHDRAWN, Status.CANCELLED})
# Past submission and not yet decided: the promised decision date applies.
AWAITING_DECISION = frozenset(
    {
        Status.SUBMITTED,
        Status.VERIFYING,
        Status.AWAITING_APPLICANT,
        Status.IN_RESEARCH,
        Status.RESEARCHED,
        Status.IN_COMMITTEE,
        Status.DEFERRED,
        Status.APPEALED,
    }
)


class SupportRequest(PublicIdModel, TimeStampedModel):
    beneficiary = models.ForeignKey(
        "beneficiaries.Beneficiary",
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="support_requests",
    )
    branch = models.ForeignKey(
        "accounts.Branch", verbose_name=_("branch"), on_delete=models.PROTECT, related_name="+"
    )
    channel = models.ForeignKey(
        "core.Channel", verbose_name=_("channel"), on_delete=models.PROTECT, related_name="+"
    )
    aid_types = models.ManyToManyField(AidType, verbose_name=_("aid types"))
    need = models.TextField(_("the need, in the applicant's words"))
    requested_amount = models.DecimalField(
        _("amount asked for (SAR)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    declares_no_income = models.BooleanField(
        _("the household declares no income"),
        default=False,
        help_text=_("Tick only if the applicant states the household has no income at all."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    reference = models.CharField(_("reference"), max_length=20, unique=True, null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    expected_decision_date = models.DateField(_("expected decision date"), null=True, blank=True)
    # Empty when the applicant opened the request themselves on the portal.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_requests",
    )

    class Meta:
        verbose_name = _("support request")
        verbose_name_plural = _("support requests")
        ordering = ["-created_at"]
        constraints = [
            # Past the draft, a request always carries its reference and promised date.
            models.CheckConstraint(
                condition=Q(status="draft")
                | Q(status="cancelled", reference__isnull=True)
                | Q(status="withdrawn", reference__isnull=True)
                | (
                    Q(reference__isnull=False)
                    & Q(submitted_at__isnull=False)
                    & Q(expected_decision_date__isnull=False)
                ),
                name="submitted_request_has_reference",
            ),
            models.CheckConstraint(
                condition=Q(requested_amount__isnull=True) | Q(requested_amount__gt=0),
                name="requested_amount_positive",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "expected_decision_date"], name="request_due_idx"),
            models.Index(fields=["branch", "status"], name="request_branch_idx"),
            # The queue, newest first, whole organisation or one branch (bench/workflow.py).
            models.Index(fields=["-created_at", "-id"], name="request_created_idx"),
            models.Index(
                fields=["branch", "-created_at", "-id"], name="request_branch_created_idx"
            ),
            # What a meeting's organiser may add to its agenda, oldest submission first
            # (selectors.agenda_candidates): 200 index entries rather than a sort of thousands.
            models.Index(
                fields=["submitted_at"],
                condition=Q(status__in=["researched", "deferred"]),
                name="request_ready_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.reference or str(_("Draft request"))

    @property
    def is_overdue(self) -> bool:
        return bool(
            self.status in AWAITING_DECISION
            and self.expected_decision_date
            and self.expected_decision_date < timezone.localdate()
        )


class RequestSequence(models.Model):
    """The last reference number used in a Hijri year (REQ-<year>-<sequence>)."""

    hijri_year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.hijri_year}: {self.last}"


class Verification(models.TextChoices):
    PENDING = "pending", _("Not checked yet")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


class ItemState(models.TextChoices):
    MISSING = "missing", _("Missing")
    PRESENT = "present", _("Present")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")
    EXPIRED = "expired", _("Expired or too old")


class ChecklistItem(models.Model):
    """One required document of one request, for the applicant or a household member."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="checklist")
    doc_type = models.ForeignKey("beneficiaries.DocumentType", on_delete=models.PROTECT)
    member = models.ForeignKey(
        "beneficiaries.HouseholdMember", null=True, blank=True, on_delete=models.CASCADE
    )
    max_age_days = models.PositiveIntegerField(null=True, blank=True)
    document = models.ForeignKey(
        "beneficiaries.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verification = models.CharField(
        max_length=10, choices=Verification.choices, default=Verification.PENDING
    )
    rejection_reason = models.CharField(_("reason"), max_length=200, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["member_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "doc_type"],
                condition=Q(member__isnull=True),
                name="unique_applicant_item",
            ),
            models.UniqueConstraint(
                fields=["request", "doc_type", "member"],
                condition=Q(member__isnull=False),
                name="unique_member_item",
            ),
            models.CheckConstraint(
                condition=~Q(verification="rejected") | ~Q(rejection_reason=""),
                name="rejection_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return str(self.doc_type)

    def state_on(self, day: date) -> str:
        if self.document_id is None:
            return ItemState.MISSING
        if self.verification == Verification.REJECTED:
            return ItemState.REJECTED
        if not document_in_date(self.document, day, self.max_age_days):
            return ItemState.EXPIRED
        if self.verification == Verification.VERIFIED:
            return ItemState.VERIFIED
        return ItemState.PRESENT

    @property
    def state(self) -> str:
        return self.state_on(timezone.localdate())

    def get_state_display(self) -> str:
        return ItemState(self.state).label


def document_in_date(document, day: date, max_age_days: int | None = None) -> bool:
    """Not expired on `day` and, where a maximum age applies, issued recently enough."""
    from datetime import timedelta

    if document.expires_on and document.expires_on < day:
        return False
    max_age = max_age_days or document.doc_type.max_age_days
    if max_age:
        if document.issued_on is None:
            return False
        if document.issued_on + timedelta(days=max_age) < day:
            return False
    return True


class AttestationMethod(models.TextChoices):
    DRAWN = "drawn", _("Signed on screen")
    PAPER = "paper", _("Signed paper, scanned")
    OTP = "otp", _("Confirmed with a one-time code")


class Attestation(models.Model):
    """The applicant's signed declaration (P6.4): immutable once stored."""

    request = models.OneToOneField(
        SupportRequest, on_delete=models.PROTECT, related_name="attestation"
    )
    method = models.CharField(_("method"), max_length=10, choices=AttestationMethod.choices)
    declaration = models.ForeignKey(Declaration, on_delete=models.PROTECT)
    # The exact texts signed, kept even if the declaration is later edited.
    declaration_text = models.TextField()
    rights_text = models.TextField()
    rights_acknowledged = models.BooleanField(default=False)
    signature = models.FileField(storage=PrivateStorage(), upload_to="attestations/")
    signature_type = models.CharField(max_length=100)
    signature_sha256 = models.CharField(max_length=64)
    signed_at = models.DateTimeField(default=timezone.now)
    # Empty when the applicant signed on the portal with a one-time code.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(rights_acknowledged=True), name="attestation_acknowledges_rights"
            )
        ]

    def __str__(self) -> str:
        return f"{self.request} {self.signed_at:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("An attestation cannot be changed once signed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("An attestation cannot be deleted.")

    @staticmethod
    def digest(content: bytes) -> str:
        return hashlib.sha256(content).hexdigest()


# --- Verification and waiting for the applicant -------------------------------------------


class InfoRequest(TimeStampedModel):
    """Information or documents asked of the applicant, with a due date (the request waits)."""

    request = models.ForeignKey(
        SupportRequest, on_delete=models.CASCADE, related_name="info_requests"
    )
    what = models.TextField(_("what is needed"))
    due_date = models.DateField(_("due date"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reminded_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(_("the applicant's answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One open question at a time: the request waits for exactly one answer.
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(answered_at__isnull=True),
                name="one_open_info_request",
            ),
        ]

    def __str__(self) -> str:
        return self.what[:50]


# --- Social research (P6.3) -----------------------------------------------------------------


class ReferralReason(models.TextChoices):
    PROCEDURES = "procedures", _("The applicant has questions about the procedures")
    VERIFICATION = "verification", _("Verify the situation (desk research and home visit)")


class Research(TimeStampedModel):
    """A referral to a social researcher and, once written, the research report."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="researches")
    researcher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("researcher"),
        on_delete=models.PROTECT,
        related_name="researches",
    )
    reason = models.CharField(_("reason"), max_length=20, choices=ReferralReason.choices)
    note = models.TextField(_("note for the researcher"), blank=True)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.DateField(_("due date"))
    # The report.
    housing = models.TextField(_("housing"), blank=True)
    household = models.TextField(_("household members"), blank=True)
    finances = models.TextField(_("income and obligations"), blank=True)
    health = models.TextField(_("health"), blank=True)
    assessment = models.TextField(_("the researcher's assessment"), blank=True)
    recommended_aid_type = models.ForeignKey(
        AidType, verbose_name=_("recommended aid"), null=True, blank=True, on_delete=models.PROTECT
    )
    recommended_amount = models.DecimalField(
        _("recommended amount (SAR)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    recommended_months = models.PositiveSmallIntegerField(
        _("for how many months"), null=True, blank=True, help_text=_("Empty or 1: one-off.")
    )
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["request"], condition=Q(completed_at__isnull=True), name="one_open_research"
            ),
            models.CheckConstraint(
                condition=Q(completed_at__isnull=True)
                | (~Q(assessment="") & Q(recommended_aid_type__isnull=False)),
                name="completed_research_has_recommendation",
            ),
            models.CheckConstraint(
                condition=Q(recommended_amount__isnull=True) | Q(recommended_amount__gt=0),
                name="recommended_amount_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request} → {self.researcher}"


class VisitStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    DONE = "done", _("Done")
    MISSED = "missed", _("Nobody at home")
    CANCELLED = "cancelled", _("Cancelled")


class HomeVisit(TimeStampedModel):
    research = models.ForeignKey(Research, on_delete=models.CASCADE, related_name="visits")
    scheduled_for = models.DateTimeField(_("visit date and time"))
    status = models.CharField(
        max_length=10, choices=VisitStatus.choices, default=VisitStatus.BOOKED
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-scheduled_for"]

    def __str__(self) -> str:
        return f"{self.scheduled_for:%Y-%m-%d %H:%M}"


# --- Research committee (P6.5) --------------------------------------------------------------


class DecisionRule(models.TextChoices):
    MAJORITY = "majority", _("Majority of the members voting")
    UNANIMITY = "unanimity", _("Unanimity")


class RejectionReason(BilingualNameModel):
    class Meta(BilingualNameModel.Meta):
        verbose_name = _("rejection reason")
        verbose_name_plural = _("rejection reasons")


class Meeting(PublicIdModel, TimeStampedModel):
    number = models.CharField(_("meeting number"), max_length=20, unique=True)
    date = models.DateField(_("date"))
    location = models.CharField(_("place"), max_length=120, blank=True)
    quorum = models.PositiveSmallIntegerField(
        _("quorum"), default=3, help_text=_("Members who must vote on a request for a decision.")
    )
    rule = models.CharField(
        _("decision rule"),
        max_length=10,
        choices=DecisionRule.choices,
        default=DecisionRule.MAJORITY,
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("committee meeting")
        verbose_name_plural = _("committee meetings")
        ordering = ["-date", "-id"]
        constraints = [models.CheckConstraint(condition=Q(quorum__gte=1), name="quorum_positive")]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", _("Member")


class MeetingMember(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER)

    class Meta:
        ordering = ["role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="unique_meeting_member"),
            models.UniqueConstraint(
                fields=["meeting"], condition=Q(role="chair"), name="one_chair_per_meeting"
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)


class Outcome(models.TextChoices):
    PENDING = "pending", _("Not decided")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    DEFERRED = "deferred", _("Deferred")


class AgendaItem(models.Model):
    """A request before a meeting, with the proposal the members vote on (from the research)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    request = models.ForeignKey(
        SupportRequest, on_delete=models.PROTECT, related_name="agenda_items"
    )
    position = models.PositiveSmallIntegerField(default=0)
    aid_type = models.ForeignKey(AidType, verbose_name=_("aid type"), on_delete=models.PROTECT)
    amount = models.DecimalField(
        _("amount (SAR)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    months = models.PositiveSmallIntegerField(_("months"), default=1)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    reason_text = models.TextField(_("reasons"), blank=True)
    reasons = models.ManyToManyField(RejectionReason, blank=True)
    deferred_need = models.TextField(_("what is needed"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "request"], name="unique_agenda_request"),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gt=0), name="agenda_amount_positive"
            ),
            models.CheckConstraint(condition=Q(months__gte=1), name="agenda_months_positive"),
            models.CheckConstraint(
                condition=Q(outcome="pending", decided_at__isnull=True)
                | (~Q(outcome="pending") & Q(decided_at__isnull=False)),
                name="decided_item_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.request}"


class VoteChoice(models.TextChoices):
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")
    DEFER = "defer", _("Defer")


class Vote(models.Model):
    """One member's vote on one item: insert-only, never edited or deleted."""

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(_("vote"), max_length=10, choices=VoteChoice.choices)
    reasons = models.ManyToManyField(RejectionReason, blank=True)
    note = models.TextField(_("note"), blank=True)
    cast_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "voter"], name="one_vote_per_member"),
        ]

    def __str__(self) -> str:
        return f"{self.voter_id}: {self.choice}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("A vote cannot be changed once cast.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("A vote cannot be deleted.")


class Recusal(models.Model):
    """A member stands aside from one item for a conflict of interest."""

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="recusals")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=200)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "member"], name="one_recusal_per_member"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} recused"


# --- Appeal ---------------------------------------------------------------------------------


class Appeal(TimeStampedModel):
    """A rejected applicant's appeal (P1: how disputes are settled); it goes back to the
    committee with the history of the request."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="appeals")
    grounds = models.TextField(_("grounds of the appeal"))
    channel = models.ForeignKey("core.Channel", verbose_name=_("channel"), on_delete=models.PROTECT)
    # Empty when the applicant appealed themselves on the portal.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.request} appeal"


# --- Enrolment and service (P6.6–P6.7) ------------------------------------------------------


class Enrolment(PublicIdModel, TimeStampedModel):
    """An approved request registered for service, with its schedule."""

    request = models.OneToOneField(
        SupportRequest, on_delete=models.PROTECT, related_name="enrolment"
    )
    decision = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="+")
    aid_type = models.ForeignKey(AidType, on_delete=models.PROTECT)
    amount_per_instalment = models.DecimalField(
        _("amount per instalment (SAR)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    instalments = models.PositiveSmallIntegerField(_("instalments"))
    starts_on = models.DateField(_("first delivery on"))
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(instalments__gte=1), name="enrolment_instalments"),
            models.CheckConstraint(
                condition=Q(amount_per_instalment__isnull=True) | Q(amount_per_instalment__gt=0),
                name="enrolment_amount_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request} enrolment"

    @property
    def total(self):
        if self.amount_per_instalment is None:
            return None
        return self.amount_per_instalment * self.instalments

    def due_date(self, number: int) -> date:
        """The date instalment `number` (1-based) is due: monthly from the start."""
        month = self.starts_on.month - 1 + (number - 1)
        year = self.starts_on.year + month // 12
        month = month % 12 + 1
        day = min(self.starts_on.day, calendar.monthrange(year, month)[1])
        return date(year, month, day)


class DeliveryMethod(models.TextChoices):
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    VOUCHER = "voucher", _("Voucher")
    IN_KIND = "in_kind", _("In kind, against a signed receipt")


class Delivery(PublicIdModel, TimeStampedModel):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="deliveries")
    number = models.PositiveSmallIntegerField(_("instalment"))
    method = models.CharField(_("method"), max_length=15, choices=DeliveryMethod.choices)
    amount = models.DecimalField(
        _("amount (SAR)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    iban = models.CharField(_("IBAN"), max_length=24, blank=True)
    transfer_reference = models.CharField(_("transfer reference"), max_length=60, blank=True)
    voucher_code = models.CharField(_("voucher code"), max_length=60, blank=True)
    receipt = models.FileField(
        _("signed receipt"), storage=PrivateStorage(), upload_to="receipts/", blank=True
    )
    delivered_on = models.DateField(_("delivered on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "number"], name="one_delivery_per_instalment"
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gt=0), name="delivery_amount_positive"
            ),
            models.CheckConstraint(
                condition=~Q(method="bank_transfer") | (~Q(iban="") & ~Q(transfer_reference="")),
                name="transfer_has_iban_and_reference",
            ),
            models.CheckConstraint(
                condition=~Q(method="voucher") | ~Q(voucher_code=""), name="voucher_has_code"
            ),
            models.CheckConstraint(
                condition=~Q(method="in_kind") | ~Q(receipt=""), name="in_kind_has_receipt"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} #{self.number}"


class ResearchPhoto(PublicIdModel, TimeStampedModel):
    """A photo taken on the home visit, stored only with the applicant's recorded consent."""

    research = models.ForeignKey(Research, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(storage=PrivateStorage(), upload_to="research/")
    content_type = models.CharField(max_length=100)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    consent_given = models.BooleanField(_("the applicant agreed to the photo"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(consent_given=True), name="photo_has_consent")
        ]

    def __str__(self) -> str:
        return self.caption or str(self.public_id)
