"""Word search in plans: PostgreSQL full-text search with the Swedish configuration (stemming:
"bibliotekens" finds "bibliotek"), and a simple case-insensitive fallback on SQLite.

Snippets are built from plain text and escaped; only the <mark> highlights are markup.
"""

import re

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

START, STOP = "\x02", "\x03"


def _highlight(raw: str) -> SafeString:
    text = escape(raw).replace(START, "<mark>").replace(STOP, "</mark>")
    return mark_safe(" ".join(text.split()))  # noqa: S308 – escaped above; only <mark> is markup


def search_plans(plans: QuerySet, words: str) -> QuerySet:
    """Filter and rank `plans` by `words`; each result gets a `snippet` (SafeString or "")."""
    words = words.strip()
    if not words:
        return plans
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector

        vector = SearchVector("title", weight="A", config="swedish") + SearchVector(
            "search_text", weight="B", config="swedish"
        )
        query = SearchQuery(words, config="swedish", search_type="websearch")
        return (
            plans.annotate(document=vector)
            .filter(document=query)
            .annotate(
                rank=SearchRank(vector, query),
                raw_snippet=SearchHeadline(
                    "search_text",
                    query,
                    config="swedish",
                    start_sel=START,
                    stop_sel=STOP,
                    max_words=35,
                    min_words=15,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                ),
            )
            .order_by("-rank", "organisation__name")
        )
    terms = [t for t in re.split(r"\s+", words) if t][:8]
    condition = Q()
    for term in terms:
        condition &= Q(title__icontains=term) | Q(search_text__icontains=term)
    return plans.filter(condition)


def snippet_for(plan, words: str) -> SafeString:
    raw = getattr(plan, "raw_snippet", None)
    if raw is None:
        raw = _fallback_snippet(plan.search_text, words)
    return _highlight(raw) if raw else mark_safe("")


def _fallback_snippet(text: str, words: str, width: int = 110) -> str:
    terms = [re.escape(t) for t in re.split(r"\s+", words.strip()) if t][:8]
    if not terms or not text:
        return ""
    pattern = re.compile("|".join(terms), re.IGNORECASE)
    match = pattern.search(text)
    if not match:
        return ""
    start, end = max(0, match.start() - width), min(len(text), match.end() + width)
    excerpt = ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
    return pattern.sub(lambda m: START + m.group(0) + STOP, excerpt)
