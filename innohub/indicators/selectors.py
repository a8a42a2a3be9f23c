"""Reading the index: which frameworks and runs a user may see, rankings, a unit's profile,
the uncertainty of the ranking, and the data behind them.

The published frameworks' results are public; unpublished frameworks and every run that has not
succeeded are only for managers and administrators.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404

from innohub.core.db import filter_given
from innohub.core.i18n import in_language
from innohub.core.permissions import user_has_role
from innohub.core.text import fold_diacritics
from innohub.indicators.models import (
    Aggregate,
    Framework,
    Indicator,
    Result,
    Run,
    SensitivityIndex,
    UncertaintyResult,
    Unit,
    Value,
)
from innohub.indicators.permissions import IMPORT_ROLES, MANAGE_ROLES


def can_manage(user: Any) -> bool:
    return user_has_role(user, MANAGE_ROLES)


def can_import(user: Any) -> bool:
    return user_has_role(user, IMPORT_ROLES)


def framework_list(*, user: Any) -> QuerySet[Framework]:
    qs = Framework.objects.all()
    return qs if can_import(user) else qs.filter(is_published=True)


def framework_get(*, user: Any, code: str | None = None) -> Framework:
    """The framework by code, or the first published one; 404 if the user may not see it."""
    qs = framework_list(user=user)
    framework = qs.filter(code=code).first() if code else qs.filter(is_published=True).first() or qs.first()
    if framework is None:
        raise Http404
    return framework


def run_list(*, user: Any, framework: Framework | None = None) -> QuerySet[Run]:
    qs = Run.objects.select_related("framework", "created_by")
    if framework is not None:
        qs = qs.filter(framework=framework)
    if not can_manage(user):
        qs = qs.filter(status=Run.Status.SUCCEEDED, framework__is_published=True)
    return qs


def run_get(*, user: Any, run_id: int) -> Run:
    run = run_list(user=user).filter(pk=run_id).first()
    if run is None:
        raise Http404
    return run


def latest_run(*, framework: Framework) -> Run | None:
    return framework.runs.filter(status=Run.Status.SUCCEEDED).order_by("-finished_at", "-id").first()


def run_years(run: Run) -> list[int]:
    return sorted(set(Result.objects.filter(run=run, level__gt=1).values_list("year", flat=True)))


@dataclass
class Column:
    code: str
    name: str


@dataclass
class RankingRow:
    unit: Unit
    scores: dict[str, float | None] = field(default_factory=dict)
    ranks: dict[str, int | None] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    index_code: str = ""

    @property
    def index_rank(self) -> int | None:
        return self.ranks.get(self.index_code)

    @property
    def index_score(self) -> float | None:
        return self.scores.get(self.index_code)

    @property
    def cells(self) -> list[tuple[str, str, float | None, int | None]]:
        return [(code, self.names.get(code, code), self.scores.get(code), self.ranks.get(code)) for code in self.scores]


def columns(run: Run) -> tuple[Column, list[Column]]:
    """The index and the pillars (level 2) of the run's framework snapshot, in order."""
    snapshot = run.framework_snapshot
    top = max(a["level"] for a in snapshot["aggregates"])
    index = next(a for a in snapshot["aggregates"] if a["level"] == top)
    pillars = sorted((a for a in snapshot["aggregates"] if a["level"] == 2), key=lambda a: (a.get("order", 0), a["code"]))
    return (
        Column(index["code"], _in_language_of(index, "name")),
        [Column(a["code"], _in_language_of(a, "name")) for a in pillars],
    )


def indicator_names(run: Run) -> dict[str, dict[str, Any]]:
    """The run's indicators by code, each with its name, unit of measure and source of the data
    in the current language (``display_name``, ``display_measure``, ``display_source_note``)."""
    return {
        i["code"]: {**i, "display_name": _in_language_of(i, "name"), "display_measure": _in_language_of(i, "measure"),
                    "display_source_note": _in_language_of(i, "source_note")}
        for i in run.framework_snapshot["indicators"]
    }


def _in_language_of(item: dict[str, Any], key: str) -> str:
    """A snapshot item's bilingual text (``key`` and ``key_en``) in the current language, as the
    models' ``display_*``; a snapshot taken before the English form existed gives the Vietnamese."""
    return str(in_language(item.get(key) or "", item.get(f"{key}_en") or ""))


SORT_NAME = "name"


def ranking(*, run: Run, year: int, sort: str = "", descending: bool = True) -> list[RankingRow]:
    """One row per unit: the index's and each pillar's score and rank in the year, sorted by a
    column's score (rank order by default) or by the unit's name."""
    index, pillars = columns(run)
    codes = [index.code] + [p.code for p in pillars]
    names = {c.code: c.name for c in [index, *pillars]}
    rows: dict[int, RankingRow] = {}
    results = Result.objects.filter(run=run, year=year, code__in=codes).select_related("unit")
    for r in results:
        row = rows.setdefault(r.unit_id, RankingRow(
            unit=r.unit, scores=dict.fromkeys(codes), ranks=dict.fromkeys(codes), names=names, index_code=index.code))
        row.scores[r.code], row.ranks[r.code] = r.score, r.rank
    ordered = list(rows.values())
    if sort == SORT_NAME:
        ordered.sort(key=lambda row: fold_diacritics(row.unit.display_name).lower(), reverse=descending)
    else:
        key = sort if sort in codes else index.code
        missing = [row for row in ordered if row.scores[key] is None]
        present = [row for row in ordered if row.scores[key] is not None]
        present.sort(key=lambda row: (row.scores[key], row.unit.display_name), reverse=descending)
        ordered = present + missing
    return ordered


