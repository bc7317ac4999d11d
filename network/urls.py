from django.urls import path

from network import views

app_name = "network"

urlpatterns = [
    path("", views.network_list, name="list"),
    path("mina/", views.my_networks, name="mine"),
    path("nytt/", views.network_create, name="create"),
    path("<slug:slug>/", views.network_detail, name="detail"),
    path("<slug:slug>/andra/", views.network_edit, name="edit"),
    path("<slug:slug>/ga-med/", views.network_join, name="join"),
    path("<slug:slug>/lamna/", views.network_leave, name="leave"),
    path("<slug:slug>/medlemmar/", views.network_members, name="members"),
    path("<slug:slug>/medlemmar/<int:pk>/", views.network_member_change, name="member_change"),
    path("<slug:slug>/dokument/nytt/", views.document_upload, name="document_upload"),
    path("<slug:slug>/dokument/<int:pk>/", views.document_download, name="document_download"),
    path("<slug:slug>/dokument/<int:pk>/ta-bort/", views.document_delete, name="document_delete"),
]
