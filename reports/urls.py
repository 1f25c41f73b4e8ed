from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("generate/", views.generate, name="generate"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/status/", views.status, name="status"),
    path("<int:pk>/print/", views.print_view, name="print"),
    path("<int:pk>/report.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<int:pk>/report.csv", views.export_csv, name="export_csv"),
]
