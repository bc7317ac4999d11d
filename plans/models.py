"""Library plans: the plan, its sections, its focus areas with goals, activities and indicators,
its attachments and its history."""

from __future__ import annotations

import hashlib
import json
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.documents import document_path, kind_of
from portal.models import Organisation
from portal.rules import consultant_region_ids, grants, is_admin, is_kb

MIN_YEAR = 2000
MAX_YEAR = 2100
MAX_PERIOD_YEARS = 10
CURRENT_GRACE_YEARS = 2  # KB: "current" = valid this year or expired at most two years ago


class PlanQuerySet(models.QuerySet):
    def adopted(self):
        return self.filter(status=Plan.Status.ADOPTED)

    def adopted_by(self, year: int):
        """Adopted no later than `year`: a plan adopted afterwards had no validity that year."""
        return self.adopted().filter(
            models.Q(adopted_on__isnull=True) | models.Q(adopted_on__lt=date(year + 1, 1, 1))
        )

    def in_force(self, year: int | None = None):
        """Plans in force in `year` (this year by default): the queryset twin of `validity_of`
        giving `Validity.IN_FORCE`."""
        year = year or timezone.localdate().year
        return self.adopted_by(year).filter(first_year__lte=year, last_year__gte=year)

    def current(self, year: int | None = None):
        """KB's "aktuell" in `year` (this year by default): in force, or expired at most
        CURRENT_GRACE_YEARS before. The queryset twin of `validity_of` giving one of CURRENT."""
        year = year or timezone.localdate().year
        return self.adopted_by(year).filter(first_year__lte=year, last_year__gte=year - CURRENT_GRACE_YEARS)

    def visible_to(self, user):
        """Plans the user may read (the same rule as plans.view_plan, as a queryset)."""

        if is_admin(user) or is_kb(user):
            return self
        own = {g.organisation_id for g in grants(user)}
        regions = consultant_region_ids(user)
        return self.filter(
            models.Q(status=Plan.Status.ADOPTED)
            | models.Q(organisation_id__in=own)
            | models.Q(organisation__parent_id__in=regions)
        )

    def with_listing(self):
        return self.select_related("organisation", "organisation__parent")


