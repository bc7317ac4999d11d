from django.urls import path

from calendar_app import views

app_name = "calendar_app"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("kalendarium.<exportformat:file_format>", views.event_export, name="export"),
    path("anmalningar.<exportformat:file_format>", views.registrations_export, name="registrations_export"),
    path("manad/", views.event_month_current, name="month_current"),
    path("manad/<int:year>/<int:month>/", views.event_month, name="month"),
    path("nytt/", views.event_create, name="event_create"),
    path("<int:pk>/", views.event_detail, name="event_detail"),
    path("<int:pk>/anmalan/", views.event_register, name="event_register"),
    path("<int:pk>/kalender.ics", views.event_ics, name="event_ics"),
    path("<int:pk>/andra/", views.event_edit, name="event_edit"),
    path("<int:pk>/publicera/", views.event_publish, name="event_publish"),
    path("<int:pk>/stall-in/", views.event_cancel, name="event_cancel"),
    path("<int:pk>/kopiera/", views.event_copy, name="event_copy"),
    path("<int:pk>/deltagare/", views.participants, name="participants"),
    path(
        "<int:pk>/deltagare.<exportformat:file_format>", views.participants_export, name="participants_export"
    ),
    path("avanmalan/<token:token>/", views.registration_cancel, name="registration_cancel"),
    path("mina-anmalningar/", views.my_registrations, name="my_registrations"),
    path("mina-anmalningar/<int:pk>/avanmal/", views.my_registration_cancel, name="my_registration_cancel"),
    path("flode/region/<orgcode:code>.ics", views.feed_region, name="feed_region"),
    path("flode/natverk/<slug:slug>.ics", views.feed_network, name="feed_network"),
    path("flode/personligt/<token:token>.ics", views.feed_personal, name="feed_personal"),
    path("flode/personligt/nytt/", views.feed_renew, name="feed_renew"),
    path("flode/personligt/stang-av/", views.feed_revoke, name="feed_revoke"),
]
