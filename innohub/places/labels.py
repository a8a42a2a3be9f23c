"""Names of places for tables that group figures by where organisations are (dashboards,
exports, the index): today's commune, and the former province for the three merged into HCMC."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from .models import Commune, FormerDistrict, Province


class PlaceNames:
    """Looks up, in three queries, the names of every (province, commune, former district) code
    triple given; ``label`` and ``former_province`` then read them."""

    def __init__(self, keys: Iterable[tuple[str | None, str | None, str | None]]) -> None:
        keys = list(keys)
        self.provinces = dict(Province.objects.filter(code__in={k[0] for k in keys if k[0]}).values_list("code", "name"))
        self.communes: dict[str, Any] = {
            c.code: c for c in Commune.objects.filter(code__in={k[1] for k in keys if k[1]}).select_related("former_province", "province")
        }
        self.districts: dict[str, Any] = {
            d.code: d for d in FormerDistrict.objects.filter(code__in={k[2] for k in keys if k[2]}).select_related("former_province__province")
        }

    def label(self, province: str | None, commune: str | None, former_district: str | None) -> str:
        """"Phường Sài Gòn"; without a commune, "Thành phố Hồ Chí Minh (former Quận 1)"; "—" for no place."""
        if commune and commune in self.communes:
            return self.communes[commune].name
        district = self.districts.get(former_district or "")
        name = self.provinces.get(province or "", "")
        if district is not None:
            return _("%(province)s (former %(district)s)") % {"province": name or district.former_province.province.name, "district": district.name}
        return name or "—"

    def former_province(self, province: str | None, commune: str | None, former_district: str | None) -> str:
        """The province before 1 July 2025 when it was merged into another one ("Bình Dương"), else ""."""
        former = None
        if commune and commune in self.communes:
            former = self.communes[commune].former_province
        elif former_district and former_district in self.districts:
            former = self.districts[former_district].former_province
        if former is None or former.province.name == former.name:
            return ""
        return former.name


def district_shares(district_code: str) -> dict[str, float]:
    """How a former district's figures divide among today's communes: each commune's share of
    the district's former wards (a ward divided between communes counts for its default one);
    a district without wards (an island) goes whole to its commune. Used to convert counts and
    amounts published by district before July 2025; rates and scores are not divided."""
    from collections import Counter

    district = FormerDistrict.objects.filter(code=district_code).first()
    if district is None:
        return {}
    wards = Counter(district.wards.values_list("commune__code", flat=True))
    total = sum(wards.values())
    if not total:
        communes = list(district.communes.values_list("code", flat=True))
        return {c: 1.0 / len(communes) for c in communes} if communes else {}
    return {code: n / total for code, n in wards.items()}
