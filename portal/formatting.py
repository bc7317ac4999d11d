"""Swedish number formatting for reports."""

from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.utils import formats, translation

# The portal's time zone (TIME_ZONE): events, report years and dates are Stockholm time.
STOCKHOLM = ZoneInfo("Europe/Stockholm")


def number(value, decimals: int = 0) -> str:
    if value is None:
        return "–"
    # Django's number_format truncates extra decimals; round half up first, as people expect.
    value = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    with translation.override("sv"):
        return formats.number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def compact(value, decimals: int = 2) -> str:
    """A measured value without trailing zeros: 4.20 → "4,2", 1234.50 → "1 234,5", 4.00 → "4"."""
    text = number(value, decimals)
    return text.rstrip("0").rstrip(",") if "," in text else text


def percent(part: int, whole: int, decimals: int = 1) -> str:
    if not whole:
        return "–"
    return number(Decimal(part) * 100 / Decimal(whole), decimals) + "\u00a0%"


def share(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None
