"""Demo organisations from the department's real world (shared/seeds) and generated startups.

The named organisations are the ones the two seed articles mention; the startups are
generated from a fixed seed so every `make run` produces the same ones.
"""

from __future__ import annotations

import datetime as dt
import random

from innohub.activity.services import event_record
from innohub.core.text import slugify_vi
from innohub.directory.models import Organisation, Person, Position, Relation, Sector

# What seed() gives, where blank, the organisations of a demo made before organisations had an
# English description (positions get their English title likewise), as long as the Vietnamese
# text is still the demo's own; what is already filled in is kept.
ENGLISH_FIELDS = ("description_en",)

SECTORS = [
    ("ai", "Trí tuệ nhân tạo", "Artificial intelligence"),
    ("biotech", "Công nghệ sinh học", "Biotechnology"),
    ("energy", "Năng lượng", "Energy"),
    ("robotics", "Robot và tự động hóa", "Robotics and automation"),
    ("semiconductors", "Chất bán dẫn", "Semiconductors"),
    ("smart-city", "Thành phố thông minh", "Smart city"),
    ("digital-transformation", "Chuyển đổi số", "Digital transformation"),
    ("health", "Y tế", "Health"),
    ("education", "Giáo dục", "Education"),
    ("agriculture", "Nông nghiệp", "Agriculture"),
    ("fintech", "Công nghệ tài chính", "Fintech"),
    ("materials", "Vật liệu mới", "Advanced materials"),
    ("environment", "Môi trường", "Environment"),
    ("logistics", "Logistics", "Logistics"),
]

