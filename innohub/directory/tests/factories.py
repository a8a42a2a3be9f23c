"""Factories for organisations, sectors, people, positions and relations."""

import factory

from innohub.directory.models import Organisation, Person, Position, Relation, Sector


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
    province_id = "79"
    commune_id = "26740"  # Phường Sài Gòn
    city = "TP. Hồ Chí Minh"
    stage = Organisation.Stage.INCUBATION

    @factory.post_generation
    def search(obj, create, extracted, **kwargs):
        obj.refresh_search_text()
        if create:
            from innohub.directory.services import organisation_index

            obj.save(update_fields=["search_text", "name_key"])
            organisation_index(organisation=obj)

    @factory.post_generation
    def with_sectors(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.sectors.set(extracted)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    honorific = "Ông"
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn {n}")


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    kind = Position.Kind.FOUNDER
    title = "CEO"


class RelationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Relation

    source = factory.SubFactory(OrganisationFactory)
    target = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.SUPPORT, stage="")
    kind = Relation.Kind.INCUBATED_BY
