"""Organisations, people and their roles."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Organisation(models.Model):
    class Kind(models.TextChoices):
        NATIONAL = "national", pgettext_lazy("organisation kind", "National")
        REGION = "region", pgettext_lazy("organisation kind", "Region")
        MUNICIPALITY = "municipality", pgettext_lazy("organisation kind", "Municipality")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    code = models.CharField(
        _("code"),
        max_length=8,
        unique=True,
        help_text=_("SCB code (two digits for a region, four for a municipality)."),
    )
    name = models.CharField(_("name"), max_length=120)
    county_name = models.CharField(_("county"), max_length=120, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    # Contact details of the library organisation, kept up to date by hand or by import.
    library_name = models.CharField(
        _("library organisation"),
        max_length=200,
        blank=True,
        help_text=_("For example: Kalmar stadsbibliotek."),
    )
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.CharField(_("visiting address"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="municipality", parent__isnull=False)
                | (~models.Q(kind="municipality") & models.Q(parent__isnull=True)),
                name="organisation_parent_only_for_municipalities",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisation_detail", args=[self.code])

    @property
    def is_national(self) -> bool:
        return self.kind == self.Kind.NATIONAL

    @property
    def is_region(self) -> bool:
        return self.kind == self.Kind.REGION

    @property
    def is_municipality(self) -> bool:
        return self.kind == self.Kind.MUNICIPALITY

    @property
    def region_id(self) -> int | None:
        """The region this organisation belongs to (a region belongs to itself)."""
        if self.is_region:
            return self.pk
        return self.parent_id

    # Who answers for and who reviews an organisation's plans: the one definition of both.
    @property
    def owner_role(self) -> str:
        """Chefs answer for a municipality's plans, consultants for a region's."""
        return Role.CHEF if self.is_municipality else Role.CONSULTANT

    @property
    def reviewer_role(self) -> str | None:
        """Municipal plans are reviewed by the region's consultants, regional plans by KB."""
        if self.is_municipality:
            return Role.CONSULTANT
        if self.is_region:
            return Role.KB
        return None

    def reviewing_organisations(self) -> "models.QuerySet[Organisation]":
        """The organisations whose `reviewer_role` members review this one's plans: the region
        of a municipality, the national organisation (KB) for a region, none for KB."""
        if self.is_municipality:
            return Organisation.objects.filter(pk=self.parent_id)
        if self.is_region:
            return Organisation.objects.filter(kind=Organisation.Kind.NATIONAL)
        return Organisation.objects.none()

    def reviewing_organisation(self) -> "Organisation | None":
        """The one organisation recorded on a review (raises if KB is missing or not unique)."""
        if self.is_municipality:
            return self.parent
        if self.is_region:
            return Organisation.objects.get(kind=Organisation.Kind.NATIONAL)
        return None


class UserManager(BaseUserManager):
    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email: str | None) -> str:
        return (email or "").strip().lower()

    def get_by_natural_key(self, username):
        return self.get(email__iexact=self.normalize_email(username))

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account; logs in with e-mail address and password."""

    email = models.EmailField(_("e-mail address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=80)
    last_name = models.CharField(_("last name"), max_length=80)
    title = models.CharField(_("job title"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff status"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Kept in step by portal.notifications, so that the header's
    # unread count costs no query (the user row is loaded on every request anyway)
    unread_notification_count = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def clean(self) -> None:
        super().clean()
        self.email = UserManager.normalize_email(self.email)

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name


class Role(models.TextChoices):
    CHEF = "chef", _("Library chef")
    EDITOR = "editor", _("Editor")
    CONSULTANT = "consultant", _("Regional consultant")
    KB = "kb", _("KB officer")
    ADMIN = "admin", _("Administrator")


# Which roles fit which kind of organisation.
ROLES_FOR_KIND: dict[str, tuple[str, ...]] = {
    Organisation.Kind.MUNICIPALITY: (Role.CHEF, Role.EDITOR),
    Organisation.Kind.REGION: (Role.CONSULTANT,),
    Organisation.Kind.NATIONAL: (Role.KB, Role.ADMIN),
}


class MembershipQuerySet(models.QuerySet):
    def with_people(self):
        return self.select_related("user").order_by("user__last_name", "user__first_name")


class Membership(models.Model):
    """A person's role in one organisation. One role per person and organisation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="membership_one_role_per_organisation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.organisation}"

    def clean(self) -> None:
        if self.organisation_id and self.role not in ROLES_FOR_KIND[self.organisation.kind]:
            raise ValidationError({"role": _("This role does not fit this kind of organisation.")})


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())


