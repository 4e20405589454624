"""Enquiries as a CSV download for spreadsheets and CRMs."""

import csv

from django.http import HttpResponse
from django.utils import timezone

HEADER = [
    "Received", "Name", "Email", "Company", "Need", "Budget", "Message",
    "Came from", "Handled", "Notified",
]  # fmt: skip
# A spreadsheet runs a cell starting with these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """The cell as text, with a leading ' if a spreadsheet would otherwise evaluate it."""
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def enquiries_csv(enquiries):
    filename = f"enquiries-{timezone.localdate():%Y-%m-%d}.csv"
    response = HttpResponse(
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
    # The byte order mark makes Excel read the file as UTF-8 (names, €).
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(HEADER)
    for enquiry in enquiries.select_related("need", "budget"):
        row = [
            timezone.localtime(enquiry.created_at).strftime("%Y-%m-%d %H:%M"),
            enquiry.name,
            enquiry.email,
            enquiry.company,
            enquiry.need.label if enquiry.need else "",
            enquiry.budget.label if enquiry.budget else "",
            enquiry.message,
            enquiry.source,
            "yes" if enquiry.handled else "no",
            enquiry.get_notification_display(),
        ]
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return response
