import re

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from portal import emails
from portal.models import Role, User
from portal.validators import validate_date_range, validate_single_line, validate_text


def guard_fields(fields) -> None:
    """Give every field the portal's checks on what it stores (portal.validators): text fields
    refuse control characters, and unless they are multi-line (a Textarea) line breaks too;
    dates (and date-times) must lie in the portal's range of years. Idempotent."""
    for field in fields.values():
        if isinstance(field, forms.CharField):
            wanted = validate_text if isinstance(field.widget, forms.Textarea) else validate_single_line
        elif isinstance(field, forms.DateField | forms.DateTimeField | forms.SplitDateTimeField):
            wanted = validate_date_range
        else:
            continue
        if wanted not in field.validators:
            field.validators.append(wanted)


class GuardedFieldsMixin:
    """Every form of the portal derives from this (through PortalForm or PortalModelForm, or
    directly beside one of Django's forms); tests/test_architecture.py checks it. The checks are
    added when the form is cleaned, so fields a form adds in its __init__ get them too."""

    def full_clean(self):
        guard_fields(self.fields)
        super().full_clean()


class OneLineField(forms.CharField):
    """A single line made from whatever is typed or pasted: tabs, line breaks and runs of spaces
    become one space, so they need no message (the title of a document, often copied from the
    document itself). Other single-line fields refuse line breaks with a message."""

    def to_python(self, value):
        value = super().to_python(value)
        return " ".join(value.split()) if value else value


class PortalForm(GuardedFieldsMixin, forms.Form):
    pass


class PortalModelForm(GuardedFieldsMixin, forms.ModelForm):
    pass


class EmailAuthenticationForm(GuardedFieldsMixin, AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    error_messages = {
        "invalid_login": _(
            "The e-mail address or password is wrong. Check both and try again; after several "
            "failed attempts logging in is blocked for a while."
        ),
        "inactive": _("This account is inactive."),
    }


class PortalPasswordResetForm(GuardedFieldsMixin, PasswordResetForm):
    """Django's reset form; it never tells whether an address has an account."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def get_users(self, email):
        return User.objects.filter(email__iexact=email.strip(), is_active=True)

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        """Through the portal's one e-mail path: a failing mail server never answers the
        person with an error page (templates/emails/password_reset_*)."""
        keys = ("email", "domain", "site_name", "uid", "user", "token", "protocol")
        emails.send_after_commit(
            "password_reset",
            to_email,
            {key: context[key] for key in keys},
            language=translation.get_language(),
            secret=True,
        )


class InvitationForm(PortalForm):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        validators=[emails.validate_deliverable_address],
    )
    first_name = forms.CharField(label=_("First name"), max_length=80, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=80, required=False)
    role = forms.ChoiceField(label=_("Role"), widget=forms.RadioSelect)

    def __init__(self, *args, roles: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Role.choices)
        self.fields["role"].choices = [(r, labels[r]) for r in roles]
        if len(roles) == 1:
            self.fields["role"].initial = roles[0]


class AcceptInvitationForm(PortalForm):
    """Creates the account of a newly invited person."""

    first_name = forms.CharField(
        label=_("First name"), max_length=80, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=80, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Repeat the password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords are not the same."))
        elif p1:
            candidate = User(
                email=self.email,
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(p1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


# --- ids from requests ------------------------------------------------------------------------

MAX_DATABASE_ID = 2**63 - 1  # the largest value of a BigAutoField (and of SQLite's INTEGER)


def database_id(value) -> int | None:
    """An object id posted or in a query string, or None when it is not one: "12" → 12; "x",
    "²" and 10**23 (which the database driver cannot even send, a 500) → None."""
    if isinstance(value, str) and re.fullmatch(r"[0-9]{1,19}", value) and int(value) <= MAX_DATABASE_ID:
        return int(value)
    return None


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, which refuses every id the database could not hold with "not a valid
    value" as well: Django checks each id on its own, but then looks them up together with an IN
    query, and the driver cannot send 10**23 (a 500 instead of the message)."""

    def _check_values(self, value):
        if self.to_field_name is None:
            for pk in value:
                if isinstance(pk, str) and pk.strip().isdecimal() and database_id(pk.strip()) is None:
                    raise forms.ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                    )
        return super()._check_values(value)
