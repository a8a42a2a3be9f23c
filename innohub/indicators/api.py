"""The ecosystem index over the API: frameworks, their data and results (public for published
frameworks), runs (managers), imports (officers and managers). Same selectors and services as
the pages."""


import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from innohub.api.pagination import PagePagination
from innohub.api.schemas import ERROR_RESPONSES
from innohub.core import tabular
from innohub.core.permissions import ensure_role
from innohub.indicators import permissions, selectors, services
from innohub.indicators.imports import MAX_BYTES
from innohub.indicators.models import Framework, Run

router = Router(tags=["indicators"])


def _viewer(request: HttpRequest) -> Any:
    """Public operations take no authentication; a logged-in session still counts."""
    return request.auth if getattr(request, "auth", None) is not None else request.user


class FrameworkOut(Schema):
    code: str
    name: str
    name_en: str
    description: str
    description_en: str
    version: int
    is_published: bool


class AggregateOut(Schema):
    code: str
    name: str
    name_en: str
    level: int
    parent: str | None
    weight: float


class IndicatorOut(Schema):
    code: str
    name: str
    name_en: str
    parent: str
    measure: str
    measure_en: str
    direction: int
    weight: float
    source: str
    calculator: str


class FrameworkDetailOut(FrameworkOut):
    spec: dict
    uncertainty: dict
    aggregates: list[AggregateOut]
    indicators: list[IndicatorOut]


@router.get("/frameworks", response={200: list[FrameworkOut], **ERROR_RESPONSES}, auth=None, summary="Frameworks (published ones for the public)")
@paginate(PagePagination)
def list_frameworks(request: HttpRequest):
    return selectors.framework_list(user=_viewer(request))


def _framework(request: HttpRequest, code: str) -> Framework:
    return selectors.framework_get(user=_viewer(request), code=code[:50] or "-")


@router.get("/frameworks/{code}", response={200: FrameworkDetailOut, **ERROR_RESPONSES}, auth=None, summary="A framework with its indicator tree and pipeline spec")
def get_framework(request: HttpRequest, code: str):
    framework = _framework(request, code)
    return services.framework_snapshot(framework)


class ValueOut(Schema):
    unit: str
    indicator: str
    year: int
    value: float
    source: str

    @staticmethod
    def resolve_unit(obj) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_indicator(obj) -> str:
        return obj.indicator.code


class ValueFilters(Schema):
    year: int | None = Field(None, ge=1900, le=2200)
    indicator: str = Field("", max_length=40)
    unit: str = Field("", max_length=40)


@router.get("/frameworks/{code}/values", response={200: list[ValueOut], **ERROR_RESPONSES}, auth=None, summary="Values by unit, indicator and year")
@paginate(PagePagination)
def list_values(request: HttpRequest, code: str, filters: Query[ValueFilters]):
    framework = _framework(request, code)
    return selectors.value_list(framework=framework, **filters.dict())


class ConversionOut(Schema):
    row: int
    column: str
    message: str


class ImportOut(Schema):
    rows: int
    created: int
    updated: int
    unchanged: int
    conversions: list[ConversionOut] = Field(description="Rows whose unit was read as today's units (a former district or ward converted)")


@router.post("/frameworks/{code}/values/import", response={200: ImportOut, **ERROR_RESPONSES}, summary="Import a CSV/XLSX file of values (all or nothing; every problem reported)")
def import_values(request: HttpRequest, code: str, file: File[UploadedFile]):
    ensure_role(request.auth, permissions.IMPORT_ROLES)
    framework = _framework(request, code)
    data = tabular.upload_read(file, max_bytes=MAX_BYTES)  # refused with its real size before being read
    return services.values_import(framework=framework, data=data, filename=file.name or "", actor=request.auth)


class ResultOut(Schema):
    unit: str
    code: str
    level: int
    year: int
    score: float | None
    rank: int | None

    @staticmethod
    def resolve_unit(obj) -> str:
        return obj.unit.code


