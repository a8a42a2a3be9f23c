"""Reads of research and technology transfer, each taking the acting user: staff see every
task; a council member sees the councils they sit on; anyone sees the published
marketplace (searched with the Vietnamese-aware retrieval, typed with or without diacritics).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Q, QuerySet, When
from django.shortcuts import get_object_or_404

from innohub.core.permissions import ensure_role, user_has_role
from innohub.core.roles import Role
from innohub.research import matching, permissions
from innohub.research.models import Council, Interest, Need, Offer, Task, TransferDeal
from innohub.research.workflows import states_with


def task_list(*, user: Any, query: str = "", state: str = "", regime: str = "") -> QuerySet[Task]:
    ensure_role(user, permissions.MANAGE_TASKS)
    tasks = Task.objects.select_related("host").order_by("-created_at", "-id")
    if query:
        tasks = tasks.filter(Q(title__icontains=query) | Q(code__icontains=query) | Q(host__name__icontains=query))
    if state:
        tasks = tasks.filter(state=state)
    if regime:
        tasks = tasks.filter(regime=regime)
    return tasks


def task_get(*, user: Any, pk: int) -> Task:
    ensure_role(user, permissions.MANAGE_TASKS)
    return get_object_or_404(
        Task.objects.select_related("host", "origin_action__direction__meeting__partner__organisation")
        .prefetch_related("partners__organisation", "team", "milestones", "budget_lines",
                                                             "councils__members__user", "councils__scores", "councils__grades",
                                                             "councils__criteria", "reports", "outputs", "changes"),
        pk=pk,
    )


def sits_on_councils(*, user: Any) -> bool:
    """Whether "My councils" leads anywhere for this user: a reviewer (an expert) always, anyone
    else only once a member of a council."""
    if getattr(user, "role", None) == Role.REVIEWER:
        return True
    return user_has_role(user, permissions.SIT_ON_COUNCILS) and Council.objects.filter(members__user=user).exists()


def councils_of(*, user: Any) -> QuerySet[Council]:
    ensure_role(user, permissions.SIT_ON_COUNCILS)
    return Council.objects.filter(members__user=user).select_related("task").order_by("-created_at")


def council_for_member(*, user: Any, pk: int) -> Council:
    ensure_role(user, permissions.SIT_ON_COUNCILS)
    council = get_object_or_404(Council.objects.select_related("task", "task__host"), pk=pk)
    if not council.members.filter(user=user).exists():
        raise PermissionDenied
    return council


def _ranked(queryset: QuerySet, ids: list[int]) -> QuerySet:
    order = Case(*[When(pk=pk, then=pos) for pos, pk in enumerate(ids)], output_field=IntegerField())
    return queryset.filter(pk__in=ids).order_by(order)


def offers_public(*, user: Any, query: str = "") -> QuerySet[Offer]:
    offers = Offer.objects.filter(published=True).select_related("organisation")
    if query.strip():
        return _ranked(offers, matching.search_ids("offers", query))
    return offers.order_by("-created_at", "-id")


def needs_public(*, user: Any, query: str = "") -> QuerySet[Need]:
    needs = Need.objects.filter(published=True).select_related("organisation")
    if query.strip():
        return _ranked(needs, matching.search_ids("needs", query))
    return needs.order_by("-created_at", "-id")


def offer_public_get(*, user: Any, pk: int) -> Offer:
    return get_object_or_404(Offer.objects.filter(published=True).select_related("organisation", "output__task"), pk=pk)


def need_public_get(*, user: Any, pk: int) -> Need:
    return get_object_or_404(Need.objects.filter(published=True).select_related("organisation"), pk=pk)


def matched_needs(*, user: Any, offer: Offer) -> QuerySet[Need]:
    return _ranked(Need.objects.filter(published=True).select_related("organisation"), matching.needs_for_offer(offer))


def matched_offers(*, user: Any, need: Need) -> QuerySet[Offer]:
    return _ranked(Offer.objects.filter(published=True).select_related("organisation"), matching.offers_for_need(need))


def my_interest(*, user: Any, offer: Offer) -> Interest | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Interest.objects.filter(offer=offer, user=user).first()


def offer_interests(*, user: Any, offer: Offer) -> QuerySet[Interest]:
    """Who expressed interest or declined (staff only)."""
    if not user_has_role(user, permissions.MANAGE_MARKET):
        return Interest.objects.none()
    return offer.interests.select_related("organisation", "user").order_by("-created_at")


def deal_list(*, user: Any) -> QuerySet[TransferDeal]:
    ensure_role(user, permissions.MANAGE_MARKET)
    return TransferDeal.objects.select_related("offer", "buyer", "spin_off", "offer__organisation").order_by("-signed_on", "-id")


def pipeline(*, user: Any) -> list[dict[str, Any]]:
    """The commercialisation pipeline per host institution (Rapido-style stages): tasks under
    way, results recognised, outputs, offers, interests, deals, spin-offs."""
    ensure_role(user, permissions.MANAGE_TASKS)
    rows: dict[int, dict[str, Any]] = {}
    for task in Task.objects.select_related("host").prefetch_related("outputs__offers__interests", "outputs__offers__deals"):
        if task.host is None:
            continue
        row = rows.setdefault(task.host.pk, {"organisation": task.host, "research": 0, "recognised": 0, "outputs": 0,
                                             "offers": 0, "interests": 0, "deals": 0, "spin_offs": 0})
        row["recognised" if task.state in states_with("accepted") else "research"] += 1
        for output in task.outputs.all():
            row["outputs"] += 1
            for offer in output.offers.all():
                row["offers"] += 1
                row["interests"] += sum(1 for i in offer.interests.all() if i.state == Interest.State.EXPRESSED)
                for deal in offer.deals.all():
                    row["deals"] += 1
                    row["spin_offs"] += 1 if deal.spin_off_id else 0
    return sorted(rows.values(), key=lambda r: r["organisation"].name)


# -- for the index's knowledge-and-technology pillar ------------------------------------------
# Calculators in the shape of `indicators.platform.CALCULATORS` (years → {(commune code, year):
# value}), by the commune (2025 units) the host or the seller is placed in by the directory; an
# organisation known only by its former district is not counted, as everywhere in the index.
def index_outputs(years: list[int]) -> dict[tuple[str, int], float]:
    """Outputs of research tasks (products, prototypes, processes, IP, publications, software,
    data) recorded in the year, by the host organisation's commune."""
    from collections import defaultdict

    from innohub.research.models import Output

    out: dict[tuple[str, int], float] = defaultdict(float)
    rows = (Output.objects.filter(created_at__year__in=years, task__host__commune__isnull=False)
            .values_list("task__host__commune_id", "created_at"))
    for commune, created in rows:
        out[(str(commune), created.year)] += 1
    return dict(out)


