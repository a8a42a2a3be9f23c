"""A certificate as an Open Badges 3.0 credential (`OpenBadgeCredential`, JSON-LD on the
W3C Verifiable Credentials 2.0 data model), for attendees who keep digital credentials.

The credential is not signed (no `proof`): its `id` is the public verification page, which
says whether the certificate is genuine or revoked, and a wallet that wants a signed one has
to wait for the department's issuing key (not set up yet). The holder is identified by the
salted SHA-256 of their e-mail address, as the specification's `IdentityObject` allows, so
the file carries no address in clear.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.urls import reverse

from innohub.core.links import absolute_url
from innohub.events.certificates import DEPARTMENT_VI, verify_url
from innohub.events.models import Certificate

CONTEXT = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]


def open_badge(certificate: Certificate) -> dict[str, Any]:
    registration = certificate.registration
    event = registration.event
    salt = certificate.number
    identity = hashlib.sha256((registration.email.strip().lower() + salt).encode()).hexdigest()
    event_url = absolute_url(reverse("events:detail", args=[event.slug]))
    sessions = (f" ({certificate.sessions_attended}/{certificate.sessions_total} buổi)" if certificate.sessions_total > 1 else "")
    return {
        "@context": CONTEXT,
        "id": verify_url(certificate),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"Giấy chứng nhận tham dự: {event.title}",
        "issuer": {"id": absolute_url("/"), "type": ["Profile"], "name": DEPARTMENT_VI.title().replace("Tp.", "TP."),
                   "url": absolute_url("/")},
        "validFrom": certificate.issued_at.isoformat(),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "name": registration.name,
            "identifier": [{"type": "IdentityObject", "identityType": "emailAddress", "hashed": True,
                            "identityHash": f"sha256${identity}", "salt": salt}],
            "achievement": {
                "id": event_url,
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": event.title,
                "description": (event.description or event.title)[:1000],
                "criteria": {"narrative": f"Tham dự {event.title}{sessions}. Attended {event.title_en or event.title}."},
                "inLanguage": "vi",
            },
        },
    }
