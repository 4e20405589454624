from django.urls import path

from . import views

app_name = "enquiries"

urlpatterns = [
    path("", views.WorkWithMeView.as_view(), name="work_with_me"),
    path("thanks/", views.ThanksView.as_view(), name="thanks"),
]
