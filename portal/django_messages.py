"""Django 6.1's own Swedish catalogue lacks a few of its newer messages, so users saw them in
English (the empty choice of every required select list: "- Select an option -"). Marking them
here puts them in our catalogue, which `LOCALE_PATHS` ranks before Django's. Not imported
anywhere: `makemessages` reads it, nothing needs to run it."""

from django.utils.translation import gettext_noop

MISSING_FROM_DJANGO_SV = [
    gettext_noop("- Select an option -"),  # django.db.models.fields.BLANK_CHOICE_LABEL
    gettext_noop("No %s matches the given query."),  # get_object_or_404
]
