"""Access helpers: fetch an object for a user or raise 404 (never reveal that it exists)."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from portal.models import Organisation
from portal.rules import can


def organisation_for(user, code: str, perm: str = "portal.view_organisation") -> Organisation:
    org = get_object_or_404(Organisation.objects.select_related("parent"), code=code)
    if not can(user, perm, org):
        raise Http404
    return org
