"""Choosing organisations and people of the directory in a staff form, at the directory's real
size (100,000 organisations, 200,000 people): the picker's field, its widget and the reads it
makes.

A `<select>` of every organisation is a 100,000-option page that nobody can use on a phone. The
picker renders only what is chosen (boxes, ticked) and a search box. Without JavaScript, the
name typed there (whole or a part, with or without diacritics: the directory's own folding and
token search, `selectors.query_terms`) is resolved on the server when the form is sent: one
match is chosen; several come back as radio buttons or boxes to choose from, everything else
typed kept; none is an error at the field. With JavaScript (`static/js/picker.js`) the box is a
WAI-ARIA combobox suggesting from the staff-only JSON endpoint (`directory:pick`), and the
chosen items are buttons that remove them.

What may be chosen is a named *scope* (`ORGANISATION_SCOPES`, `PERSON_SCOPES`): the same
queryset checks what a form receives and what the endpoint suggests, so a form keeps the rule
its `<select>` had (live organisations only, or every one not archived, or startups…).

Hand-written rather than django-autocomplete-light or django-select2: both need jQuery and
Select2's scripts, neither resolves a typed name when JavaScript is off, and Select2's widget
is not the ARIA combobox pattern.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from innohub.core.permissions import user_has_role
from innohub.directory.models import Organisation, Person, Position
from innohub.directory.permissions import MANAGE_DIRECTORY
from innohub.directory.selectors import _token_filter, query_terms

MATCH_LIMIT = 20  # matches listed when a typed name is ambiguous, and suggestions at most
SUGGESTIONS = 10  # suggestions a page of the endpoint gives unless asked for fewer or more


def _live_organisations() -> QuerySet[Organisation]:
    return Organisation.objects.filter(archived_at__isnull=True, merged_into__isnull=True)


ORGANISATION_SCOPES: dict[str, Callable[[], QuerySet]] = {
    "live": _live_organisations,  # neither archived nor merged into another
    "current": lambda: Organisation.objects.filter(archived_at__isnull=True),  # not archived
    "startups": lambda: Organisation.objects.filter(archived_at__isnull=True, kind=Organisation.Kind.STARTUP),
}
PERSON_SCOPES: dict[str, Callable[[], QuerySet]] = {
    "all": lambda: Person.objects.all(),
}


@dataclass(frozen=True)
class Choice:
    """One item as the picker shows it: its name, and what tells it apart from namesakes."""

    id: int
    label: str
    detail: str


def _organisation_matches(qs: QuerySet, query: str) -> QuerySet:
    terms = query_terms(query)
    if not terms:
        return qs.none()
    return qs.filter(_token_filter(terms)).order_by("name", "pk")


def _organisation_choices(objs: Iterable[Organisation]) -> list[Choice]:
    return [Choice(o.pk, o.name, " · ".join(str(x) for x in (o.get_kind_display(), o.tax_code or o.city) if x)) for o in objs]


def _person_matches(qs: QuerySet, query: str) -> QuerySet:
    """Every folded word of the query starts a word of the person's folded name."""
    terms = query_terms(query)
    if not terms:
        return qs.none()
    for term in terms:
        qs = qs.filter(Q(search_text__startswith=term) | Q(search_text__contains=f" {term}"))
    return qs.order_by("full_name", "pk")


def _person_choices(objs: Iterable[Person]) -> list[Choice]:
    people = list(objs)
    current = Position.objects.filter(ended_on__isnull=True).select_related("organisation").order_by("kind", "pk")
    prefetch_related_objects(people, Prefetch("positions", queryset=current, to_attr="current_positions"))
    choices = []
    for p in people:
        positions = getattr(p, "current_positions", [])
        position = positions[0] if positions else None
        detail = f"{position.display_title() or position.get_kind_display()}, {position.organisation.name}" if position else ""
        choices.append(Choice(p.pk, str(p), detail))
    return choices


@dataclass(frozen=True)
class PickerKind:
    code: str
    model: Any
    scopes: dict[str, Callable[[], QuerySet]]
    matches: Callable[[QuerySet, str], QuerySet]
    choices: Callable[[Iterable[Any]], list[Choice]]
    messages: dict[str, Any]


