"""Fetch a network for a user or raise 404 (never reveal that a members-only network exists)."""

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404

from network.models import Network
from portal.models import FocusArea, Organisation
from portal.rules import can


def network_for(user, slug: str, perm: str = "network.view_network") -> Network:
    network = get_object_or_404(
        Network.objects.prefetch_related(
            Prefetch("regions", queryset=Organisation.objects.order_by("code")),
            Prefetch("focus_areas", queryset=FocusArea.objects.all()),
        ),
        slug=slug,
    )
    if not can(user, perm, network):
        raise Http404
    return network
