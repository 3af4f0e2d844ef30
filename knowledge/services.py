"""Every write to the knowledge base and the policy registry.

Each service checks the actor's permission, runs in one transaction, validates with
`full_clean()` and appends an activity-log row (core.activity) with a dotted action code.
Article status is assigned here only; the search index (ArticleToken) is rebuilt here on
every save of an article.
"""

from __future__ import annotations

from datetime import date, timedelta
from uuid import uuid4

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.activity import log_action
from core.files import InspectedFile, inspect_upload
from core.hijri import format_dual
from core.text import normalize_digits, search_tokens
from knowledge import permissions
from knowledge.models import (
    Article,
    ArticleStatus,
    ArticleToken,
    ArticleVote,
    PolicyAcknowledgement,
    PolicyDocument,
    PolicyReviewReminder,
    PolicyVersion,
    ReminderStage,
    TokenField,
    VersionStatus,
)
from knowledge.selectors import STOPWORDS

ARTICLE_FIELDS = ("kind", "category", "audience", "title", "summary", "body")


# --- Knowledge base -----------------------------------------------------------------------


def _article_tokens(article: Article) -> dict[str, int]:
    """Each indexed word with the best field it occurs in (title beats summary beats body).

    Common words are indexed in titles only: a title such as «من نحن» stays findable, and the
    body, where they are most of the words, stays small in the index."""
    best: dict[str, int] = {}
    for field, text in (
        (TokenField.BODY, article.body),
        (TokenField.SUMMARY, article.summary),
        (TokenField.TITLE, article.title),
    ):
        for token in search_tokens(text):
            if len(token) < 2 or (token in STOPWORDS and field != TokenField.TITLE):
                continue
            best[token[:60]] = max(best.get(token[:60], 0), int(field))
    return best


def article_reindex(article: Article) -> None:
    """Replace the article's search words. Called inside the saving service's transaction."""
    ArticleToken.objects.filter(article=article).delete()
    ArticleToken.objects.bulk_create(
        ArticleToken(article=article, token=token, field=field)
        for token, field in _article_tokens(article).items()
    )


def article_create(*, actor, publish: bool = False, **fields) -> Article:
    """A new article, as a draft unless a publisher publishes it at once. Logs
    `knowledge.article.created` (and `.published`)."""
    if not permissions.can_write_articles(actor):
        raise PermissionDenied
    if publish and not permissions.can_publish_articles(actor):
        raise PermissionDenied
    article = Article(author=actor, **{k: fields[k] for k in ARTICLE_FIELDS if k in fields})
    if publish:
        article.status = ArticleStatus.PUBLISHED
        article.published_at = timezone.now()
    article.full_clean()
    with transaction.atomic():
        article.save()
        article_reindex(article)
        log_action(
            actor=actor,
            action="knowledge.article.created",
            target=article,
            data={"title": article.title},
        )
        if publish:
            log_action(
                actor=actor,
                action="knowledge.article.published",
                target=article,
                data={"title": article.title},
            )
    return article


def article_update(*, actor, article: Article, **fields) -> Article:
    """Edit the text and classification (not the status). Logs `knowledge.article.updated`
    with the names of the changed fields."""
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        if not permissions.can_edit_article(actor, article):
            raise PermissionDenied
        changed = []
        for name in ARTICLE_FIELDS:
            if name in fields and getattr(article, name) != fields[name]:
                setattr(article, name, fields[name])
                changed.append(name)
        if not changed:
            return article
        article.full_clean()
        article.save()
        article_reindex(article)
        log_action(
            actor=actor,
            action="knowledge.article.updated",
            target=article,
            data={"title": article.title, "fields": changed},
        )
    return article


_ARTICLE_MOVES = {
    ArticleStatus.DRAFT: {ArticleStatus.PUBLISHED, ArticleStatus.ARCHIVED},
    ArticleStatus.PUBLISHED: {ArticleStatus.ARCHIVED, ArticleStatus.DRAFT},
    ArticleStatus.ARCHIVED: {ArticleStatus.PUBLISHED, ArticleStatus.DRAFT},
}


