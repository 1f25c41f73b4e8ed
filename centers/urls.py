from django.urls import path

from . import views

app_name = "centers"

urlpatterns = [
    path("centers/", views.CenterListView.as_view(), name="list"),
    path("centers/<slug:slug>/", views.center_detail, name="detail"),
    path("centers/<slug:slug>/calendar.ics", views.center_ical, name="center_ical"),
    path("activities/", views.ActivityListView.as_view(), name="activity_list"),
    path("activities/week/", views.activity_week, name="week"),
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/calendar.ics", views.activity_ical, name="activity_ical"),
    path("activities/<int:pk>/signup/", views.signup, name="signup"),
    path("activities/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("me/calendar/<str:token>.ics", views.my_ical, name="my_ical"),
    path("me/calendar/reset/", views.reset_calendar, name="reset_calendar"),
    path("me/children/", views.children, name="children"),
]
