"""Demo networks and a year of realistic events with registrations (`manage.py seed_demo`).

Networks are created or updated by their web address. Events are created once (the first
time there are no events for the demo regions), spread from six months back to six months
ahead of that day, with registrations, waiting lists and attendance for past events.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from calendar_app.models import Event, Registration
from network.models import Network, NetworkDocument, NetworkMember
from portal.models import FocusArea, Membership, Organisation, Role, User

# (slug, name, region codes, focus area slugs, open_to_join, visibility, purpose)
NETWORKS = [
    (
        "barnbibliotekarier-kalmar-lan",
        "Barnbibliotekarier i Kalmar län",
        ["08"],
        ["barn-och-unga", "lasframjande-och-spraklig-mangfald"],
        True,
        "public",
        "Ett nätverk för alla som arbetar med barn och unga på länets folkbibliotek. Vi träffas fyra "
        "gånger om året för erfarenhetsutbyte, bokprat och fortbildning om läsfrämjande för de yngsta.",
    ),
    (
        "interkulturellt-arbete-kalmar-lan",
        "Interkulturellt arbete i Kalmar län",
        ["08"],
        ["nationella-minoriteter-och-andra-modersmal", "lasframjande-och-spraklig-mangfald"],
        False,
        "public",
        "Nätverket samlar bibliotekarier som arbetar med mångspråk, nationella minoriteter och "
        "nyanlända. Språkcaféer, medier på andra språk och samarbete med studieförbund.",
    ),
    (
        "sydostra-samverkan",
        "Sydöstra samverkan – Kalmar, Blekinge och Kronoberg",
        ["08", "10", "07"],
        ["fordjupad-samverkan-mellan-bibliotek", "kompetensutveckling"],
        True,
        "public",
        "Tre län i sydöstra Sverige driver gemensam kompetensutveckling för folkbibliotekens personal: "
        "en årlig konferens, gemensamma webbinarier och utbyte mellan länens biblioteksutvecklare.",
    ),
    (
        "bibliotekschefer-kalmar-lan",
        "Bibliotekschefer i Kalmar län",
        ["08"],
        ["biblioteket-i-samhallet-och-demokrati", "fordjupad-samverkan-mellan-bibliotek"],
        False,
        "members",
        "Länets bibliotekschefer och Regionbiblioteket: biblioteksplaner, gemensamma upphandlingar och "
        "strategiska frågor. Protokoll och underlag delas bara med medlemmarna.",
    ),
    (
        "barn-och-unga-varmland",
        "Barn- och ungdomsbibliotekarier i Värmland",
        ["17"],
        ["barn-och-unga", "skolbibliotek"],
        True,
        "public",
        "Värmlands nätverk för barn- och ungdomsbibliotekarier: läsfrämjande, Sommarboken och "
        "samarbete med skolbiblioteken.",
    ),
    (
        "digital-delaktighet-varmland",
        "Digital delaktighet i Värmland",
        ["17"],
        ["digital-delaktighet-och-digital-transformation"],
        True,
        "public",
        "Digitala guider, AI och källkritik på biblioteken i Värmland. Vi delar metoder och material för "
        "att stödja invånarnas digitala delaktighet.",
    ),
    (
        "lasframjande-jonkopings-lan",
        "Läsfrämjande nätverket i Jönköpings län",
        ["06"],
        ["lasframjande-och-spraklig-mangfald", "barn-och-unga"],
        True,
        "public",
        "För bibliotekarier som arbetar med läsfrämjande i alla åldrar: läsombud, bokcirklar och "
        "lättläst i Jönköpings län.",
    ),
    (
        "interkulturellt-jonkopings-lan",
        "Interkulturellt nätverk i Jönköpings län",
        ["06"],
        ["nationella-minoriteter-och-andra-modersmal", "tillganglighet"],
        False,
        "public",
        "Mångspråkigt biblioteksarbete i Jönköpings län: medier på andra språk, språkcaféer och "
        "samarbete med SFI.",
    ),
]

# (title, kind, focus areas, hours, capacity, audience, description)
EVENT_TEMPLATES = [
    (
        "Bokprat för de yngsta – metoder och bokval",
        "training",
        ["barn-och-unga"],
        3,
        25,
        "Barnbibliotekarier",
        "Vi provar bokprat för barn 0–6 år och går igenom årets bilderböcker.",
    ),
    (
        "Språkcafé i praktiken",
        "workshop",
        ["lasframjande-och-spraklig-mangfald"],
        3,
        20,
        "Bibliotekspersonal",
        "Hur startar och driver man ett språkcafé? Erfarenheter från länets bibliotek.",
    ),
    (
        "AI i folkbiblioteket",
        "webinar",
        ["digital-delaktighet-och-digital-transformation"],
        2,
        100,
        "All bibliotekspersonal",
        "Vad betyder generativ AI för bibliotekens uppdrag, och hur guidar vi invånarna?",
    ),
    (
        "Meröppna bibliotek – bemötande och säkerhet",
        "training",
        ["tillganglighet"],
        6,
        30,
        "Bibliotekspersonal och chefer",
        "Erfarenheter av meröppet, säkerhetsfrågor och bemötande.",
    ),
    (
        "Lättläst – att välja och förmedla",
        "training",
        ["personer-med-funktionsnedsattning"],
        4,
        25,
        "Bibliotekspersonal",
        "Om lättlästa medier, Legimus och talböcker för dem som behöver dem.",
    ),
    (
        "Nationella minoriteter i biblioteket",
        "training",
        ["nationella-minoriteter-och-andra-modersmal"],
        5,
        30,
        "Bibliotekspersonal",
        "Samiska, finska, meänkieli, romani chib och jiddisch: medier, rättigheter och samarbeten.",
    ),
    (
        "Sommarboken – uppstartsträff",
        "network_meeting",
        ["barn-och-unga"],
        3,
        30,
        "Barnbibliotekarier",
        "Vi planerar årets sommarläsning tillsammans.",
    ),
    (
        "Källkritik och MIK för vuxna",
        "webinar",
        ["biblioteket-i-samhallet-och-demokrati"],
        2,
        80,
        "All bibliotekspersonal",
        "Medie- och informationskunnighet: metoder för att stödja vuxna invånare.",
    ),
    (
        "Skolbibliotekets pedagogiska roll",
        "training",
        ["skolbibliotek"],
        5,
        30,
        "Skolbibliotekarier och folkbibliotekarier",
        "Samverkan mellan skolbibliotek och folkbibliotek.",
    ),
    (
        "Biblioteksplanen i praktiken",
        "workshop",
        ["fordjupad-samverkan-mellan-bibliotek"],
        4,
        20,
        "Bibliotekschefer",
        "Från plan till verksamhet: mål, uppföljning och nyckeltal.",
    ),
    (
        "Digitala guider – fortsättningskurs",
        "training",
        ["digital-delaktighet-och-digital-transformation"],
        6,
        20,
        "Digitala guider",
        "E-legitimation, bedrägerier på nätet och hur man lär ut digitala tjänster.",
    ),
    (
        "Framtidens folkbibliotek – regional konferens",
        "conference",
        ["kompetensutveckling"],
        7,
        150,
        "All bibliotekspersonal",
        "Föreläsningar och seminarier om folkbibliotekens roll i samhället.",
    ),
]

MEETING_TOPICS = [
    "erfarenhetsutbyte och planering",
    "årets bokprovning",
    "läsfrämjande för nyanlända",
    "uppföljning av verksamhetsplanen",
    "digitala verktyg i vardagen",
    "studiebesök och omvärldsspaning",
    "gemensam fortbildning i höst",
    "samarbete med skolbiblioteken",
]
MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)

PLACES = {
    "08": [
        "Kalmar stadsbibliotek, Tullslätten 4, Kalmar",
        "Regionens hus, Nygatan 34, Kalmar",
        "Västerviks stadsbibliotek, Spötorget, Västervik",
    ],
    "17": [
        "Karlstads stadsbibliotek, Västra Torggatan 26, Karlstad",
        "Arvika bibliotek, Torggatan, Arvika",
        "Region Värmland, Residensgatan 10, Karlstad",
    ],
    "06": [
        "Jönköpings stadsbibliotek, Dag Hammarskjölds plats 1, Jönköping",
        "Nässjö bibliotek, Storgatan 22, Nässjö",
        "Region Jönköpings län, Kulturhuset Spira, Jönköping",
    ],
}
GUESTS = [
    "Lena Axelsson",
    "Oskar Bergström",
    "Fatima Hassan",
    "Jonas Lindberg",
    "Elin Mårtensson",
    "Ahmed Yusuf",
    "Kristina Nilsson",
    "Tove Sjöberg",
    "Mikael Holmgren",
    "Sanna Åkesson",
    "Johanna Palm",
    "Niklas Wikström",
    "Emma Hedberg",
    "Pia Lundqvist",
    "David Forsman",
    "Hanna Ek",
    "Marie Dahl",
    "Reza Karimi",
    "Ulla Björk",
    "Viktor Nordin",
]
_ASCII = str.maketrans("åäöéÅÄÖÉ", "aaoeAAOE")


def _people_of_region(code: str) -> tuple[list[User], list[User]]:
    """(the region's consultants, the staff of its municipalities)."""
    consultants = User.objects.filter(memberships__organisation__code=code, memberships__role=Role.CONSULTANT)
    staff = User.objects.filter(memberships__organisation__parent__code=code).distinct().order_by("email")
    return list(consultants.order_by("email")), list(staff)


@transaction.atomic
def seed_networks() -> list[Network]:
    networks = []
    areas = {a.slug: a for a in FocusArea.objects.all()}
    regions = {o.code: o for o in Organisation.objects.filter(kind=Organisation.Kind.REGION)}
    for slug, name, codes, area_slugs, open_to_join, visibility, purpose in NETWORKS:
        network, _ = Network.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "purpose": purpose,
                "open_to_join": open_to_join,
                "visibility": visibility,
            },
        )
        network.regions.set([regions[c] for c in codes])
        network.focus_areas.set([areas[s] for s in area_slugs if s in areas])
        consultants, staff = _people_of_region(codes[0])
        for user in consultants:
            membership = user.memberships.filter(organisation__code=codes[0]).first()
            NetworkMember.objects.update_or_create(
                network=network,
                user=user,
                defaults={
                    "role": NetworkMember.Role.COORDINATOR,
                    "status": "approved",
                    "organisation": membership.organisation if membership else None,
                },
            )
        for i, user in enumerate(staff):
            if slug.startswith("bibliotekschefer") and not user.memberships.filter(role=Role.CHEF).exists():
                continue
            membership = Membership.objects.filter(user=user).select_related("organisation").first()
            status = "pending" if (not open_to_join and i == len(staff) - 1) else "approved"
            NetworkMember.objects.get_or_create(
                network=network,
                user=user,
                defaults={"status": status, "organisation": membership.organisation if membership else None},
            )
        if not network.documents.exists():
            NetworkDocument.objects.create(
                network=network,
                title="Minnesanteckningar från senaste träffen",
                file=ContentFile(MINIMAL_PDF, name="minnesanteckningar.pdf"),
                file_kind="pdf",
                size=len(MINIMAL_PDF),
                uploaded_by=consultants[0] if consultants else None,
            )
        networks.append(network)
    return networks