class ResultFilters(Schema):
    run: int | None = Field(None, ge=1, le=2**31 - 1, description="A run id; the latest successful run by default")
    year: int | None = Field(None, ge=1900, le=2200)
    level: int | None = Field(None, ge=1, le=20)
    code: str = Field("", max_length=40)
    unit: str = Field("", max_length=40)


def _run(request: HttpRequest, framework: Framework, run_id: int | None) -> Run:
    run = selectors.run_get(user=_viewer(request), run_id=run_id) if run_id else selectors.latest_run(framework=framework)
    if run is None or run.framework_id != framework.pk:
        raise Http404
    return run


@router.get("/frameworks/{code}/results", response={200: list[ResultOut], **ERROR_RESPONSES}, auth=None, summary="Scores and ranks at every level")
@paginate(PagePagination)
def list_results(request: HttpRequest, code: str, filters: Query[ResultFilters]):
    framework = _framework(request, code)
    run = _run(request, framework, filters.run)
    return selectors.result_list(run=run, **filters.dict(exclude={"run"}))


class UncertaintyOut(Schema):
    unit: str
    year: int
    nominal_rank: int
    median_rank: float
    rank_p5: float
    rank_p95: float

    @staticmethod
    def resolve_unit(obj) -> str:
        return obj.unit.code


class SensitivityOut(Schema):
    choice: str
    first_order: float | None
    total: float | None


class UncertaintyReportOut(Schema):
    run: int
    ranks: list[UncertaintyOut]
    sensitivity: list[SensitivityOut]


class RunFilter(Schema):
    run: int | None = Field(None, ge=1, le=2**31 - 1, description="A run id; the latest successful run by default")


@router.get("/frameworks/{code}/uncertainty", response={200: UncertaintyReportOut, **ERROR_RESPONSES}, auth=None, summary="Median rank, 5–95% interval and sensitivity indices of a run")
def get_uncertainty(request: HttpRequest, code: str, filters: Query[RunFilter]):
    framework = _framework(request, code)
    found = _run(request, framework, filters.run)
    ranks, indices = selectors.uncertainty(run=found)
    return {"run": found.pk, "ranks": ranks, "sensitivity": indices}


class RunOut(Schema):
    id: int
    framework: str
    framework_version: int
    year_from: int
    year_to: int
    status: str
    uncertainty_status: str
    error: str
    created_at: dt.datetime
    finished_at: dt.datetime | None

    @staticmethod
    def resolve_error(obj) -> str:
        return obj.error_shown  # in the language the client accepts

    @staticmethod
    def resolve_framework(obj) -> str:
        return obj.framework.code


class RunDetailOut(RunOut):
    spec: dict
    trace: list
    uncertainty_setup: dict


@router.get("/runs", response={200: list[RunOut], **ERROR_RESPONSES}, summary="Runs of the index, newest first (managers)")
@paginate(PagePagination)
def list_runs(request: HttpRequest):
    ensure_role(request.auth, permissions.MANAGE_ROLES)
    return selectors.run_list(user=request.auth)


@router.get("/runs/{run_id}", response={200: RunDetailOut, **ERROR_RESPONSES}, summary="A run with its spec and trace (managers)")
def get_run(request: HttpRequest, run_id: int):
    ensure_role(request.auth, permissions.MANAGE_ROLES)
    return selectors.run_get(user=request.auth, run_id=run_id)


class RunIn(Schema):
    year_from: int = Field(..., ge=1990, le=2100)
    year_to: int = Field(..., ge=1990, le=2100)
    monte_carlo_runs: int = Field(0, ge=0, le=20_000)


@router.post("/frameworks/{code}/runs", response={202: RunOut, **ERROR_RESPONSES}, summary="Queue a run of the index (managers)")
def start_run(request: HttpRequest, code: str, payload: RunIn):
    ensure_role(request.auth, permissions.MANAGE_ROLES)
    framework = _framework(request, code)
    run = services.run_start(framework=framework, year_from=payload.year_from, year_to=payload.year_to,
                             actor=request.auth, monte_carlo_runs=payload.monte_carlo_runs)
    return Status(202, run)

