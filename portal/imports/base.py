"""Reading uploaded CSV/XLSX files and importing them row by row through django-import-export.

Every import kind is a `FormRowResource`: each row is validated by a Django form (the same rules
and Swedish messages as the portal's own forms), checked against the permissions module and
against the other rows of the file (duplicates), and only then saved. django-import-export runs
the rows in one transaction: a dry run (the preview) always rolls back, and a real run with any
row error rolls back as a whole, so an import is all-or-nothing.
"""

from __future__ import annotations

import csv
import datetime
import io
import logging
import zipfile
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import tablib
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import translation
from django.utils.formats import number_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from import_export import resources

from portal.models import Organisation

log = logging.getLogger(__name__)

MAX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED = 50 * 1024 * 1024  # an XLSX file's contents, unpacked
MAX_ROWS = 5000
MAX_COLUMNS = 100  # cells right of this are not read (CSV and XLSX alike)
MAX_LISTED_COLUMNS = 10  # unknown headings named in an error message; the rest are counted
MAX_HEADING_CHARS = 60  # a heading quoted in an error message is cut to this length
MAX_BLANK_RUN = 1000  # this many blank rows in a row end the sheet (formatted but empty rows)
PREVIEW_ROWS = 300
LINE = "_line"  # the row's number in the spreadsheet (the header is row 1)
EXTRA = "_extra"  # "1" when the row has filled cells beyond the header row's last column


