"""The public satisfaction survey (Survei Kepuasan Masyarakat) as PermenPAN-RB No. 14/2017
defines it: its service elements, the 1-4 answer scale and the quality grades, in
configuration (`PROCTOR_SURVEY`) so a change of the guideline needs no new release.

Source: Peraturan Menteri PAN-RB Nomor 14 Tahun 2017 tentang Pedoman Penyusunan Survei
Kepuasan Masyarakat Unit Penyelenggara Pelayanan Publik, Lampiran: the nine elements (ruang
lingkup survei), the questionnaire's questions and answer words, the index as the weighted mean
of the element means (each weight 1/9) converted by x 25, and the table of perception values,
conversion intervals and quality grades (A 88.31-100.00 sangat baik, B 76.61-88.30 baik,
C 65.00-76.60 kurang baik, D 25.00-64.99 tidak baik). README: "Satisfaction survey (IKM)".
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, model_validator

SCALE = (1, 2, 3, 4)  # the guideline's four answers, worst first


class Element(BaseModel):
    """One service element (unsur pelayanan): its question and the four answers' words."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=r"^[a-z_]{2,32}$")
    name_id: str
    name_en: str
    question_id: str
    question_en: str
    answers_id: tuple[str, str, str, str]
    answers_en: tuple[str, str, str, str]


class Grade(BaseModel):
    """A quality grade (mutu pelayanan) from `lowest` (on the 25-100 scale) upwards."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    letter: str = Field(pattern=r"^[A-Z]$")
    lowest: Decimal = Field(ge=25, le=100, decimal_places=2)
    name_id: str
    name_en: str


def _element(code: str, name_id: str, name_en: str, *texts: object) -> Element:
    """The guideline's element, its question and answers in Indonesian and English."""
    question_id, question_en, answers_id, answers_en = texts
    return Element(
        code=code, name_id=name_id, name_en=name_en, question_id=question_id,
        question_en=question_en, answers_id=answers_id, answers_en=answers_en,
    )  # fmt: skip


SUITABLE_ID = ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai")
SUITABLE_EN = ("Not suitable", "Somewhat unsuitable", "Suitable", "Very suitable")

ELEMENTS = (
    _element(
        "requirements", "Persyaratan", "Requirements",
        "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis "
        "pelayanannya?",
        "How well did the requirements fit the service?",
        SUITABLE_ID, SUITABLE_EN,
    ),
    _element(
        "procedure", "Sistem, mekanisme, dan prosedur", "System, mechanism and procedure",
        "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
        "How easy was the procedure of this service?",
        ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
        ("Not easy", "Not very easy", "Easy", "Very easy"),
    ),
    _element(
        "completion_time", "Waktu penyelesaian", "Completion time",
        "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
        "How quick was the service?",
        ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"),
        ("Not quick", "Not very quick", "Quick", "Very quick"),
    ),
    _element(
        "cost", "Biaya/tarif", "Cost",
        "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
        "How fair was the cost of the service?",
        ("Sangat mahal", "Cukup mahal", "Murah", "Gratis"),
        ("Very expensive", "Rather expensive", "Cheap", "Free"),
    ),
    _element(
        "product", "Produk spesifikasi jenis pelayanan", "The service product",
        "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum "
        "dalam standar pelayanan dengan hasil yang diberikan?",
        "How well did what you received match the published service standard?",
        SUITABLE_ID, SUITABLE_EN,
    ),
    _element(
        "competence", "Kompetensi pelaksana", "Staff competence",
        "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
        "How competent were the staff?",
        ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
        ("Not competent", "Not very competent", "Competent", "Very competent"),
    ),
    _element(
        "conduct", "Perilaku pelaksana", "Staff conduct",
        "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait kesopanan "
        "dan keramahan?",
        "How polite and friendly were the staff?",
        ("Tidak sopan dan ramah", "Kurang sopan dan ramah", "Sopan dan ramah",
         "Sangat sopan dan ramah"),
        ("Not polite or friendly", "Not very polite or friendly", "Polite and friendly",
         "Very polite and friendly"),
    ),
    _element(
        "complaints", "Penanganan pengaduan, saran dan masukan",
        "Handling of complaints, suggestions and input",
        "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?",
        "How were complaints from service users handled?",
        ("Tidak ada", "Ada tetapi tidak berfungsi", "Berfungsi kurang maksimal",
         "Dikelola dengan baik"),
        ("There is none", "There is one, but it does not work", "It works, not fully",
         "Well managed"),
    ),
    _element(
        "facilities", "Sarana dan prasarana", "Facilities",
        "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
        "How good were the facilities?",
        ("Buruk", "Cukup", "Baik", "Sangat baik"),
        ("Poor", "Fair", "Good", "Very good"),
    ),
)  # fmt: skip

GRADES = (
    Grade(letter="A", lowest=Decimal("88.31"), name_id="Sangat baik", name_en="Very good"),
    Grade(letter="B", lowest=Decimal("76.61"), name_id="Baik", name_en="Good"),
    Grade(letter="C", lowest=Decimal("65.00"), name_id="Kurang baik", name_en="Poor"),
    Grade(letter="D", lowest=Decimal("25.00"), name_id="Tidak baik", name_en="Very poor"),
)


class SurveyRules(BaseModel):
    """The survey's elements and grade bands (defaults: PermenPAN-RB 14/2017), and how long a
    station offers the survey after the exam."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    elements: tuple[Element, ...] = Field(ELEMENTS, min_length=1)
    grades: tuple[Grade, ...] = Field(GRADES, min_length=1)
    station_minutes: int = Field(
        30, ge=1, le=24 * 60, description="Minutes a station offers the survey after the exam."
    )

    @model_validator(mode="after")
    def _consistent(self) -> SurveyRules:
        codes = [e.code for e in self.elements]
        if len(set(codes)) != len(codes):
            raise ValueError("element codes must differ")
        lowest = [g.lowest for g in self.grades]
        if lowest != sorted(lowest, reverse=True) or len(set(lowest)) != len(lowest):
            raise ValueError("grades go from the best down, each starting lower")
        if lowest[-1] != Decimal(25):
            raise ValueError("the last grade must start at 25.00, the lowest index")
        return self

    def element(self, code: str) -> Element | None:
        return next((e for e in self.elements if e.code == code), None)
