"""Demo reviews in every state, follow-ups for two years and development-staircase levels
(used by `manage.py seed_demo` after the demo plans; idempotent)."""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from plans import followups, reviews, services
from plans.models import FollowUp, GoalFollowUp, Plan, Review
from portal.models import Membership, Organisation, QualityCriterion, Role, StaircaseArea, StaircaseAssessment

# (organisation code, plan title, scenario)
REVIEW_SCENARIOS = [
    ("0880", "Biblioteksplan för Kalmar kommun 2028–2031 (utkast)", "resubmitted"),
    ("0882", "Biblioteksplan för Oskarshamns kommun", "open"),
    ("0683", "Biblioteksplan Värnamo kommun", "reviewed"),
    ("1784", "Biblioteksplan Arvika", "withdrawn"),
    ("17", "Regional biblioteksplan för Värmland", "open"),
]

# (organisation code, plan title, [(years ago, state)]) – follow-ups of adopted plans.
FOLLOW_UP_SCENARIOS = [
    ("0880", "Biblioteksplan för Kalmar kommun", [(2, "acknowledged"), (1, "submitted")]),
    ("0881", "Nybro kommuns biblioteksplan", [(2, "acknowledged"), (1, "completion")]),
    ("0680", "Biblioteksplan för Jönköpings kommun", [(2, "acknowledged"), (1, "draft")]),
    ("1737", "Biblioteksplan för Torsby kommun", [(1, "submitted")]),
    ("08", "Regional biblioteksplan för Kalmar län", [(2, "acknowledged"), (1, "submitted")]),
]

COMMENTS = [
    "Beskriv gärna hur analysen av behov har gjorts och vilka källor ni använt.",
    "Här saknas skrivningar om de nationella minoriteterna, särskilt barnens tillgång till "
    "litteratur på minoritetsspråk.",
    "Bra och konkret! Lägg gärna till vem som ansvarar för uppföljningen.",
]
RATINGS = [
    "met",
    "partly",
    "met",
    "not_met",
    "partly",
    "met",
    "met",
    "partly",
    "not_met",
    "met",
    "partly",
    "met",
]
GOAL_STATUSES = ["in_progress", "achieved", "in_progress", "not_started", "not_achieved", "achieved"]


def _person(org: Organisation, *roles):
    m = Membership.objects.filter(organisation=org, role__in=roles).select_related("user").first()
    return m.user if m else None


def _reviewer(org: Organisation):
    if org.is_municipality:
        return _person(org.parent, Role.CONSULTANT)
    return _person(Organisation.objects.get(kind=Organisation.Kind.NATIONAL), Role.KB)


def _assess(review: Review, reviewer, offset: int = 0, complete: bool = True) -> None:
    criteria = list(QualityCriterion.objects.filter(is_active=True))
    if not complete:
        criteria = criteria[:5]
    reviews.save_assessments(
        review,
        reviewer,
        {
            c.pk: (RATINGS[(i + offset) % len(RATINGS)], "Tydligt beskrivet." if i % 3 == 0 else "")
            for i, c in enumerate(criteria)
        },
    )


def _comment_on_sections(review: Review, reviewer, plan: Plan, count: int = 2):
    sections = list(plan.sections.all()[:count])
    return [
        reviews.add_comment(review, reviewer, body=COMMENTS[i % len(COMMENTS)], section=s)
        for i, s in enumerate(sections)
    ]


def _age(review: Review, days: int) -> None:
    Review.objects.filter(pk=review.pk).update(submitted_at=timezone.now() - timedelta(days=days))


def _run_review_scenario(plan: Plan, scenario: str) -> None:
    org = plan.organisation
    chef = _person(org, Role.CHEF, Role.CONSULTANT)
    reviewer = _reviewer(org)
    if chef is None or reviewer is None:
        return
    review = reviews.submit(plan, chef)
    if scenario == "withdrawn":
        _age(review, 20)
        reviews.withdraw(plan, chef)
        return
    if scenario == "open":
        _age(review, 9 if org.is_municipality else 34)
        _assess(review, reviewer, complete=False)
        _comment_on_sections(review, reviewer, plan, count=1)
        return
    _age(review, 40)
    _assess(review, reviewer, offset=1)
    threads = _comment_on_sections(review, reviewer, plan)
    reviews.add_comment(review, reviewer, body="Genomtänkt plan med tydliga mål. Komplettera uppföljningen.")
    reviews.close_review(
        review,
        reviewer,
        outcome="major" if scenario == "reviewed" else "minor",
        summary=(
            "Planen bygger på en tydlig analys och har mätbara mål. Komplettera med skrivningar om "
            "nationella minoriteter och beskriv hur uppföljningen går till."
        ),
    )
    if scenario == "reviewed":
        return
    # resubmitted: the chef answers, revises the first commented section and submits again
    reviews.add_comment(
        review, chef, body="Tack! Vi har lagt till ett stycke om minoritetsspråken.", parent=threads[-1]
    )
    reviews.set_resolved(threads[-1], chef, True)
    section = threads[-1].section
    plan.refresh_from_db()
    services.save_section(
        section,
        chef,
        version=section.version,
        heading=section.heading,
        body=section.body
        + "<p>Biblioteken köper in litteratur på finska, samiska och meänkieli och samarbetar med "
        "förvaltningsområdet för finska.</p>",
    )
    second = reviews.submit(plan, chef)
    _age(second, 3)


