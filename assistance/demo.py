"""Demo support requests for `make run`: five months of the request workflow, so the queue, the
committee pages, the overdue list and the manager's dashboard have a history to show.

About forty requests of the demo files, on several channels and aid types, at the head office
and the branches, each taken as far as its stage through the services staff use: intake
(privacy consent, documents into the checklist, the signed declaration), submission,
verification (now and then a question to the applicant), referral to the researcher and the
report, committee meetings with votes (approve, reject, defer), appeal, enrolment and
deliveries, withdrawal and cancellation. So every rule is checked on the way, every move is in
the activity log and every SMS in the outbox, as in real use.

To give the five months their past, each step runs with the clock set to the moment it
happened (`core.demo.clock`): the services then compute the reference, the promised decision
date, the research due date and the decision's time from that moment, exactly as they would
have on the day, and the timelines read in order. Idempotent: a second run finds the first demo
request and adds nothing.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from assistance import committee, enrolment, services
from assistance.models import (
    AgendaItem,
    AidKind,
    AidType,
    Declaration,
    DeliveryMethod,
    Enrolment,
    ItemState,
    Meeting,
    Outcome,
    RejectionReason,
    Status,
    SupportRequest,
    VoteChoice,
)
from beneficiaries import services as registry
from beneficiaries.demo import tiny_pdf, tiny_png
from beneficiaries.models import Beneficiary, PrivacyNotice, age_on
from core.demo import clock
from core.hijri import to_hijri
from core.models import Channel
from core.sla import WEEKEND, add_days

MEETING_EVERY_DAYS = 14
PAST_MEETINGS = 10  # about five months of meetings behind the next one

# The need of the first (oldest) demo request: finding it means the demo has run.
MARKER_NEED = "الأسرة بلا عائل منذ وفاة الزوج، والدخل لا يكفي الإيجار والمصاريف الشهرية."

# (stage reached, aid type code, anchor). The anchor is how many days ago the request was
# opened or submitted for the stages before the committee, and for the decided ones which past
# meeting decided it (1 = the last one). The stages are those of DESIGN.md §4.
PLANS: list[tuple[str, str, int]] = [
    # Being completed at the desk.
    ("draft", "food_basket", 1),
    ("draft", "rent", 3),
    ("draft_ready", "periodic_cash", 0),  # complete, waiting for the applicant's signature
    ("draft_ready", "medical", 2),
    ("withdrawn_draft", "marriage", 12),
    # Submitted and not yet decided; the anchors of 16 days and more are past their promised
    # decision date (the policy's two weeks): the overdue list.
    ("submitted", "food_voucher", 1),
    ("submitted", "bills", 2),
    ("submitted", "one_off_cash", 19),
    ("cancelled", "bills", 13),
    ("verifying", "periodic_cash", 4),
    ("verifying", "furniture", 5),
    ("verifying", "renovation", 17),
    ("withdrawn", "food_basket", 8),
    ("awaiting_applicant", "rent", 6),
    ("awaiting_applicant", "periodic_cash", 9),
    ("in_research", "food_basket", 5),
    ("in_research", "medical", 8),
    ("in_research", "periodic_cash", 22),
    ("researched", "one_off_cash", 9),
    ("researched", "food_basket", 11),
    ("researched", "education", 16),
    ("in_committee", "periodic_cash", 0),
    ("in_committee", "rent", 0),
    ("in_committee", "food_voucher", 0),
    # Decided by the committee.
    ("approved", "one_off_cash", 1),
    ("approved", "renovation", 1),
    ("approved", "food_basket", 2),
    ("rejected", "periodic_cash", 1),
    ("rejected", "rent", 3),
    ("rejected", "one_off_cash", 5),
    ("appealed", "periodic_cash", 2),
    ("closed_rejected", "marriage", 7),
    ("deferred", "medical", 1),
    ("deferred", "periodic_cash", 1),
    ("deferred_approved", "periodic_cash", 6),  # deferred there, approved at the next meeting
    ("enrolled", "periodic_cash", 1),
    ("enrolled", "food_basket", 2),
    ("in_service", "periodic_cash", 9),
    ("in_service", "food_basket", 8),
    ("in_service", "periodic_cash", 6),
    ("in_service", "food_voucher", 4),
    ("in_service", "periodic_cash", 3),
    ("closed", "one_off_cash", 10),
    ("closed", "rent", 7),
    ("closed", "furniture", 4),
]
DECIDED = {
    "approved": Outcome.APPROVED,
    "enrolled": Outcome.APPROVED,
    "in_service": Outcome.APPROVED,
    "closed": Outcome.APPROVED,
    "rejected": Outcome.REJECTED,
    "appealed": Outcome.REJECTED,
    "closed_rejected": Outcome.REJECTED,
    "deferred": Outcome.DEFERRED,
    "deferred_approved": Outcome.DEFERRED,
}

# Aid type → (lowest, highest, step of the amount per instalment in SAR; instalments offered).
AMOUNTS: dict[str, tuple[int, int, int, tuple[int, ...]]] = {
    "periodic_cash": (600, 1500, 100, (12,)),
    "one_off_cash": (1500, 5000, 500, (1,)),
    "food_basket": (350, 350, 50, (6,)),  # the value of a basket, monthly
    "food_voucher": (400, 600, 100, (4,)),
    "rent": (6000, 12000, 1000, (1,)),
    "bills": (600, 1500, 100, (1,)),
    "renovation": (8000, 20000, 1000, (1,)),
    "furniture": (2000, 5000, 500, (1,)),
    "medical": (1500, 6000, 500, (1,)),
    "education": (400, 800, 100, (1,)),
    "marriage": (10000, 20000, 5000, (1,)),
}

NEEDS: dict[str, tuple[str, ...]] = {
    "periodic_cash": (
        "أرملة تعول أربعة أيتام، ودخل الضمان لا يكفي الإيجار والمصاريف.",
        "مطلقة تعول ثلاثة أبناء، ولا دخل لها غير نفقة متقطعة.",
        "رب الأسرة مريض لا يعمل، والأسرة تحتاج دخلًا شهريًا ثابتًا.",
    ),
    "one_off_cash": (
        "تراكمت على الأسرة ديون لمحل التموين وتحتاج مساعدة عاجلة لسدادها.",
        "تعطلت سيارة الأسرة الوحيدة ويحتاج إصلاحها للذهاب إلى المستشفى.",
    ),
    "food_basket": (
        "الأسرة كبيرة العدد ولا يكفي الدخل لتأمين الغذاء طوال الشهر.",
        "كبير سن يعيش مع زوجته، ويحتاجان سلة غذائية شهرية.",
    ),
    "food_voucher": (
        "تطلب قسيمة شرائية لتأمين احتياجات المطبخ الأساسية.",
        "الراتب يتأخر كل شهر، وتحتاج الأسرة قسائم غذائية مؤقتًا.",
    ),
    "rent": (
        "عليه ثلاثة أشهر إيجار متأخرة، والمالك أنذره بالإخلاء.",
        "انتهى عقد الإيجار ولا تستطيع الأسرة دفع الدفعة السنوية.",
    ),
    "bills": (
        "فاتورة الكهرباء متراكمة منذ أربعة أشهر وهُدِّد بفصل التيار.",
        "فاتورة المياه متأخرة، والأسرة فيها أطفال صغار.",
    ),
    "renovation": (
        "سقف المطبخ يسرّب الماء في المطر، ودورة المياه بحاجة إلى ترميم.",
        "جدران البيت متشققة والتمديدات الكهربائية قديمة وخطرة.",
    ),
    "furniture": (
        "انتقلت الأسرة إلى شقة جديدة بلا ثلاجة ولا مكيّف.",
        "احترق أثاث الغرفة الوحيدة في تماس كهربائي.",
    ),
    "medical": (
        "يحتاج ابنه إلى جلسات علاج طبيعي لا يغطيها التأمين.",
        "تحتاج نظارة طبية وعلاجًا للأسنان لا تقدر على تكلفته.",
    ),
    "education": ("لديها أربعة أبناء في المدارس وتحتاج الحقائب والمستلزمات المدرسية.",),
    "marriage": ("ابنه مقبل على الزواج ويحتاج مساعدة في تكاليف المهر والتأثيث.",),
}

HOUSING = (
    "شقة مستأجرة من غرفتين في عمارة قديمة، نظيفة ومرتبة.",
    "بيت شعبي ملك قديم، يحتاج صيانة في السقف والتمديدات.",
    "ملحق مستأجر من غرفة واحدة ومطبخ صغير، والتهوية ضعيفة.",
)
HOUSEHOLD = (
    "الأم وأربعة أبناء، أكبرهم في المرحلة الثانوية.",
    "الزوجان وثلاثة أطفال في المرحلة الابتدائية.",
    "كبير سن وزوجته، وابنة مطلقة تسكن معهما.",
)
FINANCES = (
    "دخل الضمان الاجتماعي هو الدخل الوحيد، والإيجار يأخذ أكثر من نصفه.",
    "راتب تقاعدي صغير، وعلى الأسرة أقساط قرض شخصي.",
    "لا دخل ثابت، وتعتمد الأسرة على مساعدات الأقارب.",
)
HEALTH = (
    "لا توجد أمراض مزمنة.",
    "رب الأسرة مصاب بالسكري ويحتاج أدوية دائمة.",
    "أحد الأبناء من ذوي الإعاقة ويحتاج رعاية مستمرة.",
)
ASSESSMENTS = (
    "ثبتت الحاجة بعد الزيارة الميدانية، والبيانات المقدمة مطابقة.",
    "الأسرة محتاجة والدخل دون حد الكفاية للفرد، وأوصي بالدعم.",
    "الحالة مستحقة، والوضع المعيشي صعب كما ورد في الطلب.",
)
INFO_ASKED = (
    "صورة حديثة من عقد الإيجار الموثق في منصة إيجار.",
    "تعريف بالراتب للابن الأكبر العامل.",
    "كشف حساب بنكي لآخر ثلاثة أشهر.",
)
INFO_ANSWER = "أحضر المطلوب إلى المكتب وأُرفق بالملف."
DEFER_NOTES = (
    "يُستكمل تقرير طبي حديث قبل البت في الطلب.",
    "زيارة ميدانية ثانية للتحقق من بيانات السكن.",
)
# Rejection reason code → the committee's words.
REJECT_NOTES = {
    "income_above_line": "الدخل الصافي للفرد أعلى من حد الكفاية بعد احتساب راتب الابن.",
    "similar_aid": "يتلقى مساعدة إيجار من جمعية أخرى للفترة نفسها.",
    "no_need_found": "لم تثبت الحاجة في الزيارة الميدانية.",
}
DISSENT_NOTE = "أرى إعادة الزيارة قبل القرار."
APPEAL_GROUNDS = "انقطع راتب الابن بعد انتهاء عقده، ومرفق خطاب إنهاء الخدمة."
CANCEL_REASON = "طلب مكرر: للمستفيد طلب آخر قيد الدراسة للحاجة نفسها."
RECUSAL_REASON = "صلة قرابة بمقدم الطلب."
MEETING_PLACE = "قاعة الاجتماعات — المقر الرئيسي"

# Channels by who takes the request: the branch representative in the field or at the branch,
# the relations officer on every other channel of P4.
OFFICE_CHANNELS = ("interview", "interview", "phone", "letter", "help_request", "website")
FIELD_CHANNELS = ("branch_representative", "branch_representative", "interview")


# --- The calendar ------------------------------------------------------------------------


class _Cursor:
    """The moments of one request, in order and never in the future."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.last: datetime | None = None

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        wanted = timezone.make_aware(datetime.combine(day, time(hour))) + timedelta(minutes=minute)
        if self.last is not None:
            wanted = max(wanted, self.last + timedelta(minutes=3))
        self.last = min(wanted, self.now - timedelta(minutes=1))
        return self.last

    def later(self, minutes: int) -> datetime:
        assert self.last is not None
        self.last = min(self.last + timedelta(minutes=minutes), self.now - timedelta(minutes=1))
        return self.last

    def after(self, working_days: int) -> date:
        """The working day `working_days` after this request's last moment."""
        return add_days(self.day, working_days, working_days=True)

    @property
    def day(self) -> date:
        assert self.last is not None
        return timezone.localdate(self.last)


