"""Reads of the knowledge base and the policy registry, always scoped to the reader.

Staff (any signed-in user with a role) see public and staff articles; anyone else — the
public portal passes `user=None` — sees public ones only. Drafts and archived articles are
opened only by those who may write articles, and never found by `article_search`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404

from accounts.models import Role, User
from core.db import prefix_q
from core.text import normalize_arabic
from knowledge import permissions
from knowledge.models import (
    Article,
    ArticleStatus,
    ArticleToken,
    ArticleVote,
    Audience,
    PolicyAcknowledgement,
    PolicyDocument,
    PolicyVersion,
    TokenField,
    VersionStatus,
)

MIN_TOKEN_LENGTH = 2
ARTICLE = "ال"
# Articles scored for one query. A word found in more articles than this is «common»
# (see _candidate_ids).
CANDIDATES = 300
MAX_QUERY_TOKENS = 6

# Words that occur in nearly every answer («how», «what», «in», «from»…). They are neither
# indexed nor searched: as prefixes they would match half the base and rank nothing. Written
# in their normalised form (core.text.normalize_arabic).
STOPWORDS = frozenset(
    # One string is easier to read and extend than seventy quoted words.
    """
    في من الي علي عن مع او ثم ان انه انها ما ماذا هل كيف متي اين لماذا كم هو هي هم هذا هذه
    ذلك تلك التي الذي الذين كان كانت يكون تكون قد لا لم لن كل بعد قبل عند اذا لكن بل حتي
    اي ايضا وهو وهي وفي ومن به بها له لها لهم عليه عليها منه منها فيه فيها
    """.split()  # noqa: SIM905
)


def audiences_for(user) -> list[str]:
    if permissions.is_staff_member(user):
        return [Audience.PUBLIC, Audience.STAFF]
    return [Audience.PUBLIC]


def articles_for(user) -> QuerySet[Article]:
    """Every article the user may open: published ones in their audiences, and, for those who
    may write articles, drafts and archived ones too."""
    qs = Article.objects.all()
    allowed = audiences_for(user)
    if len(allowed) < len(Audience.values):
        qs = qs.filter(audience__in=allowed)
    if not permissions.can_write_articles(user):
        qs = qs.filter(status=ArticleStatus.PUBLISHED)
    return qs


def published_articles_for(user, *, audience: str | None = None) -> QuerySet[Article]:
    qs = Article.objects.filter(status=ArticleStatus.PUBLISHED)
    allowed = audiences_for(user)
    if audience:
        if audience not in allowed:
            return Article.objects.none()
        qs = qs.filter(audience=audience)
    elif len(allowed) < len(Audience.values):
        # Filtered only when it excludes something: «audience IN (every value)» would keep
        # the planner from reading the popularity index in order (article_popular_idx).
        qs = qs.filter(audience__in=allowed)
    return qs


def article_get(user, public_id, *, include_drafts: bool = False) -> Article:
    """A published article the user may read (and so insert into a reply), else 404: the
    public learn nothing of staff articles. With `include_drafts`, the knowledge-base
    screens also open drafts and archived articles for those who may write articles."""
    qs = articles_for(user) if include_drafts else published_articles_for(user)
    try:
        return qs.select_related("category", "author").get(public_id=public_id)
    except (Article.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc


def vote_of(user, article: Article, *, session_key: str = "") -> bool | None:
    """The reader's current vote on the article (True helpful, False not), or None."""
    if permissions.is_staff_member(user):
        votes = ArticleVote.objects.filter(article=article, voter=user)
    elif session_key:
        votes = ArticleVote.objects.filter(article=article, voter=None, session_key=session_key)
    else:
        return None
    return votes.values_list("helpful", flat=True).first()


def query_tokens(raw: str) -> list[str]:
    """The words of a search box worth looking up, longest first, at most six.

    «ال» is dropped from a word, as the index holds every word with and without it
    (core.text.search_tokens): «المستفيد» then also finds «مستفيد». Common words are
    dropped unless nothing else was typed.
    """
    words: list[str] = []
    common: list[str] = []
    for word in normalize_arabic((raw or "")[:200]).split():
        if word in STOPWORDS:
            common.append(word)
            continue
        if word.startswith(ARTICLE) and len(word) > 4:
            word = word[len(ARTICLE) :]
        if len(word) >= MIN_TOKEN_LENGTH and word not in words:
            words.append(word)
    # A query made only of common words («من نحن») still searches them rather than nothing;
    # titles index them (knowledge.services._article_tokens).
    words = words or list(dict.fromkeys(common))
    return sorted(words, key=len, reverse=True)[:MAX_QUERY_TOKENS]


