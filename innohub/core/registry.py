"""What each installed app brings to the whole site, read from its own `AppConfig`.

A module declares, as class attributes of its AppConfig, its pages (`urls`), its API router
(`api_router`), its navigation entries (`nav_items`), the labels of the audit actions it
records (`action_labels`) and those of them its background work records by itself, many at a
time, which the back office's recent-activity feed leaves out (`quiet_actions`), its demo data
(`demo`), its daily reminders (`reminders`), its staff work queues (`work_queues`, see
`core.queues`), the kinds of form officers write for it in the back office's forms editor
(`form_kinds`, see `forms.kinds`) and the URL names of its public pages an anonymous visitor may
be answered from the page cache (`cached_views`, see `core.page_cache`), and those a signed-in
person may be answered from their own copy in it (`personal_cached_views`).
The central code (URLconf, API, navigation, audit labels, `seed_demo`, `send_reminders`)
only iterates what this module collects, so adding a module edits no central list. It is
discovered the way the admin finds `admin.py`: by walking `apps.get_app_configs()` once
the app registry is ready; the results are cached for the life of the process.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.apps import AppConfig, apps
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.urls import URLResolver, include, path
from django.utils.functional import Promise
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from innohub.core.navigation import NavItem
    from innohub.core.queues import WorkQueue


@dataclass(frozen=True)
class UrlMount:
    """An app's pages: `include(module)` under `prefix`. `i18n` pages answer in Vietnamese at
    `/<prefix>` and in English at `/en/<prefix>`; the others (the API) have no language prefix.
    The namespace is the URLconf's own `app_name`."""

    module: str
    prefix: str = ""
    i18n: bool = True


@dataclass(frozen=True)
class ApiRouter:
    """An app's Ninja router (dotted path to a `Router`) mounted under `/api/v1/<prefix>`."""

    prefix: str
    router: str


@dataclass(frozen=True)
class Demo:
    """An app's demo data: `seed` is the dotted path of a callable taking no argument and
    returning a summary (it must add nothing when run twice). Seeders run by ascending `order`;
    `after` names the app labels whose demo data this one needs, checked against that order."""

    seed: str
    order: int
    after: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reminder:
    """A daily reminder: `task` is the dotted path of a callable (or a django-tasks `Task`,
    run with `.call()`) returning how many reminders it queued; `what` names them in the
    command's report ("3 milestone reminder(s)")."""

    what: str
    task: str

    def run(self) -> int:
        target = import_string(self.task)
        run: Callable[[], int] = getattr(target, "call", target)
        return run()


@dataclass(frozen=True)
class FormUse:
    """A foreign key to a form version: `model` ("app_label.Model") and its `field`, with a plural
    `label` ("Calls", "Registrations"). `named`: the editor lists what points at a version by name
    (a call, an event); answers (applications, registrations) are only counted."""

    model: str
    field: str
    label: str | Promise
    named: bool = False


@dataclass(frozen=True)
class FormKind:
    """A kind of form written in the forms editor (`innohub.forms.kinds`). `code` is the slug in the editor's addresses; `model` ("app_label.Model") the versioned model."""

    code: str
    label: str | Promise
    model: str
    used_by: tuple[FormUse, ...] = ()
    order: int = 100

    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)


def _configs() -> list[AppConfig]:
    # Raises AppRegistryNotReady if read while the apps load: nothing here may run that early.
    return list(apps.get_app_configs())


def _declared(name: str) -> Iterator[tuple[AppConfig, Any]]:
    for config in _configs():
        value = getattr(config, name, None)
        if value:
            yield config, value


@functools.cache
def url_mounts() -> tuple[UrlMount, ...]:
    """Every app's pages, in INSTALLED_APPS order but with the ones mounted at the root last,
    so that a module's own prefix is always tried before the shells' catch-all pages."""
    mounts = [mount for _config, mount in _declared("urls")]
    return tuple(sorted(mounts, key=lambda mount: mount.prefix == ""))


def urlpatterns(*, i18n: bool) -> list[URLResolver]:
    """The `path(prefix, include(module))` of every app's pages with (or without) a language prefix."""
    return [path(mount.prefix, include(mount.module)) for mount in url_mounts() if mount.i18n is i18n]


@functools.cache
def api_routers() -> tuple[ApiRouter, ...]:
    """Every app's router, the API's own (at "/") first, then in INSTALLED_APPS order."""
    routers = [router for _config, router in _declared("api_router")]
    return tuple(sorted(routers, key=lambda router: router.prefix != "/"))