def _working(day: date, step: int = 1) -> date:
    """`day`, or the nearest working day after it (`step` 1) or before it (`step` -1).
    Weekends only: a demo step on a public holiday does no harm."""
    while day.weekday() in WEEKEND:
        day += timedelta(days=step)
    return day


# --- The cast -------------------------------------------------------------------------------


@dataclass
class _Staff:
    officer: User
    representative: User | None
    researcher: User
    organiser: User
    members: list[User]
    deliverer: User


def _staff(actor) -> _Staff | None:
    users = {u.username: u for u in User.objects.filter(is_active=True).exclude(role="")}

    def one(username: str, role: str) -> User | None:
        user = users.get(username)
        if user is not None and user.role == role:
            return user
        return next((u for u in sorted(users.values(), key=lambda u: u.pk) if u.role == role), None)

    officer = actor if actor is not None and actor.role == Role.RELATIONS_OFFICER else None
    officer = officer or one("officer", Role.RELATIONS_OFFICER)
    researcher = one("researcher", Role.SOCIAL_RESEARCHER)
    manager = one("manager", Role.MANAGER)
    # A real committee has three or more members; the demo accounts may have only one.
    members = sorted(
        (u for u in users.values() if u.role == Role.COMMITTEE_MEMBER),
        key=lambda u: (u.username != "committee", u.username),
    )[:5]
    deliverer = one("service", Role.SERVICE_OFFICER) or manager
    if officer is None or researcher is None or not members or deliverer is None:
        return None
    return _Staff(
        officer=officer,
        representative=one("representative", Role.BRANCH_REPRESENTATIVE),
        researcher=researcher,
        organiser=manager or members[0],
        members=members,
        deliverer=deliverer,
    )


