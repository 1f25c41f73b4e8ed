from django.urls import path

from . import views

app_name = "deliberation"

urlpatterns = [
    # public
    path("", views.MeetingListView.as_view(), name="list"),
    path("<int:pk>/", views.MeetingDetailView.as_view(), name="detail"),
    path("<int:pk>/objection/", views.file_objection, name="object"),
    # staff: the organizer's workbench
    path("manage/", views.meeting_list, name="manage_list"),
    path("manage/new/", views.meeting_create, name="create"),
    path("manage/<int:pk>/", views.meeting_manage, name="manage"),
    path("manage/<int:pk>/do/<slug:action>/", views.meeting_act, name="act"),
    path("manage/<int:pk>/minutes/", views.meeting_minutes, name="minutes"),
    path("manage/<int:pk>/minutes.xlsx", views.meeting_minutes_export, name="minutes_export"),
    # mediation (staff and the case's mediator)
    path("mediation/", views.case_list, name="mediation_list"),
    path("mediation/export.xlsx", views.case_export, name="mediation_export"),
    path("mediation/<int:pk>/", views.case_detail, name="mediation_detail"),
    path("mediation/<int:pk>/do/<slug:action>/", views.case_act, name="mediation_act"),
    path("mediation/<int:pk>/agreement/", views.case_agreement, name="mediation_agreement"),
]