@transaction.atomic
def seed_events(today=None) -> int:
    """A year of events for the demo regions (once). Returns how many were created."""
    regions = {o.code: o for o in Organisation.objects.filter(code__in=PLACES)}
    if Event.objects.filter(organiser__in=regions.values()).exists():
        return 0
    rng = random.Random(2026)
    today = today or timezone.localdate()
    areas = {a.slug: a for a in FocusArea.objects.all()}
    networks_by_region = {
        code: list(Network.objects.filter(regions__code=code).distinct()) for code in regions
    }
    municipalities = {code: list(Organisation.objects.filter(parent__code=code)) for code in regions}
    created = 0
    for code, region in regions.items():
        consultants, staff = _people_of_region(code)
        creator = consultants[0] if consultants else None
        day = today - timedelta(days=182)
        while day < today + timedelta(days=182):
            day += timedelta(days=rng.randint(8, 16))
            if day.weekday() >= 5:
                day += timedelta(days=7 - day.weekday())
            title, kind, area_slugs, hours, capacity, audience, description = rng.choice(EVENT_TEMPLATES)
            network = None
            if networks_by_region[code] and rng.random() < 0.45:
                network = rng.choice(networks_by_region[code])
                kind = "network_meeting"
                title = f"Nätverksträff – {rng.choice(MEETING_TOPICS)}"
                capacity = 25
                audience = "Nätverkets medlemmar"
            start_hour = 13 if hours <= 3 and rng.random() < 0.5 else 9
            starts = timezone.make_aware(datetime.combine(day, time(start_hour, 0)))
            ends = starts + timedelta(hours=hours)
            online = kind == "webinar"
            event = Event.objects.create(
                title=title,
                kind=kind,
                organiser=region,
                network=network,
                starts_at=starts,
                ends_at=ends,
                place="" if online else rng.choice(PLACES[code]),
                online_url="https://mote.example.se/" + str(rng.randint(100000, 999999)) if online else "",
                audience=audience,
                description=description,
                capacity=capacity,
                registration_closes_at=starts - timedelta(days=3),
                visibility=network.visibility if network else Event.Visibility.PUBLIC,
                status=Event.Status.PUBLISHED,
                created_by=creator,
            )
            event.focus_areas.set([areas[s] for s in area_slugs if s in areas])
            _register_demo_people(event, rng, staff, municipalities[code], today)
            created += 1
        # One cancelled event and one draft per region, so that both states can be seen.
        cancelled = Event.objects.filter(organiser=region, starts_at__date__gt=today).order_by("starts_at")[
            2:3
        ]
        for event in cancelled:
            event.status = Event.Status.CANCELLED
            event.sequence = 1
            event.save(update_fields=["status", "sequence"])
        Event.objects.create(
            title="Planeringsdag för länets biblioteksutvecklare (utkast)",
            kind="workshop",
            organiser=region,
            starts_at=timezone.make_aware(datetime.combine(today + timedelta(days=60), time(9))),
            ends_at=timezone.make_aware(datetime.combine(today + timedelta(days=60), time(15))),
            place=PLACES[code][0],
            capacity=15,
            status=Event.Status.DRAFT,
            created_by=creator,
        )
    return created


