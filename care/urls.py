from django.urls import path

from . import views

app_name = "care"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("recipients/<int:pk>/timeline/", views.recipient_timeline, name="timeline"),
    path("export/", views.export, name="export"),
]
