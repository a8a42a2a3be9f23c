"""Moving stored district names to today's units inside migrations (historical models only:
``convert.place_from_old`` uses the current ones, which a migration must not)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from innohub.core.text import search_key
from innohub.places.convert import place_key


@dataclass(frozen=True)
class Resolved:
    province: str
    commune: str | None
    former_district: str | None


class OldNames:
    """Reads a district or commune name ("Quận 1", "TP. Thủ Đức", "Phường Sài Gòn") in the home
    province and its former provinces; ``resolve`` returns None for a name it does not know."""

    def __init__(self, apps: Any, home: str = "79") -> None:
        Commune = apps.get_model("places", "Commune")
        FormerDistrict = apps.get_model("places", "FormerDistrict")
        self.home = home
        self.communes = {c.folded: c.code for c in Commune.objects.filter(province__code=home)}
        self.districts: dict[str, tuple[str, list[str]]] = {}
        shorts: dict[str, list[tuple[str, list[str]]]] = {}
        for d in FormerDistrict.objects.filter(former_province__province__code=home).prefetch_related("communes"):
            entry = (d.code, sorted(c.code for c in d.communes.all()))
            self.districts[d.folded] = entry
            shorts.setdefault(search_key(d.short_name), []).append(entry)
        for key, entries in shorts.items():
            if len(entries) == 1 and not key.isdigit():
                self.districts.setdefault(key, entries[0])

    def resolve(self, text: str) -> Resolved | None:
        key = place_key(text)
        if not key:
            return None
        if key in self.communes:
            return Resolved(self.home, self.communes[key], None)
        if key in self.districts:
            code, communes = self.districts[key]
            return Resolved(self.home, communes[0] if len(communes) == 1 else None, code)
        return None
