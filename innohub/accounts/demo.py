"""Demo accounts, one per role, printed by `make run`. Never loaded in production."""

from __future__ import annotations

import base64

from django_otp.plugins.otp_totp.models import TOTPDevice

from innohub.accounts.models import User
from innohub.accounts.services import membership_add, two_factor_enrol_with_key, user_create
from innohub.accounts.two_factor import requires_two_factor
from innohub.core.roles import Role
from innohub.directory.models import Organisation

DEMO_PASSWORD = "innohub-demo-2026"  # noqa: S105 - a published demo password, by design
# The demo's staff accounts share one published two-step verification key (README, `make run`):
# add it to any authenticator app as a time-based key to get their codes.
DEMO_TOTP_KEY = b"innohub-demo-totp-26"
DEMO_TOTP_SECRET = base64.b32encode(DEMO_TOTP_KEY).decode()  # what an app is given

DEMO_USERS = [
    ("admin", "Quản trị hệ thống", Role.ADMINISTRATOR, "admin@innohub.local"),
    ("manager", "Lê Thanh Minh", Role.MANAGER, "manager@innohub.local"),
    ("officer", "Nguyễn Thị Thu Hà", Role.OFFICER, "officer@innohub.local"),
    ("reviewer", "TS. Phạm Quốc Bảo", Role.REVIEWER, "reviewer@innohub.local"),
    ("founder", "Trần Minh Khôi", Role.APPLICANT, "founder@innohub.local"),
    ("citizen", "Võ Thị Lan", Role.VISITOR, "citizen@innohub.local"),
]


def seed() -> dict[str, int]:
    created = 0
    for username, full_name, role, email in DEMO_USERS:
        if User.objects.filter(username=username).exists():
            continue
        user_create(username=username, email=email, password=DEMO_PASSWORD, full_name=full_name, role=role)
        created += 1
    for user in User.objects.filter(username__in=[u[0] for u in DEMO_USERS]):
        if requires_two_factor(user) and not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            two_factor_enrol_with_key(user=user, key_hex=DEMO_TOTP_KEY.hex())
    founder = User.objects.get(username="founder")
    startup = Organisation.objects.filter(kind=Organisation.Kind.STARTUP).order_by("slug").first()
    # once: later modules' demo startups (research's spin-off) may sort first on a second run
    if startup is not None and not founder.memberships.exists():
        membership_add(user=founder, organisation=startup, actor=founder, org_role="owner", title="CEO")
    return {"users": created}
