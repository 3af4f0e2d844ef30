"""Realistic demo data: branches, staff accounts and beneficiary files with their households.

Used by `manage.py seed_demo` and by the benchmarks under `bench/`. Everything is generated
from one `random.Random(seed)`, so the same seed on the same database gives the same people.

Two write paths, on purpose:

* the first few files go through `beneficiaries.services` with the `officer` account as actor,
  so the activity log, documents and consents look exactly like what staff would produce;
* the rest are written with `bulk_create` in batches, computing the same derived columns the
  services compute (name keys and `NameToken` rows), because 200,000 files through
  `full_clean()` and one audit row each would take the better part of an hour.
"""

from __future__ import annotations

import io
import random
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models, transaction
from django.utils import timezone

from accounts.models import Branch, Role, User
from beneficiaries import services
from beneficiaries.models import (
    Beneficiary,
    Category,
    DocumentType,
    Gender,
    HouseholdMember,
    HousingCondition,
    HousingType,
    IdType,
    IncomeKind,
    IncomeSource,
    MaritalStatus,
    NameToken,
    Obligation,
    ObligationKind,
    PrivacyNotice,
    Relation,
    Schooling,
)
from core.models import Channel, City
from core.text import search_tokens
from core.validators import luhn_ok, normalize_saudi_mobile, validate_saudi_iban

DEMO_PASSWORD = "mustafid-demo"  # noqa: S105 - printed to the console on purpose: demo only
BATCH_SIZE = 5_000
SERVICE_BATCH = 30  # files written through the services (activity log, documents, consent)
SMALL_RUN = 2_000  # at most this many files: the service batch also gets documents

# --- Names ------------------------------------------------------------------------------------
# (Arabic, Latin). عبد compounds are listed once; `_spell` writes them joined or spaced.

