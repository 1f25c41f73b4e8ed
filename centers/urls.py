from django.urls import path

from . import views

app_name = "centers"

urlpatterns = [
    path("centers/", views.CenterListView.as_view(), name="list"),
    path("centers/<slug:slug>/", views.CenterDetailView.as_view(), name="detail"),
    path("activities/", views.ActivityListView.as_view(), name="activity_list"),
]