class ImportFileError(Exception):
    """The file as a whole cannot be imported; the message is for the person (Swedish)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Column:
    key: str  # the form field the column fills
    label: str  # the heading in the file (Swedish, lazily translated)
    required: bool = True
    help: str = ""
    example: str = ""
    aliases: tuple[str, ...] = field(default=())

    def names(self) -> set[str]:
        """The headings this column answers to: its label in Swedish and English, its aliases."""
        with translation.override("sv"):
            swedish = str(self.label)
        with translation.override("en"):
            english = str(self.label)
        return {normalise_heading(n) for n in (self.key, swedish, english, *self.aliases)}


def normalise_heading(value) -> str:
    return " ".join(str(value or "").replace("\ufeff", "").split()).casefold()


# --- reading files ----------------------------------------------------------------------


def too_many_rows() -> ImportFileError:
    return ImportFileError(
        _("The file has more than %(max)s rows. Split it into smaller files.") % {"max": MAX_ROWS}
    )


def read_rows(content: bytes, is_header=None) -> list[list]:
    """The file's rows (the first one is the header row) from CSV or XLSX, recognised by content.

    `is_header(row)` picks the worksheet of an XLSX file whose first row holds the headings (a
    workbook often starts with an instructions sheet); without it, the first sheet is read.
    """
    if len(content) > MAX_BYTES:
        raise ImportFileError(
            _("The file is too large (%(size)s MB). An import file may be at most %(max)s MB.")
            % {"size": number_format(len(content) / 1024 / 1024, 1), "max": MAX_BYTES // 1024 // 1024}
        )
    if not content.strip():
        raise ImportFileError(_("The file is empty."))
    if content.startswith(b"PK\x03\x04"):
        return _read_xlsx(content, is_header)
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            _("The file is an old Excel file (.xls). Save it as .xlsx or as CSV (UTF-8) and try again.")
        )
    if b"\x00" in content[:8192]:
        raise ImportFileError(
            _(
                "The file is neither a CSV file nor an Excel file (.xlsx). "
                "Save it as one of them and try again."
            )
        )
    return _read_csv(content)


def _collect(rows_iter) -> list[list]:
    """Rows up to the limit (blank rows do not count); a long run of blank rows ends the sheet."""
    rows, filled, blank_run = [], 0, 0
    for row in rows_iter:
        if any(cell not in (None, "") for cell in row):
            filled += 1
            blank_run = 0
            if filled > MAX_ROWS + 1:  # the header row and MAX_ROWS rows of data
                raise too_many_rows()
        else:
            blank_run += 1
            if blank_run > MAX_BLANK_RUN:
                break
        rows.append(list(row))
    return rows


def _read_csv(content: bytes) -> list[list]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in Windows-1252 unless told otherwise.
        text = content.decode("cp1252", errors="replace")
    first_line = text.split("\n", 1)[0]
    delimiter = max([";", ",", "\t"], key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        # At most MAX_COLUMNS cells per row, as for XLSX (a header of 200,000 columns would
        # otherwise make every row, and the error message, that wide).
        return _collect(row[:MAX_COLUMNS] for row in reader)
    except csv.Error:
        raise ImportFileError(
            _("The file could not be read as CSV (row %(row)s is malformed, e.g. an unclosed quote).")
            % {"row": reader.line_num}
        ) from None


def _read_xlsx(content: bytes, is_header=None) -> list[list]:
    from openpyxl import load_workbook

    unreadable = _(
        "The file could not be read as an Excel file (.xlsx). It may be damaged or of another kind."
    )
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(entry.file_size for entry in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ImportFileError(unreadable) from None
    if unpacked > MAX_UNPACKED:  # a zip bomb, or a workbook far larger than any import
        raise ImportFileError(
            _(
                "The Excel file unpacks to more than %(max)s MB. "
                "Save only the sheet to import, as CSV or .xlsx."
            )
            % {"max": MAX_UNPACKED // 1024 // 1024}
        )
    try:
        # Formulas are read as formulas (not as Excel's last computed value): rows that hold one
        # are refused with a message, see FormRowResource.before_import_row.
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
        sheet = book.worksheets[0]
        if is_header is not None:
            for candidate in book.worksheets:
                first = next(candidate.iter_rows(values_only=True, max_row=1, max_col=MAX_COLUMNS), None)
                if first and is_header(first):
                    sheet = candidate
                    break
        # max_col: a sheet may declare 16,384 columns; every row would be padded to that width.
        rows = _collect(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS))
        book.close()
    except ImportFileError:
        raise
    except Exception as error:  # openpyxl raises many kinds of errors for broken files
        log.info("Unreadable XLSX upload: %r", error)
        raise ImportFileError(unreadable) from None
    return rows


def header_matcher(columns: list[Column]):
    """A test for a row that holds at least one of the required column headings."""
    names = {name for column in columns if column.required for name in column.names()}
    return lambda row: any(normalise_heading(cell) in names for cell in row if cell is not None)


def cell_text(value) -> str:
    """A cell as the text a form field expects (Excel gives numbers and dates as such)."""
    if value is None:
        return ""
    if hasattr(value, "text") and not isinstance(value, str):  # openpyxl's array formulas
        return str(value.text)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float | Decimal):
        return str(value)
    return str(value).strip()


def _summarise(headings: list[str]) -> str:
    """The first few headings, each cut short, and how many more there are: an error message
    stays readable whatever the file's header row holds."""
    shown = [Truncator(h).chars(MAX_HEADING_CHARS) for h in headings[:MAX_LISTED_COLUMNS]]
    text = ", ".join(shown)
    more = len(headings) - len(shown)
    if more:
        text += " " + ngettext("and %(count)s more", "and %(count)s more", more) % {"count": more}
    return text


def to_dataset(rows: list[list], columns: list[Column]) -> tablib.Dataset:
    """Match the header row to the columns and return the data rows as a Dataset whose headers
    are the columns' keys (plus the row number). Raises ImportFileError for wrong columns."""
    if not rows:
        raise ImportFileError(_("The file is empty."))
    headers = [normalise_heading(h) for h in rows[0]]
    while headers and not headers[-1]:
        headers.pop()
    by_name = {name: column for column in columns for name in column.names()}
    found: dict[str, int] = {}
    unknown = []
    for index, heading in enumerate(headers):
        column = by_name.get(heading)
        if column is None:
            if heading:
                unknown.append(str(rows[0][index]).strip())
            continue
        if column.key in found:
            raise ImportFileError(
                _("The column “%(column)s” appears twice in the header row.") % {"column": column.label}
            )
        found[column.key] = index
    missing = [str(c.label) for c in columns if c.required and c.key not in found]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
        if unknown:
            parts.append(_("Unknown columns: %(columns)s.") % {"columns": _summarise(unknown)})
        parts.append(
            _("The first row must hold the column headings: %(columns)s.")
            % {"columns": ", ".join(str(c.label) for c in columns)}
        )
        raise ImportFileError(" ".join(parts))

    present = [c for c in columns if c.key in found]
    width = len(headers)
    data = tablib.Dataset(headers=[LINE] + [c.key for c in present] + [EXTRA])
    for number, row in enumerate(rows[1:], start=2):
        values = [cell_text(row[found[c.key]]) if found[c.key] < len(row) else "" for c in present]
        # Cells right of the last heading: in a comma-separated file, often a decimal comma
        # ("4,2") or an address with a comma that split a value in two.
        extra = "1" if any(cell_text(cell) for cell in row[width:]) else ""
        if not any(values) and not extra:
            continue  # blank lines are common at the end of exported sheets
        data.append([number, *values, extra])
    if len(data) == 0:
        raise ImportFileError(_("The file has a header row but no rows to import."))
    if len(data) > MAX_ROWS:
        raise too_many_rows()
    return data


