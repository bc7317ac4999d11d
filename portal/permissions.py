"""Every permission question of the portal, answered in one place (django-rules).

Views ask through `user.has_perm("<perm>", obj)` or the access helpers in `portal.access`;
templates get capability booleans computed from the same rules. A user's memberships are
read once per request and cached on the user object, so rules cost no extra queries in lists.
"""

from __future__ import annotations

from dataclasses import dataclass

import rules

from portal.models import Membership, Organisation, Role


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


# --- predicates -------------------------------------------------------------------------


@rules.predicate
def is_admin(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or has_role(user, Role.ADMIN)


@rules.predicate
def is_kb(user) -> bool:
    return has_role(user, Role.KB)


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


def invitable_roles(user, org: Organisation | None) -> list[str]:
    """The roles this user may give to people in `org` (by invitation), in display order.

    A chef invites editors to their own municipality; a consultant invites chefs and editors
    to the region's municipalities and consultants to the region; KB and admins invite
    anyone to any organisation (only admins give the admin role).
    """
    if org is None or not getattr(user, "is_authenticated", False):
        return []
    from portal.models import ROLES_FOR_KIND

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

# --- plans ------------------------------------------------------------------------------

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


@rules.predicate
def plan_is_adopted(user, plan) -> bool:
    return plan is not None and plan.is_adopted


@rules.predicate
def plan_is_editable(user, plan) -> bool:
    return plan is not None and plan.is_editable


@rules.predicate
def writes_plans_of(user, plan) -> bool:
    return plan is not None and can_create_plan_for(user, plan.organisation)


@rules.predicate
def reads_plans_of(user, plan) -> bool:
    """Members of the owning organisation, the region's consultants, KB and admins."""
    return plan is not None and (
        is_admin(user)
        or is_kb(user)
        or is_member_of(user, plan.organisation)
        or is_consultant_for(user, plan.organisation)
    )


@rules.predicate
def adopts_plans_of(user, plan) -> bool:
    """Chefs record their municipality's decisions, consultants their region's; admins any."""
    if plan is None:
        return False
    org = plan.organisation
    if is_admin(user):
        return True
    role = Role.CHEF if org.is_municipality else Role.CONSULTANT
    return org.pk in org_ids_with_role(user, role)


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

# Library plans. Adopted plans are public; drafts only for those who work with them.
rules.add_perm("plans.view_plan", plan_is_adopted | reads_plans_of)
rules.add_perm("plans.view_plan_internals", reads_plans_of)  # history, drafts' attachments
rules.add_perm("plans.edit_plan", plan_is_editable & writes_plans_of)
rules.add_perm("plans.adopt_plan", ~plan_is_adopted & adopts_plans_of)
rules.add_perm("plans.copy_plan", plan_is_adopted & writes_plans_of)
rules.add_perm("plans.restore_version", plan_is_editable & writes_plans_of)

# Reports. The national report is KB's (and the operator's).
rules.add_perm("reports.national", is_admin | is_kb)
# The regional board report: the region's consultants, KB and the operator (object: the region).
rules.add_perm("reports.regional", is_admin | is_kb | (is_region & is_consultant_for))


# Imports (CSV/XLSX). Who may open an import at all; every row is checked again against the
# object it touches (`portal.change_organisation_data`, `portal.invite`, ...).
is_chef_or_consultant = rules.predicate(lambda user: has_role(user, Role.CHEF, Role.CONSULTANT))
rules.add_perm("portal.import_organisations", is_admin | is_kb | is_chef_or_consultant)
rules.add_perm("portal.import_people", is_admin | is_kb | is_chef_or_consultant)
rules.add_perm("portal.import_statistics", is_admin | is_kb | is_chef_or_consultant)
# An organisation's contact details and key figures: its chef, the region's consultants, KB.
rules.add_perm("portal.change_organisation_data", is_admin | is_kb | is_chef_of | is_consultant_for)
rules.add_perm("portal.record_statistics", is_admin | is_kb | is_chef_of | is_consultant_for)


# --- reviews and follow-ups -------------------------------------------------------------


def reviews_plans_of_org(user, org: Organisation | None) -> bool:
    """Municipal plans are reviewed by their region's consultants, regional plans by KB."""
    if org is None or not getattr(user, "is_authenticated", False):
        return False
    if is_admin(user):
        return not org.is_national
    if org.is_municipality:
        return org.parent_id in consultant_region_ids(user)
    if org.is_region:
        return is_kb(user)
    return False


@rules.predicate
def reviews_plans_of(user, plan) -> bool:
    return plan is not None and reviews_plans_of_org(user, plan.organisation)


@rules.predicate
def plan_can_be_submitted(user, plan) -> bool:
    return plan is not None and plan.status in ("draft", "revised")


@rules.predicate
def plan_is_in_review(user, plan) -> bool:
    return plan is not None and plan.status == "in_review"


@rules.predicate
def review_is_open(user, review) -> bool:
    return review is not None and review.is_open


@rules.predicate
def reviews_the_plan_of(user, review) -> bool:
    return review is not None and reviews_plans_of(user, review.plan)


@rules.predicate
def writes_the_plan_of(user, review) -> bool:
    return review is not None and writes_plans_of(user, review.plan)


@rules.predicate
def review_takes_comments(user, review) -> bool:
    """Comments and answers while the review is open or its feedback is being worked on."""
    return (
        review is not None
        and review.state != "withdrawn"
        and review.plan.status in ("in_review", "reviewed", "revised", "draft")
    )


@rules.predicate
def followup_is_editable(user, follow_up) -> bool:
    return follow_up is not None and follow_up.is_editable


@rules.predicate
def followup_is_submitted(user, follow_up) -> bool:
    return follow_up is not None and follow_up.status == "submitted"


@rules.predicate
def writes_plan_of_followup(user, follow_up) -> bool:
    return follow_up is not None and writes_plans_of(user, follow_up.plan)


@rules.predicate
def adopts_plan_of_followup(user, follow_up) -> bool:
    return follow_up is not None and adopts_plans_of(user, follow_up.plan)


@rules.predicate
def reviews_plan_of_followup(user, follow_up) -> bool:
    return follow_up is not None and reviews_plans_of(user, follow_up.plan)


@rules.predicate
def reads_plan_of_followup(user, follow_up) -> bool:
    return follow_up is not None and reads_plans_of(user, follow_up.plan)


@rules.predicate
def is_consultant_of_region(user, org: Organisation | None) -> bool:
    return org is not None and org.is_region and org.pk in consultant_region_ids(user)


@rules.predicate
def records_staircase_of(user, org: Organisation | None) -> bool:
    """Chefs and editors for their municipality, consultants for their region, admins."""
    return org is not None and not org.is_national and can_create_plan_for(user, org)


@rules.predicate
def has_review_duties(user) -> bool:
    return bool(consultant_region_ids(user))


# Submit a draft or revised plan for review (the plan's chef; for regional plans a consultant).
rules.add_perm("plans.submit_plan", plan_can_be_submitted & adopts_plans_of)
rules.add_perm("plans.withdraw_plan", plan_is_in_review & adopts_plans_of)
# Review: assess criteria, comment, close. Only while the plan is in review.
rules.add_perm("plans.review_plan", plan_is_in_review & reviews_plans_of)
rules.add_perm("plans.view_reviews", reads_plans_of)
rules.add_perm("plans.assess", review_is_open & reviews_the_plan_of)
rules.add_perm("plans.comment", review_takes_comments & (reviews_the_plan_of | writes_the_plan_of))
rules.add_perm("plans.start_thread", review_is_open & reviews_the_plan_of)
# Follow-ups of adopted plans.
rules.add_perm("plans.view_followups", reads_plans_of)
rules.add_perm("plans.start_followup", plan_is_adopted & writes_plans_of)
rules.add_perm("plans.view_followup", reads_plan_of_followup)
rules.add_perm("plans.edit_followup", followup_is_editable & writes_plan_of_followup)
rules.add_perm("plans.submit_followup", followup_is_editable & adopts_plan_of_followup)
rules.add_perm("plans.acknowledge_followup", followup_is_submitted & reviews_plan_of_followup)
# The review queue and the region's overview.
rules.add_perm("plans.use_review_queue", is_admin | is_kb | has_review_duties)
rules.add_perm("plans.view_region_overview", is_admin | is_kb | is_consultant_of_region)
# National catalogues: focus areas, quality criteria, indicator definitions, staircase.
rules.add_perm("portal.manage_catalogues", is_admin | is_kb)
# Development staircase.
rules.add_perm("portal.record_staircase", records_staircase_of)
rules.add_perm("portal.view_staircase", is_admin | is_kb | is_member_of | is_consultant_for)


def can(user, perm: str, obj=None) -> bool:
    """Ask the rules above. Unlike `user.has_perm`, superusers get no blanket yes here, so
    state rules (an adopted plan is read-only) hold for the operator too."""
    return rules.has_perm(perm, user, obj)


# =========================================================================================
# Networks and the calendar (issue 5)
#
# Network memberships are read once per user object and cached like `grants`, so these
# rules cost no queries in lists. Objects passed in must have their `organiser` (events)
# and `regions` (networks, prefetched) loaded by the access helpers.
# =========================================================================================


def network_roles(user) -> dict[int, tuple[str, str]]:
    """{network id: (role, status)} for the user's network memberships, read once per user."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, "_network_roles", None)
    if cached is None:
        from network.models import NetworkMember

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
    return {nid for nid, (_role, status) in network_roles(user).items() if status == "approved"}


def coordinated_network_ids(user) -> set[int]:
    return {
        nid
        for nid, (role, status) in network_roles(user).items()
        if role == "coordinator" and status == "approved"
    }


def user_region_ids(user) -> set[int]:
    """Every region the user belongs to through any membership."""
    return {g.region_id for g in grants(user) if g.region_id is not None}


@rules.predicate
def is_consultant(user) -> bool:
    return has_role(user, Role.CONSULTANT)


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
    return network is not None and network.visibility == "public"


@rules.predicate
def is_active_network(user, network) -> bool:
    return network is not None and network.status == "active"


can_manage_network = is_admin | is_network_host_consultant | is_network_coordinator
can_view_network = is_public_network | is_network_member | can_manage_network


@rules.predicate
def is_event_organiser_consultant(user, event) -> bool:
    return event is not None and event.organiser.region_id in consultant_region_ids(user)


@rules.predicate
def is_event_network_coordinator(user, event) -> bool:
    return (
        event is not None
        and event.network_id is not None
        and event.network_id in coordinated_network_ids(user)
    )


@rules.predicate
def is_event_shown(user, event) -> bool:
    """Published or cancelled (a cancelled event stays visible, marked as cancelled)."""
    return event is not None and event.status in ("published", "cancelled")


@rules.predicate
def is_event_audience(user, event) -> bool:
    """Public events are for everyone; members-only events for the network's members, or
    (without a network) for people of the organiser's region."""
    if event is None:
        return False
    if event.visibility == "public":
        return True
    if event.network_id is not None:
        return event.network_id in member_network_ids(user)
    return event.organiser.region_id in user_region_ids(user)


can_manage_event = is_admin | is_event_organiser_consultant | is_event_network_coordinator
can_view_event = (is_event_shown & is_event_audience) | can_manage_event

# Networks
rules.add_perm("network.add_network", is_admin | is_consultant)
rules.add_perm("network.view_network", can_view_network)
rules.add_perm("network.change_network", can_manage_network)
rules.add_perm("network.join_network", rules.is_authenticated & can_view_network & is_active_network)
rules.add_perm("network.view_members", is_network_member | can_manage_network)
rules.add_perm("network.view_documents", can_view_network)
# Calendar
rules.add_perm("calendar_app.add_event", is_admin | is_consultant | is_any_coordinator)
rules.add_perm("calendar_app.import_events", is_admin | is_consultant | is_any_coordinator)
rules.add_perm("calendar_app.view_event", can_view_event)
rules.add_perm("calendar_app.change_event", can_manage_event)
rules.add_perm("calendar_app.view_participants", can_manage_event)
rules.add_perm("calendar_app.register", can_view_event & is_event_shown)
