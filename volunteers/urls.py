from django.urls import path

from . import views

app_name = "volunteers"

urlpatterns = [
    path("", views.index, name="index"),
    path("register/", views.register, name="register"),
    path("me/", views.my_volunteering, name="me"),
    path("me/records/", views.my_records, name="my_records"),
    path("teams/<int:pk>/", views.team_detail, name="team_detail"),
    path("teams/<int:pk>/join/", views.team_join, name="team_join"),
    path("duties/<int:pk>/", views.duty_detail, name="duty_detail"),
    path("duties/<int:pk>/sign-up/", views.duty_signup, name="duty_signup"),
    path("duties/<int:pk>/cancel/", views.duty_cancel, name="duty_cancel"),
    path("duties/<int:pk>/check/", views.duty_check, name="duty_check"),
    path("hours/report/", views.hours_report, name="hours_report"),
    path("certificates/new/", views.certificate_create, name="certificate_create"),
    path("certificates/<str:number>/", views.certificate_detail, name="certificate_detail"),
    path("shop/", views.shop_list, name="shop_list"),
    path("shop/<int:pk>/", views.shop_detail, name="shop_detail"),
    path("shop/<int:pk>/pickup/", views.pickup, name="pickup"),
    path("shop/items/<int:pk>/redeem/", views.redeem, name="redeem"),
    path("redemptions/<int:pk>/cancel/", views.redemption_cancel, name="redemption_cancel"),
]
