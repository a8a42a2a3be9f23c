"""Writes on the directory: create, edit, verify, archive, merge, register, claim, people, relations.

Every write runs in one transaction, keeps the search index (`SearchToken`) in step with the
names, and records an audit event. Applicants never change a record directly: their edits and
claims become `ChangeRequest`s that an officer approves or rejects.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import EmailValidator, URLValidator
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from innohub.activity.services import event_record, notification_send, snapshot
from innohub.core.errors import ApplicationError
from innohub.core.permissions import ensure_role, user_has_role
from innohub.core.roles import Role
from innohub.core.text import normalize, slugify_vi
from innohub.directory.models import (
    ChangeRequest,
    Organisation,
    Person,
    Position,
    Relation,
    SearchToken,
    Sector,
)
from innohub.directory.selectors import MANAGE_DIRECTORY, REGISTER_ORGANISATION, facets_invalidate
from innohub.places.models import Commune, Province

EDITABLE_FIELDS = (
    "kind", "helix", "name", "name_en", "short_name", "tax_code", "founded_on", "province", "commune", "city",
    "country", "stage", "team_size", "website", "email", "phone", "description", "description_en",
)
PLACE_FIELDS = {"province": "province_id", "commune": "commune_id", "former_district": "former_district_id"}  # 2025 units, stored by code
FREE_TEXT_FIELDS = ("description", "description_en")  # kept as typed (line breaks), only trimmed
DESCRIPTION_MAX_LENGTH = 10_000
AUDITED_FIELDS = (*EDITABLE_FIELDS, "former_district", "verified", "archived_at", "merged_into", "logo")
TAX_CODE_RE = re.compile(r"^\d{10}(-\d{3})?$")
COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
RESERVED_SLUGS = {"staff", "register", "open-data", "changes", "my"}
LOGO_MAX_BYTES = 1024 * 1024
LOGO_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}


# --- Validation shared by pages, the API and imports -----------------------------------------


def clean_tax_code(text: str) -> str:
    """A tax code as stored: no spaces, upper case ("03 1234 5678" → "0312345678")."""
    return normalize(text).replace(" ", "").upper()


def tax_code_problem(tax_code: str, *, instance: Organisation | None = None) -> str:
    """Why this (cleaned) tax code cannot be saved, or "" when it can (an empty one can).
    The forms ask this as they parse, so a bad tax code is reported with the other fields'
    problems; the services ask it again before writing."""
    if not tax_code:
        return ""
    if not TAX_CODE_RE.match(tax_code):
        return _("A tax code has 10 digits, or 10 digits, a hyphen and 3 digits for a branch.")
    clash = Organisation.objects.filter(tax_code=tax_code)
    if instance is not None and instance.pk:
        clash = clash.exclude(pk=instance.pk)
    if clash.exists():
        return _("Another organisation already has this tax code.")
    return ""


def validate_organisation(data: dict[str, Any], *, instance: Organisation | None = None) -> dict[str, list[str]]:
    """Every problem with these field values, by field (empty when they may be saved)."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    def value(name: str) -> Any:
        if name in data:
            return data[name]
        return getattr(instance, name) if instance is not None else ""

    if not normalize(value("name") or ""):
        add("name", _("Enter the organisation's name."))
    elif len(value("name")) > 255:
        add("name", _("The name is longer than 255 characters."))
    kind = value("kind")
    if kind not in Organisation.Kind.values:
        add("kind", _("Choose a kind of organisation."))
    if value("helix") not in Organisation.Helix.values:
        add("helix", _("Choose a side of the triple helix: public, private or academia."))
    stage = value("stage") or ""
    if stage and stage not in Organisation.Stage.values:
        add("stage", _("Unknown stage."))
    if stage and kind in Organisation.Kind.values and kind != Organisation.Kind.STARTUP:
        add("stage", _("Only startups have a stage."))
    tax_problem = tax_code_problem(value("tax_code") or "", instance=instance)
    if tax_problem:
        add("tax_code", tax_problem)
    country = value("country") or ""
    if not COUNTRY_RE.match(country):
        add("country", _("Use the two-letter country code (VN, AU, SG…)."))
    province_code, commune_code = value("province_id"), value("commune_id")
    province = Province.objects.filter(code=province_code).first() if province_code else None
    commune = Commune.objects.filter(code=commune_code).select_related("province").first() if commune_code else None
    if province_code and province is None:
        add("province", _("Unknown province code %(code)s.") % {"code": province_code})
    if commune_code and commune is None:
        add("commune", _("Unknown commune code %(code)s.") % {"code": commune_code})
    if commune and province and commune.province_id != province.pk:
        add("commune", _("%(commune)s is not in %(province)s.") % {"commune": commune.name, "province": province.name})
    team_size = value("team_size")
    if team_size is not None and team_size != "" and (not isinstance(team_size, int) or team_size < 0 or team_size > 1_000_000):
        add("team_size", _("The team size is a whole number of people."))
    founded = value("founded_on")
    if founded and isinstance(founded, dt.date) and founded > timezone.localdate():
        add("founded_on", _("The founding date is in the future."))
    website = value("website") or ""
    if website:
        try:
            URLValidator(schemes=["http", "https"])(website)
        except ValidationError:
            add("website", _("Enter a full web address starting with https://."))
    email = value("email") or ""
    if email:
        try:
            EmailValidator()(email)
        except ValidationError:
            add("email", _("Enter a valid e-mail address."))
    for name, limit in (("name_en", 255), ("short_name", 60), ("city", 80), ("phone", 30),
                        ("description", DESCRIPTION_MAX_LENGTH), ("description_en", DESCRIPTION_MAX_LENGTH)):
        if len(value(name) or "") > limit:
            add(name, _("At most %(n)d characters.") % {"n": limit})
    return errors


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    cleaned = {}
    for name, val in data.items():
        if name in PLACE_FIELDS or name in PLACE_FIELDS.values():
            # a unit, its code or nothing → the code, under the column's name (JSON-safe for
            # change requests, compared with the stored code)
            code = getattr(val, "code", val)
            cleaned[PLACE_FIELDS.get(name, name)] = (normalize(str(code)) or None) if code not in (None, "") else None
            continue
        if name not in EDITABLE_FIELDS:
            continue
        if isinstance(val, str):
            val = normalize(val) if name not in FREE_TEXT_FIELDS else val.strip()
        if name == "tax_code" and isinstance(val, str):
            val = clean_tax_code(val)
        if name == "country" and isinstance(val, str):
            val = val.replace(" ", "").upper()
        if name == "team_size" and val == "":
            val = None
        if name == "founded_on" and val == "":
            val = None
        if name in ("stage",) and val is None:
            val = ""
        cleaned[name] = val
    if cleaned.get("commune_id") and not cleaned.get("province_id"):
        # a commune names its province
        province = Commune.objects.filter(code=cleaned["commune_id"]).values_list("province__code", flat=True).first()
        if province:
            cleaned["province_id"] = province
    return cleaned


