"""Factories for organisations and sectors."""

import factory

from innohub.directory.models import Organisation, Sector


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"sector-{n}")
    name = factory.Sequence(lambda n: f"Lĩnh vực {n}")
    name_en = factory.Sequence(lambda n: f"Sector {n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    kind = Organisation.Kind.STARTUP
    helix = Organisation.Helix.PRIVATE
    name = factory.Sequence(lambda n: f"Công ty Cổ phần Công nghệ Sáng Tạo {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")
    district = "Quận 1"
    city = "TP. Hồ Chí Minh"
    stage = Organisation.Stage.INCUBATION

    @factory.post_generation
    def search(obj, create, extracted, **kwargs):
        obj.refresh_search_text()
        if create:
            obj.save(update_fields=["search_text"])
