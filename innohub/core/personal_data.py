"""Personal data under Decree 13/2023/NĐ-CP and Law 91/2025/QH15 (docs/security.md has the register).

- Consent: where consent is the legal basis (asking a question, signing up, registering for an
  event), the form shows the text of a numbered version and the person ticks it (``consent_field``;
  the API: ``consent_require``); ``consent_record`` writes the purpose and
  version to the audit log, which is append-only and hash-chained (activity.chain), so the
  record cannot be changed unnoticed.
- Retention: ``retention_run`` (``manage.py personal_data retention``, run daily by cron)
  anonymises the asker's contact details of questions closed more than
  ``QA_ASKER_RETENTION_MONTHS`` ago (``retention_apply``), deletes the attachments of questions
  closed more than ``QA_ATTACHMENT_RETENTION_MONTHS`` ago (``attachments_purge``) and the
  log-in records (django-axes) older than ``LOGIN_RECORDS_RETENTION_DAYS``
  (``login_records_purge``), anonymises readers' feedback on answers after
  ``QA_FEEDBACK_RETENTION_MONTHS`` (``feedback_anonymise``) and registrations for events that
  ended more than ``EVENT_REGISTRATION_RETENTION_MONTHS`` ago (``registrations_anonymise``),
  deletes the copies of a person's data once their download period ends
  (``privacy.services.exports_purge``) and the files of posts kept for a re-authentication never
  completed; each deletion is audited; ``--dry-run`` only counts.
- A person's requests (see, export, delete): ``subject_export`` gathers what the platform holds
  about an e-mail address (account, questions, event registrations), ``subject_erase``
  anonymises it (account deactivated and stripped, questions' contacts and event registrations
  removed); both audited (``manage.py personal_data export|erase``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

ANONYMISED_NAME = ""


def anonymised_email(pk: Any) -> str:
    """The address an anonymised record keeps (the field is required): says nothing of the person."""
    return f"anonymised-{pk}@invalid.invalid"


@dataclass(frozen=True)
class Consent:
    purpose: str
    version: str
    text: StrPromise


CONSENTS = {
    "qa.ask": Consent(
        purpose="qa.ask", version="2026-12-07",
        text=_("I agree that the Department processes my name, e-mail and question to answer me and to "
               "publish the answer without my personal data, and keeps my contact details for up to 24 months "
               "after the question is closed (Decree 13/2023/NĐ-CP). I may ask to see, correct or delete them."),
    ),
    "accounts.signup": Consent(
        purpose="accounts.signup", version="2026-12-07",
        text=_("I agree that the Department processes my name, e-mail and the data of my account to run my account and "
               "send me notices, and keeps them while my account is open (Decree 13/2023/NĐ-CP). I may ask to see, "
               "correct or delete them."),
    ),
    "events.register": Consent(
        purpose="events.register", version="2026-12-07",
        text=_("I agree that the Department processes my name, e-mail, organisation and answers to register me for "
               "this event, send me its notices and check me in, and keeps them with the event's records "
               "(Decree 13/2023/NĐ-CP). I may ask to see, correct or delete them."),
    ),
    # a delegation's contact gives the members' data: they confirm each member agreed
    "events.register_group": Consent(
        purpose="events.register_group", version="2026-12-07",
        text=_("I confirm that each member named here agreed that the Department processes their name, e-mail, "
               "organisation and answers to register them for this event, send them its notices and check them in, and "
               "keeps them with the event's records (Decree 13/2023/NĐ-CP); each may ask to see, correct or delete them."),
    ),
}

CONSENT_REQUIRED = _("Tick the box to agree: without your consent we cannot process your personal data for this.")


def consent_field(purpose: str) -> Any:
    """The box a person ticks to give the consent of ``purpose`` (never ticked for them): its
    label is the consent's full text; a form without it ticked is refused with a clear error."""
    from django import forms

    return forms.BooleanField(label=CONSENTS[purpose].text, required=True, error_messages={"required": CONSENT_REQUIRED})


