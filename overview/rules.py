"""Who may ask for the reports (django-rules, loaded by autodiscovery). Each report kind also
answers `may_read(user, parameters)` itself (overview.reports), built on these."""

import rules

from portal.rules import is_admin, is_consultant_for, is_kb, is_region

# The national report is KB's (and the operator's).
rules.add_perm("reports.national", is_admin | is_kb)
# The regional board report: the region's consultants, KB and the operator (object: the region).
rules.add_perm("reports.regional", is_admin | is_kb | (is_region & is_consultant_for))
