"""Addresses as the 2025 units: imports convert old ones and say so, refuse units that never
existed (row and column, nothing written), and the migration moves stored districts."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from innohub.directory.imports import organisations_import
from innohub.directory.models import Organisation

pytestmark = pytest.mark.django_db

HEADER = "name,kind,helix,province,commune,district\n"


def run(text, actor, dry_run=False):
    return organisations_import(data=text.encode("utf-8"), filename="orgs.csv", actor=actor, dry_run=dry_run)


def test_old_addresses_are_converted_and_the_report_says_so(users):
    text = HEADER + (
        "Công ty Một,startup,private,,,Quận 1\n"
        "Công ty Hai,startup,private,,,TP. Thủ Đức\n"
        "Công ty Ba,startup,private,,,huyện Nhà Bè\n"
        "Công ty Bốn,startup,private,,,\"Phường Bến Nghé, Quận 1\"\n"
        "Công ty Năm,startup,private,TP. Hồ Chí Minh,Phường Xuân Hòa,\n"
    )
    result = run(text, users["officer"])
    assert result.ok, result.problems
    assert result.created == 5
    notes = {(n.row, n.column): n.message for n in result.notes}
    assert set(notes) == {(2, "district"), (3, "district"), (4, "district"), (5, "district")}
    assert "Quận 1" in notes[(2, "district")] and "Phường Sài Gòn" in notes[(2, "district")]
    assert "Phường Sài Gòn" in notes[(5, "district")]
    orgs = {o.name: o for o in Organisation.objects.select_related("province", "commune", "former_district")}
    assert orgs["Công ty Một"].province.code == "79" and orgs["Công ty Một"].commune is None
    assert orgs["Công ty Một"].former_district.name == "Quận 1"
    assert orgs["Công ty Ba"].former_district.name == "Huyện Nhà Bè"
    assert orgs["Công ty Bốn"].commune.name == "Phường Sài Gòn"
    assert orgs["Công ty Năm"].commune.name == "Phường Xuân Hòa"
    assert orgs["Công ty Năm"].former_district is None


def test_the_import_page_shows_the_conversions(client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("orgs.csv", (HEADER + "Công ty Một,startup,private,,,Quận 1\n").encode(), content_type="text/csv")
    page = client_for("officer").post("/en/directory/staff/import/", {"file": upload, "dry_run": "on"}).content.decode()
    assert "converted to today" in page
    assert "“Quận 1” (before 1 July 2025) is now part of Thành phố Hồ Chí Minh" in page


def test_a_unit_that_never_existed_is_refused_with_row_and_column_and_nothing_is_written(users):
    text = HEADER + (
        "Công ty Một,startup,private,,,Quận 1\n"
        "Công ty Hai,startup,private,,,Quận 99\n"
        "Công ty Ba,startup,private,,Phường Không Có,\n"
        "Công ty Bốn,startup,private,Tỉnh Atlantis,,\n"
    )
    result = run(text, users["officer"])
    assert not result.ok
    assert {(p.row, p.column) for p in result.problems} == {(3, "district"), (4, "commune"), (5, "province")}
    assert "Quận 99" in next(p.message for p in result.problems if p.row == 3)
    assert not Organisation.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_stored_districts_to_the_2025_units():
    executor = MigrationExecutor(connection)
    before = [("directory", "0004_organisation_description_en_position_title_en"), ("places", "0002_load_units")]
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    Org = apps.get_model("directory", "Organisation")
    common = {"kind": "startup", "helix": "private", "country": "VN"}
    Org.objects.create(name="A", slug="a", district="Quận 1", city="TP. Hồ Chí Minh", **common)
    Org.objects.create(name="B", slug="b", district="Huyện Côn Đảo", **common)
    Org.objects.create(name="C", slug="c", district="Phường Sài Gòn", **common)
    Org.objects.create(name="D", slug="d", district="Khu phố Mơ", city="TP. Hồ Chí Minh", **common)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    orgs = {o.slug: o for o in Organisation.objects.all()}
    assert (orgs["a"].province_id, orgs["a"].commune_id, orgs["a"].former_district.name) == ("79", None, "Quận 1")
    assert orgs["b"].commune.name == "Đặc khu Côn Đảo"
    assert orgs["c"].commune.name == "Phường Sài Gòn" and orgs["c"].former_district is None
    assert orgs["d"].province is None and orgs["d"].city == "Khu phố Mơ, TP. Hồ Chí Minh"  # nothing lost