# --- importing rows ---------------------------------------------------------------------


class FormRowResource(resources.ModelResource):
    """Base of the portal's imports. Subclasses set `columns` and implement `row_form`,
    `check_row`, `find`, `apply`, `save_row` and `describe`."""

    columns: list[Column] = []

    def __init__(self, user):
        super().__init__()
        self.user = user
        self.seen: dict[tuple, int] = {}
        self.outcomes: dict[int, tuple[str, str]] = {}  # row number -> (new/update/skip, text)

    class Meta:
        skip_diff = True
        use_transactions = True

    # Subclass hooks -------------------------------------------------------------------

    @classmethod
    def allowed_values(cls) -> list[tuple[str, list[str]]]:
        """(column label, the values it accepts) for the columns that take a fixed set."""
        return []

    def row_form(self, data: dict) -> forms.Form:
        raise NotImplementedError

    def check_row(self, cleaned: dict) -> None:
        """Permissions and checks against the database; raise ValidationError."""

    def duplicate_key(self, cleaned: dict) -> tuple | None:
        return None

    def find(self, cleaned: dict):
        """The existing object this row updates, or None to create one."""
        return None

    def apply(self, instance, cleaned: dict) -> None:
        for name, value in cleaned.items():
            setattr(instance, name, value)

    def unchanged(self, instance, original, cleaned: dict) -> bool:
        return False

    def save_row(self, instance, cleaned: dict, new: bool) -> None:
        instance.save()

    def describe(self, instance, cleaned: dict, new: bool, original) -> str:
        return str(instance)

    # django-import-export hooks --------------------------------------------------------

    def before_import(self, dataset, **kwargs):
        self.present = set(dataset.headers) - {LINE, EXTRA}

    def before_import_row(self, row, **kwargs):
        if row.get(EXTRA):
            raise ValidationError(
                _(
                    "The row has more cells than the header row has columns. Is there a comma in a "
                    "value of a comma-separated file (a decimal comma, an address)? Put such values "
                    "in quotes, or separate the columns with semicolons."
                )
            )
        data = {c.key: row.get(c.key) or "" for c in self.columns}
        formulas = {
            key: _("The cell holds a formula. Paste the values instead (Paste special → Values).")
            for key, value in data.items()
            if value.startswith("=")
        }
        if formulas:
            raise ValidationError(formulas)
        form = self.row_form(data)
        if not form.is_valid():
            raise ValidationError({name: list(errors) for name, errors in form.errors.items()})
        cleaned = form.cleaned_data
        key = self.duplicate_key(cleaned)
        if key is not None:
            if key in self.seen:
                raise ValidationError(_("The row repeats row %(row)s of the file.") % {"row": self.seen[key]})
            self.seen[key] = row[LINE]
        self.check_row(cleaned)
        row["_cleaned"] = cleaned

    def get_or_init_instance(self, instance_loader, row):
        existing = self.find(row["_cleaned"])
        if existing is not None:
            return existing, False
        return self._meta.model(), True

    def import_instance(self, instance, row, **kwargs):
        self._original = self._snapshot(instance)
        self.apply(instance, row["_cleaned"])

    def _snapshot(self, instance) -> dict:
        return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors:
            return False
        new = instance.pk is None
        if not new and self.unchanged(instance, self._original, row["_cleaned"]):
            self.outcomes[row[LINE]] = (
                "skip",
                self.describe(instance, row["_cleaned"], False, self._original),
            )
            return True
        return False

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=None):
        if import_validation_errors:
            raise ValidationError(import_validation_errors)

    def save_instance(self, instance, is_create, row, **kwargs):
        self.save_row(instance, row["_cleaned"], is_create)
        text = self.describe(instance, row["_cleaned"], is_create, self._original)
        self.outcomes[row[LINE]] = ("new" if is_create else "update", text)

    def save_m2m(self, instance, row, **kwargs):
        pass  # `save_row` saves relations itself

    def column_label(self, key: str) -> str:
        for column in self.columns:
            if column.key == key:
                return str(column.label)
        return ""


