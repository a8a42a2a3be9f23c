"""The directory's picker (directory/pickers.py): a typed name resolved on the server, only the
chosen items in the page, and the staff's suggestions endpoint."""

import re

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone

from innohub.directory.pickers import (
    OrganisationPickerField,
    OrganisationsPickerField,
    PeoplePickerField,
    PersonPickerField,
)
from innohub.directory.tests.factories import OrganisationFactory, PersonFactory, PositionFactory

pytestmark = pytest.mark.django_db


class OneForm(forms.Form):
    title = forms.CharField(max_length=50)
    organisation = OrganisationPickerField(label="Tổ chức")


class ManyForm(forms.Form):
    organisations = OrganisationsPickerField(label="Các tổ chức", required=False)
    speakers = PeoplePickerField(label="Diễn giả", required=False)


class CurrentForm(forms.Form):
    organisation = OrganisationPickerField(label="Tổ chức", scope="current", required=False)


def chosen_ids(html: str, name: str) -> set[str]:
    return set(re.findall(rf'name="{name}" value="(\d+)"[^>]*checked', html))


def test_a_name_typed_without_diacritics_resolves_to_the_one_organisation_it_names():
    sihub = OrganisationFactory(name="Trung tâm Đổi mới Sáng tạo Sihub")
    OrganisationFactory(name="Viện Công nghệ Sinh học")
    form = OneForm({"title": "Hội thảo", "organisation_q": "doi moi sang"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["organisation"] == sihub


def test_a_part_of_a_name_with_diacritics_and_a_tax_code_both_resolve():
    org = OrganisationFactory(name="Công ty Cổ phần Nông nghiệp Xanh", tax_code="0312345678")
    assert OneForm({"title": "x", "organisation_q": "Nông nghiệp Xa"}).is_valid()
    form = OneForm({"title": "x", "organisation_q": "0312345678"})
    assert form.is_valid() and form.cleaned_data["organisation"] == org


def test_several_matches_come_back_to_choose_from_with_everything_else_kept():
    first = OrganisationFactory(name="Công ty Robot Sài Gòn")
    second = OrganisationFactory(name="Công ty Robot Hà Nội")
    form = OneForm({"title": "Hội thảo robot", "organisation_q": "robot"})
    assert not form.is_valid()
    assert "Nhiều tổ chức khớp với “robot”" in form.errors["organisation"][0]
    html = str(form)
    assert f'type="radio" name="organisation" value="{first.pk}"' in html
    assert f'type="radio" name="organisation" value="{second.pk}"' in html
    assert 'value="Hội thảo robot"' in html
    # choosing one of them, the box left empty, is accepted
    again = OneForm({"title": "Hội thảo robot", "organisation": str(second.pk), "organisation_q": ""})
    assert again.is_valid() and again.cleaned_data["organisation"] == second


def test_no_match_is_an_error_at_the_field_that_keeps_what_was_typed():
    OrganisationFactory(name="Trung tâm Đổi mới Sáng tạo")
    form = OneForm({"title": "Hội thảo", "organisation_q": "không có tên này"})
    assert not form.is_valid()
    assert "Không có tổ chức nào trong danh bạ khớp với “không có tên này”" in form.errors["organisation"][0]
    assert 'value="không có tên này"' in str(form["organisation"])


def test_archived_and_merged_organisations_are_not_chosen_by_the_live_scope():
    live = OrganisationFactory(name="Quỹ Đầu tư Mạo hiểm Sao Mai")
    archived = OrganisationFactory(name="Quỹ Đầu tư Mạo hiểm Sao Hôm", archived_at=timezone.now())
    merged = OrganisationFactory(name="Quỹ Đầu tư Mạo hiểm Sao Khuê", merged_into=live)
    form = OneForm({"title": "x", "organisation_q": "quy dau tu mao hiem"})
    assert form.is_valid() and form.cleaned_data["organisation"] == live
    for gone in (archived, merged):
        refused = OneForm({"title": "x", "organisation": str(gone.pk)})
        assert not refused.is_valid() and "organisation" in refused.errors
    # research's rule ("current"): merged ones still count, archived ones do not
    assert CurrentForm({"organisation": str(merged.pk)}).is_valid()
    assert not CurrentForm({"organisation": str(archived.pk)}).is_valid()


def test_a_required_picker_left_empty_and_an_unknown_id_are_refused():
    assert "organisation" in OneForm({"title": "x", "organisation_q": ""}).errors
    assert "organisation" in OneForm({"title": "x", "organisation": "999999"}).errors
    assert "organisation" in OneForm({"title": "x", "organisation": "abc"}).errors


def test_several_items_keep_those_ticked_and_add_the_one_typed():
    one, two = OrganisationFactory(name="Viện Hàn lâm Khoa học"), OrganisationFactory(name="Đại học Bách khoa")
    ada = PersonFactory(honorific="Bà", full_name="Trần Thị Ánh")
    form = ManyForm({"organisations": [str(one.pk)], "organisations_q": "bach khoa", "speakers_q": "tran thi anh"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["organisations"] == [one, two]
    assert form.cleaned_data["speakers"] == [ada]
    # unticking removes: nothing posted but the empty box
    empty = ManyForm({"organisations_q": "", "speakers_q": ""})
    assert empty.is_valid() and empty.cleaned_data["organisations"] == []


def test_people_namesakes_are_told_apart_by_their_position():
    a = PositionFactory(person=PersonFactory(full_name="Lê Minh Tâm"), organisation=OrganisationFactory(name="Sihub"), title="Giám đốc").person
    b = PersonFactory(full_name="Lê Minh Tâm")
    form = ManyForm({"speakers_q": "le minh tam"})
    assert not form.is_valid()
    html = str(form["speakers"])
    assert f'type="checkbox" name="speakers" value="{a.pk}"' in html and f'value="{b.pk}"' in html
    assert "Giám đốc, Sihub" in html


def test_a_form_renders_only_the_chosen_organisations_never_the_whole_table():
    orgs = [OrganisationFactory(name=f"Doanh nghiệp Thử nghiệm {n:03d}") for n in range(300)]
    chosen = orgs[7]

    class Form(forms.Form):
        organisation = OrganisationPickerField(label="Tổ chức")

    html = str(Form(initial={"organisation": chosen}))
    assert chosen.name in html
    assert sum(o.name in html for o in orgs) == 1
    assert "<option" not in html and "<select" not in html
    assert chosen_ids(html, "organisation") == {str(chosen.pk)}
    assert len(html) < 6000


def test_a_one_item_picker_takes_the_name_typed_over_the_one_ticked_before():
    old, new = OrganisationFactory(name="Công ty Cũ"), OrganisationFactory(name="Công ty Mới Toanh")
    form = OneForm({"title": "x", "organisation": str(old.pk), "organisation_q": "moi toanh"})
    assert form.is_valid() and form.cleaned_data["organisation"] == new


def test_person_picker_resolves_one_person():
    p = PersonFactory(full_name="Phạm Đức Huy")

    class Form(forms.Form):
        person = PersonPickerField(label="Người")

    form = Form({"person_q": "Đức Huy"})
    assert form.is_valid() and form.cleaned_data["person"] == p


# --- the suggestions endpoint -------------------------------------------------------------------
def test_suggestions_are_for_staff_only(client, client_for):
    OrganisationFactory(name="Trung tâm Khởi nghiệp")
    url = reverse("directory:pick", args=["organisations"]) + "?scope=live&q=khoi"
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    for role in ("visitor", "applicant", "reviewer"):
        assert client_for(role).get(url).status_code == 403
    for role in ("officer", "manager", "administrator"):
        response = client_for(role).get(url)
        assert response.status_code == 200
        assert [r["label"] for r in response.json()["results"]] == ["Trung tâm Khởi nghiệp"]


def test_suggestions_are_paged_limited_and_follow_the_scope(client_for):
    for n in range(25):
        OrganisationFactory(name=f"Công ty Sáng chế {n:02d}")
    OrganisationFactory(name="Công ty Sáng chế Lưu trữ", archived_at=timezone.now())
    officer = client_for("officer")
    url = reverse("directory:pick", args=["organisations"])
    first = officer.get(url, {"scope": "live", "q": "sang che"}).json()
    assert len(first["results"]) == 10 and first["more"] is True
    third = officer.get(url, {"scope": "live", "q": "sang che", "page": 3}).json()
    assert len(third["results"]) == 5 and third["more"] is False
    big = officer.get(url, {"scope": "live", "q": "sang che", "limit": 1000}).json()
    assert len(big["results"]) == 20  # at most 20 a page
    assert all("Lưu trữ" not in r["label"] for r in big["results"] + third["results"])
    assert officer.get(url, {"scope": "everything", "q": "x"}).status_code == 404
    assert officer.get(reverse("directory:pick", args=["users"]), {"q": "x"}).status_code == 404
    assert officer.get(url, {"scope": "live", "q": "x", "page": "two"}).status_code == 400


def test_people_suggestions_fold_diacritics(client_for):
    PersonFactory(full_name="Võ Thị Hồng Nhung")
    results = client_for("officer").get(reverse("directory:pick", args=["people"]), {"q": "hong nhung"}).json()["results"]
    assert [r["label"] for r in results] == ["Ông Võ Thị Hồng Nhung"]