def article_set_status(*, actor, article: Article, status: str) -> Article:
    """Publish, archive or withdraw to draft (publishers only). Logs
    `knowledge.article.<published|archived|drafted>`."""
    if not permissions.can_publish_articles(actor):
        raise PermissionDenied
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        if status not in _ARTICLE_MOVES.get(article.status, set()):
            raise ValidationError(_("This article cannot move to that status."), code="status")
        article.status = status
        if status == ArticleStatus.PUBLISHED:
            article.published_at = timezone.now()
        article.full_clean()
        article.save(update_fields=["status", "published_at", "updated_at"])
        action = {
            ArticleStatus.PUBLISHED: "published",
            ArticleStatus.ARCHIVED: "archived",
            ArticleStatus.DRAFT: "drafted",
        }[status]
        log_action(
            actor=actor,
            action=f"knowledge.article.{action}",
            target=article,
            data={"title": article.title},
        )
    return article


def article_used(*, actor, article: Article) -> None:
    """An officer inserted this answer into a reply: count it and log
    `knowledge.article.used`. Only published articles the actor may see can be used."""
    if not permissions.is_staff_member(actor):
        raise PermissionDenied
    if not article.is_published:
        raise ValidationError(_("Only a published article can be used in a reply."))
    with transaction.atomic():
        Article.objects.filter(pk=article.pk).update(use_count=F("use_count") + 1)
        log_action(
            actor=actor,
            action="knowledge.article.used",
            target=article,
            data={"title": article.title},
        )


def article_viewed(*, article: Article) -> None:
    """Count a reading of the article page. Not logged: articles hold no personal data, and a
    row per reading would drown the log."""
    Article.objects.filter(pk=article.pk).update(view_count=F("view_count") + 1)


def article_vote(*, actor, article: Article, helpful: bool, session_key: str = "") -> ArticleVote:
    """Record a helpful/unhelpful vote: one per staff member, or per session for the public.
    Voting again changes the vote and moves the count. Logs `knowledge.article.voted` for
    staff votes (public votes are anonymous)."""
    if not article.is_published:
        raise ValidationError(_("Only a published article can be rated."))
    staff = permissions.is_staff_member(actor)
    if not staff and not session_key:
        raise ValidationError(_("Your session has expired; reload the page and try again."))
    if staff:
        who = {"voter": actor, "session_key": ""}
    else:
        who = {"voter": None, "session_key": session_key}
    with transaction.atomic():
        # Lock the article so two votes at once cannot both read the old counts.
        Article.objects.select_for_update().filter(pk=article.pk).first()
        vote = ArticleVote.objects.filter(article=article, **who).first()
        previous = None if vote is None else vote.helpful
        if previous is helpful:
            return vote
        if vote is None:
            vote = ArticleVote(article=article, helpful=helpful, **who)
        vote.helpful = helpful
        vote.full_clean()
        vote.save()
        counts = {}
        if previous is not None:
            name = "helpful_count" if previous else "unhelpful_count"
            counts[name] = F(name) - 1
        name = "helpful_count" if helpful else "unhelpful_count"
        counts[name] = F(name) + 1
        Article.objects.filter(pk=article.pk).update(**counts)
        if staff:
            log_action(
                actor=actor,
                action="knowledge.article.voted",
                target=article,
                data={"title": article.title, "helpful": helpful},
            )
    return vote


# --- Policy registry ----------------------------------------------------------------------

DOCUMENT_FIELDS = ("kind", "title", "audience", "description", "next_review_date")


def _require_manager(actor) -> None:
    if not permissions.can_manage_policies(actor):
        raise PermissionDenied


