from django.core.management.base import BaseCommand

from portal.organisations import load_organisations


class Command(BaseCommand):
    help = "Load KB, the 21 regions and the 290 municipalities (idempotent; also runs on migrate)."

    def handle(self, *args, **options):
        result = load_organisations()
        self.stdout.write(f"Organisations: {result['created']} created, {result['updated']} updated.")
