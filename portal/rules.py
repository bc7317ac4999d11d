"""The core of every permission question: a person's grants (memberships), the role predicates
built on them, who reviews whom, and `can()`. Each app's own rules live in its `rules.py`
(loaded by django-rules' autodiscovery) and are built from these predicates.

Views ask through `can(user, "<perm>", obj)` or the access helpers; templates get capability
booleans computed from the same rules. A user's memberships are read once per request and
cached on the user object, so rules cost no extra queries in lists.
"""

from __future__ import annotations

from dataclasses import dataclass

import rules

from portal.models import ROLES_FOR_KIND, Membership, Organisation, Role


@dataclass(frozen=True)
class Grant:
    organisation_id: int
    region_id: int | None
    kind: str
    role: str


def grants(user) -> tuple[Grant, ...]:
    """The user's memberships as light tuples, read once per user object."""
    if not getattr(user, "is_authenticated", False):
        return ()
    cached = getattr(user, "_portal_grants", None)
    if cached is None:
        cached = tuple(
            Grant(m.organisation_id, m.organisation.region_id, m.organisation.kind, m.role)
            for m in Membership.objects.filter(user=user).select_related("organisation")
        )
        user._portal_grants = cached
    return cached


def forget_grants(user) -> None:
    """Drop the cached memberships (after a membership is created or removed)."""
    if hasattr(user, "_portal_grants"):
        del user._portal_grants


def has_role(user, *roles: str) -> bool:
    return any(g.role in roles for g in grants(user))


def org_ids_with_role(user, *roles: str) -> set[int]:
    return {g.organisation_id for g in grants(user) if g.role in roles}


def consultant_region_ids(user) -> set[int]:
    return org_ids_with_role(user, Role.CONSULTANT)


def user_region_ids(user) -> set[int]:
    """Every region the user belongs to through any membership."""
    return {g.region_id for g in grants(user) if g.region_id is not None}


# --- predicates -------------------------------------------------------------------------


