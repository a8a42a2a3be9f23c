"""Who may do what in the Q&A, by role (`core.roles`): the one place its pages, API,
selectors and services read it from. The question workflow's own transitions name their
roles in `qa.workflows`."""

from __future__ import annotations

from innohub.core.roles import MANAGER_ROLES, STAFF_ROLES

ANSWER_QUESTIONS = STAFF_ROLES  # the inbox: assign, draft, answer, merge, reject
APPROVE_ANSWERS = MANAGER_ROLES  # publish, return, correct a published answer
MANAGE_KNOWLEDGE = STAFF_ROLES  # upload, withdraw and reinstate knowledge-base documents
VIEW_INBOX = STAFF_ROLES
# each knowledge-base collection's fusion weight and its history: read-only for all (the
# background task alone writes them), shown to those who answer for the service
VIEW_FUSION_WEIGHTS = MANAGER_ROLES
