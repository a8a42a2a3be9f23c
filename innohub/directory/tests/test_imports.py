"""Import and export: whole-file validation, every problem at once, nothing written unless clean."""

import io
import subprocess
import sys

import pytest
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from innohub.activity.models import Event
from innohub.directory.imports import (
    COLUMNS,
    MAX_IMPORT_BYTES,
    column_help,
    csv_lines,
    export_rows,
    organisations_import,
    xlsx_bytes,
)
from innohub.directory.models import Organisation
from innohub.directory.tests.factories import OrganisationFactory, SectorFactory

pytestmark = pytest.mark.django_db

HEADER = "name,kind,helix,tax_code,district,sectors,stage,founded_on,team_size\n"
GOOD = HEADER + (
    "Công ty Cổ phần Robot Phương Nam,startup,private,0312345678,Quận 7,ai,incubation,2021-05-01,12\n"
    "Viện Công nghệ Sinh học,academia,academia,,TP. Thủ Đức,,,15/03/2010,\n"
)


@pytest.fixture(autouse=True)
def sectors():
    SectorFactory(code="ai", name="Trí tuệ nhân tạo")


def run(text_or_bytes, *, filename="orgs.csv", actor=None, dry_run=False):
    data = text_or_bytes.encode("utf-8") if isinstance(text_or_bytes, str) else text_or_bytes
    return organisations_import(data=data, filename=filename, actor=actor, dry_run=dry_run)


def test_a_clean_file_is_imported_unverified_and_audited(users):
    result = run(GOOD, actor=users["officer"])
    assert result.ok and result.created == 2
    robot = Organisation.objects.get(tax_code="0312345678")
    assert robot.team_size == 12 and [s.code for s in robot.sectors.all()] == ["ai"] and not robot.verified
    assert Organisation.objects.get(name__startswith="Viện").founded_on.isoformat() == "2010-03-15"
    assert Event.objects.filter(action="organisation.imported").count() == 2


def test_dry_run_counts_and_writes_nothing():
    result = run(GOOD, dry_run=True)
    assert result.ok and result.created == 2 and not Organisation.objects.exists()


def test_every_problem_is_reported_at_once_and_nothing_is_written():
    OrganisationFactory(tax_code="0399999999")
    text = HEADER + (
        "Công ty A,startup,private,12345,Quận 1,,,,\n"  # bad tax code
        "Công ty B,bakery,private,0399999999,Quận 1,robots,,31/02/2020,ten\n"  # kind, existing tax code, sector, date, number
        "Công ty C,startup,private,0311111111,Quận 1,,,,\n"
        "Công ty D,startup,private,0311111111,Quận 1,,,,\n"  # tax code repeated in the file
        "Công ty E,enterprise,private,,Quận 1,,growth,,\n"  # stage for a non-startup
        "Công ty F,startup,private,,Quận 1,,,,\n"
        "Công ty F,startup,private,,Quận 1,,,,\n"  # duplicate row
    )
    result = run(text)
    found = {(p.row, p.column) for p in result.problems}
    assert found == {(2, "tax_code"), (3, "kind"), (3, "tax_code"), (3, "sectors"), (3, "founded_on"), (3, "team_size"),
                     (5, "tax_code"), (6, "stage"), (8, "name")}
    assert all(p.message for p in result.problems)
    assert Organisation.objects.count() == 1


def test_wrong_columns_are_named():
    result = run("naam,kind,helix,colour\nA,startup,private,red\n")
    assert {(p.row, p.column) for p in result.problems} == {(1, "naam"), (1, "colour"), (1, "name")}


def test_a_file_over_the_size_limit_is_refused_before_reading(users):
    big = GOOD.encode() + b"x" * (20 * 1024 * 1024)
    result = run(big, actor=users["officer"])
    assert not result.ok and "MB" in result.problems[0].message
    assert not Organisation.objects.exists()
    assert len(big) > MAX_IMPORT_BYTES


def test_wrong_encoding_is_explained():
    result = run(GOOD.encode("cp1258", errors="replace"))
    assert not result.ok and "UTF-8" in result.problems[0].message and result.problems[0].row == 2
    assert not Organisation.objects.exists()


def test_utf8_bom_and_semicolons_are_accepted():
    result = run("\ufeff" + GOOD.replace(",", ";"))
    assert result.ok and result.created == 2


def test_a_semicolon_separated_csv_from_vietnamese_excel_is_imported(users):
    """Given the template filled in Excel set to Vietnamese and saved as "CSV UTF-8" (a BOM,
    ';' between fields, CRLF, dates dd/mm/yyyy), when it is imported, then both rows are created."""
    data = ("\ufeff" + GOOD.replace(",", ";").replace("\n", "\r\n")).encode("utf-8")
    result = run(data, actor=users["officer"])
    assert result.ok and result.created == 2
    assert Organisation.objects.get(name__startswith="Viện").founded_on.isoformat() == "2010-03-15"


