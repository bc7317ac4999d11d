"""E-mails as subject/text/html template triples, one small send function each."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def send(
    template: str,
    to: str,
    context: dict,
    language: str | None = None,
    attachments: list[tuple[str, bytes | str, str]] | None = None,
) -> None:
    """Render templates/emails/<template>_{subject.txt,body.txt,body.html} and send them.

    `attachments` are (filename, content, mimetype) triples, e.g. an .ics file.
    """
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
    from django.urls import reverse

    send(
        "invitation",
        invitation.email,
        {
            "invitation": invitation,
            "accept_url": settings.SITE_URL + reverse("invitation_accept", args=[token]),
        },
    )
