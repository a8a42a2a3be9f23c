"""What the Q&A services share: the limits on questions and attachments, the audited fields
of a question (who may act is in `qa.permissions`)."""

from __future__ import annotations

import re

from django.conf import settings

MAX_QUESTION_CHARS = 5000
MIN_QUESTION_CHARS = 10
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
ASK_LIMIT_PER_HOUR = getattr(settings, "QA_ASK_LIMIT_PER_HOUR", 5)  # a visitor, by IP address
# A member, by account: an office or a café shares one address, and its signed-in users
# must not be blocked by (nor count against) the visitors asking from it.
ASK_LIMIT_PER_ACCOUNT_PER_HOUR = getattr(settings, "QA_ASK_LIMIT_PER_ACCOUNT_PER_HOUR", ASK_LIMIT_PER_HOUR)
QUESTION_FIELDS = ["state", "assignee", "unit", "due_date", "merged_into", "reject_reason", "closed_at"]
# what a question may attach (each checked by its bytes, `core.uploads`)
ATTACHMENT_TYPES = (".pdf", ".png", ".jpg", ".jpeg", ".docx")
_TRACKING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_PATH_SEPARATOR = re.compile(r"[/\\]")
