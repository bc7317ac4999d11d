class _AsIs:
    """A path converter whose value is the matched text itself."""

    regex = ""

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class OrganisationCodeConverter(_AsIs):
    """SCB codes: two digits (region), four digits (municipality), or KB (national)."""

    regex = r"[0-9]{2}|[0-9]{4}|KB"


class ExportFormatConverter(_AsIs):
    """The two download formats: `<exportformat:file_format>`."""

    regex = "csv|xlsx"
