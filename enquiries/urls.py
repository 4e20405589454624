from django.urls import path
from django.views.generic import TemplateView

app_name = "enquiries"

# Placeholder until the enquiry form lands.
urlpatterns = [
    path(
        "", TemplateView.as_view(template_name="enquiries/work_with_me.html"), name="work_with_me"
    ),
]
