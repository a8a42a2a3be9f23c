"""Django's own messages that the site words in Vietnamese itself, because Django's catalogue
lacks them or words them otherwise (its MinimumLengthValidator's wording changed in 5.2; its
field names are capitalised where ours sit inside a sentence: "Mật khẩu quá giống với tên
đăng nhập"). Their translations live in ``locale/vi``; these marks keep ``make messages`` from
setting them aside as unused. Nothing calls this module."""

from django.utils.translation import gettext_noop, ngettext


def _marked() -> None:  # pragma: no cover - read by xgettext, never run
    gettext_noop("username")
    gettext_noop("first name")
    gettext_noop("last name")
    ngettext(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        8,
    )
