"""E-mails as subject/text/html template triples, one small send function each.

Every e-mail about a change goes through `send_after_commit`: once the transaction commits, the
`send_email` task (django.tasks: the worker of django-tasks-db in production, the immediate
backend in tests and `make run`; an e-mail with a one-time link is sent by this process instead,
see `secret`) renders and sends it. A mail server that fails never turns a
committed change into an error page: the task tries again later where the backend can defer
(the database queue), and logs what it could not send.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import models, transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.json import normalize_json
from django.utils.translation import gettext_lazy as _

log = logging.getLogger(__name__)

# How long to wait before the 2nd, 3rd and 4th attempt when the mail server cannot be reached.
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=10), timedelta(hours=1))

# A model instance in an e-mail's context travels to the task as {MODEL_KEY: label, "pk": pk}.
MODEL_KEY = "__model__"


def send_after_commit(
    template: str,
    to: str,
    context: dict | None = None,
    *,
    language: str | None = None,
    attachments: list[tuple[str, bytes | str, str]] | None = None,
    secret: bool = False,
) -> None:
    """E-mail templates/emails/<template>_* to `to` once the current transaction commits.

    `context` holds saved model instances (they travel as ids and are read again when the
    e-mail is rendered) and JSON values; `attachments` are (filename, content, mimetype)
    triples whose content is text or UTF-8 bytes (an .ics file, say).
    Side effect: enqueues `send_email` on commit, so a rolled-back change sends nothing;
    outside a transaction it is enqueued at once. Raises TypeError at once for a context that
    cannot travel (an unsaved object, a datetime); after commit it never raises.

    `secret=True` for an e-mail that carries a one-time link (an invitation, a cancel link, a
    password reset): such a link must never be stored, and the queue keeps a task's arguments
    in the database, so this e-mail is rendered and sent by this process right after commit
    instead. A failing mail server is logged, never raised (there is no later attempt; the
    person can ask for a new link).
    """
    if secret:

        def send_now():
            try:
                _send(template, to, context or {}, language=language, attachments=attachments)
            except Exception:
                log.exception("e-mail %s could not be sent (attempt 1)", template)

        transaction.on_commit(send_now, robust=True)
        return
    kwargs = normalize_json(
        {
            "template": template,
            "to": to,
            "context": {key: _reference(value) for key, value in (context or {}).items()},
            "language": language,
            "attachments": attachments or [],
        }
    )

    def enqueue_email():
        send_email.enqueue(**kwargs)

    transaction.on_commit(enqueue_email, robust=True)


@task()
def send_email(
    *,
    template: str,
    to: str,
    context: dict,
    language: str | None,
    attachments: list[list[str]],
    attempt: int = 1,
) -> None:
    """Background: render and send one e-mail queued by `send_after_commit`.

    Nothing is sent when an object it is about has been deleted since. When the mail server
    cannot be reached the task is queued again for later (backends that can defer), up to
    len(RETRY_DELAYS) times; the last failure is logged and fails the task.
    """
    try:
        resolved = {key: _resolve(value) for key, value in context.items()}
    except ObjectDoesNotExist:
        log.info("e-mail %s not sent: what it is about has been deleted", template)
        return
    try:
        _send(template, to, resolved, language=language, attachments=attachments)
    except OSError:  # smtplib.SMTPException, refused connections and timeouts are all OSErrors
        backend = send_email.get_backend()
        if attempt <= len(RETRY_DELAYS) and backend.supports_defer:
            log.warning("e-mail %s failed (attempt %s), trying again later", template, attempt, exc_info=True)
            send_email.using(run_after=timezone.now() + RETRY_DELAYS[attempt - 1]).enqueue(
                template=template,
                to=to,
                context=context,
                language=language,
                attachments=attachments,
                attempt=attempt + 1,
            )
            return
        log.exception("e-mail %s could not be sent (attempt %s)", template, attempt)
        raise
    except Exception:
        log.exception("e-mail %s could not be rendered or sent", template)
        raise


def _reference(value):
    if isinstance(value, models.Model):
        if value.pk is None:
            raise TypeError(f"An unsaved {value._meta.label} cannot travel to the e-mail task.")
        return {MODEL_KEY: value._meta.label_lower, "pk": value.pk}
    return value


def _resolve(value):
    if isinstance(value, dict) and MODEL_KEY in value:
        return apps.get_model(value[MODEL_KEY])._default_manager.get(pk=value["pk"])
    return value


def _send(
    template: str,
    to: str,
    context: dict,
    *,
    language: str | None = None,
    attachments: list | None = None,
) -> None:
    """Render templates/emails/<template>_{subject.txt,body.txt,body.html} and send them now."""
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
        text = render_to_string(f"emails/{template}_body.txt", context)
        html = render_to_string(f"emails/{template}_body.html", context)
    message = EmailMultiAlternatives(subject=" ".join(subject.split()), body=text, to=[to])
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments or ():
        message.attach(filename, content, mimetype)
    message.send()


def send_invitation(invitation, token: str) -> None:
    """After commit: the invitation with its single-use link (the token is not stored)."""
    send_after_commit(
        "invitation",
        invitation.email,
        {
            "invitation": invitation,
            "accept_url": settings.SITE_URL + reverse("invitation_accept", args=[token]),
        },
        secret=True,
    )


# --- addresses people type ------------------------------------------------------------------

# Top-level domains that never reach a mailbox on the internet (RFC 2606, 6761, 6762).
RESERVED_TOP_LEVEL_DOMAINS = frozenset({"localhost", "local", "invalid", "test", "example"})


def validate_deliverable_address(value: str) -> None:
    """The validator of every e-mail address a guest or an inviter types (a registration, an
    invitation, an imported person): the portal mails it, so it must be at a real domain.

    Django's own check (run first by `forms.EmailField`; this one is silent where that one
    already refuses) lets `name@localhost` and IP literals such as `name@[127.0.0.1]` through:
    mail to them goes to the portal's own machine or past the mail relay's checks.
    """
    try:
        validate_email(value)
    except ValidationError:
        return
    domain = value.rsplit("@", 1)[1].rstrip(".").casefold()
    if domain.startswith("[") or "." not in domain or domain.rsplit(".", 1)[1] in RESERVED_TOP_LEVEL_DOMAINS:
        raise ValidationError(
            _(
                "Enter an e-mail address at a real domain, such as name@kommun.se "
                "(not localhost or an IP address)."
            ),
            code="undeliverable",
        )
