import datetime

import factory

from renda.deputies.models import Deputy, Group, Level, Mandate
from tests.core.factories import StreetFactory


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    name = factory.Sequence(lambda n: f"第{n}代表小组")
    street = factory.SubFactory(StreetFactory)
    term_number = 18


class DeputyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deputy

    full_name = factory.Sequence(lambda n: f"王{n}")
    gender = "M"
    birth_date = datetime.date(1975, 5, 1)
    party = "cpc"
    occupation_category = "professional"
    work_position = "区人民医院主任医师"
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    id_number = ""


class MandateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mandate

    deputy = factory.SubFactory(DeputyFactory)
    level = Level.DISTRICT
    term_number = 18
    electoral_unit = "第1选区"
    street = factory.SubFactory(StreetFactory)
    group = None
    started_on = datetime.date(2022, 1, 6)