def _default_expiry():
    return timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)


class Invitation(models.Model):
    """An e-mailed, single-use link that gives its holder a membership.

    Only the SHA-256 hash of the token is stored; the token itself exists only in the e-mail.
    """

    email = models.EmailField(_("e-mail address"))
    first_name = models.CharField(_("first name"), max_length=80, blank=True)
    last_name = models.CharField(_("last name"), max_length=80, blank=True)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="invitations"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), default=_default_expiry)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "email"])]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation} ({self.get_role_display()})"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    def set_new_token(self) -> str:
        token = secrets.token_urlsafe(32)
        self.token_hash = self.hash_token(token)
        return token

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and not self.is_expired


class FocusArea(models.Model):
    """A focus area (fokusområde) of the national catalogue, maintained by KB.

    Plans map their own focus areas to it; events and networks are tagged with it, so that
    reports can aggregate across regions.
    """

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


# --- national catalogues, notifications, development staircase -------------------------------


class QualityCriterion(models.Model):
    """A criterion of KB's quality model (and the library law) that a review assesses."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    law_reference = models.CharField(_("reference"), max_length=60, blank=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("quality criterion")
        verbose_name_plural = _("quality criteria")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class IndicatorDefinition(models.Model):
    """A national key indicator (nyckeltal) that plans may use, e.g. from KB's Nyckeltal 1.0."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=120, blank=True)
    focus_area = models.ForeignKey(
        FocusArea, verbose_name=_("focus area"), on_delete=models.SET_NULL, null=True, blank=True
    )
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("indicator definition")
        verbose_name_plural = _("indicator definitions")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class StaircaseArea(models.Model):
    """A maturity area of the development staircase (utvecklingstrappa)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("maturity area")
        verbose_name_plural = _("maturity areas")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


STAIRCASE_LEVELS = 4


class StaircaseLevel(models.Model):
    """What a level (1–4) means in one maturity area."""

    area = models.ForeignKey(StaircaseArea, on_delete=models.CASCADE, related_name="levels")
    number = models.PositiveSmallIntegerField(_("level"))
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("level description")
        verbose_name_plural = _("level descriptions")
        ordering = ["area", "number"]
        constraints = [models.UniqueConstraint(fields=["area", "number"], name="staircase_level_unique")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class StaircaseAssessment(models.Model):
    """An organisation's own assessment of its level in one area for one year."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="staircase_assessments"
    )
    area = models.ForeignKey(StaircaseArea, on_delete=models.PROTECT, related_name="assessments")
    year = models.PositiveSmallIntegerField(_("year"))
    level = models.PositiveSmallIntegerField(_("level"))
    comment = models.TextField(_("comment"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("staircase assessment")
        verbose_name_plural = _("staircase assessments")
        ordering = ["year", "area"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "area", "year"], name="staircase_once_per_year"),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=STAIRCASE_LEVELS), name="staircase_level_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.area} {self.year}: {self.level}"


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A message in a person's notification list (also sent by e-mail)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    text = models.CharField(_("text"), max_length=300)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.text


class StatisticValue(models.Model):
    """One key figure of one organisation and year, e.g. imported from KB's library statistics
    or from Kolada (both are keyed by the SCB codes)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="statistics"
    )
    indicator = models.ForeignKey(
        IndicatorDefinition, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="values"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    source = models.CharField(_("source"), max_length=120, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("statistic value")
        verbose_name_plural = _("statistic values")
        ordering = ["organisation", "indicator", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "indicator", "year"], name="statistic_value_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.indicator} {self.year}: {self.value}"


class ImportBatch(models.Model):
    """An uploaded CSV/XLSX file on its way in: previewed (a dry run) first, imported only when
    the person confirms. Kept afterwards as the record of who imported what and when."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", pgettext_lazy("import status", "Awaiting confirmation")
        IMPORTED = "imported", pgettext_lazy("import status", "Imported")
        CANCELLED = "cancelled", pgettext_lazy("import status", "Cancelled")

    kind = models.CharField(_("kind"), max_length=32)
    filename = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("file"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PREVIEWED)
    preview = models.JSONField(_("outcome"), default=dict)
    totals = models.JSONField(_("totals"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.CASCADE,
        related_name="import_batches",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    imported_at = models.DateTimeField(_("imported"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.filename} ({self.status})"

    @property
    def has_errors(self) -> bool:
        return bool(self.preview.get("errors"))