def _applicants(rng: random.Random, today: date) -> list[Beneficiary]:
    """Files that can be submitted as they stand: identity valid for a while yet, and every
    member of 15 or more with an identity number (P6.2 would refuse them otherwise). The
    portal's demo applicant is left to apply herself."""
    # Imported here, as surveys.demo does: the portal builds on this app, not the reverse.
    from portal.demo import DEMO_ID

    files = (
        Beneficiary.objects.filter(id_expiry__gte=today + timedelta(days=60))
        .exclude(id_number=DEMO_ID)
        .exclude(support_requests__isnull=False)
        .select_related("branch")
        .prefetch_related("members", "incomes")
        .order_by("pk")[:400]
    )
    ready = [
        b
        for b in files
        if all(m.id_number or age_on(m.birth_date, today) < 15 for m in b.members.all())
    ]
    rng.shuffle(ready)
    return ready


# --- One request ----------------------------------------------------------------------------


@dataclass
class _Plan:
    stage: str
    aid: AidType
    submitted_on: date  # or opened, for a draft
    meeting: int | None  # the past meeting that decides it, 0 for the next one


class _Demo:
    def __init__(self, rng: random.Random, staff: _Staff, now: datetime) -> None:
        self.rng = rng
        self.staff = staff
        self.now = now
        self.today = timezone.localdate(now)
        self.channels = {c.code: c for c in Channel.objects.all()}
        self.notice = PrivacyNotice.objects.order_by("-effective_from").first()
        self.reasons = {r.code: r for r in RejectionReason.objects.all()}
        self.meetings: dict[int, Meeting] = {}
        self.deliveries = 0
        # Requests taken on the same day, in turn: an hour each from eight, so the references
        # follow the clock as well as the calendar.
        self.slots: Counter = Counter()

    # Meetings: every two weeks, the next one still ahead.

    def meeting_day(self, k: int) -> date:
        ahead = self.today + timedelta(days=2)
        upcoming = ahead + timedelta(days=(1 - ahead.weekday()) % 7)  # a Tuesday
        return upcoming - timedelta(days=MEETING_EVERY_DAYS * k)

    def create_meetings(self, earliest: date) -> None:
        members = self.staff.members
        # Numbered in each Hijri year after the meetings already there (e.g. "7/1448").
        numbers: dict[int, int] = {}
        for k in range(PAST_MEETINGS, -1, -1):
            day = self.meeting_day(k)
            if day - timedelta(days=25) < earliest:
                continue
            hijri = to_hijri(day)
            year = hijri.year if hijri else day.year
            if year not in numbers:
                numbers[year] = Meeting.objects.filter(number__endswith=f"/{year}").count()
            numbers[year] += 1
            while Meeting.objects.filter(number=f"{numbers[year]}/{year}").exists():
                numbers[year] += 1
            cursor = _Cursor(self.now)
            with clock(cursor.at(day - timedelta(days=12), 9, 30)):
                self.meetings[k] = committee.meeting_create(
                    actor=self.staff.organiser,
                    number=f"{numbers[year]}/{year}",
                    day=day,
                    quorum=min(3, len(members)),
                    rule="majority",
                    chair=members[0],
                    secretary=members[1] if len(members) > 1 else None,
                    members=members,
                    location=MEETING_PLACE,
                )

    def close_meetings(self) -> None:
        for k, meeting in sorted(self.meetings.items(), reverse=True):
            if k == 0:
                continue  # the next meeting is still to be held
            cursor = _Cursor(self.now)
            with clock(cursor.at(meeting.date, 13, 30)):
                committee.meeting_close(actor=self.staff.organiser, meeting=meeting)

    # The plan of each request, its submission day first so references follow the calendar.

    def plans(self, applicants: list[Beneficiary]) -> list[tuple[_Plan, Beneficiary]]:
        aid_types = {a.code: a for a in AidType.objects.all()}
        chosen = []
        for stage, code, anchor in PLANS:
            aid = aid_types.get(code)
            if aid is None:
                continue
            meeting = None
            if stage in DECIDED:
                meeting = anchor
                if meeting not in self.meetings:
                    continue
                # Submitted 10–21 days before the meeting: some decided within the promised
                # two weeks, some after it (the dashboard's on-time share).
                day = self.meeting_day(anchor) - timedelta(days=self.rng.randint(10, 21))
            elif stage == "in_committee":
                meeting = 0
                if 0 not in self.meetings:
                    continue
                day = self.today - timedelta(days=self.rng.randint(8, 13))
            else:
                day = self.today - timedelta(days=anchor)
            file = self._pick(applicants, needs_iban=aid.kind == AidKind.CASH)
            if file is None:
                break
            chosen.append((_Plan(stage, aid, _working(day, -1), meeting), file))
        # Taken in calendar order, so the reference numbers follow it.
        return sorted(chosen, key=lambda pair: pair[0].submitted_on)

    @staticmethod
    def _pick(applicants: list[Beneficiary], *, needs_iban: bool) -> Beneficiary | None:
        for index, file in enumerate(applicants):
            if file.iban or not needs_iban:
                return applicants.pop(index)
        return None

    def run(self, plan: _Plan, file: Beneficiary, need: str) -> SupportRequest:
        rng, staff = self.rng, self.staff
        cursor = _Cursor(self.now)
        field = (
            staff.representative is not None
            and file.branch_id == staff.representative.branch_id
            and rng.random() < 0.7
        )
        desk = staff.representative if field else staff.officer
        channel = self.channels[rng.choice(FIELD_CHANNELS if field else OFFICE_CHANNELS)]
        low, high, step, months = AMOUNTS.get(plan.aid.code, (500, 3000, 500, (1,)))
        amount = Decimal(rng.randrange(low, high + 1, step))
        instalments = rng.choice(months)

        # Intake (P6.1–P6.2, P6.4): the draft, consent, documents and the signed declaration.
        slot = self.slots[plan.submitted_on]
        self.slots[plan.submitted_on] += 1
        with clock(cursor.at(plan.submitted_on, 8 + slot, rng.choice((0, 5, 10, 15, 20)))):
            request = services.request_create(
                actor=desk,
                beneficiary=file,
                channel=channel,
                aid_types=[plan.aid],
                need=need,
                requested_amount=amount * instalments if plan.aid.kind == AidKind.CASH else None,
                declares_no_income=not file.incomes.all(),
            )
        with clock(cursor.later(6)):
            if self.notice and not file.consents.filter(notice=self.notice).exists():
                registry.consent_record(
                    actor=desk, beneficiary=file, notice=self.notice, channel=channel
                )
        self._documents(request, desk, cursor, complete=plan.stage != "draft")
        if plan.stage in ("draft", "draft_ready"):
            return request
        if plan.stage == "withdrawn_draft":
            with clock(cursor.at(cursor.after(2), 10)):
                return services.request_withdraw(actor=desk, request=request)
        with clock(cursor.later(8)):
            self._sign(request, desk)
        with clock(cursor.later(4)):
            request = services.request_submit(actor=desk, request=request)
        if plan.stage == "submitted":
            return request
        if plan.stage == "cancelled":
            with clock(cursor.at(cursor.after(1), 9, 15)):
                return services.request_cancel(actor=desk, request=request, reason=CANCEL_REASON)

        # Verification (P6.2), now and then with a question to the applicant.
        with clock(cursor.at(cursor.after(1), rng.randint(8, 11), 10)):
            request = services.verification_start(actor=desk, request=request)
            for item in request.checklist.filter(document__isnull=False):
                services.checklist_check(actor=desk, item=item, verified=True)
        if plan.stage == "verifying":
            return request
        if plan.stage == "withdrawn":
            with clock(cursor.at(cursor.after(2), 12)):
                return services.request_withdraw(actor=desk, request=request)
        if plan.stage == "awaiting_applicant" or rng.random() < 0.2:
            with clock(cursor.later(25)):
                info = services.info_request_create(
                    actor=desk, request=request, what=rng.choice(INFO_ASKED)
                )
            if plan.stage == "awaiting_applicant":
                return request
            with clock(cursor.at(cursor.after(rng.randint(1, 2)), 10, 30)):
                services.info_request_answer(actor=desk, info=info, answer=INFO_ANSWER)

        # Social research (P6.3).
        with clock(cursor.at(cursor.after(rng.randint(0, 1)), 13)):
            research = services.research_refer(
                actor=desk,
                request=request,
                reason="verification",
                note="يُرجى التحقق من السكن ومصادر الدخل بزيارة ميدانية.",
                researcher=staff.researcher,
            )
        if plan.stage == "in_research":
            with clock(cursor.later(90)):
                services.visit_book(
                    actor=staff.researcher,
                    research=research,
                    when=timezone.make_aware(
                        datetime.combine(self.today + timedelta(days=rng.randint(1, 4)), time(10))
                    ),
                )
            return request
        done = cursor.after(rng.randint(2, 4))
        if plan.meeting is not None:
            done = min(done, self.meeting_day(plan.meeting) - timedelta(days=1))
        with clock(cursor.at(done, 12, 30)):
            services.research_complete(
                actor=staff.researcher,
                research=research,
                housing=rng.choice(HOUSING),
                household=rng.choice(HOUSEHOLD),
                finances=rng.choice(FINANCES),
                health=rng.choice(HEALTH),
                assessment=rng.choice(ASSESSMENTS),
                recommended_aid_type=plan.aid,
                recommended_amount=amount,
                recommended_months=instalments if instalments > 1 else None,
            )
        if plan.stage == "researched" or plan.meeting is None:
            return request

        # The committee (P6.5).
        outcome = DECIDED.get(plan.stage, Outcome.PENDING)
        item = self._put_on_agenda(request, plan.meeting, cursor)
        if outcome == Outcome.PENDING:
            return request
        self._decide(item, outcome, cursor)
        if plan.stage == "deferred_approved":
            item = self._put_on_agenda(request, plan.meeting - 1, cursor)
            self._decide(item, Outcome.APPROVED, cursor)
        elif plan.stage == "appealed":
            with clock(cursor.at(cursor.after(rng.randint(3, 6)), 11)):
                committee.appeal_lodge(
                    actor=desk,
                    request=request,
                    grounds=APPEAL_GROUNDS,
                    channel=self.channels["letter"],
                )
            return request
        elif plan.stage == "closed_rejected":
            # Closed once the appeal window has passed without an appeal.
            with clock(cursor.at(cursor.day + timedelta(days=31), 9)):
                return committee.request_close(actor=staff.officer, request=request)
        if plan.stage in ("approved", "rejected", "deferred"):
            return request

        # Enrolment and service (P6.6–P6.7).
        with clock(cursor.at(cursor.after(rng.randint(2, 4)), 10)):
            starts = cursor.day + timedelta(days=rng.randint(3, 7))
            if plan.stage == "enrolled":
                starts = max(starts, self.today + timedelta(days=rng.randint(3, 10)))
            enrolled = enrolment.enrolment_create(actor=desk, request=request, starts_on=starts)
        if plan.stage == "enrolled":
            return request
        self._deliver(enrolled, cursor)
        return request

    def _documents(self, request: SupportRequest, desk, cursor: _Cursor, *, complete: bool):
        """Scan what the checklist still lacks into it; an incomplete draft gets one document
        and waits for the rest."""
        rng, day, moment = self.rng, cursor.day, cursor.last
        items = request.checklist.select_related("doc_type", "member", "document__doc_type")
        # A document the file got after this moment (the registry's demo writes today) is
        # scanned again, so no request relies on a paper it could not have had.
        lacking = [
            item
            for item in items.order_by("pk")
            if item.state_on(day) != ItemState.PRESENT or item.document.created_at > moment
        ]
        if not complete:
            lacking = lacking[:1]
        for item in lacking:
            doc_type = item.doc_type
            issued, expires = day - timedelta(days=rng.randint(3, 40)), None
            if doc_type.code == "national_id" and item.member is None:
                expires = request.beneficiary.id_expiry
                issued = min(expires - timedelta(days=3650), day - timedelta(days=30))
            elif doc_type.has_expiry:
                issued = day - timedelta(days=rng.randint(30, 300))
                expires = issued + timedelta(days=rng.choice((365, 1825)))
            if doc_type.code == "national_id":
                name, content, mime = "هوية.png", tiny_png(request.pk), "image/png"
            else:
                name, content = f"{doc_type.code}.pdf", tiny_pdf(doc_type.name_en)
                mime = "application/pdf"
            with clock(cursor.later(3)):
                services.checklist_upload(
                    actor=desk,
                    item=item,
                    upload=SimpleUploadedFile(name, content, content_type=mime),
                    issued_on=issued,
                    expires_on=expires,
                )

    def _sign(self, request: SupportRequest, desk) -> None:
        """Signed on the screen at the desk, or on the paper form scanned (P6.4)."""
        if self.rng.random() < 0.75:
            services.attestation_sign(
                actor=desk,
                request=request,
                method="drawn",
                rights_acknowledged=True,
                drawn_png=tiny_png(10_000 + request.pk),
            )
        else:
            scan = SimpleUploadedFile(
                "iqrar.pdf", tiny_pdf("Signed declaration"), content_type="application/pdf"
            )
            services.attestation_sign(
                actor=desk, request=request, method="paper", rights_acknowledged=True, scan=scan
            )

    def _put_on_agenda(self, request: SupportRequest, k: int, cursor: _Cursor) -> AgendaItem:
        meeting = self.meetings[k]
        placed = cursor.at(max(meeting.date - timedelta(days=2), cursor.day), 10)
        with clock(placed):
            return committee.agenda_add(
                actor=self.staff.organiser, meeting=meeting, request=request
            )

    def _decide(self, item: AgendaItem, outcome: str, cursor: _Cursor) -> None:
        """The members vote in turn until the meeting's quorum and rule decide; with three or
        more, now and then one disagrees or stands aside, as in a real meeting."""
        rng = self.rng
        choice = {
            Outcome.APPROVED: VoteChoice.APPROVE,
            Outcome.REJECTED: VoteChoice.REJECT,
            Outcome.DEFERRED: VoteChoice.DEFER,
        }[outcome]
        members = list(self.staff.members)
        voters = [(m, choice) for m in members]
        if len(members) > item.meeting.quorum and rng.random() < 0.15:
            with clock(cursor.at(item.meeting.date, 10, 5 * item.position)):
                committee.recuse(actor=members[-1], item=item, reason=RECUSAL_REASON)
            voters = voters[:-1]
        elif len(members) >= 3 and rng.random() < 0.3:
            dissent = VoteChoice.DEFER if choice == VoteChoice.APPROVE else VoteChoice.APPROVE
            voters = [(members[-1], dissent), *voters[:-1]]
        reason = rng.choice(list(REJECT_NOTES))
        for member, vote in voters:
            item.refresh_from_db(fields=["outcome"])
            if item.outcome != Outcome.PENDING:
                break
            note, reasons = "", []
            if vote == VoteChoice.REJECT:
                note = REJECT_NOTES[reason]
                reasons = [self.reasons[reason]] if reason in self.reasons else []
            elif vote == VoteChoice.DEFER:
                note = DISSENT_NOTE if choice != vote else rng.choice(DEFER_NOTES)
            with clock(cursor.at(item.meeting.date, 10, 5 * item.position)):
                committee.vote_cast(
                    actor=member, item=item, choice=vote, reasons=reasons, note=note
                )

    def _deliver(self, enrolled: Enrolment, cursor: _Cursor) -> None:
        """Every instalment due by today, on or just after its date."""
        method = {
            AidKind.CASH: DeliveryMethod.BANK_TRANSFER,
            AidKind.VOUCHER: DeliveryMethod.VOUCHER,
        }.get(enrolled.aid_type.kind, DeliveryMethod.IN_KIND)
        for number in range(1, enrolled.instalments + 1):
            due = _working(enrolled.due_date(number))
            if due >= self.today:
                break
            extra: dict = {}
            if method == DeliveryMethod.BANK_TRANSFER:
                extra["transfer_reference"] = f"TRX{self.rng.randrange(10**9, 10**10)}"
            elif method == DeliveryMethod.VOUCHER:
                extra["voucher_code"] = f"VC-{self.rng.randrange(10**7, 10**8)}"
            else:
                extra["receipt"] = SimpleUploadedFile(
                    "istilam.pdf", tiny_pdf("Signed receipt"), content_type="application/pdf"
                )
            with clock(cursor.at(due, 11, self.rng.choice((0, 15, 30)))):
                enrolment.delivery_record(
                    actor=self.staff.deliverer,
                    enrolment=enrolled,
                    method=method,
                    delivered_on=due,
                    amount=enrolled.amount_per_instalment,
                    **extra,
                )
            self.deliveries += 1


