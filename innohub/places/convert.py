"""Reading a place written by a person — before or after 1 July 2025 — as today's units.

``place_from_old("Quận 1")`` → TP. Hồ Chí Minh, former Quận 1 (now phường Sài Gòn, Tân Định,
Bến Thành, Cầu Ông Lãnh: no single commune, so the commune is left for the person to choose);
``place_from_old("Phường Bến Nghé, Quận 1")`` → Phường Sài Gòn; ``place_from_old("Xã Nhà Bè")``
→ that commune as it is. Parts are separated by commas and read from the right (province,
district, ward); a text that names no province is read in the platform's home province and the
former provinces merged into it (``settings.PLACES_HOME_PROVINCE``, HCMC: former HCMC, Bình
Dương, Bà Rịa–Vũng Tàu). Abbreviations people write are accepted ("Q.1", "TP. Thủ Đức",
"H. Nhà Bè", "P. Bến Nghé"). A text that names no unit that ever existed raises ``UnknownPlace``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from innohub.core.text import search_key

from .models import Commune, FormerDistrict, FormerProvince, FormerWard, Province


class UnknownPlace(ValueError):
    """No administrative unit, old or new, has this name."""


_PREFIXES = [
    (r"^(tp\.?|t\.p\.?|thanh pho)\s*", "thanh pho "),
    (r"^(q\.?|quan)\s*(?=\d)", "quan "),
    (r"^(q\.|quan)\s*", "quan "),
    (r"^(h\.|huyen)\s*", "huyen "),
    (r"^(tx\.?|thi xa)\s*", "thi xa "),
    (r"^(tt\.?|thi tran)\s*", "thi tran "),
    (r"^(p\.?|phuong)\s*(?=\d)", "phuong "),
    (r"^(p\.|phuong)\s*", "phuong "),
    (r"^(x\.|xa)\s*", "xa "),
    (r"^(tinh)\s*", "tinh "),
]
_KIND_WORDS = ("thanh pho ", "quan ", "huyen ", "thi xa ", "thi tran ", "phuong ", "xa ", "tinh ", "dac khu ")


def place_key(text: str) -> str:
    """The folded, prefix-spelt-out form of one part of an address ("TP. Thủ Đức" → "thanh pho thu duc")."""
    key = search_key(text).strip(" .-")
    for pattern, full in _PREFIXES:
        new = re.sub(pattern, full, key)
        if new != key:
            key = new
            break
    key = re.sub(r"\s+", " ", key)
    # "Quận 01" and "Phường 05" are written with a leading zero in old records.
    return re.sub(r"^(quan|phuong) 0+(\d)", r"\1 \2", key).strip()


def _bare(key: str) -> str:
    for word in _KIND_WORDS:
        if key.startswith(word):
            return key[len(word):]
    return key


@dataclass
class Place:
    """A place as today's units, with what it was read from."""

    province: Province | None
    commune: Commune | None = None
    former_province: FormerProvince | None = None
    former_district: FormerDistrict | None = None
    former_ward: FormerWard | None = None
    candidates: list[Commune] = field(default_factory=list)
    text: str = ""

    @property
    def converted(self) -> bool:
        """True when the text named a unit that no longer exists."""
        if self.former_district or self.former_ward:
            return True
        return self.former_province is not None and self.province is not None and self.former_province.name != self.province.name

    def describe(self) -> str:
        """One sentence for an import report: what the text named and what it is now."""
        province_name = self.province.name if self.province is not None else ""
        where = self.commune.name if self.commune else ""
        now = f"{where}, {province_name}" if where else province_name
        if not self.converted:
            return now
        if not self.former_district:
            return _("“%(old)s” (before 1 July 2025) is now part of %(new)s.") % {"old": self.text, "new": now}
        if self.commune:
            return _("“%(old)s” (before 1 July 2025) is now %(new)s.") % {"old": self.text, "new": now}
        names = ", ".join(c.name for c in self.candidates)
        return _("“%(old)s” (before 1 July 2025) is now part of %(province)s (%(communes)s); recorded as %(province)s, former %(district)s — name the ward to place it in a commune.") % {
            "old": self.text, "province": self.province.name if self.province else "",
            "communes": names, "district": self.former_district.name if self.former_district else self.text,
        }


def _home_scope() -> tuple[Province | None, list[FormerProvince]]:
    code = getattr(settings, "PLACES_HOME_PROVINCE", "79")
    province = Province.objects.filter(code=code).first()
    return province, list(FormerProvince.objects.filter(province=province)) if province else []


