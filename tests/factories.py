import factory
from django.utils import timezone

from portal.models import Invitation, Membership, Organisation, Role, User

PASSWORD = "Korrekt-hast-batteri-9"


def organisation(code: str) -> Organisation:
    """Organisations come from the national register loaded on migrate; fetch by SCB code."""
    return Organisation.objects.get(code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@bibliotek.example.se")
    first_name = factory.Faker("first_name", locale="sv_SE")
    last_name = factory.Faker("last_name", locale="sv_SE")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.LazyFunction(lambda: organisation("0880"))
    role = Role.CHEF


class InvitationFactory(factory.django.DjangoModelFactory):
    """An invitation; the plain token is kept on the instance as `.token`."""

    class Meta:
        model = Invitation

    email = factory.Sequence(lambda n: f"invited{n}@bibliotek.example.se")
    organisation = factory.LazyFunction(lambda: organisation("0880"))
    role = Role.EDITOR
    invited_by = None
    expires_at = factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(days=14))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        invitation = model_class(*args, **kwargs)
        invitation.token = invitation.set_new_token()
        invitation.save()
        return invitation


def member(role: str, code: str, **user_fields) -> User:
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, organisation=organisation(code), role=role)
    return user