@rules.predicate
def is_admin(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or has_role(user, Role.ADMIN)


@rules.predicate
def is_kb(user) -> bool:
    return has_role(user, Role.KB)


@rules.predicate
def is_consultant(user) -> bool:
    return has_role(user, Role.CONSULTANT)


@rules.predicate
def is_member_of(user, org: Organisation | None) -> bool:
    return org is not None and any(g.organisation_id == org.pk for g in grants(user))


@rules.predicate
def is_chef_of(user, org: Organisation | None) -> bool:
    return org is not None and org.pk in org_ids_with_role(user, Role.CHEF)


@rules.predicate
def is_consultant_for(user, org: Organisation | None) -> bool:
    """Consultant of the region itself or of the region a municipality belongs to."""
    return org is not None and org.region_id in consultant_region_ids(user)


@rules.predicate
def is_in_region_of(user, org: Organisation | None) -> bool:
    """Member of any organisation in the same region (for regions: its municipalities too)."""
    return (
        org is not None
        and org.region_id is not None
        and any(g.region_id == org.region_id for g in grants(user))
    )


@rules.predicate
def is_region(user, org: Organisation | None) -> bool:
    return org is not None and org.is_region


@rules.predicate
def is_consultant_of_region(user, org: Organisation | None) -> bool:
    return org is not None and org.is_region and org.pk in consultant_region_ids(user)


def invitable_roles(user, org: Organisation | None) -> list[str]:
    """The roles this user may give to people in `org` (by invitation), in display order.

    A chef invites editors to their own municipality; a consultant invites chefs and editors
    to the region's municipalities and consultants to the region; KB and admins invite
    anyone to any organisation (only admins give the admin role).
    """
    if org is None or not getattr(user, "is_authenticated", False):
        return []
    fitting = list(ROLES_FOR_KIND[org.kind])
    if is_admin(user):
        return fitting
    if is_kb(user):
        return [r for r in fitting if r != Role.ADMIN]
    if is_consultant_for(user, org):
        return fitting
    if is_chef_of(user, org):
        return [Role.EDITOR]
    return []


@rules.predicate
def can_invite(user, org: Organisation | None) -> bool:
    return bool(invitable_roles(user, org))


can_view_people = is_admin | is_kb | is_member_of | is_consultant_for | (is_region & is_in_region_of)

# --- an organisation's documents: who writes, who answers for, who reviews ----------------

PLAN_EDITOR_ROLES = (Role.CHEF, Role.EDITOR, Role.CONSULTANT)


def can_create_plan_for(user, org: Organisation | None) -> bool:
    """Chefs and editors write their municipality's plans; consultants their region's."""
    if org is None or not getattr(user, "is_authenticated", False):
        return False
    if is_admin(user):
        return not org.is_national
    return any(
        g.organisation_id == org.pk
        and (
            (org.is_municipality and g.role in (Role.CHEF, Role.EDITOR))
            or (org.is_region and g.role == Role.CONSULTANT)
        )
        for g in grants(user)
    )


def plan_organisations(user) -> list[int]:
    """Ids of the organisations whose plans the user may write."""
    return [g.organisation_id for g in grants(user) if g.role in PLAN_EDITOR_ROLES]


def answers_for(user, org: Organisation) -> bool:
    """Chefs answer for their municipality's plans, consultants for their region's; admins any."""
    if is_admin(user):
        return True
    return org.pk in org_ids_with_role(user, org.owner_role)


def reviews_plans_of_org(user, org: Organisation | None) -> bool:
    """Who reviews whom, the one definition (`Organisation.reviewer_role`): municipal plans are
    reviewed by their region's consultants, regional plans by KB."""
    if org is None or not getattr(user, "is_authenticated", False):
        return False
    if is_admin(user):
        return not org.is_national
    role = org.reviewer_role
    if role == Role.CONSULTANT:
        return org.parent_id in org_ids_with_role(user, role)
    if role == Role.KB:
        return has_role(user, role)
    return False


@rules.predicate
def records_staircase_of(user, org: Organisation | None) -> bool:
    """Chefs and editors for their municipality, consultants for their region, admins."""
    return org is not None and not org.is_national and can_create_plan_for(user, org)


@rules.predicate
def has_review_duties(user) -> bool:
    return bool(consultant_region_ids(user))


is_chef_or_consultant = rules.predicate(lambda user: has_role(user, Role.CHEF, Role.CONSULTANT))

# --- rules ------------------------------------------------------------------------------

# See the people and roles of an organisation.
rules.add_perm("portal.view_people", can_view_people)
# See an organisation's page. Regions are a directory open to everyone logged in;
# municipalities and KB only to those who may see their people (others get 404).
rules.add_perm("portal.view_organisation", rules.is_authenticated & (is_region | can_view_people))
# Invite people to, and manage the invitations and memberships of, an organisation.
rules.add_perm("portal.invite", can_invite)
# The national overview on the dashboard and the whole country's directory statistics.
rules.add_perm("portal.view_national_overview", is_admin | is_kb)

# Imports (CSV/XLSX). Who may open an import at all; every row is checked again against the
# object it touches (`portal.change_organisation_data`, `portal.invite`, ...).
rules.add_perm("portal.import_organisations", is_admin | is_kb | is_chef_or_consultant)
rules.add_perm("portal.import_people", is_admin | is_kb | is_chef_or_consultant)
rules.add_perm("portal.import_statistics", is_admin | is_kb | is_chef_or_consultant)
# An organisation's contact details and key figures: its chef, the region's consultants, KB.
rules.add_perm("portal.change_organisation_data", is_admin | is_kb | is_chef_of | is_consultant_for)
rules.add_perm("portal.record_statistics", is_admin | is_kb | is_chef_of | is_consultant_for)

# National catalogues: focus areas, quality criteria, indicator definitions, staircase.
rules.add_perm("portal.manage_catalogues", is_admin | is_kb)
# Development staircase.
rules.add_perm("portal.record_staircase", records_staircase_of)
rules.add_perm("portal.view_staircase", is_admin | is_kb | is_member_of | is_consultant_for)


def can(user, perm: str, obj=None) -> bool:
    """Ask the rules. Unlike `user.has_perm`, superusers get no blanket yes here, so state rules
    (an adopted plan is read-only) hold for the operator too."""
    return rules.has_perm(perm, user, obj)