def consent_require(*, given: bool, purpose: str) -> None:
    """For the API: refuse (400 problem, code ``consent_required``, nothing saved) unless the
    caller says the person ticked the consent of ``purpose``."""
    from innohub.core.errors import ApplicationError

    if not given:
        consent = CONSENTS[purpose]
        raise ApplicationError(CONSENT_REQUIRED, code="consent_required",
                               extra={"consent": str(CONSENT_REQUIRED), "version": consent.version, "text": str(consent.text)})


def consent_record(*, purpose: str, target: Any, actor: Any) -> None:
    """Record that the person gave the consent of ``purpose`` in its current version, with
    ``target`` the record it was given for (the question)."""
    from innohub.activity.services import event_record

    consent = CONSENTS[purpose]
    with override("vi"):
        text = str(consent.text)
    event_record(actor=actor, action="consent.given", target=target,
                 after={"purpose": consent.purpose, "version": consent.version, "text": text})


def retention_cutoff(months: int, now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()) - dt.timedelta(days=round(months * 30.44))


@transaction.atomic
def retention_apply(*, months: int | None = None, now: dt.datetime | None = None, dry_run: bool = False) -> int:
    """Anonymise the asker's contact details (name, e-mail, account link, IP address) of the
    questions closed before the retention period; the question and its published answer stay.
    Returns how many questions were (or, in a dry run, would be) anonymised."""
    from innohub.activity.services import events_record_many
    from innohub.qa.models import Question

    months = settings.QA_ASKER_RETENTION_MONTHS if months is None else months
    due = (Question.objects.filter(closed_at__lt=retention_cutoff(months, now))
           .exclude(asker_email__startswith="anonymised-").select_for_update())
    rows = list(due.values_list("pk", "tracking_code"))
    if dry_run or not rows:
        return len(rows)
    for pk, _code in rows:
        Question.objects.filter(pk=pk).update(asker_name=ANONYMISED_NAME, asker_email=anonymised_email(pk), asker=None, submitted_ip=None)
    events_record_many(
        actor=None, action="personal_data.anonymised", target_model=Question,
        targets=[(pk, code, {"reason": "retention", "months": months}) for pk, code in rows],
    )
    return len(rows)


def _registrations_of(email: str, user: Any) -> Any:
    from innohub.events.models import Registration

    found = Registration.objects.filter(email_key=email.strip().lower())
    return (found | Registration.objects.filter(user=user)).distinct() if user is not None else found


def subject_export(*, email: str, actor: Any) -> dict[str, Any]:
    """What the platform holds about the person using ``email``: their account, memberships,
    questions and notifications. Audited (the export itself is personal data leaving)."""
    from innohub.accounts.models import User
    from innohub.activity.services import event_record
    from innohub.qa.models import Question

    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    questions = Question.objects.filter(asker_email__iexact=email) | (Question.objects.filter(asker=user) if user else Question.objects.none())
    data: dict[str, Any] = {
        "email": email,
        "account": None,
        "questions": [
            {"tracking_code": q.tracking_code, "asked_at": q.created_at.isoformat(), "name": q.asker_name,
             "email": q.asker_email, "text": q.text, "state": q.state, "ip_address": q.submitted_ip}
            for q in questions.distinct().order_by("created_at")
        ],
    }
    if user is not None:
        data["account"] = {
            "username": user.username, "full_name": user.full_name, "email": user.email, "phone": user.phone,
            "role": user.role, "language": user.language, "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "memberships": [{"organisation": str(m.organisation), "role": m.org_role, "title": m.title} for m in user.memberships.all()],
            "notifications": user.notifications.count(),
        }
    data["event_registrations"] = [
        {"event": r.event.title, "event_starts_at": r.event.starts_at.isoformat(), "name": r.name, "email": r.email,
         "organisation": r.organisation_name, "country": r.country, "answers": r.answers, "registered_by": r.registered_by_name,
         "state": r.state, "registered_at": r.created_at.isoformat(),
         "checked_in_at": r.checked_in_at.isoformat() if r.checked_in_at else None}
        for r in _registrations_of(email, user).select_related("event").order_by("created_at")
    ]
    event_record(actor=actor, action="personal_data.exported", target=user,
                 after={"questions": len(data["questions"]), "event_registrations": len(data["event_registrations"]),
                        "account": user is not None}, note="data subject request")
    return data


