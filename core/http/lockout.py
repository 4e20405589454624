"""The page a locked-out sign-in gets (django-axes' AXES_LOCKOUT_CALLABLE).

Axes' own page says "try again later"; ours says when, in the admin's style.
"""

from django.conf import settings
from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils import timezone


def locked_out(request, original_response=None, credentials=None):
    cool_off = settings.AXES_COOLOFF_TIME
    context = {
        **admin.site.each_context(request),
        "title": "Too many failed sign-ins",
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cool_off_minutes": int(cool_off.total_seconds() // 60),
        # Each try while locked out starts the wait again, so it ends a cool-off from now.
        "retry_at": timezone.localtime() + cool_off,
    }
    response = TemplateResponse(request, "admin/lockout.html", context, status=429)
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response.render()
