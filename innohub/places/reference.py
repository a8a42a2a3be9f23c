"""Reading Vietnam's administrative units from the pinned reference package, and loading them.

Which package, and why. Three were compared (December 2026, wheels downloaded and their data read):

- ``vietnam-provinces`` 2025.10.1 (sunshine-tech, data retrieved 18/10/2025): the 34 provinces
  and 3,321 communes with the official codes, typed, no dependencies — but only the new map:
  no former districts or wards, so no way to convert an address written before July 2025.
- ``vietnam-address-converter`` 1.0.5: an old-to-new table of 10,358 rows, but with its own
  codes (Hà Nội is "11", Phường Ba Đình "14091") rather than the statistics office's, shipped as
  a 10 MB Python literal.
- ``vietnamadminunits`` 1.0.4 (chosen): both maps with the General Statistics Office codes — the
  3,321 new communes (same codes and names as ``vietnam-provinces``) and the 10,040 former wards
  of 63 provinces with their districts — and the official conversion (which new commune each
  former ward became; for the 471 wards divided between several communes, all of them and the
  default one). Its converter geolocates street addresses over the network, so we never call
  it: we read its data files (``data/dataset.db``, ``data/converter_2025.json``) once, in the
  migration or ``manage.py load_places``, and everything afterwards is in our database.

Upgrading the pin and running ``manage.py load_places`` brings names and codes up to date;
loading is idempotent (matched by code).
"""

from __future__ import annotations

import functools
import importlib.util
import json
import sqlite3
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from innohub.core.text import search_key

PACKAGE = "vietnamadminunits"


def _data_dir() -> Path:
    # find_spec does not import the package (its converter pulls in geocoding libraries).
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"The {PACKAGE} package is not installed (see pyproject.toml).")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


@dataclass
class Snapshot:
    provinces: dict[str, dict[str, str]] = field(default_factory=dict)
    communes: dict[str, dict[str, Any]] = field(default_factory=dict)
    former_provinces: dict[str, dict[str, str]] = field(default_factory=dict)
    former_districts: dict[str, dict[str, str]] = field(default_factory=dict)
    former_wards: dict[str, dict[str, Any]] = field(default_factory=dict)
    district_communes: dict[str, set[str]] = field(default_factory=dict)


