from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from calendar_app import services


class Command(BaseCommand):
    help = (
        "Anonymise registrations of events that ended more than the retention period ago "
        "(CALENDAR_RETENTION_DAYS, default 365). Idempotent: safe to run daily from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"Retention period in days (default: {settings.CALENDAR_RETENTION_DAYS}).",
        )

    def handle(self, *args, days=None, **options):
        if days is not None and days < 0:
            raise CommandError("--days must be zero or more.")
        count = services.anonymise_past_registrations(days=days)
        self.stdout.write(self.style.SUCCESS(f"Anonymised {count} registrations."))
