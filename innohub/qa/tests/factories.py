"""Factories for the Q&A service."""

import datetime as dt

import factory
from django.utils import timezone

from innohub.qa.models import (
    Answer,
    KnowledgeDocument,
    Passage,
    Question,
    Topic,
    Unit,
)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"unit-{n}")
    name = factory.Sequence(lambda n: f"Phòng {n}")
    name_en = factory.Sequence(lambda n: f"Office {n}")


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"topic-{n}")
    name = factory.Sequence(lambda n: f"Chủ đề {n}")
    name_en = factory.Sequence(lambda n: f"Topic {n}")
    unit = factory.SubFactory(UnitFactory)
    answer_working_days = 10


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    tracking_code = factory.Sequence(lambda n: f"HD-TEST-{n:04d}")
    asker_email = factory.Sequence(lambda n: f"asker{n}@example.vn")
    asker_name = "Nguyễn Văn An"
    topic = factory.SubFactory(TopicFactory)
    unit = factory.SelfAttribute("topic.unit")
    text = "Doanh nghiệp khởi nghiệp sáng tạo được hỗ trợ bao nhiêu tiền ở giai đoạn ươm tạo?"
    due_date = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=14))
    closed_at = factory.LazyAttribute(lambda o: timezone.now() if o.state in ("published", "rejected_out_of_scope", "merged") else None)
    state = "received"


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KnowledgeDocument

    title = "Quy định hỗ trợ khởi nghiệp sáng tạo"
    number = factory.Sequence(lambda n: f"{n}/2026/QĐ-SKHCN")
    issuing_body = "Sở Khoa học và Công nghệ"
    status = KnowledgeDocument.Status.READY
    file_kind = "txt"


class PassageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Passage

    document = factory.SubFactory(DocumentFactory)
    order = factory.Sequence(lambda n: n + 1)
    article = "5"
    clause = "2"
    text = "Doanh nghiệp khởi nghiệp sáng tạo ở giai đoạn ươm tạo được hỗ trợ không hoàn lại tối đa 80.000.000 đồng."


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    question = factory.SubFactory(QuestionFactory, state="published")
    draft_text = "Được hỗ trợ tối đa 80.000.000 đồng [1]."
    published_question = factory.SelfAttribute("question.text")
    published_text = factory.SelfAttribute("draft_text")
    published_at = factory.LazyFunction(timezone.now)