MALE_NAMES: Sequence[tuple[str, str]] = (
    ("محمد", "Mohammed"),
    ("أحمد", "Ahmed"),
    ("عبدالله", "Abdullah"),
    ("عبدالرحمن", "Abdulrahman"),
    ("عبدالعزيز", "Abdulaziz"),
    ("خالد", "Khalid"),
    ("فهد", "Fahad"),
    ("سعد", "Saad"),
    ("سلطان", "Sultan"),
    ("فيصل", "Faisal"),
    ("تركي", "Turki"),
    ("ناصر", "Nasser"),
    ("سعود", "Saud"),
    ("بندر", "Bandar"),
    ("ماجد", "Majed"),
    ("عمر", "Omar"),
    ("علي", "Ali"),
    ("إبراهيم", "Ibrahim"),
    ("يوسف", "Yousef"),
    ("حمد", "Hamad"),
    ("صالح", "Saleh"),
    ("سليمان", "Sulaiman"),
    ("عبدالمحسن", "Abdulmohsen"),
    ("عبدالإله", "Abdulelah"),
    ("مشاري", "Mishari"),
    ("نايف", "Naif"),
    ("بدر", "Badr"),
    ("راشد", "Rashed"),
    ("منصور", "Mansour"),
    ("مساعد", "Musaed"),
    ("عادل", "Adel"),
    ("حسن", "Hassan"),
    ("حسين", "Hussein"),
    ("مصطفى", "Mustafa"),
    ("زياد", "Ziyad"),
    ("هاني", "Hani"),
    ("طلال", "Talal"),
    ("وليد", "Waleed"),
    ("ياسر", "Yasser"),
    ("عبدالكريم", "Abdulkarim"),
    ("عبداللطيف", "Abdullatif"),
    ("مطلق", "Mutlaq"),
    ("فواز", "Fawaz"),
    ("نواف", "Nawaf"),
    ("متعب", "Mutaib"),
    ("عيسى", "Eisa"),
    ("موسى", "Musa"),
    ("إسماعيل", "Ismail"),
    ("حمزة", "Hamza"),
    ("أسامة", "Osama"),
    ("عثمان", "Othman"),
    ("جابر", "Jaber"),
    ("سامي", "Sami"),
    ("رائد", "Raed"),
    ("مازن", "Mazen"),
    ("ثامر", "Thamer"),
    ("عبدالرحيم", "Abdulrahim"),
    ("عبدالمجيد", "Abdulmajeed"),
    ("هشام", "Hisham"),
    ("أنس", "Anas"),
    ("مشعل", "Mishal"),
    ("عبدالملك", "Abdulmalik"),
    ("غازي", "Ghazi"),
    ("ضيف الله", "Daifallah"),
    ("عوض", "Awadh"),
    ("مبارك", "Mubarak"),
    ("سالم", "Salem"),
)
FEMALE_NAMES: Sequence[tuple[str, str]] = (
    ("فاطمة", "Fatimah"),
    ("نورة", "Noura"),
    ("سارة", "Sarah"),
    ("مريم", "Maryam"),
    ("عائشة", "Aisha"),
    ("هيفاء", "Haifa"),
    ("منيرة", "Munira"),
    ("لطيفة", "Latifa"),
    ("الجوهرة", "Aljawhara"),
    ("هند", "Hind"),
    ("ريم", "Reem"),
    ("أمل", "Amal"),
    ("خلود", "Kholoud"),
    ("حصة", "Hessa"),
    ("موضي", "Modhi"),
    ("شيخة", "Shaikha"),
    ("نوف", "Nouf"),
    ("العنود", "Alanoud"),
    ("دلال", "Dalal"),
    ("وفاء", "Wafa"),
    ("منى", "Mona"),
    ("سلمى", "Salma"),
    ("رقية", "Ruqayya"),
    ("أسماء", "Asma"),
    ("خديجة", "Khadija"),
    ("زينب", "Zainab"),
    ("هيا", "Haya"),
    ("بدرية", "Badriya"),
    ("نجلاء", "Najla"),
    ("لمى", "Lama"),
    ("جواهر", "Jawaher"),
    ("غادة", "Ghada"),
    ("سميرة", "Samira"),
    ("رحاب", "Rehab"),
    ("إيمان", "Iman"),
    ("آمنة", "Amina"),
    ("ليلى", "Layla"),
    ("حنان", "Hanan"),
    ("عبير", "Abeer"),
    ("أروى", "Arwa"),
    ("شهد", "Shahad"),
    ("رنا", "Rana"),
    ("بشرى", "Bushra"),
    ("ندى", "Nada"),
    ("وضحى", "Wadha"),
    ("مها", "Maha"),
    ("تهاني", "Tahani"),
    ("سعاد", "Suad"),
    ("هدى", "Huda"),
    ("جميلة", "Jamila"),
    ("عفاف", "Afaf"),
    ("مضاوي", "Madawi"),
)
# Saudi family names with a weight: tribal «ال» names dominate; «آل» forms are rarer.
SAUDI_FAMILIES: Sequence[tuple[str, str, int]] = (
    ("العتيبي", "Alotaibi", 9),
    ("القحطاني", "Alqahtani", 9),
    ("الشمري", "Alshammari", 8),
    ("الغامدي", "Alghamdi", 8),
    ("الحربي", "Alharbi", 8),
    ("الزهراني", "Alzahrani", 7),
    ("الدوسري", "Aldosari", 7),
    ("المطيري", "Almutairi", 8),
    ("العنزي", "Alanazi", 7),
    ("السبيعي", "Alsubaie", 4),
    ("الشهري", "Alshehri", 6),
    ("العمري", "Alomari", 5),
    ("المالكي", "Almalki", 5),
    ("الرشيدي", "Alrashidi", 4),
    ("البقمي", "Albuqami", 2),
    ("الجهني", "Aljuhani", 4),
    ("السهلي", "Alsahli", 3),
    ("الخالدي", "Alkhalidi", 3),
    ("اليامي", "Alyami", 3),
    ("الأحمدي", "Alahmadi", 3),
    ("الصاعدي", "Alsaedi", 2),
    ("الثبيتي", "Althubaiti", 2),
    ("الهاجري", "Alhajri", 3),
    ("العسيري", "Alasiri", 4),
    ("البلوي", "Albalawi", 3),
    ("الفيفي", "Alfaifi", 2),
    ("المري", "Almarri", 2),
    ("الشهراني", "Alshahrani", 4),
    ("الرويلي", "Alruwaili", 3),
    ("الحمدان", "Alhamdan", 2),
    ("العبدالله", "Alabdullah", 1),
    ("الخثعمي", "Alkhathami", 2),
    ("النفيعي", "Alnefaie", 2),
    ("باوزير", "Bawazir", 1),
    ("باعشن", "Baeshen", 1),
    ("الجفري", "Aljifri", 1),
    ("آل الشيخ", "Al Alshaikh", 1),
    ("آل مريع", "Al Muraya", 1),
    ("آل سلمان", "Al Salman", 1),
)
# Residents (Iqama holders): nationality and family names usual for it.
RESIDENT_FAMILIES: dict[str, Sequence[tuple[str, str]]] = {
    "YE": (("العبسي", "Alabsi"), ("الحداد", "Alhaddad"), ("باشراحيل", "Basharahil")),
    "EG": (("السيد", "Elsayed"), ("عبدالحميد", "Abdelhamid"), ("المصري", "Elmasry")),
    "SY": (("الحلبي", "Alhalabi"), ("الخطيب", "Alkhatib"), ("الأيوبي", "Alayoubi")),
    "SD": (("الطيب", "Altayeb"), ("محجوب", "Mahjoub"), ("الأمين", "Alamin")),
    "JO": (("الزعبي", "Alzoubi"), ("العمري", "Alomari"), ("الخوالدة", "Alkhawaldeh")),
    "PS": (("النجار", "Alnajjar"), ("أبو زيد", "Abu Zaid"), ("الشريف", "Alsharif")),
}
RESIDENT_SHARE = 0.12

