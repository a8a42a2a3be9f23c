"""Re-authentication before decisions on money (innohub/accounts/reauth.py): a manager whose
last confirmation is older than REAUTH_MAX_AGE_MINUTES confirms the password or a code, and
what they had typed (and the file they had chosen) is sent as they sent it."""

import datetime as dt
import json
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from innohub.accounts.reauth import SESSION_KEY
from innohub.accounts.tests.factories import totp_code, totp_device_for
from innohub.activity.models import Event
from innohub.programs.models import Application, Award, DecisionRecord, Disbursement
from innohub.programs.tests.factories import ApplicationFactory, AwardFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 x\n%%EOF\n"
PASSWORD = "a-long-enough-password-42"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def stale_login(user) -> Client:
    """A session whose last confirmation is 11 minutes old (the default limit is 10)."""
    user.set_password(PASSWORD)
    user.save()
    c = Client()
    c.force_login(user)
    session = c.session
    session[SESSION_KEY] = int(time.time()) - 11 * 60
    session.save()
    return c


def _decision(**fields):
    return {"number": "1234/QĐ-SKHCN", "signed_on": dt.date.today().isoformat(), "signer": "Lâm Đình Thắng, Giám đốc Sở",
            "confirm": "on", "file": SimpleUploadedFile("qd.pdf", PDF, content_type="application/pdf"), **fields}


def _resume(c: Client, confirm_url: str, **answer):
    """Confirm on the page, then post the page's own resume form (the browser does it by script)."""
    page = c.post(confirm_url, {**answer, "next": "", "resume": confirm_url.split("resume=")[1]})
    assert page.status_code == 200, page.content.decode()
    html = page.content.decode()
    assert "data-autosubmit" in html
    action = html.split('data-autosubmit')[0].rsplit('action="', 1)[1].split('"')[0]
    token = html.split('name="_reauth_resume" value="')[1].split('"')[0]
    return c.post(action, {"_reauth_resume": token})


