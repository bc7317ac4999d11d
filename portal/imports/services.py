"""Previewing and confirming imports. The file is kept on the ImportBatch between the two steps,
so the confirmed import reads exactly the file that was previewed."""

from __future__ import annotations

from datetime import timedelta

import tablib
from django.db import transaction
from django.utils import timezone

from portal.imports.base import ImportFileError, header_matcher, read_rows, summarise, to_dataset
from portal.imports.registry import Importer
from portal.models import ImportBatch
from portal.validators import strip_control_characters

# An uploaded file waits this long for its confirmation; then it is dropped (it may hold
# personal data: names and e-mail addresses of people to invite).
KEEP_PREVIEWS = timedelta(days=1)


class AlreadyImported(Exception):
    pass


def _run(importer: Importer, user, content: bytes, *, dry_run: bool) -> dict:
    dataset: tablib.Dataset = to_dataset(
        read_rows(content, header_matcher(importer.columns)), importer.columns
    )
    resource = importer.resource_class(user)
    result = resource.import_data(
        dataset, dry_run=dry_run, use_transactions=True, rollback_on_validation_errors=True
    )
    return summarise(resource, dataset, result)


def preview(importer: Importer, user, filename: str, content: bytes) -> ImportBatch:
    """Read the file and import it in a dry run (always rolled back); keep the outcome.

    Raises ImportFileError when the file as a whole cannot be read (nothing is kept then).
    """
    summary = _run(importer, user, content, dry_run=True)
    drop_abandoned()
    return ImportBatch.objects.create(
        kind=importer.kind,
        filename=strip_control_characters(filename, single_line=True)[:255],
        content=content,
        preview=summary,
        totals=summary["totals"],
        created_by=user,
    )


IMPORTED, HAS_ERRORS, CHANGED = "imported", "errors", "changed"


def confirm(importer: Importer, batch: ImportBatch, user) -> str:
    """Import the previewed file for real: every row or none.

    Returns IMPORTED; HAS_ERRORS when a row fails now (the new errors are kept on the batch for
    the person to see); or CHANGED when the import would now do something else than the preview
    showed (a row that was new is now an update, say): nothing is written, the batch gets the new
    preview and waits for a fresh confirmation.
    Raises AlreadyImported when the batch was imported or cancelled (a second click, say).
    """
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status != ImportBatch.Status.PREVIEWED:
            raise AlreadyImported
        previewed = locked.totals
        savepoint = transaction.savepoint_create()
        try:
            summary = _run(importer, user, bytes(locked.content), dry_run=False)
        except ImportFileError as error:  # the file was read once; only a code change gets here
            summary = {**locked.preview, "errors": [{"line": None, "messages": [error.message]}]}
        outcome = IMPORTED
        if summary["errors"]:
            outcome = HAS_ERRORS  # django-import-export has rolled the rows back already
        elif summary["totals"] != previewed:
            transaction.savepoint_rollback(savepoint)  # e-mails queued on commit go with it
            outcome = CHANGED
        locked.preview = summary
        locked.totals = summary["totals"]
        if outcome == IMPORTED:
            locked.status = ImportBatch.Status.IMPORTED
            locked.imported_at = timezone.now()
            locked.content = b""  # the data is in the portal now; the file need not be kept
        locked.save()
    batch.refresh_from_db()
    return outcome


def cancel(batch: ImportBatch) -> None:
    ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.PREVIEWED).update(
        status=ImportBatch.Status.CANCELLED, content=b""
    )


def drop_abandoned(now=None) -> int:
    """Cancel previews nobody confirmed within KEEP_PREVIEWS and forget their files."""
    cutoff = (now or timezone.now()) - KEEP_PREVIEWS
    return ImportBatch.objects.filter(status=ImportBatch.Status.PREVIEWED, created_at__lt=cutoff).update(
        status=ImportBatch.Status.CANCELLED, content=b""
    )