# City code → (weight, branch code, districts). Districts are real neighbourhood names.
CITIES: dict[str, tuple[int, str, Sequence[str]]] = {
    "riyadh": (
        30,
        "head-office",
        (
            "العليا",
            "الملز",
            "السويدي",
            "النسيم",
            "الروضة",
            "الشفا",
            "العزيزية",
            "النظيم",
            "الدار البيضاء",
            "الفيحاء",
            "المنصورة",
            "السلي",
            "ظهرة لبن",
            "العريجاء",
            "بدر",
            "النظيم",
        ),
    ),
    "jeddah": (
        14,
        "jeddah",
        (
            "الصفا",
            "الروضة",
            "البوادي",
            "السامر",
            "الحمدانية",
            "الربوة",
            "الفيصلية",
            "النعيم",
            "الكندرة",
            "البغدادية",
            "قويزة",
            "الجامعة",
        ),
    ),
    "makkah": (7, "jeddah", ("العزيزية", "الشرائع", "النوارية", "الزاهر", "العوالي", "الكعكية")),
    "madinah": (5, "jeddah", ("قباء", "العوالي", "الحرة الشرقية", "سلطانة", "العنابس")),
    "taif": (4, "jeddah", ("الحوية", "شهار", "القمرية", "الشرقية", "الوشحاء")),
    "dammam": (
        8,
        "dammam",
        ("الفيصلية", "الشاطئ", "الأثير", "بدر", "طيبة", "العزيزية", "الخليج", "غرناطة"),
    ),
    "khobar": (3, "dammam", ("الثقبة", "العقربية", "الراكة", "الحزام الذهبي")),
    "ahsa": (4, "dammam", ("المبرز", "الهفوف", "العيون", "الجفر")),
    "jubail": (2, "dammam", ("الفناتير", "الدفي", "الحويلات")),
    "buraydah": (3, "head-office", ("الصفراء", "الإسكان", "الريان", "الخليج")),
    "hail": (2, "head-office", ("النقرة", "المنتزه", "صبابة")),
    "abha": (2, "head-office", ("المنسك", "الخالدية", "الموظفين")),
    "khamis": (2, "head-office", ("الراقي", "الموسى", "ذلالة")),
    "jazan": (2, "head-office", ("الروضة", "الشامية", "الصفا")),
    "tabuk": (2, "head-office", ("المروج", "السليمانية", "الفيصلية")),
    "kharj": (2, "head-office", ("السيح", "الخالدية", "اليمامة")),
}

BRANCHES: Sequence[dict[str, str]] = (
    {
        "code": "jeddah",
        "name_ar": "فرع جدة",
        "name_en": "Jeddah branch",
        "city": "jeddah",
        "phone": "+966126000000",
        "address": "حي الصفا، طريق الأمير ماجد، جدة",
    },
    {
        "code": "dammam",
        "name_ar": "فرع الدمام",
        "name_en": "Dammam branch",
        "city": "dammam",
        "phone": "+966138000000",
        "address": "حي الفيصلية، طريق الملك فهد، الدمام",
    },
)

# username → (role, branch code or "", gender, Arabic full name)
DEMO_USERS: dict[str, tuple[str, str, str, str]] = {
    "officer": (Role.RELATIONS_OFFICER, "", "male", "خالد بن سعد العتيبي"),
    "representative": (Role.BRANCH_REPRESENTATIVE, "jeddah", "male", "ماجد بن علي الغامدي"),
    "researcher": (Role.SOCIAL_RESEARCHER, "", "female", "نورة بنت محمد القحطاني"),
    "committee": (Role.COMMITTEE_MEMBER, "", "male", "عبدالرحمن بن صالح الشمري"),
    # A committee decides by a quorum of its members (assistance.demo's meetings use all three).
    "committee2": (Role.COMMITTEE_MEMBER, "", "female", "منى بنت عبدالعزيز السبيعي"),
    "committee3": (Role.COMMITTEE_MEMBER, "", "male", "تركي بن حمد العنزي"),
    "service": (Role.SERVICE_OFFICER, "", "male", "بندر بن مساعد الحارثي"),
    "manager": (Role.MANAGER, "", "male", "فهد بن عبدالله الدوسري"),
    "quality": (Role.QUALITY_OFFICER, "", "female", "هيفاء بنت ناصر الحربي"),
    "volunteer": (Role.VOLUNTEER, "", "male", "يوسف بن أحمد الزهراني"),
    "admin": (Role.ADMIN, "", "male", "سلطان بن فيصل المطيري"),
}

BANK_CODES = ("10", "80", "45", "20", "05", "15", "30", "60", "55", "65")  # SNB, Al Rajhi, SAB, …
MOBILE_THIRD_DIGITS = "0345689"  # 05X: 052 and 057 are not mobile prefixes (DOMAIN.md §2)

# Hamza-less spellings are what many staff type; some stored names carry them, as in real data.
_HAMZA_FREE = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا"})


# --- Identifiers ------------------------------------------------------------------------------


def luhn_check_digit(body: str) -> str:
    """The digit that completes `body` (9 digits) into a Luhn-valid 10-digit number."""
    total = 0
    # The check digit will sit at the right, so counted from the right the body's last digit
    # is doubled: for a 9-digit body those are indices 0, 2, 4, 6, 8 (DOMAIN.md §1).
    for position, char in enumerate(reversed(body)):
        digit = int(char)
        if position % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return str((10 - total % 10) % 10)


def saudi_iban(bank_code: str, account: str) -> str:
    """ISO 13616 IBAN for Saudi Arabia: SA + check digits + 2-digit bank + 18-character account."""
    bban = bank_code + account
    # Move "SA00" to the end and read letters as numbers (A=10 … Z=35): S=28, A=10.
    numeric = "".join(str(int(ch, 36)) for ch in bban + "SA00")
    return f"SA{98 - int(numeric) % 97:02d}{bban}"


def tiny_pdf(title: str) -> bytes:
    """A valid one-page PDF (correct xref offsets), small enough to store thousands of."""
    stream = f"BT /F1 14 Tf 40 100 Td ({title}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def tiny_png(seed: int) -> bytes:
    """A small photo-like PNG (a scanned card stand-in) that Pillow can verify."""
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    image = Image.new("RGB", (64, 40), (rng.randrange(180, 255),) * 3)
    draw = ImageDraw.Draw(image)
    draw.rectangle((4, 4, 20, 28), fill=(rng.randrange(60, 160), 90, 120))
    for y in range(8, 32, 6):
        draw.line((26, y, 58, y), fill=(40, 40, 40))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


# --- Plans: one person's data, independent of how it is written --------------------------------


@dataclass
class MemberPlan:
    data: dict[str, Any]


