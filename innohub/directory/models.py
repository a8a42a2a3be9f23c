"""Ecosystem actors: organisations of the triple helix, the sectors they work in, their people,
the relations between them, applicants' proposed changes waiting for verification, and the
token index that makes Vietnamese search fast.

Search does not use a database-specific full-text engine: every organisation's names and tax
code are folded (no diacritics, lower case, see core.text) and split into tokens stored one per
row in `SearchToken`, indexed with a binary collation so that a prefix is an index range scan
on SQLite and PostgreSQL alike ("khoi ngh" → tokens in [khoi, khoj) and [ngh, ngi)).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from innohub.core.i18n import in_language
from innohub.core.models import TimeStampedModel
from innohub.core.text import fold_diacritics, normalize, search_key, tokenize


class BinaryCharField(models.CharField):
    """A CharField compared byte by byte (C collation on PostgreSQL, SQLite's default BINARY).

    Prefix search turns "abc" into the range [abc, abd); that is only an exact prefix match,
    and only served by the index, under a byte-order collation.
    """

    def db_parameters(self, connection):
        params = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            params["collation"] = "C"
        return params




class Sector(models.Model):
    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name (Vietnamese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return self.name

    def display_name(self, language: str = "vi") -> str:
        return in_language(self.name, self.name_en, language)


class Organisation(TimeStampedModel):
    class Kind(models.TextChoices):
        STARTUP = "startup", _("Startup")
        ACADEMIA = "academia", _("University or institute")
        ENTERPRISE = "enterprise", _("Enterprise")
        INVESTOR = "investor", _("Investor")
        GOVERNMENT = "government", _("Government body")
        SUPPORT = "support", _("Support organisation")
        PARTNER = "partner", _("International partner")

    class Helix(models.TextChoices):
        PUBLIC = "public", _("Public")
        PRIVATE = "private", _("Private")
        ACADEMIA = "academia", _("Academia")

    class Stage(models.TextChoices):
        IDEA = "idea", _("Idea")
        PRE_INCUBATION = "pre_incubation", _("Pre-incubation")
        INCUBATION = "incubation", _("Incubation")
        ACCELERATION = "acceleration", _("Acceleration")
        GROWTH = "growth", _("Growth")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    helix = models.CharField(_("triple-helix side"), max_length=10, choices=Helix.choices)
    name = models.CharField(_("name"), max_length=255)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    tax_code = models.CharField(_("tax code"), max_length=14, blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    # Where it is, as Vietnam's units since 1 July 2025 (innohub.places, keyed by the official
    # codes); ``former_district`` keeps an address given only as a district before that date
    # ("Quận 1" lies in four communes today), for statistics by former area.
    province = models.ForeignKey(
        "places.Province", to_field="code", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("province"),
    )
    commune = models.ForeignKey(
        "places.Commune", to_field="code", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("commune or ward"),
    )
    former_district = models.ForeignKey(
        "places.FormerDistrict", to_field="code", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("former district (before July 2025)"),
    )
    city = models.CharField(_("city"), max_length=80, blank=True)
    country = models.CharField(_("country"), max_length=2, default="VN", db_index=True)
    sectors = models.ManyToManyField(Sector, blank=True, related_name="organisations", verbose_name=_("sectors"))
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, blank=True, db_index=True)
    team_size = models.PositiveIntegerField(_("team size"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("contact e-mail"), blank=True)
    phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    verified = models.BooleanField(_("verified"), default=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    logo = models.FileField(_("logo"), upload_to="directory/logos/", blank=True, max_length=200)
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged_from",
        verbose_name=_("merged into"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("created by"),
    )
    search_text = models.TextField(editable=False, blank=True)
    name_key = models.CharField(max_length=255, editable=False, blank=True, db_index=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["tax_code"], condition=~Q(tax_code=""), name="uniq_org_tax_code_when_present"
            )
        ]
        indexes = [
            models.Index(fields=["archived_at", "name"], name="org_public_by_name"),
            models.Index(fields=["archived_at", "-founded_on"], name="org_public_by_founded"),
            models.Index(fields=["archived_at", "-created_at"], name="org_public_by_created"),
            models.Index(fields=["verified", "archived_at"], name="org_verified"),
            models.Index(fields=["updated_at"], name="org_updated"),  # the search index's fingerprint
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def place_label(self) -> str:
        """"Phường Sài Gòn, Thành phố Hồ Chí Minh", or the province and former district when no
        commune is known ("Thành phố Hồ Chí Minh (former Quận 1)")."""
        commune, province, district = self.commune, self.province, self.former_district
        if commune is not None:
            return f"{commune.name}, {province.name}" if province is not None else commune.name
        if province is not None and district is not None:
            return _("%(province)s (former %(district)s)") % {"province": province.name, "district": district.name}
        return province.name if province is not None else ""

    def refresh_search_text(self) -> None:
        """Folded, lower-case name forms that search matches against (see core.text)."""
        self.search_text = " ".join(
            search_key(part) for part in (self.name, self.name_en, self.short_name) if part
        )
        self.name_key = name_key(self.name)

    def search_tokens(self) -> set[str]:
        """The distinct tokens `SearchToken` holds for this organisation."""
        tokens = set(tokenize(self.search_text))
        if self.tax_code:
            tokens.add(self.tax_code.replace("-", ""))
            tokens.add(self.tax_code[:10])
        return {t[:TOKEN_LENGTH] for t in tokens if t}

    @property
    def is_public(self) -> bool:
        return self.archived_at is None and self.merged_into_id is None

    def display_name(self, language: str = "vi") -> str:
        return in_language(self.name, self.name_en, language)

    def display_description(self, language: str | None = None) -> str:
        """The English description on English pages when there is one (the page's language
        unless told), otherwise the Vietnamese."""
        return in_language(self.description, self.description_en, language)


TOKEN_LENGTH = 40

# Legal forms that say nothing about which organisation it is; left out of the duplicate key.
_LEGAL_FORMS = [
    "cong ty trach nhiem huu han mot thanh vien", "cong ty trach nhiem huu han", "cong ty co phan",
    "cong ty tnhh mtv", "cong ty tnhh", "cong ty cp", "cong ty", "cty tnhh mtv", "cty tnhh", "cty cp", "cty",
    "tnhh", "jsc", "co ltd", "ltd",
]


def name_key(name: str) -> str:
    """A name reduced for duplicate detection: folded, no punctuation, no legal form."""
    key = " ".join(tokenize(fold_diacritics(normalize(name))))
    for form in _LEGAL_FORMS:
        if key.startswith(form + " "):
            key = key[len(form) + 1:]
            break
    return key[:255]


class SearchToken(models.Model):
    """One folded token of an organisation's names or tax code (the search index, see above)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    token = BinaryCharField(max_length=TOKEN_LENGTH)

    class Meta:
        indexes = [models.Index(fields=["token", "organisation"], name="dir_token_prefix")]
        constraints = [models.UniqueConstraint(fields=["organisation", "token"], name="uniq_org_token")]

    def __str__(self) -> str:
        return self.token


class Person(TimeStampedModel):
    """Founders, experts, officials and partner contacts. Contact details are never published."""

    honorific = models.CharField(_("honorific"), max_length=20, blank=True)
    full_name = models.CharField(_("full name"), max_length=200)
    bio = models.TextField(_("short biography"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    search_text = models.CharField(max_length=200, editable=False, blank=True, db_index=True)

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return f"{self.honorific} {self.full_name}".strip()

    def save(self, *args, **kwargs):
        self.search_text = search_key(self.full_name)[:200]
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)


class Position(TimeStampedModel):
    """A person's role at an organisation (founder, director, expert…), with dates."""

    class Kind(models.TextChoices):
        FOUNDER = "founder", _("Founder")
        EXECUTIVE = "executive", _("Executive")
        OFFICIAL = "official", _("Official")
        EXPERT = "expert", _("Expert")
        CONTACT = "contact", _("Contact person")
        MEMBER = "member", _("Team member")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="positions", verbose_name=_("person"))
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="positions", verbose_name=_("organisation"))
    kind = models.CharField(_("kind of role"), max_length=20, choices=Kind.choices, default=Kind.MEMBER)
    title = models.CharField(_("title"), max_length=160, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=160, blank=True)
    started_on = models.DateField(_("from"), null=True, blank=True)
    ended_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["organisation", "kind", "person__full_name"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        indexes = [models.Index(fields=["organisation", "kind"], name="position_by_org")]
        constraints = [
            models.UniqueConstraint(fields=["person", "organisation", "title"], name="uniq_position"),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.title or self.get_kind_display()} ({self.organisation})"

    def display_title(self, language: str | None = None) -> str:
        """The English title on English pages when there is one, otherwise the Vietnamese."""
        return in_language(self.title, self.title_en, language)


class Relation(TimeStampedModel):
    """A relation from one organisation to another: "A is incubated by B", "A invested in B"…"""

    class Kind(models.TextChoices):
        PARTNERSHIP = "partnership", _("Partnership")
        INVESTMENT = "investment", _("Investment")
        INCUBATED_BY = "incubated_by", _("Incubated by")
        MOU = "mou", _("Memorandum of understanding")
        MEMBER_OF = "member_of", _("Member of")

    source = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="relations_out", verbose_name=_("organisation"))
    target = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="relations_in", verbose_name=_("related organisation"))
    kind = models.CharField(_("kind of relation"), max_length=20, choices=Kind.choices)
    started_on = models.DateField(_("from"), null=True, blank=True)
    ended_on = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-started_on", "kind"]
        verbose_name = _("relation")
        verbose_name_plural = _("relations")
        indexes = [models.Index(fields=["target", "kind"], name="relation_by_target")]
        constraints = [
            models.UniqueConstraint(fields=["source", "target", "kind"], name="uniq_relation"),
            models.CheckConstraint(condition=~Q(source=models.F("target")), name="relation_not_to_itself"),
        ]

    def __str__(self) -> str:
        return f"{self.source} → {self.get_kind_display()} → {self.target}"


class ChangeRequest(TimeStampedModel):
    """What an applicant asked for, waiting for an officer: a registration, an edit, a claim."""

    class Kind(models.TextChoices):
        REGISTER = "register", _("Registration")
        EDIT = "edit", _("Edit")
        CLAIM = "claim", _("Claim")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for verification")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING, db_index=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="change_requests", verbose_name=_("organisation"))
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("proposed by"))
    changes = models.JSONField(_("proposed changes"), default=dict, blank=True)
    message = models.TextField(_("message"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        indexes = [models.Index(fields=["state", "-created_at"], name="change_pending")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.organisation}"
