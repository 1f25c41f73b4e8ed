from django.urls import path

from . import views

app_name = "dispatch"

urlpatterns = [
    path("new/", views.request_create, name="create"),
    path("confirm/<uuid:token>/", views.request_confirm, name="confirm"),
    path("sites/", views.site_list, name="site_list"),
    path("desk/", views.desk, name="desk"),
    path("desk/new/", views.desk_create, name="desk_create"),
    path("desk/<int:pk>/", views.desk_detail, name="desk_detail"),
    path("desk/<int:pk>/assign/", views.desk_assign, name="desk_assign"),
    path("desk/<int:pk>/answer/", views.desk_answer, name="desk_answer"),
    path("desk/<int:pk>/status/", views.desk_status, name="desk_status"),
    path("desk/<int:pk>/feedback/", views.desk_feedback, name="desk_feedback"),
    path("supplies/", views.supply_list, name="supply_list"),
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/<int:pk>/answer/", views.task_answer, name="task_answer"),
    path("tasks/<int:pk>/status/", views.task_status, name="task_status"),
    path("calls/<int:pk>/", views.call_answer, name="call_answer"),
    path("mobilisations/", views.mobilisation_list, name="mobilisation_list"),
    path("mobilisations/<int:pk>/", views.mobilisation_detail, name="mobilisation_detail"),
    path("mobilisations/<int:pk>/close/", views.mobilisation_close, name="mobilisation_close"),
    path("<uuid:public_id>/", views.request_status, name="status"),
    path("<uuid:public_id>/rate/", views.request_rate, name="rate"),
    path("<uuid:public_id>/photo/", views.request_photo, name="photo"),
]
