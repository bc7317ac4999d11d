"""Realistic demo plans in Swedish (used by `manage.py seed_demo`). Idempotent."""

from datetime import date
from decimal import Decimal

from django.db import transaction

from plans import history, services
from plans.models import Activity, Goal, Indicator, IndicatorValue, Plan, PlanFocusArea, Section
from portal.models import FocusArea, Membership, Organisation, Role

A = Activity.Status
UP, DOWN = Indicator.Direction.INCREASE, Indicator.Direction.DECREASE

# (national focus area slug prefix, own name, description, goals)
# goal = (title, [activities (what, who, when, status)], [indicators (name, unit, by, bv, ty, tv, dir, {year: v})])
FOCUS_POOL = [
    (
        "lasframjande",
        "Läslust för alla",
        "Barn, unga och vuxna ska möta ett rikt utbud av litteratur och berättande.",
        [
            (
                "Fler barn och unga läser på fritiden",
                [
                    (
                        "Bokstart: hembesök och språkpåsar till familjer med små barn",
                        "Barnbibliotekarie",
                        "2025–2027",
                        A.ONGOING,
                    ),
                    ("Sommarboken för årskurs 1–6", "Barn- och ungdomsavdelningen", "Varje sommar", A.DONE),
                    (
                        "Läsecirklar för unga på fritidsgårdarna",
                        "Ungdomsbibliotekarie",
                        "Hösten 2026",
                        A.PLANNED,
                    ),
                ],
                [
                    (
                        "Utlån av barn- och ungdomslitteratur per barn 0–17 år",
                        "utlån per barn",
                        2023,
                        "7.8",
                        2027,
                        "9.0",
                        UP,
                        {2024: "8.1", 2025: "8.4"},
                    ),
                ],
            ),
        ],
    ),
    (
        "digital-delaktighet",
        "Digital delaktighet för alla invånare",
        "Biblioteket ger stöd till den som behöver hjälp med digitala tjänster.",
        [
            (
                "Invånare som behöver stöd får hjälp att använda digitala tjänster",
                [
                    (
                        "Digital drop-in varje vecka på huvudbiblioteket och filialerna",
                        "Enheten för vuxna",
                        "Löpande",
                        A.ONGOING,
                    ),
                    (
                        "Kurs i källkritik för seniorer tillsammans med studieförbunden",
                        "Bibliotekarie, digital kompetens",
                        "Våren 2026",
                        A.PLANNED,
                    ),
                ],
                [
                    (
                        "Deltagare i digital vägledning",
                        "deltagare per år",
                        2023,
                        "420",
                        2027,
                        "800",
                        UP,
                        {2024: "515", 2025: "640"},
                    ),
                ],
            ),
        ],
    ),
    (
        "tillganglighet",
        "Ett bibliotek för alla",
        "Biblioteket är tillgängligt oavsett var man bor, när man har tid och vilka behov man har.",
        [
            (
                "Öppettiderna motsvarar invånarnas behov",
                [
                    ("Meröppet på två filialer", "Bibliotekschef", "2026", A.ONGOING),
                    (
                        "Utökad Boken kommer för personer som inte kan ta sig till biblioteket",
                        "Uppsökande verksamhet",
                        "2025–2027",
                        A.ONGOING,
                    ),
                ],
                [
                    (
                        "Öppettimmar per vecka, alla bibliotek",
                        "timmar",
                        2023,
                        "142",
                        2027,
                        "190",
                        UP,
                        {2024: "150", 2025: "168"},
                    ),
                    ("Låntagare av Boken kommer", "personer", 2023, "64", 2027, "90", UP, {2024: "71"}),
                ],
            ),
        ],
    ),
    (
        "nationella-minoriteter",
        "Språk, minoriteter och mångfald",
        "Medier och program på de nationella minoritetsspråken och de vanligaste modersmålen.",
        [
            (
                "Medier på nationella minoritetsspråk och andra modersmål finns och lånas",
                [
                    (
                        "Inköpsplan för medier på finska, meänkieli, samiska, romani chib och jiddisch",
                        "Medieansvarig",
                        "2025",
                        A.DONE,
                    ),
                    (
                        "Sagostunder på arabiska, somaliska och finska",
                        "Barnbibliotekarie",
                        "Varje månad",
                        A.ONGOING,
                    ),
                ],
                [
                    (
                        "Andel av mediebudgeten till andra språk än svenska",
                        "%",
                        2023,
                        "4",
                        2027,
                        "7",
                        UP,
                        {2024: "4.5", 2025: "5.5"},
                    ),
                ],
            ),
        ],
    ),
    (
        "skolbibliotek",
        "Samverkan med skolbiblioteken",
        "Folkbibliotek och skolbibliotek samverkar kring läsning och informationskompetens.",
        [
            (
                "Alla elever har tillgång till ett bemannat skolbibliotek",
                [
                    (
                        "Gemensam handlingsplan med barn- och utbildningsförvaltningen",
                        "Bibliotekschef och skolchef",
                        "2025",
                        A.DONE,
                    ),
                    (
                        "Nätverk för skolbibliotekarier fyra gånger per år",
                        "Skolbibliotekssamordnare",
                        "Löpande",
                        A.ONGOING,
                    ),
                ],
                [
                    (
                        "Andel grundskoleelever med tillgång till bemannat skolbibliotek",
                        "%",
                        2023,
                        "62",
                        2027,
                        "90",
                        UP,
                        {2024: "70", 2025: "78"},
                    ),
                ],
            ),
        ],
    ),
    (
        "biblioteket-i-samhallet",
        "Biblioteket som mötesplats för demokrati",
        "Biblioteket är en öppen och fri mötesplats för kunskap, samtal och kultur.",
        [
            (
                "Fler invånare deltar i bibliotekets program",
                [
                    (
                        "Samtalsserie inför valet med lokala föreningar",
                        "Programansvarig",
                        "Hösten 2026",
                        A.PLANNED,
                    ),
                ],
                [
                    (
                        "Deltagare i program för vuxna",
                        "deltagare per år",
                        2023,
                        "2100",
                        2027,
                        "3000",
                        UP,
                        {2024: "2350"},
                    ),
                ],
            ),
        ],
    ),
]