@functools.cache
def nav_items() -> tuple[NavItem, ...]:
    """Every app's navigation entries, by their `order` (ties keep INSTALLED_APPS order)."""
    items = [item for _config, declared in _declared("nav_items") for item in declared]
    return tuple(sorted(items, key=lambda item: item.order))


@functools.cache
def action_labels() -> dict[str, str | Promise]:
    """Every audit action code with its translated label. Two apps naming one code is a mistake."""
    labels: dict[str, str | Promise] = {}
    owner: dict[str, str] = {}
    for config, declared in _declared("action_labels"):
        for code, label in declared.items():
            if code in labels:
                raise ImproperlyConfigured(
                    f"The audit action {code!r} is labelled by both {owner[code]!r} and {config.label!r}."
                )
            labels[code], owner[code] = label, config.label
    return dict(sorted(labels.items()))


@functools.cache
def quiet_actions() -> frozenset[str]:
    """Audit action codes that background work records by itself, many at a time (a
    re-estimate after every publication): the dashboard's recent activity leaves out those
    with no person as actor, which would otherwise fill it; the audit log keeps them all."""
    return frozenset(code for _config, declared in _declared("quiet_actions") for code in declared)


@functools.cache
def demo_seeders() -> tuple[tuple[str, Demo], ...]:
    """(app label, Demo) in the order they run; an app seeded before one it needs is refused."""
    seeders = sorted(((config.label, demo) for config, demo in _declared("demo")), key=lambda pair: pair[1].order)
    seen: set[str] = set()
    with_demo = {label for label, _demo in seeders}
    for label, demo in seeders:
        missing = [need for need in demo.after if need not in seen]
        if missing:
            where = "has no demo data" if not set(missing) <= with_demo else "is seeded later"
            raise ImproperlyConfigured(
                f"The demo data of {label!r} needs {', '.join(missing)}, which {where}; give {label!r} a higher order."
            )
        seen.add(label)
    return tuple(seeders)


@functools.cache
def reminders() -> tuple[Reminder, ...]:
    return tuple(reminder for _config, declared in _declared("reminders") for reminder in declared)


def _each_code_once(items: list[Any], what: str) -> tuple[Any, ...]:
    """The declarations as given, refused at start-up if two apps declared the same ``code``."""
    codes = [item.code for item in items]
    repeated = sorted({code for code in codes if codes.count(code) > 1})
    if repeated:
        raise ImproperlyConfigured(f"{what} codes declared twice: {', '.join(repeated)}.")
    return tuple(items)


@functools.cache
def work_queues() -> tuple[WorkQueue, ...]:
    """Every app's staff work queues (`core.queues`), by their `order`; a code used twice is a mistake."""
    queues = sorted((q for _config, declared in _declared("work_queues") for q in declared), key=lambda q: q.order)
    return _each_code_once(queues, "Work queue")


@functools.cache
def form_kinds() -> tuple[FormKind, ...]:
    """Every app's kinds of form (`forms.kinds`), in INSTALLED_APPS order; a code used twice is a mistake."""
    return _each_code_once([kind for _config, declared in _declared("form_kinds") for kind in declared], "Form kind")


@functools.cache
def cached_views() -> frozenset[str]:
    """The URL names (``namespace:name``) every app lets the public page cache answer."""
    return frozenset(name for _config, declared in _declared("cached_views") for name in declared)


@functools.cache
def personal_cached_views() -> frozenset[str]:
    """The URL names every app lets the page cache answer for a signed-in person, from a copy kept
    for that person alone (`core.page_cache`): pages that write nothing on GET."""
    return frozenset(name for _config, declared in _declared("personal_cached_views") for name in declared)


def clear_cache() -> None:
    """Forget what was read (tests that install or change an app's declarations)."""
    for reader in (url_mounts, api_routers, nav_items, action_labels, quiet_actions, demo_seeders, reminders, work_queues,
                   form_kinds, cached_views, personal_cached_views):
        reader.cache_clear()


class LazyActionLabels(Mapping[str, "str | Promise"]):
    """`action_labels()` read on first use, so it can be imported before the apps are ready."""

    def __getitem__(self, code: str) -> str | Promise:
        return action_labels()[code]

    def __iter__(self) -> Iterator[str]:
        return iter(action_labels())

    def __len__(self) -> int:
        return len(action_labels())
