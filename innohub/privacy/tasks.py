"""The daily reminder of personal data requests (`manage.py send_reminders`)."""

from __future__ import annotations

from innohub.privacy import services


def remind_requests() -> int:
    return services.requests_remind()
