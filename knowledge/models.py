"""The knowledge base (P3.3, P3.7.1, P5, P6.1) and the policy registry (P1, P5, P7).

Articles are searched through `ArticleToken`, a table of normalised words (core.text), because
neither database normalises Arabic spelling (DESIGN.md §6). Counters (`view_count`,
`use_count`, votes) are updated with F() expressions in knowledge.services only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import BilingualNameModel, PublicIdModel, TimeStampedModel
from core.storage import PrivateStorage


class Audience(models.TextChoices):
    PUBLIC = "public", _("Public")
    STAFF = "staff", _("Staff only")


# --- Knowledge base -----------------------------------------------------------------------


class ArticleCategory(BilingualNameModel):
    """A configurable grouping of articles (procedures, rights, misconceptions…)."""

    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta(BilingualNameModel.Meta):
        verbose_name = _("article category")
        verbose_name_plural = _("article categories")


class ArticleKind(models.TextChoices):
    FAQ = "faq", _("Frequently asked question")
    SCRIPT = "script", _("Answer script")
    GUIDE = "guide", _("Guide")


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class Article(PublicIdModel, TimeStampedModel):
    kind = models.CharField(_("kind"), max_length=10, choices=ArticleKind.choices)
    category = models.ForeignKey(
        ArticleCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="articles",
    )
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(
        _("question or summary"),
        max_length=1000,
        blank=True,
        help_text=_("The question as people ask it, or one sentence saying what this covers."),
    )
    body = models.TextField(
        _("answer"),
        max_length=20000,
        help_text=_("Plain text an officer can insert into a reply as it is."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    helpful_count = models.PositiveIntegerField(_("helpful votes"), default=0)
    unhelpful_count = models.PositiveIntegerField(_("unhelpful votes"), default=0)
    view_count = models.PositiveIntegerField(_("views"), default=0)
    use_count = models.PositiveIntegerField(
        _("times used in replies"),
        default=0,
        help_text=_("How often officers inserted this answer into a reply."),
    )

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-updated_at"]
        indexes = [
            # Search reads the most used published articles first (knowledge.selectors).
            models.Index(fields=["status", "-use_count"], name="article_popular_idx"),
            models.Index(fields=["category", "status"], name="article_category_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="article_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:article_detail", args=[self.public_id])

    @property
    def is_published(self) -> bool:
        return self.status == ArticleStatus.PUBLISHED


class TokenField(models.IntegerChoices):
    """Where a word occurs; a larger value ranks higher (title first)."""

    BODY = 1, _("answer")
    SUMMARY = 2, _("question or summary")
    TITLE = 3, _("title")


class ArticleToken(models.Model):
    """One row per normalised word of an article, in the best field it occurs in.

    Rebuilt by knowledge.services on every save. `token` compares by code point (COLLATE "C"
    on PostgreSQL, see migration 0002) so core.db.prefix_q is an index range. Two indexes
    serve search (knowledge.selectors): (token, field, article) finds the articles of a word
    prefix, and of its title words, from the index alone; (article, token) checks whether an
    article has a word and keeps one row per word and article.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+", db_index=False)
    token = models.CharField(max_length=60)
    field = models.PositiveSmallIntegerField(choices=TokenField.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "token"], name="unique_article_token")
        ]
        indexes = [
            models.Index(fields=["token", "field", "article"], name="article_token_lookup_idx")
        ]

    def __str__(self) -> str:
        return self.token