def _match_province(key: str) -> tuple[Province | None, FormerProvince | None]:
    bare = _bare(key)
    for p in Province.objects.all():
        if key == p.folded or bare == search_key(p.short_name):
            return p, None
    for fp in FormerProvince.objects.select_related("province"):
        if key == fp.folded or bare == search_key(fp.short_name):
            return fp.province, fp
    aliases = {"hcm": "79", "tp hcm": "79", "tphcm": "79", "sai gon": "79", "ho chi minh": "79", "ha noi": "01", "hn": "01"}
    if bare in aliases or key in aliases:
        return Province.objects.filter(code=aliases.get(bare) or aliases[key]).first(), None
    return None, None


def _match_district(key: str, former_provinces: list[FormerProvince]) -> FormerDistrict | None:
    rows = FormerDistrict.objects.filter(former_province__in=former_provinces).select_related("former_province")
    exact = [d for d in rows if d.folded == key]
    if not exact and not key.split(" ")[-1].isdigit():
        # "Thủ Đức", "Nhà Bè" without the kind word; never a bare number ("1" is not Quận 1).
        exact = [d for d in rows if search_key(d.short_name) == key]
    return exact[0] if len(exact) == 1 else None


def _names_unit_in(key: str, province: Province, scope: list[FormerProvince]) -> bool:
    return (
        Commune.objects.filter(province=province, folded=key).exists()
        or _match_district(key, scope) is not None
        or FormerWard.objects.filter(district__former_province__in=scope, folded=key).exists()
    )


def place_from_old(text: str, *, province: Province | None = None) -> Place:
    """Today's units for a place written before or after 1 July 2025 (see the module docstring).
    Raises ``UnknownPlace`` when a part names no unit that ever existed in the province read."""
    parts = [p.strip() for p in (text or "").split(",") if p.strip()]
    if not parts:
        raise UnknownPlace(_("No place given."))
    keys = [place_key(p) for p in parts]
    former_province: FormerProvince | None = None
    if province is None and len(keys) > 1:
        province, former_province = _match_province(keys[-1])
        if province is not None:
            keys, parts = keys[:-1], parts[:-1]
    if province is None:
        province, scope = _home_scope()
        if province is None:
            raise UnknownPlace(_("The administrative units are not loaded (manage.py load_places)."))
        if len(keys) == 1 and not _names_unit_in(keys[0], province, scope):
            named, named_former = _match_province(keys[0])
            if named is not None:
                return Place(province=named, former_province=named_former, text=text)
    else:
        scope = [former_province] if former_province else list(FormerProvince.objects.filter(province=province))

    district = None
    if keys:
        district = _match_district(keys[-1], scope)
        if district is not None:
            keys, parts = keys[:-1], parts[:-1]
    if not keys:
        assert district is not None
        found_communes = list(district.communes.order_by("name"))
        return Place(
            province=province, commune=found_communes[0] if len(found_communes) == 1 else None,
            former_province=district.former_province, former_district=district, candidates=found_communes, text=text,
        )
    key = keys[-1]
    if district is not None:
        ward = next((w for w in district.wards.select_related("commune") if w.folded == key or (
            not key.split(" ")[-1].isdigit() and search_key(w.short_name) == key)), None)
        if ward is None:
            raise UnknownPlace(_("“%(ward)s” was not a ward of %(district)s.") % {"ward": parts[-1], "district": district.name})
        return Place(province=province, commune=ward.commune, former_province=district.former_province,
                     former_district=district, former_ward=ward, candidates=[ward.commune], text=text)
    communes = Commune.objects.filter(province=province)
    found = [c for c in communes if c.folded == key] or [c for c in communes if search_key(c.short_name) == _bare(key)]
    if len(found) == 1:
        return Place(province=province, commune=found[0], text=text)
    wards = [w for w in FormerWard.objects.filter(district__former_province__in=scope).select_related("commune", "district")
             if w.folded == key]
    if len({w.commune_id for w in wards}) == 1:
        w = wards[0]
        return Place(province=province, commune=w.commune, former_province=w.district.former_province,
                     former_district=w.district, former_ward=w, candidates=[w.commune], text=text)
    if len(found) > 1 or wards:
        raise UnknownPlace(_("“%(place)s” names several units; add the district or province.") % {"place": text})
    raise UnknownPlace(_("“%(place)s” is not an administrative unit of %(province)s, before or after 1 July 2025.") % {
        "place": text, "province": province.name})