def seed_demo(*, rng: random.Random, actor) -> str:
    """About forty support requests of the demo files at every stage, with the committee's
    meetings and the deliveries, over the last five months. Returns a one-line summary."""
    if SupportRequest.objects.filter(need=MARKER_NEED).exists():
        return "assistance: demo requests already present"
    staff = _staff(actor)
    if staff is None:
        return "assistance: the demo staff accounts are missing; no requests added"
    now = timezone.now()
    demo = _Demo(rng, staff, now)
    declaration = Declaration.current()
    if declaration is None or demo.notice is None:
        return "assistance: no declaration or privacy notice published; no requests added"
    # Nothing is dated before the texts the applicants sign and acknowledge were in force.
    earliest = max(declaration.effective_from, demo.notice.effective_from)
    applicants = _applicants(rng, demo.today)
    if not applicants:
        return "assistance: no beneficiary files to open requests for"
    made: list[SupportRequest] = []
    # All or nothing: a run that fails half-way leaves nothing behind, so the next one starts
    # clean rather than finding half a demo without its marker.
    with transaction.atomic():
        demo.create_meetings(earliest)
        for plan, file in demo.plans(applicants):
            if plan.submitted_on <= earliest:
                continue
            need = rng.choice(NEEDS.get(plan.aid.code) or (plan.aid.name_ar,))
            made.append(demo.run(plan, file, MARKER_NEED if not made else need))
        demo.close_meetings()
    stages = Counter(
        SupportRequest.objects.filter(pk__in=[r.pk for r in made]).values_list("status", flat=True)
    )
    overdue = sum(
        1 for r in SupportRequest.objects.filter(pk__in=[r.pk for r in made]) if r.is_overdue
    )
    shown = ", ".join(f"{stages[s]} {s}" for s in Status if stages[s])
    return (
        f"assistance: {len(made)} demo requests ({shown}; {overdue} overdue), "
        f"{len(demo.meetings)} committee meetings, {demo.deliveries} deliveries"
    )
