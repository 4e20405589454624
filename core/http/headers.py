"""Permissions-Policy on every response: the site uses no powerful browser features.

Django sets the other security headers itself (SecurityMiddleware: HSTS, nosniff,
Referrer-Policy, Cross-Origin-Opener-Policy; XFrameOptionsMiddleware; the CSP
middleware); it has no setting for this one.
"""

from django.conf import settings


def permissions_policy_middleware(get_response):
    header = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY)

    def middleware(request):
        response = get_response(request)
        if header:
            response.headers.setdefault("Permissions-Policy", header)
        return response

    return middleware
