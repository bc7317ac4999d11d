class OrganisationCodeConverter:
    """SCB codes: two digits (region), four digits (municipality), or KB (national)."""

    regex = r"[0-9]{2}|[0-9]{4}|KB"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