def _ensure_valid(data: dict[str, Any], *, instance: Organisation | None = None) -> None:
    errors = validate_organisation(data, instance=instance)
    if errors:
        raise ApplicationError(_("Some fields need correcting."), extra=errors)


def _unique_slug(text: str, *, exclude_pk: int | None = None) -> str:
    base = slugify_vi(text, max_length=100) or "to-chuc"
    if base in RESERVED_SLUGS:
        base = f"{base}-org"
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():  # type: ignore[misc]  # pk=None excludes nothing
        slug = f"{base}-{n}"
        n += 1
    return slug


def organisation_index(*, organisation: Organisation) -> None:
    """Bring the organisation's search tokens in step with its names and tax code."""
    wanted = organisation.search_tokens()
    current = set(SearchToken.objects.filter(organisation=organisation).values_list("token", flat=True))
    if current - wanted:
        SearchToken.objects.filter(organisation=organisation, token__in=current - wanted).delete()
    if wanted - current:
        SearchToken.objects.bulk_create([SearchToken(organisation=organisation, token=t) for t in wanted - current])
    if current != wanted:
        facets_invalidate()  # the in-memory search index holds the tokens


def _sectors(codes: Iterable[str] | None) -> list[Sector] | None:
    if codes is None:
        return None
    codes = [c for c in codes if c]
    found = list(Sector.objects.filter(code__in=codes))
    missing = set(codes) - {s.code for s in found}
    if missing:
        raise ApplicationError(_("Unknown sectors: %(codes)s.") % {"codes": ", ".join(sorted(missing))}, extra={"sectors": [_("Unknown sector.")]})
    return found


