"""The directory over the API, with the same checks as the pages.

Anyone may list, search and read public organisations. Officers (and managers,
administrators) create and update records directly; a startup's member who updates it gets
202 and a change request that waits for an officer, exactly as on the edit page.
"""

import datetime as dt

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from innohub.api.pagination import PagePagination
from innohub.api.schemas import ERROR_RESPONSES, IsoDate
from innohub.core.permissions import user_has_role
from innohub.directory import permissions, selectors, services
from innohub.directory.models import ChangeRequest, Organisation
from innohub.directory.services import DESCRIPTION_MAX_LENGTH

router = Router(tags=["directory"])


class SectorOut(Schema):
    code: str
    name: str
    name_en: str


class OrganisationOut(Schema):
    slug: str
    name: str
    name_en: str
    short_name: str
    kind: str
    helix: str
    tax_code: str
    founded_on: dt.date | None
    province: str = Field("", description="Province code since 1 July 2025 (General Statistics Office)")
    province_name: str = ""
    commune: str = Field("", description="Ward, commune or special zone code since 1 July 2025")
    commune_name: str = ""
    city: str
    country: str
    stage: str
    team_size: int | None
    website: str
    verified: bool
    sectors: list[SectorOut]

    @staticmethod
    def resolve_sectors(obj) -> list:
        return list(obj.sectors.all())

    @staticmethod
    def resolve_province(obj) -> str:
        return obj.province_id or ""

    @staticmethod
    def resolve_province_name(obj) -> str:
        return obj.province.name if obj.province_id else ""

    @staticmethod
    def resolve_commune(obj) -> str:
        return obj.commune_id or ""

    @staticmethod
    def resolve_commune_name(obj) -> str:
        return obj.commune.name if obj.commune_id else ""


class PersonOut(Schema):
    name: str
    title: str
    title_en: str
    kind: str


class RelationOut(Schema):
    kind: str
    direction: str
    organisation: str
    name: str
    started_on: dt.date | None
    ended_on: dt.date | None


class OrganisationDetailOut(OrganisationOut):
    description: str
    description_en: str
    email: str
    archived: bool
    merged_into: str | None
    people: list[PersonOut]
    relations: list[RelationOut]

    @staticmethod
    def resolve_merged_into(obj) -> str | None:
        return obj.merged_into.slug if obj.merged_into_id else None


class OrganisationIn(Schema):
    kind: str = Field(..., max_length=20)
    helix: str = Field(..., max_length=10)
    name: str = Field(..., max_length=255)
    name_en: str = Field("", max_length=255)
    short_name: str = Field("", max_length=60)
    tax_code: str = Field("", max_length=14)
    founded_on: IsoDate | None = None
    province: str = Field("", max_length=2, description="Province code since 1 July 2025")
    commune: str = Field("", max_length=5, description="Ward, commune or special zone code since 1 July 2025")
    city: str = Field("", max_length=80)
    country: str = Field("VN", max_length=2)
    stage: str = Field("", max_length=20)
    team_size: int | None = Field(None, ge=0, le=1_000_000)
    website: str = Field("", max_length=200)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=30)
    description: str = Field("", max_length=DESCRIPTION_MAX_LENGTH)
    description_en: str = Field("", max_length=DESCRIPTION_MAX_LENGTH)
    sectors: list[str] = Field(default_factory=list, max_length=30)


class OrganisationPatch(Schema):
    kind: str | None = Field(None, max_length=20)
    helix: str | None = Field(None, max_length=10)
    name: str | None = Field(None, max_length=255)
    name_en: str | None = Field(None, max_length=255)
    short_name: str | None = Field(None, max_length=60)
    tax_code: str | None = Field(None, max_length=14)
    founded_on: IsoDate | None = None
    province: str | None = Field(None, max_length=2)
    commune: str | None = Field(None, max_length=5)
    city: str | None = Field(None, max_length=80)
    country: str | None = Field(None, max_length=2)
    stage: str | None = Field(None, max_length=20)
    team_size: int | None = Field(None, ge=0, le=1_000_000)
    website: str | None = Field(None, max_length=200)
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=30)
    description: str | None = Field(None, max_length=DESCRIPTION_MAX_LENGTH)
    description_en: str | None = Field(None, max_length=DESCRIPTION_MAX_LENGTH)
    sectors: list[str] | None = Field(None, max_length=30)
    message: str = Field("", max_length=2000)