class ArticleVote(models.Model):
    """Helpful or not: one vote per staff member, or per browser session for the public."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    session_key = models.CharField(max_length=40, blank=True)
    helpful = models.BooleanField(_("helpful"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("article vote")
        verbose_name_plural = _("article votes")
        constraints = [
            models.CheckConstraint(
                condition=(Q(voter__isnull=False) & Q(session_key=""))
                | (Q(voter__isnull=True) & ~Q(session_key="")),
                name="article_vote_one_voter",
            ),
            models.UniqueConstraint(
                fields=["article", "voter"],
                condition=Q(voter__isnull=False),
                name="unique_article_vote_user",
            ),
            models.UniqueConstraint(
                fields=["article", "session_key"],
                condition=Q(voter__isnull=True),
                name="unique_article_vote_session",
            ),
        ]

    # --- Policy registry ----------------------------------------------------------------------

    def __str__(self) -> str:
        return f"{self.article_id}: {'+' if self.helpful else '-'}"


class PolicyKind(models.TextChoices):
    BYLAWS = "bylaws", _("Basic bylaws")
    RESEARCH_GUIDE = "research_guide", _("Social research services guide")
    SUPPORT_POLICY = "support_policy", _("Beneficiary support policy guide")
    RELATIONS_POLICY = "relations_policy", _("Beneficiary relations policy")
    OTHER = "other", _("Other policy or guide")


class PolicyDocument(PublicIdModel, TimeStampedModel):
    """A policy or guide the organisation keeps under review (P1, P5). Its text lives in
    versions; at most one version is in force at a time."""

    kind = models.CharField(_("kind"), max_length=20, choices=PolicyKind.choices)
    title = models.CharField(_("title"), max_length=200)
    audience = models.CharField(
        _("audience"),
        max_length=10,
        choices=Audience.choices,
        help_text=_(
            "Public documents may be shown to beneficiaries; staff documents are internal."
        ),
    )
    description = models.TextField(_("description"), max_length=2000, blank=True)
    next_review_date = models.DateField(
        _("next review date"),
        null=True,
        blank=True,
        help_text=_("Managers are reminded by e-mail before this date and on it."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty for the records loaded at installation."),
    )

    class Meta:
        verbose_name = _("policy document")
        verbose_name_plural = _("policy documents")
        ordering = ["kind", "title"]
        indexes = [models.Index(fields=["next_review_date"], name="policy_review_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:policy_detail", args=[self.public_id])


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("In force")
    SUPERSEDED = "superseded", _("Superseded")


class PolicyVersion(PublicIdModel, TimeStampedModel):
    """One version of a policy: its text or file, what changed, and its approval record.

    The approval date is stored Gregorian and shown in both calendars. `status` is assigned
    in knowledge.services only: approving a version supersedes the one in force, and the
    database allows one version in force per document.
    """

    document = models.ForeignKey(
        PolicyDocument,
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="versions",
    )
    number = models.PositiveIntegerField(_("number"))
    label = models.CharField(
        _("version label"),
        max_length=40,
        blank=True,
        help_text=_("As the document names itself, e.g. 2.1 or «الإصدار الثاني». Optional."),
    )
    text = models.TextField(_("text"), blank=True)
    file = models.FileField(
        _("file (PDF)"), storage=PrivateStorage(), upload_to="policies/%Y/", blank=True
    )
    file_size = models.PositiveIntegerField(null=True, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    changes_summary = models.TextField(_("summary of changes"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    approving_body = models.CharField(_("approving body"), max_length=150, blank=True)
    meeting_number = models.CharField(_("meeting number"), max_length=30, blank=True)
    approval_date = models.DateField(_("approval date"), null=True, blank=True)
    effective_date = models.DateField(_("effective date"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("policy version")
        verbose_name_plural = _("policy versions")
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="unique_policy_version"),
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(status="approved"),
                name="one_policy_version_in_force",
            ),
            models.CheckConstraint(
                condition=~Q(text="") | ~Q(file=""), name="policy_version_has_content"
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | (
                    ~Q(approving_body="")
                    & Q(approval_date__isnull=False)
                    & Q(effective_date__isnull=False)
                ),
                name="policy_version_approval_recorded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document} — {self.display_label}"

    @property
    def display_label(self) -> str:
        return self.label or str(self.number)

    @property
    def is_in_force(self) -> bool:
        return self.status == VersionStatus.APPROVED


class PolicyAcknowledgement(models.Model):
    """A staff member confirmed having read a version (once per person and version)."""

    version = models.ForeignKey(
        PolicyVersion, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    acknowledged_at = models.DateTimeField(_("acknowledged at"), default=timezone.now)

    class Meta:
        verbose_name = _("read acknowledgement")
        verbose_name_plural = _("read acknowledgements")
        constraints = [
            models.UniqueConstraint(fields=["version", "user"], name="unique_policy_ack")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.version_id}"


class ReminderStage(models.TextChoices):
    UPCOMING = "upcoming", _("Review coming up")
    DUE = "due", _("Review due")


class PolicyReviewReminder(models.Model):
    """A review reminder that went out: the unique row makes the daily task send each
    reminder once, however often it runs."""

    document = models.ForeignKey(PolicyDocument, on_delete=models.CASCADE, related_name="+")
    review_date = models.DateField()
    stage = models.CharField(max_length=10, choices=ReminderStage.choices)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["document", "review_date", "stage"], name="unique_policy_reminder"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document_id} {self.review_date} {self.stage}"