def test_an_exported_name_that_looks_like_a_formula_is_neutralised_and_reimports_unchanged(users):
    """Given an organisation whose short name starts with '=', when it is exported, then the
    CSV and XLSX hold it behind a ', and importing the export changes nothing."""
    OrganisationFactory(name="Công ty Cộng", short_name="=CỘNG", phone="+84 909 123 456")
    qs = Organisation.objects.prefetch_related("sectors")
    csv_text = "".join(csv_lines(export_rows(qs)))
    assert "'=CỘNG" in csv_text and "'+84 909 123 456" in csv_text
    assert run(csv_text, actor=users["officer"]).unchanged == 1
    xlsx = xlsx_bytes(export_rows(qs))
    sheet = load_workbook(io.BytesIO(xlsx)).active
    assert sheet.cell(2, COLUMNS.index("short_name") + 1).value == "'=CỘNG"
    assert run(xlsx, filename="export.xlsx", actor=users["officer"]).unchanged == 1
    assert Organisation.objects.get().short_name == "=CỘNG"


def test_xlsx_is_read_like_csv(users):
    wb = Workbook()
    ws = wb.active
    for line in GOOD.strip().splitlines():
        ws.append(line.split(","))
    buffer = io.BytesIO()
    wb.save(buffer)
    result = run(buffer.getvalue(), filename="orgs.xlsx", actor=users["officer"])
    assert result.ok and result.created == 2
    assert not run(b"PK\x03\x04 not really a zip", filename="x.xlsx").ok


def test_an_export_reimports_unchanged_in_both_formats(users):
    ai = SectorFactory(code="ai")
    OrganisationFactory(name="Công ty \"Trích dẫn\", có dấu phẩy", tax_code="0312345678", with_sectors=[ai], description="Dòng 1\nDòng 2")
    OrganisationFactory(name="Đại học X", kind="academia", helix="academia", stage="", country="AU")
    qs = Organisation.objects.prefetch_related("sectors").order_by("slug")
    csv_data = "".join(csv_lines(export_rows(qs))).encode("utf-8")
    result = run(csv_data, actor=users["officer"])
    assert result.ok and (result.created, result.updated, result.unchanged) == (0, 0, 2)
    xlsx = xlsx_bytes(export_rows(qs))
    assert [c.value for c in next(load_workbook(io.BytesIO(xlsx)).active.iter_rows())] == COLUMNS
    result = run(xlsx, filename="export.xlsx", actor=users["officer"])
    assert result.ok and result.unchanged == 2
    edited = csv_data.decode().replace("Đại học X", "Đại học Y")
    result = run(edited, actor=users["officer"])
    assert result.updated == 1 and Organisation.objects.filter(name="Đại học Y").exists()


