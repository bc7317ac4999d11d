"""In-portal notifications (with unread count in the header) plus the matching e-mail."""

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from portal import emails
from portal.models import Membership, Notification, Organisation, User


def notify(users, *, text: str, url: str, template: str = "notification", context: dict | None = None) -> int:
    """Add a notification for each user and e-mail them once the transaction commits.

    Side effects: Notification rows; one e-mail each after commit (`emails.send_after_commit`),
    so a rolled-back transition sends nothing. Returns the number of people notified.
    """
    people = {u.pk: u for u in users if u is not None and u.is_active}
    if not people:
        return 0
    Notification.objects.bulk_create(Notification(user_id=pk, text=text[:300], url=url) for pk in people)
    User.objects.filter(pk__in=people).update(unread_notification_count=F("unread_notification_count") + 1)
    mail_context = {"text": text, "link": settings.SITE_URL + url, **(context or {})}
    for user in people.values():
        emails.send_after_commit(template, user.email, {"recipient": user, **mail_context})
    return len(people)


@transaction.atomic
def mark_read(user, notification_ids=None) -> int:
    """Mark the user's (given) notifications read. Side effect: refreshes the unread count."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    count = qs.update(read_at=timezone.now())
    unread = Notification.objects.filter(user=user, read_at__isnull=True).count()
    User.objects.filter(pk=user.pk).update(unread_notification_count=unread)
    user.unread_notification_count = unread
    return count


def mark_read_for(user, url: str) -> int:
    """Reading the page a notification points to marks it read (no query when none is unread)."""
    if not getattr(user, "unread_notification_count", 0):
        return 0
    ids = list(
        Notification.objects.filter(user=user, read_at__isnull=True, url__startswith=url).values_list(
            "pk", flat=True
        )
    )
    return mark_read(user, ids) if ids else 0


def people_with_role(org_ids, *roles: str):
    return [
        m.user
        for m in Membership.objects.filter(organisation_id__in=org_ids, role__in=roles).select_related("user")
    ]


def reviewers_of(org: Organisation):
    """Who reviews this organisation's plans (`Organisation.reviewer_role`)."""
    return people_with_role(org.reviewing_organisations().values("pk"), org.reviewer_role)


def owners_of(org: Organisation):
    """Who answers for this organisation's plans (`Organisation.owner_role`)."""
    return people_with_role([org.pk], org.owner_role)