def _staff() -> list[Any]:
    from innohub.accounts.models import User

    return list(User.objects.filter(role=Role.OFFICER, is_active=True))


# --- Staff writes ------------------------------------------------------------------------------


@transaction.atomic
def organisation_create(*, actor: Any, data: dict[str, Any], sectors: Iterable[str] | None = None, verified: bool = True) -> Organisation:
    """An officer adds an organisation (verified by them unless `verified=False`)."""
    ensure_role(actor, MANAGE_DIRECTORY)
    return _create(actor=actor, data=data, sectors=sectors, verified=verified, action="organisation.created")


def _create(*, actor: Any, data: dict[str, Any], sectors: Iterable[str] | None, verified: bool, action: str) -> Organisation:
    data = {"country": "VN", **_clean(data)}
    _ensure_valid(data)
    sector_objs = _sectors(sectors)
    org = Organisation(**data, created_by=actor if getattr(actor, "is_authenticated", False) else None)
    org.slug = _unique_slug(org.short_name if org.short_name and len(org.short_name) > 3 else org.name)
    if verified:
        org.verified, org.verified_by, org.verified_at = True, actor, timezone.now()
    org.refresh_search_text()
    org.save()
    if sector_objs:
        org.sectors.set(sector_objs)
    organisation_index(organisation=org)
    after = snapshot(org, AUDITED_FIELDS) | {"sectors": sorted(s.code for s in sector_objs or [])}
    event_record(actor=actor, action=action, target=org, after=after)
    facets_invalidate()
    return org


def _apply(*, organisation: Organisation, data: dict[str, Any], sectors: Iterable[str] | None) -> tuple[dict, dict]:
    """Apply validated values; returns (before, after) of what changed."""
    data = _clean(data)
    _ensure_valid(data, instance=organisation)
    sector_objs = _sectors(sectors)
    before = snapshot(organisation, AUDITED_FIELDS)
    before_sectors = sorted(organisation.sectors.values_list("code", flat=True))
    changed = [name for name, val in data.items() if getattr(organisation, name) != val]
    for name in changed:
        setattr(organisation, name, data[name])
    if changed:
        organisation.refresh_search_text()
        organisation.save(update_fields=[*changed, "search_text", "name_key", "updated_at"])
        organisation_index(organisation=organisation)
    after_sectors = before_sectors
    if sector_objs is not None:
        after_sectors = sorted(s.code for s in sector_objs)
        if after_sectors != before_sectors:
            organisation.sectors.set(sector_objs)
            if not changed:  # updated_at is what app servers without a shared cache notice
                organisation.save(update_fields=["updated_at"])
    after = snapshot(organisation, AUDITED_FIELDS)
    b = {k: v for k, v in before.items() if after[k] != v}
    a = {k: after[k] for k in b}
    if after_sectors != before_sectors:
        b["sectors"], a["sectors"] = before_sectors, after_sectors
    return b, a


@transaction.atomic
def organisation_update(*, organisation: Organisation, actor: Any, data: dict[str, Any], sectors: Iterable[str] | None = None) -> Organisation:
    """An officer edits a record directly."""
    ensure_role(actor, MANAGE_DIRECTORY)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before, after = _apply(organisation=organisation, data=data, sectors=sectors)
    if before:
        event_record(actor=actor, action="organisation.updated", target=organisation, before=before, after=after)
        facets_invalidate()
    return organisation


@transaction.atomic
def organisation_verify(*, organisation: Organisation, actor: Any) -> Organisation:
    ensure_role(actor, MANAGE_DIRECTORY)
    if organisation.verified:
        return organisation
    before = snapshot(organisation, ["verified", "verified_by", "verified_at"])
    organisation.verified, organisation.verified_by, organisation.verified_at = True, actor, timezone.now()
    organisation.save(update_fields=["verified", "verified_by", "verified_at", "updated_at"])
    event_record(actor=actor, action="organisation.verified", target=organisation, before=before,
                 after=snapshot(organisation, ["verified", "verified_by", "verified_at"]))
    facets_invalidate()
    return organisation


