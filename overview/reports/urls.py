from django.urls import path, register_converter

from overview.reports import views


class FormatConverter:
    regex = "pdf|xlsx"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "fmt")

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("nationell/", views.request_national, name="request_national"),
    path("regional/", views.request_regional, name="request_regional"),
    path("uppfoljning/<int:follow_up>/", views.request_followup, name="request_followup"),
    path("jobb/<int:pk>/", views.job, name="job"),
    path("jobb/<int:pk>/<fmt:fmt>/", views.download, name="download"),
]