class Plan(models.Model):
    class Kind(models.TextChoices):
        MUNICIPAL = "municipal", _("Municipal library plan")
        REGIONAL = "regional", _("Regional library plan")
        ACTIVITY = "activity", _("Regional activity plan")

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("plan status", "Draft")
        IN_REVIEW = "in_review", pgettext_lazy("plan status", "In review")
        REVIEWED = "reviewed", pgettext_lazy("plan status", "Reviewed")
        REVISED = "revised", pgettext_lazy("plan status", "Revised")
        ADOPTED = "adopted", pgettext_lazy("plan status", "Adopted")

    class Validity(models.TextChoices):
        """Where an adopted plan stands in a year, by KB's rule (`validity_of`)."""

        IN_FORCE = "in_force", _("In force")
        CURRENT_EXPIRED = "current_expired", _("Expired, still current for KB")
        EXPIRED = "expired", _("Expired")
        UPCOMING = "upcoming", _("Not yet in force")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="plans"
    )
    kind = models.CharField(_("kind of plan"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    first_year = models.PositiveSmallIntegerField(_("first year"))
    last_year = models.PositiveSmallIntegerField(_("last year"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("based on"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="successors",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Adoption: a political decision taken outside the portal.
    adopted_on = models.DateField(_("adoption date"), null=True, blank=True)
    adopted_by_body = models.CharField(_("adopting body"), max_length=120, blank=True)
    decision_reference = models.CharField(_("decision reference"), max_length=120, blank=True)
    adopted_document = models.ForeignKey(
        "Attachment",
        verbose_name=_("adopted document"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    search_text = models.TextField(editable=False, blank=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("library plan")
        verbose_name_plural = _("library plans")
        ordering = ["-last_year", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                "organisation", Lower("title"), name="plan_title_unique_per_organisation"
            ),
            models.CheckConstraint(
                condition=models.Q(last_year__gte=models.F("first_year")), name="plan_period_order"
            ),
        ]
        indexes = [models.Index(fields=["status", "last_year"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.period})"

    def get_absolute_url(self) -> str:
        return reverse("plans:detail", args=[self.pk])

    @property
    def period(self) -> str:
        return (
            f"{self.first_year}–{self.last_year}"
            if self.first_year != self.last_year
            else str(self.first_year)
        )

    @property
    def is_adopted(self) -> bool:
        return self.status == self.Status.ADOPTED

    @property
    def is_editable(self) -> bool:
        """Adopted plans are read-only (a new draft starts from them); in-review plans too."""
        return self.status in (self.Status.DRAFT, self.Status.REVIEWED, self.Status.REVISED)

    def validity(self, today: date | None = None) -> Plan.Validity | None:
        """Where the plan stands today (or on `today`); None unless adopted (`validity_of`)."""
        year = (today or timezone.localdate()).year
        return validity_of(self.first_year, self.last_year, self.status, year, self.adopted_on)

    @property
    def is_in_force(self) -> bool:
        return self.validity() == Plan.Validity.IN_FORCE

    @property
    def is_current(self) -> bool:
        return self.validity() in CURRENT


CURRENT = frozenset({Plan.Validity.IN_FORCE, Plan.Validity.CURRENT_EXPIRED})  # KB's "aktuell"


def validity_of(
    first_year: int, last_year: int, status: str, year: int, adopted_on: date | None = None
) -> Plan.Validity | None:
    """KB's rule for a plan in a year, the one definition (`Plan.validity`, the reports;
    `PlanQuerySet.in_force` and `.current` are its queryset twins).

    An adopted plan is in force while the year is inside its period, then expired; before its
    period it is upcoming. KB counts it as current ("aktuell", `CURRENT`) while it is in force or
    expired at most CURRENT_GRACE_YEARS years ago. A plan that is not adopted, or was adopted
    only after the year (`adopted_on`), has no validity that year: None."""
    if status != Plan.Status.ADOPTED or (adopted_on is not None and adopted_on.year > year):
        return None
    if year < first_year:
        return Plan.Validity.UPCOMING
    if year <= last_year:
        return Plan.Validity.IN_FORCE
    if year - last_year <= CURRENT_GRACE_YEARS:
        return Plan.Validity.CURRENT_EXPIRED
    return Plan.Validity.EXPIRED


class Section(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField(default=0)
    heading = models.CharField(_("heading"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.heading


class PlanFocusArea(models.Model):
    """One of the plan's own focus areas, mapped to the national catalogue."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="focus_areas")
    national = models.ForeignKey(
        "portal.FocusArea",
        verbose_name=_("national focus area"),
        on_delete=models.PROTECT,
        related_name="plan_focus_areas",
    )
    name = models.CharField(_("name in the plan"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("focus area of a plan")
        verbose_name_plural = _("focus areas of plans")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class Goal(models.Model):
    focus_area = models.ForeignKey(PlanFocusArea, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(_("goal"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class Activity(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("activity status", "Planned")
        ONGOING = "ongoing", pgettext_lazy("activity status", "Ongoing")
        DONE = "done", pgettext_lazy("activity status", "Done")
        CANCELLED = "cancelled", pgettext_lazy("activity status", "Cancelled")

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="activities")
    what = models.CharField(_("activity"), max_length=300)
    responsible = models.CharField(_("responsible"), max_length=200, blank=True)
    timing = models.CharField(
        _("when"), max_length=100, blank=True, help_text=_("For example “2026” or “autumn 2026”.")
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PLANNED)
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.what


class Indicator(models.Model):
    class Direction(models.TextChoices):
        INCREASE = "increase", _("Increase")
        DECREASE = "decrease", _("Decrease")
        MAINTAIN = "maintain", _("Maintain")

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicator"), max_length=200)
    unit = models.CharField(
        _("unit"), max_length=50, blank=True, help_text=_("For example “loans per inhabitant” or “%”.")
    )
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    baseline_value = models.DecimalField(
        _("baseline value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target_year = models.PositiveSmallIntegerField(_("target year"), null=True, blank=True)
    target_value = models.DecimalField(
        _("target value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    direction = models.CharField(
        _("direction"), max_length=16, choices=Direction.choices, default=Direction.INCREASE
    )
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class IndicatorValue(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="indicator_value_once_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.value}"


class Attachment(models.Model):
    """A document of a plan (see portal.documents); the adopted plan is one of them."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=document_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def kind(self) -> str | None:
        """'pdf', 'docx' or 'odt': sniffed at upload, stored as its content type."""
        return kind_of(self.content_type)


class PlanVersion(models.Model):
    """The plan's content after a change. Restoring one creates a new version.

    `snapshot` is the whole content as plain JSON (`plans.history.snapshot`). It is stored as
    `content`: the same document with every section and focus area (and every goal inside a
    focus area) replaced by the id of a PlanVersionPart, so a part that did not change is not
    stored again and the history grows with the changes, not with the size of the plan.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    summary = models.CharField(max_length=300)
    target = models.CharField(max_length=60, blank=True)
    content = models.JSONField()

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number_unique")]

    def __str__(self) -> str:
        return f"{self.plan_id} v{self.number}"

    def save(self, *args, **kwargs):
        if getattr(self, "_unsaved_snapshot", False):
            replacing = self.pk is not None
            self.content = PlanVersionPart.objects.store(self.plan_id, self.number, self.snapshot)
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = ["content" if f == "snapshot" else f for f in update_fields]
            super().save(*args, **kwargs)
            self._unsaved_snapshot = False
            if replacing:
                self._forget_replaced_parts()
            return
        super().save(*args, **kwargs)

    @property
    def snapshot(self) -> dict:
        """The whole content (two queries the first time it is read)."""
        if "_snapshot" not in self.__dict__:
            self.__dict__["_snapshot"] = PlanVersionPart.objects.expand(self.content)
        return self.__dict__["_snapshot"]

    @snapshot.setter
    def snapshot(self, data: dict) -> None:
        """Set the whole content; it is split into parts when the version is saved."""
        self.__dict__["_snapshot"] = data
        self._unsaved_snapshot = True

    def refresh_from_db(self, *args, **kwargs):
        self.__dict__.pop("_snapshot", None)
        super().refresh_from_db(*args, **kwargs)

    def _forget_replaced_parts(self) -> None:
        """Delete the parts first stored for this version that its new content no longer uses
        (autosaves folded into the latest version leave them behind). Only for the latest
        version: a later one may use a part this one introduced."""
        if PlanVersion.objects.filter(plan_id=self.plan_id, number__gt=self.number).exists():
            return
        used = PlanVersionPart.objects.ids_in(self.content)
        PlanVersionPart.objects.filter(plan_id=self.plan_id, introduced_in=self.number).exclude(
            pk__in=used
        ).delete()


def content_digest(data) -> str:
    """The SHA-256 of a part's canonical JSON: equal content, equal digest."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


class PlanVersionPartManager(models.Manager):
    LOOKUP_CHUNK = 500  # digests per query (SQLite's limit on parameters)

    def store(self, plan_id: int, number: int, snapshot: dict) -> dict:
        """The compact content of `snapshot`: every section, goal and focus area stored as a part
        of the plan (once: a part already stored is found by its digest) and replaced by its id.
        New parts remember `number`, the version that introduced them. Two to four queries."""
        sections = snapshot["sections"]
        areas = [dict(area) for area in snapshot["focus_areas"]]
        ids = self._ids(plan_id, number, [*sections, *(goal for area in areas for goal in area["goals"])])
        goal_ids = iter(ids[len(sections) :])
        for area in areas:
            area["goals"] = [next(goal_ids) for _ in area["goals"]]
        return {
            **snapshot,
            "sections": ids[: len(sections)],
            "focus_areas": self._ids(plan_id, number, areas),
        }

    def _ids(self, plan_id: int, number: int, items: list[dict]) -> list[int]:
        digests = [content_digest(item) for item in items]
        known: dict[str, int] = {}
        wanted = list(dict.fromkeys(digests))
        for start in range(0, len(wanted), self.LOOKUP_CHUNK):
            chunk = wanted[start : start + self.LOOKUP_CHUNK]
            known.update(self.filter(plan_id=plan_id, digest__in=chunk).values_list("digest", "pk"))
        new = {}
        for digest, item in zip(digests, items, strict=True):
            if digest not in known and digest not in new:
                new[digest] = self.model(plan_id=plan_id, digest=digest, data=item, introduced_in=number)
        if new:
            created = self.bulk_create(new.values())
            if any(part.pk is None for part in created):  # a database that returns no ids
                known.update(self.filter(plan_id=plan_id, digest__in=list(new)).values_list("digest", "pk"))
            else:
                known.update((part.digest, part.pk) for part in created)
        return [known[digest] for digest in digests]

    def expand(self, content: dict) -> dict:
        """The whole snapshot of a compact content (two queries)."""
        parts = dict(
            self.filter(pk__in=content["sections"] + content["focus_areas"]).values_list("pk", "data")
        )
        goal_ids = [goal for ref in content["focus_areas"] for goal in parts[ref]["goals"]]
        parts.update(self.filter(pk__in=goal_ids).values_list("pk", "data"))
        areas = [dict(parts[ref]) for ref in content["focus_areas"]]
        for area in areas:
            area["goals"] = [dict(parts[ref]) for ref in area["goals"]]
        return {
            **content,
            "sections": [dict(parts[ref]) for ref in content["sections"]],
            "focus_areas": areas,
        }

    def ids_in(self, content: dict) -> set[int]:
        """Every part a compact content uses, its goals included (one query)."""
        areas = self.filter(pk__in=content["focus_areas"]).values_list("data", flat=True)
        goals = {goal for data in areas for goal in data["goals"]}
        return {*content["sections"], *content["focus_areas"], *goals}


class PlanVersionPart(models.Model):
    """A section, a goal (with its activities and indicators) or a focus area (with its goals as
    ids of parts) as it was in one or more versions of a plan, stored once per plan."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64)
    data = models.JSONField()
    introduced_in = models.PositiveIntegerField()  # the number of the version that first stored it

    objects = PlanVersionPartManager()

    class Meta:
        verbose_name = _("part of a plan version")
        verbose_name_plural = _("parts of plan versions")
        constraints = [
            models.UniqueConstraint(fields=["plan", "digest"], name="plan_version_part_digest_unique")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} part {self.digest[:12]}"


# --- reviews and follow-ups -----------------------------------------------------------------


class StatusChange(models.Model):
    """Every status transition of a plan or of one of its follow-ups: who, when, from, to."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="status_changes")
    follow_up = models.ForeignKey(
        "FollowUp", on_delete=models.CASCADE, null=True, blank=True, related_name="status_changes"
    )
    from_status = models.CharField(_("from"), max_length=24, blank=True)
    to_status = models.CharField(_("to"), max_length=24)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(_("when"), default=timezone.now)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.from_status} → {self.to_status}"

    def _label(self, value: str) -> str:
        choices = FollowUp.Status if self.follow_up_id else Plan.Status
        try:
            return choices(value).label
        except ValueError:
            return value

    @property
    def from_label(self) -> str:
        return self._label(self.from_status) if self.from_status else ""

    @property
    def to_label(self) -> str:
        return self._label(self.to_status)


class Review(models.Model):
    """One round of review (granskning): opened when the plan is submitted, closed with feedback."""

    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("review state", "Awaiting review")
        CLOSED = "closed", pgettext_lazy("review state", "Feedback given")
        WITHDRAWN = "withdrawn", pgettext_lazy("review state", "Withdrawn")

    class Outcome(models.TextChoices):
        READY = "ready", _("Ready for adoption")
        MINOR = "minor", _("Ready after minor changes")
        MAJOR = "major", _("Needs substantial revision")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reviews")
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    reviewing_organisation = models.ForeignKey(
        Organisation, verbose_name=_("reviewed by"), on_delete=models.PROTECT, related_name="reviews_given"
    )
    version_number = models.PositiveIntegerField(_("submitted version"))
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.OPEN)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["plan", "round"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "round"], name="review_round_unique"),
            models.UniqueConstraint(
                fields=["plan"], condition=models.Q(state="open"), name="review_one_open_per_plan"
            ),
        ]
        indexes = [models.Index(fields=["state", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.plan} – {self.round}"

    def get_absolute_url(self) -> str:
        return reverse("plans:review", args=[self.plan_id, self.pk])

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def is_closed(self) -> bool:
        return self.state == self.State.CLOSED


class Assessment(models.Model):
    class Rating(models.TextChoices):
        MET = "met", _("Met")
        PARTLY = "partly", _("Partly met")
        NOT_MET = "not_met", _("Not met")

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="assessments")
    criterion = models.ForeignKey(
        "portal.QualityCriterion", on_delete=models.PROTECT, related_name="assessments"
    )
    rating = models.CharField(_("assessment"), max_length=16, choices=Rating.choices)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["criterion__sort_order", "criterion__name"]
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="assessment_once_per_criterion")
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.rating}"


class ReviewComment(models.Model):
    """A comment anchored to a section of the plan (or the whole plan); replies form a thread."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="comments")
    section = models.ForeignKey(
        Section, on_delete=models.SET_NULL, null=True, blank=True, related_name="review_comments"
    )
    section_heading = models.CharField(max_length=200, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:60]

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None


class FollowUp(models.Model):
    """The annual follow-up (uppföljning) of an adopted plan for one year."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("follow-up status", "Draft")
        SUBMITTED = "submitted", pgettext_lazy("follow-up status", "Submitted")
        COMPLETION = "completion", pgettext_lazy("follow-up status", "Completion requested")
        ACKNOWLEDGED = "acknowledged", pgettext_lazy("follow-up status", "Acknowledged")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="follow_ups")
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    narrative = models.TextField(_("narrative"), blank=True)
    reviewer_note = models.TextField(_("note from the reviewer"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["plan", "-year"]
        constraints = [models.UniqueConstraint(fields=["plan", "year"], name="follow_up_once_per_year")]

    def __str__(self) -> str:
        return f"{self.plan} – {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("plans:followup", args=[self.plan_id, self.year])

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.COMPLETION)


class GoalFollowUp(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", pgettext_lazy("goal status", "Not started")
        IN_PROGRESS = "in_progress", pgettext_lazy("goal status", "In progress")
        ACHIEVED = "achieved", pgettext_lazy("goal status", "Achieved")
        NOT_ACHIEVED = "not_achieved", pgettext_lazy("goal status", "Not achieved")
        CANCELLED = "cancelled", pgettext_lazy("goal status", "Cancelled")

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="goals")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="follow_ups")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("goal follow-up")
        verbose_name_plural = _("goal follow-ups")
        constraints = [models.UniqueConstraint(fields=["follow_up", "goal"], name="goal_follow_up_unique")]

    def __str__(self) -> str:
        return f"{self.goal}: {self.status}"


class IndicatorFollowUp(models.Model):
    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="indicators")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="follow_ups")
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("indicator follow-up")
        verbose_name_plural = _("indicator follow-ups")
        constraints = [
            models.UniqueConstraint(fields=["follow_up", "indicator"], name="indicator_follow_up_unique")
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value}"