K, H = Organisation.Kind, Organisation.Helix
NAMED = [
    dict(kind=K.GOVERNMENT, helix=H.PUBLIC, name="Sở Khoa học và Công nghệ TP.HCM",
         name_en="Ho Chi Minh City Department of Science and Technology", short_name="Sở KH&CN TP.HCM",
         province_id="79", commune_id="27139", city="TP. Hồ Chí Minh", website="https://dost.hochiminhcity.gov.vn",
         description="Cơ quan tham mưu của UBND TP.HCM về khoa học, công nghệ và đổi mới sáng tạo; hỗ trợ không hoàn lại cho khởi nghiệp đổi mới sáng tạo ở ba giai đoạn tiền ươm tạo, ươm tạo và tăng tốc.",
         description_en="Advises the Ho Chi Minh City People's Committee on science, technology and innovation; gives non-refundable support to innovative startups at three stages: pre-incubation, incubation and acceleration.",
         sectors=["digital-transformation", "smart-city", "ai"]),
    dict(kind=K.SUPPORT, helix=H.PUBLIC, name="Saigon Innovation Hub",
         name_en="Saigon Innovation Hub", short_name="SIHUB", province_id="79", commune_id="27139", city="TP. Hồ Chí Minh",
         description="Không gian hỗ trợ khởi nghiệp đổi mới sáng tạo tiêu biểu của Thành phố, nơi diễn ra nhiều hoạt động hợp tác quốc tế và kết nối hệ sinh thái.",
         description_en="The City's flagship space for innovative startups, where much of its international cooperation and ecosystem networking takes place.",
         sectors=["digital-transformation", "ai"]),
    dict(kind=K.SUPPORT, helix=H.PUBLIC, name="Trung tâm Khởi nghiệp sáng tạo TP.HCM",
         name_en="Ho Chi Minh City Startup Center", short_name="Startup Center", province_id="79", commune_id="26740", city="TP. Hồ Chí Minh",
         description="Trung tâm học tập mô hình Sydney Startup Hub để tham mưu Thành phố; tổ chức ươm tạo và tăng tốc cho các dự án khởi nghiệp đổi mới sáng tạo.",
         description_en="A centre modelled on the Sydney Startup Hub that advises the City and runs incubation and acceleration for innovative startup projects.",
         sectors=["education", "digital-transformation"]),
    dict(kind=K.ACADEMIA, helix=H.PUBLIC, name="Trung tâm Nghiên cứu Triển khai Khu Công nghệ cao",
         name_en="SHTP Research and Development Center", short_name="SHTP R&D", province_id="79", commune_id="26842", city="TP. Hồ Chí Minh",
         description="Chủ trì nhiệm vụ vật liệu Nanocomposite nano vàng – Polyurethane (băng dán kháng khuẩn) cùng CSIRO và cảm biến áp suất SiC cho trạm quan trắc ngập lụt tại xã Nhà Bè cùng Đại học Griffith.",
         description_en="Leads the gold nanoparticle–polyurethane nanocomposite project (antibacterial dressings) with CSIRO, and the SiC pressure sensors for flood monitoring stations in Nhà Bè commune with Griffith University.",
         sectors=["materials", "semiconductors", "smart-city"]),
    dict(kind=K.ACADEMIA, helix=H.ACADEMIA, name="Trường Đại học Bách khoa – ĐHQG-HCM",
         name_en="Ho Chi Minh City University of Technology", short_name="HCMUT", province_id="79", commune_id="27169", city="TP. Hồ Chí Minh",
         description="Chủ trì nhiệm vụ xây dựng cơ chế, chính sách thúc đẩy nghiên cứu, phát triển và ứng dụng trí tuệ nhân tạo trên địa bàn TP.HCM đến năm 2025, tầm nhìn 2030.",
         description_en="Leads the drafting of mechanisms and policies to promote the research, development and application of artificial intelligence in Ho Chi Minh City up to 2025, with a vision to 2030.",
         sectors=["ai", "robotics"]),
    dict(kind=K.PARTNER, helix=H.ACADEMIA, name="University of Technology Sydney", short_name="UTS", country="AU", city="Sydney",
         description="Đoàn chuyên gia UTS cùng bang New South Wales chia sẻ mô hình Rapido về thương mại hóa kết quả nghiên cứu cho các trường, viện tại TP.HCM.",
         description_en="UTS experts, with the State of New South Wales, shared the Rapido model for commercialising research results with universities and institutes in Ho Chi Minh City.",
         sectors=["ai", "education"]),
    dict(kind=K.PARTNER, helix=H.ACADEMIA, name="Griffith University", short_name="Griffith", country="AU", city="Brisbane",
         description="Hỗ trợ chế tạo cảm biến áp suất sử dụng vật liệu Silicon Carbide (SiC).",
         description_en="Supports the fabrication of pressure sensors made of silicon carbide (SiC).", sectors=["semiconductors"]),
    dict(kind=K.PARTNER, helix=H.PUBLIC, name="Tổ chức Nghiên cứu Khoa học và Công nghiệp Khối thịnh vượng chung Australia",
         name_en="Commonwealth Scientific and Industrial Research Organisation", short_name="CSIRO", country="AU", city="Canberra",
         description="Hỗ trợ hoàn thiện quy trình chế tạo nano vàng dạng ngôi sao và lưỡng tháp tam giác.",
         description_en="Supports refining the process for making star-shaped and triangular bipyramidal gold nanoparticles.", sectors=["materials", "biotech"]),
    dict(kind=K.PARTNER, helix=H.PUBLIC, name="Chính quyền tiểu bang Victoria", name_en="Victorian Government",
         short_name="Victoria", country="AU", city="Melbourne",
         description="Đoàn công tác làm việc với Sở ngày 24/10/2024 về hợp tác khởi nghiệp đổi mới sáng tạo mở, kết nối hệ sinh thái và chuyển đổi số.",
         description_en="A delegation met the Department on 24 October 2024 on cooperation in open innovation for startups, ecosystem networking and digital transformation.",
         sectors=["digital-transformation", "smart-city"]),
    dict(kind=K.PARTNER, helix=H.ACADEMIA, name="Viện Học tập dành cho Người lớn (IAL) – Đại học Khoa học Xã hội Singapore",
         name_en="Institute for Adult Learning, Singapore University of Social Sciences", short_name="IAL (SUSS)",
         country="SG", city="Singapore",
         description="Làm việc với Sở ngày 25/10 về đào tạo, tư vấn chuyển đổi số và tự động hóa, ứng dụng AI trong doanh nghiệp và khu vực công.",
         description_en="Met the Department on 25 October on training and advice in digital transformation and automation, and on applying AI in businesses and the public sector.",
         sectors=["education", "ai", "digital-transformation"]),
]

_PREFIXES = ["Công ty TNHH", "Công ty Cổ phần", "Công ty TNHH Công nghệ", "Công ty Cổ phần Giải pháp"]
_ROOTS = ["Sao Việt", "Mekong", "Sài Gòn", "Bến Thành", "Phương Nam", "Trường Sơn", "Hồng Lạc", "An Khang",
          "Minh Trí", "Thái Bình", "Hòa Phát", "Đại Dương", "Lạc Việt", "Tâm An", "Nhà Bè", "Thủ Đức",
          "Cần Giờ", "Gia Định", "Bình Minh", "Ánh Dương"]
