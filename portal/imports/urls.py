from django.urls import path

from portal.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.index, name="index"),
    path("granska/<int:pk>/", views.preview, name="preview"),
    path("granska/<int:pk>/bekrafta/", views.confirm, name="confirm"),
    path("granska/<int:pk>/avbryt/", views.cancel, name="cancel"),
    path("<slug:kind>/", views.upload, name="upload"),
    path("<slug:kind>/mall.<slug:file_format>", views.template_file, name="template"),
]
