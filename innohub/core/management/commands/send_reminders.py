"""Today's reminders, for a daily cron job: overdue programme milestones to the startups that
owe a report, and Q&A questions due by the next working day (or late) to the staff holding
them. Safe to run twice: each is reminded at most once a day."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Queue today's reminders (overdue milestones, Q&A questions due soon or late); run once a day."

    def handle(self, *args, **options):
        from innohub.programs.tasks import remind_overdue_milestones
        from innohub.qa.tasks import remind_due_questions

        milestones = remind_overdue_milestones.call()
        questions = remind_due_questions.call()
        self.stdout.write(f"Queued {milestones} milestone reminder(s) and {questions} question reminder(s).")