def _candidate_ids(qs: QuerySet[Article], tokens: list[str], ranges: dict) -> set[int]:
    """Articles that may match, at most about 2 × CANDIDATES of them, read from the index.

    If one word is rare enough, every article holding it — so no match is missed. If every
    word is common (thousands of articles each), scoring them all would take too long: the
    candidates are then the articles with the rarest word in their title and the most used
    articles that hold every word.
    """
    counts = {t: ArticleToken.objects.filter(ranges[t])[: CANDIDATES + 1].count() for t in tokens}
    rarest = min(tokens, key=counts.__getitem__)
    by_rarest = ArticleToken.objects.filter(ranges[rarest])
    if counts[rarest] <= CANDIDATES:
        return set(by_rarest.values_list("article_id", flat=True))
    in_title = by_rarest.filter(field=TokenField.TITLE).values_list("article_id", flat=True)
    having_all = (
        qs.filter(
            *[
                Exists(ArticleToken.objects.filter(ranges[t], article_id=OuterRef("pk")))
                for t in tokens
            ]
        )
        .order_by("-use_count", "-pk")
        .values_list("pk", flat=True)
    )
    return set(in_title[:CANDIDATES]) | set(having_all[:CANDIDATES])


def _ranked_ids(qs: QuerySet[Article], tokens: list[str], limit: int) -> list[int]:
    """Ids of the articles in `qs` where every word begins some indexed word, best first.

    Each typed word is a B-tree range of the token index (core.db.prefix_q). For each
    candidate article, the best place each word occurs is read — title, summary, then body,
    an exact word before a longer one — with one query per word that seeks (article, word
    range) in the index. Articles with more words in the title come first, then the best
    total, then the most used. Nothing of the article body is scanned, and the work is
    bounded whatever the size of the base (bench/contact.py).
    """
    ranges = {t: prefix_q("token", t) for t in tokens}
    candidates = _candidate_ids(qs, tokens, ranges)
    if not candidates:
        return []
    popularity = dict(qs.filter(pk__in=candidates).order_by().values_list("pk", "use_count"))
    best = {pk: [0] * len(tokens) for pk in popularity}
    for i, token in enumerate(tokens):
        rows = ArticleToken.objects.filter(ranges[token], article_id__in=popularity)
        for pk, word, field in rows.values_list("article_id", "token", "field"):
            # 2 × field, +1 for the exact word: body prefix 2 … title exact 7.
            best[pk][i] = max(best[pk][i], 2 * field + (word == token))
    title_floor = 2 * TokenField.TITLE
    ranked = sorted(
        (
            (-sum(p >= title_floor for p in places), -sum(places), -popularity[pk], -pk),
            pk,
        )
        for pk, places in best.items()
        if all(places)
    )
    return [pk for _key, pk in ranked[:limit]]


def ranked_article_ids(qs: QuerySet[Article], query: str, *, limit: int) -> list[int]:
    """Ids of the articles of `qs` matching `query`, best first (empty for an empty query).
    `qs` must already be scoped to the reader (articles_for, published_articles_for)."""
    tokens = query_tokens(query)
    return _ranked_ids(qs, tokens, limit) if tokens else []


def article_search(
    user, query: str, *, audience: str | None = None, limit: int = 10
) -> list[Article]:
    """Published articles the user may see that match `query` in any spelling, best first.

    Staff see public and staff articles, `user=None` (the public) public ones; `audience`
    narrows to one of them. Title matches rank first. An empty query returns the answers
    officers use most, so an insert box is useful before anything is typed.
    """
    qs = published_articles_for(user, audience=audience)
    if not query_tokens(query):
        return list(qs.select_related("category").order_by("-use_count", "-updated_at")[:limit])
    ids = ranked_article_ids(qs, query, limit=limit)
    by_id = qs.select_related("category").in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


# --- Policy registry ----------------------------------------------------------------------


def documents_for(user) -> QuerySet[PolicyDocument]:
    """Staff see every document; the public only public ones that have a version in force."""
    qs = PolicyDocument.objects.all()
    if not permissions.is_staff_member(user):
        qs = qs.filter(
            audience=Audience.PUBLIC,
            versions__status=VersionStatus.APPROVED,
        )
    return qs


