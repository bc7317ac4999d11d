"""Who may see, join and run networks (django-rules, loaded by autodiscovery).

Network memberships are read once per user object and cached like `portal.rules.grants`, so
these rules cost no queries in lists. Networks passed in must have their `regions` prefetched
(the access helper does). `network.queries.visible_networks` is the queryset twin of
`network.view_network`.
"""

from __future__ import annotations

import rules

from network.models import Network, NetworkMember
from portal.rules import consultant_region_ids, is_admin, is_consultant


def network_roles(user) -> dict[int, tuple[str, str]]:
    """{network id: (role, status)} for the user's network memberships, read once per user."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, "_network_roles", None)
    if cached is None:
        cached = {
            network_id: (role, status)
            for network_id, role, status in NetworkMember.objects.filter(user=user).values_list(
                "network_id", "role", "status"
            )
        }
        user._network_roles = cached
    return cached


def forget_network_roles(user) -> None:
    if hasattr(user, "_network_roles"):
        del user._network_roles


def member_network_ids(user) -> set[int]:
    """Networks the user is an approved member (or coordinator) of."""
    return {
        nid for nid, (_role, status) in network_roles(user).items() if status == NetworkMember.Status.APPROVED
    }


def coordinated_network_ids(user) -> set[int]:
    return {
        nid
        for nid, (role, status) in network_roles(user).items()
        if role == NetworkMember.Role.COORDINATOR and status == NetworkMember.Status.APPROVED
    }


def host_region_scope(user, network: Network | None = None) -> set[int] | None:
    """The regions this user may name as a network's hosts: None for any region (admins, and
    the coordinators of an existing network), else the regions they are consultant of."""
    if is_admin(user) or (network is not None and network.pk in coordinated_network_ids(user)):
        return None
    return consultant_region_ids(user)


@rules.predicate
def is_any_coordinator(user) -> bool:
    return bool(coordinated_network_ids(user))


@rules.predicate
def is_network_member(user, network) -> bool:
    return network is not None and network.pk in member_network_ids(user)


@rules.predicate
def is_network_coordinator(user, network) -> bool:
    return network is not None and network.pk in coordinated_network_ids(user)


@rules.predicate
def is_network_host_consultant(user, network) -> bool:
    regions = consultant_region_ids(user)
    return network is not None and bool(regions) and any(r.pk in regions for r in network.regions.all())


@rules.predicate
def is_public_network(user, network) -> bool:
    return network is not None and network.visibility == Network.Visibility.PUBLIC


@rules.predicate
def is_active_network(user, network) -> bool:
    return network is not None and network.status == Network.Status.ACTIVE


can_manage_network = is_admin | is_network_host_consultant | is_network_coordinator
can_view_network = is_public_network | is_network_member | can_manage_network

rules.add_perm("network.add_network", is_admin | is_consultant)
rules.add_perm("network.view_network", can_view_network)
rules.add_perm("network.change_network", can_manage_network)
rules.add_perm("network.join_network", rules.is_authenticated & can_view_network & is_active_network)
rules.add_perm("network.view_members", is_network_member | can_manage_network)
rules.add_perm("network.view_documents", can_view_network)
