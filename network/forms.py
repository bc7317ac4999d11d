from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from network.models import Network
from portal.documents import DocumentUploadForm
from portal.forms import BoundedModelMultipleChoiceField, PortalForm, PortalModelForm
from portal.models import FocusArea, Organisation, User


class NetworkForm(PortalModelForm):
    coordinators = forms.CharField(
        label=_("Other coordinators"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "E-mail addresses of people with an account in the portal, one per line or separated by commas."
        ),
    )

    class Meta:
        model = Network
        fields = ["name", "purpose", "regions", "focus_areas", "open_to_join", "visibility", "status"]
        field_classes = {
            "regions": BoundedModelMultipleChoiceField,
            "focus_areas": BoundedModelMultipleChoiceField,
        }
        widgets = {
            "regions": forms.CheckboxSelectMultiple,
            "focus_areas": forms.CheckboxSelectMultiple,
            "visibility": forms.RadioSelect,
            "status": forms.RadioSelect,
            "purpose": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "regions": _("The regions that run the network together. Include at least one of your own."),
            "visibility": _("A members-only network is invisible to everyone else."),
        }

    def __init__(self, *args, own_region_ids: set[int] | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.own_region_ids = own_region_ids
        self.fields["regions"].queryset = Organisation.objects.filter(kind=Organisation.Kind.REGION).order_by(
            "name"
        )
        self.fields["focus_areas"].queryset = FocusArea.objects.filter(is_active=True)
        if not self.instance.pk and own_region_ids and len(own_region_ids) == 1:
            self.fields["regions"].initial = list(own_region_ids)

    def clean_regions(self):
        regions = self.cleaned_data["regions"]
        if self.own_region_ids is not None and not any(r.pk in self.own_region_ids for r in regions):
            raise forms.ValidationError(_("Choose at least one of your own regions."))
        return regions

    def clean_coordinators(self):
        raw = self.cleaned_data["coordinators"].replace(",", "\n").replace(";", "\n")
        addresses = {a.strip().lower() for a in raw.split() if a.strip()}
        users = list(User.objects.filter(email__in=addresses, is_active=True))
        unknown = addresses - {u.email for u in users}
        if unknown:
            raise forms.ValidationError(
                _("No account has the address %(addresses)s.") % {"addresses": ", ".join(sorted(unknown))}
            )
        return users

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk and cleaned.get("name"):
            base = slugify(cleaned["name"])[:150] or "natverk"
            slug, n = base, 2
            while Network.objects.filter(slug=slug).exists():
                slug, n = f"{base}-{n}", n + 1
            self.instance.slug = slug
        return cleaned


class NetworkFilterForm(PortalForm):
    region = forms.ModelChoiceField(
        label=_("Region"),
        required=False,
        queryset=Organisation.objects.filter(kind=Organisation.Kind.REGION).order_by("name"),
        empty_label=_("All regions"),
        to_field_name="code",
    )
    focus_area = forms.ModelChoiceField(
        label=_("Focus area"),
        required=False,
        queryset=FocusArea.objects.filter(is_active=True),
        empty_label=_("All focus areas"),
        to_field_name="slug",
    )
    join = forms.ChoiceField(
        label=_("Joining"),
        required=False,
        choices=[("", _("Open or by request")), ("open", _("Open to join")), ("request", _("By request"))],
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Active or closed")), *Network.Status.choices]
    )


class DocumentForm(DocumentUploadForm):
    """A network document: the portal's document upload (portal.documents)."""