def index_transfer_deals(years: list[int]) -> dict[tuple[str, int], float]:
    """Technology transfer deals signed in the year (licence, assignment, JV, spin-off), by the
    offering organisation's commune."""
    from collections import defaultdict

    out: dict[tuple[str, int], float] = defaultdict(float)
    rows = (TransferDeal.objects.filter(signed_on__year__in=years, offer__organisation__commune__isnull=False)
            .values_list("offer__organisation__commune_id", "signed_on"))
    for commune, signed in rows:
        out[(str(commune), signed.year)] += 1
    return dict(out)


# -- the chain: cooperation action → task → outputs → offers → deals → spin-off → awards → index --
def task_chain(*, user: Any, pk: int) -> dict[str, Any]:
    """Everything a task led to and came from, for one staff page: the cooperation action
    (agreed with a partner at a meeting) it came from, its outputs, their offers and the
    transfer deals signed on them, the spin-off companies (directory) and the support awards
    they received (programmes), and the figures of the index each of these counts toward:
    by commune (2025 units) and year, as the index's calculators count them — this task's
    share beside the commune's total. What has no commune in the directory is named, not counted."""
    from collections import Counter

    from innohub.indicators import platform

    ensure_role(user, permissions.MANAGE_TASKS)
    task = get_object_or_404(
        Task.objects.select_related("host__commune", "origin_action__direction__meeting__partner__organisation",
                                    "origin_action__direction__unit", "origin_action__owner"),
        pk=pk,
    )
    outputs = list(task.outputs.prefetch_related(
        "offers__organisation__commune", "offers__deals__buyer", "offers__deals__spin_off__commune",
        "offers__deals__spin_off__awards__call").order_by("id"))
    deals = [deal for output in outputs for offer in output.offers.all() for deal in offer.deals.all()]
    spin_offs = {deal.spin_off.pk: deal.spin_off for deal in deals if deal.spin_off is not None}
    awards = [award for org in spin_offs.values() for award in org.awards.all()]

    counted: dict[tuple[str, str, int], Counter] = {}
    not_counted: list[str] = []

    def count(code: str, organisation: Any, year: int) -> None:
        if organisation is None or organisation.commune_id is None:
            not_counted.append(str(organisation) if organisation is not None else "")
            return
        counted.setdefault((code, str(organisation.commune_id), year), Counter())["mine"] += 1

    for output in outputs:
        count("research_outputs", task.host, output.created_at.year)
    for deal in deals:
        count("technology_transfers", deal.offer.organisation, deal.signed_on.year)
    for award in awards:
        count("awards_count", award.organisation, award.approved_at.year)
    communes = {}
    if counted:
        from innohub.places.models import Commune

        communes = {str(c.pk): c for c in Commune.objects.filter(pk__in={k[1] for k in counted})}
    figures = []
    for (code, commune, year), tally in sorted(counted.items()):
        calculator, label = platform.CALCULATORS[code]
        figures.append({"code": code, "label": label, "commune": communes.get(commune, commune), "year": year,
                        "mine": tally["mine"], "total": int(calculator([year]).get((commune, year), 0))})
    return {"task": task, "action": task.origin_action, "outputs": outputs, "deals": deals,
            "spin_offs": list(spin_offs.values()), "awards": awards, "figures": figures,
            "not_counted": sorted({name for name in not_counted if name})}


def tasks_from_partner(*, user: Any, partner: Any) -> QuerySet[Task]:
    """Research tasks led to by actions agreed with a cooperation partner (at its meetings or
    under directions naming it)."""
    ensure_role(user, permissions.MANAGE_TASKS)
    return (Task.objects.filter(Q(origin_action__direction__meeting__partner=partner) | Q(origin_action__direction__partners=partner))
            .select_related("origin_action").distinct().order_by("code"))


def needs_posted_by(*, user: Any) -> QuerySet[Need]:
    """The needs the user posted for their enterprise, with their moderation."""
    if not getattr(user, "is_authenticated", False):
        return Need.objects.none()
    return Need.objects.filter(posted_by=user).select_related("organisation").order_by("-created_at", "-id")


def needs_to_moderate(*, user: Any) -> QuerySet[Need]:
    ensure_role(user, permissions.MANAGE_MARKET)
    return Need.objects.filter(moderation=Need.Moderation.PENDING).select_related("organisation", "posted_by").order_by("created_at", "id")