class ChangeRequestOut(Schema):
    id: int
    kind: str
    state: str
    organisation: str
    changes: dict

    @staticmethod
    def resolve_organisation(obj) -> str:
        return obj.organisation.slug


class SearchFilters(Schema):
    q: str = Field("", max_length=200)
    kind: str = Field("", max_length=20)
    sector: str = Field("", max_length=50)
    province: str = Field("", max_length=2)
    commune: str = Field("", max_length=5)
    country: str = Field("", max_length=2)
    stage: str = Field("", max_length=20)
    verified: bool = False
    sort: str = Field("name", max_length=10)


@router.get("/organisations", response={200: list[OrganisationOut], **ERROR_RESPONSES}, auth=None,
            summary="Search the public directory (diacritics optional, word prefixes)")
@paginate(PagePagination)
def list_organisations(request: HttpRequest, filters: Query[SearchFilters]):
    params = selectors.SearchParams.from_query(filters.dict())
    return selectors.organisation_search(user=None, params=params)


def _detail(org: Organisation) -> Organisation:
    org.people = [{"name": str(p.person), "title": p.title, "title_en": p.title_en, "kind": p.kind}
                  for p in selectors.organisation_people(organisation=org)]
    org.relations = [
        {"kind": r["relation"].kind, "direction": "out" if r["outgoing"] else "in", "organisation": r["other"].slug,
         "name": r["other"].name, "started_on": r["relation"].started_on, "ended_on": r["relation"].ended_on}
        for r in selectors.organisation_relations(organisation=org)
    ]
    org.archived = org.archived_at is not None
    return org


@router.get("/organisations/{slug}", response={200: OrganisationDetailOut, **ERROR_RESPONSES}, auth=None,
            summary="One organisation's public profile")
def get_organisation(request: HttpRequest, slug: str):
    return _detail(selectors.organisation_public_detail(user=None, slug=slug))


@router.post("/organisations", response={201: OrganisationDetailOut, 202: ChangeRequestOut, **ERROR_RESPONSES},
             summary="Create (officers) or register a startup (applicants: waits for verification)")
def create_organisation(request: HttpRequest, payload: OrganisationIn):
    data = payload.dict()
    sectors = data.pop("sectors")
    if user_has_role(request.auth, permissions.MANAGE_DIRECTORY):
        org = services.organisation_create(actor=request.auth, data=data, sectors=sectors)
        return Status(201, _detail(org))
    change = services.organisation_register(actor=request.auth, data=data, sectors=sectors)
    return Status(202, change)


@router.patch("/organisations/{slug}", response={200: OrganisationDetailOut, 202: ChangeRequestOut, 204: None, **ERROR_RESPONSES},
              summary="Update (officers) or propose changes (a startup's members: 202, waits for verification)")
def update_organisation(request: HttpRequest, slug: str, payload: OrganisationPatch):
    org = get_object_or_404(Organisation, slug=slug)
    data = payload.dict(exclude_unset=True)
    message = data.pop("message", "")
    sectors = data.pop("sectors", None)
    # null clears a field: a date or a number becomes none, a text empty (its column holds no
    # null; a required one, such as the name, is then refused by the service as left empty)
    nullable = {f.name for f in Organisation._meta.concrete_fields if f.null}
    data = {field: "" if value is None and field not in nullable else value for field, value in data.items()}
    if user_has_role(request.auth, permissions.MANAGE_DIRECTORY):
        org = services.organisation_update(organisation=org, actor=request.auth, data=data, sectors=sectors)
        return Status(200, _detail(Organisation.objects.get(pk=org.pk)))
    change = services.organisation_propose_edit(organisation=org, actor=request.auth, data=data, sectors=sectors, message=message)
    if change is None:
        return Status(204, None)
    return Status(202, change)


@router.get("/change-requests", response={200: list[ChangeRequestOut], **ERROR_RESPONSES},
            summary="Registrations, claims and edits waiting for verification (officers)")
@paginate(PagePagination)
def list_change_requests(request: HttpRequest, state: str = ChangeRequest.State.PENDING):
    return selectors.change_request_list(user=request.auth, state=state[:10])
