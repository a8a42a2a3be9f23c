"""The migration moves index units stored as districts to the 2025 units."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from innohub.indicators.models import Unit


@pytest.mark.django_db(transaction=True)
def test_stored_district_units_become_communes_or_former_districts():
    executor = MigrationExecutor(connection)
    before = [("indicators", "0003_run_error_problems"), ("places", "0002_load_units")]
    executor.migrate(before)
    OldUnit = executor.loader.project_state(before).apps.get_model("indicators", "Unit")
    OldUnit.objects.create(code="Q1", name="Quận 1", district="Quận 1", kind="district")
    OldUnit.objects.create(code="CD", name="Côn Đảo", district="Huyện Côn Đảo", kind="district")
    OldUnit.objects.create(code="HN", name="Hà Nội", district="", kind="province")
    OldUnit.objects.create(code="X", name="Khu X", district="Khu X", kind="district")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    units = {u.code: u for u in Unit.objects.select_related("commune", "former_district")}
    assert (units["Q1"].kind, units["Q1"].province_id, units["Q1"].former_district.name) == ("former_district", "79", "Quận 1")
    assert units["CD"].kind == "commune" and units["CD"].commune.name == "Đặc khu Côn Đảo"
    assert units["HN"].kind == "province"
    assert units["X"].kind == "former_district" and units["X"].former_district is None
