from django.urls import path

from . import views

app_name = "blog"

urlpatterns = [
    path("", views.PostIndexView.as_view(), name="index"),
    path("tag/<slug:slug>/", views.TagView.as_view(), name="tag"),
    path("<slug:slug>/", views.PostDetailView.as_view(), name="post"),
]
