"""Network querysets shared by the list, the network page, the calendar and the reports."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from network.models import Network, NetworkMember
from network.rules import member_network_ids
from portal.models import FocusArea, Organisation
from portal.rules import consultant_region_ids, is_admin


def visible_networks(user) -> QuerySet[Network]:
    """Public networks, plus members-only ones the user belongs to or manages."""
    qs = Network.objects.all()
    if is_admin(user):
        return qs
    condition = Q(visibility=Network.Visibility.PUBLIC)
    mine = member_network_ids(user)
    if mine:
        condition |= Q(pk__in=mine)
    regions = consultant_region_ids(user)
    if regions:
        condition |= Q(regions__in=regions)
    return qs.filter(condition).distinct()


def for_list(qs: QuerySet[Network]) -> QuerySet[Network]:
    return qs.annotate(
        member_count=Count("members", filter=Q(members__status=NetworkMember.Status.APPROVED), distinct=True)
    ).prefetch_related(
        Prefetch("regions", queryset=Organisation.objects.order_by("code")),
        Prefetch("focus_areas", queryset=FocusArea.objects.all()),
    )


def filter_networks(qs: QuerySet[Network], filters: dict) -> QuerySet[Network]:
    if filters.get("region"):
        qs = qs.filter(
            pk__in=Network.regions.through.objects.filter(organisation=filters["region"]).values("network_id")
        )
    if filters.get("focus_area"):
        qs = qs.filter(
            pk__in=Network.focus_areas.through.objects.filter(focusarea=filters["focus_area"]).values(
                "network_id"
            )
        )
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("join"):
        qs = qs.filter(open_to_join=filters["join"] == "open")
    return qs


def members_of(network: Network) -> QuerySet[NetworkMember]:
    return network.members.select_related("user", "organisation").order_by(
        "-role", "user__last_name", "user__first_name"
    )


def networks_of(user) -> QuerySet[NetworkMember]:
    return NetworkMember.objects.filter(user=user).select_related("network").order_by("network__name")


def networks_of_region(region: Organisation) -> list[Network]:
    """The networks the region hosts (alone or with other regions), by name, each with its
    number of approved members as `member_count` (one query)."""
    return list(
        Network.objects.filter(regions=region)
        .annotate(
            member_count=Count(
                "members", filter=Q(members__status=NetworkMember.Status.APPROVED), distinct=True
            )
        )
        .order_by("name")
    )