def _complete_data(plan: Plan, offset: int) -> followups.FollowUpData:
    goals, indicators = followups.goals_and_indicators(plan)
    values = {}
    for i, ind in enumerate(indicators):
        base = ind.baseline_value if ind.baseline_value is not None else Decimal("10")
        values[ind.pk] = (base * (Decimal("1.04") + Decimal(offset + i % 3) / 100)).quantize(Decimal("0.1"))
    return followups.FollowUpData(
        narrative=(
            "Året präglades av arbetet med läsfrämjande för barn och unga och av nya samarbeten med "
            "skolbiblioteken. Meröppet infördes på två filialer; besöken ökade men utlånen till vuxna "
            "minskade något. Arbetet med digital delaktighet fortsätter i samarbete med studieförbunden."
        ),
        goals={
            g.pk: (GOAL_STATUSES[(i + offset) % len(GOAL_STATUSES)], "Enligt plan." if i % 2 == 0 else "")
            for i, g in enumerate(goals)
        },
        values=values,
    )


def _run_follow_up(plan: Plan, year: int, state: str) -> None:
    org = plan.organisation
    chef = _person(org, Role.CHEF, Role.CONSULTANT)
    reviewer = _reviewer(org)
    if chef is None or not plan.first_year <= year <= plan.last_year:
        return
    data = _complete_data(plan, offset=year % 4)
    follow_up = followups.save(plan, chef, year, data, submit=state != "draft")
    if state == "draft":
        first = GoalFollowUp.objects.filter(follow_up=follow_up).order_by("pk").first()
        if first is not None:
            GoalFollowUp.objects.filter(pk=first.pk).update(status="")
        return
    if reviewer is None:
        return
    if state == "acknowledged":
        followups.acknowledge(follow_up, reviewer, "Tack för en tydlig uppföljning.")
    elif state == "completion":
        followups.request_completion(
            follow_up, reviewer, "Fyll i värdet för utlån per invånare och beskriv varför målet inte nåddes."
        )


def _staircase() -> int:
    areas = list(StaircaseArea.objects.filter(is_active=True))
    year = timezone.localdate().year
    count = 0
    for org in Organisation.objects.filter(parent__code__in=["08", "17", "06"]).order_by("code"):
        seed = int(org.code)
        for i, area in enumerate(areas):
            before = 1 + (seed + i) % 3
            now = min(4, before + (seed + i * 7) % 2)
            for y, level in ((year - 1, before), (year, now)):
                _obj, created = StaircaseAssessment.objects.get_or_create(
                    organisation=org,
                    area=area,
                    year=y,
                    defaults={
                        "level": level,
                        "comment": "Självskattning vid verksamhetsdialogen." if i == 0 else "",
                    },
                )
                count += created
    return count


@transaction.atomic
def seed() -> dict:
    """Create the demo reviews, follow-ups and staircase levels that are missing."""
    made = {"reviews": 0, "follow_ups": 0, "staircase": 0}
    for code, title, scenario in REVIEW_SCENARIOS:
        plan = (
            Plan.objects.filter(organisation__code=code, title=title).select_related("organisation").first()
        )
        if plan is None or plan.reviews.exists() or plan.is_adopted:
            continue
        _run_review_scenario(plan, scenario)
        made["reviews"] += plan.reviews.count()
    this_year = timezone.localdate().year
    for code, title, states in FOLLOW_UP_SCENARIOS:
        plan = (
            Plan.objects.filter(organisation__code=code, title=title).select_related("organisation").first()
        )
        if plan is None or not plan.is_adopted:
            continue
        for years_ago, state in states:
            year = this_year - years_ago
            if not FollowUp.objects.filter(plan=plan, year=year).exists():
                _run_follow_up(plan, year, state)
                made["follow_ups"] += 1
    made["staircase"] = _staircase()
    return made