def _sections(org: Organisation, plan_kind: str, period: str) -> list[tuple[str, str]]:
    county = org.parent.county_name if org.parent else org.county_name
    who = org.name
    if plan_kind == Plan.Kind.ACTIVITY:
        return [
            (
                "Inledning",
                f"<p>Verksamhetsplanen beskriver vad den regionala biblioteksverksamheten i {county} gör under {period}. "
                "Den utgår från den regionala biblioteksplanen och den regionala kulturplanen och återrapporteras till "
                "regionala utvecklingsnämnden.</p>",
            ),
            (
                "Uppdrag",
                "<p>Regionen ska enligt bibliotekslagen 11 § verka för regional biblioteksverksamhet, samverkan "
                "mellan kommunerna och utveckling av biblioteksverksamheten i länet.</p>",
            ),
            (
                "Uppföljning",
                "<p>Målen följs upp i årsredovisningen. Nyckeltal hämtas från KB:s biblioteksstatistik.</p>",
            ),
        ]
    return [
        (
            "Inledning och syfte",
            f"<p>Biblioteksplanen för {who} beskriver hur biblioteksverksamheten ska utvecklas "
            f"under {period}. Planen omfattar folkbiblioteken, skolbiblioteken och den uppsökande verksamheten och har "
            "tagits fram i dialog med invånare, skolor och föreningar.</p>"
            "<p>Planen är ett styrdokument för <strong>alla</strong> förvaltningar som ansvarar för bibliotek.</p>",
        ),
        (
            "Uppdrag och styrdokument",
            "<p>Planen utgår från bibliotekslagen (2013:801), skollagen och den regionala "
            f"biblioteksplanen för {county}. Den hänger ihop med kommunens vision och kulturpolitiska program.</p>"
            "<ul><li>Bibliotekslagen (2013:801)</li><li>Skollagen (2010:800) 2 kap. 36 §</li>"
            "<li>Regional biblioteksplan</li></ul>",
        ),
        (
            "Nulägesanalys och behov",
            "<p>Underlaget bygger på KB:s biblioteksstatistik, en invånarenkät med 1 200 svar "
            "och dialoger med elever och lärare. Utlånen har ökat sedan 2022, men besöken på filialerna har minskat. "
            "Många invånare efterfrågar längre öppettider och mer stöd i digitala frågor.</p>",
        ),
        (
            "Prioriterade grupper",
            "<p>Biblioteken ägnar särskild uppmärksamhet åt barn och unga, personer med "
            "funktionsnedsättning, de nationella minoriteterna och personer med annat modersmål än svenska. "
            "Lättläst, talböcker och medier på andra språk är en del av det ordinarie utbudet.</p>",
        ),
        (
            "Fokusområden och mål",
            "<p>Planen har fokusområden som bygger på nulägesanalysen. Varje mål har insatser och "
            "nyckeltal som följs upp årligen.</p>",
        ),
        (
            "Uppföljning",
            "<p>Bibliotekschefen följer upp planen varje år och rapporterar till kultur- och "
            "fritidsnämnden. Resultatet delas med regionens biblioteksutvecklare i den årliga uppföljningen.</p>",
        ),
    ]


def _add_focus(plan: Plan, picks: list[int], national: dict[str, FocusArea]) -> None:
    for fa_pos, index in enumerate(picks):
        slug, name, description, goals = FOCUS_POOL[index % len(FOCUS_POOL)]
        area = PlanFocusArea.objects.create(
            plan=plan,
            national=next(v for k, v in national.items() if k.startswith(slug)),
            name=name,
            description=description,
            position=fa_pos,
        )
        for g_pos, (title, activities, indicators) in enumerate(goals):
            goal = Goal.objects.create(focus_area=area, title=title, position=g_pos)
            for a_pos, (what, who, when, status) in enumerate(activities):
                Activity.objects.create(
                    goal=goal, what=what, responsible=who, timing=when, status=status, position=a_pos
                )
            for i_pos, (iname, unit, by, bv, ty, tv, direction, values) in enumerate(indicators):
                indicator = Indicator.objects.create(
                    goal=goal,
                    name=iname,
                    unit=unit,
                    baseline_year=by,
                    baseline_value=Decimal(bv),
                    target_year=ty,
                    target_value=Decimal(tv),
                    direction=direction,
                    position=i_pos,
                )
                IndicatorValue.objects.bulk_create(
                    IndicatorValue(indicator=indicator, year=y, value=Decimal(v)) for y, v in values.items()
                )


