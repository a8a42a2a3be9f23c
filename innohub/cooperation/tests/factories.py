"""Factories for the cooperation records."""

import datetime as dt

import factory

from innohub.cooperation.models import Action, Agreement, Direction, Meeting, Partner, Side, Unit
from innohub.directory.models import Organisation
from innohub.directory.tests.factories import OrganisationFactory


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"unit-{n}")
    name = factory.Sequence(lambda n: f"Phòng {n}")


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    organisation = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.PARTNER, country="AU",
                                      name=factory.Sequence(lambda n: f"Partner Government {n}"))
    country = "AU"


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    partner = factory.SubFactory(PartnerFactory)
    direction = Side.INCOMING
    title = factory.Sequence(lambda n: f"Buổi làm việc {n}")
    held_on = dt.date(2026, 10, 24)
    place = "Trụ sở Sở"
    unit = factory.SubFactory(UnitFactory)


class DirectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Direction
        skip_postgeneration_save = True

    meeting = factory.SubFactory(MeetingFactory)
    text = factory.Sequence(lambda n: f"Hướng hợp tác {n}")
    unit = factory.SelfAttribute("meeting.unit")

    @factory.post_generation
    def with_partner(obj, create, extracted, **kwargs):
        if create:
            obj.partners.add(obj.meeting.partner)


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    direction = factory.SubFactory(DirectionFactory)
    what = factory.Sequence(lambda n: f"Việc {n}")
    due_date = dt.date(2026, 11, 30)


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    kind = Agreement.Kind.MOU
    title = factory.Sequence(lambda n: f"Biên bản ghi nhớ {n}")
    unit = factory.SubFactory(UnitFactory)
