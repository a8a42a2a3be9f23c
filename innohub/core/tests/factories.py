"""Factories of core's models."""

import datetime as dt

import factory

from innohub.core.models import PublicHoliday


class HolidayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PublicHoliday
        django_get_or_create = ("date",)

    date = dt.date(2026, 9, 2)
    name = "Quốc khánh"
