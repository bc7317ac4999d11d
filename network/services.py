"""Joining, leaving and managing networks. Each function names its side effects."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from network.models import Network, NetworkDocument, NetworkMember
from network.rules import forget_network_roles
from portal.rules import grants


class NetworkError(Exception):
    """A network action that cannot be done; the message is for the person (translated)."""


def _home_organisation_id(user) -> int | None:
    """The organisation a person represents in a network: their first membership."""
    mine = grants(user)
    return mine[0].organisation_id if mine else None


@transaction.atomic
def create_network(network: Network, *, regions, focus_areas, coordinators, user) -> Network:
    """Create a network; its creator and the named people become its coordinators."""
    network.created_by = user
    network.save()
    network.regions.set(regions)
    network.focus_areas.set(focus_areas)
    for person in {user, *coordinators}:
        NetworkMember.objects.update_or_create(
            network=network,
            user=person,
            defaults={
                "role": NetworkMember.Role.COORDINATOR,
                "status": NetworkMember.Status.APPROVED,
                "organisation_id": _home_organisation_id(person),
            },
        )
    forget_network_roles(user)
    return network


@transaction.atomic
def update_network(network: Network, *, regions, focus_areas, coordinators) -> Network:
    """Save a network; named people become (approved) coordinators."""
    network.save()
    network.regions.set(regions)
    network.focus_areas.set(focus_areas)
    for person in coordinators:
        NetworkMember.objects.update_or_create(
            network=network,
            user=person,
            defaults={
                "role": NetworkMember.Role.COORDINATOR,
                "status": NetworkMember.Status.APPROVED,
                "organisation_id": _home_organisation_id(person),
            },
        )
    return network


def join(network: Network, user) -> NetworkMember:
    """Join an open network, or ask to join one that needs approval (status pending)."""
    if not network.is_active:
        raise NetworkError(_("The network is closed and takes no new members."))
    status = NetworkMember.Status.APPROVED if network.open_to_join else NetworkMember.Status.PENDING
    try:
        with transaction.atomic():
            member = NetworkMember.objects.create(
                network=network, user=user, status=status, organisation_id=_home_organisation_id(user)
            )
    except IntegrityError as error:
        raise NetworkError(_("You are already in this network or have asked to join it.")) from error
    forget_network_roles(user)
    return member


def _lock(network: Network) -> None:
    """Lock the network's row until the transaction ends. Every change that can take away a
    coordinator takes this lock first, so two of them cannot both see "another coordinator
    stays" and both go ahead (locking only the member's own row let two coordinators leave at
    once)."""
    Network.objects.select_for_update().filter(pk=network.pk).first()


def _another_coordinator_stays(network: Network, member: NetworkMember) -> bool:
    return (
        network.members.filter(role=NetworkMember.Role.COORDINATOR, status=NetworkMember.Status.APPROVED)
        .exclude(pk=member.pk)
        .exists()
    )


@transaction.atomic
def leave(network: Network, user) -> None:
    """Leave a network (or withdraw a request). The last coordinator cannot leave.

    Locks the network's row (see `_lock`)."""
    _lock(network)
    member = NetworkMember.objects.filter(network=network, user=user).first()
    if member is None:
        raise NetworkError(_("You are not in this network."))
    if member.is_coordinator and not _another_coordinator_stays(network, member):
        raise NetworkError(_("You are the network's only coordinator. Make someone else coordinator first."))
    member.delete()
    forget_network_roles(user)


@transaction.atomic
def change_member(network: Network, member: NetworkMember, action: str) -> str:
    """approve | decline | remove | make_coordinator | make_member. Returns a message.

    Locks the network's row (see `_lock`) and reads the member again under the lock: the page the
    coordinator acted on may be out of date."""
    name = member.user.get_full_name()
    _lock(network)
    member = NetworkMember.objects.filter(pk=member.pk, network=network).first()
    if member is None:
        raise NetworkError(_("%(name)s is no longer in the network.") % {"name": name})
    if action == "approve":
        member.status = NetworkMember.Status.APPROVED
        member.save(update_fields=["status"])
        return _("%(name)s is now a member.") % {"name": name}
    if action in ("decline", "remove"):
        if member.is_coordinator and not _another_coordinator_stays(network, member):
            raise NetworkError(_("A network needs at least one coordinator."))
        member.delete()
        return _("%(name)s is no longer in the network.") % {"name": name}
    if action == "make_coordinator":
        member.role = NetworkMember.Role.COORDINATOR
        member.status = NetworkMember.Status.APPROVED
        member.save(update_fields=["role", "status"])
        return _("%(name)s is now a coordinator.") % {"name": name}
    if action == "make_member":
        if not _another_coordinator_stays(network, member):
            raise NetworkError(_("A network needs at least one coordinator."))
        member.role = NetworkMember.Role.MEMBER
        member.save(update_fields=["role"])
        return _("%(name)s is now a member without coordinator rights.") % {"name": name}
    raise NetworkError(_("Unknown action."))


def add_document(network: Network, *, title: str, uploaded, kind: str, user) -> NetworkDocument:
    """Store a checked document (see portal.uploads.validate_document)."""
    return NetworkDocument.objects.create(
        network=network, title=title, file=uploaded, file_kind=kind, size=uploaded.size, uploaded_by=user
    )
