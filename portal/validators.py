"""What every text and date the portal stores must be: the checks its forms share.

Control characters (a pasted terminal colour code, a bell, NUL) are invisible in a page, break
spreadsheet and calendar files and are refused by PostgreSQL (NUL); single-line fields (names,
titles, places) take no line breaks either, because they end up in e-mail subjects, file names
and calendar headers. Dates and years outside the portal's range are typing mistakes (year 1,
year 9999) that the database stores but cannot turn into local time again.

`portal.forms.PortalForm` and `PortalModelForm` apply these checks to every field of every form;
exports and calendars use `strip_control_characters` for what was stored before.
"""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

EARLIEST_YEAR = 2000
LATEST_YEAR = 2100

# C0 and C1 control characters and DEL, except tab, line feed and carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Line breaks and tabs, which a single-line field does not take (U+2028/2029 split lines too).
_BREAKS = re.compile(r"[\t\n\r\u2028\u2029]")


def has_control_characters(value: str) -> bool:
    return bool(_CONTROL.search(value))


def strip_control_characters(value, *, single_line: bool = False):
    """`value` without control characters (and, if `single_line`, with tabs and line breaks
    turned into single spaces). Anything but a string is returned as it is."""
    if not isinstance(value, str):
        return value
    value = _CONTROL.sub("", value)
    if single_line:
        value = " ".join(_BREAKS.sub(" ", value).split())
    return value


def validate_text(value) -> None:
    """Multi-line text: tabs and line breaks are fine, other control characters are not."""
    if isinstance(value, str) and has_control_characters(value):
        raise ValidationError(
            _("The text contains characters that are not allowed (control characters). Remove them."),
            code="control_characters",
        )


def validate_single_line(value) -> None:
    """A name, a title, a place: no control characters and no line breaks or tabs."""
    validate_text(value)
    if isinstance(value, str) and _BREAKS.search(value):
        raise ValidationError(
            _("This field takes a single line of text. Remove the line breaks and tabs."),
            code="line_breaks",
        )


def in_portal_range(value: datetime.date | None) -> bool:
    """True for a date (or date and time) between EARLIEST_YEAR and LATEST_YEAR."""
    return value is not None and EARLIEST_YEAR <= value.year <= LATEST_YEAR


def validate_date_range(value) -> None:
    if value is not None and not in_portal_range(value):
        raise ValidationError(
            _("Enter a date between the years %(earliest)s and %(latest)s.")
            % {"earliest": EARLIEST_YEAR, "latest": LATEST_YEAR},
            code="date_range",
        )


def date_param(value: str | None) -> datetime.date | None:
    """A date from a query string (`?fran=2027-03-04`): None when it is missing, malformed or
    outside the portal's range, so a link with a bad date shows the normal page."""
    try:
        parsed = datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None
    return parsed if in_portal_range(parsed) else None


def year_param(value: str | None, *, earliest: int = EARLIEST_YEAR, latest: int = LATEST_YEAR) -> int | None:
    """A year from a query string (`?ar=2026`): None unless it is 4 ASCII digits in range."""
    if not value or len(value) != 4 or not value.isascii() or not value.isdigit():
        return None
    year = int(value)
    return year if earliest <= year <= latest else None
