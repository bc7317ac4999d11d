"""E-mail after commit (portal.emails.send_after_commit): a mail server that fails never turns a
committed change into an error page, the request does not wait for the mail server, and the
worker tries again later."""

import logging
import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.tasks import default_task_backend
from django.urls import reverse
from django.utils import timezone

from calendar_app.models import Registration
from plans.models import Plan
from portal import emails
from portal.models import Invitation, Notification
from tests.factories import UserFactory, organisation
from tests.factories_calendar import EventFactory
from tests.factories_plans import build_plan

pytestmark = pytest.mark.django_db


class FailingEmailBackend(BaseEmailBackend):
    """A mail server that answers every message with an error."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def failing_mail(settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.test_emails.FailingEmailBackend"}}


@pytest.fixture
def queue(settings):
    """A task backend that keeps what is enqueued (and can defer), like the database queue."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    backend = default_task_backend
    backend.clear()
    return backend


def _failures(caplog) -> list[str]:
    errors = [r for r in caplog.records if r.name == "portal.emails" and r.levelno == logging.ERROR]
    return [r.getMessage() for r in errors]


def test_guest_sign_up_succeeds_when_the_mail_server_fails(
    client, failing_mail, caplog, django_capture_on_commit_callbacks
):
    event = EventFactory(title="Läsfrämjande för de yngsta", capacity=2)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("calendar_app:event_register", args=[event.pk]),
            {
                "name": "Lisa Nord",
                "email": "lisa.nord@torsas.example.se",
                "organisation": organisation("0834").pk,
                "consent": "on",
            },
        )
    assert response.status_code == 302 and response["Location"] == event.get_absolute_url()
    registration = Registration.objects.get(event=event)
    assert registration.email == "lisa.nord@torsas.example.se"
    assert registration.status == Registration.Status.CONFIRMED
    assert _failures(caplog) == ["e-mail registration_confirmed could not be sent (attempt 1)"]


def test_plan_submitted_for_review_when_the_mail_server_fails(
    client, chef, consultant, failing_mail, caplog, django_capture_on_commit_callbacks
):
    plan = build_plan(areas=1, goals=1)
    client.force_login(chef)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("plans:submit", args=[plan.pk]))
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    plan.refresh_from_db()
    assert plan.status == Plan.Status.IN_REVIEW
    assert Notification.objects.filter(user=consultant).count() == 1
    assert _failures(caplog) == ["e-mail notification could not be sent (attempt 1)"]


def test_invitation_is_created_when_the_mail_server_fails(
    client, chef, failing_mail, caplog, django_capture_on_commit_callbacks
):
    client.force_login(chef)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("invite", args=["0880"]),
            {"email": "ny@kalmar.example.se", "first_name": "Nora", "last_name": "Ek", "role": "editor"},
        )
    assert response.status_code == 302
    assert Invitation.objects.pending().filter(email="ny@kalmar.example.se").exists()
    assert _failures(caplog) == ["e-mail invitation could not be sent (attempt 1)"]


def test_a_mail_with_a_one_time_link_is_sent_at_commit_and_never_stored_in_the_queue(
    client, chef, queue, django_capture_on_commit_callbacks
):
    """The queue keeps task arguments in the database; invitation tokens are stored only as a
    hash, so the invitation mail (like cancel links and password resets) bypasses the queue."""
    client.force_login(chef)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            reverse("invite", args=["0880"]),
            {"email": "ny@kalmar.example.se", "first_name": "Nora", "last_name": "Ek", "role": "editor"},
        )
        assert mail.outbox == []  # not before the commit
    assert response.status_code == 302 and len(callbacks) == 1
    assert queue.results == []
    assert mail.outbox[0].to == ["ny@kalmar.example.se"]
    assert "Anna Lindqvist har bjudit in dig" in mail.outbox[0].body
    assert "/inbjudan/" in mail.outbox[0].body


def test_a_mail_without_a_secret_goes_to_the_queue_with_plain_values(
    chef, queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        emails.send_after_commit(
            "notification", chef.email, {"recipient": chef, "text": "Hej", "link": "/x/"}
        )
    assert mail.outbox == []
    [queued] = queue.results
    assert queued.task.module_path == "portal.emails.send_email"
    assert queued.kwargs["context"]["recipient"] == {"__model__": "portal.user", "pk": chef.pk}
    # The worker renders the e-mail from the ids.
    emails.send_email.call(**queued.kwargs)
    assert mail.outbox[0].to == [chef.email]


def test_nothing_is_queued_when_the_change_rolls_back(chef, queue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            emails.send_after_commit(
                "notification", chef.email, {"recipient": chef, "text": "Hej", "link": "/"}
            )
            raise RuntimeError
    assert queue.results == []


def test_unreachable_mail_server_is_tried_again_later(chef, queue, failing_mail, caplog):
    kwargs = {
        "template": "notification",
        "to": chef.email,
        "context": {"recipient": {"__model__": "portal.user", "pk": chef.pk}, "text": "Hej", "link": "/"},
        "language": None,
        "attachments": [],
    }
    emails.send_email.call(**kwargs)
    [retry] = queue.results
    assert retry.kwargs == {**kwargs, "attempt": 2}
    assert abs(retry.task.run_after - (timezone.now() + timedelta(minutes=1))) < timedelta(seconds=5)
    assert _failures(caplog) == []
    # The last attempt gives up: logged, and the task fails (the queue keeps it as failed).
    with pytest.raises(smtplib.SMTPException):
        emails.send_email.call(**kwargs, attempt=len(emails.RETRY_DELAYS) + 1)
    assert len(queue.results) == 1
    assert _failures(caplog) == ["e-mail notification could not be sent (attempt 4)"]


def test_nothing_is_sent_about_an_object_deleted_before_the_worker_ran(
    queue, django_capture_on_commit_callbacks
):
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        emails.send_after_commit(
            "notification", person.email, {"recipient": person, "text": "Hej", "link": "/"}
        )
    [queued] = queue.results
    person.delete()
    emails.send_email.call(**queued.kwargs)
    assert mail.outbox == []


def test_a_context_that_cannot_travel_to_the_worker_fails_at_once(chef):
    with pytest.raises(TypeError):
        emails.send_after_commit("notification", chef.email, {"recipient": chef, "when": timezone.now()})


def test_password_reset_answers_normally_when_the_mail_server_fails(
    client, chef, failing_mail, caplog, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": chef.email})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert _failures(caplog) == ["e-mail password_reset could not be sent (attempt 1)"]


def test_password_reset_link_is_never_stored_in_the_queue(
    client, chef, queue, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": chef.email})
    assert queue.results == []
    assert mailoutbox[0].to == [chef.email] and "/konto/losenord/nytt/" in mailoutbox[0].body


def test_password_reset_mail_speaks_the_language_the_person_chose(
    client, chef, mailoutbox, django_capture_on_commit_callbacks
):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": chef.email})
    assert "Biblioteksportalen" in mailoutbox[0].subject
    assert "Nytt lösenord" not in mailoutbox[0].subject