def summarise(resource: FormRowResource, dataset: tablib.Dataset, result) -> dict:
    """The import's outcome as JSON for the preview page: totals, rows and every error."""
    lines = [row[0] for row in dataset]
    errors = []
    for invalid in result.invalid_rows:
        messages = []
        for key, field_errors in invalid.error_dict.items():
            label = "" if key == NON_FIELD_ERRORS else resource.column_label(key)
            for message in field_errors:
                messages.append(f"{label}: {message}" if label else str(message))
        errors.append({"line": lines[invalid.number - 1], "messages": messages})
    for number, row_errors in result.row_errors():
        for error in row_errors:
            log.warning("Import row %s failed: %r", number, error.error)
        message = _("The row could not be imported. Check its values.")
        errors.append({"line": lines[number - 1], "messages": [message]})
    for _error in result.base_errors:
        errors.append({"line": None, "messages": [_("The file could not be imported.")]})
    errors.sort(key=lambda e: e["line"] or 0)
    totals = {"new": 0, "update": 0, "skip": 0}
    for kind, _text in resource.outcomes.values():
        totals[kind] += 1
    rows = [
        {"line": line, "type": kind, "text": text} for line, (kind, text) in sorted(resource.outcomes.items())
    ]
    return {
        "total_rows": len(lines),
        "totals": totals,
        "errors": errors,
        "rows": rows[:PREVIEW_ROWS],
        "more_rows": max(0, len(rows) - PREVIEW_ROWS),
    }


# --- form fields shared by the import kinds ---------------------------------------------


def normalise_code(value: str) -> str:
    """SCB codes lose their leading zero in Excel (0880 → 880, 08 → 8): put it back."""
    value = value.strip()
    if value.isdigit() and len(value) in (1, 3):
        return value.zfill(len(value) + 1)
    return value


class OrganisationCodeField(forms.CharField):
    """An SCB code (or KB's code) in a cell, cleaned to the Organisation it names."""

    def __init__(self, organisations: dict, **kwargs):
        super().__init__(max_length=8, **kwargs)
        self.organisations = organisations

    def clean(self, value):
        code = normalise_code(super().clean(value) or "")
        if not code:
            return None
        organisation = self.organisations.get(code)
        if organisation is None:
            raise ValidationError(_("Unknown organisation code “%(code)s”.") % {"code": code}, code="unknown")
        return organisation


class DecimalCellField(forms.DecimalField):
    """A number written the Swedish way ("1 234,5") or the English way ("1234.5")."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace(",", ".")
        number = super().to_python(value)
        if number is not None and self.decimal_places is not None:
            # Excel keeps 4.1666… where it shows 4,17: round as it displays, half up.
            number = number.quantize(Decimal(1).scaleb(-self.decimal_places), rounding=ROUND_HALF_UP)
        return number


class ChoiceCellField(forms.CharField):
    """A choice given by its Swedish label or its code, case-insensitively."""

    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.choices = list(choices)

    def clean(self, value):
        text = normalise_heading(super().clean(value))
        if not text:
            return ""
        for key, label in self.choices:
            if text in (normalise_heading(key), normalise_heading(label)):
                return key
        raise ValidationError(
            _("“%(value)s” is not one of: %(choices)s.")
            % {"value": value, "choices": ", ".join(str(label) for _key, label in self.choices)},
            code="invalid_choice",
        )


def organisations_by_code() -> dict:

    return {o.code: o for o in Organisation.objects.all()}
