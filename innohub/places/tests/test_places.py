"""The administrative units loaded from the package, and reading old addresses as today's units."""

import pytest

from innohub.places.convert import UnknownPlace, place_from_old, place_key
from innohub.places.models import Commune, FormerDistrict, FormerProvince, FormerWard, Province
from innohub.places.reference import load_units

pytestmark = pytest.mark.django_db


def test_the_migration_loaded_the_2025_map_and_the_history():
    assert Province.objects.count() == 34
    assert Commune.objects.count() == 3321
    assert FormerProvince.objects.count() == 63
    assert FormerWard.objects.count() > 10000
    hcmc = Province.objects.get(code="79")
    assert hcmc.name == "Thành phố Hồ Chí Minh"
    assert hcmc.communes.count() == 168
    merged = set(FormerProvince.objects.filter(province=hcmc).values_list("short_name", flat=True))
    assert merged == {"Hồ Chí Minh", "Bình Dương", "Bà Rịa - Vũng Tàu"}
    assert Commune.objects.get(name="Phường Sài Gòn", province=hcmc).folded == "phuong sai gon"


def test_loading_again_changes_nothing():
    assert set(load_units().values()) == {0}


def test_a_commune_keeps_its_former_area():
    thu_dau_mot = Commune.objects.get(name="Phường Thủ Dầu Một")
    assert thu_dau_mot.former_province.short_name == "Bình Dương"
    ben_thanh = Commune.objects.get(name="Phường Bến Thành", province__code="79")
    assert ben_thanh.former_district.name == "Quận 1"


@pytest.mark.parametrize(("text", "key"), [
    ("TP. Thủ Đức", "thanh pho thu duc"), ("Q.1", "quan 1"), ("quận 01", "quan 1"), ("H. Nhà Bè", "huyen nha be"),
    ("P. Bến Nghé", "phuong ben nghe"),
])
def test_place_keys_spell_out_abbreviations(text, key):
    assert place_key(text) == key


@pytest.mark.parametrize(("text", "communes"), [
    ("Quận 1", {"Phường Sài Gòn", "Phường Tân Định", "Phường Bến Thành", "Phường Cầu Ông Lãnh"}),
    ("huyện Nhà Bè", {"Xã Nhà Bè", "Xã Hiệp Phước"}),
    ("TP. Thủ Đức", None),
])
def test_an_old_district_becomes_the_city_and_its_former_area(text, communes):
    place = place_from_old(text)
    assert place.province.code == "79"
    assert place.converted
    assert place.commune is None
    assert place.former_district is not None
    if communes:
        assert {c.name for c in place.candidates} == communes
    assert "trước ngày 1/7/2025" in place.describe()


def test_an_old_ward_becomes_its_commune():
    place = place_from_old("Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh")
    assert place.commune.name == "Phường Sài Gòn"
    assert place.former_ward.name == "Phường Bến Nghé"
    assert "nay là Phường Sài Gòn" in place.describe()


def test_a_district_that_became_one_commune_sets_it():
    place = place_from_old("Huyện Côn Đảo, Bà Rịa - Vũng Tàu")
    assert place.commune.name == "Đặc khu Côn Đảo"
    assert place.province.code == "79"


def test_a_new_commune_is_taken_as_it_is():
    place = place_from_old("Phường Sài Gòn")
    assert place.commune.name == "Phường Sài Gòn"
    assert not place.converted


def test_a_merged_province_is_read_as_the_new_one():
    place = place_from_old("Bình Dương")
    assert place.province.code == "79" and place.converted


@pytest.mark.parametrize("text", ["Quận 99", "Quận Cầu Giấy", "Phường Không Có, Quận 1", ""])
def test_a_unit_that_never_existed_is_refused(text):
    with pytest.raises(UnknownPlace):
        place_from_old(text)


def test_other_provinces_districts_are_read_in_their_province():
    place = place_from_old("Quận Cầu Giấy, Hà Nội")
    assert place.province.name == "Thành phố Hà Nội"
    assert FormerDistrict.objects.filter(name="Quận Cầu Giấy").exists()
