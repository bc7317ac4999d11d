"""Multi-step changes to organisations' people: invitations and memberships."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import emails
from portal.models import Invitation, Membership, Organisation, User, UserManager
from portal.rules import forget_grants, invitable_roles


def invite(
    *,
    inviter: User,
    organisation: Organisation,
    email: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
) -> Invitation:
    """Create an invitation and e-mail its single-use link.

    Side effects: revokes earlier pending invitations of the same address to the same
    organisation; sends one e-mail after the transaction commits.
    Raises PermissionDenied if the inviter may not give `role` in `organisation`, and
    ValidationError if the person already has a role there.
    """
    if role not in invitable_roles(inviter, organisation):
        raise PermissionDenied
    email = UserManager.normalize_email(email)
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError(
            {
                "email": _("This person already has a role in %(organisation)s.")
                % {"organisation": organisation}
            }
        )
    with transaction.atomic():
        Invitation.objects.pending().filter(organisation=organisation, email__iexact=email).update(
            revoked_at=timezone.now()
        )
        invitation = Invitation(
            email=email,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            organisation=organisation,
            role=role,
            invited_by=inviter,
        )
        token = invitation.set_new_token()
        invitation.save()
        emails.send_invitation(invitation, token)
    return invitation


def resend(*, inviter: User, invitation: Invitation) -> Invitation:
    """Send a pending invitation again with a fresh token and a new expiry date."""
    if invitation.role not in invitable_roles(inviter, invitation.organisation):
        raise PermissionDenied
    return invite(
        inviter=inviter,
        organisation=invitation.organisation,
        email=invitation.email,
        role=invitation.role,
        first_name=invitation.first_name,
        last_name=invitation.last_name,
    )


def revoke(*, by: User, invitation: Invitation) -> None:
    if invitation.role not in invitable_roles(by, invitation.organisation):
        raise PermissionDenied
    Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(revoked_at=timezone.now())


def find_pending(token: str) -> Invitation | None:
    """The pending invitation for a token, or None if it is unknown, used, revoked or expired."""
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.pending()
        .select_related("organisation", "invited_by")
        .filter(token_hash=Invitation.hash_token(token))
        .first()
    )


class InvitationUnavailable(Exception):
    """The invitation was used, revoked or expired in the meantime."""


@transaction.atomic
def accept(
    *,
    invitation: Invitation,
    user: User | None = None,
    first_name: str = "",
    last_name: str = "",
    password: str = "",
) -> User:
    """Accept an invitation: create the account if needed and give the membership.

    Claiming is a conditional UPDATE, so two concurrent accepts of the same link cannot
    both succeed (works on PostgreSQL and SQLite alike). Raises InvitationUnavailable.
    """
    now = timezone.now()
    claimed = Invitation.objects.pending().filter(pk=invitation.pk).update(accepted_at=now)
    if not claimed:
        raise InvitationUnavailable
    if user is None:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise InvitationUnavailable
        user = User.objects.create_user(
            email=invitation.email, password=password, first_name=first_name, last_name=last_name
        )
    elif user.email.lower() != invitation.email.lower():
        raise InvitationUnavailable
    try:
        with transaction.atomic():
            Membership.objects.create(user=user, organisation=invitation.organisation, role=invitation.role)
    except IntegrityError:
        # Already a member (e.g. invited twice through different links): keep the old role.
        pass
    Invitation.objects.filter(pk=invitation.pk).update(accepted_by=user)
    forget_grants(user)
    return user


def remove_membership(*, by: User, membership: Membership) -> None:
    """Remove a person's role in an organisation (not their account)."""
    if membership.role not in invitable_roles(by, membership.organisation) or membership.user_id == by.pk:
        raise PermissionDenied
    membership.delete()