@functools.cache
def read_snapshot() -> Snapshot:
    """Every unit and the old-to-new mapping, as plain dictionaries keyed by code (read once
    per process: the files only change with the pinned package)."""
    data = _data_dir()
    snap = Snapshot()
    with sqlite3.connect(f"file:{data / 'dataset.db'}?mode=ro", uri=True) as conn:
        new_rows = conn.execute(
            "SELECT province, provinceShort, provinceCode, provinceKey, ward, wardShort, wardType, wardCode, wardKey FROM admin_units"
        ).fetchall()
        old_rows = conn.execute(
            "SELECT province, provinceShort, provinceCode, provinceKey, district, districtShort, districtType, districtCode,"
            " districtKey, ward, wardShort, wardType, wardCode, wardKey FROM admin_units_legacy"
        ).fetchall()
    conversion = json.loads((data / "converter_2025.json").read_text(encoding="utf-8"))

    new_by_key: dict[tuple[str, str], str] = {}
    new_province_by_key: dict[str, str] = {}
    for prov, prov_short, prov_code, prov_key, ward, ward_short, ward_type, ward_code, ward_key in new_rows:
        snap.provinces[prov_code] = {"name": prov, "short_name": prov_short}
        snap.communes[ward_code] = {"name": ward, "short_name": ward_short, "kind": ward_type.lower(), "province": prov_code}
        new_by_key[(prov_key, ward_key)] = ward_code
        new_province_by_key[prov_key] = prov_code

    old_province_by_key: dict[str, str] = {}
    old_by_key: dict[str, tuple[str, str | None]] = {}
    for (prov, prov_short, prov_code, prov_key, dist, dist_short, dist_type, dist_code, dist_key,
         ward, ward_short, ward_type, ward_code, ward_key) in old_rows:
        snap.former_provinces[prov_code] = {"name": prov, "short_name": prov_short}
        snap.former_districts[dist_code] = {"name": dist, "short_name": dist_short, "kind": dist_type.lower(), "former_province": prov_code}
        old_province_by_key[prov_key] = prov_code
        if ward_code:
            snap.former_wards[ward_code] = {"name": ward, "short_name": ward_short, "kind": ward_type.lower(), "district": dist_code}
        old_by_key[f"{prov_key}_{dist_key}_{ward_key or ''}"] = (dist_code, ward_code or None)

    for new_key, old_keys in conversion["DICT_PROVINCE"].items():
        for old_key in old_keys:
            snap.former_provinces[old_province_by_key[old_key]]["province"] = new_province_by_key[new_key]

    districts: dict[str, set[str]] = defaultdict(set)
    for new_prov_key, wards in conversion["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_ward_key, old_keys in wards.items():
            commune = new_by_key[(new_prov_key, new_ward_key)]
            for old_key in old_keys:
                dist_code, ward_code = old_by_key[old_key]
                districts[dist_code].add(commune)
                if ward_code:
                    snap.former_wards[ward_code].update(commune=commune, divided=False)
    for new_prov_key, divided in conversion["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, targets in divided.items():
            dist_code, ward_code = old_by_key[old_key]
            codes = [new_by_key[(new_prov_key, t["newWardKey"])] for t in targets]
            default = next((new_by_key[(new_prov_key, t["newWardKey"])] for t in targets if t["isDefaultNewWard"]), codes[0])
            districts[dist_code].update(codes)
            if ward_code:
                snap.former_wards[ward_code].update(commune=default, divided=True)
    snap.district_communes = dict(districts)

    # The former area of each commune: where most of its former wards lay.
    area: dict[str, Counter[str]] = defaultdict(Counter)
    for ward in snap.former_wards.values():
        area[ward["commune"]][ward["district"]] += 1
    for dist_code, communes in districts.items():
        for commune in communes:
            area[commune][dist_code] += 0  # islands (đặc khu) have no former ward
    for code, row in snap.communes.items():
        if area[code]:
            dist_code = max(area[code].items(), key=lambda kv: (kv[1], kv[0]))[0]
            row["former_district"] = dist_code
            row["former_province"] = snap.former_districts[dist_code]["former_province"]
    return snap


def _sync(model: Any, rows: dict[str, dict[str, Any]], make: Any) -> int:
    """Create the missing units and update the changed ones, matched by code; returns how many changed."""
    existing = {obj.code: obj for obj in model.objects.all()}
    create, update, fields = [], [], set()
    for code, row in rows.items():
        values = make(row)
        values["folded"] = search_key(values["name"])
        obj = existing.get(code)
        if obj is None:
            create.append(model(code=code, **values))
            continue
        changed = [k for k, v in values.items() if getattr(obj, k) != v]
        if changed:
            for k in changed:
                setattr(obj, k, values[k])
            fields.update(changed)
            update.append(obj)
    model.objects.bulk_create(create, batch_size=1000)
    if update:
        model.objects.bulk_update(update, sorted(fields), batch_size=1000)
    return len(create) + len(update)


def load_units(apps: Any = None, snapshot: Snapshot | None = None) -> dict[str, int]:
    """Load (or bring up to date) every unit from the package. ``apps`` is a migration's app
    registry; without it, the current models. Returns how many rows each table gained or changed."""
    if apps is None:
        from django.apps import apps as live_apps

        apps = live_apps
    Province = apps.get_model("places", "Province")
    Commune = apps.get_model("places", "Commune")
    FormerProvince = apps.get_model("places", "FormerProvince")
    FormerDistrict = apps.get_model("places", "FormerDistrict")
    FormerWard = apps.get_model("places", "FormerWard")
    snap = snapshot or read_snapshot()
    counts: dict[str, int] = {}
    counts["provinces"] = _sync(Province, snap.provinces, lambda r: {"name": r["name"], "short_name": r["short_name"]})
    prov_ids = dict(Province.objects.values_list("code", "id"))
    counts["former_provinces"] = _sync(
        FormerProvince, snap.former_provinces,
        lambda r: {"name": r["name"], "short_name": r["short_name"], "province_id": prov_ids[r["province"]]},
    )
    fprov_ids = dict(FormerProvince.objects.values_list("code", "id"))
    counts["former_districts"] = _sync(
        FormerDistrict, snap.former_districts,
        lambda r: {"name": r["name"], "short_name": r["short_name"], "kind": r["kind"], "former_province_id": fprov_ids[r["former_province"]]},
    )
    dist_ids = dict(FormerDistrict.objects.values_list("code", "id"))
    counts["communes"] = _sync(
        Commune, snap.communes,
        lambda r: {
            "name": r["name"], "short_name": r["short_name"], "kind": r["kind"], "province_id": prov_ids[r["province"]],
            "former_province_id": fprov_ids.get(r.get("former_province", "")),
            "former_district_id": dist_ids.get(r.get("former_district", "")),
        },
    )
    commune_ids = dict(Commune.objects.values_list("code", "id"))
    counts["former_wards"] = _sync(
        FormerWard, snap.former_wards,
        lambda r: {
            "name": r["name"], "short_name": r["short_name"], "kind": r["kind"], "district_id": dist_ids[r["district"]],
            "commune_id": commune_ids[r["commune"]], "divided": r["divided"],
        },
    )
    Through = FormerDistrict.communes.through
    have = set(Through.objects.values_list("formerdistrict_id", "commune_id"))
    want = {(dist_ids[d], commune_ids[c]) for d, cs in snap.district_communes.items() for c in cs}
    Through.objects.bulk_create([Through(formerdistrict_id=d, commune_id=c) for d, c in sorted(want - have)], batch_size=1000)
    stale = have - want
    for d, c in stale:
        Through.objects.filter(formerdistrict_id=d, commune_id=c).delete()
    counts["district_links"] = len(want - have) + len(stale)
    return counts
