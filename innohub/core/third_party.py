"""Third-party apps as the Vietnamese back office shows them (issue 27).

django-axes, django-tasks-db and django-otp ship no Vietnamese catalogue, and their apps' names are
not translatable strings ("Tasks Database Backend"), so `/admin/` read "AXES", "Access
attempts", "TASKS DATABASE BACKEND", "Task Results" on the Vietnamese site. Their apps are
installed through the AppConfig subclasses below (INSTALLED_APPS names them), which give
them translatable names; their models' and fields' own msgids are declared here with
``gettext_noop`` so that ``makemessages`` keeps them in the project catalogue
(``locale/vi``, which also mends two of Django's own admin strings: the app list's hidden
column headings, untranslated, and "Models in the … application", half-translated).
Labels, app labels and database tables are unchanged.
"""

from __future__ import annotations

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django_otp.plugins.otp_static.apps import DefaultConfig as OtpStaticAppConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as OtpTotpAppConfig
from django_tasks_db.apps import TasksAppConfig


class AxesConfig(AxesAppConfig):
    verbose_name = _("Log-in protection")


class OtpTotpConfig(OtpTotpAppConfig):
    verbose_name = _("Two-step verification: authenticator apps")


class OtpStaticConfig(OtpStaticAppConfig):
    verbose_name = _("Two-step verification: recovery codes")


class TasksDatabaseConfig(TasksAppConfig):
    verbose_name = _("Background tasks")  # type: ignore[assignment]  # a lazy string, as Django reads it


# The msgids of the third-party models, fields and admin pages staff read, translated in
# locale/vi/LC_MESSAGES/django.po (a translation there wins over any app's catalogue; the
# tasks' "status" is left to the apps' catalogues, which have it).
THIRD_PARTY_MESSAGES = (
    # django-axes
    gettext_noop("access attempt"), gettext_noop("access attempts"), gettext_noop("Access Attempt"),
    gettext_noop("access failure"), gettext_noop("access failures"),
    gettext_noop("access attempt expiration"), gettext_noop("access attempt expirations"),
    gettext_noop("access log"), gettext_noop("access logs"),
    gettext_noop("User Agent"), gettext_noop("IP Address"), gettext_noop("Username"), gettext_noop("HTTP Accept"),
    gettext_noop("Path"), gettext_noop("Attempt Time"), gettext_noop("Access lock out"), gettext_noop("GET Data"),
    gettext_noop("POST Data"), gettext_noop("Failed Logins"), gettext_noop("Expires At"),
    gettext_noop("The time when access attempt expires and is no longer valid."), gettext_noop("Logout Time"),
    gettext_noop("Session key hash (sha256)"), gettext_noop("Locked Out"), gettext_noop("Form Data"), gettext_noop("Meta Data"),
    gettext_noop("Clean up expired attempts"), gettext_noop("Not set"), gettext_noop("Attempt Remaining"),
    # django-tasks-db
    gettext_noop("Task Result"), gettext_noop("Task Results"), gettext_noop("enqueued at"),
    gettext_noop("started at"), gettext_noop("finished at"), gettext_noop("args kwargs"), gettext_noop("priority"),
    gettext_noop("task path"), gettext_noop("worker id"), gettext_noop("queue name"), gettext_noop("backend name"),
    gettext_noop("run after"), gettext_noop("return value"), gettext_noop("exception class path"), gettext_noop("traceback"),
    # Django's admin: the app list's hidden column headings (untranslated in Django's catalogue)
    # and the app's link title (half-translated there: "Các mô models trong …")
    gettext_noop("Model name"), gettext_noop("Add link"), gettext_noop("Change or view list link"),
    gettext_noop("Models in the %(name)s application"),
)
