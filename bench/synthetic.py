"""A generator of realistic synthetic documents for benchmarks.

About 75% Vietnamese (provincial programs, plans, district plans, reports,
People's Committee plans and news), 20% English and 5% German news, about
2-4 KB each, citing real central documents by their real numbers and dates. The
generator writes the references, dates and relations it puts into each text
as tags, so a store can be filled without running the tagger, and the same
seed always gives the same documents.

    python bench/synthetic.py --docs 5 --seed 1     # print a few documents
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from docsearch.models import DateMention, Identity, Reference, Relation, TagResult


@dataclass(frozen=True)
class Central:
    """A real central document: number, date, issuing body and subject in three languages."""

    id: str
    type: str
    day: date
    body_vi: str
    body_en: str
    body_de: str
    vi: str
    en: str
    de: str
    topic: str


CENTRAL: tuple[Central, ...] = (
    Central("57-NQ/TW", "NQ", date(2024, 12, 22), "Bộ Chính trị", "the Politburo", "des Politbüros",
            "đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia",
            "breakthroughs in science, technology, innovation and national digital transformation",
            "Durchbrüche in Wissenschaft, Technologie, Innovation und nationaler digitaler Transformation",
            "digital"),
    Central("59-NQ/TW", "NQ", date(2025, 1, 24), "Bộ Chính trị", "the Politburo", "des Politbüros",
            "hội nhập quốc tế trong tình hình mới", "international integration in the new situation",
            "die internationale Integration in der neuen Lage", "integration"),
    Central("66-NQ/TW", "NQ", date(2025, 4, 30), "Bộ Chính trị", "the Politburo", "des Politbüros",
            "đổi mới công tác xây dựng và thi hành pháp luật đáp ứng yêu cầu phát triển đất nước trong kỷ nguyên mới",
            "innovating law making and enforcement to meet the requirements of national development in the new era",
            "die Erneuerung der Gesetzgebung und der Rechtsdurchsetzung", "law"),
    Central("68-NQ/TW", "NQ", date(2025, 5, 4), "Bộ Chính trị", "the Politburo", "des Politbüros",
            "phát triển kinh tế tư nhân", "private economic development", "die Entwicklung der Privatwirtschaft",
            "private"),
    Central("18-NQ/TW", "NQ", date(2017, 10, 25), "Hội nghị lần thứ sáu Ban Chấp hành Trung ương Đảng khóa XII",
            "the 6th plenum of the 12th Party Central Committee", "des 6. Plenums des 12. Zentralkomitees",
            "một số vấn đề về tiếp tục đổi mới, sắp xếp tổ chức bộ máy của hệ thống chính trị tinh gọn, hoạt động hiệu lực, hiệu quả",
            "continuing to renovate and streamline the organisational apparatus of the political system",
            "die weitere Neuordnung und Straffung des Apparats des politischen Systems", "apparatus"),
    Central("121-KL/TW", "KL", date(2025, 1, 24), "Ban Chấp hành Trung ương Đảng", "the Party Central Committee",
            "des Zentralkomitees", "tổng kết Nghị quyết số 18-NQ/TW về sắp xếp tổ chức bộ máy",
            "the review of Resolution 18 on streamlining the apparatus",
            "die Bilanz der Resolution 18 zur Straffung des Apparats", "apparatus"),
    Central("35-CT/TW", "CT", date(2024, 6, 14), "Bộ Chính trị", "the Politburo", "des Politbüros",
            "đại hội đảng bộ các cấp tiến tới Đại hội đại biểu toàn quốc lần thứ XIV của Đảng",
            "party congresses at all levels towards the 14th National Party Congress",
            "die Parteitage auf allen Ebenen im Hinblick auf den 14. Nationalen Parteitag", "congress"),
    Central("45-CT/TW", "CT", date(2025, 4, 14), "Bộ Chính trị", "the Politburo", "des Politbüros",
            "đại hội đảng bộ các cấp tiến tới Đại hội đại biểu toàn quốc lần thứ XIV của Đảng",
            "party congresses at all levels towards the 14th National Party Congress",
            "die Parteitage auf allen Ebenen im Hinblick auf den 14. Nationalen Parteitag", "congress"),
    Central("144-QĐ/TW", "QĐ", date(2024, 5, 9), "Bộ Chính trị", "the Politburo", "des Politbüros",
            "chuẩn mực đạo đức cách mạng của cán bộ, đảng viên trong giai đoạn mới",
            "revolutionary ethical standards of cadres and party members in the new period",
            "die revolutionären ethischen Standards der Kader und Parteimitglieder", "ethics"),
    Central("28-NQ/TW", "NQ", date(2022, 11, 17), "Hội nghị lần thứ sáu Ban Chấp hành Trung ương Đảng khóa XIII",
            "the 6th plenum of the 13th Party Central Committee", "des 6. Plenums des 13. Zentralkomitees",
            "tiếp tục đổi mới phương thức lãnh đạo, cầm quyền của Đảng đối với hệ thống chính trị trong giai đoạn mới",
            "continuing to innovate the Party's leadership and governance methods over the political system",
            "die Erneuerung der Führungsmethoden der Partei", "leadership"),
    Central("29-NQ/TW", "NQ", date(2022, 11, 17), "Hội nghị lần thứ sáu Ban Chấp hành Trung ương Đảng khóa XIII",
            "the 6th plenum of the 13th Party Central Committee", "des 6. Plenums des 13. Zentralkomitees",
            "tiếp tục đẩy mạnh công nghiệp hóa, hiện đại hóa đất nước đến năm 2030, tầm nhìn đến năm 2045",
            "industrialisation and modernisation of the country until 2030 with a vision to 2045",
            "die Industrialisierung und Modernisierung des Landes bis 2030", "industry"),
    Central("18-NQ/TW", "NQ", date(2022, 6, 16), "Hội nghị lần thứ năm Ban Chấp hành Trung ương Đảng khóa XIII",
            "the 5th plenum of the 13th Party Central Committee", "des 5. Plenums des 13. Zentralkomitees",
            "tiếp tục đổi mới, hoàn thiện thể chế, chính sách, nâng cao hiệu lực, hiệu quả quản lý và sử dụng đất",
            "improving land management and use", "die Verbesserung der Bodenverwaltung und -nutzung", "land"),
    Central("05-CT/TW", "CT", date(2016, 5, 15), "Bộ Chính trị", "the Politburo", "des Politbüros",
            "đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
            "studying and following Ho Chi Minh's ideology, ethics and style",
            "das Studium und die Befolgung der Ideologie Ho Chi Minhs", "ethics"),
)

GOVERNMENT: tuple[tuple[str, date, str], ...] = (
    ("03/NQ-CP", date(2025, 1, 9), "Chương trình hành động của Chính phủ thực hiện Nghị quyết số 57-NQ/TW"),
    ("13/2023/NĐ-CP", date(2023, 4, 17), "bảo vệ dữ liệu cá nhân"),
    ("198/2025/QH15", date(2025, 5, 17), "một số cơ chế, chính sách đặc biệt phát triển kinh tế tư nhân"),
)

PROVINCES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Quảng Ninh", "Quang Ninh", ("Vân Đồn", "Tiên Yên", "Đầm Hà", "Hải Hà", "Ba Chẽ", "Bình Liêu")),
    ("Bắc Ninh", "Bac Ninh", ("Gia Bình", "Lương Tài", "Quế Võ", "Thuận Thành", "Tiên Du", "Yên Phong")),
    ("Nghệ An", "Nghe An", ("Nam Đàn", "Hưng Nguyên", "Diễn Châu", "Quỳnh Lưu", "Thanh Chương", "Đô Lương")),
    ("Cao Bằng", "Cao Bang", ("Trùng Khánh", "Hà Quảng", "Bảo Lạc", "Hòa An", "Quảng Hòa", "Nguyên Bình")),
    ("Đà Nẵng", "Da Nang", ("Hòa Vang", "Liên Chiểu", "Cẩm Lệ", "Sơn Trà", "Ngũ Hành Sơn", "Hải Châu")),
    ("Thanh Hóa", "Thanh Hoa", ("Nga Sơn", "Hậu Lộc", "Hoằng Hóa", "Quảng Xương", "Tĩnh Gia", "Thọ Xuân")),
    ("Hà Tĩnh", "Ha Tinh", ("Can Lộc", "Đức Thọ", "Hương Sơn", "Kỳ Anh", "Thạch Hà", "Cẩm Xuyên")),
    ("Lào Cai", "Lao Cai", ("Sa Pa", "Bát Xát", "Bảo Thắng", "Bắc Hà", "Mường Khương", "Văn Bàn")),
    ("Hải Dương", "Hai Duong", ("Chí Linh", "Kinh Môn", "Nam Sách", "Thanh Hà", "Tứ Kỳ", "Gia Lộc")),
    ("Vĩnh Phúc", "Vinh Phuc", ("Tam Đảo", "Lập Thạch", "Sông Lô", "Yên Lạc", "Vĩnh Tường", "Bình Xuyên")),
    ("Khánh Hòa", "Khanh Hoa", ("Cam Lâm", "Diên Khánh", "Khánh Vĩnh", "Vạn Ninh", "Ninh Hòa", "Cam Ranh")),
    ("Bình Thuận", "Binh Thuan", ("Hàm Thuận Bắc", "Bắc Bình", "Tuy Phong", "Đức Linh", "Tánh Linh", "Phú Quý")),
)

# Per topic: noun phrases for tasks, and measurable targets (vi, en, de).
TOPICS: dict[str, dict[str, tuple[str, ...]]] = {
    "digital": {
        "vi": ("hạ tầng số và trung tâm dữ liệu của tỉnh", "chính quyền số và dịch vụ công trực tuyến toàn trình",
               "kinh tế số và thương mại điện tử", "nguồn nhân lực công nghệ thông tin chất lượng cao",
               "trung tâm đổi mới sáng tạo và doanh nghiệp khởi nghiệp", "an toàn, an ninh mạng và bảo vệ dữ liệu cá nhân",
               "cơ sở dữ liệu dân cư, đất đai, doanh nghiệp được kết nối, chia sẻ", "chuyển đổi số trong các cơ quan đảng"),
        "metric_vi": ("tỷ trọng kinh tế số trong GRDP", "tỷ lệ hồ sơ thủ tục hành chính được xử lý trực tuyến",
                      "tỷ lệ hộ gia đình có kết nối internet băng rộng cáp quang", "chi ngân sách cho khoa học, công nghệ"),
        "en": ("digital infrastructure and data centres", "e-government and online public services",
               "the digital economy and e-commerce", "community digital technology teams",
               "the provincial innovation centre", "cyber security and personal data protection"),
        "de": ("die digitale Infrastruktur", "elektronische öffentliche Dienstleistungen", "die digitale Wirtschaft",
               "das Innovationszentrum der Provinz", "die Cybersicherheit"),
    },
    "private": {
        "vi": ("môi trường đầu tư kinh doanh minh bạch, thuận lợi", "doanh nghiệp nhỏ và vừa tiếp cận tín dụng",
               "hộ kinh doanh chuyển đổi lên doanh nghiệp", "liên kết giữa doanh nghiệp tư nhân và doanh nghiệp FDI",
               "cải cách thủ tục hành chính, cắt giảm chi phí tuân thủ", "quỹ đất sạch cho doanh nghiệp khởi nghiệp"),
        "metric_vi": ("số doanh nghiệp đang hoạt động", "tỷ trọng kinh tế tư nhân trong GRDP",
                      "tốc độ tăng trưởng bình quân của khu vực kinh tế tư nhân"),
        "en": ("the business environment", "access to credit for small and medium enterprises",
               "household businesses becoming enterprises", "administrative procedure reform"),
        "de": ("das Investitionsklima", "kleine und mittlere Unternehmen", "die Verwaltungsreform"),
    },
    "apparatus": {
        "vi": ("sắp xếp, tinh gọn tổ chức bộ máy của hệ thống chính trị", "tinh giản biên chế gắn với cơ cấu lại đội ngũ",
               "sáp nhập các phòng, ban chuyên môn cấp huyện", "kết thúc hoạt động của các đảng đoàn, ban cán sự đảng",
               "vị trí việc làm và chế độ, chính sách đối với cán bộ dôi dư", "mô hình chính quyền địa phương hai cấp"),
        "metric_vi": ("số đầu mối cơ quan, đơn vị giảm", "tỷ lệ tinh giản biên chế", "số phòng chuyên môn cấp huyện giảm"),
        "en": ("streamlining the apparatus", "reducing the number of departments", "staff downsizing",
               "the two-tier local government model"),
        "de": ("die Straffung des Apparats", "die Zusammenlegung von Abteilungen", "den Stellenabbau"),
    },
    "congress": {
        "vi": ("công tác chuẩn bị văn kiện đại hội", "công tác nhân sự cấp ủy nhiệm kỳ 2025 - 2030",
               "đại hội điểm ở cấp cơ sở", "tuyên truyền về đại hội đảng bộ các cấp",
               "giải quyết đơn thư, khiếu nại, tố cáo liên quan đến nhân sự", "bảo đảm an ninh, trật tự phục vụ đại hội"),
        "metric_vi": ("tỷ lệ cấp ủy viên trẻ", "tỷ lệ cấp ủy viên nữ", "số tổ chức cơ sở đảng hoàn thành đại hội"),
        "en": ("congress documents", "personnel work for the 2025-2030 term", "pilot congresses at the grassroots"),
        "de": ("die Parteitagsdokumente", "die Personalarbeit für die Amtszeit 2025-2030", "Pilotparteitage"),
    },
    "ethics": {
        "vi": ("chuẩn mực đạo đức cách mạng của cán bộ, đảng viên", "học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
               "nêu gương của người đứng đầu", "phòng, chống suy thoái về tư tưởng chính trị, đạo đức, lối sống",
               "kiểm tra, giám sát việc tu dưỡng, rèn luyện đạo đức"),
        "metric_vi": ("tỷ lệ đảng viên đăng ký làm theo", "tỷ lệ tổ chức đảng hoàn thành tốt nhiệm vụ"),
        "en": ("ethical standards of party members", "the exemplary role of leaders", "moral training"),
        "de": ("die ethischen Standards", "die Vorbildrolle der Leiter"),
    },
    "leadership": {
        "vi": ("đổi mới phương thức lãnh đạo của cấp ủy", "quy chế làm việc của ban chấp hành đảng bộ",
               "mối quan hệ giữa cấp ủy và chính quyền", "ban hành nghị quyết chuyên đề sát thực tiễn"),
        "metric_vi": ("số nghị quyết chuyên đề được ban hành", "tỷ lệ chi bộ sinh hoạt chuyên đề hằng tháng"),
        "en": ("leadership methods", "working regulations of party committees", "specialised resolutions"),
        "de": ("die Führungsmethoden", "die Arbeitsordnung der Parteikomitees"),
    },
    "law": {
        "vi": ("rà soát, hệ thống hóa văn bản quy phạm pháp luật", "tổ chức thi hành pháp luật ở cơ sở",
               "phổ biến, giáo dục pháp luật cho người dân và doanh nghiệp", "kiểm soát quyền lực trong xây dựng pháp luật"),
        "metric_vi": ("số văn bản quy phạm pháp luật được rà soát", "tỷ lệ thủ tục hành chính được đơn giản hóa"),
        "en": ("law making", "law enforcement at the grassroots", "legal dissemination"),
        "de": ("die Gesetzgebung", "die Rechtsdurchsetzung"),
    },
    "integration": {
        "vi": ("hội nhập kinh tế quốc tế", "thu hút đầu tư trực tiếp nước ngoài có chọn lọc", "hợp tác với các địa phương nước ngoài"),
        "metric_vi": ("vốn đầu tư trực tiếp nước ngoài thu hút", "kim ngạch xuất khẩu"),
        "en": ("international integration", "foreign direct investment", "cooperation with foreign localities"),
        "de": ("die internationale Integration", "ausländische Direktinvestitionen"),
    },
    "land": {
        "vi": ("quy hoạch, kế hoạch sử dụng đất", "thu hồi đất, bồi thường, hỗ trợ, tái định cư", "định giá đất theo nguyên tắc thị trường"),
        "metric_vi": ("tỷ lệ diện tích đất được cấp giấy chứng nhận", "diện tích đất được đưa vào sử dụng"),
        "en": ("land use planning", "land recovery and compensation", "land valuation"),
        "de": ("die Bodennutzungsplanung", "die Entschädigung bei Landentzug"),
    },
    "industry": {
        "vi": ("phát triển công nghiệp chế biến, chế tạo", "khu công nghiệp xanh, sinh thái", "công nghiệp hỗ trợ"),
        "metric_vi": ("tỷ trọng công nghiệp trong GRDP", "tốc độ tăng giá trị sản xuất công nghiệp"),
        "en": ("manufacturing industry", "green industrial parks"),
        "de": ("die verarbeitende Industrie", "grüne Industrieparks"),
    },
}

VERBS_VI = ("Đẩy mạnh", "Tập trung lãnh đạo, chỉ đạo", "Nâng cao hiệu quả", "Tăng cường", "Ưu tiên nguồn lực cho",
            "Rà soát, hoàn thiện cơ chế về", "Tổ chức quán triệt, triển khai", "Khuyến khích, hỗ trợ",
            "Chỉ đạo thực hiện tốt", "Phát huy vai trò của các cấp ủy trong")
TAILS_VI = ("trên địa bàn tỉnh", "trong giai đoạn 2025 - 2030", "tại các cơ quan, đơn vị, địa phương",
            "gắn với nhiệm vụ phát triển kinh tế - xã hội", "ở cấp cơ sở", "bảo đảm thực chất, hiệu quả",
            "theo đúng tinh thần chỉ đạo của Trung ương", "với lộ trình, bước đi phù hợp")
SECTIONS_VI = ("I. MỤC TIÊU, YÊU CẦU", "II. NHIỆM VỤ, GIẢI PHÁP CHỦ YẾU", "III. TỔ CHỨC THỰC HIỆN")
CLOSING_VI = ("Các cấp ủy, tổ chức đảng căn cứ Chương trình này xây dựng kế hoạch cụ thể, báo cáo kết quả thực hiện định kỳ 6 tháng, hằng năm.",
              "Ban Tuyên giáo Tỉnh ủy chủ trì, phối hợp với các cơ quan liên quan tuyên truyền sâu rộng trong cán bộ, đảng viên và nhân dân.",
              "Ủy ban Kiểm tra Tỉnh ủy theo dõi, kiểm tra, giám sát việc thực hiện, định kỳ báo cáo Ban Thường vụ Tỉnh ủy.",
              "Văn phòng Tỉnh ủy theo dõi, đôn đốc, tổng hợp tình hình, kết quả thực hiện.")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")
MONTHS_DE = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
             "November", "Dezember")


@dataclass(frozen=True)
class SyntheticDoc:
    """One generated document with the tags the generator knows it contains."""

    path: str
    lang: str
    title: str | None
    text: str
    tags: TagResult


@dataclass
class _Text:
    """Text assembled piece by piece, remembering where each reference and date went."""

    parts: list[str] = field(default_factory=list)
    length: int = 0
    refs: list[Reference] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)

    def add(self, s: str) -> None:
        self.parts.append(s)
        self.length += len(s)

    def ref(self, s: str, doc_id: str, type_code: str, when: date | None, relation: str = "cites") -> None:
        number, _, issuer = doc_id.partition("/")
        self.refs.append(Reference(
            start=self.length, end=self.length + len(s), text=s, id=doc_id, type=type_code,
            number=number.split("-")[0], issuer_code=issuer.split("-")[-1] if issuer else None,
            year=when.year if when else None, date=when, relation=relation))
        self.add(s)

    def when(self, s: str, day: date) -> None:
        self.dates.append(DateMention(self.length, self.length + len(s), s, day))
        self.add(s)

    @property
    def text(self) -> str:
        return "".join(self.parts)


def _vi_date(d: date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}" if d.day < 10 or d.month < 3 else f"{d.day}/{d.month}/{d.year}"


def _en_date(d: date) -> str:
    return f"{MONTHS_EN[d.month - 1]} {d.day}, {d.year}"


def _de_date(d: date) -> str:
    return f"{d.day}. {MONTHS_DE[d.month - 1]} {d.year}"


class Generator:
    """Deterministic documents: ``Generator(seed).documents(n)``."""

    def __init__(self, seed: int = 1) -> None:
        self.rnd = random.Random(seed)

    def documents(self, n: int) -> Iterator[SyntheticDoc]:
        for i in range(n):
            roll = self.rnd.random()
            if roll < 0.75:
                yield self._vietnamese(i)
            elif roll < 0.95:
                yield self._english(i)
            else:
                yield self._german(i)

    # -- pieces ------------------------------------------------------------------------------
    def _central_ref_vi(self, t: _Text, c: Central, relation: str, short: bool = False) -> None:
        name = {"NQ": "Nghị quyết", "CT": "Chỉ thị", "KL": "Kết luận", "QĐ": "Quy định"}[c.type]
        if short:
            t.ref(f"{name} {c.id.split('-')[0]}", c.id, c.type, None, relation)
            return
        t.ref(f"{name} số {c.id}", c.id, c.type, c.day, relation)
        t.add(", ngày ")
        t.when(_vi_date(c.day), c.day)
        t.add(f" của {c.body_vi}")

    def _vi_sentence(self, topic: str) -> str:
        r = self.rnd
        pool = TOPICS[topic]
        if r.random() < 0.3:
            metric = r.choice(pool["metric_vi"])
            return f"Phấn đấu đến năm {r.choice((2026, 2027, 2028, 2030))}, {metric} đạt {r.randint(5, 95)}%."
        return f"{r.choice(VERBS_VI)} {r.choice(pool['vi'])} {r.choice(TAILS_VI)}."

    # -- Vietnamese -----------------------------------------------------------------------------
    def _vietnamese(self, i: int) -> SyntheticDoc:
        r = self.rnd
        province, _, districts = r.choice(PROVINCES)
        central = r.choice(CENTRAL)
        kind = r.choices(("ctr", "kh", "hu", "bc", "ubnd", "news"), weights=(20, 25, 20, 10, 10, 15))[0]
        day = central.day + timedelta(days=r.randint(20, 300))
        number = r.randint(1, 480)
        t = _Text()
        relation = "implements"
        if kind == "news":
            return self._vi_news(i, province, central, day)
        if kind == "ctr":
            own, org, level_name, code, type_code = f"{number}-CTr/TU", f"TỈNH ỦY {province.upper()}", "Tỉnh ủy", "TU", "CTr"
            heading = "CHƯƠNG TRÌNH HÀNH ĐỘNG"
        elif kind == "kh":
            own, org, level_name, code, type_code = f"{number}-KH/TU", f"TỈNH ỦY {province.upper()}", "Tỉnh ủy", "TU", "KH"
            heading = "KẾ HOẠCH"
        elif kind == "hu":
            district = r.choice(districts)
            own, org, level_name, code, type_code = f"{number}-KH/HU", f"HUYỆN ỦY {district.upper()}", f"Huyện ủy {district}", "HU", "KH"
            heading = "KẾ HOẠCH"
        elif kind == "bc":
            own, org, level_name, code, type_code = f"{number}-BC/TU", f"TỈNH ỦY {province.upper()}", "Tỉnh ủy", "TU", "BC"
            heading = "BÁO CÁO"
            relation = "summarizes"
        else:
            own, org, level_name, code, type_code = f"{number}/KH-UBND", f"ỦY BAN NHÂN DÂN TỈNH {province.upper()}", "Ủy ban nhân dân tỉnh", "UBND", "KH"
            heading = "KẾ HOẠCH"
        issuer = f"{level_name} {province}" if code == "TU" else level_name + (f" {province}" if code == "UBND" else "")
        if code == "UBND":
            t.add(f"{org}\n-------\nSố: {own}\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n")
        else:
            t.add(f"ĐẢNG BỘ TỈNH {province.upper()}\n{org}\n*\nSố {own}\nĐẢNG CỘNG SẢN VIỆT NAM\n")
        place = province if code != "HU" else issuer.split("Huyện ủy ")[-1]
        t.add(f"{place}, ")
        t.when(f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}", day)
        t.add(f"\n\n{heading}\n")
        verb = "sơ kết 01 năm thực hiện" if kind == "bc" else "thực hiện"
        t.add(f"{verb} ")
        self._central_ref_vi(t, central, relation)
        t.add(f" về {central.vi}\n-----\n\n")
        t.add("Thực hiện ")
        self._central_ref_vi(t, central, relation)
        t.add(" (sau đây gọi tắt là ")
        self._central_ref_vi(t, central, relation, short=True)
        t.add(f"), Ban Thường vụ {issuer} ban hành {heading.lower()} như sau:\n\n")
        target = r.randint(1500, 2700)
        section = 0
        while t.length < target:
            if section < len(SECTIONS_VI) and r.random() < 0.25:
                t.add(f"{SECTIONS_VI[section]}\n")
                section += 1
            sentences = [self._vi_sentence(central.topic if r.random() < 0.75 else r.choice(tuple(TOPICS)))
                         for _ in range(r.randint(2, 4))]
            t.add(f"{r.randint(1, 9)}. " + " ".join(sentences))
            if r.random() < 0.3:
                other = r.choice(CENTRAL)
                if other.id != central.id:
                    t.add(" Gắn với việc thực hiện ")
                    self._central_ref_vi(t, other, "cites")
                    t.add(f" về {other.vi}.")
            if r.random() < 0.1:
                gov_id, gov_day, gov_subject = r.choice(GOVERNMENT)
                t.add(" Triển khai đồng bộ ")
                kind_name = "Nghị định" if "NĐ" in gov_id else "Nghị quyết"
                t.ref(f"{kind_name} số {gov_id}", gov_id, "NĐ" if "NĐ" in gov_id else "NQ", gov_day)
                t.add(f" về {gov_subject}.")
            t.add("\n\n")
        t.add(r.choice(CLOSING_VI) + "\n")
        ident = Identity(id=own, type=type_code, issuer=issuer, date=day, issuer_code=code,
                         title=f"{heading.capitalize()} {verb} {central.type} {central.id}")
        relations = tuple(
            Relation(source=own, target=ref.id, type=ref.relation, evidence=ref.text,
                     evidence_start=ref.start, evidence_end=ref.end, target_date=ref.date)
            for ref in t.refs if ref.id is not None and ref.id != own
        )
        path = f"/synthetic/vi/{_slug(province)}/{own.replace('/', '-').lower()}-{i:06d}.txt"
        return SyntheticDoc(path, "vi", None, t.text, TagResult(ident, tuple(t.refs), tuple(t.dates), relations))

    def _vi_news(self, i: int, province: str, central: Central, day: date) -> SyntheticDoc:
        r = self.rnd
        number = r.randint(1, 480)
        own = f"{number}-CTr/TU"
        t = _Text()
        title = f"{province} ban hành Chương trình hành động thực hiện Nghị quyết {central.id.split('-')[0]} của {central.body_vi}"
        t.add(title + "\n\n")
        t.when(f"{day.day:02d}/{day.month:02d}/{day.year}", day)
        t.add(f" - Ban Thường vụ Tỉnh ủy {province} vừa ban hành ")
        t.ref(f"Chương trình hành động số {own}", own, "CTr", None)
        t.add(" thực hiện ")
        self._central_ref_vi(t, central, "cites")
        t.add(f" về {central.vi}.\n\n")
        target = r.randint(1500, 2700)
        while t.length < target:
            t.add(" ".join(self._vi_sentence(central.topic) for _ in range(r.randint(2, 4))) + "\n\n")
        path = f"/synthetic/vi/news/{_slug(province)}-{i:06d}.html"
        return SyntheticDoc(path, "vi", title, t.text, TagResult(None, tuple(t.refs), tuple(t.dates), ()))

    # -- English and German ------------------------------------------------------------------------
    def _english(self, i: int) -> SyntheticDoc:
        r = self.rnd
        _, province, _ = r.choice(PROVINCES)
        c = r.choice(CENTRAL)
        day = c.day + timedelta(days=r.randint(20, 300))
        number = r.randint(1, 480)
        name = {"NQ": "Resolution", "CT": "Directive", "KL": "Conclusion", "QĐ": "Regulation"}[c.type]
        t = _Text()
        title = f"{province} issues action program to implement {name} {c.id.split('-')[0]} on {c.en}"
        t.add(title + "\n\n")
        t.add(f"{province}, ")
        t.when(_en_date(day), day)
        t.add(f" - The Standing Committee of the {province} Provincial Party Committee has issued Action Program No. ")
        t.ref(f"{number}-CTr/TU", f"{number}-CTr/TU", "CTr", None)
        t.add(" to implement ")
        t.ref(f"{name} No. {c.id}", c.id, c.type, c.day)
        t.add(" dated ")
        t.when(_en_date(c.day), c.day)
        t.add(f" of {c.body_en} on {c.en}.\n\n")
        pool = TOPICS[c.topic]["en"]
        target = r.randint(1900, 3500)
        while t.length < target:
            parts = []
            for _ in range(r.randint(2, 4)):
                roll = r.random()
                if roll < 0.3:
                    parts.append(f"By {r.choice((2026, 2027, 2030))}, the province aims to raise the share of "
                                 f"{r.choice(pool)} to {r.randint(5, 95)} percent.")
                elif roll < 0.6:
                    parts.append(f"The program focuses on {r.choice(pool)} and on {r.choice(pool)} in "
                                 f"{r.choice(('all districts', 'mountainous communes', 'industrial parks', 'party agencies'))}.")
                else:
                    parts.append(f"Party committees at all levels were asked to improve {r.choice(pool)}, "
                                 f"with {r.randint(10, 900)} tasks assigned to departments and localities.")
            t.add(" ".join(parts) + "\n\n")
            if r.random() < 0.2:
                other = r.choice(CENTRAL)
                other_name = {"NQ": "Resolution", "CT": "Directive", "KL": "Conclusion", "QĐ": "Regulation"}[other.type]
                t.add("The plan is linked with ")
                t.ref(f"{other_name} No. {other.id}", other.id, other.type, other.day)
                t.add(f" on {other.en}.\n\n")
        path = f"/synthetic/en/{_slug(province)}-{i:06d}.html"
        return SyntheticDoc(path, "en", title, t.text, TagResult(None, tuple(t.refs), tuple(t.dates), ()))

    def _german(self, i: int) -> SyntheticDoc:
        r = self.rnd
        _, province, _ = r.choice(PROVINCES)
        c = r.choice(CENTRAL)
        day = c.day + timedelta(days=r.randint(20, 300))
        number = r.randint(1, 480)
        name = {"NQ": "Resolution", "CT": "Richtlinie", "KL": "Schlussfolgerung", "QĐ": "Verordnung"}[c.type]
        t = _Text()
        title = f"{province}: Aktionsprogramm zur Umsetzung der {name} {c.id.split('-')[0]}"
        t.add(title + "\n\n")
        t.add(f"{province}, ")
        t.when(_de_date(day), day)
        t.add(f" - Der Ständige Ausschuss des Parteikomitees der Provinz {province} hat das Aktionsprogramm Nr. ")
        t.ref(f"{number}-CTr/TU", f"{number}-CTr/TU", "CTr", None)
        t.add(" zur Umsetzung der ")
        t.ref(f"{name} Nr. {c.id}", c.id, c.type, c.day)
        t.add(" vom ")
        t.when(_de_date(c.day), c.day)
        t.add(f" {c.body_de} über {c.de} herausgegeben.\n\n")
        pool = TOPICS[c.topic]["de"]
        target = r.randint(1800, 3300)
        while t.length < target:
            parts = []
            for _ in range(r.randint(2, 4)):
                if r.random() < 0.4:
                    parts.append(f"Bis {r.choice((2026, 2027, 2030))} soll der Anteil von {r.choice(pool)} "
                                 f"auf {r.randint(5, 95)} Prozent steigen.")
                else:
                    parts.append(f"Zu den vorrangigen Aufgaben gehören {r.choice(pool)} und {r.choice(pool)} "
                                 f"in {r.choice(('allen Bezirken', 'den Berggemeinden', 'den Industrieparks'))}.")
            t.add(" ".join(parts) + "\n\n")
        path = f"/synthetic/de/{_slug(province)}-{i:06d}.txt"
        return SyntheticDoc(path, "de", title, t.text, TagResult(None, tuple(t.refs), tuple(t.dates), ()))


def _slug(name: str) -> str:
    from docsearch.refs import fold

    return "-".join(fold(name).split())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    for doc in Generator(args.seed).documents(args.docs):
        print(f"==== {doc.path} ({doc.lang}, {len(doc.text.encode())} bytes, {len(doc.tags.references)} references)")
        print(doc.text)


if __name__ == "__main__":
    main()
