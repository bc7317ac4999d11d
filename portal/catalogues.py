"""National catalogues maintained by KB besides focus areas: quality criteria, indicator
definitions and the development staircase. Swedish defaults are loaded on migrate, idempotently
(matched by name; KB's later edits are never overwritten)."""

# (name, description, reference) – KB's quality model for library plans and the library law.
DEFAULT_QUALITY_CRITERIA = [
    (
        "Bygger på en analys av behov",
        "Planen utgår från en beskriven analys av befolkningens och bibliotekens behov och förutsättningar.",
        "KB kvalitetsmodell",
    ),
    (
        "Omfattar alla bibliotekstyper",
        "Planen omfattar kommunens eller regionens samlade biblioteksverksamhet, även skolbibliotek.",
        "17 § bibliotekslagen",
    ),
    (
        "Barn och unga",
        "Planen beskriver hur biblioteken ägnar särskild uppmärksamhet åt barn och unga.",
        "8 § bibliotekslagen",
    ),
    (
        "Personer med funktionsnedsättning",
        "Planen beskriver medier och tjänster anpassade efter behoven hos personer med funktionsnedsättning.",
        "4 § bibliotekslagen",
    ),
    (
        "Nationella minoriteter och andra modersmål",
        "Planen beskriver hur litteratur på de nationella minoritetsspråken och andra modersmål erbjuds.",
        "5 § bibliotekslagen",
    ),
    (
        "Skolbibliotek",
        "Planen beskriver elevernas tillgång till skolbibliotek och samverkan med folkbiblioteket.",
        "10 § bibliotekslagen",
    ),
    (
        "Digital delaktighet och läsfrämjande",
        "Planen beskriver arbetet med digital delaktighet och läsfrämjande för alla åldrar.",
        "7 § bibliotekslagen",
    ),
    (
        "Mätbara mål",
        "Målen är konkreta och uppföljningsbara, med nyckeltal eller andra tydliga mått.",
        "KB kvalitetsmodell",
    ),
    (
        "Beskriven uppföljning",
        "Planen beskriver hur, när och av vem den följs upp och hur resultaten används.",
        "KB kvalitetsmodell",
    ),
    (
        "Period och ansvar",
        "Planen anger sin giltighetstid och vem som ansvarar för genomförandet.",
        "KB kvalitetsmodell",
    ),
    (
        "Koppling till andra styrdokument",
        "Planen visar hur den hänger ihop med kommunens eller regionens övriga styrdokument.",
        "KB kvalitetsmodell",
    ),
    (
        "Samverkan",
        "Planen beskriver samverkan med andra bibliotek, huvudmän och aktörer.",
        "KB kvalitetsmodell",
    ),
]

# (name, unit, description, source)
DEFAULT_INDICATORS = [
    (
        "Fysiska besök per invånare",
        "besök/invånare",
        "Antal fysiska besök på folkbiblioteken per invånare.",
        "KB Biblioteksstatistik",
    ),
    (
        "Utlån per invånare",
        "lån/invånare",
        "Antal fysiska utlån och omlån per invånare.",
        "KB Biblioteksstatistik",
    ),
    (
        "Utlån till barn och unga per invånare 0–17 år",
        "lån/invånare",
        "Utlån av barn- och ungdomsmedier per invånare 0–17 år.",
        "KB Biblioteksstatistik",
    ),
    (
        "Öppettimmar per vecka",
        "timmar",
        "Sammanlagda bemannade och meröppna timmar per vecka.",
        "KB Biblioteksstatistik",
    ),
    (
        "Andel elever med tillgång till bemannat skolbibliotek",
        "%",
        "Andel elever vars skolbibliotek är bemannat minst 20 timmar per vecka.",
        "KB Biblioteksstatistik",
    ),
    (
        "Medier på nationella minoritetsspråk",
        "st",
        "Bestånd av medier på de nationella minoritetsspråken.",
        "KB Biblioteksstatistik",
    ),
    (
        "Deltagare i digitala vägledningar",
        "st",
        "Antal deltagare i bibliotekens aktiviteter för digital delaktighet.",
        "Egen registrering",
    ),
    (
        "Deltagare i läsfrämjande aktiviteter",
        "st",
        "Antal deltagare i läsfrämjande program och aktiviteter.",
        "Egen registrering",
    ),
]