@transaction.atomic
def organisation_archive(*, organisation: Organisation, actor: Any, restore: bool = False) -> Organisation:
    ensure_role(actor, MANAGE_DIRECTORY)
    if restore and organisation.merged_into_id:
        raise ApplicationError(_("A merged record cannot be restored."))
    if (organisation.archived_at is None) == restore:
        return organisation
    before = snapshot(organisation, ["archived_at"])
    organisation.archived_at = None if restore else timezone.now()
    organisation.save(update_fields=["archived_at", "updated_at"])
    event_record(actor=actor, action="organisation.restored" if restore else "organisation.archived",
                 target=organisation, before=before, after=snapshot(organisation, ["archived_at"]))
    facets_invalidate()
    return organisation


def validate_logo(upload: UploadedFile) -> str:
    """The file extension of an acceptable logo, or ApplicationError (type and size checked)."""
    from PIL import Image, UnidentifiedImageError

    if upload.size > LOGO_MAX_BYTES:  # type: ignore[operator]  # an upload always has a size
        raise ApplicationError(_("The logo is larger than 1 MB."), extra={"logo": [_("The logo is larger than 1 MB.")]})
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            fmt = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ApplicationError(_("The logo must be a PNG, JPEG or WebP image."), extra={"logo": [_("The logo must be a PNG, JPEG or WebP image.")]}) from exc
    if fmt not in LOGO_FORMATS:
        raise ApplicationError(_("The logo must be a PNG, JPEG or WebP image."), extra={"logo": [_("The logo must be a PNG, JPEG or WebP image.")]})
    upload.seek(0)
    return LOGO_FORMATS[fmt]


@transaction.atomic
def organisation_set_logo(*, organisation: Organisation, actor: Any, upload: UploadedFile) -> Organisation:
    if not (user_has_role(actor, MANAGE_DIRECTORY) or _is_member(actor, organisation)):
        raise PermissionDenied
    ext = validate_logo(upload)
    before = snapshot(organisation, ["logo"])
    old = organisation.logo.name if organisation.logo else ""
    organisation.logo.save(f"{uuid.uuid4().hex}.{ext}", upload, save=False)
    organisation.save(update_fields=["logo", "updated_at"])
    if old:
        transaction.on_commit(lambda: organisation.logo.storage.delete(old))
    event_record(actor=actor, action="organisation.logo_changed", target=organisation, before=before, after=snapshot(organisation, ["logo"]))
    return organisation


# --- Merge -------------------------------------------------------------------------------------


