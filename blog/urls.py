from django.urls import path

from . import share_cards, views

app_name = "blog"

urlpatterns = [
    path("", views.PostIndexView.as_view(), name="index"),
    path("tag/<slug:slug>/", views.TagView.as_view(), name="tag"),
    path("<slug:slug>/", views.PostDetailView.as_view(), name="post"),
    path("<slug:slug>/card-<slug:fingerprint>.png", share_cards.card, name="card"),
]
