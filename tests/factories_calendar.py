"""Factories for networks, events and registrations."""

from datetime import timedelta

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from calendar_app.models import Event, Registration
from network.models import Network, NetworkDocument, NetworkMember
from tests.factories import UserFactory, organisation
from tests.pdfs import PDF_BYTES


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Nätverk {n}")
    slug = factory.Sequence(lambda n: f"natverk-{n}")
    purpose = "Erfarenhetsutbyte och gemensam kompetensutveckling."
    open_to_join = True
    visibility = Network.Visibility.PUBLIC
    status = Network.Status.ACTIVE

    @factory.post_generation
    def regions(obj, create, extracted, **kwargs):
        if create:
            obj.regions.set([organisation(code) for code in (extracted or ["08"])])


def add_member(network, user, *, role=NetworkMember.Role.MEMBER, status=NetworkMember.Status.APPROVED):
    return NetworkMember.objects.create(network=network, user=user, role=role, status=status)


def add_document(network, title="Protokoll", content=PDF_BYTES):
    return NetworkDocument.objects.create(
        network=network,
        title=title,
        file=SimpleUploadedFile("protokoll.pdf", content, content_type="application/pdf"),
        file_kind="pdf",
        size=len(content),
    )


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Fortbildningsdag {n}")
    kind = Event.Kind.TRAINING
    organiser = factory.LazyFunction(lambda: organisation("08"))
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=6))
    place = "Kalmar stadsbibliotek, Tullslätten 4, Kalmar"
    capacity = 30
    status = Event.Status.PUBLISHED
    visibility = Event.Visibility.PUBLIC


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A registration that keeps the event's confirmed count right (use services for flows)."""

    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    name = factory.Faker("name", locale="sv_SE")
    email = factory.Sequence(lambda n: f"deltagare{n}@bibliotek.example.se")
    organisation = factory.LazyFunction(lambda: organisation("0880"))
    status = Registration.Status.CONFIRMED
    consent_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        registration = super()._create(model_class, *args, **kwargs)
        if registration.status == Registration.Status.CONFIRMED:
            Event.objects.filter(pk=registration.event_id).update(
                confirmed_count=Registration.objects.filter(
                    event_id=registration.event_id, status=Registration.Status.CONFIRMED
                ).count()
            )
            registration.event.refresh_from_db()
        return registration


def with_token(registration) -> str:
    token = registration.set_new_cancel_token()
    registration.save(update_fields=["cancel_token_hash"])
    return token


__all__ = ["UserFactory", "EventFactory", "NetworkFactory", "RegistrationFactory"]