@transaction.atomic
def organisation_merge(*, keep: Organisation, duplicate: Organisation, actor: Any) -> Organisation:
    """Fold `duplicate` into `keep`: everything pointing at it moves, blank fields are filled.

    The duplicate stays as an archived record pointing at the one kept (its old links still
    resolve). Rows that would become duplicates at the kept organisation (the same member, the
    same relation) are dropped; a relation between the two is dropped.
    """
    ensure_role(actor, MANAGE_DIRECTORY)
    if keep.pk == duplicate.pk:
        raise ApplicationError(_("Choose two different organisations."))
    keep = Organisation.objects.select_for_update().get(pk=keep.pk)
    duplicate = Organisation.objects.select_for_update().get(pk=duplicate.pk)
    if duplicate.merged_into_id or keep.merged_into_id:
        raise ApplicationError(_("One of these records has already been merged."))
    before = {"keep": snapshot(keep, AUDITED_FIELDS), "duplicate": snapshot(duplicate, AUDITED_FIELDS)}
    moved: dict[str, int] = {}
    Relation.objects.filter(models.Q(source=keep, target=duplicate) | models.Q(source=duplicate, target=keep)).delete()
    for model, fk in _references_to_organisation():
        if model is SearchToken:
            continue
        if model is Organisation:  # merged_into
            # updated_at with it: a write the search index's update can follow (see search_index)
            model.objects.filter(**{fk: duplicate}).update(**{fk: keep}, updated_at=timezone.now())  # type: ignore[attr-defined]
            continue
        count = 0
        for obj in model.objects.filter(**{fk: duplicate}):  # type: ignore[attr-defined]
            try:
                with transaction.atomic():
                    model.objects.filter(pk=obj.pk).update(**{fk: keep})  # type: ignore[attr-defined]
                count += 1
            except IntegrityError:
                if model._meta.auto_created or model in (Relation, Position, ChangeRequest) or model._meta.label == "accounts.Membership":
                    obj.delete()  # the kept organisation already has the same row
                else:
                    raise ApplicationError(
                        _("The merge would duplicate a %(what)s; resolve it first.") % {"what": model._meta.verbose_name}
                    ) from None
        if count:
            moved[f"{model._meta.label_lower}.{fk}"] = count
    filled = []
    tax_code = duplicate.tax_code
    duplicate.tax_code = ""
    duplicate.merged_into, duplicate.archived_at = keep, timezone.now()
    duplicate.save(update_fields=["tax_code", "merged_into", "archived_at", "updated_at"])
    for name in EDITABLE_FIELDS:
        value = tax_code if name == "tax_code" else getattr(duplicate, name)
        if value not in ("", None) and getattr(keep, name) in ("", None):
            setattr(keep, name, value)
            filled.append(name)
    if not keep.logo and duplicate.logo:
        keep.logo = duplicate.logo
        filled.append("logo")
    if duplicate.verified and not keep.verified:
        keep.verified, keep.verified_by, keep.verified_at = True, duplicate.verified_by, duplicate.verified_at
        filled += ["verified", "verified_by", "verified_at"]
    if filled:
        keep.refresh_search_text()
        keep.save(update_fields=[*filled, "search_text", "name_key", "updated_at"])
        organisation_index(organisation=keep)
    else:  # its sectors may have grown: updated_at is what the search index's update follows
        keep.save(update_fields=["updated_at"])
    SearchToken.objects.filter(organisation=duplicate).delete()
    event_record(actor=actor, action="organisation.merged", target=keep, before=before,
                 after={"keep": keep.pk, "duplicate": duplicate.pk, "moved": moved, "filled": filled})
    facets_invalidate()
    return keep


def _references_to_organisation() -> list[tuple[type[models.Model], str]]:
    """Every (model, foreign key) pointing at Organisation, in any app, including M2M tables."""
    from django.apps import apps

    refs = []
    for model in apps.get_models(include_auto_created=True):
        for f in model._meta.concrete_fields:
            if f.is_relation and f.many_to_one and f.related_model is Organisation:
                refs.append((model, f.name))
    return refs


# --- Applicants: registration, claims, proposed edits ------------------------------------------


def _is_member(user: Any, organisation: Organisation) -> bool:
    return getattr(user, "is_authenticated", False) and organisation.memberships.filter(user=user).exists()


def _notify_officers(message: str, change: ChangeRequest) -> None:
    notification_send(recipients=_staff(), message=message, params={"name": change.organisation.name, "text": change.message},
                      url=reverse("directory:change-detail", args=[change.pk]), email=False)


@transaction.atomic
def organisation_register(*, actor: Any, data: dict[str, Any], sectors: Iterable[str] | None = None, message: str = "") -> ChangeRequest:
    """An applicant registers their startup: an unverified record they own, waiting for an officer."""
    from innohub.accounts.models import Membership

    ensure_role(actor, REGISTER_ORGANISATION)
    data = {**data, "kind": Organisation.Kind.STARTUP, "helix": Organisation.Helix.PRIVATE}
    org = _create(actor=actor, data=data, sectors=sectors, verified=False, action="organisation.registered")
    Membership.objects.create(user=actor, organisation=org, org_role=Membership.OrgRole.OWNER)
    change = ChangeRequest.objects.create(kind=ChangeRequest.Kind.REGISTER, organisation=org, proposed_by=actor, message=message)
    _notify_officers("directory.startup_registered", change)
    return change


