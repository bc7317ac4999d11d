"""Path converters that match only well-formed values, so junk in a URL (a NUL byte, spaces,
another script) is a 404 at the resolver and never reaches a view or the database.

Every URL parameter uses one of these, `int` or `slug`; never the catch-all `str` or `path`
(tests/test_url_parameters.py walks the URL patterns to keep it so).
"""


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


class TokenConverter(_AsIs):
    """A secret from a link (invitation, cancel link, personal feed, password reset): the
    URL-safe base64 alphabet of `secrets.token_urlsafe` and Django's reset tokens."""

    regex = r"[A-Za-z0-9_-]{1,128}"
