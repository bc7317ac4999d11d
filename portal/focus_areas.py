"""The national catalogue of focus areas: defaults loaded on migrate, idempotently."""

from django.utils.text import slugify

from portal.models import FocusArea

# (name, description). Taken from typical regional plans and the library law's priorities.
DEFAULT_FOCUS_AREAS = [
    (
        "Läsfrämjande och språklig mångfald",
        "Läsfrämjande arbete för alla åldrar och språk (bibliotekslagen 7 §).",
    ),
    ("Digital delaktighet och digital transformation", "Digital kompetens och delaktighet (7 §)."),
    ("Tillgänglighet", "Biblioteket tillgängligt för alla."),
    ("Fördjupad samverkan mellan bibliotek", "Samverkan mellan kommuner, regioner och bibliotekstyper."),
    ("Biblioteket i samhället och demokrati", "Fri åsiktsbildning och demokratisk utveckling."),
    ("Lärande och utbildning", "Stöd till utbildning och livslångt lärande."),
    ("Kompetensutveckling", "Fortbildning för bibliotekens personal."),
    ("Barn och unga", "Barns och ungas tillgång till litteratur och läsning (8 §)."),
    (
        "Nationella minoriteter och andra modersmål",
        "Litteratur på minoritetsspråk och andra modersmål (5 §).",
    ),
    ("Personer med funktionsnedsättning", "Medier och tjänster anpassade efter behov (4 §)."),
    ("Skolbibliotek", "Skolbibliotekens roll i utbildningen (10 §)."),
]


def load_focus_areas(model=None) -> int:
    """Create the default focus areas that are missing (matched by slug). Returns how many."""
    model = model or FocusArea
    existing = set(model.objects.values_list("slug", flat=True))
    missing = [
        model(name=name, slug=slugify(name), description=description, sort_order=(i + 1) * 10)
        for i, (name, description) in enumerate(DEFAULT_FOCUS_AREAS)
        if slugify(name) not in existing
    ]
    model.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)


def load_focus_areas_after_migrate(sender, using="default", apps=None, **kwargs) -> None:
    """post_migrate hook (also runs after a test flush, without historical `apps`)."""
    if apps is None:
        from django.apps import apps
    try:
        model = apps.get_model("portal", "FocusArea")
    except LookupError:
        return
    load_focus_areas(model)