LEVEL_TITLES = ["Startar", "Utvecklar", "Etablerad", "Ledande"]

# (area, description, [four level descriptions])
DEFAULT_STAIRCASE = [
    (
        "Strategisk styrning och biblioteksplan",
        "Hur biblioteksplanen används för att styra och utveckla verksamheten.",
        [
            "Planen finns men används sällan i det dagliga arbetet.",
            "Planen används vid verksamhetsplanering; mål följs upp ibland.",
            "Planen styr verksamhetsplaneringen och följs upp varje år.",
            "Uppföljningen leder till förbättringar och delas med politik och invånare.",
        ],
    ),
    (
        "Läsfrämjande",
        "Systematiskt läsfrämjande arbete för barn, unga och vuxna.",
        [
            "Enstaka aktiviteter utan gemensam plan.",
            "En läsfrämjande plan finns för barn och unga.",
            "Läsfrämjandet är planerat för alla åldrar och följs upp.",
            "Läsfrämjandet bedrivs i samverkan och utvärderas mot mål.",
        ],
    ),
    (
        "Digital delaktighet",
        "Stöd till invånarnas digitala kompetens och delaktighet.",
        [
            "Hjälp ges när någon frågar.",
            "Regelbunden digital vägledning erbjuds.",
            "Ett planerat utbud finns och personalen har gemensam kompetens.",
            "Arbetet sker i samverkan med andra aktörer och följs upp.",
        ],
    ),
    (
        "Tillgänglighet och prioriterade grupper",
        "Hur biblioteken når de grupper som lagen prioriterar.",
        [
            "Grupperna nämns men arbetet är inte planerat.",
            "Insatser finns för några av grupperna.",
            "Insatser finns för alla grupperna och följs upp.",
            "Grupperna är delaktiga i att utforma verksamheten.",
        ],
    ),
    (
        "Samverkan mellan bibliotekstyper",
        "Samverkan mellan folkbibliotek, skolbibliotek och andra bibliotek.",
        [
            "Samverkan sker sporadiskt.",
            "Det finns återkommande möten mellan bibliotekstyperna.",
            "Samverkan är avtalad och har gemensamma mål.",
            "Samverkan utvecklas kontinuerligt och följs upp gemensamt.",
        ],
    ),
]


def load_catalogues(apps=None) -> int:
    """Create the default catalogue entries that are missing. Returns how many were created."""
    if apps is None:
        from django.apps import apps
    Criterion = apps.get_model("portal", "QualityCriterion")
    Definition = apps.get_model("portal", "IndicatorDefinition")
    Area = apps.get_model("portal", "StaircaseArea")
    Level = apps.get_model("portal", "StaircaseLevel")
    created = 0
    existing = set(Criterion.objects.values_list("name", flat=True))
    new = [
        Criterion(name=n, description=d, law_reference=r, sort_order=(i + 1) * 10)
        for i, (n, d, r) in enumerate(DEFAULT_QUALITY_CRITERIA)
        if n not in existing
    ]
    Criterion.objects.bulk_create(new, ignore_conflicts=True)
    created += len(new)
    existing = set(Definition.objects.values_list("name", flat=True))
    new = [
        Definition(name=n, unit=u, description=d, source=s, sort_order=(i + 1) * 10)
        for i, (n, u, d, s) in enumerate(DEFAULT_INDICATORS)
        if n not in existing
    ]
    Definition.objects.bulk_create(new, ignore_conflicts=True)
    created += len(new)
    existing = set(Area.objects.values_list("name", flat=True))
    for i, (name, description, levels) in enumerate(DEFAULT_STAIRCASE):
        if name in existing:
            continue
        area = Area.objects.create(name=name, description=description, sort_order=(i + 1) * 10)
        Level.objects.bulk_create(
            Level(area=area, number=n + 1, title=LEVEL_TITLES[n], description=text)
            for n, text in enumerate(levels)
        )
        created += 1
    return created


def load_catalogues_after_migrate(sender, using="default", apps=None, **kwargs) -> None:
    """post_migrate hook (also runs after a test flush, without historical `apps`)."""
    try:
        if apps is not None:
            apps.get_model("portal", "StaircaseLevel")
    except LookupError:
        return
    load_catalogues(apps)