def test_a_stale_approval_asks_for_the_password_and_then_approves_what_was_typed_with_its_file(users):
    # Given a manager whose log-in is 11 minutes old, on the approval page of a ranked application
    application = ApplicationFactory(state="ranked", amount_requested=35_000_000)
    c = stale_login(users["manager"])
    url = f"/programs/applications/{application.pk}/decide/approve/"
    assert c.get(url).status_code == 200  # reading the page asks nothing
    # when they send the decision, they are asked to confirm, and nothing is approved yet
    response = c.post(url, _decision(amount="33.000.000", message="Đủ điều kiện theo hội đồng"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/confirm/?")
    assert not Award.objects.exists() and Application.objects.get().state == "ranked"
    page = c.get(response["Location"]).content.decode()
    assert "Xác nhận danh tính" in page or "Confirm it is you" in page
    # a wrong password changes nothing and is audited
    wrong = c.post(response["Location"], {"password": "not-my-password-at-all", "resume": response["Location"].split("resume=")[1]})
    assert wrong.status_code == 400 and not Award.objects.exists()
    assert Event.objects.filter(action="user.reauthentication_failed").count() == 1
    # then with the password, the decision goes through as typed: amount, message and file
    done = _resume(c, response["Location"], password=PASSWORD)
    assert done.status_code == 302 and done["Location"] == f"/programs/applications/{application.pk}/"
    award = Award.objects.get()
    assert award.amount == 33_000_000 and Application.objects.get().state == "approved"
    record = DecisionRecord.objects.get()
    assert record.original_name == "qd.pdf" and record.number == "1234/QĐ-SKHCN"
    assert Event.objects.filter(action="user.reauthenticated", actor=users["manager"]).count() == 1
    # sending the kept form a second time (the back button) does nothing more
    token_again = c.post(url, {"_reauth_resume": "used-or-forged"})
    assert token_again.status_code == 302 and token_again["Location"] == url
    assert Award.objects.count() == 1 and DecisionRecord.objects.count() == 1
    # and for the next ten minutes nothing more is asked
    other = ApplicationFactory(state="ranked", amount_requested=20_000_000)
    direct = c.post(f"/programs/applications/{other.pk}/decide/approve/", _decision(amount="20.000.000", number="78/QĐ-SKHCN"))
    assert direct.status_code == 302 and direct["Location"] == f"/programs/applications/{other.pk}/"
    assert Award.objects.count() == 2


def test_a_refused_decision_after_the_confirmation_shows_the_text_typed_before_it(users):
    # Given a stale manager who forgot the decision's number
    application = ApplicationFactory(state="ranked", amount_requested=35_000_000)
    c = stale_login(users["manager"])
    response = c.post(f"/programs/applications/{application.pk}/decide/approve/",
                      _decision(amount="31.500.000", number="", signer="Phó Giám đốc Trần Văn B"))
    # when they confirm with the code from their app
    device = totp_device_for(users["manager"])
    refused = _resume(c, response["Location"], code=totp_code(device))
    # then the decision page comes back with every text they typed, and nothing is approved
    html = refused.content.decode()
    assert refused.status_code == 400
    assert 'value="31.500.000"' in html and 'value="Phó Giám đốc Trần Văn B"' in html
    assert not Award.objects.exists()


def test_bulk_approval_and_payments_ask_too_but_other_steps_do_not(users):
    award = AwardFactory(amount=30_000_000)
    from innohub.programs import services

    milestone = services.milestone_add(award=award, title="Mẫu thử", due_on=dt.date(2027, 1, 31), amount=30_000_000, actor=users["officer"])
    officer = stale_login(users["officer"])
    paid = officer.post(f"/programs/tranches/{milestone.tranche.pk}/disburse/",
                        {"key": "UNC-9", "paid_on": timezone.localdate().isoformat()})
    assert paid.status_code == 302 and paid["Location"].startswith("/accounts/confirm/")
    assert not Disbursement.objects.exists()
    # a step that does not decide on money (accepting for review) is not held up
    submitted = ApplicationFactory(state="submitted")
    step = officer.post(f"/programs/applications/{submitted.pk}/transition/", {"transition": "start_check"})
    assert step["Location"] == f"/programs/applications/{submitted.pk}/" and Application.objects.get(pk=submitted.pk).state == "eligibility_check"
    manager = stale_login(users["manager"])
    ranked = ApplicationFactory(state="ranked")
    bulk = manager.post("/programs/staff/applications/decide/approve/", {"ids": [ranked.pk], f"amount-{ranked.pk}": "20.000.000", **_decision()})
    assert bulk.status_code == 302 and bulk["Location"].startswith("/accounts/confirm/") and not Award.objects.exclude(pk=award.pk).exists()


def test_the_api_refuses_a_stale_session_and_any_token_for_decisions_on_money(users):
    from innohub.accounts.services import api_token_create

    application = ApplicationFactory(state="ranked")
    c = stale_login(users["manager"])
    response = c.post(f"/api/v1/programs/applications/{application.pk}/transitions",
                      json.dumps({"transition": "approve", "amount": 20_000_000}), content_type="application/json")
    assert response.status_code == 403 and response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "reauthentication_required" and body["errors"]["confirm_url"] == "/accounts/confirm/"
    _token, key = api_token_create(user=users["manager"], name="integration")
    by_token = Client().post(f"/api/v1/programs/applications/{application.pk}/decisions",
                             {"transition": "approve", "number": "1/QĐ", "signed_on": "2026-11-20", "signer": "GĐ", "amount": "20.000.000",
                              "file": SimpleUploadedFile("qd.pdf", PDF)}, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert by_token.status_code == 403 and by_token.json()["code"] == "reauthentication_required"
    assert not Award.objects.exists() and Application.objects.get().state == "ranked"
    # a step that is no decision on money is not held up
    listing = c.post(f"/api/v1/programs/applications/{application.pk}/transitions",
                     json.dumps({"transition": "rank"}), content_type="application/json")
    assert listing.json().get("code") != "reauthentication_required"


def test_too_many_wrong_confirmations_are_refused_for_a_while(users, settings):
    settings.REAUTH_FAILURES_PER_15_MINUTES = 2
    from django.core.cache import cache

    cache.clear()
    c = stale_login(users["manager"])
    for _ in range(2):
        assert c.post("/accounts/confirm/", {"password": "wrong-password-again"}).status_code == 400
    blocked = c.post("/accounts/confirm/", {"password": PASSWORD})
    assert blocked.status_code == 429
    assert "15" in blocked.content.decode()
