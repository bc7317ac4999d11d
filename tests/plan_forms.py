"""Posting the plan editor's forms as its page does (the field names carry the form's prefix)."""

from django.urls import reverse


def post_section(client, plan, section, version, heading="Inledning", body="<p>Ny text</p>", **headers):
    """Save a section from `version` (the version the editor loaded); headers such as HX-Request."""
    prefix = f"s{section.pk}"
    return client.post(
        reverse("plans:section_save", args=[plan.pk, section.pk]),
        {f"{prefix}-heading": heading, f"{prefix}-body": body, f"{prefix}-version": version},
        headers=headers,
    )
