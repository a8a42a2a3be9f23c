"""The home page and error pages in both languages."""


import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_home_in_vietnamese_shows_the_three_ceilings(client):
    response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in body
    for amount in ["40.000.000\u00a0₫", "80.000.000\u00a0₫", "400.000.000\u00a0₫"]:
        assert amount in body
    assert "Tiền ươm tạo" in body


def test_home_in_english(client):
    body = client.get("/en/").content.decode()
    assert '<html lang="en">' in body
    assert "40,000,000\u00a0VND" in body
    assert "Pre-incubation" in body


def test_the_footers_vietnamese_street_and_a_vietnamese_users_name_are_marked_on_english_pages(client_for, users):
    # a screen reader reads them with a Vietnamese voice on /en/, and on / nothing is marked
    # (the name is set: a generated one may happen to hold no diacritic, "Phan Minh Tam")
    users["officer"].full_name = "Nguyễn Thị Thu Hà"
    users["officer"].save(update_fields=["full_name"])
    english = client_for("officer").get("/en/").content.decode()
    assert '<span lang="vi">244 Điện Biên Phủ</span>' in english
    assert '<span class="who"><span lang="vi">Nguyễn Thị Thu Hà</span>' in english
    vietnamese = client_for("officer").get("/").content.decode()
    assert "<span>244 Điện Biên Phủ</span>" in vietnamese and '<span class="who"><span>' in vietnamese


def test_404_in_both_languages(client):
    vi = client.get("/khong-co-trang-nay/")
    assert vi.status_code == 404 and "Không tìm thấy trang" in vi.content.decode()
    en = client.get("/en/no-such-page/")
    assert en.status_code == 404 and "We could not find this page" in en.content.decode()


def test_language_switch_remembers_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/en/"


@override_settings(DEBUG=False)
def test_500_page_renders_in_the_site_look(client):
    from django.test import RequestFactory

    from innohub.portal.errors import server_error

    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "500" in response.content.decode()


def test_hubs_from_the_directory_appear_on_home(client):
    from innohub.directory.models import Organisation
    from innohub.directory.tests.factories import OrganisationFactory

    OrganisationFactory(kind=Organisation.Kind.SUPPORT, name="Saigon Innovation Hub", short_name="SIHUB", verified=True)
    assert "Saigon Innovation Hub" in client.get("/").content.decode()


def test_every_page_offers_the_source_when_its_address_is_set(client):
    # AGPL-3.0 §13: users of a modified version over the network are offered its source.
    assert "Mã nguồn" not in client.get("/").content.decode()  # no address set: no dead link
    with override_settings(SOURCE_CODE_URL="https://git.example.vn/sokhcn/innohub"):
        for path in ("/", "/qa/", "/en/"):
            html = client.get(path).content.decode()
            assert 'href="https://git.example.vn/sokhcn/innohub"' in html
        assert ">Source code</a> (AGPL-3.0)" in html


@pytest.mark.django_db
def test_my_space_lists_the_members_latest_questions(client_for, users):
    from innohub.qa.tests.factories import QuestionFactory

    member = users["visitor"]
    empty = client_for("visitor").get("/my/").content.decode()
    assert "Câu hỏi của tôi" in empty and "Bạn chưa đặt câu hỏi nào." in empty
    asked = [QuestionFactory(asker=member, asker_email=member.email, text=f"Câu hỏi thứ {n} về ươm tạo?") for n in range(7)]
    QuestionFactory(text="Câu hỏi của người khác?")
    page = client_for("visitor").get("/my/").content.decode()
    shown = [q.tracking_code for q in asked if q.tracking_code in page]
    assert shown == [q.tracking_code for q in asked[-5:]]  # the latest five
    assert "Câu hỏi của người khác?" not in page and 'href="/qa/mine/"' in page


def test_a_hubs_vietnamese_description_is_marked_as_vietnamese_on_the_english_home(client):
    """Given a hub with an English name and only a Vietnamese description (no English one),
    when a visitor opens /en/, then the name reads in English and the description is marked
    lang="vi" so that a screen reader reads it as Vietnamese."""
    from innohub.directory.models import Organisation
    from innohub.directory.tests.factories import OrganisationFactory

    OrganisationFactory(kind=Organisation.Kind.SUPPORT, name="Trung tâm Hỗ trợ khởi nghiệp", name_en="Startup Support Centre",
                        description="Không gian hỗ trợ khởi nghiệp sáng tạo.", verified=True)
    english = client.get("/en/").content.decode()
    assert "Startup Support Centre" in english
    assert '<p lang="vi">Không gian hỗ trợ khởi nghiệp sáng tạo.</p>' in english
    vietnamese = client.get("/").content.decode()
    assert "<p>Không gian hỗ trợ khởi nghiệp sáng tạo.</p>" in vietnamese


def test_a_hubs_english_description_is_shown_on_the_english_home(client):
    """Given a hub with a Vietnamese and an English description, when a visitor opens /en/,
    then the English one is shown (not marked as Vietnamese), and / shows the Vietnamese one."""
    from innohub.directory.models import Organisation
    from innohub.directory.tests.factories import OrganisationFactory

    OrganisationFactory(kind=Organisation.Kind.SUPPORT, name="Trung tâm Hỗ trợ khởi nghiệp", name_en="Startup Support Centre",
                        description="Không gian hỗ trợ khởi nghiệp sáng tạo.", description_en="A space for innovative startups.",
                        verified=True)
    english = client.get("/en/").content.decode()
    assert "<p>A space for innovative startups.</p>" in english and "Không gian hỗ trợ" not in english
    vietnamese = client.get("/").content.decode()
    assert "<p>Không gian hỗ trợ khởi nghiệp sáng tạo.</p>" in vietnamese and "A space for innovative startups." not in vietnamese


def test_a_hubs_vietnamese_name_is_marked_on_the_english_home_page(client):
    """Given one hub with an English name and one without, when a partner reads /en/, then the
    Vietnamese name (and its Vietnamese short name) is lang="vi", for a screen reader's voice,
    and the English one is not."""
    from innohub.directory.models import Organisation
    from innohub.directory.tests.factories import OrganisationFactory

    OrganisationFactory(name="Vườn ươm Doanh nghiệp Công nghệ cao", short_name="Vườn ươm SHTP", kind=Organisation.Kind.SUPPORT,
                        stage="", verified=True)
    OrganisationFactory(name="Trung tâm Khởi nghiệp sáng tạo TP.HCM", name_en="Ho Chi Minh City Startup Center",
                        kind=Organisation.Kind.SUPPORT, stage="", verified=True)
    body = client.get("/en/").content.decode()
    assert '<h3><span lang="vi">Vườn ươm Doanh nghiệp Công nghệ cao</span> <span class="muted" lang="vi">(Vườn ươm SHTP)</span></h3>' in body
    assert "<h3>Ho Chi Minh City Startup Center</h3>" in body
    assert 'lang="vi"' not in client.get("/").content.decode().split("<main", 1)[1]
