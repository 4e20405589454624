from django.urls import path

from . import views

app_name = "praise"

urlpatterns = [
    path("", views.PraiseView.as_view(), name="index"),
]