PICKERS: dict[str, PickerKind] = {
    "organisations": PickerKind(
        "organisations", Organisation, ORGANISATION_SCOPES, _organisation_matches, _organisation_choices,
        {
            "no_match": _("No organisation of the directory matches “%(query)s”. Check the spelling, or type less of the name."),
            "ambiguous": _("Several organisations match “%(query)s”: choose one below, or type more of its name."),
            "help": _("Type a part of the name or the tax code, with or without accents."),
        },
    ),
    "people": PickerKind(
        "people", Person, PERSON_SCOPES, _person_matches, _person_choices,
        {
            "no_match": _("Nobody in the directory matches “%(query)s”. Check the spelling, or type less of the name."),
            "ambiguous": _("Several people match “%(query)s”: choose below, or type more of the name."),
            "help": _("Type a part of the full name, with or without accents."),
        },
    ),
}


# --- reads -------------------------------------------------------------------------------------
def pick_search(*, user: Any, kind: str, scope: str, query: str, page: int = 1, limit: int = SUGGESTIONS) -> tuple[list[Choice], bool]:
    """One page of what matches a typed name, for the staff's suggestions: (choices, more?).

    Staff only: the picker is a staff forms' tool, and a person's name is no public record."""
    if not user_has_role(user, MANAGE_DIRECTORY):
        raise PermissionDenied
    picker = PICKERS[kind]
    limit = max(1, min(limit, MATCH_LIMIT))
    page = max(1, page)
    start = (page - 1) * limit
    rows = list(picker.matches(picker.scopes[scope](), query)[start:start + limit + 1])
    return picker.choices(rows[:limit]), len(rows) > limit


# --- the field and its widget ------------------------------------------------------------------
class PickerValue(NamedTuple):
    """What a picker posts: the ids ticked or chosen, and the name typed in its box."""

    ids: list[str]
    query: str


def _as_ids(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, PickerValue):
        return list(value.ids)
    if isinstance(value, str | int) or hasattr(value, "pk"):
        value = [value]
    return [str(getattr(v, "pk", v)) for v in value if v not in (None, "")]


class PickerWidget(forms.Widget):
    template_name = "directory/widgets/picker.html"
    use_fieldset = False

    def __init__(self, *, kind: str, scope: str, multiple: bool, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs)
        self.kind, self.scope, self.multiple = kind, scope, multiple
        self.matches: list[Choice] = []  # when the typed name matched several
        self.more_matches = False
        self.resolved: list[str] | None = None  # the ids chosen once the field has resolved the typed name

    def value_from_datadict(self, data: Any, files: Any, name: str) -> PickerValue:
        ids = data.getlist(name) if hasattr(data, "getlist") else _as_ids(data.get(name))
        return PickerValue([str(i).strip() for i in ids if str(i).strip()][:200], str(data.get(f"{name}_q") or "").strip()[:200])

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False  # like boxes: nothing ticked is a value (none)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        picker = PICKERS[self.kind]
        query = value.query if isinstance(value, PickerValue) else ""
        ids = self.resolved if self.resolved is not None else _as_ids(value)
        if self.resolved is not None:
            query = ""
        if self.matches:
            query = ""  # the matches are listed: what was typed is said in the error, the box is free again
        found = {str(o.pk): o for o in picker.model._default_manager.filter(pk__in=[i for i in ids if i.isdigit()])}
        chosen = picker.choices([found[i] for i in dict.fromkeys(ids) if i in found])
        widget = context["widget"]
        widget.update({
            "kind": self.kind, "multiple": self.multiple, "chosen": chosen, "query": query,
            "matches": [m for m in self.matches if str(m.id) not in found], "more_matches": self.more_matches,
            "url": f"{reverse('directory:pick', kwargs={'kind': self.kind})}?scope={self.scope}",
            "messages": picker.messages,
        })
        widget["attrs"].pop("required", None)  # the box may stay empty once something is chosen
        widget["attrs"]["autocomplete"] = "off"
        return context


