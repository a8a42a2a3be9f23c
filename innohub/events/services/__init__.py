"""The events' services (the only writers), re-exported by name."""

from innohub.events.services.attendance import (
    CheckinResult,
    checkin_by_code,
    checkin_record,
    walkin_register,
)
from innohub.events.services.certificates import (
    attendance_of,
    certificate_revoke,
    certificates_issue,
    is_eligible,
)
from innohub.events.services.events import (
    event_cancel,
    event_publish,
    event_save,
    session_add,
    session_remove,
)
from innohub.events.services.registrations import (
    Attendee,
    registration_approve,
    registration_cancel,
    registration_create,
    registration_open_problem,
    registration_refuse,
    registrations_create,
    reminders_send,
    seats_taken,
    waiting_rank,
)

__all__ = [
    "Attendee", "CheckinResult", "attendance_of", "certificate_revoke", "certificates_issue", "checkin_by_code",
    "checkin_record", "event_cancel", "event_publish", "event_save", "is_eligible", "registration_approve",
    "registration_cancel", "registration_create", "registration_open_problem", "registration_refuse",
    "registrations_create", "reminders_send", "seats_taken", "session_add", "session_remove", "waiting_rank", "walkin_register",
]
