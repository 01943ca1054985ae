import factory

from renda.core.models import Congress, Office, RoleMembership, Street, Unit, User


class CongressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Congress
        django_get_or_create = ["id"]

    id = 1
    name = "济南市泉城区人民代表大会常务委员会"
    short_name = "泉城区人大常委会"
    region = "泉城区"
    term_number = 18
    session_number = 5


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"第{n}工作室")


class StreetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Street
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"测试{n}街道")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"区测试{n}局")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.PostGenerationMethodCall("set_password", "test-password-1")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def grant(user: User, role: str, **scope) -> RoleMembership:
    membership = RoleMembership.objects.create(user=user, role=role, **scope)
    user.__dict__.pop("roles", None)  # roles are cached per user object
    return membership


class Multipart(dict):
    """A request body the role matrix sends as multipart/form-data (file uploads), not JSON."""