@transaction.atomic
def subject_erase(*, email: str, actor: Any) -> dict[str, int]:
    """Erase the person using ``email``: their questions' contact details anonymised, their
    account (if any) deactivated with its name, e-mail, phone and password removed, their
    notifications deleted. Records the law requires to be kept (decisions, payments, the audit
    log) keep only the account's id and its username at the time. Audited."""
    from innohub.accounts.models import User
    from innohub.activity.services import event_record
    from innohub.qa.models import Question

    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    questions = Question.objects.filter(asker_email__iexact=email)
    if user is not None:
        questions = questions | Question.objects.filter(asker=user)
    pks = list(questions.distinct().values_list("pk", flat=True))
    for pk in pks:
        Question.objects.filter(pk=pk).update(asker_name=ANONYMISED_NAME, asker_email=anonymised_email(pk), asker=None, submitted_ip=None)
    registrations = list(_registrations_of(email, user).values_list("pk", flat=True))
    _registrations_strip(registrations, keep_certified_names=False)  # the person asked: the certificate's name goes too
    notifications = 0
    if user is not None:
        notifications = user.notifications.all().delete()[0]
        user.full_name = ""
        user.first_name = user.last_name = ""
        user.phone = ""
        user.email = anonymised_email(f"user-{user.pk}")
        user.is_active = False
        user.set_unusable_password()
        user.save()
    counts = {"questions": len(pks), "event_registrations": len(registrations), "account": int(user is not None),
              "notifications": notifications}
    event_record(actor=actor, action="personal_data.erased", target=user, after=counts, note="data subject request")
    return counts


