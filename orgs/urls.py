from django.urls import path

from . import views

app_name = "orgs"

urlpatterns = [
    path("", views.OrganizationListView.as_view(), name="list"),
    path("<int:pk>/", views.organization_detail, name="detail"),
    path("<int:pk>/stage/", views.move_stage, name="move_stage"),
    path("contracts/", views.contract_list, name="contract_list"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract_detail"),
    path("import/", views.import_sheet, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("grants/", views.grant_list, name="grant_list"),
    path("grants/<int:pk>/", views.grant_detail, name="grant_detail"),
]
