"""The portal's own import kinds: organisations' contact details, people (as invitations) and
key figures (statistics values, e.g. from KB's library statistics or Kolada)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import services
from portal.emails import validate_deliverable_address
from portal.formatting import compact
from portal.forms import PortalForm
from portal.imports.base import (
    ChoiceCellField,
    Column,
    DecimalCellField,
    FormRowResource,
    OrganisationCodeField,
    normalise_heading,
    organisations_by_code,
)
from portal.models import IndicatorDefinition, Invitation, Membership, Organisation, Role, StatisticValue
from portal.rules import can, invitable_roles

# --- organisations ----------------------------------------------------------------------

CONTACT_FIELDS = ("library_name", "website", "email", "phone", "address")


class OrganisationRowForm(PortalForm):
    name = forms.CharField(max_length=120, required=False)
    library_name = forms.CharField(max_length=200, required=False)
    website = forms.URLField(required=False, assume_scheme="https")
    email = forms.EmailField(required=False)
    phone = forms.CharField(max_length=40, required=False)
    address = forms.CharField(max_length=200, required=False)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"] = OrganisationCodeField(organisations)


class OrganisationResource(FormRowResource):
    columns = [
        Column("code", gettext_lazy("Code"), example="0880", aliases=("kommunkod", "organisationskod")),
        Column("name", gettext_lazy("Name"), required=False, example="Kalmar", aliases=("kommun", "namn")),
        Column(
            "library_name",
            gettext_lazy("Library organisation"),
            required=False,
            example="Kalmar stadsbibliotek",
        ),
        Column("website", gettext_lazy("Website"), required=False, example="https://kalmar.se/bibliotek"),
        Column(
            "email",
            gettext_lazy("E-mail address"),
            required=False,
            aliases=("e-post",),
            example="bibliotek@kalmar.se",
        ),
        Column("phone", gettext_lazy("Phone"), required=False, example="0480-45 06 30"),
        Column("address", gettext_lazy("Visiting address"), required=False, example="Tullslätten 4, Kalmar"),
    ]

    class Meta:
        model = Organisation

    def __init__(self, user):
        super().__init__(user)
        self.organisations = organisations_by_code()

    def row_form(self, data):
        return OrganisationRowForm(data, organisations=self.organisations)

    def check_row(self, cleaned):
        org = cleaned["code"]
        if not can(self.user, "portal.change_organisation_data", org):
            raise ValidationError(
                {"code": _("You may not change the details of %(organisation)s.") % {"organisation": org}}
            )
        name = cleaned.get("name")
        if name and normalise_heading(name) not in {
            normalise_heading(org.name),
            normalise_heading(_short(org)),
        }:
            raise ValidationError(
                {
                    "name": _("Code %(code)s is %(organisation)s, not “%(name)s”. Check the code.")
                    % {"code": org.code, "organisation": org.name, "name": name}
                }
            )

    def duplicate_key(self, cleaned):
        return (cleaned["code"].pk,)

    def find(self, cleaned):
        return cleaned["code"]

    def _changes(self, cleaned) -> dict:
        # A blank cell leaves the detail as it is: an import never erases what someone wrote.
        return {name: cleaned[name] for name in CONTACT_FIELDS if name in self.present and cleaned[name]}

    def apply(self, instance, cleaned):
        for name, value in self._changes(cleaned).items():
            setattr(instance, name, value)

    def unchanged(self, instance, original, cleaned):
        return all(original[name] == value for name, value in self._changes(cleaned).items())

    def save_row(self, instance, cleaned, new):
        instance.save(update_fields=list(self._changes(cleaned)))

    def describe(self, instance, cleaned, new, original):
        changed = [
            str(Organisation._meta.get_field(name).verbose_name)
            for name, value in self._changes(cleaned).items()
            if original[name] != value
        ]
        if not changed:
            return _("%(organisation)s (%(code)s): no changes") % {
                "organisation": instance,
                "code": instance.code,
            }
        return _("%(organisation)s (%(code)s): %(fields)s") % {
            "organisation": instance,
            "code": instance.code,
            "fields": ", ".join(changed),
        }


def _short(org: Organisation) -> str:
    """'Kalmar' for 'Kalmar kommun' (files from SCB often give the bare name)."""
    for suffix in (" kommun", " stad"):
        if org.name.endswith(suffix):
            return org.name[: -len(suffix)]
    return org.name


# --- people (invitations) ---------------------------------------------------------------


class PersonRowForm(PortalForm):
    email = forms.EmailField(max_length=254, validators=[validate_deliverable_address])
    first_name = forms.CharField(max_length=80, required=False)
    last_name = forms.CharField(max_length=80, required=False)
    role = ChoiceCellField(Role.choices)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"] = OrganisationCodeField(organisations)

    def clean_role(self):
        role = self.cleaned_data["role"]
        if not role:
            raise ValidationError(_("This field is required."), code="required")
        return role


class PersonResource(FormRowResource):
    columns = [
        Column(
            "email", gettext_lazy("E-mail address"), aliases=("e-post", "email"), example="karin.ek@kalmar.se"
        ),
        Column(
            "first_name", gettext_lazy("First name"), required=False, aliases=("förnamn",), example="Karin"
        ),
        Column("last_name", gettext_lazy("Last name"), required=False, aliases=("efternamn",), example="Ek"),
        Column("code", gettext_lazy("Organisation code"), aliases=("kod", "kommunkod"), example="0880"),
        Column("role", gettext_lazy("Role"), aliases=("roll",), example=str(Role.EDITOR.label)),
    ]

    class Meta:
        model = Invitation

    @classmethod
    def allowed_values(cls):
        return [(str(cls.columns[4].label), [str(label) for _key, label in Role.choices])]

    def __init__(self, user):
        super().__init__(user)
        self.organisations = organisations_by_code()

    def row_form(self, data):
        return PersonRowForm(data, organisations=self.organisations)

    def check_row(self, cleaned):
        org, role = cleaned["code"], cleaned["role"]
        if role not in invitable_roles(self.user, org):
            raise ValidationError(
                {
                    "role": _("You may not invite a person as %(role)s to %(organisation)s.")
                    % {"role": Role(role).label.lower(), "organisation": org}
                }
            )
        if Membership.objects.filter(organisation=org, user__email__iexact=cleaned["email"]).exists():
            raise ValidationError(
                {"email": _("This person already has a role in %(organisation)s.") % {"organisation": org}}
            )

    def duplicate_key(self, cleaned):
        return (cleaned["email"].casefold(), cleaned["code"].pk)

    def find(self, cleaned):
        return (
            Invitation.objects.pending()
            .filter(organisation=cleaned["code"], email__iexact=cleaned["email"])
            .first()
        )

    def apply(self, instance, cleaned):
        pass  # `services.invite` creates the invitation (and replaces a pending one)

    def save_row(self, instance, cleaned, new):
        services.invite(
            inviter=self.user,
            organisation=cleaned["code"],
            email=cleaned["email"],
            role=cleaned["role"],
            first_name=cleaned["first_name"],
            last_name=cleaned["last_name"],
        )

    def describe(self, instance, cleaned, new, original):
        values = {
            "name": " ".join(filter(None, [cleaned["first_name"], cleaned["last_name"]])) or cleaned["email"],
            "email": cleaned["email"],
            "role": Role(cleaned["role"]).label.lower(),
            "organisation": cleaned["code"],
        }
        if new:
            return _("%(name)s <%(email)s> is invited as %(role)s to %(organisation)s") % values
        return (
            _(
                "%(name)s <%(email)s> gets a new invitation as %(role)s to %(organisation)s "
                "(replaces the pending one)"
            )
            % values
        )


# --- key figures ------------------------------------------------------------------------


class StatisticRowForm(PortalForm):
    value = DecimalCellField(max_digits=14, decimal_places=2)
    source = forms.CharField(max_length=120, required=False)

    def __init__(self, *args, organisations, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"] = OrganisationCodeField(organisations)
        self.fields["indicator"] = forms.CharField(max_length=200)
        self.indicators = indicators
        self.fields["year"] = forms.IntegerField(min_value=1990, max_value=timezone.localdate().year)

    def clean_indicator(self):
        name = self.cleaned_data["indicator"]
        indicator = self.indicators.get(normalise_heading(name))
        if indicator is None:
            raise ValidationError(
                _("Unknown indicator “%(name)s”. Use the name of a key indicator in the catalogue.")
                % {"name": name}
            )
        return indicator


class StatisticResource(FormRowResource):
    columns = [
        Column(
            "code",
            gettext_lazy("Organisation code"),
            aliases=("kod", "kommunkod", "kommun-id"),
            example="0880",
        ),
        Column("year", gettext_lazy("Year"), aliases=("år", "period"), example="2025"),
        Column(
            "indicator",
            gettext_lazy("Indicator"),
            aliases=("nyckeltal",),
            example="Fysiska besök per invånare",
        ),
        Column("value", gettext_lazy("Value"), aliases=("värde",), example="4,2"),
        Column(
            "source",
            gettext_lazy("Source"),
            required=False,
            aliases=("källa",),
            example="KB:s biblioteksstatistik",
        ),
    ]

    class Meta:
        model = StatisticValue

    @classmethod
    def allowed_values(cls):
        names = IndicatorDefinition.objects.filter(is_active=True).values_list("name", flat=True)
        return [(str(cls.columns[2].label), list(names))]

    def __init__(self, user):
        super().__init__(user)
        self.organisations = organisations_by_code()
        self.indicators = {
            normalise_heading(i.name): i for i in IndicatorDefinition.objects.filter(is_active=True)
        }

    def row_form(self, data):
        return StatisticRowForm(data, organisations=self.organisations, indicators=self.indicators)

    def check_row(self, cleaned):
        org = cleaned["code"]
        if not can(self.user, "portal.record_statistics", org):
            raise ValidationError(
                {"code": _("You may not record key figures for %(organisation)s.") % {"organisation": org}}
            )

    def duplicate_key(self, cleaned):
        return (cleaned["code"].pk, cleaned["indicator"].pk, cleaned["year"])

    def find(self, cleaned):
        return StatisticValue.objects.filter(
            organisation=cleaned["code"], indicator=cleaned["indicator"], year=cleaned["year"]
        ).first()

    def apply(self, instance, cleaned):
        instance.organisation = cleaned["code"]
        instance.indicator = cleaned["indicator"]
        instance.year = cleaned["year"]
        instance.value = cleaned["value"]
        if cleaned["source"] or instance.pk is None:
            instance.source = cleaned["source"]

    def unchanged(self, instance, original, cleaned):
        return original["value"] == cleaned["value"] and (
            not cleaned["source"] or original["source"] == cleaned["source"]
        )

    def save_row(self, instance, cleaned, new):
        instance.updated_by = self.user
        instance.save()

    def describe(self, instance, cleaned, new, original):
        values = {
            "organisation": instance.organisation,
            "indicator": instance.indicator,
            "year": instance.year,
            "value": compact(instance.value),
            "old": compact(original["value"]) if original.get("value") is not None else "",
        }
        if new:
            return _("%(organisation)s, %(indicator)s %(year)s: %(value)s") % values
        if original["value"] == instance.value:
            return _("%(organisation)s, %(indicator)s %(year)s: %(value)s (unchanged)") % values
        return _("%(organisation)s, %(indicator)s %(year)s: %(old)s → %(value)s") % values
