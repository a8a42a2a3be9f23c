import io

import pytest
from django.core.management import CommandError, call_command

from innohub.accounts.models import ApiToken
from innohub.activity.models import Event

pytestmark = pytest.mark.django_db


def test_api_token_create_prints_a_key_that_authenticates(users, client):
    out = io.StringIO()
    call_command("api_token_create", "officer-user", "statistics import", stdout=out, stderr=io.StringIO())
    key = out.getvalue().strip()
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").json()["username"] == "officer-user"
    assert Event.objects.filter(action="api_token.created").count() == 1


def test_api_token_create_refuses_an_unknown_user():
    with pytest.raises(CommandError, match="No active user"):
        call_command("api_token_create", "nobody", "x", stdout=io.StringIO())
    assert ApiToken.objects.count() == 0


def test_seed_demo_is_idempotent():
    from innohub.accounts.models import User
    from innohub.directory.models import Organisation

    call_command("seed_demo", "--quiet", stdout=io.StringIO())
    counts = (User.objects.count(), Organisation.objects.count(), Event.objects.count())
    call_command("seed_demo", "--quiet", stdout=io.StringIO())
    assert (User.objects.count(), Organisation.objects.count(), Event.objects.count()) == counts
    assert Organisation.objects.filter(short_name="SIHUB").exists()
    assert User.objects.get(username="founder").memberships.count() == 1