@dataclass
class MoneyPlan:
    kind: str
    amount: Decimal
    note: str = ""
    member_index: int | None = None  # index into PersonPlan.members; None: the applicant


@dataclass
class PersonPlan:
    data: dict[str, Any]
    categories: list[str]
    members: list[MemberPlan] = field(default_factory=list)
    incomes: list[MoneyPlan] = field(default_factory=list)
    obligations: list[MoneyPlan] = field(default_factory=list)


def _age(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


class PeopleGenerator:
    """Draws people from one seeded random source; identity numbers never repeat in a run."""

    def __init__(self, seed: int, *, taken_ids: set[str], today: date) -> None:
        self.rng = random.Random(seed)
        self.today = today
        self.taken_ids = taken_ids
        self.taken_mobiles: set[str] = set()
        self._families = [(ar, en) for ar, en, _w in SAUDI_FAMILIES]
        self._family_weights = [w for _ar, _en, w in SAUDI_FAMILIES]
        self._city_codes = list(CITIES)
        self._city_weights = [CITIES[c][0] for c in self._city_codes]

    # Small draws ---------------------------------------------------------------------------

    def _spell(self, name: str) -> str:
        """The spelling staff typed: عبد compounds joined or spaced, sometimes without hamza."""
        rng = self.rng
        if name.startswith("عبد") and len(name) > 3 and name[3] != " " and rng.random() < 0.4:
            name = "عبد " + name[3:]
        if rng.random() < 0.08:
            name = name.translate(_HAMZA_FREE)
        if name.endswith("ة") and rng.random() < 0.04:
            name = name[:-1] + "ه"
        return name

    def male(self) -> tuple[str, str]:
        return self.rng.choice(MALE_NAMES)

    def female(self) -> tuple[str, str]:
        return self.rng.choice(FEMALE_NAMES)

    def identity(self, prefix: str) -> str:
        while True:
            body = prefix + f"{self.rng.randrange(10**8):08d}"
            number = body + luhn_check_digit(body)
            if number not in self.taken_ids:
                self.taken_ids.add(number)
                return number

    def mobile(self) -> str:
        while True:
            number = f"+9665{self.rng.choice(MOBILE_THIRD_DIGITS)}{self.rng.randrange(10**7):07d}"
            if number not in self.taken_mobiles:
                self.taken_mobiles.add(number)
                return number

    def iban(self) -> str:
        account = f"{self.rng.randrange(10**18):018d}"
        return saudi_iban(self.rng.choice(BANK_CODES), account)

    def birth_date(self, first_year: int, last_year: int) -> date:
        start = date(first_year, 1, 1).toordinal()
        end = min(date(last_year, 12, 31), self.today).toordinal()
        return date.fromordinal(self.rng.randint(start, end))

    def amount(self, low: int, high: int, step: int = 50) -> Decimal:
        return Decimal(self.rng.randrange(low, high + 1, step))

    # One person ------------------------------------------------------------------------------

    def person(self, city_ids: dict[str, int], branch_ids: dict[str, int]) -> PersonPlan:
        rng, today = self.rng, self.today
        resident = rng.random() < RESIDENT_SHARE
        if resident:
            nationality = rng.choice(list(RESIDENT_FAMILIES))
            family, family_en = rng.choice(RESIDENT_FAMILIES[nationality])
        else:
            nationality = "SA"
            family, family_en = rng.choices(self._families, self._family_weights)[0]

        # Women head many of the households a charity serves (widows, divorced women).
        gender = Gender.FEMALE if rng.random() < 0.55 else Gender.MALE
        first, first_en = self.female() if gender == Gender.FEMALE else self.male()
        father, father_en = self.male()
        grandfather, grandfather_en = self.male()
        born = self.birth_date(1940, 2005)
        age = _age(born, today)

        if gender == Gender.FEMALE:
            marital = rng.choices(
                [
                    MaritalStatus.WIDOWED,
                    MaritalStatus.DIVORCED,
                    MaritalStatus.MARRIED,
                    MaritalStatus.SINGLE,
                ],
                [35, 25, 20, 20],
            )[0]
        else:
            marital = rng.choices(
                [
                    MaritalStatus.MARRIED,
                    MaritalStatus.WIDOWED,
                    MaritalStatus.DIVORCED,
                    MaritalStatus.SINGLE,
                ],
                [75, 8, 7, 10],
            )[0]
        if age < 22 and marital == MaritalStatus.WIDOWED:
            marital = MaritalStatus.SINGLE

        city = rng.choices(self._city_codes, self._city_weights)[0]
        _weight, branch_code, districts = CITIES[city]
        housing = rng.choices(
            [
                HousingType.RENTED,
                HousingType.OWNED,
                HousingType.FAMILY,
                HousingType.CHARITY,
                HousingType.GOVERNMENT,
                "",
            ],
            [45, 15, 20, 8, 7, 5],
        )[0]
        disability = ""
        if rng.random() < 0.07:
            disability = rng.choice(["physical", "visual", "hearing", "intellectual", "multiple"])
        health = ""
        if rng.random() < 0.12:
            health = rng.choice(
                [
                    "سكري من النوع الثاني",
                    "ارتفاع ضغط الدم",
                    "فشل كلوي ويغسل ثلاث مرات أسبوعيًا",
                    "ربو مزمن",
                    "آلام مزمنة في الظهر",
                    "مراجعات دورية لأمراض القلب",
                ]
            )

        data: dict[str, Any] = {
            "first_name": self._spell(first),
            "father_name": self._spell(father),
            "grandfather_name": self._spell(grandfather),
            "family_name": self._spell(family),
            "latin_name": (
                f"{first_en} {father_en} {grandfather_en} {family_en}" if rng.random() < 0.3 else ""
            ),
            "id_type": IdType.IQAMA if resident else IdType.NATIONAL_ID,
            "id_number": self.identity("2" if resident else "1"),
            "id_expiry": today + timedelta(days=rng.randint(-240, 3600)),
            "nationality": nationality,
            "gender": gender,
            "birth_date": born,
            "marital_status": marital,
            "mobile": self.mobile(),
            "alt_mobile": self.mobile() if rng.random() < 0.25 else "",
            "email": (
                f"{first_en.lower()}.{family_en.lower().replace(' ', '')}"
                f"{rng.randrange(10, 99)}@example.com"
                if rng.random() < 0.15
                else ""
            ),
            "city_id": city_ids[city],
            "district": rng.choice(districts),
            "iban": self.iban() if rng.random() < 0.6 else "",
            "branch_id": branch_ids[branch_code],
            "housing_type": housing,
            "housing_condition": rng.choice(HousingCondition.values) if housing else "",
            "health_notes": health,
            "disability": disability,
        }
        if rng.random() < 0.5:
            letters = "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(4))
            data |= {
                "address_short": f"{letters}{rng.randrange(10**4):04d}",
                "building_number": f"{rng.randrange(1000, 10**4)}",
                "postal_code": f"{rng.randrange(11000, 35000)}",
                "additional_number": f"{rng.randrange(1000, 10**4)}",
            }

        plan = PersonPlan(data=data, categories=[])
        self._household(
            plan, age=age, family=family, father=first if gender == Gender.MALE else None
        )
        plan.categories = self._categories(plan, age=age)
        self._money(plan, age=age)
        return plan

    def _household(self, plan: PersonPlan, *, age: int, family: str, father: str | None) -> None:
        rng, today, data = self.rng, self.today, plan.data
        gender, marital = data["gender"], data["marital_status"]
        resident = data["id_type"] == IdType.IQAMA
        head_born: date = data["birth_date"]
        members: list[dict[str, Any]] = []
        budget = rng.choices([0, 1, 2, 3, 4, 5, 6], [8, 12, 18, 22, 18, 13, 9])[0]

        if marital == MaritalStatus.MARRIED and budget:
            spouse_gender = Gender.MALE if gender == Gender.FEMALE else Gender.FEMALE
            spouse_first = (self.male() if spouse_gender == Gender.MALE else self.female())[0]
            spouse_family = family if rng.random() < 0.4 else rng.choice(self._families)[0]
            offset = rng.randint(-4, 12) if spouse_gender == Gender.FEMALE else rng.randint(-12, 4)
            born = min(
                head_born + timedelta(days=365 * offset + rng.randint(0, 364)),
                today - timedelta(days=365 * 18),
            )
            members.append(
                {
                    "relation": Relation.SPOUSE,
                    "full_name": " ".join(
                        (spouse_first, self.male()[0], self.male()[0], spouse_family)
                    ),
                    "birth_date": born,
                    "gender": spouse_gender,
                }
            )
            budget -= 1

        # Children carry the father's name: the head's own for a man, the late or former
        # husband's for a widow or a divorced woman.
        child_father = father or self.male()[0]
        child_grandfather = data["father_name"] if father else self.male()[0]
        child_family = (
            family if father else (family if rng.random() < 0.3 else rng.choice(self._families)[0])
        )
        # Children are timed from the mother's birth date, a year or three apart; grown-up
        # children have mostly left, so few over 25 are still counted in the household.
        mother_born = head_born
        if gender == Gender.MALE:
            spouse = members[0]["birth_date"] if members else None
            mother_born = spouse or head_born + timedelta(days=365 * rng.randint(3, 10))
        years_after = rng.randint(19, 30)
        can_have_children = age >= 20 and marital != MaritalStatus.SINGLE
        while budget and can_have_children:
            born = mother_born + timedelta(days=365 * years_after + rng.randint(0, 364))
            years_after += rng.randint(1, 3)
            if born > today - timedelta(days=30) or years_after > 46:
                break
            if _age(born, today) > 25 and rng.random() < 0.9:
                continue
            child_gender = rng.choice([Gender.MALE, Gender.FEMALE])
            name = (self.male() if child_gender == Gender.MALE else self.female())[0]
            members.append(
                {
                    "relation": Relation.SON if child_gender == Gender.MALE else Relation.DAUGHTER,
                    "full_name": f"{name} {child_father} {child_grandfather} {child_family}",
                    "birth_date": born,
                    "gender": child_gender,
                }
            )
            budget -= 1

        if budget and age < 55 and rng.random() < 0.25:
            members.append(
                {
                    "relation": Relation.MOTHER,
                    "full_name": f"{self.female()[0]} {self.male()[0]} {self.male()[0]} "
                    f"{rng.choice(self._families)[0]}",
                    "birth_date": head_born - timedelta(days=365 * rng.randint(18, 35)),
                    "gender": Gender.FEMALE,
                }
            )

        for member in members:
            member_age = _age(member["birth_date"], today)
            member["schooling"] = self._schooling(member_age)
            member["id_type"] = member["id_number"] = ""
            # Identity documents are collected for members aged 15 and over (DOMAIN.md §5).
            if member_age >= 15 and rng.random() < 0.85:
                member["id_type"] = IdType.IQAMA if resident else IdType.NATIONAL_ID
                member["id_number"] = self.identity("2" if resident else "1")
            if rng.random() < 0.05:
                member["disability"] = rng.choice(["physical", "intellectual", "hearing"])
            plan.members.append(MemberPlan(member))

    def _schooling(self, age: int) -> str:
        rng = self.rng
        if age < 4:
            return Schooling.NOT_APPLICABLE
        if 6 <= age <= 17 and rng.random() < 0.04:
            return Schooling.NOT_ENROLLED
        for limit, stage in (
            (6, Schooling.KINDERGARTEN),
            (12, Schooling.PRIMARY),
            (15, Schooling.INTERMEDIATE),
            (18, Schooling.SECONDARY),
        ):
            if age < limit:
                return stage
        if age <= 24:
            return rng.choice([Schooling.UNIVERSITY, Schooling.UNIVERSITY, Schooling.GRADUATE, ""])
        return Schooling.NOT_APPLICABLE

    def _categories(self, plan: PersonPlan, *, age: int) -> list[str]:
        rng, data = self.rng, plan.data
        female = data["gender"] == Gender.FEMALE
        has_minor = any(_age(m.data["birth_date"], self.today) < 18 for m in plan.members)
        reasons: list[str] = []
        if female and data["marital_status"] == MaritalStatus.WIDOWED:
            reasons.append("orphans" if has_minor and rng.random() < 0.6 else "widows")
        if female and data["marital_status"] == MaritalStatus.DIVORCED:
            reasons.append("divorced")
        if data["disability"]:
            reasons.append("disabled")
        if age >= 60:
            reasons.append("elderly")
        if data["health_notes"]:
            reasons.append("sick")
        if age <= 25 and rng.random() < 0.5:
            reasons.append("students")
        roll = rng.random()
        if roll < 0.05:
            reasons.append("prisoners_families")
        elif roll < 0.12:
            reasons.append("debtors")
        reasons.append("families_in_need")
        rng.shuffle(reasons)
        # The first reason is the one staff think of first; a file rarely lists more than two.
        return list(dict.fromkeys(reasons))[: rng.choice([1, 1, 2])]

    def _money(self, plan: PersonPlan, *, age: int) -> None:
        rng, data = self.rng, plan.data
        incomes, obligations = plan.incomes, plan.obligations
        if data["nationality"] == "SA":
            if rng.random() < 0.55:
                incomes.append(MoneyPlan(IncomeKind.SOCIAL_SECURITY, self.amount(800, 3200)))
            if rng.random() < 0.45:
                incomes.append(MoneyPlan(IncomeKind.CITIZEN_ACCOUNT, self.amount(300, 1800)))
        if age >= 58 and rng.random() < 0.5:
            incomes.append(MoneyPlan(IncomeKind.PENSION, self.amount(1500, 6000)))
        if data["marital_status"] == MaritalStatus.DIVORCED and rng.random() < 0.4:
            incomes.append(MoneyPlan(IncomeKind.ALIMONY, self.amount(500, 2000)))
        if data["gender"] == Gender.MALE and age < 60 and rng.random() < 0.35:
            job = rng.choice(["حارس أمن", "سائق", "عامل نظافة", "بائع", "موظف متعاقد"])
            incomes.append(MoneyPlan(IncomeKind.SALARY, self.amount(3000, 7500), job))
        for index, member in enumerate(plan.members):
            if _age(member.data["birth_date"], self.today) >= 20 and rng.random() < 0.2:
                incomes.append(
                    MoneyPlan(IncomeKind.SALARY, self.amount(3000, 6000), "", member_index=index)
                )
        if rng.random() < 0.1:
            incomes.append(MoneyPlan(IncomeKind.FAMILY_SUPPORT, self.amount(200, 1000)))

        if data["housing_type"] == HousingType.RENTED:
            # Rents are quoted per year in Saudi Arabia; the file keeps the monthly share.
            yearly = rng.randrange(12_000, 36_001, 1_000)
            obligations.append(
                MoneyPlan(ObligationKind.RENT, Decimal(yearly) / 12, f"إيجار سنوي {yearly} ريال")
            )
        if rng.random() < 0.6:
            obligations.append(MoneyPlan(ObligationKind.UTILITIES, self.amount(150, 700, 10)))
        if rng.random() < 0.2:
            obligations.append(MoneyPlan(ObligationKind.LOAN, self.amount(500, 3000)))
        if data["health_notes"] and rng.random() < 0.5:
            obligations.append(MoneyPlan(ObligationKind.MEDICAL, self.amount(100, 1500)))
        if rng.random() < 0.05:
            obligations.append(
                MoneyPlan(ObligationKind.COURT_DEBT, self.amount(500, 4000), "سداد حكم قضائي")
            )
        for row in (*incomes, *obligations):
            row.amount = row.amount.quantize(Decimal("0.01"))


# --- Reference rows ---------------------------------------------------------------------------


def ensure_branches() -> dict[str, Branch]:
    """The demo branches, created once; the head office comes from a migration."""
    cities = {c.code: c for c in City.objects.all()}
    for spec in BRANCHES:
        Branch.objects.get_or_create(
            code=spec["code"],
            defaults={
                "name_ar": spec["name_ar"],
                "name_en": spec["name_en"],
                "city": cities.get(spec["city"]),
                "phone": spec["phone"],
                "address": spec["address"],
            },
        )
    return {b.code: b for b in Branch.objects.all()}


def ensure_users(branches: dict[str, Branch]) -> list[User]:
    """The demo staff, one per role; re-running resets their role, branch and password."""
    users = []
    for username, (role, branch_code, gender, full_name) in DEMO_USERS.items():
        user = User.objects.filter(username=username).first() or User(username=username)
        user.role = role
        user.branch = branches[branch_code] if branch_code else None
        user.gender = gender
        user.full_name = full_name
        user.email = f"{username}@mustafid.example"
        user.is_active = True
        user.is_staff = user.is_superuser = role == Role.ADMIN
        user.set_password(DEMO_PASSWORD)
        user.save()
        users.append(user)
    return users


# --- Writing ----------------------------------------------------------------------------------

# Field types whose Python value needs the backend's conversion (UUID as hex text on SQLite,
# aware datetimes as UTC text, decimals); everything else goes to the driver as is.
_CONVERTED_TYPES = frozenset({"UUIDField", "DateTimeField", "DateField", "DecimalField"})


def raw_insert(model: type[models.Model], field_names: Sequence[str], rows: list[tuple]) -> None:
    """Insert rows whose primary keys nobody needs back, without building model instances.

    For the big child tables (a million name tokens for 200,000 files) Django's `bulk_create`
    spends most of its time compiling per-value SQL; COPY on PostgreSQL and `executemany` on
    SQLite do the same work several times faster. Values are converted by the fields
    themselves, so what lands in the table is what the ORM would have written.
    """
    if not rows:
        return
    fields = [model._meta.get_field(name) for name in field_names]
    preps = [
        field.get_db_prep_save if field.get_internal_type() in _CONVERTED_TYPES else None
        for field in fields
    ]
    if any(preps):
        rows = [
            tuple(
                prep(value, connection) if prep else value
                for prep, value in zip(preps, row, strict=True)
            )
            for row in rows
        ]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(field.column) for field in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            # Table and column names come from model metadata, quoted; values are parameters.
            statement = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
            cursor.executemany(statement, rows)


@dataclass
class SeedResult:
    beneficiaries: int = 0
    through_services: int = 0
    members: int = 0
    incomes: int = 0
    obligations: int = 0
    name_tokens: int = 0
    category_links: int = 0
    documents: int = 0
    consents: int = 0
    seconds: float = 0.0


class Seeder:
    def __init__(
        self,
        *,
        seed: int,
        actor: User | None,
        progress: Callable[[str], None] = print,
        today: date | None = None,
    ) -> None:
        self.today = today or timezone.localdate()
        self.actor = actor
        self.progress = progress
        self.seed = seed
        taken = set(Beneficiary.objects.values_list("id_number", flat=True))
        taken |= set(
            HouseholdMember.objects.exclude(id_number="").values_list("id_number", flat=True)
        )
        self.people = PeopleGenerator(seed, taken_ids=taken, today=self.today)
        self.branch_ids = dict(Branch.objects.values_list("code", "pk"))
        self.city_ids = dict(City.objects.values_list("code", "pk"))
        self.categories = {c.code: c for c in Category.objects.all()}
        self.result = SeedResult()

    def run(self, count: int) -> SeedResult:
        started = time.perf_counter()
        self._check_generators()
        via_services = min(count, SERVICE_BATCH) if self.actor is not None else 0
        if via_services:
            self._with_services(via_services, documents=count <= SMALL_RUN)
        done = via_services
        while done < count:
            size = min(BATCH_SIZE, count - done)
            self._bulk(size)
            done += size
            self.progress(
                f"  {done:>9,} / {count:,} beneficiaries  ({time.perf_counter() - started:.1f} s)"
            )
        self.result.beneficiaries = done
        self.result.seconds = time.perf_counter() - started
        return self.result

    def _check_generators(self) -> None:
        """Fail early, before writing anything, if a generator drifted from the validators."""
        probe = PeopleGenerator(self.seed, taken_ids=set(), today=self.today)
        for _ in range(50):
            number = probe.identity(probe.rng.choice("12"))
            assert luhn_ok(number), number
            mobile = probe.mobile()
            assert normalize_saudi_mobile(mobile.replace("+966", "0")) == mobile, mobile
            iban = probe.iban()
            assert validate_saudi_iban(iban) == iban, iban

    # Through the services: a few files exactly as staff would create them ------------------

    def _with_services(self, count: int, *, documents: bool) -> None:
        actor = self.actor
        doc_types = {d.code: d for d in DocumentType.objects.all()}
        notice = PrivacyNotice.objects.order_by("-effective_from").first()
        channels = list(Channel.objects.order_by("sort_order"))
        rng = self.people.rng
        for index in range(count):
            plan = self.people.person(self.city_ids, self.branch_ids)
            beneficiary = services.beneficiary_create(
                actor=actor,
                data=plan.data,
                categories=[self.categories[c] for c in plan.categories],
            )
            members = [
                services.member_save(actor=actor, beneficiary=beneficiary, data=m.data)
                for m in plan.members
            ]
            for row in plan.incomes:
                services.income_add(
                    actor=actor,
                    beneficiary=beneficiary,
                    data={
                        "kind": row.kind,
                        "monthly_amount": row.amount,
                        "note": row.note,
                        "member": members[row.member_index]
                        if row.member_index is not None
                        else None,
                    },
                )
            for row in plan.obligations:
                services.obligation_add(
                    actor=actor,
                    beneficiary=beneficiary,
                    data={"kind": row.kind, "monthly_amount": row.amount, "note": row.note},
                )
            if documents:
                self._documents(beneficiary, doc_types, index)
            if notice and channels and rng.random() < 0.85:
                services.consent_record(
                    actor=actor,
                    beneficiary=beneficiary,
                    notice=notice,
                    channel=rng.choice(channels[:3]),
                )
                self.result.consents += 1
            self.result.members += len(members)
            self.result.incomes += len(plan.incomes)
            self.result.obligations += len(plan.obligations)
            self.result.category_links += len(plan.categories)
        self.result.through_services = count
        self.progress(f"  {count:>9,} beneficiaries through the services (activity log, documents)")

    def _documents(self, beneficiary: Beneficiary, doc_types: dict, index: int) -> None:
        """Two or three documents, with dates chosen so the file page shows every warning."""
        today, rng = self.today, self.people.rng
        # The identity card: expired, expiring within the warning window, or valid.
        id_expiry = today + timedelta(days=(-20, 12, 700)[index % 3])
        specs: list[tuple[str, str, bytes, date | None, date | None]] = [
            ("national_id", "hawiya.png", tiny_png(index), None, id_expiry),
        ]
        # An income statement, too old (over 90 days) for every other file.
        issued = today - timedelta(days=120 if index % 2 else 25)
        income_type = rng.choice(["social_security", "salary_letter", "pension"])
        specs.append((income_type, "taarif.pdf", tiny_pdf("Income statement"), issued, None))
        if beneficiary.housing_type == HousingType.RENTED:
            start = today - timedelta(days=rng.randint(200, 340))
            specs.append(
                (
                    "lease",
                    "aqd-ijar.pdf",
                    tiny_pdf("Lease contract"),
                    start,
                    start + timedelta(days=365),
                )
            )
        elif beneficiary.iban:
            specs.append(
                (
                    "iban_certificate",
                    "iban.pdf",
                    tiny_pdf("IBAN certificate"),
                    today - timedelta(days=rng.randint(10, 400)),
                    None,
                )
            )
        for code, name, content, issued_on, expires_on in specs:
            doc_type = doc_types.get(code)
            if doc_type is None:
                continue
            content_type = "image/png" if name.endswith(".png") else "application/pdf"
            services.document_upload(
                actor=self.actor,
                beneficiary=beneficiary,
                doc_type=doc_type,
                upload=SimpleUploadedFile(name, content, content_type=content_type),
                issued_on=issued_on,
                expires_on=expires_on,
            )
            self.result.documents += 1

    # In bulk: the same rows and derived columns, without per-row validation and audit ------

    @transaction.atomic
    def _bulk(self, size: int) -> None:
        rng = self.people.rng
        now = timezone.now()
        actor_id = self.actor.pk if self.actor else None
        plans = [self.people.person(self.city_ids, self.branch_ids) for _ in range(size)]
        beneficiaries = []
        for plan in plans:
            b = Beneficiary(
                **plan.data,
                public_id=uuid.uuid4(),
                created_by_id=actor_id,
                # Spread over three years, so lists sorted by date look lived-in.
                created_at=now - timedelta(seconds=rng.randrange(3 * 365 * 86_400)),
            )
            b.updated_at = b.created_at
            services._apply_name_keys(b)
            beneficiaries.append(b)
        Beneficiary.objects.bulk_create(beneficiaries, batch_size=BATCH_SIZE)

        tokens: list[tuple[int, str]] = []
        links: list[tuple[int, int]] = []
        members: list[HouseholdMember] = []
        member_owner: list[tuple[int, int]] = []  # (plan index, member index) per member row
        category_pks = {code: c.pk for code, c in self.categories.items()}
        for plan_index, (plan, b) in enumerate(zip(plans, beneficiaries, strict=True)):
            # Exactly the rows services._index_name writes.
            tokens.extend((b.pk, token[:60]) for token in dict.fromkeys(search_tokens(b.full_name)))
            links.extend((b.pk, category_pks[code]) for code in plan.categories)
            for member_index, member in enumerate(plan.members):
                members.append(
                    HouseholdMember(
                        beneficiary_id=b.pk,
                        public_id=uuid.uuid4(),
                        created_at=b.created_at,
                        updated_at=b.created_at,
                        **member.data,
                    )
                )
                member_owner.append((plan_index, member_index))
        raw_insert(NameToken, ("beneficiary", "token"), tokens)
        raw_insert(Beneficiary.categories.through, ("beneficiary", "category"), links)
        # Members through the ORM: their primary keys come back for the incomes that cite them.
        HouseholdMember.objects.bulk_create(members, batch_size=BATCH_SIZE)
        member_pk = {owner: m.pk for owner, m in zip(member_owner, members, strict=True)}

        money = (
            "public_id",
            "created_at",
            "updated_at",
            "beneficiary",
            "kind",
            "monthly_amount",
            "note",
        )
        incomes, obligations = [], []
        for plan_index, (plan, b) in enumerate(zip(plans, beneficiaries, strict=True)):
            for row in plan.incomes:
                member_id = (
                    member_pk[(plan_index, row.member_index)]
                    if row.member_index is not None
                    else None
                )
                incomes.append(
                    (
                        uuid.uuid4(),
                        b.created_at,
                        b.created_at,
                        b.pk,
                        row.kind,
                        row.amount,
                        row.note,
                        member_id,
                    )
                )
            for row in plan.obligations:
                obligations.append(
                    (uuid.uuid4(), b.created_at, b.created_at, b.pk, row.kind, row.amount, row.note)
                )
        raw_insert(IncomeSource, (*money, "member"), incomes)
        raw_insert(Obligation, money, obligations)

        result = self.result
        result.name_tokens += len(tokens)
        result.category_links += len(links)
        result.members += len(members)
        result.incomes += len(incomes)
        result.obligations += len(obligations)
