"""The Praise page."""

from django.views.generic import ListView

from core.http.caching import ReaderCacheMixin

from .models import Testimonial


class PraiseView(ReaderCacheMixin, ListView):
    """Every testimonial in the author's order: one query, however many there are."""

    model = Testimonial
    context_object_name = "testimonials"
    template_name = "praise/praise.html"
