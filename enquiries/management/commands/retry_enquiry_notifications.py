from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from enquiries.models import Enquiry
from enquiries.notifications import notify_owner
from pages.models import SiteSettings

Notification = Enquiry.Notification

# A pending enquiry younger than this may still be mid-send in a web request.
IN_FLIGHT = timedelta(minutes=2)


class Command(BaseCommand):
    help = (
        "Email the author every enquiry whose notification failed, or never went out. "
        "Exits with status 1 if some still could not be sent. Safe to run from cron."
    )

    def handle(self, *args, **options):
        waiting = (
            Enquiry.objects.filter(
                Q(notification=Notification.FAILED)
                | Q(notification=Notification.PENDING, created_at__lt=timezone.now() - IN_FLIGHT)
            )
            .select_related("need", "budget")
            .order_by("created_at")
        )
        if not waiting:
            self.stdout.write("No enquiries are waiting for a notification.")
            return
        if not SiteSettings.load().notification_email:
            raise CommandError(
                f"{len(waiting)} enquiries are waiting, but no notification email is set "
                "(Site settings → Work with me)."
            )
        results = [notify_owner(enquiry) for enquiry in waiting]
        sent, failed = results.count(Notification.SENT), results.count(Notification.FAILED)
        self.stdout.write(f"Retried {len(results)}: {sent} sent, {failed} failed.")
        if failed:
            raise CommandError(f"{failed} enquiries are still not notified; see the log.")
