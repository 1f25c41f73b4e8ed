from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("me/", views.me, name="me"),
    path("me/data/", views.my_data, name="my_data"),
    path("text-size/", views.text_size, name="text_size"),
    path("healthz", views.healthz, name="healthz"),
    path("healthz/worker/", views.worker_ping, name="worker_ping"),
    path("healthz/worker/<str:token>/", views.worker_ping_status, name="worker_ping_status"),
]
