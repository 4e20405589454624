"""The Work with me page and its enquiry form, and the thank-you page after it."""

from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView

from praise.models import Testimonial

from . import spam
from .forms import EnquiryForm
from .models import RejectedSubmission
from .notifications import notify_owner
from .sources import source_from_request

FEATURED_PRAISE = 3


# The form holds a CSRF token and the visitor's own source, so no cache may share the page.
@method_decorator(never_cache, name="dispatch")
class WorkWithMeView(FormView):
    template_name = "enquiries/work_with_me.html"
    form_class = EnquiryForm
    success_url = reverse_lazy("enquiries:thanks")

    def get_initial(self):
        return {"source": source_from_request(self.request)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            testimonials=Testimonial.objects.featured()[:FEATURED_PRAISE], **kwargs
        )

    def post(self, request, *args, **kwargs):
        try:
            reason = spam.rejection_reason(request.POST)
        except spam.FormExpired:
            return self.form_expired()
        if reason is None:
            form = self.get_form()
            if not form.is_valid():
                return self.form_invalid(form)
            if not spam.over_rate_limit(request):
                return self.form_valid(form)
            reason = RejectedSubmission.Reason.RATE_LIMITED
        RejectedSubmission.record(reason)
        # The answer a person gets, so a bot cannot tell which defence caught it.
        return redirect(self.success_url)

    def form_expired(self):
        """The form again, as the visitor typed it, with a new start time and why."""
        kwargs = self.get_form_kwargs()
        kwargs["data"] = kwargs["data"].copy()
        kwargs["data"][spam.TIMESTAMP_FIELD] = spam.sign_filled_in()
        form = self.get_form_class()(**kwargs)
        context = self.get_context_data(form=form, expired_hours=spam.MAX_FORM_AGE_SECONDS // 3600)
        return self.render_to_response(context)

    def form_valid(self, form):
        enquiry = form.save()  # before any email: a mail failure must never lose the lead
        notify_owner(enquiry)
        return super().form_valid(form)


@method_decorator(never_cache, name="dispatch")
class ThanksView(TemplateView):
    template_name = "enquiries/thanks.html"
