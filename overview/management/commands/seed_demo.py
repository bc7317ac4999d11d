from django.core.management.base import BaseCommand

from calendar_app import demo as calendar_demo
from plans import demo as plans_demo
from plans import demo_reviews
from portal import demo


class Command(BaseCommand):
    help = "Create or update realistic demo people, roles and data (idempotent)."

    def handle(self, *args, **options):
        logins = demo.seed()
        plans = plans_demo.seed()
        self.stdout.write(f"Demo plans created: {plans}")
        made = demo_reviews.seed()
        self.stdout.write(
            f"Demo reviews: {made['reviews']}, follow-ups: {made['follow_ups']}, "
            f"staircase levels: {made['staircase']}"
        )
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready. Password for every demo login: {demo.DEMO_PASSWORD}")
        )
        for role, org, email in logins:
            self.stdout.write(f"  {role:<28} {org:<28} {email}")
        counts = calendar_demo.seed()
        self.stdout.write(
            f"  Networks: {counts['networks']}; events created now: {counts['events']} (a year around today)."
        )