@dataclass
class Profile:
    unit: Unit
    year: int
    index: Column
    index_score: float | None
    index_rank: int | None
    units_ranked: int
    pillars: list[dict[str, Any]]
    strengths: list[dict[str, Any]]
    weaknesses: list[dict[str, Any]]
    years: list[int]
    trend: dict[str, list[float | None]]  # code -> score per year (index and pillars)
    indicators: list[dict[str, Any]]

    @property
    def names(self) -> dict[str, str]:
        """The index's and the pillars' names by code (the keys of ``trend``)."""
        return {self.index.code: self.index.name, **{p["code"]: p["name"] for p in self.pillars}}


def unit_profile(*, run: Run, unit: Unit, year: int, count: int = 3) -> Profile:
    """A unit's scores by pillar, its strengths and weaknesses (its best and worst indicators by
    rank among units, as COINr's get_str_weak) and the trend of its index and pillars."""
    index, pillars = columns(run)
    names = indicator_names(run)
    results = list(Result.objects.filter(run=run, unit=unit))
    if not results:
        raise Http404
    by_key = {(r.code, r.year): r for r in results}
    years = sorted({r.year for r in results})
    units_ranked = Result.objects.filter(run=run, year=year, code=index.code, rank__isnull=False).count()
    raw = dict(
        Value.objects.filter(unit=unit, indicator__framework_id=run.framework_id, year=year)
        .values_list("indicator__code", "value")
    )

    # how many units share each (code, rank) this year: a shared rank says so ("đồng hạng 5")
    shared = Counter(
        Result.objects.filter(run=run, year=year, rank__isnull=False).values_list("code", "rank")
    )

    def entry(code: str, name: str) -> dict[str, Any]:
        r = by_key.get((code, year))
        rank = r.rank if r else None
        return {"code": code, "name": name, "score": r.score if r else None, "rank": rank,
                "tied": shared.get((code, rank), 0) > 1 if rank is not None else False}

    indicator_rows = []
    for code, item in names.items():
        row = entry(code, item["display_name"])
        value = raw.get(code)
        row.update(pillar=item["parent"], measure=item["display_measure"], value=value,
                   imputed=value is None, no_data=value is None, weight=item.get("weight", 1.0))
        indicator_rows.append(row)
    # An indicator tells something about this unit only where it has data of its own, the units
    # differ, its value and score are not zero, and its rank is not shared by half the units or
    # more (a tie at the top among many is no strength). Strengths come from the better half of
    # the ranks, weaknesses from the worse half.
    spread = {
        code: n for code, n in Result.objects.filter(run=run, year=year, level=1).order_by().values_list("code")
        .annotate(n=Count("score", distinct=True))
    }
    half = max(1, units_ranked) / 2

    def telling(r: dict[str, Any]) -> bool:
        return (r["rank"] is not None and bool(r["weight"]) and not r["no_data"] and spread.get(r["code"], 0) > 1
                and shared.get((r["code"], r["rank"]), 1) < half)

    candidates = [r for r in indicator_rows if telling(r)]
    strengths = sorted(
        (r for r in candidates if r["rank"] <= half and r["value"] != 0 and (r["score"] or 0) > 0),
        key=lambda r: (r["rank"], r["code"]),
    )[:count]
    weaknesses = sorted((r for r in candidates if r["rank"] > half), key=lambda r: (-r["rank"], r["code"]))[:count]
    index_result = by_key.get((index.code, year))
    return Profile(
        unit=unit,
        year=year,
        index=index,
        index_score=index_result.score if index_result else None,
        index_rank=index_result.rank if index_result else None,
        units_ranked=units_ranked,
        pillars=[entry(p.code, p.name) for p in pillars],
        strengths=strengths,
        weaknesses=weaknesses,
        years=years,
        trend={
            c.code: [by_key[(c.code, y)].score if (c.code, y) in by_key else None for y in years]
            for c in [index, *pillars]
        },
        indicators=indicator_rows,
    )


def uncertainty(*, run: Run) -> tuple[list[UncertaintyResult], list[SensitivityIndex]]:
    rows = list(UncertaintyResult.objects.filter(run=run).select_related("unit").order_by("nominal_rank"))
    indices = list(SensitivityIndex.objects.filter(run=run).order_by("-total"))
    return rows, indices


def value_list(*, framework: Framework, year: int | None = None, indicator: str = "", unit: str = "") -> QuerySet[Value]:
    qs = Value.objects.filter(indicator__framework=framework).select_related("unit", "indicator")
    qs = filter_given(qs, year=year, indicator__code=indicator, unit__code=unit)
    return qs.order_by("indicator__code", "unit__code", "year")


def result_list(
    *, run: Run, year: int | None = None, level: int | None = None, code: str = "", unit: str = ""
) -> QuerySet[Result]:
    qs = filter_given(Result.objects.filter(run=run).select_related("unit"), year=year, level=level, code=code, unit__code=unit)
    return qs.order_by("year", "level", "code", "rank", "unit__code")


def framework_tree(framework: Framework) -> tuple[list[Aggregate], list[Indicator]]:
    """The framework's aggregates (top down) and indicators (by pillar), parents loaded."""
    return (
        list(framework.aggregates.select_related("parent").order_by("-level", "order", "code")),
        list(framework.indicators.select_related("parent").order_by("parent__order", "order", "code")),
    )
