"""Reusable querysets for organisations and people; lists and dashboards share them."""

from django.db.models import Count, Prefetch, Q, QuerySet

from portal.models import Invitation, Membership, Organisation, Role


def regions_overview() -> QuerySet[Organisation]:
    """All regions with their number of municipalities, municipalities with a chef and consultants."""
    return (
        Organisation.objects.filter(kind=Organisation.Kind.REGION)
        .annotate(
            municipality_count=Count("children", distinct=True),
            municipalities_with_chef=Count(
                "children", filter=Q(children__memberships__role=Role.CHEF), distinct=True
            ),
            consultant_count=Count("memberships", filter=Q(memberships__role=Role.CONSULTANT), distinct=True),
        )
        .order_by("code")
    )


def municipalities_of(region: Organisation) -> QuerySet[Organisation]:
    """The region's municipalities with their chefs and their number of people (2 queries)."""
    return (
        Organisation.objects.filter(parent=region)
        .annotate(people_count=Count("memberships", distinct=True))
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(role=Role.CHEF).with_people(),
                to_attr="chef_memberships",
            )
        )
        .order_by("name")
    )


def people_of(org: Organisation) -> QuerySet[Membership]:
    return Membership.objects.filter(organisation=org).with_people()


def pending_invitations_of(org: Organisation) -> QuerySet[Invitation]:
    return Invitation.objects.pending().filter(organisation=org).select_related("invited_by")