@transaction.atomic
def organisation_claim(*, organisation: Organisation, actor: Any, message: str = "") -> ChangeRequest:
    """An applicant says a listed startup is theirs; an officer confirms before they may edit it."""
    from innohub.directory.selectors import can_claim

    ensure_role(actor, REGISTER_ORGANISATION)
    if not can_claim(actor, organisation):
        raise ApplicationError(_("This organisation cannot be claimed: it already has members or is not a listed startup."))
    if ChangeRequest.objects.filter(organisation=organisation, proposed_by=actor, kind=ChangeRequest.Kind.CLAIM, state=ChangeRequest.State.PENDING).exists():
        raise ApplicationError(_("You have already claimed this organisation; an officer will confirm it."))
    change = ChangeRequest.objects.create(kind=ChangeRequest.Kind.CLAIM, organisation=organisation, proposed_by=actor, message=message)
    event_record(actor=actor, action="organisation.claimed", target=organisation, after={"change_request": change.pk})
    _notify_officers("directory.startup_claimed", change)
    return change


@transaction.atomic
def organisation_propose_edit(*, organisation: Organisation, actor: Any, data: dict[str, Any], sectors: Iterable[str] | None = None, message: str = "") -> ChangeRequest | None:
    """A member proposes changes; nothing changes until an officer approves. None if nothing differs."""
    if not (user_has_role(actor, REGISTER_ORGANISATION) and _is_member(actor, organisation)):
        raise PermissionDenied
    data = _clean({k: v for k, v in data.items() if k not in ("kind", "helix")})
    _ensure_valid(data, instance=organisation)
    _sectors(sectors)
    changes = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in data.items() if getattr(organisation, k) != v}
    if sectors is not None:
        codes = sorted(set(sectors))
        if codes != sorted(organisation.sectors.values_list("code", flat=True)):
            changes["sectors"] = codes
    if not changes:
        return None
    change = ChangeRequest.objects.create(kind=ChangeRequest.Kind.EDIT, organisation=organisation, proposed_by=actor, changes=changes, message=message)
    event_record(actor=actor, action="organisation.edit_proposed", target=organisation, after={"change_request": change.pk, "changes": changes})
    _notify_officers("directory.changes_proposed", change)
    return change


@transaction.atomic
def change_request_decide(*, change: ChangeRequest, actor: Any, approve: bool, note: str = "") -> ChangeRequest:
    """An officer approves (applies) or rejects what an applicant asked for."""
    from innohub.accounts.models import Membership

    ensure_role(actor, MANAGE_DIRECTORY)
    change = ChangeRequest.objects.select_for_update().select_related("organisation", "proposed_by").get(pk=change.pk)
    if change.state != ChangeRequest.State.PENDING:
        raise ApplicationError(_("This request has already been decided."))
    org = change.organisation
    if approve:
        if change.kind == ChangeRequest.Kind.EDIT:
            data = dict(change.changes)
            sectors = data.pop("sectors", None)
            if isinstance(data.get("founded_on"), str) and data["founded_on"]:
                data["founded_on"] = dt.date.fromisoformat(data["founded_on"])
            before, after = _apply(organisation=org, data=data, sectors=sectors)
            event_record(actor=actor, action="organisation.updated", target=org, before=before, after=after, note=f"change request {change.pk}")
        elif change.kind == ChangeRequest.Kind.CLAIM:
            Membership.objects.get_or_create(user=change.proposed_by, organisation=org, defaults={"org_role": Membership.OrgRole.OWNER})
        if change.kind in (ChangeRequest.Kind.REGISTER, ChangeRequest.Kind.CLAIM) and not org.verified:
            organisation_verify(organisation=org, actor=actor)
    elif change.kind == ChangeRequest.Kind.REGISTER:
        organisation_archive(organisation=org, actor=actor)
    before = snapshot(change, ["state"])
    change.state = ChangeRequest.State.APPROVED if approve else ChangeRequest.State.REJECTED
    change.decided_by, change.decided_at, change.decision_note = actor, timezone.now(), note.strip()
    change.save(update_fields=["state", "decided_by", "decided_at", "decision_note", "updated_at"])
    event_record(actor=actor, action="organisation.change_approved" if approve else "organisation.change_rejected",
                 target=org, before=before, after=snapshot(change, ["state", "kind"]) | {"change_request": change.pk}, note=note)
    notification_send(recipients=[change.proposed_by], message="directory.request_approved" if approve else "directory.request_rejected",
                      params={"name": org.name, "note": note.strip()}, url=reverse("directory:detail", args=[org.slug]))
    return change