def _register_demo_people(event, rng, staff, municipalities, today) -> None:
    past = event.starts_at.date() < today
    wanted = min(len(GUESTS) + len(staff), int(event.capacity * rng.uniform(0.4, 1.3)))
    people = [(u.get_full_name(), u.email, u) for u in rng.sample(staff, min(len(staff), 3))]
    for name in rng.sample(GUESTS, min(len(GUESTS), max(wanted - len(people), 0))):
        local = name.lower().translate(_ASCII).replace(" ", ".")
        people.append((name, f"{local}@{rng.choice(['bibliotek', 'kommun'])}.example.se", None))
    if not past and rng.random() < 0.25 and len(people) > 8:
        # Popular: full, with a waiting list.
        event.capacity = len(people) - rng.randint(2, 4)
        Event.objects.filter(pk=event.pk).update(capacity=event.capacity)
    confirmed = 0
    registrations = []
    for i, (name, email, user) in enumerate(people):
        status = (
            Registration.Status.CONFIRMED if confirmed < event.capacity else Registration.Status.WAITLISTED
        )
        confirmed += status == Registration.Status.CONFIRMED
        registrations.append(
            Registration(
                event=event,
                user=user,
                name=name,
                email=email,
                organisation=rng.choice(municipalities) if municipalities else None,
                needs=rng.choice(["", "", "", "Vegetarisk kost", "Glutenfri kost", "Hörslinga"]),
                consent_at=event.starts_at - timedelta(days=20 - i % 10),
                queued_at=event.starts_at - timedelta(days=20, minutes=-i),
                status=status,
                attended=(rng.random() < 0.88) if past and status == Registration.Status.CONFIRMED else None,
            )
        )
    Registration.objects.bulk_create(registrations)
    Event.objects.filter(pk=event.pk).update(confirmed_count=confirmed)


def seed() -> dict:
    networks = seed_networks()
    return {"networks": len(networks), "events": seed_events()}
