"""Realistic demo people for trying the portal (used by `manage.py seed_demo`)."""

import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from portal.models import (
    IndicatorDefinition,
    Invitation,
    Membership,
    Organisation,
    Role,
    StatisticValue,
    User,
)

DEMO_PASSWORD = "Bibliotek2026!"
DOMAIN = "example.se"

# (region code, consultants) and (municipality code, people) with (first, last, title, role).
REGIONS = {
    "08": [("Maria", "Holm", "Biblioteksutvecklare"), ("Johan", "Berggren", "Regional bibliotekskonsulent")],
    "17": [
        ("Eva", "Lundgren", "Biblioteksutvecklare"),
        ("Mats", "Karlsson", "Verksamhetsledare regional biblioteksverksamhet"),
    ],
    "06": [("Sara", "Engström", "Regionbibliotekarie")],
}
MUNICIPALITIES = {
    "0880": [
        ("Anna", "Lindqvist", "Bibliotekschef", Role.CHEF),
        ("Erik", "Sandberg", "Bibliotekarie, barn och unga", Role.EDITOR),
    ],
    "0883": [("Karin", "Öberg", "Bibliotekschef", Role.CHEF)],
    "0882": [
        ("Lars", "Nyström", "Kultur- och bibliotekschef", Role.CHEF),
        ("Sofia", "Eklund", "Utvecklingsbibliotekarie", Role.EDITOR),
    ],
    "0881": [("Helena", "Åberg", "Bibliotekschef", Role.CHEF)],
    "1780": [
        ("Peter", "Wallin", "Stadsbibliotekarie", Role.CHEF),
        ("Lina", "Håkansson", "Verksamhetsutvecklare", Role.EDITOR),
    ],
    "1784": [("Cecilia", "Ström", "Bibliotekschef", Role.CHEF)],
    "1737": [("Ola", "Persson", "Bibliotekschef", Role.CHEF)],
    "1781": [("Malin", "Sjöberg", "Bibliotekschef", Role.CHEF)],
    "0680": [
        ("Magnus", "Lind", "Bibliotekschef", Role.CHEF),
        ("Ida", "Forsberg", "Bibliotekarie, läsfrämjande", Role.EDITOR),
    ],
    "0683": [("Jenny", "Blom", "Bibliotekschef", Role.CHEF)],
    "0682": [("Fredrik", "Svensson", "Bibliotekschef", Role.CHEF)],
    "0685": [("Annika", "Hedlund", "Bibliotekschef", Role.CHEF)],
}
KB_PEOPLE = [("Karin", "Ekström", "Handläggare, biblioteksplaner", Role.KB)]
ADMIN = ("Portal", "Förvaltare", "Driftansvarig")
PENDING_INVITATIONS = [("0880", "nils.holmberg", Role.EDITOR), ("1784", "maja.nilsson", Role.EDITOR)]

_ASCII = str.maketrans("åäöéÅÄÖÉ", "aaoeAAOE")


def demo_email(first: str, last: str, org_label: str) -> str:
    return f"{first}.{last}@{org_label}.{DOMAIN}".lower().translate(_ASCII)


def _org_label(org: Organisation) -> str:
    if org.is_national:
        return "kb"
    if org.is_region:
        return "region" + org.code
    return org.name.lower().replace(" ", "")


def _person(first, last, title, org, role, *, superuser=False) -> User:
    email = demo_email(first, last, _org_label(org))
    user, created = User.objects.get_or_create(
        email=email, defaults={"first_name": first, "last_name": last, "title": title}
    )
    if created or not user.has_usable_password():
        user.set_password(DEMO_PASSWORD)
    user.first_name, user.last_name, user.title = first, last, title
    user.is_staff = user.is_superuser = superuser
    user.save()
    Membership.objects.update_or_create(user=user, organisation=org, defaults={"role": role})
    return user


@transaction.atomic
def seed() -> list[tuple[str, str, str]]:
    """Create or update the demo people. Idempotent. Returns (role, organisation, e-mail) rows."""
    orgs = {o.code: o for o in Organisation.objects.all()}
    logins = []
    kb = orgs["KB"]
    admin = _person(*ADMIN, kb, Role.ADMIN, superuser=True)
    logins.append((Role.ADMIN.label, kb.name, admin.email))
    for first, last, title, role in KB_PEOPLE:
        logins.append((role.label, kb.name, _person(first, last, title, kb, role).email))
    for code, people in REGIONS.items():
        for first, last, title in people:
            user = _person(first, last, title, orgs[code], Role.CONSULTANT)
            logins.append((Role.CONSULTANT.label, orgs[code].name, user.email))
    for code, people in MUNICIPALITIES.items():
        for first, last, title, role in people:
            user = _person(first, last, title, orgs[code], role)
            logins.append((role.label, orgs[code].name, user.email))
    consultants = {
        code: User.objects.filter(memberships__organisation=orgs[code]).first() for code in REGIONS
    }
    for code, local, role in PENDING_INVITATIONS:
        org = orgs[code]
        email = f"{local}@{_org_label(org)}.{DOMAIN}"
        if not Invitation.objects.pending().filter(email=email, organisation=org).exists():
            invitation = Invitation(
                email=email, organisation=org, role=role, invited_by=consultants.get(org.parent.code)
            )
            invitation.set_new_token()
            invitation.save()
    seed_library_details(orgs)
    return logins


def seed_library_details(orgs: dict) -> None:
    """Contact details and three years of key figures for the demo municipalities (idempotent;
    the same figures every time, so the demo looks the same on every machine)."""

    last = timezone.localdate().year - 1
    indicators = list(IndicatorDefinition.objects.filter(is_active=True)[:6])
    for code in MUNICIPALITIES:
        org = orgs[code]
        label = _org_label(org)
        Organisation.objects.filter(pk=org.pk, library_name="").update(
            library_name=f"{org.name} stadsbibliotek"
            if code in ("0880", "1780", "0680")
            else f"{org.name} bibliotek",
            website=f"https://{label}.{DOMAIN}/bibliotek",
            email=f"bibliotek@{label}.{DOMAIN}",
        )
        rng = random.Random(code)
        for indicator in indicators:
            value = Decimal(rng.uniform(1, 12)).quantize(Decimal("0.01"))
            for year in range(last - 2, last + 1):
                StatisticValue.objects.get_or_create(
                    organisation=org,
                    indicator=indicator,
                    year=year,
                    defaults={"value": value, "source": indicator.source or "KB Biblioteksstatistik"},
                )
                value = (value * Decimal(rng.uniform(0.85, 1.15))).quantize(Decimal("0.01"))