# --- People and relations ----------------------------------------------------------------------


@transaction.atomic
def person_create(*, actor: Any, full_name: str, honorific: str = "", bio: str = "", email: str = "", phone: str = "") -> Person:
    ensure_role(actor, MANAGE_DIRECTORY)
    if not normalize(full_name):
        raise ApplicationError(_("Enter the person's name."), extra={"full_name": [_("Enter the person's name.")]})
    person = Person.objects.create(full_name=normalize(full_name), honorific=normalize(honorific), bio=bio.strip(), email=email.strip(), phone=phone.strip())
    event_record(actor=actor, action="person.created", target=person, after=snapshot(person, ["full_name", "honorific"]))
    return person


@transaction.atomic
def position_add(*, actor: Any, person: Person, organisation: Organisation, kind: str, title: str = "",
                 title_en: str = "", started_on: dt.date | None = None, ended_on: dt.date | None = None) -> Position:
    ensure_role(actor, MANAGE_DIRECTORY)
    if kind not in Position.Kind.values:
        raise ApplicationError(_("Unknown kind of role."), extra={"kind": [_("Unknown kind of role.")]})
    for name, text in (("title", title), ("title_en", title_en)):
        if len(normalize(text)) > 160:
            message = _("At most %(n)d characters.") % {"n": 160}
            raise ApplicationError(message, extra={name: [message]})
    if started_on and ended_on and ended_on < started_on:
        raise ApplicationError(_("The end date is before the start date."), extra={"ended_on": [_("The end date is before the start date.")]})
    position, created = Position.objects.get_or_create(
        person=person, organisation=organisation, title=normalize(title),
        defaults={"kind": kind, "title_en": normalize(title_en), "started_on": started_on, "ended_on": ended_on},
    )
    if created:
        event_record(actor=actor, action="organisation.person_added", target=organisation,
                     after=snapshot(position, ["person", "kind", "title", "title_en", "started_on", "ended_on"]))
    return position


@transaction.atomic
def position_end(*, actor: Any, position: Position, ended_on: dt.date | None = None) -> Position:
    ensure_role(actor, MANAGE_DIRECTORY)
    before = snapshot(position, ["ended_on"])
    position.ended_on = ended_on or timezone.localdate()
    position.save(update_fields=["ended_on", "updated_at"])
    event_record(actor=actor, action="organisation.person_left", target=position.organisation, before=before, after=snapshot(position, ["person", "ended_on"]))
    return position


@transaction.atomic
def relation_add(*, actor: Any, source: Organisation, target: Organisation, kind: str,
                 started_on: dt.date | None = None, ended_on: dt.date | None = None, note: str = "") -> Relation:
    ensure_role(actor, MANAGE_DIRECTORY)
    if source.pk == target.pk:
        raise ApplicationError(_("An organisation cannot be related to itself."))
    if kind not in Relation.Kind.values:
        raise ApplicationError(_("Unknown kind of relation."), extra={"kind": [_("Unknown kind of relation.")]})
    if started_on and ended_on and ended_on < started_on:
        raise ApplicationError(_("The end date is before the start date."), extra={"ended_on": [_("The end date is before the start date.")]})
    relation, created = Relation.objects.get_or_create(
        source=source, target=target, kind=kind, defaults={"started_on": started_on, "ended_on": ended_on, "note": note.strip()[:300]},
    )
    if created:
        event_record(actor=actor, action="organisation.relation_added", target=source,
                     after=snapshot(relation, ["source", "target", "kind", "started_on", "ended_on", "note"]))
    return relation


@transaction.atomic
def relation_remove(*, actor: Any, relation: Relation) -> None:
    ensure_role(actor, MANAGE_DIRECTORY)
    before = snapshot(relation, ["source", "target", "kind", "started_on", "ended_on", "note"])
    source = relation.source
    relation.delete()
    event_record(actor=actor, action="organisation.relation_removed", target=source, before=before)

