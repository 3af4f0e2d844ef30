"""Demo contacts, reception visits and tickets for `make run`: the last month of a contact
centre, on every channel, at the head office and the Jeddah branch.

Everything goes through contact.services, so the timelines, ticket histories, deadlines,
notices and escalations are what the screens produce. To give the month its past, the
services are run with the clock set back (`core.demo.clock`): a ticket opened ten working
days ago is overdue today and the escalation sweep run at the end raises it as it would have.
Idempotent: a second run finds the first contact and adds nothing.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from accounts.models import Role, User
from beneficiaries.models import Beneficiary
from contact import escalation, services
from contact.models import Interaction, Kind, ReceptionVisit, ReplyChannel, TicketCategory
from core.demo import clock

MARKER_SUBJECT = "الاستفسار عن موعد توزيع السلال الغذائية"

# channel code, direction, subject, summary, channel details
CONTACTS: list[tuple[str, str, str, str, dict]] = [
    (
        "phone",
        "in",
        MARKER_SUBJECT,
        "اتصل يسأل عن موعد توزيع السلال الغذائية لشهر رمضان، وأُفيد بأن التوزيع يبدأ الأسبوع "
        "القادم في مقر الفرع.",
        {"duration_seconds": 185},
    ),
    (
        "phone",
        "out",
        "تذكير باستكمال المستندات",
        "اتصلنا لتذكيره بإحضار صورة صك الإعالة وتعريف الراتب قبل نهاية الأسبوع.",
        {"duration_seconds": 140},
    ),
    (
        "phone",
        "in",
        "الاستفسار عن حالة طلب المساعدة",
        "سأل عن حالة طلبه المقدم قبل أسبوعين، وأُبلغ أنه لدى لجنة البحث وسيُبلَّغ بالقرار برسالة.",
        {"duration_seconds": 260},
    ),
    (
        "social_media",
        "in",
        "استفسار عن شروط التسجيل",
        "سألت عبر الحساب الرسمي عن شروط التسجيل للأرامل، وأُرسل لها رابط الشروط في الموقع.",
        {"platform": "x", "handle": "@um_abdullah_22"},
    ),
    (
        "social_media",
        "in",
        "طلب رقم التواصل مع فرع جدة",
        "طلب رقم هاتف فرع جدة ومواعيد الاستقبال، وأُرسلت له عبر الرسائل الخاصة.",
        {"platform": "whatsapp", "handle": "+966551230987"},
    ),
    (
        "letter",
        "in",
        "خطاب من مكتب الضمان الاجتماعي",
        "ورد خطاب من مكتب الضمان الاجتماعي يفيد بانقطاع المعاش عن الأسرة منذ شهرين.",
        {"letter_reference": "ض/1447/518"},
    ),
    (
        "help_request",
        "in",
        "طلب مساعدة عاجلة في سداد الإيجار",
        "تقدّمت بطلب مساعدة لسداد إيجار متأخر ثلاثة أشهر، وصاحب العقار أنذرها بالإخلاء.",
        {},
    ),
    (
        "website",
        "in",
        "طلب تحديث رقم الجوال",
        "طلب عبر نموذج الموقع تحديث رقم جواله لأن الرقم السابق لم يعد يعمل.",
        {},
    ),
    (
        "branch_representative",
        "out",
        "زيارة ميدانية لأسرة في حي الصفا",
        "زار المندوب الأسرة للتأكد من بيانات السكن، والمنزل يحتاج إلى ترميم في دورة المياه.",
        {},
    ),
    (
        "interview",
        "in",
        "مراجعة لتسليم مستندات",
        "حضر وسلّم صورة الهوية الوطنية وصك الإعالة، وأُضيفت إلى ملفه.",
        {},
    ),
]

UNIDENTIFIED = [
    ("سعاد بنت إبراهيم الشهري", "0551239871"),
    ("أبو ريان", "0541117782"),
    ("منيرة العنزي", "0561230045"),
    ("تركي بن حمد السبيعي", "0591231178"),
]

VOLUNTEER_REPORTS = [
    (
        "أسرة متعففة في حي النسيم",
        "أبلغت عن أسرة من سبعة أفراد في حي النسيم لا دخل لها منذ وفاة الأب.",
    ),
    ("كبير سن يحتاج إلى كرسي متحرك", "جار مسن يعيش وحده ويحتاج إلى كرسي متحرك ومتابعة."),
]

# kind, category, subject, description, reply channel, steps, working days ago
TICKETS: list[tuple[str, str, str, str, str, list[tuple[str, str]], int]] = [
    (
        Kind.INQUIRY,
        "inquiry_procedures",
        "كيف أسجل ابني المتزوج حديثًا في ملف مستقل؟",
        "يسأل عن إجراءات فصل ملف ابنه بعد زواجه وهل يحتاج إلى طلب جديد.",
        ReplyChannel.SMS,
        [
            ("reply", "يُسجَّل الابن في ملف مستقل بطلب جديد يقدمه بنفسه مع صورة عقد الزواج."),
            ("resolve", "أُجيب عن استفساره."),
            ("close", ""),
        ],
        6,
    ),
    (
        Kind.INQUIRY,
        "inquiry_request_status",
        "متى يصدر قرار اللجنة في طلبي؟",
        "قدّم طلب مساعدة نقدية قبل ثلاثة أسابيع ولم يُبلَّغ بالقرار.",
        ReplyChannel.SMS,
        [
            ("take", ""),
            ("reply", "طلبكم مدرج في جدول أعمال اللجنة القادم، وسيُبلَّغ القرار برسالة نصية."),
        ],
        2,
    ),
    (
        Kind.INQUIRY,
        "inquiry_services",
        "هل يوجد برنامج للحقيبة المدرسية؟",
        "تسأل عن موعد برنامج الحقيبة المدرسية وشروطه.",
        ReplyChannel.SMS,
        [],
        0,
    ),
    (
        Kind.INQUIRY,
        "inquiry_procedures",
        "ما المستندات المطلوبة لطلب الترميم؟",
        "يسأل عن المستندات اللازمة لطلب ترميم منزل.",
        ReplyChannel.PHONE,
        [],
        5,
    ),
    (
        Kind.COMPLAINT,
        "complaint_delay",
        "تأخر صرف المساعدة المعتمدة",
        "اعتُمدت له مساعدة شهرية ولم تصله دفعة هذا الشهر حتى الآن.",
        ReplyChannel.SMS,
        [
            ("take", ""),
            ("note", "راجعت قسم الصرف: الدفعة متوقفة بسبب خطأ في رقم الآيبان."),
            ("wait", "ننتظر منه شهادة الآيبان الصحيحة."),
        ],
        3,
    ),
    (
        Kind.COMPLAINT,
        "complaint_service",
        "السلة الغذائية ناقصة",
        "استلمت السلة الغذائية وكانت ناقصة عبوات الزيت والأرز.",
        ReplyChannel.SMS,
        [("take", ""), ("resolve", "نعتذر عن النقص، وسيُسلَّم لكم الصنف الناقص يوم الأحد في الفرع.")],
        4,
    ),
    (
        Kind.COMPLAINT,
        "complaint_premises",
        "صعوبة الوصول إلى قسم النساء",
        "قسم استقبال النساء في الدور الثاني ولا يوجد مصعد، ووالدتها كبيرة في السن.",
        ReplyChannel.EMAIL,
        [],
        8,
    ),
    (
        Kind.SUGGESTION,
        "suggestion_channels",
        "استقبال الطلبات عبر واتساب",
        "أقترح أن يستقبل الوقف الاستفسارات والطلبات عبر واتساب لسهولته على كبار السن.",
        ReplyChannel.SMS,
        [("outcome", "accepted")],
        7,
    ),
    (
        Kind.SUGGESTION,
        "suggestion_services",
        "مواعيد مسائية للاستقبال",
        "أقترح فتح الاستقبال مساءً يومين في الأسبوع للموظفين.",
        ReplyChannel.SMS,
        [("outcome", "declined:لا تسمح الموارد الحالية بذلك، وتتاح الخدمة عبر البوابة في أي وقت.")],
        9,
    ),
    (
        Kind.PRAISE,
        "praise",
        "شكر لفريق فرع جدة",
        "يشكر فريق الفرع على سرعة إنجاز طلبه وحسن الاستقبال.",
        ReplyChannel.SMS,
        [("resolve", "شكرًا لكم، نُقل شكركم إلى الفريق.")],
        1,
    ),
]

STAFF_COMPLAINT = (
    "تأخر المندوب عن موعد الزيارة",
    "حُدد موعد زيارة منزلية ولم يحضر المندوب ولم يعتذر، وعند الاتصال به كان رده جافًا.",
)


def _working_moment(rng: random.Random, days_ago: int, now: datetime) -> datetime:
    """A time in working hours `days_ago` working days before now (never in the future)."""
    day = timezone.localdate(now)
    counted = 0
    while counted < days_ago or day.weekday() in (4, 5):
        day -= timedelta(days=1)
        if day.weekday() not in (4, 5):
            counted += 1
    clock = time(rng.randint(8, 14), rng.choice((0, 10, 20, 30, 40, 50)))
    moment = timezone.make_aware(datetime.combine(day, clock))
    return min(moment, now - timedelta(minutes=5))


def _staff() -> dict[str, User]:
    users = {u.username: u for u in User.objects.filter(is_active=True).exclude(role="")}
    by_role = {}
    for user in users.values():
        by_role.setdefault(user.role, user)
    return {
        "officer": users.get("officer") or by_role.get(Role.RELATIONS_OFFICER),
        "representative": users.get("representative") or by_role.get(Role.BRANCH_REPRESENTATIVE),
        "volunteer": users.get("volunteer") or by_role.get(Role.VOLUNTEER),
        "quality": users.get("quality") or by_role.get(Role.QUALITY_OFFICER),
    }


def _contacts(rng, now, officer, representative, volunteer, files) -> int:
    count = 0
    for n in range(60):
        channel, direction, subject, summary, details = CONTACTS[n % len(CONTACTS)]
        actor = representative if channel == "branch_representative" else officer
        who = {}
        scope = [b for b in files if not actor.branch_id or b.branch_id == actor.branch_id]
        if scope and rng.random() < 0.7:
            who["beneficiary"] = rng.choice(scope)
        else:
            who["person_name"], who["person_phone"] = rng.choice(UNIDENTIFIED)
        services.interaction_log(
            actor=actor,
            channel=channel,
            direction=direction,
            subject=subject,
            summary=summary,
            occurred_at=_working_moment(rng, (59 - n) // 3, now),
            **who,
            **details,
        )
        count += 1
    if volunteer is not None:
        for subject, summary in VOLUNTEER_REPORTS:
            name, phone = rng.choice(UNIDENTIFIED)
            services.interaction_log(
                actor=volunteer,
                channel="volunteer",
                subject=subject,
                summary=summary,
                person_name=name,
                person_phone=phone,
                occurred_at=_working_moment(rng, rng.randint(1, 10), now),
            )
            count += 1
    return count


def _visits(rng, now, desk_user, files) -> int:
    """Two weeks of the Jeddah desk, and who is at it right now."""
    count = 0
    local_files = [b for b in files if b.branch_id == desk_user.branch_id] or files
    purposes = ["تسليم مستندات", "الاستفسار عن طلب", "تحديث البيانات", "استلام سلة غذائية"]
    for days_ago in range(10, 0, -1):
        for _ in range(rng.randint(2, 5)):
            arrived = _working_moment(rng, days_ago, now)
            who = (
                {"beneficiary": rng.choice(local_files)}
                if local_files and rng.random() < 0.75
                else {"visitor_name": rng.choice(UNIDENTIFIED)[0]}
            )
            visit = services.visit_check_in(
                actor=desk_user, arrived_at=arrived, purpose=rng.choice(purposes), **who
            )
            served = arrived + timedelta(minutes=rng.randint(3, 35))
            ended = served + timedelta(minutes=rng.randint(5, 30))
            with clock(ended):
                services.visit_start(actor=desk_user, visit=visit, at=served)
                services.visit_end(
                    actor=desk_user,
                    visit=visit,
                    summary="استُقبل المراجع وأُنجز طلبه، وأُبلغ بالخطوة التالية.",
                    at=ended,
                )
            count += 1
    # Right now: two waiting, one being served.
    for minutes, name in ((28, "أم فهد"), (9, "سالم بن عايض القرني")):
        services.visit_check_in(
            actor=desk_user,
            visitor_name=name,
            arrived_at=now - timedelta(minutes=minutes),
            purpose=rng.choice(purposes),
        )
        count += 1
    visit = services.visit_check_in(
        actor=desk_user,
        visitor_name="نوف بنت سعد الدوسري",
        arrived_at=now - timedelta(minutes=20),
        purpose="الاستفسار عن طلب",
    )
    services.visit_start(actor=desk_user, visit=visit, at=now - timedelta(minutes=6))
    return count + 1


def _run_steps(ticket, steps, actor) -> None:
    for step, text in steps:
        if step == "take":
            services.ticket_take(actor=actor, ticket=ticket)
        elif step == "reply":
            services.ticket_reply(actor=actor, ticket=ticket, body=text)
        elif step == "note":
            services.ticket_note(actor=actor, ticket=ticket, body=text)
        elif step == "wait":
            services.ticket_wait(actor=actor, ticket=ticket, note=text)
        elif step == "resolve":
            services.ticket_resolve(actor=actor, ticket=ticket, resolution=text)
        elif step == "close":
            services.ticket_close(actor=actor, ticket=ticket)
        elif step == "outcome":
            outcome, _, reason = text.partition(":")
            services.ticket_outcome(actor=actor, ticket=ticket, outcome=outcome, reason=reason)


def _tickets(rng, now, officer, representative, quality, files) -> int:
    count = 0
    channels = ["phone", "website", "social_media", "interview", "help_request"]
    for kind, category, subject, description, reply, steps, days_ago in TICKETS:
        opened = _working_moment(rng, days_ago, now)
        who = {}
        if files and rng.random() < 0.6 and reply != ReplyChannel.EMAIL:
            who["beneficiary"] = rng.choice(files)
        else:
            name, phone = rng.choice(UNIDENTIFIED)
            who = {"person_name": name, "person_phone": phone}
            if reply == ReplyChannel.EMAIL:
                who["person_email"] = "family.request@example.com"
        with clock(opened):
            ticket = services.ticket_open(
                actor=officer,
                kind=kind,
                category=TicketCategory.objects.get(code=category),
                subject=subject,
                description=description,
                channel=rng.choice(channels),
                reply_channel=reply,
                **who,
            )
        # The work happens a few hours later, still in the past.
        with clock(min(opened + timedelta(hours=rng.randint(1, 5)), now)):
            _run_steps(ticket, steps, officer)
        count += 1
    if representative is not None and quality is not None:
        opened = _working_moment(rng, 4, now)
        with clock(opened):
            complaint = services.ticket_open(
                actor=officer,
                kind=Kind.COMPLAINT,
                category=TicketCategory.objects.get(code="complaint_staff"),
                subject=STAFF_COMPLAINT[0],
                description=STAFF_COMPLAINT[1],
                channel="phone",
                person_name="هند بنت محمد الغامدي",
                person_phone="0551230777",
                staff_member=representative,
                branch=representative.branch,
            )
        with clock(opened + timedelta(hours=2)):
            services.ticket_take(actor=quality, ticket=complaint)
            services.ticket_note(
                actor=quality,
                ticket=complaint,
                body="سأتواصل مع المندوب ومدير الفرع للاستيضاح قبل الرد على المشتكية.",
            )
        count += 1
    return count


def seed_demo(*, rng: random.Random, actor) -> str:
    """Contacts of the last month, two weeks of the Jeddah reception desk, and tickets in
    every state (with one confidential complaint about staff). Returns a one-line summary."""
    if Interaction.objects.filter(subject=MARKER_SUBJECT).exists():
        return "contact: demo contacts already present"
    staff = _staff()
    officer = staff["officer"] or actor
    if officer is None:
        return "contact: no staff account to record the demo with"
    representative = staff["representative"]
    files = list(Beneficiary.objects.order_by("pk")[:400])
    files = rng.sample(files, min(len(files), 40))
    now = timezone.now()
    contacts = _contacts(rng, now, officer, representative or officer, staff["volunteer"], files)
    desk_user = representative or officer
    visits = _visits(rng, now, desk_user, files)
    tickets = _tickets(rng, now, officer, representative, staff["quality"], files)
    escalated = escalation.tickets_escalate(now=now)
    return (
        f"contact: {contacts} contacts, {visits} reception visits, {tickets} tickets "
        f"({escalated} escalated); {ReceptionVisit.objects.filter(left_at__isnull=True).count()}"
        " at the desk now"
    )
