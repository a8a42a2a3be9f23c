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


# the key every test account's authenticator device holds (the demo's own is in accounts/demo.py)
TEST_TOTP_KEY_HEX = b"innohub-test-totp-00".hex()


def totp_device_for(user):
    """The account's confirmed authenticator device, enrolled with the tests' key if it had none,
    ready to accept the current code again (a code is otherwise accepted once per 30 s)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", key=TEST_TOTP_KEY_HEX, confirmed=True)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0, throttling_failure_timestamp=None)
    device.refresh_from_db()
    return device


def totp_code(device) -> str:
    """The code the device's authenticator app shows now."""
    from django_otp.oath import totp

    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift):0{device.digits}d}"