_TOPICS = {
    "ai": "AI", "biotech": "Sinh học", "energy": "Năng lượng Xanh", "robotics": "Robotics",
    "semiconductors": "Bán dẫn", "smart-city": "Đô thị Thông minh", "digital-transformation": "Số",
    "health": "Y tế Số", "education": "EdTech", "agriculture": "Nông nghiệp Công nghệ cao",
    "fintech": "Fintech", "materials": "Vật liệu Nano", "environment": "Môi trường", "logistics": "Logistics",
}
# Where the generated startups are: communes of the city since 1 July 2025 (official codes; the
# former area in the comment), including the former Bình Dương and Bà Rịa–Vũng Tàu.
COMMUNES = [
    "26740",  # Phường Sài Gòn (former Quận 1)
    "27139",  # Phường Xuân Hòa (former Quận 3)
    "27343",  # Phường Chợ Lớn (former Quận 5)
    "27478",  # Phường Tân Thuận (former Quận 7)
    "27169",  # Phường Diên Hồng (former Quận 10)
    "26929",  # Phường Bình Thạnh
    "27073",  # Phường Phú Nhuận
    "26968",  # Phường Tân Sơn Nhất (former Quận Tân Bình)
    "26884",  # Phường Gò Vấp
    "26842",  # Phường Tăng Nhơn Phú (former TP. Thủ Đức)
    "27655",  # Xã Nhà Bè
    "25747",  # Phường Thủ Dầu Một (former Bình Dương)
]


def _tax_code(rng: random.Random) -> str:
    return "03" + "".join(str(rng.randint(0, 9)) for _ in range(8))


def seed(*, startups: int = 40) -> dict[str, int]:
    """Create the sectors, named organisations and `startups` generated startups, once."""
    sectors = {}
    for code, name, name_en in SECTORS:
        sectors[code], _ = Sector.objects.get_or_create(code=code, defaults={"name": name, "name_en": name_en})
    created = 0
    filled: list[str] = []
    for data in NAMED:
        data = dict(data)
        sector_codes = data.pop("sectors")
        slug = slugify_vi(str(data.get("short_name") or data["name"]))
        org, was_created = Organisation.objects.get_or_create(slug=slug, defaults={**data, "verified": True})
        if was_created:
            org.refresh_search_text()
            org.save(update_fields=["search_text"])
            org.sectors.set([sectors[c] for c in sector_codes])
            created += 1
        elif _fill_english(org, data):
            filled.append(org.slug)
    rng = random.Random(20261122)  # fixed: the same startups on every machine
    stages = [Organisation.Stage.IDEA, Organisation.Stage.PRE_INCUBATION, Organisation.Stage.INCUBATION,
              Organisation.Stage.ACCELERATION, Organisation.Stage.GROWTH]
    codes = list(_TOPICS)
    for i in range(startups):
        topic = codes[i % len(codes)]
        root = _ROOTS[(i * 7) % len(_ROOTS)]
        name = f"{rng.choice(_PREFIXES)} {_TOPICS[topic]} {root}"
        slug = f"startup-{i + 1:03d}-{slugify_vi(_TOPICS[topic] + ' ' + root)}"
        tax = _tax_code(rng)
        founded = dt.date(2018, 1, 1) + dt.timedelta(days=rng.randint(0, 2700))
        commune = rng.choice(COMMUNES)
        stage = rng.choice(stages)
        team = rng.randint(2, 45)
        existing = Organisation.objects.filter(slug=slug).first()
        if existing is not None:
            if existing.founded_on and _fill_english(existing, _startup_descriptions(sectors[topic], existing.founded_on)):
                filled.append(existing.slug)
            continue
        org = Organisation.objects.create(
            slug=slug, kind=Organisation.Kind.STARTUP, helix=Organisation.Helix.PRIVATE, name=name,
            tax_code=tax, founded_on=founded, province_id="79", commune_id=commune, city="TP. Hồ Chí Minh", stage=stage,
            team_size=team, verified=i % 4 != 0,
            **_startup_descriptions(sectors[topic], founded),
        )
        org.refresh_search_text()
        org.save(update_fields=["search_text"])
        org.sectors.set([sectors[topic]])
        created += 1
    from innohub.directory.services import organisation_index

    for org in Organisation.objects.all():
        organisation_index(organisation=org)
    people, titles_filled = _seed_people()
    relations = _seed_relations()
    return {"organisations": created, "people": people, "relations": relations, "english_filled": len(filled) + titles_filled}


def _startup_descriptions(sector: Sector, founded: dt.date) -> dict[str, str]:
    return {
        "description": f"Khởi nghiệp đổi mới sáng tạo trong lĩnh vực {sector.name.lower()}, thành lập năm {founded.year}.",
        "description_en": f"An innovative startup in {sector.name_en.lower()}, founded in {founded.year}.",
    }


def _fill_english(org: Organisation, data: dict) -> bool:
    """Give a demo organisation of an older demo the English texts (ENGLISH_FIELDS) it lacks,
    where its Vietnamese text is still the demo's (`data`); audited. True when any was."""
    changed = [f for f in ENGLISH_FIELDS
               if data.get(f) and not getattr(org, f) and getattr(org, f.removesuffix("_en")) == data.get(f.removesuffix("_en"))]
    if not changed:
        return False
    before = {f: getattr(org, f) for f in changed}
    for f in changed:
        setattr(org, f, data[f])
    org.save(update_fields=[*changed, "updated_at"])
    event_record(actor=None, action="organisation.updated", target=org, before=before,
                 after={f: data[f] for f in changed}, note="demo")
    return True


