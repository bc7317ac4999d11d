from django.urls import path, register_converter

from plans import views


class ItemKindConverter:
    regex = "avsnitt|fokusomrade|mal|insats|nyckeltal"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ItemKindConverter, "itemkind")

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("ny/", views.plan_create, name="create"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/pdf/", views.plan_pdf, name="pdf"),
    path("<int:pk>/redigera/", views.plan_edit, name="edit"),
    path("<int:pk>/uppgifter/", views.plan_details_save, name="details_save"),
    path("<int:pk>/avsnitt/ny/", views.section_add, name="section_add"),
    path("<int:pk>/avsnitt/<int:section_id>/", views.section_save, name="section_save"),
    path("<int:pk>/<itemkind:kind>/ny/", views.item_save, name="item_add"),
    path("<int:pk>/<itemkind:kind>/<int:item_id>/", views.item_save, name="item_save"),
    path("<int:pk>/<itemkind:kind>/<int:item_id>/flytta/", views.item_move, name="item_move"),
    path("<int:pk>/<itemkind:kind>/<int:item_id>/ta-bort/", views.item_delete, name="item_delete"),
    path("<int:pk>/historik/", views.history, name="history"),
    path("<int:pk>/historik/jamfor/", views.compare, name="compare"),
    path("<int:pk>/historik/<int:number>/aterstall/", views.restore, name="restore"),
    path("<int:pk>/bilagor/", views.attachment_add, name="attachment_add"),
    path("<int:pk>/bilagor/<int:attachment_id>/", views.attachment_download, name="attachment_download"),
    path("<int:pk>/anta/", views.adopt, name="adopt"),
    path("<int:pk>/ny-version/", views.plan_copy, name="copy"),
]