def one_year_after(day: date) -> date:
    """The same day a year later (28 February for 29 February): the default review date."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def policy_create(*, actor, **fields) -> PolicyDocument:
    """A new policy or guide in the registry, without a version yet (managers). Logs
    `knowledge.policy.created`."""
    _require_manager(actor)
    document = PolicyDocument(
        created_by=actor, **{k: fields[k] for k in DOCUMENT_FIELDS if k in fields}
    )
    document.full_clean()
    with transaction.atomic():
        document.save()
        log_action(
            actor=actor,
            action="knowledge.policy.created",
            target=document,
            data={"title": document.title},
        )
    return document


def policy_update(*, actor, document: PolicyDocument, **fields) -> PolicyDocument:
    """Change the title, kind, audience, description or next review date (managers). Logs
    `knowledge.policy.updated` with the changed fields."""
    _require_manager(actor)
    with transaction.atomic():
        document = PolicyDocument.objects.select_for_update().get(pk=document.pk)
        changed = []
        for name in DOCUMENT_FIELDS:
            if name in fields and getattr(document, name) != fields[name]:
                setattr(document, name, fields[name])
                changed.append(name)
        if not changed:
            return document
        document.full_clean()
        document.save()
        log_action(
            actor=actor,
            action="knowledge.policy.updated",
            target=document,
            data={"title": document.title, "fields": changed},
        )
    return document


def _check_pdf(upload) -> InspectedFile:
    try:
        inspected = inspect_upload(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    if inspected.content_type != "application/pdf":
        raise ValidationError(
            {"file": _("Policies are kept as PDF files; this file is a photo.")}, code="not_pdf"
        )
    return inspected


def policy_version_add(
    *,
    actor,
    document: PolicyDocument,
    text: str = "",
    file=None,
    label: str = "",
    changes_summary: str = "",
) -> PolicyVersion:
    """A draft version with its text and/or a PDF (checked by content, stored privately).
    Managers only. Numbered after the document's last version. Logs
    `knowledge.policy.version_added`."""
    _require_manager(actor)
    text = (text or "").strip()
    if not text and not file:
        raise ValidationError(
            {"text": _("Write the text of this version or attach its PDF.")}, code="empty"
        )
    inspected = _check_pdf(file) if file else None
    with transaction.atomic():
        # Lock the document so two managers adding versions at once get distinct numbers.
        document = PolicyDocument.objects.select_for_update().get(pk=document.pk)
        last = document.versions.aggregate(n=Max("number"))["n"] or 0
        version = PolicyVersion(
            document=document,
            number=last + 1,
            label=label.strip(),
            text=text,
            changes_summary=changes_summary.strip(),
            created_by=actor,
        )
        if inspected:
            version.file_size = inspected.size
            version.file_sha256 = inspected.sha256
            version.file.save(f"{uuid4().hex}.{inspected.extension}", file, save=False)
        try:
            version.full_clean(exclude=["file"])
            version.save()
        except Exception:
            # The row was not written: do not leave its file behind in private storage.
            if version.file:
                version.file.delete(save=False)
            raise
        log_action(
            actor=actor,
            action="knowledge.policy.version_added",
            target=version,
            subject=document,
            data={"title": document.title, "version": version.display_label},
        )
    return version


def policy_version_approve(
    *,
    actor,
    version: PolicyVersion,
    approving_body: str,
    approval_date: date,
    effective_date: date,
    meeting_number: str = "",
    next_review_date: date | None = None,
) -> PolicyVersion:
    """Record the approval of a draft (managers): who approved it, at which meeting, when,
    and from when it applies. The version in force, if any, becomes superseded in the same
    transaction; the document's next review date is set (by default a year after the
    effective date). Logs `knowledge.policy.version_approved` (and `.version_superseded`)."""
    _require_manager(actor)
    errors = {}
    if approval_date and approval_date > timezone.localdate():
        errors["approval_date"] = _("The approval date cannot be in the future.")
    if approval_date and effective_date and effective_date < approval_date:
        errors["effective_date"] = _("A version cannot apply before it was approved.")
    next_review_date = next_review_date or (
        one_year_after(effective_date) if effective_date else None
    )
    if next_review_date and effective_date and next_review_date <= effective_date:
        errors["next_review_date"] = _("The next review must come after the effective date.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        document = PolicyDocument.objects.select_for_update().get(pk=version.document_id)
        version = PolicyVersion.objects.select_for_update().get(pk=version.pk)
        if version.status != VersionStatus.DRAFT:
            raise ValidationError(_("Only a draft version can be approved."), code="status")
        current = document.versions.filter(status=VersionStatus.APPROVED).first()
        if current is not None and current.number > version.number:
            raise ValidationError(
                _("Version %(current)s, which is newer, is already in force.")
                % {"current": current.display_label},
                code="older",
            )
        if current is not None:
            current.status = VersionStatus.SUPERSEDED
            current.save(update_fields=["status", "updated_at"])
            log_action(
                actor=actor,
                action="knowledge.policy.version_superseded",
                target=current,
                subject=document,
                data={"title": document.title, "version": current.display_label},
            )
        version.status = VersionStatus.APPROVED
        version.approving_body = approving_body.strip()
        version.meeting_number = normalize_digits(meeting_number or "").strip()
        version.approval_date = approval_date
        version.effective_date = effective_date
        version.approved_by = actor
        version.approved_at = timezone.now()
        version.full_clean(exclude=["file"])
        version.save()
        document.next_review_date = next_review_date
        document.save(update_fields=["next_review_date", "updated_at"])
        log_action(
            actor=actor,
            action="knowledge.policy.version_approved",
            target=version,
            subject=document,
            data={
                "title": document.title,
                "version": version.display_label,
                "body": version.approving_body,
                "meeting": version.meeting_number,
                "date": format_dual(approval_date),
            },
        )
    return version


def policy_acknowledge(*, actor, version: PolicyVersion) -> PolicyAcknowledgement:
    """A staff member confirms having read the version in force. A second confirmation
    changes nothing. Logs `knowledge.policy.acknowledged` once."""
    if not permissions.is_staff_member(actor):
        raise PermissionDenied
    if not version.is_in_force:
        raise ValidationError(_("Only the version in force can be acknowledged."))
    with transaction.atomic():
        ack, created = PolicyAcknowledgement.objects.get_or_create(version=version, user=actor)
        if created:
            log_action(
                actor=actor,
                action="knowledge.policy.acknowledged",
                target=version,
                subject=version.document,
                data={"title": version.document.title, "version": version.display_label},
            )
    return ack


def policy_file_opened(*, actor, version: PolicyVersion, download: bool = False) -> None:
    """Log that someone viewed or downloaded a version's file
    (`knowledge.policy.file_viewed` / `.file_downloaded`). The caller has already checked
    the reader may see it."""
    log_action(
        actor=actor,
        action="knowledge.policy.file_downloaded" if download else "knowledge.policy.file_viewed",
        target=version,
        subject=version.document,
        data={"title": version.document.title, "version": version.display_label},
    )


def review_reminder_days() -> int:
    return int(settings.MUSTAFID.get("POLICY_REVIEW_REMINDER_DAYS", 30))


def policy_review_reminders(*, today: date | None = None) -> int:
    """E-mail the managers about policies due for review; run daily.

    Two reminders per review date: one when it is `POLICY_REVIEW_REMINDER_DAYS` days away or
    less (template `policy.review_upcoming`), one on the date or, if the worker missed that
    day, the first run after it (`policy.review_due`). Each is sent once: the reminder row is
    claimed by a unique constraint before anything is queued, and every e-mail carries an
    idempotency key. Who is notified: active managers with an e-mail address. Logs
    `knowledge.policy.review_reminded` on the document. Returns the reminders sent.
    """
    from accounts.models import Role, User
    from notify import services as notify

    today = today or timezone.localdate()
    horizon = today + timedelta(days=review_reminder_days())
    documents = PolicyDocument.objects.filter(
        next_review_date__isnull=False, next_review_date__lte=horizon
    ).order_by("next_review_date", "pk")
    managers = list(User.objects.filter(role=Role.MANAGER, is_active=True).exclude(email=""))
    sent = 0
    for document in documents:
        stage = ReminderStage.DUE if document.next_review_date <= today else ReminderStage.UPCOMING
        with transaction.atomic():
            _reminder, created = PolicyReviewReminder.objects.get_or_create(
                document=document, review_date=document.next_review_date, stage=stage
            )
            if not created:
                continue
            current = document.versions.filter(status=VersionStatus.APPROVED).first()
            url = settings.SITE_URL.rstrip("/") + document.get_absolute_url()
            context = {
                "title": document.title,
                "review_date": format_dual(document.next_review_date),
                "version": current.display_label if current else "—",
                "approval_date": format_dual(current.approval_date) if current else "—",
                "url": url,
            }
            code = f"policy.review_{stage}"
            for manager in managers:
                notify.message_enqueue(
                    channel="email",
                    recipient=manager.email,
                    template_code=code,
                    context=context,
                    idempotency_key=(
                        f"{code}:{document.pk}:{document.next_review_date.isoformat()}:{manager.pk}"
                    ),
                    about=document,
                )
            log_action(
                actor=None,
                action="knowledge.policy.review_reminded",
                target=document,
                data={
                    "title": document.title,
                    "date": format_dual(document.next_review_date),
                    "count": len(managers),
                },
            )
            sent += 1
    return sent
