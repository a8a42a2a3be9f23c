"""Factories for users and memberships."""

import factory

from innohub.accounts.models import Membership, User
from innohub.core.roles import ADMIN_ROLES, Role


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.vn")
    full_name = factory.Faker("name", locale="vi_VN")
    role = Role.VISITOR
    language = "vi"
    is_staff = factory.LazyAttribute(lambda o: o.role in ADMIN_ROLES)
    is_superuser = factory.LazyAttribute(lambda o: o.role in ADMIN_ROLES)
    password = factory.django.Password("correct-horse-battery")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory, role=Role.APPLICANT)
    organisation = factory.SubFactory("innohub.directory.tests.factories.OrganisationFactory")
    org_role = Membership.OrgRole.OWNER