def test_command_exits_non_zero_on_problems_and_supports_dry_run(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("name,kind,helix\nA,bakery,private\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        call_command("directory_import", str(bad))
    assert exc.value.code == 1
    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    out = io.StringIO()
    call_command("directory_import", str(good), "--dry-run", stdout=out)
    assert "would create 2" in out.getvalue() and not Organisation.objects.exists()
    call_command("directory_import", str(good), stdout=io.StringIO())
    assert Organisation.objects.count() == 2


def test_import_page_lists_problems_and_offers_the_template(client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    officer = client_for("officer")
    upload = SimpleUploadedFile("bad.csv", b"name,kind,helix,tax_code\nA,startup,private,123\n", content_type="text/csv")
    response = officer.post("/directory/staff/import/", {"file": upload})
    assert response.status_code == 400
    assert "tax_code" in response.content.decode() and not Organisation.objects.exists()
    template = officer.get("/directory/staff/template.xlsx")
    sheets = load_workbook(io.BytesIO(template.content)).sheetnames
    assert len(sheets) == 2
    assert officer.get("/directory/staff/template.csv").content.decode("utf-8-sig").strip() == ",".join(COLUMNS)
    upload = SimpleUploadedFile("good.csv", GOOD.encode(), content_type="text/csv")
    response = officer.post("/directory/staff/import/", {"file": upload, "dry_run": ""})
    assert response.status_code == 200 and Organisation.objects.count() == 2


def test_python_m_manage_exit_status_is_non_zero(tmp_path):
    # the real command line, as an operator runs it (a separate process needs its own database,
    # so only the file-level refusal is checked here)
    bad = tmp_path / "big.csv"
    bad.write_bytes(b"x" * (MAX_IMPORT_BYTES + 10))
    import os

    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'cli.sqlite3'}", DJANGO_SETTINGS_MODULE="config.settings.test")
    proc = subprocess.run([sys.executable, "manage.py", "directory_import", str(bad)], capture_output=True, text=True, env=env, cwd=str(_root()))
    assert proc.returncode == 1, proc.stderr
    assert "MB" in proc.stderr


def _root():
    from django.conf import settings

    return settings.BASE_DIR


@pytest.mark.parametrize("filename", ["bad.txt", "orgs.docx", "orgs"])
def test_a_file_that_is_not_csv_or_xlsx_is_refused_and_changes_nothing(client_for, filename):
    """Given a text file named bad.txt (or a .docx, or no extension), when an officer imports
    it for real, then the page says only .csv and .xlsx files can be imported, does not read
    its first line as a header, and nothing is written or logged."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from innohub.activity.models import Event

    upload = SimpleUploadedFile(filename, b"hello world\nSao Mai,startup,private\n", content_type="text/plain")
    response = client_for("officer").post("/directory/staff/import/", {"file": upload, "dry_run": ""})
    body = response.content.decode()
    assert response.status_code == 400
    assert f"Chỉ nhập được tệp .csv hoặc .xlsx; tệp “{filename}” không thuộc hai loại này." in body
    assert "hello_world" not in body
    assert not Organisation.objects.exists()
    assert not Event.objects.exists()


def test_the_imports_audit_note_reads_in_the_logs_language_whoever_imports(users):
    """Given an officer working in English, when they import a clean file, then the audit
    log's note on the import reads in Vietnamese like the log's labels."""
    from django.utils import translation

    from innohub.activity.models import Event

    with translation.override("en"):
        run(GOOD, actor=users["officer"], filename="ds.csv")
    assert Event.objects.get(action="organisation.import_finished").note == "ds.csv: thêm 2, cập nhật 0, giữ nguyên 0"


def test_the_english_description_column_is_imported_and_exported(users):
    """Given a file with a description_en column, when it is imported, then the new
    organisation has its English description, and the export and the template carry the
    column (last) so that the export re-imports unchanged."""
    text = "name,kind,helix,description,description_en\nCông ty Robot Phương Nam,startup,private,Robot giao hàng.,Delivery robots.\n"
    result = run(text, actor=users["officer"])
    assert result.ok and result.created == 1
    org = Organisation.objects.get()
    assert (org.description, org.description_en) == ("Robot giao hàng.", "Delivery robots.")
    assert COLUMNS[-1] == "description_en" and "description_en" in column_help()
    rows = list(export_rows(Organisation.objects.prefetch_related("sectors")))
    assert rows[0][COLUMNS.index("description_en")] == "Delivery robots."
    assert run("".join(csv_lines(rows)), actor=users["officer"]).unchanged == 1


def test_an_older_file_without_the_english_column_still_imports_and_keeps_the_english_text(users):
    """Given an organisation with an English description, when a file made before the
    description_en column (the old template's columns) updates it, then the import succeeds
    and the English description stays as it was."""
    org = OrganisationFactory(slug="sao-mai", name="Công ty Sao Mai", description="Cũ.", description_en="Old.")
    old_columns = [c for c in COLUMNS if c != "description_en"]
    values = {"slug": "sao-mai", "name": "Công ty Sao Mai", "kind": "startup", "helix": "private", "country": "VN",
              "stage": "incubation", "province": "79", "commune": "Phường Sài Gòn", "city": "TP. Hồ Chí Minh", "description": "Mới."}
    text = ",".join(old_columns) + "\n" + ",".join(values.get(c, "") for c in old_columns) + "\n"
    result = run(text, actor=users["officer"])
    assert result.ok and result.updated == 1
    org.refresh_from_db()
    assert (org.description, org.description_en) == ("Mới.", "Old.")
    assert run(GOOD, actor=users["officer"]).created == 2  # the short template of the other tests has no such column either


def test_a_too_long_english_description_is_a_problem_of_its_row_and_nothing_is_written(users):
    OrganisationFactory(slug="sao-mai", name="Công ty Sao Mai", description_en="Old.")
    text = ("slug,name,kind,helix,description_en\n"
            "sao-mai,Công ty Sao Mai,startup,private,Updated.\n"
            f",Công ty Mới,startup,private,{'x' * 10_001}\n")
    before = (Organisation.objects.count(), Event.objects.count())
    result = run(text, actor=users["officer"])
    assert [(p.row, p.column, p.message) for p in result.problems] == [(3, "description_en", "Tối đa 10000 ký tự.")]
    assert (Organisation.objects.count(), Event.objects.count()) == before
    assert Organisation.objects.get(slug="sao-mai").description_en == "Old."


def test_a_20_mb_file_is_reported_as_20_mb_not_the_limit(client_for):
    # Given a 20 MB CSV (the limit is 10 MB), when staff import it, then the page says 20.0 MB
    # (it said "10.0 MB": only the limit and one byte had been read) and nothing is created
    upload = io.BytesIO(b"name,kind\n" + b"Cong ty A,startup\n" * (20 * 1024 * 1024 // 18))
    upload.name = "big.csv"
    response = client_for("officer").post("/directory/staff/import/", {"file": upload, "dry_run": ""})
    assert response.status_code == 400
    [problem] = response.context["result"].problems
    assert problem.message == "Tệp lớn hơn 10 MB (20.0 MB); hãy chia thành nhiều tệp."
    assert problem.message in response.content.decode()
    assert not Organisation.objects.exists()