class _PickerMixin:
    """Shared by the one-item and the several-items fields (which differ only in what they return)."""

    multiple = False
    widget: PickerWidget
    error_messages: dict[str, Any]
    required: bool
    kind: str
    scope: str

    def _setup(self, kind: str, scope: str, kwargs: dict[str, Any]) -> tuple[QuerySet, dict[str, Any]]:
        picker = PICKERS[kind]
        if scope not in picker.scopes:
            raise ValueError(f"No scope {scope!r} for {kind}")
        queryset = kwargs.pop("queryset", None)
        kwargs.setdefault("help_text", picker.messages["help"])
        messages = {"no_match": picker.messages["no_match"], "ambiguous": picker.messages["ambiguous"], **kwargs.pop("error_messages", {})}
        kwargs["widget"] = PickerWidget(kind=kind, scope=scope, multiple=self.multiple)
        kwargs["error_messages"] = messages
        self.kind, self.scope = kind, scope
        return (queryset if queryset is not None else picker.scopes[scope]()), kwargs

    def _chosen(self, ids: list[str]) -> list[Any]:
        if not ids:
            return []
        try:
            found = {str(o.pk): o for o in self.queryset.filter(pk__in=ids)}  # type: ignore[attr-defined]
        except (ValueError, TypeError):
            found = {}
        for i in ids:
            if i not in found:
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": i})
        return [found[i] for i in dict.fromkeys(ids)]

    def resolve(self, value: Any) -> list[Any]:
        """The items chosen: those ticked, and the one the typed name names (replacing the
        ticked one for a one-item field)."""
        if not isinstance(value, PickerValue):
            value = PickerValue(_as_ids(value), "")
        self.widget.matches, self.widget.resolved = [], None
        chosen = self._chosen(value.ids)
        if value.query:
            picker = PICKERS[self.kind]
            found = list(picker.matches(self.queryset, value.query)[:MATCH_LIMIT + 1])  # type: ignore[attr-defined]
            if not found:
                raise ValidationError(self.error_messages["no_match"], code="no_match", params={"query": value.query})
            if len(found) > 1:
                self.widget.matches = picker.choices(found[:MATCH_LIMIT])
                self.widget.more_matches = len(found) > MATCH_LIMIT
                raise ValidationError(self.error_messages["ambiguous"], code="ambiguous", params={"query": value.query})
            chosen = [*chosen, found[0]] if self.multiple else found
        if not self.multiple:
            chosen = chosen[-1:]  # a one-item field: the item chosen last (a match ticked after the old one)
        chosen = list({o.pk: o for o in chosen}.values())
        self.widget.resolved = [str(o.pk) for o in chosen]
        if self.required and not chosen:
            raise ValidationError(self.error_messages["required"], code="required")
        return chosen

    def prepare_value(self, value: Any) -> Any:
        return value if isinstance(value, PickerValue) else _as_ids(value)

    def has_changed(self, initial: Any, data: Any) -> bool:
        if isinstance(data, PickerValue) and data.query:
            return True
        return sorted(_as_ids(initial)) != sorted(_as_ids(data))


class OrganisationPickerField(_PickerMixin, forms.ModelChoiceField):
    """One organisation of the directory, chosen by typing its name (see the module)."""

    def __init__(self, *, scope: str = "live", kind: str = "organisations", **kwargs: Any) -> None:
        queryset, kwargs = self._setup(kind, scope, kwargs)
        super().__init__(queryset=queryset, **kwargs)

    def clean(self, value: Any) -> Any:
        chosen = self.resolve(value)
        return chosen[0] if chosen else None


class OrganisationsPickerField(_PickerMixin, forms.ModelMultipleChoiceField):
    """Several organisations of the directory (see the module)."""

    multiple = True

    def __init__(self, *, scope: str = "live", kind: str = "organisations", **kwargs: Any) -> None:
        queryset, kwargs = self._setup(kind, scope, kwargs)
        super().__init__(queryset=queryset, **kwargs)

    def clean(self, value: Any) -> Any:
        return self.resolve(value)


class PersonPickerField(OrganisationPickerField):
    """One person of the directory (see the module)."""

    def __init__(self, *, scope: str = "all", **kwargs: Any) -> None:
        super().__init__(scope=scope, kind="people", **kwargs)


class PeoplePickerField(OrganisationsPickerField):
    """Several people of the directory (see the module)."""

    def __init__(self, *, scope: str = "all", **kwargs: Any) -> None:
        super().__init__(scope=scope, kind="people", **kwargs)
