"""Factories for events."""

import datetime as dt

import factory
from django.utils import timezone

from innohub.events.models import Event, EventForm, Registration, Series, Session

REGISTRATION_SCHEMA = {"sections": [{"key": "about", "title": {"vi": "Thông tin thêm", "en": "More about you"}, "fields": [
    {"key": "position", "kind": "text", "label": {"vi": "Chức vụ", "en": "Position"}, "required": True, "max_length": 200},
    {"key": "interest", "kind": "choice", "label": {"vi": "Bạn quan tâm nhất đến", "en": "What interests you most"},
     "choices": [["funding", {"vi": "Nguồn vốn", "en": "Funding"}], ["partners", {"vi": "Kết nối đối tác", "en": "Partners"}]]},
]}]}


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Series
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"series-{n}")
    title = factory.Sequence(lambda n: f"Chuỗi sự kiện {n}")
    title_en = factory.Sequence(lambda n: f"Series {n}")


class EventFormFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventForm

    code = factory.Sequence(lambda n: f"form-{n}")
    title = "Đăng ký"
    schema = factory.LazyFunction(lambda: REGISTRATION_SCHEMA)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    slug = factory.Sequence(lambda n: f"su-kien-{n}")
    title = factory.Sequence(lambda n: f"Hội thảo đổi mới sáng tạo {n}")
    title_en = factory.Sequence(lambda n: f"Innovation workshop {n}")
    description = "Hội thảo về hệ sinh thái khởi nghiệp."
    description_en = "A workshop on the startup ecosystem."
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=4))
    place = "Trung tâm Hội nghị 272"
    address = "272 Võ Thị Sáu, TP. Hồ Chí Minh"
    status = Event.Status.PUBLISHED
    capacity = 2


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    event = factory.SubFactory(EventFactory)
    title = factory.Sequence(lambda n: f"Buổi {n}")
    starts_at = factory.LazyAttribute(lambda o: o.event.starts_at)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=2))


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Nguyễn Văn {n}")
    email = factory.Sequence(lambda n: f"nguoi{n}@example.vn")
    state = "confirmed"
