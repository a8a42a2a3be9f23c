"""Today's reminders, for a daily cron job: each app declares its own as `reminders` on its
AppConfig (`innohub.core.registry`) — today overdue programme milestones to the startups that
owe a report, and Q&A questions due by the next working day (or late) to the staff holding
them. Safe to run twice: each is reminded at most once a day."""

from django.core.management.base import BaseCommand

from innohub.core import registry


class Command(BaseCommand):
    help = "Queue today's reminders (every app's: overdue milestones, Q&A questions due soon or late); run once a day."

    def handle(self, *args, **options):
        queued = [f"{reminder.run()} {reminder.what} reminder(s)" for reminder in registry.reminders()]
        self.stdout.write(f"Queued {' and '.join(queued) or 'no reminders'}.")