# (organisation code, kind, title, first, last, adoption (date, body, ref) or None, focus picks)
DEMO_PLANS = [
    (
        "0880",
        "municipal",
        "Biblioteksplan för Kalmar kommun",
        2024,
        2027,
        (date(2023, 11, 27), "Kommunfullmäktige", "KF § 212"),
        [0, 1, 2, 3],
    ),
    ("0880", "municipal", "Biblioteksplan för Kalmar kommun 2028–2031 (utkast)", 2028, 2031, None, [0, 1, 4]),
    (
        "0883",
        "municipal",
        "Biblioteksplan Västervik",
        2020,
        2023,
        (date(2019, 12, 16), "Kommunfullmäktige", "KF § 178"),
        [0, 2],
    ),
    ("0882", "municipal", "Biblioteksplan för Oskarshamns kommun", 2026, 2029, None, [0, 1, 4]),
    (
        "0881",
        "municipal",
        "Nybro kommuns biblioteksplan",
        2023,
        2026,
        (date(2023, 3, 20), "Kommunfullmäktige", "KF § 41"),
        [2, 3],
    ),
    (
        "1780",
        "municipal",
        "Biblioteksplan för Karlstads kommun",
        2022,
        2025,
        (date(2021, 12, 9), "Kommunfullmäktige", "KF § 233"),
        [0, 1, 5],
    ),
    ("1784", "municipal", "Biblioteksplan Arvika", 2026, 2029, None, [0, 3]),
    (
        "1737",
        "municipal",
        "Biblioteksplan för Torsby kommun",
        2025,
        2028,
        (date(2024, 12, 12), "Kommunfullmäktige", "KF § 160"),
        [2, 3, 4],
    ),
    (
        "0680",
        "municipal",
        "Biblioteksplan för Jönköpings kommun",
        2024,
        2027,
        (date(2024, 2, 29), "Kommunfullmäktige", "KF § 38"),
        [0, 1, 2, 4, 5],
    ),
    ("0683", "municipal", "Biblioteksplan Värnamo kommun", 2026, 2029, None, [0]),
    (
        "0682",
        "municipal",
        "Biblioteksplan för Nässjö kommun",
        2021,
        2024,
        (date(2020, 11, 26), "Kommunfullmäktige", "KF § 190"),
        [0, 2],
    ),
    (
        "08",
        "regional",
        "Regional biblioteksplan för Kalmar län",
        2023,
        2026,
        (date(2022, 12, 8), "Regionala utvecklingsnämnden", "RUN § 112"),
        [0, 1, 2, 4],
    ),
    (
        "08",
        "activity",
        "Verksamhetsplan regional biblioteksverksamhet 2026",
        2026,
        2026,
        (date(2025, 12, 4), "Regionala utvecklingsnämnden", "RUN § 98"),
        [1, 4],
    ),
    (
        "06",
        "regional",
        "Regional biblioteksplan för Jönköpings län",
        2023,
        2025,
        (date(2022, 11, 24), "Regionfullmäktige", "RF § 141"),
        [0, 1, 3],
    ),
    ("17", "regional", "Regional biblioteksplan för Värmland", 2024, 2027, None, [0, 1, 5]),
]


@transaction.atomic
def seed() -> int:
    """Create the demo plans that do not exist yet. Returns how many were created."""
    national = {fa.slug: fa for fa in FocusArea.objects.all()}
    orgs = {
        o.code: o
        for o in Organisation.objects.filter(code__in={p[0] for p in DEMO_PLANS}).select_related("parent")
    }
    created = 0
    for code, kind, title, first, last, adoption, picks in DEMO_PLANS:
        org = orgs[code]
        if Plan.objects.filter(organisation=org, title=title).exists():
            continue
        author = (
            Membership.objects.filter(organisation=org, role__in=[Role.CHEF, Role.CONSULTANT])
            .select_related("user")
            .first()
        )
        user = author.user if author else None
        plan = services.create_plan(
            user=user,
            organisation=org,
            kind=kind,
            title=title,
            first_year=first,
            last_year=last,
            start="empty",
        )
        period = plan.period
        Section.objects.bulk_create(
            Section(plan=plan, position=i, heading=h, body=b, updated_by=user)
            for i, (h, b) in enumerate(_sections(org, kind, period))
        )
        _add_focus(plan, picks, national)
        history.record_version(plan, user, "Skrev planens första version")
        if adoption:
            adopted_on, body, reference = adoption
            services.record_adoption(
                plan, user, adopted_on=adopted_on, adopted_by_body=body, decision_reference=reference
            )
        created += 1
    return created
