"""Factories for programmes, calls, applications, reviews and awards."""

import datetime as dt
import itertools

import factory
from django.utils import timezone

from innohub.accounts.tests.factories import MembershipFactory, UserFactory
from innohub.core.roles import Role
from innohub.directory.tests.factories import OrganisationFactory, SectorFactory
from innohub.programs import defaults
from innohub.programs.models import Application, Award, Call, Programme, Review, ReviewerProfile


def programme(stage="pre_incubation") -> Programme:
    return defaults.ensure_programmes()[stage]


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call

    programme = factory.LazyFunction(programme)
    year = 2026
    title = factory.Sequence(lambda n: f"Đợt hỗ trợ {n}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=10))
    closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=20))
    budget = 400_000_000
    form = factory.LazyFunction(defaults.default_form)
    rubric = factory.LazyFunction(defaults.default_rubric)
    workflow = factory.LazyFunction(defaults.default_workflow)
    reviewers_per_application = 2


_tax_codes = itertools.count(1)


def startup(**kwargs):
    """A startup with a complete profile (tax code, commune, description, a sector)."""
    org = OrganisationFactory(
        tax_code=kwargs.pop("tax_code", f"03{next(_tax_codes):08d}"),
        description="Nền tảng công nghệ cho nông nghiệp thông minh.", **kwargs,
    )
    org.sectors.add(SectorFactory(code="agriculture", name="Nông nghiệp"))
    return org


def applicant_for(org, **kwargs):
    return MembershipFactory(organisation=org, user=UserFactory(role=Role.APPLICANT, **kwargs)).user


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    call = factory.SubFactory(CallFactory)
    organisation = factory.LazyFunction(startup)
    created_by = factory.SubFactory(UserFactory, role=Role.APPLICANT)
    form = factory.LazyAttribute(lambda o: o.call.form)
    title = "Cảm biến độ ẩm đất giá rẻ"
    amount_requested = 30_000_000
    answers = factory.LazyFunction(lambda: {"summary": "Tóm tắt", "innovation": "Mới", "team_size": "4", "plan": "Kế hoạch"})
    state = "draft"


def reviewer(capacity=50, sectors=(), **kwargs):
    user = UserFactory(role=Role.REVIEWER, **kwargs)
    profile = ReviewerProfile.objects.create(user=user, capacity=capacity)
    for code in sectors:
        profile.sectors.add(SectorFactory(code=code, name=code))
    return user


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    application = factory.SubFactory(ApplicationFactory, state="under_review")
    reviewer = factory.LazyFunction(reviewer)


class AwardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Award

    application = factory.SubFactory(ApplicationFactory, state="approved")
    organisation = factory.LazyAttribute(lambda o: o.application.organisation)
    call = factory.LazyAttribute(lambda o: o.application.call)
    stage = factory.LazyAttribute(lambda o: o.application.call.programme.stage)
    amount = 30_000_000
    ceiling = 40_000_000
    approved_by = factory.SubFactory(UserFactory, role=Role.MANAGER)
    approved_at = factory.LazyFunction(timezone.now)


PDF = b"%PDF-1.4 signed decision\n%%EOF\n"


def signed_record(number: str = "1234/QĐ-SKHCN", signer: str = "Lâm Đình Thắng, Giám đốc Sở", signed_on=None, name: str = "quyet-dinh.pdf") -> dict:
    """A complete signed record (number, date, signer, a real PDF scan) for a decision or a contract."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"number": number, "signed_on": signed_on or timezone.localdate(), "signer": signer,
            "file": SimpleUploadedFile(name, PDF, content_type="application/pdf")}


def decide(application, transition: str, actor, *, amount=None, message: str = "", record: dict | None = None):
    """Take a step that needs a signed record (approve, reject, terminate, contract) with one."""
    from innohub.programs import services

    return services.application_transition(application=application, transition=transition, actor=actor, message=message,
                                           amount=amount, record=record or signed_record())


def report_and_check(milestone, *, member, officer, met: bool = True, note: str = ""):
    """The startup reports on the milestone, then the officer assesses it on the report."""
    from innohub.programs import services

    services.milestone_report(milestone=milestone, actor=member, report="Đã hoàn thành theo kế hoạch.")
    return services.milestone_check(milestone=milestone, actor=officer, met=met, note=note)