@transaction.atomic
def login_records_purge(*, days: int | None = None, now: dt.datetime | None = None, dry_run: bool = False) -> dict[str, int]:
    """Delete django-axes' records of log-ins and failed attempts (username typed, IP address,
    browser) older than ``LOGIN_RECORDS_RETENTION_DAYS``. One audit event with the counts."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from innohub.activity.services import event_record

    days = settings.LOGIN_RECORDS_RETENTION_DAYS if days is None else days
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    counts = {}
    for model, key in ((AccessLog, "log_ins"), (AccessFailureLog, "failed_log_ins"), (AccessAttempt, "attempt_counters")):
        due = model.objects.filter(attempt_time__lt=cutoff)
        counts[key] = due.count() if dry_run else due.delete()[0]
    if not dry_run and any(counts.values()):
        event_record(actor=None, action="personal_data.login_records_purged", after={**counts, "days": days})
    return counts


def attachments_purge(*, months: int | None = None, now: dt.datetime | None = None, dry_run: bool = False) -> int:
    """Delete the attachment (file and name) of each question closed more than
    ``QA_ATTACHMENT_RETENTION_MONTHS`` ago; the question and its answer stay. One audit event
    per question. Returns how many attachments were (or would be) deleted."""
    from innohub.activity.services import events_record_many
    from innohub.qa.models import Question

    months = settings.QA_ATTACHMENT_RETENTION_MONTHS if months is None else months
    due = Question.objects.filter(closed_at__lt=retention_cutoff(months, now)).exclude(attachment="")
    rows = list(due.values_list("pk", "tracking_code", "attachment"))
    if dry_run or not rows:
        return len(rows)
    storage = Question._meta.get_field("attachment").storage  # type: ignore[attr-defined]
    for pk, _code, name in rows:
        with transaction.atomic():
            Question.objects.filter(pk=pk).update(attachment="", attachment_name="")
            transaction.on_commit(partial(storage.delete, name))
    events_record_many(
        actor=None, action="personal_data.attachment_deleted", target_model=Question,
        targets=[(pk, code, {"reason": "retention", "months": months}) for pk, code, _name in rows],
    )
    return len(rows)


@transaction.atomic
def feedback_anonymise(*, months: int | None = None, now: dt.datetime | None = None, dry_run: bool = False) -> int:
    """Readers' "did this answer help?" feedback last given more than
    ``QA_FEEDBACK_RETENTION_MONTHS`` ago: the free-text comment (which may name the reader or
    others) is cleared and the reader's key (a hash of their account or browser session) is
    replaced by one that links to nobody; the verdict stays, so the answer's statistics do
    not change. One audit event per feedback. Returns how many were (or would be) anonymised."""
    from django.db.models import CharField, Value
    from django.db.models.functions import Cast, Concat

    from innohub.activity.services import events_record_many
    from innohub.qa.models import AnswerFeedback

    months = settings.QA_FEEDBACK_RETENTION_MONTHS if months is None else months
    due = AnswerFeedback.objects.filter(updated_at__lt=retention_cutoff(months, now)).exclude(reader__startswith="anonymised-")
    pks = list(due.values_list("pk", flat=True))
    if dry_run or not pks:
        return len(pks)
    # .update() leaves updated_at alone: the feedback still counts for the answer it was given on
    AnswerFeedback.objects.filter(pk__in=pks).update(
        comment="", reader=Concat(Value("anonymised-"), Cast("pk", output_field=CharField())))
    events_record_many(actor=None, action="personal_data.anonymised", target_model=AnswerFeedback,
                       targets=[(pk, f"feedback {pk}", {"reason": "retention", "months": months}) for pk in pks])
    return len(pks)


def _registrations_strip(pks: list[int], *, keep_certified_names: bool) -> set[int]:
    """Remove the attendee's personal data from these registrations (see
    ``registrations_anonymise``); returns those holding a certificate not revoked."""
    from innohub.events.models import Registration

    certified = set(Registration.objects.filter(pk__in=pks, certificate__revoked=False).values_list("pk", flat=True))
    for pk in pks:
        email = anonymised_email(f"registration-{pk}")
        fields: dict[str, Any] = {"email": email, "email_key": email, "answers": {}, "user": None, "registered_by": None,
                                  "registered_by_name": "", "reason": ""}
        if not (keep_certified_names and pk in certified):
            fields["name"] = ANONYMISED_NAME
        Registration.objects.filter(pk=pk).update(**fields)
    return certified


@transaction.atomic
def registrations_anonymise(*, months: int | None = None, now: dt.datetime | None = None, dry_run: bool = False) -> int:
    """Registrations for events that ended more than ``EVENT_REGISTRATION_RETENTION_MONTHS``
    ago: the attendee's e-mail, answers, account links, who registered them and the
    organiser's reason are removed, and the name too unless a certificate (not revoked) was
    issued, whose public check shows it. Organisation, kind of participant, country and
    check-ins stay for the event's figures. One audit event per registration."""
    from innohub.activity.services import events_record_many
    from innohub.events.models import Registration

    months = settings.EVENT_REGISTRATION_RETENTION_MONTHS if months is None else months
    due = (Registration.objects.filter(event__ends_at__lt=retention_cutoff(months, now))
           .exclude(email__startswith="anonymised-").select_for_update(of=("self",)))
    rows = list(due.values_list("pk", "event_id"))
    if dry_run or not rows:
        return len(rows)
    certified = _registrations_strip([pk for pk, _e in rows], keep_certified_names=True)
    events_record_many(
        actor=None, action="personal_data.anonymised", target_model=Registration,
        targets=[(pk, f"registration {pk}", {"reason": "retention", "months": months, "event": event, "name_kept_for_certificate": pk in certified})
                 for pk, event in rows],
    )
    return len(rows)


def retention_run(*, dry_run: bool = False, now: dt.datetime | None = None, months: int | None = None) -> dict[str, int]:
    """Everything past its retention, in one daily run (``manage.py personal_data retention``)."""
    from innohub.accounts.reauth import pending_count, purge_stale_pending
    from innohub.privacy.services import exports_purge

    counts = {"questions_anonymised": retention_apply(months=months, now=now, dry_run=dry_run)}
    counts["attachments_deleted"] = attachments_purge(now=now, dry_run=dry_run)
    counts["feedback_anonymised"] = feedback_anonymise(now=now, dry_run=dry_run)
    counts["registrations_anonymised"] = registrations_anonymise(now=now, dry_run=dry_run)
    counts["exports_deleted"] = exports_purge(now=now, dry_run=dry_run)
    counts.update(login_records_purge(now=now, dry_run=dry_run))
    if dry_run:
        counts["reauth_posts_dropped"] = pending_count()
    else:
        counts["reauth_posts_dropped"] = purge_stale_pending()
    return counts
