"""Reads of the registry, always scoped to the acting user.

A user tied to a branch sees that branch's beneficiaries only; anyone else who may read the
registry sees all. Everything a view shows about a beneficiary is loaded here, in a fixed
number of queries whatever the size of the data.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from accounts import permissions
from beneficiaries.models import Beneficiary, Document, NameToken
from core import activity
from core.db import prefix_q
from core.text import name_key, normalize_arabic, normalize_digits, part_key
from core.validators import normalize_saudi_mobile

SEARCH_CANDIDATES = 500  # rows ranked in Python for one query; the page shows the best
MIN_TOKEN_LENGTH = 2


def beneficiaries_for(user) -> QuerySet[Beneficiary]:
    if not permissions.can_view_registry(user):
        return Beneficiary.objects.none()
    qs = Beneficiary.objects.all()
    if user.branch_id:
        qs = qs.filter(branch_id=user.branch_id)
    return qs


def beneficiary_get(user, public_id) -> Beneficiary:
    """The beneficiary if the user may see it, else 404 (outsiders learn nothing)."""
    try:
        return (
            beneficiaries_for(user)
            .select_related("branch", "city", "created_by")
            .get(public_id=public_id)
        )
    except (Beneficiary.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def beneficiary_detail(user, beneficiary: Beneficiary) -> dict:
    """Everything the beneficiary page shows, in a fixed number of queries."""
    sensitive = permissions.can_view_sensitive(user)
    members = list(beneficiary.members.all())
    context = {
        "beneficiary": beneficiary,
        "categories": list(beneficiary.categories.all()),
        "members": members,
        "timeline": list(activity.entries_for(beneficiary, limit=50)),
        # Reverse relation of the support-request app; read here so the page stays one
        # selector call (the registry never imports that app).
        "support_requests": list(beneficiary.support_requests.order_by("-created_at")[:20]),
        "can_view_sensitive": sensitive,
    }
    if sensitive:
        by_id = {m.pk: m for m in members}
        incomes = list(beneficiary.incomes.all())
        for income in incomes:
            income.member_cached = by_id.get(income.member_id)
        obligations = list(beneficiary.obligations.all())
        from beneficiaries.models import household_totals

        context |= {
            "incomes": incomes,
            "obligations": obligations,
            "totals": household_totals(beneficiary, members, incomes, obligations),
            "documents": list(
                beneficiary.documents.select_related("doc_type", "member", "uploaded_by")
            ),
            "consents": list(
                beneficiary.consents.select_related("notice", "channel", "recorded_by")
            ),
        }
    return context


def document_get(user, public_id) -> Document:
    """A document the user may open: in scope and the role may see sensitive files."""
    if not permissions.can_view_sensitive(user):
        raise Http404
    try:
        return Document.objects.select_related("beneficiary", "doc_type").get(
            public_id=public_id, beneficiary__in=beneficiaries_for(user)
        )
    except (Document.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


# --- Search -------------------------------------------------------------------------------

_DIGITS_ONLY = re.compile(r"^[+\d][\d\s\-]*$")


@dataclass
class SearchQuery:
    text: str
    tokens: list[str]
    digits: str

    @classmethod
    def parse(cls, raw: str) -> SearchQuery:
        text = normalize_digits((raw or "").strip())[:100]
        if _DIGITS_ONLY.match(text):
            return cls(text=text, tokens=[], digits=re.sub(r"[\s\-]", "", text))
        tokens = [t for t in normalize_arabic(text).split() if len(t) >= MIN_TOKEN_LENGTH][:6]
        return cls(text=text, tokens=tokens, digits="")

    @property
    def is_empty(self) -> bool:
        return not self.tokens and not self.digits


def _matches_by_number(qs: QuerySet, digits: str) -> QuerySet:
    """An identity number or a phone in any format: exact matches on indexed columns."""
    ids = set(qs.filter(id_number=digits.lstrip("+")).values_list("pk", flat=True)[:50])
    try:
        mobile = normalize_saudi_mobile(digits)
    except Exception:
        mobile = None
    if mobile:
        ids.update(qs.filter(mobile=mobile).values_list("pk", flat=True)[:50])
        ids.update(qs.filter(alt_mobile=mobile).values_list("pk", flat=True)[:50])
    return qs.filter(pk__in=ids)


def _name_candidates(user, tokens: list[str], limit: int) -> list[tuple[int, str]]:
    """(pk, name_key) of files where every typed word begins some name part.

    Read from the token index in its own order — the longest word first, the others as
    EXISTS probes — so a common prefix stops after `limit` rows instead of sorting every
    match by date. Exact words sort before longer ones («محمد» before «محمدي»). The branch
    scope is applied to the fetched rows: as a join condition it makes SQLite start from the
    branch index and sort every match (bench/registry.py).
    """
    ordered = sorted(tokens, key=len, reverse=True)
    rows = NameToken.objects.filter(prefix_q("token", ordered[0]))
    for token in ordered[1:]:
        rows = rows.filter(
            Exists(
                NameToken.objects.filter(
                    prefix_q("token", token), beneficiary_id=OuterRef("beneficiary_id")
                )
            )
        )
    rows = rows.order_by("token", "beneficiary_id").values_list(
        "beneficiary_id", "beneficiary__branch_id", "beneficiary__name_key"
    )
    fetched = rows[: limit * 4] if user.branch_id else rows[:limit]
    found: dict[int, str] = {}
    for pk, branch_id, key in fetched:
        if not user.branch_id or branch_id == user.branch_id:
            found.setdefault(pk, key)
    return list(found.items())[:limit]


def _rank(pk: int, key: str, query: SearchQuery) -> tuple:
    parts = key.split()
    exact = sum(1 for t in query.tokens if t in parts)
    starts = key.startswith(" ".join(query.tokens))
    first = bool(query.tokens) and parts[:1] == query.tokens[:1]
    return (-exact, not starts, not first, len(key), pk)


def beneficiary_search(user, raw_query: str, *, limit: int = SEARCH_CANDIDATES) -> list[int]:
    """Ranked beneficiary ids for one search box: name in any spelling, identity or phone."""
    query = SearchQuery.parse(raw_query)
    if query.is_empty or not permissions.can_view_registry(user):
        return []
    if query.digits:
        qs = _matches_by_number(beneficiaries_for(user), query.digits)
        rows = list(qs.values_list("pk", "name_key")[:limit])
    else:
        rows = _name_candidates(user, query.tokens, limit)
    rows.sort(key=lambda row: _rank(row[0], row[1], query))
    return [pk for pk, _key in rows]


# --- Duplicates ---------------------------------------------------------------------------


@dataclass
class DuplicateCandidate:
    beneficiary: Beneficiary
    score: float
    reasons: list[str]
    visible: bool  # whether the acting user may open this file (else it is only named)


def _name_similarity(a: str, b: str) -> float:
    """Part-by-part similarity of two four-part keys.

    Compared part by part rather than as one string: whole-string measures are inflated by the
    shared «عبد» and «ال» prefixes (DESIGN.md §6).
    """
    pa, pb = a.split(), b.split()
    if not pa or not pb:
        return 0.0
    n = max(len(pa), len(pb))
    total = 0.0
    for x, y in zip(pa, pb, strict=False):
        total += 1.0 if x == y else difflib.SequenceMatcher(None, x, y).ratio() * 0.8
    return total / n


def duplicate_candidates(
    user,
    *,
    first_name: str,
    father_name: str,
    grandfather_name: str,
    family_name: str,
    birth_date: date | None,
    mobile: str = "",
    exclude_pk: int | None = None,
    limit: int = 5,
) -> list[DuplicateCandidate]:
    """Files that may be the same person, across every branch.

    Candidates come from three indexed probes (first and family name, birth date and first
    name, mobile) and are scored in Python; a file outside the user's scope is reported without
    a link, so a branch cannot register someone another branch already serves.
    """
    from django.utils.translation import gettext as _

    key = name_key(first_name, father_name, grandfather_name, family_name)
    if not key:
        return []
    # The same keys the service stores, so compound parts («ضيف الله») match themselves.
    first, family = part_key(first_name), part_key(family_name)
    probes = Beneficiary.objects.filter(first_key=first, family_key=family)[:200]
    found: dict[int, Beneficiary] = {b.pk: b for b in probes}
    if birth_date:
        found |= {
            b.pk: b for b in Beneficiary.objects.filter(birth_date=birth_date, first_key=first)[:50]
        }
    if mobile:
        found |= {b.pk: b for b in Beneficiary.objects.filter(mobile=mobile)[:20]}
    found.pop(exclude_pk, None)

    visible_ids = set(beneficiaries_for(user).filter(pk__in=found).values_list("pk", flat=True))
    results = []
    for b in found.values():
        similarity = _name_similarity(key, b.name_key)
        reasons = []
        score = similarity
        if similarity >= 0.999:
            reasons.append(_("same name"))
        elif similarity >= 0.7:
            reasons.append(_("similar name"))
        if birth_date and b.birth_date == birth_date:
            score += 0.5
            reasons.append(_("same birth date"))
        if mobile and mobile in (b.mobile, b.alt_mobile):
            score += 0.5
            reasons.append(_("same mobile"))
        if score >= 0.95 and (similarity >= 0.7 or len(reasons) >= 2):
            results.append(DuplicateCandidate(b, score, reasons, b.pk in visible_ids))
    results.sort(key=lambda c: -c.score)
    if results:
        branches = {
            b.pk: b
            for b in Beneficiary.objects.select_related("branch").filter(
                pk__in=[c.beneficiary.pk for c in results[:limit]]
            )
        }
        for c in results[:limit]:
            c.beneficiary = branches[c.beneficiary.pk]
    return results[:limit]