def document_get(user, public_id) -> PolicyDocument:
    try:
        return documents_for(user).get(public_id=public_id)
    except (PolicyDocument.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc


def versions_for(user, document: PolicyDocument | None = None) -> QuerySet[PolicyVersion]:
    """Versions the user may read: drafts are for the registry's managers only."""
    qs = PolicyVersion.objects.filter(document__in=documents_for(user))
    if document is not None:
        qs = qs.filter(document=document)
    if not permissions.can_manage_policies(user):
        qs = qs.exclude(status=VersionStatus.DRAFT)
    return qs


def version_get(user, public_id) -> PolicyVersion:
    try:
        return versions_for(user).select_related("document", "approved_by").get(public_id=public_id)
    except (PolicyVersion.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc


def policy_list(user) -> list[PolicyDocument]:
    """The registry with each document's version in force (`current`) and whether the user
    has acknowledged it (`acknowledged`), in three queries whatever the number of documents."""
    documents = list(
        documents_for(user)
        .distinct()
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=PolicyVersion.objects.filter(status=VersionStatus.APPROVED),
                to_attr="in_force",
            )
        )
    )
    current_ids = [d.in_force[0].pk for d in documents if d.in_force]
    acknowledged = set()
    if permissions.is_staff_member(user) and current_ids:
        acknowledged = set(
            PolicyAcknowledgement.objects.filter(user=user, version_id__in=current_ids).values_list(
                "version_id", flat=True
            )
        )
    for d in documents:
        d.current = d.in_force[0] if d.in_force else None
        d.acknowledged = d.current is not None and d.current.pk in acknowledged
    return documents


def policy_detail(user, document: PolicyDocument) -> dict:
    """What the document page shows: its versions (newest first), the one in force, whether
    the user acknowledged it, and how many staff did."""
    versions = list(
        versions_for(user, document).select_related("approved_by", "created_by").order_by("-number")
    )
    current = next((v for v in versions if v.is_in_force), None)
    acknowledgement = None
    ack_count = 0
    if current is not None:
        if permissions.is_staff_member(user):
            acknowledgement = PolicyAcknowledgement.objects.filter(
                version=current, user=user
            ).first()
        ack_count = current.acknowledgements.count()
    return {
        "document": document,
        "versions": versions,
        "current": current,
        "acknowledgement": acknowledgement,
        "ack_count": ack_count,
    }


@dataclass
class RoleAcknowledgements:
    role: str
    label: str
    acknowledged: list  # (user, acknowledged_at)
    pending: list  # users

    @property
    def total(self) -> int:
        return len(self.acknowledged) + len(self.pending)


def acknowledgement_report(user, document: PolicyDocument) -> tuple[PolicyVersion | None, list]:
    """Who has read the version in force and who has not, grouped by role (managers only).
    Two queries: the active staff, and the acknowledgements of that version."""
    if not permissions.can_manage_policies(user):
        raise PermissionDenied
    current = document.versions.filter(status=VersionStatus.APPROVED).first()
    if current is None:
        return None, []
    acked = dict(
        PolicyAcknowledgement.objects.filter(version=current).values_list(
            "user_id", "acknowledged_at"
        )
    )
    staff = User.objects.filter(is_active=True).exclude(role="").order_by("full_name", "username")
    groups = {role: RoleAcknowledgements(role, label, [], []) for role, label in Role.choices}
    for member in staff:
        group = groups.get(member.role)
        if group is None:
            continue
        if member.pk in acked:
            group.acknowledged.append((member, acked[member.pk]))
        else:
            group.pending.append(member)
    return current, [g for g in groups.values() if g.total]


# --- The public portal ----------------------------------------------------------------------


def public_categories() -> list:
    """The active categories that hold at least one published public article, in their
    order (the portal's category links: an empty or staff-only category is not offered)."""
    from knowledge.models import ArticleCategory

    return list(
        ArticleCategory.objects.filter(is_active=True)
        .filter(
            Exists(
                Article.objects.filter(
                    category_id=OuterRef("pk"),
                    status=ArticleStatus.PUBLISHED,
                    audience=Audience.PUBLIC,
                )
            )
        )
        .order_by("sort_order", "name_ar")
    )


def public_articles(*, query: str = "", category=None, limit: int = 50) -> list[Article]:
    """Published public articles for the portal: matching `query` (best first, through the
    same ranking as `article_search`), optionally in one category; without a query, the
    category's articles (or the most read ones) by popularity. Never a draft, an archived
    or a staff article: everything starts from `published_articles_for(None)`."""
    qs = published_articles_for(None)
    if category is not None:
        qs = qs.filter(category=category)
    if query_tokens(query):
        if category is None:
            return article_search(None, query, limit=limit)
        ids = ranked_article_ids(qs, query, limit=limit)
        by_id = qs.select_related("category").in_bulk(ids)
        return [by_id[pk] for pk in ids if pk in by_id]
    return list(qs.select_related("category").order_by("-view_count", "-use_count", "-pk")[:limit])