# (honorific, name, organisation slug, kind, title, English title). The department's leaders
# are real; the others are the demo accounts' people (accounts.demo), not real persons.
PEOPLE = [
    ("Ông", "Nguyễn Việt Dũng", "so-kh-cn-tp-hcm", Position.Kind.OFFICIAL, "Giám đốc Sở", "Director of the Department"),
    ("Ông", "Lê Thanh Minh", "so-kh-cn-tp-hcm", Position.Kind.OFFICIAL, "Phó Giám đốc Sở", "Deputy Director of the Department"),
    ("Bà", "Nguyễn Thị Thu Hà", "so-kh-cn-tp-hcm", Position.Kind.CONTACT, "Chuyên viên Phòng Quản lý Công nghệ và Thị trường Công nghệ",
     "Officer, Division of Technology and Technology Market Management"),
    ("TS.", "Phạm Quốc Bảo", "startup-center", Position.Kind.EXPERT, "Chuyên gia cố vấn ươm tạo", "Incubation adviser"),
    ("Ông", "Trần Minh Khôi", "startup-001-ai-sao-viet", Position.Kind.FOUNDER, "Nhà sáng lập, CEO", "Founder and CEO"),
]

# (source slug, target slug, kind, started, note)
RELATIONS = [
    ("shtp-r-d", "csiro", Relation.Kind.PARTNERSHIP, dt.date(2023, 3, 1), "Nanocomposite nano vàng – Polyurethane (băng dán kháng khuẩn)"),
    ("shtp-r-d", "griffith", Relation.Kind.PARTNERSHIP, dt.date(2023, 6, 1), "Cảm biến áp suất SiC cho trạm quan trắc ngập lụt tại xã Nhà Bè"),
    ("so-kh-cn-tp-hcm", "victoria", Relation.Kind.MOU, dt.date(2024, 10, 24), "Hợp tác khởi nghiệp đổi mới sáng tạo mở và chuyển đổi số"),
    ("so-kh-cn-tp-hcm", "ial-suss", Relation.Kind.PARTNERSHIP, dt.date(2024, 10, 25), "Đào tạo, tư vấn chuyển đổi số và ứng dụng AI"),
    ("so-kh-cn-tp-hcm", "uts", Relation.Kind.PARTNERSHIP, dt.date(2024, 5, 1), "Mô hình Rapido về thương mại hóa kết quả nghiên cứu"),
    ("sihub", "so-kh-cn-tp-hcm", Relation.Kind.MEMBER_OF, None, "Đơn vị sự nghiệp trực thuộc Sở"),
    ("startup-center", "so-kh-cn-tp-hcm", Relation.Kind.MEMBER_OF, None, "Đơn vị sự nghiệp trực thuộc Sở"),
]


def _seed_people() -> tuple[int, int]:
    """The people created, and the positions of an older demo given their English title."""
    created = filled = 0
    orgs = {o.slug: o for o in Organisation.objects.filter(slug__in={p[2] for p in PEOPLE})}
    for honorific, name, slug, kind, title, title_en in PEOPLE:
        if slug not in orgs:
            continue
        person = Person.objects.filter(full_name=name, positions__organisation=orgs[slug]).first()
        if person is None:
            person = Person.objects.create(honorific=honorific, full_name=name)
            created += 1
        position, was_created = Position.objects.get_or_create(
            person=person, organisation=orgs[slug], title=title, defaults={"kind": kind, "title_en": title_en}
        )
        if not was_created and not position.title_en:
            position.title_en = title_en
            position.save(update_fields=["title_en", "updated_at"])
            event_record(actor=None, action="organisation.updated", target=orgs[slug], note="demo",
                         before={"position": position.pk, "title_en": ""}, after={"position": position.pk, "title_en": title_en})
            filled += 1
    return created, filled


def _seed_relations() -> int:
    created = 0
    orgs = {o.slug: o for o in Organisation.objects.all()}
    pairs = list(RELATIONS)
    # Startups incubated by SIHUB and the Startup Center, alternately.
    startups = sorted(slug for slug, o in orgs.items() if o.kind == Organisation.Kind.STARTUP and slug.startswith("startup-"))
    for i, slug in enumerate(startups[:16]):
        hub = "sihub" if i % 2 == 0 else "startup-center"
        pairs.append((slug, hub, Relation.Kind.INCUBATED_BY, dt.date(2024, 1 + i % 12, 1), ""))
    for source, target, kind, started, note in pairs:
        if source in orgs and target in orgs:
            _, was_created = Relation.objects.get_or_create(
                source=orgs[source], target=orgs[target], kind=kind, defaults={"started_on": started, "note": note}
            )
            created += was_created
    return created
