"""Factories of research tasks and the marketplace, and a helper that walks a task to a stage."""

from __future__ import annotations

import datetime as dt

import factory

from innohub.directory.tests.factories import OrganisationFactory
from innohub.research.models import Need, Offer, Task

PDF = b"%PDF-1.4\n% bien ban\n%%EOF\n"


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    code = factory.Sequence(lambda n: f"NV-{n:04d}")
    title = factory.Sequence(lambda n: f"Nhiệm vụ nghiên cứu {n}")
    regime = "2025"
    state = "proposed"
    host = factory.SubFactory(OrganisationFactory, kind="academia")


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer

    title = factory.Sequence(lambda n: f"Công nghệ {n}")
    summary = "Tóm tắt không mật"
    organisation = factory.SubFactory(OrganisationFactory, kind="academia")


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Need

    title = factory.Sequence(lambda n: f"Nhu cầu {n}")
    description = "Mô tả nhu cầu"
    organisation = factory.SubFactory(OrganisationFactory, kind="enterprise")


def contracted_task(**kwargs) -> Task:
    """A task under contract from 01/01/2026 to 31/12/2026."""
    return TaskFactory(state="in_progress", contract_number="HĐ-1", contract_start=dt.date(2026, 1, 1),
                       contract_end=dt.date(2026, 12, 31), approved_total=1_000_000_000, **kwargs)
